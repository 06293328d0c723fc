"""The outputs of ``dlhomework check``: a table for the terminal, JSON and CSV reports."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._files import atomic_write

if TYPE_CHECKING:
    from .runner import FileResult

__all__ = ["CHECKS", "cell", "format_table", "to_csv", "to_json", "write_report"]

CHECKS: tuple[str, ...] = (
    "linear_model",
    "normalization",
    "iterations",
    "two_layer",
    "purchase",
    "tanh",
    "count_positive",
)
"""The checks, in homework order: the columns of the table and of the CSV."""


def cell(call: Mapping[str, Any] | None) -> str:
    """``pass``, the codes of the errors found, or ``-`` for a check never called.

    Examples
    --------
    >>> call = {"passed": False,
    ...         "findings": [{"code": "half_mse", "severity": "error"}]}
    >>> cell(call)
    'half_mse'
    >>> cell(None), cell({"passed": True, "findings": []})
    ('-', 'pass')
    """
    if call is None:
        return "-"
    if call.get("passed"):
        return "pass"
    codes = [f.get("code", "?") for f in call.get("findings", []) if f.get("severity") == "error"]
    return ",".join(dict.fromkeys(codes)) or "fail"


def format_table(results: Sequence[FileResult], wall_seconds: float) -> str:
    """The results as an aligned text table (file × check, then status), and a summary line."""
    used = [c for c in CHECKS if any(c in r.checks for r in results)]
    header = ["file", *used, "status"]
    rows = [header]
    for r in results:
        status = r.status if not r.message else f"{r.status}: {r.message}"
        rows.append([r.path, *(cell(r.checks.get(c)) for c in used), status])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(text.ljust(width) for text, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in rows
    ]
    counts = Counter(r.status for r in results)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no files"
    rate = len(results) / wall_seconds if wall_seconds > 0 else 0.0
    lines.append(f"{len(results)} files: {summary}  ({wall_seconds:.1f} s, {rate:.2f} files/s)")
    return "\n".join(lines) + "\n"


def _file(r: FileResult) -> dict[str, Any]:
    return {
        "path": r.path,
        "status": r.status,
        "seconds": round(r.seconds, 3),
        "message": r.message,
        "checks": {
            name: {"passed": bool(call.get("passed")), "codes": list(call.get("codes", []))}
            for name, call in r.checks.items()
        },
        "calls": r.calls,
        "skipped": r.skipped,
        "output_tail": r.output_tail,
    }


def to_json(results: Sequence[FileResult], settings: Mapping[str, Any]) -> str:
    """The JSON report: version, settings, a summary and every file with all its calls."""
    data = {
        "dlhomework": __version__,
        "settings": dict(settings),
        "summary": {"files": len(results), **Counter(r.status for r in results)},
        "files": [_file(r) for r in results],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_csv(results: Sequence[FileResult]) -> str:
    """One row per file: path, status, seconds, one column per check (as in the table), message."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["path", "status", "seconds", *CHECKS, "message"])
    for r in results:
        checks = r.checks
        cells = [cell(checks[c]) if c in checks else "" for c in CHECKS]
        writer.writerow([r.path, r.status, f"{r.seconds:.3f}", *cells, r.message])
    return buffer.getvalue()


def write_report(path: Path, results: Sequence[FileResult], settings: Mapping[str, Any]) -> None:
    """Write JSON or CSV (by ``path``'s suffix) atomically: a temporary file, then a rename."""
    text = to_csv(results) if path.suffix.lower() == ".csv" else to_json(results, settings)
    with atomic_write(path) as file:
        file.write(text.encode("utf-8"))
