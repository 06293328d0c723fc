"""Lines of code of the homework 1-6 programs, counted from the package's own source.

:func:`count_code_lines` counts lines of code as statements (a statement wrapped over
several lines to fit the page counts once; no blank lines, comments or docstrings);
:data:`PROGRAMS` says which functions make up each of the four programs (linear and
two-layer, NumPy and Paddle), and :func:`program_lines` counts them part by part for
the table of :func:`compare`.
"""

from __future__ import annotations

import ast
import inspect
import io
import textwrap
import tokenize
from dataclasses import dataclass
from typing import Any

from ..batching import batches
from ..layers import (
    activation_backward,
    activation_forward,
    affine_backward,
    affine_forward,
    mse_backward,
    mse_forward,
)
from ..models import LinearRegression, TwoLayerNet
from ..training import sgd_epoch
from .models import Regressor, TwoLayerRegressor, mse
from .training import _ArrayDataset, train_epoch

__all__ = ["PROGRAMS", "Program", "count_code_lines", "program_lines"]


def count_code_lines(*objects: Any) -> int:
    """Count the lines of code of functions or classes, read from their source.

    A line of code is a statement (a logical line): one wrapped over three lines to fit
    the page counts once, so the count does not depend on how the code is formatted.
    ``def``/``class`` headers and decorators count; blank lines, comments and docstrings
    do not.

    Parameters
    ----------
    *objects : function, class or method
        Anything ``inspect.getsource`` can read.

    Returns
    -------
    int
        The sum over ``objects``.

    Raises
    ------
    TypeError
        An object has no Python source (a built-in, an instance).

    Notes
    -----
    Used in homework 1-6 for the lines-of-code column of :func:`compare`.

    Examples
    --------
    >>> def f(x):
    ...     '''Docstring: not code.'''
    ...     # a comment: not code
    ...
    ...     return (x
    ...             + 1)
    >>> # the def line, and one statement on two lines
    >>> count_code_lines(f)
    2
    """
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    total = 0
    for obj in objects:
        try:
            source = textwrap.dedent(inspect.getsource(obj))
        except (TypeError, OSError) as err:
            raise TypeError(f"cannot read the source of {obj!r}: {err}") from None
        docstring_lines: set[int] = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                first = node.body[0]
                if (
                    isinstance(first, ast.Expr)
                    and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)
                ):
                    end = first.end_lineno or first.lineno
                    docstring_lines.update(range(first.lineno, end + 1))
        has_code = False
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NEWLINE:  # the end of a logical line
                total += has_code
                has_code = False
            elif tok.type not in skip and tok.start[0] not in docstring_lines:
                has_code = True
    return total


def _private_helpers(obj: Any, owner: type | None) -> list[Any]:
    """The private functions, classes and methods that ``obj``'s source refers to.

    A module-level name starting with ``_`` defined in ``obj``'s module (``train`` →
    ``_setup``), or ``self._name`` resolved on ``owner`` (``TwoLayerNet.forward`` →
    ``_forward``): code written for this program, not library code.
    """
    module = inspect.getmodule(obj)
    found: list[Any] = []
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(obj)))):
        helper: Any = None
        if isinstance(node, ast.Name) and node.id.startswith("_") and module is not None:
            helper = getattr(module, node.id, None)
            if inspect.getmodule(helper) is not module:
                helper = None
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and owner is not None
        ):
            helper = getattr(owner, node.attr, None)
        if inspect.isfunction(helper) or inspect.isclass(helper):
            found.append(helper)
    return found


