"""Two writers lose nothing; a full disk or a long lock fails cleanly with a sentence."""

from __future__ import annotations

import multiprocessing
import sqlite3
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.store import Store, database, open_store

from .conftest import OpenStore, generated_document, make_document


def import_many(db_path: str, prefix: str, count: int, start: Barrier | None = None) -> None:
    """Run in a spawned process: open the shared library and import ``count`` documents.

    ``start`` lines the processes up, so that they create the new library (and migrate it)
    at the same moment and then write side by side.
    """
    if start is not None:
        start.wait(timeout=60)
    with open_store(db_path) as store:
        if start is not None:
            start.wait(timeout=60)
        for seed in range(count):
            result = store.import_document(generated_document(seed, prefix=prefix))
            assert result.status == "imported"


def test_two_processes_importing_at_once_lose_nothing(open_closing: OpenStore, db_path: Path):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(target=import_many, args=(str(db_path), prefix, 50, start))
        for prefix in ("alpha", "beta")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]

    store = open_closing(db_path)
    titles = {e.title for e in store.list_documents()}
    assert len(titles) == 100
    assert {t.split()[0] for t in titles} == {"alpha", "beta"}
    assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    store.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    assert (
        len(store.search("river", limit=1000))
        == store.conn.execute(
            "SELECT count(*) FROM documents WHERE text LIKE '%river%'"
        ).fetchone()[0]
    )


def table_counts(store: Store) -> tuple[int, ...]:
    return tuple(
        store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("documents", "document_paths", "entity_summary", "documents_fts")
    )


def test_a_full_disk_saves_nothing_and_says_so(store: Store):
    store.import_document(generated_document(1))
    before = table_counts(store)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    big = make_document(*(f"Paragraph {i} " + "water " * 200 for i in range(200)), path="/big")

    with pytest.raises(StoreError) as caught:
        store.import_document(big)

    assert "disk is full" in str(caught.value)
    assert "nothing was saved" in str(caught.value)
    assert not store.conn.in_transaction
    assert table_counts(store) == before
    assert store.find_by_path("/big") is None
    store.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    store.conn.execute("PRAGMA max_page_count = 1000000")
    assert store.import_document(big).status == "imported"  # and the store still works


def test_any_sqlite_failure_inside_an_import_rolls_back(
    monkeypatch: pytest.MonkeyPatch, store: Store
):
    from reader.store import library

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    store.import_document(generated_document(1))
    before = table_counts(store)
    monkeypatch.setattr(library, "_summarise_from_cache", fail)  # after the INSERT

    with pytest.raises(StoreError, match="Could not save the article"):
        store.import_document(generated_document(2))

    assert table_counts(store) == before


def test_a_writer_holding_the_lock_too_long(
    monkeypatch: pytest.MonkeyPatch, open_closing: OpenStore, db_path: Path
):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    store = open_closing(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError) as caught:
            store.import_document(generated_document(1))
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert "another reader window is writing" in str(caught.value)
    assert store.import_document(generated_document(1)).status == "imported"
