# mypy: disallow-subclassing-any=False
# (Without paddle installed, mypy sees ``paddle.nn.Layer`` as Any; subclassing it is the point.)
"""The house-price models as Paddle layers, and their loss (homework 1-6).

:class:`Regressor` (``paddle.nn.Linear(13, 1)``) and :class:`TwoLayerRegressor`
(13 → hidden → 1) are the models of :mod:`dlhomework.models` written the way Paddle's
tutorials write them; :func:`mse` is the loss they train on.  Each names its weights as
its NumPy counterpart does (``named_weights``), gives back that model's settings
(``config``) and is built from both (``from_params``): all that the bridge, the trainer
and model files need of a Paddle model (:class:`PaddleModel`).

Paddle's global default dtype (float32) is never changed here: float64 layers are
asked for explicitly (``dtype="float64"``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, Protocol, Self, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from .._validation import RngLike, as_rng, check_int
from ._paddle import paddle

__all__ = ["ACTIVATIONS", "DTYPES", "PaddleModel", "Regressor", "TwoLayerRegressor", "mse"]

DType = Literal["float32", "float64"]

DTYPES: tuple[DType, ...] = ("float32", "float64")
"""Parameter dtypes a layer may have: Paddle's default float32, or float64 for checks."""

NP_DTYPES: dict[str, type[np.floating[Any]]] = {"float32": np.float32, "float64": np.float64}
"""The NumPy type of each of :data:`DTYPES`."""

ACTIVATIONS: dict[str, Any] = {
    "sigmoid": paddle.nn.Sigmoid,
    "tanh": paddle.nn.Tanh,
    "relu": paddle.nn.ReLU,
    "identity": paddle.nn.Identity,
}
"""Activation name → Paddle layer class; the names of :class:`~dlhomework.models.TwoLayerNet`."""


def check_dtype(dtype: object) -> DType:
    """``dtype`` if it is one of :data:`DTYPES`; ValueError naming it otherwise.

    Examples
    --------
    >>> check_dtype("float16")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: dtype must be one of (...), got 'float16'
    """
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
    return dtype


class PaddleModel(Protocol):
    """What :func:`from_numpy`, :func:`to_numpy`, :func:`predict`, :func:`gradients`,
    :func:`train`, :func:`save` and :func:`load` need of a Paddle model.

    A ``paddle.nn.Layer`` mapping inputs ``(n_samples, n_features)`` to predictions
    ``(n_samples, 1)``, whose class also has ``from_params(params, *, dtype, **config)``
    (the layer holding a NumPy model's ``params`` and ``config()``) and is paired with
    that NumPy model type by :func:`register_paddle_model`.

    Examples
    --------
    Both layers of this module are such models:

    >>> layer = Regressor(n_features=2, dtype="float64")
    >>> layer.n_features, layer.dtype, len(layer.parameters())
    (2, 'float64', 2)
    >>> tuple(layer(paddle.ones([3, 2], dtype="float64")).shape)
    (3, 1)
    """

    @property
    def n_features(self) -> int:
        """Number of inputs.

        Examples
        --------
        >>> TwoLayerRegressor(n_features=5, n_hidden=2).n_features
        5
        """
        ...

    @property
    def dtype(self) -> str:
        """One of :data:`DTYPES`: the dtype of every weight.

        Examples
        --------
        >>> layer = Regressor(n_features=2, dtype="float64")
        >>> layer.dtype, layer.fc.weight.numpy().dtype
        ('float64', dtype('float64'))
        """
        ...

    def __call__(self, inputs: paddle.Tensor) -> paddle.Tensor:
        """Predictions ``(n_samples, 1)`` for ``inputs`` ``(n_samples, n_features)``."""
        ...

    def parameters(self) -> list[paddle.Tensor]:
        """Paddle's list of trainable parameters (what the optimizer updates).

        Examples
        --------
        ``W1 (2, 3)``, ``b1 (3,)``, ``W2 (3, 1)``, ``b2 (1,)``:

        >>> net = TwoLayerRegressor(n_features=2, n_hidden=3)
        >>> [tuple(p.shape) for p in net.parameters()]
        [(2, 3), (3,), (3, 1), (1,)]
        """
        ...

    def train(self) -> object:
        """Switch to training mode.

        Examples
        --------
        >>> layer = Regressor(n_features=2)
        >>> _ = layer.eval()
        >>> _ = layer.train()
        >>> layer.training
        True
        """
        ...

    def eval(self) -> object:
        """Switch to evaluation mode.

        Examples
        --------
        A new layer is in training mode, as in Paddle:

        >>> layer = Regressor(n_features=2)
        >>> layer.training
        True
        >>> _ = layer.eval()
        >>> layer.training
        False
        """
        ...

    def named_weights(self) -> dict[str, paddle.Tensor]:
        """The layer's own parameters under the NumPy model's names (the keys of its ``params``).

        Examples
        --------
        >>> from dlhomework.models import TwoLayerNet
        >>> names = TwoLayerRegressor().named_weights()
        >>> sorted(names) == sorted(TwoLayerNet().params)
        True
        """
        ...

    def config(self) -> dict[str, Any]:
        """The NumPy model's ``config()``: its settings besides the sizes.

        Examples
        --------
        >>> from dlhomework.models import TwoLayerNet
        >>> net = TwoLayerRegressor(activation="tanh")
        >>> net.config() == TwoLayerNet(activation="tanh").config()
        True
        """
        ...


