"""dlhomework.mistakes: every wrong gradient is caught by the numerical gradient check."""

from __future__ import annotations

import numpy as np
import pytest

from dlhomework.gradcheck import check_gradients
from dlhomework.mistakes import (
    MISTAKES,
    BiasFromLayer2Mistake,
    BiasShapeMistake,
    HalfMSEMistake,
    NoActivationGradMistake,
    NoActivationMistake,
    SkipLayerW1Mistake,
)
from dlhomework.models import TwoLayerNet
from dlhomework.training import sgd

# Distinct sizes, so that no broadcasting accident can hide a wrong shape.
N, D, H = 3, 5, 7
PASS, FAIL = 1e-7, 1e-2
NONLINEAR = ("sigmoid", "tanh", "relu")


@pytest.fixture
def data(rng):
    return rng.normal(size=(N, D)), rng.normal(size=(N, 1))


@pytest.mark.parametrize("activation", [*NONLINEAR, "identity"])
def test_correct_network_passes(data, activation):
    X, y = data
    errors = check_gradients(TwoLayerNet(D, H, activation, rng=1), X, y)
    assert max(errors.values()) < PASS, errors


# (class, blocks that must fail, blocks that stay right) for a nonlinear activation.
CASES = [
    pytest.param(cls, wrong, right, id=cls.__name__)
    for cls, wrong, right in [
        (SkipLayerW1Mistake, {"W1"}, {"b1", "W2", "b2"}),
        (NoActivationGradMistake, {"W1", "b1"}, {"W2", "b2"}),
        (BiasFromLayer2Mistake, {"b1"}, {"W1", "W2", "b2"}),
        (HalfMSEMistake, {"W1", "b1", "W2", "b2"}, set()),
    ]
]


