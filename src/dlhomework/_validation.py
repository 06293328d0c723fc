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


def as_rng(rng: Any) -> np.random.Generator:
    """Turn ``rng`` (a Generator, an int seed or None) into a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(f"rng must be a numpy.random.Generator, an int seed or None, got {rng!r}")
    if int(rng) < 0:
        raise ValueError(f"rng seed must be non-negative, got {rng!r}")
    return np.random.default_rng(int(rng))


def check_int(value: Any, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum``; reject bools, floats and the rest."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    number = int(value)
    if number < minimum:
        if minimum == 1:
            raise ValueError(f"{name} must be a positive integer, got {number}")
        raise ValueError(f"{name} must be an integer >= {minimum}, got {number}")
    return number


def check_positive_float(value: Any, name: str) -> float:
    """Return ``value`` as a finite float > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {number!r}")
    return number


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
    ValueError for the wrong number of dimensions, an empty array, or NaN/inf.
    The input is never modified (a copy is made when the dtype changes).
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":  # rejects bool, complex, str, object, datetime/timedelta
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    out = arr.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(out)):
        bad = np.argwhere(~np.isfinite(out))[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(
            f"{name} must contain only finite values, got {float(out[where])!r} at index {where}"
        )
    return out
