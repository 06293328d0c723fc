"""dlhomework.paddle_port: the Paddle port checked against the NumPy models (homework 1-6).

The independent sources: the NumPy models' hand-written forward and backward
passes and ``training.sgd`` (for Paddle's layers, autograd and optimizer), the raw
housing file with statistics recomputed here (for the one-house prediction), and
hand counts (for the line counter).
"""

from __future__ import annotations

import inspect
import math
import pickle
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

from dlhomework import model_files, training
from dlhomework.activations import ACTIVATIONS as NUMPY_ACTIVATIONS
from dlhomework.data import load_data, load_housing
from dlhomework.gradcheck import rel_error
from dlhomework.models import LinearRegression, TwoLayerNet, least_squares
from dlhomework.training import sgd, sgd_epoch

N, D, H = 11, 5, 7  # distinct sizes: a broadcasting bug cannot hide
ACTS = ["sigmoid", "tanh", "relu", "identity"]


@pytest.fixture(scope="module")
def pp(paddle):
    """The module under test (needs paddle)."""
    from dlhomework import paddle_port

    return paddle_port


@pytest.fixture(autouse=True)
def _default_dtype_is_left_alone(request):
    """Every test must leave Paddle's global default dtype at float32."""
    yield
    if "pp" in request.fixturenames:
        import paddle

        assert paddle.get_default_dtype() == "float32"


@pytest.fixture
def data(rng):
    X = rng.normal(size=(N, D))
    y = rng.normal(size=(N, 1))
    return X, y


def numpy_models(rng_seed: int = 3):
    yield LinearRegression(D, rng=rng_seed)
    for act in ACTS:
        yield TwoLayerNet(D, H, act, rng=rng_seed)


MODEL_IDS = ["linear", *(f"two-layer-{a}" for a in ACTS)]


@pytest.fixture(scope="module")
def housing():
    train, test, normalizer = load_data()
    return train[:, :-1], train[:, -1:], test[:, :-1], test[:, -1:], normalizer


# -- importing without paddle --------------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_dlhomework_does_not_import_paddle():
    result = run_python(
        """
        import sys
        import dlhomework, dlhomework.data, dlhomework.models, dlhomework.training
        print("paddle" in sys.modules)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_paddle_the_module_says_how_to_install_it():
    result = run_python(
        """
        import sys
        sys.modules["paddle"] = None  # what Python does for a module that cannot be imported
        import dlhomework, dlhomework.models  # the package itself needs no paddle
        try:
            import dlhomework.paddle_port
        except ImportError as err:
            print("ImportError:", err)
        else:
            print("imported")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ImportError:")
    assert 'pip install "dlhomework[paddle]"' in result.stdout


# -- the layers ----------------------------------------------------------------------


@pytest.mark.paddle
def test_layers_have_the_numpy_shapes_and_names(pp):
    lin = pp.Regressor(D)
    assert {k: tuple(v.shape) for k, v in lin.named_weights().items()} == {"W": (D, 1), "b": (1,)}
    net = pp.TwoLayerRegressor(D, H, "tanh")
    assert {k: tuple(v.shape) for k, v in net.named_weights().items()} == {
        "W1": (D, H),
        "b1": (H,),
        "W2": (H, 1),
        "b2": (1,),
    }
    # named_weights returns the layer's own parameters, in Paddle's order
    assert [id(p) for p in net.named_weights().values()] == [id(p) for p in net.parameters()]
    assert str(lin.fc.weight.dtype) == "paddle.float32"  # Paddle's default


@pytest.mark.paddle
def test_float64_layers_leave_the_global_default_alone(pp, paddle):
    for layer in (pp.Regressor(D, dtype="float64"), pp.TwoLayerRegressor(D, H, dtype="float64")):
        assert {str(p.dtype) for p in layer.parameters()} == {"paddle.float64"}
        assert layer.dtype == "float64"
    assert paddle.get_default_dtype() == "float32"
    assert str(paddle.nn.Linear(2, 1).weight.dtype) == "paddle.float32"


def _weights(layer) -> dict[str, np.ndarray]:
    return {name: w.numpy() for name, w in layer.named_weights().items()}


@pytest.mark.paddle
def test_seeded_layers_are_reproducible_without_global_state(pp, paddle, tmp_path):
    """rng gives the same weights whatever Paddle's and NumPy's global generators hold."""
    builders = [
        lambda rng: pp.Regressor(D, rng=rng),
        lambda rng: pp.TwoLayerRegressor(D, H, "relu", rng=rng),
    ]
    np_state = np.random.get_state()[1].copy()  # noqa: NPY002
    for build in builders:
        paddle.seed(1)
        first = _weights(build(5))
        paddle.seed(2)  # another global Paddle state: no effect
        again = _weights(build(5))
        from_generator = _weights(build(np.random.default_rng(5)))
        other = _weights(build(6))
        for name, w in first.items():
            np.testing.assert_array_equal(again[name], w)
            np.testing.assert_array_equal(from_generator[name], w)
            assert np.isfinite(w).all()
        weight = next(iter(first))  # "W" or "W1"
        assert not np.array_equal(other[weight], first[weight])  # another seed, other weights
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)  # noqa: NPY002
    # Seeded layers (and from_numpy, load) draw nothing from Paddle's global generator;
    # an unseeded layer does (the test has teeth).
    pp.save(pp.TwoLayerRegressor(D, H, rng=0), tmp_path / "net.pdparams")
    paddle.seed(3)
    expected = paddle.rand([4]).numpy()
    paddle.seed(3)
    pp.Regressor(rng=0)
    pp.TwoLayerRegressor(rng=0)
    pp.from_numpy(TwoLayerNet(D, H, rng=0))
    pp.load(tmp_path / "net.pdparams")
    np.testing.assert_array_equal(paddle.rand([4]).numpy(), expected)
    paddle.seed(3)
    pp.Regressor()
    assert not np.array_equal(paddle.rand([4]).numpy(), expected)


@pytest.mark.paddle
def test_seeded_initialization_has_paddles_default_distribution(pp, paddle):
    """Compared with Paddle's own default initializer (Xavier-uniform weight, zero bias)."""
    n_in, n_out = 300, 200
    seeded = pp.TwoLayerRegressor(n_in, n_out, rng=0)
    default = paddle.nn.Linear(n_in, n_out)  # Paddle's own initialization
    ours, theirs = seeded.fc1.weight.numpy(), default.weight.numpy()
    limit = math.sqrt(6.0 / (n_in + n_out))  # the documented Xavier-uniform bound
    assert np.abs(theirs).max() <= limit  # the bound is Paddle's
    assert 0.99 * limit < np.abs(ours).max() <= limit
    assert ours.std() == pytest.approx(theirs.std(), rel=0.02)  # 60 000 draws each
    assert abs(float(ours.mean())) < 0.01 * limit
    assert np.abs(seeded.fc2.weight.numpy()).max() <= math.sqrt(6.0 / (n_out + 1))
    for bias in (seeded.fc1.bias, seeded.fc2.bias):
        assert not bias.numpy().any()
    np.testing.assert_array_equal(default.bias.numpy(), 0.0)
    # float64 holds the draw itself, float32 the same draw rounded once
    w64 = pp.Regressor(D, dtype="float64", rng=4).fc.weight.numpy()
    w32 = pp.Regressor(D, rng=4).fc.weight.numpy()
    assert w64.dtype == np.float64 and w32.dtype == np.float32
    np.testing.assert_array_equal(w32, w64.astype(np.float32))


