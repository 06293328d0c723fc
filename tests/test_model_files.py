"""dlhomework.model_files: one ``.npz`` format of plain arrays, read without unpickling.

The independent sources: forward passes written out here with NumPy, archives built
here byte by byte with ``zipfile`` and ``np.lib.format`` (not with ``model_files.write``),
``pickle.loads`` itself (to show that each malicious file really runs code when
unpickled), and ``tracemalloc`` (to show that what a header claims is never allocated).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import pickle
import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlhomework
from dlhomework import _files, model_files
from dlhomework.activations import ACTIVATIONS
from dlhomework.mistakes import HalfMSEMistake
from dlhomework.models import LinearRegression, TwoLayerNet

D, H = 5, 7  # distinct sizes: a swapped shape cannot pass
SRC = str(Path(dlhomework.__file__).resolve().parents[1])  # the src/ under test
ACT = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "identity": lambda z: z,
}
PICKLE_WORDS = ("looks like a pickle", "never unpickles")
REBUILD = ": cannot rebuild the {}: "  # the file's params/config refused by from_params


# -- helpers -------------------------------------------------------------------------------


def forward(params: dict[str, np.ndarray], X: np.ndarray, activation: str = "") -> np.ndarray:
    if "W" in params:
        return X @ params["W"] + params["b"]
    hidden = ACT[activation](X @ params["W1"] + params["b1"])
    return hidden @ params["W2"] + params["b2"]


def npy_bytes(value: Any) -> bytes:
    """One array in the .npy format (object arrays pickled, as np.save does by default)."""
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(value), allow_pickle=True)
    return buf.getvalue()


def npy_header(shape: tuple[int, ...], descr: str = "<f8", data: bytes = b"") -> bytes:
    """A hand-written .npy header claiming ``shape``, followed by ``data`` (maybe too short)."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": descr, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue() + data


def write_zip(path: Path, entries: dict[str, Any], compression: int = zipfile.ZIP_STORED) -> Path:
    """An archive with ``entries``: bytes as they are, anything else as a .npy entry."""
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, value in entries.items():
            archive.writestr(name, value if isinstance(value, bytes) else npy_bytes(value))
    return path


def two_layer_params(rng: np.random.Generator, d: int = D, h: int = H) -> dict[str, np.ndarray]:
    return {
        "W1": rng.normal(size=(d, h)),
        "b1": rng.normal(size=h),
        "W2": rng.normal(size=(h, 1)),
        "b2": rng.normal(size=1),
    }


def v2_entries(
    params: dict[str, Any], model: str = "TwoLayerNet", config: Any = None, **overrides: Any
) -> dict[str, Any]:
    """The entries of a version-2 file, built here by hand; ``overrides`` replace or add."""
    config = {"activation": "tanh"} if config is None else config
    entries: dict[str, Any] = {
        "format.npy": np.array("dlhomework.model"),
        "version.npy": np.array(2),
        "architecture.npy": np.array(json.dumps({"model": model, "config": config})),
        **{f"params/{k}.npy": v for k, v in params.items()},
    }
    for key, value in overrides.items():
        if value is None:
            del entries[key]
        else:
            entries[key] = value
    return entries


