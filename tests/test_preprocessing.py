"""dlhomework.preprocessing.Normalizer: formulas, round trips and every refusal."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlhomework.preprocessing import METHODS, Normalizer, NotFittedError


def test_hand_computed_mean_range():
    # column 0: mean 3, range 4; column 1: mean 20, range 20
    train = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    norm = Normalizer().fit(train)
    assert norm.mean_.tolist() == [3.0, 20.0]
    assert norm.min_.tolist() == [1.0, 10.0]
    assert norm.max_.tolist() == [5.0, 30.0]
    assert norm.transform([[9.0, 0.0]]).tolist() == [[1.5, -1.0]]


def test_hand_computed_min_max():
    norm = Normalizer("min-max").fit([[2.0], [6.0]])
    assert norm.transform([[2.0], [4.0], [10.0]]).tolist() == [[0.0], [0.5], [2.0]]


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=50, deadline=None)
@given(
    data=arrays(
        np.float64,
        st.tuples(st.integers(2, 20), st.integers(1, 6)),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    )
)
def test_round_trip(method, data):
    # constant or nearly constant columns are refused or ill-conditioned
    assume(np.all(np.ptp(data, axis=0) >= 1e-3))
    norm = Normalizer(method).fit(data)
    back = norm.inverse_transform(norm.transform(data))
    np.testing.assert_allclose(back, data, rtol=1e-9, atol=1e-6)


def test_columns_subset_matches_full_transform(rng):
    data = rng.normal(size=(50, 5)) * [1, 10, 100, 1000, 5]
    norm = Normalizer().fit(data)
    full = norm.transform(data)
    np.testing.assert_allclose(norm.transform(data[:, [4, 1]], columns=[4, 1]), full[:, [4, 1]])
    np.testing.assert_allclose(norm.transform(data[:, -1:], columns=[-1]), full[:, -1:])
    np.testing.assert_allclose(
        norm.inverse_transform(full[:, [2]], columns=[2]), data[:, [2]], rtol=1e-12
    )


def test_does_not_modify_input(rng):
    data = rng.normal(size=(10, 3))
    copy = data.copy()
    norm = Normalizer().fit(data)
    norm.transform(data)
    norm.inverse_transform(data)
    np.testing.assert_array_equal(data, copy)


def test_integer_input_is_accepted():
    norm = Normalizer().fit(np.array([[0, 0], [2, 4]]))
    assert norm.transform(np.array([[1, 2]])).tolist() == [[0.0, 0.0]]


def test_unknown_method():
    with pytest.raises(ValueError, match=r"method must be one of .* got 'zscore'"):
        Normalizer("zscore")


@pytest.mark.parametrize("call", ["transform", "inverse_transform"])
def test_use_before_fit(call):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(Normalizer(), call)([[1.0]])


def test_not_fitted_error_is_runtime_error():
    assert issubclass(NotFittedError, RuntimeError)


def test_wrong_column_count():
    norm = Normalizer().fit([[0.0, 1.0], [1.0, 3.0]])
    with pytest.raises(ValueError, match="has 3 columns but the normalizer expects 2"):
        norm.transform([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"expects 1 \(columns=\[0\]\)"):
        norm.inverse_transform([[1.0, 2.0]], columns=[0])


@pytest.mark.parametrize("columns", [[2], [-3], [], [0.5], [[0]]])
def test_bad_columns(columns):
    norm = Normalizer().fit([[0.0, 1.0], [1.0, 3.0]])
    with pytest.raises(ValueError, match="columns"):
        norm.transform([[1.0]], columns=columns)


def test_constant_column_names_the_column():
    data = np.array([[1.0, 5.0, 0.0], [2.0, 5.0, 1.0]])
    with pytest.raises(ValueError, match=r"column 1 of data is constant \(max == min == 5.0\)"):
        Normalizer().fit(data)


def test_failed_fit_keeps_previous_state():
    norm = Normalizer().fit([[0.0], [2.0]])
    with pytest.raises(ValueError, match="constant"):
        norm.fit([[7.0], [7.0]])
    assert norm.mean_.tolist() == [1.0]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values(bad):
    with pytest.raises(ValueError, match="finite"):
        Normalizer().fit([[0.0], [bad]])
    norm = Normalizer().fit([[0.0], [1.0]])
    with pytest.raises(ValueError, match="finite"):
        norm.transform([[bad]])


def test_shape_and_type_errors():
    with pytest.raises(ValueError, match="2-D"):
        Normalizer().fit([1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        Normalizer().fit(np.empty((0, 3)))
    with pytest.raises(TypeError, match="numeric"):
        Normalizer().fit([["a"], ["b"]])


def test_range_that_overflows_is_refused():
    with pytest.raises(ValueError, match=r"column 1 of data spans -1\.7e\+308 to 1\.7e\+308"):
        Normalizer().fit([[0.0, -1.7e308], [1.0, 1.7e308]])


@pytest.mark.parametrize("bad", [[1.0], [[np.nan]], np.empty((0, 1))], ids=["1-D", "nan", "empty"])
def test_inverse_transform_checks_its_input(bad):
    norm = Normalizer().fit([[0.0], [1.0]])
    with pytest.raises(ValueError, match="data"):
        norm.inverse_transform(bad)


def test_repr():
    assert repr(Normalizer("min-max")) == "Normalizer(method='min-max')"


# -- finite inputs never give inf or NaN silently ---------------------------------------

TINY = float(np.finfo(np.float64).tiny)  # 2.2250738585072014e-308, the smallest normal


@pytest.mark.parametrize("span", [1e-310, 5e-324, TINY / 2])
def test_subnormal_range_is_refused_and_keeps_previous_state(span):
    norm = Normalizer().fit([[0.0], [2.0]])
    with pytest.raises(ValueError, match=rf"column 1 of data has range {span!r}, too small"):
        norm.fit([[0.0, 0.0], [1.0, span]])
    assert norm.mean_.tolist() == [1.0] and norm.n_columns_ == 1


def test_smallest_normal_range_is_accepted():
    norm = Normalizer().fit([[0.0], [TINY]])
    assert norm.transform([[0.0], [TINY]]).tolist() == [[-0.5], [0.5]]
    assert norm.transform([[1.5 * TINY]]).tolist() == [[1.0]]


def test_transform_overflow_names_the_column():
    # Column 1 has range 1e-300; 1e10 lies 1e310 ranges away from its mean 0.5e-300.
    norm = Normalizer().fit([[0.0, 0.0], [1.0, 1e-300]])
    with pytest.raises(
        ValueError, match=r"transform overflows float64 at data\[1, 0\] \(fitted column 1\)"
    ):
        norm.transform([[0.0], [1e10]], columns=[1])
    with pytest.raises(ValueError, match=r"at data\[0, 1\] \(fitted column 1\)"):
        norm.transform([[0.0, -1e10]])


def test_inverse_transform_overflow_names_the_column():
    norm = Normalizer().fit([[0.0, 0.0], [1.0, 1e300]])
    with pytest.raises(
        ValueError, match=r"inverse_transform overflows float64 at data\[0, 0\] \(fitted column 1\)"
    ):
        norm.inverse_transform([[1e10]], columns=[-1])


def test_finite_results_with_overflowing_intermediates_are_computed():
    # min-max on [-1e308, -0.5e308]: offset -1e308, range 0.5e308.
    norm = Normalizer("min-max").fit([[-1e308], [-0.5e308]])
    # (1e308 - (-1e308)) / 0.5e308 = 4, though 1e308 + 1e308 overflows.
    assert norm.transform([[1e308]])[0, 0] == pytest.approx(4.0, rel=1e-15)
    norm = Normalizer("min-max").fit([[-1.5e308], [0.0]])
    # 1.9 * 1.5e308 - 1.5e308 = 0.9 * 1.5e308 = 1.35e308, though 1.9 * 1.5e308 overflows.
    assert norm.inverse_transform([[1.9]])[0, 0] == pytest.approx(1.35e308, rel=1e-15)


def test_mean_whose_sum_overflows_is_computed():
    # 1e308 + 1.5e308 overflows, the mean 1.25e308 does not.
    norm = Normalizer().fit([[1e308, 0.0], [1.5e308, 1.0]])
    assert norm.mean_[0] == pytest.approx(1.25e308, rel=1e-15)
    np.testing.assert_allclose(
        norm.transform([[1e308, 0.0], [1.5e308, 1.0]]), [[-0.5, -0.5], [0.5, 0.5]], rtol=1e-15
    )


# -- input forms --------------------------------------------------------------------------


def test_ragged_input_names_the_argument():
    with pytest.raises(
        ValueError, match="data must be a rectangular array of numbers, got a ragged"
    ):
        Normalizer().fit([[1.0, 2.0], [3.0]])
    norm = Normalizer().fit([[0.0, 0.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="data must be a rectangular array"):
        norm.transform([[1.0, 2.0], [3.0]])
    with pytest.raises(
        ValueError, match=r"columns must be a non-empty sequence of ints, got \[\[0\], 1\]"
    ):
        norm.transform([[1.0, 2.0]], columns=[[0], 1])


def test_masked_entries_are_refused():
    data = np.ma.array([[0.0, 1.0], [2.0, 1e300]], mask=[[False, False], [False, True]])
    with pytest.raises(
        ValueError,
        match=r"data is a masked array with masked entries \(1, the first at index \(1, 1\)\)",
    ):
        Normalizer().fit(data)
    # Nothing masked: the values are used as they are.
    unmasked = np.ma.array([[0.0], [2.0]], mask=False)
    assert Normalizer().fit(unmasked).mean_.tolist() == [1.0]


def test_float16_and_big_endian_input_give_float64_results():
    data = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    norm = Normalizer().fit(data.astype(np.float16))
    assert norm.mean_.dtype == np.float64 and norm.mean_.tolist() == [3.0, 20.0]
    out = norm.transform(data.astype(">f8"))
    assert out.dtype == np.float64 and out.dtype.isnative
    assert out.tolist() == [[-0.5, -0.5], [0.0, 0.5], [0.5, 0.0]]


@pytest.mark.parametrize("method", [np.array(["min-max"]), ["mean-range"], None])
def test_method_must_be_a_string(method):
    with pytest.raises(ValueError, match="method must be one of"):
        Normalizer(method)


finite_floats = st.floats(allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=200)
@given(
    train=arrays(np.float64, st.tuples(st.integers(1, 4), st.just(2)), elements=finite_floats),
    new=arrays(np.float64, st.tuples(st.integers(1, 4), st.just(2)), elements=finite_floats),
)
def test_finite_in_finite_out_or_a_clear_error(method, train, new):
    # Over the whole float64 range (subnormals and values near 1.8e308 included): fit,
    # transform and inverse_transform either return finite numbers or raise ValueError.
    norm, error = _outcome(Normalizer(method).fit, train)
    if norm is None:
        assert "column" in error
        return
    assert np.isfinite(norm.mean_).all()
    assert np.all(norm.min_ <= norm.mean_) and np.all(norm.mean_ <= norm.max_)
    for op in (norm.transform, norm.inverse_transform):
        out, error = _outcome(op, new)
        if out is None:
            assert "overflows float64" in error and "fitted column" in error
        else:
            assert np.isfinite(out).all()


def _outcome(func, arg):
    """(result, "") or (None, the ValueError's message)."""
    try:
        return func(arg), ""
    except ValueError as err:
        return None, str(err)
