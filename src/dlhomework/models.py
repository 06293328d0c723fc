"""The house-price models in NumPy: linear regression and a two-layer network.

Both models follow one protocol (:class:`Model`), which is all that
:func:`dlhomework.training.sgd` and :func:`dlhomework.gradcheck.check_gradients`
use:

* ``params`` — a dict of float64 arrays, updated in place by the optimizer;
* ``predict(X)`` — ``(n_samples, 1)`` predictions;
* ``loss(X, y)`` — the mean squared error ``mean((predict(X) - y) ** 2)``, a float;
* ``gradients(X, y)`` — a dict with the same keys and shapes as ``params``:
  the exact gradient of *that* loss.

Shapes follow ``paddle.nn.Linear``: ``X`` is ``(n_samples, n_features)``, a
weight is ``(n_in, n_out)``, a bias is 1-D ``(n_out,)``, a layer computes
``X @ W + b``, and targets are ``(n_samples, 1)``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike, as_float_array, as_rng, check_int
from .activations import ACTIVATIONS, Activation
from .model_files import register_model

__all__ = ["LinearRegression", "Model", "TwoLayerNet", "least_squares"]

Params = dict[str, NDArray[np.float64]]


class Model(Protocol):
    """What a model must provide to be trained by ``sgd`` and checked by ``check_gradients``.

    Attributes
    ----------
    params : dict of str to ndarray (float64)
        The trainable arrays, updated in place by the optimizer.
    """

    params: Params

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean squared error on ``(X, y)``."""
        ...

    def gradients(self, X: ArrayLike, y: ArrayLike) -> Params:
        """Gradient of :meth:`loss` for every entry of ``params`` (same keys and shapes)."""
        ...


