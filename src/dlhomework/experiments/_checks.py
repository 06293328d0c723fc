"""Argument checks shared by the experiment modules (private).

Each helper lives here once; ``dlhomework._validation`` holds the checks the
whole package shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import check_int
from ..models import LinearRegression, Regressor


def check_batch_sizes(batch_sizes: Any) -> list[int]:
    """Return ``batch_sizes`` as a non-empty list of distinct ints ``>= 1``."""
    if isinstance(batch_sizes, str | bytes) or not isinstance(batch_sizes, Sequence):
        raise TypeError(f"batch_sizes must be a sequence of ints, got {batch_sizes!r}")
    sizes = [check_int(b, "batch_size", minimum=1) for b in batch_sizes]
    if not sizes:
        raise ValueError("batch_sizes must not be empty")
    if len(set(sizes)) != len(sizes):
        raise ValueError(f"batch_sizes must not repeat a value, got {sizes}")
    return sizes


def start_model(
    model: Regressor | None, X: NDArray[np.float64], gen: np.random.Generator
) -> Regressor:
    """A copy of ``model`` (any model :func:`~dlhomework.training.sgd` trains, with
    ``copy()`` and ``loss()``), or a new ``LinearRegression`` drawn from ``gen`` when None."""
    if model is None:
        return LinearRegression(X.shape[1], rng=gen)
    needs = ("params", "forward_backward", "check_inputs", "loss", "copy")
    missing = [name for name in needs if not hasattr(model, name)]
    if missing:
        raise TypeError(
            f"model must be a trainable model (e.g. a dlhomework.models.Regressor); "
            f"{type(model).__name__} has no {', '.join(missing)}"
        )
    return model.copy()
