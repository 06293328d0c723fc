"""The book's Sphinx extension: ``{pysource}`` shows a function's code without its docstring."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_spec = importlib.util.spec_from_file_location("book_ext", ROOT / "docs" / "_ext" / "book.py")
assert _spec is not None and _spec.loader is not None
book = importlib.util.module_from_spec(_spec)
sys.modules["book_ext"] = book
_spec.loader.exec_module(book)

SAMPLE = '''\
import functools


def plain(x):
    """One line."""
    return x + 1


class Net:
    """A class."""

    @functools.cache
    def backward(self, d):
        """Many
        lines, with ``code``.

        Examples
        --------
        >>> 1
        1
        """
        # a comment stays
        return d * 2  # so does this one

    def no_doc(self):
        return "\\"\\"\\"not a docstring\\"\\"\\""
'''


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.py"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_function_without_its_docstring(sample: Path) -> None:
    assert book.code_without_docstring(sample, "plain") == "def plain(x):\n    return x + 1"


def test_method_dedented_with_decorator_and_comments(sample: Path) -> None:
    code = book.code_without_docstring(sample, "Net.backward")
    assert code == (
        "@functools.cache\n"
        "def backward(self, d):\n"
        "    # a comment stays\n"
        "    return d * 2  # so does this one"
    )
    ast.parse(code)  # what the book shows is valid Python


def test_a_string_that_is_not_the_docstring_is_kept(sample: Path) -> None:
    code = book.code_without_docstring(sample, "Net.no_doc")
    assert code.splitlines()[1].strip().startswith("return")


@pytest.mark.parametrize("name", ["missing", "Net.missing", "plain.inner"])
def test_unknown_names_are_an_error_naming_them(sample: Path, name: str) -> None:
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        book.code_without_docstring(sample, name)


def test_every_pysource_in_the_book_names_real_code() -> None:
    shown = 0
    for chapter in sorted((ROOT / "docs").glob("*.md")):
        lines = chapter.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("```{pysource}"):
                path = (chapter.parent / line.split(maxsplit=1)[1]).resolve()
                name = lines[i + 1].removeprefix(":pyobject:").strip()
                code = book.code_without_docstring(path, name)
                assert '"""' not in code.splitlines()[1], (chapter.name, name)
                shown += 1
    assert shown >= 5


# -- the figures' Chinese font ---------------------------------------------------------


class _App:
    builder = type("Builder", (), {"format": "html"})()


def test_the_build_hands_the_npm_font_to_the_kernels_or_warns(monkeypatch, tmp_path) -> None:
    from dlhomework.display import CJK_FONT_ENV, NPM_CJK_FONT

    warned: list[str] = []
    monkeypatch.setattr(book._logger, "warning", lambda message, *args: warned.append(message))
    monkeypatch.setattr(book, "NODE_MODULES", tmp_path / "node_modules")
    monkeypatch.delenv(CJK_FONT_ENV, raising=False)
    book._use_npm_font(_App())
    assert CJK_FONT_ENV not in book.os.environ
    assert len(warned) == 1 and "npm ci" in warned[0]

    font = tmp_path / NPM_CJK_FONT
    font.parent.mkdir(parents=True)
    font.write_bytes(b"")
    book._use_npm_font(_App())
    assert book.os.environ[CJK_FONT_ENV] == str(font)
    assert len(warned) == 1


# -- the stand-in Paddle of the Sphinx process -------------------------------------------

DESCRIBE = """
import importlib.util, inspect, json, sys
spec = importlib.util.spec_from_file_location("book_ext", sys.argv[1])
book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book)
if sys.argv[2] == "stand-in":
    book.PaddleStandInFinder.install()
import dlhomework.paddle_port as port

def signature(obj):
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return None

facts = {}
for name in port.__all__:
    obj = getattr(port, name)
    if not callable(obj):
        continue  # data: its values are Paddle's (the API page writes them out by hand)
    facts[name] = [signature(obj), inspect.getdoc(obj)]
    if inspect.isclass(obj):
        for member in sorted(vars(obj)):
            value = getattr(obj, member)
            facts[f"{name}.{member}"] = [signature(value), inspect.getdoc(value)]
print(json.dumps({"real": type(sys.modules["paddle"]).__name__, "facts": facts}))
"""


@pytest.mark.paddle
def test_autodoc_sees_the_same_paddle_port_with_the_stand_in_paddle() -> None:
    """What autodoc reads of dlhomework.paddle_port (signatures, docstrings, inherited
    ones included) is the same whether Sphinx imports the real Paddle or the stand-in."""
    seen = {}
    for paddle in ("real", "stand-in"):
        run = subprocess.run(
            [sys.executable, "-c", DESCRIBE, str(ROOT / "docs" / "_ext" / "book.py"), paddle],
            capture_output=True,
            text=True,
            check=True,
        )
        seen[paddle] = json.loads(run.stdout)
    assert seen["real"]["real"] == "module"
    assert seen["stand-in"]["real"] == "PaddleStandIn"
    assert len(seen["real"]["facts"]) > 20
    assert seen["stand-in"]["facts"] == seen["real"]["facts"]


# -- Chinese line breaks -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("中文\n句子", "中文句子"),  # between two Chinese characters
        ("学习率 0.05\n（见下文）", "学习率 0.05（见下文）"),  # before full-width punctuation
        ("高 13.6%，\n3.0 时", "高 13.6%，3.0 时"),  # after full-width punctuation
        ("用 NumPy\n实现", "用 NumPy\n实现"),  # Latin then Chinese: stays a space in HTML
        ("in English\ntext", "in English\ntext"),
    ],
)
def test_line_breaks_are_dropped_where_chinese_typesetting_has_no_space(text, joined):
    assert book._CJK_LINE_BREAK.sub("", text) == joined
