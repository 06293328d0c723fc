"""``check.iterations``: inner-loop iterations per epoch, ``ceil(n / b)`` (homework 1-3)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ._calls import Caller, need_callable, probe_text, run_check, shown
from ._report import Finding, Report

__all__ = ["iterations"]

# (n_samples, batch_size): divisible and not, fractions below and above one half.
PROBES: tuple[tuple[int, int], ...] = (
    (1000, 20),
    (1000, 4),
    (1010, 20),
    (1030, 20),
    (1015, 20),
    (404, 100),
    (10, 10),
    (1, 10),
    (100, 1),
)

# Wrong formulas and what they say; the first that gives every answer wins.
_WRONG: tuple[tuple[str, Callable[[int, int], float], str], ...] = (
    (
        "floor_not_ceil",
        lambda n, b: n // b,
        "用了向下取整（n // batch_size）：最后一个不满的批次被丢掉了。默认情况下它也要训练一次，"
        "所以每个 epoch 是 ceil(n / batch_size) 次（math.ceil，或 (n + b − 1) // b）；只有 "
        "drop_last=True 时才向下取整。",
    ),
    (
        "float_division",
        lambda n, b: n / b,
        "返回了 n / batch_size：这是浮点数（1010 / 20 = 50.5），迭代次数必须是整数，"
        "而且最后一个不满的批次要算一次：math.ceil(n / batch_size)。",
    ),
    (
        "rounds",
        lambda n, b: round(n / b),
        "用了四舍五入：n / b 的小数部分小于 0.5 时少算了最后一个不满的批次。用 math.ceil。",
    ),
    (
        "extra_batch",
        lambda n, b: n // b + 1,
        "用了 n // batch_size + 1：能整除时（1000 / 20）多算了一个空批次。用 math.ceil(n / "
        "batch_size)。",
    ),
    (
        "args_swapped",
        lambda n, b: math.ceil(b / n),
        "参数顺序反了：约定是 fn(n_samples, batch_size)。",
    ),
    (
        "times_epochs",
        lambda n, b: 5 * math.ceil(n / b),
        "返回的是 5 个 epoch 的总次数；这里要的是每个 epoch 的内层循环次数 ceil(n / "
        "batch_size)（总数再乘 epoch 数）。",
    ),
)


def iterations(fn: Callable[..., Any], *, time_limit: float = 10.0) -> Report:
    """Check ``fn(n_samples, batch_size)`` -> the number of inner-loop iterations per epoch.

    The answer is ``ceil(n_samples / batch_size)``: the last, partial batch counts
    (1000 samples, batch 4 → 250; 1010 samples, batch 20 → 51), as an ``int``
    (NumPy integers pass too).

    Parameters
    ----------
    fn : callable
        The student's function.
    time_limit : float, default 10
        Seconds for the student's code.

    Returns
    -------
    Report
        Codes: ``floor_not_ceil``, ``float_division``, ``rounds``, ``extra_batch``,
        ``args_swapped``, ``times_epochs``, ``float_not_int`` (250.0 instead of
        250), ``wrong_value``; ``not_callable``, ``raises``, ``timeout``,
        ``wrong_type``.  Each concerns the first call it shows in, e.g. ``fn(1010, 20)``.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.

    Notes
    -----
    Used in homework 1-3 (「检查你的答案」).

    Examples
    --------
    >>> iterations(lambda n, b: -(-n // b)).passed
    True
    >>> report = iterations(lambda n, b: n // b)
    >>> report.codes, report.concerning("floor_not_ceil")
    (('floor_not_ceil',), ('fn(1010, 20)',))
    """
    return run_check("iterations", time_limit, lambda c, f, d: _check(fn, c, f, d))


def _check(
    fn: Callable[..., Any], caller: Caller, findings: list[Finding], details: list[str]
) -> None:
    need_callable(fn, "fn(n_samples, batch_size)")
    answers: list[float] = []
    returned: list[Any] = []
    for n, b in PROBES:
        where = probe_text((n, b))
        value = caller.value(fn, n, b, what=where, concerns=(where,))
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            findings.append(
                Finding(
                    "wrong_type", (where,), f"{where} 应返回一个整数，得到的是 {shown(value)}。"
                )
            )
            return
        integral_float = not isinstance(value, numbers.Integral) and float(value).is_integer()
        if integral_float and not any(f.code == "float_not_int" for f in findings):
            findings.append(
                Finding(
                    "float_not_int",
                    (where,),
                    f"{where} 返回了浮点数 {value!r}：迭代次数是整数，range({value!r}) 会报错。用 "
                    "math.ceil（返回 int）或 int(...)；np.ceil 返回的是浮点数。",
                )
            )
        answers.append(float(value))
        returned.append(value)
    right = [math.ceil(n / b) for n, b in PROBES]
    shown_calls = zip(PROBES[:3], returned[:3], strict=True)
    details.append("、".join(f"{probe_text(p)} = {shown(a)}" for p, a in shown_calls))
    if answers == right:
        return
    first = next(i for i, (a, r) in enumerate(zip(answers, right, strict=True)) if a != r)
    where = probe_text(PROBES[first])
    for code, formula, message in _WRONG:
        if all(a == formula(n, b) for a, (n, b) in zip(answers, PROBES, strict=True)):
            if code == "float_division":  # says it already
                findings[:] = [f for f in findings if f.code != "float_not_int"]
            findings.append(Finding(code, (where,), message))
            return
    findings.append(
        Finding(
            "wrong_value",
            (where,),
            f"{where} 返回了 {answers[first]:g}，应为 {right[first]}：每个 epoch 的内层循环次数是 "
            "ceil(n_samples / batch_size)，最后一个不满的批次也算一次。",
        )
    )
