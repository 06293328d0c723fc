"""The book's own Sphinx extension (loaded by conf.py from docs/_ext).

- MathJax from ``node_modules`` (npm registry, pinned by package-lock.json) copied
  into ``build/html/_static/mathjax``, so the book reads offline; without it the
  build warns (an error under ``-W``) and falls back to the CDN.
- The figures' Chinese font (Noto Sans SC, also from ``node_modules``) handed to the
  chapters' kernels; without it the build warns (an error under ``-W``).
- Sphinx 9.0's Chinese search fixed (sphinx-doc/sphinx#14229).
- Soft line breaks between two Chinese characters removed.
- The executed notebook offered by the theme's download button.
- ``{figure-list}``: every figure of the book as linked thumbnails (docs/figures.md).
- ``{pysource}``: a function or method of the package, its code without its
  docstring, so a chapter shows exactly the lines that run.
- Paddle not imported by Sphinx itself (a stand-in for autodoc, see below).
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.util
import os
import re
import shutil
import sys
import textwrap
import types
from pathlib import Path
from typing import Any, ClassVar

import sphinx
from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]  # the repository root (docs/_ext/book.py)

# -- Math, served from the book itself ----------------------------------------
# MathJax 4 comes from the npm registry (package.json / package-lock.json; `npm ci`
# is a step of `tox -e book`, .readthedocs.yaml and CI) and is copied into
# build/html/_static/mathjax, so formulas render without a network.  MathJax 4
# would fetch its font (and speech maps) from a CDN: the loader's "fonts" path points
# at the copy of @mathjax/mathjax-newcm-font inside the book instead.

NODE_MODULES = Path(os.environ.get("DLHOMEWORK_NODE_MODULES", ROOT / "node_modules"))
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js"
# (source in node_modules, destination under _static/mathjax); directories copied whole.
MATHJAX_ASSETS = [
    ("mathjax/tex-mml-chtml.js", "tex-mml-chtml.js"),
    ("mathjax/input", "input"),
    ("mathjax/output", "output"),
    ("mathjax/ui", "ui"),
    ("mathjax/a11y", "a11y"),
    ("mathjax/sre", "sre"),
    ("mathjax/LICENSE", "LICENSE"),
    ("@mathjax/mathjax-newcm-font/chtml.js", "fonts/mathjax-newcm-font/chtml.js"),
    ("@mathjax/mathjax-newcm-font/chtml", "fonts/mathjax-newcm-font/chtml"),
    ("@mathjax/mathjax-newcm-font/package.json", "fonts/mathjax-newcm-font/package.json"),
]

_logger = logging.getLogger(__name__)


def _mathjax_missing() -> list[str]:
    return [src for src, _ in MATHJAX_ASSETS if not (NODE_MODULES / src).exists()]


def _check_mathjax(app: Any) -> None:
    """Without the npm assets, warn (an error under -W) and fall back to the CDN."""
    if app.builder.format != "html" or not _mathjax_missing():
        return
    _logger.warning(
        "MathJax not found in %s (run `npm ci` at the repository root); "
        "this build loads MathJax from %s and will not render math offline",
        NODE_MODULES,
        MATHJAX_CDN,
    )
    app.config.mathjax_path = MATHJAX_CDN
    for name in ("mathjax4_config", "mathjax3_config"):
        if config := getattr(app.config, name, None):
            config.pop("loader", None)  # the CDN's MathJax finds its own fonts


def _copy_mathjax(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or _mathjax_missing():
        return
    dest = Path(app.outdir) / "_static" / "mathjax"
    for src, rel in MATHJAX_ASSETS:
        source, target = NODE_MODULES / src, dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


# -- Chinese in figures -----------------------------------------------------------
# The chapters call dlhomework.display.use_chinese_font(), which reads the font file from
# DLHOMEWORK_CJK_FONT first; the kernels inherit this process's environment.


def _use_npm_font(app: Any) -> None:
    """Point the chapters at Noto Sans SC in node_modules, or warn that it is missing."""
    from dlhomework.display import CJK_FONT_ENV, NPM_CJK_FONT

    if app.builder.format != "html" or os.environ.get(CJK_FONT_ENV):
        return
    font = NODE_MODULES / NPM_CJK_FONT.relative_to("node_modules")
    if font.is_file():
        os.environ[CJK_FONT_ENV] = str(font)
        return
    _logger.warning(
        "Noto Sans SC not found at %s (run `npm ci` at the repository root); "
        "the figures' Chinese text uses an installed CJK font or shows as boxes",
        font,
    )


# -- Search in Chinese ---------------------------------------------------------
# Sphinx cuts the text into words with jieba (in the docs extra); tools/jieba_userdict.txt
# adds the book's terms (反向传播, 梯度下降, ...) that jieba would cut apart.  In the
# browser, docs/_static/search-zh.js cuts a Chinese query against the index's words.


def _search_chinese() -> type:
    from sphinx.search.zh import SearchChinese

    class BookSearchChinese(SearchChinese):
        """Sphinx's Chinese search, working around sphinx-doc/sphinx#14229.

        Sphinx 9.0 names the browser's stemmer class after ``language_name``
        ("ChineseStemmer"), but the zh search ships the English stemmer, so every
        search page failed with "ChineseStemmer is not defined".
        """

        if sphinx.version_info >= (9,):
            language_name = "English"

    return BookSearchChinese


# -- Chinese line breaks ----------------------------------------------------------
# Chapters wrap their prose at ~100 columns.  HTML turns each line break into a space,
# which in Chinese shows as a stray gap mid-sentence ("文章 或代码").  Drop the line
# breaks between two CJK characters, and next to full-width punctuation (which carries
# its own spacing: "0.05（见", "13.6%，3.0"); code, literals and math keep theirs, and a
# break between Chinese characters and Latin text stays a space.

_CJK = r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK_PUNCT = r"[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
_CJK_LINE_BREAK = re.compile(
    rf"(?<={_CJK})[ \t]*\n[ \t]*(?={_CJK})"
    rf"|(?<={_CJK_PUNCT})[ \t]*\n[ \t]*"
    rf"|[ \t]*\n[ \t]*(?={_CJK_PUNCT})"
)
_KEEP_LINES = (nodes.literal_block, nodes.literal, nodes.raw, nodes.math, nodes.math_block)


class JoinChineseLines(SphinxTransform):
    """Remove the line breaks between two CJK characters in running text.

    MyST gives a soft line break its own Text node ("\n") between the text before and
    after it; a break inside one Text node is handled too.
    """

    default_priority = 900  # late: after MyST/myst-nb have built the paragraphs

    def apply(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            value = str(text)
            if parent is None or isinstance(parent, _KEEP_LINES) or "\n" not in value:
                continue
            # the characters on either side, also when they sit in a sibling node.
            # (Text is a str: find it by identity, list.index would match any "\n".)
            index = next(i for i, child in enumerate(parent.children) if child is text)
            before = "".join(node.astext() for node in parent[:index])[-1:]
            after = "".join(node.astext() for node in parent[index + 1 :])[:1]
            joined = _CJK_LINE_BREAK.sub("", before + value + after)
            joined = joined[len(before) : len(joined) - len(after)]
            if joined == value:
                continue
            if joined:
                parent[index] = nodes.Text(joined)
            else:
                del parent[index]


# -- Downloads -----------------------------------------------------------------
# The theme's download button offers each chapter's source (.md, a jupytext notebook).
# Also offer the notebook as executed by this build (.ipynb with every output), which
# myst-nb writes next to the HTML folder (build/jupyter_execute/docs/hw1-N.ipynb).


def _offer_executed_notebook(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"  # read by the theme's download button


# -- The figure list (docs/figures.md) ---------------------------------------------
# ```{figure-list}``` becomes, at write time, every image of every chapter (in the
# order of the book's toctree), each a thumbnail linking to the section it is in.


# -- Code of the package, without docstrings -------------------------------------


def code_without_docstring(path: Path, qualname: str) -> str:
    """The source of ``qualname`` (``func`` or ``Class.method``) in ``path``, dedented,
    with its docstring removed; decorators and signature kept."""
    text = path.read_text(encoding="utf-8")
    scope: list[ast.stmt] = ast.parse(text).body
    node: ast.AST | None = None
    for part in qualname.split("."):
        node = next(
            (
                n
                for n in scope
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and n.name == part
            ),
            None,
        )
        if node is None:
            raise ValueError(f"{qualname!r} not found in {path}")
        scope = node.body  # type: ignore[attr-defined]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    lines = text.splitlines()
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    keep = list(range(first - 1, node.end_lineno or node.lineno))
    body = node.body
    first_stmt = body[0] if body else None
    if (
        isinstance(first_stmt, ast.Expr)
        and isinstance(first_stmt.value, ast.Constant)
        and isinstance(first_stmt.value.value, str)
    ):
        doc = range(first_stmt.lineno - 1, first_stmt.end_lineno or first_stmt.lineno)
        keep = [i for i in keep if i not in doc]
    return textwrap.dedent("\n".join(lines[i] for i in keep))


class PySourceDirective(SphinxDirective):
    """``{pysource} ../src/dlhomework/models/two_layer.py`` with
    ``:pyobject: TwoLayerNet.backward``."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"pyobject": str, "caption": str}

    def run(self) -> list[nodes.Node]:
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        try:
            code = code_without_docstring(Path(path), self.options["pyobject"])
        except (OSError, ValueError, KeyError) as error:
            return [self.state.document.reporter.warning(f"pysource: {error}", line=self.lineno)]
        block = nodes.literal_block(code, code, language="python")
        self.set_source_info(block)
        if "caption" not in self.options:
            return [block]
        container = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
        parsed, _ = self.state.inline_text(self.options["caption"], self.lineno)
        caption = nodes.caption(self.options["caption"], "", *parsed)
        container += [caption, block]
        return [container]


