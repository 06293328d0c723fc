"""``check.two_layer``: a hand-written two-layer network (homework 1-4, 图14).

Every mistake of :mod:`dlhomework.mistakes` has a signature that running the
network reveals: a ``b1`` shaped like a weight column (seen in the shapes, even
when ``D = H`` lets it broadcast); a forward pass equal to two linear maps (no
activation); a ``W1`` gradient equal to a formula that skips ``W2`` and/or the
activation's derivative; a ``b1`` gradient equal to ``db2`` in every entry; every
block exactly half the right one (relative error 1/3: the ½·MSE slip).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..activations import ACTIVATIONS
from ._calls import Caller, Stop, run_check
from ._gradients import compare_blocks, loss_scale
from ._nets import (
    Precision,
    call_forward,
    check_grad_shapes,
    find_methods,
    forward_mismatch,
    student_grads,
    target_grads,
)
from ._params import TWO_LAYER, Slot, find_params, installed, probe_size
from ._report import Finding, Report

__all__ = ["two_layer"]

Array = NDArray[np.float64]

# The derivative written as a function of the activation's *output*: right at a1, wrong at z1.
_FROM_OUTPUT: dict[str, Callable[[Array], Array]] = {
    "sigmoid": lambda a: a * (1.0 - a),
    "tanh": lambda a: 1.0 - a * a,
    "relu": lambda a: (a > 0).astype(np.float64),
    "identity": np.ones_like,
}

MESSAGES = {
    "skip_layer_W1": (
        "{names} 的梯度跳过了 W2 和激活函数的导数：像线性模型那样把输出误差直接乘 x（x.T @ dpred，"
        "每个隐藏单元都一样）。链式法则要经过第二层和激活函数：dz1 = (dpred @ W2.T) * act'(z1)，"
        "dW1 = x.T @ dz1。"
    ),
    "no_activation_grad": (
        "{names} 的梯度漏了激活函数的导数：用了 dz1 = dpred @ W2.T，少乘 act'(z1)（sigmoid 的是 "
        "a1 * (1 − a1)）。改为 dz1 = (dpred @ W2.T) * act'(z1)。"
    ),
    "skip_W2": (
        "{names} 的梯度没有经过 W2：输出误差 dpred 直接乘了激活函数的导数。第一层的误差是 dz1 = "
        "(dpred @ W2.T) * act'(z1)，不能少了 @ W2.T。"
    ),
    "activation_grad_wrong": (
        "{names} 的梯度里激活函数的导数求错了地方：导数要在第一层的输入 z1 处求值（sigmoid："
        "σ(z1)(1 − σ(z1)) = a1 * (1 − a1)），不能把 a(1 − a) 这样的公式套在 z1 上，不能对 a1 "
        "再求一次 σ'，也不能用激活值 a1 本身代替导数。"
    ),
    "bias_from_layer2": (
        "{names} 的梯度取自第二层：每个隐藏单元都得到同一个值 db2 = sum(dpred)。"
        "第一层偏置的梯度是 dz1 按样本求和：db1 = dz1.sum(axis=0)，每个隐藏单元各不相同。"
    ),
    "dW2_uses_z1": (
        "{names} 的梯度用了激活之前的 z1（z1.T @ dpred）；第二层的输入是激活之后的 a1 = act(z1)："
        "dW2 = a1.T @ dpred。"
    ),
    "grad_transposed": (
        "{names} 的梯度转置了：应为 x.T @ dz1，形状 (D, H)；D = H 时转置不报错，但数值是错的。"
    ),
}


def two_layer(net: object, *, time_limit: float = 30.0) -> Report:
    """Check a two-layer network ``act(x @ W1 + b1) @ W2 + b2`` and its hand-written gradients.

    The network needs parameters ``W1`` ``(D, H)``, ``b1`` ``(H,)`` or ``(1, H)``,
    ``W2`` ``(H, 1)`` and ``b2`` — attributes in any case (``w1``, ``weight1``...) or
    entries of a ``params`` dict — a ``forward(x)`` and a gradient method
    (``gradient``, ``gradients`` or ``backward``) that takes ``(x, y)`` and returns
    the four gradients of the MSE as a dict or as a tuple in ``W1, b1, W2, b2``
    order.  A ``loss`` method, if there is one, may return the MSE or ½·MSE; the
    gradient must match it.  The activation (sigmoid, tanh, ReLU) is recognised
    from the forward pass; another one is allowed, only the diagnosis is coarser.

    Parameters
    ----------
    net : object
        The student's network instance; its parameters are replaced by values of
        the check's choosing during the check and put back afterwards.
    time_limit : float, default 30
        Seconds for all the calls of the student's code together.

    Returns
    -------
    Report
        Codes of :data:`dlhomework.mistakes.MISTAKES`: ``bias_shape``,
        ``skip_layer_W1``, ``no_activation``, ``no_activation_grad``,
        ``bias_from_layer2``, ``half_mse``; and ``skip_W2``,
        ``activation_grad_wrong``, ``dW2_uses_z1``, ``grad_transposed``,
        ``not_averaged``, ``grad_sign``, ``grad_scale``, ``grad_wrong``,
        ``grad_shape``, ``grad_order``, ``param_shape``, ``pred_shape``,
        ``params_not_used``, the loss codes of :func:`linear_model`, and
        ``params_not_found``, ``no_method``, ``raises``, ``timeout``,
        ``wrong_type``, ``wrong_shape``, ``not_finite``; warnings
        ``forward_unknown``, ``gradient_updates``.  Each finding names its blocks.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.

    Notes
    -----
    Used in homework 1-4 (「检查你的答案」).

    Examples
    --------
    >>> from dlhomework.mistakes import SkipLayerW1Mistake
    >>> from dlhomework.models import TwoLayerNet
    >>> two_layer(TwoLayerNet(13, 13, rng=0)).passed
    True
    >>> report = two_layer(SkipLayerW1Mistake(13, 13, rng=0))
    >>> report.codes, report.concerning("skip_layer_W1")
    (('skip_layer_W1',), ('W1',))
    """
    return run_check("two_layer", time_limit, lambda c, f, d: _check(net, c, f, d))


def _shapes(slots: Mapping[str, Slot], findings: list[Finding]) -> tuple[int, int]:
    """``(D, H)`` from ``W1``; findings for the other shapes (stop when nothing can run)."""
    W1, b1, W2, b2 = (slots[k].shape for k in TWO_LAYER)
    if len(W1) != 2:
        raise Stop(
            Finding(
                "param_shape",
                ("W1",),
                f"W1 的形状是 {W1}，应为 (输入数 D, 隐藏单元数 H)，如 (13, 13)。",
            )
        )
    D, H = W1
    if W2 == (H,) and H > 1:
        findings.append(
            Finding(
                "param_shape",
                ("W2",),
                f"W2 的形状是 {W2}，应为 ({H}, 1)：一维的 W2 让预测成为 (N,)，与 (N, 1) 的 y "
                "相减会广播成 N×N。",
            )
        )
    elif W2 != (H, 1):
        raise Stop(Finding("param_shape", ("W2",), f"W2 的形状是 {W2}，应为 (H, 1) = ({H}, 1)。"))
    if b1 in ((D, 1), (H, 1)) and H > 1:
        if D == H:
            why = (
                f"这里 D = H = {H}，x @ W1 + b1.T 恰好能广播，错误被掩盖；"
                "隐藏单元数一改就会报错或算错。"
            )
        else:
            why = (
                f"这里 D = {D} ≠ H = {H}，x @ W1 + b1.T 无法广播"
                "（D = H 时它恰好能运行，错误被掩盖）。"
            )
        findings.append(
            Finding(
                "bias_shape",
                ("b1",),
                f"b1 的形状是 {b1}（像线性模型的权重列），应为 ({H},)（或 (1, {H})）："
                f"每个隐藏单元一个偏置。{why}改为 np.zeros(n_hidden)。",
            )
        )
    elif b1 not in ((H,), (1, H)):
        raise Stop(Finding("param_shape", ("b1",), f"b1 的形状是 {b1}，应为 ({H},) 或 (1, {H})。"))
    if int(np.prod(b2)) != 1:
        raise Stop(
            Finding("param_shape", ("b2",), f"b2 应当只有一个数（形状 (1,)），得到的形状是 {b2}。")
        )
    return D, H


def _data(
    rng: np.random.Generator, n: int, D: int, values: Mapping[str, Array]
) -> tuple[Array, Array]:
    """``X (n, D)``, ``y (n, 1)`` whose hidden pre-activations have both signs, none near 0.

    Both signs tell ReLU from the identity; no value near 0 keeps the finite
    differences away from ReLU's kink.
    """
    W1, b1 = values["W1"], values["b1"]
    b1 = b1.reshape(1, -1) if b1.size == W1.shape[1] else np.zeros((1, W1.shape[1]))
    for _ in range(1000):
        X = rng.standard_normal((n, D))
        z1 = X @ W1 + b1
        if np.min(np.abs(z1)) > 2e-2 and np.any(z1 < 0) and np.any(z1 > 0):
            break
    return X, rng.standard_normal((n, 1))


def _check(net: object, caller: Caller, findings: list[Finding], details: list[str]) -> None:
    slots, missing = find_params(net, TWO_LAYER)
    if missing:
        raise Stop(
            Finding(
                "params_not_found",
                tuple(missing),
                f"没有找到参数 {'、'.join(missing)}：检查找属性 W1、b1、W2、b2（大小写不限，也接受 "
                "weight1、bias1 等），或 params 字典里的同名键。",
            )
        )
    D, H = _shapes(slots, findings)
    methods = find_methods(net)
    rng = np.random.default_rng(1404)
    n1 = probe_size(D, H)
    n2 = probe_size(D, H, n1, start=n1 + 3)
    values = {
        "W1": rng.standard_normal((D, H)) * (1.5 / np.sqrt(D)),
        "b1": 0.5 * rng.standard_normal(slots["b1"].shape),
        "W2": rng.standard_normal(slots["W2"].shape) / np.sqrt(H),
        "b2": 0.2 + np.zeros(slots["b2"].shape),
    }
    X, y = _data(rng, n1, D, values)
    X2, y2 = _data(rng, n2, D, values)
    with installed(slots, values):
        try:
            raw, pred, low_out = call_forward(caller, methods.forward, X, findings)
        except Stop as stop:
            if any(f.code == "bias_shape" for f in findings):
                details.append(f"forward 因 b1 的形状而失败：{stop.finding.message}")
                return
            raise
        precision = Precision(low_out or any(s.dtype == np.float32 for s in slots.values()))
        p = {k: slots[k].current() for k in TWO_LAYER}
        if p["b1"].size != H:  # b1 (D, 1) with D != H, yet forward ran: nothing to compare with
            raise Stop(next(f for f in findings if f.code == "bias_shape"))
        W1, b1, W2, b2 = p["W1"], p["b1"].reshape(1, -1), p["W2"].reshape(H, 1), p["b2"].reshape(())
        act = _activation(X @ W1 + b1, W2, b2, pred, precision.forward_rtol)
        if act is None and not precision.low:  # perhaps float32 inside forward
            act = _activation(X @ W1 + b1, W2, b2, pred, Precision(True).forward_rtol)
            precision = Precision(act is not None)
        if act is None:
            found = forward_mismatch(caller, methods.forward, X, pred, slots, "")
            if found.code == "params_not_used":
                raise Stop(found)
            findings.append(
                Finding(
                    "forward_unknown",
                    ("forward",),
                    "forward 的输出与 act(x @ W1 + b1) @ W2 + b2（act 为 sigmoid、tanh、ReLU "
                    "或恒等）都不相符：也许用了别的激活函数或结构。梯度仍用有限差分核对，"
                    "但无法指出是哪一种常见错误。",
                    "warning",
                )
            )
        else:
            details.append(f"激活函数：{act}（由 forward 的输出识别）")
        if act == "identity":
            findings.append(
                Finding(
                    "no_activation",
                    ("forward",),
                    "forward 是两次线性变换而没有激活函数：(x W1 + b1) W2 + b2 = x (W1 W2) + (b1 "
                    "W2 + b2) 仍是一个线性模型，第二层白加了，学不到非线性。在隐藏层后加 sigmoid、"
                    "tanh 或 ReLU：a1 = act(x @ W1 + b1)。（梯度本身可能是对的。）",
                )
            )
        half = False
        if methods.loss is not None:
            raw2 = caller.value(methods.forward, X2, what="forward(x)", concerns=("forward",))
            factor, loss_finding = loss_scale(
                caller, methods.loss, [(X, y, raw), (X2, y2, raw2)], precision.forward_rtol * 10
            )
            half = factor == 0.5
            if loss_finding is not None:
                findings.append(loss_finding)
        grads, positional = student_grads(caller, net, methods, X, y, slots, TWO_LAYER, findings)
        label = f"{methods.gradient_name}(x, y)"
        if positional:
            grads = _reorder(grads, slots, label, findings)
        if not check_grad_shapes(grads, slots, label, findings):
            return
        numeric = target_grads(
            caller, methods.forward, X, y, 0.5 if half else 1.0, slots, precision.step
        )
        candidates = {} if act is None else _candidates(act, X, y, W1, b1, W2, b2, half, numeric)
        found_blocks, detail = compare_blocks(
            grads,
            numeric,
            candidates=candidates,
            messages=MESSAGES,
            n_samples=n1,
            half_loss=half,
            tol=precision.grad_tol,
            noise=precision.noise(float(np.mean((pred - y) ** 2))),
        )
        findings += found_blocks
        details.append(detail)


def _activation(z1: Array, W2: Array, b2: Array, pred: Array, rtol: float) -> str | None:
    """The activation whose forward pass reproduces ``pred``, if any."""
    for name, (f, _) in ACTIVATIONS.items():
        ref = np.asarray(f(z1), dtype=np.float64) @ W2 + b2
        if np.max(np.abs(ref - pred)) <= rtol * max(1.0, float(np.max(np.abs(ref)))):
            return name
    return None


def _reorder(
    grads: dict[str, Any], slots: Mapping[str, Slot], label: str, findings: list[Finding]
) -> dict[str, Any]:
    """Gradients returned by position in another order than W1, b1, W2, b2: put them right."""

    def fits(name: str, g: Array) -> bool:
        shape = slots[name].shape
        return g.shape == shape if name.startswith("W") else g.size == max(1, int(np.prod(shape)))

    names = list(TWO_LAYER)
    if all(fits(n, grads[n]) for n in names):
        return grads
    arrays = [grads[n] for n in names]
    for order in itertools.permutations(range(4)):
        if all(fits(n, arrays[i]) for n, i in zip(names, order, strict=True)):
            got = ", ".join(f"d{names[order.index(k)]}" for k in range(4))
            findings.append(
                Finding(
                    "grad_order",
                    tuple(names),
                    f"{label} 按 ({got}) 的顺序返回梯度；约定的顺序是 (dW1, db1, dW2, db2)，"
                    "或者返回以参数名为键的字典。",
                )
            )
            return {n: arrays[i] for n, i in zip(names, order, strict=True)}
    return grads


def _candidates(
    act: str,
    X: Array,
    y: Array,
    W1: Array,
    b1: Array,
    W2: Array,
    b2: Array,
    half: bool,
    numeric: Mapping[str, Array],
) -> dict[str, list[tuple[str, Array]]]:
    """The wrong gradients of the catalogued mistakes, computed at the check's point."""
    f, f_grad = ACTIVATIONS[act]
    z1 = X @ W1 + b1
    a1 = np.asarray(f(z1), dtype=np.float64)
    pred = a1 @ W2 + b2
    dpred = (1.0 if half else 2.0) * (pred - y) / len(X)  # (N, 1)
    da1 = dpred @ W2.T  # (N, H)
    dz = {
        "skip_layer_W1": np.repeat(dpred, W1.shape[1], axis=1),  # neither W2 nor act'
        "no_activation_grad": da1,  # no act'
        "skip_W2": dpred * np.asarray(f_grad(z1), dtype=np.float64),  # no W2
    }
    wrong_act = [
        da1 * np.asarray(f_grad(a1), dtype=np.float64),  # act' applied to the output
        da1 * _FROM_OUTPUT[act](z1),  # the output formula applied to the input
        da1 * a1,  # the activation itself instead of its derivative
    ]
    b1_shape = numeric["b1"].shape
    W1_cands = [(code, X.T @ d) for code, d in dz.items()]
    W1_cands += [("activation_grad_wrong", X.T @ d) for d in wrong_act]
    if W1.shape[0] == W1.shape[1]:
        W1_cands.append(("grad_transposed", numeric["W1"].T))
    b1_cands = [("bias_from_layer2", np.full(b1_shape, float(dpred.sum())))]
    b1_cands += [
        (code, d.sum(axis=0).reshape(b1_shape)) for code, d in dz.items() if code != "skip_layer_W1"
    ]
    b1_cands += [("activation_grad_wrong", d.sum(axis=0).reshape(b1_shape)) for d in wrong_act]
    W2_cands = [("dW2_uses_z1", (z1.T @ dpred).reshape(numeric["W2"].shape))]
    return {"W1": W1_cands, "b1": b1_cands, "W2": W2_cands}
