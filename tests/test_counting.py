"""dlhomework.counting: count_positive against independent counts, special values and
refusals; the simulated counts against a plain loop and the binomial law."""

from __future__ import annotations

import contextlib
import math
import signal
import time
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, floating_dtypes, integer_dtypes

from dlhomework.counting import binomial_pmf, count_positive, simulate_positive_counts


def _python_count(p) -> int:
    """Independent count: a plain Python loop over the values."""
    return sum(1 for v in np.asarray(p).ravel().tolist() if v > 0)


# -- count_positive ----------------------------------------------------------------


def test_special_values_are_not_positive():
    p = np.array([np.nan, 0.0, -0.0, -np.inf, -5e-324, np.inf, 5e-324, 1e-300])
    assert count_positive(p) == 3  # inf, the smallest subnormal, 1e-300
    assert count_positive(p) == int(np.count_nonzero(p > 0))
    assert count_positive([np.nan] * 4) == 0


def test_scalars_and_types():
    assert count_positive(3) == 1
    assert count_positive(-2.5) == 0
    assert count_positive(0.0) == 0
    assert count_positive(np.float32(1e-40)) == 1  # a float32 subnormal is > 0
    assert count_positive(np.array(7)) == 1
    assert type(count_positive([1.0, 2.0])) is int


def test_homework_matrix_three_ways(rng):
    p = rng.standard_normal((10, 10))
    q = p > 0
    assert q.dtype == np.bool_
    assert count_positive(p) == int(q.sum()) == int(np.count_nonzero(q)) == _python_count(p)


def test_integer_unsigned_and_small_float_dtypes():
    assert count_positive(np.array([-3, 0, 2, 5], dtype=np.int8)) == 2
    assert count_positive(np.array([0, 1, 255], dtype=np.uint8)) == 2
    assert count_positive(np.array([-1.0, 0.5, 2.0], dtype=np.float16)) == 2
    assert count_positive(np.array([-1.0, 0.5], dtype=np.longdouble)) == 1


def test_booleans_count_as_0_and_1():
    mask = np.array([[True, False, True], [False, False, True]])
    assert count_positive(mask) == 3
    assert count_positive(True) == 1 and count_positive(False) == 0
    p = np.random.default_rng(8).standard_normal((3, 5, 7))
    assert count_positive(p > 0) == count_positive(p) == _python_count(p)


def test_empty_and_shapes():
    assert count_positive([]) == 0
    assert count_positive(np.empty((0, 3))) == 0
    p = np.arange(-30, 75).reshape(3, 5, 7)  # distinct dimensions; positives 1 … 74
    assert count_positive(p) == 74
    assert count_positive(p[:, ::2, 1:]) == _python_count(p[:, ::2, 1:])  # strided view


def test_does_not_modify_input(rng):
    p = rng.standard_normal((5, 7))
    before = p.copy()
    count_positive(p)
    np.testing.assert_array_equal(p, before)


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        ["1.0", "2.0"],
        1 + 2j,
        np.array([1 + 0j, -1 + 0j]),
        [1, None],
        np.array([1, 2], dtype=object),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
        np.array([1, -1], dtype="timedelta64[s]"),
        [[1.0, 2.0], [3.0]],  # ragged
    ],
)
def test_rejects_non_real_input(bad):
    with pytest.raises(TypeError, match=r"^p must"):
        count_positive(bad)


@given(
    arrays(
        st.one_of(floating_dtypes(sizes=(32, 64)), integer_dtypes(), st.just(np.dtype(bool))),
        array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
    )
)
def test_matches_numpy_and_a_python_loop(p):
    expected = _python_count(p)
    assert count_positive(p) == expected
    assert count_positive(p) == int(np.count_nonzero(p > 0))


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=40))
def test_python_lists_of_floats(values):
    assert count_positive(values) == sum(1 for v in values if v > 0)


def test_masked_entries_do_not_count():
    data = np.array([[3.0, -1.0, 2.0], [np.nan, 5.0, 0.0]])
    mask = np.array([[True, False, False], [False, True, True]])
    p = np.ma.masked_array(data, mask=mask)
    assert count_positive(p) == 1  # only the unmasked 2.0; the masked 3.0 and 5.0 do not count
    assert count_positive(p) == _python_count(p.compressed())
    assert count_positive(np.ma.masked_array(data > 0, mask=mask)) == 1  # a masked boolean array
    assert count_positive(np.ma.masked_array(data, mask=True)) == 0  # everything masked
    assert count_positive(np.ma.masked_array(data)) == 3  # no mask: every entry counts
    assert count_positive(np.ma.masked) == 0
    assert count_positive(np.ma.masked_invalid([1.0, np.inf, -np.inf, 2.0])) == 2
    with pytest.raises(TypeError, match=r"^p must"):
        count_positive(np.ma.masked_array(["a", "b"], mask=[True, False]))


