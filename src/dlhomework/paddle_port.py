# mypy: disallow-subclassing-any=False
# (Without paddle installed, mypy sees ``paddle.nn.Layer`` as Any; subclassing it is the point.)
"""The house-price models in PaddlePaddle, measured against the NumPy ones (homework 1-6).

The same two models as :mod:`dlhomework.models`, written the way Paddle's own
tutorials write them: a :class:`Regressor` (``paddle.nn.Linear(13, 1)``) and a
:class:`TwoLayerRegressor` (13 → hidden → 1), trained by :func:`train` with a
``paddle.io.DataLoader``, ``paddle.optimizer.SGD`` and the MSE loss, saved and
restored with :func:`save` / :func:`load`.  Gradients come from autograd
(:func:`gradients`), never written by hand.

The bridge to NumPy is exact: ``paddle.nn.Linear`` computes ``X @ W + b`` with
``W`` of shape ``(in, out)`` and ``b`` of shape ``(out,)``, the layout of the
NumPy models, so :func:`from_numpy` and :func:`to_numpy` copy arrays without
transposing, under the NumPy names (``W``, ``b``; ``W1``, ``b1``, ``W2``, ``b2``).
:func:`compare` trains both versions from the same initial weights on the same
batches and returns the table of homework 1-6.

Paddle is an optional dependency: ``import dlhomework`` never imports it, and
importing this module without it raises ImportError saying
``pip install "dlhomework[paddle]"``.  Paddle's global default dtype
(float32) is never changed here: float64 layers are asked for explicitly
(``dtype="float64"``).
"""

from __future__ import annotations

import ast
import inspect
import io
import itertools
import math
import os
import statistics
import textwrap
import time
import tokenize
import warnings
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import model_files
from ._validation import (
    RngLike,
    as_rng,
    check_features,
    check_int,
    check_positive_float,
    check_targets,
)
from .batching import minibatches
from .data import load_data, load_housing
from .gradcheck import rel_error
from .layers import (
    activation_backward,
    activation_forward,
    affine_backward,
    affine_forward,
    mse_backward,
    mse_forward,
)
from .models import LinearRegression, TwoLayerNet
from .training import History, check_growth, iteration_label, sgd

try:
    with warnings.catch_warnings():
        # Paddle's import-time notice about a compiler cache it does not need here.
        warnings.filterwarnings("ignore", message="No ccache found", category=UserWarning)
        import paddle
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "dlhomework.paddle_port needs PaddlePaddle, which is not installed: "
        'pip install "dlhomework[paddle]"'
    ) from exc

__all__ = [
    "ACTIVATIONS",
    "DTYPES",
    "PROGRAMS",
    "ComparisonRow",
    "Program",
    "Regressor",
    "RowPrediction",
    "TwoLayerRegressor",
    "compare",
    "count_code_lines",
    "format_comparison",
    "from_numpy",
    "gradients",
    "load",
    "predict",
    "predict_row",
    "program_lines",
    "save",
    "to_numpy",
    "train",
]

DType = Literal["float32", "float64"]

DTYPES: tuple[DType, ...] = ("float32", "float64")
"""Parameter dtypes a layer may have: Paddle's default float32, or float64 for checks."""

ACTIVATIONS: dict[str, Any] = {
    "sigmoid": paddle.nn.Sigmoid,
    "tanh": paddle.nn.Tanh,
    "relu": paddle.nn.ReLU,
    "identity": paddle.nn.Identity,
}
"""Activation name → Paddle layer class; the names of :class:`~dlhomework.models.TwoLayerNet`."""

_NP_DTYPES: dict[str, type[np.floating[Any]]] = {"float32": np.float32, "float64": np.float64}


def _check_dtype(dtype: object) -> DType:
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
    return dtype


def _check_activation(activation: object) -> str:
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, got {activation!r}"
        )
    return activation


def _linear(n_in: int, n_out: int, gen: np.random.Generator | None) -> paddle.nn.Linear:
    """``paddle.nn.Linear(n_in, n_out)``; given ``gen``, its weight starts at zero and draws
    nothing from Paddle's global generator (:func:`_xavier_uniform` fills it in)."""
    if gen is None:
        return paddle.nn.Linear(n_in, n_out)  # Paddle's default: Xavier-uniform, zero bias
    zero = paddle.ParamAttr(initializer=paddle.nn.initializer.Constant(0.0))
    return paddle.nn.Linear(n_in, n_out, weight_attr=zero)


def _xavier_uniform(
    linears: Sequence[paddle.nn.Linear], gen: np.random.Generator | None, dtype: str
) -> None:
    """Paddle's default weight initialization, drawn from ``gen`` (nothing if ``gen`` is None)."""
    if gen is None:
        return
    for fc in linears:
        n_in, n_out = fc.weight.shape
        limit = math.sqrt(6.0 / (n_in + n_out))
        fc.weight.set_value(gen.uniform(-limit, limit, (n_in, n_out)).astype(_NP_DTYPES[dtype]))


# -- the models ------------------------------------------------------------------------


