"""dlhomework.experiments: each result checked against an independent fact."""

from __future__ import annotations

import importlib
import itertools
import math
import pkgutil
import re
import time

import numpy as np
import pytest

from dlhomework import experiments
from dlhomework.batching import iterations_per_epoch, total_iterations
from dlhomework.data import FEATURE_NAMES, load_data, load_housing
from dlhomework.experiments import (
    LearningRateGrid,
    LinearCurve,
    batch_dependence,
    batch_size_sweep,
    constant_columns,
    draw_market,
    epochs_to_within,
    equilibrium,
    feature_target,
    fit_proportional,
    gradient_descent_path,
    gradient_noise,
    hessian_eigenvalues,
    learning_rate_grid,
    newton_data,
    predict_medv,
    predict_medv_batch_statistics,
    predict_row,
    saddle,
    saturation_sweep,
    stability_limit,
    uci_housing_arrays,
    update_cost,
)
from dlhomework.models import LinearRegression, TwoLayerNet, least_squares
from dlhomework.preprocessing import Normalizer, NotFittedError
from dlhomework.training import sgd


@pytest.fixture(scope="module")
def housing():
    """Raw rows, the normalized split, its normalizer and the least-squares model."""
    raw = load_housing()
    train, test, norm = load_data()
    model = least_squares(train[:, :-1], train[:, -1:])
    return raw, train, test, norm, model


# -- homework 1-1 ----------------------------------------------------------------


def test_newton_data_without_noise_is_the_law():
    F, a = newton_data(4.0, 7, force_range=(-3.0, 5.0), noise=0.0, rng=1)
    assert F.shape == a.shape == (7, 1)
    assert np.all((F >= -3.0) & (F <= 5.0))
    np.testing.assert_array_equal(a, F / 4.0)


def test_newton_data_course_example():
    F, a = newton_data(2.0, 3, force_range=(10.0, 10.0), noise=0.0, rng=0)
    assert F.ravel().tolist() == [10.0] * 3
    assert a.ravel().tolist() == [5.0] * 3


def test_newton_data_noise_has_the_requested_spread():
    F, a = newton_data(2.0, 20000, noise=0.3, rng=3)
    residual = a - F / 2.0
    # mean 0 and sd 0.3: standard errors 0.3/sqrt(n) ≈ 0.002 and ≈ 0.0015
    assert abs(float(residual.mean())) < 0.01
    assert abs(float(residual.std()) - 0.3) < 0.01


def test_newton_data_seeded():
    first = newton_data(2.0, 5, rng=11)
    again = newton_data(2.0, 5, rng=np.random.default_rng(11))
    other = newton_data(2.0, 5, rng=12)
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[1], other[1])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mass": 0.0}, ValueError, "mass"),
        ({"mass": -2.0}, ValueError, "mass"),
        ({"mass": float("nan")}, ValueError, "mass"),
        ({"n": 0}, ValueError, "n must be a positive integer, got 0"),
        ({"n": 2.0}, TypeError, "n must be an integer"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": float("inf")}, ValueError, "noise"),
        ({"force_range": (5.0, 1.0)}, ValueError, "low <= high"),
        ({"force_range": (1.0,)}, ValueError, "pair"),
        ({"force_range": (1.0, float("nan"))}, ValueError, "force_range"),
        ({"force_range": ("a", 2.0)}, TypeError, "force_range"),
        ({"mass": True}, TypeError, "mass"),
    ],
)
def test_newton_data_rejects(kwargs, error, match):
    args = {"mass": 2.0, "n": 5, **kwargs}
    with pytest.raises(error, match=match):
        newton_data(args.pop("mass"), args.pop("n"), **args)


def test_fit_proportional_hand_computed():
    # w = (1*2 + 2*4 + 3*7) / (1 + 4 + 9) = 31 / 14
    assert fit_proportional([1.0, 2.0, 3.0], [[2.0], [4.0], [7.0]]) == pytest.approx(31 / 14)


def test_fit_proportional_recovers_inverse_mass_within_its_standard_error():
    mass, noise = 2.0, 0.3
    F, a = newton_data(mass, 200, noise=noise, rng=5)
    w = fit_proportional(F, a)
    se = noise / math.sqrt(float(np.sum(F**2)))  # sd of the least-squares slope
    assert abs(w - 1 / mass) < 4 * se
    # The two-parameter fit a = w F + b agrees, with b close to 0.
    ls = least_squares(F, a)
    assert float(ls.params["W"][0, 0]) == pytest.approx(1 / mass, abs=0.01)
    assert abs(float(ls.params["b"][0])) < 0.15


def test_fit_proportional_is_the_no_intercept_least_squares():
    # a = w F has no intercept: models.least_squares (which fits one) gives another slope,
    # numpy's lstsq on the single column F gives the same one.
    F, a = newton_data(2.0, 20, noise=0.3, rng=1)
    w = fit_proportional(F, a)
    assert w == pytest.approx(float(np.linalg.lstsq(F, a, rcond=None)[0][0, 0]), rel=1e-12)
    assert abs(float(least_squares(F, a).params["W"][0, 0]) - w) > 1e-3


def test_gradient_descent_on_the_newton_loss_reaches_the_closed_form():
    F, a = newton_data(2.0, 100, noise=0.3, rng=2)

    def grad(w):  # d/dw of mean((w F - a)^2)
        return np.array([2.0 * float(np.mean((w[0] * F - a) * F))])

    path = gradient_descent_path(grad, [0.0], lr=0.002, n_steps=300)
    assert path[-1, 0] == pytest.approx(fit_proportional(F, a), rel=1e-8)


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ([0.0, 0.0], [1.0, 2.0], "all zeros"),
        ([1.0, 2.0], [1.0], "same length"),
        ([[1.0, 2.0]], [[1.0]], r"shape \(n,\) or \(n, 1\)"),
        ([1.0, np.nan], [1.0, 2.0], "finite"),
    ],
)
def test_fit_proportional_rejects(x, y, match):
    with pytest.raises(ValueError, match=match):
        fit_proportional(x, y)


