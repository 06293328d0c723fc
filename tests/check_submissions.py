"""Student-style submissions for the tests of dlhomework.check: right ones and typical wrong ones.

Written the way students write them — each style with its own names, shapes and
habits, none copied from dlhomework — and each able to make one mistake on request.
``MISTAKE_BLOCKS`` says which finding code each mistake must produce and on what.
"""

from __future__ import annotations

import numpy as np

TWO_LAYER_MISTAKES = (
    "bias_shape",
    "skip_layer_W1",
    "no_activation",
    "no_activation_grad",
    "bias_from_layer2",
    "half_mse",
    "skip_W2",
    "activation_grad_wrong",
    "dW2_uses_z1",
    "not_averaged",
    "grad_sign",
)
"""The mistakes every style below can make."""

MISTAKE_BLOCKS = {
    "bias_shape": ("b1",),
    "skip_layer_W1": ("W1",),
    "no_activation": ("forward",),
    "no_activation_grad": ("W1", "b1"),
    "bias_from_layer2": ("b1",),
    "half_mse": ("W1", "b1", "W2", "b2"),
    "skip_W2": ("W1", "b1"),
    "activation_grad_wrong": ("W1", "b1"),
    "dW2_uses_z1": ("W2",),
    "not_averaged": ("W1", "b1", "W2", "b2"),
    "grad_sign": ("W1", "b1", "W2", "b2"),
}
"""Mistake -> what its finding must concern."""


class SigmoidTuple:
    """Lower-case attributes, a float ``b2``, cached activations, a tuple of gradients."""

    def __init__(self, D=13, H=13, mistake=None):
        rng = np.random.default_rng(7)
        self.mistake = mistake
        self.w1 = rng.normal(0, 0.1, size=(D, H))
        self.b1 = np.zeros((D, 1)) if mistake == "bias_shape" else np.zeros(H)
        self.w2 = rng.normal(0, 0.1, size=(H, 1))
        self.b2 = 0.0

    def forward(self, x):
        b1 = self.b1.T if self.mistake == "bias_shape" else self.b1
        self.z1 = np.dot(x, self.w1) + b1
        if self.mistake == "no_activation":
            self.a1 = self.z1
        else:
            self.a1 = 1.0 / (1.0 + np.exp(-self.z1))
        return np.dot(self.a1, self.w2) + self.b2

    def loss(self, z, y):
        return np.mean((z - y) ** 2)

    def gradient(self, x, y):
        m = self.mistake
        z = self.forward(x)
        n = x.shape[0]
        err = (z - y) if m != "grad_sign" else (y - z)
        dz = 2 * err / n
        if m == "half_mse":
            dz = err / n
        if m == "not_averaged":
            dz = 2 * err
        dw2 = (self.z1 if m == "dW2_uses_z1" else self.a1).T @ dz
        db2 = np.sum(dz)
        if m in ("no_activation", "no_activation_grad"):
            dz1 = dz @ self.w2.T
        elif m == "skip_W2":
            dz1 = dz * self.a1 * (1 - self.a1)
        elif m == "activation_grad_wrong":
            dz1 = (dz @ self.w2.T) * self.z1 * (1 - self.z1)
        else:
            dz1 = (dz @ self.w2.T) * self.a1 * (1 - self.a1)
        dw1 = x.T @ dz1
        db1 = np.sum(dz1, axis=0)
        if m == "skip_layer_W1":
            dw1 = np.tile(x.T @ dz, (1, self.w1.shape[1]))
        if m == "bias_from_layer2":
            db1 = db2 * np.ones_like(self.b1)
        if m == "bias_shape":
            db1 = db1.reshape(-1, 1)
        return dw1, db1, dw2, db2


