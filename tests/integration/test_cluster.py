"""``reader import --cluster`` on real Dask clusters, with the real spaCy model.

A local cluster of two worker processes; a scheduler and two workers started with Dask's
own ``dask scheduler`` and ``dask worker`` commands, one of them killed during the run, or
the scheduler itself; an import interrupted with Ctrl+C and resumed. Each test runs
``python -m reader`` in a subprocess and reads its JSON lines. Every process a test starts
is killed in a ``finally`` (and asked to die with the test process, should that die first).
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]

PEOPLE = ["Sergei Lavrov", "Antonio Guterres", "Hannah Okafor", "William Ruto", "Peter Mwangi"]
PLACES = ["Geneva", "Vienna", "Nairobi", "Kherson", "Moscow", "Turkana"]
ORGS = ["the United Nations", "the World Bank", "Oxfam", "the Red Cross"]
FILLER = [
    "Delegates spoke about water, grain and the price of gas.",
    "The talks lasted late into the evening.",
    "Reporters waited outside in the rain.",
    "A joint statement is expected next week.",
]


def write_articles(folder: Path, count: int, sentences: int = 24) -> list[Path]:
    """``count`` short news stories, each naming a few people, places and organizations."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(16)
    paths = []
    for number in range(count):
        lines = [f"# Report {number} from {rng.choice(PLACES)}", ""]
        for _ in range(sentences):
            lines.append(
                f"{rng.choice(PEOPLE)} met officials of {rng.choice(ORGS)} in "
                f"{rng.choice(PLACES)}. {rng.choice(FILLER)}"
            )
            lines.append("")
        path = folder / f"report-{number:03d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def write_hostile_files(folder: Path) -> dict[str, Path]:
    """Files a worker must refuse with the messages the reader gives on this computer,
    and ``entity.docx``, whose external entity must not be read (``secret.txt``)."""
    from tests.unit.documents.formats.builders_office import (
        build_docx,
        docx_parts,
        w_document,
        w_para,
        zip_bomb,
    )

    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "secret.txt"
    secret.write_text("TOPSECRET-PASSWORD\n")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    entity = w_document(w_para("<w:r><w:t>Before &xxe; after</w:t></w:r>"), doctype)
    (folder / "entity.docx").write_bytes(build_docx(document=entity))
    files = {
        "bomb.docx": zip_bomb(docx_parts(), "word/document.xml", 300 * 1024 * 1024),
        "empty.txt": b"",
        "junk.md": bytes(range(256)) * 20,
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def stored_texts(home: Path) -> dict[str, str]:
    """File name -> the text the library holds for it."""
    from reader.store import open_store

    with open_store(home / "data" / "library.sqlite3") as store:
        return {
            Path(entry.path).name: store.get_document(entry.id).text
            for entry in store.list_documents()
        }


def local_message(path: Path) -> str:
    from reader.documents.loader import load_document
    from reader.errors import DocumentError

    try:
        load_document(path)
    except DocumentError as error:
        return error.message
    return ""


def _die_with_parent() -> None:
    """Runs in a child before exec: SIGKILL it when the test process dies (Linux)."""
    os.setsid()
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("READER_CLUSTER", None)
    env.pop("READER_HOME", None)
    return env


def start_reader(*args: str, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args, "--data-dir", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment(),
        preexec_fn=_die_with_parent,
    )


def run_reader(*args: str, home: Path) -> tuple[int, list[dict[str, Any]], str]:
    """Exit status, JSON lines and stderr of ``reader ARGS --json``."""
    process = start_reader(*args, "--json", home=home)
    try:
        out, err = process.communicate(timeout=240)
    finally:
        stop(process)
    return process.returncode, [json.loads(line) for line in out.splitlines()], err


def events(lines: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [line for line in lines if line["event"] == kind]


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def library(home: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "library", "--json", "--data-dir", str(home)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(),
    )
    return list(json.loads(result.stdout))


def analyses(home: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Text hash -> the mentions the library holds for it, under any model key."""
    from reader.entities.consistency import mention_tuples
    from reader.store import open_store

    with open_store(home / "data" / "library.sqlite3") as store:
        found = {}
        for entry in store.list_documents():
            (key,) = store.conn.execute(
                "SELECT model_key FROM analysis_cache WHERE text_hash = ?", (entry.text_hash,)
            ).fetchone()
            mentions = store.load_analysis(entry.text_hash, key) or []
            found[entry.text_hash] = mention_tuples(mentions)
        return found


# -- a local cluster ----------------------------------------------------------------------


def test_a_local_cluster_of_two_workers_imports_and_analyses_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    reports = write_articles(folder, 24)
    hostile = write_hostile_files(folder / "odd")
    status, lines, err = run_reader(
        "import", str(folder), "--analyse", "--cluster", "local:2", home=tmp_path / "cluster"
    )
    assert status == 1, err  # the hostile files failed; the reports are in
    start, summary = events(lines, "start")[0], events(lines, "summary")[0]
    assert start["workers"] == 2 and start["model"].startswith("en_core_web_sm")
    assert summary["totals"] == {
        "imported": 26,
        "present": 0,
        "updated": 0,
        "failed": 3,
        "pending": 0,
    }
    files = {Path(e["path"]).name: e for e in events(lines, "file")}
    assert len(events(lines, "file")) == 29  # each file reported once
    for name, path in hostile.items():  # the same limits and messages as on this computer
        assert files[name]["status"] == "failed"
        assert files[name]["error"] == local_message(path), name
    assert all(files[p.name]["mentions"] > 0 for p in reports)
    assert "TOPSECRET" not in stored_texts(tmp_path / "cluster")["entity.docx"]
    workers = summary["workers"]
    assert sum(w["files"] for w in workers.values()) == 29
    assert all(w["model_loads"] == 1 for w in workers.values())  # loaded once and kept
    assert summary["analysis"]["analysed"] == 26

    # The window's and the CLI's own work: the default import finds exactly the same names.
    plain = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "import",
            str(folder),
            "--analyse",
            "--data-dir",
            str(tmp_path / "embedded"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=environment(),
    )
    assert plain.returncode == 1, plain.stderr
    assert analyses(tmp_path / "cluster") == analyses(tmp_path / "embedded")


def test_files_sent_as_bytes_get_the_same_messages(tmp_path: Path) -> None:
    hostile = write_hostile_files(tmp_path / "odd")
    write_articles(tmp_path / "odd", 2)
    status, lines, err = run_reader(
        "import",
        str(tmp_path / "odd"),
        "--cluster",
        "local:1",
        "--send-files",
        home=tmp_path / "home",
    )
    assert status == 1, err
    assert events(lines, "start")[0]["send_files"] is True
    files = {Path(e["path"]).name: e for e in events(lines, "file")}
    for name, path in hostile.items():
        assert files[name]["error"] == local_message(path), name
    assert [files[f"report-00{i}.md"]["status"] for i in range(2)] == ["imported", "imported"]
    assert "TOPSECRET" not in stored_texts(tmp_path / "home")["entity.docx"]


# -- Dask's own command-line tools --------------------------------------------------------


def dask_command(name: str) -> list[str]:
    tool = Path(sys.executable).with_name("dask")
    return [str(tool), name] if tool.exists() else [sys.executable, "-m", "dask", name]


class SchedulerAndWorkers:
    """``dask scheduler`` and ``dask worker`` processes, stopped by ``close``."""

    def __init__(self, folder: Path) -> None:
        self.processes: list[subprocess.Popen[str]] = []
        self.logs: list[Any] = []
        self.folder = folder

    def start(self, workers: int) -> None:
        info = self.folder / "scheduler.json"
        self.scheduler = self._start(
            [
                *dask_command("scheduler"),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
            "scheduler",
        )
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written before it is complete on slow disks
        self.address = json.loads(info.read_text())["address"]
        self.workers = [
            self._start(
                [
                    *dask_command("worker"),
                    self.address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--name",
                    f"worker-{n}",
                ],
                f"worker-{n}",
            )
            for n in range(workers)
        ]
        for n in range(workers):  # wait until each has registered with the scheduler
            log = self.folder / f"worker-{n}.log"
            while "Registered to" not in log.read_text(errors="replace"):
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.1)

    def _start(self, command: list[str], name: str) -> subprocess.Popen[str]:
        log = (self.folder / f"{name}.log").open("w")
        self.logs.append(log)
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment(),
            preexec_fn=_die_with_parent,
            text=True,
        )
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in self.processes:
            stop(process)
        for log in self.logs:
            log.close()


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[SchedulerAndWorkers]:
    cluster = SchedulerAndWorkers(tmp_path)
    try:
        cluster.start(workers=2)
        yield cluster
    finally:
        cluster.close()


def import_meanwhile(
    folder: Path, home: Path, address: str, act_after: float, action: Any
) -> tuple[int, list[dict[str, Any]], str]:
    """``reader import FOLDER --analyse --cluster ADDRESS --json``, calling ``action()``
    once, ``act_after`` seconds after the start line; exit status, JSON lines and stderr."""
    process = start_reader(
        "import", str(folder), "--analyse", "--cluster", address, "--json", home=home
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(json.loads(line))
            if lines[-1]["event"] == "start":
                time.sleep(act_after)
                action()
        process.wait(timeout=120)
        err = process.stderr.read() if process.stderr else ""
    finally:
        stop(process)
    return process.returncode, lines, err


def test_a_worker_killed_mid_run_has_its_work_redone_elsewhere_and_counted_once(
    tmp_path: Path, dask_cluster: SchedulerAndWorkers
) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 80)
    home = tmp_path / "home"
    status, lines, err = import_meanwhile(
        folder, home, dask_cluster.address, 0.5, dask_cluster.workers[0].kill
    )
    assert status == 0, err
    assert dask_cluster.workers[0].poll() is not None  # it really died
    summary = events(lines, "summary")[0]
    assert summary["totals"]["imported"] == 80 and summary["totals"]["failed"] == 0
    assert summary["analysis"]["analysed"] == 80
    assert len(events(lines, "file")) == 80
    assert sorted(e["path"] for e in events(lines, "file")) == sorted(
        str(p) for p in folder.iterdir()
    )
    entries = library(home)
    assert len(entries) == 80 and all(e["analysed"] for e in entries)


def test_a_scheduler_that_goes_away_ends_with_one_sentence_and_keeps_what_was_written(
    tmp_path: Path, dask_cluster: SchedulerAndWorkers
) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 120)
    home = tmp_path / "home"
    status, lines, err = import_meanwhile(
        folder, home, dask_cluster.address, 1.0, dask_cluster.scheduler.kill
    )
    assert status == 1
    assert err.count("\n") == 1 and err.startswith(
        f"reader: The cluster scheduler at {dask_cluster.address} stopped answering after "
    )
    assert "reader import --resume" in err
    summary = events(lines, "summary")[0]
    written = len(events(lines, "file"))
    assert summary["totals"]["pending"] == 120 - written
    assert len(library(home)) == written  # every file reported written is in the library


def test_an_unreachable_scheduler_is_one_sentence(tmp_path: Path, folder_of_two: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    status, lines, err = run_reader(
        "import",
        str(folder_of_two),
        "--cluster",
        f"tcp://127.0.0.1:{port}",
        home=tmp_path / "home",
    )
    assert status == 1 and lines == []
    assert err == (
        f"reader: The cluster scheduler at tcp://127.0.0.1:{port} could not be reached "
        "(nothing answers at that port); check that 'dask scheduler' is running there and "
        "that this computer can reach that address and port.\n"
    )
    assert time.monotonic() - started < 30  # refused at once, not after Dask's retries


@pytest.fixture
def folder_of_two(tmp_path: Path) -> Path:
    write_articles(tmp_path / "two", 2, sentences=2)
    return tmp_path / "two"


# -- interrupted and resumed --------------------------------------------------------------


def test_an_interrupted_import_resumes_where_it_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 80)
    home = tmp_path / "home"
    process = start_reader(
        "import", str(folder), "--analyse", "--cluster", "local:2", "--json", home=home
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(json.loads(line))
            if lines[-1]["event"] == "file" and len(lines) == 2:  # something is written
                process.send_signal(signal.SIGINT)  # Ctrl+C
        process.wait(timeout=120)
        err = process.stderr.read() if process.stderr else ""
    finally:
        stop(process)
    assert process.returncode == 130, err
    first = events(lines, "summary")[0]
    assert first["interrupted"] is True
    done = len(events(lines, "file"))
    assert 0 < done < 80 and first["totals"]["pending"] == 80 - done
    assert len(library(home)) == done

    status, again, err = run_reader("import", "--resume", home=home)
    assert status == 0, err
    assert events(again, "start")[0]["done_before"] == done
    resumed = {e["path"] for e in events(again, "file")}
    assert len(resumed) == 80 - done
    assert resumed.isdisjoint(e["path"] for e in events(lines, "file"))  # nothing redone
    summary = events(again, "summary")[0]
    assert summary["totals"] == {
        "imported": 80,
        "present": 0,
        "updated": 0,
        "failed": 0,
        "pending": 0,
    }
    entries = library(home)
    assert len(entries) == 80 and all(e["analysed"] for e in entries)

    status, _, err = run_reader("import", "--resume", home=home)
    assert status == 1
    assert err == (
        "reader: There is no unfinished cluster import to resume in this library; start one "
        "with reader import PATH… --cluster local.\n"
    )


# -- a model that does not match ----------------------------------------------------------


def test_workers_whose_model_differs_from_the_library_s_are_refused(
    tmp_path: Path, folder_of_two: Path
) -> None:
    # This computer expects analyses under other rules than the workers' reader makes.
    code = (
        "import sys; import reader.entities.models as m; m.ANALYSIS_RULES_VERSION = 99; "
        "from reader.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "import",
            str(folder_of_two),
            "--analyse",
            "--cluster",
            "local:1",
            "--data-dir",
            str(tmp_path / "home"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=environment(),
    )
    assert result.returncode == 1
    assert result.stderr.startswith("reader: The worker ")
    assert "but this library's analyses are made with en_core_web_sm" in result.stderr
    assert "rules-99; install the same model version" in result.stderr
    assert result.stderr.count("\n") == 1
    assert library(tmp_path / "home") == []  # refused before anything was imported
