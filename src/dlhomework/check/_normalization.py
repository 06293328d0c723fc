"""``check.normalization``: are the statistics taken from the training rows only? (homework 1-2)

The check builds a training and a test set whose statistics all differ — the test
rows reach beyond the training range in every column, so even the minima and
maxima of "all rows" differ from the training ones — and matches each output
against every way of normalizing: four methods (the course's mean/range, min-max,
z-score with either ``ddof``), statistics from the training rows, the test rows or
both, per column, per row or over the whole matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calls import Bad, Caller, Stop, as_float_array, need_callable, run_check, shown
from ._report import Finding, Report

__all__ = ["normalization"]

Array = NDArray[np.float64]
N_TRAIN, N_TEST, N_COLUMNS = 40, 10, 14  # the housing data's 14 columns, split 80/20

_METHODS: dict[str, Callable[[Array, dict[str, Array]], Array]] = {
    "(x − 均值) / (最大 − 最小)": lambda x, s: (x - s["mean"]) / (s["max"] - s["min"]),
    "(x − 最小) / (最大 − 最小)": lambda x, s: (x - s["min"]) / (s["max"] - s["min"]),
    "(x − 均值) / 标准差": lambda x, s: (x - s["mean"]) / s["std0"],
    "(x − 均值) / 样本标准差": lambda x, s: (x - s["mean"]) / s["std1"],
}


def _stats(data: Array, axis: int | None) -> dict[str, Array]:
    keep = axis is not None
    return {
        "mean": data.mean(axis=axis, keepdims=keep),
        "min": data.min(axis=axis, keepdims=keep),
        "max": data.max(axis=axis, keepdims=keep),
        "std0": data.std(axis=axis, keepdims=keep),
        "std1": data.std(axis=axis, ddof=1, keepdims=keep),
    }


def _data() -> tuple[Array, Array]:
    rng = np.random.default_rng(1402)
    scale = rng.uniform(0.5, 200.0, N_COLUMNS)
    offset = rng.uniform(-100.0, 500.0, N_COLUMNS)
    train = rng.standard_normal((N_TRAIN, N_COLUMNS)) * scale + offset
    test = (0.7 + 1.5 * rng.standard_normal((N_TEST, N_COLUMNS))) * scale + offset
    test[0] = train.max(axis=0) + scale  # beyond the training range on both sides
    test[1] = train.min(axis=0) - 0.5 * scale
    return train, test


def _matches(
    out: Array, x: Array, train: Array, test: Array, rtol: float
) -> list[tuple[str, str, str]]:
    """Every ``(method, source, axis)`` that turns ``x`` into ``out``."""
    sources = {"train": train, "test": test, "all": np.vstack([train, test])}
    found = []
    for method, apply in _METHODS.items():
        for source, data in sources.items():
            for axis, stats in (("columns", _stats(data, 0)), ("matrix", _stats(data, None))):
                if _close(out, apply(x, stats), rtol):
                    found.append((method, source, axis))
        if _close(out, apply(x, _stats(x, 1)), rtol):
            found.append((method, "self", "rows"))
    return found


def _close(a: Array, b: Array, rtol: float) -> bool:
    return bool(np.max(np.abs(a - b)) <= rtol * max(1.0, float(np.max(np.abs(b)))))


def normalization(fn: Callable[..., Any], *, time_limit: float = 10.0) -> Report:
    """Check ``fn(train, test) -> (train_normalized, test_normalized)``.

    Every column must be normalized with statistics of the *training* rows only,
    the same way in both arrays.  The course's ``(x - mean) / (max - min)``,
    min-max to ``[0, 1]`` and z-scores (with either ``ddof``) all pass.

    Parameters
    ----------
    fn : callable
        Takes two 2-D float arrays ``(n_train, 14)`` and ``(n_test, 14)``; returns two
        arrays of the same shapes.
    time_limit : float, default 10
        Seconds for the student's code.

    Returns
    -------
    Report
        Codes: ``test_statistics`` (the test rows normalized with their own
        statistics), ``all_statistics`` (statistics of train + test rows),
        ``norm_axis`` (per row or over the whole matrix, not per column),
        ``test_not_normalized``, ``method_mismatch``, ``norm_wrong``; and
        ``not_callable``, ``raises``, ``timeout``, ``wrong_type``, ``wrong_shape``,
        ``not_finite``; warning ``mutates_input``.  Concerns ``train`` or ``test``.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.

    Notes
    -----
    Used in homework 1-2 (「检查你的答案」).

    Examples
    --------
    >>> def right(train, test):
    ...     lo, hi = train.min(axis=0), train.max(axis=0)
    ...     mean = train.mean(axis=0)
    ...     return (train - mean) / (hi - lo), (test - mean) / (hi - lo)
    >>> normalization(right).passed
    True
    >>> def own(train, test):
    ...     def f(d):
    ...         span = d.max(axis=0) - d.min(axis=0)
    ...         return (d - d.mean(axis=0)) / span
    ...     return f(train), f(test)
    >>> normalization(own).codes
    ('test_statistics',)
    """
    return run_check("normalization", time_limit, lambda c, f, d: _check(fn, c, f, d))


def _check(
    fn: Callable[..., Any], caller: Caller, findings: list[Finding], details: list[str]
) -> None:
    need_callable(fn, "fn(train, test)")
    train, test = _data()
    train_in, test_in = train.copy(), test.copy()
    value = caller.value(fn, train_in, test_in, what="fn(train, test)", concerns=("fn",))
    if not np.array_equal(train_in, train) or not np.array_equal(test_in, test):
        findings.append(
            Finding(
                "mutates_input",
                ("train" if not np.array_equal(train_in, train) else "test",),
                "fn 原地修改了传入的数组：调用者的数据被悄悄改掉，再归一化一次就错了。用 (x - "
                "mean) / span 生成新数组，而不是 x -= mean。",
                "warning",
            )
        )
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise Stop(
            Finding(
                "wrong_type",
                ("fn",),
                "fn(train, test) 应返回两个数组 (train_normalized, test_normalized)，得到的是 "
                f"{shown(value)}。",
            )
        )
    outputs: dict[str, Array] = {}
    for name, out, x in (("train", value[0], train), ("test", value[1], test)):
        try:
            arr = as_float_array(out, f"归一化后的 {name}")
        except Bad as bad:
            raise Stop(Finding("wrong_type", (name,), str(bad))) from None
        if arr.shape != x.shape:
            raise Stop(
                Finding(
                    "wrong_shape",
                    (name,),
                    f"归一化后的 {name} 形状是 {arr.shape}，输入是 {x.shape}：形状应当不变。",
                )
            )
        if not np.all(np.isfinite(arr)):
            raise Stop(
                Finding(
                    "not_finite",
                    (name,),
                    f"归一化后的 {name} 含 NaN 或 inf：是否除以了 0（某列的 max == min）？",
                )
            )
        outputs[name] = arr
    low = any(np.asarray(v).dtype == np.float32 for v in value if isinstance(v, np.ndarray))
    rtol = 1e-5 if low else 1e-9
    found = {
        name: _matches(outputs[name], x, train, test, rtol)
        for name, x in (("train", train), ("test", test))
    }
    if _close(outputs["test"], test, rtol):
        found["test"].append(("", "none", "columns"))
    details.append(_describe(found))
    findings += _diagnose(found)


_AXES = {"columns": "按列", "rows": "按行", "matrix": "整个矩阵"}


def _describe(found: dict[str, list[tuple[str, str, str]]]) -> str:
    where = {
        "train": "训练集",
        "test": "测试集",
        "all": "全部数据",
        "self": "各自的行",
        "none": "无",
    }
    parts = []
    for name, matches in found.items():
        if matches:
            method, source, axis = matches[0]
            how = (
                "未归一化"
                if source == "none"
                else f"{method}，统计量来自{where[source]}（{_AXES[axis]}）"
            )
        else:
            how = "与任何常见做法都不符"
        parts.append(f"{name}：{how}")
    return "识别出的做法 —— " + "；".join(parts)


def _diagnose(found: dict[str, list[tuple[str, str, str]]]) -> list[Finding]:
    right = {
        name: {m for m, s, a in found[name] if s == "train" and a == "columns"} for name in found
    }
    if right["train"] & right["test"]:
        return []
    findings: list[Finding] = []
    for name in ("train", "test"):
        sources = {(s, a) for _, s, a in found[name]}
        if right[name]:
            continue
        if name == "test" and ("none", "columns") in sources:
            findings.append(
                Finding(
                    "test_not_normalized",
                    ("test",),
                    "测试集原样返回，没有归一化：模型在归一化的坐标里学到 w、b，"
                    "预测时输入也必须做同样的变换。（若统计量是从已经归一化过的训练集上算的，"
                    "变换就成了恒等变换——先保存训练统计量再变换。）",
                )
            )
        elif name == "test" and ("test", "columns") in sources:
            findings.append(
                Finding(
                    "test_statistics",
                    ("test",),
                    "测试集用它自己的均值和最大/最小值归一化了。学到的 w、b "
                    "只在训练统计量定义的坐标里有意义，预测时必须用训练集的统计量做完全相同的变换"
                    "；单独预测一个样本时 max = min，还会除以零。",
                )
            )
        elif any(s == "all" for s, _ in sources):
            findings.append(
                Finding(
                    "all_statistics",
                    (name,),
                    f"{name} 用的是训练集和测试集合在一起的统计量："
                    "测试集的信息泄漏进了训练（paddle.text.datasets.UCIHousing 就这样做）。"
                    "统计量只能来自训练集。",
                )
            )
        elif any(a in ("rows", "matrix") for _, a in sources):
            findings.append(
                Finding(
                    "norm_axis",
                    (name,),
                    f"{name} 的统计量不是按列（每个特征）计算的，而是按行或对整个矩阵：用 axis=0，"
                    "如 train.max(axis=0)，让每个特征各自归一化。",
                )
            )
        else:
            findings.append(
                Finding(
                    "norm_wrong",
                    (name,),
                    f"归一化后的 {name} 与任何常见做法都不符（用训练集按列的统计量做 (x − "
                    "均值)/(最大 − 最小)、min-max 或 z-score）：检查公式和统计量。",
                )
            )
    if not findings:  # each is right, but not the same way
        findings.append(
            Finding(
                "method_mismatch",
                ("test",),
                f"训练集和测试集用了不同的公式（训练集 {sorted(right['train'])[0]}，测试集 "
                f"{sorted(right['test'])[0]}）：两者必须做完全相同的变换。",
            )
        )
    return findings
