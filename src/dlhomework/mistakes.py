"""Deliberately WRONG two-layer networks: the typical mistakes of homework 1-4.

Every class here is a :class:`~dlhomework.models.TwoLayerNet` with one mistake
that a submitted solution typically makes.  They exist so that the book can
*run* them and show :func:`dlhomework.gradcheck.check_gradients` failing — or,
for the shape mistake, show why only distinct layer sizes expose it.  Never
train a real model with them.

- :class:`BiasShapeMistake`: hidden bias of shape ``(n_features, 1)``, not ``(n_hidden,)``;
- :class:`SkipLayerW1Mistake`: ``dW1`` from the output error directly, skipping ``W2`` and
  the activation's derivative;
- :class:`NoActivationMistake`: no activation at all — the gradients are right, the
  model is not: two linear layers collapse into one linear map;
- :class:`NoActivationGradMistake`: the backward pass forgets ``act'(z1)``;
- :class:`BiasFromLayer2Mistake`: ``db1`` taken from layer 2's ``db2``;
- :class:`HalfMSEMistake`: the gradient of ½·MSE while the loss is the MSE.

All but :class:`NoActivationMistake` fail the gradient check (the bias-shape
mistake only when ``n_features != n_hidden``).  A network without an activation is
a *modelling* mistake: its gradients are right, so the check passes; homework 1-4
shows that it cannot beat :func:`~dlhomework.models.least_squares`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import RngLike
from .layers import activation_forward, affine_backward, affine_forward
from .models import TwoLayerNet

__all__ = [
    "MISTAKES",
    "BiasFromLayer2Mistake",
    "BiasShapeMistake",
    "HalfMSEMistake",
    "NoActivationGradMistake",
    "NoActivationMistake",
    "SkipLayerW1Mistake",
]

Params = dict[str, NDArray[np.float64]]


class BiasShapeMistake(TwoLayerNet):
    """DELIBERATELY WRONG: the hidden bias has shape ``(n_features, 1)``, not ``(n_hidden,)``.

    The bias is declared like the linear model's weight column,
    ``np.zeros((n_features, 1))``, and turned into a row to be added to every
    sample, ``X @ W1 + b1.T``.  When ``n_features == n_hidden`` (13 → 13 in the
    homework!) the ``(1, D)`` row broadcasts against the ``(N, H)`` layer
    silently, and the network is even numerically correct — so a gradient
    check on a 13 → 13 network passes.  With any other hidden size the
    forward pass fails; that is why tests use distinct sizes (N=3, D=5, H=7).

    Parameters
    ----------
    n_features, n_hidden, activation, rng
        As :class:`~dlhomework.models.TwoLayerNet`.

    Attributes
    ----------
    params : dict
        ``{"W1": (D, H), "b1": (D, 1) (wrong), "W2": (H, 1), "b2": (1,)}``.

    Notes
    -----
    Used in homework 1-4 ("common mistakes").  The fix: ``b1`` of shape
    ``(n_hidden,)``, as in :class:`~dlhomework.models.TwoLayerNet`.

    Examples
    --------
    With equal sizes the network runs:

    >>> net = BiasShapeMistake(n_features=5, n_hidden=5, rng=0)
    >>> net.params["b1"].shape, net.predict(np.zeros((3, 5))).shape
    ((5, 1), (3, 1))
    >>> net = BiasShapeMistake(n_features=5, n_hidden=7, rng=0)
    >>> net.predict(np.zeros((3, 5)))
    Traceback (most recent call last):
    ...
    ValueError: operands could not be broadcast ... shapes (3,7) (1,5)
    """

    def __init__(
        self,
        n_features: int = 13,
        n_hidden: int = 13,
        activation: str = "sigmoid",
        rng: RngLike = None,
    ) -> None:
        super().__init__(n_features, n_hidden, activation, rng)
        self.params["b1"] = np.zeros((self.n_features, 1))  # WRONG shape: (D, 1)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """The shapes this mistake declares: ``b1`` is ``(n_features, 1)``.

        Examples
        --------
        :class:`~dlhomework.models.TwoLayerNet` declares ``b1`` ``(7,)``:

        >>> BiasShapeMistake(n_features=5, n_hidden=7).param_shapes()["b1"]
        (5, 1)
        """
        return {**super().param_shapes(), "b1": (self.n_features, 1)}

    def _forward(self, X: NDArray[np.float64]) -> tuple[NDArray[np.float64], tuple[Any, ...]]:
        p = self.params
        z1, fc1 = affine_forward(X, p["W1"], p["b1"].T)  # WRONG: (N, H) + (1, D)
        a1, act = activation_forward(z1, self.activation)
        pred, fc2 = affine_forward(a1, p["W2"], p["b2"])
        return pred, (fc1, act, fc2)

    def backward(self, dpred: NDArray[np.float64], caches: tuple[Any, ...]) -> Params:
        """The correct backward pass, ``db1`` reshaped to the declared ``(D, 1)``.

        Examples
        --------
        With ``x = (1, 1)``, target 1, ``W1 = 0``, ``W2 = (2, -2)`` and
        sigmoid: ``pred = 0``, ``dpred = -2``,
        ``db1 = dz1 = dpred * W2 * σ'(0) = (-1, 1)``: the right values,
        in the shape ``(D, 1)``.

        >>> p = dict(W1=np.zeros((2, 2)), W2=[[2], [-2]], b2=[0])
        >>> X, y = [[1, 1]], [[1]]
        >>> ok = TwoLayerNet.from_params({**p, "b1": [0, 0]}).gradients(X, y)
        >>> net = BiasShapeMistake.from_params({**p, "b1": [[0], [0]]})
        >>> net.gradients(X, y)["b1"].tolist(), ok["b1"].tolist()
        ([[-1.0], [1.0]], [-1.0, 1.0])
        """
        grads = super().backward(dpred, caches)
        grads["b1"] = grads["b1"].reshape(-1, 1)  # (H, 1), called (D, 1)
        return grads


class SkipLayerW1Mistake(TwoLayerNet):
    """DELIBERATELY WRONG: ``dW1`` copies the linear model's formula and skips ``W2`` and ``act'``.

    The linear model's gradient is ``X.T @ dpred`` (the course's
    ``(z - y) * x``).  Reused for the first layer, it treats the output error
    ``dpred (N, 1)`` as if it reached ``W1`` directly, the same for every
    hidden unit: ``dW1 = X.T @ dpred`` broadcast to ``(D, H)``.  The correct
    path goes back *through* ``W2`` and the activation:
    ``dz1 = (dpred @ W2.T) * act'(z1)``, ``dW1 = X.T @ dz1``.  The other
    blocks are correct, so the gradient check fails on ``W1`` only.

    Parameters
    ----------
    n_features, n_hidden, activation, rng
        As :class:`~dlhomework.models.TwoLayerNet`.

    Notes
    -----
    Used in homework 1-4 ("common mistakes").

    Examples
    --------
    >>> net = SkipLayerW1Mistake(n_features=2, n_hidden=3, rng=0)
    >>> g = net.gradients([[1.0, 2.0]], [[1.0]])
    >>> # every hidden unit gets the same column
    >>> bool(np.all(g["W1"] == g["W1"][:, :1]))
    True
    """

    def backward(self, dpred: NDArray[np.float64], caches: tuple[Any, ...]) -> Params:
        """The correct gradients except ``W1``: ``X.T @ dpred`` repeated over the hidden units.

        Examples
        --------
        With ``x = 1``, target 1, ``W1 = 0``, ``W2 = (2, -2)`` and sigmoid:
        ``z1 = 0``, ``pred = 0``, ``dpred = -2``; the right
        ``dz1 = dpred * W2 * σ'(0) = -2 * (2, -2) / 4 = (-1, 1)``.

        >>> p = dict(W1=[[0, 0]], b1=[0, 0], W2=[[2], [-2]], b2=[0])
        >>> ok = TwoLayerNet.from_params(p).gradients([[1]], [[1]])
        >>> g = SkipLayerW1Mistake.from_params(p).gradients([[1]], [[1]])
        >>> g["W1"].tolist(), ok["W1"].tolist()  # x * dpred vs x * dz1
        ([[-2.0, -2.0]], [[-1.0, 1.0]])
        """
        grads = super().backward(dpred, caches)
        X = caches[0][0]  # the input of the first layer
        grads["W1"] = np.repeat(X.T @ dpred, self.n_hidden, axis=1)  # WRONG: skips W2 and act'
        return grads


class NoActivationMistake(TwoLayerNet):
    """DELIBERATELY WRONG (as a model): no activation, so two layers collapse into one.

    ``pred = (X @ W1 + b1) @ W2 + b2 = X @ (W1 @ W2) + (b1 @ W2 + b2)`` is a
    linear model with extra parameters: it can never fit the training data
    better than :func:`~dlhomework.models.least_squares`.  Its gradients are
    *correct* (it is ``TwoLayerNet(activation="identity")``), so the gradient
    check passes: this mistake is caught by understanding, not by the check.

    Parameters
    ----------
    n_features, n_hidden, rng
        As :class:`~dlhomework.models.TwoLayerNet`.
    activation : str, default "identity"
        Only ``"identity"`` (the argument is there for the same signature as
        :class:`~dlhomework.models.TwoLayerNet`); anything else is a ValueError.

    Notes
    -----
    Used in homework 1-4 ("common mistakes" and "why the identity activation
    collapses to a linear model").

    Examples
    --------
    >>> net = NoActivationMistake(n_features=2, n_hidden=3, rng=0)
    >>> net.activation
    'identity'
    >>> X = np.array([[1.0, 2.0], [3.0, -1.0]])
    >>> p = net.params
    >>> W, b = p["W1"] @ p["W2"], p["b1"] @ p["W2"] + p["b2"]
    >>> bool(np.allclose(net.predict(X), X @ W + b))  # one linear map
    True
    """

    def __init__(
        self,
        n_features: int = 13,
        n_hidden: int = 13,
        activation: str = "identity",
        rng: RngLike = None,
    ) -> None:
        if activation != "identity":
            raise ValueError(
                "NoActivationMistake has no activation: activation must be 'identity', "
                f"got {activation!r}"
            )
        super().__init__(n_features, n_hidden, "identity", rng)

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike], activation: str = "identity") -> Self:
        """The model with these parameters, as :meth:`TwoLayerNet.from_params
        <dlhomework.models.TwoLayerNet.from_params>` (the activation is the identity).

        Examples
        --------
        >>> params = {"W1": [[1.0, 2.0]], "b1": [0.0, 0.0],
        ...           "W2": [[1.0], [1.0]], "b2": [0.5]}
        >>> net = NoActivationMistake.from_params(params)
        >>> # 2·1 + 2·2 + 0.5: nothing squashed
        >>> float(net.predict([[2.0]])[0, 0])
        6.5
        """
        return super().from_params(params, activation)


class NoActivationGradMistake(TwoLayerNet):
    """DELIBERATELY WRONG: the backward pass forgets the activation's derivative.

    The forward pass applies ``act``, but the backward pass uses
    ``dz1 = da1`` instead of ``dz1 = da1 * act'(z1)`` — as if there were no
    activation.  ``dW1`` and ``db1`` are wrong (for sigmoid, ``σ' <= 1/4``: the
    gradient is at least 4 times too large); ``W2``, ``b2`` are right.  With
    ``activation="identity"`` the omission is harmless (``act' = 1``) and the
    check passes.

    Parameters
    ----------
    n_features, n_hidden, activation, rng
        As :class:`~dlhomework.models.TwoLayerNet`.

    Notes
    -----
    Used in homework 1-4 ("common mistakes").  Not to be confused with a
    network without activation (``activation="identity"``), whose gradients
    are right and which is linear.

    Examples
    --------
    >>> net = NoActivationGradMistake(n_features=2, n_hidden=3, rng=0)
    >>> sorted(net.gradients([[1.0, 2.0]], [[0.0]]))
    ['W1', 'W2', 'b1', 'b2']
    """

    def backward(self, dpred: NDArray[np.float64], caches: tuple[Any, ...]) -> Params:
        """The correct gradients except ``W1``, ``b1``, computed with ``dz1 = da1``.

        Examples
        --------
        With ``x = 1``, target 1, ``W1 = 0``, ``W2 = (2, -2)`` and sigmoid:
        ``z1 = 0``, ``pred = 0``, ``dpred = -2``; the right
        ``dz1 = dpred * W2 * σ'(0) = -2 * (2, -2) / 4 = (-1, 1)``.

        >>> p = dict(W1=[[0, 0]], b1=[0, 0], W2=[[2], [-2]], b2=[0])
        >>> ok = TwoLayerNet.from_params(p).gradients([[1]], [[1]])

        The mistake's ``dW1`` is 4 times too large: it misses
        ``σ'(0) = 1/4``.

        >>> net = NoActivationGradMistake.from_params(p)
        >>> g = net.gradients([[1]], [[1]])
        >>> g["W1"].tolist(), ok["W1"].tolist()
        ([[-4.0, 4.0]], [[-1.0, 1.0]])
        """
        fc1, _, fc2 = caches
        da1, dW2, db2 = affine_backward(dpred, fc2)
        dz1 = da1  # WRONG: should be activation_backward(da1, act), da1 * act'(z1)
        _, dW1, db1 = affine_backward(dz1, fc1)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


class BiasFromLayer2Mistake(TwoLayerNet):
    """DELIBERATELY WRONG: the hidden bias's gradient is taken from the output bias's.

    ``db2 = sum(dpred)`` has shape ``(1,)``; the update
    ``b1 -= lr * db2`` broadcasts it silently over the ``(H,)`` hidden bias,
    so every hidden unit moves by the same amount.  This class returns exactly
    that: ``db2`` repeated to shape ``(H,)``.  The correct ``db1`` is
    ``dz1.sum(axis=0)``, one value per hidden unit.

    Parameters
    ----------
    n_features, n_hidden, activation, rng
        As :class:`~dlhomework.models.TwoLayerNet`.

    Notes
    -----
    Used in homework 1-4 ("common mistakes").

    Examples
    --------
    >>> net = BiasFromLayer2Mistake(n_features=2, n_hidden=3, rng=0)
    >>> g = net.gradients([[1.0, 2.0]], [[1.0]])
    >>> bool(np.all(g["b1"] == g["b2"][0]))
    True
    """

    def backward(self, dpred: NDArray[np.float64], caches: tuple[Any, ...]) -> Params:
        """The correct gradients except ``b1``, which is ``db2`` repeated ``n_hidden`` times.

        Examples
        --------
        With ``x = 1``, target 1, ``W1 = 0``, ``W2 = (2, -2)`` and sigmoid:
        ``z1 = 0``, ``pred = 0``, ``dpred = -2``; the right
        ``dz1 = dpred * W2 * σ'(0) = -2 * (2, -2) / 4 = (-1, 1)``.

        >>> p = dict(W1=[[0, 0]], b1=[0, 0], W2=[[2], [-2]], b2=[0])
        >>> ok = TwoLayerNet.from_params(p).gradients([[1]], [[1]])
        >>> g = BiasFromLayer2Mistake.from_params(p).gradients([[1]], [[1]])
        >>> g["b1"].tolist(), ok["b1"].tolist(), ok["b2"].tolist()
        ([-2.0, -2.0], [-1.0, 1.0], [-2.0])
        """
        grads = super().backward(dpred, caches)
        grads["b1"] = np.full(self.n_hidden, grads["b2"][0])  # WRONG: layer 2's bias gradient
        return grads


class HalfMSEMistake(TwoLayerNet):
    """DELIBERATELY WRONG: the gradient of ½·MSE while the loss is the MSE.

    The course's linear model computes ``np.mean((z - y) * x)``, the gradient
    of ``½·mean((z - y)²)``, and prints ``mean((z - y)²)``.  Mixing the two
    halves every gradient: the relative error is ``|g - g/2| / (|g| + |g/2|)
    = 1/3`` in every block.  Training still descends (same direction, half the
    step), which is why the mistake survives — but the gradient of the loss
    that is reported is not the one computed.

    Parameters
    ----------
    n_features, n_hidden, activation, rng
        As :class:`~dlhomework.models.TwoLayerNet`.

    Notes
    -----
    Used in homework 1-4 ("common mistakes").  Either report ½·MSE as the loss
    or drop the ½ from the gradient (``dpred = 2 (pred - y) / N``).

    Examples
    --------
    >>> X, y = [[1.0, 2.0]], [[1.0]]
    >>> sizes = dict(n_features=2, n_hidden=3)
    >>> right = TwoLayerNet(**sizes, rng=0).gradients(X, y)
    >>> half = HalfMSEMistake(**sizes, rng=0).gradients(X, y)
    >>> bool(np.allclose(half["W2"], right["W2"] / 2))
    True
    """

    def backward(self, dpred: NDArray[np.float64], caches: tuple[Any, ...]) -> Params:
        """Backpropagates ``(pred - y) / N``, the gradient of ½·MSE: every block halved.

        Examples
        --------
        With ``x = 1``, target 1, ``W1 = 0``, ``W2 = (2, -2)`` and sigmoid:
        ``z1 = 0``, ``pred = 0``, ``dpred = -2``; the right
        ``dz1 = dpred * W2 * σ'(0) = -2 * (2, -2) / 4 = (-1, 1)``.

        >>> p = dict(W1=[[0, 0]], b1=[0, 0], W2=[[2], [-2]], b2=[0])
        >>> ok = TwoLayerNet.from_params(p).gradients([[1]], [[1]])
        >>> g = HalfMSEMistake.from_params(p).gradients([[1]], [[1]])
        >>> g["W1"].tolist(), ok["W1"].tolist(), g["b2"].tolist()
        ([[-0.5, 0.5]], [[-1.0, 1.0]], [-1.0])
        """
        return super().backward(dpred / 2.0, caches)  # WRONG: the loss is the MSE


MISTAKES: dict[str, type[TwoLayerNet]] = {
    "bias_shape": BiasShapeMistake,
    "skip_layer_W1": SkipLayerW1Mistake,
    "no_activation": NoActivationMistake,
    "no_activation_grad": NoActivationGradMistake,
    "bias_from_layer2": BiasFromLayer2Mistake,
    "half_mse": HalfMSEMistake,
}
"""Short name → mistaken class, in the order the book discusses them.

Examples
--------
>>> len(MISTAKES), list(MISTAKES)[:2]
(6, ['bias_shape', 'skip_layer_W1'])
"""