def _linear(
    n_in: int, n_out: int, dtype: DType, gen: np.random.Generator | None
) -> paddle.nn.Linear:
    """``paddle.nn.Linear(n_in, n_out)`` with parameters of ``dtype``.

    Given ``gen``, the weight is drawn from it with Paddle's default distribution,
    Xavier-uniform in ``±sqrt(6 / (n_in + n_out))``, and nothing is drawn from
    Paddle's global generator.
    """
    if gen is None:
        fc = paddle.nn.Linear(n_in, n_out)  # Paddle's default: Xavier-uniform weight, zero bias
    else:
        zero = paddle.ParamAttr(initializer=paddle.nn.initializer.Constant(0.0))
        fc = paddle.nn.Linear(n_in, n_out, weight_attr=zero)
    if dtype != "float32":
        fc.to(dtype=dtype)  # this layer only: Paddle's global default stays float32
    if gen is not None:
        limit = math.sqrt(6.0 / (n_in + n_out))
        fc.weight.set_value(gen.uniform(-limit, limit, (n_in, n_out)).astype(NP_DTYPES[dtype]))
    return fc


Layer = TypeVar("Layer", bound=PaddleModel)


def _filled(layer: Layer, params: Mapping[str, ArrayLike]) -> Layer:
    """``layer`` with each weight set to the array of the same name in ``params``."""
    for name, w in layer.named_weights().items():
        value = np.asarray(params[name], dtype=NP_DTYPES[layer.dtype]) if name in params else None
        if value is None or value.shape != tuple(w.shape):
            got = "nothing" if value is None else f"shape {value.shape}"
            raise ValueError(f"params[{name!r}] must have shape {tuple(w.shape)}, got {got}")
        w.set_value(value)
    return layer


