"""Mini-batch stochastic gradient descent for any :class:`~dlhomework.models.Model`.

:func:`sgd` is the course's training loop (``train`` of its ``Network`` class)
made general: per epoch, shuffle, cut into mini-batches, and for each batch
record the loss, compute the gradients and step every parameter by
``-lr * gradient``.  It never returns a silent nan: a loss or parameter that
becomes non-finite stops training with a :class:`FloatingPointError`, and so
does a loss that stays finite but grows :data:`DIVERGENCE_FACTOR` times above
its value before training.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike, as_rng, check_bool, check_int, check_positive_float
from .batching import batches, iterations_per_epoch
from .model_files import MODEL_TYPES
from .models import Model

__all__ = [
    "DEFAULTS",
    "DIVERGENCE_FACTOR",
    "History",
    "ProgressBar",
    "TrainDefaults",
    "check_growth",
    "iteration_label",
    "sgd",
    "sgd_epoch",
    "trainable_models",
]

Array = NDArray[np.float64]

DIVERGENCE_FACTOR = 1e6
"""An epoch's mean loss this many times the loss before training means divergence.

Healthy training lowers the loss; a learning rate that is too large multiplies it
every step, and may take many epochs to reach inf.  :func:`sgd` stops it here.
"""


@dataclass(frozen=True)
class TrainDefaults:
    """Recommended settings for training one model with :func:`~dlhomework.training.sgd`.

    Attributes
    ----------
    n_epochs : int
        Passes over the 404 training rows.
    batch_size : int
        Samples per mini-batch.
    lr : float
        Learning rate (of the MSE gradient; the course's ``eta`` is ``2 * lr``).
    settings : dict
        Keyword arguments of the model's constructor (e.g. ``n_hidden``), besides
        ``n_features`` and ``rng``.

    Examples
    --------
    >>> DEFAULTS["two-layer"].settings
    {'n_hidden': 13, 'activation': 'sigmoid'}
    """

    n_epochs: int
    batch_size: int
    lr: float
    settings: dict[str, Any] = field(default_factory=dict)


DEFAULTS: dict[str, TrainDefaults] = {
    "linear": TrainDefaults(n_epochs=1000, batch_size=32, lr=0.05),
    "two-layer": TrainDefaults(1000, 32, 0.3, {"n_hidden": 13, "activation": "sigmoid"}),
}
"""The book's recommended settings by model name, the defaults of ``dlhomework train``.

``"linear"``: batch 32, lr 0.05 (the course's ``eta = 0.1``), 1000 epochs — the
setting that ``benchmarks/bench_linear.py`` checks brings every seed within 1%
of the least-squares optimum (homework 1-3).  ``"two-layer"``: 13 sigmoid hidden
units, batch 32, lr 0.3, 1000 epochs — the settings of homework 1-4
(``benchmarks/bench_two_layer.py``).  The names are the models' ``short_name``.
"""


def trainable_models() -> dict[str, type]:
    """The registered model types :func:`sgd` can train from scratch, by short name.

    Every type of :data:`dlhomework.model_files.MODEL_TYPES` that is built as
    ``cls(n_features, rng=seed, **settings)`` and has ``forward_backward``, under
    its ``short_name`` (the key of :data:`DEFAULTS`), in registration order: the
    choices of ``dlhomework train --model``.

    Examples
    --------
    >>> {name: cls.__name__ for name, cls in trainable_models().items()}
    {'linear': 'LinearRegression', 'two-layer': 'TwoLayerNet'}
    """
    return {
        cls.short_name: cls
        for cls in MODEL_TYPES.values()
        if {"n_features", "rng"} <= inspect.signature(cls).parameters.keys()
        and hasattr(cls, "forward_backward")
    }


@dataclass
class History:
    """What :func:`sgd` records while it trains.

    Attributes
    ----------
    losses : list of float
        The loss of every iteration, computed on its batch *before* its
        update (as the course records it); ``n_epochs * iterations_per_epoch``
        entries.
    epoch_losses : list of float
        Per epoch, the mean of its iteration losses (each batch counts once,
        a partial last batch included).
    epoch_times : list of float
        Cumulative wall-clock seconds at the end of each epoch.
    iterations_per_epoch : int
        Number of batches in every epoch.

    Notes
    -----
    Used in homework 1-3 (loss against epochs and against seconds) and 1-4.

    Examples
    --------
    >>> h = History(losses=[4.0, 2.0, 1.0, 1.0], epoch_losses=[3.0, 1.0],
    ...             epoch_times=[0.5, 1.0], iterations_per_epoch=2)
    >>> h.wall_time
    1.0
    """

    losses: list[float] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)
    epoch_times: list[float] = field(default_factory=list)
    iterations_per_epoch: int = 0

    @property
    def wall_time(self) -> float:
        """Total training time in seconds (``epoch_times[-1]``; 0.0 before any epoch).

        Examples
        --------
        >>> History(epoch_times=[0.5, 1.25]).wall_time, History().wall_time
        (1.25, 0.0)
        """
        return self.epoch_times[-1] if self.epoch_times else 0.0


class ProgressBar:
    """A one-line progress bar over epochs, a ``callback`` for :func:`sgd`.

    Redrawn in place with ``\\r`` at most ten times a second (always at the first
    and last epoch), showing the epoch's mean loss and the seconds since it was made.

    Parameters
    ----------
    n_epochs : int
        The epoch the bar is full at.
    stream : text stream
        Where it is drawn, e.g. ``sys.stderr``.
    enabled : bool, default True
        False draws nothing (e.g. when ``stream`` is not a terminal).
    width : int, default 28
        Characters of the bar.

    Raises
    ------
    TypeError
        ``n_epochs`` or ``width`` is not an int, or ``enabled`` not a bool.
    ValueError
        ``n_epochs < 1`` or ``width < 1``.

    Notes
    -----
    Used by ``dlhomework train``.

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> bar = ProgressBar(2, stream, width=4)
    >>> bar(1, History(epoch_losses=[0.25]))
    >>> bar.close()  # ends the line
    >>> stream.getvalue()  # doctest: +ELLIPSIS
    '\\repoch 1/2 [##--] loss 0.25000  ... s\\n'
    """

    def __init__(self, n_epochs: int, stream: TextIO, *, enabled: bool = True, width: int = 28):
        self.total = check_int(n_epochs, "n_epochs", minimum=1)
        self.width = check_int(width, "width", minimum=1)
        self.stream, self.enabled = stream, check_bool(enabled, "enabled")
        self.start = time.perf_counter()
        self.last_draw = -math.inf
        self.drawn = False

    def __call__(self, epoch: int, history: History) -> None:
        """Draw ``epoch`` with the mean loss of its batches (``history.epoch_losses[-1]``)."""
        self.update(epoch, history.epoch_losses[-1])

    def update(self, epoch: int, loss: float) -> None:
        """Draw ``epoch`` (1-based) and ``loss``, unless drawn less than 0.1 s ago.

        The first and the last epoch are always drawn; the arguments are not checked
        (it is called once per epoch, by a trainer that checked its own).

        Examples
        --------
        >>> import io
        >>> stream = io.StringIO()
        >>> bar = ProgressBar(4, stream, width=8)
        >>> bar.update(1, 0.5)
        >>> # the last epoch: drawn however soon after the first
        >>> bar.update(4, 0.125)
        >>> for line in stream.getvalue().split("\\r")[1:]:
        ...     print(line.split("  ")[0])
        epoch 1/4 [##------] loss 0.50000
        epoch 4/4 [########] loss 0.12500
        """
        now = time.perf_counter()
        if not self.enabled or (now - self.last_draw < 0.1 and epoch not in (1, self.total)):
            return
        self.last_draw = now
        filled = self.width * epoch // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        count = f"{epoch:>{len(str(self.total))}}/{self.total}"
        self.stream.write(f"\repoch {count} [{bar}] loss {loss:.5f}  {now - self.start:.1f} s")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line (if anything was drawn), before other output.

        Examples
        --------
        >>> import io
        >>> stream = io.StringIO()
        >>> bar = ProgressBar(1, stream, width=2)
        >>> bar.close()  # nothing drawn yet: nothing written
        >>> bar.update(1, 0.5)
        >>> bar.close()
        >>> stream.getvalue()
        '\\repoch 1/1 [##] loss 0.50000  ... s\\n'
        """
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _check_params(model: Model) -> None:
    params = getattr(model, "params", None)
    if not isinstance(params, dict) or not params:
        raise TypeError(f"model must have a non-empty dict `params`, got {params!r}")
    for name, p in params.items():
        if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
            raise TypeError(
                f"model.params[{name!r}] must be a float ndarray (it is updated in place), "
                f"got {type(p).__name__}"
                + (f" of dtype {p.dtype}" if isinstance(p, np.ndarray) else "")
            )
        if not np.all(np.isfinite(p)):
            raise ValueError(f"model.params[{name!r}] holds NaN or inf before training")


def sgd(
    model: Model,
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
    """Train ``model`` by mini-batch stochastic gradient descent.

    For each of ``n_epochs`` epochs, the samples are shuffled (a permutation
    from ``rng``) and cut into batches of ``batch_size``
    (:func:`dlhomework.batching.batches`, the unchecked core of
    :func:`~dlhomework.batching.minibatches`: the arguments are checked once, here);
    for each batch (:func:`sgd_epoch`)::

        # the loss before the update; then every p in model.params:
        loss, grads = model.forward_backward(X_batch, y_batch)
        p -= lr * grads[name]

    Parameters
    ----------
    model : Model
        Anything following the :class:`~dlhomework.models.Model` protocol
        (``params``, a dict of float arrays; ``check_inputs``;
        ``forward_backward``), e.g. :class:`~dlhomework.models.LinearRegression`
        or :class:`~dlhomework.models.TwoLayerNet`.  Its ``params`` are updated
        in place.
    X : array_like of shape (n_samples, n_features)
        Training inputs, finite.
    y : array_like of shape (n_samples, 1)
        Training targets, finite.
    n_epochs : int
        Passes over the data, ``>= 1``.
    batch_size : int
        Samples per batch, ``>= 1`` (``n_samples`` or more is full-batch
        gradient descent).
    lr : float
        Learning rate, finite and ``> 0``.
    rng : numpy.random.Generator or int or None, default None
        Source of the shuffling; the same seed gives the same
        :class:`History` losses and the same final parameters.
    shuffle : bool, default True
        Reshuffle every epoch; otherwise visit the samples in order.
    drop_last : bool, default False
        Skip each epoch's last batch when it is partial.
    callback : callable, optional
        Called as ``callback(epoch, history)`` after each epoch (1-based), with
        the :class:`History` so far, e.g. to draw a progress bar.  Its return
        value is ignored; an exception it raises stops training.

    Returns
    -------
    History
        Per-iteration and per-epoch losses, cumulative times.

    Raises
    ------
    TypeError
        Non-int ``n_epochs``/``batch_size`` (``bool`` rejected), non-real
        ``lr``, non-bool flags, or a model whose ``params`` are not float arrays.
    ValueError
        ``lr <= 0``, ``n_epochs < 1``, ``batch_size < 1``; ``X`` not 2-D,
        ``y`` not ``(n_samples, 1)``, length mismatch, NaN/inf; ``drop_last``
        with ``batch_size > n_samples`` (no batch at all); ``forward_backward``
        returning other keys or shapes than ``params``.
    FloatingPointError
        The loss, a gradient or an updated parameter became NaN or inf (the
        learning rate is too large): the message names the epoch and the
        iteration, and the parameters keep their last finite values.  Or an
        epoch's mean loss exceeded :data:`DIVERGENCE_FACTOR` times the loss on
        all of ``X`` before training: the message names the epoch, and the
        parameters are those at its end.

    Notes
    -----
    The loss is the model's MSE; the models' gradients are those of the MSE,
    twice the course's ½·MSE gradient, so the same step needs half the
    course's learning rate: ``lr`` here is the course's ``eta / 2``.  Used in
    homework 1-3 and 1-4.

    Examples
    --------
    >>> from dlhomework.models import LinearRegression
    >>> X = np.linspace(-1.0, 1.0, 8).reshape(-1, 1)
    >>> model = LinearRegression(n_features=1, rng=0)
    >>> history = sgd(model, X, 2.0 * X - 1.0, n_epochs=100,
    ...               batch_size=4, lr=0.3, rng=0)
    >>> len(history.losses), history.iterations_per_epoch
    (200, 2)
    >>> W, b = model.params["W"], model.params["b"]
    >>> round(float(W[0, 0]), 4), round(float(b[0]), 4)
    (2.0, -1.0)
    """
    epochs = check_int(n_epochs, "n_epochs", minimum=1)
    b = check_int(batch_size, "batch_size", minimum=1)
    step = check_positive_float(lr, "lr")
    do_shuffle, do_drop = check_bool(shuffle, "shuffle"), check_bool(drop_last, "drop_last")
    gen = as_rng(rng)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None, got {callback!r}")
    _check_params(model)
    X_arr, y_arr = model.check_inputs(X, y)
    n = X_arr.shape[0]
    per_epoch = iterations_per_epoch(n, b, do_drop)
    if per_epoch == 0:
        raise ValueError(
            f"drop_last=True with batch_size={b} > n_samples={n} leaves no batch to train on"
        )
    params = model.params
    history = History(iterations_per_epoch=per_epoch)
    with np.errstate(under="ignore"):  # underflow to 0 is the correctly rounded value
        initial, first = model.forward_backward(X_arr, y_arr)  # divergence check's reference
    _check_gradients(params, first)
    start = time.perf_counter()
    # Non-finite values are detected after each epoch and reported, not warned about;
    # underflow to 0 (e.g. in a saturated sigmoid) is the correctly rounded value.
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            before = {name: p.copy() for name, p in params.items()}
            order = gen.permutation(n) if do_shuffle else None
            losses = sgd_epoch(model, batches(X_arr, y_arr, b, per_epoch, order), step)
            history.losses += losses
            epoch_sum = sum(losses)
            if not math.isfinite(epoch_sum) or not all(
                np.isfinite(p).all() for p in params.values()
            ):
                del history.losses[-per_epoch:]
                _replay(model, before, X_arr, y_arr, b, per_epoch, order, step, epoch)
            history.epoch_losses.append(epoch_sum / per_epoch)
            history.epoch_times.append(time.perf_counter() - start)
            check_growth(history, initial, epoch, step)
            if callback is not None:
                callback(epoch, history)
    return history


def sgd_epoch(
    model: Model,
    batches: Iterable[tuple[Array, Array]],
    lr: float,
) -> list[float]:
    """One epoch of SGD over ``batches``, unchecked: the loop body of :func:`sgd`.

    For each ``(X_batch, y_batch)``: one forward and backward pass, then every
    parameter steps against its gradient, in place.  Returns each batch's loss,
    computed before its update.  :func:`sgd` checks everything first and
    detects divergence after the epoch.

    Examples
    --------
    >>> from dlhomework.models import LinearRegression
    >>> model = LinearRegression(n_features=1, rng=0)
    >>> model.params["W"][:] = 0.0
    >>> X, y = np.array([[1.0]]), np.array([[2.0]])
    >>> # the loss (0 - 2)**2, before the update
    >>> sgd_epoch(model, [(X, y)], lr=0.25)
    [4.0]
    >>> # W and b each moved by 0.25 * 2 * 2 = 1
    >>> float(model.params["W"][0, 0] + model.params["b"][0])
    2.0
    """
    losses = []
    for X_batch, y_batch in batches:
        loss, grads = model.forward_backward(X_batch, y_batch)
        for name, p in model.params.items():
            p -= lr * grads[name]
        losses.append(loss)
    return losses


def _check_gradients(params: dict[str, NDArray[Any]], grads: dict[str, NDArray[Any]]) -> None:
    """Once, before training: the gradients fit the parameters they will update."""
    if set(grads) != set(params):
        raise ValueError(
            f"model.forward_backward returned keys {sorted(grads)} but model.params has "
            f"{sorted(params)}"
        )
    for name, p in params.items():
        g = np.asarray(grads[name])
        if g.shape != p.shape:
            raise ValueError(
                f"gradient {name!r} has shape {g.shape} but the parameter has shape {p.shape}"
            )


def _replay(
    model: Model,
    before: dict[str, NDArray[Any]],
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    batch_size: int,
    per_epoch: int,
    order: NDArray[np.intp] | None,
    lr: float,
    epoch: int,
) -> None:
    """An epoch went non-finite: redo it from its start, checking every step, and raise
    at the first step that fails, with the parameters at their last finite values (or, if
    every step is finite, because the losses' sum overflowed)."""
    params = model.params
    for name, p in params.items():
        p[...] = before[name]
    for it, (X_batch, y_batch) in enumerate(batches(X, y, batch_size, per_epoch, order), 1):
        loss, grads = model.forward_backward(X_batch, y_batch)
        where = iteration_label(epoch, it, per_epoch)
        if not math.isfinite(loss):
            raise FloatingPointError(
                f"the loss became {loss} {where}: training diverged; use a smaller "
                f"learning rate than lr={lr}"
            )
        updated = {}
        for name, p in params.items():
            if not np.isfinite(grads[name]).all():
                raise FloatingPointError(
                    f"the gradient of {name!r} became non-finite {where}: training diverged; "
                    f"use a smaller learning rate than lr={lr}"
                )
            new = updated[name] = np.asarray(p - lr * grads[name], dtype=p.dtype)
            if not np.isfinite(new).all():
                raise FloatingPointError(
                    f"parameter {name!r} would become non-finite {where}: training diverged; "
                    f"use a smaller learning rate than lr={lr} (parameters left at their last "
                    "finite values)"
                )
        for name, p in params.items():
            p[...] = updated[name]
    raise FloatingPointError(
        f"the losses of epoch {epoch} are finite but their sum overflows: training diverged "
        f"or the data are too large; use a smaller learning rate than lr={lr} or scale y down"
    )


def check_growth(history: History, initial: float, epoch: int, lr: float) -> None:
    """Raise FloatingPointError if the last epoch's mean loss is :data:`DIVERGENCE_FACTOR`
    times ``initial``, the loss before training (also used by ``paddle_port.train``).

    Examples
    --------
    >>> history = History(epoch_losses=[2e6])
    >>> check_growth(history, initial=1.0, epoch=1, lr=9.0)
    Traceback (most recent call last):
    ...
    FloatingPointError: the loss grew from 1 before training to 2e+06 ...
    """
    if history.epoch_losses[-1] > DIVERGENCE_FACTOR * initial > 0.0:
        raise FloatingPointError(
            f"the loss grew from {initial:.4g} before training to "
            f"{history.epoch_losses[-1]:.4g} (mean of epoch {epoch}): training "
            f"diverged; use a smaller learning rate than lr={lr}"
        )


def iteration_label(epoch: int, iteration: int, per_epoch: int) -> str:
    """Where in training an error happened, for messages.

    Examples
    --------
    >>> iteration_label(3, 2, 13)
    'at epoch 3, iteration 2 (of 13 per epoch)'
    """
    return f"at epoch {epoch}, iteration {iteration} (of {per_epoch} per epoch)"
