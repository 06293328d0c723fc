"""Counting the positive entries of an array, and how that count is distributed (homework 1-8).

The homework draws ``p = np.random.randn(10, 10)`` and asks how many entries are
greater than 0.  :func:`count_positive` answers it for any shape; the count over
many random 10×10 matrices follows the binomial distribution Binomial(100, 1/2):
:func:`simulate_positive_counts` draws those counts from a seeded generator and
:func:`binomial_pmf` gives the distribution to compare them with.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike, as_rng, check_int, check_real

__all__ = ["binomial_pmf", "count_positive", "simulate_positive_counts"]


def count_positive(p: ArrayLike) -> int:
    """Number of entries of ``p`` strictly greater than 0.

    Parameters
    ----------
    p : array_like of any shape (a scalar too)
        Real numbers: integers, floats, or booleans (see Notes); a
        ``numpy.ma.MaskedArray`` counts only its unmasked entries.

    Returns
    -------
    int
        A Python int.  NaN, ``0.0`` and ``-0.0`` are not positive; ``+inf`` is;
        a masked entry never counts, whatever value is stored under the mask.
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
    >>> masked = np.ma.masked_array([5.0, -1.0, 2.0],
    ...                             mask=[True, False, False])
    >>> count_positive(masked)
    1
    >>> p = np.random.default_rng(0).standard_normal((10, 10))
    >>> n = int(np.count_nonzero(p > 0))
    >>> count_positive(p) == count_positive(p > 0) == n
    True
    """
    positive = _real_array(p) > 0  # TypeError unless bool, int or float
    if np.ma.isMaskedArray(p):  # masked entries are missing values
        positive = positive & ~np.ma.getmaskarray(p)
    return int(np.count_nonzero(positive))


def _real_array(p: ArrayLike) -> NDArray[Any]:
    """``np.asarray(p)`` (a masked array's data), checked to hold bool, int or float."""
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
    return arr


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
    >>> again = simulate_positive_counts(5, rng=0)  # the same seed
    >>> bool(np.array_equal(counts, again))
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


# stirlerr(m) = log(m!) - log(sqrt(2πm) (m/e)**m) for m = 0, …, 15 (0 is a placeholder,
# never used), from mpmath at 200 bits; from m = 16 on, the Stirling series below.
_STIRLERR_SMALL = np.array(
    [
        *(0.0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834),
        *(0.020790672103765093, 0.016644691189821193, 0.013876128823070748),
        *(0.01189670994589177, 0.010411265261972096, 0.009255462182712733),
        *(0.00833056343336287, 0.007573675487951841, 0.00694284010720953),
        *(0.006408994188004207, 0.0059513701127588475, 0.005554733551962801),
    ]
)


def _stirlerr(m: NDArray[np.float64]) -> NDArray[np.float64]:
    """Stirling's error ``log(m!) - log(sqrt(2πm) (m/e)**m)`` for whole numbers m >= 1."""
    out = np.empty_like(m)
    small = m <= 15
    out[small] = _STIRLERR_SMALL[m[small].astype(np.intp)]
    big = m[~small]
    mm = big * big  # 1/12m - 1/360m³ + 1/1260m⁵ - 1/1680m⁷ + 1/1188m⁹: < 1e-16 off from m = 16
    out[~small] = (
        1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * mm)) / mm) / mm) / mm
    ) / big
    return out


def _bd0(x: NDArray[np.float64], mean: float) -> NDArray[np.float64]:
    """The deviance term ``x log(x / mean) + mean - x`` (>= 0), accurate also for x ≈ mean.

    Near the mean the two sides cancel; there it is summed as the series
    ``(x - mean) v + 2x (v³/3 + v⁵/5 + …)``, ``v = (x - mean) / (x + mean)``, |v| < 0.1.
    """
    with np.errstate(over="ignore", divide="ignore"):  # x / mean = inf for a tiny mean: bd0 = inf
        out: NDArray[np.float64] = x * np.log(x / mean) + mean - x
    near = np.flatnonzero(np.abs(x - mean) < 0.1 * (x + mean))
    xs = x[near]
    v = (xs - mean) / (xs + mean)
    series, term, v2 = (xs - mean) * v, 2.0 * xs * v, v * v
    for j in range(1, 10):  # term j is below v**(2j - 1) ≤ 1e-17 of the sum by j = 9
        term *= v2
        series += term / (2 * j + 1)
    out[near] = series
    return out


