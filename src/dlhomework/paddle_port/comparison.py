"""The evidence of homework 1-6: NumPy and Paddle trained side by side, and one house priced.

:func:`compare` trains each model with both backends from the same initial weights on
the same batches and measures lines of code, errors, time and agreement
(:class:`ComparisonRow`, printed by :func:`format_comparison`); :func:`predict_row`
prices one house of the data in $1000s with either kind of model.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import as_rng, check_int, check_positive_float
from ..data import load_data
from ..experiments.inference import RowPrediction
from ..experiments.inference import predict_row as _predict_row
from ..gradcheck import rel_error
from ..models import LinearRegression, TwoLayerNet
from ..models import Regressor as NumpyModel
from ..training import History, sgd
from .bridge import from_numpy, gradients, numpy_name, predict
from .lines import PROGRAMS, program_lines
from .training import train

__all__ = ["ComparisonRow", "compare", "format_comparison", "predict_row"]


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the homework 1-6 table: a model trained with one backend.

    Attributes
    ----------
    model : str
        ``"linear"`` or ``"two-layer"``.
    backend : str
        ``"numpy"`` or ``"paddle"``.
    model_lines, gradient_lines, training_lines : int
        Lines of code of the three parts of the program (:func:`program_lines`);
        ``gradient_lines`` is 0 for Paddle.
    train_mse : float
        MSE on the whole (normalized) training set after training.
    test_mse : float
        MSE on the (normalized) test set after training.
    seconds_per_epoch : float
        Median wall-clock time of one epoch.
    grad_rel_error_float32 : float or None
        For ``"paddle"`` rows: max relative difference (:func:`dlhomework.gradcheck.rel_error`,
        maximum over parameter blocks) between Paddle's autograd gradients in float32 and
        the NumPy hand-written ones, for the first update of both runs (shared initial
        weights, first batch).  Not on the whole training set: there the normalized data
        are centred, the bias gradient is exactly 0 up to rounding (~1e-16), and a
        relative error of rounding noise says nothing.  ``None`` for ``"numpy"`` rows.
    grad_rel_error_float64 : float or None
        The same with a float64 Paddle layer.
    loss_rel_diff : float or None
        For ``"paddle"`` rows: max relative difference between the per-iteration
        training losses of the two runs (same batches, same initial weights), showing
        that both programs follow one trajectory.
    history : History or None
        The training record of the run (for plotting); not shown in ``repr``.

    Examples
    --------
    A NumPy row: 12 + 9 + 40 lines; no agreement columns.

    >>> row = ComparisonRow("linear", "numpy", 12, 9, 40,
    ...                     0.02, 0.03, 0.0015)
    >>> row.lines_of_code, row.grad_rel_error_float32
    (61, None)
    """

    model: str
    backend: str
    model_lines: int
    gradient_lines: int
    training_lines: int
    train_mse: float
    test_mse: float
    seconds_per_epoch: float
    grad_rel_error_float32: float | None = None
    grad_rel_error_float64: float | None = None
    loss_rel_diff: float | None = None
    history: History | None = field(default=None, repr=False, compare=False)

    @property
    def lines_of_code(self) -> int:
        """Total lines of code: model + gradients + training.

        Examples
        --------
        A Paddle row has no gradient code: ``10 + 0 + 25 = 35``.

        >>> row = ComparisonRow("linear", "paddle", 10, 0, 25,
        ...                     0.02, 0.03, 0.002)
        >>> row.lines_of_code
        35
        """
        return self.model_lines + self.gradient_lines + self.training_lines


def _seconds_per_epoch(history: History) -> float:
    ends = [0.0, *history.epoch_times]
    return float(statistics.median(b - a for a, b in itertools.pairwise(ends)))


def _max_block_error(a: dict[str, NDArray[np.float64]], b: dict[str, NDArray[np.float64]]) -> float:
    return max(rel_error(a[k], b[k]) for k in a)


def _row(name: str, backend: str, **measured: Any) -> ComparisonRow:
    lines = program_lines(name, backend)
    return ComparisonRow(
        model=name,
        backend=backend,
        model_lines=lines["model"],
        gradient_lines=lines["gradients"],
        training_lines=lines["training"],
        **measured,
    )


