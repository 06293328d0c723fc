"""What every chapter of the book shows besides its computations: glued numbers, tables, fonts.

A chapter's hidden setup cell imports :func:`glue` and calls :func:`use_chinese_font`;
its tables come from :func:`table`; its hidden cells check the prose's claims about
timings and rounding with :func:`expect`.  Everything here also works in a reader's own
Jupyter, where myst-nb (the book's build tool) is usually not installed.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import warnings
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

__all__ = [
    "BOOK_BUILD_ENV",
    "CJK_FAMILIES",
    "CJK_FONT_ENV",
    "NPM_CJK_FONT",
    "expect",
    "glue",
    "table",
    "use_chinese_font",
]

BOOK_BUILD_ENV = "DLHOMEWORK_BOOK_BUILD"
"""Environment variable that conf.py sets to ``"1"`` for the kernels running the chapters."""

CJK_FONT_ENV = "DLHOMEWORK_CJK_FONT"
"""Environment variable naming a .ttf/.otf/.ttc font file for Chinese text in figures."""

NPM_CJK_FONT = Path(
    "node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"
)
"""Noto Sans SC (OFL 1.1), which ``npm ci`` installs from package.json for the book build."""

CJK_FAMILIES = (
    "Noto Sans SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",  # the first face of Debian's NotoSansCJK-*.ttc; it has every hanzi too
)
"""Installed font families that can draw Simplified Chinese, in order of preference."""

# File names of those families, for fonts installed after matplotlib built its font cache.
_CJK_FILE = re.compile(
    r"NotoSans(CJK|SC)|SourceHanSans|simhei|msyh|PingFang|Hiragino Sans GB|wqy-(zen|micro)hei",
    re.IGNORECASE,
)
_GLYPH_MISSING = r"Glyph \d+ .* missing from font"


class HTML:
    """A string of HTML that Jupyter renders (used when IPython is not installed).

    Examples
    --------
    >>> page = HTML("<b>bold</b>")
    >>> page
    HTML('<b>bold</b>')
    >>> page._repr_html_()  # what Jupyter shows, rendered
    '<b>bold</b>'
    """

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_html_(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return f"HTML({self.data!r})"


def glue(name: str, value: Any, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's text to quote, where that is possible.

    Inside a notebook that myst-nb executes, this is ``myst_nb.glue`` (the text quotes the
    value with MyST's ``glue:text`` role).  Anywhere else (a reader's own Jupyter without
    myst-nb, a plain Python script) it does nothing, so a downloaded chapter runs
    unchanged.  NumPy scalars are passed on as Python numbers: NumPy 2 would display
    ``np.float64(0.5)``, which the role cannot format as a number (``:.2f``).

    Parameters
    ----------
    name : str
        The key the chapter's text refers to.
    value : object
        The value; a NumPy scalar or 0-d array becomes a Python ``float``/``int``/``bool``.
    display : bool, default False
        Also show the value in the cell's output (in the book and in Jupyter).

    See Also
    --------
    table : the chapters' tables.

    Examples
    --------
    Outside a notebook nothing is shown and nothing is recorded:

    >>> import numpy as np
    >>> glue("mse", np.float64(0.25)) is None
    True
    """
    if hasattr(value, "ndim") and hasattr(value, "item") and value.ndim == 0:
        value = value.item()
    ipython = sys.modules.get("IPython")
    if ipython is None or ipython.get_ipython() is None:
        return  # not in a Jupyter kernel: nothing to glue into
    try:
        myst_nb = importlib.import_module("myst_nb")
    except ImportError:
        if display:
            importlib.import_module("IPython.display").display(value)
        return
    myst_nb.glue(name, value, display)


def expect(condition: object, message: str) -> None:
    """Check a claim of the book that depends on the machine: fail the build, warn a reader.

    For what a measurement on one computer says (a timing, a ratio of timings, the last
    bits of a floating-point result that depend on the CPU, libm or BLAS) where a plain
    ``assert`` would stop a reader's notebook on another machine.  Inside the book build
    (:data:`BOOK_BUILD_ENV` is ``"1"``), a false ``condition`` raises
    ``AssertionError(message)``, so the book is never published with prose its own
    measurement contradicts.  Anywhere else it only warns, naming the claim; the rest
    of the notebook runs.  Claims that hold on every machine stay ``assert``.

    Parameters
    ----------
    condition : object
        The claim, checked with ``bool(condition)``.
    message : str
        What the prose claims, in a few words (the warning and the error say it).

    Raises
    ------
    AssertionError
        If ``condition`` is false inside the book build.
    TypeError
        If ``message`` is not a non-empty string.

    Warns
    -----
    UserWarning
        If ``condition`` is false outside the book build.

    See Also
    --------
    glue : the measured numbers the prose quotes.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     expect(3.0 > 2.0, "NumPy is faster")
    ...     expect(1.0 > 2.0, "Paddle is slower")
    >>> [str(w.message) for w in caught]
    ["the book's claim does not hold on this machine: Paddle is slower"]
    """
    if not isinstance(message, str) or not message:
        raise TypeError(f"message must be a non-empty string, got {message!r}")
    if condition:
        return
    if os.environ.get(BOOK_BUILD_ENV) == "1":
        raise AssertionError(message)
    warnings.warn(f"the book's claim does not hold on this machine: {message}", stacklevel=2)


