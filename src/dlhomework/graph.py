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
:func:`draw_purchase` draws it like the textbook figure.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from ._validation import check_int

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


def _check_real(value: Any, name: str) -> float:
    """Return ``value`` as a finite float; bools, strings, NaN/inf and huge ints are errors."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    try:
        number = float(value)
    except OverflowError:  # e.g. the int 10**400
        text = repr(value)
        shown = text if len(text) <= 40 else f"{text[:20]}…({len(text)} characters)"
        raise ValueError(
            f"{name} must be finite, got {shown}, beyond the largest float64 (1.8e308)"
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}")
    return number


def _check_name(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r} ({type(value).__name__})")
    return value


def _finite_result(value: float, what: str, operands: str) -> float:
    """Return ``value``, or raise OverflowError if the operation overflowed to ±inf."""
    if not math.isfinite(value):
        raise OverflowError(f"{what} overflows float64: {operands}")
    return value


class MulNode:
    """The multiplication node ``z = x * y`` (图12, left).

    ``forward`` remembers both inputs, because each one is the other's
    derivative: ``dz/dx = y`` and ``dz/dy = x``.

    Parameters
    ----------
    x_name, y_name, out_name : str, default "x", "y", "z"
        What the inputs and the output stand for; error messages use them.

    Attributes
    ----------
    x, y : float or None
        The inputs of the last :meth:`forward` call (``None`` before it).
    names : tuple of str
        ``(x_name, y_name, out_name)``.

    Notes
    -----
    Used in homework 1-4.

    Examples
    --------
    >>> node = MulNode()
    >>> node.forward(100, 2)
    200.0
    >>> node.backward(1.1)  # (dout * y, dout * x)
    (2.2, 110.00000000000001)
    """

    def __init__(self, x_name: str = "x", y_name: str = "y", out_name: str = "z") -> None:
        self.names = (
            _check_name(x_name, "x_name"),
            _check_name(y_name, "y_name"),
            _check_name(out_name, "out_name"),
        )
        self.x: float | None = None
        self.y: float | None = None

    def __repr__(self) -> str:
        return f"MulNode(x={self.x!r}, y={self.y!r})"

    def forward(self, x: float, y: float) -> float:
        """Return ``x * y`` and remember ``x`` and ``y`` for :meth:`backward`.

        Parameters
        ----------
        x, y : float
            Finite real numbers.

        Returns
        -------
        z : float
            ``x * y``.

        Raises
        ------
        TypeError
            An input is not a real number (bools are rejected too).
        ValueError
            An input is NaN or infinite (or an int beyond float64).
        OverflowError
            ``x * y`` overflows float64.

        Examples
        --------
        >>> MulNode().forward(150, 3)
        450.0
        """
        x_name, y_name, out_name = self.names
        # check everything before storing: a failed call leaves the node as it was
        x, y = _check_real(x, x_name), _check_real(y, y_name)
        z = _finite_result(x * y, f"{out_name} = {x_name} * {y_name}", f"{x!r} * {y!r}")
        self.x, self.y = x, y
        return z

    def backward(self, dout: float) -> tuple[float, float]:
        """Return ``(dout * y, dout * x)``, the gradients with respect to ``x`` and ``y``.

        Parameters
        ----------
        dout : float
            Gradient of the final result with respect to this node's output.

        Returns
        -------
        dx, dy : float
            Gradients with respect to the inputs, in input order: the upstream
            gradient times the *other* input (the two inputs swap).

        Raises
        ------
        RuntimeError
            :meth:`forward` has not been called yet.
        TypeError, ValueError
            ``dout`` is not a finite real number.
        OverflowError
            A gradient overflows float64.

        Examples
        --------
        >>> node = MulNode()
        >>> _ = node.forward(3.0, 4.0)
        >>> node.backward(1.0)
        (4.0, 3.0)
        """
        if self.x is None or self.y is None:
            raise RuntimeError("MulNode.backward called before forward: nothing to differentiate")
        d = _check_real(dout, "dout")
        x_name, y_name, out_name = self.names
        dx = _finite_result(
            d * self.y,
            f"the gradient with respect to {x_name}",
            f"d{out_name} * {y_name} = {d!r} * {self.y!r}",
        )
        dy = _finite_result(
            d * self.x,
            f"the gradient with respect to {y_name}",
            f"d{out_name} * {x_name} = {d!r} * {self.x!r}",
        )
        return dx, dy


class AddNode:
    """The addition node ``z = x + y`` (图12, right).

    Both local derivatives are 1, so ``backward`` passes the upstream gradient
    unchanged to both inputs and ``forward`` needs to remember nothing.

    Parameters
    ----------
    x_name, y_name, out_name : str, default "x", "y", "z"
        What the inputs and the output stand for; error messages use them.

    Attributes
    ----------
    names : tuple of str
        ``(x_name, y_name, out_name)``.

    Notes
    -----
    Used in homework 1-4.

    Examples
    --------
    >>> node = AddNode()
    >>> node.forward(200, 450)
    650.0
    >>> node.backward(1.1)
    (1.1, 1.1)
    """

    def __init__(self, x_name: str = "x", y_name: str = "y", out_name: str = "z") -> None:
        self.names = (
            _check_name(x_name, "x_name"),
            _check_name(y_name, "y_name"),
            _check_name(out_name, "out_name"),
        )

    def __repr__(self) -> str:
        return "AddNode()"

    def forward(self, x: float, y: float) -> float:
        """Return ``x + y``.

        Parameters
        ----------
        x, y : float
            Finite real numbers.

        Returns
        -------
        z : float
            ``x + y``.

        Raises
        ------
        TypeError
            An input is not a real number (bools are rejected too).
        ValueError
            An input is NaN or infinite (or an int beyond float64).
        OverflowError
            ``x + y`` overflows float64.

        Examples
        --------
        >>> AddNode().forward(1, 2)
        3.0
        """
        x_name, y_name, out_name = self.names
        x, y = _check_real(x, x_name), _check_real(y, y_name)
        return _finite_result(x + y, f"{out_name} = {x_name} + {y_name}", f"{x!r} + {y!r}")

    def backward(self, dout: float) -> tuple[float, float]:
        """Return ``(dout, dout)``, the gradients with respect to ``x`` and ``y``.

        Parameters
        ----------
        dout : float
            Gradient of the final result with respect to this node's output.

        Returns
        -------
        dx, dy : float
            Both equal to ``dout`` (the local derivatives are 1).

        Raises
        ------
        TypeError, ValueError
            ``dout`` is not a finite real number.

        Examples
        --------
        >>> AddNode().backward(2.5)
        (2.5, 2.5)
        """
        d = _check_real(dout, "dout")
        return d, d


@dataclass
class Purchase:
    """The purchase graph of 图13 after one forward and one backward pass.

    Built by :func:`purchase`; read it, do not construct it by hand.

    Attributes
    ----------
    values : dict of str to float
        Forward value of every input (:data:`INPUTS`) and of every node output
        (:data:`INTERMEDIATES`): ``apple_total = apple_price * apple_count``,
        ``orange_total = orange_price * orange_count``,
        ``subtotal = apple_total + orange_total``, ``total = subtotal * rate``.
    grads : dict of str to float
        ``d total / d name`` for the same keys; ``grads["total"]`` is 1.
    nodes : dict of str to MulNode or AddNode
        The four nodes, keyed by the name of their output.

    Notes
    -----
    Used in homework 1-4.

    Examples
    --------
    >>> p = purchase()
    >>> round(p.total, 6), round(p.grads["rate"], 6)
    (715.0, 650.0)
    """

    values: dict[str, float]
    grads: dict[str, float]
    nodes: dict[str, MulNode | AddNode] = field(repr=False)

    @property
    def total(self) -> float:
        """The graph's output, ``(apple_price*apple_count + orange_price*orange_count) * rate``."""
        return self.values["total"]


