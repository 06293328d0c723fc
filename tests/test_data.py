"""dlhomework.data: the shipped file, the ordered split and load_data."""

from __future__ import annotations

import hashlib
import os
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlhomework.data import (
    COLUMN_NAMES,
    FEATURE_NAMES,
    features_and_target,
    housing_path,
    load_data,
    load_housing,
    train_test_split,
)

# Independent facts about the UCI file (PROVENANCE.md, and the UCIHousing docstring).
SHA256 = "b94b24222e17c9570ec07962c418136bad9b1910db42a5b79d268e417abab846"
FIRST_MEDV = [24.0, 21.6, 34.7, 33.4, 36.2, 28.7, 22.9, 27.1, 16.5, 18.9]
FIRST_ROW = [0.00632, 18.0, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296.0, 15.3, 396.9, 4.98, 24.0]


def test_names():
    assert len(FEATURE_NAMES) == 13
    assert COLUMN_NAMES == (*FEATURE_NAMES, "MEDV")
    assert FEATURE_NAMES[5] == "RM"


def test_shipped_file_is_the_documented_one():
    path = housing_path()
    assert path.is_file()
    assert "site-packages" in str(path) or "src" in str(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256


def test_load_housing_values():
    data = load_housing()
    assert data.shape == (506, 14)
    assert data.dtype == np.float64
    assert data[:10, -1].tolist() == FIRST_MEDV
    np.testing.assert_array_equal(data[0], FIRST_ROW)
    # Same numbers as the course's reader.
    np.testing.assert_array_equal(data.ravel(), np.fromfile(housing_path(), sep=" "))


def test_load_housing_missing_file(tmp_path: Path):
    missing = tmp_path / "nope.data"
    with pytest.raises(FileNotFoundError, match=r"nope\.data"):
        load_housing(missing)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("1 2 3 abc " + "1 " * 10, "line 1, value 4 [(]CHAS[)] holds 'abc', which is not a plain"),
        ("1 " * 27, "line 1 holds 27 numbers, expected 14"),
        ("1 " * 13 + "nan", "line 1, value 14 [(]MEDV[)] holds 'nan', a non-finite value"),
        ("1 " * 14 + "\ninf " + "1 " * 13, "line 2, value 1 [(]CRIM[)] holds 'inf', a non-finite"),
    ],
)
def test_load_housing_bad_files(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.data"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_housing(path)


ROW = " ".join(str(v) for v in FIRST_ROW)  # one good line of 14 numbers


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # 28 lines of 7 numbers: 196 = 14 * 14, so a flat reader sees 14 rows of 14
        ("1 2 3 4 5 6 7\n" * 28, "line 1 holds 7 numbers, expected 14"),
        # 13 then 15 numbers: 28 per pair, again a multiple of 14
        (("1 " * 13 + "\n" + "1 " * 15 + "\n") * 3, "line 1 holds 13 numbers, expected 14"),
        (ROW + "\n" + "1 " * 15 + "\n" + "1 " * 13, "line 2 holds 15 numbers, expected 14"),
        (ROW + "\n\n" + ROW + " 7\n" + "1 " * 13, "line 3 holds 15 numbers"),
    ],
    ids=["7-per-line", "13-15", "15-13", "after-blank-line"],
)
def test_load_housing_rows_must_line_up(tmp_path: Path, content: str, message: str):
    path = tmp_path / "misaligned.data"
    path.write_text(content)
    assert np.fromfile(path, sep=" ").size % 14 == 0  # the course's reader would accept it
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + message):
        load_housing(path)


@pytest.mark.parametrize(
    "token",
    [
        "1_000",  # float() accepts underscores
        "\u0661\u0662",  # Arabic-Indic 12: float() accepts it
        "\uff11\uff12",  # full-width 12: float() accepts it
        "12\u00a03",  # a no-break space inside a token
        "\u2003",  # an em space alone
        "0x1A",
        "1.2.3",
        "1e",
        "+-1",
        ".",
        "1,5",
        "12\x1c3",  # a control character str.split() takes for whitespace
    ],
)
def test_load_housing_accepts_only_plain_decimal_numbers(tmp_path: Path, token: str):
    path = tmp_path / "token.data"
    path.write_text(ROW + "\n" + "1 " * 5 + token + " 1" * 8 + "\n", encoding="utf-8")
    expected = f"line 2, value 6 (RM) holds {token!r}, which is not a plain decimal number"
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_housing(path)


