"""The house-price models in PaddlePaddle, measured against the NumPy ones (homework 1-6).

The same two models as :mod:`dlhomework.models`, written the way Paddle's own tutorials
write them, one module per concept; every name is imported from
``dlhomework.paddle_port`` itself.

- ``models``: the layers :class:`Regressor` (``paddle.nn.Linear(13, 1)``) and
  :class:`TwoLayerRegressor` (13 → hidden → 1), their :data:`ACTIVATIONS`, and the loss
  :func:`mse`.
- ``bridge``: :func:`from_numpy` and :func:`to_numpy` copy weights between a NumPy model
  and its layer without transposing (``paddle.nn.Linear`` stores ``W`` as ``(in, out)``
  too); :func:`predict` and :func:`gradients` (autograd, never written by hand) run a
  layer on NumPy arrays.  :func:`register_paddle_model` pairs any further model type
  (:class:`PaddleModel`) with its NumPy counterpart.
- ``training``: :func:`train`, with a ``paddle.io.DataLoader``, ``paddle.optimizer.SGD``
  and the MSE.
- ``files``: :func:`save` and :func:`load`, in the model files of the NumPy models
  (never ``paddle.load`` or pickle).
- ``comparison`` and ``lines``: the evidence of homework 1-6 — :func:`compare`, which
  trains both versions from the same initial weights on the same batches, the line
  counter behind its table (:func:`count_code_lines`, :data:`PROGRAMS`), and
  :func:`predict_row`, one house priced in $1000s.

Paddle is an optional dependency: ``import dlhomework`` never imports it, and importing
this package without it raises ImportError saying ``pip install "dlhomework[paddle]"``.
Paddle's global default dtype (float32) is never changed here.
"""

from ..experiments.inference import RowPrediction  # what predict_row returns
from .bridge import PADDLE_MODELS, from_numpy, gradients, predict, register_paddle_model, to_numpy
from .comparison import ComparisonRow, compare, format_comparison, predict_row
from .files import load, save
from .lines import PROGRAMS, Program, count_code_lines, program_lines
from .models import ACTIVATIONS, DTYPES, PaddleModel, Regressor, TwoLayerRegressor, mse
from .training import train, train_epoch

__all__ = [
    "ACTIVATIONS",
    "DTYPES",
    "PADDLE_MODELS",
    "PROGRAMS",
    "ComparisonRow",
    "PaddleModel",
    "Program",
    "Regressor",
    "RowPrediction",
    "TwoLayerRegressor",
    "compare",
    "count_code_lines",
    "format_comparison",
    "from_numpy",
    "gradients",
    "load",
    "mse",
    "predict",
    "predict_row",
    "program_lines",
    "register_paddle_model",
    "save",
    "to_numpy",
    "train",
    "train_epoch",
]
