"""dlhomework.graph: the nodes, the purchase graph (图13) and its drawing."""

from __future__ import annotations

import math
from fractions import Fraction

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlhomework.graph import (
    INPUTS,
    INTERMEDIATES,
    AddNode,
    MulNode,
    Purchase,
    draw_purchase,
    purchase,
)

matplotlib.use("Agg")
from matplotlib import pyplot as plt

# -- the nodes, against hand computation -----------------------------------------


def test_mul_node_forward_and_backward_by_hand():
    node = MulNode()
    assert node.forward(3.0, -4.0) == -12.0
    # z = x*y: dz/dx = y = -4, dz/dy = x = 3, times the upstream 2.
    assert node.backward(2.0) == (-8.0, 6.0)
    assert (node.x, node.y) == (3.0, -4.0)


def test_mul_node_keeps_only_the_last_forward():
    node = MulNode()
    node.forward(1.0, 2.0)
    node.forward(5.0, 7.0)
    assert node.backward(1.0) == (7.0, 5.0)


def test_add_node_forward_and_backward_by_hand():
    node = AddNode()
    assert node.forward(2.0, 0.5) == 2.5
    assert node.backward(-3.0) == (-3.0, -3.0)


def test_node_outputs_are_python_floats():
    assert type(MulNode().forward(2, 3)) is float
    assert type(AddNode().forward(2, 3)) is float


def test_mul_backward_before_forward():
    with pytest.raises(RuntimeError, match="before forward"):
        MulNode().backward(1.0)


@pytest.mark.parametrize("node", [MulNode(), AddNode()])
@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("1", TypeError, r"x must be a real number, got '1' \(str\)"),
        (True, TypeError, r"x must be a real number, got True \(bool\)"),
        (None, TypeError, r"x must be a real number, got None"),
        (1 + 2j, TypeError, r"x must be a real number"),
        (math.nan, ValueError, r"x must be finite, got nan"),
        (-math.inf, ValueError, r"x must be finite, got -inf"),
    ],
)
def test_nodes_reject_bad_inputs(node, bad, error, message):
    with pytest.raises(error, match=message):
        node.forward(bad, 1.0)
    with pytest.raises(error, match=message.replace("x must", "y must")):
        node.forward(1.0, bad)


@pytest.mark.parametrize("node", [MulNode(), AddNode()])
def test_nodes_reject_bad_dout(node):
    node.forward(1.0, 2.0)
    with pytest.raises(ValueError, match="dout must be finite, got inf"):
        node.backward(math.inf)
    with pytest.raises(TypeError, match="dout must be a real number"):
        node.backward("1")


# -- the purchase graph: the two figures ------------------------------------------


def test_tax_graph_matches_the_textbook():
    p = purchase()  # 100×2 apples, 150×3 oranges, 10 % tax
    assert isinstance(p, Purchase)
    assert p.total == pytest.approx(715.0)
    assert p.values["apple_total"] == 200.0
    assert p.values["orange_total"] == 450.0
    assert p.values["subtotal"] == 650.0
    expected = {
        "apple_price": 2.2,
        "apple_count": 110.0,
        "orange_price": 3.3,
        "orange_count": 165.0,
        "rate": 650.0,
        "apple_total": 1.1,
        "orange_total": 1.1,
        "subtotal": 1.1,
        "total": 1.0,
    }
    assert p.grads == pytest.approx(expected)


def test_discount_graph():
    p = purchase(rate=0.9)
    assert p.total == pytest.approx(585.0)
    assert p.grads["apple_price"] == pytest.approx(1.8)
    assert p.grads["apple_count"] == pytest.approx(90.0)
    assert p.grads["orange_price"] == pytest.approx(2.7)
    assert p.grads["orange_count"] == pytest.approx(135.0)
    assert p.grads["rate"] == pytest.approx(650.0)


def test_floating_point_is_not_hidden():
    # 1.1 is not representable: the exact product of the stored numbers is not 715.
    assert purchase().total == 650 * 1.1
    assert purchase().total != 715.0


