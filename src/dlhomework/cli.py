"""The ``dlhomework`` command line: train, compare and predict without editing code.

Five commands, each with ``--help``::

    dlhomework train    # train a model on the house prices, print MSE
    dlhomework compare  # homework 1-6's NumPy-vs-Paddle table, computed
    dlhomework predict  # one house's predicted price, from a model file
    dlhomework env      # the environment check of homework 1-5
    dlhomework check    # run students' submissions, collect results

``python -m dlhomework`` is the same program.  Exit status: ``0`` success; ``1``
valid arguments but a failed run (training diverged, a file could not be written,
a failed check); ``2`` a wrong command line (a bad argument, a missing or foreign
model file, PaddlePaddle missing).  A failure prints, on stderr in argparse's
format, one error line (after the command's usage for status 2), never a traceback
(unless ``DLHOMEWORK_TRACEBACK=1`` asks for one, to report a bug).
Model files are :mod:`dlhomework.model_files` archives, never unpickled; outputs are
written atomically, their paths checked before training (their folder must exist).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import math
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

import numpy as np

from . import __version__, model_files, training
from ._files import as_path, atomic_write, check_writable
from .activations import ACTIVATIONS
from .data import load_data, load_housing
from .experiments.inference import predict_row
from .models import least_squares
from .training import History, ProgressBar, TrainDefaults, sgd, trainable_models

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

DEFAULTS = training.DEFAULTS
"""The defaults of ``dlhomework train``: :data:`dlhomework.training.DEFAULTS` (the same dict)."""

save_numpy_model = model_files.save  # names an earlier version exported
load_numpy_model = model_files.load


class _CommandError(Exception):
    """A command's failure: a one-line message and the exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


# -- argument types ----------------------------------------------------------------------


def _number(kind: Callable[[str], Any], ok: Callable[[Any], bool], what: str) -> Any:
    """An argparse type: ``kind(text)`` if ``ok``, else an error saying it must be ``what``."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not ok(value):
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
        return value

    return parse


_positive_int = _number(int, lambda n: n >= 1, "a positive integer")
_seed = _number(int, lambda n: n >= 0, "a non-negative integer")
_integer = _number(int, lambda n: True, "an integer")
_positive_float = _number(float, lambda x: math.isfinite(x) and x > 0, "a finite number > 0")


# -- the models: registered types built as cls(n_features, rng=seed, **settings) -----------

_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "hidden": ("n_hidden", {"type": _positive_int, "metavar": "H", "help": "hidden units"}),
    "activation": ("activation", {"choices": list(ACTIVATIONS), "help": "hidden activation"}),
}
"""``train`` options that set a constructor keyword, for every model that takes it."""


def _settings_of(cls: type) -> list[str]:
    """The constructor keywords of ``cls`` besides ``n_features`` and ``rng``."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    params = inspect.signature(cls).parameters
    return [k for k, p in params.items() if p.kind in kinds and k not in ("n_features", "rng")]


def _takers(keyword: str) -> str:
    """The ``--model`` choices whose constructor takes ``keyword``, e.g. ``"two-layer"``."""
    return " or ".join(n for n, cls in trainable_models().items() if keyword in _settings_of(cls))


def _as_options(settings: dict[str, Any], prefix: str) -> list[str]:
    """``{"n_hidden": 7}`` as ``[prefix + "hidden 7"]``, named by the option that sets it."""
    names = {keyword: option for option, (keyword, _) in _OPTIONS.items()}
    return [f"{prefix}{names.get(k, k)} {v}" for k, v in settings.items()]


