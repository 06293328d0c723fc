"""Model files: a model's weights and architecture in one ``.npz`` archive, never unpickled.

One format for both backends.  The archive holds plain arrays only:

* ``format`` — the tag ``"dlhomework.model"``; ``version`` — :data:`VERSION`;
* ``architecture`` — JSON text: the model type's registered name and its
  non-size settings, e.g. ``{"model": "TwoLayerNet", "config": {"activation": "tanh"}}``;
* ``params/<name>`` — one array per parameter (float64, or float32 when saved from a
  float32 Paddle layer).  The sizes are read back from these shapes.

Reading parses each array's header first and refuses anything but plain numeric
arrays that fit in the file, so a file from someone else can neither run code
(nothing is unpickled: ``paddle.load`` and ``pickle`` are never called on it) nor make
the reader allocate more memory than the file holds.  Writing is atomic: a temporary
file beside the target, renamed into place once complete.

Model types register themselves with :func:`register_model`; a new type needs no
edit here.  Used by homework 1-6 and by ``dlhomework train --save`` / ``predict``.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from ._files import as_path, atomic_write

__all__ = [
    "FORMAT",
    "MODEL_TYPES",
    "VERSION",
    "ModelFile",
    "Saveable",
    "build",
    "load",
    "read",
    "register_model",
    "save",
    "write",
]

FORMAT = "dlhomework.model"
"""The format tag stored in every model file."""
VERSION = 2
"""The version written; :func:`read` also reads version 1: the NumPy models' ``.npz`` files
(tagged ``"dlhomework.models"``) of an earlier version of dlhomework."""

_MAX_ENTRIES = 64
_PARAM_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_PICKLE_HINT = (
    "it looks like a pickle (as written by paddle.save, which an earlier version of "
    "dlhomework used for Paddle models); dlhomework never unpickles a model file, "
    "because unpickling can run any code. If you wrote it yourself, load it with "
    "paddle.load in your own code and save it again with dlhomework.paddle_port.save"
)


class Saveable(Protocol):
    """What a model needs to be saved: ``params`` and its non-size settings.

    Examples
    --------
    :class:`~dlhomework.models.TwoLayerNet` is a ``Saveable``:

    >>> from dlhomework.models import TwoLayerNet
    >>> model: Saveable = TwoLayerNet(2, 3, activation="tanh", rng=0)
    >>> model.config(), sorted(model.params)
    ({'activation': 'tanh'}, ['W1', 'W2', 'b1', 'b2'])
    """

    params: dict[str, NDArray[np.float64]]

    def config(self) -> dict[str, Any]:
        """JSON-compatible keyword arguments of ``from_params`` besides the parameters.

        Examples
        --------
        Shown on the models: a linear model has no settings, a network
        its activation.

        >>> from dlhomework.models import LinearRegression, TwoLayerNet
        >>> LinearRegression(rng=0).config()
        {}
        >>> TwoLayerNet(activation="relu", rng=0).config()
        {'activation': 'relu'}
        """
        ...


ModelT = TypeVar("ModelT", bound=type)

MODEL_TYPES: dict[str, Any] = {}
"""Registered model types by name; :func:`load` rebuilds only these (no import by name)."""


@overload
def register_model(cls: ModelT, *, short_name: str | None = None) -> ModelT: ...
@overload
def register_model(*, short_name: str | None = None) -> Callable[[ModelT], ModelT]: ...
def register_model(cls: Any = None, *, short_name: str | None = None) -> Any:
    """Class decorator: let :func:`save` and :func:`load` handle ``cls``.

    ``cls`` needs ``params``, ``config()`` and a classmethod
    ``from_params(params, **config)`` that checks the arrays and builds a model.
    ``short_name`` (default: the class name) becomes ``cls.short_name``, the name
    ``dlhomework train --model`` knows it by.

    Raises
    ------
    TypeError
        ``cls`` lacks ``config`` or ``from_params``, or another registered type has
        the same ``short_name``.

    Examples
    --------
    >>> cls = MODEL_TYPES["LinearRegression"]
    >>> cls.__name__, cls.short_name
    ('LinearRegression', 'linear')
    """
    if cls is None:
        return lambda cls: register_model(cls, short_name=short_name)
    for method in ("config", "from_params"):
        if not callable(getattr(cls, method, None)):
            raise TypeError(f"{cls.__name__} cannot be registered: it has no {method}()")
    name = short_name or cls.__name__
    for other in MODEL_TYPES.values():
        if other.__name__ != cls.__name__ and other.short_name == name:
            raise TypeError(f"{cls.__name__} cannot be registered: {other.__name__} is {name!r}")
    cls.short_name = name
    MODEL_TYPES[cls.__name__] = cls
    return cls


@dataclass(frozen=True)
class ModelFile:
    """What a model file holds.

    Attributes
    ----------
    model : str
        Registered name of the model type (a key of :data:`MODEL_TYPES`).
    config : dict
        Keyword arguments for its ``from_params``.
    params : dict of str to ndarray
        The parameters as stored (float32 or float64).

    Examples
    --------
    A linear model ``2 x + 1`` described field by field:

    >>> params = {"W": np.array([[2.0]]), "b": np.array([1.0])}
    >>> found = ModelFile("LinearRegression", {}, params)
    >>> found.model, build(found, "here").predict([[3.0]]).tolist()
    ('LinearRegression', [[7.0]])
    """

    model: str
    config: dict[str, Any]
    params: dict[str, NDArray[np.floating[Any]]]


def _name_of(model: object) -> str:
    name = type(model).__name__
    if MODEL_TYPES.get(name) is not type(model):
        raise TypeError(
            f"model must be a registered model type ({', '.join(sorted(MODEL_TYPES))}), got {name}"
        )
    return name


def write(
    path: str | os.PathLike[str],
    model: str,
    config: Mapping[str, Any],
    params: Mapping[str, NDArray[np.floating[Any]]],
) -> None:
    """Write a model file atomically (the low-level half of :func:`save`).

    Parameters
    ----------
    path : str or os.PathLike
        File to write, exactly this name; missing folders are created.
    model : str
        Registered model name.
    config : mapping
        JSON-compatible settings.
    params : mapping of str to ndarray
        float32 or float64 arrays, all finite.

    Raises
    ------
    TypeError, ValueError
        A name, setting or array the format cannot hold (checked before anything is written).
    OSError
        The file cannot be written; an existing file at ``path`` is left untouched.

    Examples
    --------
    >>> import tempfile
    >>> params = {"W": np.ones((2, 1)), "b": np.zeros(1)}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write(Path(tmp) / "m.npz", "LinearRegression", {}, params)
    ...     read(Path(tmp) / "m.npz").params["W"].shape
    (2, 1)
    """
    target = as_path(path, "path")
    try:
        architecture = json.dumps({"model": model, "config": dict(config)}, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ValueError(f"config must be JSON-compatible, got {config!r} ({err})") from None
    arrays: dict[str, Any] = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "architecture": np.array(architecture),
    }
    for name, value in params.items():
        arr = np.asarray(value)
        if not name.isidentifier():
            raise ValueError(f"parameter names must be identifiers, got {name!r}")
        if arr.dtype not in _PARAM_DTYPES:
            raise TypeError(f"parameter {name!r} must be float32 or float64, got {arr.dtype}")
        if not np.isfinite(arr).all():
            raise ValueError(f"parameter {name!r} holds NaN or inf: refusing to save it")
        arrays[f"params/{name}"] = arr
    with atomic_write(target) as file:
        np.savez(file, **arrays)


def save(model: Saveable, path: str | os.PathLike[str]) -> None:
    """Save a NumPy model (weights and architecture) to ``path``, atomically.

    Parameters
    ----------
    model : a registered model type
        E.g. :class:`~dlhomework.models.LinearRegression` or
        :class:`~dlhomework.models.TwoLayerNet`; it is not modified.
    path : str or os.PathLike
        File to write, exactly this name (``.npz`` by convention, not appended).

    Raises
    ------
    TypeError
        ``model`` is not of a registered type.
    ValueError
        Its parameters do not fit it, or hold NaN/inf (such a file could not be loaded).
    OSError
        The file cannot be written; a previous file at ``path`` stays intact.

    See Also
    --------
    load : the way back.

    Notes
    -----
    Used by ``dlhomework train --save`` and in homework 1-6.

    Examples
    --------
    >>> import tempfile
    >>> from dlhomework.models import TwoLayerNet
    >>> net = TwoLayerNet(n_features=5, n_hidden=7,
    ...                   activation="tanh", rng=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(net, Path(tmp) / "net.npz")
    ...     back = load(Path(tmp) / "net.npz")
    >>> back
    TwoLayerNet(n_features=5, n_hidden=7, activation='tanh')
    >>> p, q = net.params, back.params
    >>> all(np.array_equal(p[k], q[k]) for k in p)
    True
    """
    name = _name_of(model)
    check = getattr(model, "check_params", None)
    if callable(check):
        check()
    write(path, name, model.config(), model.params)


def _fail(where: str, why: str) -> ValueError:
    return ValueError(f"{where} is not a dlhomework model file: {why}")


def _entries(source: Path, where: str) -> dict[str, NDArray[Any]]:
    """Every array of the archive, after checking each header against the file's size."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as err:
        raise _fail(where, f"a damaged archive ({err})") from None
    arrays: dict[str, NDArray[Any]] = {}
    on_disk = source.stat().st_size
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_ENTRIES:
            raise _fail(where, f"{len(infos)} entries (a model file has a handful)")
        for info in infos:
            key = info.filename.removesuffix(".npy")
            if key == info.filename or info.is_dir():
                raise _fail(where, f"the entry {info.filename!r} is not an array")
            if info.compress_type != zipfile.ZIP_STORED:
                raise _fail(where, f"the entry {info.filename!r} is compressed")
            try:
                with archive.open(info) as entry:
                    version = np.lib.format.read_magic(entry)
                    shape, _, dtype = (
                        np.lib.format.read_array_header_1_0(entry)
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0(entry)
                    )
                    if dtype.hasobject or dtype.kind not in "iufU":
                        raise _fail(where, f"the entry {key!r} holds {dtype} data")
                    count = int(np.prod(shape, dtype=object))
                    # the zip's own size fields can lie too: trust only bytes that exist
                    holds = min(info.file_size, info.compress_size, on_disk)
                    if count * dtype.itemsize > holds or any(d > 2**62 for d in shape):
                        raise _fail(where, f"the entry {key!r} claims more data than it holds")
                with archive.open(info) as entry:
                    arrays[key] = np.lib.format.read_array(entry, allow_pickle=False)
            except ValueError as err:
                if str(err).startswith(where):
                    raise
                raise _fail(where, f"the entry {key!r} cannot be read ({err})") from None
            except (OSError, EOFError, OverflowError, zipfile.BadZipFile) as err:
                raise _fail(where, f"the entry {key!r} cannot be read ({err})") from None
    return arrays


def _text(arrays: Mapping[str, NDArray[Any]], key: str, where: str) -> str:
    value = arrays.get(key)
    if value is None or value.shape != () or value.dtype.kind != "U":
        raise _fail(where, f"{key!r} must be a string")
    return str(value)


def _version_1(arrays: dict[str, NDArray[Any]], where: str) -> ModelFile:
    """A NumPy model written by an earlier version of dlhomework (``format`` =
    ``"dlhomework.models"``)."""
    kind = _text(arrays, "model", where)
    model = {"linear": "LinearRegression", "two-layer": "TwoLayerNet"}.get(kind)
    if model is None:
        raise _fail(where, f"unknown model {kind!r}")
    config = {"activation": _text(arrays, "activation", where)} if kind == "two-layer" else {}
    meta = {"format", "version", "model", "activation"}
    params = {k: v for k, v in arrays.items() if k not in meta}
    return ModelFile(model, config, params)


def read(path: str | os.PathLike[str]) -> ModelFile:
    """Read a model file's architecture and arrays, checking everything, running nothing.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    ModelFile

    Raises
    ------
    TypeError
        ``path`` is not a str or path.
    FileNotFoundError
        No file at ``path``.
    ValueError
        Anything else: a directory, not an ``.npz`` archive (a pickle is named as
        such), a foreign or damaged archive, another format version, malformed
        architecture, parameters that are not finite float32/float64 arrays.  The
        message names the file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "notes.txt").write_text("not a model")
    ...     read(Path(tmp) / "notes.txt")
    Traceback (most recent call last):
    ...
    ValueError: model file '...notes.txt' is not ...: not an .npz archive
    """
    source = as_path(path, "path")
    where = f"model file {str(source)!r}"
    if not source.exists():
        raise FileNotFoundError(f"{where} does not exist")
    if not source.is_file():
        raise ValueError(f"{where} is not a file")
    try:
        with source.open("rb") as file:
            head = file.read(2)
        is_zip = zipfile.is_zipfile(source)
    except OSError as err:
        raise ValueError(f"{where} cannot be read ({err.strerror or err})") from None
    if not is_zip:
        why = _PICKLE_HINT if head[:1] == b"\x80" else "not an .npz archive"
        raise _fail(where, why)
    arrays = _entries(source, where)
    tag = _text(arrays, "format", where) if "format" in arrays else None
    if tag not in (FORMAT, "dlhomework.models"):
        raise _fail(where, f"no {FORMAT!r} format tag")
    version = arrays.get("version")
    if version is None or version.shape != () or version.dtype.kind not in "iu":
        raise _fail(where, "'version' must be an integer")
    wanted = VERSION if tag == FORMAT else 1
    if int(version) != wanted:
        raise ValueError(
            f"{where} has format version {int(version)}; this dlhomework reads version {wanted}"
        )
    if tag == "dlhomework.models":
        found = _version_1(arrays, where)
    else:
        try:
            arch = json.loads(_text(arrays, "architecture", where))
        except json.JSONDecodeError as err:
            raise _fail(where, f"'architecture' is not JSON ({err})") from None
        if (
            not isinstance(arch, dict)
            or set(arch) != {"model", "config"}
            or not isinstance(arch["model"], str)
            or not isinstance(arch["config"], dict)
        ):
            raise _fail(where, f"malformed architecture {arch!r}")
        extra = sorted(k for k in arrays if k not in {"format", "version", "architecture"})
        if any(not k.startswith("params/") for k in extra):
            raise _fail(where, f"unexpected entries {extra}")
        params = {k.removeprefix("params/"): arrays[k] for k in extra}
        found = ModelFile(arch["model"], arch["config"], params)
    if not found.params:
        raise _fail(where, "it holds no parameters")
    for name, value in found.params.items():
        if value.dtype not in _PARAM_DTYPES or not np.isfinite(value).all():
            raise ValueError(f"{where}: parameter {name!r} must hold finite floats")
    return found


def load(path: str | os.PathLike[str]) -> Any:
    """Load a model saved by :func:`save` (or by ``dlhomework.paddle_port.save``) as a NumPy model.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    model
        Of the saved registered type, with float64 copies of the saved parameters.

    Raises
    ------
    FileNotFoundError, TypeError, ValueError
        As :func:`read`; ValueError also for an unknown model type or parameters
        that do not fit it.

    See Also
    --------
    save

    Notes
    -----
    Used by ``dlhomework predict --model-file`` and in homework 1-6.

    Examples
    --------
    >>> import tempfile
    >>> from dlhomework.models import LinearRegression
    >>> model = LinearRegression.from_params({"W": [[2.0]], "b": [1.0]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(model, Path(tmp) / "m.npz")
    ...     back = load(Path(tmp) / "m.npz")
    >>> back, back.predict([[3.0]]).tolist()  # 2 * 3 + 1
    (LinearRegression(n_features=1), [[7.0]])
    """
    found = read(path)
    return build(found, f"model file {str(as_path(path, 'path'))!r}")


def build(found: ModelFile, where: str) -> Any:
    """The NumPy model a :class:`ModelFile` describes (float64 parameters).

    Raises
    ------
    ValueError
        Unknown model type, bad settings, or parameters that do not fit (``where``
        starts the message).

    Examples
    --------
    >>> params = {"W": np.ones((3, 1)), "b": np.zeros(1)}
    >>> build(ModelFile("LinearRegression", {}, params), "here")
    LinearRegression(n_features=3)
    """
    from . import models  # noqa: F401  (registers the package's own model types)

    cls = MODEL_TYPES.get(found.model)
    if cls is None:
        raise ValueError(
            f"{where}: unknown model {found.model!r} (known: {', '.join(sorted(MODEL_TYPES))})"
        )
    from_params: Callable[..., Any] = cls.from_params
    params = {k: v.astype(np.float64) for k, v in found.params.items()}
    try:
        return from_params(params, **found.config)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{where}: cannot rebuild the {found.model}: {err}") from None