def test_feature_target(housing):
    raw = housing[0]
    X, y = feature_target(raw[:404], "RM")
    assert X.shape == y.shape == (404, 1)
    np.testing.assert_array_equal(X[:, 0], raw[:404, 5])
    np.testing.assert_array_equal(y[:, 0], raw[:404, 13])
    X[0, 0] = -1.0
    assert raw[0, 5] == 6.575  # a copy


def test_feature_target_rejects(housing):
    raw = housing[0]
    with pytest.raises(ValueError, match="feature must be one of"):
        feature_target(raw, "ROOMS")
    with pytest.raises(ValueError, match="14 columns"):
        feature_target(raw[:, :-1])


def test_equilibrium_hand_solved():
    # 10 - q = 2 + q  ->  q = 4, p = 6
    assert equilibrium(LinearCurve(10.0, -1.0), LinearCurve(2.0, 1.0)) == (4.0, 6.0)
    # 100 - 2q = 10 + q  ->  q = 30, p = 40
    assert equilibrium(LinearCurve(100, -2), LinearCurve(10, 1)) == pytest.approx((30.0, 40.0))


def test_shifted_moves_the_curve_horizontally(rng):
    curve = LinearCurve(7.0, -0.5)
    q = rng.uniform(0, 10, size=9)
    np.testing.assert_allclose(curve.shifted(3.0).price(q + 3.0), curve.price(q))
    np.testing.assert_allclose(curve.shifted(-2.0).price(q - 2.0), curve.price(q))


def test_comparative_statics():
    demand, supply = LinearCurve(10.0, -1.0), LinearCurve(2.0, 1.0)
    q0, p0 = equilibrium(demand, supply)
    q1, p1 = equilibrium(demand.shifted(2.0), supply)  # demand rises
    assert q1 > q0 and p1 > p0
    q2, p2 = equilibrium(demand, supply.shifted(2.0))  # supply rises
    assert q2 > q0 and p2 < p0
    # Both by 2 with equal slopes: quantity up by 2, price unchanged.
    assert equilibrium(demand.shifted(2.0), supply.shifted(2.0)) == pytest.approx((q0 + 2, p0))


@pytest.mark.parametrize(
    ("demand", "supply", "match"),
    [
        (LinearCurve(10.0, 1.0), LinearCurve(2.0, 1.0), "demand must slope down"),
        (LinearCurve(10.0, 0.0), LinearCurve(2.0, 1.0), "demand must slope down"),
        (LinearCurve(10.0, -1.0), LinearCurve(2.0, -1.0), "supply must slope up"),
        (LinearCurve(10.0, -1.0), LinearCurve(12.0, 1.0), "not a market"),
    ],
)
def test_equilibrium_rejects(demand, supply, match):
    with pytest.raises(ValueError, match=match):
        equilibrium(demand, supply)


def test_equilibrium_and_curve_reject_bad_types():
    with pytest.raises(TypeError, match="LinearCurve"):
        equilibrium((10.0, -1.0), LinearCurve(2.0, 1.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="intercept must be finite"):
        LinearCurve(float("nan"), 1.0)
    with pytest.raises(TypeError, match="slope must be a real number"):
        LinearCurve(1.0, "steep")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="quantity must be finite"):
        LinearCurve(1.0, 1.0).shifted(float("inf"))
    with pytest.raises(ValueError, match="quantity must contain only finite values"):
        LinearCurve(1.0, 1.0).price([1.0, np.nan])


def test_draw_market_draws_the_shifted_curves_and_their_equilibria():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots()
    try:
        points = draw_market(
            ax, LinearCurve(10.0, -1.0), LinearCurve(2.0, 3.0), demand_shift=4.0,
            supply_shift=1.0, title="expert",
        )  # fmt: skip
        # By hand: 10 - q = 2 + 3q; D1 = 14 - q meets 2 + 3q, then S1 = -1 + 3q.
        expected = [(2.0, 8.0), (3.0, 11.0), (3.75, 10.25)]
        np.testing.assert_allclose(points, expected)
        curves, markers = ax.lines[:4], ax.lines[4:]
        for line, (a, b) in zip(curves, [(10, -1), (14, -1), (2, 3), (-1, 3)], strict=True):
            q, p = line.get_data()
            np.testing.assert_allclose(p, a + b * np.asarray(q))
        np.testing.assert_allclose([np.ravel(m.get_data()) for m in markers], expected)
        np.testing.assert_allclose([t.xy for t in ax.texts], expected)
        assert ax.get_xlim() == pytest.approx((0.0, 14.0))  # where D1 reaches price 0
        assert ax.get_title() == "expert"
        with pytest.raises(ValueError, match="not a market"):
            draw_market(ax, LinearCurve(10, -1), LinearCurve(2, 1), demand_shift=-9,
                        supply_shift=0)  # fmt: skip
    finally:
        plt.close(fig)


# -- homework 1-2: normalization ---------------------------------------------------


def test_predict_medv_by_hand(housing):
    raw, _, _, norm, model = housing
    x = raw[410:413, :-1]
    z = (x - norm.mean_[:13]) / (norm.max_[:13] - norm.min_[:13])
    pred = z @ model.params["W"] + model.params["b"]
    expected = pred * (norm.max_[13] - norm.min_[13]) + norm.mean_[13]
    np.testing.assert_allclose(predict_medv(model, norm, x), expected, rtol=1e-12)


