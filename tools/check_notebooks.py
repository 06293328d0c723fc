"""Run every downloadable chapter notebook as a reader would: `tox -e notebooks`.

The book's download button offers each chapter as the notebook the build executed
(build/html/_sources/docs/hw1-N.ipynb, see docs/_ext/book.py), and its front page and
homework 1-5 offer the project's source, dlhomework-<version>.zip
(build/html/_downloads/, see docs/_ext/source_archive.py).  A reader downloads both,
unpacks the source, installs it with the one command the book documents, puts the
notebook into that folder and runs it in Jupyter.  This script does exactly that, away
from the repository:

1. the zip the built book offers, unpacked into a temporary folder;
2. a fresh virtual environment, and in it, from the unpacked folder,
   ``pip install ".[paddle,notebook]"`` (INSTALL below: the command docs/index.md,
   docs/hw1-5.md and README.md give);
3. every offered notebook copied into the unpacked folder with its outputs removed, so
   nothing can come from the build or from docs/ files beside it;
4. each executed from start to end by nbclient in that environment (it comes with the
   ``notebook`` extra), in that folder, as Jupyter's "run all" would; a cell that
   raises fails the run.

With ``--reuse DIR`` (what ``tox -e notebooks`` passes: a folder in its tox env), the
environment is made once and kept in DIR, under a hash of the archive's pyproject.toml,
the Python and the install command; when what ``pip install`` reads from the archive
changes (its top-level files and src/; not the book, tests or tools it also holds), the
same ``pip install`` runs in it again.  A notebook that already ran there, with the same code
cells and the same package modules, data and installed distributions behind them (the
key the book's notebook cache uses, docs/_ext/chapter_inputs.py, applied to the unpacked
package), is not run again.  Without it (or on a fresh clone, where DIR does not exist
yet) every notebook runs.

Usage: ``python tools/check_notebooks.py [--notebooks DIR] [--archive ZIP] [--reuse DIR]
[--keep]``.
Prints how long the install and each notebook took; exits 1 if any notebook fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
# docs/_ext/chapter_inputs.py and source_archive.py: standard library only
import chapter_inputs  # noqa: E402
import source_archive  # noqa: E402

SERVED = ROOT / "build" / "html" / "_sources" / "docs"
DOWNLOADS = ROOT / "build" / "html" / "_downloads"  # Sphinx: _downloads/<hash>/<file>
INSTALL = ["pip", "install", ".[paddle,notebook]"]  # run in the unpacked source
CELL_TIMEOUT = 600  # seconds, as the book build allows (conf.py)

# Runs inside the fresh environment: execute each notebook with nbclient, in its folder.
RUNNER = """
import json, sys, time
import nbclient, nbformat
from jupyter_client.kernelspec import KernelSpecManager

spec = KernelSpecManager().get_kernel_spec("python3")
print("kernel:", " ".join(spec.argv[:3]), "| python:", sys.executable, flush=True)
failed = 0
results = {}
for path in sys.argv[3:]:
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
    results[path] = status == "ok"
    nbformat.write(nb, path)
    print(f"{time.perf_counter() - start:7.1f} s  {path.rsplit('/', 1)[-1]}  {status}", flush=True)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(results, out)
sys.exit(1 if failed else 0)
"""

# Runs inside the environment: its interpreter and distributions (chapter_inputs.environment).
ENVIRONMENT = """
import sys
sys.path.insert(0, sys.argv[1])
import chapter_inputs
print(chapter_inputs.environment())
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


def offered_archive(downloads: Path = DOWNLOADS) -> Path:
    """The source zip the built book offers: the one named after this tree's version."""
    name = source_archive.archive_name(ROOT)
    found = sorted(downloads.glob(f"*/{name}"))
    if len(found) != 1:
        sys.exit(
            f"check_notebooks: {len(found)} copies of {name} in {downloads}, expected 1; "
            "build the book first (tox -e book)"
        )
    return found[0]


def unpack(archive: Path, folder: Path) -> Path:
    """Unpack the source zip into ``folder``; the project folder it holds (one, at the top)."""
    with zipfile.ZipFile(archive) as source:
        tops = {name.split("/", 1)[0] for name in source.namelist()}
        if len(tops) != 1:
            sys.exit(f"check_notebooks: {archive} holds {sorted(tops)}, not one folder")
        source.extractall(folder)
    project = folder / tops.pop()
    if not (project / "pyproject.toml").is_file():
        sys.exit(f"check_notebooks: no pyproject.toml in {project.name}/ of {archive}")
    return project


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