class Regressor(paddle.nn.Layer):
    """The course's Paddle model: one fully connected layer, ``pred = X @ W + b``.

    Parameters
    ----------
    n_features : int, default 13
        Number of inputs (13 for the house-price data).
    dtype : {"float32", "float64"}, default "float32"
        dtype of the parameters.  float32 is Paddle's default; ask for float64
        to compare gradients with the NumPy model to 1e-10.  Paddle's global
        default dtype is not touched.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights.  ``None``: Paddle's own initialization,
        drawn from Paddle's global generator, as in the course (reproducible
        only after ``paddle.seed``).  A Generator or a seed: the same
        distribution drawn from NumPy — weight uniform in ``±sqrt(6 / (fan_in
        + fan_out))`` (Xavier), bias zero — and Paddle's global generator is
        neither used nor advanced; the same seed gives the same weights.  For
        the initial weights of a NumPy model, use :func:`from_numpy`.

    Attributes
    ----------
    fc : paddle.nn.Linear
        ``fc.weight`` of shape ``(n_features, 1)``, ``fc.bias`` of shape ``(1,)``;
        Xavier-uniform weight, zero bias (see ``rng``).
    n_features : int
    dtype : str

    Raises
    ------
    TypeError
        ``n_features`` is not an int; ``rng`` is not a Generator, an int or None.
    ValueError
        ``n_features < 1``, an unknown ``dtype``, a negative seed.

    See Also
    --------
    dlhomework.models.LinearRegression : the same model in NumPy.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> layer = Regressor(n_features=3)
    >>> [tuple(p.shape) for p in layer.parameters()], layer.dtype
    ([(3, 1), (1,)], 'float32')
    >>> tuple(layer(paddle.zeros([4, 3])).shape)
    (4, 1)
    >>> a, b = Regressor(rng=7), Regressor(rng=7)  # the same seed, the same weights
    >>> bool(np.array_equal(a.fc.weight.numpy(), b.fc.weight.numpy()))
    True
    """

    def __init__(
        self, n_features: int = 13, *, dtype: str = "float32", rng: RngLike = None
    ) -> None:
        super().__init__()
        self.n_features = check_int(n_features, "n_features", minimum=1)
        self.dtype = _check_dtype(dtype)
        gen = None if rng is None else as_rng(rng)
        self.fc = _linear(self.n_features, 1, gen)
        if self.dtype != "float32":
            self.to(dtype=self.dtype)  # cast this layer only; the global default stays
        _xavier_uniform([self.fc], gen, self.dtype)

    def forward(self, inputs: paddle.Tensor) -> paddle.Tensor:
        """Predict ``inputs @ W + b``: ``(n_samples, n_features)`` → ``(n_samples, 1)``."""
        x: paddle.Tensor = self.fc(inputs)
        return x

    def named_weights(self) -> dict[str, paddle.Tensor]:
        """The parameters under the NumPy model's names: ``{"W": fc.weight, "b": fc.bias}``.

        Returns
        -------
        dict of str to paddle.Tensor
            The layer's own parameters (not copies).

        Examples
        --------
        >>> {k: tuple(v.shape) for k, v in Regressor(n_features=3).named_weights().items()}
        {'W': (3, 1), 'b': (1,)}
        """
        return {"W": self.fc.weight, "b": self.fc.bias}

    def architecture(self) -> dict[str, Any]:
        """What :func:`load` needs to rebuild this layer.

        Returns
        -------
        dict
            ``{"model": "linear", "n_features": ..., "dtype": ...}``.

        Examples
        --------
        >>> Regressor().architecture()
        {'model': 'linear', 'n_features': 13, 'dtype': 'float32'}
        """
        return {"model": "linear", "n_features": self.n_features, "dtype": self.dtype}


class TwoLayerRegressor(paddle.nn.Layer):
    """One hidden layer: ``pred = act(X @ W1 + b1) @ W2 + b2``, in Paddle.

    Parameters
    ----------
    n_features : int, default 13
        Number of inputs ``D``.
    n_hidden : int, default 13
        Number of hidden units ``H``.
    activation : {"sigmoid", "tanh", "relu", "identity"}, default "sigmoid"
        The hidden layer's nonlinearity (a Paddle layer from :data:`ACTIVATIONS`),
        the same choices as :class:`~dlhomework.models.TwoLayerNet`.
    dtype : {"float32", "float64"}, default "float32"
        dtype of the parameters, as in :class:`Regressor`.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights, as in :class:`Regressor` (``None``:
        Paddle's global generator; otherwise Xavier-uniform ``W1`` and ``W2``
        from NumPy, zero biases).

    Attributes
    ----------
    fc1 : paddle.nn.Linear
        Weight ``(D, H)``, bias ``(H,)``.
    act : paddle.nn.Layer
        The activation (no parameters).
    fc2 : paddle.nn.Linear
        Weight ``(H, 1)``, bias ``(1,)``.
    n_features, n_hidden : int
    activation, dtype : str

    Raises
    ------
    TypeError
        A size is not an int; ``rng`` is not a Generator, an int or None.
    ValueError
        A size ``< 1``, an unknown ``activation`` or ``dtype``, a negative seed.

    See Also
    --------
    dlhomework.models.TwoLayerNet : the same network with hand-written backpropagation.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> net = TwoLayerRegressor(n_features=5, n_hidden=7, activation="tanh")
    >>> {k: tuple(v.shape) for k, v in net.named_weights().items()}
    {'W1': (5, 7), 'b1': (7,), 'W2': (7, 1), 'b2': (1,)}
    """

    def __init__(
        self,
        n_features: int = 13,
        n_hidden: int = 13,
        activation: str = "sigmoid",
        *,
        dtype: str = "float32",
        rng: RngLike = None,
    ) -> None:
        super().__init__()
        self.n_features = check_int(n_features, "n_features", minimum=1)
        self.n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
        self.activation = _check_activation(activation)
        self.dtype = _check_dtype(dtype)
        gen = None if rng is None else as_rng(rng)
        self.fc1 = _linear(self.n_features, self.n_hidden, gen)
        self.act = ACTIVATIONS[self.activation]()
        self.fc2 = _linear(self.n_hidden, 1, gen)
        if self.dtype != "float32":
            self.to(dtype=self.dtype)  # cast this layer only; the global default stays
        _xavier_uniform([self.fc1, self.fc2], gen, self.dtype)

    def forward(self, inputs: paddle.Tensor) -> paddle.Tensor:
        """Predict ``act(inputs @ W1 + b1) @ W2 + b2``: ``(n, D)`` → ``(n, 1)``."""
        hidden = self.act(self.fc1(inputs))
        x: paddle.Tensor = self.fc2(hidden)
        return x

    def named_weights(self) -> dict[str, paddle.Tensor]:
        """The parameters under the NumPy model's names ``W1``, ``b1``, ``W2``, ``b2``.

        Returns
        -------
        dict of str to paddle.Tensor
            The layer's own parameters (not copies).

        Examples
        --------
        >>> sorted(TwoLayerRegressor().named_weights())
        ['W1', 'W2', 'b1', 'b2']
        """
        return {
            "W1": self.fc1.weight,
            "b1": self.fc1.bias,
            "W2": self.fc2.weight,
            "b2": self.fc2.bias,
        }

    def architecture(self) -> dict[str, Any]:
        """What :func:`load` needs to rebuild this layer.

        Returns
        -------
        dict
            ``{"model": "two-layer", "n_features", "n_hidden", "activation", "dtype"}``.

        Examples
        --------
        >>> TwoLayerRegressor(n_hidden=4, activation="relu").architecture()["activation"]
        'relu'
        """
        return {
            "model": "two-layer",
            "n_features": self.n_features,
            "n_hidden": self.n_hidden,
            "activation": self.activation,
            "dtype": self.dtype,
        }


