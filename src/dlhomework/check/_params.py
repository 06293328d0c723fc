"""Finding a student's parameters, methods and gradients, whatever they called them.

The course's network keeps ``self.w`` and ``self.b``; the book's keeps ``params["W"]``;
a student may write ``self.W1``, ``self.weights1`` or ``self.params["w1"]``.  A
parameter is found under any of its aliases (case and underscores ignored), as an
attribute or as an entry of a dict attribute, and wrapped in a :class:`Slot`.

A check never changes the student's arrays: it *installs* fresh arrays of its own
choosing in every place where a parameter lives, nudges those, and puts the
student's original objects back in :meth:`Slot.restore`.
"""

from __future__ import annotations

import contextlib
import numbers
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._calls import Bad, as_float_array, shown

__all__ = [
    "LINEAR",
    "TWO_LAYER",
    "Slot",
    "find_method",
    "find_params",
    "grads_by_name",
    "installed",
    "normalized",
    "probe_size",
    "stored_grads",
]

LINEAR: dict[str, tuple[str, ...]] = {
    "w": ("w", "weight", "weights"),
    "b": ("b", "bias", "biases"),
}
"""The linear model's parameters and their aliases (normalized: lower case, no ``_``)."""

TWO_LAYER: dict[str, tuple[str, ...]] = {
    "W1": ("w1", "weight1", "weights1", "fc1w", "fc1weight"),
    "b1": ("b1", "bias1", "biases1", "fc1b", "fc1bias"),
    "W2": ("w2", "weight2", "weights2", "fc2w", "fc2weight"),
    "b2": ("b2", "bias2", "biases2", "fc2b", "fc2bias"),
}
"""The two-layer network's parameters and their aliases."""

_GRAD_AFFIXES = ("gradients", "gradient", "grads", "grad", "d")


def normalized(name: object) -> str:
    """``"Weights_1"`` → ``"weights1"``: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def _match(key: object, aliases: Mapping[str, tuple[str, ...]]) -> str | None:
    norm = normalized(key)
    for name, names in aliases.items():
        if norm in names:
            return name
    return None


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


@dataclass
class Slot:
    """Every place where one parameter lives: ``(container, key, kind, original)``.

    ``kind`` is ``"attr"`` (an instance attribute), ``"class"`` (a class attribute,
    shadowed by an instance attribute while the check runs) or ``"item"`` (an entry of
    the dict ``container``, itself the attribute ``parents[container]`` of the network).
    """

    name: str
    label: str
    """How the student wrote it (the first place found), e.g. ``net.w`` or ``net.params['W1']``."""
    places: list[tuple[Any, Any, str, Any]] = field(default_factory=list)
    installed: Any = None
    parents: dict[int, tuple[object, str]] = field(default_factory=dict)

    @property
    def original(self) -> Any:
        return self.places[0][3]

    @property
    def shape(self) -> tuple[int, ...]:
        value = self.original
        return tuple(value.shape) if isinstance(value, np.ndarray) else ()

    @property
    def dtype(self) -> np.dtype[Any]:
        value = self.original
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.itemsize <= 4:
            return np.dtype(np.float32)
        return np.dtype(np.float64)

    def _put(self, value: Any) -> None:
        for container, key, kind, _ in self.places:
            if kind == "item":
                owner, attr = self.parents[id(container)]
                setattr(owner, attr, container)  # the dict itself may have been replaced
                container[key] = value
            else:
                setattr(container, key, value)

    def install(self, value: NDArray[np.float64]) -> None:
        """Put a fresh array (a Python float for a scalar parameter) in every place."""
        if isinstance(self.original, np.ndarray) and self.original.ndim > 0:
            self.installed = np.array(value, dtype=self.dtype).reshape(self.shape)
        else:
            self.installed = float(np.asarray(value).reshape(()))
        self._put(self.installed)

    def current(self) -> NDArray[np.float64]:
        """The installed value, as a float64 array of the parameter's shape."""
        return np.array(self.installed, dtype=np.float64).reshape(self.shape)

    def nudge(self, index: tuple[int, ...], value: float) -> float:
        """Set one entry of the installed value; return the value actually stored."""
        if isinstance(self.installed, np.ndarray):
            self.installed[index] = value
            return float(self.installed[index])
        number = float(value)
        self.installed = number
        self._put(number)
        return number

    def moved(self) -> bool:
        """Whether some place no longer holds the installed value (it was replaced)."""
        for container, key, kind, _ in self.places:
            if kind == "item":
                owner, attr = self.parents[id(container)]
                if getattr(owner, attr, None) is not container:
                    return True
            now = container[key] if kind == "item" else getattr(container, key, None)
            if now is not self.installed and not (
                isinstance(self.installed, float) and now == self.installed
            ):
                return True
        return False

    def reinstate(self, value: NDArray[np.float64]) -> None:
        """Put the installed object back in every place, holding ``value`` again."""
        if isinstance(self.installed, np.ndarray):
            self.installed[...] = value.reshape(self.installed.shape)
        else:
            self.installed = float(value.reshape(()))
        self._put(self.installed)

    def restore(self) -> None:
        """Put the student's original objects back."""
        for container, key, kind, original in self.places:
            if kind == "item":
                owner, attr = self.parents[id(container)]
                setattr(owner, attr, container)
                container[key] = original
            elif kind == "class":
                with contextlib.suppress(AttributeError):
                    delattr(container, key)
            else:
                setattr(container, key, original)


