"""What the linear-model and two-layer checks share: a student's network, found, probed
and differentiated numerically.

The steps, each of which may end the check with a finding (:class:`~._calls.Stop`):
find the methods; call ``forward`` on the check's data and insist on an ``(N, 1)``
array of finite numbers; ask the gradient method for its gradients and insist on
one finite array per parameter, shaped like it; and measure the right gradient
with centered differences of ``forward``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calls import Bad, Caller, Stop, as_float_array, shown
from ._gradients import numerical_grads
from ._params import Slot, find_method, grads_by_name, stored_grads
from ._report import Finding

__all__ = [
    "FORWARD",
    "GRADIENT",
    "LOSS",
    "Methods",
    "Precision",
    "call_forward",
    "check_grad_shapes",
    "find_methods",
    "forward_mismatch",
    "student_grads",
    "target_grads",
]

Array = NDArray[np.float64]

FORWARD = ("forward", "predict", "__call__")
GRADIENT = ("gradient", "gradients", "backward", "grad", "compute_gradient", "compute_gradients")
LOSS = ("loss", "compute_loss", "cost")


@dataclass(frozen=True)
class Methods:
    """The student's ``forward``, gradient method and (optional) ``loss``."""

    forward: Callable[..., Any]
    gradient: Callable[..., Any]
    gradient_name: str
    loss: Callable[..., Any] | None


def find_methods(net: object) -> Methods:
    """The methods of ``net``; :class:`Stop` with ``no_method`` if forward or gradient lacks."""
    forward = find_method(net, FORWARD)
    gradient = find_method(net, GRADIENT)
    loss = find_method(net, LOSS)
    lacking = [
        what for what, found in (("forward", forward), ("gradient", gradient)) if found is None
    ]
    if forward is None or gradient is None:
        raise Stop(
            Finding(
                "no_method",
                tuple(lacking),
                f"{shown(net, 60)} 没有方法 {' 和 '.join(lacking)}：检查需要 forward(x) 返回预测，"
                f"以及一个梯度方法（{' / '.join(GRADIENT[:3])}）以 (x, y) 为参数返回各参数的梯度。",
            )
        )
    return Methods(forward[1], gradient[1], gradient[0], loss[1] if loss else None)


@dataclass(frozen=True)
class Precision:
    """Tolerances: float64 throughout, or float32 somewhere (parameters or outputs)."""

    low: bool

    @property
    def forward_rtol(self) -> float:
        return 1e-5 if self.low else 1e-9

    @property
    def grad_tol(self) -> float:
        """Maximum relative error of a right gradient block."""
        return 2e-2 if self.low else 1e-6

    @property
    def step(self) -> float:
        """Finite-difference step."""
        return 1e-3 if self.low else 1e-5

    def noise(self, loss: float) -> float:
        """Absolute error of a centered difference of ``loss``: rounding over the step, ×100."""
        eps = float(np.finfo(np.float32 if self.low else np.float64).eps)
        return 100.0 * eps * max(abs(loss), 1.0) / self.step


def call_forward(
    caller: Caller, forward: Callable[..., Any], X: Array, findings: list[Finding]
) -> tuple[Any, Array, bool]:
    """``forward(X)``: the raw output, the output as ``(N, 1)`` float64, and whether it is float32.

    An ``(N,)`` output is accepted with a ``pred_shape`` finding (``(N,) - (N, 1)``
    broadcasts to ``(N, N)``); any other shape, a non-array or NaN stops the check.
    """
    n = X.shape[0]
    raw = caller.value(forward, X, what="forward(x)", concerns=("forward",))
    try:
        pred = as_float_array(raw, "forward(x) 的返回值")
    except Bad as bad:
        raise Stop(Finding("wrong_type", ("forward",), str(bad))) from None
    if pred.shape == (n,):
        if not any(f.code == "pred_shape" for f in findings):
            findings.append(
                Finding(
                    "pred_shape",
                    ("forward",),
                    f"forward 对 {n} 个样本返回了形状 {pred.shape} 的一维数组，应为 ({n}, 1)："
                    f"它减去 ({n}, 1) 的 y 会广播成 ({n}, {n}) 的矩阵，损失和梯度都会错。"
                    "让权重是列向量 (D, 1)，或 reshape(-1, 1)。",
                )
            )
    elif pred.shape != (n, 1):
        raise Stop(
            Finding(
                "wrong_shape",
                ("forward",),
                f"forward 对形状 {X.shape} 的 x 返回了形状 {pred.shape}，应为 ({n}, 1)："
                "每个样本一个预测。",
            )
        )
    if not np.all(np.isfinite(pred)):
        raise Stop(
            Finding(
                "not_finite",
                ("forward",),
                "forward 对检查用的普通输入（标准正态数据）返回了 NaN 或 inf：检查是否除以零、"
                "对负数取对数，或溢出。",
            )
        )
    low = isinstance(raw, np.ndarray) and raw.dtype.kind == "f" and raw.dtype.itemsize <= 4
    return raw, pred.reshape(n, 1), low


