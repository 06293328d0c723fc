"""The project's source as one zip file the book offers for download.

A reader without git gets the code from the book itself: ``dlhomework-<version>.zip``
(docs/index.md and docs/hw1-5.md link it), one folder ``dlhomework-<version>/`` holding
what ``pip install ".[paddle,notebook]"`` needs and nothing else:

- pyproject.toml, README.md (the package's readme), CITATION.cff and a LICENSE file
  when the repository has them;
- every file of src/dlhomework (the modules, py.typed, the data and its PROVENANCE.md),
  without ``__pycache__`` folders and compiled files.

The same files give the same bytes: entries in sorted order, one fixed timestamp and
fixed permissions, the file modes and times of the checkout ignored (with the same
Python and zlib).  The file is written atomically (a temporary file in the same folder,
renamed into place) and left untouched when its bytes would not change, so Sphinx does
not see a new download on every build.

As a Sphinx extension (conf.py), it writes the archive into ``build/source/`` when the
builder starts, before any page is read; conf.py's ``myst_substitutions`` turns
``{{ source_archive }}`` into a ``{download}`` link to it, and Sphinx copies it into
the HTML output (``_downloads/``).  ``tox -e notebooks`` (tools/check_notebooks.py)
installs the package from the copy the built book offers.

Standard library only: tools/check_notebooks.py and the tests import it too.
Usage: ``python docs/_ext/source_archive.py [FOLDER]`` writes it into FOLDER
(default build/source) and prints its path.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the repository root (docs/_ext/source_archive.py)
PACKAGE = "dlhomework"
FOLDER = Path("build") / "source"  # relative to the root; git-ignored
TOP_FILES = ("pyproject.toml", "README.md", "CITATION.cff")  # taken when present
LICENSE_PATTERNS = ("LICENSE*", "LICENCE*", "COPYING*")
SKIPPED_DIRS = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}
# 1980-01-01 00:00, the earliest time a zip entry can hold; -rw-r--r--, made on Unix.
TIMESTAMP = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
CREATED_ON_UNIX = 3


def version(root: Path = ROOT) -> str:
    """``__version__`` of the package in ``root``, read from its source (not imported)."""
    init = root / "src" / PACKAGE / "__init__.py"
    for node in ast.parse(init.read_bytes(), filename=str(init)).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise ValueError(f"no __version__ = '...' in {init}")


def archive_name(root: Path = ROOT) -> str:
    """``dlhomework-<version>.zip``."""
    return f"{PACKAGE}-{version(root)}.zip"


def archive_files(root: Path = ROOT) -> list[tuple[str, Path]]:
    """(name inside the archive, file) for every file it holds, sorted by name."""
    top = f"{PACKAGE}-{version(root)}"
    chosen = [root / name for name in TOP_FILES if (root / name).is_file()]
    chosen += [p for pattern in LICENSE_PATTERNS for p in root.glob(pattern) if p.is_file()]
    package = root / "src" / PACKAGE
    chosen += [
        path
        for path in package.rglob("*")
        if path.is_file()
        and path.suffix not in SKIPPED_SUFFIXES
        and not SKIPPED_DIRS & set(path.relative_to(package).parts)
    ]
    return sorted((f"{top}/{path.relative_to(root).as_posix()}", path) for path in set(chosen))


def archive_bytes(root: Path = ROOT) -> bytes:
    """The zip archive of :func:`archive_files`, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in archive_files(root):
            info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
            info.create_system = CREATED_ON_UNIX  # not the platform's default
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def write_archive(folder: Path, root: Path = ROOT) -> Path:
    """Write the archive into ``folder`` (atomically; not at all if unchanged); its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / archive_name(root)
    data = archive_bytes(root)
    if target.is_file() and target.read_bytes() == data:
        return target
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def digest(path: Path) -> str:
    """SHA-256 of a file (the archive's content hash)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def download_role(root: Path = ROOT) -> str:
    """The MyST ``{download}`` role linking the archive (paths from the Sphinx source root)."""
    name = archive_name(root)
    return f"{{download}}`{name} </{(FOLDER / name).as_posix()}>`"


# -- Sphinx ----------------------------------------------------------------------------


def _write(app: Any) -> None:
    write_archive(Path(app.srcdir) / FOLDER, Path(app.srcdir))


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    print(write_archive(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / FOLDER))