def test_predict_medv_matches_least_squares_in_raw_units(housing):
    # Least squares is invariant under an affine map of the features and the label,
    # so a fit on raw units predicts the same prices.
    raw, _, _, norm, model = housing
    raw_model = least_squares(raw[:404, :-1], raw[:404, -1:])
    np.testing.assert_allclose(
        predict_medv(model, norm, raw[404:, :-1]), raw_model.predict(raw[404:, :-1]), rtol=1e-8
    )
    assert predict_medv(model, norm, raw[0, :-1]).shape == (1, 1)


def test_predict_medv_rejects(housing):
    raw, _, _, norm, model = housing
    with pytest.raises(TypeError, match="Normalizer"):
        predict_medv(model, "norm", raw[0, :-1])  # type: ignore[arg-type]
    with pytest.raises(NotFittedError):
        predict_medv(model, Normalizer(), raw[0, :-1])
    with pytest.raises(ValueError, match="13 features plus the label"):
        predict_medv(model, Normalizer().fit(raw[:, :-1]), raw[0, :-1])
    with pytest.raises(ValueError, match=r"shape \(n, 13\)"):
        predict_medv(model, norm, raw[0])
    with pytest.raises(TypeError, match="model must have n_features and predict"):
        predict_medv(object(), norm, raw[0, :-1])  # type: ignore[arg-type]


def test_predict_row_by_hand(housing):
    """Row -10 is the course's load_one_example: row 496, a test row, MEDV 19.7."""
    raw, _, _, _, model = housing
    train = raw[:404]
    mean, span = train.mean(axis=0), train.max(axis=0) - train.min(axis=0)
    for row, index, split in ((-10, 496, "test"), (0, 0, "train"), (-506, 0, "train")):
        result = predict_row(model, row)
        z = (raw[index, :-1] - mean[:-1]) / span[:-1] @ model.params["W"][:, 0]
        expected = (z + model.params["b"][0]) * span[-1] + mean[-1]
        assert (result.row, result.split, result.actual) == (index, split, raw[index, -1])
        assert result.predicted == pytest.approx(expected, rel=1e-12)
    # least squares in raw units predicts the same price (an affine change of units)
    A = np.hstack([train[:, :-1], np.ones((404, 1))])
    w = np.linalg.lstsq(A, train[:, -1], rcond=None)[0]
    assert predict_row(model).predicted == pytest.approx(np.append(raw[496, :-1], 1.0) @ w)
    assert predict_row(model, 403).split == "train" and predict_row(model, 404).split == "test"


@pytest.mark.parametrize(
    ("row", "error", "message"),
    [
        (506, IndexError, r"row must be in \[-506, 505\] \(the data has 506 rows\), got 506"),
        (-507, IndexError, "got -507"),
        (1.0, TypeError, r"row must be an integer, got 1.0 \(float\)"),
        (True, TypeError, "row must be an integer, got True"),
    ],
)
def test_predict_row_rejects(housing, row, error, message):
    with pytest.raises(error, match=message):
        predict_row(housing[-1], row)


def test_batch_statistics_equal_training_ones_on_the_training_batch(housing):
    raw, _, _, norm, model = housing
    np.testing.assert_allclose(
        predict_medv_batch_statistics(model, norm, raw[:404, :-1]),
        predict_medv(model, norm, raw[:404, :-1]),
        rtol=1e-10,
    )


def test_batch_statistics_depend_on_the_batch(housing):
    raw, _, _, norm, model = housing
    a = predict_medv_batch_statistics(model, norm, raw[0:200, :-1])[0, 0]
    b = predict_medv_batch_statistics(model, norm, raw[[0, *range(140, 339)], :-1])[0, 0]
    assert abs(a - b) > 1.0


def test_batch_statistics_reject(housing):
    raw, _, _, norm, model = housing
    with pytest.raises(ValueError, match="own statistics: column 0 of data is constant"):
        predict_medv_batch_statistics(model, norm, raw[:1, :-1])  # a single house
    with pytest.raises(ValueError, match="own statistics: column 1"):
        predict_medv_batch_statistics(model, norm, raw[404:, :-1])  # ZN is 0 in every test row
    with pytest.raises(ValueError, match="own statistics: column 3"):
        predict_medv_batch_statistics(model, norm, raw[:3, :-1])  # CHAS is 0 in these
    with pytest.raises(ValueError, match=r"shape \(n, 13\)"):
        predict_medv_batch_statistics(model, norm, raw[:5])


def test_batch_dependence(housing):
    raw, _, _, norm, model = housing
    house, pool = raw[404, :-1], np.delete(raw[:, :-1], 404, axis=0)
    result = batch_dependence(model, norm, house, pool, batch_size=30, n_batches=40, rng=0)
    assert result.batch_size == 30
    assert result.n_batches == 40 == result.predictions.size + result.n_undefined
    assert result.reference == pytest.approx(float(predict_medv(model, norm, house)[0, 0]))
    assert result.predictions.std() > 1.0
    again = batch_dependence(model, norm, house, pool, batch_size=30, n_batches=40, rng=0)
    np.testing.assert_array_equal(again.predictions, result.predictions)


def test_batch_dependence_whole_pool_is_one_batch(housing):
    raw, _, _, norm, model = housing
    house, pool = raw[404, :-1], raw[np.r_[0:25, 140:165], :-1]  # no constant feature
    result = batch_dependence(model, norm, house, pool, batch_size=51, n_batches=3, rng=0)
    expected = predict_medv_batch_statistics(model, norm, np.vstack([house, pool]))[0, 0]
    np.testing.assert_allclose(result.predictions, [expected] * 3, rtol=1e-12)
    assert result.n_undefined == 0


