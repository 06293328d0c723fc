"""The shared input checks: every message names the argument and the value."""

from __future__ import annotations

import numpy as np
import pytest

from dlhomework._validation import as_float_array, as_rng, check_int, check_positive_float


def test_as_rng_accepts_generator_seed_none():
    gen = np.random.default_rng(1)
    assert as_rng(gen) is gen
    a, b = as_rng(7), as_rng(np.int64(7))
    assert a.standard_normal() == b.standard_normal()
    assert isinstance(as_rng(None), np.random.Generator)


@pytest.mark.parametrize(
    ("bad", "exc"), [(1.5, TypeError), ("3", TypeError), (True, TypeError), (-1, ValueError)]
)
def test_as_rng_rejects(bad, exc):
    with pytest.raises(exc, match="rng"):
        as_rng(bad)


def test_check_int():
    assert check_int(np.int32(3), "n") == 3
    assert type(check_int(np.int32(3), "n")) is int
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        check_int(0, "batch_size", minimum=1)
    with pytest.raises(ValueError, match="n_samples must be an integer >= 0, got -2"):
        check_int(-2, "n_samples")
    for bad in (True, 2.0, "2", None):
        with pytest.raises(TypeError, match="n must be an integer"):
            check_int(bad, "n")


def test_check_positive_float():
    assert check_positive_float(1, "lr") == 1.0
    for bad in (0, -0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"lr must be a finite number > 0, got"):
            check_positive_float(bad, "lr")
    for bad in (True, "0.1", None, 1j):
        with pytest.raises(TypeError, match="lr must be a real number"):
            check_positive_float(bad, "lr")


def test_as_float_array_converts_ints_to_a_new_float64_array():
    ints = np.array([[1, 2]])
    out = as_float_array(ints, "X", ndim=2)
    assert out.dtype == np.float64
    assert not np.shares_memory(out, ints)
    assert out.tolist() == [[1.0, 2.0]]


def test_as_float_array_rejects():
    with pytest.raises(TypeError, match="X must be a real numeric array, got dtype <U1"):
        as_float_array(["a"], "X")
    with pytest.raises(TypeError, match="complex"):
        as_float_array([1j], "X")
    with pytest.raises(TypeError, match="bool"):
        as_float_array([True], "X")
    with pytest.raises(TypeError, match="timedelta64"):
        as_float_array(np.array([1, 2], dtype="m8[s]"), "X")
    with pytest.raises(ValueError, match=r"X must be 2-D, got shape \(3,\)"):
        as_float_array([1, 2, 3], "X", ndim=2)
    with pytest.raises(ValueError, match=r"X must not be empty, got shape \(0, 2\)"):
        as_float_array(np.empty((0, 2)), "X")
    with pytest.raises(
        ValueError, match=r"X must contain only finite values, got nan at index \(1, 0\)"
    ):
        as_float_array([[0.0], [np.nan]], "X")
    assert as_float_array(np.empty((0, 2)), "X", allow_empty=True).shape == (0, 2)
    assert np.isnan(as_float_array([np.nan], "X", finite=False)[0])
