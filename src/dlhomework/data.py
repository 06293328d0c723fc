"""The Boston house-price data, shipped inside the package.

The file ``housing.data`` (506 rows × 14 whitespace-separated columns, the UCI
layout that the course's ``load_data`` and ``paddle.text.datasets.UCIHousing``
read) lies in ``dlhomework/data/``; nothing is downloaded.  Its provenance and
the ethics note on column ``B`` are in the book's homework 1-5 chapter.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ._validation import as_float_array
from .preprocessing import Normalizer

__all__ = [
    "COLUMN_NAMES",
    "FEATURE_NAMES",
    "N_COLUMNS",
    "housing_path",
    "load_data",
    "load_housing",
    "train_test_split",
]

FEATURE_NAMES: tuple[str, ...] = (
    "CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE",
    "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT",
)  # fmt: skip
"""The 13 features, in file order."""

COLUMN_NAMES: tuple[str, ...] = (*FEATURE_NAMES, "MEDV")
"""The 14 columns of the file, the 13 features followed by the target MEDV ($1000s)."""

N_COLUMNS = len(COLUMN_NAMES)


def housing_path() -> Path:
    """Return the path of the ``housing.data`` file shipped in the package.

    Returns
    -------
    pathlib.Path
        An existing file inside the installed package.

    See Also
    --------
    load_housing : read it into an array.

    Notes
    -----
    Used in homework 1-5 (the environment check) and 1-2 (to hand the same
    file to ``paddle.text.datasets.UCIHousing``).

    Examples
    --------
    >>> p = housing_path()
    >>> p.name, p.is_file()
    ('housing.data', True)
    """
    return Path(str(resources.files("dlhomework") / "data" / "housing.data"))


def load_housing(path: str | os.PathLike[str] | None = None) -> NDArray[np.float64]:
    """Read the house-price data as a ``(n_rows, 14)`` float64 array.

    The file is read the way the course reads it (``np.fromfile(path, sep=' ')``
    followed by a reshape to 14 columns), but every failure that
    ``np.fromfile`` passes over silently is an error here.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A whitespace-separated text file of numbers, 14 per row.  Defaults to
        the file shipped in the package (:func:`housing_path`).

    Returns
    -------
    data : ndarray of shape (n_rows, 14), float64
        Columns in the order of :data:`COLUMN_NAMES`; the last is MEDV.

    Raises
    ------
    FileNotFoundError
        The file does not exist (the message names the path).
    ValueError
        The file is empty, holds text that is not a number, holds a count of
        numbers not divisible by 14 (a truncated file), or holds NaN/inf.

    Notes
    -----
    Used in homework 1-5 and, through :func:`load_data`, in every chapter.

    Examples
    --------
    >>> data = load_housing()
    >>> data.shape, data.dtype
    ((506, 14), dtype('float64'))
    >>> data[:3, -1].tolist()  # MEDV of the first three towns, in $1000s
    [24.0, 21.6, 34.7]
    """
    p = housing_path() if path is None else Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"housing data file not found: {str(p)!r}")
    text = p.read_text(encoding="utf-8", errors="replace")
    tokens = text.split()
    if not tokens:
        raise ValueError(f"housing data file {str(p)!r} is empty")
    values = np.empty(len(tokens), dtype=np.float64)
    for i, token in enumerate(tokens):
        try:
            values[i] = float(token)
        except ValueError:
            raise ValueError(
                f"housing data file {str(p)!r} holds {token!r}, which is not a number "
                f"(value #{i + 1}, row {i // N_COLUMNS + 1})"
            ) from None
    if values.size % N_COLUMNS:
        raise ValueError(
            f"housing data file {str(p)!r} holds {values.size} numbers, not a multiple of "
            f"{N_COLUMNS} columns: the file is truncated or not in the UCI layout"
        )
    data = values.reshape(-1, N_COLUMNS)
    bad = ~np.isfinite(data)
    if bad.any():
        r, c = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"housing data file {str(p)!r} holds a non-finite value {float(data[r, c])!r} "
            f"at row {r + 1}, column {COLUMN_NAMES[c]}"
        )
    return data


def train_test_split(
    data: NDArray[np.floating], ratio: float = 0.8
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Split rows in order, as the course does: the first ``int(n * ratio)`` rows train.

    No shuffling: the course's split is positional, so every chapter that uses
    it sees the same 404 training and 102 test rows.

    Parameters
    ----------
    data : array_like of shape (n_rows, n_columns)
        The rows to split.
    ratio : float, default 0.8
        Fraction of rows for training, strictly between 0 and 1.

    Returns
    -------
    train : ndarray of shape (int(n_rows * ratio), n_columns)
    test : ndarray of shape (n_rows - int(n_rows * ratio), n_columns)
        Copies; changing them leaves ``data`` untouched.

    Raises
    ------
    ValueError
        ``ratio`` is not in (0, 1), ``data`` is not 2-D, or one side would be empty.

    Examples
    --------
    >>> train, test = train_test_split(load_housing())
    >>> train.shape, test.shape
    ((404, 14), (102, 14))
    """
    arr = as_float_array(data, "data", ndim=2, finite=False)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 < ratio < 1:
        raise ValueError(f"ratio must be a number strictly between 0 and 1, got {ratio!r}")
    offset = int(arr.shape[0] * ratio)
    if offset == 0 or offset == arr.shape[0]:
        raise ValueError(
            f"ratio={ratio!r} on {arr.shape[0]} rows leaves an empty "
            f"{'training' if offset == 0 else 'test'} set"
        )
    return arr[:offset].copy(), arr[offset:].copy()


def load_data(
    ratio: float = 0.8,
    method: str = "mean-range",
    path: str | os.PathLike[str] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], Normalizer]:
    """The course's ``load_data``: split, then normalize with *training* statistics.

    All 14 columns are normalized, the label MEDV included, with a
    :class:`~dlhomework.preprocessing.Normalizer` fitted on the training rows
    only, then applied unchanged to the test rows (homework 1-2 explains why).

    Parameters
    ----------
    ratio : float, default 0.8
        Training fraction, see :func:`train_test_split`.
    method : {"mean-range", "min-max"}, default "mean-range"
        Normalization, see :class:`~dlhomework.preprocessing.Normalizer`.
    path : str or os.PathLike, optional
        Data file; defaults to the shipped one.

    Returns
    -------
    train : ndarray of shape (404, 14), float64
    test : ndarray of shape (102, 14), float64
        Normalized rows; features are ``[:, :-1]``, the label ``[:, -1:]``.
    normalizer : Normalizer
        Fitted on the training rows; ``normalizer.inverse_transform(y, columns=[13])``
        turns a normalized MEDV back into $1000s.

    Notes
    -----
    Used by homework 1-1 to 1-4 and 1-6.

    Examples
    --------
    >>> train, test, norm = load_data()
    >>> train.shape, test.shape
    ((404, 14), (102, 14))
    >>> bool(abs(train.mean(axis=0)).max() < 1e-12)  # training columns are centred
    True
    >>> round(float(norm.inverse_transform(train[:1, -1:], columns=[13])[0, 0]), 6)
    24.0
    """
    data = load_housing(path)
    train, test = train_test_split(data, ratio)
    normalizer = Normalizer(method).fit(train)
    return normalizer.transform(train), normalizer.transform(test), normalizer