class TanhDictLoops:
    """A ``params`` dict, tanh, per-sample loops, a dict of ``dW1``-style gradients."""

    def __init__(self, n_in=13, n_hidden=13, mistake=None):
        rng = np.random.default_rng(11)
        self.mistake = mistake
        b1 = np.zeros((n_in, 1)) if mistake == "bias_shape" else np.zeros(n_hidden)
        self.params = {
            "W1": rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in),
            "b1": b1,
            "W2": rng.standard_normal((n_hidden, 1)) / np.sqrt(n_hidden),
            "b2": np.zeros(1),
        }

    def _hidden(self, xi):
        p = self.params
        pre = xi @ p["W1"] + p["b1"].ravel()
        return pre, (pre if self.mistake == "no_activation" else np.tanh(pre))

    def forward(self, X):
        out = np.zeros((len(X), 1))
        for i, xi in enumerate(X):
            _, h = self._hidden(xi)
            out[i] = h @ self.params["W2"] + self.params["b2"]
        return out

    def gradients(self, X, y):
        p, m = self.params, self.mistake
        g = {k: np.zeros_like(v) for k, v in p.items()}
        g = {"d" + k: v for k, v in g.items()}
        n = len(X)
        scale = {"half_mse": 1.0, "not_averaged": 2.0 * n, "grad_sign": -2.0}.get(m, 2.0)
        for xi, yi in zip(X, y, strict=True):
            pre, h = self._hidden(xi)
            e = scale * (h @ p["W2"] + p["b2"] - yi) / n  # (1,)
            g["dW2"] += np.outer(pre if m == "dW2_uses_z1" else h, e)
            g["db2"] += e
            if m in ("no_activation", "no_activation_grad"):
                dpre = p["W2"][:, 0] * e
            elif m == "skip_W2":
                dpre = e * (1 - h**2)
            elif m == "activation_grad_wrong":
                dpre = p["W2"][:, 0] * e * (1 - pre**2)
            else:
                dpre = p["W2"][:, 0] * e * (1 - h**2)
            if m == "skip_layer_W1":
                g["dW1"] += np.outer(xi, np.repeat(e, len(dpre)))
            else:
                g["dW1"] += np.outer(xi, dpre)
            g["db1"] += dpre.reshape(g["db1"].shape) if m != "bias_shape" else dpre.reshape(-1, 1)
        if m == "skip_layer_W1":  # b1 itself is right in this mistake
            g["db1"] = self._right_db1(X, y)
        if m == "bias_from_layer2":
            g["db1"] = np.full_like(p["b1"], g["db2"][0])
        return g

    def _right_db1(self, X, y):
        p, total = self.params, np.zeros_like(self.params["b1"])
        for xi, yi in zip(X, y, strict=True):
            _, h = self._hidden(xi)
            e = 2.0 * (h @ p["W2"] + p["b2"] - yi) / len(X)
            total += p["W2"][:, 0] * e * (1 - h**2)
        return total


class ReluFloat32Half:
    """Upper-case attributes, float32, a ``(1, H)`` bias, ReLU, ½·MSE loss, ``backward`` → dict."""

    def __init__(self, d=13, h=13, mistake=None):
        rng = np.random.default_rng(5)
        self.mistake = mistake
        self.W1 = (rng.standard_normal((d, h)) * np.sqrt(2 / d)).astype(np.float32)
        self.B1 = np.zeros((d, 1) if mistake == "bias_shape" else (1, h), dtype=np.float32)
        self.W2 = (rng.standard_normal((h, 1)) * 0.3).astype(np.float32)
        self.B2 = np.zeros((1, 1), dtype=np.float32)

    def forward(self, X):
        B1 = self.B1.T if self.mistake == "bias_shape" else self.B1
        self.Z = X @ self.W1 + B1
        self.A = self.Z if self.mistake == "no_activation" else np.maximum(self.Z, 0)
        return self.A @ self.W2 + self.B2

    def loss(self, pred, y):
        return 0.5 * np.mean((pred - y) ** 2)  # ½·MSE: the gradient below is its gradient

    def backward(self, X, y):
        m = self.mistake
        out = self.forward(X)
        n = X.shape[0]
        d_out = (out - y) / n  # gradient of ½·MSE
        if m == "half_mse":  # the other way round: the gradient of the MSE
            d_out = 2 * (out - y) / n
        if m == "not_averaged":
            d_out = out - y
        if m == "grad_sign":
            d_out = (y - out) / n
        grad = {"grad_W2": (self.Z if m == "dW2_uses_z1" else self.A).T @ d_out}
        grad["grad_B2"] = d_out.sum(axis=0, keepdims=True)
        relu_grad = (self.Z > 0).astype(np.float32)
        if m in ("no_activation", "no_activation_grad"):
            d_z = d_out @ self.W2.T
        elif m == "skip_W2":
            d_z = d_out * relu_grad
        elif m == "activation_grad_wrong":
            d_z = (d_out @ self.W2.T) * (np.maximum(self.Z, 0) > 0) * self.Z  # "derivative" z
        else:
            d_z = (d_out @ self.W2.T) * relu_grad
        grad["grad_W1"] = X.T @ d_z
        grad["grad_B1"] = d_z.sum(axis=0, keepdims=True)
        if m == "skip_layer_W1":
            grad["grad_W1"] = X.T @ d_out @ np.ones((1, self.W1.shape[1]))
        if m == "bias_from_layer2":
            grad["grad_B1"] = np.ones_like(self.B1) * grad["grad_B2"]
        if m == "bias_shape":
            grad["grad_B1"] = grad["grad_B1"].T
        return grad


TWO_LAYER_STYLES = (SigmoidTuple, TanhDictLoops, ReluFloat32Half)