# -- simulate_positive_counts ------------------------------------------------------


def test_simulated_counts_match_a_plain_loop():
    counts = simulate_positive_counts(50, rng=123)
    gen = np.random.default_rng(123)
    expected = [_python_count(gen.standard_normal((10, 10))) for _ in range(50)]
    assert counts.tolist() == expected
    assert counts.dtype == np.int64 and counts.shape == (50,)


def test_simulated_counts_across_batches_match_a_plain_loop():
    # 2**19 entries per matrix: batches of 2 matrices, so 3 trials cross a batch boundary
    shape = (512, 1024)
    counts = simulate_positive_counts(3, shape, rng=9)
    gen = np.random.default_rng(9)
    expected = [int(np.sum(gen.standard_normal(shape) > 0)) for _ in range(3)]
    assert counts.tolist() == expected


def test_simulated_counts_other_shapes_and_generators():
    gen = np.random.default_rng(4)
    counts = simulate_positive_counts(200, (3, 5, 7), rng=gen)
    assert counts.min() >= 0 and counts.max() <= 105
    # a Generator is advanced, a seed is reproducible
    assert not np.array_equal(counts, simulate_positive_counts(200, (3, 5, 7), rng=gen))
    np.testing.assert_array_equal(
        simulate_positive_counts(200, (3, 5, 7), rng=4),
        simulate_positive_counts(200, (3, 5, 7), rng=np.random.default_rng(4)),
    )


def test_simulated_counts_follow_binomial_100_half():
    counts = simulate_positive_counts(20_000, rng=2026)
    # mean 50 and sd 5 in theory; the mean of 20 000 draws has sd 5/sqrt(20000) = 0.035
    assert abs(counts.mean() - 50) < 0.2
    assert abs(counts.std() - 5) < 0.15
    empirical = np.bincount(counts, minlength=101) / counts.size
    total_variation = 0.5 * np.abs(empirical - binomial_pmf(100)).sum()
    assert total_variation < 0.03


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_trials": 0}, ValueError, "n_trials must be a positive integer, got 0"),
        ({"n_trials": 2.0}, TypeError, "n_trials must be an integer"),
        ({"n_trials": True}, TypeError, "n_trials must be an integer"),
        ({"n_trials": 5, "shape": [10, 10]}, TypeError, "shape must be a tuple"),
        ({"n_trials": 5, "shape": (10, 0)}, ValueError, r"shape\[1\] must be a positive integer"),
        ({"n_trials": 5, "shape": (10, 2.5)}, TypeError, r"shape\[1\] must be an integer"),
        ({"n_trials": 5, "rng": "seed"}, TypeError, "rng must be"),
    ],
)
def test_simulate_refusals(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_positive_counts(**kwargs)


# -- binomial_pmf ------------------------------------------------------------------


def test_binomial_pmf_hand_values():
    assert (binomial_pmf(4) * 16).tolist() == pytest.approx([1.0, 4.0, 6.0, 4.0, 1.0], rel=1e-15)
    assert binomial_pmf(0).tolist() == [1.0]
    assert binomial_pmf(1, 0.25).tolist() == pytest.approx([0.75, 0.25], rel=1e-15)
    exact = Fraction(math.comb(100, 50), 2**100)
    assert binomial_pmf(100)[50] == pytest.approx(float(exact), rel=1e-15)
    assert binomial_pmf(2, 0.25).tolist() == pytest.approx([9 / 16, 6 / 16, 1 / 16], rel=1e-13)


def test_binomial_pmf_moments():
    k = np.arange(101)
    pmf = binomial_pmf(100)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-14)
    assert (k * pmf).sum() == pytest.approx(50.0, rel=1e-13)
    assert math.sqrt(((k - 50) ** 2 * pmf).sum()) == pytest.approx(5.0, rel=1e-13)


@pytest.mark.parametrize("prob", [0.1, 0.3, 0.77])
def test_binomial_pmf_general_prob(prob):
    n = 30
    expected = [math.comb(n, k) * prob**k * (1 - prob) ** (n - k) for k in range(n + 1)]
    np.testing.assert_allclose(binomial_pmf(n, prob), expected, rtol=1e-12, atol=1e-300)


def test_binomial_pmf_edges_and_large_n():
    assert binomial_pmf(3, 0.0).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert binomial_pmf(3, 1).tolist() == [0.0, 0.0, 0.0, 1.0]
    assert binomial_pmf(1200).sum() == pytest.approx(1.0, abs=1e-12)  # C(1200, 600) > 1e308
    assert binomial_pmf(1200, 0.3).sum() == pytest.approx(1.0, abs=1e-9)


