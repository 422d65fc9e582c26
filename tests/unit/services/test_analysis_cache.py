"""The cache policy: one answer for the window and the commands."""

from __future__ import annotations

import pytest

from reader.entities.consistency import mentions_from_tuples
from reader.entities.kinds import Kind
from reader.entities.models import analysis_key, expected_analysis_key
from reader.services import analysis_cache
from reader.services.analysis_cache import AnalysisCache, names_for
from reader.store import open_store
from tests.unit.store.conftest import make_document

TEXT = "Sergei Lavrov arrived in Geneva on Monday."


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "library.sqlite3") as opened:
        yield opened


def test_the_key_follows_the_model_that_really_loaded() -> None:
    cache = AnalysisCache("")
    assert cache.key == expected_analysis_key("")
    assert cache.model_loaded("ruler", "1.0") is True
    assert cache.key == analysis_key("ruler", "1.0")
    assert cache.model_loaded("ruler", "1.0") is False  # nothing new: nothing to redo
    cache.model_changed("")
    assert cache.key == expected_analysis_key("")


def test_names_found_by_the_model_are_kept_under_its_key(store, engines) -> None:
    document = make_document(TEXT, title="Talks")
    first = names_for(store, document, "", engines)
    assert first.source.startswith("names found by")
    assert [(m.text, m.kind) for m in first.mentions] == [
        ("Sergei Lavrov", Kind.PERSON),
        ("Geneva", Kind.PLACE),
    ]
    assert engines.made == 1
    # Kept under the key of the engine that found them: the same engine finds them there.
    made = engines.made
    engine = engines("")
    key = analysis_key(engine.info.name, engine.info.version)
    assert store.load_analysis(document.text_hash, key) == first.mentions
    assert engines.made == made + 1


def test_without_a_library_the_model_runs_and_nothing_is_kept(engines) -> None:
    names = names_for(None, make_document(TEXT), "", engines)
    assert len(names.mentions) == 2 and engines.made == 1


def test_a_cache_that_cannot_be_read_is_no_cache(store, monkeypatch) -> None:
    from reader.errors import StoreError

    def broken(*_args):
        raise StoreError("The library is damaged.")

    monkeypatch.setattr(store, "load_analysis", broken)
    assert analysis_cache.lookup(store, "abc", "key") is None


def test_remember_then_lookup_and_the_queue_of_articles_to_analyse(store) -> None:
    document = make_document(TEXT, title="Talks")
    document_id = store.import_document(document).document_id
    assert analysis_cache.needing_analysis(store, "k") == [document_id]
    mentions = mentions_from_tuples([(0, 13, "person", "PERSON", "Sergei Lavrov", "Sergei Lavrov")])
    assert analysis_cache.remember(store, document.text_hash, "k", mentions)
    assert analysis_cache.lookup(store, document.text_hash, "k") == mentions
    assert analysis_cache.needing_analysis(store, "k") == []
