"""The one writer: batches into the library, idempotent by text hash, then the journal."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.cluster import worker
from reader.cluster.journal import ImportJournal
from reader.cluster.worker import BatchOutcome, FileOutcome
from reader.cluster.writer import LibraryWriter, Written
from reader.entities.engine import EntityEngine
from reader.entities.models import ANALYSIS_RULES_VERSION, analysis_key
from reader.errors import StoreError
from reader.store import Store, open_store
from tests.unit.cluster.conftest import RULER

KEY = analysis_key("ruler", "1.0.0")
RULES = ANALYSIS_RULES_VERSION


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "library.sqlite3") as store:
        yield store


@pytest.fixture
def journal(tmp_path: Path, articles: Path):
    with ImportJournal(tmp_path / "journal.sqlite3") as journal:
        names = ["geneva.md", "un.txt", "empty.txt"]
        journal.start({}, [(str(articles / n), "") for n in names])
        yield journal


def outcomes(articles: Path) -> BatchOutcome:
    sources = [
        (n, str(articles / name), None)
        for n, name in enumerate(["geneva.md", "un.txt", "empty.txt"], 1)
    ]
    return worker.process_files(sources, RULER)


def make_writer(store: Store, journal: ImportJournal, **kw) -> tuple[LibraryWriter, list[Written]]:
    """A writer, and the list of what it reports written."""
    seen: list[Written] = []
    return LibraryWriter(store, journal, KEY, seen.extend, **kw), seen


def before_import_batch(monkeypatch: pytest.MonkeyPatch, action: Callable[[list], None]) -> None:
    """``Store.import_batch`` calls ``action(items)`` first; it may raise instead."""
    real = Store.import_batch

    def patched(self, items):
        action(items)
        return real(self, items)

    monkeypatch.setattr(Store, "import_batch", patched)


def test_a_batch_is_written_with_its_names_then_marked_done(
    store: Store, journal: ImportJournal, articles: Path, ruler_worker: EntityEngine
) -> None:
    writer, seen = make_writer(store, journal)
    writer.add(outcomes(articles))
    assert seen == []  # not yet: the batch is neither full nor old
    assert len(list(journal.pending())) == 3
    writer.flush()
    assert [(Path(w.path).name, w.status, w.mentions) for w in seen] == [
        ("geneva.md", "imported", 3),
        ("un.txt", "imported", 1),
        ("empty.txt", "failed", None),
    ]
    assert seen[2].error.startswith("“empty.txt” is empty")
    assert list(journal.pending()) == []
    assert journal.counts()["imported"] == 2 and journal.counts()["failed"] == 1
    geneva = store.get_document(seen[0].document_id)
    mentions = store.load_analysis(geneva.text_hash, KEY)
    assert [m.canonical for m in mentions] == ["Geneva", "Sergei Lavrov", "Geneva"]
    entry = store.get_entry(seen[0].document_id)
    assert entry.analysed and entry.title == "Talks in Geneva"


def test_a_batch_that_arrives_twice_changes_nothing(
    store: Store, journal: ImportJournal, articles: Path, ruler_worker: EntityEngine
) -> None:
    writer, seen = make_writer(store, journal)
    batch = outcomes(articles)
    writer.add(batch)
    writer.flush()
    writer.add(batch)  # a retried task, or a file redone after a crash
    writer.flush()
    assert [w.status for w in seen[3:]] == ["present", "present", "failed"]
    assert len(store.list_documents()) == 2
    assert [w.document_id for w in seen[3:5]] == [w.document_id for w in seen[:2]]


def test_batches_are_written_when_full_or_when_they_have_waited(
    store: Store, journal: ImportJournal, articles: Path, ruler_worker: EntityEngine
) -> None:
    clock = Clock()
    writer, seen = make_writer(store, journal, batch_files=2, batch_seconds=5.0, clock=clock)
    batch = outcomes(articles)
    writer.add(batch._replace(files=batch.files[:1]))
    assert seen == []
    clock.now = 6.0
    writer.add(batch._replace(files=batch.files[1:2]))  # the first waited long enough
    assert len(seen) == 2
    writer.add(batch._replace(files=batch.files[2:]))
    assert len(seen) == 2
    writer.flush()
    assert len(seen) == 3


def test_names_found_with_another_model_are_not_saved(
    store: Store, journal: ImportJournal, articles: Path, ruler_worker: EntityEngine
) -> None:
    writer, seen = make_writer(store, journal)
    batch = outcomes(articles)
    writer.add(batch._replace(model_key=analysis_key("ruler", "0.9.0"), files=batch.files[:1]))
    writer.flush()
    assert seen[0].status == "imported" and seen[0].mentions is None
    assert seen[0].analysis_error == (
        f"a worker analysed it with ruler 0.9.0 (rules {RULES}), not ruler 1.0.0 "
        f"(rules {RULES}) as this library expects; install the same model on every worker"
    )
    assert store.documents_needing_analysis(KEY) == [seen[0].document_id]


def test_a_library_that_cannot_be_written_leaves_the_files_pending(
    store: Store,
    journal: ImportJournal,
    articles: Path,
    ruler_worker: EntityEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(items):
        raise StoreError("The disk is full.")

    before_import_batch(monkeypatch, full)
    writer, seen = make_writer(store, journal)
    writer.add(outcomes(articles))
    with pytest.raises(StoreError):
        writer.flush()
    assert seen == [] and len(list(journal.pending())) == 3  # --resume redoes them


def test_a_document_that_breaks_the_batch_fails_alone(
    store: Store,
    journal: ImportJournal,
    articles: Path,
    ruler_worker: EntityEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def buggy(items):
        if any("United Nations" in document.text for document, _, _ in items):
            raise RuntimeError("a bug")

    before_import_batch(monkeypatch, buggy)
    writer, seen = make_writer(store, journal)
    writer.add(outcomes(articles))
    writer.flush()
    assert [w.status for w in seen] == ["imported", "failed", "failed"]
    assert "unexpected error (RuntimeError)" in seen[1].error
    assert journal.counts()["pending"] == 0


def test_the_writer_counts_files_and_model_loads_per_worker(
    store: Store, journal: ImportJournal, articles: Path, ruler_worker: EntityEngine
) -> None:
    writer, _ = make_writer(store, journal)
    batch = outcomes(articles)
    writer.add(batch._replace(worker="a:1", model_loads=1))
    writer.add(batch._replace(worker="b:2", model_loads=1, files=batch.files[:1]))
    assert writer.workers == {
        "a:1": {"files": 3, "model_loads": 1},
        "b:2": {"files": 1, "model_loads": 1},
    }
    assert isinstance(batch.files[0], FileOutcome)


def test_ctrl_c_while_a_batch_is_written_waits_until_it_is_journalled_and_reported(
    store: Store,
    journal: ImportJournal,
    articles: Path,
    ruler_worker: EntityEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(items):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C arrives in the middle of the batch

    before_import_batch(monkeypatch, interrupted)
    writer, seen = make_writer(store, journal)
    writer.add(outcomes(articles))
    with pytest.raises(KeyboardInterrupt):
        writer.flush()
    assert len(seen) == 3 and journal.counts()["pending"] == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
