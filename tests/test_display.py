"""dlhomework.display: glue, tables and the Chinese font of the chapters' figures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
import warnings
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager

from dlhomework import display
from dlhomework.display import BOOK_BUILD_ENV, NPM_CJK_FONT, expect, glue, table, use_chinese_font

ROOT = Path(__file__).resolve().parents[1]
NPM_FONT = ROOT / NPM_CJK_FONT
needs_npm_font = pytest.mark.skipif(
    not NPM_FONT.is_file(), reason="Noto Sans SC not in node_modules (run `npm ci`)"
)


# -- glue ----------------------------------------------------------------------------


class _FakeIPython(types.ModuleType):
    """Just enough of IPython for glue: a running shell and IPython.display.display."""

    def __init__(self, shell: object | None) -> None:
        super().__init__("IPython")
        self.shell = shell
        self.shown: list[object] = []

    def get_ipython(self) -> object | None:
        return self.shell


@pytest.fixture
def kernel(monkeypatch):
    """Pretend to run in a Jupyter kernel; returns (fake IPython, list of myst_nb.glue calls)."""
    ipython = _FakeIPython(shell=object())
    ipython_display = types.ModuleType("IPython.display")
    ipython_display.display = ipython.shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", ipython_display)
    calls: list[tuple[str, object, bool]] = []
    myst_nb = types.ModuleType("myst_nb")
    myst_nb.glue = lambda name, value, show: calls.append((name, value, show))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myst_nb", myst_nb)
    return ipython, calls


def test_glue_hands_numpy_scalars_to_myst_nb_as_python_numbers(kernel):
    _, calls = kernel
    glue("mse", np.float64(0.25))
    glue("n", np.int64(404), display=True)
    glue("ok", np.bool_(True))
    glue("zero_d", np.array(1.5))
    glue("text", "与脚本相同")
    assert calls == [
        ("mse", 0.25, False),
        ("n", 404, True),
        ("ok", True, False),
        ("zero_d", 1.5, False),
        ("text", "与脚本相同", False),
    ]
    assert [type(value) for _, value, _ in calls] == [float, int, bool, float, str]
    assert repr(calls[0][1]) == "0.25"  # what {glue:text} parses; np.float64 shows its type


def test_glue_without_myst_nb_is_silent_and_shows_only_on_request(kernel, monkeypatch, capsys):
    ipython, _ = kernel
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb now fails
    glue("mse", np.float64(0.25))
    assert ipython.shown == []
    glue("mse", np.float64(0.25), display=True)
    assert ipython.shown == [0.25]
    assert capsys.readouterr() == ("", "")


def test_glue_outside_a_kernel_does_nothing(kernel, capsys):
    ipython, calls = kernel
    ipython.shell = None  # IPython importable, but no shell running
    glue("mse", 0.25, display=True)
    assert calls == [] and ipython.shown == []
    assert capsys.readouterr() == ("", "")


def test_glue_in_a_real_kernel_records_what_myst_nb_reads(tmp_path):
    """A real Jupyter kernel: the output carries the number as text, without np.float64."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("myst_nb")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import numpy as np\nfrom dlhomework.display import glue\nglue('mse', np.float64(0.25))"
        )
    ]
    env = {"PYTHONPATH": str(ROOT / "src")}
    client = nbclient.NotebookClient(notebook, timeout=120, resources={"metadata": {}})
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        client.execute()
    (output,) = notebook.cells[0].outputs
    assert output["metadata"]["scrapbook"]["name"] == "mse"
    texts = [v for k, v in output["data"].items() if k.endswith("text/plain")]
    assert texts == ["0.25"]


# -- expect --------------------------------------------------------------------------


