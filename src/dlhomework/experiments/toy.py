"""Homework 1-1: Newton's law as supervised learning, price from rooms, and the market.

- :func:`newton_data` and :func:`fit_proportional`: learn ``w = 1 / m`` in ``a = w * F``
  from noisy measurements;
- :func:`feature_target`: one housing feature and the price, for a one-feature fit;
- :class:`LinearCurve`, :func:`equilibrium` and :func:`draw_market`: the
  supply–demand diagram of the market for deep-learning engineers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import (
    RngLike,
    as_float_array,
    as_rng,
    check_int,
    check_positive_float,
    check_real,
)
from ..data import FEATURE_NAMES, N_COLUMNS

__all__ = [
    "LinearCurve",
    "draw_market",
    "equilibrium",
    "feature_target",
    "fit_proportional",
    "newton_data",
]


def newton_data(
    mass: float,
    n: int,
    *,
    force_range: tuple[float, float] = (1.0, 20.0),
    noise: float = 0.3,
    rng: RngLike = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Noisy measurements of Newton's second law, ``a = F / m``.

    Forces are drawn uniformly from ``force_range`` (newtons); each measured
    acceleration is ``F / mass`` plus Gaussian noise of standard deviation
    ``noise`` (m/s²), the measurement error of a real experiment.

    Parameters
    ----------
    mass : float
        The body's mass in kg, ``> 0``.  The parameter to learn is ``w = 1 / mass``.
    n : int
        Number of measurements, ``>= 1``.
    force_range : tuple of float, default (1.0, 20.0)
        ``(low, high)`` of the uniform forces, finite, ``low <= high``.
    noise : float, default 0.3
        Standard deviation of the acceleration noise, ``>= 0`` (0: exact data).
    rng : numpy.random.Generator or int or None, default None
        Source of the forces and the noise.

    Returns
    -------
    F : ndarray of shape (n, 1), float64
        The applied forces (the input x).
    a : ndarray of shape (n, 1), float64
        The measured accelerations (the label y).

    Raises
    ------
    TypeError
        ``n`` is not an int, or a number is not real.
    ValueError
        ``mass <= 0``, ``n < 1``, ``noise < 0``, or ``force_range`` is not a pair of
        finite numbers with ``low <= high``.

    See Also
    --------
    fit_proportional : the least-squares estimate of ``w`` in ``a = w * F``.

    Notes
    -----
    Used in homework 1-1.

    Examples
    --------
    The course's example, without noise: a force of 10 N on a 2 kg body.

    >>> F, a = newton_data(2.0, 1, force_range=(10.0, 10.0), noise=0.0,
    ...                    rng=0)
    >>> float(F[0, 0]), float(a[0, 0])
    (10.0, 5.0)
    """
    m = check_positive_float(mass, "mass")
    count = check_int(n, "n", minimum=1)
    if not isinstance(force_range, tuple | list) or len(force_range) != 2:
        raise ValueError(f"force_range must be a pair (low, high), got {force_range!r}")
    low = check_real(force_range[0], "force_range[0]")
    high = check_real(force_range[1], "force_range[1]")
    if low > high:
        raise ValueError(f"force_range must have low <= high, got {force_range!r}")
    sigma = check_real(noise, "noise", minimum=0.0)
    gen = as_rng(rng)
    F = gen.uniform(low, high, size=(count, 1))
    a = F / m + gen.normal(0.0, sigma, size=(count, 1))
    return F, a


