"""dlhomework.environment: the homework 1-5 check."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import dlhomework
from dlhomework.environment import environment_report, paddle_run_check


def test_report_describes_this_interpreter():
    report = environment_report()
    assert report["python"] == sys.version.split()[0]
    assert report["numpy"] == np.__version__
    assert report["dlhomework"] == dlhomework.__version__
    assert report["data_shape"] == "(506, 14)"
    assert report["data_sha256_ok"] == "yes"


@pytest.mark.paddle
def test_paddle_run_check(paddle):
    assert environment_report()["paddlepaddle"] == paddle.__version__
    assert "PaddlePaddle is installed successfully" in paddle_run_check()
