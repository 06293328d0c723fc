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
import numbers
from collections.abc import Callable, Mapping

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
        The point: finite, writeable, float64 (float32 is accepted, but there the
        difference drowns in rounding error and correct gradients fail the check;
        float16 and integer arrays are refused).
    h : float, default 1e-5
        Step, ``> 0``; ``x[i] ± h`` must differ from ``x[i]`` after rounding.

    Returns
    -------
    ndarray of the same shape as ``x``, float64
        ``(f(x + h e_i) - f(x - h e_i)) / (x_i⁺ - x_i⁻)`` for every index ``i``,
        where the denominator is the step actually taken after rounding.

    Raises
    ------
    TypeError
        ``f`` is not callable or returns something that is not a real number;
        ``x`` is not a NumPy array of float32/float64 (or wider); ``h`` is not a
        real number.
    ValueError
        ``x`` is read-only or not finite; ``h <= 0``; ``x[i] ± h`` rounds back to
        ``x[i]`` (``h`` below the spacing of floats there, e.g. ``x = 1e20``) or
        overflows; ``f`` returned NaN/inf, or the quotient overflows (the message
        gives the index).  ``x`` is checked before ``f`` is first called.

    Notes
    -----
    Used in homework 1-3 and 1-4, through :func:`check_gradients`.

    Examples
    --------
    >>> x = np.array([1.0, -2.0, 3.0])
    >>> # the gradient of sum(x**2) is exactly 2x
    >>> grad = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    >>> np.round(grad, 6).tolist()
    [2.0, -4.0, 6.0]
    >>> x.tolist()  # restored
    [1.0, -2.0, 3.0]
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    _check_point(x, "x")
    return _centered_differences(f, x, check_positive_float(h, "h"), "x", "f")


def _check_point(x: object, name: str) -> None:
    """Refuse what cannot be nudged usefully: not an array, narrower than float32, read-only."""
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{name} must be a NumPy array of floats (it is nudged in place), "
            f"got {type(x).__name__}"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must have a floating dtype, got {x.dtype}: nudging an integer array by "
            "h rounds back to the same value and gives a zero gradient"
        )
    if x.dtype.itemsize < 4:
        raise TypeError(
            f"{name} must be float64 for a gradient check (float32 at the least), got "
            f"{x.dtype}: its few digits drown the difference f(x + h) - f(x - h); use float64"
        )
    if not x.flags.writeable:
        raise ValueError(f"{name} must be writeable: numerical_gradient nudges it in place")


def _centered_differences(
    f: Callable[[NDArray[np.floating]], float],
    x: NDArray[np.floating],
    step: float,
    x_name: str,
    f_name: str,
) -> NDArray[np.float64]:
    """The loop of :func:`numerical_gradient`; messages say ``x_name`` and ``f_name``."""
    with np.errstate(over="ignore", invalid="ignore"):
        plus, minus = x + step, x - step  # in x's precision: the values actually stored
        width = plus - minus
    ok = (minus < x) & (x < plus) & np.isfinite(width)  # False for NaN/inf x too
    if not np.all(ok):
        idx = tuple(int(i) for i in np.argwhere(~ok)[0])
        where, value = _entry(x_name, idx), float(x[idx])
        if not math.isfinite(value):
            at = f" at {where}" if idx else ""
            raise ValueError(f"{x_name} must be finite, got {value!r}{at}")
        if not np.isfinite(width[idx]):
            raise ValueError(f"{where} ± h overflows {x.dtype}: {where} = {value!r}, h = {step!r}")
        raise ValueError(
            f"h = {step!r} is too small for {where} = {value!r}: {where} ± h rounds back to "
            f"{value!r} in {x.dtype} (the spacing there is {float(np.spacing(x[idx]))!r}); "
            "use a larger h"
        )
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx].copy()
        try:
            x[idx] = plus[idx]
            f_plus = _real(f(x), f_name)
            x[idx] = minus[idx]
            f_minus = _real(f(x), f_name)
        finally:
            x[idx] = old
        if not (math.isfinite(f_plus) and math.isfinite(f_minus)):
            raise ValueError(
                f"{f_name} returned a non-finite value ({f_plus}, {f_minus}) "
                f"when {_entry(x_name, idx)} was nudged by ±{step}"
            )
        quotient = (f_plus - f_minus) / float(width[idx])  # width > 0: checked above
        if not math.isfinite(quotient):
            raise ValueError(
                f"the difference quotient at {_entry(x_name, idx)} overflows float64: "
                f"({f_plus!r} - {f_minus!r}) / {float(width[idx])!r}"
            )
        grad[idx] = quotient
    return grad