def test_batch_dependence_counts_undefined_batches(housing):
    raw, _, _, norm, model = housing
    # The test rows all have CHAS = 0 and ZN = 0: no batch of them can be normalized.
    result = batch_dependence(
        model, norm, raw[404, :-1], raw[405:, :-1], batch_size=10, n_batches=5, rng=0
    )
    assert result.n_undefined == 5 and result.predictions.size == 0
    zn, chas = FEATURE_NAMES.index("ZN"), FEATURE_NAMES.index("CHAS")
    assert result.constant_counts[zn] == result.constant_counts[chas] == 5
    assert result.constant_counts[FEATURE_NAMES.index("CRIM")] == 0  # distinct in every row


def test_batch_dependence_counts_the_constant_feature(housing, rng):
    _, _, _, norm, model = housing
    # Batches of 2: the house (feature 0 is 0) and one mate, half of which also have 0 there.
    house, pool = rng.normal(size=13), rng.normal(size=(40, 13))
    house[0], pool[:20, 0] = 0.0, 0.0
    result = batch_dependence(model, norm, house, pool, batch_size=2, n_batches=60, rng=1)
    assert result.constant_counts[0] == result.n_undefined
    assert result.constant_counts[1:].sum() == 0
    assert 10 < result.n_undefined < 50 and result.n_batches == 60


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 1}, ValueError, "batch_size must be an integer >= 2, got 1"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
        ({"n_batches": 0}, ValueError, "n_batches must be a positive integer, got 0"),
        ({"batch_size": 12}, ValueError, "fewer than the batch_size - 1 = 11"),
        ({"house": np.zeros(12)}, ValueError, r"house must have shape \(13,\)"),
        ({"pool": np.zeros((10, 12))}, ValueError, r"pool must have shape \(m, 13\)"),
    ],
)
def test_batch_dependence_rejects(housing, kwargs, error, match):
    raw, _, _, norm, model = housing
    args = {"house": raw[0, :-1], "pool": raw[1:11, :-1], "batch_size": 5, "n_batches": 3}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        batch_dependence(model, norm, args.pop("house"), args.pop("pool"), **args)


@pytest.mark.paddle
def test_uci_housing_normalizes_with_the_whole_file(paddle, housing):
    raw = housing[0]
    X, y = uci_housing_arrays("train")
    Xt, yt = uci_housing_arrays("test")
    assert X.shape == (404, 13) and Xt.shape == (102, 13)
    feats = raw[:, :-1]
    whole = (feats - feats.mean(axis=0)) / (feats.max(axis=0) - feats.min(axis=0))
    np.testing.assert_allclose(np.vstack([X, Xt]), whole, atol=1e-6)  # float32 served
    np.testing.assert_allclose(np.vstack([y, yt])[:, 0], raw[:, -1], rtol=1e-6)
    tr = feats[:404]
    by_train = (tr - tr.mean(axis=0)) / (tr.max(axis=0) - tr.min(axis=0))
    assert np.abs(X - by_train).max() > 0.1


def test_uci_housing_rejects_mode():
    with pytest.raises(ValueError, match="mode must be 'train' or 'test', got 'valid'"):
        uci_housing_arrays("valid")


# -- homework 1-2: near-zero gradients ----------------------------------------------


def test_saddle_against_finite_differences(rng):
    points = rng.normal(size=(6, 2))
    value, grad = saddle(points)
    np.testing.assert_allclose(value, points[:, 0] ** 2 - points[:, 1] ** 2)
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        numeric = (saddle(points + e)[0] - saddle(points - e)[0]) / (2 * h)
        np.testing.assert_allclose(grad[:, k], numeric, rtol=1e-7, atol=1e-8)


def test_saddle_origin_is_stationary_but_not_a_minimum():
    value, grad = saddle([0.0, 0.0])
    assert float(value) == 0.0 and grad.tolist() == [0.0, 0.0]
    assert float(saddle([0.0, 1e-3])[0]) < 0.0 < float(saddle([1e-3, 0.0])[0])