FIGURE_LIST = "dlh-figure-list"  # class of the placeholder (a plain container pickles)


class FigureListDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        return [nodes.container(classes=[FIGURE_LIST])]


def _chapters_in_order(app: Any) -> list[str]:
    order: list[str] = []

    def walk(docname: str) -> None:
        for child in app.env.toctree_includes.get(docname, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(app.config.root_doc)
    return order


def _caption_of(image: nodes.image) -> tuple[str, str]:
    """The caption text and the id of the figure holding ``image`` (myst-nb's
    ``figure: {caption, name}``), or empty strings."""
    parent = image.parent
    while parent is not None and not isinstance(parent, nodes.figure):
        if isinstance(parent, nodes.section):
            return "", ""
        parent = parent.parent
    if parent is None:
        return "", ""
    captions = list(parent.findall(nodes.caption))
    text = captions[0].astext().strip() if captions else ""
    return text, (parent["ids"][0] if parent["ids"] else "")


def _fill_figure_lists(app: Any, doctree: nodes.document, docname: str) -> None:
    placeholders = [
        node for node in doctree.findall(nodes.container) if FIGURE_LIST in node["classes"]
    ]
    if not placeholders:
        return
    env = app.env
    content: list[nodes.Node] = []
    for chapter in _chapters_in_order(app):
        if chapter == docname:
            continue
        images = list(env.get_doctree(chapter).findall(nodes.image))
        if not images:
            continue
        title = env.titles[chapter].astext()
        uri = app.builder.get_relative_uri(docname, chapter)
        heading = nodes.paragraph(classes=["dlh-figures-chapter"])
        heading += nodes.reference("", title, internal=True, refuri=uri)
        grid = nodes.container(classes=["dlh-figures"])
        for number, image in enumerate(images, start=1):
            section = image.parent
            while section is not None and not isinstance(section, nodes.section):
                section = section.parent
            where = section[0].astext() if section is not None else title
            target = uri  # the chapter's top, or the section the figure is in
            if section is not None and section["ids"] and section[0].astext() != title:
                target = f"{uri}#{section['ids'][0]}"
            thumbnail = image.deepcopy()
            described, figure_id = _caption_of(image)  # the chapter's caption, if any
            if figure_id:
                target = f"{uri}#{figure_id}"
            label = (
                f"图 {number} · {described}"
                if described
                else (f"图 {number}" + (f" · {where}" if where != title else ""))
            )
            thumbnail["alt"] = f"{title}，{label}"
            link = nodes.reference("", "", internal=True, refuri=target)
            link += thumbnail
            slug = chapter.rsplit("/", 1)[-1]
            figure = nodes.figure(classes=["dlh-figure"], ids=[f"figure-{slug}-{number}"])
            figure += link
            caption = nodes.caption()
            caption += nodes.reference("", label, internal=True, refuri=target)
            figure += caption
            grid += figure
        content += [heading, grid]
    if not content:
        content = [nodes.paragraph(text="本书目前还没有图。")]
    for placeholder in placeholders:
        placeholder["classes"] = []  # replace_self would pass them on to the first node
        placeholder.replace_self([node.deepcopy() for node in content])


# -- Paddle, not imported by Sphinx -------------------------------------------------
# autodoc imports dlhomework.paddle_port to document it, and that imports Paddle: about
# 1 s and 300 MB for the Sphinx process, which runs no chapter (each chapter runs in a
# kernel of its own, which imports the real Paddle when the chapter needs it).  In the
# Sphinx process ``paddle`` is a stand-in: every attribute exists, a capitalized one is
# a plain class (the package's classes subclass paddle.nn.Layer and paddle.io.Dataset).
# What autodoc shows comes from the package's own code, so the API page is the same
# (tests/test_book_extension.py compares signatures and docstrings with the real Paddle).


class PaddleStandIn(types.ModuleType):
    """A module of the stand-in Paddle: any attribute, made on first use."""

    __path__: ClassVar[list[str]] = []  # a package: `import paddle.nn.functional` works

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value: Any
        if name[:1].isupper():  # a class: subclassable, subscriptable (Dataset[...])
            value = type(name, (), {"__module__": self.__name__, "__class_getitem__": _same})
        else:
            value = PaddleStandIn(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return PaddleStandIn(f"{self.__name__}()")


def _same(cls: type, item: Any) -> type:
    return cls


class PaddleStandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of ``paddle`` and ``paddle.*`` give :class:`PaddleStandIn` modules."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname == "paddle" or fullname.startswith("paddle."):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        return PaddleStandIn(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass

    @classmethod
    def install(cls) -> None:
        """Use the stand-in in this process (not if Paddle was already imported)."""
        if "paddle" not in sys.modules and not any(isinstance(f, cls) for f in sys.meta_path):
            sys.meta_path.insert(0, cls())


def setup(app: Any) -> dict[str, Any]:
    PaddleStandInFinder.install()
    app.add_directive("figure-list", FigureListDirective)
    app.add_directive("pysource", PySourceDirective)
    app.connect("doctree-resolved", _fill_figure_lists)
    app.connect("builder-inited", _check_mathjax)
    app.connect("builder-inited", _use_npm_font)
    app.connect("build-finished", _copy_mathjax)
    app.add_search_language(_search_chinese())
    app.add_transform(JoinChineseLines)
    # before the theme builds its header buttons (priority 501)
    app.connect("html-page-context", _offer_executed_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
