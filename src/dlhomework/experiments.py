"""The experiments behind homework 1-1, 1-2 and 1-3.

The chapters only call, tabulate and plot; everything they compute lives here,
tested like the rest of the package.

- Homework 1-1 (supervised learning, and the market for the skill):
  :func:`newton_data`, :func:`fit_proportional`, :func:`feature_target`,
  :class:`LinearCurve` and :func:`equilibrium`.
- Homework 1-2 (normalization statistics, near-zero gradients):
  :func:`predict_medv`, :func:`predict_medv_batch_statistics`,
  :func:`batch_dependence`, :func:`uci_housing_arrays`, :func:`saddle`,
  :func:`gradient_descent_path`, :func:`saturation_sweep`, :func:`constant_columns`.
- Homework 1-3 (batch size): :func:`batch_size_sweep`, :func:`learning_rate_grid`,
  :func:`stability_limit`, :func:`gradient_noise` and :func:`update_cost`.

Every random step takes ``rng`` (a Generator, an int seed or None), so the same
seed gives the same book.
"""

from __future__ import annotations

import numbers
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike, as_float_array, as_rng, check_int, check_positive_float
from .activations import ACTIVATIONS
from .batching import iterations_per_epoch
from .data import FEATURE_NAMES, N_COLUMNS, housing_path
from .models import LinearRegression, Model, TwoLayerNet
from .preprocessing import Normalizer
from .training import History, sgd

__all__ = [
    "BatchDependence",
    "GradientNoise",
    "LearningRateGrid",
    "LinearCurve",
    "Saturation",
    "SweepResult",
    "batch_dependence",
    "batch_size_sweep",
    "constant_columns",
    "epochs_to_within",
    "equilibrium",
    "feature_target",
    "fit_proportional",
    "gradient_descent_path",
    "gradient_noise",
    "learning_rate_grid",
    "newton_data",
    "predict_medv",
    "predict_medv_batch_statistics",
    "saddle",
    "saturation_sweep",
    "stability_limit",
    "uci_housing_arrays",
    "update_cost",
]


_Regressor = LinearRegression | TwoLayerNet
"""The models the experiments accept (both share predict, loss, gradients, copy)."""


def _check_real(value: Any, name: str, *, minimum: float | None = None) -> float:
    """Return ``value`` as a finite float (``>= minimum`` when given)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {number!r}")
    return number


def _column(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Accept shape (n,) or (n, 1); return (n, 1) float64."""
    arr = as_float_array(x, name)
    if arr.ndim == 1:
        return arr.reshape(-1, 1)
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr
    raise ValueError(f"{name} must have shape (n,) or (n, 1), got {arr.shape}")


# -- homework 1-1: Newton's law as supervised learning -----------------------------


def newton_data(
    mass: float,
    n: int,
    *,
    force_range: tuple[float, float] = (1.0, 20.0),
    noise: float = 0.3,
    rng: RngLike = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Noisy measurements of Newton's second law, ``a = F / m``.

    Forces are drawn uniformly from ``force_range`` (newtons); each measured
    acceleration is ``F / mass`` plus Gaussian noise of standard deviation
    ``noise`` (m/s²), the measurement error of a real experiment.

    Parameters
    ----------
    mass : float
        The body's mass in kg, ``> 0``.  The parameter to learn is ``w = 1 / mass``.
    n : int
        Number of measurements, ``>= 1``.
    force_range : tuple of float, default (1.0, 20.0)
        ``(low, high)`` of the uniform forces, finite, ``low <= high``.
    noise : float, default 0.3
        Standard deviation of the acceleration noise, ``>= 0`` (0: exact data).
    rng : numpy.random.Generator or int or None, default None
        Source of the forces and the noise.

    Returns
    -------
    F : ndarray of shape (n, 1), float64
        The applied forces (the input x).
    a : ndarray of shape (n, 1), float64
        The measured accelerations (the label y).

    Raises
    ------
    TypeError
        ``n`` is not an int, or a number is not real.
    ValueError
        ``mass <= 0``, ``n < 1``, ``noise < 0``, or ``force_range`` is not a pair of
        finite numbers with ``low <= high``.

    See Also
    --------
    fit_proportional : the least-squares estimate of ``w`` in ``a = w * F``.

    Notes
    -----
    Used in homework 1-1.

    Examples
    --------
    The course's example, without noise: a force of 10 N on a 2 kg body.

    >>> F, a = newton_data(2.0, 1, force_range=(10.0, 10.0), noise=0.0, rng=0)
    >>> float(F[0, 0]), float(a[0, 0])
    (10.0, 5.0)
    """
    m = check_positive_float(mass, "mass")
    count = check_int(n, "n", minimum=1)
    if not isinstance(force_range, tuple | list) or len(force_range) != 2:
        raise ValueError(f"force_range must be a pair (low, high), got {force_range!r}")
    low = _check_real(force_range[0], "force_range[0]")
    high = _check_real(force_range[1], "force_range[1]")
    if low > high:
        raise ValueError(f"force_range must have low <= high, got {force_range!r}")
    sigma = _check_real(noise, "noise", minimum=0.0)
    gen = as_rng(rng)
    F = gen.uniform(low, high, size=(count, 1))
    a = F / m + gen.normal(0.0, sigma, size=(count, 1))
    return F, a


def fit_proportional(x: ArrayLike, y: ArrayLike) -> float:
    """Least-squares slope of the hypothesis ``y = w * x`` (a line through the origin).

    Minimizes the MSE ``(1/N) * sum_i (w * x_i - y_i) ** 2`` over ``w``; setting its
    derivative to zero gives ``w = sum_i x_i * y_i / sum_i x_i ** 2``.

    Parameters
    ----------
    x : array_like of shape (n,) or (n, 1)
        Inputs, finite, not all zero.
    y : array_like of shape (n,) or (n, 1)
        Labels, finite, same length.

    Returns
    -------
    float
        The fitted parameter ``w``.

    Raises
    ------
    ValueError
        Wrong shapes, different lengths, NaN/inf, or every ``x_i == 0`` (``w`` is
        then undetermined).

    Notes
    -----
    Used in homework 1-1: on :func:`newton_data` it recovers ``w ≈ 1 / m``.

    Examples
    --------
    >>> fit_proportional([1.0, 2.0, 4.0], [0.5, 1.0, 2.0])
    0.5
    """
    xc, yc = _column(x, "x"), _column(y, "y")
    if xc.shape[0] != yc.shape[0]:
        raise ValueError(f"x and y must have the same length, got {xc.shape[0]} and {yc.shape[0]}")
    sxx = float(np.sum(xc * xc))
    if sxx == 0.0:
        raise ValueError("x is all zeros: the slope of y = w * x is undetermined")
    return float(np.sum(xc * yc)) / sxx


def feature_target(
    data: ArrayLike, feature: str = "RM"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One feature column and the target MEDV from raw housing rows.

    Parameters
    ----------
    data : array_like of shape (n_rows, 14)
        Rows in the file's layout (:data:`dlhomework.data.COLUMN_NAMES`), e.g.
        from :func:`dlhomework.data.load_housing` or its training split.
    feature : str, default "RM"
        One of :data:`dlhomework.data.FEATURE_NAMES`.

    Returns
    -------
    X : ndarray of shape (n_rows, 1), float64
        The feature, in its original units (RM: rooms per dwelling).
    y : ndarray of shape (n_rows, 1), float64
        MEDV in $1000s.  Both are copies.

    Raises
    ------
    ValueError
        ``data`` is not ``(n_rows, 14)`` or holds NaN/inf, or ``feature`` is unknown.

    Notes
    -----
    Used in homework 1-1 (price from the number of rooms).

    Examples
    --------
    >>> from dlhomework.data import load_housing
    >>> X, y = feature_target(load_housing()[:2])
    >>> X.tolist(), y.tolist()
    ([[6.575], [6.421]], [[24.0], [21.6]])
    """
    arr = as_float_array(data, "data", ndim=2)
    if arr.shape[1] != N_COLUMNS:
        raise ValueError(f"data must have {N_COLUMNS} columns, got shape {arr.shape}")
    if feature not in FEATURE_NAMES:
        raise ValueError(f"feature must be one of {FEATURE_NAMES}, got {feature!r}")
    j = FEATURE_NAMES.index(feature)
    return arr[:, [j]].copy(), arr[:, [-1]].copy()


@dataclass(frozen=True)
class LinearCurve:
    """A straight supply or demand curve, price as a function of quantity.

    ``price(q) = intercept + slope * q`` — the economist's drawing, quantity on
    the horizontal axis.  A demand curve slopes down (``slope < 0``), a supply
    curve up (``slope > 0``).

    Parameters
    ----------
    intercept : float
        Price at quantity 0 (finite).
    slope : float
        Change of price per unit of quantity (finite).

    Raises
    ------
    TypeError
        A value is not a real number.
    ValueError
        A value is NaN or infinite.

    Notes
    -----
    Used in homework 1-1 (the market for deep-learning engineers).

    Examples
    --------
    >>> demand = LinearCurve(10.0, -1.0)
    >>> demand.price([0.0, 4.0]).tolist()
    [10.0, 6.0]
    >>> demand.shifted(2.0)  # demand rises: the curve moves right by 2
    LinearCurve(intercept=12.0, slope=-1.0)
    """

    intercept: float
    slope: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "intercept", _check_real(self.intercept, "intercept"))
        object.__setattr__(self, "slope", _check_real(self.slope, "slope"))

    def price(self, quantity: ArrayLike) -> NDArray[np.float64]:
        """Price on this curve at ``quantity``.

        Parameters
        ----------
        quantity : array_like
            Quantities, any shape.

        Returns
        -------
        ndarray of the same shape, float64

        Examples
        --------
        >>> LinearCurve(2.0, 1.0).price(3.0).tolist()
        5.0
        """
        q = as_float_array(quantity, "quantity", allow_empty=True)
        return self.intercept + self.slope * q

    def shifted(self, quantity: float) -> LinearCurve:
        """The same curve moved right by ``quantity`` (left when negative).

        A rightward shift means more is demanded (or supplied) at every price:
        ``new.price(q + quantity) == self.price(q)``.

        Parameters
        ----------
        quantity : float
            Horizontal shift, finite.

        Returns
        -------
        LinearCurve

        Examples
        --------
        >>> LinearCurve(2.0, 1.0).shifted(3.0)  # more supply: lower price at every quantity
        LinearCurve(intercept=-1.0, slope=1.0)
        """
        dq = _check_real(quantity, "quantity")
        return LinearCurve(self.intercept - self.slope * dq, self.slope)


