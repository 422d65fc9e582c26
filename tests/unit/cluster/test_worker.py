"""The task a worker runs, called in-process: the window's parsing, the CLI's analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cluster import worker
from reader.documents.loader import load_document
from reader.documents.model import Document
from reader.entities.engine import EntityEngine
from reader.entities.models import analysis_key
from reader.errors import DocumentError
from tests.unit.cluster.conftest import RULER


def local_message(path: Path) -> str:
    with pytest.raises(DocumentError) as raised:
        load_document(path)
    return raised.value.message


def test_files_come_back_parsed_and_analysed_as_the_cli_would(
    articles: Path, ruler_worker: EntityEngine
) -> None:
    paths = [articles / "geneva.md", articles / "un.txt"]
    batch = worker.process_files([(1, str(paths[0]), None), (2, str(paths[1]), None)], RULER)
    assert batch.model_key == analysis_key("ruler", "1.0.0")
    assert [f.key for f in batch.files] == [1, 2]
    for path, outcome in zip(paths, batch.files, strict=True):
        document = load_document(path)
        assert Document.from_plain(outcome.document).text == document.text
        expected = ruler_worker.analyse_text(document.text)
        assert outcome.mentions == [
            (m.start, m.end, m.kind.value, m.label, m.text, m.canonical) for m in expected
        ]
    assert ("Sergei Lavrov", "Sergei Lavrov") in [(m[4], m[5]) for m in batch.files[0].mentions]


def test_bad_files_get_the_local_messages_whether_read_there_or_sent(
    articles: Path, ruler_worker: EntityEngine
) -> None:
    for name in ("empty.txt", "junk.txt"):
        path = articles / name
        by_path = worker.process_files([(1, str(path), None)], RULER).files[0]
        assert by_path.document is None and by_path.error == local_message(path)
    junk = articles / "junk.txt"
    sent = worker.process_files([(1, str(junk), junk.read_bytes())], RULER).files[0]
    assert sent.error == local_message(junk)


def test_without_a_model_files_are_only_parsed(articles: Path) -> None:
    batch = worker.process_files([(5, str(articles / "un.txt"), None)], None)
    assert batch.model_key == ""
    assert batch.files[0].mentions is None and batch.files[0].analysis_error == ""
    assert batch.files[0].document is not None


def test_a_model_missing_on_the_worker_leaves_the_text_and_says_why(articles: Path) -> None:
    batch = worker.process_files([(1, str(articles / "un.txt"), None)], "no_such_model_xyz")
    outcome = batch.files[0]
    assert outcome.document is not None and outcome.mentions is None
    assert outcome.analysis_error.startswith(f"the worker {worker.worker_name()} could not")
    assert "'no_such_model_xyz' is not installed" in outcome.analysis_error
    check = worker.check_model("no_such_model_xyz")
    assert check.model_key == "" and "not installed" in check.error


def test_an_engine_failure_costs_that_text_its_names_only(
    articles: Path, ruler_worker: EntityEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ruler_worker.analyse_text

    def flaky(text: str):
        if "United Nations" in text:
            raise ValueError("boom")
        return real(text)

    monkeypatch.setattr(ruler_worker, "analyse_text", flaky)
    files = [(1, str(articles / "un.txt"), None), (2, str(articles / "geneva.md"), None)]
    first, second = worker.process_files(files, RULER).files
    assert first.document is not None and first.mentions is None
    assert first.analysis_error == "the names could not be found (ValueError: boom)"
    assert second.mentions


def test_the_model_is_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch, ruler_nlp) -> None:
    loaded: list[str] = []

    class Counting(EntityEngine):
        def __init__(self, model_name: str = "", nlp=None) -> None:
            loaded.append(model_name)
            super().__init__(nlp=ruler_nlp)

    monkeypatch.setattr("reader.entities.engine.EntityEngine", Counting)
    monkeypatch.setattr(worker, "_engines", {})
    before = worker._loads
    for _ in range(3):
        assert worker.check_model("counted").model_key == analysis_key("ruler", "1.0.0")
        worker.analyse_texts([(1, "Sergei Lavrov in Geneva.")], "counted")
    assert loaded == ["counted"] and worker._loads == before + 1


def test_texts_from_the_library_are_analysed_by_id(ruler_worker: EntityEngine) -> None:
    batch, outcomes = worker.analyse_texts([(4, "Geneva."), (9, "Nothing here.")], RULER)
    assert batch.model_key == analysis_key("ruler", "1.0.0")
    assert [(o.document_id, len(o.mentions or []), o.error) for o in outcomes] == [
        (4, 1, ""),
        (9, 0, ""),
    ]
