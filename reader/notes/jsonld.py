"""Notes as W3C Web Annotation JSON-LD, out and back in without loss.

Choices (https://www.w3.org/TR/annotation-model/), each chosen so that another annotation
tool can read the file and reader can read it back:

- The file is ``{"@context": anno.jsonld, "type": "AnnotationCollection", "items": [...]}``
  (the collection embeds its annotations; import also accepts a single ``Annotation``, an
  ``AnnotationPage`` and a collection whose annotations are in ``first.items``).
- Annotation ids are ``urn:reader:note:N``; motivation ``commenting``; the note's text is a
  ``TextualBody`` with purpose ``commenting`` (``text/plain``), each tag one more
  ``TextualBody`` with purpose ``tagging``.
- A passage or article note targets the text by ``urn:sha256:<hex>`` (SHA-256 of the
  canonical text's UTF-8 bytes: the document's identity in reader). The web page the text
  came from, when known, is the target's ``scope``, which the model defines as the
  resource that provides the context in which the target was seen. A passage adds a
  ``TextQuoteSelector`` (exact, prefix, suffix) and, unless the note is an orphan, a
  ``TextPositionSelector``; article notes have no selector.
- ``TextPositionSelector`` offsets count Unicode code points of the canonical text (Python
  string indices), as the model requires: not UTF-16 units, not bytes.
- An entity note targets ``urn:reader:entity:<kind>:<percent-encoded canonical name>``.

Import is strict: the first problem raises ``NotesFormatError`` naming the item, and
nothing is returned, so nothing is half-imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from reader.documents.model import Document
from reader.errors import ReaderError
from reader.notes.model import Note, NoteError, entity_kind_value, normalise_tag

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NOTE_ID_PREFIX = "urn:reader:note:"
TEXT_PREFIX = "urn:sha256:"
ENTITY_PREFIX = "urn:reader:entity:"
OFFSETS = (
    "Notes exported from reader. TextPositionSelector offsets count Unicode code points "
    "of the canonical text named by the target's urn:sha256 source."
)
_HASH = re.compile(r"[0-9a-f]{64}")


class NotesFormatError(ReaderError):
    """A notes file that cannot be imported; the message names the first problem."""

    def __init__(self, problem: str, item: int | None = None) -> None:
        where = f"item {item}: " if item is not None else ""
        super().__init__(
            f"{where}{problem}. Nothing was imported; correct the file or export it again."
        )
        self.problem = problem
        self.item = item


class _Invalid(Exception):
    """One problem inside an item; turned into ``NotesFormatError`` with its number."""


@dataclass(frozen=True, slots=True)
class ImportedNote:
    """A note read from a file, not yet attached to a document of the library.

    ``note.id`` is the exported id (``urn:reader:note:N``), or None for another tool's
    annotation; ``note.document_id`` is None until the store finds the text by
    ``text_hash`` (or by ``source_url`` when the text changed since).
    """

    note: Note
    text_hash: str = ""  # "" for entity notes
    source_url: str = ""
    annotation_id: str = ""


# -- export ---------------------------------------------------------------------------------


def to_jsonld(notes: Iterable[Note], documents: dict[int, Document]) -> dict[str, Any]:
    """An ``AnnotationCollection`` of ``notes``; ``documents`` must hold each note's document."""
    items = [_annotation(note, documents, n) for n, note in enumerate(notes, 1)]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": OFFSETS,
        "total": len(items),
        "items": items,
    }


def _annotation(note: Note, documents: dict[int, Document], number: int) -> dict[str, Any]:
    ident = f"{NOTE_ID_PREFIX}{note.id}" if note.id is not None else f"{NOTE_ID_PREFIX}new-{number}"
    item: dict[str, Any] = {"id": ident, "type": "Annotation", "motivation": "commenting"}
    if note.created:
        item["created"] = note.created
    if note.modified:
        item["modified"] = note.modified
    body: list[dict[str, str]] = [
        {"type": "TextualBody", "value": note.body, "format": "text/plain", "purpose": "commenting"}
    ]
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags]
    item["body"] = body
    item["target"] = _target(note, documents)
    return item