def equilibrium(demand: LinearCurve, supply: LinearCurve) -> tuple[float, float]:
    """Where a downward demand curve meets an upward supply curve.

    Solves ``demand.price(q) == supply.price(q)``:
    ``q* = (a_d - a_s) / (b_s - b_d)`` and ``p* = a_d + b_d * q*`` for curves
    ``p = a + b * q``.

    Parameters
    ----------
    demand : LinearCurve
        ``slope < 0``.
    supply : LinearCurve
        ``slope > 0``.

    Returns
    -------
    quantity : float
        Equilibrium quantity ``q* > 0`` (e.g. engineers employed).
    price : float
        Equilibrium price ``p* > 0`` (e.g. the wage).

    Raises
    ------
    TypeError
        An argument is not a :class:`LinearCurve`.
    ValueError
        The demand curve does not slope down or the supply curve does not slope
        up, or they cross at a quantity or price that is not positive (no market).

    Notes
    -----
    Used in homework 1-1 (the supply–demand diagram).

    Examples
    --------
    >>> equilibrium(LinearCurve(10.0, -1.0), LinearCurve(2.0, 1.0))
    (4.0, 6.0)
    """
    if not isinstance(demand, LinearCurve) or not isinstance(supply, LinearCurve):
        raise TypeError(
            f"demand and supply must be LinearCurve, got {type(demand).__name__} "
            f"and {type(supply).__name__}"
        )
    if demand.slope >= 0:
        raise ValueError(f"demand must slope down (slope < 0), got slope {demand.slope!r}")
    if supply.slope <= 0:
        raise ValueError(f"supply must slope up (slope > 0), got slope {supply.slope!r}")
    q = (demand.intercept - supply.intercept) / (supply.slope - demand.slope)
    p = demand.intercept + demand.slope * q
    if q <= 0 or p <= 0:
        raise ValueError(
            f"the curves cross at quantity {q!r} and price {p!r}: not a market "
            "with positive quantity and price"
        )
    return float(q), float(p)


# -- homework 1-2: normalization statistics ------------------------------------


def _check_setup(model: _Regressor, normalizer: Normalizer) -> int:
    """Check that ``normalizer`` was fitted on the model's features plus the label."""
    if not isinstance(normalizer, Normalizer):
        raise TypeError(f"normalizer must be a Normalizer, got {type(normalizer).__name__}")
    if not hasattr(normalizer, "n_columns_"):
        # Let the Normalizer raise its own NotFittedError.
        normalizer.transform(np.zeros((1, 1)))
    n_features = int(model.n_features)
    if normalizer.n_columns_ != n_features + 1:
        raise ValueError(
            f"normalizer must be fitted on the {n_features} features plus the label "
            f"({n_features + 1} columns), got one fitted on {normalizer.n_columns_} columns"
        )
    return n_features


def _features(x: ArrayLike, name: str, n_features: int) -> NDArray[np.float64]:
    arr = as_float_array(x, name)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2 or arr.shape[1] != n_features:
        raise ValueError(
            f"{name} must have shape (n, {n_features}) or ({n_features},), got {arr.shape}"
        )
    return arr