@pytest.mark.parametrize("token", ["nan", "-inf", "Infinity", "NaN"])
def test_load_housing_refuses_non_finite_words(tmp_path: Path, token: str):
    path = tmp_path / "nonfinite.data"
    path.write_text("1 " * 13 + token + "\n")
    with pytest.raises(ValueError, match=f"line 1, value 14 \\(MEDV\\) holds '{token}', a non-fin"):
        load_housing(path)


def test_load_housing_refuses_overflowing_numbers(tmp_path: Path):
    path = tmp_path / "overflow.data"
    path.write_text(ROW + "\n" + ROW + "\n" + "1 1e999" + " 1" * 12 + "\n")
    with pytest.raises(ValueError, match=r"line 3, value 2 \(ZN\) holds '1e999', which overflows"):
        load_housing(path)


def test_load_housing_reads_plain_number_forms(tmp_path: Path):
    # Every form of the rule: sign, no integer part, no fraction, exponents, and any
    # ASCII whitespace between numbers; values by hand.
    line = "+1 -2 .5 5. 1e3 1E-2 -.25e+1 007 0 -0 3.\t4 \t5\x0b6\x0c7"
    path = tmp_path / "forms.data"
    path.write_text(line + "\n")
    expected = [1, -2, 0.5, 5, 1000, 0.01, -2.5, 7, 0, 0, 3, 4, 5, 6, 7]
    # 15 numbers: \x0b and \x0c separate numbers within the line, they do not end it
    with pytest.raises(ValueError, match="line 1 holds 15 numbers"):
        load_housing(path)
    path.write_text(line.replace("007 ", "") + "\n")
    del expected[7]
    assert load_housing(path).tolist() == [expected]


def test_load_housing_tolerates_bom_blank_lines_and_line_endings(tmp_path: Path):
    path = tmp_path / "windows.data"
    path.write_bytes(
        b"\xef\xbb\xbf" + b"\r\n".join([b"", ROW.encode(), b"  \t", ROW.encode(), b"", b""])
    )
    np.testing.assert_array_equal(load_housing(path), [FIRST_ROW, FIRST_ROW])
    path.write_bytes(b"\r".join([ROW.encode(), ROW.encode()]))  # old Mac line ends
    assert load_housing(path).shape == (2, 14)
    path.write_bytes(b"\xef\xbb\xbf\n\n")
    with pytest.raises(ValueError, match="is empty"):
        load_housing(path)


def test_load_housing_refuses_text_that_is_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.data"
    path.write_bytes(ROW.encode() + b"\n1 2\xe9 " + b"1 " * 12)  # \xe9: 'é' in Latin-1
    offset = len(ROW) + 4
    with pytest.raises(
        ValueError,
        match=rf"latin1\.data': line 2 is not UTF-8 text \(byte 0xe9 at offset {offset}\)",
    ):
        load_housing(path)


def test_load_housing_error_names_line_when_rows_are_long(tmp_path: Path):
    # The whole shipped file with one value of line 300 replaced by a word.
    lines = housing_path().read_text().splitlines()
    lines[299] = lines[299].replace(" 0 ", " zero ", 1)
    path = tmp_path / "housing.data"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"line 300, value 4 \(CHAS\) holds 'zero'"):
        load_housing(path)


@pytest.mark.parametrize("bad", [3, 2.5, b"housing.data", ["a"]])
def test_load_housing_path_type(bad):
    with pytest.raises(
        TypeError, match=re.escape(f"path must be a str or os.PathLike of str, got {bad!r}")
    ):
        load_housing(bad)


def test_load_housing_directory_and_special_paths(tmp_path: Path):
    with pytest.raises(IsADirectoryError, match=re.escape(f"{str(tmp_path)!r} is a directory")):
        load_housing(tmp_path)
    with pytest.raises(ValueError, match="path must not be empty"):
        load_housing("")
    if os.path.exists(os.devnull):
        with pytest.raises(ValueError, match="is not a regular file"):
            load_housing(os.devnull)


@given(
    values=arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.just(14)),
        elements=st.floats(allow_nan=False, allow_infinity=False),
    ),
    sep=st.sampled_from([" ", "  ", "\t", " \t "]),
    eol=st.sampled_from(["\n", "\r\n", "\n\n"]),
)
def test_load_housing_reads_back_what_was_written(tmp_path_factory, values, sep, eol):
    # Any finite float64 written as repr() reads back bit for bit.
    path = tmp_path_factory.mktemp("rt") / "rt.data"
    path.write_bytes(eol.join(sep.join(repr(float(v)) for v in row) for row in values).encode())
    np.testing.assert_array_equal(load_housing(path), values)


