"""Sphinx configuration of the dlhomework book (at the repository root).

Build with ``tox -e book`` (fresh Sphinx environment; a chapter runs unless its
cached outputs are still valid, see docs/_ext/chapter_inputs.py), or while writing
with ``sphinx-build -b html . build/html``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import sphinx

import dlhomework
from dlhomework.display import BOOK_BUILD_ENV

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import source_archive  # noqa: E402  (docs/_ext/source_archive.py)

# -- Project -------------------------------------------------------------------

project = "dlhomework：零基础实践深度学习 第一章作业解答"
author = "dlhomework contributors"
copyright = "2026, dlhomework contributors"
release = version = dlhomework.__version__
language = "zh_CN"

# -- Sources: only the book ---------------------------------------------------
# conf.py sits at the root, so without this Sphinx would read README.md, .tox/,
# virtual environments and build output.

root_doc = "docs/index"
include_patterns = ["docs/**"]
# While writing one chapter: BOOK_ONLY=hw1-3,api builds the index plus those pages
# (expect "toctree contains reference to excluded document" warnings then).
if os.environ.get("BOOK_ONLY"):
    include_patterns = ["docs/index.md"] + [
        f"docs/{name.strip()}.md" for name in os.environ["BOOK_ONLY"].split(",")
    ]
exclude_patterns = ["build", "**/.ipynb_checkpoints", "docs/_extra/**", "docs/_ipython/**"]

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "sphinx_copybutton",
    "sphinx_design",
    "book",  # docs/_ext/book.py: offline MathJax, Chinese search fix, figure list, …
    "chapter_inputs",  # docs/_ext/chapter_inputs.py: the notebook cache, keyed on what runs
    "source_archive",  # docs/_ext/source_archive.py: the project's source as a zip to download
]

# -- MyST / notebook execution ------------------------------------------------

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
# {{ source_archive }}: a link to dlhomework-<version>.zip, the project's source, which
# docs/_ext/source_archive.py writes into build/source/ before the pages are read.
myst_substitutions = {"source_archive": source_archive.download_role(ROOT)}

# "cache": a chapter runs when its code cells changed (myst-nb's jupyter-cache) or
# anything else it runs did: the package modules it imports, the package's data, the
# installed libraries, the kernel's settings (docs/_ext/chapter_inputs.py files each
# chapter's cache under a hash of those).  A fresh clone (CI, Read the Docs) has no
# cache and runs every chapter.  NB_EXECUTION_MODE=force runs every chapter regardless.
nb_execution_mode = os.environ.get("NB_EXECUTION_MODE", "cache")
nb_execution_cache_path = str(ROOT / "build" / ".jupyter_cache")
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600  # seconds per cell; the longest (batch-size sweep) takes far less
nb_merge_streams = True

# Figures: SVG from every kernel (crisp at any zoom, white background that stays
# legible in dark mode).  The kernel reads this IPython profile.
os.environ["IPYTHONDIR"] = str(ROOT / "docs" / "_ipython")
# The kernels inherit this process's environment: force the inline backend, which is
# what turns plt.show() into a figure in the book.  (tox sets MPLBACKEND=Agg for the
# tests; inherited by a kernel, Agg draws nothing and the book loses every figure.)
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
# Claims that depend on the machine (timings, the last bits of a rounding) are checked
# with dlhomework.display.expect: in this build a measurement that contradicts the prose
# fails the build; in a reader's Jupyter, without this variable, it only warns.
os.environ[BOOK_BUILD_ENV] = "1"

# -- API docs ------------------------------------------------------------------

autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # types are written, with shapes, in the numpydoc text
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_param = False
napoleon_use_rtype = False
napoleon_use_ivar = True

nitpicky = True
# numpydoc type phrases ("ndarray of shape (n, 1)") are prose, not references;
# every reference to this package's own objects is still checked.
nitpick_ignore_regex = [("py:class", r"(?!dlhomework\.).*")]

# -- Math, served from the book itself ----------------------------------------
# MathJax 4 comes from the npm registry (package.json / package-lock.json; `npm ci`
# is a step of `tox -e book`, .readthedocs.yaml and CI); docs/_ext/book.py copies it
# into build/html/_static/mathjax, so formulas render without a network.  MathJax 4
# would fetch its font from a CDN: the loader's "fonts" path points at the copy of
# @mathjax/mathjax-newcm-font inside the book instead.

mathjax_path = "mathjax/tex-mml-chtml.js"  # relative: resolved against _static/
_mathjax_config: dict[str, Any] = {
    "loader": {"paths": {"fonts": "[mathjax]/fonts"}},
}
# Sphinx >= 9 emits mathjax4_config, Sphinx 8 only knows mathjax3_config; both just
# become `window.MathJax = {...}` (myst-parser adds its processHtmlClass to it).
if sphinx.version_info >= (9,):
    mathjax4_config = _mathjax_config
else:
    mathjax3_config = _mathjax_config

# -- Search in Chinese ---------------------------------------------------------
# Sphinx cuts the text into words with jieba (in the docs extra); tools/jieba_userdict.txt
# adds the book's terms (反向传播, 梯度下降, ...) that jieba would cut apart.  In the
# browser, docs/_static/search-zh.js cuts a Chinese query against the index's words.
# docs/_ext/book.py works around a Sphinx 9.0 bug in the Chinese search.

html_search_language = "zh"
html_search_options = {"dict": str(ROOT / "tools" / "jieba_userdict.txt")}


# -- HTML ----------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = "dlhomework 作业解答"
html_static_path = ["docs/_static"]
html_extra_path = ["docs/_extra"]
html_favicon = "docs/_static/favicon.svg"
html_js_files = [
    "search-zh.js",
    # Deferred like MathJax but ahead of it (lower priority): see the file.
    ("mathjax-offline.js", {"defer": "defer", "priority": 400}),
]
html_css_files = ["book.css"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "use_sidenotes": False,
    "home_page_in_toc": True,
}
# Light / dark / follow the system (the theme's switch); without a default the theme
# logs "Got invalid theme mode" on a reader's first visit.
html_context = {"default_mode": "auto"}
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = True