@dataclass(frozen=True)
class Program:
    """The source of one homework 1-6 program, in three parts (see :data:`PROGRAMS`).

    Attributes
    ----------
    owner : type
        The model class; ``self._helper`` calls are resolved on it.
    model : tuple
        Building the parameters, the forward pass and the loss.
    gradients : tuple
        The backward pass written by hand; empty for Paddle (autograd).
    training : tuple
        The training loop and its batching.

    Examples
    --------
    Paddle's linear program: its model part is the constructor, the
    forward pass and the loss; autograd leaves no gradient code.

    >>> prog = PROGRAMS[("linear", "paddle")]
    >>> prog.owner.__name__, [f.__name__ for f in prog.model]
    ('Regressor', ['__init__', 'forward', 'mse'])
    >>> prog.gradients
    ()
    """

    owner: type
    model: tuple[Any, ...]
    gradients: tuple[Any, ...]
    training: tuple[Any, ...]

    def parts(self) -> dict[str, list[Any]]:
        """Every part with the private helpers it uses, each helper counted once.

        Helpers are followed transitively and assigned to the first part that reaches
        them (validation shared by ``predict`` and ``gradients`` counts in ``"model"``).

        Returns
        -------
        dict of str to list
            ``{"model": [...], "gradients": [...], "training": [...]}``.

        Examples
        --------
        >>> names = Program(Regressor, (Regressor.forward,), (), ()).parts()
        >>> [f.__name__ for f in names["model"]], names["gradients"]
        (['forward'], [])
        """
        seen: list[Any] = []
        result: dict[str, list[Any]] = {}
        for name, roots in (
            ("model", self.model),
            ("gradients", self.gradients),
            ("training", self.training),
        ):
            todo, part = list(roots), []
            while todo:
                obj = todo.pop(0)
                if any(obj is other for other in seen):
                    continue
                seen.append(obj)
                part.append(obj)
                todo.extend(_private_helpers(obj, self.owner))
            result[name] = part
        return result


PROGRAMS: dict[tuple[str, str], Program] = {
    ("linear", "numpy"): Program(
        owner=LinearRegression,
        model=(LinearRegression.__init__, LinearRegression.forward, affine_forward, mse_forward),
        gradients=(LinearRegression.forward_backward, affine_backward, mse_backward),
        training=(sgd_epoch, batches),
    ),
    ("linear", "paddle"): Program(
        owner=Regressor,
        model=(Regressor.__init__, Regressor.forward, mse),
        gradients=(),
        training=(train_epoch, _ArrayDataset),
    ),
    ("two-layer", "numpy"): Program(
        owner=TwoLayerNet,
        model=(TwoLayerNet.__init__, TwoLayerNet.forward, activation_forward, mse_forward),
        gradients=(
            TwoLayerNet.backward,
            TwoLayerNet.forward_backward,
            affine_backward,
            activation_backward,
            mse_backward,
        ),
        training=(sgd_epoch, batches),
    ),
    ("two-layer", "paddle"): Program(
        owner=TwoLayerRegressor,
        model=(TwoLayerRegressor.__init__, TwoLayerRegressor.forward, mse),
        gradients=(),
        training=(train_epoch, _ArrayDataset),
    ),
}
"""What :func:`compare` counts as each (model, backend) program.

The parts a student writes: ``model``, building the parameters, the forward pass and
the loss; ``gradients``, the backward pass written by hand (none in Paddle: autograd);
``training``, one epoch of the training loop with its batching (NumPy
:func:`~dlhomework.training.sgd_epoch` and :func:`~dlhomework.batching.batches`;
Paddle :func:`train_epoch` and the dataset it batches).  Each part includes the private
helpers it calls (:meth:`Program.parts`).  Input checks are not counted: ``sgd`` and
``train`` do them once, before these loops.  Library code (NumPy itself, Paddle's
``DataLoader``, ``SGD``, autograd) is not counted.
"""


def program_lines(model: str, backend: str) -> dict[str, int]:
    """Lines of code of one program of homework 1-6, part by part.

    Parameters
    ----------
    model : {"linear", "two-layer"}
    backend : {"numpy", "paddle"}

    Returns
    -------
    dict of str to int
        ``{"model": ..., "gradients": ..., "training": ...}``, counted with
        :func:`count_code_lines` over :meth:`Program.parts` of :data:`PROGRAMS`.

    Raises
    ------
    ValueError
        Unknown ``model`` or ``backend``.

    Notes
    -----
    Used in homework 1-6.

    Examples
    --------
    >>> program_lines("linear", "paddle")["gradients"]
    0
    >>> program_lines("linear", "numpy")["gradients"] > 0
    True
    """
    try:
        program = PROGRAMS[(model, backend)]
    except KeyError:
        raise ValueError(
            "model must be 'linear' or 'two-layer' and backend 'numpy' or 'paddle', "
            f"got model={model!r}, backend={backend!r}"
        ) from None
    return {part: count_code_lines(*objs) for part, objs in program.parts().items()}
