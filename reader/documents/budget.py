"""A time budget for reading one file, so that one pathological file cannot stall a
folder import of thousands.

Format readers are bounded by size limits first (see ``formats/html.py``); this is the
backstop for what no limit foresaw. It uses ``SIGALRM`` and so works in a process's main
thread on POSIX (the command line, and the import helper processes, whose work runs on
their main thread); elsewhere it is a no-op and the size limits alone apply.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from reader.errors import DocumentError

DEFAULT_SECONDS = 120.0


class TooSlow(DocumentError):
    """Reading a file took longer than its budget; the file was skipped."""


@contextlib.contextmanager
def time_budget(path: str, seconds: float | None = DEFAULT_SECONDS) -> Iterator[None]:
    """Raise ``TooSlow`` (a ``DocumentError`` naming the file) when the block runs longer
    than ``seconds``; None or 0 means no budget."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def expired(signum: int, frame: object) -> None:
        raise TooSlow(
            f"“{Path(path).name}” took longer than {seconds:g} seconds to read, so it was "
            "skipped; open it on its own, or split it into smaller files."
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