@pytest.mark.paddle
def test_activation_names_match_the_numpy_model(pp):
    assert set(pp.ACTIVATIONS) == set(NUMPY_ACTIVATIONS)


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda pp: pp.Regressor(0), ValueError, "n_features must be a positive integer, got 0"),
        (lambda pp: pp.Regressor("13"), TypeError, "n_features must be an integer"),
        (lambda pp: pp.Regressor(13.0), TypeError, "n_features must be an integer"),
        (lambda pp: pp.Regressor(dtype="float16"), ValueError, "dtype must be one of"),
        (lambda pp: pp.TwoLayerRegressor(n_hidden=0), ValueError, "n_hidden must be a positive"),
        (lambda pp: pp.TwoLayerRegressor(activation="softmax"), ValueError, "'softmax'"),
        (lambda pp: pp.TwoLayerRegressor(dtype=np.float64), ValueError, "dtype must be one of"),
        (lambda pp: pp.Regressor(rng=-1), ValueError, "rng seed must be non-negative, got -1"),
        (lambda pp: pp.TwoLayerRegressor(rng="a"), TypeError, "rng must be a numpy.random.Gen"),
        (lambda pp: pp.TwoLayerRegressor(rng=1.5), TypeError, "rng must be a numpy.random.Gen"),
    ],
)
def test_layer_bad_arguments(pp, build, error, message):
    with pytest.raises(error, match=message):
        build(pp)


# -- same weights, same predictions and gradients ------------------------------------


@pytest.mark.paddle
@pytest.mark.parametrize("model", list(numpy_models()), ids=MODEL_IDS)
def test_same_weights_same_predictions(pp, model, data):
    X, _ = data
    expected = model.predict(X)
    got32 = pp.predict(pp.from_numpy(model), X)
    np.testing.assert_allclose(got32, expected, rtol=1e-5, atol=1e-6)  # float32 tolerance
    got64 = pp.predict(pp.from_numpy(model, dtype="float64"), X)
    np.testing.assert_allclose(got64, expected, rtol=1e-13, atol=1e-14)
    assert got32.shape == got64.shape == (N, 1)
    assert got32.dtype == got64.dtype == np.float64


@pytest.mark.paddle
@pytest.mark.parametrize("model", list(numpy_models()), ids=MODEL_IDS)
def test_autograd_agrees_with_the_hand_written_gradients(pp, model, data):
    X, y = data
    expected = model.gradients(X, y)

    got64 = pp.gradients(pp.from_numpy(model, dtype="float64"), X, y)
    assert list(got64) == list(model.params)
    for name in expected:
        assert got64[name].shape == expected[name].shape
        assert rel_error(got64[name], expected[name]) < 1e-10, name

    got32 = pp.gradients(pp.from_numpy(model), X, y)
    for name in expected:
        scale = np.abs(expected[name]).max()
        np.testing.assert_allclose(got32[name], expected[name], rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.paddle
def test_a_wrong_hand_written_gradient_would_be_caught(pp, data):
    """The check has teeth: ½·MSE's gradient (the course's) differs by a factor 2."""
    X, y = data
    model = LinearRegression(D, rng=0)
    half = {k: v / 2 for k, v in model.gradients(X, y).items()}
    got = pp.gradients(pp.from_numpy(model, dtype="float64"), X, y)
    assert rel_error(got["W"], half["W"]) > 0.3


@pytest.mark.paddle
def test_gradients_leave_grad_accumulators_and_inputs_alone(pp, data):
    X, y = data
    X_before, y_before = X.copy(), y.copy()
    layer = pp.TwoLayerRegressor(D, H, rng=0)
    pp.gradients(layer, X, y)
    assert all(p.grad is None for p in layer.parameters())
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


# -- the bridge ----------------------------------------------------------------------


@pytest.mark.paddle
@pytest.mark.parametrize("model", list(numpy_models()), ids=MODEL_IDS)
def test_round_trip_is_exact_in_float64(pp, model):
    before = {k: v.copy() for k, v in model.params.items()}
    back = pp.to_numpy(pp.from_numpy(model, dtype="float64"))
    assert type(back) is type(model)
    assert repr(back) == repr(model)
    for name in model.params:
        np.testing.assert_array_equal(back.params[name], model.params[name])
        assert back.params[name].dtype == np.float64
        assert back.params[name] is not model.params[name]
        np.testing.assert_array_equal(model.params[name], before[name])  # not modified


@pytest.mark.paddle
@pytest.mark.parametrize("model", list(numpy_models()), ids=MODEL_IDS)
def test_round_trip_through_float32_rounds_each_weight_once(pp, model):
    back = pp.to_numpy(pp.from_numpy(model))  # float32 layer
    for name, w in model.params.items():
        # exactly the float32 nearest to each weight, and within half a float32 ulp
        np.testing.assert_array_equal(back.params[name], w.astype(np.float32).astype(np.float64))
        np.testing.assert_allclose(back.params[name], w, rtol=2.0**-24, atol=0)
    # and float32 → float64 → float32 loses nothing
    layer = pp.from_numpy(model)
    again = pp.from_numpy(pp.to_numpy(layer))
    for name, p in layer.named_weights().items():
        np.testing.assert_array_equal(again.named_weights()[name].numpy(), p.numpy())


@pytest.mark.paddle
def test_bridge_rejects_other_objects(pp, paddle):
    with pytest.raises(
        TypeError,
        match=re.escape("registered Paddle counterpart (LinearRegression, TwoLayerNet), got str"),
    ):
        pp.from_numpy("model")
    with pytest.raises(
        TypeError,
        match=re.escape("register_paddle_model (Regressor, TwoLayerRegressor), got Linear"),
    ):
        pp.to_numpy(paddle.nn.Linear(D, 1))
    with pytest.raises(ValueError, match="dtype must be one of"):
        pp.from_numpy(LinearRegression(D, rng=0), dtype="int32")


BAD_X = [
    (np.ones((N, D + 1)), ValueError, "expects n_features=5"),
    (np.ones(D), ValueError, "X must be 2-D"),
    (np.ones((0, D)), ValueError, "X must not be empty"),
    (np.full((N, D), np.nan), ValueError, "X must contain only finite values"),
    ([["a"] * D], TypeError, "real numeric"),
]


@pytest.mark.paddle
@pytest.mark.parametrize(("X", "error", "message"), BAD_X)
def test_predict_and_gradients_reject_bad_inputs(pp, X, error, message):
    layer = pp.Regressor(D)
    with pytest.raises(error, match=message):
        pp.predict(layer, X)
    with pytest.raises(error, match=message):
        pp.gradients(layer, X, np.ones((np.shape(X)[0], 1)))


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.ones(N), r"got shape \(11,\) \(reshape it with y.reshape\(-1, 1\)\)"),
        (np.ones((N, 2)), r"y must have shape \(n_samples, 1\), got shape \(11, 2\)"),
        (np.ones((N - 1, 1)), "got X with 11 and y with 10"),
        (np.full((N, 1), np.inf), "y must contain only finite values"),
    ],
)
def test_gradients_reject_bad_targets(pp, data, y, message):
    with pytest.raises(ValueError, match=message):
        pp.gradients(pp.Regressor(D), data[0], y)


