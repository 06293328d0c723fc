"""Activation functions and their derivatives, computed stably (homework 1-7, 1-4).

Every function takes array_like input (a Python scalar, a list, an ndarray of any
shape) and returns the same shape:

- float32 input stays float32 (in native byte order, also for big-endian ``">f4"``);
  every other real input (ints, float16, float64) is computed and returned in float64;
- a Python ``int``/``float`` in gives a Python ``float`` out; a NumPy scalar gives a
  NumPy scalar; a 0-d array gives a 0-d array;
- bools, strings, complex numbers, object arrays and masked arrays (whose mask would
  be ignored) raise ``TypeError``; ragged nested lists raise ``ValueError``;
- NaN propagates (NaN in → NaN out, never a silent NaN from finite input), and no
  function warns or raises a floating-point error for any input, even under
  ``np.errstate(all="raise")``.

The exception is :func:`tanh_naive`, the assignment's literal formula, kept to
*show* how it fails (NaN at ``|x| ≳ 710``, lost digits near 0).

:data:`ACTIVATIONS` maps a name to its ``(f, f_grad)`` pair; the two-layer network
of homework 1-4 looks its activation up there.

The module also holds the tools that *measure* accuracy:
:func:`ulp_error` (error in units in the last place) and :func:`tanh_reference`
(a correctly rounded reference from mpmath, imported lazily).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ACTIVATIONS",
    "identity",
    "identity_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_expm1",
    "tanh_grad",
    "tanh_naive",
    "tanh_reference",
    "ulp_error",
]

FloatArray = NDArray[np.floating[Any]]

# tanh(a), a = |x|, is computed in two ways (see the Notes of `tanh`):
#   a <  _TANH_SPLIT: Lambert's continued fraction  a / (1 + s/(3 + s/(5 + ... s/(2K+1)))),
#                     s = a², truncated after _TANH_CF_TERMS levels;
#   a >= _TANH_SPLIT: 1 - 2 / (exp(2a) + 1).
# The split 0.75 and K = 8 were chosen by measuring the error (tests/test_activations.py
# checks it against mpmath): with K = 8 the truncation error on [0, 0.75) is at most
# 0.001 ulp (at a = 0.75; mpmath); above 0.75 the subtracted quotient
# 2 / (exp(2a) + 1) is < 0.37, so its rounding errors are damped in 1 - quotient.
_TANH_SPLIT = 0.75
_TANH_CF_TERMS = 8
# Elements processed per block: the ~10 passes of a block stay in the CPU cache.
_TANH_BLOCK = 1 << 15


def _as_input(x: ArrayLike, name: str = "x") -> tuple[NDArray[Any], bool]:
    """Return ``(array, python_scalar)``: float32 kept, other reals as float64.

    ``python_scalar`` is True when ``x`` is a Python int/float (not a NumPy scalar),
    so that the caller can hand a Python float back.
    """
    python_scalar = type(x) in (int, float)  # not bool, not NumPy scalars
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(
            f"{name} must not be a masked array (the mask would be ignored): pass "
            f"{name}.filled(value) or {name}.compressed()"
        )
    try:
        arr = np.asarray(x)
    except ValueError:  # NumPy: "setting an array element with a sequence"
        raise ValueError(
            f"{name} must be a rectangular array of real numbers, got a ragged nested "
            "sequence (rows of different lengths)"
        ) from None
    # kinds i/u (un)signed int, f float: not bool, complex, str, object, timedelta64
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be real numbers (int or float), got dtype {arr.dtype}"
            + (f" from {x!r}" if arr.ndim == 0 else "")
        )
    # float32 in either byte order (">f4" != np.float32) stays float32, in native order
    is32 = arr.dtype.kind == "f" and arr.dtype.itemsize == 4
    arr = arr.astype(np.float32 if is32 else np.float64, copy=False)
    return arr, python_scalar


def _output(result: NDArray[Any], x: ArrayLike, python_scalar: bool) -> Any:
    """Shape the result like the input: Python float, NumPy scalar or array."""
    result = np.asarray(result)  # ufuncs return NumPy scalars for 0-d input
    if python_scalar:
        return float(result)
    if isinstance(x, np.generic):
        return result[()]
    return result


# -- sigmoid -----------------------------------------------------------------------


@overload
def sigmoid(x: float) -> float: ...
@overload
def sigmoid(x: NDArray[Any]) -> FloatArray: ...
@overload
def sigmoid(x: ArrayLike) -> FloatArray | float: ...
def sigmoid(x: ArrayLike) -> FloatArray | float:
    """Logistic sigmoid ``σ(x) = 1 / (1 + exp(-x))``, without overflow.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    With ``e = exp(-|x|)`` (which never overflows) ``σ(x) = 1 / (1 + e)`` for
    ``x >= 0`` and ``e / (1 + e)`` for ``x < 0``; the literal formula overflows in
    ``exp(-x)`` at ``x ≈ -710``.  ``exp`` underflowing to 0 for ``|x| > 745`` is the
    correctly rounded answer and is not reported.  Used in homework 1-7 (beside
    :func:`tanh`) and by the two-layer network of homework 1-4.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    >>> sigmoid([-1000.0, 0.0, 1000.0]).tolist()
    [0.0, 0.5, 1.0]
    >>> round(sigmoid(2.0), 6)
    0.880797
    """
    arr, scalar = _as_input(x)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(arr, dtype=np.float64))
        pos = 1.0 / (1.0 + e)
        out = np.where(arr >= 0, pos, e * pos).astype(arr.dtype, copy=False)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


@overload
def sigmoid_grad(x: float) -> float: ...
@overload
def sigmoid_grad(x: NDArray[Any]) -> FloatArray: ...
@overload
def sigmoid_grad(x: ArrayLike) -> FloatArray | float: ...
def sigmoid_grad(x: ArrayLike) -> FloatArray | float:
    """Derivative of the sigmoid, ``σ'(x) = σ(x)(1 - σ(x))``, evaluated at ``x``.

    Parameters
    ----------
    x : array_like of any shape
        The *input* of the sigmoid (not its output).

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    Computed as ``e / (1 + e)**2`` with ``e = exp(-|x|)`` (the derivative is even),
    which keeps full relative accuracy where ``1 - σ(x)`` would cancel to 0, and
    capped at the true maximum 1/4 (rounding near 0 could otherwise exceed it).
    Used by the two-layer network of homework 1-4 and in homework 1-7.

    Examples
    --------
    >>> sigmoid_grad(0.0)
    0.25
    >>> sigmoid_grad([-1000.0, 1000.0]).tolist()
    [0.0, 0.0]
    >>> s = sigmoid(1.5)
    >>> bool(np.isclose(sigmoid_grad(1.5), s * (1 - s)))
    True
    """
    arr, scalar = _as_input(x)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(arr, dtype=np.float64))
        # near x = 0 the rounded quotient can exceed the true maximum 1/4 by an ulp
        out = np.minimum(e / (1.0 + e) ** 2, 0.25).astype(arr.dtype, copy=False)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


# -- tanh --------------------------------------------------------------------------


def _tanh_small(
    a: NDArray[np.float64], out: NDArray[np.float64], scratch: NDArray[np.float64]
) -> NDArray[np.float64]:
    """tanh(a) for 0 <= a < 0.75 by Lambert's continued fraction, written into ``out``.

    ``a``, ``out`` and ``scratch`` are distinct 1-D arrays of the same length (the
    buffers are reused, block after block: no memory is allocated here).
    """
    s = np.multiply(a, a, out=scratch)  # may underflow to 0: then tanh(a) = a, as it should
    r = np.divide(s, 2 * _TANH_CF_TERMS + 1, out=out)
    for k in range(_TANH_CF_TERMS - 1, 0, -1):
        r += 2 * k + 1
        np.divide(s, r, out=r)
    # tanh(a) = a / (1 + r) = a - a·r/(1 + r): the correction a·r/(1 + r) is at most
    # 16 % of a, so its rounding errors shrink and only the final subtraction rounds.
    np.add(r, 1.0, out=scratch)
    np.divide(r, scratch, out=r)
    r *= a
    return np.subtract(a, r, out=out)


def _tanh64(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """tanh of a float64 array (the stable formula; see :func:`tanh`)."""
    flat = x.reshape(-1)  # ufuncs turn 0-d arrays into scalars; work on 1-d
    out = np.empty_like(flat)
    n_block = min(flat.size, _TANH_BLOCK)
    a_buf, e_buf, sub_a_buf, sub_out_buf = np.empty((4, n_block))
    small_buf = np.empty(n_block, dtype=bool)
    sign_buf = np.empty(n_block, dtype=np.uint64)
    sign_bit = np.uint64(1 << 63)
    # exp(2a) overflows to inf for a > 354.9 (and 2a for a > 9e307); then
    # 2 / (inf + 1) = 0 and the result is exactly 1, which is correct, so the flag
    # is not reported.  a·a underflowing for tiny a is harmless in the same way.
    with np.errstate(over="ignore", under="ignore"):
        for start in range(0, flat.size, _TANH_BLOCK):
            xs = flat[start : start + _TANH_BLOCK]
            o = out[start : start + _TANH_BLOCK]
            m = xs.size
            a, e, small, sign = a_buf[:m], e_buf[:m], small_buf[:m], sign_buf[:m]
            np.abs(xs, out=a)
            # every element by the large-|x| formula 1 - 2/(exp(2a) + 1) ...
            np.multiply(a, 2.0, out=e)
            np.exp(e, out=e)
            e += 1.0
            np.divide(2.0, e, out=e)
            np.subtract(1.0, e, out=o)  # >= +0.0 (or NaN)
            # ... then the small ones again, by the continued fraction
            np.less(a, _TANH_SPLIT, out=small)  # False for NaN
            idx = np.flatnonzero(small)
            if idx.size:
                sub_a = np.take(a, idx, out=sub_a_buf[: idx.size])
                o[idx] = _tanh_small(sub_a, sub_out_buf[: idx.size], e[: idx.size])
            # tanh is odd: copy x's sign bit into o (faster than np.copysign), which
            # also gives tanh(-0.0) = -0.0
            np.bitwise_and(xs.view(np.uint64), sign_bit, out=sign)
            o_bits = o.view(np.uint64)
            np.bitwise_or(o_bits, sign, out=o_bits)
    return out.reshape(x.shape)


@overload
def tanh(x: float) -> float: ...
@overload
def tanh(x: NDArray[Any]) -> FloatArray: ...
@overload
def tanh(x: ArrayLike) -> FloatArray | float: ...
def tanh(x: ArrayLike) -> FloatArray | float:
    """Hyperbolic tangent ``(eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)``, accurate for every float64.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers; ±inf and NaN allowed.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.  ``tanh(±inf) = ±1``, ``tanh(nan) = nan``,
    ``tanh(-0.0) = -0.0``.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    With ``a = |x|`` (tanh is odd, so the sign of ``x`` is copied back at the end,
    which also keeps ``tanh(-0.0) = -0.0``):

    - ``a >= 0.75``: ``tanh(a) = 1 - 2 / (exp(2a) + 1)``.  Only ``exp(+2a)`` appears,
      and the subtracted quotient is below 0.37, so its rounding errors shrink in the
      result.  For ``a > 354.9`` ``exp(2a)`` is ``inf``, the quotient is 0 and the
      result is exactly 1 — the correct float64 value (tanh rounds to 1 from
      ``a ≈ 19.1``); the internal overflow is not reported.
    - ``a < 0.75``: Lambert's continued fraction
      ``tanh(a) = a / (1 + s/(3 + s/(5 + s/(7 + …))))`` with ``s = a²``, cut after
      8 levels (truncation error ≤ 0.001 ulp), evaluated as ``a - a·r/(1 + r)``.
      It is pure arithmetic on ``a``, so there is nothing to cancel: the literal
      formula's ``eˣ - e⁻ˣ`` loses all digits as ``x → 0``, this does not.

    The tests check the result against mpmath on hundreds of thousands of points
    from the smallest subnormal to ``1e308``: at most about 1 ulp for float64
    (``np.tanh`` on the machine where this was measured: about 1.2).  float32
    input is computed in float64 and rounded once.  The work is done in blocks of
    32768 elements so that the ~10 passes over each block stay in the CPU cache.
    Used in homework 1-7.

    See Also
    --------
    tanh_naive : the literal formula, which fails.
    tanh_grad : the derivative ``1 - tanh(x)²``.

    Examples
    --------
    >>> tanh(0.0)
    0.0
    >>> tanh([-800.0, -1.0, 1e-300, 800.0]).tolist()
    [-1.0, -0.7615941559557649, 1e-300, 1.0]
    >>> tanh(np.array([0.5, float("inf")], dtype=np.float32)).dtype
    dtype('float32')
    """
    arr, scalar = _as_input(x)
    out = _tanh64(arr.astype(np.float64, copy=False)).astype(arr.dtype, copy=False)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


@overload
def tanh_grad(x: float) -> float: ...
@overload
def tanh_grad(x: NDArray[Any]) -> FloatArray: ...
@overload
def tanh_grad(x: ArrayLike) -> FloatArray | float: ...
def tanh_grad(x: ArrayLike) -> FloatArray | float:
    """Derivative of tanh, ``1 - tanh(x)²``, evaluated at ``x``.

    Parameters
    ----------
    x : array_like of any shape
        The *input* of tanh (not its output).

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    Computed as ``4e / (1 + e)²`` with ``e = exp(-2|x|)`` (= ``1/cosh(x)²``), which is
    the same function but keeps its relative accuracy for large ``|x|``, where
    ``1 - tanh(x)²`` cancels to exactly 0 (from ``|x| ≈ 19``); it is capped at the true
    maximum 1 (rounding near 0 could otherwise exceed it).  Used in homework 1-7
    and by the two-layer network of homework 1-4.

    Examples
    --------
    >>> tanh_grad(0.0)
    1.0
    >>> t = tanh(0.7)
    >>> bool(np.isclose(tanh_grad(0.7), 1 - t**2))
    True
    >>> tanh_grad([-800.0, 800.0]).tolist()
    [0.0, 0.0]
    """
    arr, scalar = _as_input(x)
    with np.errstate(under="ignore"):
        e = np.exp(-2.0 * np.minimum(np.abs(arr, dtype=np.float64), 1000.0))
        # near x = 0 the rounded quotient can exceed the true maximum 1 by an ulp
        out = np.minimum(4.0 * e / (1.0 + e) ** 2, 1.0).astype(arr.dtype, copy=False)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


@overload
def tanh_naive(x: float) -> float: ...
@overload
def tanh_naive(x: NDArray[Any]) -> FloatArray: ...
@overload
def tanh_naive(x: ArrayLike) -> FloatArray | float: ...
def tanh_naive(x: ArrayLike) -> FloatArray | float:
    """The assignment's literal formula ``(eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)`` — for demonstration.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.  It is *wrong* where the formula breaks down —
    NaN for ``|x| ≳ 710`` (``inf / inf``) and only a few correct digits for tiny
    ``|x|`` (``eˣ - e⁻ˣ`` cancels).

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    The formula is evaluated exactly as written, in the input's precision (float32
    overflows already at ``|x| ≈ 89``).  It runs under
    ``np.errstate(over="ignore", invalid="ignore")`` so that calling it does not
    spray ``RuntimeWarning`` at the caller: the failure shows up in the *values*
    (NaN, lost digits), which is what homework 1-7 looks at.  Use :func:`tanh`.

    Examples
    --------
    >>> tanh_naive(1.0) == tanh(1.0)
    True
    >>> tanh_naive([800.0, -800.0]).tolist()
    [nan, nan]
    >>> tanh_naive(1e-10)  # the correct value is 1e-10 (to 16 digits)
    1.000000082740371e-10
    """
    arr, scalar = _as_input(x)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        ep, em = np.exp(arr), np.exp(-arr)
        out = (ep - em) / (ep + em)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


@overload
def tanh_expm1(x: float) -> float: ...
@overload
def tanh_expm1(x: NDArray[Any]) -> FloatArray: ...
@overload
def tanh_expm1(x: ArrayLike) -> FloatArray | float: ...
def tanh_expm1(x: ArrayLike) -> FloatArray | float:
    """The textbook stable formula ``sign(x)·(-t)/(2 + t)``, ``t = expm1(-2|x|)`` — for comparison.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers; ±inf and NaN allowed.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    ``expm1`` removes the cancellation near 0 and ``exp(-2|x|)`` cannot overflow
    (``|x|`` is clipped at 20, where tanh rounds to 1, so that ``-2|x|`` stays finite
    too), so this never fails like :func:`tanh_naive`.  But the quotient
    amplifies the error of ``expm1`` by ``2 / (2 + t)``, which tends to 2 as
    ``t → -1`` (large ``|x|``), and two more roundings follow: the result is off
    by up to about 2.5 ulp (measured against mpmath; worst for ``|x| > 0.5``) —
    good, but short of the 2-ulp goal that :func:`tanh` meets.  Kept so that
    homework 1-7 can compare the implementations.

    Examples
    --------
    >>> tanh_expm1([-800.0, 1e-300, 800.0]).tolist()
    [-1.0, 1e-300, 1.0]
    """
    arr, scalar = _as_input(x)
    x64 = arr.astype(np.float64, copy=False)
    with np.errstate(under="ignore"):
        t = np.expm1(-2.0 * np.minimum(np.abs(x64), 20.0))
        z = np.copysign(-t / (2.0 + t), x64)
    out = np.asarray(z).astype(arr.dtype, copy=False)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


# -- relu and identity -------------------------------------------------------------


@overload
def relu(x: float) -> float: ...
@overload
def relu(x: NDArray[Any]) -> FloatArray: ...
@overload
def relu(x: ArrayLike) -> FloatArray | float: ...
def relu(x: ArrayLike) -> FloatArray | float:
    """Rectified linear unit ``max(x, 0)``.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.  NaN propagates.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    Used by the two-layer network of homework 1-4 (``activation="relu"``).

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    >>> relu(-1)
    0.0
    """
    arr, scalar = _as_input(x)
    out = np.maximum(arr, arr.dtype.type(0))
    return _output(out, x, scalar)  # type: ignore[no-any-return]


@overload
def relu_grad(x: float) -> float: ...
@overload
def relu_grad(x: NDArray[Any]) -> FloatArray: ...
@overload
def relu_grad(x: ArrayLike) -> FloatArray | float: ...
def relu_grad(x: ArrayLike) -> FloatArray | float:
    """Derivative of ReLU: 1.0 where ``x > 0``, else 0.0 (0.0 at ``x = 0``).

    Parameters
    ----------
    x : array_like of any shape
        The *input* of ReLU.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.  NaN in gives NaN out (a NaN input has no
    derivative; 0.0 would hide it).

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    At ``x = 0`` ReLU has no derivative; 0 is the usual choice (a unit that is
    exactly 0 does not learn).  Used by the two-layer network of homework 1-4.

    Examples
    --------
    >>> relu_grad([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    arr, scalar = _as_input(x)
    out = np.where(np.isnan(arr), np.nan, arr > 0).astype(arr.dtype)
    return _output(out, x, scalar)  # type: ignore[no-any-return]


@overload
def identity(x: float) -> float: ...
@overload
def identity(x: NDArray[Any]) -> FloatArray: ...
@overload
def identity(x: ArrayLike) -> FloatArray | float: ...
def identity(x: ArrayLike) -> FloatArray | float:
    """The identity ``f(x) = x`` (no activation), as a new float array.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray of the same shape (float32 for float32 input, else float64), or a
    Python float for a Python scalar.  Always a copy, so changing it never changes
    ``x``.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    With it, ``TwoLayerNet(activation="identity")`` shows that two linear layers
    collapse into one linear map (homework 1-4).

    Examples
    --------
    >>> identity([1, -2]).tolist()
    [1.0, -2.0]
    """
    arr, scalar = _as_input(x)
    return _output(arr.copy(), x, scalar)  # type: ignore[no-any-return]


@overload
def identity_grad(x: float) -> float: ...
@overload
def identity_grad(x: NDArray[Any]) -> FloatArray: ...
@overload
def identity_grad(x: ArrayLike) -> FloatArray | float: ...
def identity_grad(x: ArrayLike) -> FloatArray | float:
    """Derivative of the identity: ones of the same shape.

    Parameters
    ----------
    x : array_like of any shape
        The input of the identity.

    Returns
    -------
    ndarray of ones, the same shape (float32 for float32 input, else float64), or
    the Python float 1.0 for a Python scalar.

    Raises
    ------
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    Used by ``TwoLayerNet(activation="identity")`` (homework 1-4).

    Examples
    --------
    >>> identity_grad([[1, -2, 5]]).tolist()
    [[1.0, 1.0, 1.0]]
    """
    arr, scalar = _as_input(x)
    ones = np.where(np.isnan(arr), arr, np.ones_like(arr))  # NaN in → NaN out
    return _output(ones, x, scalar)  # type: ignore[no-any-return]


Activation = Callable[[NDArray[Any]], FloatArray]

ACTIVATIONS: dict[str, tuple[Activation, Activation]] = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "identity": (identity, identity_grad),
}
"""Name → ``(f, f_grad)``; ``f_grad`` is the derivative evaluated at the *input* of ``f``.

Keys ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``; used by the two-layer
network of homework 1-4.

Examples
--------
>>> f, f_grad = ACTIVATIONS["tanh"]
>>> f(np.zeros(2)).tolist(), f_grad(np.zeros(2)).tolist()
([0.0, 0.0], [1.0, 1.0])
"""


# -- measuring accuracy ------------------------------------------------------------


def ulp_error(
    approx: ArrayLike, exact_hi: ArrayLike, exact_lo: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Error of ``approx`` in units in the last place (ulp) of the exact value.

    Parameters
    ----------
    approx : array_like of any shape, float64 or float32
        Computed values.  The ulp is that of ``approx``'s format: float32 input is
        judged in float32 ulp, everything else in float64 ulp.
    exact_hi, exact_lo : array_like broadcastable to ``approx``'s shape, float64
        The exact value as an unevaluated sum ``exact_hi + exact_lo`` (a
        "double-double", as returned by :func:`tanh_reference`), so that errors
        well below 1 ulp are measured; ``exact_lo = 0`` when only a float64
        reference is at hand (then the result is exact to about ±0.5 ulp).

    Returns
    -------
    ndarray of the broadcast shape, float64
        ``|approx - exact| / ulp(exact)``, where ``ulp(e) = 2**(floor(log2|e|) - p + 1)``
        (``p = 53`` for float64, 24 for float32) and at least the smallest subnormal.
        0 where both are NaN, or both are the same infinity; ``inf`` where exactly
        one is NaN or they are different infinities.

    Notes
    -----
    Used in homework 1-7 and by the accuracy tests of :func:`tanh`.

    Examples
    --------
    >>> float(ulp_error(1.0 + 2**-52, 1.0))  # the next float after 1.0
    1.0
    >>> ulp_error([0.1, np.nan], [0.1, np.nan]).tolist()
    [0.0, 0.0]
    >>> float(ulp_error(np.float32(1.0), 1.0 + 2**-23))  # float32 ulp
    1.0
    """
    a_in = np.asarray(approx)
    is32 = a_in.dtype.kind == "f" and a_in.dtype.itemsize == 4  # either byte order
    a = a_in.astype(np.float64)
    hi = np.asarray(exact_hi, dtype=np.float64)
    lo = np.asarray(exact_lo, dtype=np.float64)
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
    """tanh to about 32 significant digits, from mpmath, as a double-double.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers (converted to float64); ±inf and NaN allowed.

    Returns
    -------
    hi, lo : ndarrays of the same shape, float64
        ``hi`` is tanh(x) correctly rounded to float64 and ``lo`` the rounded
        remainder ``tanh(x) - hi``; pass both to :func:`ulp_error`.

    Raises
    ------
    ImportError
        mpmath is not installed (``pip install "dlhomework[test]"``).
    TypeError
        ``x`` holds bools, strings, complex numbers or objects, or is a masked array.
    ValueError
        ``x`` is a ragged nested sequence.

    Notes
    -----
    Slow (a Python loop over mpmath at 120-bit precision, some microseconds per
    value): for checking, not computing.  Used in homework 1-7 and the tests.

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
    arr, _ = _as_input(x)
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