@pytest.mark.parametrize("activation", NONLINEAR)
@pytest.mark.parametrize(("cls", "wrong", "right"), CASES)
def test_mistake_is_caught_on_its_blocks(data, activation, cls, wrong, right):
    X, y = data
    net = cls(D, H, activation, rng=1)
    assert isinstance(net, TwoLayerNet)
    errors = check_gradients(net, X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    for name in wrong:
        assert errors[name] > FAIL, (name, errors)
    for name in right:
        assert errors[name] < PASS, (name, errors)


def test_half_mse_error_is_one_third_everywhere(data):
    # |g - g/2| / (|g| + |g/2|) = 1/3, whatever g is.
    X, y = data
    errors = check_gradients(HalfMSEMistake(D, H, "tanh", rng=1), X, y)
    assert errors == pytest.approx(dict.fromkeys(errors, 1 / 3), rel=1e-6)


def test_skip_layer_w1_gives_every_hidden_unit_the_output_error(data):
    X, y = data
    net = SkipLayerW1Mistake(D, H, "sigmoid", rng=1)
    # The linear model's gradient X.T @ 2(pred - y)/N, written out independently.
    pred = net.predict(X)
    expected_column = X.T @ (2.0 * (pred - y) / N)
    np.testing.assert_allclose(net.gradients(X, y)["W1"], np.tile(expected_column, (1, H)))


def test_bias_from_layer2_repeats_db2(data):
    X, y = data
    g = BiasFromLayer2Mistake(D, H, "relu", rng=1).gradients(X, y)
    assert g["b1"].shape == (H,)
    np.testing.assert_array_equal(g["b1"], np.full(H, g["b2"][0]))


def test_forgetting_the_activation_gradient_is_harmless_only_for_identity(data):
    X, y = data
    errors = check_gradients(NoActivationGradMistake(D, H, "identity", rng=1), X, y)
    assert max(errors.values()) < PASS


def test_no_activation_passes_the_check_but_is_linear(data, rng):
    X, y = data
    net = NoActivationMistake(D, H, rng=1)
    assert net.activation == "identity"
    # Its gradients are right: the check cannot catch a modelling mistake.
    assert max(check_gradients(net, X, y).values()) < PASS
    # It is one linear map X @ W + b with W = W1 W2, b = b1 W2 + b2: on random
    # points it is affine (midpoint rule), which a sigmoid net is not.
    A, B = rng.normal(size=(4, D)), rng.normal(size=(4, D))
    mid = net.predict((A + B) / 2)
    np.testing.assert_allclose(mid, (net.predict(A) + net.predict(B)) / 2, rtol=1e-12, atol=1e-12)
    sig = TwoLayerNet(D, H, "sigmoid", rng=1)
    assert not np.allclose(sig.predict((A + B) / 2), (sig.predict(A) + sig.predict(B)) / 2)


def test_no_activation_from_params_is_the_same_linear_map(rng):
    # It rebuilds from its own parameters like every TwoLayerNet (from_params once
    # passed the activation into its rng), and refuses any other activation.
    net = NoActivationMistake(D, H, rng=1)
    back = NoActivationMistake.from_params(net.params)
    assert type(back) is NoActivationMistake and back.activation == "identity"
    X = rng.normal(size=(5, D))
    W = net.params["W1"] @ net.params["W2"]  # the one linear map, by hand
    b = net.params["b1"] @ net.params["W2"] + net.params["b2"]
    np.testing.assert_allclose(back.predict(X), X @ W + b, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=r"activation must be 'identity', got 'sigmoid'"):
        NoActivationMistake.from_params(net.params, activation="sigmoid")
    with pytest.raises(ValueError, match=r"got 'tanh'"):
        NoActivationMistake(D, H, "tanh")


def test_no_activation_cannot_beat_least_squares(rng):
    # Whatever the training, its training MSE stays >= the closed-form linear optimum.
    X = rng.normal(size=(40, D))
    y = np.sin(X[:, :1]) + X[:, 1:2] ** 2  # a nonlinear target
    net = NoActivationMistake(D, H, rng=1)
    sgd(net, X, y, n_epochs=300, batch_size=40, lr=0.1, rng=0)
    # Closed-form optimum computed independently with numpy.linalg.lstsq.
    A = np.hstack([X, np.ones((40, 1))])
    w, *_ = np.linalg.lstsq(A, y, rcond=None)
    optimum = float(np.mean((A @ w - y) ** 2))
    assert net.loss(X, y) >= optimum * (1 - 1e-12)
    assert net.loss(X, y) == pytest.approx(optimum, rel=0.05)  # and gets close to it


# -- the bias of shape (n_features, 1) ---------------------------------------------


def test_bias_shape_mistake_is_exposed_by_distinct_sizes(data):
    X, y = data
    net = BiasShapeMistake(D, H, "sigmoid", rng=1)
    assert net.params["b1"].shape == (D, 1)
    with pytest.raises(ValueError, match=r"could not be broadcast.*\(3,7\) \(1,5\)"):
        check_gradients(net, X, y)
    with pytest.raises(ValueError, match="could not be broadcast"):
        net.predict(X)


def test_bias_shape_mistake_hides_when_n_features_equals_n_hidden(rng):
    # 13 -> 13 in the homework: the wrong shape broadcasts silently and even
    # computes the right thing, so the gradient check passes. Only D != H exposes it.
    X, y = rng.normal(size=(N, H)), rng.normal(size=(N, 1))
    net = BiasShapeMistake(H, H, "tanh", rng=1)
    assert max(check_gradients(net, X, y).values()) < PASS
    # ... and it trains without any error.
    X_big, y_big = rng.normal(size=(20, H)), rng.normal(size=(20, 1))
    history = sgd(net, X_big, y_big, n_epochs=3, batch_size=4, lr=0.05, rng=0)
    assert len(history.losses) == 15
    assert net.params["b1"].shape == (H, 1)


def test_bias_shape_mistake_equals_the_correct_net_when_sizes_match(rng):
    X = rng.normal(size=(N, H))
    wrong, right = BiasShapeMistake(H, H, "sigmoid", rng=1), TwoLayerNet(H, H, "sigmoid", rng=1)
    b1 = rng.normal(size=H)
    wrong.params["b1"][:, 0] = b1
    right.params["b1"][:] = b1
    np.testing.assert_allclose(wrong.predict(X), right.predict(X), rtol=1e-12)


def test_bias_shape_mistake_validates_its_input(rng):
    net = BiasShapeMistake(H, H, rng=1)
    with pytest.raises(ValueError, match="X has 5 features"):
        net.predict(rng.normal(size=(N, 5)))
    with pytest.raises(ValueError, match=r"y must have shape \(n_samples, 1\), got shape \(3,\)"):
        net.loss(rng.normal(size=(N, H)), np.zeros(N))
    with pytest.raises(ValueError, match="finite"):
        net.gradients(np.full((N, H), np.nan), np.zeros((N, 1)))


def test_loss_of_bias_shape_mistake_is_the_mse(rng):
    X, y = rng.normal(size=(N, H)), rng.normal(size=(N, 1))
    net = BiasShapeMistake(H, H, rng=1)
    assert net.loss(X, y) == pytest.approx(float(np.mean((net.predict(X) - y) ** 2)))


def test_registry():
    assert list(MISTAKES) == [
        "bias_shape",
        "skip_layer_W1",
        "no_activation",
        "no_activation_grad",
        "bias_from_layer2",
        "half_mse",
    ]
    for cls in MISTAKES.values():
        assert issubclass(cls, TwoLayerNet)
        assert "DELIBERATELY WRONG" in (cls.__doc__ or "")
