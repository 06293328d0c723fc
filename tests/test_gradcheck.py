"""dlhomework.gradcheck: numerical gradient, relative error, and catching wrong gradients."""

from __future__ import annotations

import numpy as np
import pytest

from dlhomework.gradcheck import check_gradients, numerical_gradient, rel_error
from dlhomework.models import LinearRegression, TwoLayerNet

N, D, H = 3, 5, 7  # distinct sizes: no broadcasting bug can hide

# -- numerical_gradient ----------------------------------------------------------------


def test_numerical_gradient_of_known_functions(rng):
    x = rng.normal(size=(4, 3))
    # f = sum(sin x) + 0.5 * sum(x)^2, gradient cos x + sum(x), written by hand.
    grad = numerical_gradient(lambda v: float(np.sum(np.sin(v)) + 0.5 * np.sum(v) ** 2), x)
    exact = np.cos(x) + x.sum()
    assert grad.shape == x.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, exact, rtol=1e-8, atol=1e-10)
    # A quadratic: the centered difference is exact up to rounding.
    A = rng.normal(size=(3, 3))
    v0 = rng.normal(size=3)
    grad = numerical_gradient(lambda v: float(v @ A @ v), v0)
    np.testing.assert_allclose(grad, (A + A.T) @ v0, rtol=1e-8, atol=1e-10)


def test_numerical_gradient_scalar_array_and_float32():
    x = np.array(2.0)  # 0-d
    assert float(numerical_gradient(lambda v: float(v**3), x)) == pytest.approx(12.0, rel=1e-8)
    x32 = np.array([0.5, -1.5], dtype=np.float32)
    grad = numerical_gradient(lambda v: float(np.sum(v.astype(np.float64) ** 2)), x32, h=1e-2)
    # The step actually taken in float32 is used, so even there a quadratic is nearly exact.
    np.testing.assert_allclose(grad, [1.0, -3.0], rtol=1e-5)
    assert x32.tolist() == [0.5, -1.5]


def test_f_is_called_with_the_array_itself_and_x_restored_bitwise(rng):
    x = rng.normal(size=(2, 3))
    before = x.copy()
    seen = []

    def f(v):
        seen.append(v is x)
        return float(np.sum(v**2))

    numerical_gradient(f, x)
    assert seen and all(seen)
    assert len(seen) == 2 * x.size
    np.testing.assert_array_equal(x, before)  # bit for bit, not approximately


@pytest.mark.parametrize("fail_on_call", [1, 2, 5])
def test_exception_inside_f_leaves_x_unchanged(rng, fail_on_call):
    x = rng.normal(size=(2, 3))
    before = x.copy()
    calls = 0

    def f(v):
        nonlocal calls
        calls += 1
        if calls == fail_on_call:
            raise RuntimeError("boom")
        return float(np.sum(v))

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, before)


def test_non_finite_f_is_an_error_and_x_restored():
    x = np.array([1.0, 0.0, 3.0])
    with pytest.raises(ValueError, match=r"non-finite value .* x\[1\]"):
        numerical_gradient(lambda v: float("nan") if v[1] < 0 else float(v.sum()), x)
    assert x.tolist() == [1.0, 0.0, 3.0]


@pytest.mark.parametrize(
    ("x", "h", "error", "message"),
    [
        (np.array([1, 2, 3]), 1e-5, TypeError, "x must have a floating dtype, got int64"),
        (np.array([True]), 1e-5, TypeError, "x must have a floating dtype, got bool"),
        ([1.0, 2.0], 1e-5, TypeError, "x must be a NumPy array of floats"),
        (2.0, 1e-5, TypeError, "x must be a NumPy array of floats"),
        (np.array([1.0]), 0.0, ValueError, "h must be a finite number > 0, got 0.0"),
        (np.array([1.0]), -1e-5, ValueError, "h must be a finite number > 0"),
        (np.array([1.0]), np.inf, ValueError, "h must be a finite number > 0, got inf"),
        (np.array([1.0]), "1e-5", TypeError, "h must be a real number"),
    ],
)
def test_numerical_gradient_bad_input(x, h, error, message):
    with pytest.raises(error, match=message):
        numerical_gradient(lambda v: 0.0, x, h)


def test_numerical_gradient_read_only():
    x = np.ones(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="x must be writeable"):
        numerical_gradient(lambda v: float(v.sum()), x)