def predict_medv(
    model: _Regressor, normalizer: Normalizer, features: ArrayLike
) -> NDArray[np.float64]:
    """Predict MEDV in $1000s the right way: with the *training* transform.

    The raw features are mapped with the training statistics stored in
    ``normalizer``; the model's normalized prediction is mapped back to $1000s
    with the label's training statistics.

    Parameters
    ----------
    model : LinearRegression or TwoLayerNet
        Trained on rows normalized by ``normalizer`` (``n_features`` inputs).
    normalizer : Normalizer
        Fitted on the raw training rows, features and label
        (``n_features + 1`` columns), as :func:`dlhomework.data.load_data` returns it.
    features : array_like of shape (n, n_features) or (n_features,)
        Raw houses, in the file's units.

    Returns
    -------
    ndarray of shape (n, 1), float64
        Predicted MEDV in $1000s.

    Raises
    ------
    TypeError
        ``normalizer`` is not a Normalizer.
    NotFittedError
        ``normalizer`` is not fitted.
    ValueError
        ``normalizer`` was fitted on a different number of columns, or
        ``features`` has the wrong shape or holds NaN/inf.

    See Also
    --------
    predict_medv_batch_statistics : the wrong way, for comparison.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> from dlhomework.data import load_data, load_housing
    >>> from dlhomework.models import least_squares
    >>> train, test, norm = load_data()
    >>> model = least_squares(train[:, :-1], train[:, -1:])
    >>> raw = load_housing()
    >>> round(float(predict_medv(model, norm, raw[0, :-1])[0, 0]), 2)  # true MEDV: 24.0
    29.14
    """
    n_features = _check_setup(model, normalizer)
    X = _features(features, "features", n_features)
    pred = model.predict(normalizer.transform(X, columns=list(range(n_features))))
    return normalizer.inverse_transform(pred, columns=[n_features])


def predict_medv_batch_statistics(
    model: _Regressor, normalizer: Normalizer, batch: ArrayLike
) -> NDArray[np.float64]:
    """Predict MEDV the *wrong* way: features normalized with the batch's own statistics.

    This is what happens when inference code re-runs the normalization on the
    rows it is given instead of reusing the training statistics.  Each row's
    prediction then depends on which other rows share its batch.  The label
    is still mapped back with the training statistics (at inference there is
    no label to take statistics from).

    Parameters
    ----------
    model : LinearRegression or TwoLayerNet
        Trained on rows normalized by ``normalizer``.
    normalizer : Normalizer
        The training normalizer (its method is reused for the batch, its label
        statistics map the prediction back to $1000s).
    batch : array_like of shape (n, n_features)
        Raw houses, ``n >= 2``.

    Returns
    -------
    ndarray of shape (n, 1), float64
        Predicted MEDV in $1000s.

    Raises
    ------
    ValueError
        A feature is constant within the batch (max == min: its range is 0, so
        the batch cannot be normalized by itself — always the case for a single
        row), or the shapes are wrong.
    TypeError, NotFittedError
        As in :func:`predict_medv`.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> from dlhomework.data import load_data, load_housing
    >>> from dlhomework.models import least_squares
    >>> train, test, norm = load_data()
    >>> model = least_squares(train[:, :-1], train[:, -1:])
    >>> raw = load_housing()
    >>> first = predict_medv_batch_statistics(model, norm, raw[0:200, :-1])
    >>> other = predict_medv_batch_statistics(model, norm, raw[[0, *range(140, 339)], :-1])
    >>> round(float(first[0, 0]), 2), round(float(other[0, 0]), 2)  # house 0 both times
    (30.7, 24.46)
    >>> predict_medv_batch_statistics(model, norm, raw[0:3, :-1])  # CHAS is 0 in all three
    Traceback (most recent call last):
    ...
    ValueError: the batch cannot be normalized with its own statistics: column 3 ... zero
    """
    n_features = _check_setup(model, normalizer)
    X = as_float_array(batch, "batch", ndim=2)
    if X.shape[1] != n_features:
        raise ValueError(f"batch must have shape (n, {n_features}), got {X.shape}")
    try:
        own = Normalizer(normalizer.method).fit(X)
    except ValueError as err:
        raise ValueError(f"the batch cannot be normalized with its own statistics: {err}") from err
    pred = model.predict(own.transform(X))
    return normalizer.inverse_transform(pred, columns=[n_features])


@dataclass
class BatchDependence:
    """Predictions of one house placed in random batches (see :func:`batch_dependence`).

    Attributes
    ----------
    batch_size : int
        Rows per batch, the house included.
    reference : float
        The prediction with the training transform ($1000s), independent of any batch.
    predictions : ndarray of shape (n_defined,)
        The house's prediction in each batch whose own statistics are defined.
    n_undefined : int
        Batches that could not be normalized by themselves (a feature constant in
        the batch: max == min).
    """

    batch_size: int
    reference: float
    predictions: NDArray[np.float64]
    n_undefined: int

    @property
    def n_batches(self) -> int:
        """Number of batches drawn, defined or not."""
        return int(self.predictions.size) + self.n_undefined


def batch_dependence(
    model: _Regressor,
    normalizer: Normalizer,
    house: ArrayLike,
    pool: ArrayLike,
    *,
    batch_size: int,
    n_batches: int,
    rng: RngLike = None,
) -> BatchDependence:
    """Predict one house in many random batches, each normalized by its own statistics.

    Each batch is the house plus ``batch_size - 1`` rows drawn without
    replacement from ``pool``.  With the training transform the prediction is
    one number; with per-batch statistics it varies with the neighbours.

    Parameters
    ----------
    model : LinearRegression or TwoLayerNet
        Trained on rows normalized by ``normalizer``.
    normalizer : Normalizer
        Fitted on the raw training rows (features and label).
    house : array_like of shape (n_features,)
        The raw features of the house to predict.
    pool : array_like of shape (m, n_features)
        Raw rows to draw its batch mates from, ``m >= batch_size - 1``.
    batch_size : int
        Rows per batch including the house, ``>= 2``.
    n_batches : int
        Batches to draw, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None
        Source of the batch mates.

    Returns
    -------
    BatchDependence

    Raises
    ------
    TypeError
        A size is not an int; see also :func:`predict_medv`.
    ValueError
        ``batch_size < 2``, ``n_batches < 1``, the pool is too small, or wrong shapes.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> from dlhomework.data import load_data, load_housing
    >>> from dlhomework.models import least_squares
    >>> train, test, norm = load_data()
    >>> model = least_squares(train[:, :-1], train[:, -1:])
    >>> raw = load_housing()
    >>> others = np.delete(raw[:, :-1], 404, axis=0)
    >>> result = batch_dependence(model, norm, raw[404, :-1], others,
    ...                           batch_size=50, n_batches=20, rng=0)
    >>> round(result.reference, 2), result.n_batches, result.n_undefined
    (5.89, 20, 1)
    >>> bool(result.predictions.std() > 1.0)  # $1000s: the batch moves the price
    True
    """
    n_features = _check_setup(model, normalizer)
    b = check_int(batch_size, "batch_size", minimum=2)
    count = check_int(n_batches, "n_batches", minimum=1)
    x0 = as_float_array(house, "house", ndim=1)
    if x0.shape != (n_features,):
        raise ValueError(f"house must have shape ({n_features},), got {x0.shape}")
    others = as_float_array(pool, "pool", ndim=2)
    if others.shape[1] != n_features:
        raise ValueError(f"pool must have shape (m, {n_features}), got {others.shape}")
    if others.shape[0] < b - 1:
        raise ValueError(
            f"pool has {others.shape[0]} rows, fewer than the batch_size - 1 = {b - 1} "
            "batch mates needed"
        )
    gen = as_rng(rng)
    reference = float(predict_medv(model, normalizer, x0)[0, 0])
    predictions: list[float] = []
    undefined = 0
    for _ in range(count):
        mates = others[gen.choice(others.shape[0], size=b - 1, replace=False)]
        batch = np.vstack([x0[None, :], mates])
        try:
            pred = predict_medv_batch_statistics(model, normalizer, batch)
        except ValueError:
            undefined += 1
            continue
        predictions.append(float(pred[0, 0]))
    return BatchDependence(b, reference, np.asarray(predictions, dtype=np.float64), undefined)


