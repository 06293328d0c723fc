"""The child process of ``dlhomework check``: limits, no network, then the submission's code.

:mod:`dlhomework.check.runner` (whose documentation states exactly what is and is
not blocked) starts one fresh interpreter per submission, in a
fresh temporary folder holding only a copy of the file, and calls :func:`main`
there.  Before any of the student's code runs, :func:`main`

- lowers the resource limits (``setrlimit``): address space (``RLIMIT_AS``: a
  10 GB ``np.ones`` fails with ``MemoryError``), CPU seconds (a backstop behind
  the parent's wall-clock limit), size of any file written (``RLIMIT_FSIZE``,
  which also bounds the captured output) and no core files;
- installs an audit hook (:pep:`578`, which Python code cannot remove) that
  refuses, with ``PermissionError``, creating or connecting sockets and name
  lookups, and starting processes (``subprocess``, ``os.system``, ``os.exec*``,
  ``os.posix_spawn``, ``os.fork``; ``multiprocessing``'s spawn goes through
  ``_posixsubprocess.fork_exec``, which raises no audit event and is replaced).

What this does **not** stop: code in C extensions or loaded with ``ctypes``
calling the operating system directly (the audit hook only sees Python-level
calls), reading files elsewhere on the machine that the user may read, and a
submission that forges its own records (it runs in the same process as the
checks).  It isolates submissions from accidents — an endless loop, a huge
array, ``!pip install``, a dataset download — not from a determined attacker;
for that, run the command inside a container or VM without network.

Then the code runs: a ``.py`` file as a script, a ``.ipynb`` notebook's code
cells in order in one namespace (read with :mod:`json`; outputs are never
executed; ``%`` magics and ``!`` shell lines are skipped and reported).  The first
exception ends the run, as in ``python file.py`` or a notebook's "run all".
Every record is one JSON line in the file named by ``DLHOMEWORK_CHECK_RECORD``.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._report import RECORD_ENV

__all__ = ["LIMITS_ENV", "code_cells", "main", "run_submission", "strip_magics"]

LIMITS_ENV = "DLHOMEWORK_CHECK_LIMITS"
"""Environment variable with the JSON ``{"memory_mb", "cpu_seconds", "file_mb"}`` for the child."""

_TRANSPARENT_CELL_MAGICS = ("time", "timeit", "capture")  # the body is plain Python
_BLOCKED_PREFIXES = (
    "socket.",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
)


def write_record(record: dict[str, Any]) -> None:
    """Append one JSON line to the record file (if the variable is set)."""
    path = os.environ.get(RECORD_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")


def strip_magics(source: str) -> tuple[str, list[str]]:
    """IPython-only lines of a notebook cell replaced by ``pass``; returns the code and them.

    A cell that starts with a ``%%time``/``%%timeit``/``%%capture`` magic runs its
    body; any other cell magic (``%%bash``, ``%%writefile``...) skips the cell.

    Examples
    --------
    >>> strip_magics("%matplotlib inline\\nx = 1\\n  !pip install numpy")
    ('pass\\nx = 1\\n  pass', ['%matplotlib inline', '!pip install numpy'])
    >>> strip_magics("%%bash\\nls")
    ('', ['%%bash (the whole cell)'])
    """
    lines = source.splitlines()
    skipped: list[str] = []
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].strip()
        name = magic[2:].split()[0] if len(magic) > 2 else ""
        if name not in _TRANSPARENT_CELL_MAGICS:
            return "", [f"{magic} (the whole cell)"]
        skipped.append(magic)
        lines = lines[first + 1 :]
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            skipped.append(stripped)
            out.append(line[: len(line) - len(stripped)] + "pass")
        else:
            out.append(line)
    return "\n".join(out), skipped


def code_cells(path: Path) -> list[tuple[str, str]]:
    """``(label, source)`` of every code cell of a notebook, read as JSON (nbformat 4).

    Raises
    ------
    ValueError
        The file is not a notebook (the message says why).
    """
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not a readable notebook (invalid JSON: {error})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a notebook in nbformat 4 (no list of cells)")
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        found.append((f"cell {number}", str(source)))
    return found


def _display(*objects: Any, **_: Any) -> None:
    """IPython's ``display``, as plain printing (a notebook may call it)."""
    for obj in objects:
        print(repr(obj))