# -- rel_error -------------------------------------------------------------------------


def test_rel_error_by_hand():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([0.0, 0.0], [0.0, 0.0]) == 0.0  # both zero counts as agreement
    assert rel_error([1.0, 0.0], [1.1, 0.0]) == pytest.approx(0.1 / 2.1, rel=1e-12)
    assert rel_error([1.0], [-1.0]) == 1.0  # opposite signs
    assert rel_error([0.0], [1e-30]) == 1.0  # one side zero
    # The maximum, not the mean: one bad entry among many good ones is reported.
    a = np.ones(1000)
    b = a.copy()
    b[123] = 2.0
    assert rel_error(a, b) == pytest.approx(1 / 3, rel=1e-12)
    assert rel_error(b, a) == rel_error(a, b)
    assert rel_error([[3]], [[1]]) == 0.5  # ints accepted, 2-D


@pytest.mark.parametrize(
    ("a", "b", "error", "message"),
    [
        (np.ones(3), np.ones((3, 1)), ValueError, r"same shape, got \(3,\) and \(3, 1\)"),
        (np.ones((1, 2)), np.ones((2, 1)), ValueError, "same shape"),
        ([], [], ValueError, "a must not be empty"),
        ([np.nan], [1.0], ValueError, "a must contain only finite values"),
        ([1.0], [np.inf], ValueError, "b must contain only finite values"),
        (["x"], [1.0], TypeError, "a must be a real numeric array"),
    ],
)
def test_rel_error_bad_input(a, b, error, message):
    with pytest.raises(error, match=message):
        rel_error(a, b)


# -- check_gradients -------------------------------------------------------------------


def well_conditioned_data(model):
    """Seeded (X, y) of shapes (N, D), (N, 1) at which every gradient entry is >= 1e-3.

    A float64 centered difference has an absolute error of about 1e-10; at an entry
    that happens to be nearly 0 it becomes a relative error above 1e-7 although the
    gradient is right, so the data are drawn (deterministically) until no entry is.
    """
    for seed in range(100):
        gen = np.random.default_rng(seed)
        X, y = gen.normal(size=(N, D)), gen.normal(size=(N, 1))
        if min(float(np.abs(g).min()) for g in model.gradients(X, y).values()) > 1e-3:
            return X, y
    raise AssertionError("no well-conditioned data found")  # pragma: no cover


@pytest.fixture
def data():
    return well_conditioned_data(TwoLayerNet(D, H, "sigmoid", rng=0))


