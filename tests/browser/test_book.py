"""The built book in a real browser: headless Chromium with the network off.

Run by ``tox -e browser`` after ``tox -e book`` (it reads ``build/html``; set
``DLHOMEWORK_HTML`` to test another build).  Chromium is Debian's ``chromium``
(``.ci/run`` installs it) or any Chromium/Chrome found on PATH or named by
``CHROMIUM_PATH``; Playwright (PyPI) only drives it and downloads no browser.
Without Chromium, Playwright or a built book the tests are skipped with the reason,
unless ``DLHOMEWORK_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which turns every such
skip into a failure.

Every page of the book (every document in the search index) is opened once, from disk
(file://), as a reader of a downloaded copy would: the stricter of the two ways the book
is read (what loads from disk loads from a server too: no absolute paths, no fetch of a
local file).  The search and the redirect at the root read the book served from
127.0.0.1.  The pages are opened one after the other in one tab (one for the disk, one
for the server), as a reader clicks through the book.  Each page must show:

- no JavaScript error (uncaught exceptions, ``console.error``), no failed request and
  no HTTP error status;
- no request to any other host (each one is aborted and reported), on top of
  Chromium's own network being mapped to nowhere;
- every formula typeset by MathJax: each ``.math`` element holds an ``mjx-container``,
  MathJax reports no TeX error (``mjx-merror``), and no raw ``$...$``, ``\\(`` or
  ``\\[`` is left in the text outside code;
- no MyST glue role left as text (``{glue:text}`name```: e.g. an unclosed code
  fence swallowed the prose after it);
- every image loaded (``naturalWidth > 0``);
- a download button for the chapter's source that resolves.

Code must not scroll sideways (``test_code_width``, one per page; alone:
``pytest tests/browser -k width``): at the 1280 px viewport, with every dropdown, hidden
cell and tab opened, no ``pre`` of shown code (a code cell's source, a literal block, a
``{pysource}`` listing) may be wider than its box (``scrollWidth > clientWidth + 1``);
the failure names the page, each block's longest line and the widths.  Neither may a
cell's printed output (outputs wrap, book.css) nor a docstring's example on the API page.
The widths are measured on the page ``test_page`` opened; run alone, the width tests open
each page.

Search: Chinese terms and phrases, and API names, find the right page.
Screenshots (build/screenshots/), taken on the pages as they are opened: the index, the
figure list, a chapter with math and a figure, in light and dark mode, and a search
result page.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("DLHOMEWORK_HTML", ROOT / "build" / "html")).resolve()
SHOTS = Path(os.environ.get("DLHOMEWORK_SCREENSHOTS", HTML.parent / "screenshots")).resolve()
REQUIRED = os.environ.get("DLHOMEWORK_REQUIRE_BROWSER", "") == "1"
PLACEHOLDER = "本章正在编写中"  # text of a chapter that is not written yet

# Flags for a root, headless, offline Chromium (see the machine notes): no sandbox as
# root, no GPU, and none of Chromium's own background connections; every host name
# except 127.0.0.1 resolves to nothing.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
VIEWPORT = {"width": 1280, "height": 900}

# Search cases: (query, a page that must be among the results).  A case whose page is
# still a placeholder is skipped.
SEARCHES_ZH = [
    ("归一化", "docs/hw1-2"),
    ("反向传播", "docs/hw1-4"),
]
# Phrases that are not words of the index: Sphinx alone finds nothing for them;
# docs/_static/search-zh.js cuts them into words that are.
SEARCHES_ZH_PHRASES = [
    ("搭建环境", "docs/hw1-5"),
    ("飞桨的环境检查", "docs/hw1-5"),
]
SEARCHES_API = [
    ("load_housing", "docs/api", "dlhomework.data.load_housing"),
    ("Normalizer", "docs/api", "dlhomework.preprocessing.Normalizer"),
]


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (DLHOMEWORK_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def _book_pages() -> list[str]:
    """Every document of the book, as the search index lists it (docs/index, ...)."""
    index = HTML / "searchindex.js"
    if not index.is_file():
        return []
    text = index.read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return sorted(data["docnames"])


def _find_chromium() -> str | None:
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return named if Path(named).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


PAGES = _book_pages()


# -- fixtures -------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """build/html served on 127.0.0.1 (a free port), as its base URL."""
    if not (HTML / "docs" / "index.html").is_file():
        _unavailable(f"no built book at {HTML}: run `tox -e book` first")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable('playwright is not installed (pip install "dlhomework[browser]")')
    executable = _find_chromium()
    if executable is None:
        named = os.environ.get("CHROMIUM_PATH")
        _unavailable(
            f"CHROMIUM_PATH={named} is not a file"
            if named
            else "no Chromium found (install Debian's `chromium`, or set CHROMIUM_PATH): "
            f"looked for {', '.join(CHROMIUM_NAMES)} on PATH"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def disk(browser: Any) -> Iterator[Tab]:
    """A tab reading the book from disk (file://), 1280 px wide, in Chinese, light."""
    tab = Tab(browser, HTML.as_uri() + "/", viewport=VIEWPORT, locale="zh-CN", color_scheme="light")
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def served(browser: Any, site: str) -> Iterator[Tab]:
    """A tab reading the book from 127.0.0.1."""
    tab = Tab(browser, site, viewport=VIEWPORT, locale="zh-CN", color_scheme="light")
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


# -- one page, opened and checked ------------------------------------------------------


@dataclass
class Visit:
    url: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    page: Any = None


def _local(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    if base.startswith("file:"):
        return url.startswith(HTML.as_uri())
    return url.startswith(base)


class Tab:
    """One browser tab that opens pages one after the other, as a reader clicking
    through the book would.  Every page starts in the same renderer process: a new
    context or tab per page costs Chromium about 0.3-0.9 s of a core in process start-up
    (measured), more than checking most pages.  Errors and requests are recorded
    against the page being visited."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.base = base
        self.scheme = options.get("color_scheme", "light")
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.visit = Visit(url="about:blank", page=self.page)
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.visit.errors.append(f"uncaught: {exc}"))
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _route(self, request_route: Any) -> None:
        url = request_route.request.url
        if _local(url, self.base):
            request_route.continue_()
        else:
            self.visit.foreign.append(url)
            request_route.abort("blockedbyclient")

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.visit.errors.append(f"console.error: {msg.text} @ {msg.location}")

    def _failed(self, req: Any) -> None:
        # Going to the next page aborts what the last one was still fetching (its
        # favicon, MathJax's speech worker): net::ERR_ABORTED is no error of either.
        # A missing file fails as net::ERR_FILE_NOT_FOUND (disk) or HTTP 404 (server).
        if _local(req.url, self.base) and req.failure != "net::ERR_ABORTED":
            self.visit.errors.append(f"request failed: {req.url} ({req.failure})")

    def _response(self, resp: Any) -> None:
        if resp.status >= 400:
            self.visit.errors.append(f"HTTP {resp.status}: {resp.url}")

    def open(self, path: str) -> Visit:
        """Go to base + path; wait for its math and images; what happened there."""
        # back to the tab's colour scheme (a screenshot may have left it dark); the round
        # trip also delivers every event the previous page has sent so far
        self.page.emulate_media(color_scheme=self.scheme)
        self.visit = Visit(url=self.base + path, page=self.page)
        self.page.goto(self.visit.url, wait_until="load")
        _settle(self.page)
        return self.visit

    def close(self) -> None:
        self.context.close()


def _settle(page: Any) -> None:
    """Wait for MathJax's typesetting (where the page has math) and every image.

    If MathJax never starts, stop waiting after 30 s: _check_page then reports the
    untypeset math (a clearer failure than a time-out).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """() => !document.querySelector('.math')
                     || (window.MathJax && MathJax.startup && MathJax.startup.promise
                         && document.querySelectorAll('mjx-container').length > 0)""",
            timeout=30_000,
        )
    page.evaluate(
        """async () => {
             if (window.MathJax && MathJax.startup && MathJax.startup.promise)
               await MathJax.startup.promise;
             await Promise.all(Array.from(document.images).map(
               (img) => img.decode().catch(() => null)));
           }"""
    )


CHECKS_JS = r"""() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const math = Array.from(article.querySelectorAll('span.math, div.math'));
  const untypeset = math.filter((el) => !el.querySelector('mjx-container'))
                        .map((el) => el.textContent.trim().slice(0, 80));
  const texErrors = Array.from(document.querySelectorAll('mjx-merror'))
                        .map((el) => el.textContent.slice(0, 80));
  // Text outside code, scripts and typeset math.
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .cell_input';
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement && node.parentElement.closest(skip)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const raw = [];
  const texPattern = /\$[^$\s][^$]*\$|\\\(|\\\[|\\begin\{/;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (texPattern.test(node.textContent)) raw.push(node.textContent.trim().slice(0, 80));
  }
  // MyST glue roles left as text (an unclosed code fence swallows the prose after it).
  const cellInput = '.cell_input, script, style';
  const leaked = [];
  const all = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement && node.parentElement.closest(cellInput)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = all.nextNode(); node; node = all.nextNode()) {
    const hit = node.textContent.match(/\{glue(:[a-z]+)?\}`[^`]*`/);
    if (hit) leaked.push(hit[0]);
  }
  const images = Array.from(document.images).map((img) => ({
    src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0,
  }));
  const download = Array.from(document.querySelectorAll(
    '.dropdown-download-buttons a.dropdown-item')).map((a) => a.getAttribute('href'));
  return {
    title: document.title, h1: (article.querySelector('h1') || {}).textContent || '',
    math: math.length, containers: document.querySelectorAll('mjx-container').length,
    untypeset, texErrors, raw, leaked, images, download,
    text: article.innerText,
  };
}"""


def _check_page(visit: Visit) -> dict[str, Any]:
    facts: dict[str, Any] = visit.page.evaluate(CHECKS_JS)
    problems = []
    if visit.errors:
        problems.append(f"JavaScript/network errors: {visit.errors}")
    if visit.foreign:
        problems.append(f"requests to other hosts (the book must read offline): {visit.foreign}")
    if not facts["h1"].strip():
        problems.append("no <h1> in the article")
    if facts["untypeset"]:
        problems.append(f"math left untypeset by MathJax: {facts['untypeset']}")
    if facts["texErrors"]:
        problems.append(f"MathJax TeX errors: {facts['texErrors']}")
    if facts["raw"]:
        problems.append(f"raw TeX left in the text: {facts['raw']}")
    if facts["leaked"]:
        problems.append(f"unrendered MyST glue roles in the page: {facts['leaked']}")
    broken = [img["src"] for img in facts["images"] if not img["ok"]]
    if broken:
        problems.append(f"images that did not load: {broken}")
    assert not problems, f"{visit.url}:\n  " + "\n  ".join(problems)
    return facts


# -- tests ------------------------------------------------------------------------------


def test_the_book_has_pages() -> None:
    if not PAGES:
        _unavailable(f"no search index at {HTML}: run `tox -e book` first")
    assert "docs/index" in PAGES
    assert "docs/api" in PAGES
    assert any(p.startswith("docs/hw1-") for p in PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_page(disk: Tab, shots: Path, path: str) -> None:
    """One page, opened from disk; a chapter's download links resolve to files; the
    screenshots of the pages that have them."""
    visit = disk.open(f"{path}.html")
    facts = _check_page(visit)
    _screenshots(visit.page, path, shots)
    if path.startswith("docs/hw1-"):
        # the theme's download button: the source (.md) and, once executed, the .ipynb
        assert facts["download"], f"{path}: no download button"
        for href in facts["download"]:
            if href.startswith("javascript") or href == "#":
                continue  # "print to PDF"
            target = (HTML / path).parent / unquote(urlsplit(href).path)
            assert target.resolve().is_file(), f"{path}: download {href} -> no such file"
    _widths[path] = visit.page.evaluate(WIDTHS_JS)  # last: it opens every dropdown


# -- code that scrolls sideways -----------------------------------------------------------

# Opens what a reader can open (dropdowns, hidden cells: <details>; every tab of a tab
# set), then measures each <pre> of the article: code (a code cell's source, any other
# highlighted block), outputs (inside div.cell_output) and docstrings' examples (inside
# an autodoc entry, dl.py, of the API page).  For a block wider than its
# box: its longest line (measured in the block's font) and the widths.
WIDTHS_JS = r"""() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const style = document.createElement('style');
  style.textContent = '.sd-tab-content { display: block !important; }';
  document.head.appendChild(style);
  const article = document.querySelector('article.bd-article') || document.body;
  const canvas = document.createElement('canvas').getContext('2d');
  const describe = (pre) => {
    canvas.font = getComputedStyle(pre).font;
    let longest = '', longestPx = -1;
    for (const line of pre.textContent.split('\n')) {
      const px = canvas.measureText(line).width;
      if (px > longestPx) { longest = line; longestPx = px; }
    }
    return {line: longest.trim().slice(0, 60), scrollWidth: pre.scrollWidth,
            clientWidth: pre.clientWidth};
  };
  const code = [], outputs = [], docstrings = [], hidden = [];
  const blocks = article.querySelectorAll(
    'div.cell_input pre, div.highlight pre, div.cell_output pre');
  for (const pre of blocks) {
    const output = pre.closest('div.cell_output') !== null;
    const docstring = pre.closest('dl.py') !== null;  // in an autodoc entry (API page)
    if (pre.clientWidth === 0) {
      if (!output) hidden.push(pre.textContent.trim().slice(0, 60));
    } else if (pre.scrollWidth > pre.clientWidth + 1) {
      (output ? outputs : docstring ? docstrings : code).push(describe(pre));
    }
  }
  return {code, outputs, docstrings, hidden, blocks: blocks.length};
}"""
_widths: dict[str, dict[str, Any]] = {}  # page -> what WIDTHS_JS found there


def _widths_on(disk: Tab, path: str) -> dict[str, Any]:
    """WIDTHS_JS on the page: as test_page measured it, else on the page opened now."""
    if path not in _widths:
        _widths[path] = disk.open(f"{path}.html").page.evaluate(WIDTHS_JS)
    return _widths[path]


def _too_wide(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {b['scrollWidth']} px in a {b['clientWidth']} px box: {b['line']!r}" for b in blocks
    )


@pytest.mark.parametrize("path", PAGES)
def test_code_width(disk: Tab, path: str) -> None:
    """No shown code, no printed output and no docstring example (API page) scrolls
    sideways (1280 px viewport: ~75 characters in a chapter, 69-73 in an API entry;
    outputs wrap, book.css; tests/test_package.py keeps examples to 69 columns)."""
    found = _widths_on(disk, path)
    if found["hidden"]:
        pytest.fail(f"{path}: code blocks that stayed hidden: {found['hidden']}", pytrace=False)
    wide = found["code"] + found["outputs"] + found["docstrings"]
    if wide:
        pytest.fail(
            f"{path}: {len(wide)} code, output or example block(s) scroll sideways at "
            f"{VIEWPORT['width']} px (the longest line of each):\n{_too_wide(wide)}",
            pytrace=False,
        )


def _module_name(path: Path) -> str:
    """``dlhomework.x`` for ``x.py`` and for a subpackage's ``x/__init__.py``."""
    return f"dlhomework.{path.parent.name if path.name == '__init__.py' else path.stem}"


def _public_api(path: Path) -> list[str]:
    """Public functions and classes of a module file (read, not imported): those it
    defines, or, for a subpackage's ``__init__.py``, those its ``__all__`` re-exports.

    Reading the source keeps modules that need Paddle at import time checkable here.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
    ]
    if path.name == "__init__.py":  # a subpackage: what it re-exports from its modules
        defined += [
            alias.asname or alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
            for alias in node.names
            if not (alias.asname or alias.name).isupper()  # constants are data, not API
        ]
    exported: list[str] | None = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            exported = list(ast.literal_eval(node.value))
    names = [name for name in defined if exported is None or name in exported]
    return [f"{_module_name(path)}.{name}" for name in names]


def test_every_public_function_has_a_stable_anchor() -> None:
    """Each public module is on the API page, each public function/class at #its.full.name."""
    api = _page_text("docs/api")
    if not api:
        _unavailable(f"no built book at {HTML}")
    anchors = set(re.findall(r'id="(dlhomework\.[^"]+)"', api))
    package = ROOT / "src" / "dlhomework"
    files = sorted(path for path in package.glob("*.py") if not path.stem.startswith("_"))
    files += sorted(package.glob("*/__init__.py"))  # subpackages, e.g. experiments/
    assert files
    undocumented = [_module_name(f) for f in files if f'id="module-{_module_name(f)}"' not in api]
    assert not undocumented, f"modules missing from docs/api.md: {undocumented}"
    missing = [name for f in files for name in _public_api(f) if name not in anchors]
    assert not missing, f"public objects without an anchor on the API page: {missing}"


PLOTS = re.compile(r"\bplt\.|\.subplots\(|\.plot\(")


def _code_cells(source: str) -> list[str]:
    return re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", source, flags=re.M | re.S)


def test_chapters_that_plot_show_their_figures() -> None:
    """A chapter whose code cells draw must show images (a kernel on a non-inline
    matplotlib backend, e.g. an inherited MPLBACKEND=Agg, silently drops them all)."""
    chapters = [p for p in PAGES if p.startswith("docs/hw1-")]
    if not chapters:
        _unavailable(f"no built book at {HTML}")
    plotting = [
        path
        for path in chapters
        if (source := ROOT / f"{path}.md").is_file()
        and any(PLOTS.search(cell) for cell in _code_cells(source.read_text(encoding="utf-8")))
    ]
    empty = [path for path in plotting if "<img" not in _page_text(path)]
    assert not empty, f"chapters that plot but show no figure: {empty}"


def test_root_redirects_into_the_book(served: Tab) -> None:
    visit = served.open("index.html")
    visit.page.wait_for_url("**/docs/index.html", timeout=10_000)
    assert not visit.errors and not visit.foreign


def _search(tab: Tab, query: str) -> tuple[Visit, list[str]]:
    visit = tab.open(f"search.html?q={quote(query)}")
    visit.page.wait_for_function(
        """() => typeof Search !== 'undefined' && Search.title
                 && Search.title.innerText === Documentation.gettext('Search Results')""",
        timeout=30_000,
    )
    hrefs = visit.page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    hrefs = [href.removeprefix("./") for href in hrefs]
    assert not visit.errors, f"search {query!r}: {visit.errors}"
    assert not visit.foreign, f"search {query!r} left the book: {visit.foreign}"
    return visit, hrefs


def _page_text(path: str) -> str:
    html = HTML / f"{path}.html"
    return html.read_text(encoding="utf-8") if html.is_file() else ""


@pytest.mark.parametrize(
    ("query", "expected", "phrase"),
    [(*case, False) for case in SEARCHES_ZH] + [(*case, True) for case in SEARCHES_ZH_PHRASES],
)
def test_search_in_chinese(
    served: Tab, shots: Path, query: str, expected: str, phrase: bool
) -> None:
    text = _page_text(expected)
    if not text:
        _unavailable(f"{expected}.html was not built")
    if PLACEHOLDER in text:
        pytest.skip(f"{expected} is not written yet (placeholder page)")
    visit, hrefs = _search(served, query)
    pages = {href.split(".html")[0] for href in hrefs}
    assert expected in pages, f"search {query!r} found {sorted(pages)}, not {expected}"
    in_index = visit.page.evaluate(
        "(q) => Object.prototype.hasOwnProperty.call(Search._index.terms, q)", query
    )
    words = visit.page.evaluate("(q) => splitQuery(q)", query)
    if phrase:  # the case really exercises the query splitter
        assert not in_index and len(words) > 1, (query, words)
    else:  # jieba (with tools/jieba_userdict.txt) indexed the whole word
        assert in_index and words == [query], (query, words)
    if query == SEARCHES_ZH[0][0]:
        visit.page.screenshot(path=str(shots / "search.png"))


@pytest.mark.parametrize(("query", "expected", "anchor"), SEARCHES_API)
def test_search_api_names(served: Tab, query: str, expected: str, anchor: str) -> None:
    _, hrefs = _search(served, query)
    assert f"{expected}.html#{anchor}" in hrefs, f"search {query!r} found {hrefs}"
    # the stable anchor exists on the API page
    api = served.open(f"{expected}.html#{anchor}")
    assert not api.errors, api.errors
    assert api.page.locator(f"[id='{anchor}']").count() == 1


def test_search_from_disk(disk: Tab) -> None:
    if not PAGES:
        _unavailable(f"no built book at {HTML}")
    _, hrefs = _search(disk, "load_housing")
    assert any("docs/api.html" in href for href in hrefs), hrefs


def _chapter_for_screenshots() -> str:
    """The first chapter with both math and a figure (else with math, else hw1-5)."""
    chapters = [p for p in PAGES if p.startswith("docs/hw1-")]
    scored = []
    for path in chapters:
        text = _page_text(path)
        scored.append((('class="math' in text) + ("<img" in text), path))
    best = max(scored, default=(0, "docs/hw1-5"), key=lambda item: item[0])
    return best[1] if best[0] else "docs/hw1-5"


def _screenshots(page: Any, path: str, shots: Path) -> None:
    """The index, the figure list and a chapter with math and a figure, light then dark,
    for the CI artifacts (and a human): the page already open, switched to dark by the
    system setting the book follows (its theme's default mode is "auto")."""
    chapter = _chapter_for_screenshots()
    names = {"docs/index": "index", "docs/figures": "figures", chapter: chapter.split("/")[-1]}
    if path not in names:
        return
    name = names[path]
    for scheme in ("light", "dark"):
        if scheme == "dark":
            page.emulate_media(color_scheme="dark")
            page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        suffix = "" if scheme == "light" else "-dark"
        if path != chapter:
            page.screenshot(path=str(shots / f"{name}{suffix}.png"))
            continue
        if scheme == "light":
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        # the first figure (else the first formula) in view
        target = page.locator("div.cell_output img, div.math").first
        if target.count():
            target.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"{name}-figure{suffix}.png"))
    if path == "docs/index":
        assert (shots / "index.png").stat().st_size > 10_000
        assert (shots / "index-dark.png").stat().st_size > 10_000
