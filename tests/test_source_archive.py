"""docs/_ext/source_archive.py: the project's source as the zip the book offers."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

import dlhomework

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "source_archive", ROOT / "docs" / "_ext" / "source_archive.py"
)
assert _spec is not None and _spec.loader is not None
source_archive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(source_archive)

TOP = f"dlhomework-{dlhomework.__version__}"
# What a checkout makes or gathers and never tracks: none of it may be in the archive.
NOT_SOURCE = ("build/", ".tox/", "node_modules/", ".venv/", ".git/", ".mypy_cache/")


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _modes(data: bytes) -> dict[str, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: info.external_attr >> 16 for info in archive.infolist()}


@pytest.fixture(scope="module")
def archive() -> bytes:
    return source_archive.archive_bytes(ROOT)


def _git(*args: str) -> list[str]:
    """``git ls-files -z ARGS`` in ROOT; skips the test outside a git checkout."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (e.g. the unpacked source archive): no .git")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    listed = subprocess.run(
        ["git", "ls-files", "-z", *args], cwd=ROOT, capture_output=True, check=True
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def _unpack(data: bytes, folder: Path) -> Path:
    """Unpack as ``unzip`` does: the files with their permissions."""
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        opened.extractall(folder)
        for info in opened.infolist():
            (folder / info.filename).chmod((info.external_attr >> 16) & 0o777)
    return folder / TOP


def test_the_name_and_the_folder_carry_the_package_version(archive: bytes) -> None:
    assert source_archive.version(ROOT) == dlhomework.__version__
    assert source_archive.archive_name(ROOT) == f"{TOP}.zip"
    assert {name.split("/", 1)[0] for name in _entries(archive)} == {TOP}


def test_it_holds_every_tracked_file_and_nothing_else(archive: bytes) -> None:
    tracked = {name for name in _git("--cached") if (ROOT / name).is_file()}
    assert {"tox.ini", "conf.py", "package-lock.json", ".gitignore", ".ci/run"} <= tracked
    assert {"tests/test_source_archive.py", "docs/index.md", "tools/npm_ci.py"} <= tracked
    entries = _entries(archive)
    assert {name.removeprefix(f"{TOP}/") for name in entries} == tracked
    for name, data in entries.items():  # each entry is the file's content, byte for byte
        assert data == (ROOT / name.removeprefix(f"{TOP}/")).read_bytes(), name
    executable = {line.split("\t", 1)[1] for line in _git("--stage") if line.startswith("100755")}
    modes = {name.removeprefix(f"{TOP}/"): mode for name, mode in _modes(archive).items()}
    assert executable == {name for name, mode in modes.items() if mode == 0o100755}
    assert set(modes.values()) <= {0o100644, 0o100755}


def test_without_git_it_takes_what_git_would(archive: bytes) -> None:
    """The rule for a tree without .git (the book built from the unpacked archive) picks,
    in this checkout, exactly the tracked files and those git would offer to add."""
    wanted = {name for name in _git("--cached") if (ROOT / name).is_file()}
    wanted |= set(_git("--others", "--exclude-standard"))
    assert set(source_archive.walked_files(ROOT)) == wanted


def test_nothing_of_builds_tools_or_caches(archive: bytes) -> None:
    names = [name.removeprefix(f"{TOP}/") for name in _entries(archive)]
    assert not [n for n in names if n.startswith(NOT_SOURCE)]
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]