def table(header: Iterable[object], rows: Iterable[Iterable[object]], caption: str = "") -> Any:
    """An HTML table of ``rows`` under ``header``, for a notebook cell's output.

    Every cell is converted with ``str`` and escaped, so ``<`` and ``&`` show as themselves;
    a line break (``"\\n"``) in a cell starts a new line.

    Parameters
    ----------
    header : iterable of object
        The column titles.
    rows : iterable of iterable of object
        The rows, each with as many cells as ``header``; numbers are shown with ``str``,
        so format them first (``f"{mse:.4f}"``) where the digits matter.
    caption : str, default ""
        A title above the table (none when empty).

    Returns
    -------
    IPython.display.HTML
        Rendered as a table by Jupyter and the book; when IPython is not installed, an
        object with the same ``data`` attribute and ``_repr_html_`` method.

    Raises
    ------
    ValueError
        If a row has a different number of cells than ``header``.

    Examples
    --------
    >>> t = table(["x", "x < 1"], [[0.5, True], [2, False]])
    >>> print(t.data.replace("<tr>", "\\n<tr>"))
    <table class="table"><thead>
    <tr><th>x</th><th>x &lt; 1</th></tr></thead><tbody>
    <tr><td>0.5</td><td>True</td></tr>
    <tr><td>2</td><td>False</td></tr></tbody></table>
    """

    def cells(values: Iterable[object], tag: str) -> str:
        return "".join(f"<{tag}>{escape(str(v)).replace(chr(10), '<br>')}</{tag}>" for v in values)

    header = list(header)
    body = []
    for number, row in enumerate(rows):
        row = list(row)
        if len(row) != len(header):
            raise ValueError(
                f"rows[{number}] must have {len(header)} cells like header, got {len(row)}"
            )
        body.append(f"<tr>{cells(row, 'td')}</tr>")
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    html = (
        f'<table class="table">{title}<thead><tr>{cells(header, "th")}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    try:
        return importlib.import_module("IPython.display").HTML(html)
    except ImportError:
        return HTML(html)


def _npm_font_candidates() -> list[Path]:
    """Where ``npm ci`` may have put Noto Sans SC: beside this package's checkout or the cwd."""
    here = Path(__file__).resolve().parent
    folders = [Path.cwd(), *Path.cwd().parents, *here.parents]
    return list(dict.fromkeys(folder / NPM_CJK_FONT for folder in folders))


def _installed_cjk_font() -> str | None:
    """A CJK family that matplotlib knows, or can find among the system's font files."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {font.name for font in font_manager.fontManager.ttflist}
        return next((family for family in CJK_FAMILIES if family in names), None)

    if family := known():
        return family
    # A font installed after matplotlib cached its list of fonts is not known yet.
    for path in font_manager.findSystemFonts():
        if _CJK_FILE.search(Path(path).name):
            with contextlib.suppress(OSError, RuntimeError, ValueError):
                font_manager.fontManager.addfont(path)
    return known()


def _register(path: Path) -> str:
    from matplotlib import font_manager

    if all(Path(font.fname) != path for font in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def _has_minus(path: str) -> bool:
    """Whether the font file has U+2212, the minus sign matplotlib puts on axes."""
    from matplotlib import ft2font

    return 0x2212 in ft2font.FT2Font(path).get_charmap()


def use_chinese_font() -> str | None:
    """Let matplotlib figures carry Chinese titles, axis labels and legends.

    Looks for a font file named by the environment variable ``DLHOMEWORK_CJK_FONT``, then
    for Noto Sans SC in a ``node_modules`` folder (``npm ci`` at the repository's root
    installs it for the book build) beside the current directory or one of its parents,
    then for an installed CJK family (:data:`CJK_FAMILIES`).  The font found is registered
    with matplotlib and put first in ``font.sans-serif``; its Latin letters and digits are
    used too.  ``axes.unicode_minus`` is switched off only if the font has no minus sign.

    Returns
    -------
    str or None
        The family used, or None when no CJK font was found: then one warning says so, the
        figures still render (Chinese characters as empty boxes), and matplotlib's
        per-character "Glyph missing" warnings are silenced.

    See Also
    --------
    glue, table : the other helpers of the chapters' setup cell.

    Examples
    --------
    The font comes first, so Chinese text in a figure is drawn with it:

    >>> import matplotlib as mpl, warnings
    >>> with mpl.rc_context(), warnings.catch_warnings(record=True):
    ...     family = use_chinese_font()
    ...     first = mpl.rcParams["font.sans-serif"][0]
    >>> family is None or first == family
    True
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    family = None
    configured = os.environ.get(CJK_FONT_ENV)
    if configured:
        if Path(configured).is_file():
            family = _register(Path(configured).resolve())
        else:
            warnings.warn(
                f"{CJK_FONT_ENV} must name a font file, got {configured!r}; looking elsewhere",
                stacklevel=2,
            )
    if family is None:
        found = next((path for path in _npm_font_candidates() if path.is_file()), None)
        family = _register(found.resolve()) if found else _installed_cjk_font()
    if family is None:
        warnings.warn(
            "no Chinese font found: Chinese text in figures shows as empty boxes. "
            f"Run `npm ci` in the repository, install a CJK font (e.g. Noto Sans CJK SC) "
            f"or set {CJK_FONT_ENV} to a .ttf/.otf file.",
            stacklevel=2,
        )
        warnings.filterwarnings("ignore", message=_GLYPH_MISSING, category=UserWarning)
        return None
    mpl.rcParams["font.family"] = "sans-serif"
    rest = [name for name in mpl.rcParams["font.sans-serif"] if name != family]
    mpl.rcParams["font.sans-serif"] = [family, *rest]
    path = font_manager.findfont(font_manager.FontProperties(family=[family]))
    mpl.rcParams["axes.unicode_minus"] = _has_minus(path)
    return family
