"""Writing files safely (private): atomic replacement and output paths checked up front.

Every file the package writes goes through :func:`atomic_write`: the bytes go to a
temporary file in the target's folder, which is renamed over the target only once
it is complete.  A failed write (disk full, a file-size limit, Ctrl-C) leaves the
previous file untouched and no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def as_path(path: object, name: str) -> Path:
    """``path`` (a str or os.PathLike) as a Path; TypeError naming ``name`` otherwise."""
    if not isinstance(path, str | os.PathLike):
        kind = type(path).__name__
        raise TypeError(f"{name} must be a str or os.PathLike, got {path!r} ({kind})")
    text = os.fspath(path)
    if not isinstance(text, str) or not text:
        raise ValueError(f"{name} must be a non-empty file name, got {path!r}")
    return Path(text)


def check_writable(path: Path, name: str) -> None:
    """Raise before any long work if ``path`` cannot be written as a file.

    The path must not be a directory, and its folder must exist and be writable: a
    command line never creates folders (a typo in a folder name must not make a
    folder tree; :func:`atomic_write`, for library callers, does create them).

    Raises
    ------
    IsADirectoryError, NotADirectoryError, FileNotFoundError, PermissionError
        With a message naming ``name``, the path and, for a folder, that folder.
    """
    if path.is_dir():
        raise IsADirectoryError(f"{name} {str(path)!r} is a directory, not a file name")
    folder = path.parent.absolute()
    ancestor = folder
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise NotADirectoryError(f"{name} {str(path)!r}: {str(ancestor)!r} is not a directory")
    if ancestor != folder:
        raise FileNotFoundError(
            f"{name} {str(path)!r}: the folder {str(path.parent)!r} does not exist "
            "(create it first)"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{name} {str(path)!r}: the folder {str(folder)!r} is not writable")


def _mode_for_new_files() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path`` for writing; rename it to ``path`` on success.

    A missing folder is created (as :func:`dlhomework.model_files.save` documents; the
    command line refuses one first, with :func:`check_writable`).  On any exception the
    temporary file is removed and ``path`` keeps its previous content (or stays absent).
    """
    if path.is_symlink():  # replace the file the link points to, not the link
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else _mode_for_new_files()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
