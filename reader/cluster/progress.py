"""Files per second, done of total, failures and the time left, for the terminal and JSON.

The rate is measured over the last ``WINDOW`` seconds, not since the start: a cluster
warms up (workers load the model) and workers come and go, and the time left should
follow what the cluster does now.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

WINDOW = 30.0  # seconds of recent progress the rate is measured over


class ProgressMeter:
    def __init__(
        self, total: int, done_before: int = 0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``total`` files in the run, ``done_before`` of them done by an earlier attempt."""
        self.total = total
        self.done = done_before
        self.done_before = done_before
        self.failed = 0
        self.clock = clock
        self.started = clock()
        self._marks: deque[tuple[float, int]] = deque([(self.started, done_before)])

    def add(self, done: int, failed: int = 0) -> None:
        self.done += done
        self.failed += failed
        now = self.clock()
        self._marks.append((now, self.done))
        while len(self._marks) > 2 and now - self._marks[1][0] > WINDOW:
            self._marks.popleft()

    @property
    def seconds(self) -> float:
        return self.clock() - self.started

    @property
    def rate(self) -> float:
        """Files per second over the recent window (0.0 until something is done)."""
        (first_time, first_done), (last_time, last_done) = self._marks[0], self._marks[-1]
        span = max(self.clock(), last_time) - first_time
        return (last_done - first_done) / span if span > 0 else 0.0

    @property
    def overall_rate(self) -> float:
        """Files per second since the start of this run, warm-up included."""
        span = self.seconds
        return (self.done - self.done_before) / span if span > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the recent rate; None before there is a rate to go by."""
        rate = self.rate
        if self.done >= self.total:
            return 0.0
        return (self.total - self.done) / rate if rate > 0 else None

    def snapshot(self) -> dict[str, Any]:
        eta = self.eta
        return {
            "done": self.done,
            "total": self.total,
            "failed": self.failed,
            "files_per_second": round(self.rate, 2),
            "eta_seconds": round(eta, 1) if eta is not None else None,
        }

    def line(self) -> str:
        """ "1,234 of 100,000 files, 45.1 files/s, 3 failed, about 36 min left"."""
        parts = [f"{self.done:,} of {self.total:,} files", f"{self.rate:.1f} files/s"]
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        eta = self.eta
        parts.append(f"about {duration(eta)} left" if eta is not None else "starting")
        return ", ".join(parts)


def duration(seconds: float) -> str:
    """ "40 s", "12 min", "3 h 05 min": precise enough for a time left."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
