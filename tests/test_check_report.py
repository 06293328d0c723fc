"""dlhomework.check: reports, recording, and code that raises, hangs, returns junk or NaN.

A student's code that fails in any way is a finding of the report, never an
exception out of the check; the report prints for a terminal and as escaped HTML.
"""

from __future__ import annotations

import json
import signal
import threading
import time

import numpy as np
import pytest

from dlhomework import check
from dlhomework.check._calls import Caller
from dlhomework.check._report import RECORD_ENV
from dlhomework.models import TwoLayerNet

# -- the report ------------------------------------------------------------------------------


def test_report_prints_its_verdict_findings_and_details():
    report = check.Report(
        "two_layer",
        (
            check.Finding("skip_layer_W1", ("W1",), "W1 错了"),
            check.Finding("gradient_updates", ("W1", "b1"), "顺便更新了", "warning"),
        ),
        ("激活函数：sigmoid",),
    )
    assert not report.passed
    assert str(report).splitlines() == [
        "check.two_layer：未通过",
        "  ✗ [skip_layer_W1] W1：W1 错了",
        "  ! [gradient_updates] W1, b1：顺便更新了",
        "  激活函数：sigmoid",
    ]
    assert report.to_dict()["codes"] == ["skip_layer_W1", "gradient_updates"]


def test_warnings_alone_pass():
    report = check.Report("tanh", (check.Finding("scalar_only", ("fn",), "m", "warning"),))
    assert report.passed
    assert "通过" in report._repr_html_()


def test_html_escapes_what_the_student_wrote():
    def evil(n, b):
        raise ValueError("<script>alert('x')</script> & <b>")

    html = check.iterations(evil)._repr_html_()
    assert "<script>" not in html and "<b>&" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_every_report_is_recorded_as_a_json_line(tmp_path, monkeypatch):
    path = tmp_path / "records.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(path))
    check.iterations(lambda n, b: n // b)
    check.count_positive(lambda p: np.count_nonzero(p > 0))
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["check"], r["passed"], r["codes"]) for r in lines] == [
        ("iterations", False, ["floor_not_ceil"]),
        ("count_positive", True, []),
    ]
    assert lines[0]["findings"][0]["concerns"] == ["fn(1010, 20)"]


