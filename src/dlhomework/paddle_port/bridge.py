"""The bridge between the NumPy models and their Paddle layers (homework 1-6).

``paddle.nn.Linear`` computes ``X @ W + b`` with ``W`` of shape ``(in, out)`` and ``b`` of
shape ``(out,)``, the layout of :mod:`dlhomework.models`, so :func:`from_numpy` and
:func:`to_numpy` copy arrays without transposing, under the NumPy names (``W``, ``b``;
``W1`` … ``b2``).  :func:`predict` and :func:`gradients` run a layer on NumPy arrays; the
gradients come from autograd, never written by hand.

The bridge is open: :func:`register_paddle_model` pairs a NumPy model type registered with
:func:`dlhomework.model_files.register_model` with a Paddle class following
:class:`PaddleModel`, and the pair then converts, predicts, trains, saves and loads with
no edit to this package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import model_files
from .._validation import check_features, check_targets
from ..models import LinearRegression, TwoLayerNet
from ._paddle import paddle
from .models import NP_DTYPES, PaddleModel, Regressor, TwoLayerRegressor, check_dtype, mse

__all__ = [
    "PADDLE_MODELS",
    "from_numpy",
    "gradients",
    "predict",
    "register_paddle_model",
    "to_numpy",
]

PADDLE_MODELS: dict[str, type[Any]] = {}
"""Name of a registered NumPy model type → its Paddle class (:func:`register_paddle_model`)."""

PaddleClass = TypeVar("PaddleClass", bound=type)


def register_paddle_model(numpy_name: str, paddle_cls: PaddleClass) -> PaddleClass:
    """Pair a NumPy model type with the Paddle class that mirrors it.

    Parameters
    ----------
    numpy_name : str
        The name the NumPy type is registered under in
        :data:`dlhomework.model_files.MODEL_TYPES` (its class name).
    paddle_cls : type
        A ``paddle.nn.Layer`` following :class:`PaddleModel`, with a classmethod
        ``from_params(params, *, dtype, **config)`` taking the NumPy model's ``params``
        and ``config()``.

    Returns
    -------
    type
        ``paddle_cls``.

    Raises
    ------
    ValueError
        ``numpy_name`` is not a registered NumPy model type.
    TypeError
        ``paddle_cls`` has no ``from_params``, ``named_weights`` or ``config``.

    Notes
    -----
    A subclass of a registered type (NumPy or Paddle) converts as that type.

    Examples
    --------
    >>> PADDLE_MODELS["TwoLayerNet"].__name__
    'TwoLayerRegressor'
    """
    if numpy_name not in model_files.MODEL_TYPES:
        raise ValueError(
            f"numpy_name must name a model type registered with model_files.register_model "
            f"({', '.join(sorted(model_files.MODEL_TYPES))}), got {numpy_name!r}"
        )
    for method in ("from_params", "named_weights", "config"):
        if not callable(getattr(paddle_cls, method, None)):
            raise TypeError(f"{paddle_cls.__name__} cannot be registered: it has no {method}()")
    PADDLE_MODELS[numpy_name] = paddle_cls
    return paddle_cls


register_paddle_model(LinearRegression.__name__, Regressor)
register_paddle_model(TwoLayerNet.__name__, TwoLayerRegressor)


def _counterpart(model: object) -> tuple[str, type[Any]] | None:
    """The registered NumPy name of ``model``'s type (or base) and its Paddle class."""
    for cls in type(model).__mro__:
        name = cls.__name__
        if model_files.MODEL_TYPES.get(name) is cls and name in PADDLE_MODELS:
            return name, PADDLE_MODELS[name]
    return None


def numpy_name(layer: object) -> str | None:
    """The NumPy model name ``layer``'s Paddle class (or a base) is registered for, or None.

    Examples
    --------
    >>> numpy_name(Regressor()), numpy_name(paddle.nn.Linear(2, 1))
    ('LinearRegression', None)
    """
    for cls in type(layer).__mro__:
        for name, paddle_cls in PADDLE_MODELS.items():
            if paddle_cls is cls:
                return name
    return None