def test_truncated_copy_of_real_file(tmp_path: Path):
    path = tmp_path / "housing.data"
    path.write_text(housing_path().read_text()[:-40])
    # The last line " 0.04741   0.00  11.930  0  0.5730   6.0300  80.80   2.5050   1  273.0
    # 21.00 396.90   7.88  11.90" loses its newline and last 39 characters: 8 numbers are
    # left, the 8th cut from 2.5050 to 2.505, still a number.
    with pytest.raises(
        ValueError, match="line 506 holds 8 numbers, expected 14: the file is trunc"
    ):
        load_housing(path)


def test_load_housing_accepts_str_path():
    assert load_housing(str(housing_path())).shape == (506, 14)


def test_train_test_split_is_ordered_and_copies():
    data = load_housing()
    train, test = train_test_split(data)
    assert train.shape == (404, 14) and test.shape == (102, 14)  # int(506 * 0.8) = 404
    np.testing.assert_array_equal(np.vstack([train, test]), data)
    train[0, 0] = -1.0
    assert data[0, 0] == pytest.approx(0.00632)


@pytest.mark.parametrize(
    "ratio", [0, 1, -0.5, 1.5, float("nan"), float("inf"), Fraction(3, 2), Decimal("NaN")]
)
def test_train_test_split_bad_ratio(ratio):
    with pytest.raises(ValueError, match="ratio must be a number strictly between 0 and 1"):
        train_test_split(np.ones((10, 2)), ratio)


@pytest.mark.parametrize("ratio", [True, np.bool_(True), "0.8", None, 0.5j, [0.5], np.ones(1)])
def test_train_test_split_ratio_type(ratio):
    with pytest.raises(TypeError, match="ratio must be a real number strictly between 0 and 1"):
        train_test_split(np.ones((10, 2)), ratio)


@pytest.mark.parametrize(
    "ratio",
    [np.float32(0.5), np.float16(0.5), np.float64(0.5), np.longdouble(0.5), np.array(0.5),
     Fraction(1, 2), Decimal("0.5")],
    ids=lambda r: type(r).__name__,
)  # fmt: skip
def test_train_test_split_accepts_any_real_ratio(ratio):
    data = np.arange(20.0).reshape(10, 2)
    train, test = train_test_split(data, ratio)
    np.testing.assert_array_equal(train, data[:5])
    np.testing.assert_array_equal(test, data[5:])


def test_train_test_split_exact_ratios_split_exactly():
    data = np.arange(100.0)[:, None]
    # The course's float arithmetic: 100 * 0.29 = 28.999999999999996, so 28 rows.
    assert len(train_test_split(data, 0.29)[0]) == 28
    # An exact 29/100 of 100 rows is 29.
    assert len(train_test_split(data, Fraction(29, 100))[0]) == 29
    assert len(train_test_split(data, Decimal("0.29"))[0]) == 29
    # Just below 1 (a float would round it to 1.0): floor(100 * (1 - 1e-30)) = 99.
    assert len(train_test_split(data, 1 - Fraction(1, 10**30))[0]) == 99


def test_train_test_split_empty_side():
    with pytest.raises(ValueError, match="empty training set"):
        train_test_split(np.ones((3, 2)), 0.2)
    with pytest.raises(ValueError, match="empty training set"):
        train_test_split(np.ones((1, 2)), 0.5)


def test_train_test_split_not_2d():
    with pytest.raises(ValueError, match="data must be 2-D"):
        train_test_split(np.ones(10))


def test_load_data_uses_training_statistics_only():
    raw = load_housing()
    train, test, norm = load_data()
    raw_train = raw[:404]
    # Independent recomputation of the course's formula on the training rows.
    mean, lo, hi = raw_train.mean(0), raw_train.min(0), raw_train.max(0)
    np.testing.assert_allclose(train, (raw_train - mean) / (hi - lo), rtol=0, atol=1e-15)
    np.testing.assert_allclose(test, (raw[404:] - mean) / (hi - lo), rtol=0, atol=1e-15)
    np.testing.assert_allclose(norm.mean_, mean)
    # Test rows are not centred: their statistics were not used.
    assert np.abs(test.mean(0)).max() > 0.05
    back = norm.inverse_transform(test[:, -1:], columns=[13])
    np.testing.assert_allclose(back[:, 0], raw[404:, -1], rtol=1e-12)


