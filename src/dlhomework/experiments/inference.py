"""Homework 1-2: predicting MEDV in $1000s, and which statistics normalize a house.

- :func:`predict_medv`: the right way, with the *training* normalization (the one
  price prediction of the package: :func:`predict_row`, ``dlhomework predict`` and
  ``dlhomework.paddle_port.predict_row`` call it);
- :func:`predict_medv_batch_statistics` and :func:`batch_dependence`: the wrong way,
  each batch normalized by its own statistics, so a house's price depends on its
  batch mates;
- :func:`constant_columns`: the features a batch (such as the test rows) cannot
  normalize by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import RngLike, as_float_array, as_rng, check_int
from ..data import load_data, load_housing
from ..preprocessing import Normalizer

__all__ = [
    "BatchDependence",
    "RowPrediction",
    "batch_dependence",
    "constant_columns",
    "predict_medv",
    "predict_medv_batch_statistics",
    "predict_row",
]


class Predictor(Protocol):
    """What a price prediction needs of a model: its input count and ``predict``.

    Examples
    --------
    Any object with both will do.  One that always predicts 0, the
    normalized training mean, prices every house at the mean MEDV of
    the 404 training rows:

    >>> class Zero:
    ...     n_features = 13
    ...     def predict(self, X):
    ...         return np.zeros((len(X), 1))
    >>> norm, raw = load_data().normalizer, load_housing()
    >>> price = predict_medv(Zero(), norm, raw[:2, :-1])
    >>> bool(np.allclose(price, raw[:404, -1].mean()))
    True
    """

    n_features: int

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predictions ``(N, 1)`` for ``X`` ``(N, n_features)``.

        Examples
        --------
        A linear model with ``W = [[1], [10]]`` and ``b = 0``:

        >>> from dlhomework.models import LinearRegression
        >>> model = LinearRegression(n_features=2, rng=0)
        >>> model.params["W"][:] = [[1.0], [10.0]]
        >>> model.predict([[1.0, 2.0], [0.0, 1.0]]).tolist()
        [[21.0], [10.0]]
        """
        ...


def _check_setup(model: Predictor, normalizer: Normalizer) -> int:
    """Check that ``normalizer`` was fitted on the model's features plus the label."""
    if not isinstance(normalizer, Normalizer):
        raise TypeError(f"normalizer must be a Normalizer, got {type(normalizer).__name__}")
    if not hasattr(normalizer, "n_columns_"):
        # Let the Normalizer raise its own NotFittedError.
        normalizer.transform(np.zeros((1, 1)))
    n_features = getattr(model, "n_features", None)
    if not callable(getattr(model, "predict", None)) or not isinstance(n_features, int):
        raise TypeError(
            "model must have n_features and predict() (e.g. a dlhomework.models.Regressor), "
            f"got {type(model).__name__}"
        )
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
    model: Predictor, normalizer: Normalizer, features: ArrayLike
) -> NDArray[np.float64]:
    """Predict MEDV in $1000s the right way: with the *training* transform.

    The raw features are mapped with the training statistics stored in
    ``normalizer``; the model's normalized prediction is mapped back to $1000s
    with the label's training statistics.

    Parameters
    ----------
    model : model
        Any model with ``n_features`` and ``predict`` (a
        :class:`~dlhomework.models.Regressor`), trained on rows normalized by ``normalizer``.
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
        ``normalizer`` is not a Normalizer, ``model`` has no ``n_features`` or ``predict``.
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
    >>> price = predict_medv(model, norm, raw[0, :-1])
    >>> # the true MEDV of house 0 is 24.0
    >>> round(float(price[0, 0]), 2)
    29.14
    """
    n_features = _check_setup(model, normalizer)
    X = _features(features, "features", n_features)
    X_normalized = normalizer.transform(X, columns=list(range(n_features)))
    pred = model.predict(X_normalized)
    return normalizer.inverse_transform(pred, columns=[n_features])


@dataclass(frozen=True)
class RowPrediction:
    """A model's prediction for one row of the housing data, in $1000s (:func:`predict_row`).

    Attributes
    ----------
    row : int
        Index of the row in the 506-row file, ``0 … 505``.
    split : str
        ``"train"`` or ``"test"``: which side of the course's split holds it.
    predicted : float
        The prediction, de-normalized to $1000s with the training statistics.
    actual : float
        The row's MEDV, $1000s, as in the file.

    Examples
    --------
    >>> r = RowPrediction(row=496, split="test", predicted=13.1,
    ...                   actual=19.7)
    >>> # the model misses this house by 19.7 - 13.1 = 6.6 ($6,600)
    >>> round(r.actual - r.predicted, 1)
    6.6
    """

    row: int
    split: str
    predicted: float
    actual: float


