"""The environment check of homework 1-5: versions, Paddle, and the data file."""

from __future__ import annotations

import contextlib
import hashlib
import io
import platform
import sys
import warnings
from importlib import metadata

from .data import housing_path, load_housing

__all__ = ["environment_report", "paddle_run_check"]

HOUSING_SHA256 = "b94b24222e17c9570ec07962c418136bad9b1910db42a5b79d268e417abab846"
"""sha256 of the shipped ``housing.data`` (see its PROVENANCE.md)."""


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
        ``paddlepaddle`` (``"not installed"`` when absent), ``data_path``,
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
        "data_path": str(path),
        "data_shape": str(load_housing(path).shape),
        "data_sha256_ok": "yes" if digest == HOUSING_SHA256 else "no",
    }


def paddle_run_check() -> str:
    """Run ``paddle.utils.run_check()`` and return what it printed.

    Returns
    -------
    str
        Paddle's own report; on a working CPU install it ends with
        ``PaddlePaddle is installed successfully!``.

    Raises
    ------
    ImportError
        Paddle is not installed; the message says how to install it.

    Notes
    -----
    Used in homework 1-5.

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
    with (
        contextlib.redirect_stdout(buf),
        contextlib.redirect_stderr(buf),
        warnings.catch_warnings(),
    ):
        # run_check builds a static graph, and Paddle's own code then warns about
        # an interface it calls itself; that notice says nothing about the install.
        warnings.filterwarnings("ignore", message="Tensor do not have 'place' interface")
        paddle.utils.run_check()
    return buf.getvalue()
