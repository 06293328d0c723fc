"""``dlhomework check FILE...``: run students' submissions and collect every ``check.*`` result.

For a teaching assistant with a folder of submissions::

    dlhomework check submissions/ --jobs 2 --report results.json

Each ``.py`` or ``.ipynb`` file runs in its own fresh Python process, in a fresh
temporary folder holding only a copy of the file (also its ``HOME``), and every
call of a ``dlhomework.check`` function in it is recorded.  A ``.py`` runs as a
script; a notebook's code cells run in order in one namespace (the file is read
as JSON, its stored outputs are never executed, ``%`` magics and ``!`` shell lines
are skipped and listed in the report).  The first exception ends a file's run, as
in ``python file.py`` or a notebook's "run all".

A table (file × check: ``pass`` or the codes of the errors found) goes to stdout;
``--report`` writes JSON (every call with every finding) or CSV, by suffix, and
``--csv`` adds a CSV; reports are written atomically and their paths checked before
anything runs (their folder must exist).  A file's status is ``passed`` (every check
it called passed, judged by the *last* call of each), ``failed``, ``no-checks``,
``error`` (it raised), ``timeout``, ``memory`` or ``crash``.  Exit status: 0 if every file passed, 1
otherwise, 2 for a wrong command line.

**Limits.**  Before the submission's code runs, its process lowers its own limits
with ``setrlimit``: address space (``--memory``; a 10 GB ``np.ones`` fails at once
with ``MemoryError``), CPU time (a backstop: the parent kills the whole process
group at ``--timeout`` seconds of wall time), the size of any file written (64 MB,
which bounds the captured output too) and no core files.  An audit hook
(:pep:`578`; Python code cannot remove it) refuses, with ``PermissionError``,
creating or connecting sockets and name lookups, and starting processes
(``subprocess``, ``os.system``, ``os.exec*``, ``os.posix_spawn``, ``os.fork``, and
``multiprocessing``'s spawn).  **Not** blocked: C extensions or ``ctypes`` calling
the operating system directly (the hook sees only Python-level calls); reading
files elsewhere that the user may read; and a submission that forges its own
records or replaces the check functions (it runs in the same process as the
checks).  This guards against accidents — an endless loop, a huge array,
``!pip install``, a dataset download — not against a determined attacker: for
that, run the command in a container or VM without network.

**Shards.**  ``--shard i/n`` keeps the files whose path hash (SHA-256) falls in slice
``i`` of ``n`` (``1 <= i <= n``): the ``n`` shards are disjoint, together cover every
file, and do not depend on the machine or on the order of the files, so any batch
scheduler can split a course.  With Slurm, for example::

    #SBATCH --array=1-8
    dlhomework check submissions/ --shard ${SLURM_ARRAY_TASK_ID}/8 \\
        --report results-${SLURM_ARRAY_TASK_ID}.json

Run every shard from the same folder with the same paths: the hash is that of the
path as given.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._files import as_path
from .._validation import check_int, check_positive_float, describe
from ._report import RECORD_ENV
from ._sandbox import LIMITS_ENV

__all__ = [
    "FileResult",
    "collect",
    "in_shard",
    "parse_shard",
    "run",
    "run_file",
]

SUFFIXES = (".py", ".ipynb")
_BOOT = (
    "import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; "
    "from dlhomework.check._sandbox import main; sys.exit(main(sys.argv[1:]))"
)
_SIGNALS = {
    getattr(signal, "SIGXCPU", -1): ("timeout", "stopped by the CPU-time limit"),
    getattr(signal, "SIGXFSZ", -1): ("error", "wrote a file (or output) beyond the size limit"),
    signal.SIGKILL: ("memory", "killed by the system (out of memory?)"),
}


@dataclass
class FileResult:
    """What running one submission gave.

    Attributes
    ----------
    path : str
        The file, as given on the command line.
    status : str
        ``passed``, ``failed``, ``no-checks``, ``error``, ``timeout``, ``memory`` or ``crash``.
    seconds : float
        Wall time of its process.
    message : str
        Why it did not finish (empty if it did).
    calls : list of dict
        Every ``check.*`` report it produced, in order (see ``Report.to_dict``).
    skipped : list of str
        Notebook magics and shell lines that were not run.
    output_tail : str
        The end of its stderr, for a run that did not finish.

    Examples
    --------
    A file that called ``check.tanh`` twice, failing then passing: the
    last call counts, but ``check.purchase`` failed, so the file did:

    >>> r = FileResult("hw.py", "failed", 1.5, calls=[
    ...     {"check": "tanh", "passed": False},
    ...     {"check": "tanh", "passed": True},
    ...     {"check": "purchase", "passed": False}])
    >>> r.checks["tanh"]["passed"], r.passed
    (True, False)
    """

    path: str
    status: str
    seconds: float
    message: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    output_tail: str = ""

    @property
    def checks(self) -> dict[str, dict[str, Any]]:
        """The last call of every check, by check name.

        Examples
        --------
        >>> r = FileResult("hw.py", "passed", 0.5, calls=[
        ...     {"check": "tanh", "passed": False, "n": 1},
        ...     {"check": "iterations", "passed": True, "n": 2},
        ...     {"check": "tanh", "passed": True, "n": 3}])
        >>> {name: call["n"] for name, call in r.checks.items()}
        {'tanh': 3, 'iterations': 2}
        """
        return {call["check"]: call for call in self.calls}

    @property
    def passed(self) -> bool:
        """Whether the status is ``passed``.

        Examples
        --------
        >>> FileResult("a.py", "passed", 0.5).passed
        True
        >>> FileResult("b.py", "no-checks", 0.5).passed
        False
        """
        return self.status == "passed"


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/8"`` → ``(2, 8)``.

    Raises
    ------
    ValueError
        Not ``i/n`` with integers ``1 <= i <= n``.

    Examples
    --------
    >>> parse_shard("2/8")
    (2, 8)
    """
    parts = text.split("/")
    try:
        index, count = (int(p) for p in parts) if len(parts) == 2 else (0, 0)
    except ValueError:
        index, count = 0, 0
    if not 1 <= index <= count:
        raise ValueError(f"must be i/n with 1 <= i <= n, e.g. 1/4, got {text!r}")
    return index, count


