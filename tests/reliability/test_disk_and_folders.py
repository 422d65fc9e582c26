"""A full disk, a read-only folder, a folder where the library should be.

The full disk and the read-only folder are real: a small tmpfs mounted in a private mount
namespace (root with ``unshare``), which vanishes with the test; skipped elsewhere.
"""

from __future__ import annotations

import json
import shlex
import sys

import pytest

from tests.conftest import SAMPLES
from tests.reliability.conftest import can_mount, in_namespace, one_sentence, run_reader

SAMPLE = SAMPLES / "summit-in-geneva.md"
needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root and unshare")

# Runs inside the namespace: each command's exit status, stdout and stderr as JSON.
RUNNER = """
import json, subprocess, sys
home, commands = sys.argv[1], json.loads(sys.argv[2])
for args in commands:
    done = subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          env={**__import__("os").environ, "READER_HOME": home})
    print(json.dumps([args, done.returncode, done.stdout.decode(), done.stderr.decode()]))
"""


@pytest.fixture
def library_home(tmp_path):
    home = tmp_path / "home"
    assert run_reader(home, "import", str(SAMPLE)).code == 0
    assert run_reader(home, "notes", "add", str(SAMPLE), "--document", "--text", "kept").code == 0
    return home


def run_inside(tmp_path, library_home, setup: str, commands: list[list[str]]) -> dict:
    mount = tmp_path / "mnt"
    mount.mkdir()
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    home = mount / "home"
    script = f"""
        mount -t tmpfs -o size=2m tmpfs {mount}
        cp -r {shlex.quote(str(library_home))} {home}
        {setup.format(mount=mount)}
        {shlex.quote(sys.executable)} {runner} {home} {shlex.quote(json.dumps(commands))}
    """
    done = in_namespace(script)
    assert done.code == 0, done.err
    results = {}
    for line in done.out.splitlines():
        args, code, out, err = json.loads(line)
        results[" ".join(args)] = (code, out, err)
    return results


@needs_mount
def test_on_a_full_disk_reading_works_and_writing_says_the_disk_is_full(
    tmp_path, library_home
) -> None:
    fill = "dd if=/dev/zero of={mount}/filler bs=4k 2>/dev/null || true"
    results = run_inside(
        tmp_path,
        library_home,
        fill,
        [
            ["library"],
            ["notes", "list"],
            ["notes", "export"],
            ["search", "Geneva"],
            ["notes", "add", str(SAMPLE), "--document", "--text", "more"],
        ],
    )
    for reading in ("library", "notes list", "notes export", "search Geneva"):
        code, _, err = results[reading]
        assert code == 0, (reading, err)
        assert "Traceback" not in err and "Logging error" not in err
    assert "kept" in results["notes list"][1]
    code, _, err = results[f"notes add {SAMPLE} --document --text more"]
    assert code == 1 and err.count("\n") == 1 and "the disk is full" in err, err
    assert "connected" not in err


@needs_mount
def test_a_library_in_a_read_only_folder_can_be_read(tmp_path, library_home) -> None:
    results = run_inside(
        tmp_path,
        library_home,
        "mount -o remount,ro {mount}",
        [
            ["library"],
            ["notes", "list"],
            ["search", "Geneva"],
            ["notes", "add", str(SAMPLE), "--document", "--text", "more"],
        ],
    )
    for reading in ("library", "notes list", "search Geneva"):
        code, _, err = results[reading]
        assert code == 0 and err == "", (reading, err)
    assert "kept" in results["notes list"][1]
    code, _, err = results[f"notes add {SAMPLE} --document --text more"]
    assert code == 1 and err.count("\n") == 1 and "Cannot write to the folder" in err, err


def test_a_folder_where_the_library_file_should_be(tmp_path) -> None:
    home = tmp_path / "home"
    (home / "data" / "library.sqlite3").mkdir(parents=True)
    result = run_reader(home, "import", str(SAMPLE))
    one_sentence(result)
    assert "is a folder, but reader keeps its library in a file of that name" in result.err
