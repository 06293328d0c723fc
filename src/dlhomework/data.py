"""The Boston house-price data, shipped inside the package.

The file ``housing.data`` (506 rows × 14 whitespace-separated columns, the UCI
layout that the course's ``load_data`` and ``paddle.text.datasets.UCIHousing``
read) lies in ``dlhomework/data/``; nothing is downloaded.  Its provenance and
the ethics note on column ``B`` are in the book's homework 1-5 chapter.
"""

from __future__ import annotations

import math
import numbers
import os
import re
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_float_array, describe
from .preprocessing import Normalizer

__all__ = [
    "COLUMN_NAMES",
    "FEATURE_NAMES",
    "N_COLUMNS",
    "DataSplit",
    "features_and_target",
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

    The course reads the file with ``np.fromfile(path, sep=' ')`` and a reshape
    to 14 columns, which passes over text that is not a number, a truncated file
    and misaligned lines.  Here each non-blank line must hold exactly 14 plain
    decimal numbers (ASCII digits with an optional sign, point and exponent:
    no ``nan``/``inf``, underscores, hex or non-ASCII digits) separated by ASCII
    whitespace; anything else is an error naming the line.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A UTF-8 (in practice ASCII) text file, 14 numbers per line; blank lines
        and a leading byte-order mark are ignored.  Defaults to the file shipped
        in the package (:func:`housing_path`).

    Returns
    -------
    data : ndarray of shape (n_rows, 14), float64
        Columns in the order of :data:`COLUMN_NAMES`; the last is MEDV.

    Raises
    ------
    TypeError
        ``path`` is not a str or os.PathLike.
    FileNotFoundError
        The file does not exist (the message names the path).
    IsADirectoryError
        ``path`` is a directory.
    ValueError
        ``path`` is empty or not a regular file; the file is not UTF-8, is empty,
        holds a token that is not a plain decimal number or overflows float64,
        or a line that does not hold 14 numbers (e.g. a truncated file).  The
        message names the file, the line and the offending token.

    Notes
    -----
    Used in homework 1-5 and, through :func:`load_data`, in every chapter.

    Examples
    --------
    >>> data = load_housing()
    >>> data.shape, data.dtype
    ((506, 14), dtype('float64'))
    >>> # MEDV of the first three tracts, in $1000s
    >>> data[:3, -1].tolist()
    [24.0, 21.6, 34.7]
    """
    p = housing_path() if path is None else _check_path(path)
    if p.is_dir():
        raise IsADirectoryError(f"housing data path {str(p)!r} is a directory, not a file")
    if not p.exists():
        raise FileNotFoundError(f"housing data file not found: {str(p)!r}")
    if not p.is_file():
        raise ValueError(f"housing data path {str(p)!r} is not a regular file")
    raw = p.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
    # Fast path: ASCII from the allowed characters, 14 tokens per non-blank line,
    # each one a finite float.  Over these characters float() accepts exactly the
    # plain decimal numbers (its other forms need letters or underscores).
    if not raw.translate(None, _ALLOWED_BYTES):
        text = raw.decode("ascii").replace("\r\n", "\n").replace("\r", "\n")
        rows = [line.split() for line in text.split("\n")]
        if set(map(len, rows)) <= {0, N_COLUMNS}:
            try:
                values = np.array(list(map(float, chain.from_iterable(rows))), dtype=np.float64)
            except ValueError:
                pass
            else:
                if values.size == 0:
                    raise ValueError(f"housing data file {str(p)!r} is empty")
                if np.isfinite(values).all():
                    return values.reshape(-1, N_COLUMNS)
    raise ValueError(f"housing data file {str(p)!r}: {_first_problem(raw)}")


_ALLOWED_BYTES = b"0123456789+-.eE \t\n\r\f\v"
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TOKEN = re.compile(r"[^ \t\f\v]+")


def _check_path(path: Any) -> Path:
    if not isinstance(path, str | os.PathLike) or not isinstance(os.fspath(path), str):
        raise TypeError(
            f"path must be a str or os.PathLike of str, got {describe(path)} "
            f"({type(path).__name__})"
        )
    if not os.fspath(path):
        raise ValueError("path must not be empty, got ''")
    return Path(path)


def _first_problem(raw: bytes) -> str:
    """Describe the first thing wrong in the file's bytes (the slow path, for errors)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line_no = raw.count(b"\n", 0, err.start) + 1
        return (
            f"line {line_no} is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset "
            f"{err.start}); expected plain ASCII numbers"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        tokens = _TOKEN.findall(line)
        for j, token in enumerate(tokens):
            where = f"line {number}, value {j + 1}" + (
                f" ({COLUMN_NAMES[j]})" if j < N_COLUMNS else ""
            )
            if not _NUMBER.fullmatch(token):
                try:
                    finite = math.isfinite(float(token))
                except ValueError:
                    finite = True
                if not finite:
                    return f"{where} holds {describe(token)}, a non-finite value"
                return (
                    f"{where} holds {describe(token)}, which is not a plain decimal number "
                    "(ASCII digits with an optional sign, point and exponent)"
                )
            if not math.isfinite(float(token)):
                return f"{where} holds {describe(token)}, which overflows float64"
        if tokens and len(tokens) != N_COLUMNS:
            return (
                f"line {number} holds {len(tokens)} numbers, expected {N_COLUMNS}: "
                "the file is truncated or not in the UCI layout"
            )
    return "it is not in the UCI layout"  # not reached: the fast path found a problem


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
    ratio : real number, default 0.8
        Fraction of rows for training, strictly between 0 and 1: a float (as in
        the course, ``int(n * ratio)`` in float arithmetic), a NumPy float, or an
        exact ``Fraction``/``Decimal`` (then ``floor(n * ratio)`` exactly).

    Returns
    -------
    train : ndarray of shape (int(n_rows * ratio), n_columns)
    test : ndarray of shape (n_rows - int(n_rows * ratio), n_columns)
        Copies; changing them leaves ``data`` untouched.

    Raises
    ------
    TypeError
        ``ratio`` is not a real number (``bool`` and strings included).
    ValueError
        ``ratio`` is not in (0, 1), ``data`` is not 2-D, or one side would be empty.

    Examples
    --------
    >>> train, test = train_test_split(load_housing())
    >>> train.shape, test.shape
    ((404, 14), (102, 14))
    """
    arr = as_float_array(data, "data", ndim=2, finite=False)
    offset = _split_offset(arr.shape[0], ratio)
    if offset == 0 or offset == arr.shape[0]:
        raise ValueError(
            f"ratio={describe(ratio)} on {arr.shape[0]} rows leaves an empty "
            f"{'training' if offset == 0 else 'test'} set"
        )
    return arr[:offset].copy(), arr[offset:].copy()


def _split_offset(n_rows: int, ratio: Any) -> int:
    """``int(n_rows * ratio)`` after checking ``ratio``; exact for Fraction and Decimal."""
    if isinstance(ratio, np.ndarray) and ratio.ndim == 0:
        ratio = ratio[()]
    if isinstance(ratio, bool | np.bool_) or not isinstance(ratio, numbers.Real | Decimal):
        raise TypeError(
            f"ratio must be a real number strictly between 0 and 1, got {describe(ratio)} "
            f"({type(ratio).__name__})"
        )
    value: Any = ratio  # compared exactly: a Fraction just below 1 is not rounded to 1.0
    if (isinstance(value, Decimal) and not value.is_finite()) or not 0 < value < 1:
        raise ValueError(f"ratio must be a number strictly between 0 and 1, got {describe(ratio)}")
    if isinstance(ratio, numbers.Rational | Decimal):
        return math.floor(n_rows * Fraction(ratio))
    return int(n_rows * float(ratio))


def features_and_target(
    rows: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Split rows of the 14-column layout into ``X`` (the 13 features) and ``y`` (MEDV).

    Parameters
    ----------
    rows : array_like of shape (n, 14)
        Real numbers (NaN allowed: nothing is computed here); ``n >= 1``.

    Returns
    -------
    X : ndarray of shape (n, 13)
    y : ndarray of shape (n, 1)
        A column, not a 1-D array: ``(n,) - (n, 1)`` would broadcast to ``(n, n)``.
        Both are float64 views of ``rows`` when it is a float64 array (else of a copy).

    Raises
    ------
    TypeError
        ``rows`` is not real numbers (bools, strings, complex).
    ValueError
        ``rows`` is not 2-D, is empty or does not have 14 columns.

    Examples
    --------
    >>> X, y = features_and_target(np.arange(28.0).reshape(2, 14))
    >>> X.shape, y.tolist()
    ((2, 13), [[13.0], [27.0]])
    """
    arr = as_float_array(rows, "rows", ndim=2, finite=False)
    if arr.shape[1] != N_COLUMNS:
        raise ValueError(
            f"rows must have {N_COLUMNS} columns (the 13 features, then MEDV), "
            f"got shape {arr.shape}"
        )
    return arr[:, :-1], arr[:, -1:]


class DataSplit(NamedTuple):
    """What :func:`load_data` returns: the normalized rows and the fitted normalizer.

    A tuple, so ``train, test, normalizer = load_data()`` works; the properties give
    the features and the target of each part (views, not copies).

    Examples
    --------
    >>> split = load_data()
    >>> split.X_train.shape, split.y_train.shape
    ((404, 13), (404, 1))
    >>> split.X_test.shape, split.y_test.shape
    ((102, 13), (102, 1))
    """

    train: NDArray[np.float64]
    """Normalized training rows, shape (n_train, 14)."""
    test: NDArray[np.float64]
    """Normalized test rows, shape (n_test, 14)."""
    normalizer: Normalizer
    """Fitted on the training rows only."""

    @property
    def X_train(self) -> NDArray[np.float64]:
        """Training features, shape (n_train, 13).

        Examples
        --------
        The first 13 columns of ``train`` (a view), centred by the
        normalizer fitted on them:

        >>> split = load_data()
        >>> split.X_train.shape, np.shares_memory(split.X_train, split.train)
        ((404, 13), True)
        >>> bool(abs(split.X_train.mean(axis=0)).max() < 1e-12)
        True
        """
        return self.train[:, :-1]

    @property
    def y_train(self) -> NDArray[np.float64]:
        """Training target MEDV (normalized), shape (n_train, 1).

        Examples
        --------
        Back in $1000s, the first is the first tract's MEDV, 24.0:

        >>> split = load_data()
        >>> norm, y = split.normalizer, split.y_train
        >>> medv = norm.inverse_transform(y, columns=[13])
        >>> medv.shape, round(float(medv[0, 0]), 6)
        ((404, 1), 24.0)
        """
        return self.train[:, -1:]

    @property
    def X_test(self) -> NDArray[np.float64]:
        """Test features, shape (n_test, 13).

        Examples
        --------
        The last 506 - 404 = 102 rows, their first 13 columns (a view):

        >>> split = load_data()
        >>> split.X_test.shape, np.shares_memory(split.X_test, split.test)
        ((102, 13), True)
        """
        return self.test[:, :-1]

    @property
    def y_test(self) -> NDArray[np.float64]:
        """Test target MEDV (normalized), shape (n_test, 1).

        Examples
        --------
        The last column of ``test``, kept 2-D:

        >>> split = load_data()
        >>> y = split.y_test
        >>> y.shape, bool(np.array_equal(y[:, 0], split.test[:, 13]))
        ((102, 1), True)
        """
        return self.test[:, -1:]


def load_data(
    ratio: float = 0.8,
    method: str = "mean-range",
    path: str | os.PathLike[str] | None = None,
) -> DataSplit:
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
    DataSplit
        ``(train, test, normalizer)``: normalized rows, (404, 14) and (102, 14)
        float64, with ``X_train``, ``y_train``, ``X_test``, ``y_test`` for their
        features and target, and the normalizer fitted on the training rows
        (``normalizer.inverse_transform(y, columns=[13])`` turns a normalized MEDV
        back into $1000s).

    Raises
    ------
    ValueError
        ``ratio`` leaves fewer than 2 training rows or training rows that cannot
        be normalized (a column constant over them: with the shipped file CHAS
        is 0 in the first 142 rows, so ``ratio`` must be at least 143/506); the
        message names ``ratio``.  Also the errors of :func:`load_housing`,
        :func:`train_test_split` and :class:`~dlhomework.preprocessing.Normalizer`.

    Notes
    -----
    Used by homework 1-1 to 1-4 and 1-6.

    Examples
    --------
    >>> train, test, norm = load_data()
    >>> train.shape, test.shape
    ((404, 14), (102, 14))
    >>> # the training columns are centred
    >>> bool(abs(train.mean(axis=0)).max() < 1e-12)
    True
    >>> medv = norm.inverse_transform(train[:1, -1:], columns=[13])
    >>> round(float(medv[0, 0]), 6)  # the first tract's, in $1000s
    24.0
    """
    normalizer = Normalizer(method)
    data = load_housing(path)
    train, test = train_test_split(data, ratio)
    if train.shape[0] < 2:
        raise ValueError(
            f"ratio={describe(ratio)} would leave {train.shape[0]} training row of "
            f"{data.shape[0]}: too few to normalize (each column needs a range, so at "
            "least 2 rows)"
        )
    try:
        normalizer.fit(train)
    except ValueError as err:
        raise ValueError(
            f"ratio={describe(ratio)} gives {train.shape[0]} training rows, which cannot be "
            f"normalized: {err}"
        ) from err
    return DataSplit(normalizer.transform(train), normalizer.transform(test), normalizer)
