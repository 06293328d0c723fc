"""The house-price models in NumPy: linear regression and a two-layer network.

Both are composed from the layers of :mod:`dlhomework.layers`, so each forward pass is
written once: :meth:`~Regressor.forward_backward` runs it, keeps the caches, and
walks back through them to the gradients.  Shapes follow ``paddle.nn.Linear``:
``X`` is ``(N, D)``, a weight ``(n_in, n_out)``, a bias 1-D ``(n_out,)``, targets
``(N, 1)``.

Inputs are checked once, at the public methods (:meth:`~Regressor.predict`,
:meth:`~Regressor.loss`, :meth:`~Regressor.gradients`); a trainer that checked its
data once calls :meth:`~Regressor.forward_backward` directly (:func:`dlhomework.training.sgd`).
A new model needs only the :class:`Model` protocol; subclassing :class:`Regressor`
gives it the checks for free.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    RngLike,
    as_float_array,
    as_rng,
    check_features,
    check_int,
    check_targets,
    describe,
)
from .activations import ACTIVATIONS
from .layers import (
    activation_backward,
    activation_forward,
    affine_backward,
    affine_forward,
    mse_backward,
    mse_forward,
)
from .model_files import register_model

__all__ = ["LinearRegression", "Model", "Regressor", "TwoLayerNet", "least_squares"]

Params = dict[str, NDArray[np.float64]]
Array = NDArray[np.float64]


class Model(Protocol):
    """What :func:`~dlhomework.training.sgd`, :func:`~dlhomework.gradcheck.check_gradients`,
    model files and the command line need of a model.

    Attributes
    ----------
    params : dict of str to ndarray
        The trainable arrays, updated in place by the optimizer.

    Examples
    --------
    :class:`LinearRegression` is a ``Model``; so is any class with
    these members.

    >>> model: Model = LinearRegression(n_features=1, rng=0)
    >>> model.params["W"][:] = 0.0
    >>> model.loss([[1.0]], [[3.0]])  # (0 - 3) ** 2
    9.0
    """

    params: Params

    def check_inputs(self, X: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
        """``X`` ``(N, D)`` and ``y`` ``(N, 1)`` as checked arrays; parameters checked too.

        Examples
        --------
        Shown on :class:`LinearRegression`: integer lists come back as
        float64 arrays.

        >>> model = LinearRegression(n_features=2, rng=0)
        >>> X, y = model.check_inputs([[1, 2]], [[3]])
        >>> X.dtype, X.shape, y.shape
        (dtype('float64'), (1, 2), (1, 1))
        """
        ...

    def forward_backward(self, X: Array, y: Array) -> tuple[float, Params]:
        """The MSE and its gradient (same keys and shapes as ``params``), inputs unchecked.

        Examples
        --------
        Shown on :class:`LinearRegression` with ``W = 1``, ``x = 2``,
        target 0: ``pred = 2``, ``dpred = 2 * 2``, ``dW = x * dpred = 8``,
        ``db = dpred = 4``.

        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 1.0
        >>> X, y = np.array([[2.0]]), np.zeros((1, 1))
        >>> loss, g = model.forward_backward(X, y)
        >>> loss, g["W"].tolist(), g["b"].tolist()
        (4.0, [[8.0]], [4.0])
        """
        ...

    def predict(self, X: ArrayLike) -> Array:
        """Predictions ``(N, 1)``.

        Examples
        --------
        Shown on :class:`LinearRegression` with ``W = 3``, ``b = 0``:

        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 3.0
        >>> model.predict([[1.0], [2.0]]).tolist()
        [[3.0], [6.0]]
        """
        ...

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean squared error on ``(X, y)``.

        Examples
        --------
        Shown on :class:`LinearRegression` predicting 0: errors 1 and 3.

        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 0.0
        >>> model.loss([[1.0], [1.0]], [[1.0], [3.0]])  # (1 + 9) / 2
        5.0
        """
        ...

    def gradients(self, X: ArrayLike, y: ArrayLike) -> Params:
        """Gradient of :meth:`loss` for every entry of ``params``.

        Examples
        --------
        Shown on :class:`LinearRegression`: the loss ``(2 W + b - 1) ** 2``
        at ``W = b = 0`` has ``d/dW = 2 * 2 * (-1) = -4`` and
        ``d/db = 2 * (-1) = -2``.

        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 0.0
        >>> g = model.gradients([[2.0]], [[1.0]])
        >>> g["W"].tolist(), g["b"].tolist()
        ([[-4.0]], [-2.0])
        """
        ...