def check_layer(layer: object) -> str:
    """:func:`numpy_name`, or TypeError naming ``layer`` when it is no registered Paddle model.

    Examples
    --------
    >>> check_layer(TwoLayerRegressor())
    'TwoLayerNet'
    >>> check_layer(paddle.nn.Linear(2, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: layer must be a Paddle model registered ..., got Linear
    """
    name = numpy_name(layer)
    if name is None:
        known = ", ".join(cls.__name__ for cls in PADDLE_MODELS.values())
        raise TypeError(
            f"layer must be a Paddle model registered with register_paddle_model ({known}), "
            f"got {type(layer).__name__}"
        )
    return name


def check_data(
    layer: PaddleModel, X: ArrayLike, y: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``X`` ``(n_samples, layer.n_features)`` and ``y`` ``(n_samples, 1)`` as checked arrays.

    Examples
    --------
    Lists of ints become float64 arrays:

    >>> layer = Regressor(n_features=2)
    >>> X, y = check_data(layer, [[1, 2]], [[3]])
    >>> X.tolist(), y.tolist(), X.dtype, y.dtype
    ([[1.0, 2.0]], [[3.0]], dtype('float64'), dtype('float64'))

    A 1-D ``y`` is refused rather than broadcast:

    >>> check_data(layer, [[1.0, 2.0]], [3.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: y must have shape (n_samples, 1), got shape (1,) ...
    """
    X_arr = check_features(X, layer.n_features, type(layer).__name__)
    return X_arr, check_targets(y, X_arr.shape[0])


def to_tensor(a: NDArray[np.float64], dtype: str) -> paddle.Tensor:
    """A Paddle tensor holding ``a`` cast to ``dtype``.

    Examples
    --------
    >>> t = to_tensor(np.array([[0.5, 2.0]]), "float32")
    >>> str(t.dtype), tuple(t.shape), t.numpy().tolist()
    ('paddle.float32', (1, 2), [[0.5, 2.0]])
    >>> float(to_tensor(np.array([0.1]), "float64")[0]) == 0.1
    True
    """
    return paddle.to_tensor(a.astype(NP_DTYPES[dtype]))


def as_float64(t: paddle.Tensor) -> NDArray[np.float64]:
    """A float64 NumPy copy of ``t`` (exact: every float32 is a float64).

    Examples
    --------
    The float32 nearest 0.1 is kept as it is, not rounded back to 0.1:

    >>> a = as_float64(paddle.to_tensor([0.1], dtype="float32"))
    >>> a.dtype, bool(a[0] == np.float32(0.1)), bool(a[0] == 0.1)
    (dtype('float64'), True, False)
    """
    return np.array(t.numpy(), dtype=np.float64)


def from_numpy(model: model_files.Saveable, *, dtype: str = "float32") -> PaddleModel:
    """Build the Paddle layer holding a NumPy model's weights.

    Parameters
    ----------
    model : a NumPy model with a registered Paddle counterpart
        :class:`~dlhomework.models.LinearRegression`, :class:`~dlhomework.models.TwoLayerNet`,
        or any type paired by :func:`register_paddle_model`; it is not modified.
    dtype : {"float32", "float64"}, default "float32"
        dtype of the new layer's parameters.  float64 copies the weights exactly;
        float32 rounds each to the nearest float32.

    Returns
    -------
    PaddleModel
        :class:`Regressor` or :class:`TwoLayerRegressor` (or the registered class):
        same sizes and settings, its weights equal to ``model.params`` — no
        transposition is needed, since ``paddle.nn.Linear`` stores ``W`` as
        ``(in, out)`` too.

    Raises
    ------
    TypeError
        ``model``'s type has no registered Paddle counterpart.
    ValueError
        Unknown ``dtype``; parameters that do not fit the model (its
        ``check_params``) or exceed float32's range.

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
    dtype = check_dtype(dtype)
    found = _counterpart(model)
    if found is None:
        raise TypeError(
            "model must be a NumPy model with a registered Paddle counterpart "
            f"({', '.join(PADDLE_MODELS)}), got {type(model).__name__}"
        )
    check = getattr(model, "check_params", None)
    if callable(check):
        check()  # missing, wrongly shaped or non-finite parameters: a clear error
    weights = {}
    for name, value in model.params.items():
        with np.errstate(over="ignore"):  # reported just below
            weights[name] = np.asarray(value, dtype=NP_DTYPES[dtype])
        if not np.isfinite(weights[name]).all():
            raise ValueError(
                f"params[{name!r}] of {model!r} holds values up to "
                f"{float(np.abs(value).max()):.3g}, beyond {dtype}'s range "
                f'({float(np.finfo(NP_DTYPES[dtype]).max):.3g}); use dtype="float64"'
            )
    from_params: Callable[..., PaddleModel] = found[1].from_params
    return from_params(weights, dtype=dtype, **model.config())


def to_numpy(layer: PaddleModel) -> Any:
    """Build the NumPy model holding a Paddle layer's weights.

    Parameters
    ----------
    layer : PaddleModel
        :class:`Regressor`, :class:`TwoLayerRegressor` or a registered class.

    Returns
    -------
    model
        Of the registered NumPy type (:class:`~dlhomework.models.LinearRegression`,
        :class:`~dlhomework.models.TwoLayerNet`, …), same sizes and settings;
        ``params`` are float64 copies of the layer's weights, exact for either dtype.

    Raises
    ------
    TypeError
        ``layer`` is not a registered Paddle model.
    ValueError
        A weight holds NaN or inf (the NumPy model refuses it).

    See Also
    --------
    from_numpy : the way there.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> layer = TwoLayerRegressor(n_features=5, n_hidden=7,
    ...                           activation="relu")
    >>> net = to_numpy(layer)
    >>> net
    TwoLayerNet(n_features=5, n_hidden=7, activation='relu')
    >>> net.params["W1"].shape, net.params["W1"].dtype
    ((5, 7), dtype('float64'))
    """
    name = check_layer(layer)
    params = {k: as_float64(w) for k, w in layer.named_weights().items()}
    from_params: Callable[..., Any] = model_files.MODEL_TYPES[name].from_params
    return from_params(params, **layer.config())


def predict(layer: PaddleModel, X: ArrayLike) -> NDArray[np.float64]:
    """Run the layer forward on ``X`` (no gradient tape) and return NumPy predictions.

    Parameters
    ----------
    layer : PaddleModel
    X : array_like of shape (n_samples, n_features)
        Inputs, finite; cast to the layer's dtype.

    Returns
    -------
    ndarray of shape (n_samples, 1), float64
        The layer's outputs (computed in its dtype), as float64.

    Raises
    ------
    TypeError
        ``layer`` is not a registered Paddle model.
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
    check_layer(layer)
    X_arr = check_features(X, layer.n_features, type(layer).__name__)
    with paddle.no_grad():
        return as_float64(layer(to_tensor(X_arr, layer.dtype)))


def gradients(layer: PaddleModel, X: ArrayLike, y: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Autograd gradients of the MSE ``mean((layer(X) - y) ** 2)``, keyed like the NumPy model.

    The loss is :func:`mse`, differentiated by ``paddle.grad``, so the layer's
    ``.grad`` accumulators are left untouched.

    Parameters
    ----------
    layer : PaddleModel
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
        Finite; cast to the layer's dtype.

    Returns
    -------
    dict of str to ndarray, float64
        The keys and shapes of the NumPy model's ``params``: ``{"W": (D, 1), "b": (1,)}``
        for a :class:`Regressor`, ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``
        for a :class:`TwoLayerRegressor`.

    Raises
    ------
    TypeError
        ``layer`` is not a registered Paddle model.
    ValueError
        ``X`` or ``y`` of the wrong shape, length mismatch, empty, or NaN/inf.

    Notes
    -----
    Used in homework 1-6 to check the hand-written NumPy gradients against Paddle's
    autograd: in float64 they agree to about 1e-15.

    Examples
    --------
    >>> model = LinearRegression(n_features=1, rng=0)
    >>> model.params["W"][:] = 0.0
    >>> # W = b = 0: errors e = [0 - 1, 0 - 1] = [-1, -1], n = 2, so
    >>> # dW = 2/n X^T e = 1*(-1) + 3*(-1) = -4, db = 2/n sum(e) = -2
    >>> g = gradients(from_numpy(model), [[1.0], [3.0]], [[1.0], [1.0]])
    >>> g["W"].tolist(), g["b"].tolist()
    ([[-4.0]], [-2.0])
    """
    check_layer(layer)
    X_arr, y_arr = check_data(layer, X, y)
    weights = layer.named_weights()
    loss = mse(layer(to_tensor(X_arr, layer.dtype)), to_tensor(y_arr, layer.dtype))
    grads = paddle.grad(loss, list(weights.values()))
    return {name: as_float64(g) for name, g in zip(weights, grads, strict=True)}
