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


# -- what np.asarray does not say ----------------------------------------------------------


@pytest.mark.parametrize(
    "ragged", [[[1.0, 2.0], [3.0]], [1.0, [2.0]], [np.zeros(2), np.zeros(3)]], ids=str
)
def test_as_float_array_ragged_sequence_names_the_argument(ragged):
    with pytest.raises(
        ValueError, match="X must be a rectangular array of numbers, got a ragged sequence"
    ):
        as_float_array(ragged, "X")


def test_as_float_array_too_deep_names_the_argument():
    deep: object = 1.0
    for _ in range(70):  # NumPy allows at most 64 dimensions
        deep = [deep]
    with pytest.raises(ValueError, match="X must be a rectangular array of numbers"):
        as_float_array(deep, "X")


def test_least_squares_ragged_input_names_the_argument():
    # models.least_squares converts through as_float_array, so the central check covers it.
    from dlhomework.models import least_squares

    with pytest.raises(ValueError, match="X must be a rectangular array of numbers, got a ragged"):
        least_squares([[1.0, 2.0], [3.0]], [[1.0], [2.0]])


def test_as_float_array_masked_arrays():
    masked = np.ma.array([[1.0, 2.0], [3.0, 4.0]], mask=[[False, True], [False, True]])
    with pytest.raises(
        ValueError,
        match=r"X is a masked array with masked entries \(2, the first at index \(0, 1\)\)",
    ):
        as_float_array(masked, "X")
    clean = np.ma.array([1, 2], mask=False)
    out = as_float_array(clean, "X")
    assert type(out) is np.ndarray and out.tolist() == [1.0, 2.0]


@pytest.mark.skipif(
    np.finfo(np.longdouble).max <= np.finfo(np.float64).max, reason="longdouble is float64 here"
)
def test_as_float_array_longdouble_beyond_float64_is_refused():
    big = np.array([1.0, np.longdouble("1e400")], dtype=np.longdouble)
    for finite in (True, False):  # finite input must not become inf, even when inf is allowed
        with pytest.raises(
            ValueError, match=r"X holds 1e\+400 at index \(1,\), beyond the float64"
        ):
            as_float_array(big, "X", finite=finite)
    assert as_float_array(np.array([0.5], dtype=np.longdouble), "X").tolist() == [0.5]


@pytest.mark.parametrize(
    ("x", "culprit"),
    [
        ([1, None], r"index \(1,\) holds None of type NoneType"),
        ([[1, 2], [3, 2**70]], r"index \(1, 1\) holds 1180591620717411303424 of type int"),
        ([0.5, "a"], r"<U\d+$"),  # NumPy turns the whole list into strings
    ],
)
def test_as_float_array_object_arrays_name_the_culprit(x, culprit):
    with pytest.raises(TypeError, match=r"X must be a real numeric array, got dtype .*" + culprit):
        as_float_array(x, "X")


def test_as_float_array_keeps_float16_and_big_endian_values():
    for dtype in (np.float16, ">f8", ">i4", np.uint64):
        out = as_float_array(np.array([[1, 2], [3, 250]], dtype=dtype), "X")
        assert out.dtype == np.float64 and out.dtype.isnative
        assert out.tolist() == [[1.0, 2.0], [3.0, 250.0]]


def test_messages_survive_ints_too_long_to_print():
    # Python refuses str() of an int beyond 4300 digits; messages describe it instead.
    with pytest.raises(ValueError, match="n must be a positive integer, got a negative int of"):
        check_int(-(10**5000), "n", minimum=1)
    with pytest.raises(
        ValueError, match="lr must be a finite number > 0, got an int of 16610 bits"
    ):
        check_positive_float(10**5000, "lr")
    with pytest.raises(TypeError, match=r"rng must be .*, got 'xxxxx.*\.\.\.$"):
        as_rng("x" * 10_000)


def test_check_positive_float_beyond_float64_is_a_value_error():
    with pytest.raises(
        ValueError, match=r"lr must be a finite number > 0, got 10000.*\.\.\., beyond the float64"
    ):
        check_positive_float(10**400, "lr")
