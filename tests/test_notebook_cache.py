"""The book's notebook cache (docs/_ext/chapter_inputs.py): a chapter runs again exactly
when something it runs changed.

The key of a chapter covers the package modules its code cells import (read statically,
followed through the package), the package's data and the environment.  The last test
builds a two-chapter book with Sphinx and myst-nb against a copy of the package, changes
one line of that copy, and watches which chapter runs.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dlhomework

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "docs" / "_ext"
_spec = importlib.util.spec_from_file_location("chapter_inputs", EXT / "chapter_inputs.py")
assert _spec is not None and _spec.loader is not None
inputs = importlib.util.module_from_spec(_spec)
sys.modules["chapter_inputs"] = inputs
_spec.loader.exec_module(inputs)

INSTALLED = Path(dlhomework.__file__).resolve().parent
CHAPTERS = sorted((ROOT / "docs").glob("hw1-*.md"))


def _code_cells(page: Path) -> list[str]:
    """A MyST chapter's code cells, their options dropped (``:tags: ...`` lines or a
    ``---`` YAML block)."""
    text = page.read_text(encoding="utf-8")
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, flags=re.M | re.S)
    cells = [re.sub(r"\A---\n.*?^---\n", "", cell, flags=re.M | re.S) for cell in cells]
    return [re.sub(r"\A(?::\w[\w-]*:[^\n]*\n)+", "", cell) for cell in cells]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the installed package, to edit."""
    copy = tmp_path / "site" / "dlhomework"
    shutil.copytree(INSTALLED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _keys(root: Path) -> dict[str, str]:
    package = inputs.Package(root)
    return {
        page.stem: inputs.chapter_key(_code_cells(page), package, "env")[0] for page in CHAPTERS
    }


def _uses(name: str) -> set[str]:
    """The chapters whose own cells import dlhomework.<name> (directly)."""
    pattern = re.compile(rf"^\s*(from dlhomework\.{name} import|import dlhomework\.{name}\b)", re.M)
    return {page.stem for page in CHAPTERS if any(pattern.search(c) for c in _code_cells(page))}


# -- reading imports ------------------------------------------------------------------


def _imports(source: str, module: str | None = None, is_package: bool = False) -> set[str] | None:
    return inputs.imports(ast.parse(textwrap.dedent(source)), module, is_package=is_package)


def test_imports_absolute_relative_inside_functions_and_named_in_strings() -> None:
    source = '''
        """Uses dlhomework.cli (a docstring: not an import)."""
        import numpy as np
        import dlhomework.data
        from . import models
        from .training import sgd
        from ..graph import purchase

        def later():
            from dlhomework.paddle_port import train
            return "python -c 'from dlhomework.check._sandbox import main'"
        '''
    found = _imports(source, "dlhomework.experiments.sweeps")
    assert found == {
        "numpy",
        "dlhomework.data",
        "dlhomework.experiments",
        "dlhomework.experiments.models",
        "dlhomework.experiments.training",
        "dlhomework.experiments.training.sgd",
        "dlhomework.graph",
        "dlhomework.graph.purchase",
        "dlhomework.paddle_port",
        "dlhomework.paddle_port.train",
        "dlhomework.check._sandbox",
    }
    # in a package's __init__, "." is the package itself
    assert _imports("from .nodes import AddNode", "dlhomework.graph", is_package=True) == {
        "dlhomework.graph.nodes",
        "dlhomework.graph.nodes.AddNode",
    }


@pytest.mark.parametrize(
    "source",
    [
        "import importlib\nimportlib.import_module(name)",
        "__import__(name)",
        "import importlib\nimportlib.import_module(f'dlhomework.{name}')",
    ],
)
def test_an_import_built_at_run_time_means_the_whole_package(source: str) -> None:
    assert _imports(source) is None
    assert inputs.cell_imports([source]) is None


def test_cells_with_magics_are_read_and_unreadable_cells_mean_the_whole_package() -> None:
    cells = ["%matplotlib inline\nfrom dlhomework.counting import count_positive", "%%time\nx = 1"]
    assert inputs.cell_imports(cells) == {
        "dlhomework.counting",
        "dlhomework.counting.count_positive",
    }
    assert inputs.cell_imports(["def broken(:"]) is None


def test_the_closure_follows_the_package_and_covers_what_python_imports() -> None:
    """Static closure ⊇ the dlhomework modules a fresh interpreter has after the chapter's
    imports (checked for the chapters whose imports need no Paddle)."""
    package = inputs.Package(INSTALLED)
    for name in ("hw1-7", "hw1-8"):
        cells = _code_cells(ROOT / "docs" / f"{name}.md")
        names = inputs.cell_imports(cells)
        assert names is not None
        closure = package.closure(names)
        assert closure is not None and "dlhomework" in closure
        import_lines = [
            line
            for cell in cells
            for line in cell.splitlines()
            if re.match(r"(from dlhomework[\w.]* import [\w, ]+|import dlhomework[\w.]*)$", line)
        ]
        assert import_lines, name
        script = "\n".join([*import_lines, "import sys", "print(sorted(sys.modules))"])
        run = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(INSTALLED.parent)},
        )
        loaded = {m for m in ast.literal_eval(run.stdout) if m.split(".")[0] == "dlhomework"}
        assert loaded and loaded <= closure, (name, loaded - closure)