def purchase(
    apple_price: float = 100,
    apple_count: float = 2,
    orange_price: float = 150,
    orange_count: float = 3,
    rate: float = 1.1,
) -> Purchase:
    """Run the apples-and-oranges graph (图13) forward and backward, one node per operation.

    Forward (numbered as in the figure)::

        1. apple_total  = apple_price * apple_count      (MulNode)
        2. orange_total = orange_price * orange_count    (MulNode)
        3. subtotal     = apple_total + orange_total     (AddNode)
        4. total        = subtotal * rate                (MulNode)

    Backward runs the nodes in reverse order starting from ``dtotal = 1``.

    Parameters
    ----------
    apple_price, apple_count, orange_price, orange_count : float
        Unit prices and counts (any finite real numbers: the graph is plain
        arithmetic, and gradients with respect to counts are meaningful).
    rate : float, default 1.1
        Factor applied to the sum: 1.1 for a 10 % tax (the classic figure),
        0.9 for a 10 % discount (the course's apple example).

    Returns
    -------
    Purchase
        Forward values and the gradient of ``total`` with respect to every
        input and every intermediate value.

    Raises
    ------
    TypeError
        An argument is not a real number; the message names it.
    ValueError
        An argument is NaN or infinite, or an int too large for float64; the
        message names it.
    OverflowError
        A value or gradient of the graph overflows float64 although every input
        is finite; the message names it and the node (e.g.
        ``total = subtotal * rate overflows float64: 1e+300 * 10000000000.0``).

    Notes
    -----
    Used in homework 1-4.  Floating point makes ``1.1 * 650`` equal
    ``715.0000000000001``; compare with a tolerance or round for display.

    Examples
    --------
    >>> p = purchase()
    >>> [round(p.grads[k], 6) for k in ("apple_price", "apple_count", "orange_price",
    ...                                 "orange_count", "rate")]
    [2.2, 110.0, 3.3, 165.0, 650.0]
    >>> round(purchase(rate=0.9).total, 6)
    585.0
    """
    args = {
        "apple_price": apple_price,
        "apple_count": apple_count,
        "orange_price": orange_price,
        "orange_count": orange_count,
        "rate": rate,
    }
    inputs = {name: _check_real(value, name) for name, value in args.items()}

    mul_apple = MulNode("apple_price", "apple_count", "apple_total")
    mul_orange = MulNode("orange_price", "orange_count", "orange_total")
    add_fruit = AddNode("apple_total", "orange_total", "subtotal")
    mul_rate = MulNode("subtotal", "rate", "total")

    # forward
    apple_total = mul_apple.forward(inputs["apple_price"], inputs["apple_count"])  # (1)
    orange_total = mul_orange.forward(inputs["orange_price"], inputs["orange_count"])  # (2)
    subtotal = add_fruit.forward(apple_total, orange_total)  # (3)
    total = mul_rate.forward(subtotal, inputs["rate"])  # (4)

    # backward, in reverse order
    dtotal = 1.0
    dsubtotal, drate = mul_rate.backward(dtotal)  # (4)
    dapple_total, dorange_total = add_fruit.backward(dsubtotal)  # (3)
    dorange_price, dorange_count = mul_orange.backward(dorange_total)  # (2)
    dapple_price, dapple_count = mul_apple.backward(dapple_total)  # (1)

    values = {
        **inputs,
        "apple_total": apple_total,
        "orange_total": orange_total,
        "subtotal": subtotal,
        "total": total,
    }
    grads = {
        "apple_price": dapple_price,
        "apple_count": dapple_count,
        "orange_price": dorange_price,
        "orange_count": dorange_count,
        "rate": drate,
        "apple_total": dapple_total,
        "orange_total": dorange_total,
        "subtotal": dsubtotal,
        "total": dtotal,
    }
    nodes: dict[str, MulNode | AddNode] = {
        "apple_total": mul_apple,
        "orange_total": mul_orange,
        "subtotal": add_fruit,
        "total": mul_rate,
    }
    return Purchase(values=values, grads=grads, nodes=nodes)