def uci_housing_arrays(
    mode: str = "train", data_file: str | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The rows that ``paddle.text.datasets.UCIHousing`` serves, as arrays.

    Loads the dataset from the shipped file (no download) and stacks its
    samples.  Paddle normalizes the 13 features with ``(x - mean) / (max - min)``
    computed over the *whole* file (training and test rows together) before it
    splits 80/20, and leaves the label in $1000s; it serves float32.

    Parameters
    ----------
    mode : {"train", "test"}, default "train"
        Which part of Paddle's split.
    data_file : str, optional
        A file in the UCI layout; defaults to :func:`dlhomework.data.housing_path`.

    Returns
    -------
    X : ndarray of shape (404, 13) or (102, 13), float64
        The features as Paddle serves them (float32 values, widened).
    y : ndarray of shape (404, 1) or (102, 1), float64
        MEDV in $1000s.

    Raises
    ------
    ValueError
        ``mode`` is not "train" or "test".
    ImportError
        Paddle is not installed.

    Notes
    -----
    Used in homework 1-2 to show that Paddle's statistics include the test rows.

    Examples
    --------
    >>> X, y = uci_housing_arrays("test")
    >>> X.shape, y.shape, float(y[0, 0])
    ((102, 13), (102, 1), 8.5)
    """
    if mode not in ("train", "test"):
        raise ValueError(f"mode must be 'train' or 'test', got {mode!r}")
    path = str(housing_path()) if data_file is None else str(data_file)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No ccache found")
            from paddle.text.datasets.uci_housing import UCIHousing
    except ImportError as exc:  # pragma: no cover - exercised where paddle is absent
        raise ImportError('paddle is not installed: pip install "dlhomework[paddle]"') from exc
    dataset = UCIHousing(
        data_file=path, mode="train" if mode == "train" else "test", download=False
    )
    rows = [dataset[i] for i in range(len(dataset))]
    X = np.stack([np.asarray(f, dtype=np.float64) for f, _ in rows])
    y = np.stack([np.asarray(t, dtype=np.float64) for _, t in rows]).reshape(-1, 1)
    return X, y


# -- homework 1-2: near-zero gradients -----------------------------------------


def saddle(points: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The saddle ``f(x, y) = x**2 - y**2`` and its gradient ``(2x, -2y)``.

    At the origin the gradient is zero, yet it is no minimum: ``f`` decreases
    along ``y`` (the Hessian ``diag(2, -2)`` has a negative eigenvalue).

    Parameters
    ----------
    points : array_like of shape (..., 2)
        ``(x, y)`` pairs.

    Returns
    -------
    value : ndarray of shape (...), float64
    grad : ndarray of shape (..., 2), float64

    Raises
    ------
    ValueError
        The last axis does not have length 2, or NaN/inf.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> value, grad = saddle([0.0, 0.0])
    >>> float(value), grad.tolist()
    (0.0, [0.0, 0.0])
    >>> value, grad = saddle([[1.0, 0.0], [0.0, 1.0]])
    >>> value.tolist(), grad.tolist()
    ([1.0, -1.0], [[2.0, 0.0], [0.0, -2.0]])
    """
    p = as_float_array(points, "points")
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"points must have shape (..., 2), got {p.shape}")
    x, y = p[..., 0], p[..., 1]
    return x * x - y * y, np.stack([2.0 * x, -2.0 * y], axis=-1)


def gradient_descent_path(
    grad: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    start: ArrayLike,
    *,
    lr: float,
    n_steps: int,
) -> NDArray[np.float64]:
    """Plain gradient descent ``p <- p - lr * grad(p)``, returning every point visited.

    Parameters
    ----------
    grad : callable
        ``grad(p) -> ndarray`` of the same shape as ``p`` (shape ``(d,)``).
    start : array_like of shape (d,)
        Starting point.
    lr : float
        Step size, ``> 0``.
    n_steps : int
        Steps, ``>= 1``.

    Returns
    -------
    ndarray of shape (n_steps + 1, d), float64
        The start, then each iterate.

    Raises
    ------
    ValueError
        ``lr <= 0``, ``n_steps < 1``, ``start`` not 1-D, ``grad`` returned the
        wrong shape.
    FloatingPointError
        An iterate became NaN or infinite (diverged: use a smaller ``lr``).

    Notes
    -----
    Used in homework 1-2: started exactly on the saddle's ridge
    (``y = 0``) it stops at the saddle point; a perturbation of ``1e-6`` escapes.

    Examples
    --------
    >>> path = gradient_descent_path(lambda p: saddle(p)[1], [1.0, 0.0], lr=0.25, n_steps=3)
    >>> path.tolist()
    [[1.0, 0.0], [0.5, 0.0], [0.25, 0.0], [0.125, 0.0]]
    """
    step = check_positive_float(lr, "lr")
    steps = check_int(n_steps, "n_steps", minimum=1)
    p = as_float_array(start, "start", ndim=1).copy()
    path = np.empty((steps + 1, p.size), dtype=np.float64)
    path[0] = p
    for k in range(1, steps + 1):
        g = np.asarray(grad(p.copy()), dtype=np.float64)
        if g.shape != p.shape:
            raise ValueError(f"grad returned shape {g.shape}, expected {p.shape}")
        p = p - step * g
        if not np.all(np.isfinite(p)):
            raise FloatingPointError(
                f"gradient descent diverged at step {k} (lr={step!r}): use a smaller lr"
            )
        path[k] = p
    return path