def test_keys_and_nodes():
    p = purchase()
    assert set(p.values) == set(p.grads) == set(INPUTS) | set(INTERMEDIATES)
    assert [type(p.nodes[k]) for k in INTERMEDIATES] == [MulNode, MulNode, AddNode, MulNode]
    assert p.total == p.values["total"]


@pytest.mark.parametrize("name", INPUTS)
def test_purchase_rejects_bad_arguments(name):
    with pytest.raises(TypeError, match=f"{name} must be a real number"):
        purchase(**{name: "2"})
    with pytest.raises(ValueError, match=f"{name} must be finite"):
        purchase(**{name: math.nan})


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize(
    "huge", [10**400, -(10**309), Fraction(10**400, 3)], ids=["10**400", "-10**309", "fraction"]
)
def test_purchase_names_an_argument_too_large_for_a_float(name, huge):
    with pytest.raises(ValueError, match=rf"^{name} must be finite, got .*beyond the largest"):
        purchase(**{name: huge})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"apple_price": 1e200, "apple_count": 1e200},
            r"^apple_total = apple_price \* apple_count overflows float64: 1e\+200 \* 1e\+200$",
        ),
        (
            {"orange_price": -1e300, "orange_count": 1e10},
            r"^orange_total = orange_price \* orange_count overflows float64",
        ),
        (
            {"apple_price": 1.5e308, "apple_count": 1, "orange_price": 1.5e308, "orange_count": 1},
            r"^subtotal = apple_total \+ orange_total overflows float64: 1\.5e\+308 \+ 1\.5e\+308",
        ),
        (
            {
                "apple_price": 1e300,
                "apple_count": 1,
                "orange_price": 0,
                "orange_count": 0,
                "rate": 1e10,
            },
            r"^total = subtotal \* rate overflows float64: 1e\+300 \* 10000000000\.0$",
        ),
        # finite forward values (total = 0), but d total / d orange_price = rate * orange_count
        (
            {"orange_price": 0.0, "orange_count": 1e300, "apple_price": 0.0, "rate": 1e10},
            r"^the gradient with respect to orange_price overflows float64: "
            r"dorange_total \* orange_count = 10000000000\.0 \* 1e\+300$",
        ),
        (
            {"apple_price": 1e300, "apple_count": 0.0, "orange_price": 0.0, "rate": 1e10},
            r"^the gradient with respect to apple_count overflows float64",
        ),
    ],
)
def test_purchase_overflow_is_an_error_naming_the_quantity(kwargs, message):
    with pytest.raises(OverflowError, match=message):
        purchase(**kwargs)


huge_or_small = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(ap=huge_or_small, ac=huge_or_small, op=huge_or_small, oc=huge_or_small, r=huge_or_small)
def test_finite_inputs_give_finite_results_or_an_overflow_error(ap, ac, op, oc, r):
    # the graph's own float operations, written out independently: values, then gradients
    at, ot = ap * ac, op * oc
    computed = (at, ot, at + ot, (at + ot) * r, r * ac, r * ap, r * oc, r * op)
    if all(math.isfinite(v) for v in computed):
        p = purchase(ap, ac, op, oc, r)
        assert all(math.isfinite(v) for v in [*p.values.values(), *p.grads.values()])
    else:  # never an inf handed back
        with pytest.raises(OverflowError, match="overflows float64"):
            purchase(ap, ac, op, oc, r)


def test_nodes_raise_on_overflow_and_stay_unchanged():
    node = MulNode()
    node.forward(2.0, 3.0)
    with pytest.raises(OverflowError, match=r"^z = x \* y overflows float64: 1e\+200 \* 1e\+200$"):
        node.forward(1e200, 1e200)
    assert (node.x, node.y) == (2.0, 3.0)  # the failed call stored nothing
    node.forward(1e300, 1.0)
    with pytest.raises(OverflowError, match=r"^the gradient with respect to y overflows float64"):
        node.backward(1e10)  # dy = dout * x = 1e310
    with pytest.raises(OverflowError, match=r"^z = x \+ y overflows float64: 1e\+308 \+ 1e\+308$"):
        AddNode().forward(1e308, 1e308)
    with pytest.raises(ValueError, match=r"^y must be finite, got 1000000"):
        MulNode().forward(1.0, 10**400)


