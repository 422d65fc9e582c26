"""What goes on paper: the same names and notes for the window and ``reader print``."""

from __future__ import annotations

from reader.entities.kinds import Kind
from reader.entities.models import expected_analysis_key
from reader.entities.spans import Mention
from reader.notes.anchoring import passage_note
from reader.notes.model import Note
from reader.services.paper import article_notes, paper_for_file, paper_for_open_article
from reader.store import open_store
from tests.unit.store.conftest import make_document

TEXT = "Sergei Lavrov arrived in Geneva on Monday."


def test_a_file_outside_the_library_gets_the_model_s_names_and_no_notes(engines) -> None:
    paper = paper_for_file(make_document(TEXT), "", engines)
    assert [m.text for m in paper.mentions] == ["Sergei Lavrov", "Geneva"]
    assert paper.notes == [] and paper.entity_notes == []
    assert paper.source.startswith("names found by")


def test_a_library_article_brings_its_notes_and_the_notes_on_names(engines) -> None:
    document = make_document(TEXT, title="Talks")
    with open_store() as store:
        document_id = store.import_document(document).document_id
        store.add_note(passage_note(document.text, document_id, 0, 13, "Foreign minister."))
        store.add_note(
            Note(
                None,
                "entity",
                None,
                "Also in Vienna.",
                (),
                entity_kind="place",
                entity_canonical="Geneva",
            )
        )
    paper = paper_for_file(document, "", engines)
    assert [n.body for n in paper.notes] == ["Foreign minister."]
    assert [n.body for n in paper.entity_notes] == ["Also in Vienna."]
    # Names cached for the model in use (a name the ruler would never find): no model runs.
    cached = [Mention(25, 31, Kind.ORGANIZATION, "ORG", "Geneva", "Geneva")]
    with open_store() as store:
        store.save_analysis(document.text_hash, expected_analysis_key(""), cached)
    made = engines.made
    again = paper_for_file(document, "", engines)
    assert again.source == "names from the library" and again.mentions == cached
    assert engines.made == made
    with open_store() as store:
        assert article_notes(store, document_id) == (paper.notes, paper.entity_notes)
        assert article_notes(store, None)[0] == []


def test_the_window_s_copy_is_what_the_session_holds_in_text_order(engines) -> None:
    document = make_document(TEXT)
    mentions = engines("").analyse_text(document.text)
    paper = paper_for_open_article(document, list(reversed(mentions)), [], [])
    assert paper.mentions == mentions and paper.source == ""
