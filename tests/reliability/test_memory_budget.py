"""Peak memory stays within 10x the text's size, plus the interpreter and the model.

The same measurement as ``tests/benchmarks/bench_memory.py``, as a pass/fail check: 2 MB of
very short paragraphs (the worst case) in CI, 50 MB with ``--runslow``.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.benchmarks.bench_memory import make_ruler, write_text
from tests.reliability.conftest import ROOT, reader_env

BUDGET = 10.0
pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="reads the peak with wait4")


def peak_mb(home, *args: str) -> float:
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        env=reader_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, args
    return usage.ru_maxrss / 1024


def test_importing_and_analysing_short_paragraphs_keeps_to_the_budget(tmp_path, scale) -> None:
    megabytes = scale(2, 50)
    big = tmp_path / "big.txt"
    write_text(big, megabytes, short=True)
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("Maria Keller went to Geneva.\n")
    ruler = str(make_ruler(tmp_path))
    size = big.stat().st_size / 1_000_000
    for args in (["text"], ["import"], ["import", "--analyse", "--model", ruler]):
        base = peak_mb(tmp_path / "base", *args, str(tiny))
        peak = peak_mb(tmp_path / f"home-{len(args)}", *args, str(big))
        ratio = (peak - base) / size
        assert ratio <= BUDGET, (
            f"{args[0]} took {peak - base:.0f} MB for {size:.0f} MB: {ratio:.1f}x"
        )
