"""Benchmark (homework 1-8): four ways to count p > 0.

Goal (issue 5), on 10**7 float64 values: ``dlhomework.counting.count_positive`` is within
1.2x of the fastest of ``np.count_nonzero(p > 0)``, ``(p > 0).sum()`` and
``np.extract(p > 0, p).size``.  Each figure is the minimum CPU time over several repeats
(the least disturbed run: timing noise only ever adds time).

tanh, which this script also timed until issue 15, has its own benchmark now, with
float32 and the alternatives tried: ``benchmarks/bench_tanh.py``.

Run by hand:

    python benchmarks/bench_tanh_counting.py
    python benchmarks/bench_tanh_counting.py --n 1000000 --repeat 5   # quicker
"""

from __future__ import annotations

import argparse
import time
import timeit
from collections.abc import Callable

import numpy as np

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
