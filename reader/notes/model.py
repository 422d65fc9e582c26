"""The note record, its three kinds, and the rules a note must satisfy before it is stored.

A note is the researcher's own work, so the record keeps everything needed to find its
passage again after the text changed (the quote with its context, see ``anchoring``) and
never anything derived that could go stale unnoticed: ``orphaned`` is set by re-anchoring,
not by hand. Offsets are Python string indices (code points) into the canonical text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from reader.entities.kinds import Kind
from reader.errors import ReaderError

NoteKind = Literal["passage", "document", "entity"]
NOTE_KINDS: tuple[str, ...] = get_args(NoteKind)

# Commas, semicolons and line breaks separate tags; so does the space before a "#tag".
_TAG_SEPARATORS = re.compile(r"[,;\n\r]+|\s+(?=#)")
_SPACES = re.compile(r"\s+")


class NoteError(ReaderError):
    """A note cannot be written as asked (no such quote, no such article, …)."""


@dataclass
class Note:
    """One note. ``id`` is None until the store has saved it.

    - "passage": ``document_id``, ``quote`` (with ``prefix``/``suffix`` context) and the
      ``start``/``end`` offsets of the quote in the canonical text; ``orphaned`` when the
      quote could not be found again after the text changed (the offsets are then stale).
    - "document": ``document_id`` only: a note on the whole article.
    - "entity": ``entity_kind`` (a ``Kind`` value) and ``entity_canonical``; no document,
      because the note follows the person, place or organisation into every article.
    """

    id: int | None
    kind: NoteKind
    document_id: int | None
    body: str
    tags: tuple[str, ...]
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    entity_kind: str = ""
    entity_canonical: str = ""
    orphaned: bool = False
    created: str = ""  # ISO 8601, UTC
    modified: str = ""  # ISO 8601, UTC

    @property
    def is_placed(self) -> bool:
        """True for a passage note whose offsets can be shown in the text."""
        return (
            self.kind == "passage"
            and not self.orphaned
            and self.start is not None
            and self.end is not None
        )

    @property
    def entity(self) -> tuple[str, str] | None:
        """``(kind, canonical)`` of the entity noted, or None."""
        if self.entity_kind and self.entity_canonical:
            return self.entity_kind, self.entity_canonical
        return None


def normalise_tag(tag: str) -> str:
    """One tag as stored: no leading "#", inner white space collapsed, trimmed."""
    return _SPACES.sub(" ", tag).strip().lstrip("#").strip()


def normalise_tags(text_or_list: str | Iterable[str]) -> tuple[str, ...]:
    """Tags as typed ("war, #peace; Moscow") or as a list, cleaned for storage.

    Trimmed, "#" dropped, empties dropped, duplicates dropped ignoring case (the first
    spelling wins), order kept. A string is split on commas, semicolons and line breaks,
    and before each "#" ("#war #peace" is two tags); a space alone does not split, so
    "foreign policy" stays one tag. List items are taken as one tag each.
    """
    pieces = _TAG_SEPARATORS.split(text_or_list) if isinstance(text_or_list, str) else text_or_list
    seen: set[str] = set()
    tags: list[str] = []
    for piece in pieces:
        tag = normalise_tag(str(piece))
        key = tag.casefold()
        if tag and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tuple(tags)


def entity_kind_value(kind: str) -> str:
    """The stored value of an entity kind ("person", …); accepts ``Kind`` and its values."""
    try:
        return Kind(str(kind).strip().lower()).value
    except ValueError:
        valid = ", ".join(k.value for k in Kind)
        raise NoteError(f"“{kind}” is not a kind of entity reader knows; use {valid}.") from None


def check_note(note: Note) -> None:
    """Raise ``NoteError`` when ``note`` does not have what its kind needs.

    Checked before every write, so that the store never holds a passage note without a
    quote or an entity note without its entity, whichever caller built it.
    """
    if note.kind not in NOTE_KINDS:
        raise NoteError(f"“{note.kind}” is not a kind of note; use passage, document or entity.")
    if note.kind == "entity":
        if note.document_id is not None:
            raise NoteError("A note on an entity belongs to no single article.")
        if not note.entity_kind or not note.entity_canonical.strip():
            raise NoteError("A note on an entity needs the entity's kind and name.")
        entity_kind_value(note.entity_kind)
        return
    if note.document_id is None:
        raise NoteError("A note on a passage or an article needs the article it belongs to.")
    if note.kind == "document":
        return
    if not note.quote:
        raise NoteError("A note on a passage needs the quoted passage; select some text first.")
    if note.start is not None or note.end is not None:
        if note.start is None or note.end is None or not 0 <= note.start < note.end:
            raise NoteError("The passage's position is not valid; select the passage again.")
        if not note.orphaned and note.end - note.start != len(note.quote):
            raise NoteError(
                "The passage's position does not match its quote; select the passage again."
            )
