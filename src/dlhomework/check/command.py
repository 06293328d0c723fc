"""The ``dlhomework check`` command line: its options, its reports and its exit status.

The work — each submission in its own limited process, every ``check.*`` call
recorded — is done by :mod:`dlhomework.check.runner`, whose docstring describes the
limits and the shards.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from .._files import check_writable
from ._outputs import format_table, write_report
from .runner import FileResult, collect, in_shard, parse_shard, run

__all__ = ["add_parser", "command"]

# -- the command line --------------------------------------------------------------------


def _positive(kind: Callable[[str], float]) -> Callable[[str], Any]:
    noun = "integer" if kind is int else "number"

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"must be a positive {noun}, got {text!r}")
        return value

    return parse


def _shard(text: str) -> tuple[int, int]:
    try:
        return parse_shard(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


_DESCRIPTION = """\
Run each student's .py or .ipynb file in its own Python process and temporary
folder, with a time limit, a memory limit and no network at the Python level (see
"limits" below), and collect every dlhomework.check call it makes. Prints a table
(file x check: pass, or the codes of the mistakes found); --report writes JSON or CSV."""

_EPILOG = """\
limits: --timeout kills the file's whole process group; --memory is RLIMIT_AS
(a 10 GB allocation fails with MemoryError); an audit hook refuses sockets, name
lookups and starting processes at the Python level (not C code or ctypes). This
stops accidents, not attackers: use a container without network for those.

statuses: passed, failed (a check found a mistake; the last call of each check
counts), no-checks, error, timeout, memory, crash.

examples:
  dlhomework check submissions/ --jobs 2 --report results.json
  dlhomework check submissions/ --shard 3/8 --report part3.csv   # machine 3 of 8

exit status: 0 every file passed, 1 some did not, 2 wrong command line"""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``check`` sub-command to ``commands`` (the result of ``add_subparsers``).

    Returns
    -------
    argparse.ArgumentParser
        The sub-command's parser; its handler is stored as ``func``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="dlhomework")
    >>> sub = add_parser(parser.add_subparsers(dest="command"))
    >>> argv = ["check", "a.py", "--jobs", "2", "--shard", "1/4"]
    >>> args = parser.parse_args(argv)
    >>> args.files, args.jobs, args.shard
    (['a.py'], 2, (1, 4))
    """
    parser: argparse.ArgumentParser = commands.add_parser(
        "check",
        help="run students' .py/.ipynb submissions and collect their dlhomework.check results",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=partial(argparse.RawDescriptionHelpFormatter, max_help_position=30),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=".py/.ipynb files or folders")
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=60.0,
        metavar="S",
        help="wall-clock seconds per file (default: 60)",
    )
    parser.add_argument(
        "--memory",
        type=_positive(float),
        default=2048.0,
        metavar="MB",
        help="memory (address space) per file, in MB (default: 2048)",
    )
    parser.add_argument(
        "--jobs", type=_positive(int), default=1, metavar="N", help="files run at once (default: 1)"
    )
    parser.add_argument(
        "--shard",
        type=_shard,
        metavar="I/N",
        help="only the I-th of N disjoint slices of the files",
    )
    parser.add_argument("--report", metavar="FILE", help="write the results: .json or .csv")
    parser.add_argument("--csv", metavar="FILE", help="also write a .csv table")
    parser.add_argument("--quiet", action="store_true", help="print no table, only errors")
    parser.set_defaults(func=command, command_parser=parser)
    return parser


def _outputs(args: argparse.Namespace) -> list[Path]:
    wanted, options = [], []
    if args.report is not None:
        if Path(args.report).suffix.lower() not in (".json", ".csv"):
            raise ValueError(f"--report must end in .json or .csv, got {args.report!r}")
        wanted.append(Path(args.report))
        options.append("--report")
    if args.csv is not None:
        if Path(args.csv).suffix.lower() != ".csv":
            raise ValueError(f"--csv must end in .csv, got {args.csv!r}")
        wanted.append(Path(args.csv))
        options.append("--csv")
    for option, path in zip(options, wanted, strict=True):
        try:
            check_writable(path, f"argument {option}:")
        except OSError as error:
            raise ValueError(str(error)) from None
    return wanted


def command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The ``dlhomework check`` handler: 0 if every file passed, 1 otherwise (2 via ``error``).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed by the parser of :func:`add_parser` (its ``command_parser`` reports
        usage errors).
    out, err : text streams
        The table and report lines go to ``out``; the progress line to ``err`` when it
        is a terminal.

    Returns
    -------
    int
        0 if every file passed, else 1.  A wrong command line (a path that does not
        exist, a report in a missing folder) exits with status 2 via ``parser.error``.

    Examples
    --------
    >>> import io, json, tempfile
    >>> parser = argparse.ArgumentParser(prog="dlhomework")
    >>> _ = add_parser(parser.add_subparsers(dest="command"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "hw.py").write_text("x = 1\\n")
    ...     report = Path(tmp, "r.json")
    ...     argv = ["check", tmp, "--quiet", "--report", str(report)]
    ...     args = parser.parse_args(argv)
    ...     status = command(args, io.StringIO(), io.StringIO())
    ...     summary = json.loads(report.read_text())["summary"]
    >>> status, summary
    (1, {'files': 1, 'no-checks': 1})
    """
    parser: argparse.ArgumentParser = args.command_parser
    try:
        files = collect(args.files)
        reports = _outputs(args)
    except ValueError as error:
        parser.error(str(error))
    if not files:
        parser.error("no .py or .ipynb files among the paths given")
    if args.shard is not None:
        files = [f for f in files if in_shard(f, *args.shard)]
    show = err.isatty() and not args.quiet
    done = [0]

    def progress(index: int, result: FileResult) -> None:
        done[0] += 1
        if show:
            err.write(f"\r[{done[0]}/{len(files)}] {result.path}: {result.status}\x1b[K")
            err.flush()

    start = time.perf_counter()
    results = run(
        files, timeout=args.timeout, memory_mb=args.memory, jobs=args.jobs, progress=progress
    )
    wall = time.perf_counter() - start
    if show:
        err.write("\n")
    settings = {
        "timeout": args.timeout,
        "memory_mb": args.memory,
        "jobs": args.jobs,
        "shard": None if args.shard is None else "{}/{}".format(*args.shard),
        "wall_seconds": round(wall, 3),
    }
    if not args.quiet:
        out.write(format_table(results, wall))
    for path in reports:
        write_report(path, results, settings)
        if not args.quiet:
            out.write(f"report: {path}\n")
    return 0 if all(r.passed for r in results) else 1