@pytest.mark.paddle
def test_predict_and_gradients_reject_other_layers(pp, paddle, data):
    with pytest.raises(TypeError, match="got Linear"):
        pp.predict(paddle.nn.Linear(D, 1), data[0])
    with pytest.raises(TypeError, match="got Linear"):
        pp.gradients(paddle.nn.Linear(D, 1), *data)


# -- training ------------------------------------------------------------------------


@pytest.mark.paddle
@pytest.mark.parametrize("kind", ["linear", "two-layer"])
def test_training_reduces_the_loss(pp, housing, kind):
    """Seeded weights: with Paddle's global generator, some initial weights failed."""
    X, y, X_test, y_test, _ = housing
    layer = (
        pp.Regressor(rng=0) if kind == "linear" else pp.TwoLayerRegressor(activation="tanh", rng=0)
    )

    def mse(X, y):
        return float(np.mean((pp.predict(layer, X) - y) ** 2))

    before, test_before = mse(X, y), mse(X_test, y_test)
    history = pp.train(layer, X, y, n_epochs=5, batch_size=10, lr=0.05, rng=0)
    assert mse(X, y) < 0.5 * before
    assert history.epoch_losses[-1] < history.epoch_losses[0]
    assert mse(X_test, y_test) < 0.5 * test_before  # it generalizes: the test loss falls too


@pytest.mark.paddle
@pytest.mark.parametrize("kind", ["linear", "two-layer"])
def test_paddle_training_follows_numpy_sgd(pp, housing, kind):
    """Same initial weights, same seed (same batches), same lr: the same run."""
    X, y = housing[0], housing[1]
    model = LinearRegression(rng=1) if kind == "linear" else TwoLayerNet(activation="tanh", rng=1)
    layer64, layer32 = pp.from_numpy(model, dtype="float64"), pp.from_numpy(model)
    kwargs = {"n_epochs": 3, "batch_size": 16, "lr": 0.05}
    np_history = sgd(model, X, y, rng=7, **kwargs)
    h64 = pp.train(layer64, X, y, rng=7, **kwargs)
    h32 = pp.train(layer32, X, y, rng=7, **kwargs)

    assert h64.iterations_per_epoch == np_history.iterations_per_epoch == math.ceil(404 / 16)
    assert rel_error(h64.losses, np_history.losses) < 1e-10
    assert rel_error(h32.losses, np_history.losses) < 1e-4
    trained64, trained32 = pp.to_numpy(layer64), pp.to_numpy(layer32)
    for name, w in model.params.items():
        assert rel_error(trained64.params[name], w) < 1e-10, name
        np.testing.assert_allclose(trained32.params[name], w, rtol=1e-4, atol=1e-5)


@pytest.mark.paddle
def test_history_records_losses_before_each_update(pp, data):
    X, y = data
    model = TwoLayerNet(D, H, "sigmoid", rng=0)
    layer = pp.from_numpy(model, dtype="float64")
    batch = 4
    history = pp.train(layer, X, y, n_epochs=3, batch_size=batch, lr=0.1, shuffle=False)
    per_epoch = math.ceil(N / batch)  # 11 samples, batches of 4: 4, 4, 3
    assert history.iterations_per_epoch == per_epoch
    assert len(history.losses) == 3 * per_epoch
    # the first loss is the initial model's MSE on the first batch (no update yet)
    assert history.losses[0] == pytest.approx(model.loss(X[:batch], y[:batch]), rel=1e-12)
    for e in range(3):
        chunk = history.losses[e * per_epoch : (e + 1) * per_epoch]
        assert history.epoch_losses[e] == pytest.approx(sum(chunk) / per_epoch, rel=1e-12)
    assert all(t > 0 for t in history.epoch_times)
    assert history.epoch_times == sorted(history.epoch_times)
    assert history.wall_time == history.epoch_times[-1]
    assert all(isinstance(v, float) for v in history.losses)


