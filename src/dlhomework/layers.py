"""Layers as forward/backward pairs: each forward returns ``(out, cache)``, its backward
turns the upstream gradient and that cache into the gradients of the inputs.

The models of :mod:`dlhomework.models` are composed from these three layers, so each
forward pass is written once and the backward pass reads as the forward pass reversed
(homework 1-4 derives it).  Shapes: ``N`` samples, ``D`` inputs, ``M`` outputs.

These functions do no input checks: the models check their inputs once, at their
public methods, and then call these in their inner loops.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS

__all__ = [
    "activation_backward",
    "activation_forward",
    "affine_backward",
    "affine_forward",
    "mse_backward",
    "mse_forward",
]

Array = NDArray[np.float64]
AffineCache = tuple[Array, Array]  # (x, W): what affine_backward needs
ActCache = tuple[Array, str]  # (z, name): what activation_backward needs


def affine_forward(
    x: Array,
    W: Array,
    b: Array,
) -> tuple[Array, AffineCache]:
    """``out = x @ W + b``.

    Parameters
    ----------
    x : ndarray of shape (N, D)
    W : ndarray of shape (D, M)
    b : ndarray of shape (M,)

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple
        ``(x, W)``, for :func:`affine_backward`.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0]])
    >>> W, b = np.array([[1.0], [10.0]]), np.array([0.5])
    >>> out, _ = affine_forward(x, W, b)
    >>> out.tolist()
    [[21.5]]
    """
    return x @ W + b, (x, W)


def affine_backward(
    dout: Array,
    cache: AffineCache,
) -> tuple[Array, Array, Array]:
    """Gradients of ``x @ W + b`` given ``dout`` = d(loss)/d(out).

    Parameters
    ----------
    dout : ndarray of shape (N, M)
    cache : tuple
        From :func:`affine_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
        ``dout @ W.T``
    dW : ndarray of shape (D, M)
        ``x.T @ dout``
    db : ndarray of shape (M,)
        ``dout`` summed over the samples.

    Examples
    --------
    >>> x, W = np.array([[1.0, 2.0]]), np.array([[1.0], [10.0]])
    >>> dx, dW, db = affine_backward(np.array([[1.0]]), (x, W))
    >>> dx.tolist(), dW.tolist(), db.tolist()
    ([[1.0, 10.0]], [[1.0], [2.0]], [1.0])
    """
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def activation_forward(z: Array, name: str) -> tuple[Array, ActCache]:
    """``a = act(z)`` elementwise, for an activation of :data:`~dlhomework.activations.ACTIVATIONS`.

    Parameters
    ----------
    z : ndarray of shape (N, H)
    name : {"sigmoid", "tanh", "relu", "identity"}

    Returns
    -------
    a : ndarray of shape (N, H)
    cache : tuple
        ``(z, name)``, for :func:`activation_backward`.

    Examples
    --------
    >>> a, _ = activation_forward(np.array([[-1.0, 2.0]]), "relu")
    >>> a.tolist()
    [[0.0, 2.0]]
    """
    act, _ = ACTIVATIONS[name]
    return act(z), (z, name)


def activation_backward(da: Array, cache: ActCache) -> Array:
    """``dz = da * act'(z)``: the chain rule through an elementwise activation.

    Parameters
    ----------
    da : ndarray of shape (N, H)
    cache : tuple
        From :func:`activation_forward`.

    Returns
    -------
    dz : ndarray of shape (N, H)

    Examples
    --------
    >>> da, z = np.array([[5.0, 5.0]]), np.array([[-1.0, 2.0]])
    >>> dz = activation_backward(da, (z, "relu"))
    >>> dz.tolist()
    [[0.0, 5.0]]
    """
    z, name = cache
    _, act_grad = ACTIVATIONS[name]
    dz: Array = da * act_grad(z)
    return dz


def mse_forward(pred: Array, y: Array) -> tuple[float, Array]:
    """The mean squared error ``mean((pred - y) ** 2)`` (not ½·MSE).

    Parameters
    ----------
    pred, y : ndarray of shape (N, 1)

    Returns
    -------
    loss : float
    cache : ndarray of shape (N, 1)
        ``pred - y``, for :func:`mse_backward`.

    Examples
    --------
    >>> pred, y = np.array([[2.0], [4.0]]), np.array([[2.0], [5.0]])
    >>> loss, _ = mse_forward(pred, y)
    >>> loss
    0.5
    """
    diff = pred - y
    return float(np.mean(diff**2)), diff


def mse_backward(cache: Array) -> Array:
    """d(MSE)/d(pred) ``= 2 (pred - y) / N``, shape ``(N, 1)``.

    The course's ``(z - y)`` (with ``np.mean`` over the samples later) is the
    gradient of ½·MSE, half of this one: homework 1-3 says why that only rescales
    the learning rate.

    Examples
    --------
    >>> mse_backward(np.array([[0.0], [-1.0]])).tolist()
    [[0.0], [-1.0]]
    """
    dpred: Array = 2.0 * cache / cache.shape[0]
    return dpred
