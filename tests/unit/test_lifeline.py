"""Helper processes end when the process that started them is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import processes

ROOT = Path(__file__).resolve().parents[2]

PARENT = r"""
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor
import reader.lifeline as lifeline

def only_the_watchdog():
    lifeline._parent_death_signal = lambda: None  # the portable path alone
    lifeline.bind_to_parent()

def idle():
    lifeline.bind_to_parent() if sys.argv[1] == "both" else only_the_watchdog()
    time.sleep(3600)

if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    init = lifeline.bind_to_parent if sys.argv[1] == "both" else only_the_watchdog
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=init)
    pool.submit(int).result()
    helper = context.Process(target=idle, daemon=True)
    helper.start()
    print("ready", flush=True)
    time.sleep(3600)
"""


@pytest.mark.skipif(not processes.SUPPORTED, reason="reads /proc")
@pytest.mark.parametrize("mode", ["both", "watchdog"])
def test_helpers_and_the_resource_tracker_die_with_a_killed_parent(tmp_path, mode) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, str(script), mode], stdout=subprocess.PIPE, env=env, cwd=tmp_path
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline() == b"ready\n"
        helpers = processes.descendants(parent.pid)
        kinds = " ".join(helpers.values())
        # the pool's worker, the plain helper, and multiprocessing's resource tracker
        assert len(helpers) == 3, helpers
        assert "resource_tracker" in kinds and "spawn_main" in kinds
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        parent.stdout.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 15
    alive = set(helpers)
    while alive and time.monotonic() < deadline:
        processes.reap()
        alive &= set(processes.descendants())
        time.sleep(0.1)
    assert not alive, {pid: helpers[pid] for pid in alive}


def test_binding_the_main_process_changes_nothing() -> None:
    from reader.lifeline import bind_to_parent

    bind_to_parent()  # the test process has no multiprocessing parent: a no-op
    assert os.getppid() > 0