@pytest.mark.paddle
def test_drop_last_skips_the_partial_batch(pp, data):
    X, y = data
    layer = pp.Regressor(D, rng=0)
    history = pp.train(layer, X, y, n_epochs=2, batch_size=4, lr=0.01, drop_last=True)
    assert history.iterations_per_epoch == N // 4
    assert len(history.losses) == 2 * (N // 4)


@pytest.mark.paddle
def test_training_is_reproducible_and_leaves_global_random_state_alone(pp, data):
    X, y = data
    model = LinearRegression(D, rng=0)
    # Paddle's own RandomSampler would draw from NumPy's legacy global state: it must not.
    np_state = np.random.get_state()[1].copy()  # noqa: NPY002
    runs = [
        pp.train(pp.from_numpy(model), X, y, n_epochs=2, batch_size=3, lr=0.01, rng=s).losses
        for s in (5, 5, 6)
    ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)  # noqa: NPY002
    gen = np.random.default_rng(5)  # a Generator is accepted as rng
    run = pp.train(pp.from_numpy(model), X, y, n_epochs=2, batch_size=3, lr=0.01, rng=gen)
    assert run.losses == runs[0]


@pytest.mark.paddle
def test_callback_sees_every_epoch_and_changes_nothing(pp, data):
    X, y = data
    model = TwoLayerNet(D, H, "tanh", rng=0)
    with_cb, without = pp.from_numpy(model), pp.from_numpy(model)
    seen = []

    def record(epoch, history):
        seen.append((epoch, len(history.epoch_losses), len(history.losses), history))

    history = pp.train(with_cb, X, y, n_epochs=3, batch_size=4, lr=0.1, rng=9, callback=record)
    reference = pp.train(without, X, y, n_epochs=3, batch_size=4, lr=0.1, rng=9)
    per_epoch = math.ceil(N / 4)
    assert [s[:3] for s in seen] == [(e, e, e * per_epoch) for e in (1, 2, 3)]
    assert all(s[3] is history for s in seen)  # the History being filled, not a copy
    assert history.losses == reference.losses
    assert history.epoch_losses == reference.epoch_losses
    for name, w in _weights(without).items():
        np.testing.assert_array_equal(_weights(with_cb)[name], w)


@pytest.mark.paddle
def test_an_exception_in_the_callback_stops_training(pp, data):
    X, y = data
    model = LinearRegression(D, rng=0)
    stopped, two_epochs = pp.from_numpy(model), pp.from_numpy(model)

    def stop_after_two(epoch, history):
        if epoch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pp.train(stopped, X, y, n_epochs=9, batch_size=4, lr=0.1, rng=1, callback=stop_after_two)
    pp.train(two_epochs, X, y, n_epochs=2, batch_size=4, lr=0.1, rng=1)
    for name, w in _weights(two_epochs).items():
        np.testing.assert_array_equal(_weights(stopped)[name], w)


@pytest.mark.paddle
def test_diverging_training_raises(pp, housing):
    X, y = housing[0], housing[1]
    layer = pp.TwoLayerRegressor(rng=0)
    with pytest.raises(
        FloatingPointError,
        match=r"epoch \d+, iteration \d+.*smaller learning rate than lr=1000000\.0",
    ):
        pp.train(layer, X, y, n_epochs=20, batch_size=10, lr=1e6, rng=0)
    assert all(np.isfinite(w).all() for w in _weights(layer).values())


@pytest.mark.paddle
@pytest.mark.parametrize("batch_size", [N, 3])
def test_a_parameter_overflowing_is_caught_and_undone(pp, data, batch_size):
    """A huge lr: the first loss is finite, the float32 weights after the first step are not."""
    X, y = data
    layer = pp.Regressor(D, rng=0)
    before = _weights(layer)
    per_epoch = math.ceil(N / batch_size)
    with pytest.raises(
        FloatingPointError,
        match=rf"parameter '(W|b)' would become non-finite at epoch 1, iteration 1 "
        rf"\(of {per_epoch} per epoch\).*\(parameters left at their last finite values\)",
    ):
        pp.train(layer, 100 * X, y, n_epochs=1, batch_size=batch_size, lr=1e38)
    for name, w in _weights(layer).items():  # the step was undone: the initial weights
        np.testing.assert_array_equal(w, before[name])


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("lr", "message"),
    [
        (1e150, "the loss became inf at epoch 1, iteration 3 (of 4 per epoch)"),
        (1e162, "parameter 'W' would become non-finite at epoch 1, iteration 2 (of 4 per epoch)"),
    ],
)
def test_non_finite_training_keeps_the_last_finite_weights_like_sgd(pp, lr, message):
    """NumPy sgd is the reference: same message, same last finite parameters.

    Small-integer X and y exactly linear in it; W starts 2**-40 from the solution,
    so every residual is computed exactly and the first step is a tiny gradient
    times a huge lr.  The weights grow to ~1e150 (lr 1e162) or ~1e290 (lr 1e150),
    finite in float64, before the next step (lr 1e162: 1e159 … 1e164 do this) or
    the next loss (lr 1e150: 1e140 … 1e158) overflows.
    """
    X = np.random.default_rng(0).integers(-3, 4, size=(N, D)).astype(np.float64)
    model = LinearRegression(D, rng=0)
    model.params["W"][:, 0] = [1.0, -2.0, 3.0, 0.5, -1.0]
    model.params["b"][:] = 0.25
    y = model.predict(X)
    model.params["W"] += 2.0**-40
    layer = pp.from_numpy(model, dtype="float64")
    kwargs = {"n_epochs": 3, "batch_size": 3, "lr": lr, "shuffle": False}
    with pytest.raises(FloatingPointError) as paddle_error:
        pp.train(layer, X, y, **kwargs)
    with pytest.raises(FloatingPointError) as numpy_error:
        sgd(model, X, y, **kwargs)
    assert str(paddle_error.value).startswith(message)
    assert str(paddle_error.value) == str(numpy_error.value)
    trained = pp.to_numpy(layer)
    for name, w in model.params.items():
        assert np.isfinite(trained.params[name]).all()
        assert rel_error(trained.params[name], w) < 1e-12, name
    assert np.abs(trained.params["W"]).max() > 1e100  # the steps before the failure were kept


@pytest.mark.paddle
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_finite_growth_is_caught_like_sgd(pp, housing, dtype):
    """lr=20, full batch: the loss grows ~100x per step, finite for many epochs."""
    X, y = housing[0], housing[1]
    model = LinearRegression(rng=0)
    layer = pp.from_numpy(model, dtype=dtype)
    kwargs = {"n_epochs": 50, "batch_size": len(X), "lr": 20.0}
    with pytest.raises(FloatingPointError) as paddle_error:
        pp.train(layer, X, y, rng=0, **kwargs)
    with pytest.raises(FloatingPointError) as numpy_error:
        sgd(model, X, y, rng=0, **kwargs)
    found = re.fullmatch(
        r"the loss grew from (\S+) before training to (\S+) \(mean of epoch (\d+)\): training "
        r"diverged; use a smaller learning rate than lr=20\.0",
        str(paddle_error.value),
    )
    assert found, paddle_error.value
    assert str(paddle_error.value) == str(numpy_error.value)  # to 4 significant digits
    initial = LinearRegression(rng=0).loss(X, y)
    assert float(found.group(1)) == pytest.approx(initial, rel=1e-3)
    assert float(found.group(2)) > training.DIVERGENCE_FACTOR * initial
    # The weights at the end of that epoch: sgd's.  (Not b one by one: the data are
    # centred, its gradient is rounding noise, and lr=20 multiplies b by -39 each step.)
    trained = pp.to_numpy(layer)
    assert all(np.isfinite(w).all() for w in trained.params.values())
    tolerance = 1e-12 if dtype == "float64" else 1e-5
    assert rel_error(trained.params["W"], model.params["W"]) < tolerance
    assert trained.loss(X, y) == pytest.approx(model.loss(X, y), rel=tolerance)


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_epochs": 0}, ValueError, "n_epochs must be a positive integer, got 0"),
        ({"n_epochs": 1.5}, TypeError, "n_epochs must be an integer"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
        ({"batch_size": True}, TypeError, "batch_size must be an integer"),
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0"),
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0"),
        ({"lr": float("nan")}, ValueError, "lr must be a finite number > 0"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number"),
        ({"rng": -1}, ValueError, "rng seed must be non-negative, got -1"),
        ({"rng": "a"}, TypeError, "rng must be a numpy.random.Generator, an int seed or None"),
        ({"seed": 0}, TypeError, "unexpected keyword argument 'seed'"),  # rng, as sgd names it
        ({"shuffle": "yes"}, TypeError, "shuffle must be a bool"),
        ({"drop_last": 1}, TypeError, "drop_last must be a bool"),
        ({"batch_size": N + 1, "drop_last": True}, ValueError, "leaves no batch"),
        ({"callback": "print"}, TypeError, "callback must be callable or None, got 'print'"),
    ],
)
def test_train_bad_arguments(pp, data, kwargs, error, message):
    X, y = data
    args = {"n_epochs": 1, "batch_size": 2, "lr": 0.01} | kwargs
    with pytest.raises(error, match=message):
        pp.train(pp.Regressor(D), X, y, **args)