def assert_params_identical(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert got.keys() == want.keys()
    for name in want:
        assert got[name].dtype == np.float64, name
        assert got[name].shape == want[name].shape, name
        assert got[name].tobytes() == np.asarray(want[name], np.float64).tobytes(), name


def run_predict(path: Path) -> subprocess.CompletedProcess[str]:
    """``python -m dlhomework predict --model-file path`` on the src/ under test."""
    env = {**os.environ, "PYTHONPATH": SRC, "GLOG_minloglevel": "2"}
    return subprocess.run(
        [sys.executable, "-m", "dlhomework", "predict", "--model-file", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=path.parent,
    )


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == errors[0]
    assert errors[0].startswith("dlhomework predict: error: "), result.stderr
    for fragment in fragments:
        assert fragment in errors[0], (fragment, errors[0])
    return errors[0]


# -- round trip ----------------------------------------------------------------------------


def all_models(rng: np.random.Generator) -> list[LinearRegression | TwoLayerNet]:
    models: list[LinearRegression | TwoLayerNet] = [LinearRegression(D, rng=rng)]
    for act in ACTIVATIONS:
        net = TwoLayerNet(D, H, act, rng=rng)
        net.params["b1"][:] = rng.normal(size=H)  # non-zero biases, so each one is checked
        net.params["b2"][:] = rng.normal(size=1)
        models.append(net)
    models[0].params["b"][:] = 0.25
    return models


def test_the_activations_are_the_four_written_out_here():
    assert set(ACTIVATIONS) == set(ACT)


@pytest.mark.parametrize("index", range(1 + len(ACT)))
def test_round_trip_is_bit_identical(tmp_path, rng, index):
    model = all_models(rng)[index]
    path = tmp_path / "model.npz"
    model_files.save(model, path)
    back = model_files.load(path)

    assert type(back) is type(model)
    assert repr(back) == repr(model)
    assert_params_identical(back.params, model.params)
    X = rng.normal(size=(9, D))
    want = forward(model.params, X, getattr(model, "activation", ""))
    np.testing.assert_allclose(back.predict(X), want, rtol=1e-12, atol=1e-14)

    # a plain npz anyone can inspect: only stored .npy entries, no pickles
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    names = sorted(info.filename for info in infos)
    assert names == sorted(
        ["format.npy", "version.npy", "architecture.npy"]
        + [f"params/{k}.npy" for k in model.params]
    )
    assert all(info.compress_type == zipfile.ZIP_STORED for info in infos)
    with np.load(path, allow_pickle=False) as npz:
        assert str(npz["format"]) == "dlhomework.model"
        assert int(npz["version"]) == 2
        config = {"activation": model.activation} if isinstance(model, TwoLayerNet) else {}
        assert json.loads(str(npz["architecture"])) == {
            "model": type(model).__name__,
            "config": config,
        }
        for name, value in model.params.items():
            np.testing.assert_array_equal(npz[f"params/{name}"], value)


def test_save_does_not_modify_the_model_and_load_returns_copies(tmp_path, rng):
    net = TwoLayerNet(D, H, "relu", rng=rng)
    before = {k: v.copy() for k, v in net.params.items()}
    model_files.save(net, tmp_path / "a.npz")
    assert_params_identical(net.params, before)
    one, two = model_files.load(tmp_path / "a.npz"), model_files.load(tmp_path / "a.npz")
    one.params["W1"] += 1.0
    np.testing.assert_array_equal(two.params["W1"], before["W1"])


def test_float32_params_are_read_as_float64_exactly(tmp_path, rng):
    params = {k: v.astype(np.float32) for k, v in two_layer_params(rng).items()}
    path = write_zip(tmp_path / "f32.npz", v2_entries(params))
    found = model_files.read(path)
    assert {v.dtype for v in found.params.values()} == {np.dtype(np.float32)}
    net = model_files.load(path)
    for name, value in params.items():
        assert net.params[name].dtype == np.float64
        np.testing.assert_array_equal(net.params[name], value.astype(np.float64))


def test_a_file_built_by_hand_loads(tmp_path, rng):
    """The format as documented, written without model_files: it is the contract."""
    params = two_layer_params(rng)
    path = write_zip(tmp_path / "hand.npz", v2_entries(params, config={"activation": "sigmoid"}))
    net = model_files.load(path)
    assert repr(net) == f"TwoLayerNet(n_features={D}, n_hidden={H}, activation='sigmoid')"
    X = rng.normal(size=(4, D))
    np.testing.assert_allclose(net.predict(X), forward(params, X, "sigmoid"), rtol=1e-12)


# -- malicious files -----------------------------------------------------------------------


class Exploit:
    """Unpickling this creates ``marker``: what an attacker's model file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Path.touch, (self.marker,))


def malicious_files(folder: Path, marker: Path) -> dict[str, Path]:
    payload = pickle.dumps(Exploit(marker))
    files = {}
    for name in ("model.npz", "model.pdparams", "model", "model.pkl"):
        files[name] = folder / name
        files[name].write_bytes(payload)
    evil = np.array([Exploit(marker)], dtype=object)
    files["savez-object"] = folder / "object.npz"
    np.savez(files["savez-object"], W=evil)  # pickles the object array inside the zip
    files["object-entry"] = write_zip(
        folder / "object_entry.npz",
        v2_entries({"W": evil, "b": np.zeros(1)}, model="LinearRegression", config={}),
    )
    return files


PICKLE_NAMES = ["model.npz", "model.pdparams", "model", "model.pkl"]
MALICIOUS = [*PICKLE_NAMES, "savez-object", "object-entry"]


@pytest.fixture
def evil(tmp_path):
    marker = tmp_path / "MARKER"
    folder = tmp_path / "files"
    folder.mkdir()
    files = malicious_files(folder, marker)
    assert not marker.exists()
    yield files, marker
    assert not marker.exists(), "a model file was unpickled: its code ran"


def assert_refused(err: pytest.ExceptionInfo[ValueError], path: Path, name: str) -> None:
    message = str(err.value)
    assert repr(str(path)) in message, message
    if name in PICKLE_NAMES:
        for words in PICKLE_WORDS:
            assert words in message, message
    else:
        assert "holds object data" in message, message


def test_the_exploit_is_real(tmp_path):
    """Each malicious file does run code when unpickled: the tests below can fail."""
    marker = tmp_path / "MARKER"
    files = malicious_files(tmp_path, marker)
    pickle.loads(files["model.pkl"].read_bytes())
    assert marker.exists()
    marker.unlink()
    with np.load(files["savez-object"], allow_pickle=True) as npz:
        npz["W"]
    assert marker.exists()
    marker.unlink()
    with np.load(files["object-entry"], allow_pickle=True) as npz:
        npz["params/W"]
    assert marker.exists()


@pytest.fixture
def no_unpickling(monkeypatch):
    """Fail the test if anything calls pickle's loaders (np.load's pickling path uses them)."""

    calls = []

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)  # recorded, in case the caller swallows the error
        raise AssertionError("pickle was called on a model file")

    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "loads", forbidden)
    yield
    assert calls == [], "pickle was called on a model file"


@pytest.mark.parametrize("name", MALICIOUS)
@pytest.mark.parametrize("reader", ["read", "load"])
def test_malicious_files_are_refused_unread(evil, no_unpickling, name, reader):
    files, _ = evil
    with pytest.raises(ValueError, match="is not a dlhomework model file") as err:
        getattr(model_files, reader)(files[name])
    assert_refused(err, files[name], name)


@pytest.mark.parametrize("name", MALICIOUS)
def test_malicious_files_are_refused_by_the_command_line(evil, name):
    files, _ = evil
    result = run_predict(files[name])
    line = assert_one_line_usage_error(result, repr(str(files[name])))
    if name in PICKLE_NAMES:
        assert all(words in line for words in PICKLE_WORDS), line
    else:
        assert "holds object data" in line
    assert result.stdout == ""


@pytest.fixture(scope="module")
def pp(paddle):
    """dlhomework.paddle_port (needs paddle)."""
    from dlhomework import paddle_port

    return paddle_port


@pytest.fixture
def no_paddle_load(paddle, monkeypatch):
    calls = []

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise AssertionError("paddle.load was called on a model file")

    monkeypatch.setattr(paddle, "load", forbidden)
    yield
    assert calls == [], "paddle.load was called on a model file"


@pytest.mark.paddle
@pytest.mark.parametrize("name", MALICIOUS)
def test_paddle_port_load_refuses_malicious_files(pp, evil, no_paddle_load, no_unpickling, name):
    pytest.importorskip("paddle")
    files, _ = evil
    with pytest.raises(ValueError, match="is not a dlhomework model file") as err:
        pp.load(files[name])
    assert_refused(err, files[name], name)


@pytest.fixture
def paddle_state_dict_file(pp, paddle, tmp_path):
    """A file in the course's own format: ``paddle.save(layer.state_dict(), path)``."""
    path = tmp_path / "course.pdparams"
    paddle.save(pp.TwoLayerRegressor(D, H, "tanh").state_dict(), str(path))
    return path


@pytest.mark.paddle
def test_a_paddle_save_file_is_refused_as_a_pickle(
    pp, paddle_state_dict_file, no_paddle_load, no_unpickling
):
    pytest.importorskip("paddle")
    path = paddle_state_dict_file
    for reader in (model_files.read, model_files.load, pp.load):
        with pytest.raises(ValueError, match="is not a dlhomework model file") as err:
            reader(path)
        message = str(err.value)
        assert repr(str(path)) in message
        assert all(words in message for words in PICKLE_WORDS), message
        assert "paddle_port.save" in message  # says how to convert it
    line = assert_one_line_usage_error(run_predict(path), repr(str(path)))
    assert all(words in line for words in PICKLE_WORDS), line


@pytest.mark.paddle
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_paddle_and_numpy_files_are_one_format(pp, tmp_path, rng, dtype):
    pytest.importorskip("paddle")
    layer = pp.TwoLayerRegressor(D, H, "relu", dtype=dtype)
    weights = {k: w.numpy() for k, w in layer.named_weights().items()}
    pp.save(layer, tmp_path / "layer.npz")
    found = model_files.read(tmp_path / "layer.npz")
    assert (found.model, found.config) == ("TwoLayerNet", {"activation": "relu"})
    for name, value in weights.items():
        assert found.params[name].dtype == np.dtype(dtype)
        np.testing.assert_array_equal(found.params[name], value)
    net = model_files.load(tmp_path / "layer.npz")  # the NumPy model, float64 copies
    X = rng.normal(size=(3, D))
    want = forward({k: v.astype(np.float64) for k, v in weights.items()}, X, "relu")
    np.testing.assert_allclose(net.predict(X), want, rtol=1e-12, atol=1e-14)

    numpy_net = TwoLayerNet(D, H, "tanh", rng=rng)
    model_files.save(numpy_net, tmp_path / "numpy.npz")
    back = pp.load(tmp_path / "numpy.npz")
    assert back.architecture()["activation"] == "tanh"
    np.testing.assert_array_equal(back.fc1.weight.numpy(), numpy_net.params["W1"])


# -- damaged and foreign files -------------------------------------------------------------


def _damaged(tmp_path: Path, rng: np.random.Generator, case: str) -> Path:
    p = two_layer_params(rng)
    path = tmp_path / "model.npz"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("W1 = [[1, 2], [3, 4]]\n")
    elif case == "non-npy entry":
        write_zip(path, {**v2_entries(p), "readme.txt": b"hello"})
    elif case == "folder entry":
        with zipfile.ZipFile(path, "w") as archive:
            archive.mkdir("params")
    elif case == "compressed":
        np.savez_compressed(path, **v2_arrays(p))
    elif case == "too many entries":
        write_zip(path, {f"a{i}.npy": np.zeros(1) for i in range(65)})
    elif case == "header claims more":
        write_zip(path, v2_entries(p, **{"params/W1.npy": npy_header((D, H), data=b"\0" * 8)}))
    elif case == "header claims 8 TB":
        write_zip(path, v2_entries(p, **{"params/W1.npy": npy_header((10**12,))}))
    elif case == "string claims 400 MB":
        write_zip(path, v2_entries(p, **{"format.npy": npy_header((), descr="<U100000000")}))
    elif case == "not an array":
        write_zip(path, v2_entries(p, **{"params/W1.npy": b"\x93NUMPY garbage"}))
    elif case == "complex":
        write_zip(path, v2_entries(p, **{"params/W1.npy": p["W1"].astype(complex)}))
    elif case == "bool":
        write_zip(path, v2_entries(p, **{"params/b1.npy": np.ones(H, dtype=bool)}))
    elif case == "no format":
        write_zip(path, v2_entries(p, **{"format.npy": None}))
    elif case == "wrong format":
        write_zip(path, v2_entries(p, **{"format.npy": np.array("someone.else")}))
    elif case == "format not text":
        write_zip(path, v2_entries(p, **{"format.npy": np.array(2)}))
    elif case == "version 3":
        write_zip(path, v2_entries(p, **{"version.npy": np.array(3)}))
    elif case == "version 1 with the new tag":
        write_zip(path, v2_entries(p, **{"version.npy": np.array(1)}))
    elif case == "version text":
        write_zip(path, v2_entries(p, **{"version.npy": np.array("2")}))
    elif case == "version float":
        write_zip(path, v2_entries(p, **{"version.npy": np.array(2.0)}))
    elif case == "version array":
        write_zip(path, v2_entries(p, **{"version.npy": np.array([2])}))
    elif case == "no version":
        write_zip(path, v2_entries(p, **{"version.npy": None}))
    elif case == "architecture not JSON":
        write_zip(path, v2_entries(p, **{"architecture.npy": np.array("{model: TwoLayerNet")}))
    elif case == "architecture a list":
        write_zip(path, v2_entries(p, **{"architecture.npy": np.array("[1, 2]")}))
    elif case == "architecture extra key":
        arch = {"model": "TwoLayerNet", "config": {}, "code": "import os"}
        write_zip(path, v2_entries(p, **{"architecture.npy": np.array(json.dumps(arch))}))
    elif case == "config a list":
        write_zip(path, v2_entries(p, config=["tanh"]))
    elif case == "model not text":
        arch = {"model": 2, "config": {}}
        write_zip(path, v2_entries(p, **{"architecture.npy": np.array(json.dumps(arch))}))
    elif case == "no architecture":
        write_zip(path, v2_entries(p, **{"architecture.npy": None}))
    elif case == "unexpected entry":
        write_zip(path, v2_entries(p, **{"notes.npy": np.zeros(1)}))
    elif case == "no parameters":
        write_zip(path, v2_entries({}))
    elif case == "unknown model":
        write_zip(path, v2_entries(p, model="os.system"))
    elif case == "unknown activation":
        write_zip(path, v2_entries(p, config={"activation": "softmax"}))
    elif case == "missing parameter":
        write_zip(path, v2_entries({k: v for k, v in p.items() if k != "b2"}))
    elif case == "extra parameter":
        write_zip(path, v2_entries({**p, "W3": np.ones((1, 1))}))
    elif case == "b1 too short":
        write_zip(path, v2_entries({**p, "b1": np.zeros(H - 1)}))
    elif case == "W1 1-D":
        write_zip(path, v2_entries({**p, "W1": np.zeros(D)}))
    elif case == "W2 two outputs":
        write_zip(path, v2_entries({**p, "W2": np.zeros((H, 2))}))
    elif case == "int params":
        write_zip(path, v2_entries({**p, "W1": np.ones((D, H), dtype=np.int64)}))
    elif case == "NaN params":
        write_zip(path, v2_entries({**p, "b1": np.full(H, np.nan)}))
    elif case == "inf params":
        write_zip(path, v2_entries({**p, "W2": np.full((H, 1), -np.inf)}))
    elif case == "float16 params":
        write_zip(path, v2_entries({**p, "W1": p["W1"].astype(np.float16)}))
    elif case == "linear W 1-D":
        write_zip(path, v2_entries({"W": np.ones(D), "b": np.zeros(1)}, "LinearRegression", {}))
    elif case == "linear config":
        write_zip(path, v2_entries({"W": np.ones((D, 1)), "b": np.zeros(1)}, "LinearRegression"))
    else:  # pragma: no cover
        raise AssertionError(case)
    return path


def v2_arrays(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Keyword arguments of np.savez for a valid version-2 file."""
    return {k.removesuffix(".npy"): v for k, v in v2_entries(params).items()}


NOT_OURS = "is not a dlhomework model file: "
DAMAGED = {
    "empty": NOT_OURS + "not an .npz archive",
    "text": NOT_OURS + "not an .npz archive",
    "non-npy entry": NOT_OURS + "the entry 'readme.txt' is not an array",
    "folder entry": NOT_OURS + "the entry 'params/' is not an array",
    "compressed": NOT_OURS + "the entry 'format.npy' is compressed",
    "too many entries": NOT_OURS + "65 entries",
    "header claims more": NOT_OURS + "the entry 'params/W1' claims more data than it holds",
    "header claims 8 TB": NOT_OURS + "the entry 'params/W1' claims more data than it holds",
    "string claims 400 MB": NOT_OURS + "the entry 'format' claims more data than it holds",
    "not an array": NOT_OURS + "the entry 'params/W1' cannot be read",
    "complex": NOT_OURS + "the entry 'params/W1' holds complex128 data",
    "bool": NOT_OURS + "the entry 'params/b1' holds bool data",
    "no format": NOT_OURS + "no 'dlhomework.model' format tag",
    "wrong format": NOT_OURS + "no 'dlhomework.model' format tag",
    "format not text": NOT_OURS + "'format' must be a string",
    "version 3": "has format version 3; this dlhomework reads version 2",
    "version 1 with the new tag": "has format version 1; this dlhomework reads version 2",
    "version text": NOT_OURS + "'version' must be an integer",
    "version float": NOT_OURS + "'version' must be an integer",
    "version array": NOT_OURS + "'version' must be an integer",
    "no version": NOT_OURS + "'version' must be an integer",
    "architecture not JSON": NOT_OURS + "'architecture' is not JSON",
    "architecture a list": NOT_OURS + "malformed architecture [1, 2]",
    "architecture extra key": NOT_OURS + "malformed architecture",
    "config a list": NOT_OURS + "malformed architecture",
    "model not text": NOT_OURS + "malformed architecture",
    "no architecture": NOT_OURS + "'architecture' must be a string",
    "unexpected entry": NOT_OURS + "unexpected entries ['notes',",
    "no parameters": NOT_OURS + "it holds no parameters",
    "unknown model": ": unknown model 'os.system' (known: LinearRegression, TwoLayerNet",
    "unknown activation": REBUILD.format("TwoLayerNet") + "activation must be one of",
    "missing parameter": REBUILD.format("TwoLayerNet") + "params of",
    "extra parameter": REBUILD.format("TwoLayerNet") + "params of",
    "b1 too short": REBUILD.format("TwoLayerNet") + f"params['b1'] of TwoLayerNet(n_features={D}, "
    f"n_hidden={H}, activation='tanh') must be a float array of shape ({H},), got shape ({H - 1},)",
    "W1 1-D": REBUILD.format("TwoLayerNet")
    + f"params['W1'] must be a 2-D (D, H) array, got shape ({D},)",
    "W2 two outputs": f"params['W2'] of TwoLayerNet(n_features={D}, n_hidden={H}, "
    f"activation='tanh') must be a float array of shape ({H}, 1), got shape ({H}, 2)",
    "int params": ": parameter 'W1' must hold finite floats",
    "NaN params": ": parameter 'b1' must hold finite floats",
    "inf params": ": parameter 'W2' must hold finite floats",
    "float16 params": ": parameter 'W1' must hold finite floats",
    "linear W 1-D": REBUILD.format("LinearRegression") + "params['W'] must be a 2-D (D, 1) array, "
    f"got shape ({D},)",
    "linear config": REBUILD.format("LinearRegression")  # activation: not one of its settings
    + "LinearRegression.from_params() got an unexpected keyword argument 'activation'",
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_or_foreign_files_are_refused(tmp_path, rng, case):
    path = _damaged(tmp_path, rng, case)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"^model file ") as err:
            model_files.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(err.value)
    assert message.startswith(f"model file {str(path)!r}"), message
    assert DAMAGED[case] in message, message
    assert "\n" not in message
    assert peak < 20e6, f"reading a {path.stat().st_size}-byte file allocated {peak / 1e6} MB"


@pytest.mark.parametrize(
    "case", ["missing parameter", "extra parameter", "W2 two outputs", "unknown activation"]
)
def test_read_accepts_what_only_the_model_can_refuse(tmp_path, rng, case):
    """read() checks the format; the fit to a model type is build()'s job (and load's)."""
    found = model_files.read(_damaged(tmp_path, rng, case))
    assert found.model == "TwoLayerNet"
    with pytest.raises(ValueError, match=r"^here: ") as err:
        model_files.build(found, "here")
    assert str(err.value).startswith("here" + REBUILD.format("TwoLayerNet"))


def test_a_lying_zip_directory_cannot_make_the_reader_allocate(tmp_path):
    """An entry of 136 bytes whose zip headers claim 4 GB, and whose .npy header claims 4 GB.

    The size check compares the .npy header's claim with the zip's own (equally
    claimed) ``file_size``; the bytes really present are ``compress_size`` (a stored
    entry) and at most the size of the file on disk.
    """
    entry = npy_header((500_000_000,), data=b"\0" * 8)  # claims 4 GB of float64
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("params/W.npy", entry)
    data = bytearray(raw.getvalue())
    fake = (2**32 - 1).to_bytes(4, "little")  # largest size without zip64
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 22 : local + 26] = fake  # uncompressed size, local header
    data[central + 24 : central + 28] = fake  # uncompressed size, central directory
    path = tmp_path / "lie.npz"
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        (info,) = archive.infolist()
    assert (info.file_size, info.compress_size) == (2**32 - 1, len(entry))

    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="claims more data than it holds"):
            model_files.read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20e6, f"a {path.stat().st_size}-byte file made read() allocate {peak / 1e6} MB"


def test_a_header_with_a_huge_empty_shape_is_a_value_error(tmp_path, rng):
    """Shape (0, 10**30) holds no data, yet a C long cannot hold its dimension."""
    p = two_layer_params(rng)
    path = write_zip(
        tmp_path / "m.npz", v2_entries(p, **{"params/W1.npy": npy_header((0, 10**30))})
    )
    with pytest.raises(ValueError, match=r"model file .*m\.npz.* the entry 'params/W1'"):
        model_files.read(path)


def test_a_folder_a_missing_file_and_a_wrong_argument(tmp_path):
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    with pytest.raises(ValueError, match=r"model file '.*folder\.npz' is not a file"):
        model_files.load(folder)
    missing = tmp_path / "missing.npz"
    with pytest.raises(FileNotFoundError, match=r"model file '.*missing\.npz' does not exist"):
        model_files.load(missing)
    with pytest.raises(FileNotFoundError):
        model_files.read(str(missing))
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike, got 3 \(int\)"):
        model_files.read(3)
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike, got None"):
        model_files.load(None)
    with pytest.raises(ValueError, match="path must be a non-empty file name"):
        model_files.read("")


def test_an_unreadable_file_is_a_value_error_naming_it(tmp_path, monkeypatch):
    path = write_zip(tmp_path / "m.npz", {"format.npy": np.array("dlhomework.model")})
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:  # as chmod 000 would, for a user other than root
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(
        ValueError, match=r"model file '.*m\.npz' cannot be read \(Permission denied\)"
    ):
        model_files.read(path)


# -- sizes come from the arrays, never from the architecture ---------------------------------


def test_sizes_come_from_the_array_shapes(tmp_path, rng):
    p = two_layer_params(rng, d=13, h=4)
    path = write_zip(tmp_path / "m.npz", v2_entries(p, config={"activation": "relu"}))
    net = model_files.load(path)
    assert (net.n_features, net.n_hidden) == (13, 4)
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (13, 4),
        "b1": (4,),
        "W2": (4, 1),
        "b2": (1,),
    }


@pytest.mark.parametrize(
    ("model", "config", "key"),
    [
        ("TwoLayerNet", {"activation": "relu", "n_hidden": 10**12}, "n_hidden"),
        ("TwoLayerNet", {"activation": "relu", "n_features": 10**12}, "n_features"),
        ("TwoLayerNet", {"activation": "relu", "rng": 10**12}, "rng"),
        ("LinearRegression", {"n_features": 10**12}, "n_features"),
    ],
)
def test_a_size_in_the_architecture_is_refused_not_allocated(tmp_path, rng, model, config, key):
    params = (
        two_layer_params(rng, d=13, h=4)
        if model == "TwoLayerNet"
        else {"W": rng.normal(size=(13, 1)), "b": np.zeros(1)}
    )
    path = write_zip(tmp_path / "m.npz", v2_entries(params, model=model, config=config))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"^model file ") as err:
            model_files.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(err.value)
    assert message.startswith(f"model file {str(path)!r}{REBUILD.format(model)}"), message
    assert repr(key) in message, message
    assert peak < 20e6


# -- version 1 (an earlier dlhomework) -----------------------------------------------------


def test_a_version_1_two_layer_file_loads(tmp_path, rng):
    p = two_layer_params(rng)
    path = tmp_path / "old.npz"
    np.savez(path, format="dlhomework.models", version=1, model="two-layer", activation="relu", **p)
    net = model_files.load(path)
    assert repr(net) == f"TwoLayerNet(n_features={D}, n_hidden={H}, activation='relu')"
    assert_params_identical(net.params, p)
    X = rng.normal(size=(6, D))
    np.testing.assert_allclose(net.predict(X), forward(p, X, "relu"), rtol=1e-12, atol=1e-14)


def test_a_version_1_linear_file_loads(tmp_path, rng):
    p = {"W": rng.normal(size=(D, 1)), "b": np.array([0.5])}
    path = tmp_path / "old.npz"
    np.savez(path, format="dlhomework.models", version=1, model="linear", **p)
    model = model_files.load(path)
    assert repr(model) == f"LinearRegression(n_features={D})"
    assert_params_identical(model.params, p)
    X = rng.normal(size=(3, D))
    np.testing.assert_allclose(model.predict(X), X @ p["W"] + 0.5, rtol=1e-12)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"model": "three-layer"}, "unknown model 'three-layer'"),
        ({"model": None}, "'model' must be a string"),
        ({"activation": None}, "'activation' must be a string"),
        ({"version": 2}, "has format version 2; this dlhomework reads version 1"),
        ({"activation": "swish"}, "activation must be one of"),
        ({"W2": None}, REBUILD.format("TwoLayerNet")),
    ],
)
def test_damaged_version_1_files(tmp_path, rng, fields, message):
    arrays: dict[str, Any] = {
        "format": "dlhomework.models",
        "version": 1,
        "model": "two-layer",
        "activation": "relu",
        **two_layer_params(rng),
    }
    for key, value in fields.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    path = tmp_path / "old.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=f"^model file {str(path)!r}") as err:
        model_files.load(path)
    assert message in str(err.value)


# -- save refuses what it could not load back ----------------------------------------------


class NotAModel:
    params = {"W": np.ones((2, 1)), "b": np.zeros(1)}  # noqa: RUF012

    def config(self) -> dict[str, Any]:
        return {}


def _refusals(rng: np.random.Generator) -> dict[str, tuple[Any, type[Exception], str]]:
    nan = LinearRegression(D, rng=rng)
    nan.params["W"][2, 0] = np.nan
    inf = TwoLayerNet(D, H, rng=rng)
    inf.params["b1"][0] = np.inf
    flat = LinearRegression(3, rng=rng)
    flat.params["W"] = np.ones(3)
    short = TwoLayerNet(D, H, rng=rng)
    short.params["b1"] = np.zeros(H - 1)
    missing = TwoLayerNet(D, H, rng=rng)
    del missing.params["b2"]
    half = TwoLayerNet(D, H, "tanh", rng=rng)
    half.params["W1"] = half.params["W1"].astype(np.float16)
    return {
        "plain object": (NotAModel(), TypeError, "must be a registered model type"),
        "mistake subclass": (
            HalfMSEMistake(D, H, rng=rng),
            TypeError,
            "model must be a registered model type (LinearRegression, TwoLayerNet), "
            "got HalfMSEMistake",
        ),
        "NaN": (nan, ValueError, "params['W'] of LinearRegression(n_features=5) holds NaN"),
        "inf": (inf, ValueError, "params['b1'] of TwoLayerNet"),
        "1-D W": (flat, ValueError, "must be a float array of shape (3, 1), got shape (3,)"),
        "short b1": (short, ValueError, f"shape ({H},), got shape ({H - 1},)"),
        "missing b2": (missing, ValueError, "must have the keys ['W1', 'W2', 'b1', 'b2']"),
        "float16": (half, TypeError, "parameter 'W1' must be float32 or float64, got float16"),
    }


REFUSALS = list(_refusals(np.random.default_rng(0)))


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("case", REFUSALS)
def test_save_refuses_and_leaves_the_path_alone(tmp_path, rng, case, existing):
    model, error, message = _refusals(rng)[case]
    path = tmp_path / "model.npz"
    if existing:
        path.write_bytes(b"previous content")
    with pytest.raises(error) as err:
        model_files.save(model, path)
    assert message in str(err.value), str(err.value)
    assert sorted(os.listdir(tmp_path)) == (["model.npz"] if existing else [])
    if existing:
        assert path.read_bytes() == b"previous content"


def test_a_subclass_named_like_a_registered_type_is_not_it(tmp_path, rng):
    class TwoLayerNet(HalfMSEMistake):  # same name, another class
        pass

    with pytest.raises(TypeError, match="got TwoLayerNet"):
        model_files.save(TwoLayerNet(D, H, rng=rng), tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"config": {"f": lambda: 0}}, ValueError, "config must be JSON-compatible"),
        ({"config": {"x": float("nan")}}, ValueError, "config must be JSON-compatible"),
        ({"params": {"not a name": np.ones(1)}}, ValueError, "must be identifiers"),
        ({"params": {"W": np.ones(1, dtype=int)}}, TypeError, "got int64"),
    ],
)
def test_write_refuses_what_the_format_cannot_hold(tmp_path, kwargs, error, message):
    args = {"model": "LinearRegression", "config": {}, "params": {"W": np.ones((1, 1))}, **kwargs}
    with pytest.raises(error, match=message):
        model_files.write(tmp_path / "m.npz", **args)
    assert os.listdir(tmp_path) == []


def test_save_writes_exactly_the_name_given(tmp_path, rng):
    path = tmp_path / "new" / "folder" / "weights"  # no suffix added, folders created
    model_files.save(LinearRegression(D, rng=rng), path)
    assert os.listdir(path.parent) == ["weights"]
    assert isinstance(model_files.load(path), LinearRegression)


# -- a model type the package does not know --------------------------------------------------


@pytest.fixture
def quadratic():
    """``y = a * (x - center) ** 2 + b``, registered for the test only."""

    class Quadratic:
        def __init__(self, center: float = 0.0) -> None:
            self.center = center
            self.params = {"a": np.ones(1), "b": np.zeros(1)}

        def config(self) -> dict[str, Any]:
            return {"center": self.center}

        @classmethod
        def from_params(cls, params: dict[str, np.ndarray], center: float = 0.0) -> Quadratic:
            if sorted(params) != ["a", "b"] or any(v.shape != (1,) for v in params.values()):
                raise ValueError(f"a Quadratic needs a and b of shape (1,), got {sorted(params)}")
            model = cls(center)
            model.params = {k: np.array(v) for k, v in params.items()}
            return model

        def predict(self, x: np.ndarray) -> np.ndarray:
            return self.params["a"] * (x - self.center) ** 2 + self.params["b"]

    assert "Quadratic" not in model_files.MODEL_TYPES
    assert model_files.register_model(Quadratic) is Quadratic
    yield Quadratic
    del model_files.MODEL_TYPES["Quadratic"]


def test_a_new_model_type_saves_and_loads_once_registered(tmp_path, quadratic):
    model = quadratic(center=1.5)
    model.params = {"a": np.array([2.0]), "b": np.array([-0.25])}
    model_files.save(model, tmp_path / "q.npz")
    back = model_files.load(tmp_path / "q.npz")
    assert type(back) is quadratic
    assert back.center == 1.5
    np.testing.assert_array_equal(back.predict(np.array([0.5, 1.5, 3.5])), [1.75, -0.25, 7.75])
    with np.load(tmp_path / "q.npz", allow_pickle=False) as npz:
        assert json.loads(str(npz["architecture"])) == {
            "model": "Quadratic",
            "config": {"center": 1.5},
        }
    # its own check, reported as the file's problem
    write_zip(
        tmp_path / "bad.npz",
        v2_entries({"a": np.ones(2), "b": np.ones(1)}, model="Quadratic", config={}),
    )
    with pytest.raises(ValueError, match=r"^model file ") as err:
        model_files.load(tmp_path / "bad.npz")
    assert REBUILD.format("Quadratic") + "a Quadratic needs a and b" in str(err.value)


def test_an_unregistered_type_is_unknown_to_load(tmp_path):
    write_zip(tmp_path / "q.npz", v2_entries({"a": np.ones(1)}, model="Quadratic", config={}))
    with pytest.raises(ValueError, match="unknown model 'Quadratic'"):
        model_files.load(tmp_path / "q.npz")


def test_register_model_needs_config_and_from_params():
    class NoConfig:
        @classmethod
        def from_params(cls, params: Any) -> NoConfig:
            return cls()

    class NoFromParams:
        def config(self) -> dict[str, Any]:
            return {}

    with pytest.raises(TypeError, match=r"NoConfig cannot be registered: it has no config\(\)"):
        model_files.register_model(NoConfig)
    with pytest.raises(TypeError, match=r"NoFromParams .* no from_params\(\)"):
        model_files.register_model(NoFromParams)
    assert "NoConfig" not in model_files.MODEL_TYPES
    assert "NoFromParams" not in model_files.MODEL_TYPES


# -- a failed write leaves the previous file -------------------------------------------------


class FailingFile:
    """A file that takes ``limit`` bytes, then raises ``error`` (as a full disk would)."""

    def __init__(self, file: Any, limit: int, error: BaseException) -> None:
        self._file, self._left, self._error = file, limit, error

    def write(self, data: bytes) -> int:
        data = bytes(data)
        if len(data) > self._left:
            self._file.write(data[: self._left])
            self._left = 0
            raise self._error
        self._left -= len(data)
        return self._file.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def fail_after(monkeypatch: pytest.MonkeyPatch, limit: int, error: BaseException) -> None:
    real = model_files.atomic_write

    @contextlib.contextmanager
    def failing(path: Path) -> Any:
        with real(path) as file:
            yield FailingFile(file, limit, error)

    monkeypatch.setattr(model_files, "atomic_write", failing)


@pytest.fixture(scope="module")
def two_models():
    gen = np.random.default_rng(7)
    a = TwoLayerNet(D, H, "tanh", rng=gen)
    b = TwoLayerNet(D, H + 3, "relu", rng=gen)
    with tempfile.TemporaryDirectory() as tmp:
        model_files.save(b, Path(tmp) / "b.npz")
        size_b = (Path(tmp) / "b.npz").stat().st_size
    return a, b, size_b


def assert_still_a(folder: Path, a: TwoLayerNet) -> None:
    assert os.listdir(folder) == ["model.npz"], os.listdir(folder)  # no temporary file left
    back = model_files.load(folder / "model.npz")
    assert repr(back) == repr(a)
    assert_params_identical(back.params, a.params)


@settings(max_examples=25)
@given(fraction=st.floats(0.0, 1.0, exclude_max=True))
def test_a_write_failing_at_any_byte_leaves_the_previous_file(two_models, fraction):
    a, b, size_b = two_models
    limit = int(fraction * size_b)
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        folder = Path(tmp)
        model_files.save(a, folder / "model.npz")
        fail_after(monkeypatch, limit, OSError(errno.ENOSPC, "No space left on device"))
        with pytest.raises(OSError, match="No space left on device") as err:
            model_files.save(b, folder / "model.npz")
        assert err.value.errno == errno.ENOSPC
        monkeypatch.undo()
        assert_still_a(folder, a)


@pytest.mark.parametrize("limit", [0, 100, 1000])
def test_an_interrupt_mid_write_leaves_the_previous_file(tmp_path, monkeypatch, two_models, limit):
    a, b, size_b = two_models
    assert limit < size_b
    model_files.save(a, tmp_path / "model.npz")
    fail_after(monkeypatch, limit, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        model_files.save(b, tmp_path / "model.npz")
    monkeypatch.undo()
    assert_still_a(tmp_path, a)


def test_a_failed_rename_leaves_the_previous_file(tmp_path, monkeypatch, two_models):
    a, b, _ = two_models
    model_files.save(a, tmp_path / "model.npz")

    def refuse(src: Any, dst: Any) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(_files.os, "replace", refuse)
    with pytest.raises(OSError, match="cross-device"):
        model_files.save(b, tmp_path / "model.npz")
    monkeypatch.undo()
    assert_still_a(tmp_path, a)


def test_a_write_without_a_failure_replaces_the_file(tmp_path, two_models):
    a, b, _ = two_models
    model_files.save(a, tmp_path / "model.npz")
    model_files.save(b, tmp_path / "model.npz")
    assert os.listdir(tmp_path) == ["model.npz"]
    assert_params_identical(model_files.load(tmp_path / "model.npz").params, b.params)


FSIZE_SCRIPT = textwrap.dedent(
    """
    import errno, resource, sys
    from pathlib import Path
    from dlhomework import model_files
    from dlhomework.models import TwoLayerNet

    path, limit = Path(sys.argv[1]), int(sys.argv[2])
    b = TwoLayerNet(5, 10, "relu", rng=1)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        model_files.save(b, path)
    except OSError as err:
        print("OSError", errno.errorcode.get(err.errno))
    else:
        print("saved")
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_a_file_size_limit_mid_write_leaves_the_previous_file(tmp_path, two_models, fraction):
    a, _, size_b = two_models  # the subprocess's model has the same size as b
    model_files.save(a, tmp_path / "model.npz")
    limit = int(fraction * size_b)
    result = subprocess.run(
        [sys.executable, "-c", FSIZE_SCRIPT, str(tmp_path / "model.npz"), str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OSError EFBIG", (result.stdout, result.stderr)
    assert_still_a(tmp_path, a)
