"""``check.count_positive``: how many entries of a 10×10 matrix are > 0 (homework 1-8).

Four 10×10 probes tell the typical answers apart: a seeded standard-normal matrix;
the same with exact zeros (``0.0`` and ``-0.0``); with NaN and ±inf; and two
matrices whose answers are 0 and 100, so that a function that ignores its input
(draws its own ``np.random.randn`` or returns 50) shows.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calls import Caller, need_callable, run_check, shown
from ._report import Finding, Report

__all__ = ["count_positive"]


def _probes() -> dict[str, NDArray[np.float64]]:
    rng = np.random.default_rng(1408)
    p = rng.standard_normal((10, 10))
    zeros = p.copy()
    zeros.flat[::7] = 0.0
    zeros.flat[3::11] = -0.0
    special = p.copy()
    special.flat[::9] = np.nan
    special.flat[5::23] = np.inf
    special.flat[8::31] = -np.inf
    return {
        "randn": p,
        "zeros": zeros,
        "nan": special,
        "negative": -np.abs(p) - 0.1,
        "positive": np.abs(p) + 0.1,
    }


_DESCRIBE = {
    "randn": "标准正态 10×10 矩阵",
    "zeros": "含 0.0 和 −0.0 的矩阵",
    "nan": "含 NaN 和 ±inf 的矩阵",
    "negative": "全为负数的矩阵",
    "positive": "全为正数的矩阵",
}

# Wrong counts and what they say; the first that explains every answer wins.
_WRONG: tuple[tuple[str, Callable[[NDArray[np.float64]], int], str], ...] = (
    (
        "len_where",
        lambda p: p.ndim,
        "用了 len(np.where(p > 0))：np.where 返回的是每一维的下标数组组成的元组，二维矩阵就是 2 "
        "个数组，len 得到的总是维数 2。用 np.count_nonzero(p > 0) 或 (p > 0).sum()。",
    ),
    (
        "counts_zero",
        lambda p: int(np.count_nonzero(p >= 0)),
        "把 0 也算进去了（用了 p >= 0）：题目问的是大于 0，0.0 和 −0.0 都不是正数。用 p > 0。",
    ),
    (
        "counts_nan",
        lambda p: int(np.count_nonzero(~(p <= 0))),
        "把 NaN 算成了正数（例如 p.size − (p <= 0).sum()，或 ~(p <= 0)）：NaN 与任何数比较都是 "
        "False，它既不 > 0 也不 <= 0。直接数 p > 0 为 True 的元素。",
    ),
    (
        "counts_negative",
        lambda p: int(np.count_nonzero(p < 0)),
        "数的是负数（p < 0），题目要的是大于 0 的元素个数。",
    ),
)


def count_positive(fn: Callable[..., Any], *, time_limit: float = 10.0) -> Report:
    """Check ``fn(p)`` -> the number of entries of the 10×10 array ``p`` that are > 0, as an int.

    NaN, ``0.0`` and ``-0.0`` are not positive, ``+inf`` is; the answer is an
    integer (a NumPy integer passes).  Loops and ``np.sum(p > 0)`` pass as well as
    ``np.count_nonzero(p > 0)``.

    Parameters
    ----------
    fn : callable
        The student's function.
    time_limit : float, default 10
        Seconds for the student's code.

    Returns
    -------
    Report
        Codes: ``len_where``, ``counts_zero``, ``counts_nan``, ``counts_negative``,
        ``ignores_input``, ``returns_array``, ``float_not_int``, ``wrong_count``;
        ``not_callable``, ``raises``, ``timeout``, ``wrong_type``; warning
        ``mutates_input``.  Concerns name the probe: ``p=randn``, ``p=zeros`` (with 0.0
        and −0.0), ``p=nan`` (with NaN and ±inf), ``p=negative``, ``p=positive``.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.

    Notes
    -----
    Used in homework 1-8 (「检查你的答案」).

    Examples
    --------
    >>> count_positive(lambda p: np.count_nonzero(p > 0)).passed
    True
    >>> count_positive(lambda p: len(np.where(p > 0))).codes
    ('len_where',)
    >>> count_positive(lambda p: p[p > 0]).codes
    ('returns_array',)
    """
    return run_check("count_positive", time_limit, lambda c, f, d: _check(fn, c, f, d))


def _check(
    fn: Callable[..., Any], caller: Caller, findings: list[Finding], details: list[str]
) -> None:
    need_callable(fn, "fn(p)")
    probes = _probes()
    answers: dict[str, int] = {}
    for name, p in probes.items():
        where = f"p={name}"
        given = p.copy()
        value = caller.value(fn, given, what=f"fn({_DESCRIBE[name]})", concerns=(where,))
        if not np.array_equal(given, p, equal_nan=True) and "mutates_input" not in (
            f.code for f in findings
        ):
            findings.append(
                Finding("mutates_input", ("p",), "fn 原地修改了传入的矩阵 p。", "warning")
            )
        if isinstance(value, np.ndarray) and value.size == 1 and value.ndim <= 1:
            value = value.reshape(())[()]
        if isinstance(value, np.ndarray | list | tuple):
            findings.append(
                Finding(
                    "returns_array",
                    ("return",),
                    f"返回的是数组 {shown(value, 60)}，不是个数：p > 0 是布尔数组，p[p > 0] "
                    "是正数本身，np.sum(p > 0, axis=0) 是每列的个数。要一个数：np.count_nonzero(p "
                    "> 0)。",
                )
            )
            return
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            findings.append(
                Finding("wrong_type", ("return",), f"应返回一个整数，得到的是 {shown(value)}。")
            )
            return
        if not isinstance(value, numbers.Integral):
            if not float(value).is_integer():
                findings.append(
                    Finding(
                        "wrong_count",
                        (where,),
                        f"返回了非整数 {value!r}：个数是整数。是不是算成了比例（np.mean(p > 0)）？",
                    )
                )
                return
            if "float_not_int" not in (f.code for f in findings):
                findings.append(
                    Finding(
                        "float_not_int",
                        ("return",),
                        f"返回了浮点数 {value!r}：个数应是整数，用 np.count_nonzero(p > 0) 或 "
                        "int(...)。",
                    )
                )
        answers[name] = int(float(value))
    right = {name: int(np.count_nonzero(p > 0)) for name, p in probes.items()}
    details.append(f"标准正态矩阵：得到 {answers['randn']}，应为 {right['randn']}")
    if answers == right:
        return
    first = next(name for name in probes if answers[name] != right[name])
    where = f"p={first}"
    for code, count, message in _WRONG:
        if all(answers[name] == count(p) for name, p in probes.items()):
            findings.append(Finding(code, (where,), message))
            return
    if answers["negative"] != 0 and answers["positive"] != 100:
        findings.append(
            Finding(
                "ignores_input",
                ("p",),
                f"对全负的矩阵返回 {answers['negative']}、对全正的返回 {answers['positive']}："
                "函数没有用传入的 p（在函数里重新生成了随机矩阵，或写死了答案）。对参数 p 计数。",
            )
        )
        return
    findings.append(
        Finding(
            "wrong_count",
            (where,),
            f"对{_DESCRIBE[first]}返回了 {answers[first]}，应为 {right[first]}：数 p > 0 为 True "
            "的元素，NaN、0.0、−0.0 不算，+inf 算。",
        )
    )