class Regressor:
    """Base of the models: the checks, ``predict``, ``loss`` and ``gradients``.

    A subclass sets ``n_features`` and ``params`` and defines :meth:`param_shapes`,
    :meth:`forward` and :meth:`forward_backward` (no checks in those two).

    Examples
    --------
    :class:`LinearRegression` is a subclass; the checks it inherits
    refuse an ``X`` with the wrong number of features.

    >>> LinearRegression(n_features=2, rng=0).predict([[1.0]])
    Traceback (most recent call last):
    ...
    ValueError: X has 1 features (shape (1, 1)) but this ... n_features=2
    """

    n_features: int
    params: Params

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """The shape every entry of ``params`` must have.

        Examples
        --------
        Shown on :class:`LinearRegression`:

        >>> LinearRegression(n_features=3, rng=0).param_shapes()
        {'W': (3, 1), 'b': (1,)}
        """
        raise NotImplementedError  # pragma: no cover

    def forward(self, X: Array) -> Array:
        """Predictions ``(N, 1)`` for a checked ``X`` ``(N, D)``.

        Examples
        --------
        Shown on :class:`LinearRegression`: ``3 * 1 + 4 * 2 + 0 = 11``.

        >>> model = LinearRegression(n_features=2, rng=0)
        >>> model.params["W"][:] = [[1.0], [2.0]]
        >>> model.forward(np.array([[3.0, 4.0]])).tolist()
        [[11.0]]
        """
        raise NotImplementedError  # pragma: no cover

    def forward_backward(self, X: Array, y: Array) -> tuple[float, Params]:
        """MSE and its gradients for checked ``X`` ``(N, D)``, ``y`` ``(N, 1)``.

        Examples
        --------
        Shown on :class:`LinearRegression` predicting 0 for ``x = 3``,
        target 1: loss ``(0 - 1) ** 2 = 1``, ``dpred = 2 * (0 - 1) = -2``,
        ``dW = 3 * dpred``.

        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 0.0
        >>> X, y = np.array([[3.0]]), np.ones((1, 1))
        >>> loss, g = model.forward_backward(X, y)
        >>> loss, g["W"].tolist(), g["b"].tolist()
        (1.0, [[-6.0]], [-2.0])
        """
        raise NotImplementedError  # pragma: no cover

    def config(self) -> dict[str, Any]:
        """Settings besides the sizes, as keyword arguments of ``from_params`` (for model files).

        Examples
        --------
        A linear model has none; :meth:`TwoLayerNet.config` adds its
        activation.

        >>> LinearRegression(n_features=2, rng=0).config()
        {}
        """
        return {}

    def check_params(self) -> None:
        """Raise ValueError unless ``params`` holds exactly the finite float arrays the model needs.

        A parameter replaced by an array of the wrong shape would otherwise
        broadcast into a wrong answer; one holding NaN/inf into a NaN loss.

        Raises
        ------
        ValueError
            A missing or extra key, a non-float array, a wrong shape, NaN or inf.

        Examples
        --------
        >>> model = LinearRegression(n_features=3, rng=0)
        >>> model.params["W"] = np.ones(3)
        >>> model.check_params()
        Traceback (most recent call last):
        ...
        ValueError: params['W'] of ... must be ... (3, 1), got shape (3,)
        """
        expected = self.param_shapes()
        params = self.params
        if not isinstance(params, dict) or params.keys() != expected.keys():
            keys = sorted(params) if isinstance(params, dict) else type(params).__name__
            raise ValueError(
                f"params of {self!r} must have the keys {sorted(expected)}, got {keys}"
            )
        for name, shape in expected.items():
            p = params[name]
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or p.shape != shape:
                got = (
                    f"shape {p.shape}" + (f", dtype {p.dtype}" if p.dtype.kind != "f" else "")
                    if isinstance(p, np.ndarray)
                    else type(p).__name__
                )
                raise ValueError(
                    f"params[{name!r}] of {self!r} must be a float array of shape {shape}, "
                    f"got {got}"
                )
            if not np.isfinite(p).all():
                raise ValueError(f"params[{name!r}] of {self!r} holds NaN or inf")

    def check_inputs(self, X: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
        """Check the parameters, ``X`` ``(N, n_features)`` and ``y`` ``(N, 1)``; return the arrays.

        Raises
        ------
        ValueError
            As :meth:`check_params`; ``X`` not 2-D or with the wrong feature count,
            ``y`` not ``(N, 1)``, length mismatch, empty input, NaN/inf.

        Examples
        --------
        >>> LinearRegression(n_features=2, rng=0).check_inputs([[1, 2]], [3])
        Traceback (most recent call last):
        ...
        ValueError: y must have shape (n_samples, 1), got shape (1,) ...
        """
        self.check_params()
        X_arr = check_features(X, self.n_features, type(self).__name__)
        return X_arr, check_targets(y, X_arr.shape[0])

    def predict(self, X: ArrayLike) -> Array:
        """Predictions for ``X``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Inputs, finite.

        Returns
        -------
        ndarray of shape (n_samples, 1), float64

        Raises
        ------
        ValueError
            Bad ``X`` or parameters (see :meth:`check_inputs`).
        FloatingPointError
            Finite weights and inputs whose prediction overflows float64.

        Examples
        --------
        >>> model = LinearRegression(n_features=2, rng=0)
        >>> model.params["W"][:] = [[1.0], [10.0]]
        >>> model.params["b"][:] = 0.5
        >>> model.predict([[1.0, 2.0]]).tolist()
        [[21.5]]
        """
        self.check_params()
        X_arr = check_features(X, self.n_features, type(self).__name__)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # reported below
            pred = self.forward(X_arr)
        if not np.isfinite(pred).all():
            raise FloatingPointError(
                f"the prediction of {self!r} overflowed to {float(pred[~np.isfinite(pred)][0])}: "
                "its weights or inputs are too large"
            )
        return pred

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean squared error ``mean((predict(X) - y) ** 2)`` (not ½·MSE).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples, 1)
            A 1-D ``(n_samples,)`` ``y`` is refused: ``(n,) - (n, 1)`` is ``(n, n)``.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            See :meth:`check_inputs`.

        Examples
        --------
        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 2.0
        >>> model.loss([[1.0], [2.0]], [[2.0], [5.0]])  # errors 0 and -1
        0.5
        """
        X_arr, y_arr = self.check_inputs(X, y)
        with np.errstate(under="ignore"):  # e.g. a saturated sigmoid: 0 is correctly rounded
            loss, _ = mse_forward(self.forward(X_arr), y_arr)
        return loss

    def gradients(self, X: ArrayLike, y: ArrayLike) -> Params:
        """The exact gradient of :meth:`loss` for every parameter (same keys and shapes).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples, 1)

        Returns
        -------
        dict of str to ndarray

        Raises
        ------
        ValueError
            See :meth:`check_inputs`.

        Examples
        --------
        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 0.0
        >>> # errors -1 and -1: dW = 2 * (1 * -1 + 3 * -1) / 2, db = -2
        >>> g = model.gradients([[1.0], [3.0]], [[1.0], [1.0]])
        >>> g["W"].tolist(), g["b"].tolist()
        ([[-4.0]], [-2.0])
        """
        X_arr, y_arr = self.check_inputs(X, y)
        with np.errstate(under="ignore"):
            return self.forward_backward(X_arr, y_arr)[1]

    def copy(self) -> Self:
        """An independent deep copy (same parameters, no shared arrays).

        Examples
        --------
        >>> a = LinearRegression(n_features=2, rng=0)
        >>> b = a.copy()
        >>> b.params["W"] += 1.0
        >>> bool(np.all(b.params["W"] == a.params["W"] + 1.0))
        True
        """
        return copy.deepcopy(self)

    def _set_params(self, params: Mapping[str, ArrayLike]) -> Self:
        """Replace ``params`` by float64 copies of ``params`` (ints and floats) after checking
        them; return self.  Other dtypes (bool, str, object) are left for
        :meth:`check_params` to refuse."""
        saved = self.params
        arrays = {k: np.asarray(v) for k, v in params.items()}
        self.params = {
            k: np.array(a, dtype=np.float64) if a.dtype.kind in "iuf" else a
            for k, a in arrays.items()
        }
        try:
            self.check_params()
        except ValueError:
            self.params = saved
            raise
        return self


def _first_weight(params: Any, cls: type, keys: list[str], layout: str) -> NDArray[Any]:
    """``params[keys[0]]`` as an array of the ``layout`` it must have (``"(D, 1)"``), after
    checking that ``params`` is a mapping with exactly ``keys``."""
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a mapping of parameter names to arrays (a dict), got "
            f"{describe(params)} ({type(params).__name__})"
        )
    missing = [k for k in keys if k not in params]
    extra = sorted(str(k) for k in params if k not in keys)
    if missing or extra:
        what = "; ".join(
            f"{label} {', '.join(map(repr, names))}"
            for label, names in (("missing", missing), ("unexpected", extra))
            if names
        )
        raise ValueError(
            f"params of a {cls.__name__} must have the keys {sorted(keys)}, got "
            f"{sorted(map(str, params))}: {what}"
        )
    first = np.asarray(params[keys[0]])
    if first.ndim != 2:
        raise ValueError(
            f"params[{keys[0]!r}] must be a 2-D {layout} array, got shape {first.shape}"
        )
    return first


@register_model(short_name="linear")
class LinearRegression(Regressor):
    """The course's one-layer network: ``pred = X @ W + b``.

    Parameters
    ----------
    n_features : int, default 13
        Number of inputs (13 for the house-price data).
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights.

    Attributes
    ----------
    params : dict
        ``{"W": (n_features, 1), "b": (1,)}``, float64.  ``W`` starts standard
        normal, as the course's ``np.random.randn(num_of_weights, 1)``; ``b`` at 0.
    n_features : int

    Raises
    ------
    TypeError, ValueError
        ``n_features`` not an int ``>= 1``, or a bad ``rng``.

    See Also
    --------
    least_squares : the closed-form optimum of the same model.

    Notes
    -----
    Used in homework 1-1 to 1-3 (and as the baseline of 1-4 and 1-6).

    Examples
    --------
    >>> model = LinearRegression(n_features=3, rng=0)
    >>> {k: v.shape for k, v in model.params.items()}
    {'W': (3, 1), 'b': (1,)}
    """

    def __init__(self, n_features: int = 13, rng: RngLike = None) -> None:
        self.n_features = check_int(n_features, "n_features", minimum=1)
        gen = as_rng(rng)
        self.params: Params = {"W": gen.standard_normal((self.n_features, 1)), "b": np.zeros(1)}

    def __repr__(self) -> str:
        return f"LinearRegression(n_features={self.n_features})"

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """``{"W": (n_features, 1), "b": (1,)}``.

        Examples
        --------
        >>> LinearRegression(n_features=4, rng=0).param_shapes()
        {'W': (4, 1), 'b': (1,)}
        """
        return {"W": (self.n_features, 1), "b": (1,)}

    def forward(self, X: Array) -> Array:
        """``X @ W + b``, shape ``(N, 1)``, for a checked ``X`` (see :meth:`predict`).

        Examples
        --------
        With ``W = [[2], [-1]]`` and ``b = 0.5``:
        ``2 * 3 - 1 * 4 + 0.5 = 2.5``.

        >>> model = LinearRegression(n_features=2, rng=0)
        >>> model.params["W"][:] = [[2.0], [-1.0]]
        >>> model.params["b"][:] = 0.5
        >>> model.forward(np.array([[3.0, 4.0]])).tolist()
        [[2.5]]
        """
        pred, _ = affine_forward(X, self.params["W"], self.params["b"])
        return pred

    def forward_backward(self, X: Array, y: Array) -> tuple[float, Params]:
        """MSE and its gradients from one forward pass; ``X``, ``y`` are not checked here.

        ``dpred = 2 (pred - y) / N``, ``dW = X.T @ dpred``, ``db = sum(dpred)``.

        Examples
        --------
        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 0.0
        >>> X = np.array([[1.0], [3.0]])
        >>> loss, grads = model.forward_backward(X, np.ones((2, 1)))
        >>> loss, grads["W"].tolist(), grads["b"].tolist()
        (1.0, [[-4.0]], [-2.0])
        """
        pred, cache = affine_forward(X, self.params["W"], self.params["b"])
        loss, diff = mse_forward(pred, y)
        _, dW, db = affine_backward(mse_backward(diff), cache)
        return loss, {"W": dW, "b": db}

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike]) -> Self:
        """A model holding float64 copies of ``params``: ``W`` ``(D, 1)``, ``b`` ``(1,)``.

        Integer arrays are converted to float64, as float32 ones are.

        Raises
        ------
        TypeError
            ``params`` is not a mapping (a dict).
        ValueError
            A missing or unexpected key (the message names it), ``W`` not 2-D, or a
            parameter that does not fit (see :meth:`check_params`).

        Examples
        --------
        >>> params = {"W": [[1.0], [2.0]], "b": [0.5]}
        >>> LinearRegression.from_params(params).predict([[1.0, 1.0]])
        array([[3.5]])
        """
        W = _first_weight(params, cls, ["W", "b"], "(D, 1)")
        return cls(n_features=W.shape[0], rng=0)._set_params(params)


def least_squares(X: ArrayLike, y: ArrayLike) -> LinearRegression:
    """The closed-form least-squares optimum of :class:`LinearRegression`.

    Solves ``min ||[X, 1] @ [W; b] - y||²`` with ``numpy.linalg.lstsq`` (the
    minimum-norm solution when ``X`` is rank deficient): no optimizer can reach a
    lower *training* MSE with a linear model.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)

    Returns
    -------
    LinearRegression
        With ``n_features = X.shape[1]`` and the optimal ``W`` and ``b``.

    Raises
    ------
    ValueError
        ``X`` not 2-D, ``y`` not ``(n_samples, 1)``, length mismatch, empty, NaN/inf.

    Notes
    -----
    Used in homework 1-1 (RM → MEDV), 1-3 and 1-4 (the linear optimum).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> model = least_squares(X, 3.0 * X + 1.0)  # an exact line
    >>> W, b = model.params["W"], model.params["b"]
    >>> round(float(W[0, 0]), 10), round(float(b[0]), 10)
    (3.0, 1.0)
    """
    X_arr = as_float_array(X, "X", ndim=2)
    y_arr = check_targets(y, X_arr.shape[0])
    n, d = X_arr.shape
    # The bias as a column of ones: A is (N, D + 1), solution (D + 1, 1).
    A = np.hstack([X_arr, np.ones((n, 1))])
    solution = np.linalg.lstsq(A, y_arr, rcond=None)[0].astype(np.float64)
    W, b = solution[:d], solution[d]
    return LinearRegression.from_params({"W": W, "b": b})


@register_model(short_name="two-layer")
class TwoLayerNet(Regressor):
    """A network with one hidden layer: ``pred = act(X @ W1 + b1) @ W2 + b2``.

    The homework 1-4 challenge (图14: 13 inputs → 13 hidden units → 1 output), its
    backward pass written by hand in :meth:`backward`.

    Parameters
    ----------
    n_features : int, default 13
        Inputs ``D``.
    n_hidden : int, default 13
        Hidden units ``H``.
    activation : {"sigmoid", "tanh", "relu", "identity"}, default "sigmoid"
        From :data:`dlhomework.activations.ACTIVATIONS`.  ``"identity"`` makes the
        network a linear map, no better than :func:`least_squares`.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights.

    Attributes
    ----------
    params : dict
        ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``, float64.
        ``W1 ~ N(0, g / D)`` with gain ``g = 2`` for relu (He) and ``1`` otherwise
        (LeCun), ``W2 ~ N(0, 1 / H)``, biases 0.
    n_features, n_hidden : int
    activation : str

    Raises
    ------
    TypeError, ValueError
        A size not an int ``>= 1``, an unknown ``activation`` (the message lists
        the choices), or a bad ``rng``.

    Notes
    -----
    Used in homework 1-4.  Trains with :func:`dlhomework.training.sgd`.

    Examples
    --------
    >>> net = TwoLayerNet(n_features=5, n_hidden=7,
    ...                   activation="tanh", rng=0)
    >>> {k: v.shape for k, v in net.params.items()}
    {'W1': (5, 7), 'b1': (7,), 'W2': (7, 1), 'b2': (1,)}
    """

    def __init__(
        self,
        n_features: int = 13,
        n_hidden: int = 13,
        activation: str = "sigmoid",
        rng: RngLike = None,
    ) -> None:
        self.n_features = check_int(n_features, "n_features", minimum=1)
        self.n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, got {activation!r}"
            )
        self.activation = activation
        gen = as_rng(rng)
        D, H = self.n_features, self.n_hidden
        gain = 2.0 if activation == "relu" else 1.0
        self.params: Params = {
            "W1": gen.standard_normal((D, H)) * np.sqrt(gain / D),
            "b1": np.zeros(H),
            "W2": gen.standard_normal((H, 1)) * np.sqrt(1.0 / H),
            "b2": np.zeros(1),
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n_features={self.n_features}, n_hidden={self.n_hidden}, "
            f"activation={self.activation!r})"
        )

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``.

        Examples
        --------
        >>> TwoLayerNet(n_features=5, n_hidden=7, rng=0).param_shapes()
        {'W1': (5, 7), 'b1': (7,), 'W2': (7, 1), 'b2': (1,)}
        """
        D, H = self.n_features, self.n_hidden
        return {"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}

    def config(self) -> dict[str, Any]:
        """``{"activation": ...}``: what a model file stores besides the parameters.

        Examples
        --------
        >>> TwoLayerNet(n_features=2, n_hidden=3, activation="relu").config()
        {'activation': 'relu'}
        """
        return {"activation": self.activation}

    def check_params(self) -> None:
        """:meth:`Regressor.check_params`, and ``activation`` still a known name.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3, rng=0)
        >>> net.activation = "softmax"
        >>> net.check_params()
        Traceback (most recent call last):
        ...
        ValueError: activation must be one of ... got 'softmax'
        """
        if not isinstance(self.activation, str) or self.activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, "
                f"got {self.activation!r}"
            )
        super().check_params()

    def forward(self, X: Array) -> Array:
        """``act(X @ W1 + b1) @ W2 + b2``, shape ``(N, 1)``, for a checked ``X``.

        Examples
        --------
        With every weight 1 and relu, each of the 3 hidden units holds
        ``relu(x1 + x2)``: ``3 * 3 = 9`` for ``(1, 2)``, 0 for ``(-1, -2)``.

        >>> net = TwoLayerNet(n_features=2, n_hidden=3, activation="relu")
        >>> net.params["W1"][:] = 1.0
        >>> net.params["W2"][:] = 1.0
        >>> net.forward(np.array([[1.0, 2.0], [-1.0, -2.0]])).tolist()
        [[9.0], [0.0]]
        """
        return self._forward(X)[0]

    def _forward(self, X: Array) -> tuple[Array, tuple[Any, ...]]:
        p = self.params
        z1, fc1 = affine_forward(X, p["W1"], p["b1"])  # (N, H)
        a1, act = activation_forward(z1, self.activation)  # (N, H)
        pred, fc2 = affine_forward(a1, p["W2"], p["b2"])  # (N, 1)
        return pred, (fc1, act, fc2)

    def forward_backward(self, X: Array, y: Array) -> tuple[float, Params]:
        """MSE and its gradients from one forward pass; ``X``, ``y`` are not checked here.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3,
        ...                   activation="identity", rng=0)
        >>> X, y = np.array([[1.0, 2.0]]), np.array([[0.0]])
        >>> loss, grads = net.forward_backward(X, y)
        >>> {k: v.shape for k, v in grads.items()}
        {'W1': (2, 3), 'b1': (3,), 'W2': (3, 1), 'b2': (1,)}
        """
        pred, caches = self._forward(X)
        loss, diff = mse_forward(pred, y)
        return loss, self.backward(mse_backward(diff), caches)

    def backward(self, dpred: Array, caches: tuple[Any, ...]) -> Params:
        """Backpropagation by hand: from ``dpred`` ``(N, 1)`` back to every parameter.

        The forward pass in reverse, each gradient shaped like its parameter.
        ``dW1`` flows back *through* ``W2`` and the activation; ``db1`` is ``dz1``
        summed over the samples, not ``db2``.  Homework 1-4 derives each line.

        Parameters
        ----------
        dpred : ndarray of shape (N, 1)
            d(loss)/d(pred).
        caches : tuple
            From the forward pass.

        Returns
        -------
        dict
            ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3, rng=0)
        >>> grads = net.gradients([[1.0, 2.0]], [[0.0]])  # calls backward
        >>> grads["b1"].shape
        (3,)
        """
        fc1, act, fc2 = caches
        da1, dW2, db2 = affine_backward(dpred, fc2)  # (N, H) (H, 1) (1,)
        dz1 = activation_backward(da1, act)  # (N, H): da1 * act'(z1)
        _, dW1, db1 = affine_backward(dz1, fc1)  # (D, H) (H,)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike], activation: str = "sigmoid") -> Self:
        """A network holding float64 copies of ``params``; its sizes are ``W1``'s shape ``(D, H)``.

        Integer arrays are converted to float64, as float32 ones are.

        Raises
        ------
        TypeError
            ``params`` is not a mapping (a dict).
        ValueError
            A missing or unexpected key (the message names it), ``W1`` not 2-D, an
            unknown ``activation``, or a parameter that does not fit (see
            :meth:`check_params`).

        Examples
        --------
        >>> params = {"W1": np.ones((2, 3)), "b1": np.zeros(3),
        ...           "W2": np.ones((3, 1)), "b2": [0.0]}
        >>> net = TwoLayerNet.from_params(params, activation="relu")
        >>> net, net.predict([[1.0, 1.0]]).tolist()
        (TwoLayerNet(n_features=2, n_hidden=3, activation='relu'), [[6.0]])
        """
        W1 = _first_weight(params, cls, ["W1", "b1", "W2", "b2"], "(D, H)")
        # rng=0: the random start is replaced at once; its size is that of W1 itself
        return cls(W1.shape[0], W1.shape[1], activation, rng=0)._set_params(params)
