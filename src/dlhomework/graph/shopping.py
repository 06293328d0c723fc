"""The course's 图13: apples and oranges, summed, times a rate, run forward and backward.

Part of :mod:`dlhomework.graph`, which re-exports everything public here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._validation import check_real
from .nodes import AddNode, MulNode

__all__ = ["Purchase", "purchase"]


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
        """The graph's output, ``(apple_price*apple_count + orange_price*orange_count) * rate``.

        Examples
        --------
        >>> purchase(1, 2, 3, 4, rate=0.5).total  # (1 * 2 + 3 * 4) * 0.5
        7.0
        """
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
    >>> names = ("apple_price", "apple_count", "orange_price",
    ...          "orange_count", "rate")
    >>> [round(p.grads[k], 6) for k in names]
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
    inputs = {name: check_real(value, name) for name, value in args.items()}

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
