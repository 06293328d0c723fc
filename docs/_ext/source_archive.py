"""The project's complete source as one zip file the book offers for download.

A reader without git (the book gives no repository address) gets everything from the
book itself: ``dlhomework-<version>.zip`` (docs/index.md and docs/hw1-5.md link it), one
folder ``dlhomework-<version>/`` holding every file of the project, enough to install the
package (``pip install ".[paddle,notebook]"``), run its tests and ``tox``, and build the
book again:

- in a git checkout, the files git tracks (``git ls-files``), as they are in the working
  tree (a tracked file deleted there is left out);
- anywhere else (the book built from an unpacked archive, which has no ``.git``), every
  file under the root except what a checkout would not track: the folders in
  :data:`SKIPPED_DIRS` (build output, tox and npm folders, caches), any virtual
  environment (a folder holding ``pyvenv.cfg``), compiled Python files, and what the
  root's ``.gitignore`` ignores (its plain patterns: ``name``, ``*.ext``, ``dir/``,
  ``a/b``; negations are not followed).  So an unpacked archive gives the same archive
  again.

The same files give the same bytes: entries in sorted order, one fixed timestamp, the
permissions ``rw-r--r--`` (``rwxr-xr-x`` for an executable file, as git records it),
the times and other modes of the checkout ignored (with the same Python and zlib).  The
file is written atomically (a temporary file in the same folder, renamed into place) and
left untouched when its bytes would not change, so Sphinx does not see a new download on
every build.

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
import fnmatch
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the repository root (docs/_ext/source_archive.py)
PACKAGE = "dlhomework"
FOLDER = Path("build") / "source"  # relative to the root; git-ignored
# Without git: folders never taken, whatever .gitignore says (build output, tox, npm,
# virtual environments, caches of Python, Jupyter and the tools; git's own folder).
SKIPPED_DIRS = {
    ".git",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "build",
    "dist",
    "node_modules",
    "__pycache__",
    ".ipynb_checkpoints",
    ".jupyter_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".benchmarks",
}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}
# 1980-01-01 00:00, the earliest time a zip entry can hold; made on Unix, -rw-r--r--
# (-rwxr-xr-x for an executable file).
TIMESTAMP = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
EXECUTABLE_MODE = 0o100755
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


def tracked_files(root: Path = ROOT) -> dict[str, bool] | None:
    """Files git tracks in ``root`` (relative POSIX path -> executable), those missing
    from the working tree left out; None if ``root`` is not a git checkout's top folder
    (no ``.git`` there) or git is not installed."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return None
    listed = subprocess.run(
        [git, "ls-files", "--cached", "--stage", "-z"], cwd=root, capture_output=True, check=False
    )
    if listed.returncode != 0:
        return None
    files = {}
    for entry in listed.stdout.decode("utf-8").split("\0"):
        if entry:
            mode, _, name = entry.partition("\t")  # "<mode> <object> <stage>\t<path>"
            if (root / name).is_file():
                files[name] = mode.startswith("100755")
    return files


def _ignored_by(root: Path) -> list[tuple[str, bool, bool]]:
    """The plain patterns of ``root``'s .gitignore: (pattern, folders only, anchored)."""
    gitignore = root / ".gitignore"
    if not gitignore.is_file():
        return []
    patterns = []
    for line in gitignore.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        folders_only = line.endswith("/")
        line = line.strip("/")
        patterns.append((line, folders_only, "/" in line))
    return patterns


def _is_ignored(parts: tuple[str, ...], patterns: list[tuple[str, bool, bool]]) -> bool:
    """Whether a file (its path's parts under the root) is ignored by ``patterns``."""
    for pattern, folders_only, anchored in patterns:
        for depth in range(1, len(parts) + 1):
            if folders_only and depth == len(parts):
                break  # the file itself is no folder
            if anchored:
                hit = fnmatch.fnmatchcase("/".join(parts[:depth]), pattern)
            else:
                hit = fnmatch.fnmatchcase(parts[depth - 1], pattern)
            if hit:
                return True
    return False


def walked_files(root: Path = ROOT) -> dict[str, bool]:
    """Files under ``root`` a checkout would track (relative POSIX path -> executable):
    all but :data:`SKIPPED_DIRS`, virtual environments, compiled Python files and what
    the root's .gitignore ignores."""
    patterns = _ignored_by(root)
    files = {}
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = [
            name
            for name in dirs
            if name not in SKIPPED_DIRS and not (here / name / "pyvenv.cfg").is_file()
        ]
        for name in names:
            if name == ".git":  # a worktree's or submodule's pointer to its repository
                continue
            path = here / name
            parts = path.relative_to(root).parts
            if (
                path.suffix not in SKIPPED_SUFFIXES
                and path.is_file()
                and not _is_ignored(parts, patterns)
            ):
                files["/".join(parts)] = bool(path.stat().st_mode & 0o100)
    return files


def archive_files(root: Path = ROOT) -> list[tuple[str, Path, bool]]:
    """(name inside the archive, file, executable) for every file it holds, sorted by
    name: :func:`tracked_files` in a git checkout, else :func:`walked_files`."""
    top = f"{PACKAGE}-{version(root)}"
    files = tracked_files(root)
    if files is None:
        files = walked_files(root)
    return sorted((f"{top}/{name}", root / name, executable) for name, executable in files.items())


def archive_bytes(root: Path = ROOT) -> bytes:
    """The zip archive of :func:`archive_files`, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path, executable in archive_files(root):
            info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
            info.create_system = CREATED_ON_UNIX  # not the platform's default
            info.external_attr = (EXECUTABLE_MODE if executable else FILE_MODE) << 16
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
        os.chmod(temporary, 0o644)  # mkstemp's file is private (0o600): a download is not
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


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
