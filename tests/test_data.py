"""dlhomework.data: the shipped file, the ordered split and load_data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from dlhomework.data import (
    COLUMN_NAMES,
    FEATURE_NAMES,
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
        ("1 2 3 abc " + "1 " * 10, "'abc', which is not a number"),
        ("1 " * 27, "27 numbers, not a multiple of 14"),
        ("1 " * 13 + "nan", "non-finite value nan at row 1, column MEDV"),
        ("1 " * 14 + "inf " + "1 " * 13, "non-finite value inf at row 2, column CRIM"),
    ],
)
def test_load_housing_bad_files(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.data"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_housing(path)


def test_truncated_copy_of_real_file(tmp_path: Path):
    path = tmp_path / "housing.data"
    path.write_text(housing_path().read_text()[:-40])
    with pytest.raises(ValueError, match="truncated"):
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


@pytest.mark.parametrize("ratio", [0, 1, -0.5, 1.5, True, "0.8"])
def test_train_test_split_bad_ratio(ratio):
    with pytest.raises(ValueError, match="ratio"):
        train_test_split(np.ones((10, 2)), ratio)


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