@dataclass
class Saturation:
    """Gradients of a sigmoid network as its first layer is scaled up (:func:`saturation_sweep`).

    Attributes
    ----------
    scales : ndarray of shape (s,)
        Factors applied to ``W1`` and ``b1``.
    mean_abs_z : ndarray of shape (s,)
        Mean ``|z1|`` over samples and hidden units (``z1 = X @ W1 + b1``).
    saturated_fraction : ndarray of shape (s,)
        Fraction of the hidden units' values (over samples and units) where the
        activation's derivative is below 0.01 (for the sigmoid: ``|z1| > 4.6``).
    losses : ndarray of shape (s,)
        MSE on the data.
    grad_norms : dict of str to ndarray of shape (s,)
        Euclidean norm of each parameter block's gradient.
    """

    scales: NDArray[np.float64]
    mean_abs_z: NDArray[np.float64]
    saturated_fraction: NDArray[np.float64]
    losses: NDArray[np.float64]
    grad_norms: dict[str, NDArray[np.float64]] = field(default_factory=dict)


def saturation_sweep(
    model: _Regressor, X: ArrayLike, y: ArrayLike, scales: ArrayLike
) -> Saturation:
    """Scale a two-layer network's first layer and watch its gradients vanish.

    For each factor ``s``, a copy of ``model`` gets ``W1 * s`` and ``b1 * s``, so
    its pre-activations ``z1`` grow by ``s``.  A sigmoid (or tanh) hidden layer
    saturates, its derivative ``σ'(z1)`` goes to zero, and so do the gradients
    of ``W1`` and ``b1`` — while the loss stays high.

    Parameters
    ----------
    model : TwoLayerNet
        The network (``W1`` of shape (n_features, n_hidden), ``b1`` of shape
        (n_hidden,)); it is not modified.
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
    scales : array_like of shape (s,)
        Positive factors.

    Returns
    -------
    Saturation

    Raises
    ------
    TypeError
        ``model`` is not a :class:`~dlhomework.models.TwoLayerNet`.
    ValueError
        ``scales`` is empty, not 1-D or not positive; ``X`` not 2-D, ``y`` not
        ``(n_samples, 1)``, wrong feature count, or NaN/inf.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> from dlhomework.models import TwoLayerNet
    >>> X = np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.5]])
    >>> y = np.array([[1.0], [0.0], [2.0]])
    >>> net = TwoLayerNet(2, 3, activation="sigmoid", rng=0)
    >>> sat = saturation_sweep(net, X, y, [1.0, 100.0])
    >>> [round(float(f), 2) for f in sat.saturated_fraction]
    [0.0, 0.89]
    >>> bool(sat.grad_norms["W1"][1] < 0.1 * sat.grad_norms["W1"][0])
    True
    """
    if not isinstance(model, TwoLayerNet):
        raise TypeError(f"model must be a TwoLayerNet, got {type(model).__name__}")
    s = as_float_array(scales, "scales", ndim=1)
    if np.any(s <= 0):
        raise ValueError(f"scales must be > 0, got {s.tolist()!r}")
    Xa = as_float_array(X, "X", ndim=2)
    _, act_grad = ACTIVATIONS[model.activation]
    mean_abs_z = np.empty(s.size)
    saturated = np.empty(s.size)
    losses = np.empty(s.size)
    norms: dict[str, NDArray[np.float64]] = {k: np.empty(s.size) for k in model.params}
    for i, factor in enumerate(s):
        net = model.copy()
        net.params["W1"] *= factor
        net.params["b1"] *= factor
        losses[i] = float(net.loss(Xa, y))  # validates X and y first
        z1 = Xa @ net.params["W1"] + net.params["b1"]
        mean_abs_z[i] = float(np.mean(np.abs(z1)))
        saturated[i] = float(np.mean(np.asarray(act_grad(z1)) < 0.01))
        for name, g in net.gradients(Xa, y).items():
            norms[name][i] = float(np.linalg.norm(g))
    return Saturation(s.copy(), mean_abs_z, saturated, losses, norms)


def constant_columns(X: ArrayLike) -> list[int]:
    """Indices of the columns of ``X`` that are constant (max == min).

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        A batch of rows.

    Returns
    -------
    list of int
        Column indices, ascending (empty when none).

    Raises
    ------
    ValueError
        ``X`` is not 2-D, is empty, or holds NaN/inf.

    Notes
    -----
    Used in homework 1-2: in a batch where a feature is constant, the gradient
    of its weight is that constant times the bias gradient (zero when the
    constant is 0), so the batch cannot teach that weight anything of its own.

    Examples
    --------
    >>> constant_columns([[0.0, 1.0, 5.0], [0.0, 2.0, 5.0]])
    [0, 2]
    """
    arr = as_float_array(X, "X", ndim=2)
    return [int(j) for j in np.flatnonzero(arr.max(axis=0) == arr.min(axis=0))]


# -- homework 1-3: batch size --------------------------------------------------


@dataclass
class SweepResult:
    """One batch size's run in :func:`batch_size_sweep`.

    Attributes
    ----------
    batch_size : int
    lr : float
        Learning rate used.
    n_epochs : int
        Epochs trained.
    history : History
        Every iteration's loss (on its batch, before its update), the per-epoch
        means, and the cumulative training seconds at the end of each epoch.
    model : LinearRegression
        The trained model.
    train_curve : ndarray of shape (n_epochs + 1,)
        MSE on the *whole* training set before training and after each epoch.
    test_curve : ndarray of shape (n_epochs + 1,)
        MSE on the test set at the same moments.
    train_mse : float
        ``train_curve[-1]``.
    test_mse : float
        ``test_curve[-1]``.
    updates_per_epoch : int
        ``ceil(n_samples / batch_size)`` (the last batch may be partial).
    n_updates : int
        ``n_epochs * updates_per_epoch`` parameter updates.
    seconds_per_epoch : float
        Median wall-clock duration of one epoch of training on this machine
        (evaluations excluded).
    seconds_per_update : float
        ``seconds_per_epoch / updates_per_epoch``.
    last_epoch_std : float
        Standard deviation of the iteration losses within the last epoch (0 for
        a single iteration): how noisy the loss seen by each update is.
    """

    batch_size: int
    lr: float
    n_epochs: int
    history: History
    model: LinearRegression
    train_curve: NDArray[np.float64]
    test_curve: NDArray[np.float64]
    train_mse: float
    test_mse: float
    updates_per_epoch: int
    n_updates: int
    seconds_per_epoch: float
    seconds_per_update: float
    last_epoch_std: float

    @property
    def times(self) -> NDArray[np.float64]:
        """Training seconds at the points of the curves: 0, then each epoch's end."""
        return np.concatenate([[0.0], self.history.epoch_times])


def _batch_sizes(batch_sizes: Any) -> list[int]:
    if isinstance(batch_sizes, str | bytes) or not isinstance(batch_sizes, Sequence):
        raise TypeError(f"batch_sizes must be a sequence of ints, got {batch_sizes!r}")
    sizes = [check_int(b, "batch_size", minimum=1) for b in batch_sizes]
    if not sizes:
        raise ValueError("batch_sizes must not be empty")
    if len(set(sizes)) != len(sizes):
        raise ValueError(f"batch_sizes must not repeat a value, got {sizes}")
    return sizes


