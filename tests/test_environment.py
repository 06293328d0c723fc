"""dlhomework.environment: the homework 1-5 check."""

from __future__ import annotations

import os
import re
import sys
from importlib import metadata

import numpy as np
import pytest

import dlhomework
from dlhomework.environment import environment_report, paddle_run_check

# glog's line prefix: severity letter, MMDD, time, thread id, file:line]
GLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ \S+:\d+\]", flags=re.M)


def test_report_describes_this_interpreter():
    report = environment_report()
    assert report["python"] == sys.version.split()[0]
    assert report["numpy"] == np.__version__
    assert report["dlhomework"] == dlhomework.__version__
    assert report["data_shape"] == "(506, 14)"
    assert report["data_sha256_ok"] == "yes"


def test_report_names_the_jupyter_kernel():
    try:
        import ipykernel
    except ImportError:
        expected = "not installed"
    else:
        expected = ipykernel.__version__
    assert environment_report()["ipykernel"] == expected


def test_report_says_when_ipykernel_is_missing(monkeypatch):
    real_version = metadata.version

    def version(dist: str) -> str:
        if dist == "ipykernel":
            raise metadata.PackageNotFoundError(dist)
        return real_version(dist)

    monkeypatch.setattr(metadata, "version", version)
    report = environment_report()
    assert report["ipykernel"] == "not installed"
    assert report["numpy"] == np.__version__  # the other packages are still found


@pytest.mark.paddle
def test_paddle_run_check(paddle, capfd):
    assert environment_report()["paddlepaddle"] == paddle.__version__
    text = paddle_run_check()
    assert "PaddlePaddle is installed successfully" in text
    assert not [line for line in text.splitlines() if line.startswith(("I1", "W1"))]
    assert not GLOG.search(text)
    leaked = capfd.readouterr()
    assert not GLOG.search(leaked.err) and not GLOG.search(leaked.out)


def _write_native(text: str, fd: int = 2) -> None:
    """Write as C++ code does: to the file descriptor, bypassing sys.stderr."""
    os.write(fd, text.encode())


GLOG_INFO = "I1129 10:02:37.971606 12448 pir_interpreter.cc:1529] New Executor is Running ...\n"
GLOG_WARNING = "W1129 10:02:37.972023 12448 executor.cc:99] a notice\n"
NATIVE_ERROR = "E1129 10:02:38.000001 12448 op.cc:7] something is broken\n"


@pytest.mark.paddle
def test_paddle_run_check_drops_glog_notices_written_to_the_descriptors(paddle, monkeypatch, capfd):
    def fake_run_check() -> None:
        print("Running verify PaddlePaddle program ... ")
        _write_native(GLOG_INFO)
        _write_native(GLOG_WARNING, fd=1)
        _write_native(NATIVE_ERROR)
        print("PaddlePaddle is installed successfully!", file=sys.stderr)

    monkeypatch.setattr(paddle.utils, "run_check", fake_run_check)
    text = paddle_run_check()
    assert text == (
        "Running verify PaddlePaddle program ... \n"
        "PaddlePaddle is installed successfully!\n" + NATIVE_ERROR  # errors are kept
    )
    leaked = capfd.readouterr()
    assert (leaked.out, leaked.err) == ("", "")
    _write_native("after\n")  # the descriptor points at its old target again
    assert capfd.readouterr().err == "after\n"


@pytest.mark.paddle
def test_paddle_run_check_failure_keeps_the_output(paddle, monkeypatch, capfd):
    def broken_run_check() -> None:
        print("Running verify PaddlePaddle program ... ")
        _write_native(GLOG_INFO + NATIVE_ERROR)
        raise RuntimeError("no device")

    monkeypatch.setattr(paddle.utils, "run_check", broken_run_check)
    with pytest.raises(RuntimeError, match="no device") as info:
        paddle_run_check()
    (note,) = info.value.__notes__
    assert "Running verify PaddlePaddle program" in note and NATIVE_ERROR in note
    assert GLOG_INFO not in note
    assert capfd.readouterr() == ("", "")
    print("after")
    assert capfd.readouterr().out == "after\n"