def find_params(
    obj: object, aliases: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, Slot], list[str]]:
    """The parameters of ``obj`` found under ``aliases``, and the names not found.

    Looks at ``obj``'s instance attributes, the entries of every dict among them, and
    then its class attributes.

    Examples
    --------
    >>> class Net:
    ...     def __init__(self):
    ...         self.w = np.zeros((3, 1))
    ...         self.params = {"B": 0.0}
    >>> slots, missing = find_params(Net(), LINEAR)
    >>> {k: s.label for k, s in slots.items()}, missing
    ({'w': 'net.w', 'b': "net.params['B']"}, [])
    """
    slots: dict[str, Slot] = {}
    try:
        attributes = dict(vars(obj))
    except TypeError:
        attributes = {}
    for key, value in attributes.items():
        name = _match(key, aliases)
        if name is not None and _is_number(value):
            slot = slots.setdefault(name, Slot(name, f"net.{key}"))
            slot.places.append((obj, key, "attr", value))
        elif isinstance(value, dict):
            for inner, item in list(value.items()):
                name = _match(inner, aliases)
                if name is not None and _is_number(item):
                    slot = slots.setdefault(name, Slot(name, f"net.{key}[{inner!r}]"))
                    slot.places.append((value, inner, "item", item))
                    slot.parents[id(value)] = (obj, key)
    for cls in type(obj).__mro__[:-1]:
        for key, value in vars(cls).items():
            name = _match(key, aliases)
            if name is not None and name not in slots and _is_number(value):
                slots[name] = Slot(name, f"net.{key}", [(obj, key, "class", value)])
    missing = [name for name in aliases if name not in slots]
    return {name: slots[name] for name in aliases if name in slots}, missing


def find_method(obj: object, names: Sequence[str]) -> tuple[str, Callable[..., Any]] | None:
    """The first callable attribute of ``obj`` among ``names`` (case ignored)."""
    for wanted in names:
        value = getattr(obj, wanted, None)
        if callable(value):
            return wanted, value
    lowered = {normalized(n): n for n in names}
    for attr in dir(obj):
        if normalized(attr) in lowered and not attr.startswith("__"):
            value = getattr(obj, attr, None)
            if callable(value):
                return attr, value
    return None


