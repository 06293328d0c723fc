"""benchmarks/bench_pipeline.py ``--only map``: which chapters run again when a file of
the package changes, checked against an expectation grepped from the import lines."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dlhomework"
CHAPTERS = sorted((ROOT / "docs").glob("hw1-*.md"))

pytest.importorskip("myst_nb")
_spec = importlib.util.spec_from_file_location(
    "bench_pipeline", ROOT / "benchmarks" / "bench_pipeline.py"
)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_pipeline"] = bench
_spec.loader.exec_module(bench)

_FROM = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\s+\(?([\w, ]*)", re.M)
_IMPORT = re.compile(r"^\s*import\s+(dlhomework[\w.]*)", re.M)


def _module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_of(path): path for path in PACKAGE.rglob("*.py")}


def _grep_imports(text: str, module: str | None, is_package: bool) -> set[str]:
    """Modules of the package named by ``text``'s import lines (a regex, not an AST)."""
    found = set(_IMPORT.findall(text))
    for dots, name, imported in _FROM.findall(text):
        if dots:
            if module is None:
                continue
            parts = module.split(".")
            base_parts = parts if is_package else parts[:-1]
            base_parts = base_parts[: len(base_parts) - (len(dots) - 1)]
            base = ".".join([*base_parts, name] if name else base_parts)
        else:
            base = name
        found.add(base)
        found.update(f"{base}.{item.strip()}" for item in imported.split(",") if item.strip())
    return {name for name in found if name in MODULES}


def _grepped_dependents(target: str) -> list[str]:
    """The chapters whose imports reach ``target`` (importing ``a.b`` runs ``a`` too)."""
    chapters = []
    for page in CHAPTERS:
        todo = list(_grep_imports(page.read_text(encoding="utf-8"), None, False))
        seen: set[str] = set()
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            parts = module.split(".")
            todo += [".".join(parts[:i]) for i in range(1, len(parts))]
            path = MODULES[module]
            todo += _grep_imports(
                path.read_text(encoding="utf-8"), module, path.name == "__init__.py"
            )
        if target in seen:
            chapters.append(page.stem)
    return chapters


def test_the_map_reads_every_chapter_with_its_option_blocks() -> None:
    """hw1-7's cells start with a ``---`` YAML block: it must not count as unreadable
    (which would put hw1-7 under every file, counting.py included)."""
    table = bench.dependents()
    assert len(CHAPTERS) == 8
    assert table["counting.py"] == ["hw1-8"] == _grepped_dependents("dlhomework.counting")
    everyone = [page.stem for page in CHAPTERS]
    assert table["activations.py"] == everyone == _grepped_dependents("dlhomework.activations")
    assert "hw1-7" not in table["training.py"]  # tanh imports no training code