MAX_TRIALS = 10**8  # binomial_pmf's largest n: its result then takes 800 MB


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
        ``pmf[k] = C(n, k) · prob**k · (1 - prob)**(n - k)``; probabilities below
        the smallest float64 are 0.

    Raises
    ------
    TypeError
        ``n`` is not an integer or ``prob`` is not a real number.
    ValueError
        ``n`` < 0 or ``n`` > ``10**8`` (the result holds n + 1 float64 values: 800 MB
        at ``10**8``), or ``prob`` is not in [0, 1] (NaN, or an int beyond float64 such
        as ``10**400``, included).

    Notes
    -----
    Loader's saddle-point form (the one R's ``dbinom`` uses), in logarithms so that
    nothing overflows::

        pmf[k] = exp(s(n) - s(k) - s(n-k)
                     - d(k, n·prob) - d(n-k, n·(1-prob)))
                 / sqrt(2π k (n - k) / n)

    with Stirling's error ``s`` and the deviance ``d`` (series near the mean).  Unlike
    ``lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)``, whose terms of size n·log n cancel,
    every term is small near the mode.  Measured against exact fractions and mpmath:
    relative error below 3e-13 for n <= 200 and every prob and k (pmf >= 1e-308);
    near the mode about 2e-15 for any n up to 10**7; in the far tails of large n
    (pmf ≈ 1e-300) up to about 3e-12.  Only the k within ``sqrt(380 n)`` of the mean
    are computed (Hoeffding: the others are below 1e-330 and round to 0), so
    ``n = 10**7`` takes about 0.05 s.  Used in homework 1-8.

    Examples
    --------
    >>> (binomial_pmf(4) * 16).round(12).tolist()
    [1.0, 4.0, 6.0, 4.0, 1.0]
    >>> round(float(binomial_pmf(100)[50]), 6)
    0.079589
    >>> binomial_pmf(2, prob=0.25).round(4).tolist()
    [0.5625, 0.375, 0.0625]
    """
    trials = check_int(n, "n", minimum=0)
    if trials > MAX_TRIALS:
        raise ValueError(
            f"n must be at most {MAX_TRIALS} (the result holds n + 1 float64 values), got {trials}"
        )
    p = check_real(prob, "prob")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"prob must be in [0, 1], got {p!r}")
    pmf = np.zeros(trials + 1)
    if p in (0.0, 1.0):  # all the mass on k = 0 or k = n
        pmf[0 if p == 0.0 else trials] = 1.0
        return pmf
    pmf[0] = math.exp(trials * math.log1p(-p))  # math.exp underflows quietly to 0.0
    pmf[trials] = math.exp(trials * math.log(p))
    half_width = math.sqrt(380.0 * trials)  # pmf[k] <= exp(-2 (k - n p)² / n) < exp(-760)
    lo = max(1, math.floor(trials * p - half_width))
    hi = min(trials - 1, math.ceil(trials * p + half_width))
    if lo <= hi:
        k = np.arange(lo, hi + 1, dtype=np.float64)
        s_n = float(_stirlerr(np.array([float(trials)]))[0])
        log_pmf = (
            s_n
            - _stirlerr(k)
            - _stirlerr(trials - k)
            - _bd0(k, trials * p)
            - _bd0(trials - k, trials * (1.0 - p))
            - 0.5 * (math.log(2 * math.pi) + np.log(k) + np.log1p(-k / trials))
        )
        with np.errstate(under="ignore"):
            pmf[lo : hi + 1] = np.exp(log_pmf)
    return pmf
