"""dlhomework.cli: the ``dlhomework`` command line (issue 8).

The commands are run for real in subprocesses (``python -m dlhomework ...``):
exit codes, parsable output, the files they write.  The same commands also run
in-process through ``main(argv)``, which is what coverage measures.

The independent sources: ``training.sgd`` called here for the same run (its
results, its error messages), forward passes and MSEs written out here with NumPy,
the least-squares optimum from the normal equations, the housing file read with
``np.fromfile`` and normalized here with statistics recomputed from its first
404 rows, and the NumPy backend for the Paddle one.
"""

from __future__ import annotations

import io
import os
import re
import runpy
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import dlhomework
from dlhomework import cli, model_files, training
from dlhomework.cli import load_numpy_model, main, save_numpy_model
from dlhomework.data import housing_path
from dlhomework.models import LinearRegression, TwoLayerNet
from dlhomework.training import sgd

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
N_TRAIN = 404  # the course's 80/20 split of 506 rows
BLOCK_PADDLE = (
    "import sys; sys.modules['paddle'] = None; "  # what Python does when paddle cannot import
    "from dlhomework.cli import main; raise SystemExit(main())"
)
ACT = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "identity": lambda z: z,
}


# -- helpers -------------------------------------------------------------------------------


def run_cli(*args: str, block_paddle: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter (stdout/stderr are pipes, not a TTY)."""
    command = [sys.executable, "-c", BLOCK_PADDLE] if block_paddle else [sys.executable, "-m"]
    if not block_paddle:
        command.append("dlhomework")
    env = {**os.environ, "GLOG_minloglevel": "2"}
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=300, check=False, env=env
    )


def parse_train(out: str) -> dict[str, float]:
    patterns = {
        "train": r"^train MSE:\s+(\S+)\s",
        "test": r"^test MSE:\s+(\S+)\s",
        "opt_train": r"^linear optimum: train MSE (\S+), ",
        "opt_test": r"^linear optimum: .*, test MSE (\S+)\s",
        "seconds": r"^wall time:\s+(\S+) s",
    }
    values = {}
    for key, pattern in patterns.items():
        found = re.search(pattern, out, re.MULTILINE)
        assert found, f"no {key!r} line in:\n{out}"
        values[key] = float(found.group(1))
    return values


def parse_predict(out: str) -> dict[str, float]:
    values = {}
    for key in ("predicted", "actual"):
        found = re.search(rf"^{key} MEDV:\s+(\S+)\s", out, re.MULTILINE)
        assert found, f"no {key!r} line in:\n{out}"
        values[key] = float(found.group(1))
    found = re.search(
        r"^row index:\s+(\d+) \(0-based, of 506 rows; (train|test) set\)$", out, re.MULTILINE
    )
    assert found, out
    values["row"] = int(found.group(1))
    values["test_set"] = found.group(2) == "test"
    return values


def assert_usage_error(stderr: str, command: str, *fragments: str) -> None:
    """argparse's format: usage lines, then ONE line ``dlhomework CMD: error: ...``."""
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith(f"dlhomework {command}: error: "), stderr
    for fragment in fragments:
        assert fragment in last, (fragment, last)


def forward(params: dict[str, np.ndarray], X: np.ndarray, activation: str = "") -> np.ndarray:
    if "W" in params:
        return X @ params["W"] + params["b"]
    hidden = ACT[activation](X @ params["W1"] + params["b1"])
    return hidden @ params["W2"] + params["b2"]


@pytest.fixture(scope="module")
def housing():
    """The raw file read as the course does, normalized here with the first 404 rows' statistics."""
    raw = np.fromfile(housing_path(), sep=" ").reshape(-1, 14)
    train = raw[:N_TRAIN]
    mean, span = train.mean(axis=0), train.max(axis=0) - train.min(axis=0)
    normalized = (raw - mean) / span
    return {
        "raw": raw,
        "X": normalized[:N_TRAIN, :-1],
        "y": normalized[:N_TRAIN, -1:],
        "X_test": normalized[N_TRAIN:, :-1],
        "y_test": normalized[N_TRAIN:, -1:],
        "normalized": normalized,
        "mean": mean,
        "span": span,
    }


def mse(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((pred - y) ** 2))


def linear_optimum(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares by the normal equations (the package uses lstsq)."""
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    return np.linalg.solve(A.T @ A, A.T @ y)


def optimum_mse(housing, X: np.ndarray, y: np.ndarray) -> float:
    beta = linear_optimum(housing["X"], housing["y"])
    return mse(X @ beta[:-1] + beta[-1], y)


class FakeTTY(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


# -- help, version, python -m ----------------------------------------------------------


@pytest.mark.parametrize("command", ["", "train", "compare", "predict", "env"])
def test_every_command_has_help(command):
    result = run_cli(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: dlhomework {command}".rstrip())
    assert result.stderr == ""
    if command == "train":  # the defaults are documented
        assert "--epochs 1000 --batch-size 32 --lr 0.05" in result.stdout
        assert "--lr 0.3 --hidden 13 --activation sigmoid" in result.stdout
    if command == "":
        for name in ("train", "compare", "predict", "env", "exit status"):
            assert name in result.stdout


def test_python_dash_m_runs_main_in_process(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["dlhomework", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("dlhomework", run_name="__main__", alter_sys=False)
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dlhomework {dlhomework.__version__}"


def test_console_script_is_declared():
    text = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^\[project\.scripts\]\ndlhomework = "dlhomework\.cli:main"$', text, re.M)


# -- train, for real (subprocess) --------------------------------------------------------

TWO_LAYER = {"hidden": 7, "activation": "tanh", "epochs": 5, "seed": 3}


@pytest.fixture(scope="module")
def numpy_run(tmp_path_factory):
    """One real `dlhomework train` with --plot and --save, shared by the tests below."""
    tmp = tmp_path_factory.mktemp("numpy_run")
    (tmp / "sub").mkdir()  # train creates no folder
    args = ["train", "--model", "two-layer", "--hidden", "7", "--activation", "tanh"]
    args += ["--epochs", "5", "--seed", "3", "--plot", str(tmp / "loss.png")]
    args += ["--save", str(tmp / "sub" / "model.npz")]
    return run_cli(*args), tmp


def test_train_prints_parsable_results(numpy_run, housing):
    result, tmp = numpy_run
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar: stderr is not a terminal
    header = result.stdout.splitlines()[0]
    assert header == (
        "dlhomework train: two-layer model (hidden 7, activation tanh), numpy backend, 5 epochs, "
        "batch size 32 (13 updates per epoch), lr 0.3, seed 3"
    )
    values = parse_train(result.stdout)
    # the saved weights, run forward here, give the printed MSEs
    params = load_numpy_model(tmp / "sub" / "model.npz").params
    train_mse = mse(forward(params, housing["X"], "tanh"), housing["y"])
    test_mse = mse(forward(params, housing["X_test"], "tanh"), housing["y_test"])
    assert values["train"] == pytest.approx(train_mse, abs=6e-7)
    assert values["test"] == pytest.approx(test_mse, abs=6e-7)
    assert values["opt_train"] == pytest.approx(
        optimum_mse(housing, housing["X"], housing["y"]), abs=6e-7
    )
    assert values["opt_test"] == pytest.approx(
        optimum_mse(housing, housing["X_test"], housing["y_test"]), abs=6e-7
    )
    assert values["seconds"] >= 0
    assert values["train"] > values["opt_train"] * 0.5  # a sane number, not a parse accident


def test_the_saved_model_is_that_of_one_sgd_call(numpy_run, housing):
    """--seed seeds the weights and the shuffling: the same run as sgd's, bit for bit."""
    _, tmp = numpy_run
    reference = TwoLayerNet(13, 7, "tanh", rng=3)
    sgd(reference, housing["X"], housing["y"], n_epochs=5, batch_size=32, lr=0.3, rng=3)
    saved = load_numpy_model(tmp / "sub" / "model.npz")
    assert isinstance(saved, TwoLayerNet) and saved.activation == "tanh"
    for name, value in reference.params.items():
        np.testing.assert_array_equal(saved.params[name], value)


def test_train_writes_a_png_loss_curve(numpy_run):
    import matplotlib.image

    _, tmp = numpy_run
    path = tmp / "loss.png"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (400, 700)  # 7 x 4 inches at 100 dpi
    assert image.shape[2] in (3, 4)
    assert float(image[..., :3].std()) > 0.05  # something is drawn


def test_predict_a_saved_model_in_a_subprocess(numpy_run, housing):
    _, tmp = numpy_run
    result = run_cli("predict", "--model-file", str(tmp / "sub" / "model.npz"), "--row", "-10")
    assert result.returncode == 0, result.stderr
    values = parse_predict(result.stdout)
    assert values["row"] == 496 and values["test_set"]
    assert values["actual"] == 19.7  # the course's example house
    params = load_numpy_model(tmp / "sub" / "model.npz").params
    normalized = forward(params, housing["normalized"][496:497, :-1], "tanh")[0, 0]
    by_hand = normalized * housing["span"][-1] + housing["mean"][-1]
    assert values["predicted"] == pytest.approx(by_hand, abs=0.006)  # printed to 2 decimals


def test_predict_row_is_counted_from_both_ends(numpy_run, housing, capsys):
    _, tmp = numpy_run
    model_file = str(tmp / "sub" / "model.npz")
    for row, expected in ((-506, 0), (0, 0), (505, 505), (-1, 505), (403, 403), (404, 404)):
        assert main(["predict", "--model-file", model_file, "--row", str(row)]) == 0
        values = parse_predict(capsys.readouterr().out)
        assert values["row"] == expected
        assert values["test_set"] == (expected >= N_TRAIN)
        assert values["actual"] == pytest.approx(housing["raw"][expected, -1], abs=0.005)


# -- bad command lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "command", "fragment"),
    [
        (["train", "--batch-size", "-3"], "train", "argument --batch-size: must be a positive"),
        (["train", "--model", "cnn"], "train", "argument --model: invalid choice: 'cnn'"),
        (["train", "--lr", "0"], "train", "argument --lr: must be a finite number > 0, got '0'"),
        (["predict", "--model-file", "no-such-file.npz"], "predict", "no such file"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_in_a_subprocess(args, command, fragment):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_usage_error(result.stderr, command, fragment)


def test_a_foreign_model_file_exits_2_in_a_subprocess(tmp_path):
    foreign = tmp_path / "other.npz"
    np.savez(foreign, weights=np.ones(3))
    result = run_cli("predict", "--model-file", str(foreign))
    assert result.returncode == 2
    assert_usage_error(result.stderr, "predict", "is not a dlhomework model file")


def test_a_diverging_run_exits_1_in_a_subprocess():
    result = run_cli("train", "--lr", "50", "--epochs", "50")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("dlhomework train: error: ")
    assert "diverged" in line and "smaller learning rate" in line and "--lr 5" in line


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            ["train", "--batch-size", "0"],
            "argument --batch-size: must be a positive integer, got '0'",
        ),
        (["train", "--batch-size", "2.5"], "must be a positive integer, got '2.5'"),
        (["train", "--epochs", "0"], "argument --epochs: must be a positive integer, got '0'"),
        (["train", "--epochs", "ten"], "argument --epochs: must be a positive integer, got 'ten'"),
        (["train", "--lr", "-0.1"], "argument --lr: must be a finite number > 0, got '-0.1'"),
        (["train", "--lr", "nan"], "argument --lr: must be a finite number > 0, got 'nan'"),
        (["train", "--lr", "inf"], "argument --lr: must be a finite number > 0, got 'inf'"),
        (["train", "--lr", "fast"], "argument --lr: must be a finite number > 0, got 'fast'"),
        (["train", "--seed", "-1"], "argument --seed: must be a non-negative integer, got '-1'"),
        (["train", "--seed", "x"], "argument --seed: must be a non-negative integer, got 'x'"),
        (["train", "--backend", "torch"], "argument --backend: invalid choice: 'torch'"),
        (["train", "--model", "two-layer", "--activation", "gelu"], "invalid choice: 'gelu'"),
        (["train", "--model", "two-layer", "--hidden", "0"], "argument --hidden: must be a"),
        (["train", "--hidden", "5"], "--hidden applies to --model two-layer only, not linear"),
        (["train", "--activation", "relu"], "--activation applies to --model two-layer only"),
        (["train", "--plot", "curve.xyz"], "argument --plot: 'curve.xyz' must end in one of"),
        (["train", "--plot", "curve"], "argument --plot: 'curve' must end in one of"),
        (["train", "--epochs", "1", "--unknown"], "unrecognized arguments: --unknown"),
        (["predict"], "the following arguments are required: --model-file"),
        (["predict", "--model-file", "m.npz", "--row", "x"], "argument --row: must be an integer"),
        (["compare", "--epochs", "-1"], "argument --epochs: must be a positive integer, got '-1'"),
    ],
)
def test_bad_arguments_exit_2(argv, fragment, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_usage_error(err, argv[0], fragment)


@pytest.mark.parametrize("argv", [[], ["frobnicate"]])
def test_a_missing_or_unknown_command_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("dlhomework: error: ")


def test_output_paths_that_are_directories_exit_2(tmp_path, capsys):
    for option in ("--plot", "--save"):
        with pytest.raises(SystemExit) as exit_info:
            main(["train", "--epochs", "1", option, str(tmp_path)])
        assert exit_info.value.code == 2
        out, err = capsys.readouterr()
        assert out == ""  # checked before training, not after
        assert_usage_error(err, "train", f"argument {option}:", "is a directory")


@pytest.mark.parametrize("option", ["--plot", "--save"])
def test_an_output_in_a_place_that_is_not_a_folder_exits_2_before_training(
    tmp_path, capsys, option
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    target = blocker / ("curve.png" if option == "--plot" else "model.npz")
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "100000", option, str(target)])  # would take minutes
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # refused before training
    assert_usage_error(err, "train", f"argument {option}:", "is not a directory")
    assert blocker.read_text() == "not a directory"


@pytest.mark.parametrize("option", ["--plot", "--save"])
def test_an_output_in_a_missing_folder_exits_2_before_training_and_creates_nothing(
    tmp_path, capsys, option
):
    """A typo in a folder name must not make a folder tree (nor train for minutes first)."""
    target = tmp_path / "no-such" / "folder" / ("x.png" if option == "--plot" else "m.npz")
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "100000", option, str(target)])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    folder = str(tmp_path / "no-such" / "folder")
    assert_usage_error(err, "train", f"argument {option}:", f"the folder {folder!r} does not exist")
    assert list(tmp_path.iterdir()) == []


