"""Refusing a file that would not fit in memory, before reading it.

Reading a text costs several times its size while it is parsed (one object per paragraph,
the blocks, the canonical text); a file too large for the free memory would make the
computer swap until it is unusable, or get the reader killed. So the loader compares what
the file will need with what is free, and refuses with a sentence instead.

``PEAK_PER_BYTE`` is the worst case measured by ``tests/benchmarks/bench_memory.py`` (text
of very short paragraphs: about 10 times its size at the peak), with a margin.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from reader.errors import DocumentError

PEAK_PER_BYTE = 12
_MB = 1_000_000


def available_bytes() -> int | None:
    """Memory that can be used without swapping: the kernel's MemAvailable, lowered by a
    cgroup (container) limit; None where neither is known."""
    found: list[int] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError):
        pass
    limit = _cgroup_room()
    if limit is not None:
        found.append(limit)
    if not found and hasattr(os, "sysconf"):
        with contextlib.suppress(OSError, ValueError):
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return min(found) if found else None


def _cgroup_room() -> int | None:
    base = Path("/sys/fs/cgroup")
    try:
        limit = (base / "memory.max").read_text().strip()
        used = int((base / "memory.current").read_text().strip())
    except (OSError, ValueError):
        return None
    if limit == "max":
        return None
    try:
        return max(0, int(limit) - used)
    except ValueError:
        return None


def check_fits(name: str, size: int) -> None:
    """Raise ``DocumentError`` when a file of ``size`` bytes would not fit in free memory."""
    needed = size * PEAK_PER_BYTE
    free = available_bytes()
    if free is None or needed <= free:
        return
    raise DocumentError(
        f"“{name}” is {_megabytes(size)}; reading it needs about {_megabytes(needed)} of "
        f"memory and only {_megabytes(free)} are free, so reader did not open it (it would "
        "have made the computer swap). Close other programs, or split the file into parts."
    )


def _megabytes(count: int) -> str:
    if count >= 10_000 * _MB:
        return f"{count / 1_000 / _MB:.0f} GB"
    if count >= 1_000 * _MB:
        return f"{count / 1_000 / _MB:.1f} GB"
    return f"{max(1, round(count / _MB))} MB"
