"""A second ``reader FILE`` hands the file to the window already running on that library."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from reader.store import open_store
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "summit-in-geneva.md"


@pytest.mark.skipif(sys.platform == "win32", reason="local sockets are named pipes there")
def test_second_start_hands_the_file_over(tmp_path) -> None:
    env = dict(os.environ, READER_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen(
        [sys.executable, "-m", "reader"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        database = tmp_path / "home" / "data" / "library.sqlite3"
        deadline = time.monotonic() + 60
        while not database.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert database.exists(), first.stderr
        time.sleep(1.0)  # the window starts listening once it is built
        second = subprocess.run(
            [sys.executable, "-m", "reader", str(SAMPLE)],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        titles: list[str] = []
        deadline = time.monotonic() + 30
        while not titles and time.monotonic() < deadline:
            time.sleep(0.2)
            with open_store(database, read_only=True, check=False) as store:
                titles = [entry.title for entry in store.list_documents()]
        assert titles == ["Water talks in Geneva end with a promise and a deadline"]
        assert first.poll() is None  # the first window is still there
    finally:
        first.kill()
        first.wait(timeout=10)
        if first.stderr is not None:
            first.stderr.close()
