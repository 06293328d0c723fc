"""dlhomework.activations: accuracy in ulp against mpmath, special values, no FP noise,
properties (hypothesis), derivatives against finite differences, and every refusal."""

from __future__ import annotations

import importlib.util
import math
import tracemalloc
import warnings
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from dlhomework.activations import (
    _TANH_CF_TERMS,
    _TANH_DEN,
    _TANH_NUM,
    ACTIVATIONS,
    identity,
    identity_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_expm1,
    tanh_grad,
    tanh_naive,
    tanh_reference,
    ulp_error,
)

ALL = [
    *(sigmoid, sigmoid_grad, tanh, tanh_grad, tanh_naive, tanh_expm1),
    *(relu, relu_grad, identity, identity_grad),
]
STABLE = [f for f in ALL if f is not tanh_naive]
DATA = Path(__file__).resolve().parent / "data"
MAX_F64 = float(np.finfo(np.float64).max)
SPECIAL = np.array(
    [
        *(0.0, -0.0, 5e-324, -5e-324, 2.2e-308, 1e-300, -1e-300, 1e-5, 0.75, -0.75, 1.0, -1.0),
        *(19.0, 20.0, 354.0, 356.0, 709.0, 710.0, 711.0, -711.0, 800.0, -800.0, 1000.0, -1000.0),
        *(1e308, -1e308, MAX_F64, -MAX_F64, np.inf, -np.inf, np.nan),
    ]
)


