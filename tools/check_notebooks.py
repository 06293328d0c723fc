"""Run every downloadable chapter notebook as a reader would: `tox -e notebooks`.

The book's download button offers each chapter as the notebook the build executed
(build/html/_sources/docs/hw1-N.ipynb, see docs/_ext/book.py).  A reader downloads it,
installs the package with the one command the book documents, and runs it in Jupyter.
This script does exactly that, away from the repository:

1. a fresh virtual environment in a temporary folder, and in it, from the repository,
   ``pip install ".[paddle,notebook]"`` (INSTALL below: the command docs/index.md and
   README.md give);
2. every offered notebook copied into another temporary folder with its outputs removed,
   so nothing can come from the build or from docs/ files beside it;
3. each executed from start to end by nbclient in that environment (it comes with the
   ``notebook`` extra), as Jupyter's "run all" would; a cell that raises fails the run.

Usage: ``python tools/check_notebooks.py [--notebooks DIR] [--keep]``.  Prints how long
the install and each notebook took; exits 1 if any notebook fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVED = ROOT / "build" / "html" / "_sources" / "docs"
INSTALL = ["pip", "install", ".[paddle,notebook]"]  # run from the repository's root
CELL_TIMEOUT = 600  # seconds, as the book build allows (conf.py)

# Runs inside the fresh environment: execute each notebook with nbclient, in its folder.
RUNNER = """
import sys, time
import nbclient, nbformat
from jupyter_client.kernelspec import KernelSpecManager

spec = KernelSpecManager().get_kernel_spec("python3")
print("kernel:", " ".join(spec.argv[:3]), "| python:", sys.executable, flush=True)
failed = 0
for path in sys.argv[2:]:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = nbclient.NotebookClient(
        nb, timeout=int(sys.argv[1]), kernel_name="python3",
        resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}},
    )
    try:
        client.execute()
        status = "ok"
    except Exception as error:  # CellExecutionError, DeadKernelError, timeouts
        failed += 1
        status = "FAILED\\n" + str(error)
    nbformat.write(nb, path)
    print(f"{time.perf_counter() - start:7.1f} s  {path.rsplit('/', 1)[-1]}  {status}", flush=True)
sys.exit(1 if failed else 0)
"""

# What the reader's shell would not have: this repository's test settings.
DROP_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MPLBACKEND", "IPYTHONDIR", "JUPYTER_PATH")


def offered_notebooks(folder: Path) -> list[Path]:
    """The chapter notebooks the book offers; every chapter (.md with a kernel) must have one."""
    notebooks = sorted(folder.glob("*.ipynb"))
    chapters = [p.stem for p in sorted((ROOT / "docs").glob("*.md")) if _is_notebook(p)]
    missing = [name for name in chapters if not (folder / f"{name}.ipynb").is_file()]
    if not notebooks or missing:
        sys.exit(
            f"check_notebooks: no notebook for {missing or chapters} in {folder}; "
            "build the book first (tox -e book)"
        )
    return notebooks


def _is_notebook(page: Path) -> bool:
    """A MyST page that myst-nb executes: its front matter names a kernel."""
    text = page.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def strip_outputs(source: Path, target: Path) -> None:
    """Copy a notebook without outputs, execution counts or execution timestamps."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")


def reader_environment(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV and "TOX" not in k}
    env = {k: v for k, v in env.items() if not k.startswith("DLHOMEWORK_")}
    # Kernels: only the fresh environment's own python3 (no user-registered kernelspecs).
    env["JUPYTER_DATA_DIR"] = str(workdir / "jupyter-data")
    env["JUPYTER_CONFIG_DIR"] = str(workdir / "jupyter-config")
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=SERVED, help="folder of .ipynb")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    notebooks = offered_notebooks(args.notebooks)

    workdir = Path(tempfile.mkdtemp(prefix="dlhomework-notebooks-"))
    try:
        env = reader_environment(workdir)
        start = time.perf_counter()
        venv.EnvBuilder(with_pip=True).create(workdir / "venv")
        bindir = "Scripts" if os.name == "nt" else "bin"
        python = str(workdir / "venv" / bindir / "python")
        print(f"== python -m venv; {' '.join(INSTALL)}   (in {ROOT.name}/)", flush=True)
        log = workdir / "pip.log"
        with log.open("w", encoding="utf-8") as out:
            pip = subprocess.run(
                [python, "-m", *INSTALL], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        if pip.returncode != 0:
            print(log.read_text(encoding="utf-8")[-5000:])
            print(f"== {' '.join(INSTALL)} FAILED (exit {pip.returncode})")
            return 1
        installed = time.perf_counter() - start
        print(f"== environment ready in {installed:.0f} s", flush=True)

        folder = workdir / "notebooks"
        folder.mkdir()
        copies = [folder / nb.name for nb in notebooks]
        for source, copy in zip(notebooks, copies, strict=True):
            strip_outputs(source, copy)
        start = time.perf_counter()
        with subprocess.Popen(
            [python, "-c", RUNNER, str(CELL_TIMEOUT), *map(str, copies)],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as run:
            assert run.stdout is not None
            for line in run.stdout:
                if "Kernel is running over TCP without encryption" not in line:  # ipykernel 7
                    print(line, end="", flush=True)
        print(
            f"== {len(copies)} notebooks in {time.perf_counter() - start:.0f} s "
            f"(environment {installed:.0f} s); " + ("all ran" if run.returncode == 0 else "FAILED"),
            flush=True,
        )
        return run.returncode
    finally:
        if args.keep:
            print(f"== kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
