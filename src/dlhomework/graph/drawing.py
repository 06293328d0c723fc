"""Drawing the purchase graph like the textbook figure (homework 1-4).

Part of :mod:`dlhomework.graph`, which re-exports everything public here.
"""

from __future__ import annotations

from typing import Any

from .._validation import check_int
from .shopping import Purchase

__all__ = ["draw_purchase"]


# Layout of the drawing: node positions and the edges (name of the value, start, end).
_NODE_XY: dict[str, tuple[float, float]] = {
    "apple_total": (3.0, 4.6),
    "orange_total": (3.0, 1.8),
    "subtotal": (5.4, 3.2),
    "total": (7.8, 3.2),
}
# What each input is, in the book's language, drawn above its name in the code.
_INPUT_LABEL = {
    "apple_price": "苹果单价",
    "apple_count": "苹果个数",
    "orange_price": "橘子单价",
    "orange_count": "橘子个数",
    "rate": "系数（含税或折扣）",
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
    with respect to that value (on the vertical ``rate`` edge: value on the
    left, gradient on the right; the legend says so).  Values are rounded to ``precision``
    significant digits for display (``1.1 * 650`` is ``715.0000000000001`` in
    floating point and is shown as ``715``).  The inputs and the total are labelled
    in Chinese, the book's language, above their names in the code: call
    :func:`dlhomework.display.use_chinese_font` first, or the characters show as boxes.

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
    Used in homework 1-4.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from dlhomework.graph import purchase
    >>> ax = draw_purchase(purchase(rate=0.9))
    >>> sorted(t.get_text() for t in ax.texts
    ...        if t.get_gid() == "value:total")
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
        label = f"{_INPUT_LABEL[name]}\n{name}"
        if name == "rate":
            ax.text(x, y - 0.25, label, ha="center", va="top", fontsize=10)
        else:
            ax.text(x - 0.1, y, label, ha="right", va="center", fontsize=10)
    for name, (x, y) in _NODE_XY.items():
        ax.add_patch(Circle((x, y), _RADIUS, facecolor="white", edgecolor="black", lw=1.5))
        ax.text(x, y, _NODE_SYMBOL[name], ha="center", va="center", fontsize=16)
    ax.text(_OUTPUT_XY[0] + 0.1, _OUTPUT_XY[1], "总价\ntotal", ha="left", va="center", fontsize=10)

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
        "箭头上方（竖直箭头的左边）：前向传播的值",
        color=value_color,
        fontsize=9,
        ha="left",
        va="center",
    )
    ax.text(
        0.0,
        6.2,
        "箭头下方（竖直箭头的右边）：总价对这个值的梯度 ∂total/∂值",
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