def test_the_module_docstring_lists_every_command() -> None:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    listed = re.findall(r"^    dlhomework (\w+) ", cli.__doc__ or "", re.MULTILINE)
    assert listed == list(commands) == ["train", "compare", "predict", "env", "check"]
    assert "Five commands" in (cli.__doc__ or "")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--save", "model.pdparams"], "argument --save: 'model.pdparams' must end in one of .npz"),
        (["--save", "model"], "must end in one of .npz"),
        (["--plot", "loss.txt"], "argument --plot: 'loss.txt' must end in one of"),
        (["--plot", "same.png", "--save", "same.png"], "must end in one of .npz"),
    ],
)
def test_output_names_with_the_wrong_suffix_exit_2(tmp_path, capsys, monkeypatch, argv, fragment):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "1", *argv])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_usage_error(err, "train", fragment)
    assert list(tmp_path.iterdir()) == []


def test_plot_and_save_naming_one_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "model.npz"
    link = tmp_path / "curve.png"
    link.symlink_to(target)  # two names, one file
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "1", "--plot", str(link), "--save", str(target)])
    assert exit_info.value.code == 2
    assert_usage_error(capsys.readouterr().err, "train", "--plot and --save name the same file")


@pytest.mark.parametrize("failing", ["--plot", "--save"])
def test_one_failing_output_does_not_skip_the_other(tmp_path, capsys, monkeypatch, failing):
    plot, model_file = tmp_path / "curve.png", tmp_path / "model.npz"
    plot.write_bytes(b"old curve")
    model_files.save(LinearRegression(13, rng=9), model_file)
    before = load_numpy_model(model_file).params

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "--plot":
        monkeypatch.setattr(cli, "_plot", disk_full)
    else:
        monkeypatch.setattr(cli.model_files, "save", disk_full)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "3", "--plot", str(plot), "--save", str(model_file)])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "train MSE:" in out  # the results were printed before the write failed
    (line,) = err.strip().splitlines()
    target = plot if failing == "--plot" else model_file
    assert line == (
        f"dlhomework train: error: cannot write {failing} {str(target)!r}: No space left on device"
    )
    if failing == "--plot":  # the model was still saved, the old curve kept
        assert plot.read_bytes() == b"old curve"
        assert "model saved:" in out
        assert not np.array_equal(load_numpy_model(model_file).params["W"], before["W"])
    else:  # the curve was still drawn, the old model kept
        assert plot.read_bytes()[:8] == PNG_SIGNATURE
        np.testing.assert_array_equal(load_numpy_model(model_file).params["W"], before["W"])


