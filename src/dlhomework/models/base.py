"""What every model of :mod:`dlhomework.models` shares: the :class:`Model` protocol a
trainer relies on, and :class:`Regressor`, the base class that checks the inputs once at
its public methods and leaves the forward and backward passes to its subclasses."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import (
    check_features,
    check_targets,
    describe,
)
from ..layers import (
    mse_forward,
)

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

    >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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

    >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
        >>> LinearRegression(n_features=3, rng=0).param_shapes()
        {'W': (3, 1), 'b': (1,)}
        """
        raise NotImplementedError  # pragma: no cover

    def forward(self, X: Array) -> Array:
        """Predictions ``(N, 1)`` for a checked ``X`` ``(N, D)``.

        Examples
        --------
        Shown on :class:`LinearRegression`: ``3 * 1 + 4 * 2 + 0 = 11``.

        >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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

        >>> from dlhomework.models import LinearRegression
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
        >>> from dlhomework.models import LinearRegression
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
        >>> from dlhomework.models import LinearRegression
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
        >>> from dlhomework.models import LinearRegression
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
        >>> from dlhomework.models import LinearRegression
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
        >>> from dlhomework.models import LinearRegression
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
        >>> from dlhomework.models import LinearRegression
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