def _column(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Accept shape (n,) or (n, 1); return (n, 1) float64."""
    arr = as_float_array(x, name)
    if arr.ndim == 1:
        return arr.reshape(-1, 1)
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr
    raise ValueError(f"{name} must have shape (n,) or (n, 1), got {arr.shape}")


def fit_proportional(x: ArrayLike, y: ArrayLike) -> float:
    """Least-squares slope of the hypothesis ``y = w * x`` (a line through the origin).

    Minimizes the MSE ``(1/N) * sum_i (w * x_i - y_i) ** 2`` over ``w``; setting its
    derivative to zero gives ``w = sum_i x_i * y_i / sum_i x_i ** 2``.

    Parameters
    ----------
    x : array_like of shape (n,) or (n, 1)
        Inputs, finite, not all zero.
    y : array_like of shape (n,) or (n, 1)
        Labels, finite, same length.

    Returns
    -------
    float
        The fitted parameter ``w``.

    Raises
    ------
    ValueError
        Wrong shapes, different lengths, NaN/inf, or every ``x_i == 0`` (``w`` is
        then undetermined).

    Notes
    -----
    Used in homework 1-1: on :func:`newton_data` it recovers ``w ≈ 1 / m``.

    Examples
    --------
    >>> fit_proportional([1.0, 2.0, 4.0], [0.5, 1.0, 2.0])
    0.5
    """
    xc, yc = _column(x, "x"), _column(y, "y")
    if xc.shape[0] != yc.shape[0]:
        raise ValueError(f"x and y must have the same length, got {xc.shape[0]} and {yc.shape[0]}")
    sxx = float(np.sum(xc * xc))
    if sxx == 0.0:
        raise ValueError("x is all zeros: the slope of y = w * x is undetermined")
    return float(np.sum(xc * yc)) / sxx


def feature_target(
    data: ArrayLike, feature: str = "RM"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One feature column and the target MEDV from raw housing rows.

    Parameters
    ----------
    data : array_like of shape (n_rows, 14)
        Rows in the file's layout (:data:`dlhomework.data.COLUMN_NAMES`), e.g.
        from :func:`dlhomework.data.load_housing` or its training split.
    feature : str, default "RM"
        One of :data:`dlhomework.data.FEATURE_NAMES`.

    Returns
    -------
    X : ndarray of shape (n_rows, 1), float64
        The feature, in its original units (RM: rooms per dwelling).
    y : ndarray of shape (n_rows, 1), float64
        MEDV in $1000s.  Both are copies.

    Raises
    ------
    ValueError
        ``data`` is not ``(n_rows, 14)`` or holds NaN/inf, or ``feature`` is unknown.

    Notes
    -----
    Used in homework 1-1 (price from the number of rooms).

    Examples
    --------
    >>> from dlhomework.data import load_housing
    >>> X, y = feature_target(load_housing()[:2])
    >>> X.tolist(), y.tolist()
    ([[6.575], [6.421]], [[24.0], [21.6]])
    """
    arr = as_float_array(data, "data", ndim=2)
    if arr.shape[1] != N_COLUMNS:
        raise ValueError(f"data must have {N_COLUMNS} columns, got shape {arr.shape}")
    if feature not in FEATURE_NAMES:
        raise ValueError(f"feature must be one of {FEATURE_NAMES}, got {feature!r}")
    j = FEATURE_NAMES.index(feature)
    return arr[:, [j]].copy(), arr[:, [-1]].copy()


@dataclass(frozen=True)
class LinearCurve:
    """A straight supply or demand curve, price as a function of quantity.

    ``price(q) = intercept + slope * q`` — the economist's drawing, quantity on
    the horizontal axis.  A demand curve slopes down (``slope < 0``), a supply
    curve up (``slope > 0``).

    Parameters
    ----------
    intercept : float
        Price at quantity 0 (finite).
    slope : float
        Change of price per unit of quantity (finite).

    Raises
    ------
    TypeError
        A value is not a real number.
    ValueError
        A value is NaN or infinite.

    Notes
    -----
    Used in homework 1-1 (the market for deep-learning engineers).

    Examples
    --------
    >>> demand = LinearCurve(10.0, -1.0)
    >>> demand.price([0.0, 4.0]).tolist()
    [10.0, 6.0]
    >>> demand.shifted(2.0)  # demand rises: the curve moves right by 2
    LinearCurve(intercept=12.0, slope=-1.0)
    """

    intercept: float
    slope: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "intercept", check_real(self.intercept, "intercept"))
        object.__setattr__(self, "slope", check_real(self.slope, "slope"))

    def price(self, quantity: ArrayLike) -> NDArray[np.float64]:
        """Price on this curve at ``quantity``.

        Parameters
        ----------
        quantity : array_like
            Quantities, any shape.

        Returns
        -------
        ndarray of the same shape, float64

        Examples
        --------
        >>> LinearCurve(2.0, 1.0).price(3.0).tolist()
        5.0
        """
        q = as_float_array(quantity, "quantity", allow_empty=True)
        return self.intercept + self.slope * q

    def shifted(self, quantity: float) -> LinearCurve:
        """The same curve moved right by ``quantity`` (left when negative).

        A rightward shift means more is demanded (or supplied) at every price:
        ``new.price(q + quantity) == self.price(q)``.

        Parameters
        ----------
        quantity : float
            Horizontal shift, finite.

        Returns
        -------
        LinearCurve

        Examples
        --------
        A supply curve ``2 + q`` moved right by 3 is
        ``2 + (q - 3) = -1 + q``: more supply, a lower price at every
        quantity.

        >>> LinearCurve(2.0, 1.0).shifted(3.0)
        LinearCurve(intercept=-1.0, slope=1.0)
        """
        dq = check_real(quantity, "quantity")
        return LinearCurve(self.intercept - self.slope * dq, self.slope)


