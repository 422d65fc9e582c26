from __future__ import annotations

from pathlib import Path

import pytest

from reader.cluster import batches
from reader.cluster.worker import FileOutcome
from reader.documents.loader import MAX_FILE_BYTES, load_document
from reader.errors import DocumentError
from tests.unit.store.conftest import make_document


def test_files_go_a_few_per_task_in_order(tmp_path: Path) -> None:
    pending = [(n, str(tmp_path / f"{n}.txt")) for n in range(1, 21)]
    tasks = list(batches.file_tasks(pending, False, lambda outcome: None))
    assert [len(t) for t in tasks] == [8, 8, 4]
    assert [key for task in tasks for key, _, _ in task] == list(range(1, 21))
    assert all(data is None for task in tasks for _, _, data in task)


def test_big_files_get_tasks_of_their_own(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(batches, "BYTES_PER_TASK", 1000)
    for name, size in [("a", 600), ("b", 600), ("c", 100), ("d", 100)]:
        (tmp_path / name).write_bytes(b"x" * size)
    pending = [(n, str(tmp_path / name)) for n, name in enumerate("abcd", 1)]
    tasks = list(batches.file_tasks(pending, True, lambda outcome: None))
    assert [[key for key, _, _ in task] for task in tasks] == [[1], [2, 3, 4]]
    assert tasks[0][0][2] == b"x" * 600


def test_a_file_that_cannot_be_sent_stays_here_with_the_loader_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.txt").write_text("Fine.")
    (tmp_path / "empty.txt").write_bytes(b"")
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no 200 MB written
    refused: list[FileOutcome] = []
    pending = [(1, str(tmp_path / "empty.txt")), (2, str(big)), (3, str(tmp_path / "ok.txt"))]
    tasks = list(batches.file_tasks(pending, True, refused.append))
    assert [[key for key, _, _ in task] for task in tasks] == [[3]]
    assert [(o.key, o.document) for o in refused] == [(1, None), (2, None)]
    assert refused[0].error.startswith("“empty.txt” is empty")
    with pytest.raises(DocumentError) as raised:
        load_document(big)
    assert refused[1].error == raised.value.message  # "more than the 200 MB reader can open"


def test_library_texts_go_with_their_hashes(tmp_path: Path) -> None:
    from reader.store import open_store

    with open_store(tmp_path / "library.sqlite3") as store:
        ids = [
            store.import_document(make_document(f"Paragraph {i}.", title=f"T{i}")).document_id
            for i in range(20)
        ]
        hashes: dict[int, str] = {}
        tasks = list(batches.text_tasks(store, ids, hashes))
        assert [len(t) for t in tasks] == [16, 4]
        assert hashes[ids[0]] == store.get_document(ids[0]).text_hash
        store.remove_document(ids[5])
        again = list(batches.text_tasks(store, ids, {}))
        assert ids[5] not in [i for task in again for i, _ in task]