def test_named_nodes_speak_of_their_names():
    node = MulNode("price", "count", "cost")
    assert node.names == ("price", "count", "cost")
    with pytest.raises(TypeError, match=r"^count must be a real number"):
        node.forward(1.0, "2")
    with pytest.raises(OverflowError, match=r"^cost = price \* count overflows"):
        node.forward(1e300, 1e300)
    with pytest.raises(OverflowError, match=r"^ab = a \+ b overflows"):
        AddNode("a", "b", "ab").forward(-1e308, -1e308)
    with pytest.raises(TypeError, match=r"^out_name must be a str, got 3"):
        MulNode("x", "y", 3)


# -- random inputs against the calculus and finite differences --------------------

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def closed_form_total(ap: float, ac: float, op: float, oc: float, r: float) -> float:
    return r * (ap * ac + op * oc)


@settings(max_examples=200, deadline=None)
@given(ap=finite, ac=finite, op=finite, oc=finite, r=finite)
def test_random_inputs_against_the_calculus(ap, ac, op, oc, r):
    p = purchase(ap, ac, op, oc, r)
    assert p.total == pytest.approx(closed_form_total(ap, ac, op, oc, r), rel=1e-12, abs=1e-9)
    # The partial derivatives of r·(ap·ac + op·oc), written out by hand.
    expected = {
        "apple_price": r * ac,
        "apple_count": r * ap,
        "orange_price": r * oc,
        "orange_count": r * op,
        "rate": ap * ac + op * oc,
        "apple_total": r,
        "orange_total": r,
        "subtotal": r,
        "total": 1.0,
    }
    assert p.grads == pytest.approx(expected, rel=1e-12, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(ap=finite, ac=finite, op=finite, oc=finite, r=finite)
def test_random_inputs_against_finite_differences(ap, ac, op, oc, r):
    p = purchase(ap, ac, op, oc, r)
    at, ot, sub = ap * ac, op * oc, ap * ac + op * oc
    # Size of the terms summed in the graph: rounding errors are a few ulps of it.
    scale = 1.0 + abs(r) * (abs(at) + abs(ot)) + abs(at) + abs(ot)

    def check(f, x: float, grad: float, name: str) -> None:
        h = 1e-4 * max(1.0, abs(x))
        fd = (f(x + h) - f(x - h)) / (2 * h)
        # total is linear in each single value, so the centered difference carries
        # only rounding error, of order eps·scale / h (no truncation error).
        tol = 1e-13 * scale / h + 1e-10 * abs(grad)
        assert abs(fd - grad) <= tol, (name, fd, grad)

    point = {"apple_price": ap, "apple_count": ac, "orange_price": op, "orange_count": oc}
    point["rate"] = r
    for name in INPUTS:

        def f(x: float, name: str = name) -> float:
            return closed_form_total(**{**_short(point), _SHORT[name]: x})

        check(f, point[name], p.grads[name], name)

    # Intermediates: the rest of the graph as a function of one intermediate value.
    downstream = {
        "apple_total": (lambda v: r * (v + ot), at),
        "orange_total": (lambda v: r * (at + v), ot),
        "subtotal": (lambda v: r * v, sub),
        "total": (lambda v: v, r * sub),
    }
    for name, (g, x) in downstream.items():
        check(g, x, p.grads[name], name)


_SHORT = dict(zip(INPUTS, ("ap", "ac", "op", "oc", "r"), strict=True))


def _short(point: dict[str, float]) -> dict[str, float]:
    return {_SHORT[k]: v for k, v in point.items()}


# -- the drawing --------------------------------------------------------------------


def labels(ax, kind: str) -> dict[str, tuple[str, str]]:
    out = {}
    for t in ax.texts:
        gid = t.get_gid()
        if gid and gid.startswith(kind + ":"):
            name = gid.split(":", 1)[1]
            assert name not in out, f"two {kind} labels for {name}"
            out[name] = (t.get_text(), matplotlib.colors.to_hex(t.get_color()))
    return out


def test_draw_purchase_labels_every_edge():
    ax = draw_purchase(purchase())
    try:
        assert isinstance(ax, matplotlib.axes.Axes)
        values, grads = labels(ax, "value"), labels(ax, "grad")
        # 9 edges: 4 inputs into the fruit nodes, 2 into +, subtotal and rate into ×, the output.
        assert len(values) == len(grads) == 9
        assert set(values) == set(grads) == set(INPUTS) | set(INTERMEDIATES)
        # Rounded for display: 715.0000000000001 is shown as 715, 3.3000000000000003 as 3.3.
        assert values["total"][0] == "715"
        assert values["subtotal"][0] == "650"
        assert grads["orange_price"][0] == "3.3"
        assert grads["apple_count"][0] == "110"
        assert grads["rate"][0] == "650"
        assert grads["total"][0] == "1"
        # Gradients in another colour than the forward values.
        assert {c for _, c in values.values()} == {"#000000"}
        assert {c for _, c in grads.values()} == {matplotlib.colors.to_hex("tab:red")}
        for text, _ in (*values.values(), *grads.values()):
            assert text.isascii()
        # Each input and the total is named twice: in Chinese, and as in the code.
        names = {t.get_text() for t in ax.texts if t.get_gid() is None}
        assert {"苹果单价\napple_price", "系数（含税或折扣）\nrate", "总价\ntotal"} <= names
        assert all(f"\n{name}" in "|".join(names) for name in INPUTS)
    finally:
        plt.close("all")


def test_draw_purchase_places_values_above_gradients_below():
    ax = draw_purchase(purchase())
    try:
        where = {t.get_gid(): t.get_position() for t in ax.texts if t.get_gid()}
        for name in (*INPUTS, *INTERMEDIATES):
            (vx, vy), (gx, gy) = where[f"value:{name}"], where[f"grad:{name}"]
            if name == "rate":  # the one vertical edge: value left, gradient right
                assert vx < gx and vy == gy
            else:
                assert vy > gy and vx == gx
        legend = " ".join(t.get_text() for t in ax.texts if t.get_gid() is None)
        assert "箭头上方（竖直箭头的左边）" in legend and "箭头下方（竖直箭头的右边）" in legend
    finally:
        plt.close("all")


def test_draw_purchase_on_given_axes_and_discount():
    fig, ax = plt.subplots()
    try:
        out = draw_purchase(purchase(rate=0.9), ax, precision=3, grad_color="tab:blue")
        assert out is ax
        assert labels(ax, "value")["total"][0] == "585"
        assert labels(ax, "grad")["apple_count"][0] == "90"
        assert labels(ax, "grad")["apple_price"][0] == "1.8"
    finally:
        plt.close(fig)


def test_draw_purchase_bad_arguments():
    with pytest.raises(TypeError, match="purchase must be a Purchase, got dict"):
        draw_purchase({"total": 715.0})
    with pytest.raises(ValueError, match="precision must be a positive integer, got 0"):
        draw_purchase(purchase(), precision=0)
    with pytest.raises(TypeError, match="precision must be an integer"):
        draw_purchase(purchase(), precision=2.5)
    plt.close("all")


def test_reprs():
    node = MulNode()
    assert repr(node) == "MulNode(x=None, y=None)"
    node.forward(2, 3)
    assert repr(node) == "MulNode(x=2.0, y=3.0)"
    assert repr(AddNode()) == "AddNode()"


def test_failed_forward_leaves_the_node_unchanged():
    from dlhomework.graph import MulNode

    node = MulNode()
    node.forward(1.0, 2.0)
    with pytest.raises(TypeError):
        node.forward(3.0, "a")
    assert node.backward(1.0) == (2.0, 1.0)  # still the gradients of 1 * 2
