"""Numerical gradient checks: is a hand-written backward pass right? (homework 1-3, 1-4)

The centered difference ``(f(x + h) - f(x - h)) / 2h`` approximates a
derivative with an error of order ``h²``; in float64 with ``h = 1e-5`` a
correct analytic gradient agrees with it to a *relative* error of about
``1e-7`` or better, while a wrong one (a missing factor 2, a gradient that
skips a layer) is off by ``1e-1`` or more.  The comparison uses the *maximum*
relative error over a parameter block: a mean would hide one wrong entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_float_array, check_positive_float
from .models import Model

__all__ = ["check_gradients", "numerical_gradient", "rel_error"]

_TINY = float(np.finfo(np.float64).tiny)


def numerical_gradient(
    f: Callable[[NDArray[np.floating]], float],
    x: NDArray[np.floating],
    h: float = 1e-5,
) -> NDArray[np.float64]:
    """Centered-difference gradient of a scalar function ``f`` at ``x``.

    Every entry ``x[i]`` in turn is nudged *in place* to ``x[i] + h`` and
    ``x[i] - h`` and ``f(x)`` is called with the array itself, so ``f`` may
    read ``x`` through any other reference (e.g. ``model.params["W"]``).
    Each nudged value is restored in a ``finally`` clause: even if ``f``
    raises, ``x`` is left exactly as it was.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; must return a finite real number.
    x : ndarray of float dtype, any shape
        The point; a float array (an int array would round every nudge away
        and give a zero gradient).  Use float64: in float32 the difference
        drowns in rounding error and correct gradients fail the check.
    h : float, default 1e-5
        Step, ``> 0``.

    Returns
    -------
    ndarray of the same shape as ``x``, float64
        ``(f(x + h e_i) - f(x - h e_i)) / (x_i⁺ - x_i⁻)`` for every index ``i``,
        where the denominator is the step actually taken after rounding.

    Raises
    ------
    TypeError
        ``x`` is not a NumPy array of a floating dtype, or ``h`` is not a real number.
    ValueError
        ``x`` is read-only, ``h <= 0``, or ``f`` returned NaN/inf (the message
        gives the index).

    Notes
    -----
    Used in homework 1-3 and 1-4, through :func:`check_gradients`.

    Examples
    --------
    >>> x = np.array([1.0, -2.0, 3.0])
    >>> grad = numerical_gradient(lambda v: float(np.sum(v**2)), x)  # exact: 2x
    >>> np.round(grad, 6).tolist()
    [2.0, -4.0, 6.0]
    >>> x.tolist()  # restored
    [1.0, -2.0, 3.0]
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"x must be a NumPy array of floats (it is nudged in place), got {type(x).__name__}"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"x must have a floating dtype, got {x.dtype}: nudging an integer array by "
            "h rounds back to the same value and gives a zero gradient"
        )
    if not x.flags.writeable:
        raise ValueError("x must be writeable: numerical_gradient nudges it in place")
    step = check_positive_float(h, "h")
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx].copy()
        try:
            x[idx] = old + step
            plus_x = x[idx].copy()
            f_plus = float(f(x))
            x[idx] = old - step
            minus_x = x[idx].copy()
            f_minus = float(f(x))
        finally:
            x[idx] = old
        if not (math.isfinite(f_plus) and math.isfinite(f_minus)):
            raise ValueError(
                f"f returned a non-finite value ({f_plus}, {f_minus}) "
                f"when x{list(idx)} was nudged by ±{step}"
            )
        grad[idx] = (f_plus - f_minus) / (float(plus_x) - float(minus_x))
    return grad


def rel_error(a: ArrayLike, b: ArrayLike) -> float:
    """Maximum relative error ``max(|a - b| / max(|a| + |b|, tiny))``.

    Parameters
    ----------
    a, b : array_like of the same shape
        Typically an analytic and a numerical gradient; finite.

    Returns
    -------
    float
        In ``[0, 1]``: ``0`` for identical arrays, ``1`` when an entry has the
        opposite sign or one side is zero.  Entries where both are exactly 0
        count as 0.  About ``1e-7`` or less means "agree" in float64.

    Raises
    ------
    ValueError
        Different shapes (no broadcasting: a ``(n,)`` against ``(n, 1)`` is
        exactly the bug to catch), empty arrays, or NaN/inf.
    TypeError
        Non-numeric input.

    Notes
    -----
    Used in homework 1-3, 1-4 and 1-6.

    Examples
    --------
    >>> rel_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(rel_error([1.0, 0.0], [1.1, 0.0]), 6)  # 0.1 / 2.1 (the 0s count as 0)
    0.047619
    >>> rel_error([[1.0]], [1.0])
    Traceback (most recent call last):
    ...
    ValueError: a and b must have the same shape, got (1, 1) and (1,)
    """
    a_arr = as_float_array(a, "a")
    b_arr = as_float_array(b, "b")
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"a and b must have the same shape, got {a_arr.shape} and {b_arr.shape}")
    # halved first, so that |a - b| and |a| + |b| cannot overflow for finite a, b
    a_half, b_half = 0.5 * a_arr, 0.5 * b_arr
    diff = np.abs(a_half - b_half)
    scale = np.maximum(np.abs(a_half) + np.abs(b_half), _TINY)
    return float(np.max(diff / scale))


def check_gradients(model: Model, X: ArrayLike, y: ArrayLike, h: float = 1e-5) -> dict[str, float]:
    """Compare ``model.gradients`` with numerical gradients of ``model.loss``.

    Parameters
    ----------
    model : Model
        Anything with ``params`` (dict of float arrays), ``loss`` and
        ``gradients``.  Its parameters are nudged in place one entry at a time
        and always restored.
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
        Data at which to check; use float64 and distinct sizes (e.g. N=3,
        D=5, H=7) so that a broadcasting bug cannot hide.
    h : float, default 1e-5
        Finite-difference step.

    Returns
    -------
    dict of str to float
        For every parameter block, :func:`rel_error` between the analytic
        and the numerical gradient.  Below ``1e-7`` means correct.

    Raises
    ------
    ValueError
        ``gradients`` returns other keys than ``params``, or a gradient whose
        shape differs from its parameter's (the message names the block) —
        a wrong gradient that cannot even be compared; or the data are
        invalid for the model.
    TypeError
        A parameter is not a float array.

    Notes
    -----
    Used in homework 1-3 (linear model), 1-4 (two-layer network and its
    common mistakes) and 1-6.

    Examples
    --------
    >>> from dlhomework.models import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(3, 5)), rng.normal(size=(3, 1))
    >>> errors = check_gradients(LinearRegression(n_features=5, rng=0), X, y)
    >>> sorted(errors), all(e < 1e-7 for e in errors.values())
    (['W', 'b'], True)
    """
    X_arr = as_float_array(X, "X")
    y_arr = as_float_array(y, "y")
    analytic = {k: np.array(v, dtype=np.float64) for k, v in model.gradients(X_arr, y_arr).items()}
    if set(analytic) != set(model.params):
        raise ValueError(
            f"model.gradients returned keys {sorted(analytic)} but model.params has "
            f"{sorted(model.params)}"
        )
    errors: dict[str, float] = {}
    for name, param in model.params.items():
        if analytic[name].shape != param.shape:
            raise ValueError(
                f"gradient {name!r} has shape {analytic[name].shape} but the parameter has "
                f"shape {param.shape}: the gradient is wrong"
            )
        numeric = numerical_gradient(lambda _p: model.loss(X_arr, y_arr), param, h)
        errors[name] = rel_error(analytic[name], numeric)
    return errors
