"""Notes survive writers killed at random moments: what was acknowledged is on disk.

Several processes write notes into one library, each printing a note's id only after
``add_note`` returned; the test kills them with SIGKILL at random moments (mid-commit
included), starts new ones, and finally checks that every acknowledged note is there, with
its text, and that the file passes ``PRAGMA integrity_check``. A handful of kills by
default; ``--runslow`` runs 200.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.store import open_store

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from reader.documents.model import BlockDraft, Metadata, assemble
from reader.notes.anchoring import passage_note
from reader.notes.model import Note
from reader.store import open_store

path, tag = sys.argv[1], sys.argv[2]
paragraphs = [f"Paragraph {i} of the report on the river treaty and its canals." for i in range(40)]
document = assemble([BlockDraft("paragraph", p) for p in paragraphs], Metadata(path="/crash.txt"))
with open_store(path) as store:
    document_id = store.import_document(document).document_id
    text = document.text
    n = 0
    while True:
        n += 1
        body = f"{tag} {n}"
        if n % 3 == 0:
            note = Note(None, "entity", None, body, ("crash",), entity_kind="person",
                        entity_canonical=f"Person {n % 7}")
        elif n % 3 == 1:
            start = text.index(f"Paragraph {n % 40} ")
            note = passage_note(text, document_id, start, start + 25, body, ("crash",))
        else:
            note = Note(None, "document", document_id, body, ())
        saved = store.add_note(note)
        print(saved.id, body, flush=True)
"""


class Writer:
    """One writing process and the notes it acknowledged (complete lines only)."""

    def __init__(self, db_path: Path, tag: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        self.acknowledged: dict[int, str] = {}
        self.first = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8")
            if not line.endswith("\n"):
                break  # cut off by the kill: not acknowledged
            note_id, body = line.rstrip("\n").split(" ", 1)
            self.acknowledged[int(note_id)] = body
            self.first.set()

    def kill(self) -> None:
        if self.process.poll() is not None:
            stderr = self.process.stderr.read().decode() if self.process.stderr else ""
            raise AssertionError(f"a writer stopped on its own:\n{stderr}")
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def run(db_path: Path, kills: int, writers: int, seed: int) -> dict[int, str]:
    """Kill ``kills`` writers at random moments, keeping ``writers`` running at once."""
    rng = random.Random(seed)
    running = [Writer(db_path, f"w{i}") for i in range(writers)]
    acknowledged: dict[int, str] = {}
    started = len(running)
    try:
        for _ in range(kills):
            victim = rng.choice(running)
            if rng.random() < 0.85:  # most kills land while notes are being written
                assert victim.first.wait(timeout=60), "a writer never wrote a note"
            time.sleep(rng.uniform(0, 0.25))
            victim.kill()
            acknowledged.update(victim.acknowledged)
            running.remove(victim)
            running.append(Writer(db_path, f"w{started}"))
            started += 1
    finally:
        for writer in running:
            if writer.process.poll() is None:
                writer.kill()
                acknowledged.update(writer.acknowledged)
    return acknowledged


def check_library(db_path: Path, acknowledged: dict[int, str]) -> None:
    assert acknowledged, "no note was acknowledged: the test proved nothing"
    with open_store(db_path) as store:  # quick_check at open
        assert store.recovery_message is None
        conn = store.conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
        stored = dict(conn.execute("SELECT id, body FROM notes"))
        missing = {i: b for i, b in acknowledged.items() if stored.get(i) != b}
        assert missing == {}, f"{len(missing)} acknowledged notes lost"
        assert len(store.list_notes(include_entity_notes=True)) == len(stored)


def test_killed_writers_lose_no_acknowledged_note(tmp_path: Path):
    db_path = tmp_path / "library.sqlite3"
    acknowledged = run(db_path, kills=6, writers=3, seed=1)
    check_library(db_path, acknowledged)


@pytest.mark.slow
def test_two_hundred_kills_lose_no_acknowledged_note(tmp_path: Path):
    db_path = tmp_path / "library.sqlite3"
    acknowledged = run(db_path, kills=200, writers=4, seed=2)
    check_library(db_path, acknowledged)