# -- train, in-process -----------------------------------------------------------------


def test_train_in_process_prints_the_results_of_one_sgd_call(housing, capsys):
    argv = ["train", "--epochs", "4", "--batch-size", "50", "--lr", "0.1", "--seed", "5"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[0] == (
        "dlhomework train: linear model, numpy backend, 4 epochs, batch size 50 "
        "(9 updates per epoch), lr 0.1, seed 5"
    )
    reference = LinearRegression(13, rng=5)
    sgd(reference, housing["X"], housing["y"], n_epochs=4, batch_size=50, lr=0.1, rng=5)
    values = parse_train(out)
    assert values["train"] == pytest.approx(
        mse(forward(reference.params, housing["X"]), housing["y"]), abs=6e-7
    )
    assert values["test"] == pytest.approx(
        mse(forward(reference.params, housing["X_test"]), housing["y_test"]), abs=6e-7
    )
    rmse = re.search(r"^test MSE:\s+\S+\s+\(RMSE (\S+) in \$1000s\)$", out, re.M)
    assert rmse
    assert float(rmse.group(1)) == pytest.approx(
        np.sqrt(values["test"]) * housing["span"][-1], abs=0.006
    )


def test_train_defaults_are_the_books_settings():
    assert cli.DEFAULTS["linear"] == cli.TrainDefaults(n_epochs=1000, batch_size=32, lr=0.05)
    assert cli.DEFAULTS["two-layer"] == cli.TrainDefaults(
        1000, 32, 0.3, {"n_hidden": 13, "activation": "sigmoid"}
    )
    assert cli.DEFAULTS is training.DEFAULTS  # the chapters' import path still works
    args = cli.build_parser().parse_args(["train"])
    assert (args.model, args.backend, args.epochs, args.seed) == ("linear", "numpy", None, 0)


def test_full_batch_when_the_batch_is_larger_than_the_data(capsys):
    assert main(["train", "--epochs", "2", "--batch-size", "1000"]) == 0
    assert "batch size 1000 (1 update per epoch)" in capsys.readouterr().out


def test_plot_and_save_in_process(tmp_path, capsys, housing):
    plot, model_file = tmp_path / "curve.svg", tmp_path / "linear.npz"
    argv = ["train", "--epochs", "40", "--plot", str(plot), "--save", str(model_file)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"loss curve:     {plot}" in out
    assert f"model saved:    {model_file}  (dlhomework predict --model-file {model_file})" in out
    assert plot.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    model = load_numpy_model(model_file)
    assert isinstance(model, LinearRegression)
    assert parse_train(out)["train"] == pytest.approx(
        mse(forward(model.params, housing["X"]), housing["y"]), abs=6e-7
    )


def test_progress_bar_on_a_terminal(monkeypatch, capsys, housing):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["train", "--epochs", "3"]) == 0
    bar = tty.getvalue()
    assert bar.startswith("\repoch 1/3 [")
    assert "\repoch 3/3 [############################] loss " in bar
    assert bar.endswith(" s\n")  # the bar's line is ended before the results
    # the running loss is the epoch's mean batch loss, as one sgd call records it
    history = sgd(LinearRegression(13, rng=0), housing["X"], housing["y"], n_epochs=3,
                  batch_size=32, lr=0.05, rng=0)  # fmt: skip
    shown = [float(v) for v in re.findall(r"loss (\S+)", bar)]
    assert shown[0] == pytest.approx(history.epoch_losses[0], abs=6e-6)
    assert shown[-1] == pytest.approx(history.epoch_losses[-1], abs=6e-6)
    out = capsys.readouterr().out
    assert "\r" not in out and "[#" not in out  # stdout holds the results only


def test_progress_bar_gets_one_update_per_epoch(monkeypatch, capsys, housing):
    """Drawing is throttled, but every epoch's mean loss reaches the bar, in order."""
    updates = []
    draw = training.ProgressBar.update

    def recording(self, epoch, loss):
        updates.append((epoch, loss))
        draw(self, epoch, loss)

    monkeypatch.setattr(training.ProgressBar, "update", recording)
    monkeypatch.setattr(sys, "stderr", FakeTTY())
    assert main(["train", "--epochs", "7", "--batch-size", "50", "--seed", "2"]) == 0
    history = sgd(LinearRegression(13, rng=2), housing["X"], housing["y"], n_epochs=7,
                  batch_size=50, lr=0.05, rng=2)  # fmt: skip
    assert updates == list(enumerate(history.epoch_losses, start=1))
    assert sys.stderr.getvalue().endswith(" s\n")
    capsys.readouterr()


def test_progress_bar_line_is_ended_before_an_error(monkeypatch):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--lr", "1.2", "--epochs", "9"])  # diverges at epoch 3
    assert exit_info.value.code == 1
    bar, error = tty.getvalue().rsplit("\n", 2)[:2]
    assert bar.startswith("\repoch 1/9 [")
    assert "epoch 3/9" not in bar  # epoch 3 raised before its update (drawing is throttled)
    assert error.startswith("dlhomework train: error: the loss grew from ")


def test_quiet_or_not_a_terminal_means_no_progress_bar(monkeypatch, capsys):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["train", "--epochs", "3", "--quiet"]) == 0
    assert tty.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert main(["train", "--epochs", "3"]) == 0
    assert sys.stderr.getvalue() == ""


