"""tools/check_notebooks.py (tox -e notebooks): what it hands the fresh environment."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "check_notebooks", ROOT / "tools" / "check_notebooks.py"
)
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)

CHAPTERS = sorted(
    page.stem for page in (ROOT / "docs").glob("*.md") if "kernelspec:" in page.read_text("utf-8")
)


def test_outputs_are_stripped_and_sources_kept(tmp_path: Path) -> None:
    executed = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# 标题"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["remove-cell"], "execution": {"iopub.status.idle": "x"}},
                "execution_count": 3,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "/tmp/build\n"}],
                "source": "print(1)",
            },
        ],
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    source, target = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    source.write_text(json.dumps(executed), encoding="utf-8")
    check.strip_outputs(source, target)
    cleared = json.loads(target.read_text(encoding="utf-8"))
    code = cleared["cells"][1]
    assert code["outputs"] == [] and code["execution_count"] is None
    assert code["metadata"] == {"tags": ["remove-cell"]}
    assert [c["source"] for c in cleared["cells"]] == ["# 标题", "print(1)"]
    assert cleared["metadata"] == executed["metadata"]


def test_every_chapter_must_be_offered(tmp_path: Path) -> None:
    assert len(CHAPTERS) >= 8 and "index" not in CHAPTERS
    for name in CHAPTERS[1:]:
        (tmp_path / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit, match=rf"no notebook for \['{CHAPTERS[0]}'\].*tox -e book"):
        check.offered_notebooks(tmp_path)
    (tmp_path / f"{CHAPTERS[0]}.ipynb").write_text("{}", encoding="utf-8")
    assert [p.stem for p in check.offered_notebooks(tmp_path)] == CHAPTERS


def test_the_reader_has_none_of_this_repository_s_settings(monkeypatch, tmp_path: Path) -> None:
    # DLHOMEWORK_BOOK_BUILD: the book's machine-dependent claims only warn in the notebooks
    names = ("PYTHONPATH", "MPLBACKEND", "IPYTHONDIR", "DLHOMEWORK_CJK_FONT", "TOX_ENV_NAME")
    names += ("DLHOMEWORK_BOOK_BUILD",)
    for name in names:
        monkeypatch.setenv(name, "set by the test")
    monkeypatch.setenv("HOME", "/home/reader")
    env = check.reader_environment(tmp_path)
    assert env["HOME"] == "/home/reader"
    assert not set(names) & set(env)
    assert env["JUPYTER_DATA_DIR"].startswith(str(tmp_path))  # no kernels registered elsewhere


def _notebook(path: Path, code: str, output: str = "", source_map: int = 1) -> Path:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# 标题"},
        {
            "cell_type": "code",
            "metadata": {"execution": {"iopub.status.idle": output}},
            "execution_count": 1,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": output}],
            "source": code,
        },
    ]
    metadata = {"kernelspec": {"name": "python3"}, "source_map": [source_map]}
    path.write_text(json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4}), "utf-8")
    return path


def test_a_notebook_s_key_is_its_code_and_what_it_imports(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "dlhomework"
    shutil.copytree(ROOT / "src" / "dlhomework", copy, ignore=shutil.ignore_patterns("__pycache__"))
    package = check.chapter_inputs.Package(copy)
    code = "from dlhomework.counting import count_positive\ncount_positive([1, -1])"
    key = check.notebook_key(_notebook(tmp_path / "a.ipynb", code), package, "numpy==2")
    # outputs, execution times, prose and its line numbers: not the notebook's inputs
    same = _notebook(tmp_path / "b.ipynb", code, output="1\n", source_map=7)
    assert check.notebook_key(same, package, "numpy==2") == key
    # its code, the installed distributions, the package modules it imports
    changed = _notebook(tmp_path / "c.ipynb", code + "\nprint()")
    assert check.notebook_key(changed, package, "numpy==2") != key
    assert check.notebook_key(same, package, "numpy==3") != key
    activations = copy / "activations.py"  # a module it does not import: the same key
    activations.write_text(activations.read_text("utf-8") + "\nSEEN = 1\n", "utf-8")
    assert check.notebook_key(same, check.chapter_inputs.Package(copy), "numpy==2") == key
    counting = copy / "counting.py"  # the module it imports: another key
    counting.write_text(counting.read_text("utf-8") + "\nSEEN = 1\n", "utf-8")
    assert check.notebook_key(same, check.chapter_inputs.Package(copy), "numpy==2") != key


def test_the_environment_is_made_again_when_pyproject_changes(tmp_path) -> None:
    project = tmp_path / "dlhomework-0.1.0"
    project.mkdir()
    pyproject = project / "pyproject.toml"
    pyproject.write_bytes((ROOT / "pyproject.toml").read_bytes())
    key = check.environment_key(project)
    assert key == check.environment_key(project)
    pyproject.write_text(pyproject.read_text("utf-8") + "\n# changed\n", "utf-8")
    assert check.environment_key(project) != key


def test_the_reader_s_source_is_the_zip_the_book_offers(tmp_path: Path) -> None:
    name = check.source_archive.archive_name(ROOT)
    downloads = tmp_path / "_downloads"
    with pytest.raises(SystemExit, match=rf"0 copies of {name}.*tox -e book"):
        check.offered_archive(downloads)
    offered = check.source_archive.write_archive(downloads / "0123abcd", ROOT)
    (downloads / "old").mkdir()
    (downloads / "old" / "dlhomework-0.0.1.zip").write_bytes(b"another version")
    assert check.offered_archive(downloads) == offered
    project = check.unpack(offered, tmp_path / "unpacked")
    assert project == tmp_path / "unpacked" / name.removesuffix(".zip")
    assert (project / "pyproject.toml").read_bytes() == (ROOT / "pyproject.toml").read_bytes()
    # what the notebook key reads: the unpacked package, the same files as the repository's
    unpacked = check.chapter_inputs.Package(project / "src" / "dlhomework")
    here = check.chapter_inputs.Package(ROOT / "src" / "dlhomework")
    assert sorted(unpacked.modules) == sorted(here.modules)


def test_pip_install_runs_again_only_when_what_it_reads_changes(tmp_path: Path) -> None:
    archive = check.source_archive.write_archive(tmp_path / "zip", ROOT)
    project = check.unpack(archive, tmp_path / "unpacked")
    key = check.install_digest(project)
    for name in ("docs/hw1-1.md", "tests/conftest.py", "tools/npm_ci.py"):  # not installed
        path = project / name
        path.write_text(path.read_text("utf-8") + "\n# changed\n", "utf-8")
        assert check.install_digest(project) == key, name
    (project / "docs" / "new.md").write_text("# 新页面\n", "utf-8")
    assert check.install_digest(project) == key
    changed = set()
    for name in ("pyproject.toml", "README.md", "src/dlhomework/data/housing.data"):
        path = project / name
        path.write_bytes(path.read_bytes() + b"\n")
        changed.add(check.install_digest(project))
    (project / "src" / "dlhomework" / "extra.py").write_text("X = 1\n", "utf-8")
    changed.add(check.install_digest(project))
    assert len(changed) == 4 and key not in changed
