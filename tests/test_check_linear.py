"""dlhomework.check.linear_model: the course's Network and its variations (homework 1-1 to 1-3).

The reference submission is the course's own ``Network`` as the course prints it:
its ``loss`` is the MSE and its ``gradient`` that of ½·MSE, so the check must name
the factor-2 slip on ``w`` and ``b`` — and pass the same class once either side is
made consistent.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlhomework import check


class Network:
    """The course's linear model (《零基础实践深度学习》 1.3), line for line."""

    def __init__(self, num_of_weights):
        np.random.seed(0)  # noqa: NPY002 (the course's code, as printed)
        self.w = np.random.randn(num_of_weights, 1)  # noqa: NPY002
        self.b = 0.0

    def forward(self, x):
        z = np.dot(x, self.w) + self.b
        return z

    def loss(self, z, y):
        error = z - y
        num_samples = error.shape[0]
        cost = error * error
        cost = np.sum(cost) / num_samples
        return cost

    def gradient(self, x, y):
        z = self.forward(x)
        N = x.shape[0]
        gradient_w = 1.0 / N * np.sum((z - y) * x, axis=0)
        gradient_w = gradient_w[:, np.newaxis]
        gradient_b = 1.0 / N * np.sum(z - y)
        return gradient_w, gradient_b


class Doubled(Network):
    """The course's network with the factor 2: the gradient of its MSE."""

    def gradient(self, x, y):
        gw, gb = super().gradient(x, y)
        return 2 * gw, 2 * gb


class HalfLoss(Network):
    """The course's gradient, with the loss it belongs to: ½·MSE."""

    def loss(self, z, y):
        return 0.5 * np.mean((z - y) ** 2)


class ParamsDict:
    """A ``params`` dict with ``W``/``b``, ``loss(x, y)`` as in the book, a dict of gradients."""

    def __init__(self, d=13):
        self.params = {"W": np.zeros((d, 1)), "b": np.zeros(1)}

    def forward(self, X):
        return X @ self.params["W"] + self.params["b"]

    def loss(self, X, y):
        return float(np.mean((self.forward(X) - y) ** 2))

    def gradients(self, X, y):
        d = 2 * (self.forward(X) - y) / len(X)
        return {"dW": X.T @ d, "db": d.sum(axis=0)}


class Float32Loop:
    """float32 weights, ``weights``/``bias`` names, a gradient accumulated sample by sample."""

    def __init__(self, d=13):
        self.weights = np.full((d, 1), 0.1, dtype=np.float32)
        self.bias = np.float32(0.0)

    def forward(self, x):
        return x @ self.weights + self.bias

    def loss(self, z, y):
        return ((z - y) ** 2).mean()

    def gradient(self, x, y):
        gw, gb = np.zeros_like(self.weights), 0.0
        for xi, yi in zip(x, y, strict=True):
            e = float((xi @ self.weights + self.bias - yi)[0])
            gw += (2 * e / len(x) * xi).reshape(-1, 1).astype(np.float32)
            gb += 2 * e / len(x)
        return gw, gb


def test_the_course_network_has_the_half_mse_slip_on_w_and_b():
    report = check.linear_model(Network(13))
    assert not report.passed
    assert report.codes == ("half_mse",)
    assert report.concerning("half_mse") == ("w", "b")


@pytest.mark.parametrize(
    "make",
    [lambda: Doubled(13), lambda: HalfLoss(13), lambda: Doubled(5), ParamsDict, Float32Loop],
    ids=["doubled", "half-loss", "doubled-5", "params-dict", "float32-loop"],
)
def test_right_linear_models_pass(make):
    report = check.linear_model(make())
    assert report.passed, str(report)
    assert report.codes == ()


def test_the_loss_kind_is_reported():
    assert "损失：½·MSE" in check.linear_model(HalfLoss(13)).details
    assert "损失：MSE" in check.linear_model(Doubled(13)).details


class SumGradient(Doubled):
    def gradient(self, x, y):
        gw, gb = super().gradient(x, y)
        return len(x) * gw, len(x) * gb


class MinusGradient(Doubled):
    def gradient(self, x, y):
        gw, gb = super().gradient(x, y)
        return -gw, -gb


class SumLoss(Doubled):
    def loss(self, z, y):
        return np.sum((z - y) ** 2)


class FixedDivisor(Doubled):
    def loss(self, z, y):
        return np.sum((z - y) ** 2) / 404  # the training-set size, whatever the batch


class FlatWeights(Doubled):
    def __init__(self, n):
        super().__init__(n)
        self.w = self.w.ravel()


class FlatGradient(Doubled):
    def gradient(self, x, y):
        gw, gb = super().gradient(x, y)
        return gw.ravel(), gb


class NoBias(Doubled):
    def forward(self, x):
        return x @ self.w


class NoLoss:
    def __init__(self):
        self.W, self.B = np.ones((3, 1)), np.zeros(1)

    def forward(self, x):
        return x @ self.W + self.B

    def gradient(self, x, y):
        d = 2 * (self.forward(x) - y) / len(x)
        return x.T @ d, d.sum()


@pytest.mark.parametrize(
    ("net", "code", "concerns"),
    [
        (SumGradient(13), "not_averaged", ("w", "b")),
        (MinusGradient(13), "grad_sign", ("w", "b")),
        (SumLoss(13), "loss_sum", ("loss",)),
        (FixedDivisor(13), "loss_divisor", ("loss",)),
        (FlatWeights(13), "param_shape", ("w",)),
        (FlatWeights(13), "pred_shape", ("forward",)),
        (FlatWeights(13), "loss_broadcast", ("loss",)),
        (FlatGradient(13), "grad_shape", ("w",)),
        (NoBias(13), "forward_wrong", ("forward",)),
    ],
)
def test_linear_mistakes_are_named(net, code, concerns):
    report = check.linear_model(net)
    assert not report.passed
    assert report.concerning(code) == concerns, str(report)


def test_a_model_without_loss_is_checked_against_the_mse_with_a_warning():
    report = check.linear_model(NoLoss())
    assert report.passed
    assert report.codes == ("no_loss",)
    assert report.findings[0].severity == "warning"


def test_the_course_networks_weights_are_left_as_they_were():
    net = Network(13)
    w, b = net.w, net.b
    saved = w.copy()
    check.linear_model(net)
    assert net.w is w and net.b == b == 0.0
    assert np.array_equal(net.w, saved)


def test_float32_inside_forward_with_float64_weights_passes():
    class Inside32(Doubled):
        def forward(self, x):
            return (x.astype(np.float32) @ self.w.astype(np.float32) + self.b).astype(float)

    assert check.linear_model(Inside32(13)).passed
