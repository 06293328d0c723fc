"""The ``dlhomework`` command line: train, compare and predict without editing code.

Four commands, each with ``--help``::

    dlhomework train    # train a model on the house-price data, print its MSE
    dlhomework compare  # the NumPy-vs-Paddle table of homework 1-6, computed now
    dlhomework predict  # one house's predicted price, from a model file
    dlhomework env      # the environment check of homework 1-5

``python -m dlhomework`` is the same program.  Exit status: ``0`` success;
``1`` the arguments were valid but the run failed (training diverged, a file
could not be written, the environment check found a problem); ``2`` the
command line is wrong (a bad or unknown argument, a missing or foreign model
file, PaddlePaddle missing for a command that needs it).  Errors are one line
on stderr in argparse's format (``dlhomework train: error: ...``), never a
traceback.

Models are saved as ``.npz`` archives of plain arrays, for both backends
(:mod:`dlhomework.model_files`): reading one never unpickles anything, so a model
file from someone else cannot run code.  Output files are written atomically and
their paths are checked before training starts.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

import numpy as np

from . import __version__, model_files
from ._files import as_path, atomic_write, check_writable
from .activations import ACTIVATIONS
from .data import load_data, load_housing
from .models import LinearRegression, TwoLayerNet, least_squares
from .training import History, sgd

__all__ = [
    "DEFAULTS",
    "EXIT_FAILURE",
    "EXIT_USAGE",
    "TrainDefaults",
    "build_parser",
    "main",
]

PROG = "dlhomework"
EXIT_FAILURE = 1
"""Exit status of a run that failed with valid arguments (e.g. training diverged)."""
EXIT_USAGE = 2
"""Exit status of a wrong command line (argparse's own convention)."""

PADDLE_MISSING = 'needs PaddlePaddle, which is not installed: pip install "dlhomework[paddle]"'


@dataclass(frozen=True)
class TrainDefaults:
    """Default hyper-parameters of ``dlhomework train`` for one model.

    Attributes
    ----------
    n_epochs : int
        Passes over the 404 training rows.
    batch_size : int
        Samples per mini-batch.
    lr : float
        Learning rate (of the MSE gradient; the course's ``eta`` is ``2 * lr``).
    n_hidden : int or None
        Hidden units (two-layer model only).
    activation : str or None
        Hidden activation (two-layer model only).
    """

    n_epochs: int
    batch_size: int
    lr: float
    n_hidden: int | None = None
    activation: str | None = None


DEFAULTS: dict[str, TrainDefaults] = {
    "linear": TrainDefaults(n_epochs=1000, batch_size=32, lr=0.05),
    "two-layer": TrainDefaults(
        n_epochs=1000, batch_size=32, lr=0.3, n_hidden=13, activation="sigmoid"
    ),
}
"""The book's recommended settings, the defaults of ``dlhomework train``.

``"linear"``: batch 32, lr 0.05 (the course's ``eta = 0.1``), 1000 epochs — the
setting that ``benchmarks/bench_linear.py`` checks brings every seed within 1%
of the least-squares optimum (homework 1-3).  ``"two-layer"``: 13 sigmoid hidden
units, batch 32, lr 0.3, 1000 epochs — the settings of homework 1-4
(``benchmarks/bench_two_layer.py``).
"""


class _CommandError(Exception):
    """A command's failure: a one-line message and the exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


# -- argument types ----------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


# -- model files: dlhomework.model_files; the 0.1 names still import -------------------

save_numpy_model = model_files.save
load_numpy_model = model_files.load

# -- helpers shared by the commands --------------------------------------------------


def _paddle_port(needed_by: str) -> ModuleType:
    """Import :mod:`dlhomework.paddle_port`; a missing Paddle is a usage error (status 2)."""
    try:
        return importlib.import_module("dlhomework.paddle_port")
    except ImportError:
        raise _CommandError(f"{needed_by} {PADDLE_MISSING}") from None


class _Progress:
    """A one-line progress bar over epochs, redrawn in place with ``\\r`` (a TTY only)."""

    def __init__(self, total: int, stream: TextIO, *, enabled: bool, width: int = 28) -> None:
        self.total, self.stream, self.enabled, self.width = total, stream, enabled, width
        self.start = time.perf_counter()
        self.last_draw = -math.inf
        self.drawn = False

    def update(self, epoch: int, loss: float) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self.last_draw < 0.1 and epoch not in (1, self.total)):
            return
        self.last_draw = now
        filled = self.width * epoch // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        count = f"{epoch:>{len(str(self.total))}}/{self.total}"
        self.stream.write(f"\repoch {count} [{bar}] loss {loss:.5f}  {now - self.start:.1f} s")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _output_path(text: str | None, option: str, suffixes: Sequence[str]) -> Path | None:
    """``--plot``/``--save`` checked before any work: suffix, not a folder, writable place."""
    if text is None:
        return None
    path = as_path(text, option)
    try:
        check_writable(path, f"argument {option}:")
    except OSError as error:
        raise _CommandError(str(error)) from None
    if path.suffix.lstrip(".").lower() not in suffixes:
        raise _CommandError(
            f"argument {option}: {text!r} must end in one of "
            f"{', '.join('.' + s for s in sorted(suffixes))}"
        )
    return path


def _plot_formats() -> dict[str, str]:
    from matplotlib.backend_bases import FigureCanvasBase

    formats: dict[str, str] = FigureCanvasBase.get_supported_filetypes()
    return formats


def _plot(path: Path, history: History, optimum_mse: float, title: str) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.0, 4.0), layout="constrained")
    ax = fig.subplots()
    epochs = np.arange(1, len(history.epoch_losses) + 1)
    ax.plot(
        epochs,
        history.epoch_losses,
        marker="." if len(epochs) < 30 else None,
        label="training loss (mean over the epoch's batches)",
    )
    ax.axhline(
        optimum_mse, color="k", ls="--", lw=1, label="linear optimum, training MSE (least squares)"
    )
    ax.set(xscale="log", yscale="log", xlabel="epoch", ylabel="MSE (normalized MEDV)", title=title)
    ax.legend()
    with atomic_write(path) as file:
        fig.savefig(file, format=path.suffix.lstrip(".").lower(), dpi=100)


# -- the commands ------------------------------------------------------------------------


def _cmd_train(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    defaults = DEFAULTS[args.model]
    if args.model == "linear" and (args.hidden is not None or args.activation is not None):
        raise _CommandError("--hidden and --activation apply to --model two-layer only")
    n_epochs = args.epochs if args.epochs is not None else defaults.n_epochs
    batch_size = args.batch_size if args.batch_size is not None else defaults.batch_size
    lr = args.lr if args.lr is not None else defaults.lr
    n_hidden = args.hidden if args.hidden is not None else defaults.n_hidden
    activation = args.activation if args.activation is not None else defaults.activation
    plot_path = _output_path(args.plot, "--plot", list(_plot_formats()))
    save_path = _output_path(args.save, "--save", ["npz"])
    if plot_path and save_path and os.path.realpath(plot_path) == os.path.realpath(save_path):
        raise _CommandError(f"--plot and --save name the same file {args.save!r}")
    pp = _paddle_port("--backend paddle") if args.backend == "paddle" else None

    train_rows, test_rows, normalizer = load_data()
    X, y = train_rows[:, :-1], train_rows[:, -1:]
    X_test, y_test = test_rows[:, :-1], test_rows[:, -1:]
    model: LinearRegression | TwoLayerNet
    if args.model == "linear":
        model = LinearRegression(X.shape[1], rng=args.seed)
        description = "linear model"
    else:
        if n_hidden is None or activation is None:
            raise AssertionError("DEFAULTS['two-layer'] sets n_hidden and activation")
        model = TwoLayerNet(X.shape[1], n_hidden, activation, rng=args.seed)
        description = f"two-layer model ({n_hidden} {activation} hidden units)"
    per_epoch = -(-X.shape[0] // batch_size)
    updates = f"{per_epoch} update{'s' if per_epoch > 1 else ''} per epoch"
    print(
        f"{PROG} train: {description}, {args.backend} backend, {n_epochs} epochs, "
        f"batch size {batch_size} ({updates}), lr {lr:g}, seed {args.seed}",
        file=out,
        flush=True,
    )

    initial_mse = model.loss(X, y)
    progress = _Progress(n_epochs, err, enabled=not args.quiet and err.isatty())

    def show(epoch: int, history: History) -> None:
        progress.update(epoch, history.epoch_losses[-1])

    layer: Any = None
    try:  # --seed seeds the shuffling too, as it seeded the weights above
        if pp is None:
            history = sgd(
                model,
                X,
                y,
                n_epochs=n_epochs,
                batch_size=batch_size,
                lr=lr,
                rng=args.seed,
                callback=show,
            )
            train_mse, test_mse = model.loss(X, y), model.loss(X_test, y_test)
        else:
            layer = pp.from_numpy(model)  # the same initial weights, rounded to float32
            history = pp.train(
                layer,
                X,
                y,
                n_epochs=n_epochs,
                batch_size=batch_size,
                lr=lr,
                seed=args.seed,
                callback=show,
            )
            train_mse = float(np.mean((pp.predict(layer, X) - y) ** 2))
            test_mse = float(np.mean((pp.predict(layer, X_test) - y_test) ** 2))
    except FloatingPointError as error:
        raise _CommandError(f"{error} (try e.g. --lr {lr / 10:g})", status=EXIT_FAILURE) from None
    finally:
        progress.close()  # end the bar's line before the results or the error

    if not train_mse <= initial_mse:  # finite, but it grew: diverging all the same
        raise _CommandError(
            f"training diverged: the training MSE grew from {initial_mse:.4g} to "
            f"{train_mse:.4g} in {n_epochs} epochs; use a smaller learning rate than "
            f"--lr {lr:g} (try e.g. --lr {lr / 10:g})",
            status=EXIT_FAILURE,
        )
    optimum = least_squares(X, y)
    medv_range = float(normalizer.max_[-1] - normalizer.min_[-1])  # $1000s per normalized unit

    def rmse(mse: float) -> str:
        return f"(RMSE {math.sqrt(mse) * medv_range:.2f} in $1000s)"

    seconds = history.wall_time
    print(f"train MSE:      {train_mse:.6f}  {rmse(train_mse)}", file=out)
    print(f"test MSE:       {test_mse:.6f}  {rmse(test_mse)}", file=out)
    print(
        f"linear optimum: train MSE {optimum.loss(X, y):.6f}, test MSE "
        f"{optimum.loss(X_test, y_test):.6f}  (closed form, least squares)",
        file=out,
    )
    print(
        f"wall time:      {seconds:.2f} s  ({1000 * seconds / n_epochs:.2f} ms per epoch)", file=out
    )
    failed = []  # one output failing does not skip the other
    if plot_path is not None:
        try:
            title = f"{description}, {args.backend}: batch {batch_size}, lr {lr:g}"
            _plot(plot_path, history, optimum.loss(X, y), title)
            print(f"loss curve:     {plot_path}", file=out)
        except OSError as error:
            failed.append(f"cannot write --plot {str(plot_path)!r}: {_reason(error)}")
    if save_path is not None:
        try:
            if pp is None:
                model_files.save(model, save_path)
            else:
                pp.save(layer, save_path)
            print(
                f"model saved:    {save_path}  (dlhomework predict --model-file {save_path})",
                file=out,
            )
        except OSError as error:
            failed.append(f"cannot write --save {str(save_path)!r}: {_reason(error)}")
    if failed:
        raise _CommandError("; ".join(failed), status=EXIT_FAILURE)
    return 0


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    pp = _paddle_port(f"{PROG} compare")
    models = ["linear", "two-layer"] if args.model == "both" else [args.model]
    print(
        f"{PROG} compare: {args.epochs} epochs, batch size {args.batch_size}, lr {args.lr:g}, "
        f"seed {args.seed}; two-layer: {args.hidden} {args.activation} hidden units",
        file=out,
        flush=True,
    )
    try:
        rows = pp.compare(
            n_epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            n_hidden=args.hidden,
            activation=args.activation,
            seed=args.seed,
            models=models,
        )
    except FloatingPointError as error:
        raise _CommandError(
            f"{error} (try e.g. --lr {args.lr / 10:g})", status=EXIT_FAILURE
        ) from None
    print(pp.format_comparison(rows), file=out)
    print(
        "\nlines: model+gradients+training=total lines of code; MSE of the normalized MEDV;\n"
        "grad_f32/grad_f64: max relative difference of Paddle's autograd gradients (float32/\n"
        "float64) from the NumPy hand-written ones at the first update; loss_diff: max relative\n"
        "difference of the two runs' per-iteration losses (same weights, same batches).",
        file=out,
    )
    return 0


def _cmd_predict(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .experiments import predict_medv

    path = Path(args.model_file)
    if not path.exists():
        raise _CommandError(f"argument --model-file: no such file: {str(path)!r}")
    n_rows = load_housing().shape[0]
    if not -n_rows <= args.row < n_rows:
        raise _CommandError(
            f"argument --row: must be in [{-n_rows}, {n_rows - 1}] "
            f"(the data has {n_rows} rows), got {args.row}"
        )
    row = args.row % n_rows
    n_train = int(n_rows * 0.8)
    split = "train" if row < n_train else "test"
    try:
        found = model_files.read(path)
        model = model_files.build(found, f"model file {str(path)!r}")
        n_features = getattr(model, "n_features", None)
        if n_features != 13:
            raise ValueError(
                f"model file {str(path)!r} holds a model of {n_features} features; "
                "the house-price data has 13"
            )
        _, _, normalizer = load_data()
        predicted = float(predict_medv(model, normalizer, load_housing()[row, :-1])[0, 0])
    except (ValueError, OSError) as error:
        raise _CommandError(str(error)) from None
    except ArithmeticError as error:  # finite weights whose prediction overflows
        raise _CommandError(str(error), status=EXIT_FAILURE) from None
    if not math.isfinite(predicted):
        raise _CommandError(
            f"the model in {str(path)!r} predicts {predicted} $1000s for row {row}",
            status=EXIT_FAILURE,
        )
    dtypes = sorted({str(v.dtype) for v in found.params.values()})
    described = f"{model!r}, {'/'.join(dtypes)} weights"
    actual = float(load_housing()[row, -1])
    print(f"model:          {described}, from {path}", file=out)
    print(f"row:            {row} of {n_rows} ({split} set)", file=out)
    print(f"predicted MEDV: {predicted:.2f}  ($1000s)", file=out)
    print(f"actual MEDV:    {actual:.2f}  ($1000s)", file=out)
    print(f"error:          {predicted - actual:+.2f}  ($1000s)", file=out)
    return 0


def _cmd_env(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .environment import environment_report, paddle_run_check

    report = environment_report()
    width = max(map(len, report))
    for key, value in report.items():
        print(f"{key + ':':<{width + 1}} {value}", file=out)
    ok = report["data_sha256_ok"] == "yes"
    if args.no_run_check:
        print("paddle run_check: skipped (--no-run-check)", file=out)
    else:
        try:
            text = paddle_run_check()
        except ImportError as error:
            print(f"paddle run_check: skipped ({_one_line(error)})", file=out)
        except Exception as error:  # whatever Paddle's own check raises is its verdict
            print(
                f"paddle run_check: FAILED ({type(error).__name__}: {_one_line(error)})", file=out
            )
            ok = False
        else:
            passed = "installed successfully" in text
            print(f"paddle run_check: {'passed' if passed else 'FAILED'}", file=out)
            for line in text.strip().splitlines():
                print(f"    {line.rstrip()}", file=out)
            ok = ok and passed
    if not ok:
        raise _CommandError("the environment check failed (see above)", status=EXIT_FAILURE)
    return 0


# -- the parser --------------------------------------------------------------------------

_EXIT_STATUS = """\
exit status: 0 success; 1 valid arguments but the run failed (e.g. training
diverged); 2 a wrong command line (bad argument, missing or foreign model file,
PaddlePaddle missing where needed)."""


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=79)


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30)


def build_parser() -> argparse.ArgumentParser:
    """Build the ``dlhomework`` argument parser (four sub-commands).

    Returns
    -------
    argparse.ArgumentParser
        Parses ``train``, ``compare``, ``predict`` and ``env`` with their
        options; each sub-command stores its handler as ``func`` and its own
        parser as ``command_parser`` (for its error messages).

    Notes
    -----
    Used by :func:`main`.

    Examples
    --------
    >>> args = build_parser().parse_args(["train", "--model", "two-layer", "--lr", "0.1"])
    >>> args.command, args.model, args.lr, args.batch_size  # None: the model's default
    ('train', 'two-layer', 0.1, None)
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_wrap(
            "Train, compare and use the house-price models of the dlhomework book "
            "(homework 1-1 to 1-8 of 《零基础实践深度学习》, chapter 1)."
        ),
        epilog=_EXIT_STATUS + '\n\nRun "dlhomework COMMAND --help" for the options of a command.',
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    lin, two = DEFAULTS["linear"], DEFAULTS["two-layer"]
    train = commands.add_parser(
        "train",
        help="train a model on the house-price data and report its MSE",
        description=_wrap(
            "Train a model on the course's 404 training rows (normalized with "
            "training statistics), then print its train and test MSE beside the closed-form "
            "linear optimum, and the wall time. A progress bar with the running loss is drawn "
            "on stderr when it is a terminal (not with --quiet)."
        ),
        epilog=f"""\
defaults (the book's recommended settings):
  --model linear:    --epochs {lin.n_epochs} --batch-size {lin.batch_size} --lr {lin.lr:g}
                     (homework 1-3; benchmarks/bench_linear.py)
  --model two-layer: --epochs {two.n_epochs} --batch-size {two.batch_size} --lr {two.lr:g} \
--hidden {two.n_hidden} --activation {two.activation}
                     (homework 1-4; benchmarks/bench_two_layer.py)
lr is the step on the gradient of the MSE; the course's eta (gradient of MSE/2)
is 2 * lr. MSE is that of MEDV normalized as in the course, (MEDV - mean) / range;
the RMSE in $1000s is sqrt(MSE) * range. --seed sets the initial weights and the
shuffling; --backend paddle starts from the same initial weights (rounded to
float32) and sees the same batches, so both backends agree to float32 precision.

example:
  dlhomework train --model two-layer --plot loss.png --save model.npz

{_EXIT_STATUS}""",
        formatter_class=_formatter,
    )
    train.add_argument(
        "--model", choices=list(DEFAULTS), default="linear", help="the model (default: linear)"
    )
    train.add_argument(
        "--backend",
        choices=["numpy", "paddle"],
        default="numpy",
        help="NumPy (hand-written gradients) or PaddlePaddle (autograd); default: numpy",
    )
    train.add_argument("--epochs", type=_positive_int, metavar="N", help="passes over the data")
    train.add_argument(
        "--batch-size",
        type=_positive_int,
        metavar="B",
        help="samples per mini-batch (404 or more: full batch)",
    )
    train.add_argument("--lr", type=_positive_float, metavar="LR", help="learning rate")
    train.add_argument(
        "--hidden", type=_positive_int, metavar="H", help="hidden units (two-layer only)"
    )
    train.add_argument(
        "--activation", choices=list(ACTIVATIONS), help="hidden activation (two-layer only)"
    )
    train.add_argument(
        "--seed",
        type=_seed,
        default=0,
        metavar="S",
        help="seed of the initial weights and the shuffling (default: 0)",
    )
    train.add_argument("--plot", metavar="FILE", help="write the loss curve (e.g. loss.png)")
    train.add_argument(
        "--save",
        metavar="FILE",
        help="save the trained model for `dlhomework predict` (an .npz archive of "
        "plain arrays, for either backend; written atomically)",
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(func=_cmd_train, command_parser=train)

    compare = commands.add_parser(
        "compare",
        help="the NumPy-vs-Paddle table of homework 1-6, computed now (needs Paddle)",
        description=_wrap(
            "Train each model with NumPy and with Paddle from the same initial "
            "weights on the same batches, and print lines of code, train/test MSE, time per "
            "epoch and the agreement of the gradients (dlhomework.paddle_port.compare). The "
            "defaults are the course's Paddle settings."
        ),
        epilog=_EXIT_STATUS,
        formatter_class=_formatter,
    )
    compare.add_argument(
        "--model",
        choices=["linear", "two-layer", "both"],
        default="both",
        help="which models (default: both)",
    )
    compare.add_argument(
        "--epochs",
        type=_positive_int,
        default=10,
        metavar="N",
        help="passes over the data (default: 10)",
    )
    compare.add_argument(
        "--batch-size",
        type=_positive_int,
        default=10,
        metavar="B",
        help="samples per mini-batch (default: 10)",
    )
    compare.add_argument(
        "--lr",
        type=_positive_float,
        default=0.01,
        metavar="LR",
        help="learning rate (default: 0.01)",
    )
    compare.add_argument(
        "--hidden",
        type=_positive_int,
        default=13,
        metavar="H",
        help="hidden units of the two-layer model (default: 13)",
    )
    compare.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="sigmoid",
        help="its activation (default: sigmoid)",
    )
    compare.add_argument(
        "--seed",
        type=_seed,
        default=0,
        metavar="S",
        help="seed of the weights and the shuffling (default: 0)",
    )
    compare.set_defaults(func=_cmd_compare, command_parser=compare)

    predict = commands.add_parser(
        "predict",
        help="predict one house's price (in $1000s) with a saved model",
        description=_wrap(
            "Load a model saved by `dlhomework train --save` and predict the "
            "price of one row of the housing data, normalized with the training statistics "
            "and mapped back to $1000s, beside its true value. Model files are .npz "
            "archives of plain arrays, from either backend; they are read without "
            "unpickling, so a file from someone else cannot run code (and PaddlePaddle "
            "is not needed)."
        ),
        epilog=_EXIT_STATUS,
        formatter_class=_formatter,
    )
    predict.add_argument(
        "--model-file",
        required=True,
        metavar="FILE",
        help="a file written by `dlhomework train --save`",
    )
    predict.add_argument(
        "--row",
        type=_integer,
        default=-10,
        metavar="I",
        help="row of the 506-row data, negative counts from the end "
        "(default: -10, the course's example, MEDV 19.7)",
    )
    predict.set_defaults(func=_cmd_predict, command_parser=predict)

    env = commands.add_parser(
        "env",
        help="the environment check of homework 1-5",
        description=_wrap(
            "Print Python's and the packages' versions and check the shipped data "
            "file (its sha256), then run paddle.utils.run_check() when Paddle is installed. "
            "Exit status 1 when a check fails; Paddle missing is reported, not a failure."
        ),
        formatter_class=_formatter,
    )
    env.add_argument(
        "--no-run-check",
        action="store_true",
        help="skip paddle.utils.run_check() (it takes a few seconds)",
    )
    env.set_defaults(func=_cmd_env, command_parser=env)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dlhomework`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success.  Failures do not return: they exit (``SystemExit``)
        with status 1 (valid arguments, failed run: e.g. training diverged)
        or 2 (a wrong command line), after one line on stderr in argparse's
        format.

    Notes
    -----
    The console script ``dlhomework`` and ``python -m dlhomework`` call it.

    Examples
    --------
    >>> main(["train", "--epochs", "3", "--seed", "1"])  # doctest: +ELLIPSIS
    dlhomework train: linear model, numpy backend, 3 epochs, batch size 32 (13 updates ...
    train MSE:      0.164058  (RMSE 18.23 in $1000s)
    test MSE:       0.141382  (RMSE 16.92 in $1000s)
    linear optimum: train MSE 0.011249, test MSE 0.016197  (closed form, least squares)
    wall time:      ...
    0
    """
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # reported by the sub-command, with its own usage line
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    sub: argparse.ArgumentParser = args.command_parser
    try:
        status: int = args.func(args, sys.stdout, sys.stderr)
    except _CommandError as error:
        if error.status == EXIT_USAGE:
            sub.error(_one_line(error))
        sub.exit(error.status, f"{sub.prog}: error: {_one_line(error)}\n")
    except KeyboardInterrupt:
        parser.exit(130, f"\n{PROG}: interrupted\n")
    except MemoryError:
        sub.exit(EXIT_FAILURE, f"{sub.prog}: error: not enough memory for these settings\n")
    except OSError as error:
        where = f" {error.filename!r}" if error.filename else ""
        sub.exit(EXIT_FAILURE, f"{sub.prog}: error:{where} {_one_line(_reason(error))}\n")
    except Exception as error:  # a bug: still one line, the traceback on request
        if os.environ.get("DLHOMEWORK_TRACEBACK"):
            raise
        sub.exit(
            EXIT_FAILURE,
            f"{sub.prog}: error: {type(error).__name__}: {_one_line(error)} "
            "(set DLHOMEWORK_TRACEBACK=1 to see where)\n",
        )
    return status
