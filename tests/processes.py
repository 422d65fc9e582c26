"""Which processes the test session started, and which of them outlived their test.

The session makes itself a "child subreaper" (Linux): a helper orphaned by a test (say,
the loader of a reader window the test killed with SIGKILL) is re-parented to the test
process instead of to init, so it can still be seen, and counted as a leak.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")

SUPPORTED = sys.platform.startswith("linux") and PROC.is_dir()


def become_subreaper() -> bool:
    if not SUPPORTED:
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of ``pid``, or None when it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) S ppid ...": the command name may hold spaces and parentheses.
    fields = raw[raw.rfind(")") + 2 :].split()
    return fields[0], int(fields[1])


def descendants(root: int | None = None) -> dict[int, str]:
    """Living (not zombie) descendants of ``root``: pid -> command line."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    states: dict[int, str] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        found = _stat(int(entry.name))
        if found is not None:
            states[int(entry.name)] = found[0]
            children.setdefault(found[1], []).append(int(entry.name))
    result: dict[int, str] = {}
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        if states.get(pid) == "Z":
            continue
        result[pid] = command_line(pid)
    return result


def command_line(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()[:200]


def reap() -> None:
    """Collect the exit status of orphans handed to us, so that they do not stay zombies."""
    for pid, (state, ppid) in _zombie_children().items():
        del state, ppid
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def _zombie_children() -> dict[int, tuple[str, int]]:
    me = os.getpid()
    found = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == me and stat[0] == "Z":
                found[int(entry.name)] = stat
    return found


def session_tracker() -> int | None:
    """The pid of this session's own multiprocessing resource tracker, if it has one."""
    from multiprocessing import resource_tracker

    return getattr(resource_tracker._resource_tracker, "_pid", None)


def leftovers(before: set[int], grace: float = 5.0) -> dict[int, str]:
    """Processes started since ``before`` that are still alive after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while True:
        reap()
        tracker = session_tracker()
        alive = {
            pid: cmd for pid, cmd in descendants().items() if pid not in before and pid != tracker
        }
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def kill_all(pids: dict[int, str]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    reap()
