"""The ``frozen`` marker: tests of the built app in dist/reader (see test_frozen.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "frozen: runs the PyInstaller build in dist/reader (skipped without one)"
    )