PaddleModel = Regressor | TwoLayerRegressor
"""Either of this module's layers (what :func:`train`, :func:`save` … accept)."""


def _check_layer(layer: object, name: str = "layer") -> PaddleModel:
    if not isinstance(layer, Regressor | TwoLayerRegressor):
        raise TypeError(
            f"{name} must be a dlhomework.paddle_port.Regressor or TwoLayerRegressor, "
            f"got {type(layer).__name__}"
        )
    return layer


def _check_X(layer: PaddleModel, X: ArrayLike) -> NDArray[np.float64]:
    return check_features(X, layer.n_features, type(layer).__name__)


def _check_Xy(
    layer: PaddleModel, X: ArrayLike, y: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    X_arr = _check_X(layer, X)
    return X_arr, check_targets(y, X_arr.shape[0])


def _tensor(a: NDArray[np.float64], dtype: str) -> paddle.Tensor:
    return paddle.to_tensor(a.astype(_NP_DTYPES[dtype]))


def _numpy(t: paddle.Tensor) -> NDArray[np.float64]:
    return np.array(t.numpy(), dtype=np.float64)


# -- the bridge to NumPy ---------------------------------------------------------------


def from_numpy(model: LinearRegression | TwoLayerNet, *, dtype: str = "float32") -> PaddleModel:
    """Build the Paddle layer holding a NumPy model's weights.

    Parameters
    ----------
    model : LinearRegression or TwoLayerNet
        The NumPy model; it is not modified.
    dtype : {"float32", "float64"}, default "float32"
        dtype of the new layer's parameters.  float64 copies the weights
        exactly; float32 rounds each to the nearest float32.

    Returns
    -------
    Regressor or TwoLayerRegressor
        Same sizes (and activation), its weights ``W``, ``b`` (or ``W1`` … ``b2``)
        equal to ``model.params`` — no transposition is needed, since
        ``paddle.nn.Linear`` stores ``W`` as ``(in, out)`` too.

    Raises
    ------
    TypeError
        ``model`` is neither a LinearRegression nor a TwoLayerNet.
    ValueError
        Unknown ``dtype``.

    See Also
    --------
    to_numpy : the way back.

    Notes
    -----
    Used in homework 1-6 to start both versions from the same initial weights.

    Examples
    --------
    >>> model = LinearRegression(n_features=2, rng=0)
    >>> model.params["W"][:] = [[1.5], [-2.0]]
    >>> layer = from_numpy(model, dtype="float64")
    >>> layer.fc.weight.numpy().tolist(), layer.dtype
    ([[1.5], [-2.0]], 'float64')
    """
    dtype = _check_dtype(dtype)
    if not isinstance(model, LinearRegression | TwoLayerNet):
        raise TypeError(
            f"model must be a dlhomework.models.LinearRegression or TwoLayerNet, "
            f"got {type(model).__name__}"
        )
    model.check_params()  # missing, wrongly shaped or non-finite parameters: a clear error
    weights = {}
    for name, value in model.params.items():
        with np.errstate(over="ignore"):
            weights[name] = np.asarray(value, dtype=_NP_DTYPES[dtype])
        if not np.isfinite(weights[name]).all():
            raise ValueError(
                f"params[{name!r}] of {model!r} holds values up to "
                f"{float(np.abs(value).max()):.3g}, beyond {dtype}'s range "
                f'({float(np.finfo(_NP_DTYPES[dtype]).max):.3g}); use dtype="float64"'
            )
    layer: PaddleModel
    # rng=0: building the layer draws nothing from Paddle's global generator (and the
    # weights are overwritten below).
    if isinstance(model, LinearRegression):
        layer = Regressor(model.n_features, dtype=dtype, rng=0)
    else:
        layer = TwoLayerRegressor(
            model.n_features, model.n_hidden, model.activation, dtype=dtype, rng=0
        )
    for name, param in layer.named_weights().items():
        param.set_value(weights[name])
    return layer


def to_numpy(layer: PaddleModel) -> LinearRegression | TwoLayerNet:
    """Build the NumPy model holding a Paddle layer's weights.

    Parameters
    ----------
    layer : Regressor or TwoLayerRegressor

    Returns
    -------
    LinearRegression or TwoLayerNet
        Same sizes (and activation); ``params`` are float64 copies of the
        layer's weights, exact for either dtype (every float32 is a float64).

    Raises
    ------
    TypeError
        ``layer`` is not a :class:`Regressor` or :class:`TwoLayerRegressor`.

    See Also
    --------
    from_numpy : the way there.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> net = to_numpy(TwoLayerRegressor(n_features=5, n_hidden=7, activation="relu"))
    >>> net
    TwoLayerNet(n_features=5, n_hidden=7, activation='relu')
    >>> {k: (v.shape, str(v.dtype)) for k, v in net.params.items()}["W1"]
    ((5, 7), 'float64')
    """
    layer = _check_layer(layer)
    model: LinearRegression | TwoLayerNet
    if isinstance(layer, Regressor):
        model = LinearRegression(layer.n_features, rng=0)
    else:
        model = TwoLayerNet(layer.n_features, layer.n_hidden, layer.activation, rng=0)
    for name, param in layer.named_weights().items():
        model.params[name][...] = _numpy(param)
    return model


def predict(layer: PaddleModel, X: ArrayLike) -> NDArray[np.float64]:
    """Run the layer forward on ``X`` (no gradient tape) and return NumPy predictions.

    Parameters
    ----------
    layer : Regressor or TwoLayerRegressor
    X : array_like of shape (n_samples, n_features)
        Inputs, finite; cast to the layer's dtype.

    Returns
    -------
    ndarray of shape (n_samples, 1), float64
        The layer's outputs (computed in its dtype), as float64.

    Raises
    ------
    TypeError
        ``layer`` is not one of this module's layers.
    ValueError
        ``X`` not 2-D, empty, NaN/inf, or the wrong number of features.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> model = LinearRegression(n_features=2, rng=0)
    >>> model.params["W"][:] = [[1.0], [10.0]]
    >>> predict(from_numpy(model), [[1.0, 2.0]]).tolist()
    [[21.0]]
    """
    layer = _check_layer(layer)
    X_arr = _check_X(layer, X)
    with paddle.no_grad():
        out = layer(_tensor(X_arr, layer.dtype))
    return _numpy(out)


def gradients(layer: PaddleModel, X: ArrayLike, y: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Autograd gradients of the MSE ``mean((layer(X) - y) ** 2)``, keyed like the NumPy model.

    The loss is built with ``paddle.nn.functional.mse_loss`` and differentiated by
    ``paddle.grad``, so the layer's ``.grad`` accumulators are left untouched.

    Parameters
    ----------
    layer : Regressor or TwoLayerRegressor
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
        Finite; cast to the layer's dtype.

    Returns
    -------
    dict of str to ndarray, float64
        ``{"W": (n_features, 1), "b": (1,)}`` for a :class:`Regressor`,
        ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}`` for a
        :class:`TwoLayerRegressor` — the keys and shapes of the NumPy model's
        ``params`` and ``gradients(X, y)``.

    Raises
    ------
    TypeError
        ``layer`` is not one of this module's layers.
    ValueError
        ``X`` or ``y`` of the wrong shape, length mismatch, empty, or NaN/inf.

    Notes
    -----
    Used in homework 1-6 to check the hand-written NumPy gradients against
    Paddle's autograd: in float64 they agree to about 1e-15.

    Examples
    --------
    >>> model = LinearRegression(n_features=1, rng=0)
    >>> model.params["W"][:] = 0.0
    >>> g = gradients(from_numpy(model), [[1.0], [3.0]], [[1.0], [1.0]])  # e = [-1, -1]
    >>> g["W"].tolist(), g["b"].tolist()
    ([[-4.0]], [-2.0])
    """
    layer = _check_layer(layer)
    X_arr, y_arr = _check_Xy(layer, X, y)
    weights = layer.named_weights()
    prediction = layer(_tensor(X_arr, layer.dtype))
    loss = paddle.nn.functional.mse_loss(prediction, _tensor(y_arr, layer.dtype))
    grads = paddle.grad(loss, list(weights.values()))
    return {name: _numpy(g) for name, g in zip(weights, grads, strict=True)}


# -- training --------------------------------------------------------------------------


class _ArrayDataset(paddle.io.Dataset[tuple[NDArray[Any], NDArray[Any]]]):
    """Rows of ``(X, y)`` as a map-style ``paddle.io.Dataset``, in one dtype."""

    def __init__(self, X: NDArray[np.float64], y: NDArray[np.float64], dtype: str) -> None:
        super().__init__()
        self.X = X.astype(_NP_DTYPES[dtype])
        self.y = y.astype(_NP_DTYPES[dtype])

    def __getitem__(self, index: int) -> tuple[NDArray[Any], NDArray[Any]]:
        return self.X[index], self.y[index]

    def __len__(self) -> int:
        return len(self.X)


def _permutations(rng: np.random.Generator, n: int) -> Generator[int, None, None]:
    """Endless sample indices: one fresh permutation of ``range(n)`` per epoch."""
    while True:
        yield from rng.permutation(n).tolist()


def train(
    layer: PaddleModel,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_epochs: int,
    batch_size: int,
    lr: float,
    seed: RngLike = None,
    shuffle: bool = True,
    drop_last: bool = False,
    callback: Callable[[int, History], object] | None = None,
) -> History:
    """Train a layer the Paddle way: DataLoader, ``paddle.optimizer.SGD``, MSE loss.

    Each iteration computes the loss of its batch, records it (*before* the
    update, like :func:`dlhomework.training.sgd`), then ``loss.backward()``,
    ``opt.step()``, ``opt.clear_grad()``.

    Parameters
    ----------
    layer : Regressor or TwoLayerRegressor
        Trained in place (switched to ``layer.train()`` mode); its weights
        must be finite.
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
    seed : numpy.random.Generator or int or None, default None
        Source of the shuffling.  Each epoch's order is ``rng.permutation(n)``
        of a Generator made from ``seed`` — the permutations that
        :func:`dlhomework.training.sgd` draws from the same seed, so both see
        the same batches.  (Paddle's own ``RandomSampler`` would draw from
        NumPy's *global* state, which this package never touches.)
    shuffle : bool, default True
        Reshuffle every epoch; otherwise visit the samples in order.
    drop_last : bool, default False
        Skip each epoch's last batch when it is partial.
    callback : callable, optional
        Called as ``callback(epoch, history)`` after each epoch (1-based), with
        the :class:`~dlhomework.training.History` so far, e.g. to draw a
        progress bar.  Its return value is ignored; an exception it raises
        stops training.

    Returns
    -------
    History
        The same record as :func:`dlhomework.training.sgd`: per-iteration
        losses, per-epoch means, cumulative seconds at each epoch's end.

    Raises
    ------
    TypeError
        ``layer`` is not one of this module's layers; non-int sizes, non-real
        ``lr``, non-bool flags, a ``callback`` that is not callable.
    ValueError
        ``n_epochs < 1``, ``batch_size < 1``, ``lr <= 0``; ``X``/``y`` of the
        wrong shape, mismatched, or with NaN/inf; ``drop_last`` with
        ``batch_size > n_samples``; a layer whose weights hold NaN or inf.
    FloatingPointError
        The loss or a weight became NaN or inf (both checked every
        iteration; the learning rate is too large): the message names the
        epoch and the iteration, and the weights keep their last finite
        values.  Or an epoch's mean loss exceeded
        :data:`~dlhomework.training.DIVERGENCE_FACTOR` times the layer's MSE on
        all of ``X`` before training: the message names the epoch, and the
        weights are those at its end.  Both messages suggest a smaller
        learning rate, as :func:`~dlhomework.training.sgd`'s do.

    Notes
    -----
    ``paddle.optimizer.SGD`` steps ``p -= lr * grad`` with the gradient of the
    MSE, exactly like :func:`~dlhomework.training.sgd`: the same ``lr`` means
    the same step.  To keep the last finite weights, each iteration copies
    the weights to NumPy after its step and checks them there, which adds
    3–6% to the time of an iteration of the house-price models.  Used in
    homework 1-6.

    Examples
    --------
    >>> X = np.linspace(-1.0, 1.0, 8).reshape(-1, 1)
    >>> layer = Regressor(n_features=1, rng=0)
    >>> history = train(layer, X, 2.0 * X - 1.0, n_epochs=100, batch_size=4, lr=0.3, seed=0)
    >>> len(history.losses), history.iterations_per_epoch
    (200, 2)
    >>> np.round(layer.fc.weight.numpy(), 4).tolist(), np.round(layer.fc.bias.numpy(), 4).tolist()
    ([[2.0]], [-1.0])
    """
    layer = _check_layer(layer)
    epochs = check_int(n_epochs, "n_epochs", minimum=1)
    b = check_int(batch_size, "batch_size", minimum=1)
    step = check_positive_float(lr, "lr")
    for flag, flag_name in ((shuffle, "shuffle"), (drop_last, "drop_last")):
        if not isinstance(flag, bool | np.bool_):
            raise TypeError(f"{flag_name} must be a bool, got {flag!r} ({type(flag).__name__})")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None, got {callback!r}")
    X_arr, y_arr = _check_Xy(layer, X, y)
    _check_range(X_arr, "X", layer.dtype)
    _check_range(y_arr, "y", layer.dtype)
    n = X_arr.shape[0]
    rng = as_rng(seed)
    weights = layer.named_weights()
    finite = _finite_copies(weights)  # the last finite weights, restored on divergence
    if finite is None:
        raise ValueError(f"layer weight {_non_finite(weights)!r} holds NaN or inf before training")

    dataset = _ArrayDataset(X_arr, y_arr, layer.dtype)
    sampler: paddle.io.Sampler[int]
    if shuffle:
        sampler = paddle.io.RandomSampler(dataset, generator=_permutations(rng, n))
    else:
        sampler = paddle.io.SequenceSampler(dataset)
    batches = paddle.io.BatchSampler(sampler=sampler, batch_size=b, drop_last=bool(drop_last))
    loader = paddle.io.DataLoader(dataset, batch_sampler=batches)
    per_epoch = len(loader)
    if per_epoch == 0:
        raise ValueError(
            f"drop_last=True with batch_size={b} > n_samples={n} leaves no batch to train on"
        )
    opt = paddle.optimizer.SGD(learning_rate=step, parameters=layer.parameters())
    with paddle.no_grad():  # the reference of the divergence check
        initial = float(
            paddle.nn.functional.mse_loss(
                layer(_tensor(X_arr, layer.dtype)), _tensor(y_arr, layer.dtype)
            )
        )
    if not math.isfinite(initial):
        raise FloatingPointError(
            f"the loss is already {initial} before training: the inputs and weights overflow "
            f"{layer.dtype} (the learning rate is not the cause); scale X and y down, or use "
            'a layer of dtype="float64"'
        )

    layer.train()
    history = History(iterations_per_epoch=per_epoch)
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        epoch_sum = 0.0
        for it, (x_batch, y_batch) in enumerate(loader, start=1):
            prediction = layer(x_batch)
            loss = paddle.nn.functional.mse_loss(prediction, y_batch)
            value = float(loss)
            if not math.isfinite(value):
                raise FloatingPointError(
                    f"the loss became {value} {iteration_label(epoch, it, per_epoch)}: training "
                    f"diverged; use a smaller learning rate than lr={step}"
                )
            loss.backward()
            opt.step()
            opt.clear_grad()
            updated = _finite_copies(weights)
            if updated is None:
                name = _non_finite(weights)
                for w, last in zip(weights.values(), finite.values(), strict=True):
                    w.set_value(last)
                where = iteration_label(epoch, it, per_epoch)
                raise FloatingPointError(
                    f"parameter {name!r} would become non-finite {where}: "
                    f"training diverged; use a smaller learning rate than lr={step} "
                    "(parameters left at their last finite values)"
                )
            finite = updated
            history.losses.append(value)
            epoch_sum += value
        history.epoch_losses.append(epoch_sum / per_epoch)
        history.epoch_times.append(time.perf_counter() - start)
        check_growth(history, initial, epoch, step)
        if callback is not None:
            callback(epoch, history)
    return history


def _check_range(a: NDArray[np.float64], name: str, dtype: str) -> None:
    """ValueError if finite float64 values of ``a`` overflow the layer's ``dtype``."""
    largest = float(np.abs(a).max())
    limit = float(np.finfo(_NP_DTYPES[dtype]).max)
    if largest > limit:
        raise ValueError(
            f"{name} holds values up to {largest:.3g}, beyond {dtype}'s range ({limit:.3g}); "
            'scale it down or use a layer of dtype="float64"'
        )


def _finite_copies(weights: dict[str, paddle.Tensor]) -> dict[str, NDArray[Any]] | None:
    """NumPy copies of the weights, or None if one holds NaN or inf."""
    copies = {name: w.numpy() for name, w in weights.items()}  # .numpy() copies
    return copies if all(np.isfinite(c).all() for c in copies.values()) else None


def _non_finite(weights: dict[str, paddle.Tensor]) -> str:
    """The name of the first weight holding NaN or inf."""
    return next(name for name, w in weights.items() if not np.isfinite(w.numpy()).all())


# -- saving and loading ----------------------------------------------------------------


def save(layer: PaddleModel, path: str | os.PathLike[str]) -> None:
    """Save a layer's weights *and* architecture, in the format of the NumPy models.

    The file is the ``.npz`` archive of :mod:`dlhomework.model_files` (plain
    arrays and a JSON architecture, written atomically), with the weights in the
    layer's dtype: the same file loads as a Paddle layer (:func:`load`) or as the
    NumPy model (:func:`dlhomework.model_files.load`).  Nothing is pickled, so,
    unlike ``paddle.save``/``paddle.load``, exchanging model files cannot run code.

    Parameters
    ----------
    layer : Regressor or TwoLayerRegressor
    path : str or os.PathLike
        File to write, exactly this name (``.npz`` by convention); missing folders
        are created.

    Raises
    ------
    TypeError
        ``layer`` is not one of this module's layers.
    ValueError
        A weight holds NaN or inf.
    OSError
        The file cannot be written; a previous file at ``path`` stays intact.

    See Also
    --------
    load

    Notes
    -----
    Used in homework 1-6 and by ``dlhomework train --backend paddle --save``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(Regressor(), Path(tmp) / "model.npz")
    ...     print(load(Path(tmp) / "model.npz").architecture()["model"])
    linear
    """
    layer = _check_layer(layer)
    model = to_numpy(layer)
    weights = {name: w.numpy() for name, w in layer.named_weights().items()}
    model_files.write(path, type(model).__name__, model.config(), weights)


def load(path: str | os.PathLike[str]) -> PaddleModel:
    """Load a layer saved by :func:`save` (or a NumPy model saved by ``model_files.save``).

    The file is read by :func:`dlhomework.model_files.read`, which never
    unpickles: ``paddle.load`` is not called, so a model file from someone else
    cannot run code.  Files written by ``paddle.save`` (pickles) are refused with
    a message saying so.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Regressor or TwoLayerRegressor
        In evaluation mode, with the saved weights; float32 if every saved weight
        is float32, float64 otherwise.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        Not such a model file (the message names the file and why), or a model
        type with no Paddle counterpart.

    See Also
    --------
    save

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     net = TwoLayerRegressor(n_hidden=4, activation="tanh", dtype="float64")
    ...     save(net, Path(tmp) / "net.npz")
    ...     back = load(Path(tmp) / "net.npz")
    >>> back.architecture() == net.architecture()
    True
    >>> bool(np.array_equal(back.fc1.weight.numpy(), net.fc1.weight.numpy()))
    True
    """
    found = model_files.read(path)
    where = f"model file {os.fspath(path)!r}"
    model = model_files.build(found, where)
    if not isinstance(model, LinearRegression | TwoLayerNet):
        raise ValueError(f"{where}: a {found.model} has no Paddle counterpart")
    single = all(v.dtype == np.float32 for v in found.params.values())
    layer = from_numpy(model, dtype="float32" if single else "float64")
    layer.eval()
    return layer


# -- one prediction, in $1000s ---------------------------------------------------------


@dataclass(frozen=True)
class RowPrediction:
    """A model's prediction for one row of the housing data, in $1000s.

    Attributes
    ----------
    row : int
        Index of the row in the 506-row file, ``0 … 505``.
    split : str
        ``"train"`` or ``"test"``: which side of the course's 80/20 split holds it.
    predicted : float
        The prediction, de-normalized to $1000s with the training statistics.
    actual : float
        The row's MEDV, $1000s, as in the file.
    """

    row: int
    split: str
    predicted: float
    actual: float


def predict_row(
    model: PaddleModel | LinearRegression | TwoLayerNet, row: int = -10, *, ratio: float = 0.8
) -> RowPrediction:
    """Predict one house as the course does, and give the answer in $1000s.

    The row is normalized with the :class:`~dlhomework.preprocessing.Normalizer`
    fitted on the training rows (:func:`dlhomework.data.load_data`), the model
    predicts a normalized MEDV, and the same normalizer maps it back to $1000s.
    The default row, ``-10``, is the course's ``load_one_example`` (row 496,
    in the test set, MEDV 19.7).

    Parameters
    ----------
    model : Regressor, TwoLayerRegressor, LinearRegression or TwoLayerNet
        A Paddle layer or a NumPy model trained on data from ``load_data(ratio)``.
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
        ``model`` is none of the four model types, or ``row`` is not an int.
    IndexError
        ``row`` is outside the data.

    Notes
    -----
    Used in homework 1-6 and by ``dlhomework predict``.

    Examples
    --------
    >>> from dlhomework.models import least_squares
    >>> train_rows, _, _ = load_data()
    >>> best = least_squares(train_rows[:, :-1], train_rows[:, -1:])
    >>> result = predict_row(best)
    >>> result.row, result.split, result.actual
    (496, 'test', 19.7)
    >>> round(result.predicted, 1)  # the best linear fit misses this house by $6,600
    13.1
    """
    if isinstance(row, bool) or not isinstance(row, int | np.integer):
        raise TypeError(f"row must be an integer, got {row!r} ({type(row).__name__})")
    raw = load_housing()
    n = raw.shape[0]
    if not -n <= int(row) < n:
        raise IndexError(f"row must be in [{-n}, {n - 1}] (the data has {n} rows), got {row}")
    index = int(row) % n
    train_rows, test_rows, normalizer = load_data(ratio)
    rows = np.vstack([train_rows, test_rows])
    features = rows[index : index + 1, :-1]  # (1, 13), normalized with training statistics
    if isinstance(model, Regressor | TwoLayerRegressor):
        normalized = predict(model, features)
    elif isinstance(model, LinearRegression | TwoLayerNet):
        normalized = model.predict(features)
    else:
        raise TypeError(
            "model must be a Regressor, TwoLayerRegressor, LinearRegression or TwoLayerNet, "
            f"got {type(model).__name__}"
        )
    price = normalizer.inverse_transform(normalized, columns=[-1])  # (1, 1), $1000s
    return RowPrediction(
        row=index,
        split="train" if index < train_rows.shape[0] else "test",
        predicted=float(price[0, 0]),
        actual=float(raw[index, -1]),
    )


# -- the homework 1-6 comparison -------------------------------------------------------


def count_code_lines(*objects: Any) -> int:
    """Count the lines of code of functions or classes, read from their source.

    A line counts when it holds code: blank lines, comment-only lines and
    docstrings do not (a statement spread over three lines counts three).

    Parameters
    ----------
    *objects : function, class or method
        Anything ``inspect.getsource`` can read.

    Returns
    -------
    int
        The sum over ``objects``.

    Raises
    ------
    TypeError
        An object has no Python source (a built-in, an instance).

    Notes
    -----
    Used in homework 1-6 for the lines-of-code column of :func:`compare`.

    Examples
    --------
    >>> def f(x):
    ...     '''Docstring: not code.'''
    ...     # a comment: not code
    ...
    ...     return (x
    ...             + 1)
    >>> count_code_lines(f)
    3
    """
    total = 0
    for obj in objects:
        try:
            source = textwrap.dedent(inspect.getsource(obj))
        except (TypeError, OSError) as err:
            raise TypeError(f"cannot read the source of {obj!r}: {err}") from None
        docstring_lines: set[int] = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                first = node.body[0]
                if (
                    isinstance(first, ast.Expr)
                    and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)
                ):
                    end = first.end_lineno or first.lineno
                    docstring_lines.update(range(first.lineno, end + 1))
        skip = {
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        }
        code_lines: set[int] = set()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type not in skip:
                code_lines.update(range(tok.start[0], tok.end[0] + 1))
        total += len(code_lines - docstring_lines)
    return total


def _private_helpers(obj: Any, owner: type | None) -> list[Any]:
    """The private functions, classes and methods that ``obj``'s source refers to.

    A module-level name starting with ``_`` defined in ``obj``'s module
    (``sgd`` → ``_updated_params``), or ``self._name`` resolved on ``owner``
    (``LinearRegression.predict`` → ``_forward``, ``_check_X``): code written
    for this program, not library code.
    """
    module = inspect.getmodule(obj)
    found: list[Any] = []
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(obj)))):
        helper: Any = None
        if isinstance(node, ast.Name) and node.id.startswith("_") and module is not None:
            helper = getattr(module, node.id, None)
            if inspect.getmodule(helper) is not module:
                helper = None
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and owner is not None
        ):
            helper = getattr(owner, node.attr, None)
        if inspect.isfunction(helper) or inspect.isclass(helper):
            found.append(helper)
    return found


