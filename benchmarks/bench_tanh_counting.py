"""Benchmark (homework 1-7 and 1-8): tanh against np.tanh, and four ways to count p > 0.

Goals (issue 5), on 10**7 float64 values:

- ``dlhomework.activations.tanh`` takes at most 2x the time of ``np.tanh``;
- ``dlhomework.counting.count_positive`` is within 1.2x of the fastest of
  ``np.count_nonzero(p > 0)``, ``(p > 0).sum()`` and ``np.extract(p > 0, p).size``.

Each figure is the minimum CPU time over several repeats (the least disturbed run:
timing noise only ever adds time).  tanh is timed on two inputs: uniform on [-10, 10] (the
homework's plotting range; 7.5 % of the values take the small-|x| branch) and
standard normal (55 % do).  Also printed: the largest error in ulp of tanh and
np.tanh against mpmath on a sample, so that speed is never quoted without accuracy.

Run by hand (about a minute on 2 cores):

    python benchmarks/bench_tanh_counting.py
    python benchmarks/bench_tanh_counting.py --n 1000000 --repeat 5   # quicker
"""

from __future__ import annotations

import argparse
import time
import timeit
from collections.abc import Callable

import numpy as np

from dlhomework.activations import tanh, tanh_expm1, tanh_naive, tanh_reference, ulp_error
from dlhomework.counting import count_positive


def best_of(f: Callable[[], object], repeat: int) -> float:
    """Minimum CPU time of ``repeat`` single calls, after one warm-up call.

    CPU time of this process (``time.process_time``), not wall time: on a shared
    machine the wall clock also counts the time other processes hold the core.
    Every operation timed here runs on one thread, so the two agree on an idle machine.
    """
    f()
    return min(timeit.repeat(f, timer=time.process_time, number=1, repeat=repeat))


def table(title: str, rows: list[tuple[str, float]], baseline: float) -> None:
    print(f"\n{title}")
    print(f"  {'method':<30} {'time (ms)':>10} {'x baseline':>11}")
    for name, seconds in rows:
        print(f"  {name:<30} {1e3 * seconds:10.2f} {seconds / baseline:11.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**7, help="number of float64 values")
    parser.add_argument("--repeat", type=int, default=11, help="repeats per timing (min taken)")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)

    print(f"numpy {np.__version__}; n = {args.n:,} float64 values; best of {args.repeat} runs")

    # -- tanh ------------------------------------------------------------------
    inputs = {
        "uniform [-10, 10]": rng.uniform(-10.0, 10.0, args.n),
        "standard normal": rng.standard_normal(args.n),
    }
    for label, x in inputs.items():
        rows = [
            ("np.tanh", best_of(lambda x=x: np.tanh(x), args.repeat)),
            ("tanh (dlhomework)", best_of(lambda x=x: tanh(x), args.repeat)),
            ("tanh_expm1", best_of(lambda x=x: tanh_expm1(x), args.repeat)),
            ("tanh_naive", best_of(lambda x=x: tanh_naive(x), args.repeat)),
        ]
        table(f"tanh on {label} (goal: tanh <= 2x np.tanh)", rows, rows[0][1])

    # accuracy on a sample (mpmath is slow: 40 000 points across all magnitudes)
    magnitude = 10.0 ** rng.uniform(-300, 308, 10_000)
    moderate = rng.uniform(0.0, 25.0, 10_000)
    sample = np.concatenate([magnitude, moderate, -magnitude, -moderate])
    hi, lo = tanh_reference(sample)
    print("\nlargest error in ulp against mpmath on 40 000 points:")
    for name, f in [("tanh", tanh), ("np.tanh", np.tanh), ("tanh_expm1", tanh_expm1)]:
        print(f"  {name:<12} {ulp_error(f(sample), hi, lo).max():.3f}")

    # -- counting --------------------------------------------------------------
    p = rng.standard_normal(args.n)
    rows = [
        ("np.count_nonzero(p > 0)", best_of(lambda: np.count_nonzero(p > 0), args.repeat)),
        ("(p > 0).sum()", best_of(lambda: (p > 0).sum(), args.repeat)),
        ("np.extract(p > 0, p).size", best_of(lambda: np.extract(p > 0, p).size, args.repeat)),
        ("count_positive(p)", best_of(lambda: count_positive(p), args.repeat)),
    ]
    fastest_name, fastest = min(rows[:3], key=lambda row: row[1])
    table(
        f"counting p > 0 (goal: count_positive <= 1.2x the fastest, {fastest_name})",
        rows,
        fastest,
    )
    counts = {int(np.count_nonzero(p > 0)), int((p > 0).sum()), np.extract(p > 0, p).size}
    assert counts == {count_positive(p)}, "the four ways disagree"


if __name__ == "__main__":
    main()
