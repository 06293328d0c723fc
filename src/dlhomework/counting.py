"""Counting the positive entries of an array, and how that count is distributed (homework 1-8).

The homework draws ``p = np.random.randn(10, 10)`` and asks how many entries are
greater than 0.  :func:`count_positive` answers it for any shape; the count over
many random 10×10 matrices follows the binomial distribution Binomial(100, 1/2):
:func:`simulate_positive_counts` draws those counts from a seeded generator and
:func:`binomial_pmf` gives the distribution to compare them with.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike, as_rng, check_int

__all__ = ["binomial_pmf", "count_positive", "simulate_positive_counts"]


def count_positive(p: ArrayLike) -> int:
    """Number of entries of ``p`` strictly greater than 0.

    Parameters
    ----------
    p : array_like of any shape (a scalar too)
        Real numbers: integers, floats, or booleans (see Notes).

    Returns
    -------
    int
        A Python int.  NaN, ``0.0`` and ``-0.0`` are not positive; ``+inf`` is.
        An empty array has 0 positive entries.

    Raises
    ------
    TypeError
        ``p`` holds strings, complex numbers (which have no order), dates, or
        Python objects (e.g. ``[1, None]``), or is a ragged nested list.

    Notes
    -----
    This is ``np.count_nonzero(p > 0)``: ``p > 0`` is a boolean array and
    ``count_nonzero`` counts its True entries with vectorized byte sums, which is
    faster than ``(p > 0).sum()`` (which first widens the booleans to integers)
    and than ``np.extract(p > 0, p).size`` (which copies the positive values);
    see ``benchmarks/bench_tanh_counting.py``.

    Booleans are accepted as the numbers 0 and 1, as NumPy compares them
    (``True > 0`` is True), so ``count_positive(p > 0) == count_positive(p)``: the
    count of a boolean mask is its number of True entries.

    Used in homework 1-8.

    Examples
    --------
    >>> count_positive([[0.5, -1.0], [0.0, 2.0]])
    2
    >>> count_positive([float("nan"), -0.0, 0.0, float("inf")])
    1
    >>> count_positive(3)
    1
    >>> p = np.random.default_rng(0).standard_normal((10, 10))
    >>> count_positive(p) == count_positive(p > 0) == int(np.count_nonzero(p > 0))
    True
    """
    try:
        arr = np.asarray(p)
    except ValueError as exc:  # ragged nested lists
        raise TypeError(f"p must be a rectangular array of real numbers: {exc}") from None
    # kinds: b bool, i/u (un)signed int, f float — not timedelta64 (a NumPy "integer")
    if arr.dtype.kind not in "biuf":
        shown = f" ({p!r})" if arr.ndim == 0 else ""
        raise TypeError(
            f"p must hold real numbers (bool, int or float), got dtype {arr.dtype}{shown}"
        )
    if arr.dtype == np.bool_:
        return int(np.count_nonzero(arr))
    return int(np.count_nonzero(np.greater(arr, 0)))


def simulate_positive_counts(
    n_trials: int, shape: tuple[int, ...] = (10, 10), *, rng: RngLike = None
) -> NDArray[np.int64]:
    """Count the positive entries of ``n_trials`` standard-normal matrices.

    Parameters
    ----------
    n_trials : int
        How many matrices to draw, >= 1.
    shape : tuple of int, default (10, 10)
        The shape of each matrix (the homework's ``np.random.randn(10, 10)``);
        every entry >= 1.
    rng : numpy.random.Generator, int or None
        Source of the random numbers (a seed gives the same counts every time).

    Returns
    -------
    ndarray of shape (n_trials,), int64
        ``counts[i]`` = the number of entries > 0 of the i-th matrix, drawn with
        ``rng.standard_normal(shape)``.  Each count is Binomial(n, 1/2) with
        n = prod(shape) entries: mean n/2, standard deviation sqrt(n)/2.

    Raises
    ------
    TypeError
        ``n_trials`` or an entry of ``shape`` is not an integer; ``shape`` is not
        a tuple.
    ValueError
        ``n_trials`` < 1 or an entry of ``shape`` < 1.

    Notes
    -----
    The matrices are drawn in batches of at most about a million numbers, so
    memory stays small for any ``n_trials``; the counts are exactly those of
    drawing the matrices one after another from the same generator.
    Used in homework 1-8.

    Examples
    --------
    >>> counts = simulate_positive_counts(5, rng=0)
    >>> counts.shape, bool(np.all((0 <= counts) & (counts <= 100)))
    ((5,), True)
    >>> bool(np.array_equal(counts, simulate_positive_counts(5, rng=0)))  # seeded
    True
    """
    n = check_int(n_trials, "n_trials", minimum=1)
    if not isinstance(shape, tuple):
        raise TypeError(f"shape must be a tuple of ints, got {shape!r}")
    dims = tuple(check_int(d, f"shape[{i}]", minimum=1) for i, d in enumerate(shape))
    gen = as_rng(rng)
    size = math.prod(dims)
    per_batch = max(1, 2**20 // size)
    counts = np.empty(n, dtype=np.int64)
    for start in range(0, n, per_batch):
        k = min(per_batch, n - start)
        # k matrices drawn at once = the same stream as k separate draws of `dims`
        draws = gen.standard_normal((k, size))
        counts[start : start + k] = np.count_nonzero(draws > 0, axis=1)
    return counts


def binomial_pmf(n: int, prob: float = 0.5) -> NDArray[np.float64]:
    """Probabilities of 0, 1, …, n successes in ``n`` independent trials.

    Parameters
    ----------
    n : int
        Number of trials, >= 0 (100 for a 10×10 matrix).
    prob : float, default 0.5
        Success probability of each trial, in [0, 1] (P(x > 0) = 1/2 for a
        standard normal x).

    Returns
    -------
    ndarray of shape (n + 1,), float64
        ``pmf[k] = C(n, k) · prob**k · (1 - prob)**(n - k)``.

    Raises
    ------
    TypeError
        ``n`` is not an integer or ``prob`` is not a real number.
    ValueError
        ``n`` < 0, or ``prob`` is not in [0, 1].

    Notes
    -----
    For ``prob = 1/2`` every probability is ``C(n, k) / 2**n``, an exact integer
    ratio (``math.comb``) rounded once; other ``prob`` are computed in logarithms
    (accurate to ~1e-13 relative), so that nothing overflows for large ``n``.
    Used in homework 1-8.

    Examples
    --------
    >>> (binomial_pmf(4) * 16).tolist()
    [1.0, 4.0, 6.0, 4.0, 1.0]
    >>> round(float(binomial_pmf(100)[50]), 6)
    0.079589
    >>> binomial_pmf(2, prob=0.25).round(4).tolist()
    [0.5625, 0.375, 0.0625]
    """
    trials = check_int(n, "n", minimum=0)
    value: object = prob  # checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"prob must be a real number, got {value!r} ({type(value).__name__})")
    q = float(value)
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"prob must be in [0, 1], got {q!r}")
    if q == 0.5:
        # C(n, k) / 2**n: an exact rational, rounded once by int / int division
        return np.array([math.comb(trials, k) / 2**trials for k in range(trials + 1)])
    k = np.arange(trials + 1, dtype=np.float64)
    if q in (0.0, 1.0):  # all the mass on k = 0 or k = n
        pmf = np.zeros(trials + 1)
        pmf[0 if q == 0.0 else trials] = 1.0
        return pmf
    # in logarithms, so that C(n, k) (too big for a float from n ≈ 1030) never overflows
    log_comb = np.array(
        [
            math.lgamma(trials + 1) - math.lgamma(j + 1) - math.lgamma(trials - j + 1)
            for j in range(trials + 1)
        ]
    )
    log_pmf: NDArray[np.float64] = log_comb + k * math.log(q) + (trials - k) * math.log1p(-q)
    return np.exp(log_pmf)