class Regressor(paddle.nn.Layer):
    """The course's Paddle model: one fully connected layer, ``pred = X @ W + b``.

    Parameters
    ----------
    n_features : int, default 13
        Number of inputs (13 for the house-price data).
    dtype : {"float32", "float64"}, default "float32"
        dtype of the parameters.  float32 is Paddle's default; ask for float64 to
        compare gradients with the NumPy model to 1e-10.  Paddle's global default
        dtype is not touched.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights.  ``None``: Paddle's own initialization, drawn
        from Paddle's global generator, as in the course (reproducible only after
        ``paddle.seed``).  A Generator or a seed: the same distribution drawn from
        NumPy — weight uniform in ``±sqrt(6 / (fan_in + fan_out))`` (Xavier), bias
        zero — and Paddle's global generator is neither used nor advanced.  For the
        initial weights of a NumPy model, use :func:`from_numpy`.

    Attributes
    ----------
    fc : paddle.nn.Linear
        ``fc.weight`` of shape ``(n_features, 1)``, ``fc.bias`` of shape ``(1,)``.
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
    >>> # the same seed, the same weights
    >>> a, b = Regressor(rng=7), Regressor(rng=7)
    >>> bool(np.array_equal(a.fc.weight.numpy(), b.fc.weight.numpy()))
    True
    """

    def __init__(
        self,
        n_features: int = 13,
        *,
        dtype: str = "float32",
        rng: RngLike = None,
    ) -> None:
        super().__init__()
        self.n_features = check_int(n_features, "n_features", minimum=1)
        self.dtype = check_dtype(dtype)
        gen = None if rng is None else as_rng(rng)
        self.fc = _linear(self.n_features, 1, self.dtype, gen)

    def forward(self, inputs: paddle.Tensor) -> paddle.Tensor:
        """Predict ``inputs @ W + b``: ``(n_samples, n_features)`` → ``(n_samples, 1)``.

        Examples
        --------
        With ``W = [[1], [2]]`` and ``b = [0.5]``, ``[1, 1]`` gives
        ``1 + 2 + 0.5`` and ``[2, 0]`` gives ``2 + 0.5``; calling the layer
        runs ``forward``:

        >>> layer = Regressor.from_params({"W": [[1.0], [2.0]], "b": [0.5]})
        >>> x = paddle.to_tensor([[1.0, 1.0], [2.0, 0.0]])
        >>> layer(x).numpy().tolist()
        [[3.5], [2.5]]
        """
        x: paddle.Tensor = self.fc(inputs)
        return x

    def named_weights(self) -> dict[str, paddle.Tensor]:
        """The parameters under the NumPy model's names: ``{"W": fc.weight, "b": fc.bias}``.

        Examples
        --------
        >>> weights = Regressor(n_features=3).named_weights()
        >>> {k: tuple(v.shape) for k, v in weights.items()}
        {'W': (3, 1), 'b': (1,)}
        """
        return {"W": self.fc.weight, "b": self.fc.bias}

    def config(self) -> dict[str, Any]:
        """``{}``: :class:`~dlhomework.models.LinearRegression` has no settings but its size.

        Examples
        --------
        >>> Regressor(n_features=3).config()
        {}
        """
        return {}

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike], *, dtype: str = "float32") -> Self:
        """The layer holding a :class:`~dlhomework.models.LinearRegression`'s ``params``.

        Parameters
        ----------
        params : mapping
            ``W`` of shape ``(n_features, 1)``, ``b`` of shape ``(1,)``.
        dtype : {"float32", "float64"}, default "float32"
            The arrays are cast to it.

        Examples
        --------
        >>> params = {"W": [[1.0], [2.0]], "b": [0.5]}
        >>> layer = Regressor.from_params(params, dtype="float64")
        >>> layer.n_features, layer.dtype, layer.fc.bias.numpy().tolist()
        (2, 'float64', [0.5])
        """
        # rng=0: building the layer draws nothing from Paddle's global generator
        return _filled(cls(np.shape(params["W"])[0], dtype=dtype, rng=0), params)

    def architecture(self) -> dict[str, Any]:
        """The layer's kind, size and dtype.

        Examples
        --------
        >>> Regressor().architecture()
        {'model': 'linear', 'n_features': 13, 'dtype': 'float32'}
        """
        return {"model": "linear", "n_features": self.n_features, "dtype": self.dtype}


