"""Shared fixtures and the `paddle` marker (skipped where paddle is absent)."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest

try:  # not installed in the browser env, which has no property tests
    from hypothesis import settings
except ImportError:  # pragma: no cover
    pass
else:
    # Property tests: no per-example deadline (machines here are shared and noisy) and a
    # fixed example sequence, so a run on CI is reproducible from its log.
    settings.register_profile("dlhomework", deadline=None, derandomize=True)
    settings.load_profile("dlhomework")

HAS_PADDLE = importlib.util.find_spec("paddle") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HAS_PADDLE:
        return
    skip = pytest.mark.skip(reason='paddle is not installed (pip install "dlhomework[paddle]")')
    for item in items:
        if "paddle" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def paddle():
    """The paddle module, imported once, with its import-time ccache notice filtered."""
    if not HAS_PADDLE:
        pytest.skip("paddle is not installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No ccache found")
        import paddle as _paddle
    return _paddle


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261129)