def student_grads(
    caller: Caller,
    net: object,
    methods: Methods,
    X: Array,
    y: Array,
    slots: Mapping[str, Slot],
    aliases: Mapping[str, tuple[str, ...]],
    findings: list[Finding],
) -> tuple[dict[str, Any], bool]:
    """The gradients the student's method returns, by parameter, and whether they came by position.

    Finds: ``wrong_type`` (stop) if they cannot be read; ``gradient_updates`` (a
    warning) if the method also changed the parameters — they are put back before
    the numerical gradient is measured.
    """
    before = {name: slot.current() for name, slot in slots.items()}
    label = f"{methods.gradient_name}(x, y)"
    value = caller.value(methods.gradient, X, y, what=label, concerns=(methods.gradient_name,))
    if value is None:  # the gradients may have been stored on the network instead
        value = stored_grads(net, aliases) or None
    try:
        grads, positional = grads_by_name(value, aliases)
    except Bad as bad:
        raise Stop(Finding("wrong_type", (methods.gradient_name,), f"{label}：{bad}")) from None
    changed = [
        name
        for name, slot in slots.items()
        if slot.moved() or not np.array_equal(slot.current(), before[name])
    ]
    if changed:
        findings.append(
            Finding(
                "gradient_updates",
                tuple(changed),
                f"{label} 顺便修改了参数 {'、'.join(changed)}："
                "求梯度和更新参数最好分开写（课程里是 gradient 和 update 两个方法），"
                "否则只想看梯度时参数也会变。",
                "warning",
            )
        )
        for name, slot in slots.items():
            slot.reinstate(before[name])
    return grads, positional


def check_grad_shapes(
    grads: Mapping[str, Array], slots: Mapping[str, Slot], label: str, findings: list[Finding]
) -> bool:
    """``grad_shape`` for a weight gradient shaped unlike its weight; ``not_finite`` stops.

    A bias gradient may have any shape of the right size ((H,), (1, H), a scalar for
    one output): the update ``b -= lr * db`` works with all of them.  Returns whether
    every gradient has its parameter's size (so that they can be compared).
    """
    comparable = True
    for name, g in grads.items():
        shape = slots[name].shape
        size = int(np.prod(shape))
        is_bias = name.lower().startswith("b")
        wrong = g.size != size or (not is_bias and g.shape != shape)
        comparable &= g.size == size
        if wrong and not (shape == () and g.size == 1):
            findings.append(
                Finding(
                    "grad_shape",
                    (name,),
                    f"{label} 返回的 {name} 梯度形状是 {g.shape}，参数是 {shape}：更新 {name} -= "
                    f"lr * d{name} 时会广播出错误的形状（或直接报错）。梯度必须和参数同形状。",
                )
            )
        if not np.all(np.isfinite(g)):
            raise Stop(Finding("not_finite", (name,), f"{label} 返回的 {name} 梯度含 NaN 或 inf。"))
    return comparable


def forward_mismatch(
    caller: Caller,
    forward: Callable[..., Any],
    X: Array,
    pred: Array,
    slots: Mapping[str, Slot],
    message: str,
) -> Finding:
    """``params_not_used`` when forward ignores the parameters found, else ``forward_wrong``."""
    first = next(iter(slots.values()))
    index = (0,) * len(first.shape)
    old = float(first.current()[index])
    try:
        first.nudge(index, old + 1.0)
        again = caller.call(forward, X)
    finally:
        first.nudge(index, old)
    if again.ok:
        try:
            unchanged = np.array_equal(
                as_float_array(again.value, "forward").reshape(pred.shape), pred
            )
        except (Bad, ValueError):
            unchanged = False
        if unchanged:
            labels = "、".join(slot.label for slot in slots.values())
            return Finding(
                "params_not_used",
                tuple(slots),
                f"forward 的输出不随检查找到的参数（{labels}）变化：forward "
                "用的似乎是别处保存的另一份参数。让 forward 直接读取这些属性（或 params 字典），"
                "检查才能核对梯度。",
            )
    return Finding("forward_wrong", ("forward",), message)


def target_grads(
    caller: Caller,
    forward: Callable[..., Any],
    X: Array,
    y: Array,
    scale: float,
    slots: Mapping[str, Slot],
    step: float,
) -> dict[str, Array]:
    """The gradient of ``scale · MSE(forward(X), y)`` by centered differences of ``forward``."""

    def loss() -> float:
        raw = caller.value(forward, X, what="forward(x)", concerns=("forward",))
        try:
            pred = as_float_array(raw, "forward(x) 的返回值").reshape(-1, 1)
        except (Bad, ValueError) as error:
            raise Stop(Finding("wrong_type", ("forward",), str(error))) from None
        value = scale * float(np.mean((pred - y) ** 2))
        if not np.isfinite(value) or len(pred) != len(y):
            raise Stop(
                Finding(
                    "not_finite",
                    ("forward",),
                    "参数稍作改变（± 一个很小的步长）后 forward 返回了 NaN、inf 或别的形状。",
                )
            )
        return value

    return numerical_grads(loss, slots, step)
