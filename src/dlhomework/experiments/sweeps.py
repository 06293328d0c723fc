"""Homework 1-3: what the batch size changes in training, epoch by epoch and per update.

- :class:`SweepResult` and :func:`batch_size_sweep`: the linear model trained once per
  batch size from the same weights, with loss curves and timings;
- :func:`epochs_to_within`: the epoch from which a loss curve stays near the optimum;
- :func:`update_cost`: the seconds one update costs at each batch size.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import RngLike, as_float_array, as_rng, check_int, check_positive_float
from ..layers import mse_forward
from ..models import LinearRegression, Regressor
from ..training import History, sgd
from ._checks import check_batch_sizes, start_model

__all__ = ["SweepResult", "batch_size_sweep", "epochs_to_within", "update_cost"]


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
    model : ~dlhomework.models.Regressor
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

    Examples
    --------
    Two epochs of 2 updates each, ending at 0.5 s and 1.25 s: the curves
    have a point before training and one per epoch, at ``times``.

    >>> from dlhomework.training import History
    >>> run = SweepResult(
    ...     batch_size=2, lr=0.1, n_epochs=2,
    ...     history=History(epoch_times=[0.5, 1.25],
    ...                     iterations_per_epoch=2),
    ...     model=LinearRegression(n_features=1, rng=0),
    ...     train_curve=np.array([4.0, 2.0, 1.0]),
    ...     test_curve=np.array([5.0, 2.5, 1.5]),
    ...     train_mse=1.0, test_mse=1.5, updates_per_epoch=2,
    ...     n_updates=4, seconds_per_epoch=0.625,
    ...     seconds_per_update=0.3125, last_epoch_std=0.0)
    >>> run.times.tolist()
    [0.0, 0.5, 1.25]
    >>> run.train_curve[run.times <= 0.5].tolist()
    [4.0, 2.0]
    """

    batch_size: int
    lr: float
    n_epochs: int
    history: History
    model: Regressor
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
        """Training seconds at the points of the curves: 0, then each epoch's end.

        Examples
        --------
        >>> X = np.array([[0.0], [1.0], [2.0]])
        >>> [run] = batch_size_sweep(X, 2 * X, X, 2 * X, [3], n_epochs=2,
        ...                          lr=0.1, rng=0)
        >>> float(run.times[0]), run.times.shape, run.train_curve.shape
        (0.0, (3,), (3,))
        >>> bool(np.all(np.diff(run.times) >= 0))
        True
        """
        return np.concatenate([[0.0], self.history.epoch_times])


def _per_batch(value: Any, batch_size: int, name: str) -> Any:
    if isinstance(value, Mapping):
        if batch_size not in value:
            raise ValueError(f"{name} has no entry for batch_size {batch_size}")
        return value[batch_size]
    return value


def _mse(model: Regressor, X: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """``model.loss(X, y)`` for inputs checked once by the caller (same arithmetic)."""
    with np.errstate(under="ignore"):
        loss, _ = mse_forward(model.forward(X), y)
    return loss


def _train_epochs(
    model: Regressor,
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
    """One ``sgd`` run whose callback evaluates both sets after each epoch, untimed.

    ``History.epoch_times`` counts the callback's time; it is subtracted afterwards, so
    the times are those of training alone.
    """
    train_curve = [_mse(model, X, y)]
    test_curve = [_mse(model, X_test, y_test)]
    evaluating = [0.0]  # seconds spent in `evaluate` so far
    before_epoch_end: list[float] = []  # that total when each epoch ended

    def evaluate(epoch: int, history: History) -> None:
        started = time.perf_counter()
        before_epoch_end.append(evaluating[0])
        train_curve.append(_mse(model, X, y))
        test_curve.append(_mse(model, X_test, y_test))
        evaluating[0] += time.perf_counter() - started

    history = sgd(
        model, X, y, n_epochs=n_epochs, batch_size=batch_size, lr=lr, rng=rng, callback=evaluate
    )
    history.epoch_times = [
        t - e for t, e in zip(history.epoch_times, before_epoch_end, strict=True)
    ]
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
    model: Regressor | None = None,
) -> list[SweepResult]:
    """Train a model (the linear one by default) with mini-batch SGD once per batch size.

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
    model : Regressor, optional
        Initial model, any model :func:`~dlhomework.training.sgd` trains (default: a
        new :class:`~dlhomework.models.LinearRegression`); copied, never modified.

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
    >>> X, y = train[:, :-1], train[:, -1:]
    >>> X_test, y_test = test[:, :-1], test[:, -1:]
    >>> runs = batch_size_sweep(X, y, X_test, y_test, [10, 404],
    ...                         n_epochs=2, lr=0.1, rng=0)
    >>> [(r.batch_size, r.updates_per_epoch, r.n_updates) for r in runs]
    [(10, 41, 82), (404, 1, 2)]
    >>> [len(r.history.losses) for r in runs], runs[0].train_curve.shape
    ([82, 2], (3,))
    """
    sizes = check_batch_sizes(batch_sizes)
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
    start = start_model(model, Xa, gen)
    # Check the inputs once, before training: errors surface here, not after a long run.
    Xa, ya = start.check_inputs(Xa, ya)
    Xt, yt = start.check_inputs(Xt, yt)
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
    Epoch 3's 1.02 is more than 1% above the optimum; from epoch 4 on
    every value is within it:

    >>> curve = [5.0, 1.5, 1.005, 1.02, 1.009, 1.001]
    >>> epochs_to_within(curve, optimum=1.0)
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
    :meth:`~dlhomework.models.LinearRegression.forward_backward` is timed, the
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
    sizes = check_batch_sizes(batch_sizes)
    d = check_int(n_features, "n_features", minimum=1)
    repeats = check_int(n_repeats, "n_repeats", minimum=1)
    gen = as_rng(rng)
    model = LinearRegression(d, rng=gen)
    X1, y1 = gen.standard_normal((1, d)), gen.standard_normal((1, 1))
    for _ in range(200):  # warm up the interpreter and caches before the first timing
        model.forward_backward(X1, y1)
    costs = []
    for b in sizes:
        Xb = gen.standard_normal((b, d))
        yb = gen.standard_normal((b, 1))
        calls = max(1, 64 // b)
        model.forward_backward(Xb, yb)  # warm-up: first-call effects are not part of the cost
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(calls):
                model.forward_backward(Xb, yb)
            best = min(best, (time.perf_counter() - start) / calls)
        costs.append(float(best))
    return costs
