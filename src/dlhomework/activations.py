"""Activation functions and their derivatives, computed stably (homework 1-7, 1-4).

Each activation is a private *kernel* (``_sigmoid``, ``_tanh``, ...: a float64 ndarray
in, a float64 ndarray out, no checks) and a public function (:func:`sigmoid`,
:func:`tanh`, ...) that checks its input once and calls the kernel; tanh also has a
float32 kernel (``_tanh_float32``), which the public :func:`tanh` uses for float32.
:data:`ACTIVATIONS` maps names to the kernels, for the two-layer network's training loop.

The public functions take array_like input of any shape and return the same shape.
float32 stays float32 (native byte order, also from ``">f4"``); other reals (ints,
float16, float64) give float64.  A Python ``int``/``float`` gives a Python ``float``, a
NumPy scalar a NumPy scalar, a 0-d array a 0-d array.  Bools, strings, complex numbers,
objects and masked arrays (whose mask would be ignored) raise ``TypeError``, ragged
nested lists ``ValueError``.  NaN in gives NaN out, finite input never gives NaN (but
in :func:`tanh_naive`, the assignment's literal formula, kept to *show* how it fails),
and nothing warns or raises a floating-point error, even under
``np.errstate(all="raise")``.  :mod:`dlhomework.accuracy` *measures* the accuracy in ulp.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_real_array
from .accuracy import tanh_reference as tanh_reference  # its former home
from .accuracy import ulp_error as ulp_error

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
]

Array = NDArray[np.float64]
Kernel = Callable[[Array], Array]

# tanh(a), a = |x|: below _TANH_SPLIT Lambert's continued fraction cut after _TANH_CF_TERMS
# levels, else 1 - 2 / (exp(2a) + 1) (see `tanh`); both chosen by measuring against mpmath
# (truncation <= 0.001 ulp below 0.75; above it the subtracted quotient is < 0.37).
_TANH_SPLIT = 0.75
_TANH_CF_TERMS = 8
# The cut fraction multiplied out into one quotient: a - tanh(a) = a·s·N(s)/D(s), s = a²,
# coefficients highest power first (the tests derive them from the fraction again).
_TANH_NUM = (44.0, 12870.0, 810810.0, 11486475.0)
_TANH_DEN = (45.0, 13860.0, 945945.0, 16216200.0, 34459425.0)
_TANH_BLOCK = 1 << 15  # elements per block: its passes stay in the CPU cache


# -- the kernels: float64 in, float64 out, no checks --------------------------------


def _sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))  # never overflows: σ = 1/(1 + e) for z >= 0, e/(1 + e) below
    pos = 1.0 / (1.0 + e)
    return np.where(z >= 0, pos, e * pos)


def _sigmoid_grad(z: Array) -> Array:
    # σ'(z) = e/(1 + e)² (even in z), capped: rounding near 0 can exceed the maximum 1/4
    e = np.exp(-np.abs(z))
    return np.minimum(e / (1.0 + e) ** 2, 0.25)


def _horner(coeffs: tuple[float, ...], s: Array, out: Array) -> Array:
    """The polynomial in ``s`` with ``coeffs`` (highest power first), into ``out``."""
    np.multiply(s, coeffs[0], out=out)
    for c in coeffs[1:-1]:
        out += c
        out *= s
    out += coeffs[-1]
    return out


def _tanh_small(a: Array, out: Array, s: Array, d: Array) -> Array:
    """tanh(a) for 0 <= a < 0.75 by Lambert's continued fraction, written into ``out``.

    The fraction, cut after 8 levels, is one quotient of two polynomials in ``s = a²``:
    one division instead of nine.  ``a``, ``out``, ``s`` and ``d`` are distinct 1-D
    arrays of the same length (buffers reused block after block: nothing is allocated).
    """
    # may underflow to 0: then tanh(a) = a, as it should
    np.multiply(a, a, out=s)
    _horner(_TANH_NUM, s, out)
    _horner(_TANH_DEN, s, d)
    # tanh(a) = a - a·s·N/D: the subtracted term is at most 16 % of a, so
    # the rounding errors in computing it shrink; only the final
    # subtraction rounds in full.
    out /= d
    out *= s
    out *= a
    return np.subtract(a, out, out=out)


def _tanh(x: Array) -> Array:
    """tanh of a float64 array (the stable formula; see :func:`tanh`)."""
    # ufuncs turn 0-d arrays into scalars: work on 1-d
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    n_block = min(flat.size, _TANH_BLOCK)
    buffers = np.empty((5, n_block))
    a_buf, e_buf, sub_a_buf, sub_out_buf, sub_d_buf = buffers
    # np.flatnonzero finds the True of a mask by a branch-free loop
    # when more than 10 % are True, else by a search whose branches
    # mispredict on random data (2-3 times slower): `pad` True after
    # the mask keep it above 10 %; their indices are dropped
    pad = n_block // 8 + 1
    small_buf = np.ones(n_block + pad, dtype=bool)
    sign_buf = np.empty(n_block, dtype=np.uint64)
    sign_bit = np.uint64(1 << 63)
    # exp(2a) = inf for a > 354.9 gives 2 / (inf + 1) = 0 and exactly 1,
    # which is correct, so the flag is not reported; a·a underflowing for
    # tiny a is harmless in the same way.
    with np.errstate(over="ignore", under="ignore"):
        for start in range(0, flat.size, _TANH_BLOCK):
            xs = flat[start : start + _TANH_BLOCK]
            o = out[start : start + _TANH_BLOCK]
            m = xs.size
            a, e, sign = a_buf[:m], e_buf[:m], sign_buf[:m]
            small = small_buf[: m + pad]
            np.abs(xs, out=a)
            # every element by the large-|x| formula 1 - 2/(exp(2a) + 1)
            np.multiply(a, 2.0, out=e)
            np.exp(e, out=e)
            e += 1.0
            np.divide(2.0, e, out=e)
            np.subtract(1.0, e, out=o)  # >= +0.0 (or NaN)
            # ... then the small ones again, by the continued fraction
            np.less(a, _TANH_SPLIT, out=small[:m])  # False for NaN
            small[m:] = True
            idx = np.flatnonzero(small)[:-pad]
            if k := idx.size:
                sub_a = np.take(a, idx, out=sub_a_buf[:k])
                sub_out, sub_d = sub_out_buf[:k], sub_d_buf[:k]
                o[idx] = _tanh_small(sub_a, sub_out, e[:k], sub_d)
            # tanh is odd: copy x's sign bit into o (faster than
            # np.copysign), which also gives tanh(-0.0) = -0.0
            np.bitwise_and(xs.view(np.uint64), sign_bit, out=sign)
            o_bits = o.view(np.uint64)
            np.bitwise_or(o_bits, sign, out=o_bits)
    return out.reshape(x.shape)


def _tanh_float32(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """tanh of a float32 array: each block by one formula in float64, rounded once.

    ``-t / (2 + t)`` with ``t = expm1(-2|x|)`` (= ``(1 - e)/(1 + e)``, ``e = exp(-2|x|)``,
    without the cancellation): about 3e-16 relative error in float64, 10**8 times
    below half a float32 ulp, so the one rounding gives float32's correctly rounded
    value (unless the exact one lies within ~1e-8 ulp of a midpoint between two
    float32).  Never overflows; ±inf give ±1.
    """
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    n_block = min(flat.size, _TANH_BLOCK)
    t_buf, d_buf = np.empty((2, n_block))  # float64
    sign_buf = np.empty(n_block, dtype=np.uint32)
    sign_bit = np.uint32(1 << 31)
    # rounding to a float32 subnormal is correct
    with np.errstate(under="ignore"):
        for start in range(0, flat.size, _TANH_BLOCK):
            xs = flat[start : start + _TANH_BLOCK]
            o = out[start : start + _TANH_BLOCK]
            m = xs.size
            t, d, sign = t_buf[:m], d_buf[:m], sign_buf[:m]
            np.abs(xs, out=o)
            # float64 from here: exact
            np.multiply(o, np.float64(-2.0), out=t)
            np.expm1(t, out=t)  # in (-1, 0]
            np.subtract(-2.0, t, out=d)
            # >= +0.0 (or NaN), rounded once
            np.divide(t, d, out=o, casting="same_kind")
            np.bitwise_and(xs.view(np.uint32), sign_bit, out=sign)
            o_bits = o.view(np.uint32)
            np.bitwise_or(o_bits, sign, out=o_bits)
    return out.reshape(x.shape)


def _tanh_grad(z: Array) -> Array:
    # 1 - tanh² = 4e/(1 + e)², e = exp(-2|z|): no cancellation.
    # |z| capped at 1000 (the result is 0 long before) so that -2|z|
    # cannot overflow; the result capped at the maximum 1
    e = np.exp(-2.0 * np.minimum(np.abs(z), 1000.0))
    return np.minimum(4.0 * e / (1.0 + e) ** 2, 1.0)


def _tanh_naive(z: Array) -> Array:
    # the literal formula, evaluated as written; its failures show in the values
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        ep, em = np.exp(z), np.exp(-z)
        out: Array = (ep - em) / (ep + em)
    return out


def _tanh_expm1(z: Array) -> Array:
    # |z| clipped at 20 (tanh rounds to 1 there): -2|z| stays finite
    t = np.expm1(-2.0 * np.minimum(np.abs(z), 20.0))
    return np.copysign(-t / (2.0 + t), z)


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)  # NaN propagates


def _relu_grad(z: Array) -> Array:
    return np.where(np.isnan(z), np.nan, z > 0)  # NaN has no derivative: not 0.0


def _identity(z: Array) -> Array:
    return z.copy()


def _identity_grad(z: Array) -> Array:
    return np.where(np.isnan(z), z, 1.0)  # ones, NaN in → NaN out


# -- the public functions: checked once, then the kernel -----------------------------------------


def _checked(
    kernel: Kernel,
    x: ArrayLike,
    *,
    native: bool = False,
    kernel32: Callable[[NDArray[np.float32]], NDArray[np.float32]] | None = None,
) -> Any:
    """Check ``x``, run ``kernel`` in float64 (or, if ``native``, in ``x``'s precision;
    float32 by ``kernel32`` if given) and return the result in ``x``'s dtype and kind
    (Python float, NumPy scalar, array)."""
    arr = as_real_array(x, "x")
    # underflow to 0 or a subnormal (also from float64 to float32) is the correct rounding
    with np.errstate(under="ignore"):
        if kernel32 is not None and arr.dtype == np.float32:
            out = kernel32(arr)
        else:
            z = arr if native else arr.astype(np.float64, copy=False)
            out = np.asarray(kernel(z)).astype(arr.dtype, copy=False)
    if type(x) in (int, float):  # not bool, not NumPy scalars
        return float(out)
    return out[()] if isinstance(x, np.generic) else out


def sigmoid(x: ArrayLike) -> Any:
    """Logistic sigmoid ``σ(x) = 1 / (1 + exp(-x))``, without overflow.

    ``1 / (1 + e)`` for ``x >= 0``, else ``e / (1 + e)``, with ``e = exp(-|x|)``, which
    never overflows.  Used in homework 1-7 and by the two-layer network of 1-4.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes, NaN and errors as in the module docstring.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    >>> sigmoid([-1000.0, 0.0, 1000.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    return _checked(_sigmoid, x)


def sigmoid_grad(x: ArrayLike) -> Any:
    """Derivative of the sigmoid, ``σ'(x) = σ(x)(1 - σ(x))``, evaluated at ``x``.

    Computed as ``e / (1 + e)**2``, ``e = exp(-|x|)``, accurate also where ``1 - σ(x)``
    cancels, and capped at the true maximum 1/4.  Used in homework 1-7 and 1-4.

    Parameters
    ----------
    x : array_like of any shape
        The *input* of the sigmoid (not its output).

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes, NaN and errors as in the module docstring.

    Examples
    --------
    >>> sigmoid_grad(0.0)
    0.25
    >>> s = sigmoid(1.5)
    >>> bool(np.isclose(sigmoid_grad(1.5), s * (1 - s)))
    True
    """
    return _checked(_sigmoid_grad, x)


def tanh(x: ArrayLike) -> Any:
    """Hyperbolic tangent ``(eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)``, accurate for every float64.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers; ±inf and NaN allowed.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes and errors as in the module docstring.
        ``tanh(±inf) = ±1``, ``tanh(nan) = nan``, ``tanh(-0.0) = -0.0``.

    See Also
    --------
    tanh_naive : the literal formula, which fails.
    tanh_grad : the derivative ``1 - tanh(x)²``.

    Notes
    -----
    With ``a = |x|`` (the sign bit of ``x`` is copied back at the end): for
    ``a >= 0.75``, ``1 - 2 / (exp(2a) + 1)``, whose subtracted quotient is below 0.37
    (``exp(2a) = inf`` from ``a > 354.9`` gives exactly 1, the correct float64 value;
    the overflow is not reported); for ``a < 0.75``, Lambert's continued fraction
    ``a / (1 + s/(3 + s/(5 + …)))``, ``s = a²``, cut after 8 levels (≤ 0.001 ulp) and
    multiplied out into one quotient of two polynomials in ``s``, with no subtraction
    that could cancel as ``x → 0``.  Against mpmath, from the smallest subnormal to
    ``1e308``: at most about 1 ulp (``np.tanh``: about 1.2 where measured).  Homework
    1-7 derives it.

    float32 takes a shorter path, block by block: ``-t / (2 + t)``, ``t = expm1(-2a)``,
    in float64 (about 3e-16 relative error, far below float32's half ulp) and rounded
    once: correctly rounded (max 0.5 ulp) on every float32 from 0 to 9.1, where tanh
    rounds to 1, by ``benchmarks/bench_tanh.py --exhaustive`` (run by hand; the tests
    check a strided grid); ``np.tanh`` in float32: up to 1.37 ulp there, where measured.
    No float64 copy of the whole array is made.

    Examples
    --------
    >>> tanh(0.0)
    0.0
    >>> tanh([-800.0, -1.0, 1e-300, 800.0]).tolist()
    [-1.0, -0.7615941559557649, 1e-300, 1.0]
    >>> tanh(np.array([0.5, float("inf")], dtype=np.float32)).dtype
    dtype('float32')
    """
    return _checked(_tanh, x, kernel32=_tanh_float32)


def tanh_grad(x: ArrayLike) -> Any:
    """Derivative of tanh, ``1 - tanh(x)²``, evaluated at ``x``.

    Computed as ``4e / (1 + e)²``, ``e = exp(-2|x|)``, accurate also where ``1 - tanh²``
    cancels to 0 (``|x| > 19``), and capped at the true maximum 1.  Used in homework
    1-7 and by the two-layer network of 1-4.

    Parameters
    ----------
    x : array_like of any shape
        The *input* of tanh (not its output).

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes, NaN and errors as in the module docstring.

    Examples
    --------
    >>> tanh_grad(0.0)
    1.0
    >>> tanh_grad([-800.0, 800.0]).tolist()
    [0.0, 0.0]
    """
    return _checked(_tanh_grad, x)


def tanh_naive(x: ArrayLike) -> Any:
    """The assignment's literal formula ``(eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)`` — for demonstration.

    Evaluated as written, in the input's precision, without ``RuntimeWarning``: the
    failure shows in the *values*, which homework 1-7 looks at.  Use :func:`tanh`.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; *wrong* where the formula breaks down: NaN (``inf / inf``)
        once ``eˣ`` overflows, for ``|x|`` above ln(largest float): about 709.78 in
        float64, 88.72 in float32; few correct digits for tiny ``|x|``.

    Examples
    --------
    >>> tanh_naive(1.0) == tanh(1.0)
    True
    >>> tanh_naive([800.0, -800.0]).tolist()
    [nan, nan]
    >>> tanh_naive(1e-10)  # the correct value is 1e-10 (to 16 digits)
    1.000000082740371e-10
    """
    return _checked(_tanh_naive, x, native=True)


def tanh_expm1(x: ArrayLike) -> Any:
    """The textbook stable formula ``sign(x)·(-t)/(2 + t)``, ``t = expm1(-2|x|)`` — for comparison.

    It never fails like :func:`tanh_naive`, but the quotient doubles the error of
    ``expm1`` for large ``|x|``: up to about 2.5 ulp against mpmath where homework
    1-7 measures it, where :func:`tanh` stays within about 1 ulp.

    Parameters
    ----------
    x : array_like of any shape
        Real numbers; ±inf and NaN allowed.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes, NaN and errors as in the module docstring.

    Examples
    --------
    >>> tanh_expm1([-800.0, 1e-300, 800.0]).tolist()
    [-1.0, 1e-300, 1.0]
    """
    return _checked(_tanh_expm1, x)


def relu(x: ArrayLike) -> Any:
    """Rectified linear unit ``max(x, 0)``, NaN propagating (homework 1-4's ``"relu"``).

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes and errors as in the module docstring.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    >>> relu(-1)
    0.0
    """
    return _checked(_relu, x)


def relu_grad(x: ArrayLike) -> Any:
    """Derivative of ReLU: 1.0 where ``x > 0``, else 0.0; NaN where ``x`` is NaN.

    At ``x = 0`` ReLU has no derivative: 0 is the usual choice; NaN gets NaN rather
    than a 0.0 that would hide it.  Used by the two-layer network of homework 1-4.

    Parameters
    ----------
    x : array_like of any shape
        The *input* of ReLU.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes and errors as in the module docstring.

    Examples
    --------
    >>> relu_grad([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    return _checked(_relu_grad, x)


def identity(x: ArrayLike) -> Any:
    """The identity ``f(x) = x`` (no activation), always as a new float array.

    With it, ``TwoLayerNet(activation="identity")`` is one linear map (homework 1-4).

    Parameters
    ----------
    x : array_like of any shape
        Real numbers.

    Returns
    -------
    ndarray or float
        A copy of ``x``; dtypes and errors as in the module docstring.

    Examples
    --------
    >>> identity([1, -2]).tolist()
    [1.0, -2.0]
    """
    return _checked(_identity, x)


def identity_grad(x: ArrayLike) -> Any:
    """Derivative of the identity: ones shaped like ``x``, NaN at NaN (homework 1-4).

    Parameters
    ----------
    x : array_like of any shape
        The input of the identity.

    Returns
    -------
    ndarray or float
        Shaped like ``x``; dtypes and errors as in the module docstring.

    Examples
    --------
    >>> identity_grad([[1, -2, 5]]).tolist()
    [[1.0, 1.0, 1.0]]
    """
    return _checked(_identity_grad, x)


ACTIVATIONS: dict[str, tuple[Kernel, Kernel]] = {
    "sigmoid": (_sigmoid, _sigmoid_grad),
    "tanh": (_tanh, _tanh_grad),
    "relu": (_relu, _relu_grad),
    "identity": (_identity, _identity_grad),
}
"""Name → ``(f, f_grad)`` kernels; ``f_grad`` is the derivative at the *input* of ``f``.

Keys ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"`` (homework 1-4).  Each kernel
computes what the public function of its name does, on float64 ndarrays only and
without checks, so that the training loop does not re-check every batch.  An underflow
to 0 (the correct rounding, e.g. of ``exp(-800)``) is left to NumPy's error state,
which ignores it by default (and in ``sgd``).

Examples
--------
>>> f, f_grad = ACTIVATIONS["tanh"]
>>> f(np.zeros(2)).tolist(), f_grad(np.zeros(2)).tolist()
([0.0, 0.0], [1.0, 1.0])
"""