def test_saddle_rejects():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        saddle([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        saddle(1.0)


def test_gradient_descent_path_closed_form():
    # f = 1.5 x^2: x_k = (1 - lr * 3)^k x_0
    path = gradient_descent_path(lambda p: 3.0 * p, [2.0], lr=0.1, n_steps=20)
    np.testing.assert_allclose(path[:, 0], 2.0 * 0.7 ** np.arange(21), rtol=1e-12)


def test_gradient_descent_path_on_the_saddle():
    lr, steps = 0.1, 60
    ridge = gradient_descent_path(lambda p: saddle(p)[1], [1.0, 0.0], lr=lr, n_steps=steps)
    assert np.all(ridge[:, 1] == 0.0)  # never leaves y = 0
    assert abs(ridge[-1, 0]) < 1e-5  # and stops at the saddle point
    off = gradient_descent_path(lambda p: saddle(p)[1], [1.0, 1e-6], lr=lr, n_steps=steps)
    # y_k = (1 + 2 lr)^k y_0 exactly: it escapes
    np.testing.assert_allclose(off[:, 1], 1e-6 * 1.2 ** np.arange(steps + 1), rtol=1e-12)


def test_gradient_descent_path_rejects():
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        gradient_descent_path(lambda p: p, [1.0], lr=0.0, n_steps=3)
    with pytest.raises(ValueError, match="n_steps must be a positive integer"):
        gradient_descent_path(lambda p: p, [1.0], lr=0.1, n_steps=0)
    with pytest.raises(ValueError, match="start must be 1-D"):
        gradient_descent_path(lambda p: p, [[1.0]], lr=0.1, n_steps=3)
    with pytest.raises(ValueError, match=r"grad returned shape \(2,\)"):
        gradient_descent_path(lambda p: np.zeros(2), [1.0], lr=0.1, n_steps=3)
    with (
        np.errstate(over="ignore"),
        pytest.raises(FloatingPointError, match="diverged at step"),
    ):
        gradient_descent_path(lambda p: 1e300 * p, [1.0], lr=1e10, n_steps=5)


def _sigmoid_grad_threshold():
    # sigma'(z) = s (1 - s) = 0.01  ->  s = (1 + sqrt(0.96)) / 2,  z* = log(s / (1 - s))
    s = (1 + math.sqrt(0.96)) / 2
    return math.log(s / (1 - s))


def test_saturation_sweep(rng):
    X = rng.normal(size=(11, 5))
    y = rng.normal(size=(11, 1))
    net = TwoLayerNet(5, 7, activation="sigmoid", rng=1)
    before = {k: v.copy() for k, v in net.params.items()}
    scales = [1.0, 10.0, 1000.0]
    sat = saturation_sweep(net, X, y, scales)
    for k, v in before.items():  # the model is not touched
        np.testing.assert_array_equal(net.params[k], v)
    z1 = X @ net.params["W1"] + net.params["b1"]
    # b1 starts at 0, so |z1| grows exactly in proportion to the scale
    np.testing.assert_allclose(sat.mean_abs_z, np.mean(np.abs(z1)) * np.array(scales))
    threshold = _sigmoid_grad_threshold()
    expected = [np.mean(np.abs(s * z1) > threshold) for s in scales]
    np.testing.assert_allclose(sat.saturated_fraction, expected)
    # at scale 1000 every unit is saturated and dW1 is tiny, while dW2 is not
    assert sat.saturated_fraction[-1] > 0.95
    assert sat.grad_norms["W1"][-1] < 1e-2 * sat.grad_norms["W1"][0]
    assert sat.grad_norms["W2"][-1] > 0.1 * sat.grad_norms["W2"][0]
    assert sat.losses.shape == (3,)


def test_saturation_sweep_gradient_matches_hand_formula():
    # one sample, one input, one hidden unit: dW1 = 2 (pred - y) * W2 * sigma'(z) * x
    net = TwoLayerNet(1, 1, activation="sigmoid", rng=0)
    net.params["W1"][:] = 0.5
    net.params["W2"][:] = 2.0
    X, y = np.array([[3.0]]), np.array([[0.0]])
    sat = saturation_sweep(net, X, y, [1.0, 20.0])
    for i, s in enumerate([1.0, 20.0]):
        z = 0.5 * s * 3.0
        sig = 1 / (1 + math.exp(-z))
        pred = 2.0 * sig
        expected = abs(2 * (pred - 0.0) * 2.0 * sig * (1 - sig) * 3.0)
        assert sat.grad_norms["W1"][i] == pytest.approx(expected, rel=1e-10)
        assert sat.losses[i] == pytest.approx(pred**2)


def test_saturation_sweep_rejects(rng):
    X, y = rng.normal(size=(3, 2)), rng.normal(size=(3, 1))
    with pytest.raises(TypeError, match="TwoLayerNet"):
        saturation_sweep(LinearRegression(2, rng=0), X, y, [1.0])  # type: ignore[arg-type]
    net = TwoLayerNet(2, 3, rng=0)
    with pytest.raises(ValueError, match="scales must be > 0"):
        saturation_sweep(net, X, y, [1.0, 0.0])
    with pytest.raises(ValueError, match="scales must not be empty"):
        saturation_sweep(net, X, y, [])
    with pytest.raises(ValueError, match="scales must be 1-D"):
        saturation_sweep(net, X, y, [[1.0]])
    with pytest.raises(ValueError, match=r"y must have shape \(n_samples, 1\)"):
        saturation_sweep(net, X, y.ravel(), [1.0])
    with pytest.raises(ValueError, match="expects n_features=2"):
        saturation_sweep(net, np.ones((3, 4)), y, [1.0])


def test_constant_columns_and_the_constant_feature_gradient(housing):
    raw, train, _, norm, _ = housing
    assert constant_columns([[1.0, 2.0, 3.0], [1.0, 5.0, 3.0]]) == [0, 2]
    assert constant_columns([[1.0, 2.0], [0.0, 5.0]]) == []
    rows = np.flatnonzero(raw[:404, 3] == 0)[:20]  # 20 training houses away from the river
    batch = train[rows]
    assert 3 in constant_columns(batch[:, :-1])
    model = LinearRegression(rng=0)
    g = model.gradients(batch[:, :-1], batch[:, -1:])
    c = batch[0, 3]  # the normalized CHAS of every row: (0 - mean) / range
    assert c == pytest.approx(-norm.mean_[3])
    assert float(g["W"][3, 0]) == pytest.approx(c * float(g["b"][0]), rel=1e-12)


def test_constant_columns_rejects():
    with pytest.raises(ValueError, match="X must be 2-D"):
        constant_columns([1.0, 1.0])


# -- homework 1-3 -----------------------------------------------------------------


@pytest.fixture(scope="module")
def xy():
    train, test, _ = load_data()
    return train[:, :-1], train[:, -1:], test[:, :-1], test[:, -1:]


def test_batch_size_sweep_counts(xy):
    X, y, Xt, yt = xy
    start = LinearRegression(rng=4)
    sizes = [1, 30, 100, 404]
    epochs = {1: 1, 30: 3, 100: 3, 404: 2}
    runs = batch_size_sweep(X, y, Xt, yt, sizes, n_epochs=epochs, lr=0.05, rng=0, model=start)
    assert [r.batch_size for r in runs] == sizes
    for r in runs:
        assert r.n_epochs == epochs[r.batch_size]
        assert r.n_updates == total_iterations(r.n_epochs, 404, r.batch_size)
        assert r.updates_per_epoch == math.ceil(404 / r.batch_size)
        assert len(r.history.losses) == r.n_updates
        assert len(r.history.epoch_times) == r.n_epochs
        assert r.train_curve.shape == r.test_curve.shape == (r.n_epochs + 1,)
        assert r.train_curve[0] == pytest.approx(start.loss(X, y))  # same start for all
        assert r.test_curve[0] == pytest.approx(start.loss(Xt, yt))
        assert r.train_mse == r.train_curve[-1] == pytest.approx(r.model.loss(X, y))
        assert r.test_mse == pytest.approx(r.model.loss(Xt, yt))
        assert r.seconds_per_update == pytest.approx(r.seconds_per_epoch / r.updates_per_epoch)
        assert r.times[0] == 0.0 and np.all(np.diff(r.times) > 0)
    assert runs[-1].last_epoch_std == 0.0  # one iteration per epoch
    assert runs[0].last_epoch_std > 0.0
    np.testing.assert_array_equal(start.params["W"], LinearRegression(rng=4).params["W"])


def test_batch_size_sweep_full_batch_is_gradient_descent(xy):
    X, y, Xt, yt = xy
    start = LinearRegression(rng=1)
    lr, epochs = 0.3, 5
    (run,) = batch_size_sweep(X, y, Xt, yt, [404], n_epochs=epochs, lr=lr, rng=0, model=start)
    W, b = start.params["W"].copy(), start.params["b"].copy()
    n = X.shape[0]
    for _ in range(epochs):  # plain gradient descent on the MSE, written out
        e = X @ W + b - y
        W, b = W - lr * 2 / n * X.T @ e, b - lr * 2 / n * e.sum(axis=0)
    np.testing.assert_allclose(run.model.params["W"], W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.model.params["b"], b, rtol=1e-10, atol=1e-12)


def test_batch_size_sweep_equals_one_sgd_call(xy):
    X, y, Xt, yt = xy
    start = LinearRegression(rng=2)
    runs = batch_size_sweep(X, y, Xt, yt, [7, 50], n_epochs=3, lr=0.1, rng=9, model=start)
    streams = np.random.default_rng(9).spawn(2)
    for run, stream in zip(runs, streams, strict=True):
        model = start.copy()
        history = sgd(model, X, y, n_epochs=3, batch_size=run.batch_size, lr=0.1, rng=stream)
        assert run.history.losses == history.losses
        assert run.history.epoch_losses == history.epoch_losses
        np.testing.assert_array_equal(run.model.params["W"], model.params["W"])


def test_batch_size_sweep_times_exclude_the_evaluation(xy, monkeypatch):
    X, y, Xt, yt = xy
    from dlhomework.experiments import sweeps

    real_mse = sweeps._mse

    def slow_mse(model, X_eval, y_eval):
        time.sleep(0.02)  # an evaluation far slower than an epoch of 4 full-batch updates
        return real_mse(model, X_eval, y_eval)

    monkeypatch.setattr(sweeps, "_mse", slow_mse)
    (run,) = batch_size_sweep(X, y, Xt, yt, [404], n_epochs=4, lr=0.1, rng=0)
    # 8 evaluations after the epochs took >= 0.16 s; training alone takes milliseconds
    assert run.history.wall_time < 0.08
    assert np.all(np.diff(run.times) > 0)


def test_batch_size_sweep_never_beats_least_squares_and_gets_close(xy):
    X, y, Xt, yt = xy
    optimum = least_squares(X, y).loss(X, y)
    runs = batch_size_sweep(X, y, Xt, yt, [10, 404], n_epochs=50, lr=0.1, rng=2)
    for r in runs:
        assert r.train_mse >= optimum
    assert runs[0].train_mse < 1.2 * optimum  # 2050 small steps
    assert runs[1].train_mse > 2 * optimum  # 50 full-batch steps are far fewer


def test_batch_size_sweep_seeded(xy):
    X, y, Xt, yt = xy
    a = batch_size_sweep(X, y, Xt, yt, [32], n_epochs=2, lr=0.1, rng=5)[0]
    b = batch_size_sweep(X, y, Xt, yt, [32], n_epochs=2, lr=0.1, rng=5)[0]
    assert a.history.losses == b.history.losses and a.test_mse == b.test_mse


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_sizes": []}, ValueError, "batch_sizes must not be empty"),
        ({"batch_sizes": [10, 10]}, ValueError, "must not repeat"),
        ({"batch_sizes": [0]}, ValueError, "batch_size must be a positive integer, got 0"),
        ({"batch_sizes": [2.5]}, TypeError, "batch_size must be an integer"),
        ({"batch_sizes": 10}, TypeError, "batch_sizes must be a sequence"),
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0"),
        ({"lr": {1: 0.1}}, ValueError, "lr has no entry for batch_size 10"),
        ({"n_epochs": 0}, ValueError, "n_epochs must be a positive integer, got 0"),
        ({"n_epochs": {10: 1.5}}, TypeError, "n_epochs must be an integer"),
        ({"model": object()}, TypeError, "must be a trainable model .* object has no params"),
        ({"y_test": np.zeros((5, 1))}, ValueError, "same number of samples"),
    ],
)
def test_batch_size_sweep_rejects(xy, kwargs, error, match):
    X, y, Xt, yt = xy
    args = {"X_test": Xt, "y_test": yt, "batch_sizes": [10], "n_epochs": 1, "lr": 0.1}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        batch_size_sweep(X, y, args.pop("X_test"), args.pop("y_test"), **args)


