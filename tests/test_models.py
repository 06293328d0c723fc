"""dlhomework.models: LinearRegression, least_squares and TwoLayerNet."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlhomework.data import load_data
from dlhomework.gradcheck import check_gradients
from dlhomework.models import LinearRegression, TwoLayerNet, least_squares
from dlhomework.training import sgd

N, D, H = 3, 5, 7  # distinct sizes: no broadcasting bug can hide
ACTIVATION_NAMES = ["sigmoid", "tanh", "relu", "identity"]

# Independent references for the activations (not dlhomework.activations).
REFERENCE = {
    "sigmoid": (lambda z: 1.0 / (1.0 + np.exp(-z)), lambda z: np.exp(-z) / (1.0 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1.0 / np.cosh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "identity": (lambda z: z, np.ones_like),
}


def well_conditioned_data(model, *, margin=1e-3):
    """Seeded (X, y) of shapes (N, D), (N, 1) where a float64 gradient check is decisive.

    A centered difference has an absolute error of about 1e-10; at a gradient entry
    that happens to be nearly 0 that becomes a relative error above 1e-7 although the
    gradient is right.  And relu's derivative jumps at 0.  So the data are drawn
    (deterministically) until every gradient entry, and for a two-layer net every
    pre-activation X @ W1 + b1, is at least ``margin`` away from 0.
    """
    for seed in range(100):
        gen = np.random.default_rng(seed)
        X, y = gen.normal(size=(N, D)), gen.normal(size=(N, 1))
        smallest = min(float(np.abs(g).min()) for g in model.gradients(X, y).values())
        if isinstance(model, TwoLayerNet):
            z1 = X @ model.params["W1"] + model.params["b1"]
            smallest = min(smallest, float(np.abs(z1).min()))
        if smallest > margin:
            return X, y
    raise AssertionError("no well-conditioned data found")  # pragma: no cover


@pytest.fixture(scope="module")
def housing():
    train, test, _ = load_data()
    return train[:, :-1], train[:, -1:], test[:, :-1], test[:, -1:]


# -- LinearRegression ------------------------------------------------------------------


def test_linear_shapes_and_course_initialisation():
    model = LinearRegression(D, rng=7)
    assert model.n_features == D
    assert set(model.params) == {"W", "b"}
    assert model.params["W"].shape == (D, 1) and model.params["b"].shape == (1,)
    assert all(p.dtype == np.float64 for p in model.params.values())
    # W standard normal from the generator (the course's randn), b zero.
    np.testing.assert_array_equal(
        model.params["W"], np.random.default_rng(7).standard_normal((D, 1))
    )
    assert model.params["b"].tolist() == [0.0]
    assert LinearRegression().n_features == 13
    assert repr(model) == "LinearRegression(n_features=5)"


def test_linear_predict_loss_gradients_by_hand():
    model = LinearRegression(2, rng=0)
    model.params["W"][:] = [[1.0], [-2.0]]
    model.params["b"][:] = 0.5
    X = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 3.0]])
    y = np.array([[0.0], [2.0], [-5.0]])
    # pred = x1 - 2 x2 + 0.5 = [-0.5, 2.5, -5.5]; errors e = [-0.5, 0.5, -0.5].
    assert model.predict(X).tolist() == [[-0.5], [2.5], [-5.5]]
    assert model.loss(X, y) == pytest.approx(0.25, abs=1e-15)
    grads = model.gradients(X, y)
    # dW = 2/3 X^T e = 2/3 [-0.5 + 1.0, -0.5 - 1.5] = [1/3, -4/3]; db = 2/3 (-0.5) = -1/3.
    np.testing.assert_allclose(grads["W"], [[1 / 3], [-4 / 3]], rtol=1e-14)
    np.testing.assert_allclose(grads["b"], [-1 / 3], rtol=1e-14)
    assert grads["W"].shape == (2, 1) and grads["b"].shape == (1,)


def test_linear_gradient_is_twice_the_courses(rng):
    X, y = rng.normal(size=(N, D)), rng.normal(size=(N, 1))
    model = LinearRegression(D, rng=1)
    w, b = model.params["W"], float(model.params["b"][0])
    # The course's Network.gradient: the gradient of 1/2 MSE.
    z = X @ w + b
    course_w = np.mean((z - y) * X, axis=0)[:, None]
    course_b = np.mean(z - y)
    grads = model.gradients(X, y)
    np.testing.assert_allclose(grads["W"], 2 * course_w, rtol=1e-13)
    np.testing.assert_allclose(grads["b"], [2 * course_b], rtol=1e-13)


def test_linear_gradient_check_every_block():
    model = LinearRegression(D, rng=3)
    X, y = well_conditioned_data(model)
    errors = check_gradients(model, X, y)
    assert set(errors) == {"W", "b"}
    assert max(errors.values()) < 1e-7, errors


# -- least_squares ---------------------------------------------------------------------


def _normal_equations(X, y):
    """Independent solution: solve (A^T A) theta = A^T y for A = [X, 1]."""
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.solve(A.T @ A, A.T @ y)
    return theta[:-1], theta[-1]


def test_least_squares_matches_normal_equations_on_housing(housing):
    X, y, _, _ = housing
    model = least_squares(X, y)
    W, b = _normal_equations(X, y)
    np.testing.assert_allclose(model.params["W"], W, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.params["b"], b, rtol=1e-8, atol=1e-10)
    assert model.params["W"].shape == (13, 1) and model.params["b"].shape == (1,)
    # The optimum: zero gradient, and any perturbation is worse.
    assert max(float(np.abs(g).max()) for g in model.gradients(X, y).values()) < 1e-12
    nudged = model.copy()
    nudged.params["W"][5] += 1e-3
    assert nudged.loss(X, y) > model.loss(X, y)


def test_least_squares_random_and_exact(rng):
    X, y = rng.normal(size=(40, D)), rng.normal(size=(40, 1))
    W, b = _normal_equations(X, y)
    model = least_squares(X, y)
    np.testing.assert_allclose(model.params["W"], W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(model.params["b"], b, rtol=1e-10, atol=1e-12)
    # Noise-free data: recovers the generating parameters.
    W_true, b_true = rng.normal(size=(D, 1)), 0.7
    exact = least_squares(X, X @ W_true + b_true)
    np.testing.assert_allclose(exact.params["W"], W_true, rtol=1e-10)
    np.testing.assert_allclose(exact.params["b"], [b_true], rtol=1e-10)
    assert exact.loss(X, X @ W_true + b_true) < 1e-25


def test_least_squares_does_not_modify_inputs(rng):
    X, y = rng.normal(size=(10, D)), rng.normal(size=(10, 1))
    X0, y0 = X.copy(), y.copy()
    model = least_squares(X, y)
    model.params["W"] += 1.0
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize(
    ("X", "y", "error", "message"),
    [
        (np.zeros((4, 2)), np.zeros(4), ValueError, r"y must have shape \(n_samples, 1\), got"),
        (np.zeros((4, 2)), np.zeros((3, 1)), ValueError, "got X with 4 and y with 3"),
        (np.zeros(4), np.zeros((4, 1)), ValueError, "X must be 2-D"),
        (np.full((2, 1), np.nan), np.zeros((2, 1)), ValueError, "X must contain only finite"),
        (np.zeros((0, 2)), np.zeros((0, 1)), ValueError, "X must not be empty"),
        (np.array([["a"]]), np.zeros((1, 1)), TypeError, "X must be a real numeric array"),
    ],
)  # fmt: skip
def test_least_squares_bad_input(X, y, error, message):
    with pytest.raises(error, match=message):
        least_squares(X, y)


# -- TwoLayerNet -----------------------------------------------------------------------


def test_two_layer_shapes_and_attributes():
    net = TwoLayerNet(D, H, "tanh", rng=0)
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (D, H),
        "b1": (H,),
        "W2": (H, 1),
        "b2": (1,),
    }
    assert all(p.dtype == np.float64 for p in net.params.values())
    assert (net.n_features, net.n_hidden, net.activation) == (D, H, "tanh")
    assert net.params["b1"].tolist() == [0.0] * H and net.params["b2"].tolist() == [0.0]
    default = TwoLayerNet(rng=0)
    assert (default.n_features, default.n_hidden, default.activation) == (13, 13, "sigmoid")
    assert repr(net) == "TwoLayerNet(n_features=5, n_hidden=7, activation='tanh')"


@pytest.mark.parametrize(("activation", "gain"), [("sigmoid", 1), ("tanh", 1), ("relu", 2)])
def test_two_layer_init_scale(activation, gain):
    d, h = 400, 300
    net = TwoLayerNet(d, h, activation, rng=0)
    # 120000 and 300 draws: standard errors of the std estimate ~0.2% and ~4%.
    assert np.std(net.params["W1"]) == pytest.approx(np.sqrt(gain / d), rel=0.01)
    assert np.std(net.params["W2"]) == pytest.approx(np.sqrt(1 / h), rel=0.15)
    assert abs(np.mean(net.params["W1"])) < 0.01 * np.sqrt(gain / d)


def test_same_seed_same_weights_and_rng_is_used():
    a, b = TwoLayerNet(D, H, rng=5), TwoLayerNet(D, H, rng=np.random.default_rng(5))
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    c = TwoLayerNet(D, H, rng=6)
    assert not np.array_equal(a.params["W1"], c.params["W1"])
    gen = np.random.default_rng(0)
    first, second = TwoLayerNet(D, H, rng=gen), TwoLayerNet(D, H, rng=gen)
    assert not np.array_equal(first.params["W1"], second.params["W1"])


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_two_layer_predict_against_reference(rng, activation):
    net = TwoLayerNet(D, H, activation, rng=1)
    for k in net.params:  # nonzero biases, so a transposed or misplaced bias shows
        net.params[k] += rng.normal(size=net.params[k].shape) * 0.3
    X = rng.normal(size=(N, D))
    f, _ = REFERENCE[activation]
    p = net.params
    expected = np.zeros((N, 1))
    for n in range(N):
        for j in range(H):
            expected[n, 0] += f(X[n] @ p["W1"][:, j] + p["b1"][j]) * p["W2"][j, 0]
        expected[n, 0] += p["b2"][0]
    np.testing.assert_allclose(net.predict(X), expected, rtol=1e-12, atol=1e-14)
    y = rng.normal(size=(N, 1))
    assert net.loss(X, y) == pytest.approx(np.mean((expected - y) ** 2), rel=1e-12)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_two_layer_gradient_check_every_block(activation):
    net = TwoLayerNet(D, H, activation, rng=2)
    gen = np.random.default_rng(9)
    for k in net.params:  # nonzero biases
        net.params[k] += gen.normal(size=net.params[k].shape) * 0.2
    X, y = well_conditioned_data(net)
    errors = check_gradients(net, X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_two_layer_gradients_against_chain_rule_by_sample(rng, activation):
    # An independent, loop-based chain rule: one sample and one hidden unit at a time.
    net = TwoLayerNet(D, H, activation, rng=4)
    X, y = rng.normal(size=(N, D)), rng.normal(size=(N, 1))
    f, f_grad = REFERENCE[activation]
    p = net.params
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    for n in range(N):
        z = X[n] @ p["W1"] + p["b1"]
        residual = float(f(z) @ p["W2"][:, 0] + p["b2"][0] - y[n, 0])
        scale = 2.0 * residual / N
        grads["b2"][0] += scale
        for j in range(H):
            grads["W2"][j, 0] += scale * f(z[j])
            back = scale * p["W2"][j, 0] * f_grad(z[j])
            grads["b1"][j] += back
            grads["W1"][:, j] += back * X[n]
    ours = net.gradients(X, y)
    for k in p:
        np.testing.assert_allclose(ours[k], grads[k], rtol=1e-10, atol=1e-13, err_msg=k)


@pytest.mark.paddle
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_two_layer_gradients_against_paddle_autograd(paddle, rng, activation):
    net = TwoLayerNet(D, H, activation, rng=8)
    X, y = rng.normal(size=(N, D)), rng.normal(size=(N, 1))
    t = {
        k: paddle.to_tensor(v, dtype="float64", stop_gradient=False) for k, v in net.params.items()
    }
    act = {
        "sigmoid": paddle.nn.functional.sigmoid,
        "tanh": paddle.tanh,
        "relu": paddle.nn.functional.relu,
        "identity": lambda z: z,
    }[activation]
    Xt, yt = paddle.to_tensor(X, dtype="float64"), paddle.to_tensor(y, dtype="float64")
    pred = act(Xt @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
    loss = paddle.mean((pred - yt) ** 2)
    loss.backward()
    assert net.loss(X, y) == pytest.approx(float(loss.numpy()), rel=1e-12)
    ours = net.gradients(X, y)
    for k, v in t.items():
        np.testing.assert_allclose(ours[k], v.grad.numpy(), rtol=1e-10, atol=1e-14, err_msg=k)


@pytest.mark.paddle
def test_linear_gradients_against_paddle_autograd(paddle, rng):
    model = LinearRegression(D, rng=8)
    X, y = rng.normal(size=(N, D)), rng.normal(size=(N, 1))
    W = paddle.to_tensor(model.params["W"], dtype="float64", stop_gradient=False)
    b = paddle.to_tensor(model.params["b"], dtype="float64", stop_gradient=False)
    Xt, yt = paddle.to_tensor(X, dtype="float64"), paddle.to_tensor(y, dtype="float64")
    loss = paddle.mean((Xt @ W + b - yt) ** 2)
    loss.backward()
    grads = model.gradients(X, y)
    np.testing.assert_allclose(grads["W"], W.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(grads["b"], b.grad.numpy(), rtol=1e-12)


def test_identity_net_is_a_linear_map(rng):
    net = TwoLayerNet(D, H, "identity", rng=0)
    net.params["b1"] += rng.normal(size=H)
    net.params["b2"] += 0.3
    p = net.params
    linear = LinearRegression(D, rng=0)
    linear.params = {"W": p["W1"] @ p["W2"], "b": p["b1"] @ p["W2"] + p["b2"]}
    X = rng.normal(size=(N, D))
    np.testing.assert_allclose(net.predict(X), linear.predict(X), rtol=1e-12, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.01, 10.0))
def test_identity_net_never_beats_least_squares_any_weights(seed, scale):
    gen = np.random.default_rng(seed)
    X, y = gen.normal(size=(20, D)), gen.normal(size=(20, 1))
    net = TwoLayerNet(D, H, "identity", rng=gen)
    for k in net.params:
        net.params[k] = gen.normal(size=net.params[k].shape) * scale
    assert net.loss(X, y) >= least_squares(X, y).loss(X, y) * (1 - 1e-12)


def test_trained_identity_net_reaches_but_never_beats_least_squares(housing):
    X, y, _, _ = housing
    best = least_squares(X, y).loss(X, y)
    net = TwoLayerNet(activation="identity", rng=0)
    history = sgd(net, X, y, n_epochs=300, batch_size=404, lr=0.3, rng=0)
    assert min(history.losses) >= best * (1 - 1e-12)
    assert net.loss(X, y) >= best * (1 - 1e-12)
    assert net.loss(X, y) < 1.05 * best  # and it does get close


def test_copy_is_independent_and_keeps_the_class():
    class Sub(TwoLayerNet):
        pass

    net = Sub(D, H, "relu", rng=0)
    twin = net.copy()
    assert type(twin) is Sub and twin.activation == "relu" and twin.n_hidden == H
    for k in net.params:
        np.testing.assert_array_equal(twin.params[k], net.params[k])
        assert not np.shares_memory(twin.params[k], net.params[k])
    before = net.params["W1"].copy()
    twin.params["W1"] += 1.0
    twin.params["b2"][0] = 5.0
    np.testing.assert_array_equal(net.params["W1"], before)
    assert net.params["b2"][0] == 0.0
    lin = LinearRegression(D, rng=0)
    lin_twin = lin.copy()
    lin_twin.params["W"][0, 0] += 1.0
    assert lin_twin.params["W"][0, 0] == lin.params["W"][0, 0] + 1.0


@pytest.mark.parametrize("model", [LinearRegression(D, rng=0), TwoLayerNet(D, H, "relu", rng=0)])
def test_inputs_not_modified_and_ints_accepted(model, rng):
    X, y = rng.normal(size=(N, D)), rng.normal(size=(N, 1))
    X0, y0 = X.copy(), y.copy()
    model.predict(X)
    model.loss(X, y)
    grads = model.gradients(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    for g in grads.values():
        assert not any(np.shares_memory(g, p) for p in model.params.values())
    X_int = np.arange(N * D).reshape(N, D) % 3
    assert model.predict(X_int).dtype == np.float64
    np.testing.assert_allclose(model.predict(X_int), model.predict(X_int.astype(float)))


def test_unknown_activation_lists_the_choices():
    with pytest.raises(ValueError, match="activation must be one of") as info:
        TwoLayerNet(D, H, "softmax")
    for name in ACTIVATION_NAMES:
        assert repr(name) in str(info.value)
    assert "'softmax'" in str(info.value)
    with pytest.raises(ValueError, match="got 'Sigmoid'"):
        TwoLayerNet(activation="Sigmoid")
    with pytest.raises(ValueError, match="got None"):
        TwoLayerNet(activation=None)
    net = TwoLayerNet(D, H, rng=0)
    net.activation = "swish"  # changed after construction: caught when used
    with pytest.raises(ValueError, match=r"activation must be one of .* got 'swish'"):
        net.predict(np.zeros((N, D)))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_features": 0}, ValueError, "n_features must be a positive integer, got 0"),
        ({"n_features": 2.0}, TypeError, r"n_features must be an integer, got 2\.0"),
        ({"n_features": True}, TypeError, "n_features must be an integer, got True"),
        ({"n_hidden": 0}, ValueError, "n_hidden must be a positive integer, got 0"),
        ({"n_hidden": "13"}, TypeError, "n_hidden must be an integer, got '13'"),
        ({"rng": 1.5}, TypeError, "rng must be a numpy.random.Generator"),
        ({"rng": -2}, ValueError, "rng seed must be non-negative"),
    ],
)
def test_two_layer_constructor_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        TwoLayerNet(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_features": -1}, ValueError, "n_features must be a positive integer, got -1"),
        ({"n_features": 1.0}, TypeError, "n_features must be an integer"),
        ({"rng": "seed"}, TypeError, "rng must be"),
    ],
)
def test_linear_constructor_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        LinearRegression(**kwargs)


GOOD_X, GOOD_Y = np.ones((N, D)), np.ones((N, 1))
NAN_X = np.where(np.eye(N, D) > 0, np.nan, 1.0)
INF_Y = np.array([[1.0], [np.inf], [1.0]])


@pytest.mark.parametrize("model", [LinearRegression(D, rng=0), TwoLayerNet(D, H, rng=0)])
@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.ones((N, D + 1)), GOOD_Y, r"X has 6 features \(shape \(3, 6\)\) but this \w+ expects"),
        (np.ones((N, 1)), GOOD_Y, "X has 1 features"),
        (np.ones(D), GOOD_Y, r"X must be 2-D, got shape \(5,\)"),
        (np.ones((0, D)), np.ones((0, 1)), "X must not be empty"),
        (GOOD_X, np.ones(N), r"y must have shape \(n_samples, 1\), got shape \(3,\) \(reshape it"),
        (GOOD_X, np.ones((N, 2)), r"y must have shape \(n_samples, 1\), got shape \(3, 2\)"),
        (GOOD_X, np.ones((N + 1, 1)), "same number of samples, got X with 3 and y with 4"),
        (NAN_X, GOOD_Y, r"X must contain only finite values, got .*nan.* at index \(0, 0\)"),
        (GOOD_X, INF_Y, r"y must contain only finite values, got .*inf.* at index \(1, 0\)"),
    ],
)  # fmt: skip
def test_bad_data_raise_for_loss_and_gradients(model, X, y, message):
    with pytest.raises(ValueError, match=message):
        model.loss(X, y)
    with pytest.raises(ValueError, match=message):
        model.gradients(X, y)


@pytest.mark.parametrize("model", [LinearRegression(D, rng=0), TwoLayerNet(D, H, rng=0)])
def test_bad_data_raise_for_predict(model):
    with pytest.raises(ValueError, match="X has 4 features"):
        model.predict(np.ones((N, D - 1)))
    with pytest.raises(ValueError, match="X must contain only finite values"):
        model.predict(np.full((N, D), -np.inf))
    with pytest.raises(TypeError, match="X must be a real numeric array"):
        model.predict(np.full((N, D), "1"))


# -- parameters replaced by the user: checked at every public call ---------------------------


def _linear(n_features=3):
    return LinearRegression(n_features, rng=0)


def _net():
    return TwoLayerNet(5, 4, "tanh", rng=0)


@pytest.mark.parametrize(
    ("make", "name", "fragment"),
    [
        # (n,) W: X @ W is (n,), then loss broadcasts (n,) - (n, 1) to (n, n)
        (lambda: _linear(), ("W", np.ones(3)), "params['W'] of LinearRegression(n_features=3)"),
        (lambda: _linear(), ("W", np.ones((4, 1))), "shape (3, 1), got shape (4, 1)"),
        # a (6,) b makes predict return (6, 6) for 6 rows
        (lambda: _linear(), ("b", np.zeros(6)), "shape (1,), got shape (6,)"),
        (lambda: _linear(), ("b", np.zeros(1, dtype=int)), "got shape (1,), dtype int64"),
        (lambda: _linear(), ("b", [0.0]), "got list"),
        (lambda: _linear(), ("W", np.full((3, 1), np.nan)), "params['W'] of Linear"),
        (lambda: _net(), ("b1", np.zeros((6, 4))), "params['b1'] of TwoLayerNet(n_features=5"),
        (lambda: _net(), ("W2", np.array([[np.inf]] * 4)), "holds NaN or inf"),
        (lambda: _net(), ("b2", None), "must have the keys ['W1', 'W2', 'b1', 'b2']"),
    ],
)
def test_a_replaced_parameter_that_does_not_fit_is_an_error(make, name, fragment):
    model = make()
    key, value = name
    if value is None:
        del model.params[key]
    else:
        model.params[key] = value
    X = np.ones((6, model.n_features))  # 6 rows: where a (6,) bias would broadcast
    y = np.ones((6, 1))
    for call in (lambda: model.predict(X), lambda: model.loss(X, y), lambda: model.gradients(X, y)):
        with pytest.raises(ValueError, match=re.escape(fragment)):
            call()


def test_a_prediction_that_overflows_is_an_error():
    model = _linear(2)
    model.params["W"][:] = 1e300  # finite weights, finite inputs
    with pytest.raises(FloatingPointError, match=r"overflowed to inf"):
        model.predict(np.full((1, 2), 1e10))


@pytest.mark.parametrize("make", [_linear, _net])
def test_from_params_and_config_rebuild_the_model(make, rng):
    model = make()
    back = type(model).from_params(model.params, **model.config())
    assert repr(back) == repr(model)
    X = rng.normal(size=(3, model.n_features))
    np.testing.assert_array_equal(back.predict(X), model.predict(X))
    back.params[next(iter(back.params))] += 1.0  # copies, not shared arrays
    assert not np.array_equal(back.predict(X), model.predict(X))


def test_from_params_rejects_what_does_not_fit():
    with pytest.raises(ValueError, match=r"params\['W'\] must be a 2-D \(D, 1\) array"):
        LinearRegression.from_params({"W": np.ones(3), "b": np.zeros(1)})
    with pytest.raises(ValueError, match=re.escape("of shape (3,), got shape (2,)")):
        TwoLayerNet.from_params(
            {"W1": np.ones((2, 3)), "b1": np.zeros(2), "W2": np.ones((3, 1)), "b2": np.zeros(1)}
        )
    with pytest.raises(ValueError, match="activation must be one of"):
        TwoLayerNet.from_params(
            {"W1": np.ones((2, 3)), "b1": np.zeros(3), "W2": np.ones((3, 1)), "b2": np.zeros(1)},
            activation="gelu",
        )


NET_PARAMS = {"W1": np.ones((2, 3)), "b1": np.zeros(3), "W2": np.ones((3, 1)), "b2": np.zeros(1)}


@pytest.mark.parametrize(
    ("cls", "params", "error", "message"),
    [
        (
            LinearRegression,
            {"W": np.ones((2, 1))},
            ValueError,
            "params of a LinearRegression must have the keys ['W', 'b'], got ['W']: missing 'b'",
        ),
        (LinearRegression, {"b": np.zeros(1)}, ValueError, "missing 'W'"),
        (
            LinearRegression,
            {"W": np.ones((2, 1)), "b": np.zeros(1), "c": 1},
            ValueError,
            "must have the keys ['W', 'b'], got ['W', 'b', 'c']: unexpected 'c'",
        ),
        (
            TwoLayerNet,
            {k: v for k, v in NET_PARAMS.items() if k != "W1"},
            ValueError,
            "params of a TwoLayerNet must have the keys ['W1', 'W2', 'b1', 'b2'], got ['W2', 'b1', "
            "'b2']: missing 'W1'",
        ),
        (
            TwoLayerNet,
            {k: v for k, v in NET_PARAMS.items() if k[0] == "W"},
            ValueError,
            "missing 'b1', 'b2'",
        ),
        (
            LinearRegression,
            [("W", np.ones((2, 1)))],
            TypeError,
            "params must be a mapping of parameter names to arrays (a dict), got [('W', ",
        ),
        (
            TwoLayerNet,
            None,
            TypeError,
            "params must be a mapping of parameter names to arrays (a dict), got None (NoneType)",
        ),
        (
            LinearRegression,
            {"W": np.ones((2, 1), dtype=bool), "b": [0.0]},
            ValueError,
            "params['W'] of LinearRegression(n_features=2) must be a float array of shape (2, 1), "
            "got shape (2, 1), dtype bool",
        ),
    ],
)
def test_from_params_names_what_is_missing_or_wrong(cls, params, error, message):
    with pytest.raises(error) as err:
        cls.from_params(params)
    assert message in str(err.value)


def test_from_params_converts_integer_arrays_to_float64():
    model = LinearRegression.from_params({"W": np.array([[1], [2]]), "b": [3]})
    assert {k: v.dtype for k, v in model.params.items()} == {"W": np.float64, "b": np.float64}
    assert model.predict([[1.0, 1.0]]).tolist() == [[6.0]]  # 1 + 2 + 3 by hand
    ints = {k: v.astype(np.int32) for k, v in NET_PARAMS.items()}
    net = TwoLayerNet.from_params(ints, activation="relu")
    assert all(v.dtype == np.float64 for v in net.params.values())
    assert net.predict([[1.0, 1.0]]).tolist() == [[6.0]]  # relu(1 + 1) * 3 hidden units


def test_saturated_sigmoid_under_strict_numpy_errors_is_not_an_error() -> None:
    """Underflow to 0 in a saturated sigmoid is the correctly rounded value: the public
    methods and sgd work even when a user makes NumPy raise on every floating-point event."""
    net = TwoLayerNet(n_features=2, n_hidden=3, activation="sigmoid", rng=0)
    X, y = np.array([[1e4, -1e4], [0.5, 0.25]]), np.array([[1.0], [0.0]])
    p = {k: v.copy() for k, v in net.params.items()}
    with np.errstate(all="ignore"):  # the literal formula, by hand
        a1 = 1.0 / (1.0 + np.exp(-(X @ p["W1"] + p["b1"])))
        expected = a1 @ p["W2"] + p["b2"]
    with np.errstate(all="raise"):
        pred = net.predict(X)
        loss = net.loss(X, y)
        grads = net.gradients(X, y)
        sgd(net, X, y, n_epochs=2, batch_size=2, lr=0.01, rng=0)
    np.testing.assert_allclose(pred, expected, rtol=1e-12)
    assert loss == pytest.approx(float(np.mean((expected - y) ** 2)), rel=1e-12)
    assert all(np.isfinite(g).all() for g in grads.values())
    assert all(np.isfinite(v).all() for v in net.params.values())