def predict_row(model: Predictor, row: int = -10, *, ratio: float = 0.8) -> RowPrediction:
    """Predict one house of the data file as the course does, in $1000s.

    The row's features go through :func:`predict_medv` with the normalizer of
    :func:`~dlhomework.data.load_data` (training statistics).  The default row,
    ``-10``, is the course's ``load_one_example`` (row 496, a test row, MEDV 19.7).

    Parameters
    ----------
    model : model
        As in :func:`predict_medv`, trained on data from ``load_data(ratio)``.
    row : int, default -10
        Row of the housing data, ``-506 … 505`` (negative counts from the end).
    ratio : float, default 0.8
        Training fraction of the split, as in :func:`~dlhomework.data.load_data`.

    Returns
    -------
    RowPrediction

    Raises
    ------
    TypeError
        ``row`` is not an int; ``model`` as in :func:`predict_medv`.
    IndexError
        ``row`` is outside the data.

    Notes
    -----
    Used in homework 1-6 (through ``dlhomework.paddle_port.predict_row``) and by
    ``dlhomework predict``.

    Examples
    --------
    >>> from dlhomework.models import least_squares
    >>> split = load_data()
    >>> result = predict_row(least_squares(split.X_train, split.y_train))
    >>> result.row, result.split, result.actual
    (496, 'test', 19.7)
    >>> round(result.predicted, 2)
    13.09
    """
    if isinstance(row, bool) or not isinstance(row, int | np.integer):
        raise TypeError(f"row must be an integer, got {row!r} ({type(row).__name__})")
    raw = load_housing()
    n = raw.shape[0]
    if not -n <= int(row) < n:
        raise IndexError(f"row must be in [{-n}, {n - 1}] (the data has {n} rows), got {row}")
    index = int(row) % n
    split = load_data(ratio)
    price = predict_medv(model, split.normalizer, raw[index, :-1])  # (1, 1), $1000s
    side = "train" if index < split.train.shape[0] else "test"
    return RowPrediction(index, side, float(price[0, 0]), float(raw[index, -1]))


def predict_medv_batch_statistics(
    model: Predictor, normalizer: Normalizer, batch: ArrayLike
) -> NDArray[np.float64]:
    """Predict MEDV the *wrong* way: features normalized with the batch's own statistics.

    This is what happens when inference code re-runs the normalization on the
    rows it is given instead of reusing the training statistics.  Each row's
    prediction then depends on which other rows share its batch.  The label
    is still mapped back with the training statistics (at inference there is
    no label to take statistics from).

    Parameters
    ----------
    model : model
        As in :func:`predict_medv`.
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
    >>> by_batch = predict_medv_batch_statistics
    >>> first = by_batch(model, norm, raw[0:200, :-1])
    >>> other = by_batch(model, norm, raw[[0, *range(140, 339)], :-1])
    >>> # house 0 both times
    >>> round(float(first[0, 0]), 2), round(float(other[0, 0]), 2)
    (30.7, 24.46)
    >>> # CHAS (column 3) is 0 in all three rows
    >>> by_batch(model, norm, raw[0:3, :-1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the batch cannot be normalized ...: column 3 ... zero
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
    constant_counts : ndarray of shape (n_features,), int
        For each feature, in how many of those batches it was constant (a batch
        counts once for every feature constant in it, so the sum can exceed
        ``n_undefined``).

    Examples
    --------
    Three batches gave a prediction, one could not be normalized:

    >>> r = BatchDependence(batch_size=2, reference=20.0,
    ...                     predictions=np.array([18.0, 21.0, 24.0]),
    ...                     n_undefined=1,
    ...                     constant_counts=np.array([0, 1]))
    >>> r.n_batches, float(r.predictions.mean())
    (4, 21.0)
    """

    batch_size: int
    reference: float
    predictions: NDArray[np.float64]
    n_undefined: int
    constant_counts: NDArray[np.int_]

    @property
    def n_batches(self) -> int:
        """Number of batches drawn, defined or not.

        Examples
        --------
        Two defined batches plus three undefined ones:

        >>> r = BatchDependence(5, 20.0, np.array([19.0, 23.0]), 3,
        ...                     np.array([0, 3]))
        >>> r.n_batches
        5
        """
        return int(self.predictions.size) + self.n_undefined


def batch_dependence(
    model: Predictor,
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
    model : model
        As in :func:`predict_medv`.
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
        ``batch_size < 2``, ``n_batches < 1``, the pool is too small, or wrong shapes;
        a batch whose range overflows float64 or is subnormal (a constant feature is
        not an error: that batch is counted in ``n_undefined``).

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
    >>> # the undefined batch: CHAS (column 3) constant
    >>> result.constant_counts.tolist()
    [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    >>> # a spread over $1000: the batch moves the price
    >>> bool(result.predictions.std() > 1.0)
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
    counts = np.zeros(n_features, dtype=np.int_)
    for _ in range(count):
        mates = others[gen.choice(others.shape[0], size=b - 1, replace=False)]
        batch = np.vstack([x0[None, :], mates])
        constant = batch.max(axis=0) == batch.min(axis=0)
        if constant.any():  # max == min: this batch cannot be normalized by itself
            undefined += 1
            counts += constant
            continue
        pred = predict_medv_batch_statistics(model, normalizer, batch)
        predictions.append(float(pred[0, 0]))
    return BatchDependence(
        b, reference, np.asarray(predictions, dtype=np.float64), undefined, counts
    )


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
    Used in homework 1-2: a batch with a constant feature cannot be normalized
    by its own statistics (its range is 0, see
    :func:`predict_medv_batch_statistics`).  In such a batch the gradient of that
    feature's weight is the constant times the bias gradient (zero when the
    constant is 0), so the batch cannot teach that weight anything of its own.

    Examples
    --------
    >>> constant_columns([[0.0, 1.0, 5.0], [0.0, 2.0, 5.0]])
    [0, 2]
    """
    arr = as_float_array(X, "X", ndim=2)
    return [int(j) for j in np.flatnonzero(arr.max(axis=0) == arr.min(axis=0))]