class _Regressor:
    """Shared validation, loss and copy of the two models (private)."""

    n_features: int
    params: Params

    def _forward(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Predictions for an already checked ``X`` (the model's math, no checks)."""
        raise NotImplementedError  # pragma: no cover

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """The shape every entry of ``params`` must have (from the model's sizes)."""
        raise NotImplementedError  # pragma: no cover

    def config(self) -> dict[str, Any]:
        """Settings besides the sizes, as keyword arguments of ``from_params`` (for model files)."""
        return {}

    def check_params(self) -> None:
        """Raise ValueError unless ``params`` holds exactly the finite float arrays the model needs.

        Called by :meth:`predict`, :meth:`loss` and :meth:`gradients`, so that a
        parameter replaced by an array of the wrong shape (which NumPy would
        broadcast into a wrong answer) or one holding NaN/inf is an error.

        Raises
        ------
        ValueError
            A missing or extra key, a non-float array, a wrong shape, NaN or inf;
            the message names the parameter and what it got.

        Examples
        --------
        >>> model = LinearRegression(n_features=3, rng=0)
        >>> model.params["W"] = np.ones(3)
        >>> model.check_params()
        Traceback (most recent call last):
        ...
        ValueError: params['W'] of LinearRegression(n_features=3) must be ... (3, 1), got shape (3,)
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

    def _set_params(self, params: Mapping[str, ArrayLike]) -> Self:
        """Replace ``params`` by float64 copies of ``params`` after checking them; return self."""
        saved = self.params
        self.params = {
            k: np.array(v, dtype=np.float64) if np.asarray(v).dtype.kind == "f" else np.asarray(v)
            for k, v in params.items()
        }
        try:
            self.check_params()
        except ValueError:
            self.params = saved
            raise
        return self

    def _check_X(self, X: ArrayLike) -> NDArray[np.float64]:
        self.check_params()
        return _check_features(X, self.n_features, type(self).__name__)

    def _check_Xy(
        self, X: ArrayLike, y: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        X_arr = self._check_X(X)
        y_arr = _check_targets(y, X_arr.shape[0])
        return X_arr, y_arr

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean squared error ``mean((predict(X) - y) ** 2)``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Inputs, finite.
        y : array_like of shape (n_samples, 1)
            Targets, finite; a 1-D ``(n_samples,)`` array is rejected, because
            ``(n,) - (n, 1)`` silently broadcasts to an ``(n, n)`` matrix.

        Returns
        -------
        float
            The MSE (not ½·MSE).

        Raises
        ------
        ValueError
            Wrong feature count, ``y`` not ``(n_samples, 1)``, X/y length
            mismatch, empty input, or NaN/inf.

        Examples
        --------
        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 2.0
        >>> model.loss([[1.0], [2.0]], [[2.0], [5.0]])  # errors 0 and -1
        0.5
        """
        X_arr, y_arr = self._check_Xy(X, y)
        error = self._forward(X_arr) - y_arr  # (N, 1)
        return float(np.mean(error**2))

    def copy(self) -> Self:
        """Return an independent deep copy (same parameters, no shared arrays).

        Useful to train several runs from identical initial weights.

        Returns
        -------
        model
            Same class and parameters; changing one never changes the other.

        Examples
        --------
        >>> a = LinearRegression(n_features=2, rng=0)
        >>> b = a.copy()
        >>> b.params["W"] += 1.0
        >>> bool(np.all(b.params["W"] == a.params["W"] + 1.0))
        True
        """
        return copy.deepcopy(self)


def _as_finite_float(x: ArrayLike, name: str, ndim: int | None = None) -> NDArray[np.float64]:
    """``as_float_array`` with a fast path for arrays that are already fine.

    SGD with batch size 1 calls the model thousands of times per second; this
    skips the general conversion for a non-empty finite float64 ndarray.
    """
    if (
        isinstance(x, np.ndarray)
        and x.dtype == np.float64
        and (ndim is None or x.ndim == ndim)
        and x.size
        and np.isfinite(x).all()
    ):
        return x
    return as_float_array(x, name, ndim=ndim)


def _finite(pred: NDArray[np.float64], model: object) -> NDArray[np.float64]:
    """``pred`` if finite; finite weights and inputs can still overflow float64."""
    if not np.isfinite(pred).all():
        raise FloatingPointError(
            f"the prediction of {model!r} overflowed to {float(pred[~np.isfinite(pred)][0])}: "
            "its weights or inputs are too large"
        )
    return pred


def _check_features(X: ArrayLike, n_features: int, owner: str) -> NDArray[np.float64]:
    """``X`` as a finite float64 ``(n_samples, n_features)`` array (also used by paddle_port)."""
    arr = _as_finite_float(X, "X", ndim=2)
    if arr.shape[1] != n_features:
        raise ValueError(
            f"X has {arr.shape[1]} features (shape {arr.shape}) but this "
            f"{owner} expects n_features={n_features}"
        )
    return arr


def _check_targets(y: ArrayLike, n_samples: int) -> NDArray[np.float64]:
    """``y`` as a finite float64 ``(n_samples, 1)`` array (also used by paddle_port)."""
    arr = _as_finite_float(y, "y")
    if arr.ndim != 2 or arr.shape[1] != 1:
        hint = " (reshape it with y.reshape(-1, 1))" if arr.ndim == 1 else ""
        raise ValueError(f"y must have shape (n_samples, 1), got shape {arr.shape}{hint}")
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"X and y must have the same number of samples, got X with {n_samples} "
            f"and y with {arr.shape[0]}"
        )
    return arr


@register_model
class LinearRegression(_Regressor):
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
        normal, as the course's ``np.random.randn(num_of_weights, 1)``; ``b``
        starts at 0.
    n_features : int

    Raises
    ------
    TypeError
        ``n_features`` is not an int, or ``rng`` is not a Generator/int/None.
    ValueError
        ``n_features < 1``.

    See Also
    --------
    least_squares : the closed-form optimum of the same model.
    TwoLayerNet : one hidden layer more.

    Notes
    -----
    Used in homework 1-1 to 1-3 (and as the baseline of 1-4 and 1-6).

    Examples
    --------
    >>> model = LinearRegression(n_features=3, rng=0)
    >>> {k: v.shape for k, v in model.params.items()}
    {'W': (3, 1), 'b': (1,)}
    >>> model.predict(np.zeros((4, 3))).tolist()  # b starts at 0
    [[0.0], [0.0], [0.0], [0.0]]
    """

    def __init__(self, n_features: int = 13, rng: RngLike = None) -> None:
        self.n_features = check_int(n_features, "n_features", minimum=1)
        gen = as_rng(rng)
        self.params: Params = {
            "W": gen.standard_normal((self.n_features, 1)),
            "b": np.zeros(1),
        }

    def __repr__(self) -> str:
        return f"LinearRegression(n_features={self.n_features})"

    loss = _Regressor.loss
    copy = _Regressor.copy
    check_params = _Regressor.check_params

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """``{"W": (n_features, 1), "b": (1,)}``."""
        return {"W": (self.n_features, 1), "b": (1,)}

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike]) -> Self:
        """A model holding copies of ``params``: ``W`` of shape ``(D, 1)``, ``b`` of shape ``(1,)``.

        Raises
        ------
        ValueError
            ``W`` missing or not 2-D, or any parameter that does not fit (see
            :meth:`check_params`).

        Examples
        --------
        >>> LinearRegression.from_params({"W": [[1.0], [2.0]], "b": [0.5]}).predict([[1.0, 1.0]])
        array([[3.5]])
        """
        W = np.asarray(params.get("W"))
        if W.ndim != 2:
            raise ValueError(f"params['W'] must be a 2-D (D, 1) array, got shape {W.shape}")
        return cls(n_features=W.shape[0], rng=0)._set_params(params)

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict ``X @ W + b``.

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
            ``X`` is not 2-D, is empty, holds NaN/inf, or has the wrong number
            of features.

        Examples
        --------
        >>> model = LinearRegression(n_features=2, rng=0)
        >>> model.params["W"][:] = [[1.0], [10.0]]
        >>> model.params["b"][:] = 0.5
        >>> model.predict([[1.0, 2.0]]).tolist()
        [[21.5]]
        """
        X_arr = self._check_X(X)
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, not warned
            pred = self._forward(X_arr)
        return _finite(pred, self)

    def _forward(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        return X @ self.params["W"] + self.params["b"]  # (N, 1)

    def gradients(self, X: ArrayLike, y: ArrayLike) -> Params:
        """Exact gradient of the MSE :meth:`loss` with respect to ``W`` and ``b``.

        With ``e = X @ W + b - y`` of shape ``(N, 1)``, the loss is
        ``mean(e ** 2)``, so ``dW = 2 / N * X.T @ e`` and ``db = 2 / N * sum(e)``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples, 1)

        Returns
        -------
        dict
            ``{"W": (n_features, 1), "b": (1,)}``, new float64 arrays.

        Raises
        ------
        ValueError
            As :meth:`loss`.

        Notes
        -----
        The course computes ``np.mean((z - y) * x, axis=0)``: the gradient of
        ½·MSE, half of this one, while it prints the MSE.  Both descend in the
        same direction; a learning rate ``lr`` with the course's gradient is
        ``lr / 2`` with this one.  Homework 1-3 says so.

        Examples
        --------
        >>> model = LinearRegression(n_features=1, rng=0)
        >>> model.params["W"][:] = 0.0
        >>> g = model.gradients([[1.0], [3.0]], [[1.0], [1.0]])  # e = [-1, -1]
        >>> g["W"].tolist(), g["b"].tolist()
        ([[-4.0]], [-2.0])
        """
        X, y = self._check_Xy(X, y)
        n = X.shape[0]
        W, b = self.params["W"], self.params["b"]
        pred = X @ W + b  # (N, 1)
        dpred = 2.0 * (pred - y) / n  # (N, 1)  dloss/dpred of mean((pred - y)**2)
        dW = X.T @ dpred  # (D, 1)
        db = dpred.sum(axis=0)  # (1,)
        return {"W": dW, "b": db}


def least_squares(X: ArrayLike, y: ArrayLike) -> LinearRegression:
    """The closed-form least-squares optimum of :class:`LinearRegression`.

    Solves ``min ||[X, 1] @ [W; b] - y||²`` with ``numpy.linalg.lstsq``
    (the minimum-norm solution when ``X`` is rank deficient).  No iterative
    optimizer can reach a lower *training* MSE with a linear model: it is the
    limit against which SGD is measured.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Training inputs, finite.
    y : array_like of shape (n_samples, 1)
        Training targets, finite.

    Returns
    -------
    LinearRegression
        A model with ``n_features = X.shape[1]`` holding the optimal ``W``
        and ``b``.

    Raises
    ------
    ValueError
        ``X`` not 2-D, ``y`` not ``(n_samples, 1)``, length mismatch, empty
        input, or NaN/inf.

    Notes
    -----
    Used in homework 1-1 (RM → MEDV), 1-3 and 1-4 (the linear optimum).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> model = least_squares(X, 3.0 * X + 1.0)  # an exact line
    >>> round(float(model.params["W"][0, 0]), 10), round(float(model.params["b"][0]), 10)
    (3.0, 1.0)
    """
    X_arr = _as_finite_float(X, "X", ndim=2)
    y_arr = _check_targets(y, X_arr.shape[0])
    n, d = X_arr.shape
    A = np.hstack([X_arr, np.ones((n, 1))])  # (N, D + 1): the bias as a column of ones
    solution = np.linalg.lstsq(A, y_arr, rcond=None)[0].astype(np.float64)  # (D + 1, 1)
    model = LinearRegression(n_features=d, rng=0)
    model.params = {"W": solution[:d].copy(), "b": solution[d].copy()}
    return model


@register_model
class TwoLayerNet(_Regressor):
    """A network with one hidden layer: ``pred = act(X @ W1 + b1) @ W2 + b2``.

    The homework 1-4 challenge (图14: 13 inputs → 13 hidden units → 1 output),
    with its backward pass written by hand in :meth:`gradients`.

    Parameters
    ----------
    n_features : int, default 13
        Number of inputs ``D``.
    n_hidden : int, default 13
        Number of hidden units ``H``.
    activation : {"sigmoid", "tanh", "relu", "identity"}, default "sigmoid"
        The hidden layer's nonlinearity, from
        :data:`dlhomework.activations.ACTIVATIONS`.  With ``"identity"`` the
        network is a linear map (``X @ (W1 @ W2) + ...``), no better than
        :func:`least_squares`.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights.

    Attributes
    ----------
    params : dict
        ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``, float64.
        ``W1 ~ N(0, g / D)`` with gain ``g = 2`` for relu (He) and ``1``
        otherwise (LeCun), ``W2 ~ N(0, 1 / H)``, biases 0.
    n_features, n_hidden : int
    activation : str
        The activation's name.

    Raises
    ------
    TypeError
        ``n_features``/``n_hidden`` are not ints, or ``rng`` is not a
        Generator/int/None.
    ValueError
        A size ``< 1``, or an unknown ``activation`` (the message lists the choices).

    Notes
    -----
    Used in homework 1-4.  Trains with :func:`dlhomework.training.sgd`.

    Examples
    --------
    >>> net = TwoLayerNet(n_features=5, n_hidden=7, activation="tanh", rng=0)
    >>> {k: v.shape for k, v in net.params.items()}
    {'W1': (5, 7), 'b1': (7,), 'W2': (7, 1), 'b2': (1,)}
    >>> net.predict(np.zeros((3, 5))).shape
    (3, 1)
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
            f"TwoLayerNet(n_features={self.n_features}, n_hidden={self.n_hidden}, "
            f"activation={self.activation!r})"
        )

    loss = _Regressor.loss
    copy = _Regressor.copy
    check_params = _Regressor.check_params

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``."""
        D, H = self.n_features, self.n_hidden
        return {"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}

    def config(self) -> dict[str, Any]:
        """``{"activation": ...}``: what a model file stores besides the parameters."""
        return {"activation": self.activation}

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike], activation: str = "sigmoid") -> Self:
        """A network holding copies of ``params``; its sizes are ``W1``'s shape ``(D, H)``.

        Raises
        ------
        ValueError
            ``W1`` missing or not 2-D, an unknown ``activation``, or any parameter
            that does not fit (see :meth:`check_params`).

        Examples
        --------
        >>> net = TwoLayerNet.from_params(
        ...     {"W1": np.ones((2, 3)), "b1": np.zeros(3), "W2": np.ones((3, 1)), "b2": [0.0]},
        ...     activation="relu")
        >>> net, net.predict([[1.0, 1.0]]).tolist()
        (TwoLayerNet(n_features=2, n_hidden=3, activation='relu'), [[6.0]])
        """
        W1 = np.asarray(params.get("W1"))
        if W1.ndim != 2:
            raise ValueError(f"params['W1'] must be a 2-D (D, H) array, got shape {W1.shape}")
        # rng=0: the random start is replaced at once; its size is that of W1 itself
        return cls(W1.shape[0], W1.shape[1], activation, rng=0)._set_params(params)

    def _activation(self) -> tuple[Activation, Activation]:
        try:
            return ACTIVATIONS[self.activation]
        except KeyError:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, "
                f"got {self.activation!r}"
            ) from None

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Forward pass: ``act(X @ W1 + b1) @ W2 + b2``.

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
            ``X`` is not 2-D, is empty, holds NaN/inf, or has the wrong number
            of features.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3, activation="relu", rng=0)
        >>> net.params["b2"][:] = 1.5
        >>> net.predict([[0.0, 0.0]]).tolist()  # relu(0) = 0, so only b2 is left
        [[1.5]]
        """
        X_arr = self._check_X(X)
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, not warned
            pred = self._forward(X_arr)
        return _finite(pred, self)

    def _forward(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        act, _ = self._activation()
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        z1 = X @ W1 + b1  # (N, H)
        a1 = np.asarray(act(z1), dtype=np.float64)  # (N, H)
        return a1 @ W2 + b2  # (N, 1)

    def gradients(self, X: ArrayLike, y: ArrayLike) -> Params:
        """Backpropagation by hand: the exact gradient of the MSE :meth:`loss`.

        Forward, keeping every intermediate (``N`` samples, ``D`` features,
        ``H`` hidden units)::

            z1   = X @ W1 + b1        (N, H)
            a1   = act(z1)            (N, H)
            pred = a1 @ W2 + b2       (N, 1)
            loss = mean((pred - y)²)  scalar

        Backward, in reverse order, each gradient named ``d<name>`` and shaped
        like ``<name>``::

            dpred = 2 (pred - y) / N  (N, 1)
            dW2   = a1.T @ dpred      (H, 1)
            db2   = sum_rows(dpred)   (1,)
            da1   = dpred @ W2.T      (N, H)
            dz1   = da1 * act'(z1)    (N, H)
            dW1   = X.T @ dz1         (D, H)
            db1   = sum_rows(dz1)     (H,)

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples, 1)

        Returns
        -------
        dict
            ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``, new
            float64 arrays.

        Raises
        ------
        ValueError
            As :meth:`loss`.

        Notes
        -----
        The gradient of ``W1`` flows back *through* ``W2`` and the activation
        (``da1``, ``dz1``); ``b1``'s gradient is ``dz1`` summed over samples,
        shape ``(H,)``, not ``db2``.  Homework 1-4 derives each line.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3, activation="identity", rng=0)
        >>> grads = net.gradients([[1.0, 2.0]], [[0.0]])
        >>> {k: v.shape for k, v in grads.items()}
        {'W1': (2, 3), 'b1': (3,), 'W2': (3, 1), 'b2': (1,)}
        """
        X, y = self._check_Xy(X, y)
        act, act_grad = self._activation()
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        n = X.shape[0]

        # forward
        z1 = X @ W1 + b1  # (N, H)
        a1 = np.asarray(act(z1), dtype=np.float64)  # (N, H)
        pred = a1 @ W2 + b2  # (N, 1)

        # backward
        dpred = 2.0 * (pred - y) / n  # (N, 1)
        dW2 = a1.T @ dpred  # (H, 1)
        db2 = dpred.sum(axis=0)  # (1,)
        da1 = dpred @ W2.T  # (N, H)
        dz1 = da1 * np.asarray(act_grad(z1), dtype=np.float64)  # (N, H)
        dW1 = X.T @ dz1  # (D, H)
        db1 = dz1.sum(axis=0)  # (H,)

        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
