"""Shared test set-up: offscreen Qt, and every path redirected into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("READER_HOME", None)
os.environ.pop("READER_CLUSTER", None)  # the tests choose where imports run

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def reader_home(tmp_path: Path):
    """Data, settings and logs of the code under test go to a fresh folder."""
    from reader import paths

    home = tmp_path / "reader-home"
    paths.set_home(home)
    yield home
    paths.set_home(None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