@dataclass(frozen=True)
class Program:
    """The source of one homework 1-6 program, in three parts (see :data:`PROGRAMS`).

    Attributes
    ----------
    owner : type
        The model class; ``self._helper`` calls are resolved on it.
    model : tuple
        Building the parameters, the forward pass and (NumPy) the loss.
    gradients : tuple
        The backward pass written by hand; empty for Paddle (autograd).
    training : tuple
        The training loop and its batching.
    """

    owner: type
    model: tuple[Any, ...]
    gradients: tuple[Any, ...]
    training: tuple[Any, ...]

    def parts(self) -> dict[str, list[Any]]:
        """Every part with the private helpers it uses, each helper counted once.

        Helpers are followed transitively and assigned to the first part that
        reaches them (validation shared by ``predict`` and ``gradients``
        counts in ``"model"``).

        Returns
        -------
        dict of str to list
            ``{"model": [...], "gradients": [...], "training": [...]}``.

        Examples
        --------
        >>> names = Program(Regressor, (Regressor.forward,), (), ()).parts()
        >>> [f.__name__ for f in names["model"]], names["gradients"]
        (['forward'], [])
        """
        seen: list[Any] = []
        result: dict[str, list[Any]] = {}
        for name, roots in (
            ("model", self.model),
            ("gradients", self.gradients),
            ("training", self.training),
        ):
            todo, part = list(roots), []
            while todo:
                obj = todo.pop(0)
                if any(obj is other for other in seen):
                    continue
                seen.append(obj)
                part.append(obj)
                todo.extend(_private_helpers(obj, self.owner))
            result[name] = part
        return result