GROWTH = r"the loss grew from (?P<initial>\S+) before training to \S+ "


@pytest.mark.parametrize(
    ("argv", "settings", "expected"),
    [
        (  # the loss grows 1e6 times within the first epoch
            ["--lr", "50", "--epochs", "5"],
            {"lr": 50.0, "n_epochs": 5},
            GROWTH + r"\(mean of epoch (?P<epoch>1)\)",
        ),
        (  # 1e6 times only in the third epoch
            ["--lr", "1.2", "--epochs", "9"],
            {"lr": 1.2, "n_epochs": 9},
            GROWTH + r"\(mean of epoch (?P<epoch>3)\)",
        ),
        (  # full batch: one finite step to weights ~1e160, whose loss overflows in epoch 2
            ["--lr", "1e160", "--batch-size", "1000", "--epochs", "3"],
            {"lr": 1e160, "n_epochs": 3, "batch_size": 1000},
            r"the loss became inf at epoch (?P<epoch>2), iteration 1 \(of 1 per epoch\)",
        ),
    ],
    ids=["growth-epoch-1", "growth-epoch-3", "inf-epoch-2"],
)
def test_diverging_reports_sgds_own_error(housing, capsys, argv, settings, expected):
    """One sgd call: its message, with the real epoch, plus the CLI's hint."""
    kwargs = {"batch_size": 32, "rng": 0} | settings
    with pytest.raises(FloatingPointError) as error:
        sgd(LinearRegression(13, rng=0), housing["X"], housing["y"], **kwargs)
    reference = str(error.value)
    found = re.match(expected, reference)
    assert found, reference
    if "initial" in found.groupdict():  # the MSE of the initial weights, computed here
        params = LinearRegression(13, rng=0).params
        initial = mse(forward(params, housing["X"]), housing["y"])
        assert float(found["initial"]) == pytest.approx(initial, rel=1e-3)
    if int(found["epoch"]) > 1:  # the epochs before it are fine
        sgd(LinearRegression(13, rng=0), housing["X"], housing["y"],
            **(kwargs | {"n_epochs": int(found["epoch"]) - 1}))  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *argv])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "train MSE" not in out
    (line,) = err.strip().splitlines()
    hint = f"{settings['lr'] / 10:g}"
    assert line == f"dlhomework train: error: {reference} (try e.g. --lr {hint})"


