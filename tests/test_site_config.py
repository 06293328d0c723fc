"""The publishing and citation files: valid against their schemas, and consistent.

Schemas come vendored inside check-jsonschema (GitHub workflows, Read the Docs,
Citation File Format 1.2.0), so these tests download nothing.  The other checks
keep the files that describe one build (tox.ini, .readthedocs.yaml, the Pages
workflow, .ci/run) saying the same thing.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import dlhomework

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test extra")
yaml = pytest.importorskip("ruamel.yaml", reason="ruamel.yaml comes with check-jsonschema")


def _validate(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            f"vendor.{schema}",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _load_yaml(path: Path) -> object:
    return yaml.YAML(typ="safe").load(path.read_text(encoding="utf-8"))


# -- schemas --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("readthedocs", ROOT / ".readthedocs.yaml"),
        ("citation-file-format", ROOT / "CITATION.cff"),
        *[("github-workflows", path) for path in WORKFLOWS],
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_file_is_valid_against_its_schema(schema: str, path: Path) -> None:
    result = _validate(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_there_is_a_pages_workflow() -> None:
    assert WORKFLOWS, "no .github/workflows/*.yml"


@pytest.mark.parametrize(
    ("schema", "name", "text"),
    [
        # a CFF without authors (required by CFF 1.2.0)
        ("citation-file-format", "CITATION.cff", "cff-version: 1.2.0\nmessage: m\ntitle: t\n"),
        # Read the Docs: an unknown key under build
        (
            "readthedocs",
            ".readthedocs.yaml",
            'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools: {python: "3.12"}\n  bogus: 1\n',
        ),
        # a workflow job without runs-on
        ("github-workflows", "bad.yml", "on: push\njobs:\n  a:\n    steps:\n      - run: x\n"),
    ],
    ids=["cff-without-authors", "rtd-unknown-key", "workflow-job-without-runs-on"],
)
def test_the_validator_rejects_a_broken_file(
    tmp_path: Path, schema: str, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _validate(schema, path).returncode != 0


# -- citation -------------------------------------------------------------------------


def test_citation_version_is_the_package_version() -> None:
    cff = _load_yaml(ROOT / "CITATION.cff")
    assert isinstance(cff, dict)
    assert str(cff["version"]) == dlhomework.__version__
    assert cff["cff-version"] == "1.2.0"


def test_how_to_cite_page_states_the_package_version() -> None:
    page = (ROOT / "docs" / "cite.md").read_text(encoding="utf-8")
    bibtex_versions = re.findall(r"version\s*=\s*\{([^}]*)\}", page)
    prose_versions = re.findall(r"版本 (\d+\.\d+\.\d+)", page)
    assert bibtex_versions == [dlhomework.__version__]
    assert prose_versions == [dlhomework.__version__]
    assert "../CITATION.cff" in page  # the page shows the file itself
    assert "cite" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


# -- one build, described the same way everywhere ---------------------------------------


def _tox() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tox.ini", encoding="utf-8")
    return parser


def _lines(value: str) -> list[str]:
    return [
        line.strip()
        for line in value.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_tox_runs_lint_test_book_notebooks_browser_in_order_and_stops_at_a_failure() -> None:
    tox = _tox()
    envs = [env.strip() for env in tox["tox"]["env_list"].split(",")]
    assert envs == ["lint", "test", "book", "notebooks", "browser"]
    for env in ("lint", "test", "book"):
        assert tox[f"testenv:{env}"]["fail_fast"].strip() == "true", env
    assert tox["testenv:book"]["depends"].split(",")[0].strip() == "lint"
    assert tox["testenv:notebooks"]["depends"].strip() == "book"
    assert tox["testenv:browser"]["depends"].strip() == "book"


def test_the_notebooks_env_installs_with_the_command_the_book_documents() -> None:
    notebooks = _tox()["testenv:notebooks"]
    assert _lines(notebooks["commands"]) == [
        "python tools/check_notebooks.py --reuse {env_dir}/reader {posargs}"
    ]
    assert notebooks["skip_install"].strip() == "true"  # the script makes its own venv
    spec = importlib.util.spec_from_file_location(
        "check_notebooks", ROOT / "tools" / "check_notebooks.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    command = " ".join(script.INSTALL)
    assert command == "pip install .[paddle,notebook]"  # the docs quote the brackets for the shell
    for page in ("docs/index.md", "docs/hw1-5.md", "README.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert 'pip install ".[paddle,notebook]"' in text, page


def test_tox_book_fetches_mathjax_then_builds_strictly_with_the_keyed_cache() -> None:
    book = _tox()["testenv:book"]
    commands = _lines(book["commands"])
    npm = commands.index("python tools/npm_ci.py")  # npm ci unless node_modules matches
    sphinx = next(i for i, c in enumerate(commands) if c.startswith("sphinx-build"))
    assert npm < sphinx
    assert commands[sphinx].startswith("sphinx-build -E -W --keep-going -n ")
    script = (ROOT / "tools" / "npm_ci.py").read_text(encoding="utf-8")
    assert 'COMMAND = ["npm", "ci", ' in script
    # a chapter runs unless its cache, keyed on what it runs, matches (tests/test_notebook_cache.py)
    assert "NB_EXECUTION_MODE" not in book.get("set_env", "")
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    assert '"chapter_inputs",' in conf and '"NB_EXECUTION_MODE", "cache"' in conf
    assert "nb_execution_raise_on_error = True" in conf


def test_npm_ci_runs_unless_node_modules_holds_what_the_lock_pins(monkeypatch, tmp_path) -> None:
    spec = importlib.util.spec_from_file_location("npm_ci", ROOT / "tools" / "npm_ci.py")
    assert spec is not None and spec.loader is not None
    npm_ci = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(npm_ci)
    for name in ("package.json", "package-lock.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    monkeypatch.setattr(npm_ci, "ROOT", tmp_path)
    monkeypatch.setattr(npm_ci, "STAMP", tmp_path / "node_modules" / ".dlhomework-lock")
    monkeypatch.setattr(npm_ci.shutil, "which", lambda name: f"/bin/{name}")
    calls, status = [], [0]

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, status[0])

    monkeypatch.setattr(npm_ci.subprocess, "run", run)
    assert npm_ci.main() == 0 and calls == [["/bin/npm", *npm_ci.COMMAND[1:]]]
    assert npm_ci.main() == 0 and len(calls) == 1  # node_modules holds the lock: no npm
    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3}', encoding="utf-8")
    status[0] = 1  # the lock changed: npm ci runs, fails, and nothing is stamped
    assert npm_ci.main() == 1 and npm_ci.main() == 1 and len(calls) == 3


def test_the_default_test_env_leaves_the_browser_test_to_its_own_env() -> None:
    test = _tox()["testenv:test"]
    suite = next(c for c in _lines(test["commands"]) if c.startswith("pytest tests"))
    assert "--ignore=tests/browser" in suite


def test_read_the_docs_builds_with_tox_and_publishes_build_html() -> None:
    config = _load_yaml(ROOT / ".readthedocs.yaml")
    assert isinstance(config, dict)
    commands = config["build"]["commands"]
    assert any(re.search(r"\btox -e book\b", c) for c in commands), commands
    assert any("build/html" in c and "READTHEDOCS_OUTPUT" in c for c in commands), commands
    assert "nodejs" in config["build"]["tools"]  # npm ci


def test_pages_workflow_runs_ci_and_publishes_build_html() -> None:
    workflow = _load_yaml(ROOT / ".github" / "workflows" / "pages.yml")
    assert isinstance(workflow, dict)
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in steps)
    uploads = [
        s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact")
    ]
    assert uploads and uploads[0]["with"]["path"] == "build/html"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_ci_script_installs_the_browser_and_requires_it() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=False).returncode == 0
    for needed in ("apt-get update", "chromium", "fonts-noto-cjk", "DLHOMEWORK_REQUIRE_BROWSER=1"):
        assert needed in script, needed
    assert _lines(script)[-1] == "tox"


def test_the_figures_chinese_font_is_pinned_exactly_and_locked() -> None:
    from dlhomework.display import NPM_CJK_FONT

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    name = NPM_CJK_FONT.parts[1] + "/" + NPM_CJK_FONT.parts[2]  # @scope/package
    pinned = package["dependencies"][name]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin the font package exactly"
    assert lock["packages"][f"node_modules/{name}"]["version"] == pinned
    assert "OFL-1.1" in lock["packages"][f"node_modules/{name}"]["license"]


def test_mathjax_is_pinned_exactly_and_locked() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = package["dependencies"]["mathjax"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin MathJax exactly"
    assert lock["packages"][""]["dependencies"]["mathjax"] == pinned
    assert lock["packages"]["node_modules/mathjax"]["version"] == pinned
    for name, entry in lock["packages"].items():
        if name:
            assert entry["integrity"].startswith("sha512-"), name
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    assert 'mathjax_path = "mathjax/tex-mml-chtml.js"' in conf


# -- Chinese search dictionary ---------------------------------------------------------


def test_search_dictionary_entries_are_single_words() -> None:
    words = (ROOT / "tools" / "jieba_userdict.txt").read_text(encoding="utf-8").split("\n")
    words = [w for w in words if w]
    assert len(words) == len(set(words)), "duplicates"
    for word in words:
        # jieba's user dictionary line is "word [freq] [tag]": keep bare words only
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,}", word), word
    # jieba indexes an entry with its 2- and 3-character parts only, so an entry that
    # contains another entry of 4+ characters would hide that word from search.
    for word in words:
        for other in words:
            assert other == word or len(other) < 4 or other not in word, (word, other)