PROGRAMS: dict[tuple[str, str], Program] = {
    ("linear", "numpy"): Program(
        owner=LinearRegression,
        model=(LinearRegression.__init__, LinearRegression.forward, affine_forward, mse_forward),
        gradients=(LinearRegression.forward_backward, affine_backward, mse_backward),
        training=(sgd, minibatches),
    ),
    ("linear", "paddle"): Program(
        owner=Regressor,
        model=(Regressor.__init__, Regressor.forward),
        gradients=(),
        training=(train,),
    ),
    ("two-layer", "numpy"): Program(
        owner=TwoLayerNet,
        model=(TwoLayerNet.__init__, TwoLayerNet.forward, activation_forward, mse_forward),
        gradients=(
            TwoLayerNet.backward,
            TwoLayerNet.forward_backward,
            affine_backward,
            activation_backward,
            mse_backward,
        ),
        training=(sgd, minibatches),
    ),
    ("two-layer", "paddle"): Program(
        owner=TwoLayerRegressor,
        model=(TwoLayerRegressor.__init__, TwoLayerRegressor.forward),
        gradients=(),
        training=(train,),
    ),
}
"""What :func:`compare` counts as each (model, backend) program.

``model``: building the parameters, the forward pass and (NumPy) the loss;
``gradients``: the backward pass written by hand (none in Paddle: autograd);
``training``: the training loop with its batching (NumPy ``sgd`` and
``minibatches``; Paddle :func:`train`).  Each part includes the private helpers
it calls (:meth:`Program.parts`), so hand-written input validation counts on
both sides.  Library code (NumPy itself, Paddle's ``DataLoader``, ``SGD``,
autograd) is not counted.
"""