def test_growth_below_sgds_threshold_is_still_a_divergence(housing, capsys):
    """lr 1.1, 3 epochs: the MSE grows ~1e4 times, under sgd's 1e6: the CLI's own check."""
    model = LinearRegression(13, rng=0)
    initial = model.loss(housing["X"], housing["y"])
    sgd(model, housing["X"], housing["y"], n_epochs=3, batch_size=32, lr=1.1, rng=0)  # no error
    final = model.loss(housing["X"], housing["y"])
    assert initial < final < training.DIVERGENCE_FACTOR * initial
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--lr", "1.1", "--epochs", "3"])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "train MSE" not in out
    (line,) = err.strip().splitlines()
    assert line == (
        f"dlhomework train: error: training diverged: the training MSE grew from "
        f"{initial:.4g} to {final:.4g} in 3 epochs; use a smaller learning rate than "
        "--lr 1.1 (try e.g. --lr 0.11)"
    )


def test_interrupt_exits_130_without_a_traceback(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "sgd", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "2"])
    assert exit_info.value.code == 130
    assert capsys.readouterr().err.strip() == "dlhomework: interrupted"


# -- model files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [LinearRegression(5, rng=1), *(TwoLayerNet(5, 7, act, rng=2) for act in ACT)],
    ids=["linear", *ACT],
)
def test_save_then_load_predicts_identically(model, tmp_path, rng):
    path = tmp_path / "model.bin"
    save_numpy_model(model, path)
    back = load_numpy_model(path)
    assert type(back) is type(model) and repr(back) == repr(model)
    X = rng.normal(size=(3, 5))
    np.testing.assert_array_equal(back.predict(X), model.predict(X))
    activation = getattr(model, "activation", "")
    np.testing.assert_allclose(back.predict(X), forward(model.params, X, activation), rtol=1e-12)
    with zipfile.ZipFile(path) as archive:  # plain arrays only: nothing to unpickle
        assert sorted(archive.namelist()) == sorted(
            f"{k}.npy"
            for k in ["format", "version", "architecture", *(f"params/{k}" for k in model.params)]
        )


