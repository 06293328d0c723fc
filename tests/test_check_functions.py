"""dlhomework.check: normalization (1-2), iterations (1-3), purchase (1-4), tanh (1-7),
count_positive (1-8) — every typical mistake of docs' assignments named, right answers pass.

The expected verdicts come from how each submission was written (and from closed
forms: ceil(n/b), (100·2 + 150·3)·1.1 = 715, np.tanh), not from the checker.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlhomework import activations, batching, check, counting, graph

# -- homework 1-2: normalization ------------------------------------------------------------


def course_style(train, test):
    maximums, minimums, avgs = (
        train.max(axis=0),
        train.min(axis=0),
        train.sum(axis=0) / train.shape[0],
    )
    out_train, out_test = train.copy(), test.copy()
    for i in range(train.shape[1]):
        out_train[:, i] = (train[:, i] - avgs[i]) / (maximums[i] - minimums[i])
        out_test[:, i] = (test[:, i] - avgs[i]) / (maximums[i] - minimums[i])
    return out_train, out_test


def min_max_list(train, test):
    lo, hi = np.min(train, 0), np.max(train, 0)
    return [(train - lo) / (hi - lo), (test - lo) / (hi - lo)]


def z_score_float32(train, test):
    mu, sigma = train.mean(0), train.std(0, ddof=1)
    return ((train - mu) / sigma).astype(np.float32), ((test - mu) / sigma).astype(np.float32)


def with_normalizer(train, test):
    from dlhomework.preprocessing import Normalizer

    norm = Normalizer().fit(train)
    return norm.transform(train), norm.transform(test)


def own_statistics(train, test):
    def scale(d):
        return (d - d.mean(0)) / (d.max(0) - d.min(0))

    return scale(train), scale(test)


def all_rows(train, test):
    data = np.concatenate([train, test])
    mean, span = data.mean(0), data.max(0) - data.min(0)
    return (train - mean) / span, (test - mean) / span


def whole_matrix(train, test):
    mean, span = train.mean(), train.max() - train.min()
    return (train - mean) / span, (test - mean) / span


def in_place_then_test(train, test):
    for i in range(train.shape[1]):
        col = train[:, i]
        train[:, i] = (col - col.mean()) / (col.max() - col.min())
    mean, span = train.mean(0), train.max(0) - train.min(0)  # of the normalized rows: 0 and 1
    return train, (test - mean) / span


def two_methods(train, test):
    lo, hi, mean = train.min(0), train.max(0), train.mean(0)
    return (train - mean) / (hi - lo), (test - lo) / (hi - lo)


@pytest.mark.parametrize("fn", [course_style, min_max_list, z_score_float32, with_normalizer])
def test_right_normalizations_pass(fn):
    report = check.normalization(fn)
    assert report.passed, str(report)


@pytest.mark.parametrize(
    ("fn", "code", "concerns"),
    [
        (own_statistics, "test_statistics", ("test",)),
        (all_rows, "all_statistics", ("train", "test")),
        (whole_matrix, "norm_axis", ("train", "test")),
        (in_place_then_test, "test_not_normalized", ("test",)),
        (two_methods, "method_mismatch", ("test",)),
        (lambda train, test: (train, test * 0.5), "norm_wrong", ("train", "test")),
    ],
)
def test_normalization_mistakes_are_named(fn, code, concerns):
    report = check.normalization(fn)
    assert not report.passed
    assert report.concerning(code) == concerns, str(report)


def test_normalizing_in_place_is_a_warning():
    report = check.normalization(in_place_then_test)
    assert report.concerning("mutates_input") == ("train",)


@pytest.mark.parametrize(
    ("fn", "code"),
    [
        (lambda train, test: train, "wrong_type"),
        (lambda train, test: (train.T, test), "wrong_shape"),
        (lambda train, test: (train / 0.0, test), "not_finite"),
        (lambda train, test: ("a", test), "wrong_type"),
        (lambda train: train, "raises"),
        ("normalize", "not_callable"),
    ],
)
def test_normalization_outputs_that_cannot_be_used(fn, code):
    assert check.normalization(fn).codes[-1] == code


# -- homework 1-3: iterations per epoch ------------------------------------------------------


def counting_loop(n_samples, batch_size):
    count = 0
    for _start in range(0, n_samples, batch_size):
        count += 1
    return count


@pytest.mark.parametrize(
    "fn",
    [
        lambda n, b: math.ceil(n / b),
        lambda n, b: (n + b - 1) // b,
        lambda n, b: int(np.ceil(n / b)),
        counting_loop,
        lambda n, b: np.int64(-(-n // b)),
        batching.iterations_per_epoch,
    ],
    ids=["math.ceil", "integer", "int(np.ceil)", "loop", "np.int64", "package"],
)
def test_right_iteration_counts_pass(fn):
    assert check.iterations(fn).passed


@pytest.mark.parametrize(
    ("fn", "code", "concerns"),
    [
        (lambda n, b: n // b, "floor_not_ceil", ("fn(1010, 20)",)),
        (lambda n, b: int(n / b), "floor_not_ceil", ("fn(1010, 20)",)),
        (lambda n, b: n / b, "float_division", ("fn(1010, 20)",)),
        (lambda n, b: np.ceil(n / b), "float_not_int", ("fn(1000, 20)",)),
        (lambda n, b: float(math.ceil(n / b)), "float_not_int", ("fn(1000, 20)",)),
        (lambda n, b: round(n / b), "rounds", ("fn(1010, 20)",)),
        (lambda n, b: n // b + 1, "extra_batch", ("fn(1000, 20)",)),
        (lambda b, n: math.ceil(n / b), "args_swapped", ("fn(1000, 20)",)),
        (lambda n, b: 5 * math.ceil(n / b), "times_epochs", ("fn(1000, 20)",)),
        (lambda n, b: 250, "wrong_value", ("fn(1000, 20)",)),
        (lambda n, b: [n // b], "wrong_type", ("fn(1000, 20)",)),
    ],
)
def test_iteration_mistakes_are_named(fn, code, concerns):
    report = check.iterations(fn)
    assert not report.passed
    assert report.concerning(code) == concerns, str(report)


def test_float_250_for_1000_samples_of_4():
    report = check.iterations(lambda n, b: np.ceil(n / b))
    assert report.codes == ("float_not_int",)


# -- homework 1-4: the purchase graph --------------------------------------------------------


def nodes_style(apple, apple_num, orange, orange_num, tax):
    apple_price = apple * apple_num
    orange_price = orange * orange_num
    all_price = apple_price + orange_price
    price = all_price * tax
    dall_price, dtax = tax, all_price
    dapple_price = dorange_price = dall_price
    grads = {"dapple": dapple_price * apple_num, "dapple_num": dapple_price * apple}
    grads |= {"dorange": dorange_price * orange_num, "dorange_num": dorange_price * orange}
    grads["dtax"] = dtax
    return price, grads


def list_style(*inputs):
    ap, ac, op, oc, r = inputs
    return [(ap * ac + op * oc) * r, [ac * r, ap * r, oc * r, op * r, ap * ac + op * oc]]


def unknown_keys(ap, ac, op, oc, r):
    keys = ("g1", "g2", "g3", "g4", "g5")
    return (ap * ac + op * oc) * r, dict(
        zip(keys, [ac * r, ap * r, oc * r, op * r, ap * ac + op * oc], strict=True)
    )


@pytest.mark.parametrize("fn", [graph.purchase, nodes_style, list_style, unknown_keys])
def test_right_purchase_graphs_pass(fn):
    assert check.purchase(fn).passed


def swapped(ap, ac, op, oc, r):
    return (ap * ac + op * oc) * r, (ap * r, ac * r, op * r, oc * r, ap * ac + op * oc)


def no_upstream(ap, ac, op, oc, r):
    return (ap * ac + op * oc) * r, (ac, ap, oc, op, ap * ac + op * oc)


def textbook_numbers(*_):
    return 715.0, (2.2, 110.0, 3.3, 165.0, 650.0)


def forgets_rate(ap, ac, op, oc, r):
    return ap * ac + op * oc, (ac * r, ap * r, oc * r, op * r, ap * ac + op * oc)


def rate_grad_is_total(ap, ac, op, oc, r):
    return (ap * ac + op * oc) * r, (ac * r, ap * r, oc * r, op * r, (ap * ac + op * oc) * r)


INPUTS = ("apple_price", "apple_count", "orange_price", "orange_count")


@pytest.mark.parametrize(
    ("fn", "code", "concerns"),
    [
        (swapped, "mul_grad_swapped", INPUTS),
        (no_upstream, "missing_upstream", INPUTS),
        (textbook_numbers, "ignores_inputs", ("total", *INPUTS, "rate")),
        (forgets_rate, "total_missing_rate", ("total",)),
        (rate_grad_is_total, "grad_wrong", ("rate",)),
        (lambda *a: (1.0, (0, 0, 0, 0, 0)), "total_wrong", ("total",)),
        (lambda *a: (1.0, (0, 0, 0)), "wrong_type", ("grads",)),
        (lambda *a: (1.0, {"x": 1}), "wrong_type", ("grads",)),
        (lambda *a: 715, "wrong_type", ("fn",)),
    ],
)
def test_purchase_mistakes_are_named(fn, code, concerns):
    report = check.purchase(fn)
    assert not report.passed
    assert report.concerning(code) == concerns, str(report)


# -- homework 1-7: tanh ----------------------------------------------------------------------


def stable_split(x):
    x = np.asarray(x, dtype=float)
    t = np.expm1(-2 * np.abs(x))
    return np.sign(x) * (-t) / (2 + t)


def scalar_loop(x):
    return np.array([math.tanh(v) for v in np.ravel(x)]).reshape(np.shape(x))


def float32_tanh(x):
    return np.tanh(np.asarray(x, dtype=np.float32))


def naive(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def where_both_branches(x):
    return np.where(
        x >= 0,
        (1 - np.exp(-2 * x)) / (1 + np.exp(-2 * x)),
        (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1),
    )


def clipped_naive(x):
    return naive(np.clip(x, -300, 300))


def sinh_over_cosh(x):
    return np.sinh(x) / np.cosh(x)


def math_exp_scalar(v):
    return (math.exp(v) - math.exp(-v)) / (math.exp(v) + math.exp(-v))


@pytest.mark.parametrize(
    "fn",
    [np.tanh, activations.tanh, activations.tanh_expm1, stable_split, scalar_loop, float32_tanh],
    ids=["np.tanh", "package", "expm1", "stable-split", "loop", "float32"],
)
def test_right_tanh_pass(fn):
    report = check.tanh(fn, label=r"$y=\tanh(x)$")
    assert report.passed, str(report)
    assert report.codes == ()


def test_a_tanh_of_one_float_passes_with_a_warning():
    report = check.tanh(math.tanh)
    assert report.passed
    assert report.codes == ("scalar_only",)


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (
            naive,
            {
                "tanh_overflow": ("x=710",),
                "tanh_cancellation": ("x=1e-05",),
                "tanh_inf": ("x=inf",),
            },
        ),
        (activations.tanh_naive, {"tanh_overflow": ("x=710",), "tanh_inf": ("x=inf",)}),
        (clipped_naive, {"tanh_cancellation": ("x=1e-05",)}),
        (sinh_over_cosh, {"tanh_overflow": ("x=711",), "tanh_inf": ("x=inf",)}),
        (math_exp_scalar, {"tanh_overflow": ("x=710",)}),  # OverflowError from math.exp
        (lambda x: naive(np.asarray(x, dtype=np.float32)), {"tanh_overflow": ("x=100",)}),
        (lambda x: 1 / (1 + np.exp(-x)), {"tanh_wrong": ("x=-10",)}),
    ],
    ids=["naive", "package-naive", "clipped", "sinh-cosh", "math.exp", "float32-naive", "sigmoid"],
)
def test_tanh_mistakes_are_named(fn, expected):
    report = check.tanh(fn)
    assert not report.passed
    for code, concerns in expected.items():
        assert report.concerning(code) == concerns, str(report)


def test_both_branches_of_np_where_overflow_with_a_warning():
    report = check.tanh(where_both_branches)
    assert report.concerning("tanh_warns") == ("x",)
    assert report.findings[-1].severity == "warning"


@pytest.mark.parametrize(
    ("label", "codes"),
    [
        (r"$y=tanh(x)", ("label_dollar", "label_backslash")),
        (r"$y=tanh(x)$", ("label_backslash",)),
        ("$y=\tanh(x)$", ("label_tab",)),
        (r"$y=\tanh(x)$", ()),
        ("y = tanh(x)", ()),
        (3, ("wrong_type",)),
    ],
)
def test_the_plot_label(label, codes):
    assert check.tanh(np.tanh, label=label).codes == codes


@pytest.mark.parametrize(
    ("fn", "code"),
    [
        (lambda x: x[:3], "wrong_shape"),
        (lambda x: "tanh", "wrong_type"),
        (lambda x: undefined_name, "raises"),  # noqa: F821
        (None, "not_callable"),
    ],
)
def test_tanh_that_cannot_be_used(fn, code):
    assert check.tanh(fn).codes[-1] == code


# -- homework 1-8: count the positive entries ------------------------------------------------


def loops(p):
    count = 0
    for row in p:
        for v in row:
            if v > 0:
                count += 1
    return count


@pytest.mark.parametrize(
    "fn",
    [
        lambda p: np.count_nonzero(p > 0),
        lambda p: (p > 0).sum(),
        lambda p: int(np.sum(p > 0)),
        lambda p: len(p[p > 0]),
        lambda p: np.extract(p > 0, p).size,
        loops,
        counting.count_positive,
    ],
    ids=["count_nonzero", "sum", "int-sum", "len-mask", "extract", "loops", "package"],
)
def test_right_counts_pass(fn):
    assert check.count_positive(fn).passed


def fresh_matrix(p):
    q = np.random.default_rng().standard_normal((10, 10))
    return int((q > 0).sum())


@pytest.mark.parametrize(
    ("fn", "code", "concerns"),
    [
        (lambda p: len(np.where(p > 0)), "len_where", ("p=randn",)),
        (lambda p: (p >= 0).sum(), "counts_zero", ("p=zeros",)),
        (lambda p: p.size - (p <= 0).sum(), "counts_nan", ("p=nan",)),
        (lambda p: np.sum(~(p <= 0)), "counts_nan", ("p=nan",)),
        (lambda p: (p < 0).sum(), "counts_negative", ("p=randn",)),
        (lambda p: p > 0, "returns_array", ("return",)),
        (lambda p: p[p > 0], "returns_array", ("return",)),
        (lambda p: np.sum(p > 0, axis=0), "returns_array", ("return",)),
        (lambda p: float((p > 0).sum()), "float_not_int", ("return",)),
        (lambda p: 50, "ignores_input", ("p",)),
        (fresh_matrix, "ignores_input", ("p",)),
        (lambda p: np.mean(p > 0), "wrong_count", ("p=randn",)),
        (lambda p: (np.isfinite(p) & (p > 0)).sum(), "wrong_count", ("p=nan",)),
        (lambda p: "50", "wrong_type", ("return",)),
    ],
)
def test_counting_mistakes_are_named(fn, code, concerns):
    report = check.count_positive(fn)
    assert not report.passed
    assert report.concerning(code) == concerns, str(report)
