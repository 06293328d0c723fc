"""Gradients by finite differences of a student's own forward pass, and the signatures of
wrong ones (homework 1-1 to 1-4).

The target is the gradient of the loss the student's ``loss`` method computes —
the MSE, or ½·MSE, which is equally right as long as the gradient matches it.  It
is measured with centered differences of the student's ``forward`` (float64 data,
their parameters replaced by values the check chose), so no assumption about
*how* they wrote the network enters.  A wrong gradient is then explained by its
signature: a constant factor (½: the ½·MSE slip; ``N``: no average over the
samples; −1: the sign), or a match with one of the wrong formulas a check offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calls import Bad, Caller, Stop, as_float_array, close, error_text
from ._params import Slot
from ._report import Finding

__all__ = [
    "as_scalar",
    "block_error",
    "compare_blocks",
    "fit_scale",
    "loss_scale",
    "numerical_grads",
    "scale_finding",
]

Array = NDArray[np.float64]


def numerical_grads(
    loss: Callable[[], float], slots: Mapping[str, Slot], h: float
) -> dict[str, Array]:
    """Centered differences of ``loss()`` with respect to every entry of every slot.

    Each entry is nudged to ``v ± h`` in the installed array (all places at once) and
    put back; the quotient uses the step actually stored (float32 rounds it).
    """
    grads: dict[str, Array] = {}
    for name, slot in slots.items():
        base = slot.current()
        grad = np.zeros(base.shape)
        for idx in np.ndindex(base.shape):
            v = float(base[idx])
            try:
                plus = slot.nudge(idx, v + h)
                f_plus = loss()
                minus = slot.nudge(idx, v - h)
                f_minus = loss()
            finally:
                slot.nudge(idx, v)
            grad[idx] = (f_plus - f_minus) / (plus - minus)
        grads[name] = grad
    return grads


def block_error(g: Array, n: Array, noise: float = 0.0) -> float:
    """Maximum relative error ``max |g - n| / (|g| + |n| + noise)`` over a block.

    As :func:`dlhomework.gradcheck.rel_error` (one wrong entry shows), except that
    ``noise``, the absolute error of the finite differences themselves, keeps entries
    that are nearly 0 from failing a right gradient.

    Examples
    --------
    The first entry is off by ``|1 - 0.5| / (1 + 0.5) = 1/3``; the
    second, ``1e-12`` against 0, is below the noise:

    >>> g, n = np.array([1.0, 0.0]), np.array([0.5, 1e-12])
    >>> round(block_error(g, n, noise=1e-9), 6)
    0.333333
    """
    return float(np.max(np.abs(g - n) / (np.abs(g) + np.abs(n) + noise + 1e-300)))


def fit_scale(g: Array, c: Array, noise: float = 0.0) -> tuple[float, float]:
    """The factor ``s`` that best maps ``c`` onto ``g``, and the remaining :func:`block_error`.

    Examples
    --------
    >>> s, rest = fit_scale(np.array([1.0, 2.0]), np.array([2.0, 4.0]))
    >>> s, rest
    (0.5, 0.0)
    """
    cc = float(np.vdot(c, c))
    if cc == 0.0:
        return 1.0, block_error(g, c, noise)
    s = float(np.vdot(g, c)) / cc
    return s, block_error(g, s * c, noise)


def scale_finding(
    s: float, blocks: Sequence[str], *, n_samples: int, half_loss: bool, rtol: float
) -> Finding | None:
    """The finding for gradients that are ``s`` times the right ones (None for ``s = 1``).

    ``half_loss``: the student's loss is ½·MSE (so the right gradient is that of ½·MSE).

    Examples
    --------
    >>> kw = dict(n_samples=6, half_loss=False, rtol=1e-4)
    >>> scale_finding(0.5, ["W1"], **kw).code
    'half_mse'
    >>> scale_finding(6.0, ["w"], **kw).code
    'not_averaged'
    """
    where = tuple(blocks)
    names = "、".join(blocks)
    if close(s, 1.0, rtol):
        return None
    if not half_loss and close(s, 0.5, rtol):
        return Finding(
            "half_mse",
            where,
            f"{names} 的梯度恰好是损失梯度的一半（每块相对误差 1/3）：损失是 MSE = mean((pred − "
            "y)²)，梯度却是 ½·MSE 的，少了因子 2。改法：反向传播从 dpred = 2·(pred − y)/N 开始，"
            "或者让损失返回 ½·MSE。（课程的 Network 也这样写：训练仍会下降，只是等于学习率减半。）",
        )
    if half_loss and close(s, 2.0, rtol):
        return Finding(
            "half_mse",
            where,
            f"损失返回 ½·MSE，{names} 的梯度却是 MSE 的（大了 2 倍）：两者要一致——反向传播从 dpred "
            "= (pred − y)/N 开始，或者让损失返回 MSE。",
        )
    if close(s, -1.0, rtol):
        return Finding(
            "grad_sign",
            where,
            f"{names} 的梯度符号反了（正好是正确值的 −1 倍）：误差应为 pred − y 而不是 y − pred，"
            "否则“梯度下降”会让损失变大。",
        )
    if any(close(s, k * n_samples, rtol) for k in (1.0, 0.5, 2.0)):
        return Finding(
            "not_averaged",
            where,
            f"{names} 的梯度是正确值的 {s:.6g} 倍（检查用的样本数 N = {n_samples}）："
            "对样本求和后没有除以 N。损失对样本取平均，梯度也要除以 N（用 np.mean，或 / N）。",
        )
    return Finding(
        "grad_scale",
        where,
        f"{names} 的梯度方向对，但大小是正确值的 {s:.6g} 倍：检查求导时的常数因子。",
    )


def as_scalar(value: Any, what: str) -> float:
    """``value`` (a float, a NumPy scalar, a size-1 array) as a float; :class:`Bad` otherwise."""
    arr = as_float_array(value, what)
    if arr.size != 1:
        raise Bad(f"{what} 应当是一个数，得到的是形状 {arr.shape} 的数组")
    return float(arr.reshape(()))


def _mse(pred: Array, y: Array) -> float:
    return float(np.mean((pred.reshape(-1, 1) - y) ** 2))


def loss_scale(
    caller: Caller,
    loss: Callable[..., Any],
    batches: Sequence[tuple[Array, Array, Any]],
    rtol: float,
) -> tuple[float, Finding | None]:
    """Which loss the student's ``loss`` computes: ``(1.0, None)`` for the MSE,
    ``(0.5, None)`` for ½·MSE, or ``(1.0, finding)`` for something else.

    Parameters
    ----------
    caller : Caller
    loss : callable
        Called as ``loss(pred, y)`` (the course's convention) and, if that raises or
        gives no known loss, as ``loss(X, y)`` (the book's).
    batches : sequence of (X, y, pred)
        Two batches of different sizes; ``pred`` is the student's forward output.
    rtol : float
        Relative tolerance.
    """
    X, y, pred = batches[0]
    p = as_float_array(pred, "forward 的输出")
    m = _mse(p, y)
    tried: list[tuple[str, float]] = []
    errors: list[BaseException] = []
    for label, args in (("loss(pred, y)", (pred, y)), ("loss(x, y)", (X, y))):
        outcome = caller.call(loss, *args)
        if outcome.timed_out:
            raise Stop(caller.failure(outcome, label, ("loss",)))
        if outcome.error is not None:
            errors.append(outcome.error)
            continue
        try:
            v = as_scalar(outcome.value, f"{label} 的返回值")
        except Bad as bad:
            raise Stop(Finding("wrong_type", ("loss",), str(bad))) from None
        if close(v, m, rtol):
            return 1.0, None
        if close(v, m / 2, rtol):
            return 0.5, None
        tried.append((label, v))
    if not tried:
        return 1.0, Finding(
            "raises",
            ("loss",),
            "loss 无论以 loss(pred, y) 还是 loss(x, y) 调用都抛出异常"
            f"（{error_text(errors[0])}）。",
        )
    label, v = tried[0]
    n = len(y)
    broadcast = float(np.mean((p.reshape(1, -1) - y.reshape(-1, 1)) ** 2))
    if close(v, n * m, rtol) or close(v, n * m / 2, rtol):
        code, text = "loss_sum", f"是平方误差之和（{v:.6g} = N × MSE，N = {n}），没有除以样本数 N"
    elif p.ndim == 1 and any(close(v, k * broadcast, rtol) for k in (1.0, 0.5, n, n / 2)):
        code, text = (
            "loss_broadcast",
            (
                f"把形状 {p.shape} 的预测与 (N, 1) 的 y 相减，广播成了 N×N 的矩阵（得到 {v:.6g}）；"
                "先把预测变成 (N, 1)"
            ),
        )
    else:
        code, text = "loss_wrong", f"等于 {v:.6g}，而 MSE 是 {m:.6g}（½·MSE 是 {m / 2:.6g}）"
        if len(batches) > 1:
            X2, y2, pred2 = batches[1]
            out2 = caller.call(loss, pred2 if label == "loss(pred, y)" else X2, y2)
            if out2.ok:
                try:
                    v2 = as_scalar(out2.value, "loss")
                except Bad:
                    v2 = float("nan")
                s1 = n * m / v if v else 0.0  # sum of squares / loss: the divisor K
                s2 = len(y2) * _mse(as_float_array(pred2, "forward 的输出"), y2) / v2 if v2 else 0.0
                if s1 > 0 and close(s1, s2, rtol):
                    code, text = (
                        "loss_divisor",
                        (
                            f"总是除以同一个数（平方误差之和 / 损失 ≈ {s1:.6g}），"
                            f"而不是这一批的样本数 N（N = {n} 和 {len(y2)} 时都一样）"
                        ),
                    )
    return 1.0, Finding(
        code,
        ("loss",),
        f"{label} {text}。损失应为 MSE = mean((pred − y)²)（或 ½·MSE），对每一批都除以它自己的 N。",
    )


def compare_blocks(
    grads: Mapping[str, Array],
    numeric: Mapping[str, Array],
    *,
    candidates: Mapping[str, Sequence[tuple[str, Array]]],
    messages: Mapping[str, str],
    n_samples: int,
    half_loss: bool,
    tol: float,
    noise: float,
) -> tuple[list[Finding], str]:
    """Diagnose every block of the student's gradient against the numerical one.

    A block is right when its :func:`block_error` is below ``tol``, with a floor of
    ``noise`` (the finite differences' own error) or 1e-3 of the block's largest entry,
    whichever is larger: an entry a thousand times smaller than the largest is judged
    by its absolute error (where the differences' truncation error shows), and a wrong
    entry still shows unless it is a million times smaller than the largest.  A wrong
    block is explained by the first of ``[("ok", numeric)] + candidates[block]``
    that some factor maps onto it within ``tol``; the factor, if not 1, is a
    finding of its own (:func:`scale_finding`).  ``messages[code]`` is the Chinese
    text of a candidate's finding, with ``{names}`` for the blocks concerned.

    Returns
    -------
    findings : list of Finding
        One per candidate code and one per kind of factor, each naming its blocks.
    detail : str
        The maximum relative error of every block.
    """
    errors: dict[str, float] = {}
    by_code: dict[str, list[str]] = {}
    by_scale: dict[str, list[tuple[str, float]]] = {}
    unexplained: list[str] = []
    for name, n in numeric.items():
        g = grads[name].reshape(n.shape)
        floor = max(noise, 1e-3 * float(np.max(np.abs(n))))
        errors[name] = block_error(g, n, floor)
        if errors[name] <= tol:
            continue
        for code, c in [("ok", n), *candidates.get(name, ())]:
            s, rest = fit_scale(g, c, floor)
            if rest <= tol and s != 0.0:
                if code != "ok":
                    by_code.setdefault(code, []).append(name)
                found = scale_finding(
                    s, [name], n_samples=n_samples, half_loss=half_loss, rtol=tol * 10
                )
                if found is not None:
                    by_scale.setdefault(found.code, []).append((name, s))
                break
        else:
            unexplained.append(name)
    findings = [
        Finding(code, tuple(names), messages[code].format(names="、".join(names)))
        for code, names in by_code.items()
    ]
    for pairs in by_scale.values():
        blocks = [name for name, _ in pairs]
        found = scale_finding(
            pairs[0][1], blocks, n_samples=n_samples, half_loss=half_loss, rtol=tol * 10
        )
        if found is not None:
            findings.append(found)
    for name in unexplained:
        findings.append(
            Finding(
                "grad_wrong",
                (name,),
                f"{name} 的梯度与数值梯度不符（最大相对误差 {errors[name]:.2g}，正确时应小于 "
                f"{tol:g}），也不像任何一种常见错误：请对照链式法则逐步检查这一块的推导和形状。",
            )
        )
    detail = "梯度的最大相对误差（与有限差分比较）：" + "，".join(
        f"{name} {e:.1e}" for name, e in errors.items()
    )
    return findings, detail