def test_save_rejects_other_objects(tmp_path):
    with pytest.raises(TypeError, match=r"model must be a registered model type .*got object"):
        save_numpy_model(object(), tmp_path / "m.npz")  # type: ignore[arg-type]


def good_arrays() -> dict[str, np.ndarray]:
    net = TwoLayerNet(13, 7, "relu", rng=0)
    return {
        "format": np.array("dlhomework.models"),
        "version": np.array(1),
        "model": np.array("two-layer"),
        "activation": np.array("relu"),
        **net.params,
    }


def changed(**changes):
    arrays = good_arrays()
    for key, value in changes.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    return arrays


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        (changed(format=None), "no 'dlhomework.model' format tag"),
        (changed(format=np.array("other.format")), "no 'dlhomework.model' format tag"),
        (changed(format=np.array([1.0])), "'format' must be a string"),
        (changed(version=np.array(2)), "format version 2; this dlhomework reads version 1"),
        (changed(version=np.array(1.0)), "'version' must be an integer"),
        (changed(version=None), "'version' must be an integer"),
        (changed(model=np.array("cnn")), "unknown model 'cnn'"),
        (changed(model=None), "'model' must be a string"),
        (changed(activation=np.array("gelu")), "activation must be one of"),
        (changed(activation=None), "'activation' must be a string"),
        (changed(b2=None), "must have the keys ['W1', 'W2', 'b1', 'b2'], got ['W1', 'W2', 'b1']"),
        (changed(W=np.ones((13, 1))), "must have the keys ['W1', 'W2', 'b1', 'b2']"),
        (changed(W1=np.ones((13, 7), dtype=np.int64)), "parameter 'W1' must hold finite floats"),
        (changed(b1=np.full(7, np.nan)), "parameter 'b1' must hold finite floats"),
        (changed(b1=np.zeros(6)), "params['b1'] of TwoLayerNet(n_features=13, n_hidden=7, "),
        (changed(b1=np.zeros(6)), "must be a float array of shape (7,), got shape (6,)"),
        (changed(W2=np.zeros((7, 2))), "must be a float array of shape (7, 1), got shape (7, 2)"),
        (changed(W1=np.zeros(7)), "params['W1'] must be a 2-D (D, H) array, got shape (7,)"),
        (changed(W1=np.array([1.0, 2.0], dtype=object)), "the entry 'W1' holds object data"),
    ],
)
def test_load_rejects_foreign_or_damaged_files(tmp_path, arrays, message):
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        load_numpy_model(path)
    assert str(path) in str(error.value)


def test_load_rejects_a_linear_file_with_a_bad_shape(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(
        path,
        format=np.array("dlhomework.models"),
        version=np.array(1),
        model=np.array("linear"),
        W=np.ones(3),
        b=np.zeros(1),
    )
    with pytest.raises(ValueError, match=re.escape("params['W'] must be a 2-D (D, 1) array")):
        load_numpy_model(path)


def test_load_missing_directory_and_non_npz(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_numpy_model(tmp_path / "nothing.npz")
    with pytest.raises(ValueError, match="is not a file"):
        load_numpy_model(tmp_path)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ValueError, match=r"not an \.npz archive"):
        load_numpy_model(text)
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "not an array")
    with pytest.raises(ValueError, match="is not a dlhomework model file"):
        load_numpy_model(other_zip)


# -- predict, in-process -------------------------------------------------------------------


def test_predict_bad_model_files_and_rows_exit_2(tmp_path, capsys):
    small = tmp_path / "small.npz"
    save_numpy_model(LinearRegression(5, rng=0), small)
    good = tmp_path / "good.npz"
    save_numpy_model(LinearRegression(13, rng=0), good)
    damaged = tmp_path / "damaged.npz"
    np.savez(damaged, **changed(version=np.array(7)))
    cases = [
        ([small], "holds a model of 5 features; the house-price data has 13"),
        ([damaged], "has format version 7"),
        ([tmp_path], "is not a file"),
        ([tmp_path / "missing.npz"], "argument --model-file: no such file:"),
        ([good, "--row", "506"], "argument --row: must be in [-506, 505] (the data has 506 rows)"),
        ([good, "--row", "-507"], "got -507"),
    ]
    for (model_file, *rest), fragment in cases:
        with pytest.raises(SystemExit) as exit_info:
            main(["predict", "--model-file", str(model_file), *rest])
        assert exit_info.value.code == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert_usage_error(err, "predict", fragment)


