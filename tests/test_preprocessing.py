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