def _target(note: Note, documents: dict[int, Document]) -> dict[str, Any]:
    if note.kind == "entity":
        name = quote(note.entity_canonical, safe="")
        return {"source": f"{ENTITY_PREFIX}{note.entity_kind}:{name}"}
    if note.document_id not in documents:
        raise NoteError(f"The article of note {note.id} is missing from the export.")
    document = documents[note.document_id]  # type: ignore[index]
    target: dict[str, Any] = {"source": f"{TEXT_PREFIX}{document.text_hash}"}
    if document.metadata.source_url:
        target["scope"] = document.metadata.source_url
    if note.kind == "passage":
        quote_selector = {"type": "TextQuoteSelector", "exact": note.quote}
        if note.prefix:
            quote_selector["prefix"] = note.prefix
        if note.suffix:
            quote_selector["suffix"] = note.suffix
        selectors: list[dict[str, Any]] = [quote_selector]
        if not note.orphaned and note.start is not None and note.end is not None:
            selectors.append({"type": "TextPositionSelector", "start": note.start, "end": note.end})
        target["selector"] = selectors
    return target


# -- import ---------------------------------------------------------------------------------


def from_jsonld(data: Any) -> list[ImportedNote]:
    """The notes of a Web Annotation document; ``NotesFormatError`` at the first problem."""
    items = _items(data)
    imported = []
    for number, item in enumerate(items, 1):
        try:
            imported.append(_read_annotation(item))
        except _Invalid as problem:
            raise NotesFormatError(str(problem), number) from None
        except NoteError as problem:
            raise NotesFormatError(problem.message.rstrip("."), number) from None
    return imported


def _items(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        raise NotesFormatError("The file is not a JSON object of Web Annotations")
    context = data.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if CONTEXT not in contexts:
        raise NotesFormatError(
            f"The file is not W3C Web Annotation JSON-LD (no @context {CONTEXT})"
        )
    kind = data.get("type")
    if _has_type(kind, "Annotation"):
        return [data]
    if _has_type(kind, "AnnotationCollection") or _has_type(kind, "AnnotationPage"):
        items = data.get("items")
        first = data.get("first")
        if items is None and isinstance(first, dict):
            items = first.get("items")
        if not isinstance(items, list):
            raise NotesFormatError("The collection has no list of annotations (“items”)")
        return items
    raise NotesFormatError(
        f"The file holds neither an AnnotationCollection nor an Annotation (its “type” is {kind!r})"
    )


def _has_type(value: Any, wanted: str) -> bool:
    return value == wanted or (isinstance(value, list) and wanted in value)


def _read_annotation(item: Any) -> ImportedNote:
    if not isinstance(item, dict):
        raise _Invalid("is not a JSON object")
    if not _has_type(item.get("type"), "Annotation"):
        raise _Invalid("type is not Annotation")
    ident = item.get("id", "")
    if not isinstance(ident, str):
        raise _Invalid("id is not a string")
    created, modified = _date(item, "created"), _date(item, "modified")
    body, tags = _bodies(item.get("body"))
    target = item.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            raise _Invalid("has more than one target; a reader note has exactly one")
        target = target[0]
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict):
        raise _Invalid("has no target")
    source = target.get("source", target.get("id"))
    if not isinstance(source, str) or not source:
        raise _Invalid("target has no source")
    note_id = _note_id(ident)
    common = {"id": note_id, "body": body, "tags": tags, "created": created, "modified": modified}
    if source.startswith(ENTITY_PREFIX):
        if "selector" in target:
            raise _Invalid("target names an entity and cannot have a selector")
        kind, _, name = source[len(ENTITY_PREFIX) :].partition(":")
        canonical = unquote(name)
        if not canonical.strip():
            raise _Invalid("target names an entity without a name")
        note = Note(
            kind="entity",
            document_id=None,
            entity_kind=entity_kind_value(kind),
            entity_canonical=canonical,
            **common,  # type: ignore[arg-type]
        )
        return ImportedNote(note, "", "", ident)
    if not source.startswith(TEXT_PREFIX) or not _HASH.fullmatch(source[len(TEXT_PREFIX) :]):
        raise _Invalid(
            f"target source {source!r} is not urn:sha256:<64 hex digits> nor "
            "urn:reader:entity:…; reader attaches notes to texts by their SHA-256"
        )
    text_hash = source[len(TEXT_PREFIX) :]
    scope = target.get("scope", "")
    if not isinstance(scope, str):
        raise _Invalid("target scope is not a URL")
    if "selector" not in target:
        note = Note(kind="document", document_id=None, **common)  # type: ignore[arg-type]
        return ImportedNote(note, text_hash, scope, ident)
    quote_selector, position = _selectors(target["selector"])
    exact = quote_selector["exact"]
    start, end = position if position is not None else (None, None)
    if position is not None and end - start != len(exact):  # type: ignore[operator]
        raise _Invalid(
            f"TextPositionSelector covers {end - start} characters but the quote has "  # type: ignore[operator]
            f"{len(exact)}; offsets must count Unicode code points"
        )
    note = Note(
        kind="passage",
        document_id=None,
        quote=exact,
        prefix=quote_selector.get("prefix", ""),
        suffix=quote_selector.get("suffix", ""),
        start=start,
        end=end,
        orphaned=position is None,
        **common,  # type: ignore[arg-type]
    )
    return ImportedNote(note, text_hash, scope, ident)


