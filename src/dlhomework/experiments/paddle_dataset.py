"""Homework 1-2: the housing rows as Paddle's ``UCIHousing`` dataset serves them.

:func:`uci_housing_arrays` shows that Paddle normalizes the features with
statistics of the *whole* file, test rows included.  It is the only experiment
that needs Paddle (imported when called).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from ..data import housing_path

__all__ = ["uci_housing_arrays"]


def uci_housing_arrays(
    mode: str = "train", data_file: str | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The rows that ``paddle.text.datasets.UCIHousing`` serves, as arrays.

    Loads the dataset from the shipped file (no download) and stacks its
    samples.  Paddle normalizes the 13 features with ``(x - mean) / (max - min)``
    computed over the *whole* file (training and test rows together) before it
    splits 80/20, and leaves the label in $1000s; it serves float32.

    Parameters
    ----------
    mode : {"train", "test"}, default "train"
        Which part of Paddle's split.
    data_file : str, optional
        A file in the UCI layout; defaults to :func:`dlhomework.data.housing_path`.

    Returns
    -------
    X : ndarray of shape (404, 13) or (102, 13), float64
        The features as Paddle serves them (float32 values, widened).
    y : ndarray of shape (404, 1) or (102, 1), float64
        MEDV in $1000s.

    Raises
    ------
    ValueError
        ``mode`` is not "train" or "test".
    ImportError
        Paddle is not installed.

    Notes
    -----
    Used in homework 1-2 to show that Paddle's statistics include the test rows.

    Examples
    --------
    >>> X, y = uci_housing_arrays("test")
    >>> X.shape, y.shape, float(y[0, 0])
    ((102, 13), (102, 1), 8.5)
    """
    if mode not in ("train", "test"):
        raise ValueError(f"mode must be 'train' or 'test', got {mode!r}")
    path = str(housing_path()) if data_file is None else str(data_file)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No ccache found")
            from paddle.text.datasets.uci_housing import UCIHousing
    except ImportError as exc:  # pragma: no cover - exercised where paddle is absent
        raise ImportError('paddle is not installed: pip install "dlhomework[paddle]"') from exc
    dataset = UCIHousing(
        data_file=path, mode="train" if mode == "train" else "test", download=False
    )
    rows = [dataset[i] for i in range(len(dataset))]
    X = np.stack([np.asarray(f, dtype=np.float64) for f, _ in rows])
    y = np.stack([np.asarray(t, dtype=np.float64) for _, t in rows]).reshape(-1, 1)
    return X, y