def test_batch_size_sweep_divergence_raises(xy):
    X, y, Xt, yt = xy
    with (
        np.errstate(over="ignore", invalid="ignore"),
        pytest.raises(FloatingPointError, match="smaller learning rate"),
    ):
        batch_size_sweep(X, y, Xt, yt, [404], n_epochs=2000, lr=5.0, rng=0)


def test_iteration_counts_of_the_question():
    # 1000 samples, batch 20, 5 epochs: 50 per epoch, 250 in all
    assert iterations_per_epoch(1000, 20) * 5 == total_iterations(5, 1000, 20) == 250


def _synthetic(rng, n=40, d=3):
    X = rng.normal(loc=1.0, size=(n, d))  # not centred: every curvature direction excited
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3 + rng.normal(scale=0.1, size=(n, 1))
    return X, y


def test_learning_rate_grid_stability_limit(rng):
    X, y = _synthetic(rng)
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    largest = float(np.linalg.eigvalsh(2 * A.T @ A / X.shape[0]).max())
    limit = 2 / largest  # full-batch gradient descent is stable iff lr < 2 / lambda_max
    assert stability_limit(X) == pytest.approx(limit, rel=1e-12)
    rates = [0.5 * limit, 0.9 * limit, 1.1 * limit]
    grid = learning_rate_grid(X, y, [40], rates, n_epochs=300, rng=0)
    assert grid.diverged.tolist() == [[False, False, True]]
    assert grid.train_mse[0, 2] == np.inf
    # far above the limit sgd itself stops with FloatingPointError; the grid records it
    blown = learning_rate_grid(X, y, [40], [50 * limit], n_epochs=300, rng=0)
    assert blown.diverged.tolist() == [[True]] and blown.train_mse[0, 0] == np.inf
    optimum = least_squares(X, y).loss(X, y)
    assert np.all(grid.train_mse[0, :2] >= optimum * (1 - 1e-12))
    # before convergence, the larger stable step is further along
    short = learning_rate_grid(X, y, [40], rates, n_epochs=20, rng=0)
    assert short.best_lr(40) == pytest.approx(0.9 * limit)


