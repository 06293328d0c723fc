"""``check.linear_model``: the course's one-layer ``Network`` (homework 1-1 to 1-3)."""

from __future__ import annotations

import numpy as np

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
from ._params import LINEAR, find_params, installed, probe_size
from ._report import Finding, Report

__all__ = ["linear_model"]


def linear_model(net: object, *, time_limit: float = 20.0) -> Report:
    """Check a linear model written in the course's ``Network`` convention.

    The course's network has attributes ``w`` ``(13, 1)`` and ``b``, ``forward(x)``,
    ``loss(z, y)`` and ``gradient(x, y)`` returning ``(gradient_w, gradient_b)``.
    Other spellings pass too: ``W``/``weight``, a ``params`` dict, ``loss(x, y)``, a
    dict of gradients, float32, loops.  The check puts values of its own in the
    parameters (and the student's back afterwards), runs ``forward``, ``loss`` and the
    gradient method on small data, and compares the gradient with centered
    differences of ``forward`` — the source is never read.

    Parameters
    ----------
    net : object
        The student's network instance.
    time_limit : float, default 20
        Seconds for all the calls of the student's code together.

    Returns
    -------
    Report
        Codes: ``half_mse`` (gradient of ½·MSE, loss MSE: the course's own code),
        ``not_averaged``, ``grad_sign``, ``grad_scale``, ``grad_wrong``, ``grad_shape``;
        ``loss_sum``, ``loss_divisor``, ``loss_broadcast``, ``loss_wrong``;
        ``param_shape``, ``pred_shape``, ``forward_wrong``, ``params_not_used``;
        ``params_not_found``, ``no_method``, ``raises``, ``timeout``, ``wrong_type``,
        ``wrong_shape``, ``not_finite``; warnings ``no_loss``, ``gradient_updates``.

    Raises
    ------
    TypeError, ValueError
        ``time_limit`` is not a positive number.  Nothing the student's code does raises.

    Notes
    -----
    Used in homework 1-1 to 1-3 (「检查你的答案」).

    Examples
    --------
    >>> class Right:
    ...     def __init__(self):
    ...         self.w, self.b = np.zeros((13, 1)), 0.0
    ...     def forward(self, x):
    ...         return x @ self.w + self.b
    ...     def loss(self, z, y):
    ...         return np.mean((z - y) ** 2)
    ...     def gradient(self, x, y):
    ...         d = 2 * (self.forward(x) - y) / len(x)
    ...         return x.T @ d, d.sum()
    >>> linear_model(Right()).passed
    True
    """
    return run_check("linear_model", time_limit, lambda c, f, d: _check(net, c, f, d))


def _check(net: object, caller: Caller, findings: list[Finding], details: list[str]) -> None:
    slots, missing = find_params(net, LINEAR)
    if missing:
        raise Stop(
            Finding(
                "params_not_found",
                tuple(missing),
                f"没有找到参数 {'、'.join(missing)}：检查按课程的约定找属性 w（形状 (13, 1)）和 b，"
                "也接受 W、weight、bias，以及 params 字典里的同名键。",
            )
        )
    w_shape, b_shape = slots["w"].shape, slots["b"].shape
    if len(w_shape) == 1 and w_shape[0] > 1:
        findings.append(
            Finding(
                "param_shape",
                ("w",),
                f"w 的形状是 {w_shape}，课程的约定是列向量 ({w_shape[0]}, 1)：一维的 w 让预测成为 "
                "(N,)，与 (N, 1) 的 y 相减会广播成 N×N。用 np.random.randn(13, 1) 这样的形状。",
            )
        )
    elif len(w_shape) != 2 or w_shape[1] != 1:
        raise Stop(
            Finding("param_shape", ("w",), f"w 的形状是 {w_shape}，应为 (特征数, 1)，如 (13, 1)。")
        )
    if int(np.prod(b_shape)) != 1:
        raise Stop(
            Finding(
                "param_shape", ("b",), f"b 应当是一个数（或形状 (1,)），得到的形状是 {b_shape}。"
            )
        )
    methods = find_methods(net)
    n_features = w_shape[0]
    rng = np.random.default_rng(1401)
    n1 = probe_size(n_features)
    n2 = probe_size(n_features, n1, start=n1 + 3)
    X1, y1 = rng.standard_normal((n1, n_features)), rng.standard_normal((n1, 1))
    X2, y2 = rng.standard_normal((n2, n_features)), rng.standard_normal((n2, 1))
    values = {"w": 0.5 * rng.standard_normal(w_shape), "b": 0.3 + np.zeros(b_shape)}
    with installed(slots, values):
        raw1, pred1, low_out = call_forward(caller, methods.forward, X1, findings)
        precision = Precision(low_out or any(s.dtype == np.float32 for s in slots.values()))
        w = slots["w"].current().reshape(n_features, 1)
        expected = X1 @ w + float(slots["b"].current().reshape(()))
        scale = max(1.0, float(np.max(np.abs(expected))))
        gap = float(np.max(np.abs(pred1 - expected)))
        if not precision.low and gap <= Precision(True).forward_rtol * scale:
            precision = Precision(gap > precision.forward_rtol * scale)  # float32 inside forward
        if gap > precision.forward_rtol * scale:
            raise Stop(
                forward_mismatch(
                    caller,
                    methods.forward,
                    X1,
                    pred1,
                    slots,
                    f"forward(x) 不等于 x @ w + b（w 取自 {slots['w'].label}）："
                    "检查在参数里放了自己选的值，算出的预测与 x @ w + b 不同。线性模型的预测是 "
                    "np.dot(x, self.w) + self.b。",
                )
            )
        half = False
        if methods.loss is None:
            findings.append(
                Finding(
                    "no_loss",
                    ("loss",),
                    "没有 loss 方法：按 MSE 检查梯度。课程的 Network 有 loss(z, y)。",
                    "warning",
                )
            )
        else:
            raw2 = caller.value(methods.forward, X2, what="forward(x)", concerns=("forward",))
            factor, loss_finding = loss_scale(
                caller, methods.loss, [(X1, y1, raw1), (X2, y2, raw2)], precision.forward_rtol * 10
            )
            half = factor == 0.5
            if loss_finding is not None:
                findings.append(loss_finding)
            details.append(f"损失：{'½·MSE' if half else 'MSE'}")
        grads, _ = student_grads(caller, net, methods, X1, y1, slots, LINEAR, findings)
        label = f"{methods.gradient_name}(x, y)"
        if not check_grad_shapes(grads, slots, label, findings):
            return  # a gradient of the wrong size cannot be compared
        numeric = target_grads(
            caller, methods.forward, X1, y1, 0.5 if half else 1.0, slots, precision.step
        )
        found, detail = compare_blocks(
            grads,
            numeric,
            candidates={},
            messages={},
            n_samples=n1,
            half_loss=half,
            tol=precision.grad_tol,
            noise=precision.noise(float(np.mean((pred1 - y1) ** 2))),
        )
        findings += found
        details.append(detail)
