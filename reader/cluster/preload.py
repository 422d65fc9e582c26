"""Loaded by each worker of a local cluster at start (Dask's ``preload``).

Ctrl+C on a terminal reaches every process of the foreground group: the workers of a
local cluster would each die with a traceback on the user's screen. The command (their
parent) handles Ctrl+C, writes what it has and stops them, so the workers ignore it.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


def dask_setup(worker: Any) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
