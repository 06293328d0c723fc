"""The house-price models in NumPy: linear regression and a two-layer network.

Both are composed from the layers of :mod:`dlhomework.layers`, so each forward pass is
written once: :meth:`~Regressor.forward_backward` runs it, keeps the caches, and
walks back through them to the gradients.  Shapes follow ``paddle.nn.Linear``:
``X`` is ``(N, D)``, a weight ``(n_in, n_out)``, a bias 1-D ``(n_out,)``, targets
``(N, 1)``.

Inputs are checked once, at the public methods (:meth:`~Regressor.predict`,
:meth:`~Regressor.loss`, :meth:`~Regressor.gradients`); a trainer that checked its
data once calls :meth:`~Regressor.forward_backward` directly (:func:`dlhomework.training.sgd`).
A new model needs only the :class:`Model` protocol; subclassing :class:`Regressor`
gives it the checks for free.
"""

from .base import Model, Regressor
from .linear import LinearRegression, least_squares
from .two_layer import TwoLayerNet

__all__ = ["LinearRegression", "Model", "Regressor", "TwoLayerNet", "least_squares"]