def _max_rel_error_against_fractions(n: int, prob: float) -> float:
    """Largest relative error of binomial_pmf(n, prob) over every k whose exact pmf is a
    normal float64, against C(n, k) p^k (1-p)^(n-k) in exact rational arithmetic."""
    p = Fraction(prob)  # the float's exact value
    got = binomial_pmf(n, prob)
    worst = 0.0
    for k in range(n + 1):
        exact = math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if exact < Fraction(np.finfo(np.float64).tiny):
            assert got[k] < 1e-300  # denormal or 0: only its absolute size matters
            continue
        worst = max(worst, float(abs(Fraction(float(got[k])) - exact) / exact))
    return worst


def test_binomial_pmf_half_matches_exact_fractions_for_every_small_n():
    # C(n, k) / 2**n, exactly (math.comb and Fraction), for n = 0 … 200 and every k
    worst = max(_max_rel_error_against_fractions(n, 0.5) for n in range(201))
    assert worst < 1e-12


@pytest.mark.parametrize("prob", [1e-3, 0.1, 1 / 3, 0.77, 0.999])
def test_binomial_pmf_other_probs_match_exact_fractions(prob):
    worst = max(_max_rel_error_against_fractions(n, prob) for n in (1, 2, 7, 30, 99, 200))
    assert worst < 1e-12


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise TimeoutError if the block runs longer than ``seconds`` (a hang fails the test)."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not POSIX
        pytest.skip("needs signal.setitimer")

    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("prob", [0.5, 0.3])
def test_binomial_pmf_large_n_is_fast_and_sums_to_one(prob):
    for n in (10**5, 10**6, 10**7):
        start = time.perf_counter()
        with _time_limit(5.0):  # measured: 0.003 s, 0.01 s, 0.05 s; the exact ratio hung
            pmf = binomial_pmf(n, prob)
        assert time.perf_counter() - start < 2.0
        assert pmf.shape == (n + 1,)
        assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
        assert int(np.argmax(pmf)) == math.floor((n + 1) * prob)  # the mode of Binomial(n, p)
        assert np.all(pmf >= 0) and np.all(np.isfinite(pmf))


@pytest.mark.parametrize("prob", [0.5, 0.3])
def test_binomial_pmf_large_n_against_mpmath(prob):
    n = 10**4
    pmf = binomial_pmf(n, prob)
    ctx = mpmath.MPContext()
    ctx.prec = 160
    p = ctx.mpf(prob)

    def exact(k: int):
        return ctx.binomial(n, k) * p**k * (1 - p) ** (n - k)

    def rel(k: int) -> float:
        return float(abs(ctx.mpf(float(pmf[k])) - exact(k)) / exact(k))

    mode = math.floor((n + 1) * prob)
    sd = math.sqrt(n * prob * (1 - prob))
    assert max(rel(k) for k in range(mode - 30, mode + 31)) < 1e-14  # measured ≈ 2e-15
    # the far tails, down to pmf ≈ 1e-300: as documented, a few 1e-12 at worst
    tails = [mode + int(z * sd) for z in (-36, -30, -20, -10, -5, 5, 10, 20, 30, 36)]
    assert max(rel(k) for k in tails if exact(k) > 1e-300) < 5e-12
    # the k left at 0 next to the nonzero ones are truly below the smallest subnormal, and
    # so are those just outside the window computed at all (|k - n p| <= sqrt(380 n))
    zeros = np.flatnonzero(pmf == 0)
    edge = math.sqrt(380 * n)
    outside = (math.floor(n * prob - edge) - 1, math.ceil(n * prob + edge) + 1)
    for k in (int(zeros[zeros < mode].max()), int(zeros[zeros > mode].min()), *outside):
        assert pmf[k] == 0 and exact(k) < ctx.mpf(2) ** -1074


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1,), ValueError, "n must be an integer >= 0, got -1"),
        # refused before the array of n + 1 values is made (10**12 would take 8 TB)
        ((10**12,), ValueError, r"n must be at most 100000000 \(the result .*got 10{12}$"),
        ((10**8 + 1,), ValueError, "n must be at most 100000000 .*got 100000001$"),
        ((10.0,), TypeError, "n must be an integer"),
        ((10, 1.5), ValueError, r"prob must be in \[0, 1\], got 1.5"),
        ((10, -0.1), ValueError, r"prob must be in \[0, 1\]"),
        ((10, float("nan")), ValueError, "prob must be finite, got nan"),
        ((10, float("inf")), ValueError, "prob must be finite, got inf"),
        ((10, 10**400), ValueError, r"prob must be finite, got 1000.*, beyond the largest float64"),
        ((10, -(10**400)), ValueError, "prob must be finite, got -1000"),
        ((10, np.float32(1.5)), ValueError, r"prob must be in \[0, 1\], got 1.5"),
        ((10, "0.5"), TypeError, "prob must be a real number"),
        ((10, True), TypeError, "prob must be a real number"),
    ],
)
def test_binomial_pmf_refusals(args, error, match):
    with pytest.raises(error, match=match):
        binomial_pmf(*args)
