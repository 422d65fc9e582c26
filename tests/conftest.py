"""Shared test set-up: offscreen Qt, and every path redirected into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import processes

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


_WATCHING = processes.become_subreaper()


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """A test that leaves a process running fails: nothing outlives the app or a test.

    Processes of wider-scoped fixtures are started before this fixture takes its snapshot;
    the session's own multiprocessing resource tracker is allowed to live on.
    """
    if not _WATCHING:
        yield
        return
    before = set(processes.descendants())
    yield
    left = processes.leftovers(before)
    if left:
        processes.kill_all(left)
        listing = "; ".join(f"{pid}: {cmd}" for pid, cmd in left.items())
        pytest.fail(f"processes outlived the test (now killed): {listing}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Nothing but the resource tracker may outlive the whole session either."""
    if not _WATCHING:
        return
    left = processes.leftovers(set(), grace=5.0)
    if left:
        processes.kill_all(left)
        listing = "; ".join(f"{pid}: {cmd}" for pid, cmd in left.items())
        print(f"\nprocesses outlived the test session (now killed): {listing}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