def test_expect_outside_the_book_warns_and_names_the_claim(monkeypatch):
    monkeypatch.delenv(BOOK_BUILD_ENV, raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expect(np.float64(2.0) > 1.0, "NumPy is faster")  # holds: silent
        expect(np.bool_(False), "Paddle is slower")
        line = sys._getframe().f_lineno - 1
    (warning,) = caught
    assert warning.category is UserWarning
    assert (
        str(warning.message) == "the book's claim does not hold on this machine: Paddle is slower"
    )
    assert (warning.filename, warning.lineno) == (__file__, line)  # where the claim is


@pytest.mark.parametrize("value", ["", "0", "true", "yes"])
def test_expect_is_strict_only_when_the_variable_is_1(monkeypatch, value):
    monkeypatch.setenv(BOOK_BUILD_ENV, value)
    with pytest.warns(UserWarning, match="does not hold on this machine: slower"):
        expect(0, "slower")


def test_expect_inside_the_book_build_fails_it_with_the_claim(monkeypatch):
    monkeypatch.setenv(BOOK_BUILD_ENV, "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning besides
        expect([1], "a non-empty list is true")
        with pytest.raises(AssertionError) as raised:
            expect(1.0 > 2.0, "Paddle is slower")
    assert raised.value.args == ("Paddle is slower",)


@pytest.mark.parametrize("message", ["", None, b"slower", 3])
def test_expect_needs_the_claim_in_words(monkeypatch, message):
    monkeypatch.delenv(BOOK_BUILD_ENV, raising=False)
    for condition in (True, False):  # checked whether or not the claim holds
        with pytest.raises(TypeError, match=f"message must be a non-empty string, got {message!r}"):
            expect(condition, message)


def test_the_book_build_sets_the_variable_for_its_kernels():
    """conf.py sets it in its own process, whose environment the kernels inherit."""
    env = {k: v for k, v in os.environ.items() if k != BOOK_BUILD_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    code = f"import os, runpy; runpy.run_path('conf.py'); print(os.environ['{BOOK_BUILD_ENV}'])"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


# -- table ---------------------------------------------------------------------------


class _Cells(HTMLParser):
    """Collect the text of every <caption>, <th> and <td>, with <br> as a line break."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("caption", "th", "td"):
            self._open = tag
            self.cells.append((tag, ""))
        elif tag == "br" and self._open:
            self.cells[-1] = (self._open, self.cells[-1][1] + "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cells[-1] = (self._open, self.cells[-1][1] + data)


def _cells(html: str) -> list[tuple[str, str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def test_table_shows_every_cell_as_its_text():
    header = ["x", "x < 1 & y > 2", "梯度相对误差\nfloat32"]
    rows = [[0.5, True, "<b>not bold</b>"], (2, None, "1e-07")]
    html = table(header, rows, caption="largest error < 1 ulp")._repr_html_()
    assert _cells(html) == [
        ("caption", "largest error < 1 ulp"),
        ("th", "x"),
        ("th", "x < 1 & y > 2"),
        ("th", "梯度相对误差\nfloat32"),
        ("td", "0.5"),
        ("td", "True"),
        ("td", "<b>not bold</b>"),
        ("td", "2"),
        ("td", "None"),
        ("td", "1e-07"),
    ]
    assert "<b>" not in html and html.count("<tr>") == 3


def test_table_takes_rows_from_an_array_and_has_no_caption_by_default():
    html = table(["a", "b"], np.array([[1, 2], [3, 4]])).data
    assert [text for _, text in _cells(html)] == ["a", "b", "1", "2", "3", "4"]
    assert "<caption>" not in html


def test_table_names_the_row_with_the_wrong_number_of_cells():
    with pytest.raises(ValueError, match=r"rows\[1\] must have 2 cells like header, got 3"):
        table(["a", "b"], [[1, 2], [1, 2, 3]])


def test_table_is_ipython_html_and_works_without_ipython(monkeypatch):
    ipython_display = pytest.importorskip("IPython.display")
    assert isinstance(table(["a"], [[1]]), ipython_display.HTML)
    monkeypatch.setitem(sys.modules, "IPython.display", None)  # import now fails
    plain = table(["a"], [[1]])
    assert type(plain) is display.HTML
    assert (
        plain._repr_html_()
        == plain.data
        == (
            '<table class="table"><thead><tr><th>a</th></tr></thead>'
            "<tbody><tr><td>1</td></tr></tbody></table>"
        )
    )
    assert repr(plain).startswith('HTML(\'<table class="table">')


# -- use_chinese_font ------------------------------------------------------------------


@pytest.fixture
def fonts(monkeypatch):
    """Undo what use_chinese_font does to matplotlib: rcParams and the list of fonts."""
    monkeypatch.delenv(display.CJK_FONT_ENV, raising=False)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    font_manager.fontManager._findfont_cached.cache_clear()
    with matplotlib.rc_context():
        yield
    font_manager.fontManager._findfont_cached.cache_clear()
    plt.close("all")


def _draw_chinese() -> list[str]:
    """Draw a figure with Chinese text; return the warnings it raised."""
    fig, ax = plt.subplots()
    ax.plot([-1, 1], [-1, 1], label="训练集")
    ax.set(title="损失随 epoch 的变化", xlabel="梯度下降步数", ylabel="均方误差")
    ax.legend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    return [str(w.message) for w in caught]


def _sans_serif_file() -> Path:
    return Path(font_manager.findfont(font_manager.FontProperties(family=["sans-serif"])))


@needs_npm_font
def test_the_npm_font_draws_chinese_without_missing_glyphs(fonts, monkeypatch):
    monkeypatch.chdir(ROOT / "docs")  # where the book runs a chapter: node_modules is one up
    assert use_chinese_font() == "Noto Sans SC"
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"
    assert _sans_serif_file() == NPM_FONT.resolve()
    assert _draw_chinese() == []
    assert matplotlib.rcParams["axes.unicode_minus"] is True  # Noto Sans SC has U+2212
    # A second call registers nothing twice.
    count = len(font_manager.fontManager.ttflist)
    assert use_chinese_font() == "Noto Sans SC"
    assert len(font_manager.fontManager.ttflist) == count


@needs_npm_font
def test_the_font_is_found_from_the_working_directory_or_the_environment(
    fonts, monkeypatch, tmp_path
):
    monkeypatch.setattr(display, "__file__", str(tmp_path / "elsewhere" / "display.py"))
    copy = tmp_path / "project" / NPM_CJK_FONT
    copy.parent.mkdir(parents=True)
    shutil.copyfile(NPM_FONT, copy)
    monkeypatch.chdir(copy.parents[4])  # project/, the folder that holds node_modules
    assert use_chinese_font() == "Noto Sans SC"
    assert _sans_serif_file() == copy

    named = tmp_path / "MyFont.ttf"
    shutil.copyfile(NPM_FONT, named)
    monkeypatch.setenv(display.CJK_FONT_ENV, str(named))
    font_manager.fontManager._findfont_cached.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    assert use_chinese_font() == "Noto Sans SC"
    assert named in {Path(font.fname) for font in font_manager.fontManager.ttflist}


def test_a_wrong_environment_variable_is_reported_and_the_search_goes_on(fonts, monkeypatch):
    monkeypatch.setenv(display.CJK_FONT_ENV, "/no/such/font.ttf")
    monkeypatch.setattr(display, "_npm_font_candidates", list)
    monkeypatch.setattr(display, "_installed_cjk_font", lambda: "Some CJK Family")
    monkeypatch.setattr(font_manager, "findfont", lambda prop: str(NPM_FONT))
    monkeypatch.setattr(display, "_has_minus", lambda path: False)
    with pytest.warns(UserWarning, match=r"DLHOMEWORK_CJK_FONT must name a font file, got '/no/"):
        assert use_chinese_font() == "Some CJK Family"
    assert matplotlib.rcParams["font.sans-serif"][0] == "Some CJK Family"
    assert matplotlib.rcParams["axes.unicode_minus"] is False  # that font has no U+2212


@needs_npm_font
def test_an_installed_font_missing_from_matplotlibs_cache_is_found(fonts, monkeypatch, tmp_path):
    system_font = tmp_path / "NotoSansSC-Regular.ttf"
    shutil.copyfile(NPM_FONT, system_font)
    cjk = set(display.CJK_FAMILIES)
    font_manager.fontManager.ttflist = [
        font for font in font_manager.fontManager.ttflist if font.name not in cjk
    ]
    monkeypatch.setattr(display, "_npm_font_candidates", list)
    monkeypatch.setattr(
        font_manager,
        "findSystemFonts",
        lambda: [str(tmp_path / "DejaVuSans.ttf"), str(system_font)],
    )
    assert use_chinese_font() == "Noto Sans SC"
    assert _sans_serif_file() == system_font


def test_without_a_chinese_font_one_warning_replaces_the_missing_glyph_warnings(
    fonts, monkeypatch, recwarn
):
    cjk = set(display.CJK_FAMILIES)
    font_manager.fontManager.ttflist = [
        font for font in font_manager.fontManager.ttflist if font.name not in cjk
    ]
    monkeypatch.setattr(display, "_npm_font_candidates", list)
    monkeypatch.setattr(font_manager, "findSystemFonts", list)
    before = list(matplotlib.rcParams["font.sans-serif"])
    assert any("missing from font" in message for message in _draw_chinese())  # the problem
    assert use_chinese_font() is None
    assert [str(w.message)[:21] for w in recwarn] == ["no Chinese font found"]
    assert matplotlib.rcParams["font.sans-serif"] == before
    recwarn.clear()
    fig, ax = plt.subplots()
    ax.set_title("损失随 epoch 的变化")
    fig.canvas.draw()  # still renders, and says nothing more
    assert [str(w.message) for w in recwarn] == []
