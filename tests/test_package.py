"""The package's docstrings: the package's own names every public module, as the API page
does; every public object has a doctest; every example fits the API page's code box."""

from __future__ import annotations

import ast
import pkgutil
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import dlhomework

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.md"
PACKAGE = Path(dlhomework.__file__).resolve().parent  # the installed package under tox

# The API page's code box: 654 px for a module's function, 622 px for a class's method,
# at 8.86 px a character in the page's monospace font (measured in Chromium at the
# 1280 px viewport; tests/browser checks the rendered page itself).  622 / 8.86 = 70.2:
# an example line of at most 69 characters after its indentation never scrolls.
EXAMPLE_COLUMNS = 69


def test_the_package_docstring_lists_every_public_module_once() -> None:
    public = sorted(
        info.name
        for info in pkgutil.iter_modules(dlhomework.__path__)
        if not info.name.startswith("_")
    )
    listed = re.findall(r"^- :mod:`dlhomework\.(\w+)` — \S", dlhomework.__doc__ or "", re.M)
    assert sorted(listed) == public and len(listed) == len(set(listed))
    on_the_api_page = re.findall(r"^## `dlhomework\.(\w+)`$", API_PAGE.read_text("utf-8"), re.M)
    assert set(public) <= set(on_the_api_page)


def _files(top: Path) -> set[str]:
    return {
        path.relative_to(top).as_posix()
        for path in top.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_package_under_test_holds_the_source_files_and_no_others() -> None:
    """Under tox the package is installed from its wheel: it must hold what
    src/dlhomework holds (the setuptools build once shipped models.py after it had
    become models/, from its build/lib/ cache; the wheel is now built by flit_core)."""
    source = API_PAGE.parents[1] / "src" / "dlhomework"
    assert _files(PACKAGE) == _files(source)


Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _public_modules() -> list[Path]:
    """Every module file of the package whose path has no part starting with "_"
    (``__init__.py`` is public: it is the subpackage)."""
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not any(
            part.startswith("_") and part != "__init__.py"
            for part in path.relative_to(PACKAGE).parts
        )
    )


def _is_overload(node: Definition) -> bool:
    return any(
        (isinstance(d, ast.Name) and d.id == "overload")
        or (isinstance(d, ast.Attribute) and d.attr == "overload")
        for d in node.decorator_list
    )


def _public_definitions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, Definition]]:
    """Public functions, classes, and the public methods and properties of public
    classes, with their qualified names; ``@overload`` signatures are not definitions."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, Definition) and not node.name.startswith("_"):
            if not _is_overload(node):
                yield prefix + node.name, node
            if isinstance(node, ast.ClassDef):
                yield from _public_definitions(node, f"{prefix}{node.name}.")


def test_every_public_object_has_a_doctest() -> None:
    missing = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}"
        for path in _public_modules()
        for name, node in _public_definitions(ast.parse(path.read_text("utf-8")))
        if ">>>" not in (ast.get_docstring(node) or "")
    ]
    assert _public_modules() and not missing, "public objects without a doctest:\n" + "\n".join(
        missing
    )


def _code_lines(doc: str) -> Iterator[str]:
    """The lines of a docstring the API page shows as code, as it shows them: from its
    Examples section (or its first ``>>>``) on, and every literal block (the lines
    indented under a paragraph that ends in ``::``, without their common indent)."""
    start = doc.find("Examples") if "Examples" in doc else doc.find(">>>")
    lines = doc.splitlines()
    examples = len(doc[:start].splitlines()) if start >= 0 else len(lines)
    block: list[str] = []
    opened_at = None  # the indent of the paragraph that opened a literal block
    for line in lines[:examples]:
        indent = len(line) - len(line.lstrip())
        if opened_at is not None and line.strip() and indent <= opened_at:
            yield from textwrap.dedent("\n".join(block)).splitlines()
            block, opened_at = [], None
        if opened_at is not None:
            block.append(line)
        elif line.rstrip().endswith("::"):
            opened_at = indent
    yield from textwrap.dedent("\n".join(block)).splitlines()
    yield from lines[examples:]


def test_every_example_fits_the_api_page() -> None:
    """No line of a docstring's examples or literal blocks is wider than the API page
    shows without scrolling.  Private modules too: their functions are re-exported."""
    wide = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, Definition | ast.Module):
                wide += [
                    f"{path.relative_to(PACKAGE.parent)} ({len(line)}): {line.strip()}"
                    for line in _code_lines(ast.get_docstring(node) or "")
                    if len(line) > EXAMPLE_COLUMNS
                ]
    assert not wide, f"example lines over {EXAMPLE_COLUMNS} columns:\n" + "\n".join(wide)
