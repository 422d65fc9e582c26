"""Shared helpers for the reliability tests: the real ``reader`` command, run as a user would.

CI runs this folder in a bounded form (a handful of kills, small files: about a minute);
``--runslow`` runs the full form (hundreds of kills, the 50 MB memory budget).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


def reader_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_HOME": str(home)}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_reader(home: Path, *args: str, stdin: str | None = None, timeout: float = 120) -> Result:
    """``reader ARGS`` in a fresh process, with its data under ``home``."""
    done = subprocess.run(
        [sys.executable, "-m", "reader", *args],
        env=reader_env(home),
        input=stdin.encode() if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
    )
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
    )


def start_reader(home: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        env=reader_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def one_sentence(result: Result) -> None:
    """The house rule for bad input: one line on stderr, a non-zero exit, no traceback."""
    assert result.code != 0, result
    assert "Traceback" not in result.err and "--- Logging error" not in result.err, result.err
    assert result.err.startswith("reader: ") and result.err.count("\n") == 1, result.err


@pytest.fixture
def scale(request: pytest.FixtureRequest):
    """``scale(quick, full)``: the bounded number in CI, the full one with --runslow."""
    full = request.config.getoption("--runslow")
    return lambda quick, thorough: thorough if full else quick


def can_mount() -> bool:
    """Root with ``unshare``: a private mount namespace holds small or read-only tmpfs
    mounts that vanish with the test (nothing is mounted on the machine itself)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("unshare") is not None
        and subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0
    )


def in_namespace(script: str, timeout: float = 180) -> Result:
    """Run a shell ``script`` in a private mount namespace (see ``can_mount``)."""
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-euc", script],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        cwd=ROOT,
    )
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
    )
