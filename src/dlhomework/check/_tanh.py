"""``check.tanh``: tanh in NumPy, right for every float64 (homework 1-7).

The literal formula ``(eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)`` is right on the plotted range
[−10, 10] and wrong in three places the check probes: ``|x| ≳ 710`` (``eˣ``
overflows, ``inf/inf = nan``), tiny ``|x|`` (``eˣ − e⁻ˣ`` cancels) and ``±inf``.
The reference is ``np.tanh`` in the precision of the student's output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calls import (
    Bad,
    Caller,
    Outcome,
    Stop,
    as_float_array,
    error_text,
    need_callable,
    run_check,
    shown,
)
from ._report import Finding, Report

__all__ = ["tanh"]

Array = NDArray[np.float64]

GRID = np.linspace(-10.0, 10.0, 201)
LARGE = np.array(
    [
        20.0,
        -20.0,
        50.0,
        -50.0,
        100.0,
        -100.0,
        710.0,
        -710.0,
        711.0,
        -711.0,
        800.0,
        -800.0,
        1e4,
        -1e4,
    ]
)
SMALL = np.array([1e-5, 1e-8, 1e-10, -1e-10, 1e-15, 1e-300])
INF = np.array([np.inf, -np.inf])


def tanh(fn: Callable[..., Any], *, label: str | None = None, time_limit: float = 10.0) -> Report:
    """Check a tanh written with NumPy: ``fn(x)`` for an array ``x`` returns ``tanh(x)``.

    Probed on [−10, 10], at ``|x|`` from 20 to 10⁴, near 0 (down to 1e-300) and at
    ``±inf``.  Any formula that is right everywhere passes, in float64 or float32
    (then judged in float32); a function of a single float is accepted with a warning.

    Parameters
    ----------
    fn : callable
        The student's tanh.
    label : str, optional
        The text of the plot's label (``plt.text(-3.0, 0.9, label)``), checked too.
    time_limit : float, default 10
        Seconds for the student's code.

    Returns
    -------
    Report
        Codes: ``tanh_overflow`` (NaN/inf or an error at large ``|x|``),
        ``tanh_cancellation`` (digits lost near 0), ``tanh_inf`` (wrong at ±inf),
        ``tanh_wrong`` (wrong on [−10, 10]); ``label_dollar`` (an unbalanced ``$``),
        ``label_backslash`` (``tanh`` without ``\\``), ``label_tab`` (``\\t`` outside a raw
        string); ``not_callable``, ``raises``, ``timeout``, ``wrong_type``,
        ``wrong_shape``; warnings ``tanh_warns`` (right values, but RuntimeWarnings),
        ``scalar_only``, ``mutates_input``.  Concerns name the input, e.g. ``x=710``.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.

    Notes
    -----
    Used in homework 1-7 (「检查你的答案」).

    Examples
    --------
    >>> tanh(np.tanh, label=r"$y=\\tanh(x)$").passed
    True
    >>> def naive(x):
    ...     e, f = np.exp(x), np.exp(-x)
    ...     return (e - f) / (e + f)
    >>> codes = tanh(naive, label=r"$y=tanh(x)").codes
    >>> codes[:3]
    ('tanh_overflow', 'tanh_cancellation', 'tanh_inf')
    >>> codes[3:]
    ('label_dollar', 'label_backslash')
    """
    return run_check("tanh", time_limit, lambda c, f, d: _check(fn, label, c, f, d))


class _Student:
    """The student's tanh on an array, elementwise if it only takes one float."""

    def __init__(self, fn: Callable[..., Any], caller: Caller, findings: list[Finding]) -> None:
        self.fn, self.caller, self.findings = fn, caller, findings
        self.elementwise = False
        self.low = False

    def __call__(self, x: Array) -> Outcome | Array:
        """The values for ``x``, or the failed call's outcome."""
        given = x.copy()
        if self.elementwise:
            out: list[Any] = []
            for v in x.tolist():
                outcome = self.caller.call(self.fn, v)
                if not outcome.ok:
                    return outcome
                out.append(outcome.value)
            value: Any = out
        else:
            outcome = self.caller.call(self.fn, given)
            if not outcome.ok:
                return outcome
            value = outcome.value
            if not np.array_equal(given, x, equal_nan=True) and not any(
                f.code == "mutates_input" for f in self.findings
            ):
                self.findings.append(
                    Finding(
                        "mutates_input",
                        ("x",),
                        "fn 原地修改了传入的数组 x：调用者的数据被改掉了。",
                        "warning",
                    )
                )
        if isinstance(value, np.ndarray) and value.dtype == np.float32:
            self.low = True
        try:
            arr = as_float_array(value, "fn(x) 的返回值")
        except Bad as bad:
            raise Stop(Finding("wrong_type", ("fn",), str(bad))) from None
        if arr.size != x.size:
            raise Stop(
                Finding(
                    "wrong_shape",
                    ("fn",),
                    f"fn(x) 对形状 {x.shape} 的数组返回了形状 {arr.shape}："
                    "应逐元素计算，形状不变。",
                )
            )
        return arr.reshape(x.shape)

    def reference(self, x: Array) -> Array:
        dtype = np.float32 if self.low else np.float64
        with np.errstate(under="ignore"):
            ref: Array = np.tanh(x.astype(dtype)).astype(np.float64)
        return ref


