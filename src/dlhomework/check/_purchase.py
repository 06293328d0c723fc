"""``check.purchase``: the apples-and-oranges graph of 图13, forward and backward (homework 1-4)."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..graph import INPUTS
from ..graph import purchase as reference
from ._calls import Caller, Stop, need_callable, probe_text, run_check, shown
from ._params import normalized
from ._report import Finding, Report

__all__ = ["purchase"]

# The classic tax, the course's discount, and numbers no one would hard-code.
PROBES: tuple[tuple[float, ...], ...] = (
    (100, 2, 150, 3, 1.1),
    (100, 2, 150, 3, 0.9),
    (7.5, 4, 12.0, 6, 0.8),
)

_NAMES: dict[str, tuple[str, ...]] = {
    "apple_price": ("appleprice", "apple", "priceapple", "applepricegrad"),
    "apple_count": (
        "applecount",
        "applenum",
        "applenumber",
        "numapple",
        "apples",
        "applen",
        "napple",
        "applecnt",
    ),
    "orange_price": ("orangeprice", "orange", "priceorange"),
    "orange_count": (
        "orangecount",
        "orangenum",
        "orangenumber",
        "numorange",
        "oranges",
        "orangen",
        "norange",
        "orangecnt",
    ),
    "rate": ("rate", "tax", "discount", "taxrate", "discountrate"),
}
_OTHER = {
    "apple_price": "apple_count",
    "apple_count": "apple_price",
    "orange_price": "orange_count",
    "orange_count": "orange_price",
}


def purchase(fn: Callable[..., Any], *, time_limit: float = 10.0) -> Report:
    """Check ``fn(apple_price, apple_count, orange_price, orange_count, rate) -> (total, grads)``.

    ``total = (apple_price·apple_count + orange_price·orange_count)·rate`` and
    ``grads`` holds ``d total / d input`` for the five inputs: a dict (keys such as
    ``apple_price``/``dapple``/``apple_num``/``tax``, or any five keys in input
    order) or a sequence in input order.  :func:`dlhomework.graph.purchase` itself
    (which returns a :class:`~dlhomework.graph.Purchase`) passes too.

    Parameters
    ----------
    fn : callable
        The student's function.
    time_limit : float, default 10
        Seconds for the student's code.

    Returns
    -------
    Report
        Codes: ``mul_grad_swapped`` (a multiplication node passing back its own
        input instead of the other one), ``missing_upstream`` (the upstream gradient
        ``rate`` not multiplied in), ``ignores_inputs`` (right only for the
        textbook's numbers), ``total_missing_rate``, ``total_wrong``,
        ``grad_wrong``; ``not_callable``, ``raises``, ``timeout``, ``wrong_type``.
        Gradient findings concern the inputs (``apple_price``…), total findings ``total``.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.

    Notes
    -----
    Used in homework 1-4 (「检查你的答案」).

    Examples
    --------
    >>> from dlhomework import graph
    >>> purchase(graph.purchase).passed
    True
    >>> # each multiplication node passes back its own input
    >>> def swapped(ap, ac, op, oc, rate):
    ...     total = ap * ac + op * oc
    ...     grads = (ap * rate, ac * rate, op * rate, oc * rate, total)
    ...     return total * rate, grads
    >>> report = purchase(swapped)
    >>> report.codes
    ('mul_grad_swapped',)
    >>> report.concerning("mul_grad_swapped")[:2]
    ('apple_price', 'apple_count')
    >>> report.concerning("mul_grad_swapped")[2:]
    ('orange_price', 'orange_count')
    """
    return run_check("purchase", time_limit, lambda c, f, d: _check(fn, c, f, d))


def _number(value: Any, what: str) -> float:
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Stop(
            Finding("wrong_type", (what,), f"{what} 应当是一个数，得到的是 {shown(value)}。")
        )
    return float(value)


def _grads(value: Any, where: str) -> dict[str, float]:
    if isinstance(value, Mapping):
        named: dict[str, Any] = {}
        for key, item in value.items():
            norm = normalized(key)
            for name, aliases in _NAMES.items():
                if norm in aliases or (norm.startswith("d") and norm[1:] in aliases):
                    named.setdefault(name, item)
        if len(named) < len(INPUTS) and len(value) == len(INPUTS):
            named = dict(zip(INPUTS, value.values(), strict=True))  # five keys in input order
        if len(named) < len(INPUTS):
            raise Stop(
                Finding(
                    "wrong_type",
                    ("grads",),
                    f"{where} 的梯度字典缺少 {'、'.join(n for n in INPUTS if n not in named)}（键："
                    f"{shown(list(value))}）：请以输入名为键，如 apple_price、apple_count、rate。",
                )
            )
        return {n: _number(named[n], f"d total / d {n}") for n in INPUTS}
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == len(INPUTS):
        return {n: _number(v, f"d total / d {n}") for n, v in zip(INPUTS, value, strict=True)}
    raise Stop(
        Finding(
            "wrong_type",
            ("grads",),
            f"{where} 的梯度应当是 5 个数（按输入顺序的元组，或以输入名为键的字典），得到的是 "
            f"{shown(value)}。",
        )
    )


def _check(
    fn: Callable[..., Any], caller: Caller, findings: list[Finding], details: list[str]
) -> None:
    need_callable(fn, "fn(apple_price, apple_count, orange_price, orange_count, rate)")
    totals: list[float] = []
    grads: list[dict[str, float]] = []
    for probe in PROBES:
        where = probe_text(probe)
        value = caller.value(fn, *probe, what=where, concerns=("fn",))
        if hasattr(value, "total") and hasattr(value, "grads"):
            total, grad = value.total, value.grads
        elif isinstance(value, tuple | list) and len(value) == 2:
            total, grad = value
        else:
            raise Stop(
                Finding(
                    "wrong_type",
                    ("fn",),
                    f"{where} 应返回 (total, grads)，得到的是 {shown(value)}。",
                )
            )
        totals.append(_number(total, "total"))
        grads.append(_grads(grad, where))
    refs = [reference(*probe) for probe in PROBES]
    first = refs[0]
    details.append(
        f"{probe_text(PROBES[0])}：total = {totals[0]:g}（应为 {first.total:g}），梯度 "
        + "，".join(f"{n} {grads[0][n]:g}" for n in INPUTS)
    )

    def same(got: Sequence[float], want: Sequence[float]) -> bool:
        return all(abs(g - w) <= 1e-9 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True))

    wrong: dict[str, list[str]] = {}
    right_total = [r.total for r in refs]
    if not same(totals, right_total):
        if same(totals[:1], right_total[:1]):
            wrong["ignores_inputs"] = ["total"]
        elif same(totals, [r.values["subtotal"] for r in refs]):
            findings.append(
                Finding(
                    "total_missing_rate",
                    ("total",),
                    "total 没有乘 rate：total = (苹果总价 + 橘子总价) × rate。",
                )
            )
        else:
            findings.append(
                Finding(
                    "total_wrong",
                    ("total",),
                    f"total 算错了：{probe_text(PROBES[0])} 应为 {first.total:g}，得到 "
                    f"{totals[0]:g}。",
                )
            )
    for name in INPUTS:
        got = [g[name] for g in grads]
        if same(got, [r.grads[name] for r in refs]):
            continue
        if same(got[:1], [refs[0].grads[name]]):
            wrong.setdefault("ignores_inputs", []).append(name)
        elif name in _OTHER and same(got, [r.values[name] * r.values["rate"] for r in refs]):
            wrong.setdefault("mul_grad_swapped", []).append(name)
        elif name in _OTHER and same(got, [r.values[_OTHER[name]] for r in refs]):
            wrong.setdefault("missing_upstream", []).append(name)
        else:
            wrong.setdefault("grad_wrong", []).append(name)
    for code, names in wrong.items():
        findings.append(_grad_finding(code, names, first))


def _hardcoded(concerns: tuple[str, ...]) -> Finding:
    return Finding(
        "ignores_inputs",
        concerns,
        f"{'、'.join(concerns)} 对课本的数字是对的，换一组输入 {probe_text(PROBES[2])} 就错了："
        "结果写死了，没有用传入的参数计算。",
    )


def _grad_finding(code: str, names: list[str], first: Any) -> Finding:
    if code == "ignores_inputs":
        return _hardcoded(tuple(names))
    where = "、".join(names)
    if code == "mul_grad_swapped":
        text = (
            f"{where} 的梯度用了自己的值：乘法节点 z = x·y 的反向传播要交换输入，∂z/∂x = y、∂z/∂y "
            "= x。所以 d total/d apple_price = apple_count × rate（= 2.2），而不是 apple_price × "
            "rate。"
        )
    elif code == "missing_upstream":
        text = (
            f"{where} 的梯度漏乘了上游传来的梯度 rate：链式法则里每个节点都要把 dout 乘进去，d "
            "total/d apple_price = dout × apple_count，dout = d total/d apple_total = rate。"
        )
    else:
        right = "，".join(f"{n} {first.grads[n]:g}" for n in names)
        text = (
            f"{where} 的梯度不对：{probe_text(PROBES[0])} 时应为 {right}。从 dtotal = 1 "
            "开始逐个节点反向计算。"
        )
    return Finding(code, tuple(names), text)