def environment_key(project: Path) -> str:
    """What the environment is made from: the project's pyproject.toml, this Python, the
    command (the dependencies do not change unless one of these does)."""
    digest = hashlib.sha256(f"{sys.version}\0{' '.join(INSTALL)}\0".encode())
    digest.update((project / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:20]


def notebook_key(path: Path, package: chapter_inputs.Package, environment: str) -> str:
    """The notebook's code cells (with their metadata) and the chapter key of what they run."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [
        (
            "".join(cell["source"]),
            {k: v for k, v in cell.get("metadata", {}).items() if k != "execution"},
        )
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]
    key, _ = chapter_inputs.chapter_key([source for source, _ in code], package, environment)
    kernel = notebook.get("metadata", {}).get("kernelspec", {})
    text = json.dumps([key, code, kernel], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def install_digest(project: Path) -> str:
    """SHA-256 of what ``pip install`` reads from the unpacked source: the files at its top
    (pyproject.toml, README.md, LICENSE, ...) and every file under src/."""
    files = [path for path in project.iterdir() if path.is_file()]
    files += [path for path in (project / "src").rglob("*") if path.is_file()]
    digest = hashlib.sha256()
    for path in sorted(files):
        name = path.relative_to(project).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _python(folder: Path) -> str:
    return str(folder / ("Scripts" if os.name == "nt" else "bin") / "python")


def _install(python: str, env: dict[str, str], log: Path, project: Path) -> bool:
    with log.open("w", encoding="utf-8") as out:
        pip = subprocess.run([python, "-m", *INSTALL], cwd=project, env=env, stdout=out, stderr=out)
    if pip.returncode != 0:
        print(log.read_text(encoding="utf-8")[-5000:])
        print(f"== {' '.join(INSTALL)} FAILED (exit {pip.returncode})")
    return pip.returncode == 0


def make_environment(
    folder: Path, env: dict[str, str], archive: Path, project: Path, log: Path
) -> str | None:
    """The python of the reader's environment in ``folder``: made there afresh, or kept
    from an earlier run (its ``ready`` file holds the :func:`install_digest` of the source
    it has installed).  ``project`` is ``archive``, unpacked.  None if the install failed."""
    ready = folder / "ready"
    installed = install_digest(project)
    if ready.is_file():
        if ready.read_text(encoding="utf-8") == installed:
            print(f"== reusing {folder} (the package in {archive.name} is installed)", flush=True)
            return _python(folder)
        print(
            f"== the package in {archive.name} changed: {' '.join(INSTALL)} again in {folder}",
            flush=True,
        )
    else:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"== python -m venv; {' '.join(INSTALL)}   (in {project.name}/)", flush=True)
        venv.EnvBuilder(with_pip=True).create(folder)
    ready.unlink(missing_ok=True)
    if not _install(_python(folder), env, log, project):
        return None
    ready.write_text(installed, encoding="utf-8")
    return _python(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=SERVED, help="folder of .ipynb")
    parser.add_argument(
        "--archive", type=Path, help="the source zip (default: the one the built book offers)"
    )
    parser.add_argument(
        "--reuse", type=Path, help="keep the environment, and what ran, in this folder"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    notebooks = offered_notebooks(args.notebooks)
    archive = args.archive or offered_archive()

    workdir = Path(tempfile.mkdtemp(prefix="dlhomework-notebooks-"))
    try:
        project = unpack(archive, workdir / "download")
        print(f"== {archive.name} unpacked: {project.name}/", flush=True)
        package = chapter_inputs.Package(project / "src" / chapter_inputs.PACKAGE)
        env = reader_environment(workdir)
        start = time.perf_counter()
        if args.reuse:
            args.reuse.mkdir(parents=True, exist_ok=True)
            folder = args.reuse / f"venv-{environment_key(project)}"
            for old in args.reuse.glob("venv-*"):  # made from another pyproject.toml
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        else:
            folder = workdir / "venv"
        python = make_environment(folder, env, archive, project, workdir / "pip.log")
        if python is None:
            return 1
        installed = time.perf_counter() - start
        print(f"== environment ready in {installed:.0f} s", flush=True)

        passed_file = folder / "passed.json"  # notebook name -> key of its last good run
        passed: dict[str, str] = {}
        keys: dict[str, str] = {}
        if args.reuse:
            if passed_file.is_file():
                passed = json.loads(passed_file.read_text(encoding="utf-8"))
            environment = subprocess.run(
                [python, "-c", ENVIRONMENT, str(ROOT / "docs" / "_ext")],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            keys = {nb.name: notebook_key(nb, package, environment) for nb in notebooks}
            unchanged = [nb for nb in notebooks if passed.get(nb.name) == keys[nb.name]]
            if unchanged:
                names = ", ".join(nb.stem for nb in unchanged)
                print(f"== unchanged since they last ran here, not run again: {names}")
            notebooks = [nb for nb in notebooks if nb not in unchanged]
        if not notebooks:
            print("== no notebook to run")
            return 0

        notebook_folder = project  # where the book tells the reader to put them
        copies = [notebook_folder / nb.name for nb in notebooks]
        for source, copy in zip(notebooks, copies, strict=True):
            strip_outputs(source, copy)
        results = workdir / "results.json"
        start = time.perf_counter()
        with subprocess.Popen(
            [python, "-c", RUNNER, str(CELL_TIMEOUT), str(results), *map(str, copies)],
            cwd=notebook_folder,
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
        if args.reuse and results.is_file():
            ok = json.loads(results.read_text(encoding="utf-8"))
            for copy in copies:
                if ok.get(str(copy)):
                    passed[copy.name] = keys[copy.name]
                else:
                    passed.pop(copy.name, None)
            temporary = passed_file.with_suffix(".tmp")
            temporary.write_text(json.dumps(passed, indent=1, sort_keys=True), encoding="utf-8")
            temporary.replace(passed_file)
        return run.returncode
    finally:
        if args.keep:
            print(f"== kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