def test_load_data_too_small_ratio_names_ratio():
    # int(506 * 0.002) = 1 training row: nothing has a range to divide by.
    with pytest.raises(
        ValueError, match=r"ratio=0\.002 would leave 1 training row of 506: too few"
    ):
        load_data(0.002)


def test_load_data_ratio_with_a_constant_training_column():
    # CHAS is 0 in every row before the first riverside town (an independent fact of the file).
    first_riverside = int(np.flatnonzero(load_housing()[:, COLUMN_NAMES.index("CHAS")])[0])
    assert first_riverside == 142
    with pytest.raises(
        ValueError, match=r"ratio=Fraction\(71, 253\) gives 142 training rows, .*column 3"
    ):
        load_data(Fraction(142, 506))
    train, test, _ = load_data(Fraction(143, 506))
    assert train.shape == (143, 14) and test.shape == (363, 14)


def test_load_data_min_max():
    raw = load_housing()
    train, test, _ = load_data(method="min-max")
    assert train.min() == 0.0 and train.max() == 1.0
    lo, hi = raw[:404].min(0), raw[:404].max(0)
    np.testing.assert_allclose(test, (raw[404:] - lo) / (hi - lo), rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="method"):
        load_data(method="z-score")


@pytest.mark.paddle
def test_uci_housing_reads_the_shipped_file(paddle):
    ds = paddle.text.datasets.UCIHousing(
        data_file=str(housing_path()), mode="train", download=False
    )
    assert len(ds) == 404
    features, label = ds[0]
    assert features.shape == (13,)
    # UCIHousing normalizes with the statistics of the *whole* file (homework 1-2).
    raw = load_housing()
    mean, lo, hi = raw.mean(0), raw.min(0), raw.max(0)
    np.testing.assert_allclose(features, ((raw[0] - mean) / (hi - lo))[:13], rtol=1e-5)
    assert float(label[0]) == pytest.approx(24.0)


def test_load_data_is_a_named_split_whose_parts_are_views_of_the_rows() -> None:
    split = load_data()
    train, test, normalizer = split  # still a tuple: chapters unpack it
    assert split.train is train and split.test is test and split.normalizer is normalizer
    np.testing.assert_array_equal(split.X_train, train[:, :13])
    np.testing.assert_array_equal(split.y_train[:, 0], train[:, 13])
    np.testing.assert_array_equal(split.X_test, test[:, :13])
    np.testing.assert_array_equal(split.y_test[:, 0], test[:, 13])
    assert split.y_train.shape == (404, 1) and split.y_test.shape == (102, 1)
    assert np.shares_memory(split.X_train, train)  # views: no copy per access


def test_features_and_target_keeps_the_target_a_column() -> None:
    rows = np.arange(3 * 14, dtype=float).reshape(3, 14)
    X, y = features_and_target(rows)
    assert X.shape == (3, 13) and y.shape == (3, 1)
    assert y[:, 0].tolist() == [13.0, 27.0, 41.0]
    assert np.shares_memory(X, rows) and np.shares_memory(y, rows)  # views of float64 rows


def test_features_and_target_takes_int_rows_as_float64() -> None:
    X, y = features_and_target([list(range(14)), list(range(14, 28))])
    assert X.dtype == y.dtype == np.float64
    assert X[1].tolist() == [float(v) for v in range(14, 27)] and y.tolist() == [[13.0], [27.0]]


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        (
            np.zeros((3, 13)),
            ValueError,
            "rows must have 14 columns (the 13 features, then MEDV), got shape (3, 13)",
        ),
        (np.zeros((14, 3)), ValueError, "got shape (14, 3)"),
        (np.zeros(14), ValueError, "rows must be 2-D, got shape (14,)"),
        (np.zeros((0, 14)), ValueError, "rows must not be empty, got shape (0, 14)"),
        (
            np.zeros((2, 14), dtype=bool),
            TypeError,
            "rows must be a real numeric array, got dtype bool",
        ),
        ([["a"] * 14], TypeError, "rows must be a real numeric array"),
        (np.zeros((2, 14), dtype=complex), TypeError, "got dtype complex128"),
    ],
)
def test_features_and_target_refuses_what_is_not_the_14_column_layout(rows, error, message) -> None:
    with pytest.raises(error) as err:
        features_and_target(rows)
    assert message in str(err.value)