@pytest.mark.paddle
def test_train_takes_the_keywords_of_sgd(pp):
    """The same keyword-only arguments, rng included, with the same defaults."""
    ours = list(inspect.signature(pp.train).parameters.values())[3:]
    theirs = list(inspect.signature(sgd).parameters.values())[3:]
    assert [(p.name, p.kind, p.default) for p in ours] == [
        (p.name, p.kind, p.default) for p in theirs
    ]
    assert "rng" in [p.name for p in ours]


@pytest.mark.paddle
def test_train_bad_data_and_layer(pp, paddle, data):
    X, y = data
    args = {"n_epochs": 1, "batch_size": 2, "lr": 0.01}
    with pytest.raises(ValueError, match="expects n_features=6"):
        pp.train(pp.Regressor(D + 1), X, y, **args)
    with pytest.raises(ValueError, match=r"y must have shape \(n_samples, 1\)"):
        pp.train(pp.Regressor(D), X, y.ravel(), **args)
    with pytest.raises(TypeError, match="got Linear"):
        pp.train(paddle.nn.Linear(D, 1), X, y, **args)
    broken = pp.Regressor(D, rng=0)
    broken.fc.bias.set_value(np.array([np.nan], dtype=np.float32))
    with pytest.raises(ValueError, match="layer weight 'b' holds NaN or inf before training"):
        pp.train(broken, X, y, **args)


# -- save and load -------------------------------------------------------------------


@pytest.mark.paddle
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["linear", "two-layer"])
def test_save_then_load_predicts_identically(pp, tmp_path, data, kind, dtype):
    X, _ = data
    layer = (
        pp.Regressor(D, dtype=dtype)
        if kind == "linear"
        else pp.TwoLayerRegressor(D, H, "relu", dtype=dtype)
    )
    path = tmp_path / "nested" / "dir" / "model.pdparams"
    pp.save(layer, path)  # a PathLike, parent directories created
    back = pp.load(str(path))  # a str
    assert type(back) is type(layer)
    assert back.architecture() == layer.architecture()
    assert not back.training  # eval mode, ready for inference
    np.testing.assert_array_equal(pp.predict(back, X), pp.predict(layer, X))
    for name, p in layer.named_weights().items():
        np.testing.assert_array_equal(back.named_weights()[name].numpy(), p.numpy())


@pytest.mark.paddle
def test_load_missing_and_directory(pp, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.pdparams"):
        pp.load(tmp_path / "nope.pdparams")
    with pytest.raises(ValueError, match="is not a file"):
        pp.load(tmp_path)


def _write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, paddle: _write_bytes(p, b""), "not an .npz archive"),
        (lambda p, paddle: _write_bytes(p, b"hello world\n"), "not an .npz archive"),
        (lambda p, paddle: _write_bytes(p, pickle.dumps([1, 2, 3])), "it looks like a pickle"),
        (
            lambda p, paddle: paddle.save(paddle.nn.Linear(13, 1).state_dict(), str(p)),
            "it looks like a pickle",
        ),
        (lambda p, paddle: np.savez(p, W=np.ones((13, 1))), "no 'dlhomework.model' format tag"),
    ],
    ids=["empty", "text", "pickle", "course-state-dict", "other-npz"],
)
def test_load_rejects_files_that_are_not_our_models(pp, paddle, tmp_path, make, message):
    path = tmp_path / "model.pdparams"
    make(path, paddle)
    if not path.exists():  # np.savez appends .npz
        path = path.with_name(path.name + ".npz")
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        pp.load(path)
    assert path.name in str(info.value)


