"""Measuring floating-point accuracy in units in the last place (homework 1-7).

:func:`ulp_error` measures how far computed values are from exact ones, in ulp;
:func:`tanh_reference` gives exact tanh values (from mpmath, imported lazily) to
measure against.  The tests of :mod:`dlhomework.activations` and homework 1-7 use both.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_real_array

__all__ = ["tanh_reference", "ulp_error"]


def ulp_error(
    approx: ArrayLike, exact_hi: ArrayLike, exact_lo: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Error of ``approx`` in units in the last place (ulp) of the exact value.

    Parameters
    ----------
    approx : array_like of any shape, float64 or float32
        Computed values, judged in the ulp of their own format (float32 or float64).
    exact_hi, exact_lo : array_like broadcastable to ``approx``'s shape, float64
        The exact value as an unevaluated sum (a "double-double", from
        :func:`tanh_reference`), so that errors well below 1 ulp are measured;
        ``exact_lo = 0`` for a float64 reference (then exact to about ±0.5 ulp).

    Returns
    -------
    ndarray of the broadcast shape, float64
        ``|approx - exact| / ulp(exact)``, where ``ulp(e) = 2**(floor(log2|e|) - p + 1)``
        (``p = 53`` for float64, 24 for float32) and at least the smallest subnormal.
        0 where both are NaN, or both are the same infinity; ``inf`` where exactly
        one is NaN or they are different infinities.  Used in homework 1-7.

    Raises
    ------
    TypeError
        An argument is not real numbers (bools, strings, complex, objects, a masked
        array); the message names it.
    ValueError
        An argument is ragged, or the three shapes do not broadcast together.

    Examples
    --------
    >>> float(ulp_error(1.0 + 2**-52, 1.0))  # the next float after 1.0
    1.0
    >>> ulp_error([0.1, np.nan], [0.1, np.nan]).tolist()
    [0.0, 0.0]
    >>> float(ulp_error(np.float32(1.0), 1.0 + 2**-23))  # float32 ulp
    1.0
    """
    a_in = as_real_array(approx, "approx")  # float32 stays float32: judged in its ulp
    is32 = a_in.dtype == np.float32
    a = a_in.astype(np.float64)
    hi = as_real_array(exact_hi, "exact_hi").astype(np.float64, copy=False)
    lo = as_real_array(exact_lo, "exact_lo").astype(np.float64, copy=False)
    try:
        np.broadcast_shapes(a.shape, hi.shape, lo.shape)
    except ValueError:
        raise ValueError(
            "approx, exact_hi and exact_lo must have shapes that broadcast together, got "
            f"{a.shape}, {hi.shape} and {lo.shape}"
        ) from None
    mant, tiny = (24, 2.0**-149) if is32 else (53, 2.0**-1074)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        _, exp = np.frexp(hi)  # |hi| = m * 2**exp with m in [0.5, 1)
        ulp = np.where(hi == 0, tiny, np.maximum(np.ldexp(1.0, exp - mant), tiny))
        err = np.abs((a - hi) - lo) / ulp
        both_nan = np.isnan(a) & np.isnan(hi)
        same_inf = np.isinf(a) & (a == hi)
        err = np.where(both_nan | same_inf, 0.0, err)
        err = np.where(np.isnan(err), np.inf, err)
    return err


def tanh_reference(x: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """tanh to about 32 significant digits, from mpmath, as a double-double (slow: for checks).

    Parameters
    ----------
    x : array_like of any shape
        Real numbers (converted to float64); ±inf and NaN allowed.

    Returns
    -------
    hi, lo : ndarrays of the same shape, float64
        ``hi`` is tanh(x) correctly rounded to float64 and ``lo`` the rounded
        remainder ``tanh(x) - hi``; pass both to :func:`ulp_error` (homework 1-7).

    Raises
    ------
    ImportError
        mpmath is not installed (``pip install "dlhomework[test]"``).
    TypeError, ValueError
        ``x`` is not real numbers (bools, strings, complex, objects, a masked array),
        or is ragged.

    Examples
    --------
    >>> hi, lo = tanh_reference([0.5, 1e-300])
    >>> hi.tolist()
    [0.46211715726000974, 1e-300]
    >>> bool(abs(lo[0]) < 2**-54 * hi[0])
    True
    """
    try:
        mpmath = importlib.import_module("mpmath")
    except ImportError as exc:  # pragma: no cover - mpmath is a test/docs dependency
        raise ImportError(
            'tanh_reference needs mpmath: pip install mpmath (or "dlhomework[test]")'
        ) from exc
    arr = as_real_array(x, "x")
    flat = arr.astype(np.float64).ravel()
    hi = np.empty_like(flat)
    lo = np.empty_like(flat)
    ctx = mpmath.MPContext()  # private context: the global mpmath.mp is left alone
    ctx.prec = 120
    for i, v in enumerate(flat.tolist()):
        if not math.isfinite(v):  # tanh(±inf) = ±1, tanh(nan) = nan
            hi[i], lo[i] = (v if math.isnan(v) else math.copysign(1.0, v)), 0.0
            continue
        exact = ctx.tanh(ctx.mpf(v))
        h = float(exact)
        hi[i] = h
        lo[i] = float(exact - h)
    return hi.reshape(arr.shape), lo.reshape(arr.shape)