def _check(
    fn: Callable[..., Any],
    label: str | None,
    caller: Caller,
    findings: list[Finding],
    details: list[str],
) -> None:
    need_callable(fn, "fn(x)")
    student = _Student(fn, caller, findings)
    grid = student(GRID)
    if isinstance(grid, Outcome):
        if grid.timed_out:
            raise Stop(caller.failure(grid, "fn(x)", ("fn",)))
        scalar = caller.call(fn, 0.5)  # perhaps it takes one float at a time
        if not scalar.ok:
            raise Stop(caller.failure(grid, "fn(np.linspace(-10, 10, 201))", ("fn",)))
        student.elementwise = True
        findings.append(
            Finding(
                "scalar_only",
                ("fn",),
                f"fn 只接受单个数（传入数组时 {error_text(grid.error or RuntimeError())}）："
                "作业要求用 NumPy 对整个数组计算，用 np.exp 而不是 math.exp。检查逐个元素调用它。",
                "warning",
            )
        )
        grid = student(GRID)
        if isinstance(grid, Outcome):
            raise Stop(caller.failure(grid, "fn(x)", ("fn",)))
    rtol = 1e-5 if student.low else 1e-9
    ref = student.reference(GRID)
    bad = np.abs(grid - ref) > rtol * np.abs(ref) + 10 * rtol * 1e-6
    if np.any(bad):
        i = int(np.argmax(bad))
        raise Stop(
            Finding(
                "tanh_wrong",
                (f"x={GRID[i]:g}",),
                f"在 [−10, 10] 上就不对：x = {GRID[i]:g} 时得到 {float(grid[i])!r}，应为 "
                f"{float(ref[i])!r}。tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)：检查公式里的符号和括号。",
            )
        )
    details.append(f"[−10, 10] 上的最大误差 {float(np.max(np.abs(grid - ref))):.1e}")
    _large(student, findings)
    _small(student, findings, rtol)
    _infinite(student, findings)
    if caller.warned and not any(f.code in ("tanh_overflow", "tanh_inf") for f in findings):
        findings.append(
            Finding(
                "tanh_warns",
                ("x",),
                f"结果对，但计算时出现了警告（{caller.warned[0]}）：例如 np.where "
                "两个分支都会计算，大 |x| 时 eˣ 照样溢出。只对 e^(−2|x|) 求指数就不会溢出："
                "tanh(x) = sign(x)·(1 − e^(−2|x|))/(1 + e^(−2|x|))。",
                "warning",
            )
        )
    if label is not None:
        findings += _label(label)


