"""dlhomework.training: mini-batch SGD and its History."""

from __future__ import annotations

import numpy as np
import pytest

from dlhomework.batching import iterations_per_epoch
from dlhomework.data import load_data
from dlhomework.models import LinearRegression, TwoLayerNet, least_squares
from dlhomework.training import History, ProgressBar, sgd


@pytest.fixture(scope="module")
def housing():
    train, _, _ = load_data()
    return train[:, :-1], train[:, -1:]


@pytest.fixture
def small(rng):
    X = rng.normal(size=(23, 5))
    y = X @ rng.normal(size=(5, 1)) + 0.1 * rng.normal(size=(23, 1))
    return X, y


def _manual_gd(X, y, W, b, *, epochs, batch_size, lr):
    """Independent reference: the course's loop, in order, gradient 2/n X^T e (of MSE)."""
    W, b, losses = W.copy(), float(b), []
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            e = xb @ W + b - yb
            losses.append(float(np.mean(e**2)))
            W = W - lr * 2.0 * xb.T @ e / len(xb)
            b = b - lr * 2.0 * float(np.mean(e))
    return W, b, losses


@pytest.mark.parametrize("batch_size", [1, 4, 23, 100])
def test_matches_a_hand_written_loop(small, batch_size):
    X, y = small
    model = LinearRegression(5, rng=0)
    W, b, losses = _manual_gd(
        X, y, model.params["W"], model.params["b"][0], epochs=3, batch_size=batch_size, lr=0.05
    )
    history = sgd(model, X, y, n_epochs=3, batch_size=batch_size, lr=0.05, shuffle=False)
    # Same arithmetic up to the order of floating-point sums.
    np.testing.assert_allclose(history.losses, losses, rtol=1e-10)
    np.testing.assert_allclose(model.params["W"], W, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(model.params["b"], [b], rtol=1e-10, atol=1e-13)


def test_history_bookkeeping(small):
    X, y = small
    model = LinearRegression(5, rng=0)
    initial_loss = model.loss(X, y)
    history = sgd(model, X, y, n_epochs=4, batch_size=5, lr=0.01, rng=0)
    per_epoch = iterations_per_epoch(23, 5)  # 5 batches: 4 of 5 and one of 3
    assert isinstance(history, History)
    assert history.iterations_per_epoch == per_epoch == 5
    assert len(history.losses) == 4 * per_epoch
    assert all(type(v) is float for v in history.losses + history.epoch_losses)
    chunks = np.reshape(history.losses, (4, per_epoch))
    np.testing.assert_allclose(history.epoch_losses, chunks.mean(axis=1), rtol=1e-14)
    assert len(history.epoch_times) == 4
    assert all(t > 0 for t in history.epoch_times)
    assert history.epoch_times == sorted(history.epoch_times)
    assert history.wall_time == history.epoch_times[-1]
    # Loss recorded before the update: full batch, the first loss is the initial loss.
    full = LinearRegression(5, rng=0)
    first = sgd(full, X, y, n_epochs=1, batch_size=23, lr=0.01, rng=0).losses[0]
    assert first == pytest.approx(initial_loss, rel=1e-14)


def test_empty_history_wall_time():
    assert History().wall_time == 0.0
    assert History().losses == []


def test_drop_last_skips_the_partial_batch(small):
    X, y = small
    model = LinearRegression(5, rng=0)
    history = sgd(model, X, y, n_epochs=2, batch_size=5, lr=0.01, rng=0, drop_last=True)
    assert history.iterations_per_epoch == 4
    assert len(history.losses) == 8


def test_params_updated_in_place(small):
    X, y = small
    model = TwoLayerNet(5, 7, "tanh", rng=0)
    arrays = dict(model.params)
    before = {k: v.copy() for k, v in arrays.items()}
    sgd(model, X, y, n_epochs=1, batch_size=8, lr=0.01, rng=0)
    for k, v in model.params.items():
        assert v is arrays[k]  # the same array objects, changed in place
        assert not np.array_equal(v, before[k])


def test_inputs_not_modified(small):
    X, y = small
    X0, y0 = X.copy(), y.copy()
    sgd(LinearRegression(5, rng=0), X, y, n_epochs=2, batch_size=4, lr=0.01, rng=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_reproducible_with_the_same_seed(housing):
    X, y = housing
    start = TwoLayerNet(rng=0)
    runs = []
    for rng in (7, 7, np.random.default_rng(7)):
        model = start.copy()
        history = sgd(model, X, y, n_epochs=3, batch_size=32, lr=0.1, rng=rng)
        runs.append((history, model))
    (h0, m0), *others = runs
    for h, m in others:
        assert h.losses == h0.losses  # identical, not approximately
        assert h.epoch_losses == h0.epoch_losses
        assert h.iterations_per_epoch == h0.iterations_per_epoch
        for k in m0.params:
            np.testing.assert_array_equal(m.params[k], m0.params[k])
    other = start.copy()
    h_other = sgd(other, X, y, n_epochs=3, batch_size=32, lr=0.1, rng=8)
    assert h_other.losses != h0.losses
    # A Generator is advanced: two runs on one Generator see different shuffles.
    gen = np.random.default_rng(7)
    a = sgd(start.copy(), X, y, n_epochs=1, batch_size=32, lr=0.1, rng=gen)
    b = sgd(start.copy(), X, y, n_epochs=1, batch_size=32, lr=0.1, rng=gen)
    assert a.losses != b.losses


def test_sgd_approaches_the_least_squares_optimum(housing):
    X, y = housing
    best = least_squares(X, y).loss(X, y)
    model = LinearRegression(rng=0)
    history = sgd(model, X, y, n_epochs=150, batch_size=16, lr=0.2, rng=0)
    final = model.loss(X, y)
    assert best <= final < 1.01 * best
    assert history.epoch_losses[-1] < history.epoch_losses[0] / 10


def test_full_batch_gradient_descent_decreases_monotonically(housing):
    X, y = housing
    history = sgd(LinearRegression(rng=1), X, y, n_epochs=50, batch_size=404, lr=0.2, rng=0)
    assert all(b < a for a, b in zip(history.losses, history.losses[1:], strict=False))


def test_two_layer_net_trains(housing):
    X, y = housing
    for activation, factor in [("tanh", 0.5), ("relu", 0.5), ("sigmoid", 0.95)]:
        net = TwoLayerNet(activation=activation, rng=0)
        before = net.loss(X, y)
        sgd(net, X, y, n_epochs=20, batch_size=32, lr=0.1, rng=0)
        assert net.loss(X, y) < factor * before, activation


@pytest.mark.parametrize("model", [LinearRegression(rng=0), TwoLayerNet(activation="relu", rng=0)])
def test_divergence_raises_and_params_stay_finite(housing, model):
    X, y = housing
    model = model.copy()
    with pytest.raises(FloatingPointError) as info:
        sgd(model, X, y, n_epochs=50, batch_size=10, lr=1e4, rng=0)
    message = str(info.value)
    assert "diverged" in message and "smaller learning rate than lr=10000.0" in message
    assert "at epoch " in message and "iteration " in message and "per epoch" in message
    for p in model.params.values():
        assert np.all(np.isfinite(p))


def test_divergence_names_the_right_epoch_and_iteration(monkeypatch):
    # x = y = 1, W = b = 0, in order, batches of 2 out of 4 samples (2 per epoch).  The
    # error e = W + b - 1 starts at -1; each step subtracts lr * 2e from W and from b,
    # so e is multiplied by (1 - 4 lr) = -5 with lr = 1.5, and the loss e² recorded at
    # global iteration k is 25**(k - 1).  It overflows float64 (max 1.8e308) first at
    # k = 222 (25**220 = 3e307, 25**221 = 8e308): epoch 111, its iteration 2.
    # (The growth check would stop it at epoch 3 — next test — so switch it off here.)
    monkeypatch.setattr("dlhomework.training.DIVERGENCE_FACTOR", np.inf)
    X = np.ones((4, 1))
    model = LinearRegression(1, rng=0)
    model.params["W"][:] = 0.0
    with pytest.raises(
        FloatingPointError, match=r"loss became inf at epoch 111, iteration 2 \(of 2"
    ):
        sgd(model, X, X, n_epochs=1000, batch_size=2, lr=1.5, shuffle=False)
    assert np.isfinite(model.params["W"]).all() and np.isfinite(model.params["b"]).all()


def test_growth_check_fires_at_the_hand_computed_epoch():
    # Same set-up: the loss before training is 1 and the losses of epoch k are
    # 25**(2k - 2) and 25**(2k - 1), mean 13 * 25**(2k - 2).  That first exceeds
    # 1e6 * 1 at k = 3 (13 * 25**4 = 5_078_125; k = 2 gives 8125).
    X = np.ones((4, 1))
    model = LinearRegression(1, rng=0)
    model.params["W"][:] = 0.0
    with pytest.raises(
        FloatingPointError, match=r"grew from 1 before training to 5\.078e\+06 \(mean of epoch 3\)"
    ):
        sgd(model, X, X, n_epochs=1000, batch_size=2, lr=1.5, shuffle=False)


class NanGradient(LinearRegression):
    def forward_backward(self, X, y):
        loss, grads = super().forward_backward(X, y)
        grads["b"] = np.array([np.nan])
        return loss, grads


class HugeGradient(LinearRegression):
    def forward_backward(self, X, y):
        loss, _ = super().forward_backward(X, y)
        return loss, {k: np.full_like(v, 1e308) for k, v in self.params.items()}


def test_non_finite_gradient_or_update_leaves_params_untouched(small):
    X, y = small
    for cls, message in [(NanGradient, "gradient of 'b'"), (HugeGradient, "parameter 'W'")]:
        model = cls(5, rng=0)
        before = {k: v.copy() for k, v in model.params.items()}
        with pytest.raises(FloatingPointError, match=f"{message}.* at epoch 1, iteration 1"):
            sgd(model, X, y, n_epochs=1, batch_size=5, lr=10.0, rng=0)
        for k, v in model.params.items():
            np.testing.assert_array_equal(v, before[k])


class WrongKeys(LinearRegression):
    def forward_backward(self, X, y):
        loss, grads = super().forward_backward(X, y)
        return loss, {"W": grads["W"]}


class WrongShape(LinearRegression):
    def forward_backward(self, X, y):
        loss, grads = super().forward_backward(X, y)
        grads["W"] = grads["W"].ravel()
        return loss, grads


def test_bad_gradients_from_the_model(small):
    X, y = small
    with pytest.raises(ValueError, match=r"returned keys \['W'\] but model.params has"):
        sgd(WrongKeys(5, rng=0), X, y, n_epochs=1, batch_size=5, lr=0.1)
    with pytest.raises(ValueError, match=r"gradient 'W' has shape \(5,\) .* shape \(5, 1\)"):
        sgd(WrongShape(5, rng=0), X, y, n_epochs=1, batch_size=5, lr=0.1)


def test_bad_model_params(small):
    X, y = small
    model = LinearRegression(5, rng=0)
    model.params["W"] = np.zeros((5, 1), dtype=int)
    with pytest.raises(TypeError, match=r"model.params\['W'\] must be a float ndarray"):
        sgd(model, X, y, n_epochs=1, batch_size=5, lr=0.1)
    model.params["W"] = [[0.0]] * 5
    with pytest.raises(TypeError, match=r"model.params\['W'\] must be a float ndarray"):
        sgd(model, X, y, n_epochs=1, batch_size=5, lr=0.1)
    model.params["W"] = np.full((5, 1), np.nan)
    with pytest.raises(ValueError, match=r"model.params\['W'\] holds NaN or inf"):
        sgd(model, X, y, n_epochs=1, batch_size=5, lr=0.1)
    model.params = {}
    with pytest.raises(TypeError, match="model must have a non-empty dict `params`"):
        sgd(model, X, y, n_epochs=1, batch_size=5, lr=0.1)


GOOD = {"n_epochs": 1, "batch_size": 5, "lr": 0.1}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lr": 0}, ValueError, "lr must be a finite number > 0, got 0.0"),
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0, got -0.1"),
        ({"lr": float("nan")}, ValueError, "lr must be a finite number > 0, got nan"),
        ({"lr": float("inf")}, ValueError, "lr must be a finite number > 0, got inf"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number, got '0.1'"),
        ({"lr": True}, TypeError, "lr must be a real number, got True"),
        ({"n_epochs": 0}, ValueError, "n_epochs must be a positive integer, got 0"),
        ({"n_epochs": 2.0}, TypeError, r"n_epochs must be an integer, got 2\.0"),
        ({"n_epochs": True}, TypeError, "n_epochs must be an integer, got True"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0"),
        ({"batch_size": -5}, ValueError, "batch_size must be a positive integer, got -5"),
        ({"batch_size": 5.0}, TypeError, r"batch_size must be an integer, got 5\.0"),
        ({"batch_size": 30, "drop_last": True}, ValueError, "batch_size=30 > n_samples=23"),
        ({"shuffle": "yes"}, TypeError, "shuffle must be a bool, got 'yes'"),
        ({"drop_last": 0}, TypeError, "drop_last must be a bool, got 0"),
        ({"rng": 0.5}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_bad_hyper_parameters(small, kwargs, error, message):
    X, y = small
    model = LinearRegression(5, rng=0)
    before = model.params["W"].copy()
    with pytest.raises(error, match=message):
        sgd(model, X, y, **{**GOOD, **kwargs})
    np.testing.assert_array_equal(model.params["W"], before)


X_OK, Y_OK = np.ones((23, 5)), np.ones((23, 1))


@pytest.mark.parametrize(
    ("X", "y", "error", "message"),
    [
        (X_OK, np.ones(23), ValueError, r"y must have shape \(n_samples, 1\), got shape \(23,\)"),
        (X_OK, np.ones((22, 1)), ValueError, "got X with 23 and y with 22"),
        (np.ones(23), Y_OK, ValueError, "X must be 2-D"),
        (np.ones((23, 4)), Y_OK, ValueError, "X has 4 features"),
        (np.full((23, 5), np.nan), Y_OK, ValueError, "X must contain only finite values"),
        (X_OK, np.full((23, 1), np.inf), ValueError, "y must contain only finite values"),
        (np.ones((0, 5)), np.ones((0, 1)), ValueError, "X must not be empty"),
        (np.full((23, 5), "a"), Y_OK, TypeError, "X must be a real numeric array"),
    ],
)
def test_bad_data(X, y, error, message):
    model = LinearRegression(5, rng=0)
    before = model.params["W"].copy()
    with pytest.raises(error, match=message):
        sgd(model, X, y, **GOOD)
    np.testing.assert_array_equal(model.params["W"], before)


def test_finite_divergence_is_caught_long_before_inf():
    """lr=20 multiplies the loss by ~100 per full-batch step: finite for a long while."""
    from dlhomework.data import load_data
    from dlhomework.models import LinearRegression
    from dlhomework.training import DIVERGENCE_FACTOR

    train, _, _ = load_data()
    X, y = train[:, :-1], train[:, -1:]
    model = LinearRegression(13, rng=0)
    initial = model.loss(X, y)
    with pytest.raises(FloatingPointError, match=r"grew from .* \(mean of epoch \d+\).*lr=20"):
        sgd(model, X, y, n_epochs=50, batch_size=404, lr=20.0, rng=0)
    # It stopped at the first epoch past the threshold, with finite parameters.
    reached = model.loss(X, y)
    assert np.isfinite(reached)
    assert all(np.isfinite(p).all() for p in model.params.values())
    assert reached > DIVERGENCE_FACTOR * initial


def test_healthy_noisy_training_is_not_called_divergent():
    """Batch size 1 has single-sample losses far above the mean; the check uses epoch means."""
    from dlhomework.data import load_data
    from dlhomework.models import LinearRegression

    train, _, _ = load_data()
    X, y = train[:, :-1], train[:, -1:]
    history = sgd(LinearRegression(13, rng=1), X, y, n_epochs=3, batch_size=1, lr=0.01, rng=1)
    assert max(history.losses) / min(history.losses) > 1e6  # individual losses vary wildly
    assert history.epoch_losses[-1] < history.epoch_losses[0]


def test_callback_sees_every_epoch_and_changes_nothing():
    X = np.linspace(-1.0, 1.0, 10).reshape(-1, 1)
    y = 3.0 * X + 0.5
    seen = []
    a, b = LinearRegression(1, rng=4), LinearRegression(1, rng=4)
    with_cb = sgd(
        a, X, y, n_epochs=4, batch_size=3, lr=0.1, rng=9,
        callback=lambda epoch, h: seen.append((epoch, len(h.epoch_losses), len(h.losses))),
    )  # fmt: skip
    without = sgd(b, X, y, n_epochs=4, batch_size=3, lr=0.1, rng=9)
    assert seen == [(1, 1, 4), (2, 2, 8), (3, 3, 12), (4, 4, 16)]  # ceil(10 / 3) = 4 per epoch
    assert with_cb.losses == without.losses
    np.testing.assert_array_equal(a.params["W"], b.params["W"])


def test_callback_exception_stops_training():
    X = np.ones((4, 1))

    def stop(epoch, history):
        if epoch == 2:
            raise KeyboardInterrupt

    history_len = []
    with pytest.raises(KeyboardInterrupt):
        sgd(LinearRegression(1, rng=0), X, X, n_epochs=10, batch_size=2, lr=0.1,
            callback=lambda e, h: (history_len.append(e), stop(e, h)))  # fmt: skip
    assert history_len == [1, 2]


def test_callback_must_be_callable():
    X = np.ones((4, 1))
    with pytest.raises(TypeError, match="callback must be callable or None, got 3"):
        sgd(LinearRegression(1, rng=0), X, X, n_epochs=1, batch_size=2, lr=0.1, callback=3)


def test_float16_parameters_keep_their_last_finite_values():
    """p - lr * g is finite in float64 but overflows when stored as float16 (max 65504)."""
    model = LinearRegression(n_features=2, rng=0)
    model.params = {k: v.astype(np.float16) for k, v in model.params.items()}
    X = np.random.default_rng(0).normal(size=(20, 2)) * 100
    snapshots = []
    with pytest.raises(FloatingPointError, match="parameters left at their last finite values"):
        sgd(
            model,
            X,
            3 * X[:, :1],
            n_epochs=50,
            batch_size=5,
            lr=0.5,
            rng=0,
            callback=lambda epoch, history: snapshots.append(1),
        )
    for name, p in model.params.items():
        assert p.dtype == np.float16
        assert np.isfinite(p).all(), (name, p)


def test_finite_losses_whose_sum_overflows_are_reported_as_divergence() -> None:
    # Each batch loss is (sqrt(5e307))**2 = 5e307 < max float64, three of them sum to inf.
    model = LinearRegression(1, rng=0)
    model.params["W"][:] = np.sqrt(5e307)
    model.params["b"][:] = 0.0
    X, y = np.ones((3, 1)), np.zeros((3, 1))
    with pytest.raises(FloatingPointError, match=r"epoch 1 are finite but their sum overflows"):
        sgd(model, X, y, n_epochs=1, batch_size=1, lr=0.576, shuffle=False)
    assert all(np.isfinite(p).all() for p in model.params.values())


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_epochs": 0}, ValueError, "n_epochs must be a positive integer, got 0"),
        ({"n_epochs": -3}, ValueError, "n_epochs must be a positive integer, got -3"),
        ({"n_epochs": 2.0}, TypeError, "n_epochs must be an integer, got 2.0 (float)"),
        ({"width": 0}, ValueError, "width must be a positive integer, got 0"),
        ({"enabled": 1}, TypeError, "enabled must be a bool, got 1 (int)"),
    ],
)
def test_progress_bar_refuses_what_it_would_divide_by(kwargs, error, message):
    import io

    args = {"n_epochs": 3, "width": 10, "enabled": True} | kwargs
    with pytest.raises(error) as err:
        ProgressBar(args.pop("n_epochs"), io.StringIO(), **args)
    assert str(err.value) == message


def test_progress_bar_of_one_epoch_is_full_at_once():
    import io

    stream = io.StringIO()
    bar = ProgressBar(1, stream, width=5)
    bar(1, History(epoch_losses=[2.0]))
    assert stream.getvalue().startswith("\repoch 1/1 [#####] loss 2.00000  ")
