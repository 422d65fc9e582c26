"""What goes on paper: the article, its names and the notes a printed copy carries.

The same for File › Print in the window and ``reader print`` in a shell: the names the
reader shows for the article (the window's session, or the library's cache, or the model,
after the library's corrections),
the article's own notes (passage and whole-article notes of its library entry, found by its
text, so a moved or renamed file keeps them) and the notes on people, places and
organizations, of which printing keeps those on names the article mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reader.documents.model import Document
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.services import corrections
from reader.services.analysis_cache import Engine, names_for
from reader.services.library import existing_store
from reader.store import Store


@dataclass(slots=True)
class Paper:
    """Everything an annotated copy is made of."""

    document: Document
    mentions: list[Mention]
    notes: list[Note] = field(default_factory=list)
    entity_notes: list[Note] = field(default_factory=list)
    source: str = ""  # where the names came from, for the command's closing line


def article_notes(store: Store, document_id: int | None) -> tuple[list[Note], list[Note]]:
    """The notes of one library entry, and every note on a name (the printed copy and the
    window's session hold the same two lists)."""
    notes = store.list_notes(document_id) if document_id is not None else []
    return notes, store.entity_notes()


def paper_for_file(document: Document, model: str, make_engine: Callable[[str], Engine]) -> Paper:
    """``reader print`` and ``reader export``: names and notes from the library if it has
    them. Printing never adds the file to the library: a copy on paper should not change
    what the library holds (its cache of names aside)."""
    with existing_store() as store:
        names = names_for(store, document, model, make_engine)
        if store is None:
            return Paper(document, names.mentions, source=names.source)
        corrector = corrections.load(store)
        mentions = corrector.names(names.mentions, document)
        notes, entity_notes = article_notes(store, store.find_by_text_hash(document.text_hash))
        entity_notes = corrector.notes(entity_notes, document.text_hash)
        return Paper(document, mentions, notes, entity_notes, names.source)


def paper_for_open_article(
    document: Document, mentions: list[Mention], notes: list[Note], entity_notes: list[Note]
) -> Paper:
    """The window's copy: exactly what the reading session holds, so paper and screen agree."""
    return Paper(document, sorted(mentions, key=lambda m: m.start), notes, entity_notes)
