"""dlhomework.check.two_layer: every catalogued mistake named on its blocks; right nets pass.

The wrong networks are those of dlhomework.mistakes and three student-style
submissions (tests/check_submissions.py), each written differently (attributes or a
params dict, tuple or dict of gradients, sigmoid/tanh/ReLU, float32, per-sample
loops, an MSE or a ½·MSE loss), each making one mistake on request.  What each must
produce is known from how it was written, not from the checker's output.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from check_submissions import MISTAKE_BLOCKS, TWO_LAYER_MISTAKES, TWO_LAYER_STYLES
from dlhomework import check
from dlhomework.mistakes import MISTAKES, NoActivationMistake
from dlhomework.models import TwoLayerNet

SIZES = [(13, 13), (5, 7)]  # the homework's 13 -> 13, and distinct sizes
CATALOGUE_BLOCKS = {
    "bias_shape": ("b1",),
    "skip_layer_W1": ("W1",),
    "no_activation": ("forward",),
    "no_activation_grad": ("W1", "b1"),
    "bias_from_layer2": ("b1",),
    "half_mse": ("W1", "b1", "W2", "b2"),
}


def errors(report: check.Report) -> tuple[str, ...]:
    return tuple(f.code for f in report.findings if f.severity == "error")


@pytest.mark.parametrize(("D", "H"), SIZES)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("name", list(MISTAKES))
def test_every_catalogued_mistake_gets_its_code_on_its_blocks(name, activation, D, H):
    cls = MISTAKES[name]
    net = cls(D, H, rng=1) if cls is NoActivationMistake else cls(D, H, activation, rng=1)
    report = check.two_layer(net)
    assert not report.passed
    assert errors(report) == (name,)
    assert report.concerning(name) == CATALOGUE_BLOCKS[name]


def test_the_catalogue_is_covered():
    assert set(CATALOGUE_BLOCKS) == set(MISTAKES)
    assert set(MISTAKES) <= set(MISTAKE_BLOCKS)


@pytest.mark.parametrize(("D", "H"), SIZES)
@pytest.mark.parametrize("mistake", TWO_LAYER_MISTAKES)
@pytest.mark.parametrize("style", TWO_LAYER_STYLES, ids=lambda s: s.__name__)
def test_student_mistakes_get_their_code_on_their_blocks(style, mistake, D, H):
    report = check.two_layer(style(D, H, mistake=mistake))
    assert errors(report) == (mistake,), str(report)
    assert report.concerning(mistake) == MISTAKE_BLOCKS[mistake]


def test_half_mse_has_relative_error_one_third_on_every_block():
    # |g - g/2| / (|g| + |g/2|) = 1/3 exactly, whatever the gradient
    report = check.two_layer(MISTAKES["half_mse"](5, 7, "tanh", rng=0))
    detail = next(d for d in report.details if "相对误差" in d)
    values = [float(v) for v in re.findall(r"([0-9.]+e[-+][0-9]+)", detail)]
    assert values == pytest.approx([1 / 3] * 4, abs=0.005)  # shown to two digits


def test_skip_layer_W1_fails_on_W1_only():
    report = check.two_layer(MISTAKES["skip_layer_W1"](5, 7, rng=0))
    detail = next(d for d in report.details if "相对误差" in d)
    errs = dict(re.findall(r"(W1|b1|W2|b2) ([0-9.]+e[-+][0-9]+)", detail))
    assert float(errs["W1"]) > 0.1
    assert max(float(errs[k]) for k in ("b1", "W2", "b2")) < 1e-6


# -- right answers, written differently -----------------------------------------------------


class Weights1Loss:
    """``weights1``/``bias1`` names, ``gradients`` returning ``(loss, dict)`` keyed ``w1``..."""

    def __init__(self):
        rng = np.random.default_rng(3)
        self.weights1 = rng.normal(size=(4, 6))
        self.bias1 = np.zeros(6)
        self.weights2 = rng.normal(size=(6, 1))
        self.bias2 = np.zeros(1)

    def forward(self, x):
        return np.tanh(x @ self.weights1 + self.bias1) @ self.weights2 + self.bias2

    def gradients(self, x, y):
        h = np.tanh(x @ self.weights1 + self.bias1)
        out = h @ self.weights2 + self.bias2
        d = 2 * (out - y) / len(x)
        dh = (d @ self.weights2.T) * (1 - h * h)
        grads = {"w1": x.T @ dh, "b1": dh.sum(0), "w2": h.T @ d, "b2": d.sum(0)}
        return float(np.mean((out - y) ** 2)), grads


class StoresGrads:
    """``backward(x, y)`` returns nothing, keeps ``self.grads``; params shared with attributes."""

    def __init__(self):
        rng = np.random.default_rng(4)
        self.W1, self.b1 = rng.normal(size=(3, 5)), np.full(5, 0.1)
        self.W2, self.b2 = rng.normal(size=(5, 1)), np.zeros(1)
        self.params = {"W1": self.W1, "b1": self.b1, "W2": self.W2, "b2": self.b2}

    def forward(self, x):
        p = self.params
        return 1 / (1 + np.exp(-(x @ p["W1"] + p["b1"]))) @ p["W2"] + p["b2"]

    def backward(self, x, y):
        p = self.params
        a = 1 / (1 + np.exp(-(x @ p["W1"] + p["b1"])))
        d = 2 * (a @ p["W2"] + p["b2"] - y) / x.shape[0]
        dz = d @ p["W2"].T * a * (1 - a)
        self.grads = {"W1": x.T @ dz, "b1": dz.sum(0), "W2": a.T @ d, "b2": d.sum(0)}


class PurePythonLoops:
    """Matrix products as Python loops over lists of floats; ReLU; a tuple of lists."""

    def __init__(self):
        rng = np.random.default_rng(9)
        self.W1, self.b1 = rng.normal(size=(3, 4)), np.zeros(4)
        self.W2, self.b2 = rng.normal(size=(4, 1)), 0.0

    def _layer(self, x):
        z = [sum(x[i] * self.W1[i][j] for i in range(3)) + self.b1[j] for j in range(4)]
        return z, [max(v, 0.0) for v in z]

    def forward(self, X):
        out = []
        for x in X:
            _, a = self._layer(x)
            out.append([sum(a[j] * self.W2[j][0] for j in range(4)) + self.b2])
        return np.array(out)

    def gradient(self, X, Y):
        n = len(X)
        gW1 = [[0.0] * 4 for _ in range(3)]
        gb1, gW2, gb2 = [0.0] * 4, [[0.0] for _ in range(4)], 0.0
        for x, (y,) in zip(X, Y, strict=True):
            z, a = self._layer(x)
            e = 2 * (sum(a[j] * self.W2[j][0] for j in range(4)) + self.b2 - y) / n
            gb2 += e
            for j in range(4):
                gW2[j][0] += a[j] * e
                dz = e * self.W2[j][0] * (1.0 if z[j] > 0 else 0.0)
                gb1[j] += dz
                for i in range(3):
                    gW1[i][j] += x[i] * dz
        return gW1, gb1, gW2, gb2


class EinsumRowBias:
    """``np.einsum``, a ``(1, H)`` b1 and a ``(1, 1)`` b2, lower-case dict keys ``w1``..."""

    def __init__(self):
        rng = np.random.default_rng(12)
        self.param = {"w1": rng.normal(size=(13, 13)) * 0.3, "b1": np.zeros((1, 13))}
        self.param |= {"w2": rng.normal(size=(13, 1)) * 0.3, "b2": np.zeros((1, 1))}

    def forward(self, x):
        p = self.param
        return (
            np.einsum(
                "nh,ho->no",
                1 / (1 + np.exp(-(np.einsum("nd,dh->nh", x, p["w1"]) + p["b1"]))),
                p["w2"],
            )
            + p["b2"]
        )

    def gradient(self, x, y):
        p = self.param
        a = 1 / (1 + np.exp(-(x @ p["w1"] + p["b1"])))
        d = 2 * (a @ p["w2"] + p["b2"] - y) / len(x)
        dz = (d @ p["w2"].T) * a * (1 - a)
        return {
            "dw1": x.T @ dz,
            "db1": dz.sum(0, keepdims=True),
            "dw2": a.T @ d,
            "db2": d.sum(keepdims=True),
        }


CORRECT = {
    "TwoLayerNet sigmoid 13-13": lambda: TwoLayerNet(13, 13, "sigmoid", rng=0),
    "TwoLayerNet relu 5-7": lambda: TwoLayerNet(5, 7, "relu", rng=0),
    "TwoLayerNet identity-free tanh 2-9": lambda: TwoLayerNet(2, 9, "tanh", rng=0),
    "SigmoidTuple 13-13": lambda: TWO_LAYER_STYLES[0](13, 13),
    "SigmoidTuple 8-3": lambda: TWO_LAYER_STYLES[0](8, 3),
    "TanhDictLoops 13-13": lambda: TWO_LAYER_STYLES[1](13, 13),
    "ReluFloat32Half 13-13": lambda: TWO_LAYER_STYLES[2](13, 13),
    "ReluFloat32Half 5-7": lambda: TWO_LAYER_STYLES[2](5, 7),
    "Weights1Loss": Weights1Loss,
    "StoresGrads": StoresGrads,
    "PurePythonLoops": PurePythonLoops,
    "EinsumRowBias": EinsumRowBias,
}


@pytest.mark.parametrize("make", CORRECT.values(), ids=list(CORRECT))
def test_right_networks_written_differently_pass(make):
    report = check.two_layer(make())
    assert report.passed, str(report)
    assert errors(report) == ()


def test_the_networks_parameters_are_put_back_untouched():
    net = TWO_LAYER_STYLES[0](5, 7, mistake="half_mse")
    before = {k: v for k, v in vars(net).items() if k in ("w1", "b1", "w2", "b2")}
    copies = {k: np.copy(v) for k, v in before.items()}
    check.two_layer(net)
    for k, v in before.items():
        assert getattr(net, k) is v
        assert np.array_equal(getattr(net, k), copies[k])
    dict_net = TWO_LAYER_STYLES[1](5, 7)
    arrays = dict(dict_net.params)
    check.two_layer(dict_net)
    assert all(dict_net.params[k] is arrays[k] for k in arrays)


def test_class_level_parameters_are_found_and_left_at_class_level():
    class Net(TWO_LAYER_STYLES[0]):
        pass

    template = TWO_LAYER_STYLES[0](3, 4)
    for key in ("w1", "b1", "w2", "b2"):
        setattr(Net, key, getattr(template, key))
    net = object.__new__(Net)
    net.mistake = None
    assert check.two_layer(net).passed
    assert "w1" not in vars(net)


def test_float32_inside_forward_with_float64_parameters_passes():
    class Inside32(TwoLayerNet):
        def forward(self, X):
            p = {k: v.astype(np.float32) for k, v in self.params.items()}
            z = np.asarray(X, dtype=np.float32) @ p["W1"] + p["b1"]
            return (np.tanh(z) @ p["W2"] + p["b2"]).astype(np.float64)

    net = Inside32(13, 13, "tanh", rng=0)
    assert net.params["W1"].dtype == np.float64
    report = check.two_layer(net)
    assert report.passed, str(report)
