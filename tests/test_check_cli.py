"""``dlhomework check FILE...``: submissions in their own processes, limits that hold, reports.

The hard cases run for real: an endless loop and a 10 GB allocation are stopped and
reported while the other files of the same run are checked normally; network and
process creation fail inside a submission; each file sees only its own copy.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dlhomework.check import _sandbox, runner
from dlhomework.cli import main

GOOD = """\
    import numpy as np
    from dlhomework import check
    from dlhomework.models import TwoLayerNet
    print(check.two_layer(TwoLayerNet(13, 13, rng=0)))
    check.tanh(np.tanh)
"""
WRONG = """\
    import numpy as np
    from dlhomework import check
    from dlhomework.mistakes import HalfMSEMistake
    check.two_layer(HalfMSEMistake(13, 13, rng=0))
    check.count_positive(lambda p: len(np.where(p > 0)))
"""


def write(folder: Path, name: str, source: str) -> str:
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return str(path)


def notebook(folder: Path, name: str, cells: list[str], outputs: str = "") -> str:
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# 作业"]}]
        + [
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": [outputs]}],
                "source": textwrap.dedent(cell).splitlines(keepends=True),
            }
            for cell in cells
        ],
    }
    path = folder / name
    path.write_text(json.dumps(nb), encoding="utf-8")
    return str(path)


def run_check(*args: str) -> tuple[int, dict]:
    """``main(["check", ...])`` in this process; the exit status and the JSON report."""
    status = main(["check", *args])
    report = next((a for a in args if a.endswith(".json")), None)
    data = json.loads(Path(report).read_text(encoding="utf-8")) if report else {}
    return status, data


def by_name(data: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in data["files"]}


def test_hard_limits_stop_bad_files_and_leave_the_others_alone(tmp_path, capsys):
    files = [
        write(tmp_path, "good.py", GOOD),
        write(tmp_path, "wrong.py", WRONG),
        write(tmp_path, "ten_gb.py", "import numpy as np\nx = np.ones(10 * 2**30 // 8)\n"),
        # grows by 80 MB at a time without touching the memory (np.empty), so it reaches
        # the limit in a fraction of a second even on a busy machine
        write(
            tmp_path,
            "grow.py",
            "import numpy as np\nchunks = []\nwhile True:\n    chunks.append(np.empty(10**7))\n",
        ),
        write(tmp_path, "raises.py", "from dlhomework import check\nx = 1 / 0\n"),
        write(tmp_path, "exits.py", "import os\nos._exit(3)\n"),
        write(tmp_path, "segfault.py", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"),
        write(tmp_path, "quiet.py", "print('no checks here')\n"),
        write(tmp_path, "sys_exit.py", GOOD + "    import sys\n    sys.exit(0)\n"),
    ]
    out = str(tmp_path / "report.json")
    start = time.perf_counter()
    # 8 s: enough for every file on a loaded 2-core machine (none runs that long; the
    # endless loop has its own test below, with a short limit)
    status, data = run_check(
        *files, "--timeout", "8", "--memory", "1024", "--jobs", "2", "--report", out
    )
    assert time.perf_counter() - start < 60
    assert status == 1
    files = by_name(data)
    statuses = {name: f["status"] for name, f in files.items()}
    assert statuses == {
        "good.py": "passed",
        "wrong.py": "failed",
        "ten_gb.py": "memory",
        "grow.py": "memory",
        "raises.py": "error",
        "exits.py": "crash",
        "segfault.py": "crash",
        "quiet.py": "no-checks",
        "sys_exit.py": "passed",
    }
    assert files["wrong.py"]["checks"] == {
        "two_layer": {"passed": False, "codes": ["half_mse"]},
        "count_positive": {"passed": False, "codes": ["len_where"]},
    }
    assert "1024 MB" in files["ten_gb.py"]["message"] and "line 2" in files["ten_gb.py"]["message"]
    assert files["raises.py"]["message"] == "ZeroDivisionError: division by zero (line 2)"
    assert (
        "status 3" in files["exits.py"]["message"] and "SIGSEGV" in files["segfault.py"]["message"]
    )
    table = capsys.readouterr().out
    assert "good.py" in table and "half_mse" in table and "len_where" in table
    assert data["summary"]["files"] == 9 and data["summary"]["passed"] == 2


def test_the_command_stops_an_endless_loop_at_its_time_limit(tmp_path, capsys):
    files = [
        write(tmp_path, "loop.py", "while True:\n    pass\n"),
        write(tmp_path, "quiet.py", "print('no checks here')\n"),
    ]
    report = str(tmp_path / "report.json")
    status, data = run_check(*files, "--timeout", "2", "--jobs", "2", "--report", report)
    assert status == 1
    files = by_name(data)
    assert {name: f["status"] for name, f in files.items()} == {
        "loop.py": "timeout",
        "quiet.py": "no-checks",
    }
    assert 1.9 < files["loop.py"]["seconds"] < 15
    assert "timeout: stopped after 2 s (time limit)" in capsys.readouterr().out


def test_network_and_processes_are_refused(tmp_path):
    files = [
        write(tmp_path, "sock.py", "import socket\nsocket.socket()\n"),
        write(tmp_path, "dns.py", "import socket\nsocket.getaddrinfo('example.com', 80)\n"),
        write(
            tmp_path,
            "url.py",
            "import urllib.request\nurllib.request.urlopen('http://10.0.0.1/', timeout=2)\n",
        ),
        write(tmp_path, "popen.py", "import subprocess\nsubprocess.run(['echo', 'hi'])\n"),
        write(tmp_path, "system.py", "import os\nos.system('echo hi')\n"),
        write(
            tmp_path,
            "spawn.py",
            "import multiprocessing as mp\n"
            "if __name__ == '__main__':\n"
            "    p = mp.get_context('spawn').Process(target=print)\n"
            "    p.start()\n",
        ),
    ]
    out = str(tmp_path / "r.json")
    status, data = run_check(*files, "--timeout", "20", "--jobs", "2", "--report", out, "--quiet")
    assert status == 1
    for name, f in by_name(data).items():
        assert f["status"] == "error", (name, f)
        assert "is not allowed here" in f["message"] or "not allowed here" in f["output_tail"], f


def test_each_file_runs_alone_in_a_fresh_folder(tmp_path):
    source = """\
        import os
        from pathlib import Path
        from dlhomework import check
        assert os.listdir(".") == [Path(__file__).name], os.listdir(".")
        assert os.environ["HOME"] == os.getcwd()
        Path("left_behind.txt").write_text("x")
        check.iterations(lambda n, b: -(-n // b))
    """
    files = [write(tmp_path, "a.py", source), write(tmp_path, "b.py", source)]
    status, data = run_check(*files, "--report", str(tmp_path / "r.json"), "--quiet")
    assert status == 0, data
    assert not (tmp_path / "left_behind.txt").exists()


def test_notebooks_run_their_code_cells_in_order_and_skip_magics(tmp_path):
    path = notebook(
        tmp_path,
        "hw.ipynb",
        [
            "%matplotlib inline\n!pip install numpy\nimport numpy as np\n"
            "from dlhomework import check\n",
            "%%bash\necho this is not python\n",
            "%%time\nx = np.linspace(-10, 10, 5)\n",
            "if True:\n    %time y = 1\ncheck.tanh(np.tanh)\ndisplay(x)\n",
        ],
        outputs="check.iterations(lambda n, b: n // b)",
    )
    status, data = run_check(path, "--report", str(tmp_path / "r.json"), "--quiet")
    assert status == 0
    f = data["files"][0]
    assert [c["check"] for c in f["calls"]] == ["tanh"]  # outputs were never executed
    assert f["skipped"] == [
        "cell 2: %matplotlib inline",
        "cell 2: !pip install numpy",
        "cell 3: %%bash (the whole cell)",
        "cell 4: %%time",
        "cell 5: %time y = 1",
    ]


def test_a_broken_notebook_and_an_error_in_a_cell(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    cell_error = notebook(tmp_path, "cell.ipynb", ["x = 1\n", "y = [][0]\n"])
    status, data = run_check(str(bad), cell_error, "--report", str(tmp_path / "r.json"), "--quiet")
    assert status == 1
    files = by_name(data)
    assert "not a readable notebook" in files["bad.ipynb"]["message"]
    assert files["cell.ipynb"]["message"] == "IndexError: list index out of range (cell 3, line 1)"


def test_the_last_call_of_a_check_is_the_answer(tmp_path):
    source = """\
        from dlhomework import check
        check.iterations(lambda n, b: n // b)   # the book's wrong example first
        check.iterations(lambda n, b: -(-n // b))
    """
    status, data = run_check(
        write(tmp_path, "a.py", source), "--report", str(tmp_path / "r.json"), "--quiet"
    )
    assert status == 0
    f = data["files"][0]
    assert [c["passed"] for c in f["calls"]] == [False, True]
    assert f["checks"] == {"iterations": {"passed": True, "codes": []}}


def test_csv_by_suffix_and_by_option(tmp_path):
    files = [write(tmp_path, "good.py", GOOD), write(tmp_path, "wrong.py", WRONG)]
    (tmp_path / "out").mkdir()  # check creates no folder
    first, second = tmp_path / "out" / "results.csv", tmp_path / "also.csv"
    status = main(["check", *files, "--report", str(first), "--csv", str(second), "--quiet"])
    assert status == 1
    for path in (first, second):
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        assert [(Path(r["path"]).name, r["status"], r["two_layer"], r["tanh"]) for r in rows] == [
            ("good.py", "passed", "pass", "pass"),
            ("wrong.py", "failed", "half_mse", ""),
        ]
    assert sorted(os.listdir(tmp_path / "out")) == ["results.csv"]  # no temporary file left


def test_folders_are_searched(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "alice" / ".ipynb_checkpoints").mkdir()
    write(tmp_path / "alice", "hw.py", "x = 1\n")
    notebook(tmp_path / "alice", "hw.ipynb", ["x = 1\n"])
    write(tmp_path / "alice" / ".ipynb_checkpoints", "hw-checkpoint.py", "x = 1\n")
    write(tmp_path / ".git", "hook.py", "x = 1\n")
    (tmp_path / "notes.txt").write_text("x")
    found = runner.collect([str(tmp_path), str(tmp_path / "alice" / "hw.py")])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == [
        "alice/hw.ipynb",
        "alice/hw.py",
    ]


def test_shards_are_disjoint_cover_everything_and_do_not_depend_on_the_order():
    paths = [f"submissions/student{k:04d}/hw1-{k % 8 + 1}.ipynb" for k in range(500)]
    for n in (1, 2, 3, 7):
        shards = [[p for p in paths if runner.in_shard(p, i, n)] for i in range(1, n + 1)]
        assert sorted(p for shard in shards for p in shard) == sorted(paths)
        assert sum(map(len, shards)) == len(paths)
        if n > 1:
            assert min(map(len, shards)) > len(paths) / n * 0.6  # roughly balanced (binomial)
        reversed_paths = paths[::-1]
        assert [p for p in reversed_paths if runner.in_shard(p, 1, n)] == shards[0][::-1]
    assert runner.in_shard("./a/b.py", 2, 5) == runner.in_shard("a/b.py", 2, 5)


def test_shards_on_the_command_line(tmp_path):
    files = [write(tmp_path, f"s{k}.py", "x = 1\n") for k in range(6)]
    seen = []
    for i in (1, 2, 3):
        out = str(tmp_path / f"part{i}.json")
        main(["check", *files, "--shard", f"{i}/3", "--report", out, "--quiet"])
        data = json.loads(Path(out).read_text(encoding="utf-8"))
        assert data["settings"]["shard"] == f"{i}/3"
        seen += [f["path"] for f in data["files"]]
    assert sorted(seen) == sorted(files)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.py"], "'missing.py' does not exist"),
        (["{notes}"], "is not a .py or .ipynb file"),
        (["{empty}"], "no .py or .ipynb files"),
        (["{good}", "--jobs", "0"], "--jobs: must be a positive integer, got '0'"),
        (["{good}", "--jobs", "1.5"], "--jobs: must be a positive integer, got '1.5'"),
        (["{good}", "--timeout", "inf"], "--timeout: must be a positive number, got 'inf'"),
        (["{good}", "--timeout", "-1"], "--timeout: must be a positive number"),
        (["{good}", "--memory", "lots"], "--memory: must be a positive number"),
        (["{good}", "--shard", "3/2"], "--shard: must be i/n with 1 <= i <= n"),
        (["{good}", "--shard", "0/2"], "--shard: must be i/n"),
        (["{good}", "--shard", "half"], "--shard: must be i/n"),
        (["{good}", "--report", "out.txt"], "--report must end in .json or .csv"),
        (["{good}", "--csv", "out.json"], "--csv must end in .csv"),
        (["{good}", "--report", "{folder}"], "is a directory"),
        (["{good}", "--report", "{notes}/r.json"], "is not a directory"),
        (["{good}", "--bogus"], "unrecognized arguments: --bogus"),
        ([], "the following arguments are required: FILE"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(tmp_path, capsys, args, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "results.json").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    names = {
        "notes": tmp_path / "notes.txt",
        "empty": tmp_path / "empty",
        "good": tmp_path / "g.py",
    }
    names["folder"] = tmp_path / "results.json"
    (tmp_path / "g.py").write_text("x = 1\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", *(a.format(**{k: str(v) for k, v in names.items()}) for a in args)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "dlhomework check: error:" in err and message in err


def test_the_real_command_exit_codes(tmp_path):
    good = write(tmp_path, "good.py", GOOD)
    wrong = write(tmp_path, "wrong.py", WRONG)
    env = {**os.environ, "PYTHONPATH": str(Path(runner.__file__).parents[2])}

    def status(*args: str) -> int:
        command = [sys.executable, "-m", "dlhomework", "check", *args]
        return subprocess.run(
            command, capture_output=True, env=env, timeout=120, check=False
        ).returncode

    assert status(good) == 0
    assert status(good, wrong, "--jobs", "2") == 1
    assert status(good, "--shard", "9/2") == 2


# -- the child's pieces, in this process -------------------------------------------------------


def test_run_submission_reports_where_it_failed(tmp_path):
    ok = Path(write(tmp_path, "ok.py", "import sys\nx = 2\nsys.exit(0)\n"))
    assert _sandbox.run_submission(ok) == {"kind": "done", "skipped": []}
    bad = Path(write(tmp_path, "bad.py", "def f():\n    raise KeyError('k')\nf()\n"))
    record = _sandbox.run_submission(bad)
    assert (record["kind"], record["error"], record["where"]) == ("error", "KeyError", "line 2")
    leaves = Path(write(tmp_path, "leaves.py", "raise SystemExit('bye')\n"))
    assert _sandbox.run_submission(leaves)["error"] == "SystemExit"


@pytest.mark.parametrize(
    ("text", "message"), [("[1, 2]", "no list of cells"), ("{", "invalid JSON")]
)
def test_what_is_not_a_notebook(tmp_path, text, message):
    path = tmp_path / "x.ipynb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        _sandbox.code_cells(path)


def test_the_child_main_records_start_and_end(tmp_path, monkeypatch):
    record = tmp_path / "r.jsonl"
    monkeypatch.setenv("DLHOMEWORK_CHECK_RECORD", str(record))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    applied = []
    path = write(
        tmp_path, "s.py", "from dlhomework import check\ncheck.iterations(lambda n, b: n // b)\n"
    )
    assert _sandbox.main([path], apply=lambda *limits: applied.append(limits)) == 0
    assert applied == [(2048.0, 120.0, 64.0)]
    kinds = [json.loads(line)["kind"] for line in record.read_text(encoding="utf-8").splitlines()]
    assert kinds == ["start", "check", "done"]
    failing = write(tmp_path, "f.py", "1 / 0\n")
    assert _sandbox.main([failing], apply=lambda *limits: None) == 3


def test_a_notebook_in_this_process(tmp_path):
    path = Path(
        notebook(
            tmp_path,
            "nb.ipynb",
            ["%matplotlib inline\nx = 2\n", "%%writefile a.txt\nnot python\n", "display(x * 3)\n"],
        )
    )
    namespace: dict = {}
    assert _sandbox.run_submission(path, namespace) == {
        "kind": "done",
        "skipped": [
            "cell 2: %matplotlib inline",
            "cell 3: %%writefile a.txt (the whole cell)",
        ],
    }
    assert namespace["x"] == 2
    failing = Path(
        notebook(tmp_path, "f.ipynb", ["x = 1\n", "def f():\n    return {}['k']\n\nf()\n"])
    )
    assert _sandbox.run_submission(failing)["where"] == "cell 3, line 2"


def test_the_audit_hook_refuses_only_network_and_processes():
    for event in ("socket.__new__", "socket.connect", "subprocess.Popen", "os.system", "os.fork"):
        with pytest.raises(PermissionError, match="not allowed here"):
            _sandbox._refuse(event, ())
    for event in ("open", "import", "os.listdir", "compile"):
        assert _sandbox._refuse(event, ()) is None
    with pytest.raises(PermissionError):
        _sandbox._no_fork_exec()


def test_an_unreadable_file_is_an_error_of_that_file(tmp_path):
    result = runner.run_file(str(tmp_path / "gone.py"), tmp_path / "root", timeout=5, memory_mb=512)
    assert result.status == "error" and "cannot read the file" in result.message


# -- the library functions check their arguments once, before anything runs ------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"paths": "hw.py"}, TypeError, "paths must be a list of file paths, got 'hw.py' (str)"),
        ({"paths": Path("hw.py")}, TypeError, "paths must be a list of file paths"),
        ({"paths": ["hw.py", 3]}, TypeError, "paths[1] must be a str or os.PathLike, got 3"),
        ({"paths": [""]}, ValueError, "paths[0] must be a non-empty file name"),
        ({"timeout": -1}, ValueError, "timeout must be a finite number > 0, got -1.0"),
        ({"timeout": float("nan")}, ValueError, "timeout must be a finite number > 0, got nan"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a finite number > 0, got inf"),
        ({"timeout": "60"}, TypeError, "timeout must be a real number, got '60' (str)"),
        ({"memory_mb": 0}, ValueError, "memory_mb must be a finite number > 0, got 0.0"),
        ({"jobs": 0}, ValueError, "jobs must be a positive integer, got 0"),
        ({"jobs": 2.0}, TypeError, "jobs must be an integer, got 2.0 (float)"),
        ({"jobs": True}, TypeError, "jobs must be an integer, got True (bool)"),
        ({"progress": "yes"}, TypeError, "progress must be callable or None, got 'yes'"),
    ],
)
def test_run_refuses_bad_arguments_before_running_anything(
    tmp_path, monkeypatch, kwargs, error, message
):
    def no_process(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(runner.subprocess, "Popen", no_process)
    arguments = {"paths": [write(tmp_path, "hw.py", "x = 1\n")]} | kwargs
    with pytest.raises(error) as err:
        runner.run(**arguments)
    assert message in str(err.value)


def test_run_takes_path_objects_and_reports_them_as_given(tmp_path):
    script = Path(write(tmp_path, "hw.py", "x = 1\n"))
    (result,) = runner.run((script,), timeout=30, jobs=1)
    assert result.path == str(script) and result.status == "no-checks"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"path": 3}, TypeError, "path must be a str or os.PathLike, got 3 (int)"),
        ({"root": None}, TypeError, "root must be a str or os.PathLike, got None"),
        ({"timeout": 0}, ValueError, "timeout must be a finite number > 0, got 0.0"),
        ({"memory_mb": float("nan")}, ValueError, "memory_mb must be a finite number > 0"),
    ],
)
def test_run_file_refuses_bad_arguments(tmp_path, kwargs, error, message):
    arguments = {"path": "hw.py", "root": tmp_path / "root", "timeout": 5, "memory_mb": 512}
    with pytest.raises(error) as err:
        runner.run_file(**(arguments | kwargs))
    assert message in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_collect_refuses_one_path_instead_of_a_list(tmp_path):
    with pytest.raises(TypeError, match=r"paths must be a list of file paths, got '.*' \(str\)"):
        runner.collect(str(tmp_path))  # not iterated as characters
    assert runner.collect([tmp_path]) == []


def test_a_report_in_a_missing_folder_exits_2_before_running(tmp_path, capsys):
    good = write(tmp_path, "g.py", "x = 1\n")
    for option, name in (("--report", "r.json"), ("--csv", "r.csv")):
        target = tmp_path / "typo" / name
        with pytest.raises(SystemExit) as exit_info:
            main(["check", good, option, str(target)])
        assert exit_info.value.code == 2
        out, err = capsys.readouterr()
        assert out == ""  # nothing ran
        last = err.strip().splitlines()[-1]
        assert last.startswith(f"dlhomework check: error: argument {option}: ")
        assert f"the folder {str(tmp_path / 'typo')!r} does not exist" in last
        assert not (tmp_path / "typo").exists()


def test_the_help_says_no_network_only_at_the_python_level(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "no network at the Python level" in text
    assert text.count("no network") == 1