def _check_activation(activation: object) -> str:
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, got {activation!r}"
        )
    return activation


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
        Source of the initial weights, as in :class:`Regressor` (``None``: Paddle's
        global generator; otherwise Xavier-uniform ``W1`` and ``W2`` from NumPy,
        zero biases).

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
    >>> net = TwoLayerRegressor(n_features=5, n_hidden=7,
    ...                         activation="tanh")
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
        self.dtype = check_dtype(dtype)
        gen = None if rng is None else as_rng(rng)
        self.fc1 = _linear(self.n_features, self.n_hidden, self.dtype, gen)
        self.act = ACTIVATIONS[self.activation]()
        self.fc2 = _linear(self.n_hidden, 1, self.dtype, gen)

    def forward(self, inputs: paddle.Tensor) -> paddle.Tensor:
        """Predict ``act(inputs @ W1 + b1) @ W2 + b2``: ``(n, D)`` → ``(n, 1)``.

        Examples
        --------
        With all-ones ``W1`` ``(2, 3)`` and ``W2`` ``(3, 1)``, zero biases
        and ReLU, ``[1, 2]`` makes three hidden units of ``3``, so
        ``3 + 3 + 3 = 9``; ``[1, -2]`` makes three of ``-1``, which ReLU
        turns to ``0``:

        >>> params = {"W1": np.ones((2, 3)), "b1": np.zeros(3),
        ...           "W2": np.ones((3, 1)), "b2": [0.0]}
        >>> net = TwoLayerRegressor.from_params(params, activation="relu")
        >>> net(paddle.to_tensor([[1.0, 2.0], [1.0, -2.0]])).numpy().tolist()
        [[9.0], [0.0]]
        """
        hidden = self.act(self.fc1(inputs))
        x: paddle.Tensor = self.fc2(hidden)
        return x

    def named_weights(self) -> dict[str, paddle.Tensor]:
        """The parameters under the NumPy model's names ``W1``, ``b1``, ``W2``, ``b2``.

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

    def config(self) -> dict[str, Any]:
        """``{"activation": ...}``, as :meth:`dlhomework.models.TwoLayerNet.config`.

        Examples
        --------
        >>> TwoLayerRegressor(n_hidden=4, activation="relu").config()
        {'activation': 'relu'}
        """
        return {"activation": self.activation}

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, ArrayLike],
        *,
        dtype: str = "float32",
        activation: str = "sigmoid",
    ) -> Self:
        """The layer holding a :class:`~dlhomework.models.TwoLayerNet`'s ``params``.

        Parameters
        ----------
        params : mapping
            ``W1`` ``(D, H)``, ``b1`` ``(H,)``, ``W2`` ``(H, 1)``, ``b2`` ``(1,)``.
        dtype : {"float32", "float64"}, default "float32"
            The arrays are cast to it.
        activation : str, default "sigmoid"

        Examples
        --------
        >>> params = {"W1": np.ones((2, 3)), "b1": np.zeros(3),
        ...           "W2": np.ones((3, 1)), "b2": [0.0]}
        >>> net = TwoLayerRegressor.from_params(params, activation="relu")
        >>> net.n_features, net.n_hidden, net.activation
        (2, 3, 'relu')
        >>> net.fc2.weight.numpy().tolist()
        [[1.0], [1.0], [1.0]]
        """
        n_features, n_hidden = np.shape(params["W1"])
        layer = cls(n_features, n_hidden, activation, dtype=dtype, rng=0)  # rng=0: see Regressor
        return _filled(layer, params)

    def architecture(self) -> dict[str, Any]:
        """The layer's kind, sizes, activation and dtype.

        Examples
        --------
        >>> net = TwoLayerRegressor(n_hidden=4, activation="relu")
        >>> net.architecture()["activation"]
        'relu'
        """
        return {
            "model": "two-layer",
            "n_features": self.n_features,
            "n_hidden": self.n_hidden,
            "activation": self.activation,
            "dtype": self.dtype,
        }


def mse(prediction: paddle.Tensor, target: paddle.Tensor) -> paddle.Tensor:
    """The mean squared error ``mean((prediction - target) ** 2)`` (not ½·MSE), differentiable.

    The loss of :func:`train` and :func:`gradients`, the same as
    :meth:`dlhomework.models.Regressor.loss`.

    Parameters
    ----------
    prediction, target : paddle.Tensor of shape (n_samples, 1)

    Returns
    -------
    paddle.Tensor
        A 0-D tensor.

    Examples
    --------
    ``((2 - 2) ** 2 + (4 - 5) ** 2) / 2 = 0.5``:

    >>> pred = paddle.to_tensor([[2.0], [4.0]])
    >>> float(mse(pred, paddle.to_tensor([[2.0], [5.0]])))
    0.5
    """
    loss: paddle.Tensor = paddle.nn.functional.mse_loss(prediction, target)
    return loss