def equilibrium(demand: LinearCurve, supply: LinearCurve) -> tuple[float, float]:
    """Where a downward demand curve meets an upward supply curve.

    Solves ``demand.price(q) == supply.price(q)``:
    ``q* = (a_d - a_s) / (b_s - b_d)`` and ``p* = a_d + b_d * q*`` for curves
    ``p = a + b * q``.

    Parameters
    ----------
    demand : LinearCurve
        ``slope < 0``.
    supply : LinearCurve
        ``slope > 0``.

    Returns
    -------
    quantity : float
        Equilibrium quantity ``q* > 0`` (e.g. engineers employed).
    price : float
        Equilibrium price ``p* > 0`` (e.g. the wage).

    Raises
    ------
    TypeError
        An argument is not a :class:`LinearCurve`.
    ValueError
        The demand curve does not slope down or the supply curve does not slope
        up, or they cross at a quantity or price that is not positive (no market).

    Notes
    -----
    Used in homework 1-1 (the supply–demand diagram).

    Examples
    --------
    >>> equilibrium(LinearCurve(10.0, -1.0), LinearCurve(2.0, 1.0))
    (4.0, 6.0)
    """
    if not isinstance(demand, LinearCurve) or not isinstance(supply, LinearCurve):
        raise TypeError(
            f"demand and supply must be LinearCurve, got {type(demand).__name__} "
            f"and {type(supply).__name__}"
        )
    if demand.slope >= 0:
        raise ValueError(f"demand must slope down (slope < 0), got slope {demand.slope!r}")
    if supply.slope <= 0:
        raise ValueError(f"supply must slope up (slope > 0), got slope {supply.slope!r}")
    q = (demand.intercept - supply.intercept) / (supply.slope - demand.slope)
    p = demand.intercept + demand.slope * q
    if q <= 0 or p <= 0:
        raise ValueError(
            f"the curves cross at quantity {q!r} and price {p!r}: not a market "
            "with positive quantity and price"
        )
    return float(q), float(p)


def draw_market(
    ax: Any,
    demand: LinearCurve,
    supply: LinearCurve,
    *,
    demand_shift: float,
    supply_shift: float,
    title: str = "",
) -> list[tuple[float, float]]:
    """Draw a market before and after its curves shift; return the three equilibria.

    Demand ``D0`` and supply ``S0`` as solid lines, ``D1`` (``D0`` moved right by
    ``demand_shift``) and ``S1`` (``S0`` moved right by ``supply_shift``) dashed, and
    three marked points: ``E0`` where ``D0`` meets ``S0`` (the start), ``E1`` where
    ``D1`` meets ``S0`` (demand has grown) and ``E2`` where ``D1`` meets ``S1``
    (supply has caught up).  The horizontal axis runs to where ``D1`` reaches
    price 0.  Labels are in Chinese, the book's language; the caller adds the
    legend (``ax.legend()``).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    demand, supply : LinearCurve
        The curves before the shifts (see :func:`equilibrium`).
    demand_shift, supply_shift : float
        Rightward shifts (see :meth:`LinearCurve.shifted`).
    title : str, default ""
        The axes' title.

    Returns
    -------
    list of (float, float)
        ``[E0, E1, E2]``, each ``(quantity, price)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`equilibrium` and :meth:`LinearCurve.shifted`, for any of the
        three pairs of curves.

    Notes
    -----
    Used in homework 1-1 (the market for deep-learning engineers).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> draw_market(ax, LinearCurve(10.0, -1.0), LinearCurve(2.0, 1.0),
    ...             demand_shift=4.0, supply_shift=6.0)
    [(4.0, 6.0), (6.0, 8.0), (9.0, 5.0)]
    >>> len(ax.lines), [t.get_text()[:2] for t in ax.texts]
    (7, ['E0', 'E1', 'E2'])
    >>> plt.close(fig)
    """
    d1, s1 = demand.shifted(demand_shift), supply.shifted(supply_shift)
    points = [equilibrium(demand, supply), equilibrium(d1, supply), equilibrium(d1, s1)]
    q_max = -d1.intercept / d1.slope  # where the grown demand reaches price 0
    q = np.linspace(0.0, q_max, 100)
    ax.plot(q, demand.price(q), "C0", label="需求 $D_0$")
    ax.plot(q, d1.price(q), "C0--", label="需求 $D_1$ (应用扩散)")
    ax.plot(q, supply.price(q), "C3", label="供给 $S_0$")
    ax.plot(q, s1.price(q), "C3--", label="供给 $S_1$ (入门成本下降)")
    names = ("E0 起点", "E1 需求增长", "E2 供给跟上")
    offsets = ((8, -4), (-20, 8), (8, -14))  # text positions that keep the labels apart
    for (qe, pe), name, marker, offset in zip(points, names, "osD", offsets, strict=True):
        ax.plot(qe, pe, marker, color="k", ms=7)
        ax.annotate(
            name,
            (qe, pe),
            textcoords="offset points",
            xytext=offset,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set(
        xlim=(0.0, q_max),
        ylim=(0.0, 1.15 * d1.intercept),
        title=title,
        xlabel="数量: 受雇的工程师人数",
        ylabel="价格: 工资 (指数)",
    )
    return points