def test_check_gradients_passes_a_correct_model_and_restores_params(data):
    model = TwoLayerNet(D, H, "tanh", rng=0)
    X, y = well_conditioned_data(model)
    before = {k: v.copy() for k, v in model.params.items()}
    arrays = {k: id(v) for k, v in model.params.items()}
    errors = check_gradients(model, X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    assert all(isinstance(e, float) and e < 1e-7 for e in errors.values()), errors
    for k, v in model.params.items():
        assert id(v) == arrays[k]
        np.testing.assert_array_equal(v, before[k])


class HalfMSELinear(LinearRegression):
    """The course's gradient (of ½·MSE) with our MSE loss: half the right size."""

    def gradients(self, X, y):
        return {k: 0.5 * g for k, g in super().gradients(X, y).items()}


class W1SkipsW2(TwoLayerNet):
    """dW1 = X.T @ (pred - y) repeated: skips W2 and the activation's derivative."""

    def gradients(self, X, y):
        grads = super().gradients(X, y)
        dpred = 2.0 * (self.predict(X) - y) / len(X)
        grads["W1"] = X.T @ np.repeat(dpred, self.n_hidden, axis=1)
        return grads


class NoActivationDerivative(TwoLayerNet):
    """dz1 = da1: forgets to multiply by act'(z1)."""

    def gradients(self, X, y):
        grads = super().gradients(X, y)
        dpred = 2.0 * (self.predict(X) - y) / len(X)
        da1 = dpred @ self.params["W2"].T
        grads["W1"], grads["b1"] = X.T @ da1, da1.sum(axis=0)
        return grads


class B1FromLayer2(TwoLayerNet):
    """db1 taken from layer 2's bias gradient, broadcast to (H,)."""

    def gradients(self, X, y):
        grads = super().gradients(X, y)
        grads["b1"] = np.broadcast_to(grads["b2"], grads["b1"].shape).copy()
        return grads


def test_catches_the_half_mse_gradient():
    X, y = well_conditioned_data(LinearRegression(D, rng=0))
    errors = check_gradients(HalfMSELinear(D, rng=0), X, y)
    # |g - g/2| / (|g| + |g/2|) = 1/3 for every nonzero entry.
    assert errors["W"] == pytest.approx(1 / 3, rel=1e-6)
    assert errors["b"] == pytest.approx(1 / 3, rel=1e-6)
    assert check_gradients(LinearRegression(D, rng=0), X, y)["W"] < 1e-7


@pytest.mark.parametrize(
    ("model_class", "wrong"),
    [(W1SkipsW2, {"W1"}), (NoActivationDerivative, {"W1", "b1"}), (B1FromLayer2, {"b1"})],
)
def test_catches_wrong_two_layer_gradients_and_points_at_the_block(data, model_class, wrong):
    X, y = data
    errors = check_gradients(model_class(D, H, "sigmoid", rng=0), X, y)
    for name, error in errors.items():
        if name in wrong:
            assert error > 1e-2, (name, errors)
        else:
            assert error < 1e-7, (name, errors)


class WrongShape(LinearRegression):
    def gradients(self, X, y):
        grads = super().gradients(X, y)
        grads["b"] = grads["b"].reshape(1, 1)  # (1, 1) instead of (1,)
        return grads


class MissingKey(LinearRegression):
    def gradients(self, X, y):
        return {"W": super().gradients(X, y)["W"]}


def test_gradient_of_the_wrong_shape_or_keys_is_an_error(data):
    X, y = data
    with pytest.raises(ValueError, match=r"gradient 'b' has shape \(1, 1\) .* shape \(1,\)"):
        check_gradients(WrongShape(D, rng=0), X, y)
    with pytest.raises(
        ValueError, match=r"returned keys \['W'\] but model.params has \['W', 'b'\]"
    ):
        check_gradients(MissingKey(D, rng=0), X, y)


def test_check_gradients_bad_data(data):
    X, y = data
    with pytest.raises(ValueError, match="X has 4 features"):
        check_gradients(LinearRegression(D, rng=0), X[:, :4], y)
    with pytest.raises(ValueError, match="y must have shape"):
        check_gradients(LinearRegression(D, rng=0), X, y.ravel())
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        check_gradients(LinearRegression(D, rng=0), X, y, h=0.0)


def test_rel_error_does_not_overflow_for_finite_input():
    from dlhomework.gradcheck import rel_error

    assert rel_error([1e308], [-1e308]) == 1.0  # |a - b| / (|a| + |b|) = 2e308 / 2e308
    assert rel_error([1.5e308], [1.5e308]) == 0.0


# -- refusals instead of ZeroDivisionError / AttributeError / numpy's own messages -----


@pytest.mark.parametrize(
    ("x", "h", "message"),
    [
        (np.array([1.0, 1e20]), 1e-5, r"^h = 1e-05 is too small for x\[1\] = 1e\+20: x\[1\] ± h "),
        (np.array(1e20), 1e-5, r"^h = 1e-05 is too small for x = 1e\+20"),
        (np.array([[0.5, -3e17]]), 1e-5, r"^h = 1e-05 is too small for x\[0, 1\] = -3e\+17"),
        (np.array([1.0], dtype=np.float32), 1e-9, r"^h = 1e-09 is too small .* in float32"),
        (np.array([1.0, np.inf]), 1e-5, r"^x must be finite, got inf at x\[1\]"),
        (np.array(np.nan), 1e-5, r"^x must be finite, got nan$"),
        (np.array([1e308]), 1e308, r"^x\[0\] ± h overflows float64"),
        (np.array([0.0]), 1.7e308, r"^x\[0\] ± h overflows float64"),  # the width 2h is inf
    ],
)
def test_a_step_that_rounds_away_or_overflows_is_a_clear_error(x, h, message):
    before = x.copy()
    calls = []
    with pytest.raises(ValueError, match=message):
        numerical_gradient(lambda v: calls.append(1) or 0.0, x, h)
    assert not calls  # checked before f is first called
    np.testing.assert_array_equal(x, before)


def test_float16_is_refused_with_use_float64():
    x = np.array([1.0, 2.0], dtype=np.float16)
    with pytest.raises(TypeError, match=r"^x must be float64 .* got float16.*use float64"):
        numerical_gradient(lambda v: float(np.sum(v)), x)


def test_longdouble_step_below_float64_resolution_is_used_not_divided_by_zero():
    eps = float(np.finfo(np.longdouble).eps)  # 1.08e-19 on x86 (float64's eps elsewhere)
    x = np.array([1.0], dtype=np.longdouble)
    # f(1 ± eps) = ±1 exactly, so the quotient is 2 / (2 eps) = 1 / eps
    grad = numerical_gradient(lambda v: float((v[0] - 1) / eps), x, eps)
    assert grad.tolist() == [pytest.approx(1 / eps, rel=1e-12)]


def test_an_overflowing_difference_quotient_is_an_error():
    # d/dx 1e300 sin(1e10 x) = 1e310 at 0: beyond float64
    with pytest.raises(ValueError, match=r"^the difference quotient at x\[0\] overflows float64"):
        numerical_gradient(lambda v: 1e300 * np.sin(1e10 * float(v[0])), np.array([0.0]), 1e-20)


@pytest.mark.parametrize("result", [None, "1.0", np.array([1.0, 2.0]), 1 + 2j])
def test_f_must_return_a_real_number(result):
    x = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match=r"^f must return a real number"):
        numerical_gradient(lambda v: result, x)
    assert x.tolist() == [1.0, 2.0]


