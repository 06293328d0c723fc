"""Normalization fitted on training statistics (homework 1-2).

A :class:`Normalizer` learns per-column statistics from the training rows with
:meth:`~Normalizer.fit` and applies *exactly that* affine map to any later data
with :meth:`~Normalizer.transform`.  The parameters a model learns on
normalized data only mean something in that coordinate system, which is why
prediction must reuse the training statistics.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_float_array, describe

__all__ = ["METHODS", "Normalizer", "NotFittedError"]

METHODS: tuple[str, ...] = ("mean-range", "min-max")
"""The supported methods.

``"mean-range"`` is ``(x - mean) / (max - min)`` (the course's); ``"min-max"`` is
``(x - min) / (max - min)``.
"""


_TINY = float(np.finfo(np.float64).tiny)  # smallest normal float64, about 2.2e-308


class NotFittedError(RuntimeError):
    """Raised when a :class:`Normalizer` is used before :meth:`Normalizer.fit`.

    Examples
    --------
    >>> try:
    ...     Normalizer().transform([[1.0]])
    ... except NotFittedError as err:
    ...     print(err)
    this Normalizer is not fitted yet: call fit(train) before ...
    """


class Normalizer:
    """Per-column affine normalization with statistics of the data it was fitted on.

    Parameters
    ----------
    method : {"mean-range", "min-max"}, default "mean-range"
        ``"mean-range"`` maps a column to ``(x - mean) / (max - min)``, the
        course's ``load_data``; ``"min-max"`` maps it to ``(x - min) / (max - min)``,
        i.e. into [0, 1] on the training rows.

    Attributes
    ----------
    mean_ : ndarray of shape (n_columns,)
        Column means of the data passed to :meth:`fit`.
    min_ : ndarray of shape (n_columns,)
        Column minima of that data.
    max_ : ndarray of shape (n_columns,)
        Column maxima of that data.
    n_columns_ : int
        Number of columns seen by :meth:`fit`.

    Raises
    ------
    ValueError
        ``method`` is not one of :data:`METHODS`.

    Notes
    -----
    Used in homework 1-2 (why inference must use training statistics) and by
    :func:`dlhomework.data.load_data` everywhere else.

    Examples
    --------
    >>> train = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    >>> norm = Normalizer().fit(train)
    >>> norm.transform(train).tolist()
    [[-0.5, -0.5], [0.0, 0.5], [0.5, 0.0]]
    >>> # new rows use the training statistics
    >>> norm.transform([[7.0, 40.0]]).tolist()
    [[1.0, 1.0]]
    >>> # one column back
    >>> norm.inverse_transform([[0.5]], columns=[1]).tolist()
    [[30.0]]
    """

    mean_: NDArray[np.float64]
    min_: NDArray[np.float64]
    max_: NDArray[np.float64]
    n_columns_: int

    def __init__(self, method: str = "mean-range") -> None:
        if not isinstance(method, str) or method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {describe(method)}")
        self.method = method

    def __repr__(self) -> str:
        return f"Normalizer(method={self.method!r})"

    # -- fitting ---------------------------------------------------------------

    def fit(self, data: ArrayLike) -> Normalizer:
        """Learn the column statistics of ``data``.

        Parameters
        ----------
        data : array_like of shape (n_rows, n_columns)
            Training rows, finite values only.

        Returns
        -------
        self : Normalizer
            Fitted, with ``mean_``, ``min_``, ``max_`` of shape ``(n_columns,)``.

        Raises
        ------
        ValueError
            ``data`` is not 2-D, is empty, holds NaN/inf, has a constant
            column (max == min), which would divide by zero, a column whose range
            overflows float64, or one whose range is below the smallest normal
            float64 (about 2.2e-308, where 1/range overflows); the message names
            the column.  A failed fit leaves a previously fitted state unchanged.

        Examples
        --------
        >>> Normalizer("min-max").fit([[0.0], [4.0]]).max_.tolist()
        [4.0]
        """
        arr = as_float_array(data, "data", ndim=2)
        lo, hi = arr.min(axis=0), arr.max(axis=0)
        constant = np.flatnonzero(hi == lo)
        if constant.size:
            c = int(constant[0])
            raise ValueError(
                f"column {c} of data is constant (max == min == {float(hi[c])!r}): "
                "its range is 0, so normalizing it would divide by zero"
            )
        with np.errstate(over="ignore"):
            span, mean = hi - lo, arr.mean(axis=0)
        overflow = np.flatnonzero(~np.isfinite(span))
        if overflow.size:
            c = int(overflow[0])
            raise ValueError(
                f"column {c} of data spans {float(lo[c])!r} to {float(hi[c])!r}: its range "
                "overflows float64, so it cannot be normalized"
            )
        tiny = np.flatnonzero(span < _TINY)
        if tiny.size:
            c = int(tiny[0])
            raise ValueError(
                f"column {c} of data has range {float(span[c])!r}, too small to normalize by: "
                f"below the smallest normal float64 ({_TINY!r}), 1/range overflows"
            )
        big = ~np.isfinite(mean)  # the sum overflowed; the mean itself lies in [lo, hi]
        if big.any():
            mean[big] = lo[big] + span[big] * ((arr[:, big] - lo[big]) / span[big]).mean(axis=0)
        self.mean_ = mean
        self.min_, self.max_ = lo, hi
        self.n_columns_ = arr.shape[1]
        return self

    def fit_transform(self, data: ArrayLike) -> NDArray[np.float64]:
        """Fit on ``data`` and return it normalized.

        Parameters
        ----------
        data : array_like of shape (n_rows, n_columns)

        Returns
        -------
        ndarray of shape (n_rows, n_columns), float64

        Examples
        --------
        >>> Normalizer().fit_transform([[0.0], [1.0]]).tolist()
        [[-0.5], [0.5]]
        """
        return self.fit(data).transform(data)

    # -- applying --------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_columns_"):
            raise NotFittedError(
                "this Normalizer is not fitted yet: call fit(train) before transform "
                "or inverse_transform"
            )

    def _columns(self, columns: Sequence[int] | None) -> NDArray[np.intp]:
        if columns is None:
            return np.arange(self.n_columns_)
        try:
            cols = np.asarray(columns)
        except ValueError:  # a ragged sequence
            cols = np.empty(0)
        if cols.ndim != 1 or cols.size == 0 or not np.issubdtype(cols.dtype, np.integer):
            raise ValueError(
                f"columns must be a non-empty sequence of ints, got {describe(columns)}"
            )
        if cols.min() < -self.n_columns_ or cols.max() >= self.n_columns_:
            raise ValueError(
                f"columns must index the {self.n_columns_} fitted columns, got {describe(columns)}"
            )
        return cols % self.n_columns_

    def _offset_scale(
        self, data: ArrayLike, columns: Sequence[int] | None, name: str
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        self._check_fitted()
        cols = self._columns(columns)
        arr = as_float_array(data, name, ndim=2)
        if arr.shape[1] != cols.size:
            raise ValueError(
                f"{name} has {arr.shape[1]} columns but the normalizer expects {cols.size} "
                f"({'fitted columns' if columns is None else f'columns={list(columns)}'})"
            )
        return arr, self._base()[cols], (self.max_ - self.min_)[cols]

    def _base(self) -> NDArray[np.float64]:
        return self.mean_ if self.method == "mean-range" else self.min_

    def transform(
        self, data: ArrayLike, columns: Sequence[int] | None = None
    ) -> NDArray[np.float64]:
        """Normalize ``data`` with the fitted statistics.

        Parameters
        ----------
        data : array_like of shape (n_rows, n_columns) or (n_rows, len(columns))
            Rows to normalize; finite values only.
        columns : sequence of int, optional
            Which fitted columns ``data`` holds, in order; default all.

        Returns
        -------
        ndarray of the same shape, float64
            A new array; ``data`` is not modified.

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        ValueError
            Wrong number of columns, not 2-D, empty, or NaN/inf; or a result
            beyond the float64 range (the message names the column).

        Examples
        --------
        >>> norm = Normalizer().fit([[0.0, 0.0], [2.0, 10.0]])
        >>> norm.transform([[1.0]], columns=[0]).tolist()
        [[0.0]]
        """
        arr, base, scale = self._offset_scale(data, columns, "data")
        with np.errstate(over="ignore"):
            out = (arr - base) / scale
            if not np.isfinite(out).all():  # arr - base overflowed, or the quotient does
                out = np.where(np.isfinite(out), out, 2 * ((arr / 2 - base / 2) / scale))
        return self._finite(out, arr, columns, "transform")

    def inverse_transform(
        self, data: ArrayLike, columns: Sequence[int] | None = None
    ) -> NDArray[np.float64]:
        """Map normalized values back to the original units.

        Parameters
        ----------
        data : array_like of shape (n_rows, n_columns) or (n_rows, len(columns))
            Normalized rows, e.g. a model's predictions of MEDV with ``columns=[13]``.
        columns : sequence of int, optional
            Which fitted columns ``data`` holds; default all.

        Returns
        -------
        ndarray of the same shape, float64

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        ValueError
            Wrong number of columns, not 2-D, empty, or NaN/inf; or a result
            beyond the float64 range (the message names the column).

        Examples
        --------
        >>> norm = Normalizer().fit([[0.0, 0.0], [2.0, 10.0]])
        >>> norm.inverse_transform([[0.5]], columns=[-1]).tolist()
        [[10.0]]
        """
        arr, base, scale = self._offset_scale(data, columns, "data")
        with np.errstate(over="ignore"):
            out = arr * scale + base
            if not np.isfinite(out).all():  # arr * scale overflowed, or the sum does
                out = np.where(np.isfinite(out), out, 2 * (arr * (scale / 2) + base / 2))
        return self._finite(out, arr, columns, "inverse_transform")

    def _finite(
        self,
        out: NDArray[np.float64],
        arr: NDArray[np.float64],
        columns: Sequence[int] | None,
        op: str,
    ) -> NDArray[np.float64]:
        """Return ``out``, or raise naming the first entry beyond the float64 range."""
        if np.isfinite(out).all():
            return out
        r, j = (int(i) for i in np.argwhere(~np.isfinite(out))[0])
        c = int(self._columns(columns)[j])
        base, scale = float(self._base()[c]), float(self.max_[c] - self.min_[c])
        raise ValueError(
            f"{op} overflows float64 at data[{r}, {j}] (fitted column {c}): "
            f"{float(arr[r, j])!r} with offset {base!r} and range {scale!r} gives a value "
            "beyond the float64 range"
        )