def _per_batch(value: Any, batch_size: int, name: str) -> Any:
    if isinstance(value, Mapping):
        if batch_size not in value:
            raise ValueError(f"{name} has no entry for batch_size {batch_size}")
        return value[batch_size]
    return value


def _train_epochs(
    model: LinearRegression,
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    X_test: NDArray[np.float64],
    y_test: NDArray[np.float64],
    *,
    n_epochs: int,
    batch_size: int,
    lr: float,
    rng: np.random.Generator,
) -> tuple[History, list[float], list[float]]:
    """``sgd`` one epoch at a time, evaluating between epochs outside the timed part.

    Same updates as one ``sgd`` call with ``n_epochs`` (the Generator draws each
    epoch's permutation in turn).
    """
    history = History(iterations_per_epoch=iterations_per_epoch(X.shape[0], batch_size))
    train_curve = [model.loss(X, y)]
    test_curve = [model.loss(X_test, y_test)]
    elapsed = 0.0
    for _ in range(n_epochs):
        part = sgd(model, X, y, n_epochs=1, batch_size=batch_size, lr=lr, rng=rng)
        elapsed += part.wall_time
        history.losses.extend(part.losses)
        history.epoch_losses.extend(part.epoch_losses)
        history.epoch_times.append(elapsed)
        train_curve.append(model.loss(X, y))
        test_curve.append(model.loss(X_test, y_test))
    return history, train_curve, test_curve


def batch_size_sweep(
    X: ArrayLike,
    y: ArrayLike,
    X_test: ArrayLike,
    y_test: ArrayLike,
    batch_sizes: Sequence[int],
    *,
    n_epochs: int | Mapping[int, int],
    lr: float | Mapping[int, float],
    rng: RngLike = None,
    model: LinearRegression | None = None,
) -> list[SweepResult]:
    """Train the linear model with mini-batch SGD once per batch size.

    Every run starts from the *same* initial weights (a copy of ``model``, or
    of one ``LinearRegression`` drawn from ``rng``) and gets its own shuffling
    stream derived from ``rng``, so the runs differ only by batch size (and by
    ``lr``/``n_epochs`` when those are given per batch size).  After each epoch
    the whole training and test sets are evaluated; that evaluation is not
    counted in the timings.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Training features (normalized).
    y : array_like of shape (n_samples, 1)
        Training labels.
    X_test : array_like of shape (n_test, n_features)
    y_test : array_like of shape (n_test, 1)
    batch_sizes : sequence of int
        Each ``>= 1``, non-empty, no repeats.
    n_epochs : int or mapping of int to int
        Epochs for every run, or per batch size (e.g. fewer for batch size 1).
    lr : float or mapping of int to float
        Learning rate for every run, or per batch size.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights (unless ``model`` is given) and of the shuffling.
    model : LinearRegression, optional
        Initial model; it is copied, never modified.

    Returns
    -------
    list of SweepResult
        One per batch size, in the order given.

    Raises
    ------
    TypeError
        A batch size or epoch count is not an int.
    ValueError
        ``batch_sizes`` is empty or repeats a value, a mapping lacks a batch size,
        ``lr <= 0``, ``n_epochs < 1``, or shapes are inconsistent.
    FloatingPointError
        A run diverged (from :func:`dlhomework.training.sgd`: the learning rate is
        too large for that batch size).

    See Also
    --------
    learning_rate_grid : final losses over batch sizes × learning rates.

    Notes
    -----
    Wall-clock figures depend on the machine and its load; compare ratios, not
    absolute seconds.  Used in homework 1-3.

    Examples
    --------
    >>> from dlhomework.data import load_data
    >>> train, test, _ = load_data()
    >>> runs = batch_size_sweep(train[:, :-1], train[:, -1:], test[:, :-1], test[:, -1:],
    ...                         [10, 404], n_epochs=2, lr=0.1, rng=0)
    >>> [(r.batch_size, r.updates_per_epoch, r.n_updates) for r in runs]
    [(10, 41, 82), (404, 1, 2)]
    >>> [len(r.history.losses) for r in runs], runs[0].train_curve.shape
    ([82, 2], (3,))
    """
    sizes = _batch_sizes(batch_sizes)
    Xa = as_float_array(X, "X", ndim=2)
    ya = as_float_array(y, "y", ndim=2)
    Xt = as_float_array(X_test, "X_test", ndim=2)
    yt = as_float_array(y_test, "y_test", ndim=2)
    settings = []
    for b in sizes:
        epochs = check_int(_per_batch(n_epochs, b, "n_epochs"), "n_epochs", minimum=1)
        rate = check_positive_float(_per_batch(lr, b, "lr"), "lr")
        settings.append((b, epochs, rate))
    gen = as_rng(rng)
    start = _start_model(model, Xa, gen)
    # Evaluate once before training: shape errors surface here, not after a long run.
    start.loss(Xa, ya)
    start.loss(Xt, yt)
    results = []
    for (b, epochs, rate), stream in zip(settings, gen.spawn(len(sizes)), strict=True):
        net = start.copy()
        history, train_curve, test_curve = _train_epochs(
            net, Xa, ya, Xt, yt, n_epochs=epochs, batch_size=b, lr=rate, rng=stream
        )
        per_epoch = history.iterations_per_epoch
        durations = np.diff(np.concatenate([[0.0], history.epoch_times]))
        seconds = float(np.median(durations))
        last = np.asarray(history.losses[-per_epoch:])
        results.append(
            SweepResult(
                batch_size=b,
                lr=rate,
                n_epochs=epochs,
                history=history,
                model=net,
                train_curve=np.asarray(train_curve),
                test_curve=np.asarray(test_curve),
                train_mse=float(train_curve[-1]),
                test_mse=float(test_curve[-1]),
                updates_per_epoch=per_epoch,
                n_updates=epochs * per_epoch,
                seconds_per_epoch=seconds,
                seconds_per_update=seconds / per_epoch,
                last_epoch_std=float(last.std()),
            )
        )
    return results


def _start_model(
    model: LinearRegression | None, X: NDArray[np.float64], gen: np.random.Generator
) -> LinearRegression:
    if model is None:
        return LinearRegression(X.shape[1], rng=gen)
    if not isinstance(model, LinearRegression):
        raise TypeError(f"model must be a LinearRegression, got {type(model).__name__}")
    return model.copy()