def test_hessian_eigenvalues_match_finite_differences_of_the_gradient(rng):
    X, y = _synthetic(rng)
    model = LinearRegression(n_features=X.shape[1], rng=0)
    theta = np.concatenate([model.params["W"].ravel(), model.params["b"]])

    def gradient(t):
        model.params["W"][:, 0], model.params["b"][:] = t[:-1], t[-1:]
        _, grads = model.forward_backward(X, y)
        return np.concatenate([grads["W"].ravel(), grads["b"]])

    h = 1e-5  # the gradient is linear in the parameters: centred differences are exact
    eye = np.eye(theta.size)
    H = np.column_stack(
        [(gradient(theta + h * e) - gradient(theta - h * e)) / (2 * h) for e in eye]
    )
    expected = np.linalg.eigvalsh((H + H.T) / 2)
    got = hessian_eigenvalues(X)
    assert got.shape == (X.shape[1] + 1,) and np.all(np.diff(got) >= 0)
    np.testing.assert_allclose(got, expected, rtol=1e-7)
    assert stability_limit(X) == pytest.approx(2 / expected[-1], rel=1e-7)
    with pytest.raises(ValueError, match="X must be 2-D"):
        hessian_eigenvalues([1.0, 2.0])


def test_stability_limit_of_centred_features_is_one(xy):
    X = xy[0]
    # centred columns: the bias decouples with curvature 2, the features' is smaller
    assert abs(X.mean(axis=0)).max() < 1e-12
    assert stability_limit(X) == pytest.approx(1.0, rel=1e-9)
    with pytest.raises(ValueError, match="X must be 2-D"):
        stability_limit([1.0, 2.0])


def test_learning_rate_grid_shape_and_best(rng):
    X, y = _synthetic(rng)
    grid = learning_rate_grid(X, y, [1, 8, 40], [1e-3, 1e-2], n_epochs=5, rng=0)
    assert grid.train_mse.shape == grid.diverged.shape == (3, 2)
    assert grid.batch_sizes == [1, 8, 40] and grid.lrs == [1e-3, 1e-2]
    for i, b in enumerate(grid.batch_sizes):
        assert grid.best_lr(b) == grid.lrs[int(np.argmin(grid.train_mse[i]))]
    with pytest.raises(ValueError, match="batch_size must be one of"):
        grid.best_lr(3)
    blown = LearningRateGrid([1], [1.0], np.array([[np.inf]]), np.array([[True]]))
    with pytest.raises(ValueError, match="every learning rate diverged"):
        blown.best_lr(1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lrs": []}, ValueError, "lrs must be a non-empty sequence"),
        ({"lrs": "0.1"}, ValueError, "lrs must be a non-empty sequence"),
        ({"lrs": [0.1, -1.0]}, ValueError, "lr must be a finite number > 0"),
        ({"batch_sizes": [0]}, ValueError, "batch_size must be a positive integer"),
        ({"n_epochs": 0}, ValueError, "n_epochs must be a positive integer"),
    ],
)
def test_learning_rate_grid_rejects(rng, kwargs, error, match):
    X, y = _synthetic(rng)
    args = {"batch_sizes": [4], "lrs": [0.1], "n_epochs": 1}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        learning_rate_grid(X, y, **args)


def test_gradient_noise_full_batch_is_exact(xy):
    X, y, _, _ = xy
    (full,) = gradient_noise(LinearRegression(rng=0), X, y, [404], n_draws=3, rng=0)
    assert full.mean_sq_error == 0.0 and full.predicted_sq_error == 0.0
    assert full.mean_cosine == pytest.approx(1.0, abs=1e-12)


def test_gradient_noise_prediction_equals_exhaustive_enumeration(rng):
    X, y = _synthetic(rng, n=6)
    model = LinearRegression(3, rng=1)

    def grad(rows):  # the MSE gradient written out, W and b stacked
        Xb, yb = X[rows], y[rows]
        e = Xb @ model.params["W"] + model.params["b"] - yb
        return np.concatenate([(2 / len(rows) * Xb.T @ e).ravel(), [2 * e.mean()]])

    g = grad(list(range(6)))
    for b in (1, 2, 4):
        subsets = list(itertools.combinations(range(6), b))
        exact = np.mean([np.sum((grad(list(s)) - g) ** 2) for s in subsets])
        (noise,) = gradient_noise(model, X, y, [b], n_draws=4000, rng=2)
        assert noise.predicted_sq_error == pytest.approx(exact, rel=1e-10)
        assert noise.mean_sq_error == pytest.approx(exact, rel=0.1)  # Monte Carlo
        assert noise.full_norm_sq == pytest.approx(float(g @ g))


