"""The two nodes of a computational graph, ``z = x * y`` and ``z = x + y`` (homework 1-4).

Part of :mod:`dlhomework.graph`, which re-exports everything public here.
"""

from __future__ import annotations

import math

from .._validation import check_real, check_str

__all__ = ["AddNode", "MulNode"]


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
            check_str(x_name, "x_name"),
            check_str(y_name, "y_name"),
            check_str(out_name, "out_name"),
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
        x, y = check_real(x, x_name), check_real(y, y_name)
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
        d = check_real(dout, "dout")
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
            check_str(x_name, "x_name"),
            check_str(y_name, "y_name"),
            check_str(out_name, "out_name"),
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
        x, y = check_real(x, x_name), check_real(y, y_name)
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
        d = check_real(dout, "dout")
        return d, d
