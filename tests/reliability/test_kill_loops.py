"""SIGKILL at random moments: what was acknowledged stays, the library is never corrupted.

Bounded in CI (a few kills each); ``--runslow`` runs hundreds.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from reader.store import open_store
from tests import processes
from tests.conftest import SAMPLES
from tests.reliability.conftest import run_reader, start_reader

SAMPLE = SAMPLES / "summit-in-geneva.md"


def assert_sound(home: Path) -> None:
    checked = run_reader(home, "check")
    assert checked.code == 0, checked.out + checked.err
    assert not [p for p in (home / "data").glob("*-damaged-*")], "a kill damaged the library"


def kill_after(process, seconds: float) -> None:
    time.sleep(seconds)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def test_killed_notes_add_loses_no_acknowledged_note(tmp_path, scale) -> None:
    home = tmp_path / "home"
    assert run_reader(home, "import", str(SAMPLE)).code == 0
    rng = random.Random(7)
    acknowledged: list[str] = []
    for number in range(scale(8, 150)):
        text = f"acknowledged note {number}"
        process = start_reader(home, "notes", "add", str(SAMPLE), "--document", "--text", text)
        time.sleep(rng.uniform(0.2, 1.6))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stdout is not None and process.stderr is not None
        out = process.stdout.read().decode()
        process.stdout.close()
        process.stderr.close()
        if process.returncode == 0 and "Added note" in out:
            acknowledged.append(text)
    listed = run_reader(home, "notes", "list")
    assert listed.code == 0
    for text in acknowledged:
        assert text in listed.out, f"acknowledged but lost: {text}"
    assert_sound(home)


def test_killed_imports_and_first_starts_never_corrupt(tmp_path, scale) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(40):
        (folder / f"a{number:02d}.md").write_text(
            f"# Report {number}\n\nThe delegation met in Geneva on day {number}.\n"
        )
    rng = random.Random(3)
    for round_number in range(scale(4, 60)):
        home = tmp_path / f"home-{round_number}"  # a first start each time
        process = start_reader(home, "import", "--analyse", str(folder))
        kill_after(process, rng.uniform(0.3, 6.0))
        if (home / "data" / "library.sqlite3").exists():
            assert_sound(home)
            again = run_reader(home, "import", str(folder))
            assert again.code == 0, again.err
            with open_store(home / "data" / "library.sqlite3", read_only=True) as store:
                assert len(store.list_documents()) == 40


@pytest.mark.skipif(not processes.SUPPORTED, reason="reads /proc")
def test_a_killed_window_leaves_no_process_and_a_sound_library(tmp_path, scale) -> None:
    home = tmp_path / "home"
    for round_number in range(scale(1, 10)):
        window = start_reader(home, str(SAMPLE))
        database = home / "data" / "library.sqlite3"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not processes.descendants(window.pid):
            time.sleep(0.1)  # the window's helpers (loader, resource tracker) start
        time.sleep(1.0 + round_number * 0.3)
        helpers = processes.descendants(window.pid)
        assert helpers, "the window started no helper process to watch"
        kill_after(window, 0)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and set(helpers) & set(processes.descendants()):
            processes.reap()
            time.sleep(0.1)
        assert not set(helpers) & set(processes.descendants()), helpers
        assert database.exists()
        assert_sound(home)
