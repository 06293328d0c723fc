"""Homework 1-3: which learning rates keep training stable at each batch size.

- :class:`LearningRateGrid` and :func:`learning_rate_grid`: final training losses
  over batch sizes × learning rates, divergence recorded;
- :func:`hessian_eigenvalues`: the curvatures of the linear model's MSE;
- :func:`stability_limit`: the largest stable rate of full-batch gradient descent,
  ``2 / λ_max`` of the MSE's Hessian.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import RngLike, as_float_array, as_rng, check_int, check_positive_float
from ..models import Regressor
from ..training import sgd
from ._checks import check_batch_sizes, start_model

__all__ = ["LearningRateGrid", "hessian_eigenvalues", "learning_rate_grid", "stability_limit"]


@dataclass
class LearningRateGrid:
    """Final training losses over batch sizes × learning rates (:func:`learning_rate_grid`).

    Attributes
    ----------
    batch_sizes : list of int
    lrs : list of float
    train_mse : ndarray of shape (len(batch_sizes), len(lrs))
        MSE on the whole training set after training; ``inf`` where the run
        diverged (see ``diverged``).
    diverged : ndarray of bool, shape (len(batch_sizes), len(lrs))
        True where :func:`dlhomework.training.sgd` stopped with a
        FloatingPointError, or the final loss exceeded the initial one
        (the run blew up without reaching inf).

    Examples
    --------
    Batch size 1 diverges at ``lr = 0.1``; batch size 10 trains best
    there:

    >>> grid = LearningRateGrid(
    ...     batch_sizes=[1, 10], lrs=[0.01, 0.1],
    ...     train_mse=np.array([[0.3, np.inf], [0.5, 0.2]]),
    ...     diverged=np.array([[False, True], [False, False]]))
    >>> grid.best_lr(1), grid.best_lr(10)
    (0.01, 0.1)
    """

    batch_sizes: list[int]
    lrs: list[float]
    train_mse: NDArray[np.float64]
    diverged: NDArray[np.bool_]

    def best_lr(self, batch_size: int) -> float:
        """The learning rate with the lowest final training MSE for ``batch_size``.

        Parameters
        ----------
        batch_size : int
            One of ``batch_sizes``.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            ``batch_size`` is not in the grid, or every run diverged for it.

        Examples
        --------
        >>> grid = LearningRateGrid([1], [0.1, 1.0],
        ...                         np.array([[0.5, np.inf]]),
        ...                         np.array([[False, True]]))
        >>> grid.best_lr(1)
        0.1
        """
        if batch_size not in self.batch_sizes:
            raise ValueError(f"batch_size must be one of {self.batch_sizes}, got {batch_size!r}")
        i = self.batch_sizes.index(batch_size)
        if self.diverged[i].all():
            raise ValueError(f"every learning rate diverged for batch_size {batch_size}")
        return self.lrs[int(np.argmin(self.train_mse[i]))]


def learning_rate_grid(
    X: ArrayLike,
    y: ArrayLike,
    batch_sizes: Sequence[int],
    lrs: Sequence[float],
    *,
    n_epochs: int,
    rng: RngLike = None,
    model: Regressor | None = None,
) -> LearningRateGrid:
    """Train once per (batch size, learning rate) pair and record the final training MSE.

    All runs start from the same initial weights; each batch size uses the same
    shuffling stream for every learning rate, so along a row only ``lr`` changes.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples, 1)
    batch_sizes : sequence of int
        Each ``>= 1``, non-empty, no repeats.
    lrs : sequence of float
        Learning rates, each ``> 0``, non-empty.
    n_epochs : int
        Epochs per run, ``>= 1``.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights (unless ``model`` is given) and of the shuffling.
    model : Regressor, optional
        Initial model, any model :func:`~dlhomework.training.sgd` trains (default: a
        new :class:`~dlhomework.models.LinearRegression`); copied, never modified.

    Returns
    -------
    LearningRateGrid

    Raises
    ------
    TypeError
        A size is not an int or a rate not a real number.
    ValueError
        Empty or repeated ``batch_sizes``, empty ``lrs``, a rate ``<= 0``,
        ``n_epochs < 1``, or inconsistent shapes.

    Notes
    -----
    A diverged run is recorded, not raised: finding where training diverges is
    the point of the grid.  Used in homework 1-3.

    Examples
    --------
    >>> from dlhomework.data import load_data
    >>> train, _, _ = load_data()
    >>> X, y = train[:, :-1], train[:, -1:]
    >>> grid = learning_rate_grid(X, y, [404], [0.5, 1.5], n_epochs=50,
    ...                           rng=0)
    >>> # full batch: stable below 2 / (largest curvature) = 1.0
    >>> grid.diverged.tolist()
    [[False, True]]
    """
    sizes = check_batch_sizes(batch_sizes)
    if isinstance(lrs, str | bytes) or not isinstance(lrs, Sequence) or not lrs:
        raise ValueError(f"lrs must be a non-empty sequence of numbers, got {lrs!r}")
    rates = [check_positive_float(r, "lr") for r in lrs]
    epochs = check_int(n_epochs, "n_epochs", minimum=1)
    Xa = as_float_array(X, "X", ndim=2)
    ya = as_float_array(y, "y", ndim=2)
    gen = as_rng(rng)
    start = start_model(model, Xa, gen)
    initial = start.loss(Xa, ya)
    mse = np.empty((len(sizes), len(rates)))
    diverged = np.zeros((len(sizes), len(rates)), dtype=bool)
    for i, stream in enumerate(gen.spawn(len(sizes))):
        state = stream.bit_generator.state
        for j, rate in enumerate(rates):
            net = start.copy()
            stream.bit_generator.state = state  # same shuffling for every rate
            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    sgd(net, Xa, ya, n_epochs=epochs, batch_size=sizes[i], lr=rate, rng=stream)
                    final = net.loss(Xa, ya)
            except FloatingPointError:
                final = np.inf
            if not np.isfinite(final) or final > initial:
                diverged[i, j] = True
                final = np.inf
            mse[i, j] = final
    return LearningRateGrid(sizes, rates, mse, diverged)


def hessian_eigenvalues(X: ArrayLike) -> NDArray[np.float64]:
    """Eigenvalues of the Hessian of the linear model's MSE, in ascending order.

    The MSE of ``X @ W + b`` is a quadratic in the parameters ``(W, b)``; its
    Hessian (the matrix of second derivatives) is ``H = 2 / N * A.T @ A`` with
    ``A = [X, 1]``, the same at every point.  Each eigenvalue is the curvature of
    the loss along one eigenvector direction; ``λ_max / λ_min`` is the condition
    number.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Training inputs, finite.

    Returns
    -------
    ndarray of shape (n_features + 1,)
        The eigenvalues of ``H``, ascending; all >= 0 (up to rounding).

    Raises
    ------
    ValueError
        ``X`` is not 2-D, is empty, or holds NaN/inf.

    Notes
    -----
    Full-batch gradient descent with learning rate ``lr`` multiplies the error
    along the eigenvector of ``λ`` by ``1 - lr * λ`` per step, so the largest
    curvature bounds ``lr`` (:func:`stability_limit`) and the smallest sets how
    slowly training ends.
    Used in homework 1-3.

    Examples
    --------
    >>> hessian_eigenvalues([[-1.0], [1.0]]).tolist()  # H = diag(2, 2)
    [2.0, 2.0]
    """
    arr = as_float_array(X, "X", ndim=2)
    A = np.hstack([arr, np.ones((arr.shape[0], 1))])
    return np.linalg.eigvalsh(2.0 / arr.shape[0] * (A.T @ A))


def stability_limit(X: ArrayLike) -> float:
    """Largest stable learning rate of full-batch gradient descent on the linear model's MSE.

    Gradient descent multiplies the error along each eigenvector of the MSE's
    Hessian (:func:`hessian_eigenvalues`) by ``1 - lr * λ`` per step, so it
    converges if and only if ``lr < 2 / λ_max``.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Training inputs, finite.

    Returns
    -------
    float
        ``2 / λ_max(H)``.

    Raises
    ------
    ValueError
        ``X`` is not 2-D, is empty, or holds NaN/inf.

    Notes
    -----
    For centred features (the course's normalization) the bias direction is
    decoupled, with eigenvalue exactly 2, so the limit cannot exceed 1.
    Mini-batches see a noisy Hessian and need a smaller step.  Used in
    homework 1-3.

    Examples
    --------
    >>> round(stability_limit([[-1.0], [1.0]]), 6)  # H = diag(2, 2)
    1.0
    """
    return 2.0 / float(hessian_eigenvalues(X)[-1])
