"""Saving and loading Paddle models in the model files of the NumPy ones (homework 1-6).

One format for both backends: the ``.npz`` archive of :mod:`dlhomework.model_files`
(plain arrays and a JSON architecture, written atomically, never unpickled).  A file
saved here loads as the NumPy model, and a NumPy model's file loads as a Paddle layer.
Neither ``paddle.save`` nor ``paddle.load`` is used: exchanging model files cannot run code.
"""

from __future__ import annotations

import os

import numpy as np

from .. import model_files
from .bridge import PADDLE_MODELS, check_layer, from_numpy
from .models import PaddleModel

__all__ = ["load", "save"]


def save(layer: PaddleModel, path: str | os.PathLike[str]) -> None:
    """Save a layer's weights *and* architecture, in the format of the NumPy models.

    The weights are stored in the layer's dtype, under the NumPy model's names, with
    the NumPy model's type and ``config()``: the file loads as a Paddle layer
    (:func:`load`) or as the NumPy model (:func:`dlhomework.model_files.load`).

    Parameters
    ----------
    layer : PaddleModel
        :class:`Regressor`, :class:`TwoLayerRegressor` or a registered class.
    path : str or os.PathLike
        File to write, exactly this name (``.npz`` by convention); missing folders
        are created.

    Raises
    ------
    TypeError
        ``layer`` is not a registered Paddle model.
    ValueError
        A weight holds NaN or inf.
    OSError
        The file cannot be written; a previous file at ``path`` stays intact.

    See Also
    --------
    load

    Notes
    -----
    Used in homework 1-6 and by ``dlhomework train --backend paddle --save``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from dlhomework.paddle_port import Regressor
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(Regressor(), Path(tmp) / "model.npz")
    ...     print(load(Path(tmp) / "model.npz").architecture()["model"])
    linear
    """
    name = check_layer(layer)
    weights = {key: w.numpy() for key, w in layer.named_weights().items()}
    model_files.write(path, name, layer.config(), weights)


def load(path: str | os.PathLike[str]) -> PaddleModel:
    """Load a layer saved by :func:`save` (or a NumPy model saved by ``model_files.save``).

    The file is read by :func:`dlhomework.model_files.read`, which never unpickles:
    ``paddle.load`` is not called, so a model file from someone else cannot run code.
    Files written by ``paddle.save`` (pickles) are refused with a message saying so.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    PaddleModel
        The registered Paddle counterpart of the saved model type, in evaluation mode,
        with the saved weights; float32 if every saved weight is float32, float64
        otherwise.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        Not such a model file (the message names the file and why), or a model type
        with no Paddle counterpart.

    See Also
    --------
    save

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from dlhomework.paddle_port import TwoLayerRegressor
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     net = TwoLayerRegressor(n_hidden=4, activation="tanh",
    ...                             dtype="float64")
    ...     save(net, Path(tmp) / "net.npz")
    ...     back = load(Path(tmp) / "net.npz")
    >>> back.architecture() == net.architecture()
    True
    >>> w_back, w = back.fc1.weight.numpy(), net.fc1.weight.numpy()
    >>> bool(np.array_equal(w_back, w))
    True
    """
    found = model_files.read(path)
    where = f"model file {os.fspath(path)!r}"
    model = model_files.build(found, where)
    if found.model not in PADDLE_MODELS:
        raise ValueError(f"{where}: a {found.model} has no Paddle counterpart")
    single = all(v.dtype == np.float32 for v in found.params.values())
    layer = from_numpy(model, dtype="float32" if single else "float64")
    layer.eval()
    return layer
