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
# Outside src/dlhomework, only these may be in the archive (pip install needs the first
# two; the others are taken when the repository has them).
ALLOWED_TOP = {"pyproject.toml", "README.md", "CITATION.cff", "LICENSE", "LICENSE.txt"}


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def archive() -> bytes:
    return source_archive.archive_bytes(ROOT)


def _git_files(folder: str) -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", folder], cwd=ROOT, capture_output=True, check=False
    )
    if listed.returncode != 0 or not listed.stdout:
        pytest.skip("not a git checkout")
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_the_name_and_the_folder_carry_the_package_version(archive: bytes) -> None:
    assert source_archive.version(ROOT) == dlhomework.__version__
    assert source_archive.archive_name(ROOT) == f"{TOP}.zip"
    assert {name.split("/", 1)[0] for name in _entries(archive)} == {TOP}


def test_it_holds_every_tracked_file_of_the_package_and_nothing_else(archive: bytes) -> None:
    entries = _entries(archive)
    names = {name.removeprefix(f"{TOP}/") for name in entries}
    tracked = _git_files("src/dlhomework")
    assert "src/dlhomework/data/housing.data" in tracked
    missing = set(tracked) - names
    assert not missing, f"tracked files missing from the archive: {sorted(missing)}"
    outside = {n for n in names if not n.startswith("src/dlhomework/")} - ALLOWED_TOP
    assert not outside, f"files outside the listed set: {sorted(outside)}"
    compiled = [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]
    assert not compiled
    for name, data in entries.items():  # each entry is the file's content, byte for byte
        assert data == (ROOT / name.removeprefix(f"{TOP}/")).read_bytes(), name


def test_it_holds_what_pip_install_reads(archive: bytes) -> None:
    names = {name.removeprefix(f"{TOP}/") for name in _entries(archive)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert {"pyproject.toml", project["project"]["readme"]} <= names
    package_data = project["tool"]["setuptools"]["package-data"]["dlhomework"]
    assert {f"src/dlhomework/{name}" for name in package_data} <= names
    assert "src/dlhomework/__init__.py" in names


def test_the_same_source_gives_the_same_bytes(tmp_path: Path, archive: bytes) -> None:
    assert source_archive.archive_bytes(ROOT) == archive  # built twice
    # a copy of the tree with other file times and modes: the same bytes again
    copy = tmp_path / "checkout"
    for _, path in source_archive.archive_files(ROOT):
        target = copy / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        os.utime(target, (1_000_000_000, 1_000_000_000))
        target.chmod(0o600)
    cache = copy / "src" / "dlhomework" / "__pycache__"
    cache.mkdir()
    (cache / "models.cpython-311.pyc").write_bytes(b"compiled")
    assert source_archive.archive_bytes(copy) == archive
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        infos = opened.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_it_is_written_atomically_and_only_when_it_changes(tmp_path: Path, archive: bytes) -> None:
    folder = tmp_path / "out"
    path = source_archive.write_archive(folder, ROOT)
    assert path == folder / f"{TOP}.zip" and path.read_bytes() == archive
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