def test_an_unwritable_record_file_does_not_break_the_check(tmp_path, monkeypatch):
    monkeypatch.setenv(RECORD_ENV, str(tmp_path / "missing-folder" / "r.jsonl"))
    assert check.iterations(lambda n, b: -(-n // b)).passed


@pytest.mark.parametrize(
    ("limit", "error"),
    [
        (0, ValueError),
        (-1.0, ValueError),
        (float("nan"), ValueError),
        ("5", TypeError),
        (True, TypeError),
    ],
)
def test_a_bad_time_limit_is_the_callers_error(limit, error):
    with pytest.raises(error, match="time_limit"):
        check.tanh(np.tanh, time_limit=limit)


# -- time limits -----------------------------------------------------------------------------


def test_an_endless_loop_is_stopped_at_the_time_limit():
    def forever(n, b):
        while True:
            pass

    start = time.perf_counter()
    report = check.iterations(forever, time_limit=0.5)
    assert time.perf_counter() - start < 2.0
    assert report.codes == ("timeout",)
    assert report.concerning("timeout") == ("fn(1000, 20)",)


def test_the_time_limit_covers_all_calls_together():
    def slow(p):
        time.sleep(0.15)
        return int(np.count_nonzero(p > 0))

    report = check.count_positive(slow, time_limit=0.5)  # five probes of 0.15 s
    assert report.codes == ("timeout",)


def test_off_the_main_thread_slowness_is_measured():
    reports = []

    def slow(n, b):
        time.sleep(0.3)
        return -(-n // b)

    worker = threading.Thread(target=lambda: reports.append(check.iterations(slow, time_limit=0.2)))
    worker.start()
    worker.join()
    assert reports[0].codes == ("timeout",)


def test_a_running_timer_of_the_caller_is_left_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        assert not Caller("x", 1.0).can_interrupt
        assert check.iterations(lambda n, b: -(-n // b)).passed
        time.sleep(0.4)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == [True]


def test_sys_exit_in_the_students_code_is_a_finding():
    def leaves(x):
        raise SystemExit(1)

    assert check.tanh(leaves).codes[-1] == "raises"


# -- networks that cannot be checked ---------------------------------------------------------


class Broken(TwoLayerNet):
    """A right network whose methods are replaced, one per test."""

    def __init__(self, **methods):
        super().__init__(5, 7, "sigmoid", rng=0)
        for name, fn in methods.items():
            setattr(self, name, fn)


def nan_forward(x):
    return np.full((len(x), 1), np.nan)


@pytest.mark.parametrize(
    ("net", "code", "concerns"),
    [
        (42, "params_not_found", ("W1", "b1", "W2", "b2")),
        (None, "params_not_found", ("W1", "b1", "W2", "b2")),
        (Broken(forward=lambda x: 1 / 0), "raises", ("forward",)),
        (Broken(forward=nan_forward), "not_finite", ("forward",)),
        (Broken(forward=lambda x: np.zeros((len(x), 7))), "wrong_shape", ("forward",)),
        (Broken(forward=lambda x: "pred"), "wrong_type", ("forward",)),
        (Broken(gradients=lambda x, y: None), "wrong_type", ("gradients",)),
        (Broken(gradients=lambda x, y: (1, 2)), "wrong_type", ("gradients",)),
        (Broken(gradients=lambda x, y: {"W1": 1}), "wrong_type", ("gradients",)),
    ],
    ids=["int", "None", "raises", "nan", "shape", "type", "none", "pair", "keys"],
)
def test_networks_that_cannot_be_checked_are_findings(net, code, concerns):
    report = check.two_layer(net)
    assert report.findings[-1].code == code, str(report)
    assert report.findings[-1].concerns == concerns


class Plain:
    """Parameters and nothing else."""

    def __init__(self, W2=(7, 1), b2=(1,), W1=(5, 7)):
        self.W1, self.b1 = np.ones(W1), np.zeros(7)
        self.W2, self.b2 = np.ones(W2), np.zeros(b2)


def test_missing_methods_and_wrong_parameter_shapes():
    assert check.two_layer(Plain()).concerning("no_method") == ("forward", "gradient")
    assert check.two_layer(Plain(W1=(35,))).concerning("param_shape") == ("W1",)
    assert check.two_layer(Plain(W2=(7, 2))).concerning("param_shape") == ("W2",)
    assert check.two_layer(Plain(b2=(2,))).concerning("param_shape") == ("b2",)


def test_a_gradient_that_loops_forever_is_stopped():
    def forever(x, y):
        while True:
            pass

    report = check.two_layer(Broken(gradients=forever), time_limit=0.5)
    assert report.codes == ("timeout",)
    assert report.concerning("timeout") == ("gradients",)


def test_a_forward_that_ignores_the_parameters():
    frozen = TwoLayerNet(5, 7, rng=1)
    report = check.two_layer(Broken(forward=frozen.predict))
    assert report.concerning("params_not_used") == ("W1", "b1", "W2", "b2")


def test_an_unknown_activation_is_checked_by_finite_differences():
    class Softplus(TwoLayerNet):
        def forward(self, X):
            p = self.params
            return np.logaddexp(0, X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]

        def gradients(self, X, y):
            p = self.params
            z = X @ p["W1"] + p["b1"]
            a = np.logaddexp(0, z)
            d = 2 * (a @ p["W2"] + p["b2"] - y) / len(X)
            dz = d @ p["W2"].T / (1 + np.exp(-z))
            return {"W1": X.T @ dz, "b1": dz.sum(0), "W2": a.T @ d, "b2": d.sum(0)}

    report = check.two_layer(Softplus(5, 7, rng=0))
    assert report.passed
    assert report.codes == ("forward_unknown",)
    wrong = Softplus(5, 7, rng=0)
    right = wrong.gradients
    wrong.gradients = lambda X, y: {
        k: (v * 1.7 if k == "W2" else v) for k, v in right(X, y).items()
    }
    assert check.two_layer(wrong).concerning("grad_scale") == ("W2",)


def test_a_gradient_method_that_also_updates_is_a_warning():
    net = TwoLayerNet(5, 7, rng=0)
    right = net.gradients

    def step(X, y):
        g = right(X, y)
        for k in net.params:
            net.params[k] -= 0.1 * g[k]
        return g

    net.gradients = step
    report = check.two_layer(net)
    assert report.passed
    assert report.concerning("gradient_updates") == ("W1", "b1", "W2", "b2")


def test_gradients_in_another_order_and_of_another_shape():
    net = TwoLayerNet(5, 7, rng=0)
    right = net.gradients
    net.gradients = lambda X, y: tuple(right(X, y)[k] for k in ("W2", "b2", "W1", "b1"))
    assert check.two_layer(net).concerning("grad_order") == ("W1", "b1", "W2", "b2")
    net.gradients = lambda X, y: tuple(
        v.ravel() if k == "W2" else v for k, v in right(X, y).items()
    )
    assert check.two_layer(net).concerning("grad_shape") == ("W2",)


def test_a_square_W1_gradient_transposed():
    net = TwoLayerNet(6, 6, "tanh", rng=0)
    right = net.gradients
    net.gradients = lambda X, y: {k: (v.T if k == "W1" else v) for k, v in right(X, y).items()}
    assert check.two_layer(net).concerning("grad_transposed") == ("W1",)


def test_a_loss_that_sums_is_named_for_a_two_layer_net_too():
    class Summed(TwoLayerNet):
        def loss(self, pred, y):
            return float(np.sum((pred - y) ** 2))

    report = check.two_layer(Summed(5, 7, rng=0))
    assert report.codes == ("loss_sum",)


def test_a_flat_W2():
    net = TwoLayerNet(5, 7, rng=0)
    net.params["W2"] = net.params["W2"].ravel()
    report = check.two_layer(net)
    assert report.concerning("param_shape") == ("W2",)


def test_a_gradient_method_that_replaces_the_parameters_is_a_warning():
    net = TwoLayerNet(5, 7, rng=0)
    right = net.gradients

    def step(X, y):
        g = right(X, y)
        net.params = {k: v - 0.1 * g[k] for k, v in net.params.items()}  # new arrays
        return g

    net.gradients = step
    original = net.params
    saved = {k: v.copy() for k, v in original.items()}
    report = check.two_layer(net)
    assert report.passed, str(report)
    assert report.concerning("gradient_updates") == ("W1", "b1", "W2", "b2")
    assert net.params is original  # the network is left as it was before the check
    assert all(np.array_equal(net.params[k], saved[k]) for k in saved)


def test_ipython_shows_the_text_of_the_report():
    shown = []

    class Printer:
        def text(self, value):
            shown.append(value)

    report = check.iterations(lambda n, b: n // b)
    report._repr_pretty_(Printer(), False)
    assert shown == [str(report)]
