"""Notes import figures, printed (not a test; pytest does not collect it).

Run from the project root:  python tests/benchmarks/bench_notes_import.py [--quick]

Imports 2,000, 10,000 and 100,000 passage notes (W3C JSON-LD, as ``reader notes export``
writes) into a library of 300 articles. The baseline, measured in the same run, is reading
and checking the same file (``read_notes_file``): the least an import can cost. Goal:
100,000 notes in at most 30 s. While the 100,000 are imported, another process saves a note
every 0.2 s: its longest wait shows that the import never holds the library for long
(before, every other writer failed after 5 s).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.notes.anchoring import passage_note
from reader.notes.export import to_jsonld
from reader.notes.model import Note
from reader.store import open_store
from reader.store.notes_exchange import read_notes_file
from tests.unit.store.conftest import generated_document

ARTICLES = 300
SIZES = (2_000, 10_000, 100_000)
GOAL_SECONDS = 30.0


def build_library(folder: Path) -> tuple[Path, dict]:
    path = folder / "library.sqlite3"
    documents = {}
    with open_store(path) as store:
        for seed in range(ARTICLES):
            document = generated_document(seed, words=1500)
            document_id = store.import_document(document).document_id
            documents[document_id] = document
    return path, documents


def notes_file(folder: Path, documents: dict, count: int) -> Path:
    rng = random.Random(count)
    notes = []
    ids = list(documents)
    for number in range(1, count + 1):
        document_id = rng.choice(ids)
        text = documents[document_id].text
        start = rng.randrange(0, len(text) - 60)
        note = passage_note(text, document_id, start, start + 40, f"note {number}", ("bench",))
        notes.append(_with_id(note, number))
    path = folder / f"notes-{count}.jsonld"
    path.write_text(json.dumps(to_jsonld(notes, documents)), encoding="utf-8")
    return path


def _with_id(note: Note, number: int) -> Note:
    from dataclasses import replace

    return replace(note, id=number)


def other_writer(path: str, stop, waits) -> None:  # runs in another process
    with open_store(path, check=False) as store:
        longest = 0.0
        while not stop.is_set():
            started = time.perf_counter()
            store.add_note(Note(None, "document", 1, "written meanwhile", ()))
            longest = max(longest, time.perf_counter() - started)
            time.sleep(0.2)
        waits.put(longest)


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = SIZES[:2] if quick else SIZES
    work = Path(tempfile.mkdtemp(prefix="bench-notes-import-"))
    try:
        library, documents = build_library(work)
        print(f"{ARTICLES} articles; importing passage notes into a copy each time")
        print(f"{'notes':>8}  {'read+check s':>12}  {'import s':>9}  {'ratio':>6}  added")
        for count in sizes:
            source = notes_file(work, documents, count)
            started = time.perf_counter()
            imported = read_notes_file(source)
            baseline = time.perf_counter() - started
            target = work / f"library-{count}.sqlite3"
            shutil.copyfile(library, target)
            context = multiprocessing.get_context("spawn")
            stop, waits = context.Event(), context.Queue()
            writer = None
            if count == SIZES[-1]:
                writer = context.Process(target=other_writer, args=(str(target), stop, waits))
                writer.start()
                time.sleep(1.5)
            with open_store(target) as store:
                started = time.perf_counter()
                result = store.import_notes(imported)
                seconds = time.perf_counter() - started
            print(
                f"{count:>8,}  {baseline:>12.2f}  {seconds:>9.2f}  {seconds / baseline:>6.1f}  "
                f"{result.added:,}"
            )
            if writer is not None:
                stop.set()
                longest = waits.get(timeout=30)
                writer.join(30)
                print(f"  another process saved notes meanwhile; its longest wait: {longest:.2f} s")
                verdict = "met" if seconds <= GOAL_SECONDS else "MISSED"
                print(f"  goal: {count:,} notes in at most {GOAL_SECONDS:.0f} s: {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