def _entry(name: str, idx: tuple[int, ...]) -> str:
    """``x[0, 1]`` for index (0, 1); just ``x`` for a 0-d array."""
    return f"{name}[{', '.join(map(str, idx))}]" if idx else name


def _real(value: object, f_name: str) -> float:
    """``float(value)``, or a TypeError saying that ``f_name`` must return a real number."""
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biuf":
        return float(value)
    raise TypeError(f"{f_name} must return a real number, got {value!r} ({type(value).__name__})")


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
    >>> # 0.1 / 2.1 (the 0s count as 0)
    >>> round(rel_error([1.0, 0.0], [1.1, 0.0]), 6)
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
    TypeError
        ``model`` lacks ``params``, ``loss`` or ``gradients`` (the message says
        which); a parameter is not a writeable float64 (or float32) array;
        ``gradients`` returns no dict or a non-numeric gradient.
    ValueError
        ``gradients`` returns other keys than ``params``, or a gradient whose
        shape differs from its parameter's or that is not finite (the message
        names the block) — a wrong gradient that cannot even be compared; the
        data are invalid for the model; or, as in :func:`numerical_gradient`,
        ``h`` is invalid or too small for a parameter's value (the message
        names ``model.params[<name>]`` and the index).

    Notes
    -----
    Used in homework 1-3 (linear model), 1-4 (two-layer network and its
    common mistakes) and 1-6.

    Examples
    --------
    >>> from dlhomework.models import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(3, 5)), rng.normal(size=(3, 1))
    >>> model = LinearRegression(n_features=5, rng=0)
    >>> errors = check_gradients(model, X, y)
    >>> sorted(errors), all(e < 1e-7 for e in errors.values())
    (['W', 'b'], True)
    """
    needs = (("params", False), ("loss", True), ("gradients", True))  # (name, a method?)
    lacking = [
        attr
        for attr, method in needs
        if not hasattr(model, attr) or (method and not callable(getattr(model, attr)))
    ]
    if lacking:
        raise TypeError(
            "model must have params (a dict of float64 arrays) and the methods loss(X, y) "
            f"and gradients(X, y); {type(model).__name__} has no {', '.join(lacking)}"
        )
    if not isinstance(model.params, Mapping) or not model.params:
        raise TypeError(
            f"model.params must be a non-empty dict of float64 arrays, got {model.params!r}"
        )
    for name, param in model.params.items():
        _check_point(param, f"model.params[{name!r}]")
        if param.size == 0:
            raise ValueError(f"model.params[{name!r}] is empty: there is nothing to check")
    step = check_positive_float(h, "h")
    X_arr = as_float_array(X, "X")
    y_arr = as_float_array(y, "y")
    grads = model.gradients(X_arr, y_arr)
    if not isinstance(grads, Mapping):
        raise TypeError(f"model.gradients must return a dict of arrays, got {type(grads).__name__}")
    if set(grads) != set(model.params):
        raise ValueError(
            f"model.gradients returned keys {sorted(grads)} but model.params has "
            f"{sorted(model.params)}"
        )
    errors: dict[str, float] = {}
    for name, param in model.params.items():
        analytic = as_float_array(grads[name], f"gradient {name!r}", allow_empty=True)
        if analytic.shape != param.shape:
            raise ValueError(
                f"gradient {name!r} has shape {analytic.shape} but the parameter has "
                f"shape {param.shape}: the gradient is wrong"
            )
        numeric = _centered_differences(
            lambda _p: model.loss(X_arr, y_arr),
            param,
            step,
            f"model.params[{name!r}]",
            "model.loss",
        )
        errors[name] = rel_error(analytic, numeric)
    return errors