def _grad_name(key: object, aliases: Mapping[str, tuple[str, ...]]) -> str | None:
    direct = _match(key, aliases)
    if direct is not None:
        return direct
    norm = normalized(key)
    for affix in _GRAD_AFFIXES:
        if norm.startswith(affix) and (name := _match(norm[len(affix) :], aliases)):
            return name
        if norm.endswith(affix) and (name := _match(norm[: -len(affix)], aliases)):
            return name
    return None


def stored_grads(obj: object, aliases: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Gradients a method stored on ``obj`` (``self.dW1``, ``self.grads["W1"]``) and did not return.

    Examples
    --------
    >>> class Net:
    ...     def __init__(self):
    ...         self.w, self.dw, self.db = 1.0, 2.0, 3.0
    >>> stored_grads(Net(), LINEAR)
    {'dw': 2.0, 'db': 3.0}
    """
    try:
        attributes = dict(vars(obj))
    except TypeError:
        return {}
    for key in ("grads", "gradients", "grad"):
        if isinstance(attributes.get(key), Mapping):
            return dict(attributes[key])
    return {
        k: v for k, v in attributes.items() if _match(k, aliases) is None and _grad_name(k, aliases)
    }


def grads_by_name(
    value: Any, aliases: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, NDArray[np.float64]], bool]:
    """The gradients a method returned, by parameter name, and whether they came by position.

    Accepts a dict (keys like ``dW1``, ``grad_w1``, ``W1``), a tuple/list in the order
    of ``aliases`` (optionally preceded by the loss), or a ``(loss, dict)`` pair.

    Raises
    ------
    Bad
        Anything else; the message says what was received.

    Examples
    --------
    >>> g, positional = grads_by_name({"dw": [[1.0]], "db": 2.0}, LINEAR)
    >>> {k: v.tolist() for k, v in g.items()}, positional
    ({'w': [[1.0]], 'b': 2.0}, False)
    """
    names = list(aliases)
    if isinstance(value, Mapping):
        found: dict[str, NDArray[np.float64]] = {}
        for key, item in value.items():
            name = _grad_name(key, aliases)
            if name is not None and name not in found:
                found[name] = as_float_array(item, f"梯度 {key!r}")
        lacking = [n for n in names if n not in found]
        if lacking:
            raise Bad(
                f"返回的梯度字典缺少 {', '.join(lacking)}（找到的键：{shown(list(value))}）；"
                f"键请用参数名，如 {', '.join('d' + n for n in names)}"
            )
        return found, False
    if isinstance(value, tuple | list):
        items = list(value)
        if len(items) == 2 and any(isinstance(i, Mapping) for i in items):
            return grads_by_name(next(i for i in items if isinstance(i, Mapping)), aliases)
        if len(items) == len(names) + 1 and np.ndim(items[0]) == 0:
            items = items[1:]  # (loss, grads...)
        if len(items) == len(names):
            return {
                n: as_float_array(i, f"第 {k + 1} 个梯度")
                for k, (n, i) in enumerate(zip(names, items, strict=True))
            }, True
    raise Bad(
        f"梯度方法应返回 {len(names)} 个梯度（按 {', '.join(names)} 顺序的元组，"
        f"或以参数名为键的字典），得到的是 {shown(value)}"
    )


@contextlib.contextmanager
def installed(
    slots: Mapping[str, Slot], values: Mapping[str, NDArray[np.float64]]
) -> Iterator[None]:
    """Install ``values`` in the slots for the duration of the block; restore the originals."""
    try:
        for name, slot in slots.items():
            slot.install(values[name])
        yield
    finally:
        for slot in slots.values():
            slot.restore()


def probe_size(*avoid: int, start: int = 6) -> int:
    """The smallest sample count ``>= start`` that differs from every size in ``avoid``.

    Distinct sizes keep a broadcasting mistake from hiding (N=6 against D=H=13).

    Examples
    --------
    >>> probe_size(6, 7)
    8
    """
    n = start
    while n in avoid:
        n += 1
    return n
