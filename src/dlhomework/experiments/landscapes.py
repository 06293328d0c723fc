"""Homework 1-2 (and 1-1): why a gradient can be close to 0 away from a minimum.

- :func:`saddle` and :func:`gradient_descent_path`: a zero gradient at a saddle
  point, and plain gradient descent that stops there (homework 1-1 runs the same
  descent on Newton's loss);
- :class:`Saturation` and :func:`saturation_sweep`: a sigmoid layer that
  saturates, so its gradients vanish while the loss stays high.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_int, check_positive_float
from ..activations import ACTIVATIONS
from ..models import Regressor

__all__ = ["Saturation", "gradient_descent_path", "saddle", "saturation_sweep"]


def saddle(
    points: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The saddle ``f(x, y) = x**2 - y**2`` and its gradient ``(2x, -2y)``.

    At the origin the gradient is zero, yet it is no minimum: ``f`` decreases
    along ``y`` (the Hessian ``diag(2, -2)`` has a negative eigenvalue).

    Parameters
    ----------
    points : array_like of shape (..., 2)
        ``(x, y)`` pairs.

    Returns
    -------
    value : ndarray of shape (...), float64
    grad : ndarray of shape (..., 2), float64

    Raises
    ------
    ValueError
        The last axis does not have length 2, or NaN/inf.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> value, grad = saddle([0.0, 0.0])
    >>> float(value), grad.tolist()
    (0.0, [0.0, 0.0])
    >>> value, grad = saddle([[1.0, 0.0], [0.0, 1.0]])
    >>> value.tolist(), grad.tolist()
    ([1.0, -1.0], [[2.0, 0.0], [0.0, -2.0]])
    """
    p = as_float_array(points, "points")
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"points must have shape (..., 2), got {p.shape}")
    x, y = p[..., 0], p[..., 1]
    return x * x - y * y, np.stack([2.0 * x, -2.0 * y], axis=-1)


def gradient_descent_path(
    grad: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    start: ArrayLike,
    *,
    lr: float,
    n_steps: int,
) -> NDArray[np.float64]:
    """Plain gradient descent ``p <- p - lr * grad(p)``, returning every point visited.

    Parameters
    ----------
    grad : callable
        ``grad(p) -> ndarray`` of the same shape as ``p`` (shape ``(d,)``).
    start : array_like of shape (d,)
        Starting point.
    lr : float
        Step size, ``> 0``.
    n_steps : int
        Steps, ``>= 1``.

    Returns
    -------
    ndarray of shape (n_steps + 1, d), float64
        The start, then each iterate.

    Raises
    ------
    ValueError
        ``lr <= 0``, ``n_steps < 1``, ``start`` not 1-D, ``grad`` returned the
        wrong shape.
    FloatingPointError
        An iterate became NaN or infinite (diverged: use a smaller ``lr``).

    Notes
    -----
    Used in homework 1-2: started exactly on the saddle's ridge
    (``y = 0``) it stops at the saddle point; a perturbation of ``1e-6`` escapes.

    Examples
    --------
    On the saddle ``x**2 - y**2`` the gradient is ``(2x, -2y)``, so a
    step of 0.25 halves ``x``:

    >>> grad = lambda p: saddle(p)[1]
    >>> path = gradient_descent_path(grad, [1.0, 0.0], lr=0.25,
    ...                              n_steps=3)
    >>> path.tolist()
    [[1.0, 0.0], [0.5, 0.0], [0.25, 0.0], [0.125, 0.0]]
    """
    step = check_positive_float(lr, "lr")
    steps = check_int(n_steps, "n_steps", minimum=1)
    p = as_float_array(start, "start", ndim=1).copy()
    path = np.empty((steps + 1, p.size), dtype=np.float64)
    path[0] = p
    for k in range(1, steps + 1):
        g = np.asarray(grad(p.copy()), dtype=np.float64)
        if g.shape != p.shape:
            raise ValueError(f"grad returned shape {g.shape}, expected {p.shape}")
        p = p - step * g
        if not np.all(np.isfinite(p)):
            raise FloatingPointError(
                f"gradient descent diverged at step {k} (lr={step!r}): use a smaller lr"
            )
        path[k] = p
    return path