@pytest.mark.parametrize("where", ["predict", "inverse_transform"])
def test_predict_with_weights_whose_prediction_overflows_exits_1(tmp_path, capsys, housing, where):
    """Finite weights (so they save) whose price is beyond float64: the run failed, status 1."""
    row, feature = np.unravel_index(np.argmax(housing["X"]), housing["X"].shape)
    assert housing["X"][row, feature] > 0.5
    model = LinearRegression(13, rng=0)
    model.params["W"][:] = 0.0
    if where == "predict":  # X @ W + b overflows to inf
        model.params["W"][feature, 0] = 1e308
        model.params["b"][:] = 1.7e308
        message = "the prediction of LinearRegression(n_features=13) overflowed to inf"
    else:  # a finite normalized price, 45 times larger in $1000s
        model.params["b"][:] = 1e308
        message = "inverse_transform overflows float64"
    model_file = tmp_path / "huge.npz"
    save_numpy_model(model, model_file)
    with pytest.raises(SystemExit) as exit_info:
        main(["predict", "--model-file", str(model_file), "--row", str(row)])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"dlhomework predict: error: {message}")


# -- env -------------------------------------------------------------------------------------


def test_env_without_run_check(capsys):
    assert main(["env", "--no-run-check"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^data_sha256_ok:\s+yes$", out, re.M)
    assert re.search(r"^data_shape:\s+\(506, 14\)$", out, re.M)
    assert re.search(rf"^python:\s+{re.escape(sys.version.split()[0])}$", out, re.M)
    assert "paddle run_check: skipped (not run)" in out


@pytest.mark.parametrize(
    ("outcome", "status", "line"),
    [
        ("ok", 0, "paddle run_check: passed"),
        ("missing", 0, 'paddle run_check: skipped (paddle is not installed: pip install "x")'),
        ("crash", 1, "paddle run_check: FAILED (RuntimeError: no CPU place)"),
        ("silent", 1, "paddle run_check: FAILED"),
        ("bad-data", 1, "paddle run_check: passed"),
    ],
)
def test_env_status_follows_the_checks(monkeypatch, capsys, outcome, status, line):
    import dlhomework.environment as environment

    def run_check() -> str:
        if outcome == "missing":
            raise ImportError('paddle is not installed: pip install "x"')
        if outcome == "crash":
            raise RuntimeError("no CPU place")
        if outcome == "silent":
            return "something else\n"
        return "Running verify PaddlePaddle program ... \nPaddlePaddle is installed successfully!\n"

    monkeypatch.setattr(environment, "paddle_run_check", run_check)
    if outcome == "bad-data":
        report = {**environment.environment_report(), "data_sha256_ok": "no"}
        monkeypatch.setattr(environment, "environment_report", lambda: report)
    if status == 0:
        assert main(["env"]) == 0
        out = capsys.readouterr().out
    else:
        with pytest.raises(SystemExit) as exit_info:
            main(["env"])
        assert exit_info.value.code == status
        out, err = capsys.readouterr()
        assert err.strip() == "dlhomework env: error: the environment check failed (see above)"
    assert line in out.splitlines()
    if outcome == "ok":  # Paddle's own report follows, indented
        assert "    PaddlePaddle is installed successfully!" in out.splitlines()


# -- paddle missing ----------------------------------------------------------------------------


def test_paddle_missing_exits_2_in_a_subprocess(tmp_path):
    result = run_cli("train", "--backend", "paddle", "--epochs", "1", block_paddle=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_usage_error(
        result.stderr,
        "train",
        "--backend paddle needs PaddlePaddle, which is not installed: "
        'pip install "dlhomework[paddle]"',
    )
    result = run_cli("compare", block_paddle=True)
    assert result.returncode == 2
    assert_usage_error(result.stderr, "compare", 'pip install "dlhomework[paddle]"')


def test_paddle_missing_in_process(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "paddle", None)
    for name in [m for m in sys.modules if f"{m}.".startswith("dlhomework.paddle_port.")]:
        monkeypatch.delitem(sys.modules, name)  # the subpackage and its modules, imported anew
    not_npz = tmp_path / "model.pdparams"
    not_npz.write_bytes(b"\x80\x04 a pickle, perhaps")
    cases = [
        (["train", "--backend", "paddle"], "train", "--backend paddle needs PaddlePaddle"),
        (["compare"], "compare", "dlhomework compare needs PaddlePaddle"),
    ]
    for argv, command, fragment in cases:
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert_usage_error(err, command, fragment, 'pip install "dlhomework[paddle]"')
    # a pickle is refused without PaddlePaddle being asked to read it
    with pytest.raises(SystemExit) as exit_info:
        main(["predict", "--model-file", str(not_npz)])
    assert exit_info.value.code == 2
    assert_usage_error(capsys.readouterr().err, "predict", "it looks like a pickle")
    # a model file needs no paddle, whichever backend wrote it
    model_file = tmp_path / "model.npz"
    save_numpy_model(LinearRegression(13, rng=0), model_file)
    assert main(["predict", "--model-file", str(model_file)]) == 0
    assert main(["env"]) == 0
    assert "paddle run_check: skipped (" in capsys.readouterr().out


# -- paddle ---------------------------------------------------------------------------------------

PADDLE_ARGS = ["--model", "two-layer", "--hidden", "7", "--activation", "relu"]
PADDLE_ARGS += ["--epochs", "3", "--seed", "2"]


@pytest.fixture(scope="module")
def paddle_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("paddle_run")
    path = tmp / "net.npz"
    return run_cli("train", "--backend", "paddle", *PADDLE_ARGS, "--save", str(path)), path


@pytest.mark.paddle
def test_paddle_backend_agrees_with_numpy_in_a_subprocess(paddle_run, capsys):
    result, _ = paddle_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "paddle backend" in result.stdout.splitlines()[0]
    paddle_values = parse_train(result.stdout)
    assert main(["train", *PADDLE_ARGS]) == 0  # the same run with NumPy
    numpy_values = parse_train(capsys.readouterr().out)
    for key in ("train", "test", "opt_train", "opt_test"):
        assert paddle_values[key] == pytest.approx(numpy_values[key], rel=1e-4), key


@pytest.mark.paddle
def test_paddle_model_file_predicts_in_a_subprocess(paddle_run, housing):
    result, path = paddle_run
    assert result.returncode == 0, result.stderr
    predicted = run_cli("predict", "--model-file", str(path), "--row", "7")
    assert predicted.returncode == 0, predicted.stderr
    values = parse_predict(predicted.stdout)
    assert values["row"] == 7 and not values["test_set"]
    from dlhomework import paddle_port

    layer = paddle_port.load(path)
    params = {k: v.numpy().astype(np.float64) for k, v in layer.named_weights().items()}
    normalized = forward(params, housing["normalized"][7:8, :-1], "relu")[0, 0]
    by_hand = normalized * housing["span"][-1] + housing["mean"][-1]
    assert values["predicted"] == pytest.approx(by_hand, abs=0.006)
    assert values["actual"] == pytest.approx(housing["raw"][7, -1])


@pytest.mark.paddle
def test_paddle_train_in_process_equals_one_train_call(paddle, tmp_path, housing, capsys):
    from dlhomework import paddle_port

    path = tmp_path / "linear.npz"
    argv = ["train", "--backend", "paddle", "--epochs", "3", "--batch-size", "50", "--seed", "4"]
    assert main([*argv, "--save", str(path), "--plot", str(tmp_path / "c.png")]) == 0
    out = capsys.readouterr().out
    reference = paddle_port.from_numpy(LinearRegression(13, rng=4))
    paddle_port.train(
        reference, housing["X"], housing["y"], n_epochs=3, batch_size=50, lr=0.05, rng=4
    )
    saved = paddle_port.load(path)
    for name, value in reference.named_weights().items():
        np.testing.assert_array_equal(saved.named_weights()[name].numpy(), value.numpy())
    W = reference.fc.weight.numpy().astype(np.float64)
    b = reference.fc.bias.numpy().astype(np.float64)
    assert parse_train(out)["train"] == pytest.approx(
        mse(housing["X"] @ W + b, housing["y"]), abs=1e-6
    )
    assert main(["predict", "--model-file", str(path)]) == 0
    assert "model:          LinearRegression(n_features=13), float32 weights, from" in (
        capsys.readouterr().out
    )


@pytest.mark.paddle
def test_paddle_diverging_and_bad_files_in_process(paddle, tmp_path, capsys, housing):
    from dlhomework import paddle_port

    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--backend", "paddle", "--lr", "50", "--epochs", "20"])
    assert exit_info.value.code == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    with pytest.raises(FloatingPointError) as reference:  # paddle_port.train's own error
        paddle_port.train(
            paddle_port.from_numpy(LinearRegression(13, rng=0)),
            housing["X"],
            housing["y"],
            n_epochs=20,
            batch_size=32,
            lr=50.0,
            rng=0,
        )
    assert "training diverged" in str(reference.value)  # in float32: inf within epoch 1
    assert line == f"dlhomework train: error: {reference.value} (try e.g. --lr 5)"
    small = tmp_path / "small.npz"
    paddle_port.save(paddle_port.Regressor(n_features=5), small)
    foreign = tmp_path / "foreign.bin"
    foreign.write_text("not a model")
    bare = tmp_path / "bare.pdparams"
    paddle.save(paddle_port.Regressor().state_dict(), str(bare))
    for path, fragment in (
        (small, "holds a model of 5 features"),
        (foreign, "is not a dlhomework model file: not an .npz archive"),
        (bare, "it looks like a pickle"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(["predict", "--model-file", str(path)])
        assert exit_info.value.code == 2
        assert_usage_error(capsys.readouterr().err, "predict", fragment)


@pytest.mark.paddle
def test_compare_in_process(paddle, housing, capsys):
    assert main(["compare", "--model", "linear", "--epochs", "2", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    rows = {
        line.split()[1]: line.split() for line in out.splitlines() if line.startswith("linear ")
    }
    assert set(rows) == {"numpy", "paddle"}
    reference = LinearRegression(13, rng=1)
    sgd(reference, housing["X"], housing["y"], n_epochs=2, batch_size=10, lr=0.01, rng=1)
    train_mse = mse(forward(reference.params, housing["X"]), housing["y"])
    assert float(rows["numpy"][3]) == pytest.approx(train_mse, abs=6e-6)  # printed to 5 decimals
    assert float(rows["paddle"][3]) == pytest.approx(train_mse, abs=2e-5)
    assert float(rows["paddle"][7]) < 1e-10  # float64 autograd vs hand-written gradients
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--model", "linear", "--lr", "50", "--epochs", "30"])
    assert exit_info.value.code == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "diverged" in line and "(try e.g. --lr 5)" in line


@pytest.mark.paddle
def test_env_runs_paddles_own_check(paddle, capsys):
    assert main(["env"]) == 0
    out = capsys.readouterr().out
    assert "paddle run_check: passed" in out.splitlines()
    assert re.search(rf"^paddlepaddle:\s+{re.escape(paddle.__version__)}$", out, re.M)
