"""``reader import`` called in-process: no subprocess, no model (an entity ruler instead)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from reader.commands import importing
from reader.entities.engine import EntityEngine
from reader.entities.kinds import Kind
from reader.entities.models import analysis_key
from reader.errors import ReaderError, StoreError
from reader.store import open_store


def namespace(**values: object) -> argparse.Namespace:
    defaults: dict[str, object] = {"paths": [], "analyse": False, "json": False, "model": "x"}
    return argparse.Namespace(**{**defaults, **values})


@pytest.fixture
def ruler_engine(monkeypatch: pytest.MonkeyPatch, ruler_nlp) -> EntityEngine:
    engine = EntityEngine(nlp=ruler_nlp)
    monkeypatch.setattr(importing, "make_engine", lambda model: engine)
    return engine


def names(items: list[str | importing.FileResult]) -> list[str]:
    return [Path(i).name if isinstance(i, str) else f"failed:{i.path}" for i in items]


def test_folders_give_articles_only_and_named_files_are_always_tried(folder: Path) -> None:
    found = list(importing.collect_files([str(folder), str(folder / "data.csv")]))
    assert names(found) == ["a.md", "b.txt", "broken.md", "c.md", "data.csv"]
    again = list(importing.collect_files([str(folder / "a.md"), str(folder)]))
    assert names(again).count("a.md") == 1  # the same file named twice is imported once


def test_import_prints_a_line_per_file_and_a_summary(folder: Path, capsys) -> None:
    status = importing.run_import(namespace(paths=[str(folder)]))
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0] == f"{folder / 'a.md'}: imported (#1, Talks in Genève)"
    assert out[2].startswith(f"{folder / 'broken.md'}: failed: “broken.md” is empty")
    assert out[-1] == (
        "4 files: 3 imported, 0 already present, 0 updated, 1 failed; "
        "the files that failed were skipped (reasons above)."
    )
    assert importing.run_import(namespace(paths=[str(folder / "a.md")])) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{folder / 'a.md'}: already in the library (#1, Talks in Genève)",
        "1 file: 0 imported, 1 already present, 0 updated, 0 failed.",
    ]


def test_analyse_uses_the_engine_key_and_fills_the_summaries(
    folder: Path, ruler_engine: EntityEngine, capsys
) -> None:
    status = importing.run_import(namespace(paths=[str(folder / "a.md")], analyse=True, json=True))
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    key = analysis_key(ruler_engine.info.name, ruler_engine.info.version)
    assert report["analysis"]["model_key"] == key
    assert report["analysis"]["analysed"] == 1 and report["analysis"]["mentions"] == 3
    with open_store() as store:
        (entry,) = store.list_documents()
        assert entry.analysed and entry.entity_counts[Kind.PERSON] == 1
        assert store.documents_needing_analysis(key) == []

    importing.run_import(namespace(analyse=True))  # nothing left: says so, analyses nothing
    assert "already analysed" in capsys.readouterr().out


def test_a_document_the_engine_fails_on_is_reported_and_the_rest_analysed(
    folder: Path, ruler_engine: EntityEngine, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    analyse = ruler_engine.analyse_text

    def flaky(text: str):
        if "United Nations" in text:
            raise ValueError("E088: text too long")
        return analyse(text)

    monkeypatch.setattr(ruler_engine, "analyse_text", flaky)
    paths = [str(folder / "a.md"), str(folder / "b.txt")]
    assert importing.run_import(namespace(paths=paths, analyse=True)) == 1
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("Analysed 1 article with ") and "1 could not be analysed" in last


def test_ctrl_c_keeps_what_was_imported(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    real_load = importing.load_document

    def interrupted_on_the_second(path: str):
        if Path(path).name == "b.txt":
            raise KeyboardInterrupt
        return real_load(path)

    monkeypatch.setattr(importing, "load_document", interrupted_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        importing.run_import(namespace(paths=[str(folder)]))
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Interrupted after 1 file: 1 imported, 0 already present, 0 updated, 0 failed; "
        "what was imported stays in the library."
    )
    with open_store() as store:
        assert [e.title for e in store.list_documents()] == ["Talks in Genève"]


def test_a_loader_bug_fails_one_file_not_the_import(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    real_load = importing.load_document

    def buggy(path: str):
        if Path(path).name == "a.md":
            raise IndexError("list index out of range")
        return real_load(path)

    monkeypatch.setattr(importing, "load_document", buggy)
    assert importing.run_import(namespace(paths=[str(folder / "a.md"), str(folder / "b.txt")])) == 1
    out = capsys.readouterr().out
    assert "a.md: failed: Could not read “a.md” (IndexError)" in out
    assert "b.txt: imported" in out


def test_a_store_failure_stops_the_import(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self, document):
        raise StoreError("reader could not save the article because the disk is full.")

    monkeypatch.setattr(importing.Store, "import_document", full)
    with pytest.raises(StoreError, match="disk is full"):
        importing.run_import(namespace(paths=[str(folder)]))


def test_import_needs_something_to_do(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="Name at least one file"):
        importing.run_import(namespace())
    (tmp_path / "nothing").mkdir()
    with pytest.raises(ReaderError, match="No articles were found"):
        importing.run_import(namespace(paths=[str(tmp_path / "nothing")]))


def test_a_file_over_the_time_limit_is_skipped_and_the_rest_imported(
    folder, monkeypatch, capsys
) -> None:
    import time

    from reader import cli
    from reader.commands import importing as importing_module

    real = importing_module.load_document

    def slow_for_b(path):
        if path.endswith("b.txt"):
            time.sleep(30)  # interrupted by the budget
        return real(path)

    monkeypatch.setattr(importing_module, "load_document", slow_for_b)
    code = cli.main(["import", "--time-limit", "1", str(folder)])
    out = capsys.readouterr().out
    assert code == 1
    assert "b.txt: failed: “b.txt” took longer than 1 seconds to read, so it was skipped" in out
    assert "a.md: imported" in out and "c.md: imported" in out