class _Exploit:
    """Unpickling this object creates a file: proof that a loader ran foreign code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.paddle
@pytest.mark.parametrize("name", ["model.npz", "model.pdparams", "model"])
def test_load_never_unpickles(pp, tmp_path, name):
    marker = tmp_path / "marker"
    path = _write_bytes(tmp_path / name, pickle.dumps({"state": _Exploit(marker)}))
    with pytest.raises(ValueError, match="never unpickles"):
        pp.load(path)
    assert not marker.exists()


@pytest.mark.paddle
def test_one_file_format_for_both_backends(pp, tmp_path, rng):
    """A Paddle save loads as the NumPy model, and a NumPy save as a Paddle layer."""
    layer = pp.TwoLayerRegressor(D, H, "tanh", dtype="float32", rng=3)
    pp.save(layer, tmp_path / "paddle.npz")
    numpy_model = model_files.load(tmp_path / "paddle.npz")
    assert repr(numpy_model) == f"TwoLayerNet(n_features={D}, n_hidden={H}, activation='tanh')"
    for name, w in layer.named_weights().items():
        assert model_files.read(tmp_path / "paddle.npz").params[name].dtype == np.float32
        np.testing.assert_array_equal(numpy_model.params[name], w.numpy().astype(np.float64))

    net = TwoLayerNet(D, H, "relu", rng=4)
    model_files.save(net, tmp_path / "numpy.npz")
    back = pp.load(tmp_path / "numpy.npz")
    assert back.dtype == "float64"  # float64 weights are kept exactly
    X = rng.normal(size=(4, D))
    np.testing.assert_allclose(pp.predict(back, X), net.predict(X), rtol=1e-12)


@pytest.mark.paddle
def test_save_refuses_non_finite_weights_and_keeps_the_old_file(pp, tmp_path):
    path = tmp_path / "model.npz"
    pp.save(pp.Regressor(D, rng=0), path)
    before = path.read_bytes()
    broken = pp.Regressor(D, rng=1)
    broken.fc.bias.set_value(np.array([np.inf], dtype=np.float32))
    with pytest.raises(ValueError, match="parameter 'b' holds NaN or inf"):
        pp.save(broken, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


@pytest.mark.paddle
def test_from_numpy_names_the_parameter_that_does_not_fit(pp):
    model = TwoLayerNet(D, H, rng=0)
    model.params["b1"] = np.zeros((H, 4))
    with pytest.raises(ValueError, match=re.escape(f"params['b1'] of {model!r} must be a float")):
        pp.from_numpy(model)
    del model.params["b1"]
    with pytest.raises(ValueError, match=re.escape("must have the keys ['W1', 'W2', 'b1', 'b2']")):
        pp.from_numpy(model)
    linear = LinearRegression(3, rng=0)
    linear.params["W"] = np.ones((4, 1))
    with pytest.raises(ValueError, match=re.escape("shape (3, 1), got shape (4, 1)")):
        pp.from_numpy(linear)
    huge = LinearRegression(D, rng=0)
    huge.params["W"][0, 0] = 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        with pytest.raises(ValueError, match=r"up to 1e\+300, beyond float32's range"):
            pp.from_numpy(huge)
    assert pp.from_numpy(huge, dtype="float64").fc.weight.numpy()[0, 0] == 1e300


@pytest.mark.paddle
def test_train_blames_float32_overflow_not_the_learning_rate(pp, data):
    X, y = data
    layer = pp.Regressor(D, rng=0)
    with pytest.raises(ValueError, match=r"X holds values up to .*beyond float32's range"):
        pp.train(layer, X * 1e300, y, n_epochs=1, batch_size=2, lr=0.1, rng=0)
    with pytest.raises(FloatingPointError, match="the learning rate is not the cause"):
        pp.train(layer, X * 1e30, y * 1e30, n_epochs=1, batch_size=2, lr=0.1, rng=0)


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("models", "error", "message"),
    [
        ("linear", TypeError, "models must be a list of model names such as ['linear'], got 'l"),
        ([], ValueError, "models must name at least one model"),
        (["cnn"], ValueError, "got 'cnn'"),
    ],
)
def test_compare_checks_its_models_argument(pp, models, error, message):
    with pytest.raises(error, match=re.escape(message)):
        pp.compare(models=models, n_epochs=1)


@pytest.mark.paddle
def test_save_rejects_other_layers(pp, paddle, tmp_path):
    with pytest.raises(TypeError, match="got Linear"):
        pp.save(paddle.nn.Linear(2, 1), tmp_path / "x.pdparams")
    assert not (tmp_path / "x.pdparams").exists()


# -- one house, in $1000s ------------------------------------------------------------


def _by_hand(model: LinearRegression, row: int) -> float:
    """The prediction for one raw row, with the statistics recomputed from the file."""
    raw = load_housing()
    train = raw[:404]
    mean, span = train.mean(axis=0), train.max(axis=0) - train.min(axis=0)
    x = (raw[row, :-1] - mean[:-1]) / span[:-1]
    z = float(x @ model.params["W"][:, 0] + model.params["b"][0])
    return z * span[-1] + mean[-1]


@pytest.mark.paddle
def test_predict_row_matches_a_hand_computation(pp, housing):
    X, y = housing[0], housing[1]
    model = least_squares(X, y)
    result = pp.predict_row(model)  # the course's load_one_example: row -10
    assert (result.row, result.split, result.actual) == (496, "test", 19.7)
    assert result.predicted == pytest.approx(_by_hand(model, 496), rel=1e-12)
    # the least-squares fit in raw units predicts the same price
    raw = load_housing()
    A = np.hstack([raw[:404, :-1], np.ones((404, 1))])
    w = np.linalg.lstsq(A, raw[:404, -1], rcond=None)[0]
    assert result.predicted == pytest.approx(float(np.append(raw[496, :-1], 1.0) @ w), rel=1e-9)

    paddle_result = pp.predict_row(pp.from_numpy(model))  # a Paddle layer works too
    assert paddle_result.predicted == pytest.approx(result.predicted, rel=1e-5)
    first = pp.predict_row(model, 0)
    assert (first.row, first.split, first.actual) == (0, "train", 24.0)
    assert pp.predict_row(model, -506).row == 0
    assert isinstance(result.predicted, float)


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("model", "row", "error", "message"),
    [
        ("model", -10, TypeError, "model must be a registered Paddle model or a NumPy model"),
        (None, 506, IndexError, r"row must be in \[-506, 505\].*got 506"),
        (None, -507, IndexError, r"got -507"),
        (None, 1.0, TypeError, "row must be an integer"),
        (None, True, TypeError, "row must be an integer"),
    ],
)
def test_predict_row_bad_arguments(pp, model, row, error, message):
    with pytest.raises(error, match=message):
        pp.predict_row(LinearRegression(rng=0) if model is None else model, row)


# -- the comparison ------------------------------------------------------------------


def _hand_counted(x):  # 1
    """Docstring:
    not code."""
    # comment: not code

    total = (  # 2: a statement on three lines counts once
        x + 1
    )
    return total  # 3 in all: def, the statement, return


class _HandCounted:  # 1
    """Docstring."""

    value = 1  # 2

    def method(self):  # 3
        """Docstring."""
        return self.value  # 4


@pytest.mark.paddle
def test_count_code_lines_by_hand(pp):
    assert pp.count_code_lines(_hand_counted) == 3
    assert pp.count_code_lines(_HandCounted) == 4
    assert pp.count_code_lines(_hand_counted, _HandCounted) == 7
    assert pp.count_code_lines() == 0
    with pytest.raises(TypeError, match="cannot read the source"):
        pp.count_code_lines(len)


def _toy_helper():  # 1
    return 1  # 2


def _toy_uses_helper():  # 1
    return _toy_helper() + 1  # 2


class _Toy:
    def public(self):  # 1
        return self._private()  # 2

    def _private(self):  # 1
        return _toy_helper() + len("x")  # 2: len is a builtin, not a helper


@pytest.mark.paddle
def test_program_parts_follow_private_helpers_once(pp):
    program = pp.Program(
        owner=_Toy, model=(_Toy.public,), gradients=(_toy_uses_helper,), training=()
    )
    parts = program.parts()
    assert [f.__name__ for f in parts["model"]] == ["public", "_private", "_toy_helper"]
    assert [f.__name__ for f in parts["gradients"]] == ["_toy_uses_helper"]  # helper seen
    assert parts["training"] == []
    assert pp.count_code_lines(*parts["model"]) == 6


@pytest.mark.paddle
def test_program_lines(pp):
    for model in ("linear", "two-layer"):
        np_lines = pp.program_lines(model, "numpy")
        pd_lines = pp.program_lines(model, "paddle")
        assert set(np_lines) == set(pd_lines) == {"model", "gradients", "training"}
        assert pd_lines["gradients"] == 0  # autograd
        assert np_lines["gradients"] >= 5  # the backward pass is written by hand
    # the two-layer backward pass is longer than the linear one
    assert (
        pp.program_lines("two-layer", "numpy")["gradients"]
        > pp.program_lines("linear", "numpy")["gradients"]
    )
    with pytest.raises(ValueError, match="backend 'numpy' or 'paddle'"):
        pp.program_lines("linear", "torch")
    paddle_parts = pp.PROGRAMS[("two-layer", "paddle")].parts()
    assert pp.train_epoch in paddle_parts["training"]  # the loop, not the checks
    assert pp.train not in paddle_parts["training"]
    assert pp.TwoLayerRegressor.forward in paddle_parts["model"]
    numpy_parts = pp.PROGRAMS[("two-layer", "numpy")].parts()
    assert numpy_parts["gradients"][0] is TwoLayerNet.backward
    assert sgd_epoch in numpy_parts["training"]
    assert sgd not in numpy_parts["training"]


@pytest.mark.paddle
def test_compare_trains_both_versions_identically(pp):
    rows = pp.compare(n_epochs=2, batch_size=50, lr=0.05, n_hidden=6, activation="tanh", seed=3)
    assert [(r.model, r.backend) for r in rows] == [
        ("linear", "numpy"),
        ("linear", "paddle"),
        ("two-layer", "numpy"),
        ("two-layer", "paddle"),
    ]
    for np_row, pd_row in (rows[:2], rows[2:]):
        assert pd_row.test_mse == pytest.approx(np_row.test_mse, rel=1e-4)
        assert pd_row.train_mse == pytest.approx(np_row.train_mse, rel=1e-4)
        assert pd_row.grad_rel_error_float32 < 1e-3
        assert pd_row.grad_rel_error_float64 < 1e-10
        assert pd_row.loss_rel_diff < 1e-4
        assert np_row.grad_rel_error_float32 is None and np_row.loss_rel_diff is None
        assert pd_row.gradient_lines == 0 < np_row.gradient_lines
        assert np_row.lines_of_code == sum(pp.program_lines(np_row.model, "numpy").values())
        assert np_row.seconds_per_epoch > 0 and pd_row.seconds_per_epoch > 0
        assert len(pd_row.history.losses) == len(np_row.history.losses) == 2 * math.ceil(404 / 50)
    # the NumPy rows are what training.sgd gives from the same seed
    model = LinearRegression(rng=3)
    train, test, _ = load_data()
    sgd(model, train[:, :-1], train[:, -1:], n_epochs=2, batch_size=50, lr=0.05, rng=3)
    assert rows[0].test_mse == pytest.approx(model.loss(test[:, :-1], test[:, -1:]), rel=1e-12)

    text = pp.format_comparison(rows).splitlines()
    assert len(text) == 1 + len(rows)
    assert text[2].split()[:2] == ["linear", "paddle"]


@pytest.mark.paddle
def test_compare_bad_arguments(pp):
    with pytest.raises(ValueError, match="'cnn'"):
        pp.compare(models=["cnn"])
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        pp.compare(batch_size=0, models=["linear"])
    with pytest.raises(TypeError, match="seed must be an integer"):
        pp.compare(seed=None)


@pytest.mark.paddle
def test_default_dtype_is_still_float32_after_everything(pp, paddle):
    assert paddle.get_default_dtype() == "float32"


@pytest.mark.paddle
def test_a_layer_with_non_finite_weights_does_not_become_a_numpy_model(pp):
    layer = pp.Regressor(D, rng=0)
    layer.fc.weight.set_value(np.full((D, 1), np.nan, dtype=np.float32))
    with pytest.raises(ValueError, match=re.escape(f"params['W'] of {LinearRegression(D)!r}")):
        pp.to_numpy(layer)


@pytest.mark.paddle
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"W": np.ones((D, 1)), "b": np.ones(2)}, "params['b'] must have shape (1,), got shape (2"),
        ({"W": np.ones((D, 1))}, "params['b'] must have shape (1,), got nothing"),
    ],
)
def test_from_params_names_the_array_that_does_not_fit(pp, params, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        pp.Regressor.from_params(params)


@pytest.mark.paddle
def test_a_subclass_of_a_registered_type_converts_as_that_type(pp, data):
    """E.g. the homework 1-4 mistakes: wrong backward passes, the same network forward."""
    from dlhomework.mistakes import HalfMSEMistake

    X, _ = data
    mistake = HalfMSEMistake(D, H, "tanh", rng=0)
    layer = pp.from_numpy(mistake, dtype="float64")
    assert type(layer) is pp.TwoLayerRegressor
    np.testing.assert_allclose(pp.predict(layer, X), mistake.predict(X), rtol=1e-13)
    assert type(pp.to_numpy(layer)) is TwoLayerNet


@pytest.mark.paddle
def test_losses_whose_sum_overflows_are_reported_not_recorded(pp):
    """Every loss finite but their sum is not: a clear error, not an inf mean.

    One feature, X = 1, y = 0, batches of one: each step multiplies the residual
    r = W + b by 1 - 4 lr = -1.3 (lr = 0.576), the loss r² by 1.7:
    5e307, 8.5e307, 1.4e308 (sum 2.8e308 > 1.8e308), and the weights stay finite.
    """
    model = LinearRegression(1, rng=0)
    model.params["W"][:] = math.sqrt(5e307)
    model.params["b"][:] = 0.0
    layer = pp.from_numpy(model, dtype="float64")
    X, y = np.ones((3, 1)), np.zeros((3, 1))
    with pytest.raises(FloatingPointError, match="epoch 1 are finite but their sum overflows"):
        pp.train(layer, X, y, n_epochs=1, batch_size=1, lr=0.576, shuffle=False)
    assert all(np.isfinite(w).all() for w in _weights(layer).values())


# -- a model type the package does not know ------------------------------------------


class PowerNet(__import__("dlhomework.models", fromlist=["Regressor"]).Regressor):
    """``pred = X @ W + (X ** power) @ V + b``: a third NumPy model, written for this test.

    Its backward pass is written by hand below and checked against finite differences.
    """

    def __init__(self, n_features: int = 3, power: int = 2, rng=None) -> None:
        self.n_features, self.power = n_features, power
        gen = np.random.default_rng(rng)
        self.params = {
            "W": gen.standard_normal((n_features, 1)),
            "V": 0.1 * gen.standard_normal((n_features, 1)),
            "b": np.zeros(1),
        }

    def __repr__(self) -> str:
        return f"PowerNet(n_features={self.n_features}, power={self.power})"

    def param_shapes(self):
        return {"W": (self.n_features, 1), "V": (self.n_features, 1), "b": (1,)}

    def config(self):
        return {"power": self.power}

    def forward(self, X):
        p = self.params
        return X @ p["W"] + (X**self.power) @ p["V"] + p["b"]

    def forward_backward(self, X, y):
        Xp = X**self.power
        diff = self.forward(X) - y
        dpred = 2.0 * diff / X.shape[0]
        grads = {"W": X.T @ dpred, "V": Xp.T @ dpred, "b": dpred.sum(axis=0)}
        return float(np.mean(diff**2)), grads

    @classmethod
    def from_params(cls, params, power=2):
        model = cls(np.shape(params["W"])[0], power, rng=0)
        model.params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
        model.check_params()
        return model


@pytest.fixture
def power_net(pp, paddle):
    """PowerNet and its Paddle layer, registered for one test only."""

    class PaddlePowerNet(paddle.nn.Layer):
        def __init__(self, n_features: int = 3, power: int = 2, *, dtype: str = "float32"):
            super().__init__()
            self.n_features, self.power, self.dtype = n_features, power, dtype
            self.fc = paddle.nn.Linear(n_features, 1)
            self.V = self.create_parameter([n_features, 1])
            if dtype != "float32":
                self.to(dtype=dtype)

        def forward(self, x):
            return self.fc(x) + (x**self.power) @ self.V

        def named_weights(self):
            return {"W": self.fc.weight, "V": self.V, "b": self.fc.bias}

        def config(self):
            return {"power": self.power}

        @classmethod
        def from_params(cls, params, *, dtype="float32", power=2):
            layer = cls(np.shape(params["W"])[0], power, dtype=dtype)
            for name, w in layer.named_weights().items():
                w.set_value(np.asarray(params[name], dtype=dtype))
            return layer

    assert "PowerNet" not in model_files.MODEL_TYPES
    model_files.register_model(PowerNet)
    assert pp.register_paddle_model("PowerNet", PaddlePowerNet) is PaddlePowerNet
    yield PaddlePowerNet
    del model_files.MODEL_TYPES["PowerNet"]
    del pp.PADDLE_MODELS["PowerNet"]


@pytest.mark.paddle
def test_the_third_model_is_right_by_finite_differences(data):
    """The reference below is the test model's own hand-written backward pass: check it."""
    from dlhomework.gradcheck import check_gradients

    errors = check_gradients(PowerNet(D, power=3, rng=1), *data)
    assert sorted(errors) == ["V", "W", "b"]
    assert max(errors.values()) < 1e-7


