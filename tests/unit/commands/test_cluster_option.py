"""``--cluster`` is optional: without Dask the reader works, and says how to get it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.commands import cluster_import
from reader.errors import ReaderError

ROOT = Path(__file__).resolve().parents[3]

# Python started with Dask missing, as after `pip install -e .` without the cluster extra.
WITHOUT_DASK = (
    "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None; "
    "from reader.cli import main; code = main(sys.argv[1:]); "
    "print('dask imported' if 'dask' in sys.modules and sys.modules['dask'] else 'no dask'); "
    "raise SystemExit(code)"
)


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("READER_CLUSTER", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )


def test_without_dask_cluster_asks_for_the_extra_and_the_default_import_works(
    folder: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    asked = run_python(
        WITHOUT_DASK, "import", str(folder), "--cluster", "local:2", "--data-dir", str(home)
    )
    assert asked.returncode == 1
    assert asked.stderr == (
        "reader: --cluster needs Dask, which is not installed here; install it with pip "
        'install "reader[cluster]" (pip install -e ".[cluster]" in a source checkout).\n'
    )
    assert not (home / "data" / "library.sqlite3").exists()  # nothing was started
    plain = run_python(WITHOUT_DASK, "import", str(folder), "--data-dir", str(home))
    assert plain.returncode == 1  # broken.md fails; the others are imported
    assert "4 files: 3 imported" in plain.stdout and plain.stdout.endswith("no dask\n")


def test_the_window_and_the_default_import_never_import_dask(folder: Path, tmp_path: Path) -> None:
    code = (
        "import sys, reader.app, reader.cli, reader.commands.importing; "
        "from reader.cli import main; main(sys.argv[1:]); "
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    result = run_python(code, "import", str(folder), "--data-dir", str(tmp_path / "home"))
    assert result.stdout.splitlines()[-1] == "[]"


def namespace(**values: object) -> argparse.Namespace:
    defaults: dict[str, object] = {"paths": [], "analyse": False, "json": False, "model": "x"}
    return argparse.Namespace(**{**defaults, **values})


def test_the_default_is_today_s_import_unless_a_cluster_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not cluster_import.wanted(namespace(cluster=None, resume=False, send_files=False))
    assert cluster_import.wanted(namespace(cluster="local:2", resume=False))
    assert cluster_import.wanted(namespace(cluster=None, resume=True))
    monkeypatch.setenv("READER_CLUSTER", "tcp://sched:8786")
    assert cluster_import.wanted(namespace(cluster=None))
    monkeypatch.setenv("READER_CLUSTER", "sched")
    with pytest.raises(ReaderError, match="“sched” is not a cluster reader knows"):
        cluster_import.wanted(namespace(cluster=None))


def test_send_files_without_a_cluster_is_refused() -> None:
    with pytest.raises(ReaderError) as raised:
        cluster_import.wanted(namespace(cluster=None, send_files=True))
    assert raised.value.message == (
        "--send-files sends the files to a cluster's workers; use it with --cluster."
    )


def test_what_a_cluster_import_refuses_before_starting_anything(folder: Path) -> None:
    pytest.importorskip("distributed")
    from reader.commands.importing import run_import

    base = {"cluster": "local:2", "resume": False, "send_files": False}
    cases = [
        (
            {**base},
            "Name at least one file or folder to import, e.g. reader import ~/articles "
            "--cluster local; or add --analyse to analyse what is already imported.",
        ),
        (
            {**base, "paths": [str(folder / "sub" / "nothing-here")]},
            f"No articles were found in “{folder / 'sub' / 'nothing-here'}”",
        ),
        (
            {**base, "resume": True},
            "There is no unfinished cluster import to resume in this library; start one "
            "with reader import PATH… --cluster local.",
        ),
        (
            {**base, "resume": True, "paths": [str(folder)]},
            "--resume continues the last import with its own list of files; run it "
            "without naming files or folders.",
        ),
    ]
    (folder / "sub" / "nothing-here").mkdir()
    for values, message in cases:
        with pytest.raises(ReaderError) as raised:
            run_import(namespace(**values))
        assert raised.value.message.startswith(message)
