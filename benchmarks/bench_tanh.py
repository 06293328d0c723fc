"""Benchmark (homework 1-7, issue 15): tanh against np.tanh, float64 and float32, with accuracy.

Goals (issue 15): ``dlhomework.activations.tanh`` within 2x the time of ``np.tanh`` on
float64 (uniform on [-10, 10], the homework's plotting range, and standard normal),
still at most about 1 ulp from mpmath; on float32 within 3x of ``np.tanh(float32)``
and at most 1 float32 ulp.

One run prints, for each of the four inputs (float64 and float32, uniform and normal):

- the time of ``np.tanh``, of ``tanh`` and of every alternative tried while looking
  for a faster ``tanh``, each as the median and the minimum over ``--repeats`` rounds,
  and both as a ratio to ``np.tanh``.  The rounds interleave the contenders (round 1:
  np.tanh, tanh, the alternatives; round 2: the same ...), so a change in the
  machine's load hits them all alike.  Times are CPU time of this process
  (``time.process_time``): on a shared machine the wall clock also counts the time
  other processes hold the core.  The load average is printed before and after.
- the largest error in ulp of each formula on a large sample: float64 against mpmath
  (:func:`dlhomework.accuracy.tanh_reference`), float32 against ``np.tanh`` of the
  same numbers in float64, *not* rounded to float32: its error (about 1e-16 relative)
  moves a float32 error by less than 1e-8 ulp, so the float32 figures are exact to
  that; points within 1e-6 ulp of a rounding midpoint are re-checked with mpmath.

What it showed (NumPy 2.4 on a 2-core AVX-512 Xeon, load average 2; medians of 31
rounds; runs at load 2-3 differ by up to 10 %): neither goal is within reach of NumPy
ufuncs here.  ``np.tanh`` is one SIMD pass (1.5 ns per float64, 0.35 per float32).  In
float64, ``np.exp`` plus one division alone take as long; the large-|x| formula alone
(no sign, no small |x|: wrong) 2.3-2.5x; ``tanh`` 3.5x (uniform) and 5.9x (normal:
55 % take the fraction), from 4.1x and 7.3x before.  In float32, float64's ``expm1``
alone takes 4.5-5x ``np.tanh(float32)``, as does float32 arithmetic's large-|x| formula
alone; both formulas in float32 err by up to 1.08 ulp and take 10x and 17x; ``tanh``
10.6x and 9.1x, from 27x and 40x before, correctly rounded.

Run by hand (about half a minute on 2 cores):

    python benchmarks/bench_tanh.py
    python benchmarks/bench_tanh.py --n 100000 --repeats 5      # quicker
    python benchmarks/bench_tanh.py --exhaustive                # every float32 (+5-8 min)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from dlhomework.accuracy import tanh_reference, ulp_error
from dlhomework.activations import (
    _TANH_BLOCK,
    _TANH_CF_TERMS,
    _TANH_SPLIT,
    _tanh_small,
    tanh,
    tanh_expm1,
)

Fn = Callable[[np.ndarray], Any]

# -- the alternatives: the package's blocked float64 kernel with one choice changed ----


def small_cf(a: np.ndarray, out: np.ndarray, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Before issue 15: the continued fraction level by level, nine divisions."""
    np.multiply(a, a, out=s)
    r = np.divide(s, 2 * _TANH_CF_TERMS + 1, out=out)
    for k in range(_TANH_CF_TERMS - 1, 0, -1):
        r += 2 * k + 1
        np.divide(s, r, out=r)
    np.add(r, 1.0, out=d)
    np.divide(r, d, out=r)
    r *= a
    return np.subtract(a, r, out=out)