@pytest.mark.paddle
def test_a_registered_model_converts_predicts_and_differentiates(pp, power_net, data):
    X, y = data
    model = PowerNet(D, power=3, rng=1)
    layer = pp.from_numpy(model, dtype="float64")
    assert type(layer) is power_net
    assert layer.config() == {"power": 3}  # the setting travels, not the default 2
    np.testing.assert_allclose(pp.predict(layer, X), model.predict(X), rtol=1e-13, atol=1e-14)
    got, expected = pp.gradients(layer, X, y), model.gradients(X, y)
    assert list(got) == ["W", "V", "b"]
    for name in expected:
        assert rel_error(got[name], expected[name]) < 1e-10, name
    back = pp.to_numpy(layer)
    assert repr(back) == "PowerNet(n_features=5, power=3)"
    for name, w in model.params.items():
        np.testing.assert_array_equal(back.params[name], w)
    assert pp.to_numpy(pp.from_numpy(model)).params["V"].dtype == np.float64  # float32 layer


@pytest.mark.paddle
def test_a_registered_model_trains_like_sgd(pp, power_net, data):
    X, y = data
    model = PowerNet(D, power=3, rng=2)
    layer = pp.from_numpy(model, dtype="float64")
    kwargs = {"n_epochs": 4, "batch_size": 3, "lr": 0.01}
    np_history = sgd(model, X, y, rng=5, **kwargs)
    pd_history = pp.train(layer, X, y, rng=5, **kwargs)
    assert rel_error(pd_history.losses, np_history.losses) < 1e-10
    assert pd_history.epoch_losses[-1] < pd_history.epoch_losses[0]
    trained = pp.to_numpy(layer)
    for name, w in model.params.items():
        assert rel_error(trained.params[name], w) < 1e-10, name


