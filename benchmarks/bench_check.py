"""Benchmark (issue 14): ``dlhomework check`` over 200 generated submissions, --jobs 1 and 2.

The submissions are what a course would hand in: ``.py`` scripts and ``.ipynb``
notebooks, each calling two or three ``dlhomework.check`` functions on a right or a
typically wrong answer (the wrong ones of ``dlhomework.mistakes``, the literal tanh,
``len(np.where(...))``, ``n // b``...), plus one endless ``while True:`` and one 10 GB
allocation.  The command runs twice over the same folder, ``--jobs 1`` and
``--jobs 2``, as a user would run it (a fresh ``python -m dlhomework``); the figure
is submissions per second of wall time.  It also checks that the hard limits held:
the loop is reported as ``timeout``, the allocation as ``memory``, every other file
as ``passed`` or ``failed`` as generated.

Run by hand (about two minutes on 2 cores):

    python benchmarks/bench_check.py
    python benchmarks/bench_check.py --n 50 --timeout 5   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import dlhomework

# (right answer, wrong answer) per check, as a student would write the line.
ANSWERS = {
    "two_layer": (
        "from dlhomework.models import TwoLayerNet\n"
        "check.two_layer(TwoLayerNet(13, 13, rng={seed}))",
        "from dlhomework.mistakes import SkipLayerW1Mistake\n"
        "check.two_layer(SkipLayerW1Mistake(13, 13, rng={seed}))",
    ),
    "tanh": (
        "check.tanh(np.tanh)",
        "check.tanh(lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)))",
    ),
    "count_positive": (
        "check.count_positive(lambda p: np.count_nonzero(p > 0))",
        "check.count_positive(lambda p: len(np.where(p > 0)))",
    ),
    "iterations": (
        "check.iterations(lambda n, b: -(-n // b))",
        "check.iterations(lambda n, b: n // b)",
    ),
    "normalization": (
        "z = lambda d, s: (d - s.mean(0)) / s.std(0)\n"
        "check.normalization(lambda tr, te: (z(tr, tr), z(te, tr)))",
        "z = lambda d, s: (d - s.mean(0)) / s.std(0)\n"
        "check.normalization(lambda tr, te: (z(tr, tr), z(te, te)))",
    ),
    "purchase": (
        "from dlhomework.graph import purchase\ncheck.purchase(purchase)",
        "check.purchase(lambda a, b, c, d, r: ((a*b + c*d) * r, (a*r, b*r, c*r, d*r, a*b + c*d)))",
    ),
}


def generate(folder: Path, n: int, rng: np.random.Generator) -> dict[str, str]:
    """Write ``n`` submissions (two of them the hard cases); return name -> expected status."""
    expected = {
        "hang.py": "timeout",
        "ten_gb.py": "memory",
    }
    (folder / "hang.py").write_text("while True:\n    pass\n")
    (folder / "ten_gb.py").write_text("import numpy as np\nx = np.ones(10 * 2**30 // 8)\n")
    names = list(ANSWERS)
    for k in range(n - 2):
        chosen = rng.choice(names, size=int(rng.integers(2, 4)), replace=False)
        wrong = rng.random(len(chosen)) < 0.25
        lines = [ANSWERS[c][int(w)].format(seed=k) for c, w in zip(chosen, wrong, strict=True)]
        header = "import numpy as np\nfrom dlhomework import check\n"
        status = "failed" if wrong.any() else "passed"
        if k % 2:
            name = f"student{k:03d}.py"
            (folder / name).write_text(header + "\n".join(lines) + "\n")
        else:
            name = f"student{k:03d}.ipynb"
            cells = ["%matplotlib inline\n" + header, *lines]
            nb = {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "code",
                        "metadata": {},
                        "execution_count": None,
                        "outputs": [],
                        "source": c,
                    }
                    for c in cells
                ],
            }
            (folder / name).write_text(json.dumps(nb))
        expected[name] = status
    return expected


def run(folder: Path, jobs: int, timeout: float, report: Path) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(Path(dlhomework.__file__).parents[1])}
    command = [sys.executable, "-m", "dlhomework", "check", str(folder), "--jobs", str(jobs)]
    command += ["--timeout", str(timeout), "--report", str(report), "--quiet"]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, check=False)
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of submissions")
    parser.add_argument("--timeout", type=float, default=10.0, help="--timeout of the command")
    args = parser.parse_args()
    cores = os.cpu_count()
    print(
        f"dlhomework check over {args.n} submissions; {cores} cores; --timeout {args.timeout:g} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        expected = generate(folder, args.n, np.random.default_rng(14))
        right = sum(s == "passed" for s in expected.values())
        wrong = sum(s == "failed" for s in expected.values())
        print(f"  {right} right, {wrong} wrong, 1 endless loop, 1 allocation of 10 GB")
        print(
            f"  {'jobs':>4} {'wall (s)':>9} {'files/s':>8}  limits held, every verdict as generated"
        )
        for jobs in (1, 2):
            report = Path(tmp) / f"jobs{jobs}.json"
            seconds, status = run(folder, jobs, args.timeout, report)
            data = json.loads(report.read_text(encoding="utf-8"))
            got = {Path(f["path"]).name: f["status"] for f in data["files"]}
            differ = {k: v for k, v in got.items() if expected.get(k) != v}
            verdict = "yes" if not differ and status == 1 else f"NO: {differ}, exit {status}"
            print(f"  {jobs:>4} {seconds:9.1f} {args.n / seconds:8.2f}  {verdict}")


if __name__ == "__main__":
    main()
