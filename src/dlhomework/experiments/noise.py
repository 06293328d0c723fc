"""Homework 1-3: how far a mini-batch gradient is from the full-batch gradient.

:class:`GradientNoise` and :func:`gradient_noise`: the error of a batch's gradient,
measured and predicted, shrinks as the batch grows and is 0 for the full batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import RngLike, as_float_array, as_rng, check_int
from ..models import Model
from ._checks import check_batch_sizes

__all__ = ["GradientNoise", "gradient_noise"]


@dataclass
class GradientNoise:
    """How far mini-batch gradients are from the full-batch gradient (:func:`gradient_noise`).

    Attributes
    ----------
    batch_size : int
    mean_sq_error : float
        Mean over draws of ``||g_B - g||²`` (all parameters concatenated).
    predicted_sq_error : float
        Its exact expectation for sampling without replacement,
        ``(N - b) / (b (N - 1)) * mean_i ||g_i - g||²`` (``g_i``: one sample's gradient).
    mean_cosine : float
        Mean cosine similarity between ``g_B`` and ``g``: 1 means the same direction.
    full_norm_sq : float
        ``||g||²``, for scale.

    Examples
    --------
    Batches of 2 out of ``N = 4`` samples whose gradients spread by
    ``mean_i ||g_i - g||² = 1.5``: the expected squared error is
    ``(4 - 2) / (2 * 3) * 1.5 = 0.5``, a quarter of ``||g||² = 2``.

    >>> r = GradientNoise(batch_size=2, mean_sq_error=0.48,
    ...                   predicted_sq_error=(4 - 2) / (2 * 3) * 1.5,
    ...                   mean_cosine=0.9, full_norm_sq=2.0)
    >>> r.predicted_sq_error, r.predicted_sq_error / r.full_norm_sq
    (0.5, 0.25)
    """

    batch_size: int
    mean_sq_error: float
    predicted_sq_error: float
    mean_cosine: float
    full_norm_sq: float


def _flat_gradient(model: Model, X: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[Any]:
    grads = model.gradients(X, y)
    return np.concatenate([np.ravel(grads[k]) for k in sorted(grads)])


def gradient_noise(
    model: Model,
    X: ArrayLike,
    y: ArrayLike,
    batch_sizes: Sequence[int],
    *,
    n_draws: int,
    rng: RngLike = None,
) -> list[GradientNoise]:
    """Compare mini-batch gradients with the full-batch gradient at fixed weights.

    For a loss that is a mean over samples, the gradient of a batch drawn
    without replacement is an unbiased estimate of the full gradient ``g``; its
    squared error shrinks like ``(N - b) / (b (N - 1))`` and is exactly 0 for the
    full batch.  The larger the batch, the *more* accurate the direction.

    Parameters
    ----------
    model : Model
        Any model with ``gradients`` (:class:`~dlhomework.models.Model`); evaluated,
        not modified; its loss must be a mean over samples (MSE).
    X : array_like of shape (N, n_features)
    y : array_like of shape (N, 1)
    batch_sizes : sequence of int
        Each between 1 and N.
    n_draws : int
        Random batches per batch size, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None

    Returns
    -------
    list of GradientNoise
        One per batch size, in the order given.

    Raises
    ------
    TypeError
        A size is not an int.
    ValueError
        A batch size is not in ``1 .. N``, ``n_draws < 1``, ``batch_sizes`` empty,
        or the full gradient is zero (no direction to compare with).

    Notes
    -----
    Used in homework 1-3.

    Examples
    --------
    >>> from dlhomework.data import load_data
    >>> from dlhomework.models import LinearRegression
    >>> train, _, _ = load_data()
    >>> X, y = train[:, :-1], train[:, -1:]
    >>> noise = gradient_noise(LinearRegression(rng=0), X, y, [1, 404],
    ...                        n_draws=50, rng=0)
    >>> # a batch of all 404 samples gives the full gradient itself
    >>> round(noise[1].mean_cosine, 3), noise[1].mean_sq_error
    (1.0, 0.0)
    """
    Xa = as_float_array(X, "X", ndim=2)
    ya = as_float_array(y, "y", ndim=2)
    n = Xa.shape[0]
    sizes = check_batch_sizes(batch_sizes)
    for b in sizes:
        if b > n:
            raise ValueError(f"batch_size must be <= the {n} samples, got {b}")
    draws = check_int(n_draws, "n_draws", minimum=1)
    gen = as_rng(rng)
    full = _flat_gradient(model, Xa, ya)
    full_sq = float(full @ full)
    if full_sq == 0.0:
        raise ValueError("the full-batch gradient is zero: there is no direction to compare")
    per_sample = np.stack([_flat_gradient(model, Xa[i : i + 1], ya[i : i + 1]) for i in range(n)])
    spread = float(np.mean(np.sum((per_sample - full) ** 2, axis=1)))
    results = []
    for b in sizes:
        errors = np.empty(draws)
        cosines = np.empty(draws)
        for k in range(draws):
            idx = np.sort(gen.choice(n, size=b, replace=False))
            g = _flat_gradient(model, Xa[idx], ya[idx])
            d = g - full
            errors[k] = float(d @ d)
            cosines[k] = float(g @ full) / (float(np.linalg.norm(g)) * np.sqrt(full_sq) or 1.0)
        predicted = 0.0 if n == 1 else (n - b) / (b * (n - 1)) * spread
        results.append(
            GradientNoise(b, float(errors.mean()), predicted, float(cosines.mean()), full_sq)
        )
    return results
