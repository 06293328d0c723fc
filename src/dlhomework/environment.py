"""The environment check of homework 1-5: versions, Paddle, and the data file."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import platform
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator
from importlib import metadata
from typing import IO, TextIO

from .data import housing_path, load_housing

__all__ = ["check_environment", "environment_report", "paddle_run_check"]

HOUSING_SHA256 = "b94b24222e17c9570ec07962c418136bad9b1910db42a5b79d268e417abab846"
"""sha256 of the shipped ``housing.data`` (see its PROVENANCE.md)."""


_GLOG_NOTICE = re.compile(r"^[IW]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [^ \]]+:\d+\] ")
"""A glog INFO or WARNING line: ``I1129 10:02:37.971606 12448 pir_interpreter.cc:1529] ...``."""


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment_report() -> dict[str, str]:
    """Describe this environment: Python, key packages and the shipped data file.

    Returns
    -------
    dict of str to str
        Keys ``python``, ``platform``, ``dlhomework``, ``numpy``, ``matplotlib``,
        ``paddlepaddle``, ``ipykernel`` (the Jupyter kernel that runs the chapters
        as notebooks; each package ``"not installed"`` when absent), ``data_path``,
        ``data_shape`` and ``data_sha256_ok`` (``"yes"`` when the file's sha256
        matches the one recorded in its provenance).

    Notes
    -----
    Used in homework 1-5 and by ``dlhomework env``.

    Examples
    --------
    >>> report = environment_report()
    >>> report["data_shape"], report["data_sha256_ok"]
    ('(506, 14)', 'yes')
    """
    path = housing_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dlhomework": _version("dlhomework"),
        "numpy": _version("numpy"),
        "matplotlib": _version("matplotlib"),
        "paddlepaddle": _version("paddlepaddle"),
        "ipykernel": _version("ipykernel"),
        "data_path": str(path),
        "data_shape": str(load_housing(path).shape),
        "data_sha256_ok": "yes" if digest == HOUSING_SHA256 else "no",
    }


def check_environment(out: TextIO, *, run_check: bool = True) -> bool:
    """Print :func:`environment_report` and Paddle's own check; return whether all passed.

    Parameters
    ----------
    out : text stream
        Where the report goes, one ``key: value`` line each, then the
        ``paddle run_check:`` verdict and Paddle's report indented.
    run_check : bool, default True
        Run :func:`paddle_run_check` (a few seconds).  Paddle missing is reported
        as skipped, not as a failure.

    Returns
    -------
    bool
        The data file's sha256 matched and, when run, Paddle's check passed.

    Notes
    -----
    Used in homework 1-5 and by ``dlhomework env``.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> check_environment(out, run_check=False)
    True
    >>> out.getvalue().splitlines()[-1]
    'paddle run_check: skipped (not run)'
    """
    report = environment_report()
    width = max(map(len, report))
    for key, value in report.items():
        print(f"{key + ':':<{width + 1}} {value}", file=out)
    ok = report["data_sha256_ok"] == "yes"
    verdict = "skipped (not run)"
    if run_check:
        try:
            text = paddle_run_check()
        except ImportError as error:
            verdict = f"skipped ({' '.join(str(error).split())})"
        except Exception as error:  # whatever Paddle's own check raises is its verdict
            verdict, ok = f"FAILED ({type(error).__name__}: {' '.join(str(error).split())})", False
        else:
            passed = "installed successfully" in text
            report_lines = "".join(f"\n    {line.rstrip()}" for line in text.strip().splitlines())
            verdict, ok = ("passed" if passed else "FAILED") + report_lines, ok and passed
    print(f"paddle run_check: {verdict}", file=out)
    return ok


@contextlib.contextmanager
def _native_output_to(target: IO[bytes]) -> Iterator[None]:
    """Point file descriptors 1 and 2 at ``target`` (what C++ code writes, e.g. glog)."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            stream.flush()
    saved: list[tuple[int, int]] = []
    try:
        for fd in (1, 2):
            try:
                saved.append((fd, os.dup(fd)))
            except OSError:  # pragma: no cover - the descriptor is closed: nothing to capture
                continue
            os.dup2(target.fileno(), fd)
        yield
    finally:
        for fd, copy in saved:
            os.dup2(copy, fd)
            os.close(copy)


def paddle_run_check() -> str:
    """Run ``paddle.utils.run_check()`` and return what it printed.

    Paddle's C++ core logs through glog straight to file descriptor 2 (lines like
    ``I1129 10:02:37.971606 12448 pir_interpreter.cc:1529] New Executor is
    Running ...``), which ``contextlib.redirect_stderr`` cannot catch.  The
    descriptors 1 and 2 are therefore redirected to a temporary file during the
    check; glog INFO and WARNING lines found there are dropped, anything else
    (an error message, say) is kept and returned after Paddle's own report.

    Returns
    -------
    str
        Paddle's own report; on a working CPU install it ends with
        ``PaddlePaddle is installed successfully!``.  No glog INFO/WARNING lines,
        and nothing is written to the process's stdout or stderr.

    Raises
    ------
    ImportError
        Paddle is not installed; the message says how to install it.

    Notes
    -----
    An exception raised by ``run_check`` itself propagates unchanged, with the
    output captured so far attached as a note (``exc.__notes__``).  Used in
    homework 1-5.

    Examples
    --------
    >>> "installed successfully" in paddle_run_check()
    True
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No ccache found")
            import paddle
    except ImportError as exc:  # pragma: no cover - exercised where paddle is absent
        raise ImportError('paddle is not installed: pip install "dlhomework[paddle]"') from exc
    buf = io.StringIO()
    with tempfile.TemporaryFile() as native:
        try:
            with (
                _native_output_to(native),
                contextlib.redirect_stdout(buf),
                contextlib.redirect_stderr(buf),
                warnings.catch_warnings(),
            ):
                # run_check builds a static graph, and Paddle's own code then warns about
                # an interface it calls itself; that notice says nothing about the install.
                warnings.filterwarnings("ignore", message="Tensor do not have 'place' interface")
                paddle.utils.run_check()
        except Exception as exc:
            exc.add_note("output of paddle.utils.run_check():\n" + _captured(buf, native))
            raise
        return _captured(buf, native)


def _captured(python_output: io.StringIO, native: IO[bytes]) -> str:
    """Python-level output, then the native output without glog INFO/WARNING lines."""
    native.seek(0)
    lines = native.read().decode(errors="replace").splitlines(keepends=True)
    return python_output.getvalue() + "".join(ln for ln in lines if not _GLOG_NOTICE.match(ln))
