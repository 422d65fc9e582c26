"""Helper processes die with the process that started them.

The window starts helper processes (the entity engines, the loader, the importers), and
multiprocessing starts its resource tracker beside them. When the window is killed
(``kill -9``, the out-of-memory killer, a crash in Qt), nothing runs its clean-up code, and
the helpers used to wait for work forever. Every helper calls ``bind_to_parent`` first:

- on Linux the kernel sends it SIGKILL when its parent dies (``PR_SET_PDEATHSIG``), even
  while it is busy in C code that never returns to Python;
- everywhere, a watchdog thread waits on multiprocessing's parent sentinel (a pipe that
  reads end-of-file when the parent is gone) and exits the process then.

The resource tracker needs no code of its own: it stops when every process holding its
pipe (the parent and the helpers) has gone, which is exactly what this arranges.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
from multiprocessing.connection import wait

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
_EXIT_ORPHANED = 70  # the status of a helper that outlived its parent (EX_SOFTWARE)


def bind_to_parent() -> None:
    """Make this (child) process end when its parent ends; a no-op in the main process.

    Safe to call more than once. The pool initialisers and the engine's main loop call it
    before doing anything else.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        _parent_death_signal()
    if _gone(parent.pid):  # the parent died before the signal was armed
        os._exit(_EXIT_ORPHANED)
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is not None:
        watchdog = threading.Thread(
            target=_watch, args=(sentinel,), name="reader-lifeline", daemon=True
        )
        watchdog.start()


def _parent_death_signal() -> None:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)``; harmless where libc has no prctl."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            log.debug("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())


def _gone(parent_pid: int | None) -> bool:
    """True when this process was already handed to init (or to a subreaper)."""
    return parent_pid is not None and hasattr(os, "getppid") and os.getppid() != parent_pid


def _watch(sentinel: int) -> None:
    """Block until the parent's sentinel is readable (the parent exited), then leave."""
    with contextlib.suppress(OSError, ValueError):
        wait([sentinel])
    os._exit(_EXIT_ORPHANED)