def _note_id(ident: str) -> int | None:
    rest = ident[len(NOTE_ID_PREFIX) :] if ident.startswith(NOTE_ID_PREFIX) else ""
    return int(rest) if rest.isdigit() else None


def _date(item: dict[str, Any], key: str) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise _Invalid(f"{key} is not a date")
    if value:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise _Invalid(f"{key} {value!r} is not an ISO 8601 date") from None
    return value


def _bodies(raw: Any) -> tuple[str, tuple[str, ...]]:
    """The note's text (commenting bodies, joined) and its tags (tagging bodies)."""
    if raw is None:
        return "", ()
    bodies = raw if isinstance(raw, list) else [raw]
    texts: list[str] = []
    tags: list[str] = []
    for body in bodies:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            raise _Invalid("body is not a TextualBody with a text value")
        if body.get("type", "TextualBody") != "TextualBody":
            raise _Invalid(f"body type {body.get('type')!r} is not TextualBody")
        if body.get("purpose") == "tagging":
            tag = normalise_tag(body["value"])
            if tag:
                tags.append(tag)
        else:
            texts.append(body["value"])
    return "\n\n".join(texts), tuple(tags)


def _selectors(raw: Any) -> tuple[dict[str, str], tuple[int, int] | None]:
    selectors = raw if isinstance(raw, list) else [raw]
    quote_selector: dict[str, str] | None = None
    position: tuple[int, int] | None = None
    for selector in selectors:
        if not isinstance(selector, dict):
            raise _Invalid("target has a selector that is not a JSON object")
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            exact = selector.get("exact")
            if not isinstance(exact, str) or not exact:
                raise _Invalid("TextQuoteSelector has no exact quote")
            for key in ("prefix", "suffix"):
                if not isinstance(selector.get(key, ""), str):
                    raise _Invalid(f"TextQuoteSelector {key} is not text")
            quote_selector = selector
        elif kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise _Invalid("TextPositionSelector start and end are not whole numbers")
            if not 0 <= start < end:  # type: ignore[operator]
                raise _Invalid(f"TextPositionSelector {start}..{end} is not a passage")
            position = (start, end)  # type: ignore[assignment]
        # Other selectors (CSS, XPath, ranges) describe another rendering: not needed here.
    if quote_selector is None:
        raise _Invalid("target has no TextQuoteSelector")
    return quote_selector, position