@dataclass
class LearningRateGrid:
    """Final training losses over batch sizes × learning rates (:func:`learning_rate_grid`).

    Attributes
    ----------
    batch_sizes : list of int
    lrs : list of float
    train_mse : ndarray of shape (len(batch_sizes), len(lrs))
        MSE on the whole training set after training; ``inf`` where the run
        diverged (see ``diverged``).
    diverged : ndarray of bool, shape (len(batch_sizes), len(lrs))
        True where :func:`dlhomework.training.sgd` stopped with a
        FloatingPointError, or the final loss exceeded the initial one
        (the run blew up without reaching inf).
    """

    batch_sizes: list[int]
    lrs: list[float]
    train_mse: NDArray[np.float64]
    diverged: NDArray[np.bool_]

    def best_lr(self, batch_size: int) -> float:
        """The learning rate with the lowest final training MSE for ``batch_size``.

        Parameters
        ----------
        batch_size : int
            One of ``batch_sizes``.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            ``batch_size`` is not in the grid, or every run diverged for it.

        Examples
        --------
        >>> grid = LearningRateGrid([1], [0.1, 1.0], np.array([[0.5, np.inf]]),
        ...                         np.array([[False, True]]))
        >>> grid.best_lr(1)
        0.1
        """
        if batch_size not in self.batch_sizes:
            raise ValueError(f"batch_size must be one of {self.batch_sizes}, got {batch_size!r}")
        i = self.batch_sizes.index(batch_size)
        if self.diverged[i].all():
            raise ValueError(f"every learning rate diverged for batch_size {batch_size}")
        return self.lrs[int(np.argmin(self.train_mse[i]))]


def learning_rate_grid(
    X: ArrayLike,
    y: ArrayLike,
    batch_sizes: Sequence[int],
    lrs: Sequence[float],
    *,
    n_epochs: int,
    rng: RngLike = None,
    model: LinearRegression | None = None,
) -> LearningRateGrid:
    """Train once per (batch size, learning rate) pair and record the final training MSE.

    All runs start from the same initial weights; each batch size uses the same
    shuffling stream for every learning rate, so along a row only ``lr`` changes.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
    batch_sizes : sequence of int
        Each ``>= 1``, non-empty, no repeats.
    lrs : sequence of float
        Learning rates, each ``> 0``, non-empty.
    n_epochs : int
        Epochs per run, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights (unless ``model`` is given) and of the shuffling.
    model : LinearRegression, optional
        Initial model; copied, never modified.

    Returns
    -------
    LearningRateGrid

    Raises
    ------
    TypeError
        A size is not an int or a rate not a real number.
    ValueError
        Empty or repeated ``batch_sizes``, empty ``lrs``, a rate ``<= 0``,
        ``n_epochs < 1``, or inconsistent shapes.

    Notes
    -----
    A diverged run is recorded, not raised: finding where training diverges is
    the point of the grid.  Used in homework 1-3.

    Examples
    --------
    >>> from dlhomework.data import load_data
    >>> train, _, _ = load_data()
    >>> grid = learning_rate_grid(train[:, :-1], train[:, -1:], [404], [0.5, 1.5],
    ...                           n_epochs=50, rng=0)
    >>> grid.diverged.tolist()  # full batch: stable below 2 / (largest curvature) = 1.0
    [[False, True]]
    """
    sizes = _batch_sizes(batch_sizes)
    if isinstance(lrs, str | bytes) or not isinstance(lrs, Sequence) or not lrs:
        raise ValueError(f"lrs must be a non-empty sequence of numbers, got {lrs!r}")
    rates = [check_positive_float(r, "lr") for r in lrs]
    epochs = check_int(n_epochs, "n_epochs", minimum=1)
    Xa = as_float_array(X, "X", ndim=2)
    ya = as_float_array(y, "y", ndim=2)
    gen = as_rng(rng)
    start = _start_model(model, Xa, gen)
    initial = start.loss(Xa, ya)
    mse = np.empty((len(sizes), len(rates)))
    diverged = np.zeros((len(sizes), len(rates)), dtype=bool)
    for i, stream in enumerate(gen.spawn(len(sizes))):
        state = stream.bit_generator.state
        for j, rate in enumerate(rates):
            net = start.copy()
            stream.bit_generator.state = state  # same shuffling for every rate
            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    sgd(net, Xa, ya, n_epochs=epochs, batch_size=sizes[i], lr=rate, rng=stream)
                    final = net.loss(Xa, ya)
            except FloatingPointError:
                final = np.inf
            if not np.isfinite(final) or final > initial:
                diverged[i, j] = True
                final = np.inf
            mse[i, j] = final
    return LearningRateGrid(sizes, rates, mse, diverged)


def stability_limit(X: ArrayLike) -> float:
    """Largest stable learning rate of full-batch gradient descent on the linear model's MSE.

    The MSE of ``X @ W + b`` is a quadratic whose Hessian is
    ``H = 2 / N * A.T @ A`` with ``A = [X, 1]``.  Gradient descent multiplies the
    error along each eigenvector of ``H`` by ``1 - lr * λ`` per step, so it
    converges if and only if ``lr < 2 / λ_max``.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Training inputs, finite.

    Returns
    -------
    float
        ``2 / λ_max(H)``.

    Raises
    ------
    ValueError
        ``X`` is not 2-D, is empty, or holds NaN/inf.

    Notes
    -----
    For centred features (the course's normalization) the bias direction is
    decoupled, with eigenvalue exactly 2, so the limit cannot exceed 1.
    Mini-batches see a noisy Hessian and need a smaller step.  Used in
    homework 1-3.

    Examples
    --------
    >>> round(stability_limit([[-1.0], [1.0]]), 6)  # H = diag(2, 2)
    1.0
    """
    arr = as_float_array(X, "X", ndim=2)
    A = np.hstack([arr, np.ones((arr.shape[0], 1))])
    largest = float(np.linalg.eigvalsh(2.0 / arr.shape[0] * (A.T @ A)).max())
    return 2.0 / largest


def epochs_to_within(curve: ArrayLike, optimum: float, tol: float = 0.01) -> int | None:
    """First epoch from which a loss curve *stays* within ``tol`` of the optimum.

    Parameters
    ----------
    curve : array_like of shape (n_epochs + 1,)
        Loss after each epoch, ``curve[0]`` before training (as
        ``SweepResult.train_curve``).
    optimum : float
        The lowest reachable loss (e.g. the closed-form least-squares MSE), > 0.
    tol : float, default 0.01
        Relative gap, > 0: "within 1%" is ``curve <= (1 + tol) * optimum``.

    Returns
    -------
    int or None
        The smallest ``e`` such that ``curve[e:]`` is within the gap, or None if
        the last value is not.

    Raises
    ------
    ValueError
        ``curve`` is empty, not 1-D or not finite; ``optimum`` or ``tol`` is not > 0.

    Notes
    -----
    Used in homework 1-3 for the book's recommended settings.

    Examples
    --------
    >>> epochs_to_within([5.0, 1.5, 1.005, 1.02, 1.009, 1.001], optimum=1.0)
    4
    >>> epochs_to_within([5.0, 1.5], optimum=1.0) is None
    True
    """
    values = as_float_array(curve, "curve", ndim=1)
    best = check_positive_float(optimum, "optimum")
    gap = check_positive_float(tol, "tol")
    outside = np.flatnonzero(values > (1.0 + gap) * best)
    if outside.size == 0:
        return 0
    last = int(outside[-1])
    return None if last == values.size - 1 else last + 1


