"""A model type the package has never heard of, defined and registered here only (issue 12).

``QuadraticRegression`` subclasses :class:`dlhomework.models.Regressor` and registers
itself with :func:`dlhomework.model_files.register_model`; nothing in the package is
edited for it.  It then trains, saves, loads and predicts through the command line's own
code paths (``cli.main`` in-process: a subprocess would not see the registration), and
the experiments that work for any model accept it.

The independent sources: the model's gradient against central finite differences, its
forward pass and the MSEs written out here with NumPy, one ``sgd`` call for the same run,
and the housing file normalized here with its first 404 rows' statistics.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest

from dlhomework import cli, model_files, training
from dlhomework.data import housing_path
from dlhomework.experiments import (
    batch_size_sweep,
    gradient_noise,
    predict_medv,
    saturation_sweep,
)
from dlhomework.models import Regressor
from dlhomework.preprocessing import Normalizer

N_TRAIN = 404


class QuadraticRegression(Regressor):
    """``pred = [X, X**2] @ W + b``: a linear model on the features and their squares."""

    def __init__(self, n_features: int = 13, rng: Any = None, scale: float = 0.1) -> None:
        self.n_features, self.scale = n_features, scale
        gen = np.random.default_rng(rng)
        self.params = {"W": scale * gen.standard_normal((2 * n_features, 1)), "b": np.zeros(1)}

    def __repr__(self) -> str:
        return f"QuadraticRegression(n_features={self.n_features})"

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"W": (2 * self.n_features, 1), "b": (1,)}

    def forward(self, X: np.ndarray) -> np.ndarray:
        return np.hstack([X, X**2]) @ self.params["W"] + self.params["b"]

    def forward_backward(self, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, Any]]:
        Z = np.hstack([X, X**2])
        error = Z @ self.params["W"] + self.params["b"] - y
        dpred = 2.0 * error / X.shape[0]
        return float(np.mean(error**2)), {"W": Z.T @ dpred, "b": dpred.sum(axis=0)}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> QuadraticRegression:
        return cls(np.shape(params["W"])[0] // 2, rng=0)._set_params(params)


@pytest.fixture
def quadratic():
    assert "QuadraticRegression" not in model_files.MODEL_TYPES
    model_files.register_model(QuadraticRegression, short_name="quadratic")
    yield QuadraticRegression
    del model_files.MODEL_TYPES["QuadraticRegression"]


@pytest.fixture(scope="module")
def housing():
    raw = np.fromfile(housing_path(), sep=" ").reshape(-1, 14)
    train = raw[:N_TRAIN]
    mean, span = train.mean(axis=0), train.max(axis=0) - train.min(axis=0)
    normalized = (raw - mean) / span
    return {"raw": raw, "normalized": normalized, "mean": mean, "span": span}


def by_hand(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    return np.hstack([X, X * X]) @ params["W"] + params["b"]


def test_the_test_model_has_the_right_gradient(rng):
    """Central differences in float64: the model itself is right before anything uses it."""
    model = QuadraticRegression(3, rng=0)
    X, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 1))
    _, grads = model.forward_backward(X, y)
    for name, p in model.params.items():
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + 1e-6
            up = np.mean((by_hand(model.params, X) - y) ** 2)
            p[i] = saved - 1e-6
            down = np.mean((by_hand(model.params, X) - y) ** 2)
            p[i] = saved
            numeric[i] = (up - down) / 2e-6
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-9)


def test_registering_makes_it_a_command_line_choice(quadratic, capsys):
    assert training.trainable_models()["quadratic"] is quadratic
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "--help"])
    assert exit_info.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--model {linear,two-layer,quadratic}" in help_text
    # not trainable before registration, nor after it is removed
    del model_files.MODEL_TYPES["QuadraticRegression"]
    assert "quadratic" not in training.trainable_models()
    model_files.MODEL_TYPES["QuadraticRegression"] = quadratic


def test_two_types_cannot_share_a_short_name(quadratic):
    class Cubic(QuadraticRegression):
        pass

    with pytest.raises(TypeError, match="Cubic cannot be registered: QuadraticRegression is 'q"):
        model_files.register_model(Cubic, short_name="quadratic")
    with pytest.raises(TypeError, match="Cubic cannot be registered: TwoLayerNet is 'two-layer'"):
        model_files.register_model(Cubic, short_name="two-layer")
    assert "Cubic" not in model_files.MODEL_TYPES
    model_files.register_model(Cubic)  # its own name: a subclass does not inherit the short one
    try:
        assert Cubic.short_name == "Cubic" and training.trainable_models()["Cubic"] is Cubic
        assert quadratic.short_name == "quadratic"
    finally:
        del model_files.MODEL_TYPES["Cubic"]


def test_train_save_load_predict_through_the_command_line(quadratic, housing, tmp_path, capsys):
    model_file = tmp_path / "quadratic.npz"
    argv = ["train", "--model", "quadratic", "--epochs", "20", "--batch-size", "50"]
    argv += ["--lr", "0.05", "--seed", "4", "--save", str(model_file)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "dlhomework train: quadratic model, numpy backend, 20 epochs, batch size 50 "
        "(9 updates per epoch), lr 0.05, seed 4"
    )
    # the saved model is that of one sgd call with the same seed, bit for bit
    X, y = housing["normalized"][:N_TRAIN, :-1], housing["normalized"][:N_TRAIN, -1:]
    reference = QuadraticRegression(13, rng=4)
    training.sgd(reference, X, y, n_epochs=20, batch_size=50, lr=0.05, rng=4)
    loaded = model_files.load(model_file)
    assert type(loaded) is quadratic
    for name, value in reference.params.items():
        np.testing.assert_array_equal(loaded.params[name], value)
    with np.load(model_file, allow_pickle=False) as archive:
        assert json.loads(str(archive["architecture"])) == {
            "model": "QuadraticRegression",
            "config": {},
        }
    # the printed MSEs are those of the saved weights, computed here
    printed = float(re.search(r"^train MSE:\s+(\S+)", out, re.M).group(1))
    expected = float(np.mean((by_hand(loaded.params, X) - y) ** 2))
    assert printed == pytest.approx(expected, abs=6e-7)
    assert expected < float(np.mean(y**2))  # it learned something

    assert cli.main(["predict", "--model-file", str(model_file), "--row", "7"]) == 0
    out = capsys.readouterr().out
    assert "model:          QuadraticRegression(n_features=13), float64 weights" in out
    assert "row index:      7 (0-based, of 506 rows; train set)" in out
    price = by_hand(loaded.params, housing["normalized"][7:8, :-1])[0, 0]
    price = price * housing["span"][-1] + housing["mean"][-1]
    predicted = float(re.search(r"^predicted MEDV:\s+(\S+)", out, re.M).group(1))
    assert predicted == pytest.approx(price, abs=0.006)


def test_its_recommended_settings_come_from_training_defaults(quadratic, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "--model", "quadratic", "--epochs", "2"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "dlhomework train: error: --model quadratic has no recommended settings in "
        "dlhomework.training.DEFAULTS: give --epochs, --batch-size and --lr"
    )
    book = training.TrainDefaults(n_epochs=3, batch_size=101, lr=0.02, settings={"scale": 0.5})
    monkeypatch.setitem(training.DEFAULTS, "quadratic", book)
    assert cli.main(["train", "--model", "quadratic"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "dlhomework train: quadratic model (scale 0.5), numpy backend, 3 epochs, batch size 101 "
        "(4 updates per epoch), lr 0.02, seed 0"
    )
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    assert "--model quadratic: --epochs 3 --batch-size 101 --lr 0.02 --scale 0.5" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--hidden", "5"], "--hidden applies to --model two-layer only, not quadratic"),
        (["--activation", "tanh"], "--activation applies to --model two-layer only, not quadratic"),
        pytest.param(  # the bridge's own message follows, naming the type
            ["--backend", "paddle"],
            r"--model quadratic \(paddle backend\): .*QuadraticRegression",
            marks=pytest.mark.paddle,
        ),
    ],
)
def test_options_it_cannot_take_are_usage_errors(quadratic, capsys, argv, fragment):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "--model", "quadratic", "--epochs", "1", "--batch-size", "9",
                  "--lr", "0.1", *argv])  # fmt: skip
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # refused before training
    assert re.match(f"dlhomework train: error: {fragment}", err.strip().splitlines()[-1])


def test_experiments_that_work_for_any_model_accept_it(housing, rng):
    X, y = housing["normalized"][:N_TRAIN, :-1], housing["normalized"][:N_TRAIN, -1:]
    start = QuadraticRegression(13, rng=1)
    (run,) = batch_size_sweep(X, y, X, y, [404], n_epochs=3, lr=0.05, rng=0, model=start)
    reference = start.copy()
    for _ in range(3):  # full batch: plain gradient descent, written out here
        error = by_hand(reference.params, X) - y
        Z = np.hstack([X, X * X])
        reference.params["W"] -= 0.05 * 2.0 * Z.T @ error / N_TRAIN
        reference.params["b"] -= 0.05 * 2.0 * error.sum(axis=0) / N_TRAIN
    assert run.train_mse == pytest.approx(np.mean((by_hand(reference.params, X) - y) ** 2))
    assert type(run.model) is QuadraticRegression
    (noise,) = gradient_noise(start, X, y, [N_TRAIN], n_draws=2, rng=0)
    assert noise.mean_sq_error == 0.0  # the full batch is the full gradient
    norm = Normalizer().fit(housing["raw"][:N_TRAIN])
    price = predict_medv(start, norm, housing["raw"][0, :-1])[0, 0]
    expected = by_hand(start.params, housing["normalized"][:1, :-1])[0, 0]
    assert price == pytest.approx(expected * housing["span"][-1] + housing["mean"][-1])
    # a sweep over a hidden layer's scale needs one: refused by what the model has, clearly
    with pytest.raises(TypeError, match=r"must have a hidden layer act\(X @ W1 \+ b1\)"):
        saturation_sweep(start, X, y, [1.0])