# Layout of the drawing: node positions and the edges (name of the value, start, end).
_NODE_XY: dict[str, tuple[float, float]] = {
    "apple_total": (3.0, 4.6),
    "orange_total": (3.0, 1.8),
    "subtotal": (5.4, 3.2),
    "total": (7.8, 3.2),
}
_NODE_SYMBOL = {"apple_total": "×", "orange_total": "×", "subtotal": "+", "total": "×"}
_INPUT_XY: dict[str, tuple[float, float]] = {
    "apple_price": (0.9, 5.4),
    "apple_count": (0.9, 3.8),
    "orange_price": (0.9, 2.6),
    "orange_count": (0.9, 1.0),
    "rate": (7.8, 1.4),
}
_EDGES: tuple[tuple[str, str], ...] = (
    ("apple_price", "apple_total"),
    ("apple_count", "apple_total"),
    ("orange_price", "orange_total"),
    ("orange_count", "orange_total"),
    ("apple_total", "subtotal"),
    ("orange_total", "subtotal"),
    ("subtotal", "total"),
    ("rate", "total"),
    ("total", "output"),
)
_OUTPUT_XY = (10.0, 3.2)
_RADIUS = 0.32


def _format(value: float, precision: int) -> str:
    """Round for display: ``715.0000000000001`` -> ``'715'`` at 6 significant digits."""
    text = f"{value:.{precision}g}"
    return "0" if text == "-0" else text