def test_gradient_noise_shrinks_with_batch_size(xy):
    X, y, _, _ = xy
    res = gradient_noise(LinearRegression(rng=0), X, y, [1, 10, 100], n_draws=200, rng=1)
    errors = [r.mean_sq_error for r in res]
    cosines = [r.mean_cosine for r in res]
    assert errors[0] > errors[1] > errors[2]
    assert cosines[0] < cosines[1] < cosines[2] <= 1.0


def test_gradient_noise_rejects(rng):
    X, y = _synthetic(rng, n=5)
    model = LinearRegression(3, rng=0)
    with pytest.raises(ValueError, match="batch_size must be <= the 5 samples, got 6"):
        gradient_noise(model, X, y, [6], n_draws=1)
    with pytest.raises(ValueError, match="n_draws must be a positive integer"):
        gradient_noise(model, X, y, [2], n_draws=0)
    with pytest.raises(ValueError, match="batch_sizes must not be empty"):
        gradient_noise(model, X, y, [], n_draws=1)
    zero = LinearRegression(3, rng=0)
    zero.params["W"][:] = 0.0
    with pytest.raises(ValueError, match="full-batch gradient is zero"):
        gradient_noise(zero, X, np.zeros((5, 1)), [2], n_draws=1)


def test_update_cost_shape_only():
    # Timings are machine-dependent: check the contract, never the speed.
    costs = update_cost([1, 8, 64], n_features=5, n_repeats=2, rng=0)
    assert len(costs) == 3
    assert all(isinstance(c, float) and 0 < c < 1 for c in costs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_sizes": []}, ValueError, "batch_sizes must not be empty"),
        ({"batch_sizes": [0]}, ValueError, "batch_size must be a positive integer"),
        ({"n_features": 0}, ValueError, "n_features must be a positive integer"),
        ({"n_repeats": 0}, ValueError, "n_repeats must be a positive integer"),
        ({"n_repeats": 1.5}, TypeError, "n_repeats must be an integer"),
    ],
)
def test_update_cost_rejects(kwargs, error, match):
    args = {"batch_sizes": [1], **kwargs}
    with pytest.raises(error, match=match):
        update_cost(args.pop("batch_sizes"), **args)


class TestEpochsToWithin:
    def test_hand_computed(self):
        # within 1% of 2.0 means <= 2.02; it leaves the band at index 3 and comes back at 4
        assert epochs_to_within([9.0, 2.01, 2.02, 2.5, 2.019, 2.0], optimum=2.0) == 4
        assert epochs_to_within([2.0, 2.0], optimum=2.0) == 0
        assert epochs_to_within([9.0, 3.0], optimum=2.0) is None
        assert epochs_to_within([9.0, 2.1], optimum=2.0, tol=0.1) == 1

    def test_agrees_with_a_loop_on_real_sgd(self):
        train, _, _ = load_data()
        X, y = train[:, :-1], train[:, -1:]
        best = least_squares(X, y).loss(X, y)
        (run,) = batch_size_sweep(X, y, X, y, [404], n_epochs=300, lr=0.9, rng=3)
        curve = run.train_curve
        expected = next(
            (e for e in range(curve.size) if all(c <= 1.01 * best for c in curve[e:])), None
        )
        assert epochs_to_within(curve, best) == expected

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"curve": [], "optimum": 1.0}, "curve must not be empty"),
            ({"curve": [[1.0]], "optimum": 1.0}, "curve must be 1-D"),
            ({"curve": [1.0, float("nan")], "optimum": 1.0}, "curve must contain only finite"),
            ({"curve": [1.0], "optimum": 0.0}, "optimum must be a finite number > 0, got 0.0"),
            ({"curve": [1.0], "optimum": 1.0, "tol": -0.01}, "tol must be a finite number > 0"),
        ],
    )
    def test_bad_input(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            epochs_to_within(**kwargs)


# -- package layout: one module per concept, every name re-exported -------------------

PUBLIC_NAMES = {
    "BatchDependence", "GradientNoise", "LearningRateGrid", "LinearCurve", "Saturation",
    "SweepResult", "batch_dependence", "batch_size_sweep", "constant_columns", "draw_market",
    "epochs_to_within", "equilibrium", "feature_target", "fit_proportional",
    "gradient_descent_path", "gradient_noise", "learning_rate_grid", "newton_data",
    "predict_medv", "predict_medv_batch_statistics", "saddle", "saturation_sweep",
    "RowPrediction", "predict_row",
    "hessian_eigenvalues", "stability_limit", "uci_housing_arrays", "update_cost",
}  # fmt: skip


def test_each_public_name_comes_from_one_concept_module_and_is_reexported():
    # The book and its citations use dlhomework.experiments.<name>: every name of the
    # single-module version is still there, and is the object its concept module defines.
    assert set(experiments.__all__) == PUBLIC_NAMES
    owner: dict[str, str] = {}
    for info in pkgutil.iter_modules(experiments.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"dlhomework.experiments.{info.name}")
        assert re.search(r"Homework 1-[1-3]", module.__doc__ or ""), info.name
        for name in module.__all__:
            assert name not in owner, f"{name} in {owner.get(name)} and {info.name}"
            owner[name] = info.name
            assert getattr(experiments, name) is getattr(module, name)
            assert getattr(module, name).__module__ == module.__name__
    assert set(owner) == PUBLIC_NAMES
