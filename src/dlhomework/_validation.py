"""Input checks shared by every module (private).

Every public function validates its arguments with these helpers, so that bad
input raises one kind of message everywhere: the argument's name and the value
received, e.g. ``ValueError: batch_size must be a positive integer, got 0``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

RngLike = np.random.Generator | int | None
"""What every ``rng`` argument accepts: a Generator, an int seed or None."""

_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1


def describe(value: Any, limit: int = 80) -> str:
    """``repr(value)`` for an error message, cut to ``limit`` characters.

    Never raises: an int too long for ``str`` (Python refuses beyond 4300 digits)
    is described by its size instead.
    """
    try:
        text = repr(value)
    except ValueError:  # int beyond sys.get_int_max_str_digits()
        if isinstance(value, int):
            return f"{'a negative' if value < 0 else 'an'} int of {value.bit_length()} bits"
        return f"a {type(value).__name__} object"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_rng(rng: Any) -> np.random.Generator:
    """Turn ``rng`` (a Generator, an int seed or None) into a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"rng must be a numpy.random.Generator, an int seed or None, got {describe(rng)}"
        )
    if int(rng) < 0:
        raise ValueError(f"rng seed must be non-negative, got {describe(rng)}")
    return np.random.default_rng(int(rng))


def check_int(value: Any, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum``; reject bools, floats and the rest."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {describe(value)} ({type(value).__name__})"
        )
    number = int(value)
    if number < minimum:
        if minimum == 1:
            raise ValueError(f"{name} must be a positive integer, got {describe(number)}")
        raise ValueError(f"{name} must be an integer >= {minimum}, got {describe(number)}")
    return number


def check_positive_float(value: Any, name: str) -> float:
    """Return ``value`` as a finite float > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {describe(value)} ({type(value).__name__})"
        )
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction beyond the float64 range
        raise ValueError(
            f"{name} must be a finite number > 0, got {describe(value)}, beyond the float64 range"
        ) from None
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {number!r}")
    return number


def check_real(value: Any, name: str, *, minimum: float | None = None) -> float:
    """Return ``value`` as a finite float (``>= minimum`` when given).

    Bools, strings and other non-reals are a TypeError; NaN, inf and numbers beyond
    the float64 range (the int ``10**400``) a ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    try:
        number = float(value)
    except OverflowError:  # e.g. the int 10**400
        raise ValueError(
            f"{name} must be finite, got {describe(value, 40)}, beyond the largest "
            "float64 (1.8e308)"
        ) from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {number!r}")
    return number


def as_real_array(x: ArrayLike, name: str) -> NDArray[Any]:
    """``x`` (any shape, NaN and inf allowed) as float32 if it is float32 in either byte
    order, else as float64; bools, strings, complex, objects and masked arrays refused."""
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
    if arr.dtype.kind not in "iuf":  # not bool, complex, str, object, timedelta64
        raise TypeError(
            f"{name} must be real numbers (int or float), got dtype {arr.dtype}"
            + (f" from {x!r}" if arr.ndim == 0 else "")
        )
    is32 = arr.dtype.kind == "f" and arr.dtype.itemsize == 4  # ">f4" != np.float32
    return arr.astype(np.float32 if is32 else np.float64, copy=False)


def as_float_array(
    x: ArrayLike,
    name: str,
    *,
    ndim: int | None = None,
    allow_empty: bool = False,
    finite: bool = True,
) -> NDArray[np.float64]:
    """Return ``x`` as a float64 array after checking dtype, dimensions and values.

    Raises TypeError for non-numeric input (strings, objects, complex numbers) and
    ValueError for a ragged sequence, a masked array with masked entries, the
    wrong number of dimensions, an empty array, NaN/inf (unless ``finite=False``)
    or a finite value beyond the float64 range (from ``np.longdouble``).
    The input is never modified (a copy is made when the dtype changes).
    """
    if isinstance(x, np.ma.MaskedArray):
        masked = np.ma.getmaskarray(x)
        if masked.any():
            where = tuple(int(i) for i in np.argwhere(masked)[0])
            raise ValueError(
                f"{name} is a masked array with masked entries ({int(masked.sum())}, the first "
                f"at index {where}): fill or drop them first, e.g. with numpy.ma.filled"
            )
        x = np.ma.getdata(x)
    try:
        arr = np.asarray(x)
    except ValueError as err:  # NumPy: "setting an array element with a sequence. ..."
        what = "a ragged sequence" if "inhomogeneous" in str(err) else "something NumPy refused"
        raise ValueError(
            f"{name} must be a rectangular array of numbers, got {what} ({err})"
        ) from None
    if arr.dtype.kind not in "iuf":  # rejects bool, complex, str, object, datetime/timedelta
        raise TypeError(
            f"{name} must be a real numeric array, got dtype {arr.dtype}{_culprit(arr)}"
        )
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    with np.errstate(over="ignore"):  # np.longdouble beyond float64: checked just below
        out = arr.astype(np.float64, copy=False)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 8:
        lost = np.isinf(out) & np.isfinite(arr)
        if lost.any():
            where = tuple(int(i) for i in np.argwhere(lost)[0])
            raise ValueError(
                f"{name} holds {arr[where]!s} at index {where}, beyond the float64 range"
            )
    if finite and not np.all(np.isfinite(out)):
        bad = np.argwhere(~np.isfinite(out))[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(
            f"{name} must contain only finite values, got {float(out[where])!r} at index {where}"
        )
    return out


def _culprit(arr: NDArray[Any]) -> str:
    """For an object array, name its first element that is not a float64-sized real number."""
    if arr.dtype != object:
        return ""
    for where, item in np.ndenumerate(arr):
        fits = isinstance(item, (float, np.floating, np.integer)) or (
            isinstance(item, int) and _INT64_MIN <= item <= _UINT64_MAX
        )
        if isinstance(item, bool) or not fits:
            return f" (index {where} holds {describe(item)} of type {type(item).__name__})"
    return ""


def check_str(value: Any, name: str) -> str:
    """Return ``value`` if it is a ``str``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {describe(value)} ({type(value).__name__})")
    return value


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool; only ``bool`` and ``numpy.bool_`` are accepted."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, got {describe(value)} ({type(value).__name__})")
    return bool(value)


def check_features(X: ArrayLike, n_features: int, owner: str) -> NDArray[np.float64]:
    """``X`` as a finite float64 ``(n_samples, n_features)`` array for the model ``owner``."""
    arr = as_float_array(X, "X", ndim=2)
    if arr.shape[1] != n_features:
        raise ValueError(
            f"X has {arr.shape[1]} features (shape {arr.shape}) but this {owner} "
            f"expects n_features={n_features}"
        )
    return arr


def check_targets(y: ArrayLike, n_samples: int) -> NDArray[np.float64]:
    """``y`` as a finite float64 ``(n_samples, 1)`` array.

    A 1-D ``(n_samples,)`` array is refused: ``(n,) - (n, 1)`` broadcasts to ``(n, n)``.
    """
    arr = as_float_array(y, "y")
    if arr.ndim != 2 or arr.shape[1] != 1:
        hint = " (reshape it with y.reshape(-1, 1))" if arr.ndim == 1 else ""
        raise ValueError(f"y must have shape (n_samples, 1), got shape {arr.shape}{hint}")
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"X and y must have the same number of samples, got X with {n_samples} "
            f"and y with {arr.shape[0]}"
        )
    return arr