def compare(
    *,
    n_epochs: int = 10,
    batch_size: int = 10,
    lr: float = 0.01,
    n_hidden: int = 13,
    activation: str = "sigmoid",
    seed: int = 0,
    models: Sequence[str] = ("linear", "two-layer"),
) -> list[ComparisonRow]:
    """Train each model with NumPy and with Paddle under identical conditions, and measure.

    For each model: the NumPy model is created from ``seed``; the Paddle layer gets a
    copy of its initial weights (:func:`from_numpy`, float32, Paddle's default); both
    train on the course's normalized training set with the same ``n_epochs``,
    ``batch_size``, ``lr`` and the same shuffling seed, so they see the same batches
    in the same order.

    Parameters
    ----------
    n_epochs, batch_size : int, default 10, 10
        The course's Paddle settings.
    lr : float, default 0.01
        The course's Paddle learning rate.
    n_hidden : int, default 13
        Hidden units of the two-layer model.
    activation : str, default "sigmoid"
        Its activation.
    seed : int, default 0
        Seed of the initial weights and of the shuffling.
    models : sequence of {"linear", "two-layer"}, default both

    Returns
    -------
    list of ComparisonRow
        Per model, the ``"numpy"`` row then the ``"paddle"`` row.

    Raises
    ------
    TypeError, ValueError
        Bad hyper-parameters (as :func:`train` and the model constructors), an
        unknown model name.
    FloatingPointError
        A run diverged (lower ``lr``).

    See Also
    --------
    format_comparison : the rows as a text table.

    Notes
    -----
    Used in homework 1-6 and by ``dlhomework compare``.  Times depend on the machine;
    every other column is deterministic.

    Examples
    --------
    >>> rows = compare(n_epochs=2, models=["linear"])
    >>> [(r.model, r.backend) for r in rows]
    [('linear', 'numpy'), ('linear', 'paddle')]
    >>> pd = rows[1]
    >>> bool(pd.grad_rel_error_float64 < 1e-10), pd.gradient_lines
    (True, 0)
    """
    seed = check_int(seed, "seed", minimum=0)
    n_epochs = check_int(n_epochs, "n_epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    lr = check_positive_float(lr, "lr")
    if isinstance(models, str) or not isinstance(models, Sequence):
        raise TypeError(f"models must be a list of model names such as ['linear'], got {models!r}")
    names = list(models)
    known = list(dict.fromkeys(name for name, _ in PROGRAMS))  # "linear", "two-layer"
    if not names:
        raise ValueError(f"models must name at least one model {tuple(known)}, got []")
    for name in names:
        if name not in known:
            raise ValueError(f"models must hold {' and/or '.join(map(repr, known))}, got {name!r}")
    split = load_data()
    X_train, y_train, X_test, y_test = split.X_train, split.y_train, split.X_test, split.y_test

    rows: list[ComparisonRow] = []
    for name in names:
        np_model: NumpyModel
        if name == "linear":
            np_model = LinearRegression(X_train.shape[1], rng=seed)
        else:
            np_model = TwoLayerNet(X_train.shape[1], n_hidden, activation, rng=seed)
        layer = from_numpy(np_model)
        # The gradients of the first update: initial weights, first batch of both runs.
        first = as_rng(seed).permutation(X_train.shape[0])[:batch_size]
        X_first, y_first = X_train[first], y_train[first]
        np_grads = np_model.gradients(X_first, y_first)
        err32 = _max_block_error(np_grads, gradients(layer, X_first, y_first))
        layer64 = from_numpy(np_model, dtype="float64")
        err64 = _max_block_error(np_grads, gradients(layer64, X_first, y_first))

        np_history = sgd(
            np_model, X_train, y_train, n_epochs=n_epochs, batch_size=batch_size, lr=lr, rng=seed
        )
        pd_history = train(
            layer, X_train, y_train, n_epochs=n_epochs, batch_size=batch_size, lr=lr, rng=seed
        )
        rows.append(
            _row(
                name,
                "numpy",
                train_mse=np_model.loss(X_train, y_train),
                test_mse=np_model.loss(X_test, y_test),
                seconds_per_epoch=_seconds_per_epoch(np_history),
                history=np_history,
            )
        )
        rows.append(
            _row(
                name,
                "paddle",
                train_mse=float(np.mean((predict(layer, X_train) - y_train) ** 2)),
                test_mse=float(np.mean((predict(layer, X_test) - y_test) ** 2)),
                seconds_per_epoch=_seconds_per_epoch(pd_history),
                grad_rel_error_float32=err32,
                grad_rel_error_float64=err64,
                loss_rel_diff=rel_error(np_history.losses, pd_history.losses),
                history=pd_history,
            )
        )
    return rows


def format_comparison(rows: Sequence[ComparisonRow]) -> str:
    """Render :func:`compare`'s rows as a plain-text table.

    Parameters
    ----------
    rows : sequence of ComparisonRow

    Returns
    -------
    str
        A header line and one line per row, columns aligned; lines of code as
        ``model+gradients+training=total``; ``-`` where a column does not apply (the
        agreement columns of NumPy rows).

    Notes
    -----
    Used by ``dlhomework compare``, which prints the table of homework 1-6.

    Examples
    --------
    >>> row = ComparisonRow("linear", "numpy", 12, 9, 40,
    ...                     0.02, 0.03, 0.0015)
    >>> header, line = format_comparison([row]).splitlines()
    >>> header.split()[:6]
    ['model', 'backend', 'lines', 'train_MSE', 'test_MSE', 'ms/epoch']
    >>> line.split()[:3]
    ['linear', 'numpy', '12+9+40=61']
    >>> line.split()[3:]
    ['0.02000', '0.03000', '1.50', '-', '-', '-']
    """

    def opt(value: float | None) -> str:
        return "-" if value is None else f"{value:.1e}"

    table = [
        [
            "model",
            "backend",
            "lines",
            "train_MSE",
            "test_MSE",
            "ms/epoch",
            "grad_f32",
            "grad_f64",
            "loss_diff",
        ]
    ]
    for r in rows:
        table.append(
            [
                r.model,
                r.backend,
                f"{r.model_lines}+{r.gradient_lines}+{r.training_lines}={r.lines_of_code}",
                f"{r.train_mse:.5f}",
                f"{r.test_mse:.5f}",
                f"{1000 * r.seconds_per_epoch:.2f}",
                opt(r.grad_rel_error_float32),
                opt(r.grad_rel_error_float64),
                opt(r.loss_rel_diff),
            ]
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in table
    )


def predict_row(model: Any, row: int = -10, *, ratio: float = 0.8) -> RowPrediction:
    """Predict one house as the course does, in $1000s, with a Paddle layer or a NumPy model.

    :func:`dlhomework.experiments.predict_row` (the package's one price prediction),
    with a Paddle layer run through :func:`~dlhomework.paddle_port.predict`.

    Parameters
    ----------
    model : PaddleModel or a NumPy model
        A registered Paddle model (:class:`Regressor`, :class:`TwoLayerRegressor`, …)
        or a NumPy model with ``n_features`` and ``predict``
        (:class:`~dlhomework.models.LinearRegression`, …), trained on data from
        ``load_data(ratio)``.
    row : int, default -10
        Row of the housing data, ``-506 … 505`` (the course's ``load_one_example``: -10).
    ratio : float, default 0.8
        Training fraction of the split, as in :func:`~dlhomework.data.load_data`.

    Returns
    -------
    RowPrediction

    Raises
    ------
    TypeError
        ``model`` is neither kind of model, or ``row`` is not an int.
    IndexError
        ``row`` is outside the data.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> from dlhomework.models import least_squares
    >>> split = load_data()
    >>> best = least_squares(split.X_train, split.y_train)
    >>> result = predict_row(from_numpy(best, dtype="float64"))
    >>> result.row, result.split, result.actual
    (496, 'test', 19.7)
    >>> # the best linear fit misses this house by $6,600
    >>> round(result.predicted, 1)
    13.1
    """
    if numpy_name(model) is not None:  # a Paddle layer
        layer = model
        model = SimpleNamespace(n_features=layer.n_features, predict=lambda X: predict(layer, X))
    elif not callable(getattr(model, "predict", None)):
        raise TypeError(
            "model must be a registered Paddle model or a NumPy model with predict(), "
            f"got {type(model).__name__}"
        )
    return _predict_row(model, row, ratio=ratio)
