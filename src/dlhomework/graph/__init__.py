"""Computational graphs by hand: multiplication and addition nodes (homework 1-4).

Each node is an object with ``forward(x, y)``, which computes the output and
keeps what the backward pass needs, and ``backward(dout)``, which turns the
gradient of the final result with respect to the node's output into the
gradients with respect to its inputs, in input order (the layout of *Deep
Learning from Scratch*, chapter 5):

- :class:`MulNode`: ``z = x * y``, so ``dz/dx = y`` and ``dz/dy = x``;
- :class:`AddNode`: ``z = x + y``, so ``dz/dx = dz/dy = 1``.

A node may be given the names of its inputs and output (``MulNode("apple_price",
"apple_count", "apple_total")``) so that its errors speak of them: a result that
overflows float64 raises ``OverflowError`` rather than passing ``inf`` on.

:func:`purchase` builds the course's 图13 (apples and oranges, summed, times a
rate) from four such nodes and runs it forward and backward;
:func:`draw_purchase` draws it like the textbook figure.  One module each:
``nodes``, ``shopping`` and ``drawing``; import every name from ``dlhomework.graph``.
"""

from __future__ import annotations

from .drawing import draw_purchase
from .nodes import AddNode, MulNode
from .shopping import Purchase, purchase

__all__ = [
    "INPUTS",
    "INTERMEDIATES",
    "AddNode",
    "MulNode",
    "Purchase",
    "draw_purchase",
    "purchase",
]

INPUTS: tuple[str, ...] = ("apple_price", "apple_count", "orange_price", "orange_count", "rate")
"""The five inputs of the purchase graph, in the order :func:`purchase` takes them."""

INTERMEDIATES: tuple[str, ...] = ("apple_total", "orange_total", "subtotal", "total")
"""The outputs of its four nodes, in forward order (``total`` is the graph's output)."""
