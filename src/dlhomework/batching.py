"""Mini-batches: how many per epoch, and the batches themselves (homework 1-3).

An *epoch* is one pass over the training set; it is cut into mini-batches of
``batch_size`` samples.  When ``batch_size`` does not divide the number of
samples, the last batch is *partial* (smaller), unless ``drop_last`` discards
it.  So the number of inner-loop iterations per epoch is

* ``ceil(n_samples / batch_size)`` by default, and
* ``floor(n_samples / batch_size)`` with ``drop_last=True``,

exactly what ``len(paddle.io.DataLoader(dataset, batch_size=..., drop_last=...))``
returns.  The course's house-price code cuts an epoch with
``[data[k:k + batch_size] for k in range(0, n, batch_size)]``, which keeps the
partial last batch: the ceiling.  A hand-written ``n / batch_size`` is a float
and says neither.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike, as_float_array, as_rng, check_bool, check_int

__all__ = ["batches", "iterations_per_epoch", "minibatches", "total_iterations"]


def iterations_per_epoch(
    n_samples: int,
    batch_size: int,
    drop_last: bool = False,
) -> int:
    """Number of mini-batches (inner-loop iterations) in one epoch.

    Parameters
    ----------
    n_samples : int
        Number of training samples, ``>= 0``.
    batch_size : int
        Samples per batch, ``>= 1``.
    drop_last : bool, default False
        Discard the last batch when it is partial (smaller than ``batch_size``).

    Returns
    -------
    int
        ``ceil(n_samples / batch_size)``, or ``floor(n_samples / batch_size)``
        with ``drop_last`` — the same as ``len(paddle.io.DataLoader(...))``.

    Raises
    ------
    TypeError
        A size is not an int (``bool`` and ``float`` included, e.g. ``20.0``),
        or ``drop_last`` is not a bool.
    ValueError
        ``n_samples < 0`` or ``batch_size < 1``.

    See Also
    --------
    total_iterations : times the number of epochs.
    minibatches : the batches themselves.

    Notes
    -----
    Used in homework 1-3 (the inner-loop count).

    Examples
    --------
    >>> iterations_per_epoch(1000, 20)
    50
    >>> iterations_per_epoch(404, 100)  # 4 full batches, then 4 samples
    5
    >>> iterations_per_epoch(404, 100, drop_last=True)
    4
    """
    n = check_int(n_samples, "n_samples", minimum=0)
    b = check_int(batch_size, "batch_size", minimum=1)
    if check_bool(drop_last, "drop_last"):
        return n // b  # floor(n / b): drop the partial last batch
    return -(-n // b)  # ceil(n / b): the partial last batch counts


def total_iterations(
    n_epochs: int, n_samples: int, batch_size: int, drop_last: bool = False
) -> int:
    """Number of inner-loop iterations of a whole training run.

    Parameters
    ----------
    n_epochs : int
        Passes over the training set, ``>= 1``.
    n_samples : int
        Number of training samples, ``>= 0``.
    batch_size : int
        Samples per batch, ``>= 1``.
    drop_last : bool, default False
        Discard each epoch's last batch when it is partial.

    Returns
    -------
    int
        ``n_epochs * iterations_per_epoch(n_samples, batch_size, drop_last)``.

    Raises
    ------
    TypeError
        A size is not an int (``bool`` rejected) or ``drop_last`` is not a bool.
    ValueError
        ``n_epochs < 1``, ``n_samples < 0`` or ``batch_size < 1``.

    Notes
    -----
    Used in homework 1-3: the course's question (5 epochs, 1000 samples,
    batch size 20) has 250 inner iterations.

    Examples
    --------
    >>> total_iterations(5, 1000, 20)
    250
    >>> total_iterations(5, 1010, 20)  # 5 * (50 + 1)
    255
    >>> total_iterations(5, 1010, 20, drop_last=True)
    250
    """
    epochs = check_int(n_epochs, "n_epochs", minimum=1)
    return epochs * iterations_per_epoch(n_samples, batch_size, drop_last)


def _read_only(a: NDArray[np.float64]) -> NDArray[np.float64]:
    view = a.view()
    view.flags.writeable = False
    return view


def minibatches(
    X: ArrayLike,
    y: ArrayLike,
    batch_size: int,
    *,
    rng: RngLike = None,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Cut one epoch of ``(X, y)`` into mini-batches.

    Every sample appears in exactly one batch per epoch; with ``shuffle`` the
    order is a permutation drawn from ``rng`` (call again with the same
    Generator for the next epoch's permutation).  Batches are consecutive
    slices of that order, the last one partial unless ``drop_last``.

    Parameters
    ----------
    X : array_like of shape (n_samples, ...)
        Inputs, usually ``(n_samples, n_features)``; real numbers.
    y : array_like of shape (n_samples, ...)
        Targets, usually ``(n_samples, 1)``; same length as ``X``.
    batch_size : int
        Samples per batch, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None
        Source of the permutation (unused when ``shuffle=False``).
    shuffle : bool, default True
        Visit the samples in a random order; otherwise in order.
    drop_last : bool, default False
        Skip the last batch when it is partial.

    Yields
    ------
    X_batch : ndarray of shape (b, ...), float64
    y_batch : ndarray of shape (b, ...), float64
        ``b == batch_size`` except for a partial last batch.  Shuffled batches
        are fresh copies; unshuffled batches are *read-only* views, so nothing
        is copied and yet the caller's arrays cannot be modified through them.

    Raises
    ------
    TypeError
        ``batch_size`` is not an int, ``shuffle``/``drop_last`` are not bools,
        ``X``/``y`` are not numeric, or ``rng`` is not a Generator/int/None.
    ValueError
        ``batch_size < 1``, ``X``/``y`` are scalars, or their lengths differ.

    Notes
    -----
    Arguments are checked and the permutation is drawn when ``minibatches`` is
    called, not lazily at the first ``next()``.  Non-float64 input is converted
    to float64 once per call.  The values are not inspected: NaN and inf pass
    through unchanged, since nothing here computes with them; what computes checks
    them once at its own boundary (a model's ``loss``/``gradients``,
    :func:`dlhomework.training.sgd`).  ``sgd`` checks its arguments once and then
    calls :func:`batches`, this function's unchecked core, every epoch.

    See Also
    --------
    iterations_per_epoch : how many batches this yields.

    Examples
    --------
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> y = np.arange(5.0).reshape(5, 1)
    >>> it = minibatches(X, y, 2, shuffle=False)
    >>> [yb.ravel().tolist() for _, yb in it]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    >>> it = minibatches(X, y, 2, rng=0, drop_last=True)
    >>> [len(yb) for _, yb in it]
    [2, 2]
    >>> it = minibatches(X, y, 2, rng=0)
    >>> sorted(float(v) for _, yb in it for v in yb.ravel())
    [0.0, 1.0, 2.0, 3.0, 4.0]
    """
    b = check_int(batch_size, "batch_size", minimum=1)
    do_shuffle = check_bool(shuffle, "shuffle")
    do_drop = check_bool(drop_last, "drop_last")
    X_arr = as_float_array(X, "X", allow_empty=True, finite=False)
    y_arr = as_float_array(y, "y", allow_empty=True, finite=False)
    if X_arr.ndim == 0 or y_arr.ndim == 0:
        raise ValueError(
            f"X and y must have a samples axis, got shapes X {X_arr.shape} and y {y_arr.shape}"
        )
    n = X_arr.shape[0]
    if y_arr.shape[0] != n:
        raise ValueError(
            f"X and y must have the same number of samples, got X with {n} "
            f"(shape {X_arr.shape}) and y with {y_arr.shape[0]} (shape {y_arr.shape})"
        )
    n_batches = iterations_per_epoch(n, b, do_drop)
    if do_shuffle:
        order: NDArray[np.intp] | None = as_rng(rng).permutation(n)
    else:
        order = None
        X_arr, y_arr = _read_only(X_arr), _read_only(y_arr)
    return batches(X_arr, y_arr, b, n_batches, order)


def batches(
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    batch_size: int,
    n_batches: int,
    order: NDArray[np.intp] | None,
) -> Iterator[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """The ``n_batches`` mini-batches of one epoch, in ``order`` (a permutation) or as stored.

    The unchecked core of :func:`minibatches`, for a trainer that checked its
    arguments once (:func:`dlhomework.training.sgd`).

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
    y : ndarray of shape (n_samples, ...)
    batch_size : int
    n_batches : int
        From :func:`iterations_per_epoch`.
    order : ndarray of shape (n_samples,) or None
        The epoch's permutation; None keeps the stored order (slices, no copies).

    Yields
    ------
    tuple of ndarray
        ``(X_batch, y_batch)``.

    Examples
    --------
    >>> X = np.arange(5.0).reshape(-1, 1)
    >>> order = np.array([4, 3, 2, 1, 0])
    >>> [b.ravel().tolist() for b, _ in batches(X, X, 2, 3, order)]
    [[4.0, 3.0], [2.0, 1.0], [0.0]]
    """
    for k in range(n_batches):
        start, stop = k * batch_size, (k + 1) * batch_size
        if order is None:
            yield X[start:stop], y[start:stop]
        else:
            idx = order[start:stop]
            yield X[idx], y[idx]
