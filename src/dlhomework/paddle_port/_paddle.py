"""PaddlePaddle, imported once for the whole subpackage (private).

Every module of :mod:`dlhomework.paddle_port` takes ``paddle`` from here, so a missing
Paddle raises one ImportError that says how to install it, and Paddle's import-time
notice about a compiler cache it does not need here is filtered in one place.
"""

from __future__ import annotations

import warnings

try:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No ccache found", category=UserWarning)
        import paddle
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "dlhomework.paddle_port needs PaddlePaddle, which is not installed: "
        'pip install "dlhomework[paddle]"'
    ) from exc

__all__ = ["paddle"]