# -- keys of the real chapters -------------------------------------------------------


def test_a_one_line_change_re_keys_exactly_the_chapters_that_run_it(package: Path) -> None:
    before = _keys(package)
    assert len(set(before.values())) > 2  # chapters import different parts of the package

    counting = package / "counting.py"
    counting.write_text(counting.read_text(encoding="utf-8") + "\nSEEN = 1\n", encoding="utf-8")
    after = _keys(package)
    changed = {name for name in before if after[name] != before[name]}
    assert _uses("counting") <= changed  # hw1-8
    assert "hw1-7" not in changed  # tanh: imports neither counting nor anything using it

    activations = package / "activations.py"
    text = activations.read_text(encoding="utf-8")
    activations.write_text(text + "\nSEEN = 1\n", encoding="utf-8")
    again = _keys(package)
    changed = {name for name in after if again[name] != after[name]}
    assert _uses("activations") <= changed and "hw1-7" in changed

    data = package / "data" / "housing.data"  # the data counts for every chapter
    data.write_bytes(data.read_bytes().replace(b"24.00", b"24.01", 1))
    last = _keys(package)
    assert all(last[name] != again[name] for name in again)


def test_the_installed_distributions_count() -> None:
    cells = _code_cells(CHAPTERS[0])
    package = inputs.Package(INSTALLED)
    assert (
        inputs.chapter_key(cells, package, "numpy==2.3")[0]
        != (inputs.chapter_key(cells, package, "numpy==2.4")[0])
    )
    assert "numpy==" in inputs.environment()


# -- the cache in a real build ----------------------------------------------------------

CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = ["myst_nb", "chapter_inputs"]
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
exclude_patterns = ["_build"]
"""

CHAPTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {name}

```{{code-cell}} ipython3
import os
from pathlib import Path

with Path(os.environ["RUNS"]).open("a") as runs:
    print("{name}", file=runs)
```

```{{code-cell}} ipython3
{code}
```
"""


def _build(book: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Build the book; which chapters ran (in order), and each chapter's last output."""
    runs = Path(env["RUNS"])
    runs.write_text("", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "-q", "-b", "dummy", ".", "_build/out"],
        cwd=book,
        env=env,
        check=True,
    )
    outputs = {}
    for name in ("counts", "tanh"):
        notebook = json.loads((book / "_build" / "jupyter_execute" / f"{name}.ipynb").read_text())
        outputs[name] = "".join(notebook["cells"][-1]["outputs"][0]["text"])
    return runs.read_text(encoding="utf-8").split(), outputs


def test_a_chapter_runs_again_only_when_code_it_runs_changed(package: Path, tmp_path: Path):
    pytest.importorskip("myst_nb")
    pytest.importorskip("ipykernel")
    book = tmp_path / "book"
    book.mkdir()
    (book / "conf.py").write_text(CONF.format(ext=str(EXT)), encoding="utf-8")
    (book / "index.md").write_text("# Book\n\n```{toctree}\ncounts\ntanh\n```\n", encoding="utf-8")
    code = {
        "counts": "from dlhomework.counting import count_positive\n\n"
        "print(count_positive([1.0, -2.0, 3.0]))",
        "tanh": "from dlhomework.activations import tanh\n\nprint(round(float(tanh(0.5)), 6))",
    }
    for name, cell in code.items():
        (book / f"{name}.md").write_text(CHAPTER.format(name=name, code=cell), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(package.parent),  # Sphinx and the kernels import the copy
        "RUNS": str(tmp_path / "runs.txt"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }

    ran, outputs = _build(book, env)  # no cache yet: every chapter runs
    assert sorted(ran) == ["counts", "tanh"]
    assert outputs == {"counts": "2\n", "tanh": "0.462117\n"}

    ran, again = _build(book, env)  # nothing changed: nothing runs, the same outputs
    assert ran == [] and again == outputs

    counting = package / "counting.py"  # one line: count_positive now adds 100
    counting.write_text(
        counting.read_text(encoding="utf-8")
        + "\ncount_positive = lambda p, _count=count_positive: _count(p) + 100  # noqa\n",
        encoding="utf-8",
    )
    ran, changed = _build(book, env)
    assert ran == ["counts"]  # tanh does not run count_positive: served from its cache
    assert changed == {"counts": "102\n", "tanh": "0.462117\n"}
    assert len(list((book / "_build" / ".jupyter_cache" / "counts").iterdir())) == 2  # both kept
