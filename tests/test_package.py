"""The package's own docstring names every public module, as the API page does."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import dlhomework

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_the_package_docstring_lists_every_public_module_once() -> None:
    public = sorted(
        info.name
        for info in pkgutil.iter_modules(dlhomework.__path__)
        if not info.name.startswith("_")
    )
    listed = re.findall(r"^- :mod:`dlhomework\.(\w+)` — \S", dlhomework.__doc__ or "", re.M)
    assert sorted(listed) == public and len(listed) == len(set(listed))
    on_the_api_page = re.findall(r"^## `dlhomework\.(\w+)`$", API_PAGE.read_text("utf-8"), re.M)
    assert set(public) <= set(on_the_api_page)