def _train_settings(args: argparse.Namespace) -> tuple[type, TrainDefaults]:
    """The model type and its settings: the options given, else :data:`DEFAULTS`."""
    cls = trainable_models()[args.model]
    given = {k: getattr(args, o) for o, (k, _) in _OPTIONS.items() if getattr(args, o) is not None}
    for option, (keyword, _) in _OPTIONS.items():
        if keyword in given and keyword not in _settings_of(cls):
            raise _CommandError(
                f"--{option} applies to --model {_takers(keyword)} only, not {args.model}"
            )
    book = DEFAULTS.get(args.model)
    if book is None:
        if None in (args.epochs, args.batch_size, args.lr):
            raise _CommandError(
                f"--model {args.model} has no recommended settings in "
                "dlhomework.training.DEFAULTS: give --epochs, --batch-size and --lr"
            )
        book = TrainDefaults(args.epochs, args.batch_size, args.lr)
    return cls, TrainDefaults(
        args.epochs or book.n_epochs,
        args.batch_size or book.batch_size,
        args.lr or book.lr,
        book.settings | given,
    )


# -- helpers of the commands -------------------------------------------------------------


def _paddle_port(needed_by: str) -> ModuleType:
    """Import :mod:`dlhomework.paddle_port`; a missing Paddle is a usage error (status 2)."""
    try:
        return importlib.import_module("dlhomework.paddle_port")
    except ImportError:
        raise _CommandError(f"{needed_by} {PADDLE_MISSING}") from None


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
    label = "training loss (mean over the epoch's batches)"
    ax.plot(epochs, history.epoch_losses, marker="." if len(epochs) < 30 else None, label=label)
    label = "linear optimum, training MSE (least squares)"
    ax.axhline(optimum_mse, color="k", ls="--", lw=1, label=label)
    ax.set(xscale="log", yscale="log", xlabel="epoch", ylabel="MSE (normalized MEDV)", title=title)
    ax.legend()
    with atomic_write(path) as file:
        fig.savefig(file, format=path.suffix.lstrip(".").lower(), dpi=100)


# -- the commands ------------------------------------------------------------------------