def _mp_tanh(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Independent double-double reference, straight from mpmath (not via the package)."""
    ctx = mpmath.MPContext()
    ctx.prec = 160
    hi, lo = np.empty(values.size), np.empty(values.size)
    for i, v in enumerate(values.tolist()):
        exact = ctx.tanh(ctx.mpf(v))
        hi[i] = float(exact)
        lo[i] = float(exact - ctx.mpf(hi[i]))
    return hi.reshape(values.shape), lo.reshape(values.shape)


_spec = importlib.util.spec_from_file_location("tanh_mpmath", DATA / "tanh_mpmath.py")
assert _spec is not None and _spec.loader is not None
reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)
_dense_magnitudes = reference.dense_magnitudes


@pytest.fixture(scope="module")
def dense_sample():
    """~344 000 sign-symmetric float64 points with their mpmath reference, precomputed
    (tests/data/tanh_mpmath.py; checked against mpmath by the test below)."""
    mag, hi, lo = reference.load()
    # tanh is odd, so the reference for -x is exactly minus that of x
    return np.concatenate([mag, -mag]), np.concatenate([hi, -hi]), np.concatenate([lo, -lo])


def test_the_stored_reference_is_mpmath_s(dense_sample):
    x, hi, lo = dense_sample
    assert x.size > 300_000
    pick = np.random.default_rng(2).choice(x.size, 3000, replace=False)
    pick = np.concatenate([pick, np.flatnonzero(np.abs(x) == 0.75)])  # and the branch point
    ref_hi, ref_lo = _mp_tanh(x[pick])
    assert np.array_equal(hi[pick], ref_hi)
    # lo is stored in units of spacing(hi) as float32: exact to 2**-24 of that
    assert np.all(np.abs(lo[pick] - ref_lo) <= np.spacing(np.abs(ref_hi)) * 2.0**-24)


# -- accuracy ----------------------------------------------------------------------


def test_tanh_within_2_ulp_of_mpmath_everywhere(dense_sample):
    x, hi, lo = dense_sample
    err = ulp_error(tanh(x), hi, lo)
    worst = int(np.argmax(err))
    assert err.max() <= 2.0, f"{err.max():.3f} ulp at x = {x[worst]!r}"
    # the docs say "about 1 ulp" (0.996 on this sample, 1.03 at worst on the 1-7 chapter's
    # denser one; np.exp's own accuracy, which differs between CPUs, enters damped by a
    # factor < 0.37: hence the margin)
    assert err.max() <= 1.5, f"{err.max():.3f} ulp at x = {x[worst]!r}"


@pytest.mark.parametrize(
    ("low", "high"),
    [(1e-300, 1e-5), (1e-5, 0.75), (0.75, 19.1), (19.1, 1e308)],
)
def test_tanh_accuracy_by_range(dense_sample, low, high):
    x, hi, lo = dense_sample
    mask = (np.abs(x) >= low) & (np.abs(x) < high)
    assert mask.sum() > 1000
    assert ulp_error(tanh(x[mask]), hi[mask], lo[mask]).max() <= 2.0


def test_tanh_tiny_inputs_are_exact(dense_sample):
    # for |x| < 1e-9, tanh(x) = x (1 - x²/3 + …) rounds to x itself
    x, hi, _ = dense_sample
    mask = np.abs(x) < 1e-9
    assert np.array_equal(hi[mask], x[mask])  # the reference agrees with the claim
    assert np.array_equal(tanh(x[mask]), x[mask])


def _poly_add(u: list[Fraction], v: list[Fraction]) -> list[Fraction]:
    """Sum of two polynomials given by coefficients, lowest power first."""
    w = [Fraction(0)] * max(len(u), len(v))
    for i, c in [*enumerate(u), *enumerate(v)]:
        w[i] += c
    while len(w) > 1 and w[-1] == 0:
        w.pop()
    return w


def test_tanh_small_is_the_continued_fraction_multiplied_out():
    # a/(1 + s/(3 + s/(5 + ... + s/17))), s = a², built bottom-up as a ratio p/q of
    # polynomials in s: the level 2k + 1 + s/(p/q) is ((2k + 1)·p + s·q)/p
    p, q = [Fraction(2 * _TANH_CF_TERMS + 1)], [Fraction(1)]
    for k in range(_TANH_CF_TERMS - 1, -1, -1):
        p, q = _poly_add([(2 * k + 1) * c for c in p], [Fraction(0), *q]), p
    # tanh(a) ≈ a·q/p, so a - tanh(a) = a·(p - q)/p = a·s·N/D with N = (p - q)/s, D = p
    diff = _poly_add(p, [-c for c in q])
    assert diff[0] == 0
    assert [float(c) for c in reversed(diff[1:])] == list(_TANH_NUM)
    assert [float(c) for c in reversed(p)] == list(_TANH_DEN)


def test_tanh_expm1_is_stable_but_less_accurate(dense_sample):
    x, hi, lo = dense_sample
    err = ulp_error(tanh_expm1(x), hi, lo)
    assert err.max() <= 3.0  # never fails like the literal formula ...
    assert err.max() > ulp_error(tanh(x), hi, lo).max()  # ... but tanh is better
    np.testing.assert_array_equal(tanh_expm1(-x), -tanh_expm1(x))
    assert tanh_expm1([np.inf, -np.inf, 1e308]).tolist() == [1.0, -1.0, 1.0]
    assert np.signbit(tanh_expm1(-0.0)) and math.isnan(tanh_expm1(np.nan))


# -- float32: a path of its own --------------------------------------------------

F32 = np.finfo(np.float32)


def _float32_grid(stride: int) -> np.ndarray:
    """Every ``stride``-th non-negative float32 below 9.1 (from +0 through the subnormals to
    where tanh rounds to 1), the neighbours of 0.75 and 2**-12, the largest finite, and
    four whose tanh lies within 1e-7 ulp of a midpoint between two float32 (found by
    scanning every 7th float32)."""
    bits = np.arange(0, int(np.float32(9.1).view(np.uint32)), stride, dtype=np.uint32)
    near = np.array([0.75, 2.0**-12, 1.0], dtype=np.float32)
    steps = np.arange(-3, 4, dtype=np.int32)
    around = (near.view(np.int32)[:, None] + steps).ravel().view(np.float32)
    hard = [0.0014914835337549448, 0.1455567479133606, 0.5905135869979858, 1.1873711347579956]
    return np.concatenate([bits.view(np.float32), around, hard, [F32.max]]).astype(np.float32)


def test_tanh_float32_is_correctly_rounded():
    # Reference: np.tanh of the same numbers in float64.  Its error, about 1e-16 relative
    # (1.2 float64 ulp at worst where measured), is 2**-29 float32 ulp: far below
    # float32's half ulp.  So its rounding to float32 is float32's correctly rounded
    # tanh -- except where the float64 value lies within that error of a midpoint
    # between two float32 (a double rounding could then go the wrong way): those
    # points are settled by mpmath instead.
    x = _float32_grid(stride=4093)
    out = tanh(x)
    assert out.dtype == np.float32
    ref64 = np.tanh(x.astype(np.float64))
    ref32 = ref64.astype(np.float32)
    near_midpoint = ulp_error(ref32, ref64) > 0.5 - 1e-6  # ulp_error judges in float32 ulp
    assert 4 <= near_midpoint.sum() < 10  # the four hard ones, at least
    np.testing.assert_array_equal(out[~near_midpoint], ref32[~near_midpoint])
    ctx = mpmath.MPContext()
    ctx.prec = 160
    for v, got in zip(x[near_midpoint].tolist(), out[near_midpoint].tolist(), strict=True):
        exact = ctx.tanh(ctx.mpf(v))
        below, above = np.nextafter(np.float32(got), np.float32([-1.0, 2.0]))
        assert abs(got - exact) <= min(abs(float(below) - exact), abs(float(above) - exact))
    np.testing.assert_array_equal(tanh(-x), -out)  # odd, exactly
    # the goal was 1 float32 ulp: with the float64 reference the error is exact to 1e-8 ulp
    assert ulp_error(out, ref64).max() <= 0.5 + 1e-6


def test_tanh_float32_against_mpmath():
    gen = np.random.default_rng(32)
    mag = np.concatenate([10.0 ** gen.uniform(-45, 38.5, 3000), gen.uniform(0, 10, 3000)]).astype(
        np.float32
    )
    x = np.concatenate([mag, -mag])
    hi, lo = _mp_tanh(x.astype(np.float64))
    err = ulp_error(tanh(x), hi, lo)  # judged in float32 ulp
    assert err.max() <= 0.5 + 1e-6  # computed in float64, rounded once


def test_tanh_float32_special_values():
    tiny = np.float32(2.0**-149)  # the smallest subnormal
    x = np.array(
        [0.0, -0.0, tiny, -tiny, F32.smallest_normal, F32.max, -F32.max, np.inf, -np.inf, 9.5],
        dtype=np.float32,
    )
    got = tanh(x)
    assert got.dtype == np.float32
    expected = [0.0, -0.0, tiny, -tiny, F32.smallest_normal, 1.0, -1.0, 1.0, -1.0, 1.0]
    assert got.tolist() == np.array(expected, dtype=np.float32).tolist()
    assert np.signbit(got[1]) and not np.signbit(got[0])
    nan = tanh(np.array([np.nan, -np.nan], dtype=np.float32))
    assert nan.dtype == np.float32 and np.all(np.isnan(nan))
    assert isinstance(tanh(np.float32(-0.0)), np.float32) and np.signbit(tanh(np.float32(-0.0)))
    # tanh rounds to 1 in float32 from 13·ln 2 = 9.011 on (1 - tanh(a) ≈ 2·exp(-2a) < 2**-25)
    assert tanh(np.float32(9.0)) == np.float32(1) - np.float32(2.0**-24)


def test_tanh_float32_subnormals_and_tiny_values_are_themselves():
    # tanh(x) = x - x³/3 + ...: for |x| < 2**-12 the change is below half an ulp of x
    subnormals = np.arange(1, 1 << 23, dtype=np.uint32).view(np.float32)  # all 8 388 607
    tiny = np.float32(2.0) ** -np.arange(12, 127, dtype=np.float32)  # powers of 2 down to 2**-126
    tiny = np.concatenate([tiny, tiny * np.float32(1.2345678)])
    for x in (subnormals, tiny):
        assert np.array_equal(tanh(x), x) and np.array_equal(tanh(-x), -x)


def test_tanh_float32_views_and_several_blocks():
    x = np.random.default_rng(3).uniform(-10, 10, 100_003).astype(np.float32)  # > 3 blocks
    out = tanh(x)
    assert ulp_error(out, np.tanh(x.astype(np.float64))).max() <= 0.5 + 1e-6
    np.testing.assert_array_equal(tanh(x[::3]), out[::3])  # a strided 1-D view
    cube = x[: 3 * 5 * 7].reshape(3, 5, 7)
    np.testing.assert_array_equal(tanh(cube.T), tanh(cube).T)
    np.testing.assert_array_equal(tanh(cube[:, ::2, 1:]), tanh(cube)[:, ::2, 1:])


def test_tanh_float32_needs_no_float64_copy_of_the_array():
    # float32 in: the result is float32 and no float64 copy of the whole array is made
    # (converting to float64 and back, as before, peaked at 5.4 times the input's bytes)
    x = np.random.default_rng(7).uniform(-10, 10, 1 << 20).astype(np.float32)
    tracemalloc.start()
    try:
        out = tanh(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.dtype == np.float32 and out.shape == x.shape
    assert peak < 2 * x.nbytes, f"peak {peak / x.nbytes:.2f} times the input's bytes"


def test_tanh_agrees_with_numpy_cross_check():
    x = np.linspace(-30, 30, 100_001)
    expected = np.tanh(x)
    assert np.all(np.abs(tanh(x) - expected) <= 3 * np.spacing(np.abs(expected)))


# -- the reference and the ulp measure themselves ----------------------------------


def test_tanh_reference_matches_mpmath_and_libm():
    x = np.array([-3.0, -0.5, 1e-300, 0.1, 0.75, 2.0, 25.0])
    hi, lo = tanh_reference(x)
    ref_hi, ref_lo = _mp_tanh(x)
    assert np.array_equal(hi, ref_hi)
    np.testing.assert_allclose(lo, ref_lo, rtol=1e-12, atol=0)
    # hi is the correctly rounded value: |lo| is at most half an ulp of hi
    assert np.all(np.abs(lo) <= np.spacing(np.abs(hi)) / 2)
    libm = np.array([math.tanh(v) for v in x.tolist()])
    assert np.all(np.abs(hi - libm) <= np.spacing(np.abs(libm)))


def test_tanh_reference_special_values_and_shape():
    hi, lo = tanh_reference(np.array([[np.inf, -np.inf, np.nan]]))
    assert hi.shape == lo.shape == (1, 3)
    assert hi[0, :2].tolist() == [1.0, -1.0] and math.isnan(hi[0, 2])
    assert lo[0, :2].tolist() == [0.0, 0.0]
    with pytest.raises(TypeError, match="x must be real numbers"):
        tanh_reference(["a"])


def test_ulp_error_hand_values():
    one_up = np.nextafter(1.0, 2.0)
    assert ulp_error(one_up, 1.0).tolist() == 1.0
    assert ulp_error(1.0, 1.0, 2.0**-53).tolist() == 0.5  # exact value 1 + half an ulp
    assert ulp_error(0.75 + 3 * 2.0**-53, 0.75).tolist() == 3.0
    assert ulp_error(1e-310 + 5e-324, 1e-310).tolist() == 1.0  # subnormal: ulp = 2**-1074
    assert ulp_error(5e-324, 0.0).tolist() == 1.0
    assert ulp_error(np.float32(1.0), 1.0 + 2.0**-23).tolist() == 1.0  # float32 ulp
    # the exact value is just below 0.5, where the float32 ulp is 2**-25, not 2**-24
    assert ulp_error(np.float32(0.5), 0.5 - 2.0**-25).tolist() == 1.0
    assert ulp_error(np.float32(0.5), 0.5 + 2.0**-25).tolist() == 0.5
    got = ulp_error([np.nan, 1.0, np.inf, np.inf, 1.0], [np.nan, np.nan, np.inf, -np.inf, np.inf])
    assert got.tolist() == [0.0, math.inf, 0.0, math.inf, math.inf]
    big_endian = np.array([1.0], dtype=">f4")  # float32 in the other byte order: float32 ulp
    assert ulp_error(big_endian, 1.0 + 2.0**-23).tolist() == [1.0]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((True, 1.0), TypeError, "approx must be real numbers (int or float), got dtype bool"),
        ((1.0, [True]), TypeError, "exact_hi must be real numbers (int or float), got dtype bool"),
        ((1.0, 1.0, "0"), TypeError, "exact_lo must be real numbers"),
        ((1j, 1.0), TypeError, "approx must be real numbers (int or float), got dtype complex128"),
        ((np.ma.masked_array([1.0]), 1.0), TypeError, "approx must not be a masked array"),
        (([[1.0], [1.0, 2.0]], 1.0), ValueError, "approx must be a rectangular array"),
        (
            (np.ones(3), np.ones(2)),
            ValueError,
            "approx, exact_hi and exact_lo must have shapes that broadcast together, got (3,), "
            "(2,) and ()",
        ),
        ((np.ones(3), np.ones(3), np.ones(4)), ValueError, "got (3,), (3,) and (4,)"),
    ],
)
def test_ulp_error_refuses_what_is_not_real_numbers_of_broadcastable_shapes(args, error, message):
    with pytest.raises(error) as err:
        ulp_error(*args)
    assert message in str(err.value)


# -- special values and no floating-point noise ------------------------------------


def test_tanh_special_values():
    got = tanh(SPECIAL)
    expected = np.array([math.tanh(v) for v in SPECIAL.tolist()])  # libm
    np.testing.assert_array_equal(got, expected)
    assert np.signbit(tanh(-0.0)) and tanh(-0.0) == 0.0
    assert not np.signbit(tanh(0.0))
    assert tanh(np.inf) == 1.0 and tanh(-np.inf) == -1.0
    assert math.isnan(tanh(np.nan))
    for big in (800.0, 1e308, MAX_F64):
        assert tanh(big) == 1.0 and tanh(-big) == -1.0
    assert tanh(5e-324) == 5e-324


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_no_warnings_or_fp_errors(f, dtype):
    with np.errstate(all="ignore"):  # building the float32 input itself overflows
        x = SPECIAL.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = f(x)
            for v in SPECIAL.tolist():
                f(v)
    assert out.dtype == dtype and out.shape == x.shape


@pytest.mark.parametrize("f", STABLE, ids=lambda f: f.__name__)
def test_stable_functions_give_no_nan_for_non_nan_input(f):
    finite_and_inf = SPECIAL[~np.isnan(SPECIAL)]
    out = f(finite_and_inf)
    # relu and identity of ±inf are ±inf; everything else is finite
    assert not np.any(np.isnan(out))
    assert np.isnan(f(np.nan))


def test_sigmoid_and_grads_at_extremes():
    assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0
    assert sigmoid(-700.0) > 0.0  # 1e-304: not flushed to zero
    assert sigmoid_grad(-1000.0) == 0.0 and sigmoid_grad(1000.0) == 0.0
    assert tanh_grad(800.0) == 0.0
    # where 1 - tanh(x)² is exactly 0, the derivative still has its true tiny value
    assert tanh_grad(30.0) == pytest.approx(4 * math.exp(-60), rel=1e-12)


# -- types and shapes --------------------------------------------------------------


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.__name__)
def test_types_and_shapes(f):
    assert type(f(0.5)) is float
    assert type(f(2)) is float
    assert isinstance(f(np.float64(0.5)), np.float64)
    assert isinstance(f(np.float32(0.5)), np.float32)
    zero_d = f(np.array(0.5))
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == ()
    x = np.linspace(-3, 3, 3 * 5 * 7).reshape(3, 5, 7)
    assert f(x).shape == (3, 5, 7) and f(x).dtype == np.float64
    assert f(x.astype(np.float32)).dtype == np.float32
    assert f(x.astype(np.float16)).dtype == np.float64
    assert f([[1, -2, 3]]).dtype == np.float64 and f([[1, -2, 3]]).shape == (1, 3)
    assert f(np.empty((0, 4))).shape == (0, 4)
    # strided and transposed views give the same values as contiguous copies
    np.testing.assert_array_equal(f(x[:, ::2, 1:]), f(np.ascontiguousarray(x[:, ::2, 1:])))
    np.testing.assert_array_equal(f(x.T), f(x).T)
    flat = x.ravel()
    np.testing.assert_array_equal(f(flat[::3]), f(flat)[::3])  # 1-D strided view
    big_endian = x.astype(">f8")
    np.testing.assert_array_equal(f(big_endian), f(x))


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.__name__)
def test_input_not_modified_and_output_not_aliased(f):
    x = np.linspace(-2, 2, 35).reshape(5, 7)
    before = x.copy()
    out = f(x)
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(out, x)


def test_tanh_large_input_spans_several_blocks():
    x = np.random.default_rng(3).uniform(-10, 10, 100_003)  # not a multiple of the block
    expected = np.tanh(x)
    assert np.all(np.abs(tanh(x) - expected) <= 3 * np.spacing(np.abs(expected)))


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "bad",
    [
        True,
        np.array([True, False]),
        "1.0",
        ["a", "b"],
        1 + 2j,
        [1j],
        [1, None],
        np.array([1, 2], dtype="timedelta64[s]"),
    ],
)
def test_rejects_non_real_input(f, bad):
    with pytest.raises(TypeError, match=r"^x must be real numbers"):
        f(bad)


@pytest.mark.parametrize("f", [*ALL, tanh_reference], ids=lambda f: f.__name__)
def test_ragged_input_names_the_argument(f):
    with pytest.raises(ValueError, match=r"^x must be a rectangular array .* ragged"):
        f([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("f", [*ALL, tanh_reference], ids=lambda f: f.__name__)
def test_masked_arrays_are_refused_not_unmasked(f):
    x = np.ma.masked_array([0.5, 1e300], mask=[False, True])
    with pytest.raises(TypeError, match=r"^x must not be a masked array .* x\.filled"):
        f(x)


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.__name__)
def test_big_endian_float32_stays_float32(f):
    little = np.linspace(-3, 3, 3 * 5).reshape(3, 5).astype("<f4")
    big = little.astype(">f4")
    out = f(big)
    assert out.dtype == np.float32 and out.dtype.isnative and out.shape == (3, 5)
    np.testing.assert_array_equal(out, f(little))
    assert isinstance(f(big[0, 0]), np.float32)  # a NumPy scalar too
    zero_d = f(np.array(0.5, dtype=">f4"))
    assert zero_d.dtype == np.float32 and zero_d.shape == ()
    out64 = f(little.astype(">f8"))
    assert out64.dtype == np.float64 and out64.dtype.isnative


def test_ulp_error_judges_big_endian_float32_in_float32_ulp():
    approx = np.array([1.0], dtype=">f4")
    assert ulp_error(approx, 1.0 + 2**-23).tolist() == [1.0]


def _log_grid(n: int) -> np.ndarray:
    """±|x| on a dense log grid from the smallest subnormal to 300, and ±0."""
    mag = np.concatenate([[0.0, 5e-324], 10.0 ** np.linspace(-323, np.log10(300.0), n)])
    return np.concatenate([mag, -mag])


def test_derivatives_never_exceed_their_true_maxima():
    x = _log_grid(200_000)
    for dtype in (np.float64, np.float32):
        xd = x.astype(dtype)  # float32: tiny values flush to ±0, large ones stay finite
        assert np.max(tanh_grad(xd)) == 1.0  # the maximum 1, reached (rounded) near 0
        assert np.max(sigmoid_grad(xd)) == 0.25
        assert np.all(sigmoid(xd) <= 1.0) and np.all(np.abs(tanh(xd)) <= 1.0)
    assert tanh_grad(1e-9) == 1.0  # exact 1 - 1e-18 rounds to 1.0
    assert sigmoid_grad(-1e-9) == 0.25  # exact 1/4 - 1e-18/16 rounds to 1/4


def test_derivatives_accurate_against_mpmath_on_a_log_grid():
    # 1/cosh(x)² and e^x/(1 + e^x)² at 160 bits (sigma·(1 - sigma) would cancel in mpmath too)
    x = _log_grid(3_000)
    ctx = mpmath.MPContext()
    ctx.prec = 160
    for f, exact in (
        (tanh_grad, lambda v: ctx.sech(v) ** 2),
        (sigmoid_grad, lambda v: ctx.exp(v) / (1 + ctx.exp(v)) ** 2),
    ):
        ref = [exact(ctx.mpf(v)) for v in x.tolist()]
        hi = np.array([float(r) for r in ref])
        lo = np.array([float(r - ctx.mpf(h)) for r, h in zip(ref, hi.tolist(), strict=True)])
        assert np.max(ulp_error(f(x), hi, lo)) < 3.0  # measured: 2.7 and 2.4 ulp


# -- properties (hypothesis) -------------------------------------------------------

any_float = st.floats(allow_nan=False, allow_infinity=True)
moderate = st.floats(-20.0, 20.0, allow_nan=False)


@given(any_float)
def test_tanh_is_odd_and_bounded(v):
    t = tanh(v)
    assert tanh(-v) == -t
    assert -1.0 <= t <= 1.0
    assert math.copysign(1.0, t) == math.copysign(1.0, v)  # sign kept, -0.0 included


@given(any_float, any_float)
def test_tanh_is_monotonic(u, v):
    lo, hi = min(u, v), max(u, v)
    assert tanh(lo) <= tanh(hi)


def test_tanh_monotonic_on_a_dense_sorted_grid():
    mag = np.sort(_dense_magnitudes(20_000, seed=5))
    x = np.concatenate([-mag[::-1], mag])
    assert np.all(np.diff(tanh(x)) >= 0)
    x32 = x[np.abs(x) < 3e38].astype(np.float32)
    assert np.all(np.diff(tanh(x32)) >= 0)


@given(arrays(np.float64, array_shapes(max_dims=3, max_side=6), elements=any_float))
def test_tanh_array_properties(x):
    t = tanh(x)
    assert t.shape == x.shape
    assert np.all(np.abs(t) <= 1.0)
    np.testing.assert_array_equal(tanh(-x), -t)


@settings(deadline=None)
@given(moderate)
def test_tanh_grad_matches_finite_difference_and_numpy(v):
    h = 1e-6
    fd = (tanh(v + h) - tanh(v - h)) / (2 * h)
    assert tanh_grad(v) == pytest.approx(fd, rel=1e-6, abs=1e-9)
    assert tanh_grad(v) == pytest.approx(1 - np.tanh(v) ** 2, rel=1e-12, abs=4e-16)


@settings(deadline=None)
@given(st.floats(-40.0, 40.0, allow_nan=False))
def test_sigmoid_against_independent_forms(v):
    # sigma(x) = (1 + tanh(x/2)) / 2, with NumPy's tanh
    assert sigmoid(v) == pytest.approx((1 + np.tanh(v / 2)) / 2, rel=1e-14, abs=1e-16)
    assert sigmoid(-v) == pytest.approx(1 - sigmoid(v), abs=1e-15)
    s = sigmoid(v)
    # s·(1 - s) itself loses accuracy where 1 - s cancels: compare absolutely
    assert sigmoid_grad(v) == pytest.approx(s * (1 - s), rel=1e-9, abs=3e-16)
    h = 1e-6
    fd = (sigmoid(v + h) - sigmoid(v - h)) / (2 * h)
    assert sigmoid_grad(v) == pytest.approx(fd, rel=1e-6, abs=5e-10)  # rounding / h ≈ 2e-10


def test_sigmoid_tails_are_relatively_accurate():
    # sigma(-x) = exp(-x) / (1 + exp(-x)) keeps full relative accuracy in the tail
    for v in (30.0, 100.0, 700.0):
        expected = float(1 / (1 + mpmath.exp(mpmath.mpf(v))))
        assert sigmoid(-v) == pytest.approx(expected, rel=1e-14)
        assert sigmoid_grad(-v) == pytest.approx(expected, rel=1e-12)


@given(arrays(np.float64, array_shapes(max_dims=2, max_side=7), elements=any_float))
def test_relu_and_its_gradient(x):
    np.testing.assert_array_equal(relu(x), np.where(x > 0, x, 0.0))
    np.testing.assert_array_equal(relu_grad(x), (x > 0).astype(float))


def test_relu_hand_values():
    assert relu([-2.0, -0.0, 0.0, 3.5, np.inf]).tolist() == [0.0, 0.0, 0.0, 3.5, np.inf]
    assert relu_grad([-2.0, 0.0, 1e-300, 3.5]).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert math.isnan(relu(np.nan)) and math.isnan(relu_grad(np.nan))


def test_identity_is_a_copy_and_its_gradient_is_ones():
    x = np.array([[1.0, -2.0, 3.0]])
    y = identity(x)
    y[0, 0] = 99.0
    assert x[0, 0] == 1.0
    assert identity_grad(x).tolist() == [[1.0, 1.0, 1.0]]


# -- the naive formula -------------------------------------------------------------


def test_tanh_naive_fails_as_documented_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            big = tanh_naive([710.0, -710.0, 800.0, 1e308])
            tiny = tanh_naive(1e-10)
            f32 = tanh_naive(np.float32(90.0))
    assert np.all(np.isnan(big))
    assert math.isnan(f32)  # float32 overflows already at 89
    # tanh(1e-10) = 1e-10 to 20 digits; the naive formula gets only ~7 of them
    assert abs(tiny - 1e-10) / 1e-10 > 1e-9
    assert tanh_naive(1e-20) == 0.0  # every digit lost


@pytest.mark.parametrize(("dtype", "documented"), [(np.float64, 709.78), (np.float32, 88.72)])
def test_tanh_naive_turns_nan_where_exp_overflows(dtype, documented):
    """NaN from ln(largest float) on, the bound its docstring gives for each precision."""
    bound = math.log(float(np.finfo(dtype).max))  # where exp(x) overflows
    assert round(bound, 2) == documented
    below, above = dtype(bound * (1 - 1e-6)), dtype(bound * (1 + 1e-6))
    assert tanh_naive(below) == pytest.approx(1.0) and tanh_naive(-below) == pytest.approx(-1.0)
    assert math.isnan(tanh_naive(above)) and math.isnan(tanh_naive(-above))


def test_tanh_naive_is_fine_in_the_middle():
    x = np.linspace(-20, 20, 4001)
    np.testing.assert_allclose(
        tanh_naive(x)[np.abs(x) > 0.1], np.tanh(x)[np.abs(x) > 0.1], rtol=1e-14
    )


# -- the registry ------------------------------------------------------------------


def test_activations_registry_holds_unchecked_kernels_of_the_public_functions():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "identity"}
    public = {
        "sigmoid": (sigmoid, sigmoid_grad),
        "tanh": (tanh, tanh_grad),
        "relu": (relu, relu_grad),
        "identity": (identity, identity_grad),
    }
    z = np.concatenate([SPECIAL, np.linspace(-30, 30, 61)]).reshape(4, -1)  # NaN too
    before = z.copy()
    for name, kernels in ACTIVATIONS.items():
        for kernel, checked in zip(kernels, public[name], strict=True):
            out = kernel(z)
            assert out.dtype == np.float64 and out.shape == z.shape
            np.testing.assert_array_equal(out, checked(z))  # NaN where it has NaN
            assert not np.shares_memory(out, z)
    np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_registered_gradient_matches_finite_differences(name):
    f, f_grad = ACTIVATIONS[name]
    # distinct shape (3, 5), values away from relu's kink at 0
    z = np.random.default_rng(11).uniform(0.2, 3.0, (3, 5)) * np.array([1, -1, 1, -1, 1])
    h = 1e-6
    fd = (f(z + h) - f(z - h)) / (2 * h)
    np.testing.assert_allclose(f_grad(z), fd, rtol=1e-6, atol=1e-9)