def test_f_must_be_callable():
    with pytest.raises(TypeError, match=r"^f must be callable, got float"):
        numerical_gradient(1.0, np.array([1.0]))


def test_rel_error_names_a_ragged_argument():
    # the message starts with the argument's name, not with NumPy's "setting an array element"
    with pytest.raises(ValueError, match=r"^a\b"):
        rel_error([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"^b\b"):
        rel_error([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0]])


class _NoLoss:
    def __init__(self):
        self.params = {"W": np.zeros(2)}

    def gradients(self, X, y):
        return {"W": np.zeros(2)}


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (object(), r"^model must have params .*; object has no params, loss, gradients$"),
        (_NoLoss(), r"^model must have .*; _NoLoss has no loss$"),
        (LinearRegression, r"^model must have .*; type has no params$"),  # the class itself
    ],
)
def test_check_gradients_refuses_what_is_not_a_model(model, message):
    with pytest.raises(TypeError, match=message):
        check_gradients(model, np.ones((N, D)), np.ones((N, 1)))


class _Custom(LinearRegression):
    """A linear model whose params/gradients the tests replace."""


def _custom(**changes):
    model = _Custom(D, rng=0)
    for name, value in changes.items():
        setattr(model, name, value)
    return model


def test_check_gradients_names_the_parameter_block(data):
    X, y = data
    model = _custom()
    model.params["W"] = model.params["W"].astype(np.float16)
    with pytest.raises(TypeError, match=r"^model.params\['W'\] must be float64 .* use float64"):
        check_gradients(model, X, y)
    model = _custom()
    model.params["b"] = [0.0]
    with pytest.raises(TypeError, match=r"^model.params\['b'\] must be a NumPy array"):
        check_gradients(model, X, y)
    model = _custom()
    model.params["W"][2, 0] = 1e20
    with pytest.raises(ValueError, match=r"too small for model.params\['W'\]\[2, 0\] = 1e\+20"):
        check_gradients(model, X, y)
    assert model.params["W"][2, 0] == 1e20
    with pytest.raises(TypeError, match=r"^model.params must be a non-empty dict"):
        check_gradients(_custom(params=[np.zeros(3)]), X, y)


def test_check_gradients_names_bad_gradients_and_losses(data):
    X, y = data
    model = _custom()
    model.gradients = lambda X, y: [np.zeros((D, 1)), np.zeros(1)]
    with pytest.raises(TypeError, match=r"^model.gradients must return a dict of arrays, got list"):
        check_gradients(model, X, y)
    model = _custom()
    model.gradients = lambda X, y: {"W": np.full((D, 1), np.nan), "b": np.zeros(1)}
    with pytest.raises(ValueError, match=r"^gradient 'W' must contain only finite values"):
        check_gradients(model, X, y)
    model = _custom()
    model.loss = lambda X, y: float("inf")
    with pytest.raises(
        ValueError,
        match=r"^model.loss returned a non-finite value .* model\.params\['W'\]\[0, 0\] was",
    ):
        check_gradients(model, X, y)