def _first_bad(
    student: _Student, x: Array, ok: Callable[[Array, Array], NDArray[np.bool_]]
) -> tuple[int, str] | None:
    """Index and description of the first entry of ``x`` the student's tanh gets wrong."""
    for i in range(len(x)):  # one call per value: a failure does not hide the others
        got = student(x[i : i + 1])
        if isinstance(got, Outcome):
            if got.timed_out:
                raise Stop(student.caller.failure(got, f"fn([{x[i]:g}])", ("fn",)))
            return i, f"抛出了 {error_text(got.error or RuntimeError())}"
        if not ok(got, student.reference(x[i : i + 1]))[0]:
            return i, f"得到 {float(got[0])!r}"
    return None


def _large(student: _Student, findings: list[Finding]) -> None:
    found = _first_bad(student, LARGE, lambda got, ref: np.abs(got - ref) <= 1e-12)
    if found is not None:
        i, what = found
        findings.append(
            Finding(
                "tanh_overflow",
                (f"x={LARGE[i]:g}",),
                f"x = {LARGE[i]:g} 时{what}，应为 {np.sign(LARGE[i]):g}：eˣ 在 x > 709.78 "
                "时（float32 在 88.7 时）溢出为 inf，inf/inf = nan。只对 e^(−2|x|) "
                "求指数（它不会溢出）再补回符号，如 sign(x)·(1 − e^(−2|x|))/(1 + e^(−2|x|))，"
                "或直接用 np.tanh。",
            )
        )


def _small(student: _Student, findings: list[Finding], rtol: float) -> None:
    tol = 1e-5 if student.low else 1e-12
    found = _first_bad(student, SMALL, lambda got, ref: np.abs(got - ref) <= tol * np.abs(ref))
    if found is not None:
        i, what = found
        findings.append(
            Finding(
                "tanh_cancellation",
                (f"x={SMALL[i]:g}",),
                f"x = {SMALL[i]:g} 时{what}，应为 {float(np.tanh(SMALL[i]))!r}：eˣ − e⁻ˣ "
                "是两个几乎相等的数相减，有效数字抵消殆尽。|x| 小时用 np.expm1 避免相减：t = "
                "expm1(−2|x|)，tanh(x) = sign(x)·(−t)/(2 + t)；或直接用 np.tanh。",
            )
        )


def _infinite(student: _Student, findings: list[Finding]) -> None:
    found = _first_bad(student, INF, lambda got, ref: got == ref)
    if found is not None:
        i, what = found
        findings.append(
            Finding(
                "tanh_inf",
                (f"x={INF[i]:g}",),
                f"x = {INF[i]:g} 时{what}，应为 {np.sign(INF[i]):g}：公式里出现 inf/inf 或 inf − "
                "inf 就是 nan。用只含 e^(−2|x|) 的写法，x = ±inf 时它是 0，结果正好是 ±1。",
            )
        )


def _label(label: object) -> list[Finding]:
    if not isinstance(label, str):
        return [Finding("wrong_type", ("label",), f"label 应当是字符串，得到的是 {shown(label)}。")]
    found = []
    if "\t" in label:
        found.append(
            Finding(
                "label_tab",
                ("label",),
                "标注里有制表符：普通字符串 '$y=\\tanh(x)$' 中的 \\t 被 Python 当成了制表符。"
                "用原始字符串 r'...'。",
            )
        )
    dollars = label.count("$") - label.count(r"\$")
    if dollars % 2:
        found.append(
            Finding(
                "label_dollar",
                ("label",),
                f"标注 {shown(label)} 的 $ 不成对：matplotlib 只把含偶数个 $ 的字符串当作公式，"
                "这里会原样画出一个 $（交给 mathtext 解析则直接报错）。写成 r'$y=\\tanh(x)$'。",
            )
        )
    if re.search(r"(?<![\\a-zA-Z])tanh", label) and dollars > 0:
        found.append(
            Finding(
                "label_backslash",
                ("label",),
                "公式里的 tanh 没有反斜杠：mathtext 会把它排成四个斜体变量 t·a·n·h 的乘积。写成 "
                "\\tanh，排成正体。",
            )
        )
    return found