@dataclass
class Saturation:
    """Gradients of a sigmoid network as its first layer is scaled up (:func:`saturation_sweep`).

    Attributes
    ----------
    scales : ndarray of shape (s,)
        Factors applied to ``W1`` and ``b1``.
    mean_abs_z : ndarray of shape (s,)
        Mean ``|z1|`` over samples and hidden units (``z1 = X @ W1 + b1``).
    saturated_fraction : ndarray of shape (s,)
        Fraction of the hidden units' values (over samples and units) where the
        activation's derivative is below 0.01 (for the sigmoid: ``|z1| > 4.6``).
    losses : ndarray of shape (s,)
        MSE on the data.
    grad_norms : dict of str to ndarray of shape (s,)
        Euclidean norm of each parameter block's gradient.

    Examples
    --------
    Two scales; at the second, half the hidden values are saturated and
    ``W1``'s gradient norm is ``0.5 / 0.125 = 4`` times smaller:

    >>> sat = Saturation(np.array([1.0, 8.0]), np.array([0.5, 4.0]),
    ...                  np.array([0.0, 0.5]), np.array([1.0, 1.0]),
    ...                  {"W1": np.array([0.5, 0.125])})
    >>> sat.scales[sat.saturated_fraction >= 0.5].tolist()
    [8.0]
    >>> float(sat.grad_norms["W1"][0] / sat.grad_norms["W1"][1])
    4.0
    """

    scales: NDArray[np.float64]
    mean_abs_z: NDArray[np.float64]
    saturated_fraction: NDArray[np.float64]
    losses: NDArray[np.float64]
    grad_norms: dict[str, NDArray[np.float64]] = field(default_factory=dict)


def _check_first_layer(model: Regressor) -> str:
    """The activation of ``model``'s hidden layer ``act(X @ W1 + b1)``; TypeError if none."""
    params = getattr(model, "params", None)
    activation = getattr(model, "activation", None)
    W1 = params.get("W1") if isinstance(params, dict) else None
    b1 = params.get("b1") if isinstance(params, dict) else None
    if (
        not isinstance(W1, np.ndarray)
        or not isinstance(b1, np.ndarray)
        or W1.ndim != 2
        or b1.shape != W1.shape[1:]
        or not isinstance(activation, str)
        or activation not in ACTIVATIONS
    ):
        raise TypeError(
            "model must have a hidden layer act(X @ W1 + b1): params 'W1' (D, H) and 'b1' "
            f"(H,) and an activation from ACTIVATIONS (as a TwoLayerNet), got {model!r}"
        )
    return activation


def saturation_sweep(model: Regressor, X: ArrayLike, y: ArrayLike, scales: ArrayLike) -> Saturation:
    """Scale a two-layer network's first layer and watch its gradients vanish.

    For each factor ``s``, a copy of ``model`` gets ``W1 * s`` and ``b1 * s``, so
    its pre-activations ``z1`` grow by ``s``.  A sigmoid (or tanh) hidden layer
    saturates, its derivative ``σ'(z1)`` goes to zero, and so do the gradients
    of ``W1`` and ``b1`` — while the loss stays high.

    Parameters
    ----------
    model : Regressor
        A network whose first layer is ``act(X @ W1 + b1)``: ``params["W1"]`` of
        shape (n_features, n_hidden), ``params["b1"]`` of shape (n_hidden,), and an
        ``activation`` named in :data:`~dlhomework.activations.ACTIVATIONS` (as
        :class:`~dlhomework.models.TwoLayerNet`); it is not modified.
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
    scales : array_like of shape (s,)
        Positive factors.

    Returns
    -------
    Saturation

    Raises
    ------
    TypeError
        ``model`` has no such first layer (e.g. a linear model).
    ValueError
        ``scales`` is empty, not 1-D or not positive; ``X`` not 2-D, ``y`` not
        ``(n_samples, 1)``, wrong feature count, or NaN/inf.

    Notes
    -----
    Used in homework 1-2.

    Examples
    --------
    >>> from dlhomework.models import TwoLayerNet
    >>> X = np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.5]])
    >>> y = np.array([[1.0], [0.0], [2.0]])
    >>> net = TwoLayerNet(2, 3, activation="sigmoid", rng=0)
    >>> sat = saturation_sweep(net, X, y, [1.0, 100.0])
    >>> [round(float(f), 2) for f in sat.saturated_fraction]
    [0.0, 0.89]
    >>> bool(sat.grad_norms["W1"][1] < 0.1 * sat.grad_norms["W1"][0])
    True
    """
    activation = _check_first_layer(model)
    s = as_float_array(scales, "scales", ndim=1)
    if np.any(s <= 0):
        raise ValueError(f"scales must be > 0, got {s.tolist()!r}")
    Xa = as_float_array(X, "X", ndim=2)
    _, act_grad = ACTIVATIONS[activation]
    mean_abs_z = np.empty(s.size)
    saturated = np.empty(s.size)
    losses = np.empty(s.size)
    norms: dict[str, NDArray[np.float64]] = {k: np.empty(s.size) for k in model.params}
    for i, factor in enumerate(s):
        net = model.copy()
        net.params["W1"] *= factor
        net.params["b1"] *= factor
        losses[i] = float(net.loss(Xa, y))  # validates X and y first
        z1 = Xa @ net.params["W1"] + net.params["b1"]
        mean_abs_z[i] = float(np.mean(np.abs(z1)))
        saturated[i] = float(np.mean(np.asarray(act_grad(z1)) < 0.01))
        for name, g in net.gradients(Xa, y).items():
            norms[name][i] = float(np.linalg.norm(g))
    return Saturation(s.copy(), mean_abs_z, saturated, losses, norms)
