"""dlhomework._files: atomic replacement and output paths checked up front.

The independent sources: files created here with ``open()`` under the same umask
(for the permissions a new file should get), ``os.listdir`` (for leftovers) and the
file system's own errors.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dlhomework._files import as_path, atomic_write, check_writable


@pytest.fixture
def umask():
    """Run with umask 022 (restored afterwards), so that expected modes are known."""
    old = os.umask(0o022)
    yield 0o022
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- atomic_write ----------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002, 0o000])
def test_a_new_file_gets_the_mode_open_would_give(tmp_path, mask):
    old = os.umask(mask)
    try:
        with open(tmp_path / "by_open", "wb") as file:
            file.write(b"x")
        with atomic_write(tmp_path / "atomic") as file:
            file.write(b"x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "atomic") == mode(tmp_path / "by_open") == 0o666 & ~mask


def test_the_umask_is_left_as_it_was(tmp_path):
    old = os.umask(0o027)
    try:
        with atomic_write(tmp_path / "f") as file:
            file.write(b"x")
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)


@pytest.mark.parametrize("existing_mode", [0o600, 0o640, 0o755, 0o444])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, existing_mode):
    path = tmp_path / "f.npz"
    path.write_bytes(b"old")
    path.chmod(existing_mode)
    with atomic_write(path) as file:
        file.write(b"new")
    assert path.read_bytes() == b"new"
    assert mode(path) == existing_mode
    assert os.listdir(tmp_path) == ["f.npz"]


def test_the_content_appears_only_when_complete(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    with atomic_write(path) as file:
        file.write(b"new content")
        file.flush()
        assert path.read_bytes() == b"old"  # not yet replaced
        (tmp,) = (name for name in os.listdir(tmp_path) if name != "f.bin")
        assert tmp.startswith(".f.bin.")  # beside the target, hidden
    assert path.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["f.bin"]


def test_missing_folders_are_created(tmp_path, umask):
    path = tmp_path / "a" / "b" / "c" / "f.txt"
    with atomic_write(path) as file:
        file.write(b"hello")
    assert path.read_bytes() == b"hello"
    assert os.listdir(path.parent) == ["f.txt"]


def write_then_fail(path: Path, error: BaseException) -> None:
    with atomic_write(path) as file:
        file.write(b"partial new content")
        file.flush()
        raise error


@pytest.mark.parametrize("error", [OSError("disk full"), ValueError("bug"), KeyboardInterrupt()])
@pytest.mark.parametrize("existing", [True, False])
def test_an_exception_leaves_the_old_content_and_no_temporary_file(tmp_path, error, existing):
    path = tmp_path / "f.bin"
    if existing:
        path.write_bytes(b"old")
    with pytest.raises(type(error)):
        write_then_fail(path, error)
    assert os.listdir(tmp_path) == (["f.bin"] if existing else [])
    if existing:
        assert path.read_bytes() == b"old"


def test_a_directory_at_the_target_is_an_error_without_leftovers(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep").write_bytes(b"x")
    with pytest.raises(IsADirectoryError), atomic_write(target) as file:
        file.write(b"data")
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert os.listdir(target) == ["keep"]


# -- check_writable --------------------------------------------------------------------------


def test_check_writable_refuses_a_directory(tmp_path):
    with pytest.raises(IsADirectoryError) as err:
        check_writable(tmp_path, "argument --save:")
    message = str(err.value)
    assert message.startswith("argument --save:")
    assert repr(str(tmp_path)) in message
    assert "is a directory" in message


@pytest.mark.parametrize("depth", [0, 2])
def test_check_writable_refuses_a_file_as_folder(tmp_path, depth):
    blocker = tmp_path / "data.csv"
    blocker.write_text("a file")
    path = blocker.joinpath(*["sub"] * depth, "model.npz")
    with pytest.raises(NotADirectoryError) as err:
        check_writable(path, "argument --plot:")
    message = str(err.value)
    assert message.startswith("argument --plot:")
    assert repr(str(path)) in message
    assert repr(str(blocker)) in message
    assert blocker.read_text() == "a file"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: every folder is writable (os.access says so)",
)
def test_check_writable_refuses_an_unwritable_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError) as err:
            check_writable(folder / "model.npz", "argument --save:")
        assert repr(str(folder)) in str(err.value)
        assert "not writable" in str(err.value)
    finally:
        folder.chmod(0o700)


def test_check_writable_refuses_a_folder_os_access_calls_unwritable(tmp_path, monkeypatch):
    """The same refusal where the tests run as root, with ``os.access`` answering no."""
    folder = tmp_path / "locked"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == folder else real(p, m))
    with pytest.raises(PermissionError) as err:
        check_writable(folder / "model.npz", "argument --save:")
    message = str(err.value)
    assert message.startswith("argument --save:")
    assert repr(str(folder / "model.npz")) in message
    assert f"the folder {str(folder)!r} is not writable" in message
    check_writable(tmp_path / "model.npz", "argument --save:")  # its parent is writable


@pytest.mark.parametrize("relative", ["model.npz", "existing/m.npz", "existing/new.npz"])
def test_check_writable_accepts_writable_places(tmp_path, relative):
    (tmp_path / "existing").mkdir()
    (tmp_path / "existing" / "m.npz").write_bytes(b"old")  # an existing file may be replaced
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert check_writable(tmp_path / relative, "argument --save:") is None
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before  # it only checks


@pytest.mark.parametrize("relative", ["new/model.npz", "new/deeper/still/model.npz"])
def test_check_writable_refuses_a_missing_folder_and_creates_none(tmp_path, relative):
    """A typo in a folder name must not make a folder tree: the message names the folder."""
    path = tmp_path / relative
    with pytest.raises(FileNotFoundError) as err:
        check_writable(path, "argument --plot:")
    assert str(err.value) == (
        f"argument --plot: {str(path)!r}: the folder {str(path.parent)!r} does not exist "
        "(create it first)"
    )
    assert list(tmp_path.iterdir()) == []


def test_check_writable_accepts_a_relative_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check_writable(Path("model.npz"), "argument --save:")
    with pytest.raises(FileNotFoundError, match="the folder 'new' does not exist"):
        check_writable(Path("new") / "model.npz", "argument --save:")
    with pytest.raises(IsADirectoryError):
        check_writable(Path(), "argument --save:")


# -- as_path ---------------------------------------------------------------------------------


def test_as_path_accepts_str_and_pathlike(tmp_path):
    assert as_path("m.npz", "path") == Path("m.npz")
    assert as_path(tmp_path / "m.npz", "path") == tmp_path / "m.npz"
    assert isinstance(as_path("m.npz", "path"), Path)


@pytest.mark.parametrize(
    ("value", "shown"), [(3, "3 (int)"), (None, "None (NoneType)"), (b"m.npz", "b'm.npz' (bytes)")]
)
def test_as_path_refuses_other_types_naming_the_argument(value, shown):
    with pytest.raises(TypeError) as err:
        as_path(value, "model_file")
    assert str(err.value) == f"model_file must be a str or os.PathLike, got {shown}"


def test_as_path_refuses_an_empty_name():
    with pytest.raises(ValueError, match=r"^out must be a non-empty file name, got ''$"):
        as_path("", "out")