@pytest.mark.paddle
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_registered_model_saves_and_loads_with_both_backends(pp, power_net, tmp_path, dtype):
    layer = pp.from_numpy(PowerNet(D, power=3, rng=3), dtype=dtype)
    pp.save(layer, tmp_path / "power.npz")
    found = model_files.read(tmp_path / "power.npz")
    assert (found.model, found.config) == ("PowerNet", {"power": 3})
    assert {k: v.dtype for k, v in found.params.items()} == dict.fromkeys("WVb", np.dtype(dtype))
    back = pp.load(tmp_path / "power.npz")
    assert type(back) is power_net and back.dtype == dtype and not back.training
    for name, w in layer.named_weights().items():
        np.testing.assert_array_equal(back.named_weights()[name].numpy(), w.numpy())
    numpy_model = model_files.load(tmp_path / "power.npz")
    assert repr(numpy_model) == "PowerNet(n_features=5, power=3)"
    np.testing.assert_array_equal(numpy_model.params["V"], layer.V.numpy().astype(np.float64))


@pytest.mark.paddle
def test_a_registered_model_prices_a_house(pp, power_net):
    model = PowerNet(13, power=2, rng=4)
    expected = pp.predict_row(model, 7)
    got = pp.predict_row(pp.from_numpy(model, dtype="float64"), 7)
    assert (got.row, got.split, got.actual) == (7, "train", 27.1)  # the file's row 8: MEDV 27.1
    assert got.predicted == pytest.approx(expected.predicted, rel=1e-12)


@pytest.mark.paddle
def test_a_numpy_type_without_a_paddle_layer_is_refused(pp, tmp_path):
    """Registered with model_files but not with register_paddle_model."""
    model_files.register_model(PowerNet)
    try:
        with pytest.raises(TypeError, match=r"registered Paddle counterpart .*, got PowerNet"):
            pp.from_numpy(PowerNet(D, rng=0))
        model_files.save(PowerNet(D, rng=0), tmp_path / "power.npz")
        with pytest.raises(ValueError, match="a PowerNet has no Paddle counterpart"):
            pp.load(tmp_path / "power.npz")
    finally:
        del model_files.MODEL_TYPES["PowerNet"]


@pytest.mark.paddle
def test_register_paddle_model_checks_both_sides(pp):
    class NoFromParams:
        def named_weights(self):
            return {}

        def config(self):
            return {}

    with pytest.raises(ValueError, match="numpy_name must name a model type registered"):
        pp.register_paddle_model("Nothing", pp.Regressor)
    with pytest.raises(TypeError, match=r"NoFromParams cannot be registered: .* from_params\(\)"):
        pp.register_paddle_model("LinearRegression", NoFromParams)
    assert pp.PADDLE_MODELS == {
        "LinearRegression": pp.Regressor,
        "TwoLayerNet": pp.TwoLayerRegressor,
    }


# -- package layout: one module per concept, every name re-exported -------------------

PUBLIC_NAMES = {
    # the names of the single-module version, which chapters and citations use
    "ACTIVATIONS", "DTYPES", "PROGRAMS", "ComparisonRow", "Program", "Regressor",
    "RowPrediction", "TwoLayerRegressor", "compare", "count_code_lines", "format_comparison",
    "from_numpy", "gradients", "load", "predict", "predict_row", "program_lines", "save",
    "to_numpy", "train",
    # the loop body of train, which homework 1-6 shows
    "train_epoch",
    # and the open registry, its protocol and the one Paddle MSE
    "PADDLE_MODELS", "PaddleModel", "mse", "register_paddle_model",
}  # fmt: skip


@pytest.mark.paddle
def test_each_public_name_comes_from_one_concept_module_and_is_reexported(pp):
    import importlib
    import pkgutil

    assert set(pp.__all__) == PUBLIC_NAMES
    owner: dict[str, str] = {}
    for info in pkgutil.iter_modules(pp.__path__):
        if info.name.startswith("_"):
            continue
        assert info.name != "train"  # a module named train would shadow pp.train
        module = importlib.import_module(f"dlhomework.paddle_port.{info.name}")
        assert "homework 1-6" in (module.__doc__ or "").lower(), info.name
        assert len(Path(module.__file__).read_text(encoding="utf-8").splitlines()) < 600
        for name in module.__all__:
            assert name not in owner, f"{name} in {owner.get(name)} and {info.name}"
            owner[name] = info.name
            assert getattr(pp, name) is getattr(module, name)
            obj = getattr(module, name)
            if callable(obj) and not name.isupper():
                assert obj.__module__ == module.__name__, name
    assert set(owner) == PUBLIC_NAMES - {"RowPrediction"}  # the one of dlhomework.experiments
    assert pp.RowPrediction is importlib.import_module("dlhomework.experiments").RowPrediction
    assert pp.train.__module__ == "dlhomework.paddle_port.training"