def update_cost(
    batch_sizes: Sequence[int],
    *,
    n_features: int = 13,
    n_repeats: int = 20,
    rng: RngLike = None,
) -> list[float]:
    """Wall-clock seconds of one SGD step's work (loss and gradients) per batch size.

    For each batch size a random ``(b, n_features)`` batch is drawn and
    the model's ``loss`` plus
    :meth:`~dlhomework.models.LinearRegression.gradients` are timed, the
    work :func:`dlhomework.training.sgd` does per iteration.  Each of
    ``n_repeats`` short measurements averages ``max(1, 64 // b)`` calls; the
    fastest is kept, as the least disturbed by other load on the machine
    (short windows are interrupted less often than long ones).

    Parameters
    ----------
    batch_sizes : sequence of int
        Each ``>= 1``, non-empty, no repeats.
    n_features : int, default 13
        Columns of the batch, ``>= 1``.
    n_repeats : int, default 20
        Measurements per batch size, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None
        Source of the random batches and weights.

    Returns
    -------
    list of float
        Seconds per step, one per batch size, in the order given.

    Raises
    ------
    TypeError
        A size is not an int.
    ValueError
        Empty or repeated ``batch_sizes``, a size ``< 1``.

    Notes
    -----
    The numbers depend on the machine and its load; their *shape* does not:
    roughly constant while a fixed per-call overhead dominates, then growing in
    proportion to the batch size.  Used in homework 1-3.

    Examples
    --------
    >>> costs = update_cost([1, 1000], n_repeats=2, rng=0)
    >>> len(costs), all(c > 0 for c in costs)
    (2, True)
    """
    sizes = _batch_sizes(batch_sizes)
    d = check_int(n_features, "n_features", minimum=1)
    repeats = check_int(n_repeats, "n_repeats", minimum=1)
    gen = as_rng(rng)
    model = LinearRegression(d, rng=gen)
    X1, y1 = gen.standard_normal((1, d)), gen.standard_normal((1, 1))
    for _ in range(200):  # warm up the interpreter and caches before the first timing
        model.loss(X1, y1)
        model.gradients(X1, y1)
    costs = []
    for b in sizes:
        Xb = gen.standard_normal((b, d))
        yb = gen.standard_normal((b, 1))
        calls = max(1, 64 // b)
        model.loss(Xb, yb)  # warm-up: first-call effects are not part of the cost
        model.gradients(Xb, yb)
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(calls):
                model.loss(Xb, yb)
                model.gradients(Xb, yb)
            best = min(best, (time.perf_counter() - start) / calls)
        costs.append(float(best))
    return costs


@dataclass
class GradientNoise:
    """How far mini-batch gradients are from the full-batch gradient (:func:`gradient_noise`).

    Attributes
    ----------
    batch_size : int
    mean_sq_error : float
        Mean over draws of ``||g_B - g||²`` (all parameters concatenated).
    predicted_sq_error : float
        Its exact expectation for sampling without replacement,
        ``(N - b) / (b (N - 1)) * mean_i ||g_i - g||²`` (``g_i``: one sample's gradient).
    mean_cosine : float
        Mean cosine similarity between ``g_B`` and ``g``: 1 means the same direction.
    full_norm_sq : float
        ``||g||²``, for scale.
    """

    batch_size: int
    mean_sq_error: float
    predicted_sq_error: float
    mean_cosine: float
    full_norm_sq: float


def _flat_gradient(model: Model, X: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[Any]:
    grads = model.gradients(X, y)
    return np.concatenate([np.ravel(grads[k]) for k in sorted(grads)])


def gradient_noise(
    model: _Regressor,
    X: ArrayLike,
    y: ArrayLike,
    batch_sizes: Sequence[int],
    *,
    n_draws: int,
    rng: RngLike = None,
) -> list[GradientNoise]:
    """Compare mini-batch gradients with the full-batch gradient at fixed weights.

    For a loss that is a mean over samples, the gradient of a batch drawn
    without replacement is an unbiased estimate of the full gradient ``g``; its
    squared error shrinks like ``(N - b) / (b (N - 1))`` and is exactly 0 for the
    full batch.  The larger the batch, the *more* accurate the direction.

    Parameters
    ----------
    model : LinearRegression or TwoLayerNet
        Evaluated, not modified; its loss must be a mean over samples (MSE).
    X : array_like of shape (N, n_features)
    y : array_like of shape (N, 1)
    batch_sizes : sequence of int
        Each between 1 and N.
    n_draws : int
        Random batches per batch size, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None

    Returns
    -------
    list of GradientNoise
        One per batch size, in the order given.

    Raises
    ------
    TypeError
        A size is not an int.
    ValueError
        A batch size is not in ``1 .. N``, ``n_draws < 1``, ``batch_sizes`` empty,
        or the full gradient is zero (no direction to compare with).

    Notes
    -----
    Used in homework 1-3.

    Examples
    --------
    >>> from dlhomework.data import load_data
    >>> from dlhomework.models import LinearRegression
    >>> train, _, _ = load_data()
    >>> noise = gradient_noise(LinearRegression(rng=0), train[:, :-1], train[:, -1:],
    ...                        [1, 404], n_draws=50, rng=0)
    >>> [round(r.mean_cosine, 3) for r in noise][1], noise[1].mean_sq_error
    (1.0, 0.0)
    """
    Xa = as_float_array(X, "X", ndim=2)
    ya = as_float_array(y, "y", ndim=2)
    n = Xa.shape[0]
    sizes = _batch_sizes(batch_sizes)
    for b in sizes:
        if b > n:
            raise ValueError(f"batch_size must be <= the {n} samples, got {b}")
    draws = check_int(n_draws, "n_draws", minimum=1)
    gen = as_rng(rng)
    full = _flat_gradient(model, Xa, ya)
    full_sq = float(full @ full)
    if full_sq == 0.0:
        raise ValueError("the full-batch gradient is zero: there is no direction to compare")
    per_sample = np.stack([_flat_gradient(model, Xa[i : i + 1], ya[i : i + 1]) for i in range(n)])
    spread = float(np.mean(np.sum((per_sample - full) ** 2, axis=1)))
    results = []
    for b in sizes:
        errors = np.empty(draws)
        cosines = np.empty(draws)
        for k in range(draws):
            idx = np.sort(gen.choice(n, size=b, replace=False))
            g = _flat_gradient(model, Xa[idx], ya[idx])
            d = g - full
            errors[k] = float(d @ d)
            cosines[k] = float(g @ full) / (float(np.linalg.norm(g)) * np.sqrt(full_sq) or 1.0)
        predicted = 0.0 if n == 1 else (n - b) / (b * (n - 1)) * spread
        results.append(
            GradientNoise(b, float(errors.mean()), predicted, float(cosines.mean()), full_sq)
        )
    return results