def in_shard(path: str, index: int, count: int) -> bool:
    """Whether ``path`` belongs to shard ``index`` of ``count`` (by the SHA-256 of the path).

    Examples
    --------
    >>> sum(in_shard("a/b.py", i, 3) for i in (1, 2, 3))
    1
    """
    key = Path(os.path.normpath(path)).as_posix().encode("utf-8")
    return int(hashlib.sha256(key).hexdigest()[:16], 16) % count == index - 1


def _path_list(paths: Any, name: str = "paths") -> list[str]:
    """``paths`` (an iterable of str or os.PathLike, not one path) as a list of str."""
    if isinstance(paths, str | bytes | os.PathLike) or not isinstance(paths, Iterable):
        raise TypeError(
            f"{name} must be a list of file paths, got {describe(paths)} "
            f"({type(paths).__name__}); for one file pass [{describe(paths)}]"
        )
    return [str(as_path(path, f"{name}[{i}]")) for i, path in enumerate(paths)]


def collect(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The submissions among ``paths``: files as given, folders searched for ``.py``/``.ipynb``.

    Hidden folders, ``__pycache__`` and ``.ipynb_checkpoints`` are skipped; each file
    appears once; folder contents are sorted.

    Parameters
    ----------
    paths : iterable of str or os.PathLike
        Files and folders (a list, even for one path).

    Returns
    -------
    list of str
        The ``.py`` and ``.ipynb`` files, each once.

    Raises
    ------
    TypeError
        ``paths`` is one path (a ``str``) rather than a list, or holds something else.
    ValueError
        A path that does not exist, or a file that is not ``.py``/``.ipynb``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b.py", "a.ipynb", "notes.txt", ".hidden/c.py"):
    ...         Path(tmp, name).parent.mkdir(exist_ok=True)
    ...         _ = Path(tmp, name).write_text("x = 1\\n")
    ...     [Path(f).name for f in collect([tmp, Path(tmp) / "b.py"])]
    ['a.ipynb', 'b.py']
    """
    found: list[str] = []
    for text in _path_list(paths):
        path = Path(text)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
                found += [os.path.join(root, f) for f in sorted(files) if f.endswith(SUFFIXES)]
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise ValueError(f"{text!r} is not a .py or .ipynb file")
            found.append(text)
        else:
            raise ValueError(f"{text!r} does not exist")
    return list(dict.fromkeys(found))


def _records(path: Path) -> list[dict[str, Any]]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _tail(path: Path, limit: int = 800) -> str:
    try:
        with open(path, "rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - limit))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])  # the folder holding dlhomework/


def run_file(
    path: str | os.PathLike[str],
    root: str | os.PathLike[str],
    *,
    timeout: float,
    memory_mb: float,
) -> FileResult:
    """Run one submission in a fresh process under ``root`` (a folder of its own).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.py`` or ``.ipynb`` file; a copy runs in ``root / "work"``.
    root : str or os.PathLike
        A folder of this run's own, made if missing (the work folder, records and
        output go there); matplotlib's cache goes to a ``matplotlib`` folder beside it.
    timeout : float
        Wall-clock seconds before the process group is killed (finite, > 0).
    memory_mb : float
        Address-space limit of the process, in MB (finite, > 0).

    Returns
    -------
    FileResult
        Its status is not judged yet: ``""`` for a run that finished, whatever its
        checks found (:func:`run` judges it ``passed``, ``failed`` or ``no-checks``).

    Raises
    ------
    TypeError, ValueError
        A path that is not a non-empty str or os.PathLike; a limit that is not a
        finite number > 0.
    FileExistsError
        ``root / "work"`` exists already.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     script = Path(tmp, "hw.py")
    ...     _ = script.write_text("print('hello')\\n")
    ...     result = run_file(script, Path(tmp, "run"), timeout=30,
    ...                       memory_mb=2048)
    ...     stdout = Path(tmp, "run", "stdout.txt").read_text()
    >>> result.status, result.calls, stdout
    ('', [], 'hello\\n')
    """
    path = str(as_path(path, "path"))
    root = as_path(root, "root")
    timeout, memory_mb = _limits(timeout, memory_mb)
    return _run_file(path, root, timeout, memory_mb)


def _limits(timeout: Any, memory_mb: Any) -> tuple[float, float]:
    return check_positive_float(timeout, "timeout"), check_positive_float(memory_mb, "memory_mb")


def _run_file(path: str, root: Path, timeout: float, memory_mb: float) -> FileResult:
    work = root / "work"
    work.mkdir(parents=True)
    copy = work / Path(path).name
    try:
        shutil.copyfile(path, copy)
    except OSError as error:
        return FileResult(path, "error", 0.0, f"cannot read the file: {error.strerror or error}")
    record_file, out_file, err_file = (
        root / "record.jsonl",
        root / "stdout.txt",
        root / "stderr.txt",
    )
    existing = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "PYTHONPATH": _package_root() + (os.pathsep + existing if existing else ""),
        RECORD_ENV: str(record_file),
        LIMITS_ENV: json.dumps({"memory_mb": memory_mb, "cpu_seconds": timeout + 5, "file_mb": 64}),
        "HOME": str(work),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(root.parent / "matplotlib"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    start = time.perf_counter()
    killed = False
    with open(out_file, "wb") as out, open(err_file, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-B", "-c", _BOOT, str(copy)],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group: killed as a whole
        )
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            killed = True
            os.killpg(process.pid, signal.SIGKILL)
            returncode = process.wait()
    seconds = time.perf_counter() - start
    records = _records(record_file)
    result = FileResult(path, "", seconds, calls=[r for r in records if r.get("kind") == "check"])
    final = next((r for r in reversed(records) if r.get("kind") in ("done", "error")), None)
    if final is not None:
        result.skipped = [str(s) for s in final.get("skipped", [])]
    result.status, result.message = _status(killed, returncode, final, timeout, memory_mb)
    if result.status in ("error", "crash", "memory", "timeout"):
        result.output_tail = _tail(err_file)
    return result


def _status(
    killed: bool, returncode: int, final: dict[str, Any] | None, timeout: float, memory_mb: float
) -> tuple[str, str]:
    if killed:
        return "timeout", f"stopped after {timeout:g} s (time limit)"
    if returncode < 0 and -returncode in _SIGNALS:
        return _SIGNALS[-returncode]
    if returncode < 0:
        name = (
            signal.Signals(-returncode).name
            if -returncode in signal.valid_signals()
            else -returncode
        )
        return "crash", f"crashed with {name}"
    if final is not None and final.get("kind") == "error":
        where = f" ({final['where']})" if final.get("where") else ""
        if final.get("error") == "MemoryError":
            return "memory", f"MemoryError{where}: over the {memory_mb:g} MB memory limit"
        return "error", f"{final.get('error')}: {final.get('message')}{where}"
    if final is None or returncode != 0:
        return "crash", f"exited with status {returncode} before finishing"
    return "", ""


def _judge(result: FileResult) -> FileResult:
    if not result.status:
        checks = result.checks
        if not checks:
            result.status = "no-checks"
        else:
            result.status = "passed" if all(c.get("passed") for c in checks.values()) else "failed"
    return result


def run(
    paths: Sequence[str | os.PathLike[str]],
    *,
    timeout: float = 60.0,
    memory_mb: float = 2048.0,
    jobs: int = 1,
    progress: Callable[[int, FileResult], None] | None = None,
) -> list[FileResult]:
    """Run every submission in ``paths``, ``jobs`` at a time; results in the order of ``paths``.

    Parameters
    ----------
    paths : sequence of str or os.PathLike
        ``.py``/``.ipynb`` files (a list, even for one file; :func:`collect` finds them
        in folders).
    timeout, memory_mb : float
        Limits of each process (seconds of wall time, MB of address space); finite, > 0.
    jobs : int
        Processes at the same time, >= 1.
    progress : callable, optional
        Called as ``progress(index, result)`` as each file finishes.

    Returns
    -------
    list of FileResult
        Judged: ``passed``, ``failed``, ``no-checks``, ``error``, ``timeout``,
        ``memory`` or ``crash``.

    Raises
    ------
    TypeError
        ``paths`` is one path (a ``str``) rather than a sequence, or holds something
        other than a str or os.PathLike; ``jobs`` is not an int; ``progress`` is not
        callable.
    ValueError
        An empty path; ``timeout`` or ``memory_mb`` not a finite number > 0; ``jobs`` < 1.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     script = Path(tmp, "hw.py")
    ...     _ = script.write_text("x = 1  # calls no check\\n")
    ...     results = run([script], timeout=30)
    >>> [(Path(r.path).name, r.status) for r in results]
    [('hw.py', 'no-checks')]
    """
    files = _path_list(paths)
    timeout, memory_mb = _limits(timeout, memory_mb)
    jobs = check_int(jobs, "jobs", minimum=1)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None, got {describe(progress)}")
    with tempfile.TemporaryDirectory(prefix="dlhomework-check-") as tmp:
        base = Path(tmp)
        (base / "matplotlib").mkdir()

        def one(k: int) -> FileResult:
            result = _judge(_run_file(files[k], base / str(k), timeout, memory_mb))
            if progress is not None:
                progress(k, result)
            return result

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(one, range(len(files))))
