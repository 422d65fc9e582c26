"""No network access, ever: every command and the window under a syscall trace.

``strace -f -e trace=connect`` records every ``connect()`` of the process and its
children; any to an internet address (AF_INET, AF_INET6) fails the test. Local sockets
(AF_UNIX: the single-instance socket, D-Bus) are allowed. Skipped where strace is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.reliability.conftest import ROOT, reader_env

STRACE = shutil.which("strace")
pytestmark = pytest.mark.skipif(
    STRACE is None or not sys.platform.startswith("linux"), reason="needs strace (Linux)"
)
SAMPLE = SAMPLES / "summit-in-geneva.md"
INET = re.compile(r"connect\(.*sa_family=AF_INET6?\b")


def traced(tmp_path: Path, home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run ``reader ARGS`` under strace; returns the inet connect() lines (none expected)."""
    return traced_program(tmp_path, home, ["-m", "reader", *args], env)


def traced_program(
    tmp_path: Path, home: Path, python_args: list[str], env: dict[str, str] | None = None
) -> str:
    trace = tmp_path / f"trace-{len(list(tmp_path.glob('trace-*')))}.txt"
    strace = [STRACE or "strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace)]
    done = subprocess.run(
        [*strace, sys.executable, *python_args],
        env={**reader_env(home), **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, (python_args, done.stderr.decode(errors="replace"))
    return "\n".join(line for line in trace.read_text().splitlines() if INET.search(line))


def test_the_trace_sees_an_inet_connect(tmp_path) -> None:
    """Guard: the test below passes because nothing connects, not because it saw nothing."""
    probe = "import socket; socket.socket().connect_ex(('127.0.0.1', 9))"
    assert "127.0.0.1" in traced_program(tmp_path, tmp_path / "home", ["-c", probe])


def test_every_command_and_the_window_stay_off_the_network(tmp_path) -> None:
    home = tmp_path / "home"
    notes = tmp_path / "notes.jsonld"
    copy = tmp_path / "copy.sqlite3"
    commands = [
        ["text", str(SAMPLE)],
        ["info", str(SAMPLE)],
        ["import", "--analyse", str(SAMPLE)],
        ["entities", str(SAMPLE)],
        ["library"],
        ["search", "Geneva"],
        ["mentions", "Guterres"],
        ["notes", "add", str(SAMPLE), "--quote", "Geneva", "--occurrence", "1", "--text", "n"],
        ["notes", "list"],
        ["notes", "export", "--format", "jsonld", "-o", str(notes)],
        ["notes", "import", str(notes)],
        ["print", str(SAMPLE), "--pdf", str(tmp_path / "copy.pdf")],
        ["export", str(SAMPLE), "--html", str(tmp_path / "copy.html")],
        ["backup", "-o", str(copy)],
        ["check"],
        ["restore", str(copy), "--yes"],
    ]
    found = {" ".join(args[:2]): traced(tmp_path, home, *args) for args in commands}
    # The window: opens the article, shows it, analyses it and quits by itself.
    window = {"READER_SMOKE_QUIT_AFTER_MS": "6000"}
    found["the window"] = traced(tmp_path, home, str(SAMPLE), env=window)
    assert {name: lines for name, lines in found.items() if lines} == {}
    assert os.path.getsize(tmp_path / "copy.pdf") > 10_000