def _cmd_train(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Train a model on the house-price data and report its MSE.

    Train a model on the course's 404 training rows (normalized with training statistics),
    then print its train and test MSE beside the closed-form linear optimum, and the wall
    time. A progress bar with the running loss is drawn on stderr when it is a terminal
    (not with --quiet). The models are the registered model types
    (dlhomework.model_files.register_model).
    """
    cls, run = _train_settings(args)
    n_epochs, batch_size, lr = run.n_epochs, run.batch_size, run.lr
    plot_path = _output_path(args.plot, "--plot", list(_plot_formats()))
    save_path = _output_path(args.save, "--save", ["npz"])
    if plot_path and save_path and os.path.realpath(plot_path) == os.path.realpath(save_path):
        raise _CommandError(f"--plot and --save name the same file {args.save!r}")
    pp = _paddle_port("--backend paddle") if args.backend == "paddle" else None

    split = load_data()
    X, y, X_test, y_test = split.X_train, split.y_train, split.X_test, split.y_test
    try:
        model = cls(X.shape[1], rng=args.seed, **run.settings)
        layer = None if pp is None else pp.from_numpy(model)  # the same weights, in float32
    except (TypeError, ValueError) as error:
        raise _CommandError(f"--model {args.model} ({args.backend} backend): {error}") from None
    settings = ", ".join(_as_options(run.settings, ""))
    description = f"{args.model} model" + (f" ({settings})" if settings else "")
    per_epoch = -(-X.shape[0] // batch_size)
    say = partial(print, file=out)
    say(
        f"{PROG} train: {description}, {args.backend} backend, {n_epochs} epochs, batch size "
        f"{batch_size} ({per_epoch} update{'s' * (per_epoch > 1)} per epoch), lr {lr:g}, "
        f"seed {args.seed}",
        flush=True,
    )

    initial_mse = model.loss(X, y)
    progress = ProgressBar(n_epochs, err, enabled=not args.quiet and err.isatty())
    steps: dict[str, Any] = {"n_epochs": n_epochs, "batch_size": batch_size, "lr": lr}
    try:  # --seed seeds the shuffling too, as it seeded the weights above
        if pp is None:
            history = sgd(model, X, y, rng=args.seed, callback=progress, **steps)
            train_mse, test_mse = model.loss(X, y), model.loss(X_test, y_test)
        else:
            history = pp.train(layer, X, y, rng=args.seed, callback=progress, **steps)
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
    norm = split.normalizer
    medv_range = float(norm.max_[-1] - norm.min_[-1])  # $1000s per normalized unit

    def rmse(mse: float) -> str:
        return f"(RMSE {math.sqrt(mse) * medv_range:.2f} in $1000s)"

    seconds = history.wall_time
    say(f"train MSE:      {train_mse:.6f}  {rmse(train_mse)}")
    say(f"test MSE:       {test_mse:.6f}  {rmse(test_mse)}")
    say(
        f"linear optimum: train MSE {optimum.loss(X, y):.6f}, test MSE "
        f"{optimum.loss(X_test, y_test):.6f}  (closed form, least squares)"
    )
    say(f"wall time:      {seconds:.2f} s  ({1000 * seconds / n_epochs:.2f} ms per epoch)")
    failed = []  # one output failing does not skip the other
    if plot_path is not None:
        try:
            title = f"{description}, {args.backend}: batch {batch_size}, lr {lr:g}"
            _plot(plot_path, history, optimum.loss(X, y), title)
            say(f"loss curve:     {plot_path}")
        except OSError as error:
            failed.append(f"cannot write --plot {str(plot_path)!r}: {_reason(error)}")
    if save_path is not None:
        try:
            if pp is None:
                model_files.save(model, save_path)
            else:
                pp.save(layer, save_path)
            say(f"model saved:    {save_path}  (dlhomework predict --model-file {save_path})")
        except OSError as error:
            failed.append(f"cannot write --save {str(save_path)!r}: {_reason(error)}")
    if failed:
        raise _CommandError("; ".join(failed), status=EXIT_FAILURE)
    return 0


def _cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The NumPy-vs-Paddle table of homework 1-6, computed now (needs Paddle).

    Train each model of homework 1-6 with NumPy and with Paddle from the same initial
    weights on the same batches, and print lines of code, train/test MSE, time per epoch
    and the agreement of the gradients (dlhomework.paddle_port.compare). The defaults are
    the course's Paddle settings.
    """
    pp = _paddle_port(f"{PROG} compare")
    print(
        f"{PROG} compare: {args.epochs} epochs, batch size {args.batch_size}, lr {args.lr:g}, "
        f"seed {args.seed}; two-layer: {args.hidden} {args.activation} hidden units",
        file=out,
        flush=True,
    )
    settings = {"n_epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr}
    settings |= {"n_hidden": args.hidden, "activation": args.activation, "seed": args.seed}
    try:
        rows = pp.compare(**settings, models=_COMPARED if args.model == "both" else [args.model])
    except FloatingPointError as error:
        raise _CommandError(f"{error} (try e.g. --lr {args.lr / 10:g})", EXIT_FAILURE) from None
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
    """Predict one house's price (in $1000s) with a saved model.

    Load a model saved by `dlhomework train --save` and predict the price of one row of the
    housing data, normalized with the training statistics and mapped back to $1000s, beside
    its true value. Model files are .npz archives of plain arrays, from either backend; they
    are read without unpickling, so a file from someone else cannot run code (and
    PaddlePaddle is not needed).
    """
    path = Path(args.model_file)
    if not path.exists():
        raise _CommandError(f"argument --model-file: no such file: {str(path)!r}")
    raw = load_housing()
    where = f"model file {str(path)!r}"
    try:
        found = model_files.read(path)
        model = model_files.build(found, where)
    except (ValueError, OSError) as error:
        raise _CommandError(str(error)) from None
    if getattr(model, "n_features", None) != raw.shape[1] - 1:
        raise _CommandError(
            f"{where} holds a model of {getattr(model, 'n_features', None)} features; the "
            f"house-price data has {raw.shape[1] - 1}"
        )
    try:
        result = predict_row(model, args.row)
    except IndexError as error:  # the row
        raise _CommandError(f"argument --row: {str(error).removeprefix('row ')}") from None
    except (ArithmeticError, ValueError) as error:  # finite weights, a prediction beyond float64
        raise _CommandError(str(error), status=EXIT_FAILURE) from None
    dtypes = "/".join(sorted({str(v.dtype) for v in found.params.values()}))
    say = partial(print, file=out)
    say(f"model:          {model!r}, {dtypes} weights, from {path}")
    say(f"row index:      {result.row} (0-based, of {raw.shape[0]} rows; {result.split} set)")
    say(f"predicted MEDV: {result.predicted:.2f}  ($1000s)")
    say(f"actual MEDV:    {result.actual:.2f}  ($1000s)")
    say(f"error:          {result.predicted - result.actual:+.2f}  ($1000s)")
    return 0


def _cmd_env(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The environment check of homework 1-5.

    Print Python's and the packages' versions and check the shipped data file (its sha256),
    then run paddle.utils.run_check() when Paddle is installed. Exit status 1 when a check
    fails; Paddle missing is reported, not a failure.
    """
    from .environment import check_environment

    if not check_environment(out, run_check=not args.no_run_check):
        raise _CommandError("the environment check failed (see above)", status=EXIT_FAILURE)
    return 0


# -- the parser --------------------------------------------------------------------------

_EXIT_STATUS = """\
exit status: 0 success; 1 valid arguments but the run failed (e.g. training
diverged); 2 a wrong command line (bad argument, missing or foreign model file,
PaddlePaddle missing where needed)."""
_COMPARED = ["linear", "two-layer"]  # the programs of homework 1-6 (paddle_port.PROGRAMS)


def _command(commands: Any, func: Any, epilog: str = _EXIT_STATUS) -> argparse.ArgumentParser:
    """Add the sub-command run by ``func`` (``_cmd_NAME``), its help from ``func``'s docstring."""
    summary, _, text = (func.__doc__ or "").partition("\n\n")  # none under python -OO
    sub: argparse.ArgumentParser = commands.add_parser(
        func.__name__.removeprefix("_cmd_"),
        help=summary[:1].lower() + summary[1:].rstrip("."),
        description=textwrap.fill(" ".join(text.split()), width=79),
        epilog=epilog,
        formatter_class=partial(argparse.RawDescriptionHelpFormatter, max_help_position=30),
    )
    sub.set_defaults(func=func, command_parser=sub)
    return sub


def build_parser() -> argparse.ArgumentParser:
    """Build the ``dlhomework`` argument parser (five sub-commands).

    Returns
    -------
    argparse.ArgumentParser
        Parses ``train``, ``compare``, ``predict``, ``env`` and ``check`` with their
        options; each sub-command stores its handler as ``func`` and its own
        parser as ``command_parser`` (for its error messages).  The ``--model``
        choices of ``train`` are :func:`dlhomework.training.trainable_models`.

    Examples
    --------
    >>> parser = build_parser()
    >>> args = parser.parse_args(["train", "--model", "two-layer",
    ...                           "--lr", "0.1"])
    >>> # batch_size None: the model's default
    >>> args.command, args.model, args.lr, args.batch_size
    ('train', 'two-layer', 0.1, None)
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Train, compare and use the house-price models of the dlhomework book\n"
        "(homework 1-1 to 1-8 of 《零基础实践深度学习》, chapter 1).",
        epilog=_EXIT_STATUS + '\n\nRun "dlhomework COMMAND --help" for the options of a command.',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    models = trainable_models()
    width = max(map(len, models)) + len("--model :")
    recommended = "".join(
        f"\n  {f'--model {name}:':<{width}} --epochs {book.n_epochs} --batch-size "
        f"{book.batch_size} --lr {book.lr:g}" + "".join(_as_options(book.settings, " --"))
        for name, book in DEFAULTS.items()
        if name in models
    )
    train = _command(
        commands,
        _cmd_train,
        epilog=f"""\
defaults (the book's recommended settings, dlhomework.training.DEFAULTS; homework
1-3 and 1-4, benchmarks/bench_linear.py and bench_two_layer.py):{recommended}
lr is the step on the gradient of the MSE; the course's eta (gradient of MSE/2)
is 2 * lr. MSE is that of MEDV normalized as in the course, (MEDV - mean) / range;
the RMSE in $1000s is sqrt(MSE) * range. --seed sets the initial weights and the
shuffling; --backend paddle starts from the same initial weights (rounded to
float32) and sees the same batches, so both backends agree to float32 precision.

example:
  dlhomework train --model two-layer --plot loss.png --save model.npz

{_EXIT_STATUS}""",
    )
    model_help = "the model (default: linear)"
    train.add_argument("--model", choices=list(models), default="linear", help=model_help)
    backend_help = "NumPy (hand-written gradients) or PaddlePaddle (autograd); default: numpy"
    train.add_argument("--backend", choices=["numpy", "paddle"], default="numpy", help=backend_help)
    train.add_argument("--epochs", type=_positive_int, metavar="N", help="passes over the data")
    batch_help = "samples per mini-batch (404 or more: full batch)"
    train.add_argument("--batch-size", type=_positive_int, metavar="B", help=batch_help)
    train.add_argument("--lr", type=_positive_float, metavar="LR", help="learning rate")
    for option, (keyword, spec) in _OPTIONS.items():
        train.add_argument(f"--{option}", **spec | {"help": f"{spec['help']} ({_takers(keyword)})"})
    seed_help = "seed of the initial weights and the shuffling (default: 0)"
    train.add_argument("--seed", type=_seed, default=0, metavar="S", help=seed_help)
    train.add_argument("--plot", metavar="FILE", help="write the loss curve (e.g. loss.png)")
    save_help = "save the trained model for `dlhomework predict` (an .npz archive of plain arrays)"
    train.add_argument("--save", metavar="FILE", help=save_help)
    train.add_argument("--quiet", action="store_true", help="no progress bar")

    compare = _command(commands, _cmd_compare)
    which = "which models (default: both)"
    compare.add_argument("--model", choices=[*_COMPARED, "both"], default="both", help=which)
    for flag, kind, default, metavar, text in (
        ("--epochs", _positive_int, 10, "N", "passes over the data"),
        ("--batch-size", _positive_int, 10, "B", "samples per mini-batch"),
        ("--lr", _positive_float, 0.01, "LR", "learning rate"),
        ("--hidden", _positive_int, 13, "H", "hidden units of the two-layer model"),
        ("--seed", _seed, 0, "S", "seed of the weights and the shuffling"),
    ):
        help_text = f"{text} (default: {default})"
        compare.add_argument(flag, type=kind, default=default, metavar=metavar, help=help_text)
    compare.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="sigmoid",
        help="their activation (default: sigmoid)",
    )

    predict = _command(commands, _cmd_predict)
    file_help = "a file written by `dlhomework train --save`"
    predict.add_argument("--model-file", required=True, metavar="FILE", help=file_help)
    row_help = "row of the 506-row data, negative counts from the end (default: -10, MEDV 19.7)"
    predict.add_argument("--row", type=_integer, default=-10, metavar="I", help=row_help)

    env = _command(commands, _cmd_env, epilog="")
    check_help = "skip paddle.utils.run_check() (it takes a few seconds)"
    env.add_argument("--no-run-check", action="store_true", help=check_help)

    from .check import command  # dlhomework check FILE...: students' submissions (issue 14)

    command.add_parser(commands)
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
        0 on success.  Failures exit (``SystemExit``) with status 1 (a failed run)
        or 2 (a wrong command line) after one error line on stderr (for status 2,
        after the command's usage), never a traceback.

    Notes
    -----
    The console script ``dlhomework`` and ``python -m dlhomework`` call it.

    Examples
    --------
    The first line goes on with the batch size, the updates per epoch,
    the learning rate and the seed; the fourth names the closed form.

    >>> main(["train", "--epochs", "3",
    ...       "--seed", "1"])  # doctest: +ELLIPSIS
    dlhomework train: linear model, numpy backend, 3 epochs, ...
    train MSE:      0.164058  (RMSE 18.23 in $1000s)
    test MSE:       0.141382  (RMSE 16.92 in $1000s)
    linear optimum: train MSE 0.011249, test MSE 0.016197  ...
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
