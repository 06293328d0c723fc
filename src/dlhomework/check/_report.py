"""What a check returns: a :class:`Report` made of :class:`Finding` objects.

A finding names one mistake by a stable ``code``, says which parameter or input it
concerns and, in Chinese, what is wrong and how to fix it.  Warnings inform; only
errors make a report fail.  When the environment variable ``DLHOMEWORK_CHECK_RECORD``
names a file (``dlhomework check`` sets it for every submission it runs), each
report is also appended to that file as one line of JSON.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["RECORD_ENV", "Finding", "Report"]

RECORD_ENV = "DLHOMEWORK_CHECK_RECORD"
"""The environment variable naming the file that every report is appended to (JSON lines)."""

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One diagnosed mistake (or a warning) in a student's answer.

    Attributes
    ----------
    code : str
        Stable identifier, e.g. ``"skip_layer_W1"`` or ``"tanh_overflow"``; the
        codes of :mod:`dlhomework.mistakes` are used for the mistakes it catalogues.
    concerns : tuple of str
        The parameters or inputs concerned, e.g. ``("W1",)``, ``("test",)`` or
        ``("x=800",)``.
    message : str
        What is wrong and how to fix it, in Chinese.
    severity : {"error", "warning"}, default "error"
        A warning does not make the report fail.

    Examples
    --------
    >>> f = Finding("half_mse", ("w", "b"), "梯度是 ½·MSE 的", "error")
    >>> str(f)
    '✗ [half_mse] w, b：梯度是 ½·MSE 的'
    """

    code: str
    concerns: tuple[str, ...]
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        mark = "✗" if self.severity == "error" else "!"
        where = f" {', '.join(self.concerns)}" if self.concerns else ""
        return f"{mark} [{self.code}]{where}：{self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict (``code``, ``concerns``, ``message``, ``severity``)."""
        return {
            "code": self.code,
            "concerns": list(self.concerns),
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class Report:
    """The result of one check: passed or not, and why.

    Attributes
    ----------
    check : str
        Which check made it, e.g. ``"two_layer"``.
    findings : tuple of Finding
        Errors and warnings, in the order they were found.
    details : tuple of str
        Evidence worth showing (e.g. the relative error of every gradient block).
    seconds : float
        Wall time of the check, the student's code included.

    Examples
    --------
    >>> f = Finding("float_not_int", ("fn(1000, 4)",), "返回了 250.0")
    >>> r = Report("iterations", (f,))
    >>> r.passed, r.codes
    (False, ('float_not_int',))
    >>> print(r)
    check.iterations：未通过
      ✗ [float_not_int] fn(1000, 4)：返回了 250.0
    >>> print(Report("tanh", ()))
    check.tanh：通过 ✓
    """

    check: str
    findings: tuple[Finding, ...]
    details: tuple[str, ...] = ()
    seconds: float = field(default=0.0, compare=False)

    @property
    def passed(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of all findings, errors and warnings, in order."""
        return tuple(f.code for f in self.findings)

    def concerning(self, code: str) -> tuple[str, ...]:
        """Everything the findings with ``code`` concern (empty if there is none).

        Examples
        --------
        >>> w1, b1 = Finding("a", ("W1",), "m"), Finding("a", ("b1",), "m")
        >>> r = Report("x", (w1, b1))
        >>> r.concerning("a"), r.concerning("b")
        (('W1', 'b1'), ())
        """
        return tuple(c for f in self.findings if f.code == code for c in f.concerns)

    def _title(self) -> str:
        return f"check.{self.check}：{'通过 ✓' if self.passed else '未通过'}"

    def __str__(self) -> str:
        lines = [self._title()]
        lines += [f"  {f}" for f in self.findings]
        lines += [f"  {d}" for d in self.details]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text display: the same text as ``str``."""
        printer.text(str(self))

    def _repr_html_(self) -> str:
        """Jupyter's rich display; every text is escaped (messages quote the student's code)."""
        color = "#1a7f37" if self.passed else "#cf222e"
        rows = []
        for f in self.findings:
            mark, tint = ("✗", "#cf222e") if f.severity == "error" else ("!", "#9a6700")
            where = html.escape(", ".join(f.concerns))
            rows.append(
                f'<li><span style="color:{tint};font-weight:bold">{mark}</span> '
                f"<code>{html.escape(f.code)}</code> <b>{where}</b>：{html.escape(f.message)}</li>"
            )
        rows += [
            f'<li style="list-style:none;color:#57606a">{html.escape(d)}</li>' for d in self.details
        ]
        items = f'<ul style="margin:0.3em 0">{"".join(rows)}</ul>' if rows else ""
        return (
            f'<div class="dlhomework-check" '
            f'style="border-left:4px solid {color};padding-left:0.6em">'
            f'<b style="color:{color}">{html.escape(self._title())}</b>{items}</div>'
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict (what ``dlhomework check`` records)."""
        return {
            "check": self.check,
            "passed": self.passed,
            "codes": list(self.codes),
            "findings": [f.to_dict() for f in self.findings],
            "details": list(self.details),
            "seconds": round(self.seconds, 6),
        }


def record(report: Report) -> None:
    """Append ``report`` as one JSON line to the file named by :data:`RECORD_ENV`, if set.

    A file that cannot be written is ignored: recording must never break a check.
    """
    path = os.environ.get(RECORD_ENV)
    if not path:
        return
    line = json.dumps({"kind": "check", **report.to_dict()}, ensure_ascii=False)
    try:
        with open(path, "a", encoding="utf-8") as file:
            file.write(line + "\n")
    except OSError:
        pass