def _where(error: BaseException, filenames: dict[str, str]) -> str:
    """``cell 3, line 2`` (or ``line 12``) of the innermost frame in the submission."""
    where = ""
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        label = filenames.get(frame.f_code.co_filename)
        if label is not None:
            where = f"{label}, line {lineno}" if label else f"line {lineno}"
    return where


def run_submission(path: Path, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run a ``.py`` or ``.ipynb`` file; return the final record (``done`` or ``error``).

    Parameters
    ----------
    path : Path
        The submission.
    namespace : dict, optional
        The globals to run in (a fresh ``__main__``-like dict by default).

    Returns
    -------
    dict
        ``{"kind": "done", "skipped": [...]}``, or ``{"kind": "error", "error": type name,
        "message": ..., "where": "cell 3, line 2", "skipped": [...]}``.
    """
    ns = namespace if namespace is not None else {}
    ns.setdefault("__name__", "__main__")
    ns.setdefault("__builtins__", builtins)
    ns.setdefault("display", _display)
    skipped: list[str] = []
    filenames: dict[str, str] = {}
    try:
        if path.suffix == ".ipynb":
            units = []
            for label, source in code_cells(path):
                code, lines = strip_magics(source)
                skipped += [f"{label}: {line}" for line in lines]
                units.append((label, code))
        else:
            ns.setdefault("__file__", str(path))
            units = [("", path.read_text(encoding="utf-8"))]
        for label, code in units:
            filename = f"{path.name} ({label})" if label else str(path)
            filenames[filename] = label
            exec(compile(code, filename, "exec"), ns)  # the submission itself
    except SystemExit as stop:
        if stop.code not in (None, 0):
            return _error(stop, filenames, skipped)
    except BaseException as error:  # everything the student's code may raise
        return _error(error, filenames, skipped)
    return {"kind": "done", "skipped": skipped}


def _error(error: BaseException, filenames: dict[str, str], skipped: list[str]) -> dict[str, Any]:
    message = str(error)
    return {
        "kind": "error",
        "error": type(error).__name__,
        "message": message if len(message) <= 500 else message[:499] + "…",
        "where": _where(error, filenames),
        "skipped": skipped,
    }


def _refuse(event: str, args: tuple[Any, ...]) -> None:
    if event.startswith(_BLOCKED_PREFIXES):
        raise PermissionError(
            f"dlhomework check: {event} is not allowed here (no network, no processes)"
        )


def _no_fork_exec(*args: Any, **kwargs: Any) -> Any:
    raise PermissionError("dlhomework check: starting processes is not allowed here")


def sandbox(memory_mb: float, cpu_seconds: float, file_mb: float) -> None:  # pragma: no cover
    """Apply the limits and the audit hook to *this* process, for good (child only)."""
    import resource

    def limit(which: int, value: int) -> None:
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, hard))

    limit(resource.RLIMIT_AS, int(memory_mb * 2**20))
    limit(resource.RLIMIT_CPU, max(1, int(cpu_seconds)))
    limit(resource.RLIMIT_FSIZE, int(file_mb * 2**20))
    limit(resource.RLIMIT_CORE, 0)
    sys.addaudithook(_refuse)
    try:
        import _posixsubprocess

        _posixsubprocess.fork_exec = _no_fork_exec
    except ImportError:
        pass


def main(argv: list[str], apply: Callable[[float, float, float], None] = sandbox) -> int:
    """Run the submission ``argv[0]`` under the limits of :data:`LIMITS_ENV`; 0 done, 3 error."""
    limits = json.loads(os.environ.get(LIMITS_ENV, "{}"))
    path = Path(argv[0]).resolve()
    # numpy and dlhomework.check are loaded already, before the limits and before the
    # submission's folder joins sys.path (a student's numpy.py cannot shadow them)
    apply(
        float(limits.get("memory_mb", 2048)),
        float(limits.get("cpu_seconds", 120)),
        float(limits.get("file_mb", 64)),
    )
    sys.path.insert(0, str(path.parent))
    sys.argv = [str(path)]
    write_record({"kind": "start"})
    record = run_submission(path)
    with contextlib.suppress(Exception):  # the student may have closed stdout
        sys.stdout.flush()
    write_record(record)
    return 0 if record["kind"] == "done" else 3
