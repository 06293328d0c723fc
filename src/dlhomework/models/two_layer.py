"""The two-layer network of homework 1-4, with its backward pass written by hand:
:class:`TwoLayerNet`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    RngLike,
    as_rng,
    check_int,
)
from ..activations import ACTIVATIONS
from ..layers import (
    activation_backward,
    activation_forward,
    affine_backward,
    affine_forward,
    mse_backward,
    mse_forward,
)
from ..model_files import register_model
from .base import Array, Params, Regressor, _first_weight


@register_model(short_name="two-layer")
class TwoLayerNet(Regressor):
    """A network with one hidden layer: ``pred = act(X @ W1 + b1) @ W2 + b2``.

    The homework 1-4 challenge (图14: 13 inputs → 13 hidden units → 1 output), its
    backward pass written by hand in :meth:`backward`.

    Parameters
    ----------
    n_features : int, default 13
        Inputs ``D``.
    n_hidden : int, default 13
        Hidden units ``H``.
    activation : {"sigmoid", "tanh", "relu", "identity"}, default "sigmoid"
        From :data:`dlhomework.activations.ACTIVATIONS`.  ``"identity"`` makes the
        network a linear map, no better than :func:`least_squares`.
    rng : numpy.random.Generator or int or None, default None
        Source of the initial weights.

    Attributes
    ----------
    params : dict
        ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``, float64.
        ``W1 ~ N(0, g / D)`` with gain ``g = 2`` for relu (He) and ``1`` otherwise
        (LeCun), ``W2 ~ N(0, 1 / H)``, biases 0.
    n_features, n_hidden : int
    activation : str

    Raises
    ------
    TypeError, ValueError
        A size not an int ``>= 1``, an unknown ``activation`` (the message lists
        the choices), or a bad ``rng``.

    Notes
    -----
    Used in homework 1-4.  Trains with :func:`dlhomework.training.sgd`.

    Examples
    --------
    >>> net = TwoLayerNet(n_features=5, n_hidden=7,
    ...                   activation="tanh", rng=0)
    >>> {k: v.shape for k, v in net.params.items()}
    {'W1': (5, 7), 'b1': (7,), 'W2': (7, 1), 'b2': (1,)}
    """

    def __init__(
        self,
        n_features: int = 13,
        n_hidden: int = 13,
        activation: str = "sigmoid",
        rng: RngLike = None,
    ) -> None:
        self.n_features = check_int(n_features, "n_features", minimum=1)
        self.n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, got {activation!r}"
            )
        self.activation = activation
        gen = as_rng(rng)
        D, H = self.n_features, self.n_hidden
        gain = 2.0 if activation == "relu" else 1.0
        self.params: Params = {
            "W1": gen.standard_normal((D, H)) * np.sqrt(gain / D),
            "b1": np.zeros(H),
            "W2": gen.standard_normal((H, 1)) * np.sqrt(1.0 / H),
            "b2": np.zeros(1),
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n_features={self.n_features}, n_hidden={self.n_hidden}, "
            f"activation={self.activation!r})"
        )

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``.

        Examples
        --------
        >>> TwoLayerNet(n_features=5, n_hidden=7, rng=0).param_shapes()
        {'W1': (5, 7), 'b1': (7,), 'W2': (7, 1), 'b2': (1,)}
        """
        D, H = self.n_features, self.n_hidden
        return {"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}

    def config(self) -> dict[str, Any]:
        """``{"activation": ...}``: what a model file stores besides the parameters.

        Examples
        --------
        >>> TwoLayerNet(n_features=2, n_hidden=3, activation="relu").config()
        {'activation': 'relu'}
        """
        return {"activation": self.activation}

    def check_params(self) -> None:
        """:meth:`Regressor.check_params`, and ``activation`` still a known name.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3, rng=0)
        >>> net.activation = "softmax"
        >>> net.check_params()
        Traceback (most recent call last):
        ...
        ValueError: activation must be one of ... got 'softmax'
        """
        if not isinstance(self.activation, str) or self.activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, "
                f"got {self.activation!r}"
            )
        super().check_params()

    def forward(self, X: Array) -> Array:
        """``act(X @ W1 + b1) @ W2 + b2``, shape ``(N, 1)``, for a checked ``X``.

        Examples
        --------
        With every weight 1 and relu, each of the 3 hidden units holds
        ``relu(x1 + x2)``: ``3 * 3 = 9`` for ``(1, 2)``, 0 for ``(-1, -2)``.

        >>> net = TwoLayerNet(n_features=2, n_hidden=3, activation="relu")
        >>> net.params["W1"][:] = 1.0
        >>> net.params["W2"][:] = 1.0
        >>> net.forward(np.array([[1.0, 2.0], [-1.0, -2.0]])).tolist()
        [[9.0], [0.0]]
        """
        return self._forward(X)[0]

    def _forward(self, X: Array) -> tuple[Array, tuple[Any, ...]]:
        p = self.params
        z1, fc1 = affine_forward(X, p["W1"], p["b1"])  # (N, H)
        a1, act = activation_forward(z1, self.activation)  # (N, H)
        pred, fc2 = affine_forward(a1, p["W2"], p["b2"])  # (N, 1)
        return pred, (fc1, act, fc2)

    def forward_backward(self, X: Array, y: Array) -> tuple[float, Params]:
        """MSE and its gradients from one forward pass; ``X``, ``y`` are not checked here.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3,
        ...                   activation="identity", rng=0)
        >>> X, y = np.array([[1.0, 2.0]]), np.array([[0.0]])
        >>> loss, grads = net.forward_backward(X, y)
        >>> {k: v.shape for k, v in grads.items()}
        {'W1': (2, 3), 'b1': (3,), 'W2': (3, 1), 'b2': (1,)}
        """
        pred, caches = self._forward(X)
        loss, diff = mse_forward(pred, y)
        return loss, self.backward(mse_backward(diff), caches)

    def backward(self, dpred: Array, caches: tuple[Any, ...]) -> Params:
        """Backpropagation by hand: from ``dpred`` ``(N, 1)`` back to every parameter.

        The forward pass in reverse, each gradient shaped like its parameter.
        ``dW1`` flows back *through* ``W2`` and the activation; ``db1`` is ``dz1``
        summed over the samples, not ``db2``.  Homework 1-4 derives each line.

        Parameters
        ----------
        dpred : ndarray of shape (N, 1)
            d(loss)/d(pred).
        caches : tuple
            From the forward pass.

        Returns
        -------
        dict
            ``{"W1": (D, H), "b1": (H,), "W2": (H, 1), "b2": (1,)}``.

        Examples
        --------
        >>> net = TwoLayerNet(n_features=2, n_hidden=3, rng=0)
        >>> grads = net.gradients([[1.0, 2.0]], [[0.0]])  # calls backward
        >>> grads["b1"].shape
        (3,)
        """
        fc1, act, fc2 = caches
        da1, dW2, db2 = affine_backward(dpred, fc2)  # (N, H) (H, 1) (1,)
        dz1 = activation_backward(da1, act)  # (N, H): da1 * act'(z1)
        _, dW1, db1 = affine_backward(dz1, fc1)  # (D, H) (H,)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    @classmethod
    def from_params(cls, params: Mapping[str, ArrayLike], activation: str = "sigmoid") -> Self:
        """A network holding float64 copies of ``params``; its sizes are ``W1``'s shape ``(D, H)``.

        Integer arrays are converted to float64, as float32 ones are.

        Raises
        ------
        TypeError
            ``params`` is not a mapping (a dict).
        ValueError
            A missing or unexpected key (the message names it), ``W1`` not 2-D, an
            unknown ``activation``, or a parameter that does not fit (see
            :meth:`check_params`).

        Examples
        --------
        >>> params = {"W1": np.ones((2, 3)), "b1": np.zeros(3),
        ...           "W2": np.ones((3, 1)), "b2": [0.0]}
        >>> net = TwoLayerNet.from_params(params, activation="relu")
        >>> net, net.predict([[1.0, 1.0]]).tolist()
        (TwoLayerNet(n_features=2, n_hidden=3, activation='relu'), [[6.0]])
        """
        W1 = _first_weight(params, cls, ["W1", "b1", "W2", "b2"], "(D, H)")
        # rng=0: the random start is replaced at once; its size is that of W1 itself
        return cls(W1.shape[0], W1.shape[1], activation, rng=0)._set_params(params)