def program_lines(model: str, backend: str) -> dict[str, int]:
    """Lines of code of one program of homework 1-6, part by part.

    Parameters
    ----------
    model : {"linear", "two-layer"}
    backend : {"numpy", "paddle"}

    Returns
    -------
    dict of str to int
        ``{"model": ..., "gradients": ..., "training": ...}``, counted with
        :func:`count_code_lines` over :meth:`Program.parts` of
        :data:`PROGRAMS`.

    Raises
    ------
    ValueError
        Unknown ``model`` or ``backend``.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> program_lines("linear", "paddle")["gradients"]
    0
    >>> program_lines("linear", "numpy")["gradients"] > 0
    True
    """
    try:
        program = PROGRAMS[(model, backend)]
    except KeyError:
        raise ValueError(
            "model must be 'linear' or 'two-layer' and backend 'numpy' or 'paddle', "
            f"got model={model!r}, backend={backend!r}"
        ) from None
    return {part: count_code_lines(*objs) for part, objs in program.parts().items()}


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
        maximum over parameter blocks) between Paddle's autograd gradients in
        float32 and the NumPy hand-written ones, for the first update of both runs
        (shared initial weights, first batch).  Not on the whole training set:
        there the normalized data are centred, the bias gradient is exactly 0 up
        to rounding (~1e-16), and a relative error of rounding noise says
        nothing.  ``None`` for ``"numpy"`` rows.
    grad_rel_error_float64 : float or None
        The same with a float64 Paddle layer.
    loss_rel_diff : float or None
        For ``"paddle"`` rows: max relative difference between the
        per-iteration training losses of the two runs (same batches, same
        initial weights), showing that both programs follow one trajectory.
    history : History or None
        The training record of the run (for plotting); not shown in ``repr``.
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
        """Total lines of code: model + gradients + training."""
        return self.model_lines + self.gradient_lines + self.training_lines