def draw_purchase(
    purchase: Purchase,
    ax: Any = None,
    *,
    precision: int = 6,
    value_color: str = "black",
    grad_color: str = "tab:red",
) -> Any:
    """Draw the purchase graph: forward values above the edges, gradients below.

    Like the textbook figure: the inputs on the left, one circle per node
    (``×`` or ``+``), an arrow per edge; above each edge the value flowing
    forward along it, below it (in ``grad_color``) the gradient of the total
    with respect to that value.  Values are rounded to ``precision``
    significant digits for display (``1.1 * 650`` is ``715.0000000000001`` in
    floating point and is shown as ``715``).

    Parameters
    ----------
    purchase : Purchase
        The result of :func:`purchase`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure of size 9 × 4.5 inches is made if omitted.
    precision : int, default 6
        Significant digits shown.
    value_color, grad_color : str
        Matplotlib colours of the forward values and of the gradients.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.  Each of the 9 edges carries one value label and one
        gradient label; their text artists have ``gid`` ``"value:<name>"`` and
        ``"grad:<name>"`` (``<name>`` from :data:`INPUTS` or :data:`INTERMEDIATES`).

    Raises
    ------
    TypeError
        ``purchase`` is not a :class:`Purchase`, or ``precision`` is not an integer.
    ValueError
        ``precision`` is smaller than 1.

    Notes
    -----
    Used in homework 1-4.  Labels are ASCII so that no CJK font is needed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_purchase(purchase(rate=0.9))
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "value:total")
    ['585']
    """
    from matplotlib import pyplot as plt
    from matplotlib.patches import Circle

    if not isinstance(purchase, Purchase):
        raise TypeError(f"purchase must be a Purchase, got {type(purchase).__name__}")
    digits = check_int(precision, "precision", minimum=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))

    values, grads = purchase.values, purchase.grads
    for name, (x, y) in _INPUT_XY.items():
        label = name.replace("_", " ")
        if name == "rate":
            ax.text(x, y - 0.25, label, ha="center", va="top", fontsize=10)
        else:
            ax.text(x - 0.1, y, label, ha="right", va="center", fontsize=10)
    for name, (x, y) in _NODE_XY.items():
        ax.add_patch(Circle((x, y), _RADIUS, facecolor="white", edgecolor="black", lw=1.5))
        ax.text(x, y, _NODE_SYMBOL[name], ha="center", va="center", fontsize=16)
    ax.text(_OUTPUT_XY[0] + 0.1, _OUTPUT_XY[1], "total", ha="left", va="center", fontsize=10)

    for source, target in _EDGES:
        x0, y0 = _INPUT_XY.get(source) or _NODE_XY[source]
        x1, y1 = _OUTPUT_XY if target == "output" else _NODE_XY[target]
        dx, dy = x1 - x0, y1 - y0
        length = (dx * dx + dy * dy) ** 0.5
        ux, uy = dx / length, dy / length
        start_pad = _RADIUS if source in _NODE_XY else 0.0
        end_pad = _RADIUS if target != "output" else 0.0
        start = (x0 + ux * start_pad, y0 + uy * start_pad)
        end = (x1 - ux * end_pad, y1 - uy * end_pad)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "->", "lw": 1.3, "color": "0.25", "shrinkA": 0, "shrinkB": 0},
        )
        # Labels sit where the edges are far apart: nearer the start on the fan-in edges.
        t = 0.4 if source in _INPUT_XY and source != "rate" else 0.5
        mx, my = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
        if source == "rate":  # vertical edge: value to the left, gradient to the right
            value_xy, value_ha, value_va = (mx - 0.1, my), "right", "center"
            grad_xy, grad_ha, grad_va = (mx + 0.1, my), "left", "center"
        else:
            value_xy, value_ha, value_va = (mx, my + 0.12), "center", "bottom"
            grad_xy, grad_ha, grad_va = (mx, my - 0.12), "center", "top"
        ax.text(
            *value_xy,
            _format(values[source], digits),
            ha=value_ha,
            va=value_va,
            color=value_color,
            fontsize=11,
            gid=f"value:{source}",
        )
        ax.text(
            *grad_xy,
            _format(grads[source], digits),
            ha=grad_ha,
            va=grad_va,
            color=grad_color,
            fontsize=11,
            gid=f"grad:{source}",
        )

    ax.text(
        0.0,
        6.5,
        "forward value (above the arrow)",
        color=value_color,
        fontsize=9,
        ha="left",
        va="center",
    )
    ax.text(
        0.0,
        6.2,
        "gradient d total / d value (below)",
        color=grad_color,
        fontsize=9,
        ha="left",
        va="center",
    )
    ax.set_xlim(-1.6, 11.0)
    ax.set_ylim(0.4, 6.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
