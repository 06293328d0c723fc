"""Linear regression (homework 1-1 to 1-3): :class:`LinearRegression`, trained by
gradient descent, and :func:`least_squares`, its closed-form optimum."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    RngLike,
    as_float_array,
    as_rng,
    check_int,
    check_targets,
)
from ..layers import (
    affine_backward,
    affine_forward,
    mse_backward,
    mse_forward,
)
from ..model_files import register_model
from .base import Array, Params, Regressor, _first_weight


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