def _seconds_per_epoch(history: History) -> float:
    ends = [0.0, *history.epoch_times]
    return float(statistics.median(b - a for a, b in itertools.pairwise(ends)))


def _max_block_error(a: dict[str, NDArray[np.float64]], b: dict[str, NDArray[np.float64]]) -> float:
    return max(rel_error(a[k], b[k]) for k in a)


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

    For each model: the NumPy model is created from ``seed``; the Paddle layer
    gets a copy of its initial weights (:func:`from_numpy`, float32, Paddle's
    default); both train on the course's normalized training set with the same
    ``n_epochs``, ``batch_size``, ``lr`` and the same shuffling seed, so they
    see the same batches in the same order.

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
        Bad hyper-parameters (as :func:`train` and the model constructors),
        an unknown model name.
    FloatingPointError
        A run diverged (lower ``lr``).

    See Also
    --------
    format_comparison : the rows as a text table.

    Notes
    -----
    Used in homework 1-6 and by ``dlhomework compare``.  Times depend on the
    machine; every other column is deterministic.

    Examples
    --------
    >>> rows = compare(n_epochs=2, models=["linear"])
    >>> [(r.model, r.backend) for r in rows]
    [('linear', 'numpy'), ('linear', 'paddle')]
    >>> bool(rows[1].grad_rel_error_float64 < 1e-10), rows[1].gradient_lines
    (True, 0)
    """
    seed = check_int(seed, "seed", minimum=0)
    n_epochs = check_int(n_epochs, "n_epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    lr = check_positive_float(lr, "lr")
    if isinstance(models, str) or not isinstance(models, Sequence):
        raise TypeError(f"models must be a list of model names such as ['linear'], got {models!r}")
    names = list(models)
    if not names:
        raise ValueError("models must name at least one model ('linear', 'two-layer'), got []")
    for name in names:
        if name not in ("linear", "two-layer"):
            raise ValueError(f"models must hold 'linear' and/or 'two-layer', got {name!r}")
    train_rows, test_rows, _ = load_data()
    X_train, y_train = train_rows[:, :-1], train_rows[:, -1:]
    X_test, y_test = test_rows[:, :-1], test_rows[:, -1:]

    rows: list[ComparisonRow] = []
    for name in names:
        np_model: LinearRegression | TwoLayerNet
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
            layer, X_train, y_train, n_epochs=n_epochs, batch_size=batch_size, lr=lr, seed=seed
        )
        loss_diff = rel_error(np_history.losses, pd_history.losses)

        rows.append(
            ComparisonRow(
                model=name,
                backend="numpy",
                model_lines=(np_lines := program_lines(name, "numpy"))["model"],
                gradient_lines=np_lines["gradients"],
                training_lines=np_lines["training"],
                train_mse=np_model.loss(X_train, y_train),
                test_mse=np_model.loss(X_test, y_test),
                seconds_per_epoch=_seconds_per_epoch(np_history),
                history=np_history,
            )
        )
        rows.append(
            ComparisonRow(
                model=name,
                backend="paddle",
                model_lines=(pd_lines := program_lines(name, "paddle"))["model"],
                gradient_lines=pd_lines["gradients"],
                training_lines=pd_lines["training"],
                train_mse=float(np.mean((predict(layer, X_train) - y_train) ** 2)),
                test_mse=float(np.mean((predict(layer, X_test) - y_test) ** 2)),
                seconds_per_epoch=_seconds_per_epoch(pd_history),
                grad_rel_error_float32=err32,
                grad_rel_error_float64=err64,
                loss_rel_diff=loss_diff,
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
        A header line and one line per row, columns aligned; lines of code
        as ``model+gradients+training=total``; ``-`` where a column does not
        apply (the agreement columns of NumPy rows).

    Notes
    -----
    Used by ``dlhomework compare``, which prints the table of homework 1-6.

    Examples
    --------
    >>> row = ComparisonRow("linear", "numpy", 12, 9, 40, 0.02, 0.03, 0.0015)
    >>> header, line = format_comparison([row]).splitlines()
    >>> header.split()[:6]
    ['model', 'backend', 'lines', 'train_MSE', 'test_MSE', 'ms/epoch']
    >>> line.split()
    ['linear', 'numpy', '12+9+40=61', '0.02000', '0.03000', '1.50', '-', '-', '-']
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
