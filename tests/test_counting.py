"""dlhomework.counting: count_positive against independent counts, special values and
refusals; the simulated counts against a plain loop and the binomial law."""

from __future__ import annotations

import math
from fractions import Fraction

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
    assert (binomial_pmf(4) * 16).tolist() == [1.0, 4.0, 6.0, 4.0, 1.0]
    assert binomial_pmf(0).tolist() == [1.0]
    exact = Fraction(math.comb(100, 50), 2**100)
    assert binomial_pmf(100)[50] == float(exact)
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


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1,), ValueError, "n must be an integer >= 0, got -1"),
        ((10.0,), TypeError, "n must be an integer"),
        ((10, 1.5), ValueError, r"prob must be in \[0, 1\], got 1.5"),
        ((10, -0.1), ValueError, r"prob must be in \[0, 1\]"),
        ((10, float("nan")), ValueError, r"prob must be in \[0, 1\], got nan"),
        ((10, "0.5"), TypeError, "prob must be a real number"),
        ((10, True), TypeError, "prob must be a real number"),
    ],
)
def test_binomial_pmf_refusals(args, error, match):
    with pytest.raises(error, match=match):
        binomial_pmf(*args)
