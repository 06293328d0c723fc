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
    for name in ("PYTHONPATH", "MPLBACKEND", "IPYTHONDIR", "DLHOMEWORK_CJK_FONT", "TOX_ENV_NAME"):
        monkeypatch.setenv(name, "set by the test")
    monkeypatch.setenv("HOME", "/home/reader")
    env = check.reader_environment(tmp_path)
    assert env["HOME"] == "/home/reader"
    assert not {
        "PYTHONPATH",
        "MPLBACKEND",
        "IPYTHONDIR",
        "DLHOMEWORK_CJK_FONT",
        "TOX_ENV_NAME",
    } & set(env)
    assert env["JUPYTER_DATA_DIR"].startswith(str(tmp_path))  # no kernels registered elsewhere
