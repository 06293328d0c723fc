"""Benchmark (issue 15): how long the verify loop takes, as whole processes.

Each command runs from the repository root as a user would type it, several times; the
figure is its wall time from start to exit (min, median, max; quote the median), with
the load averages before and after each run, since the machine may be shared:

- ``tox`` with every env in place and nothing changed (the warm verify loop);
- ``tox -e book`` the same way;
- a one-line change in a module of the package (a comment appended to it, the file
  restored afterwards): which chapters ``tox -e book`` runs again and which notebooks
  ``tox -e notebooks`` runs again, and how long each takes; then, with the file
  restored, whether the book runs anything (it should not: the cache keeps the
  chapter's earlier outputs).

It also prints, without running anything, which chapters depend on each module of the
package: what docs/_ext/chapter_inputs.py reads from their imports, the chapters read
with myst-nb's reader as the book reads them.

Run by hand, from a clone where ``tox`` has run once (its envs made, its caches
filled); stdlib only, any Python with tox on PATH, except the map, which needs myst-nb
(the book's environment, e.g. ``.tox/book/bin/python``)::

    python benchmarks/bench_pipeline.py                     # everything, ~15 min on 2 cores
    python benchmarks/bench_pipeline.py --only book --runs 5
    python benchmarks/bench_pipeline.py --only change --module counting.py activations.py
    python benchmarks/bench_pipeline.py --only map          # the module -> chapters table
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import chapter_inputs  # noqa: E402  (docs/_ext/chapter_inputs.py, standard library only)

PACKAGE = ROOT / "src" / "dlhomework"
EXECUTED = re.compile(r"docs/(hw1-\d+)\.md: Executing notebook")
NOTEBOOK_RAN = re.compile(r"^\s+[\d.]+ s\s+(hw1-\d+)\.ipynb\s+ok", re.M)
CHANGE = "\n# bench_pipeline: a one-line change\n"


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def run(command: list[str]) -> tuple[float, str, str]:
    """Run once; wall seconds, the output, and the load averages before -> after."""
    before = load()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    output = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed (exit {done.returncode}):\n{output[-4000:]}")
    return wall, output, f"{before} -> {load()}"


def timed(command: list[str], runs: int, warmup: int) -> None:
    name = " ".join(command)
    print(f"\n== {name}: {warmup} warm-up, {runs} timed runs", flush=True)
    for _ in range(warmup):
        run(command)
    walls = []
    for i in range(runs):
        wall, output, loads = run(command)
        walls.append(wall)
        ran = sorted(set(EXECUTED.findall(output)))
        print(
            f"   run {i + 1}: {wall:6.1f} s   load {loads}   chapters run: {ran or 'none'}",
            flush=True,
        )
    print(
        f"   {name}: min {min(walls):.1f} s, median {statistics.median(walls):.1f} s, "
        f"max {max(walls):.1f} s ({runs} runs, {os.cpu_count()} cores)",
        flush=True,
    )


def dependents() -> dict[str, list[str]]:
    """Each file of the package -> the chapters whose key covers it."""
    package = chapter_inputs.Package(PACKAGE)
    covered: dict[str, list[str]] = {}
    for page in sorted((ROOT / "docs").glob("hw1-*.md")):
        cells = chapter_inputs.code_cells(page)  # as the book reads them (myst-nb)
        if cells is None:
            continue
        names = chapter_inputs.cell_imports(cells)
        modules = None if names is None else package.closure(names)
        for path in package.files(modules):
            covered.setdefault(path.relative_to(PACKAGE).as_posix(), []).append(page.stem)
    return dict(sorted(covered.items()))


def print_map() -> None:
    print("\n== which chapters run again when a file of src/dlhomework changes")
    for name, chapters in dependents().items():
        print(f"   {name:32s} {' '.join(chapters)}")


def change(module: str) -> None:
    path = PACKAGE / module
    original = path.read_bytes()
    print(f"\n== one line appended to src/dlhomework/{module}", flush=True)
    try:
        path.write_bytes(original + CHANGE.encode())
        wall, output, loads = run(["tox", "-e", "book"])
        ran = sorted(set(EXECUTED.findall(output)))
        print(f"   tox -e book:      {wall:6.1f} s   load {loads}   chapters run: {ran}")
        wall, output, loads = run(["tox", "-e", "notebooks"])
        ran = sorted(set(NOTEBOOK_RAN.findall(output)))
        print(f"   tox -e notebooks: {wall:6.1f} s   load {loads}   notebooks run: {ran}")
    finally:
        path.write_bytes(original)
    wall, output, loads = run(["tox", "-e", "book"])
    ran = sorted(set(EXECUTED.findall(output)))
    print(f"   restored; book:   {wall:6.1f} s   load {loads}   chapters run: {ran or 'none'}")
    # the notebooks env keeps one last good run per notebook: restoring runs it again
    run(["tox", "-e", "notebooks"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first")
    parser.add_argument(
        "--only", choices=["tox", "book", "change", "map"], action="append", help="repeatable"
    )
    parser.add_argument("--module", nargs="+", default=["counting.py", "activations.py"])
    args = parser.parse_args()
    only = set(args.only or ["map", "tox", "book", "change"])
    print(f"{os.cpu_count()} cores; load averages (1, 5, 15 min) {load()}")
    if "map" in only:
        print_map()
    if "tox" in only:
        timed(["tox"], args.runs, args.warmup)
    if "book" in only:
        timed(["tox", "-e", "book"], args.runs, args.warmup)
    if "change" in only:
        for module in args.module:
            change(module)
    return 0


if __name__ == "__main__":
    sys.exit(main())
