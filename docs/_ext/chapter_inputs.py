"""What running a chapter depends on, as one hash: the key of the book's notebook cache.

myst-nb's cache (jupyter-cache) matches a chapter on its code cells only.  The outputs
also depend on the package code the cells run, the data shipped with the package and
the installed libraries, so the book files each chapter's cache under
:func:`chapter_key` (docs/_ext/book.py), and ``tox -e notebooks`` skips a notebook it
already ran with the same key (tools/check_notebooks.py).

The package modules a chapter runs are found by reading, not importing: the
``dlhomework`` imports of its code cells, followed through the package's own imports
(absolute or relative, at module level or inside functions) and through strings that
name a module (``"dlhomework.paddle_port"`` for ``importlib.import_module``, code run
in a subprocess).  An import this cannot read (a cell that does not parse, a module
name built at run time) makes the chapter depend on the whole package.  Every file of
the package that is not Python (the data) counts for every chapter.

Not covered: files a chapter would read outside the package (none does), and settings
a kernel may read from the user's home (a matplotlibrc, a kernel registered there as
``python3``); ``NB_EXECUTION_MODE=force`` runs every chapter regardless.

Standard library only (tools/check_notebooks.py runs it with a bare Python), but for
:func:`code_cells`, which reads a chapter with myst-nb's own reader.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

PACKAGE = "dlhomework"
_NAMED = re.compile(rf"\b{PACKAGE}(?:\.[A-Za-z_]\w*)*")
_BUILT_AT_RUN_TIME = re.compile(rf"\b{PACKAGE}\.$")  # f"dlhomework.{name}"
_MAGIC = re.compile(r"^\s*[%!?]")  # IPython magics and shell escapes: not Python
_DYNAMIC_IMPORTERS = {"import_module", "__import__"}


class Package:
    """The modules of a package directory, read as source.

    Parameters
    ----------
    root : Path
        The package's directory (the folder holding ``__init__.py``).
    name : str
        Its import name.
    """

    def __init__(self, root: Path, name: str = PACKAGE) -> None:
        self.root = Path(root)
        self.name = name
        self.modules: dict[str, Path] = {}
        for path in sorted(self.root.rglob("*.py")):
            parts = path.relative_to(self.root).with_suffix("").parts
            if "__pycache__" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            self.modules[".".join((name, *parts))] = path
        self._imports: dict[str, set[str] | None] = {}
        self._digests: dict[Path, str] = {}
        self.data = sorted(
            path
            for path in self.root.rglob("*")
            if path.is_file()
            and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.relative_to(self.root).parts
        )

    @classmethod
    def installed(cls, name: str = PACKAGE) -> Package:
        """The package this interpreter imports (where the kernels import it from)."""
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(f"package {name!r} is not importable")
        return cls(Path(next(iter(spec.submodule_search_locations))), name)

    def resolve(self, names: Iterable[str]) -> set[str]:
        """The modules of this package that dotted ``names`` import (longest known prefix)."""
        found = set()
        for name in names:
            parts = name.split(".")
            if parts[0] != self.name:
                continue
            while parts and ".".join(parts) not in self.modules:
                parts.pop()
            if parts:
                found.add(".".join(parts))
        return found

    def closure(self, names: Iterable[str]) -> set[str] | None:
        """Every module of the package that importing ``names`` can run, or None if unknown.

        Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` too.
        """
        todo = sorted(self.resolve(names))
        seen: set[str] = set()
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            parts = module.split(".")
            todo += [".".join(parts[:i]) for i in range(1, len(parts))]
            imported = self.imports_of(module)
            if imported is None:
                return None
            todo += sorted(self.resolve(self._with_star(imported)))
        return seen

    def imports_of(self, module: str) -> set[str] | None:
        """What :func:`imports` finds in one module of the package (read once)."""
        if module not in self._imports:
            path = self.modules[module]
            try:
                tree = ast.parse(path.read_bytes(), filename=str(path))
            except SyntaxError:
                self._imports[module] = None
            else:
                is_package = path.name == "__init__.py"
                self._imports[module] = imports(tree, module, is_package=is_package)
        return self._imports[module]

    def _with_star(self, names: set[str]) -> set[str]:
        """``pkg.*`` (from ``from pkg import *``): every direct submodule of ``pkg``."""
        out = {name for name in names if not name.endswith(".*")}
        for star in names - out:
            package = star[:-2]
            out.add(package)
            out.update(m for m in self.modules if m.rpartition(".")[0] == package)
        return out

    def digest(self, path: Path) -> str:
        """SHA-256 of one of the package's files (read once)."""
        if path not in self._digests:
            self._digests[path] = file_digest(path)
        return self._digests[path]

    def files(self, modules: set[str] | None) -> list[Path]:
        """The source files of ``modules`` (all of the package for None), then the data."""
        chosen = self.modules.values() if modules is None else (self.modules[m] for m in modules)
        return sorted(chosen) + self.data


def imports(
    tree: ast.AST, module: str | None = None, *, is_package: bool = False
) -> set[str] | None:
    """Dotted names a module (or a code cell, ``module=None``) imports or names in a string.

    ``from x import y`` gives ``x`` and ``x.y`` (``y`` may be a submodule); ``from x
    import *`` gives ``x.*``.  Relative imports are made absolute against ``module``.
    None when an import is built at run time.
    """
    docstrings: set[int] = set()  # ids of docstrings and of the text parts of f-strings,
    formatted: set[int] = set()  # registered before ast.walk (breadth first) reaches them
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        elif isinstance(node, ast.JoinedStr):
            formatted.update(id(part) for part in node.values if isinstance(part, ast.Constant))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            if base is not None:
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in formatted and _BUILT_AT_RUN_TIME.search(node.value):
                return None
            if id(node) not in docstrings:
                names.update(_NAMED.findall(node.value))
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            return None
    return names


def _absolute(node: ast.ImportFrom, module: str | None, is_package: bool) -> str | None:
    if node.level == 0:
        return node.module
    if module is None:  # a relative import outside the package: not ours
        return None
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _is_dynamic_import(call: ast.Call) -> bool:
    """``importlib.import_module(name)`` / ``__import__(name)`` with a name not spelled out."""
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if called not in _DYNAMIC_IMPORTERS or not call.args:
        return False
    first = call.args[0]
    return not (isinstance(first, ast.Constant) and isinstance(first.value, str))


def cell_imports(cells: Iterable[str]) -> set[str] | None:
    """Dotted names the code cells import; None if a cell is not readable Python."""
    names: set[str] = set()
    for cell in cells:
        lines = cell.splitlines()
        if lines and lines[0].startswith("%%"):  # a cell magic: the rest may be Python
            lines = lines[1:]
        source = "\n".join("" if _MAGIC.match(line) else line for line in lines)
        try:
            found = imports(ast.parse(source))
        except SyntaxError:
            return None
        if found is None:
            return None
        names |= found
    return names


def code_cells(
    path: str | Path,
    text: str | None = None,
    md_config: Any = None,
    nb_config: Any = None,
) -> list[str] | None:
    """A chapter's code cells as myst-nb reads them (its cell options taken out), or None
    for a page myst-nb does not run (a Markdown file without notebook front matter).

    The book passes its own myst configuration; without one, myst-nb's defaults (the
    book's extensions do not change which cells the chapters have).  Needs myst-nb.
    """
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    if text is None:
        text = Path(path).read_text(encoding="utf-8")
    reader = create_nb_reader(
        str(path),
        MdParserConfig() if md_config is None else md_config,
        NbParserConfig() if nb_config is None else nb_config,
        text,
    )
    if reader is None:
        return None
    notebook = reader.read(text)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def environment() -> str:
    """The interpreter and every installed distribution with its version, one a line."""
    dists = {
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"]
    }
    return "\n".join([sys.version, platform.platform(), *sorted(dists, key=str.lower)])


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def chapter_key(
    cells: Sequence[str],
    package: Package,
    environment: str,
    extra: Iterable[tuple[str, Path]] = (),
) -> tuple[str, list[str]]:
    """The hash of everything running ``cells`` depends on besides their own source.

    Parameters
    ----------
    cells : sequence of str
        The chapter's code cells.
    package : Package
        The package the cells import (as the kernel will import it).
    environment : str
        What :func:`environment` returns for the kernel's interpreter, plus any setting
        that reaches the kernel.
    extra : iterable of (str, Path)
        Other files the run reads (the kernel's IPython profile, a font), with a label.

    Returns
    -------
    key : str
        A SHA-256 hex digest.
    inputs : list of str
        The package files it covers, relative to the package ("*" if all of them).
    """
    names = cell_imports(cells)
    modules = None if names is None else package.closure(names)
    digest = hashlib.sha256()
    digest.update(environment.encode())
    inputs = []
    for path in package.files(modules):
        rel = path.relative_to(package.root).as_posix()
        inputs.append(rel)
        digest.update(f"\0{package.name}/{rel}\0{package.digest(path)}".encode())
    for label, path in extra:
        content = file_digest(path) if Path(path).is_file() else "missing"
        digest.update(f"\0{label}\0{content}".encode())
    return digest.hexdigest(), inputs if modules is not None else ["*"]


# -- Sphinx: each chapter's notebook cache filed under its key --------------------------
# conf.py loads this module as an extension.  With nb_execution_mode = "cache", myst-nb
# looks a chapter up in nb_execution_cache_path; this points that path, for each chapter
# as it is read, at <cache>/<docname>/<key>: a change in anything the chapter depends on
# gives a folder with no cache in it, so the chapter runs.  Only the chapter's KEEP most
# recently used folders are kept.  A fresh clone has no cache: every chapter runs.

# Settings that reach the kernels (they inherit this process's environment); a value
# naming a file (DLHOMEWORK_CJK_FONT, the figures' font) counts by that file's content.
KERNEL_SETTINGS = re.compile(
    r"^(DLHOMEWORK_|OMP_|OPENBLAS_|MKL_|FLAGS_|GLOG_)"
    r"|^(PYTHONHASHSEED|PYTHONPATH|MPLBACKEND|MPLCONFIGDIR|IPYTHONDIR|LANG|LANGUAGE|TZ)$"
    r"|^LC_"
)
KEY_LENGTH = 20  # hex digits of the key in the folder name
KEEP = 3  # cache folders kept per chapter, the most recently used
_state: dict[str, Any] = {}


def kernel_settings() -> tuple[str, list[tuple[str, Path]]]:
    """The kernel-visible settings as text, and the files they name (with the IPython
    profile's configuration and startup files under ``IPYTHONDIR``)."""
    names = sorted(name for name in os.environ if KERNEL_SETTINGS.search(name))
    text = "\n".join(f"{name}={os.environ[name]}" for name in names)
    files = [(name, Path(os.environ[name])) for name in names if Path(os.environ[name]).is_file()]
    if "IPYTHONDIR" in os.environ:
        profile = Path(os.environ["IPYTHONDIR"])
        files += [
            (f"IPYTHONDIR/{path.relative_to(profile).as_posix()}", path)
            for path in sorted(profile.glob("profile_*/**/*"))
            if path.suffix in (".py", ".ipy", ".json") and "security" not in path.parts
        ]
    return text, files


def _prepare(app: Any) -> None:
    _state.clear()
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    settings, files = kernel_settings()
    _state.update(
        config=config,
        root=Path(config.execution_cache_path),
        package=Package.installed(app.config.chapter_inputs_package),
        environment=f"{environment()}\n{settings}",
        extra=files,
        folders={},
    )


def _file_cache_under_key(app: Any, docname: str, source: list[str]) -> None:
    if not _state:
        return
    env = app.env
    config = _state["config"]
    cells = code_cells(env.doc2path(docname), source[0], env.myst_config, config)
    if cells is None:  # a page without a kernel: nothing runs
        return
    key, inputs = chapter_key(cells, _state["package"], _state["environment"], _state["extra"])
    folder = _state["root"] / docname / key[:KEY_LENGTH]
    folder.mkdir(parents=True, exist_ok=True)
    folder.touch()  # its mtime says when it was last used
    others = sorted(
        (path for path in folder.parent.iterdir() if path != folder),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP - 1 :]:  # keep a few: switching a setting back and forth
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    (folder / "inputs.txt").write_text(
        f"{key}\n{_state['package'].root}\n" + "\n".join(inputs) + "\n", encoding="utf-8"
    )
    env.mystnb_config = config.copy(execution_cache_path=str(folder))
    _state["folders"][docname] = folder


def _restore_outputs(app: Any, doctree: Any) -> None:
    """Write the notebook the book offers for download with the outputs the kernel gave.

    myst-nb (1.4) writes jupyter_execute/<docname>.ipynb, the file the book offers
    (docs/_ext/book.py), after rendering it: served from the cache, without any output;
    executed, with its stream outputs altered by the rendering (merged streams left
    beside the streams they merged, so lines appear twice).  The cache holds the
    outputs as the kernel gave them: they replace those, either way.
    """
    folder = _state.get("folders", {}).pop(app.env.docname, None)
    if folder is None:
        return
    import nbformat
    from jupyter_cache import get_cache
    from myst_nb.ext.glue import extract_glue_data_cell

    written = Path(_state["config"].output_folder) / f"{app.env.docname}.ipynb"
    if not written.is_file():
        return
    notebook = nbformat.reads(written.read_text(encoding="utf-8"), as_version=4)
    try:
        _, merged = get_cache(str(folder)).merge_match_into_notebook(notebook)
    except KeyError:
        return
    for cell in merged.cells:  # as myst-nb leaves an executed notebook: glue data taken out
        if cell.cell_type == "code":
            extract_glue_data_cell(cell)
    written.write_text(nbformat.writes(merged), encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("chapter_inputs_package", PACKAGE, "env")
    app.connect("builder-inited", _prepare, priority=900)  # after myst-nb's own config
    app.connect("source-read", _file_cache_under_key)
    app.connect("doctree-read", _restore_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
