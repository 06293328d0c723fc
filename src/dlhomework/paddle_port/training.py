"""Training a Paddle model the Paddle way: DataLoader, SGD optimizer, MSE (homework 1-6).

:func:`train` is :func:`dlhomework.training.sgd` written with Paddle's own tools, and
records the same :class:`~dlhomework.training.History`.  It checks its arguments once,
then trains; divergence is checked once per epoch, as ``sgd`` does it: an epoch whose
loss or weights stop being finite is replayed step by step, so that the error names the
iteration and the weights keep their last finite values.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import RngLike, as_rng, check_bool, check_int, check_positive_float
from ..training import History, check_growth, iteration_label
from ._paddle import paddle
from .bridge import check_data, check_layer, to_tensor
from .models import NP_DTYPES, PaddleModel, mse

__all__ = ["train", "train_epoch"]

Batch = Sequence[paddle.Tensor]


def train(
    layer: PaddleModel,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_epochs: int,
    batch_size: int,
    lr: float,
    rng: RngLike = None,
    shuffle: bool = True,
    drop_last: bool = False,
    callback: Callable[[int, History], object] | None = None,
) -> History:
    """Train a layer the Paddle way: DataLoader, ``paddle.optimizer.SGD``, MSE loss.

    Each iteration computes the loss of its batch, records it (*before* the update,
    like :func:`dlhomework.training.sgd`), then ``loss.backward()``, ``opt.step()``,
    ``opt.clear_grad()``.

    Parameters
    ----------
    layer : PaddleModel
        :class:`Regressor`, :class:`TwoLayerRegressor` or a registered class; trained
        in place (switched to ``layer.train()`` mode); its weights must be finite.
    X : array_like of shape (n_samples, n_features)
        Training inputs, finite.
    y : array_like of shape (n_samples, 1)
        Training targets, finite.
    n_epochs : int
        Passes over the data, ``>= 1``.
    batch_size : int
        Samples per batch, ``>= 1``.
    lr : float
        Learning rate of ``paddle.optimizer.SGD``, finite and ``> 0``.
    rng : numpy.random.Generator or int or None, default None
        Source of the shuffling.  Each epoch's order is ``rng.permutation(n)`` of a
        Generator made from ``rng`` — the permutations that
        :func:`dlhomework.training.sgd` draws from the same ``rng``, so both see the
        same batches.  (Paddle's own ``RandomSampler`` would draw from NumPy's *global*
        state, which this package never touches.)
    shuffle : bool, default True
        Reshuffle every epoch; otherwise visit the samples in order.
    drop_last : bool, default False
        Skip each epoch's last batch when it is partial.
    callback : callable, optional
        Called as ``callback(epoch, history)`` after each epoch (1-based), with the
        :class:`~dlhomework.training.History` so far.  Its return value is ignored; an
        exception it raises stops training.

    Returns
    -------
    History
        The same record as :func:`dlhomework.training.sgd`: per-iteration losses,
        per-epoch means, cumulative seconds at each epoch's end.

    Raises
    ------
    TypeError
        ``layer`` is not a registered Paddle model; non-int sizes, non-real ``lr``,
        non-bool flags, a ``callback`` that is not callable.
    ValueError
        ``n_epochs < 1``, ``batch_size < 1``, ``lr <= 0``; ``X``/``y`` of the wrong
        shape, mismatched, with NaN/inf or beyond the layer's dtype; ``drop_last``
        with ``batch_size > n_samples``; a layer whose weights hold NaN or inf.
    FloatingPointError
        The loss or a weight became NaN or inf (the learning rate is too large): the
        message names the epoch and the iteration, and the weights keep their last
        finite values.  Or an epoch's mean loss exceeded
        :data:`~dlhomework.training.DIVERGENCE_FACTOR` times the MSE on all of ``X``
        before training: the message names the epoch, and the weights are those at
        its end.  Both messages are :func:`~dlhomework.training.sgd`'s.

    Notes
    -----
    ``paddle.optimizer.SGD`` steps ``p -= lr * grad`` with the gradient of the MSE,
    exactly like :func:`~dlhomework.training.sgd`: the same ``lr`` means the same step.
    Used in homework 1-6.

    Examples
    --------
    >>> from dlhomework.paddle_port import Regressor
    >>> X = np.linspace(-1.0, 1.0, 8).reshape(-1, 1)
    >>> layer = Regressor(n_features=1, rng=0)
    >>> history = train(layer, X, 2.0 * X - 1.0, n_epochs=100,
    ...                 batch_size=4, lr=0.3, rng=0)
    >>> len(history.losses), history.iterations_per_epoch
    (200, 2)
    >>> w, b = layer.fc.weight.numpy(), layer.fc.bias.numpy()
    >>> np.round(w, 4).tolist(), np.round(b, 4).tolist()
    ([[2.0]], [-1.0])
    """
    check_layer(layer)
    epochs = check_int(n_epochs, "n_epochs", minimum=1)
    step = check_positive_float(lr, "lr")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None, got {callback!r}")
    loader, initial = _setup(layer, X, y, batch_size, rng, shuffle, drop_last)
    opt = paddle.optimizer.SGD(learning_rate=step, parameters=layer.parameters())
    weights = layer.named_weights()
    layer.train()
    history = History(iterations_per_epoch=len(loader))
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        before = _copies(weights)  # put back if this epoch diverges
        batches = list(loader)  # this epoch's mini-batches, kept for a replay
        losses = train_epoch(layer, batches, opt)
        history.losses += losses
        epoch_sum = sum(losses)
        if not math.isfinite(epoch_sum) or _non_finite(weights) is not None:
            _replay(layer, opt, before, batches, epoch, step)
        history.epoch_losses.append(epoch_sum / len(batches))
        history.epoch_times.append(time.perf_counter() - start)
        check_growth(history, initial, epoch, step)
        if callback is not None:
            callback(epoch, history)
    return history


def train_epoch(
    layer: PaddleModel,
    batches: Iterable[Batch],
    opt: paddle.optimizer.Optimizer,
) -> list[float]:
    """One epoch the Paddle way, unchecked: the loop body of :func:`train`.

    For each ``(x_batch, y_batch)`` of tensors: the forward pass and the MSE, then
    autograd (``loss.backward()``) and the optimizer's step.  Returns each batch's
    loss, computed before its update — :func:`dlhomework.training.sgd_epoch` with
    Paddle doing the gradients.

    Examples
    --------
    One batch ``x = 1``, ``y = 2`` from ``W = b = 0``: the loss before
    the update is ``(0 - 2) ** 2 = 4``; both gradients are
    ``2 * (0 - 2) = -4``, so a step of 0.25 makes ``W = b = 1`` and the
    prediction ``1 + 1 = 2``.

    >>> from dlhomework.paddle_port import Regressor
    >>> zero = {"W": [[0.0]], "b": [0.0]}
    >>> layer = Regressor.from_params(zero, dtype="float64")
    >>> opt = paddle.optimizer.SGD(learning_rate=0.25,
    ...                            parameters=layer.parameters())
    >>> x = paddle.to_tensor([[1.0]], dtype="float64")
    >>> y = paddle.to_tensor([[2.0]], dtype="float64")
    >>> train_epoch(layer, [(x, y)], opt)
    [4.0]
    >>> float(layer.fc.weight.numpy()[0, 0] + layer.fc.bias.numpy()[0])
    2.0
    """
    losses = []
    for x_batch, y_batch in batches:
        loss = mse(layer(x_batch), y_batch)
        losses.append(float(loss))
        loss.backward()
        opt.step()
        opt.clear_grad()
    return losses


class _ArrayDataset(paddle.io.Dataset[tuple[NDArray[Any], NDArray[Any]]]):
    """Rows of ``(X, y)`` as a map-style ``paddle.io.Dataset``, in one dtype."""

    def __init__(self, X: NDArray[np.float64], y: NDArray[np.float64], dtype: str) -> None:
        super().__init__()
        self.X = X.astype(NP_DTYPES[dtype])
        self.y = y.astype(NP_DTYPES[dtype])

    def __getitem__(self, index: int) -> tuple[NDArray[Any], NDArray[Any]]:
        return self.X[index], self.y[index]

    def __len__(self) -> int:
        return len(self.X)


def _permutations(rng: np.random.Generator, n: int) -> Generator[int, None, None]:
    """Endless sample indices: one fresh permutation of ``range(n)`` per epoch."""
    while True:
        yield from rng.permutation(n).tolist()


def _setup(
    layer: PaddleModel,
    X: ArrayLike,
    y: ArrayLike,
    batch_size: int,
    rng: RngLike,
    shuffle: bool,
    drop_last: bool,
) -> tuple[paddle.io.DataLoader, float]:
    """Check the data and the weights; return the DataLoader and the loss before training."""
    b = check_int(batch_size, "batch_size", minimum=1)
    do_shuffle, do_drop = check_bool(shuffle, "shuffle"), check_bool(drop_last, "drop_last")
    generator = as_rng(rng)
    X_arr, y_arr = check_data(layer, X, y)
    limit = float(np.finfo(NP_DTYPES[layer.dtype]).max)
    for name, a in (("X", X_arr), ("y", y_arr)):
        if (largest := float(np.abs(a).max())) > limit:
            raise ValueError(
                f"{name} holds values up to {largest:.3g}, beyond {layer.dtype}'s range "
                f'({limit:.3g}); scale it down or use a layer of dtype="float64"'
            )
    bad = _non_finite(layer.named_weights())
    if bad is not None:
        raise ValueError(f"layer weight {bad!r} holds NaN or inf before training")

    n = X_arr.shape[0]
    dataset = _ArrayDataset(X_arr, y_arr, layer.dtype)
    sampler: paddle.io.Sampler[int]
    if do_shuffle:
        sampler = paddle.io.RandomSampler(dataset, generator=_permutations(generator, n))
    else:
        sampler = paddle.io.SequenceSampler(dataset)
    batches = paddle.io.BatchSampler(sampler=sampler, batch_size=b, drop_last=do_drop)
    loader = paddle.io.DataLoader(dataset, batch_sampler=batches)
    if len(loader) == 0:
        raise ValueError(
            f"drop_last=True with batch_size={b} > n_samples={n} leaves no batch to train on"
        )
    with paddle.no_grad():  # the reference of the divergence check
        initial = float(mse(layer(to_tensor(X_arr, layer.dtype)), to_tensor(y_arr, layer.dtype)))
    if not math.isfinite(initial):
        raise FloatingPointError(
            f"the loss is already {initial} before training: the inputs and weights overflow "
            f"{layer.dtype} (the learning rate is not the cause); scale X and y down, or use "
            'a layer of dtype="float64"'
        )
    return loader, initial


def _copies(weights: dict[str, paddle.Tensor]) -> dict[str, NDArray[Any]]:
    """NumPy copies of the weights (``.numpy()`` copies)."""
    return {name: w.numpy() for name, w in weights.items()}


def _non_finite(weights: dict[str, paddle.Tensor]) -> str | None:
    """The name of the first weight holding NaN or inf, or None."""
    return next((n for n, w in weights.items() if not np.isfinite(w.numpy()).all()), None)


def _replay(
    layer: PaddleModel,
    opt: paddle.optimizer.SGD,
    before: dict[str, NDArray[Any]],
    batches: list[Batch],
    epoch: int,
    lr: float,
) -> None:
    """An epoch went non-finite: redo it from ``before``, checking every step, and raise
    at the first step that fails, with the weights at their last finite values (or, if
    every step is finite, because the losses' sum overflowed)."""
    weights = layer.named_weights()
    for name, w in weights.items():
        w.set_value(before[name])
    for it, (x_batch, y_batch) in enumerate(batches, start=1):
        where = iteration_label(epoch, it, len(batches))
        loss = mse(layer(x_batch), y_batch)
        if not math.isfinite(value := float(loss)):
            raise FloatingPointError(
                f"the loss became {value} {where}: training diverged; use a smaller "
                f"learning rate than lr={lr}"
            )
        last = _copies(weights)
        loss.backward()
        opt.step()
        opt.clear_grad()
        if (bad := _non_finite(weights)) is not None:
            for name, w in weights.items():
                w.set_value(last[name])
            raise FloatingPointError(
                f"parameter {bad!r} would become non-finite {where}: training diverged; "
                f"use a smaller learning rate than lr={lr} (parameters left at their last "
                "finite values)"
            )
    raise FloatingPointError(
        f"the losses of epoch {epoch} are finite but their sum overflows: training diverged "
        f"or the data are too large; use a smaller learning rate than lr={lr} or scale y down"
    )