def test_it_holds_what_pip_install_reads(archive: bytes) -> None:
    names = {name.removeprefix(f"{TOP}/") for name in _entries(archive)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert {"pyproject.toml", project["project"]["readme"]} <= names
    # the build backend (flit_core) puts every file of src/dlhomework into the wheel
    assert project["tool"]["flit"]["module"]["name"] == "dlhomework"
    data = {"py.typed", "data/housing.data", "data/PROVENANCE.md", "__init__.py"}
    assert {f"src/dlhomework/{name}" for name in data} <= names
    assert {"tox.ini", "conf.py", "docs/index.md", "tests/conftest.py"} <= names  # tox


def test_the_same_source_gives_the_same_bytes(tmp_path: Path, archive: bytes) -> None:
    assert source_archive.archive_bytes(ROOT) == archive  # built twice
    # a copy of the tree (no .git) with other file times and modes and with what builds,
    # tools and a reader add to a checkout: the same bytes again
    copy = tmp_path / "checkout"
    for _, path, executable in source_archive.archive_files(ROOT):
        target = copy / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        os.utime(target, (1_000_000_000, 1_000_000_000))
        target.chmod(0o700 if executable else 0o600)
    added = [
        "build/source/" + source_archive.archive_name(ROOT),
        "build/html/index.html",
        ".tox/test/pyvenv.cfg",
        "node_modules/mathjax/package.json",
        ".venv/pyvenv.cfg",
        ".venv/lib/site.py",
        "reader-env/pyvenv.cfg",  # a virtual environment under any name
        "reader-env/bin/python",
        "src/dlhomework/__pycache__/models.cpython-311.pyc",
        "tests/__pycache__/conftest.cpython-311-pytest-8.pyc",
        "docs/.ipynb_checkpoints/hw1-1-checkpoint.md",
        ".mypy_cache/3.11/cache.db",
        ".ruff_cache/CACHEDIR.TAG",
        ".pytest_cache/README.md",
        ".hypothesis/examples/x",
        ".coverage",  # the rest: what .gitignore ignores
        "coverage.xml",
        "src/dlhomework.egg-info/PKG-INFO",
        "linear.pdparams",
        ".git",  # a worktree's pointer to its repository
    ]
    for name in added:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes(b"not source")
    assert source_archive.archive_bytes(copy) == archive
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        infos = opened.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_an_unpacked_archive_gives_the_same_archive(tmp_path: Path, archive: bytes) -> None:
    """A reader who builds the book from the unpacked archive offers the same file."""
    project = _unpack(archive, tmp_path)
    assert not (project / ".git").exists()
    assert source_archive.archive_bytes(project) == archive


def test_a_file_git_tracks_is_taken_even_where_a_walk_would_skip_it(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "src" / "dlhomework").mkdir(parents=True)
    (repo / "src" / "dlhomework" / "__init__.py").write_text('__version__ = "9.9"\n')
    (repo / "build").mkdir()
    (repo / "build" / "kept.txt").write_text("tracked on purpose\n")
    (repo / "untracked.txt").write_text("not added\n")
    (repo / "deleted.txt").write_text("tracked, then deleted\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "src", "build/kept.txt", "deleted.txt"], check=True)
    (repo / "deleted.txt").unlink()
    names = [name for name, _, _ in source_archive.archive_files(repo)]
    assert names == ["dlhomework-9.9/build/kept.txt", "dlhomework-9.9/src/dlhomework/__init__.py"]


def test_it_is_written_atomically_and_only_when_it_changes(tmp_path: Path, archive: bytes) -> None:
    folder = tmp_path / "out"
    path = source_archive.write_archive(folder, ROOT)
    assert path == folder / f"{TOP}.zip" and path.read_bytes() == archive
    assert path.stat().st_mode & 0o777 == 0o644  # readable by a web server, not private
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert source_archive.write_archive(folder, ROOT) == path
    assert path.stat().st_mtime == 1_000_000_000  # the same bytes: not written again
    path.write_bytes(b"an older archive")
    source_archive.write_archive(folder, ROOT)
    assert path.read_bytes() == archive
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def test_a_failed_write_leaves_the_old_archive_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    old = folder / f"{TOP}.zip"
    old.write_bytes(b"the previous archive")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(source_archive.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        source_archive.write_archive(folder, ROOT)
    assert old.read_bytes() == b"the previous archive"
    assert [p.name for p in folder.iterdir()] == [old.name]


def test_the_book_links_it_from_the_front_page_and_homework_1_5() -> None:
    role = source_archive.download_role(ROOT)
    assert role == f"{{download}}`{TOP}.zip </build/source/{TOP}.zip>`"
    for page in ("index.md", "hw1-5.md"):
        assert "{{ source_archive }}" in (ROOT / "docs" / page).read_text("utf-8"), page
