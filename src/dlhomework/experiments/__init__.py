"""The experiments behind homework 1-1, 1-2 and 1-3.

The chapters only call, tabulate and plot; everything they compute lives here,
tested like the rest of the package.  One module per concept; every name is
imported from ``dlhomework.experiments`` itself.

- Homework 1-1 (supervised learning, and the market for the skill), ``toy``:
  :func:`newton_data`, :func:`fit_proportional`, :func:`feature_target`,
  :class:`LinearCurve`, :func:`equilibrium` and :func:`draw_market`.
- Homework 1-2, normalization statistics: ``inference`` (:func:`predict_medv`,
  :func:`predict_row`, :func:`predict_medv_batch_statistics`, :func:`batch_dependence`,
  :func:`constant_columns`) and ``paddle_dataset`` (:func:`uci_housing_arrays`).
- Homework 1-2, near-zero gradients, ``landscapes``: :func:`saddle`,
  :func:`gradient_descent_path` (also in 1-1) and :func:`saturation_sweep`.
- Homework 1-3 (batch size): ``sweeps`` (:func:`batch_size_sweep`,
  :func:`epochs_to_within`, :func:`update_cost`), ``stability``
  (:func:`learning_rate_grid`, :func:`stability_limit`,
  :func:`hessian_eigenvalues`) and ``noise``
  (:func:`gradient_noise`).

Every random step takes ``rng`` (a Generator, an int seed or None), so the same
seed gives the same book.
"""

from .inference import (
    BatchDependence,
    RowPrediction,
    batch_dependence,
    constant_columns,
    predict_medv,
    predict_medv_batch_statistics,
    predict_row,
)
from .landscapes import Saturation, gradient_descent_path, saddle, saturation_sweep
from .noise import GradientNoise, gradient_noise
from .paddle_dataset import uci_housing_arrays
from .stability import (
    LearningRateGrid,
    hessian_eigenvalues,
    learning_rate_grid,
    stability_limit,
)
from .sweeps import SweepResult, batch_size_sweep, epochs_to_within, update_cost
from .toy import (
    LinearCurve,
    draw_market,
    equilibrium,
    feature_target,
    fit_proportional,
    newton_data,
)

__all__ = [
    "BatchDependence",
    "GradientNoise",
    "LearningRateGrid",
    "LinearCurve",
    "RowPrediction",
    "Saturation",
    "SweepResult",
    "batch_dependence",
    "batch_size_sweep",
    "constant_columns",
    "draw_market",
    "epochs_to_within",
    "equilibrium",
    "feature_target",
    "fit_proportional",
    "gradient_descent_path",
    "gradient_noise",
    "hessian_eigenvalues",
    "learning_rate_grid",
    "newton_data",
    "predict_medv",
    "predict_medv_batch_statistics",
    "predict_row",
    "saddle",
    "saturation_sweep",
    "stability_limit",
    "uci_housing_arrays",
    "update_cost",
]