def small_f32(a: np.ndarray, out: np.ndarray, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The fraction cut after 5 levels (enough for float32 below 1), in float32."""
    f = np.float32
    np.multiply(a, a, out=s)
    np.add(s, f(189), out=out)  # a - tanh(a) = a·s·(s² + 189 s + 3465)/(s³ + 210 s² + ...)
    out *= s
    out += f(3465)
    np.add(s, f(210), out=d)
    d *= s
    d += f(4725)
    d *= s
    d += f(10395)
    out /= d
    out *= s
    out *= a
    return np.subtract(a, out, out=out)


def blocked(
    x: np.ndarray,
    *,
    small: Callable[..., np.ndarray] = _tanh_small,
    split: float = _TANH_SPLIT,
    block: int = _TANH_BLOCK,
    select: str = "pad",
    sign: str = "bits",
    large: str = "exp",
) -> np.ndarray:
    """tanh by the two formulas of ``dlhomework.activations._tanh``, in ``x``'s dtype.

    With the defaults it is that kernel.  ``select``: how the small-|x| elements get the
    continued fraction: "pad" (their indices by np.flatnonzero of the mask padded with
    True to more than 10 %, where NumPy's nonzero switches to a branch-free loop, then
    take and put), "gather" (the same without the padding), "where" (the fraction on every
    element, np.copyto(where=mask)), "blend" (the fraction on every element, merged by
    bit operations without a boolean mask), "none" (the large-|x| formula everywhere:
    a lower bound on the time, wrong below 0.75).  ``sign``: "bits" or "copysign".
    ``large``: "exp" (1 - 2/(exp(2a) + 1)) or "expm1" (1 - 2/(expm1(2a) + 2)).
    """
    dt = x.dtype.type
    uint = np.uint64 if x.dtype.itemsize == 8 else np.uint32
    sint = np.int64 if x.dtype.itemsize == 8 else np.int32
    sign_bit = uint(1 << (8 * x.dtype.itemsize - 1))
    split_bits = np.array(split, dtype=dt).view(sint)
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    nb = min(flat.size, block)
    pad = nb // 8 + 1
    a_buf, e_buf, sa_buf, so_buf, sd_buf = np.empty((5, nb), dtype=dt)
    m_buf = np.ones(nb + pad, dtype=bool)
    sign_buf = np.empty(nb, dtype=uint)
    k_buf = np.empty(nb, dtype=sint)
    with np.errstate(over="ignore", under="ignore"):
        for start in range(0, flat.size, block):
            xs, o = flat[start : start + block], out[start : start + block]
            m = xs.size
            a, e, mask = a_buf[:m], e_buf[:m], m_buf[:m]
            np.abs(xs, out=a)
            np.multiply(a, dt(2), out=e)
            if large == "exp":
                np.exp(e, out=e)
                e += dt(1)
            else:
                np.expm1(e, out=e)
                e += dt(2)
            np.divide(dt(2), e, out=e)
            np.subtract(dt(1), e, out=o)
            if select in ("gather", "pad"):
                np.less(a, split, out=mask)
                if select == "pad":
                    m_buf[m:] = True
                    idx = np.flatnonzero(m_buf[: m + pad])[:-pad]
                else:
                    idx = np.flatnonzero(mask)
                if k := idx.size:
                    sa = np.take(a, idx, out=sa_buf[:k])
                    o[idx] = small(sa, so_buf[:k], e[:k], sd_buf[:k])
            elif select == "where":
                np.less(a, split, out=mask)
                np.minimum(a, split, out=sa_buf[:m])
                small(sa_buf[:m], so_buf[:m], e, sd_buf[:m])
                np.copyto(o, so_buf[:m], where=mask)
            elif select == "blend":
                # k = all ones where a < split (a's bits, as an int, below split's), else 0
                k_ = k_buf[:m]
                np.subtract(a.view(sint), split_bits, out=k_)
                np.right_shift(k_, 8 * x.dtype.itemsize - 1, out=k_)
                km = k_.view(uint)
                sa = sa_buf[:m]
                np.bitwise_and(a.view(uint), km, out=sa.view(uint))  # a if small, else 0
                so = small(sa, so_buf[:m], e, sd_buf[:m])
                ob, sob = o.view(uint), so.view(uint)
                np.bitwise_xor(sob, ob, out=sob)  # o ^ ((o ^ so) & k)
                np.bitwise_and(sob, km, out=sob)
                np.bitwise_xor(ob, sob, out=ob)
            if sign == "bits":
                sg = sign_buf[:m]
                np.bitwise_and(xs.view(uint), sign_bit, out=sg)
                np.bitwise_or(o.view(uint), sg, out=o.view(uint))
            else:
                np.copysign(o, xs, out=o)
    return out.reshape(x.shape)


def exp_div_only(x: np.ndarray, block: int = _TANH_BLOCK) -> None:
    """A lower bound: ``np.exp`` and one division per block, nothing else (float64)."""
    flat = x.reshape(-1)
    buf = np.empty(min(flat.size, block))
    with np.errstate(over="ignore"):
        for start in range(0, flat.size, block):
            xs = flat[start : start + block]
            e = buf[: xs.size]
            np.exp(xs, out=e)
            np.divide(2.0, e, out=e)


def expm1_only(x: np.ndarray, block: int = _TANH_BLOCK) -> None:
    """A lower bound: just ``expm1(-2|x|)`` per block, in float64 (float32's path needs it)."""
    flat = x.reshape(-1)
    buf = np.empty(min(flat.size, block))
    for start in range(0, flat.size, block):
        xs = flat[start : start + block]
        t = buf[: xs.size]
        np.multiply(xs, np.float64(-2.0), out=t)
        np.expm1(t, out=t)


def before(x: np.ndarray) -> np.ndarray:
    """tanh before issue 15 (kernel only): the fraction by nine divisions; float32 through
    float64 (the whole array converted, the float64 kernel, converted back)."""
    if x.dtype == np.float32:
        return blocked(x.astype(np.float64), small=small_cf, select="gather").astype(np.float32)
    return blocked(x, small=small_cf, select="gather")


def native32(x: np.ndarray) -> np.ndarray:
    """float32 arithmetic throughout: the two formulas with float32's np.expm1 and the
    5-level fraction, switched at 0.8 (the least bad switch point: see the accuracy)."""
    return blocked(x, small=small_f32, split=0.8, large="expm1")


CONTENDERS_64: list[tuple[str, Fn]] = [
    ("np.tanh", np.tanh),
    ("tanh (dlhomework)", tanh),
    ("before: fraction by 9 divisions", before),
    ("block 8192", lambda x: blocked(x, block=1 << 13)),
    ("block 131072", lambda x: blocked(x, block=1 << 17)),
    ("mask not padded to >10 % True", lambda x: blocked(x, select="gather")),
    ("fraction everywhere + copyto(where)", lambda x: blocked(x, select="where")),
    ("fraction everywhere + bit blend", lambda x: blocked(x, select="blend")),
    ("sign by np.copysign", lambda x: blocked(x, sign="copysign")),
    ("floor: large formula only (wrong)", lambda x: blocked(x, select="none")),
    ("floor: np.exp + one division only", exp_div_only),
]
CONTENDERS_32: list[tuple[str, Fn]] = [
    ("np.tanh", np.tanh),
    ("tanh (dlhomework)", tanh),
    ("before: whole array via float64", before),
    ("float32 arithmetic, two formulas", native32),
    ("floor: float64 expm1 only", expm1_only),
    ("floor: float32 large formula only", lambda x: blocked(x, select="none", large="expm1")),
]


# -- timing ------------------------------------------------------------------------------


def interleaved(
    contenders: list[tuple[str, Fn]], x: np.ndarray, repeats: int
) -> dict[str, list[float]]:
    """CPU seconds of each contender on ``x``, ``repeats`` rounds, contenders interleaved."""
    for _, f in contenders:  # warm-up: imports, first-touch of the buffers
        f(x)
    times: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _ in range(repeats):
        for name, f in contenders:
            t0 = time.process_time()
            f(x)
            times[name].append(time.process_time() - t0)
    return times


def report_times(title: str, times: dict[str, list[float]], n: int) -> None:
    base_med, base_min = statistics.median(times["np.tanh"]), min(times["np.tanh"])
    print(f"\n{title}")
    print(f"  {'':<38} {'median ms':>9} {'min ms':>8} {'x np.tanh (median)':>19} {'(min)':>6}")
    for name, ts in times.items():
        med, low = statistics.median(ts), min(ts)
        print(
            f"  {name:<38} {1e3 * med:9.2f} {1e3 * low:8.2f} {med / base_med:19.2f} "
            f"{low / base_min:6.2f}"
        )
    print(f"  ({n:,} values; np.tanh {1e9 * base_med / n:.2f} ns per value)")


# -- accuracy ----------------------------------------------------------------------------


def accuracy_64(rng: np.random.Generator, n: int) -> None:
    """Largest error in ulp against mpmath, on every magnitude and densely near 0.75."""
    mag = np.concatenate(
        [
            10.0 ** rng.uniform(-323.3, 308.2, n // 4),
            rng.uniform(0.0, 2.0, n // 4),
            rng.uniform(0.7, 0.8, n // 4),
            rng.uniform(2.0, 25.0, n // 4),
        ]
    )
    x = mag * rng.choice([-1.0, 1.0], mag.size)
    hi, lo = tanh_reference(x)
    print(
        f"\nfloat64: largest error in ulp against mpmath on {x.size:,} points "
        "(every magnitude; a quarter in [0.7, 0.8], around the switch at 0.75)"
    )
    for name, f in [
        ("tanh (dlhomework)", tanh),
        ("before: fraction by 9 divisions", before),
        ("np.tanh", np.tanh),
        ("tanh_expm1", tanh_expm1),
    ]:
        err = ulp_error(f(x), hi, lo)
        worst = int(np.argmax(err))
        print(f"  {name:<38} {err.max():.4f}   (at |x| = {abs(x[worst]):.6g})")


def float32_sample(stride: int, top: float = 9.1) -> np.ndarray:
    """Every ``stride``-th non-negative float32 below ``top`` (tanh rounds to 1 from 9.011),
    from +0 through the subnormals; plus the largest finite and +inf."""
    bits = np.arange(0, int(np.float32(top).view(np.uint32)), stride, dtype=np.uint32)
    extra = np.array([np.finfo(np.float32).max, np.inf], dtype=np.float32)
    return np.concatenate([bits.view(np.float32), extra])


def accuracy_32(stride: int) -> None:
    x_all = float32_sample(stride)
    print(
        f"\nfloat32: largest error in float32 ulp on {x_all.size:,} values "
        f"(every {stride}-th float32 in [0, 9.1), the largest, inf; -x gives exactly -tanh(x))"
    )
    contenders = [
        ("tanh (dlhomework)", tanh),
        ("np.tanh(float32)", np.tanh),
        ("before: whole array via float64", before),
        ("float32 arithmetic, two formulas", native32),
    ]
    worst = {name: (0.0, 0.0) for name, _ in contenders}
    near_mid: list[float] = []
    for start in range(0, x_all.size, 1 << 23):
        x = x_all[start : start + (1 << 23)]
        ref = np.tanh(x.astype(np.float64))  # not rounded: see the module docstring
        for name, f in contenders:
            got = f(x)
            assert got.dtype == np.float32, name
            if name == "tanh (dlhomework)":
                assert np.array_equal(tanh(-x), -got), "tanh(-x) != -tanh(x)"
            err = ulp_error(got, ref)
            i = int(np.argmax(err))
            if err[i] > worst[name][0]:
                worst[name] = (float(err[i]), float(x[i]))
            if name == "tanh (dlhomework)":
                near_mid.extend(x[np.abs(err - 0.5) < 1e-6].tolist())
    for name, (err_max, at) in worst.items():
        print(f"  {name:<38} {err_max:.9f}   (at x = {at:.9g})")
    # near a midpoint the float64 reference's own error could decide: ask mpmath
    ctx = mpmath.MPContext()
    ctx.prec = 100
    bad = 0
    for v in near_mid:
        exact = ctx.tanh(ctx.mpf(v))
        got = float(tanh(np.float32(v)))
        up, down = (
            np.nextafter(np.float32(got), np.float32(2)),
            np.nextafter(np.float32(got), np.float32(-1)),
        )
        # correctly rounded: no float32 neighbour is closer to the exact value
        if min(abs(float(up) - exact), abs(float(down) - exact)) < abs(got - exact):
            bad += 1
    print(
        f"  tanh (dlhomework): {len(near_mid)} values within 1e-6 ulp of a rounding "
        f"midpoint, checked with mpmath: {bad} not correctly rounded"
    )


def native32_by_switch_point() -> None:
    """Why float32 arithmetic fails the 1-ulp goal: each formula's worst error near 0.8,
    on every float32 in [0.5, 1.2)."""
    lo, hi = (int(np.float32(v).view(np.uint32)) for v in (0.5, 1.2))
    a = np.arange(lo, hi, dtype=np.uint32).view(np.float32)
    ref = np.tanh(a.astype(np.float64))
    buf = np.empty((3, a.size), dtype=np.float32)
    err_small = ulp_error(small_f32(a, *buf), ref)
    err_large = ulp_error(blocked(a, select="none", large="expm1"), ref)
    edges = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.2]
    print(
        "\nfloat32 arithmetic: largest error (float32 ulp) of each formula, every float32 "
        "in each interval\n  "
        + " ".join(f"{edges[i]}-{edges[i + 1]:<5}" for i in range(len(edges) - 1))
    )
    for label, err in (("fraction", err_small), ("1 - 2/(expm1(2a) + 2)", err_large)):
        cells = [err[(a >= edges[i]) & (a < edges[i + 1])].max() for i in range(len(edges) - 1)]
        print("  " + " ".join(f"{c:<9.3f}" for c in cells) + f"  {label}")
    print(
        "  (no switch point keeps both below 1 ulp: in float32 the roundings of the 5 to 13\n"
        "  steps of either formula add up to more than the half ulp that the last one leaves)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6, help="values per timing input")
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--sample", type=int, default=40_000, help="float64 accuracy points")
    parser.add_argument("--stride", type=int, default=61, help="float32: every stride-th value")
    parser.add_argument("--exhaustive", action="store_true", help="float32: every value (stride 1)")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    print(
        f"numpy {np.__version__}; {os.cpu_count()} CPUs; load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)"
    )

    uniform = rng.uniform(-10.0, 10.0, args.n)
    normal = rng.standard_normal(args.n)
    for dtype, contenders in ((np.float64, CONTENDERS_64), (np.float32, CONTENDERS_32)):
        for label, x in (("uniform [-10, 10]", uniform), ("standard normal", normal)):
            xd = x.astype(dtype)
            goal = "2x" if dtype == np.float64 else "3x"
            times = interleaved(contenders, xd, args.repeats)
            report_times(
                f"{np.dtype(dtype).name}, {label} (goal: tanh <= {goal} np.tanh); "
                f"{args.repeats} interleaved rounds",
                times,
                args.n,
            )
    print(f"\nload average after timing: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")

    accuracy_64(rng, args.sample)
    accuracy_32(1 if args.exhaustive else args.stride)
    native32_by_switch_point()


if __name__ == "__main__":
    main()
