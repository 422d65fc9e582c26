"""``reader notes add|list|export|import``: the researcher's notes from a shell.

Same conventions as the other headless commands (``library.py``): results on stdout (or
one JSON document with ``--json``), sentences about what happened on stderr, "nothing
found" is a sentence and exit status 0. Exit status: 0 done; 1 an error, printed as one
line on stderr by ``cli.main`` (a quote that is not in the text, or that occurs more than
once without ``--occurrence``; a notes file with a problem; a library that cannot be
written), and then nothing was stored; 2 bad arguments (argparse); 130 Ctrl+C.

``add`` checks the quote before it touches the library, so a typo adds neither the note
nor the article, and returns only after the store's durable commit (``synchronous=FULL``):
a script that sees exit status 0 may rely on the note being on disk.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.commands.output import note, print_json, print_line, shorten
from reader.documents.loader import load_document
from reader.documents.model import Document
from reader.errors import ReaderError
from reader.notes.anchoring import AmbiguousQuoteError, locate_quote, passage_note
from reader.notes.citation import Locator, document_title
from reader.notes.export import ORPHAN_MARK
from reader.notes.model import Note, normalise_tags
from reader.services.library import existing_store as _existing_store
from reader.services.library import find_in_library, open_library
from reader.services.notes import save_export
from reader.store.library import ImportResult
from reader.store.notes_exchange import (
    export_notes,
    format_for_path,
    import_sentence,
    load_documents,
    read_notes_file,
    render,
    select_notes,
)

_QUOTE_CHARS = 60  # a quote in a message
_LIST_QUOTE_CHARS = 100  # a quote in a listing
_SHOWN_OCCURRENCES = 6
_ADD_HINT = "reader notes add FILE --quote TEXT --text NOTE"


def run_notes(args: argparse.Namespace) -> int:
    handlers = {"add": run_add, "list": run_list, "export": run_export, "import": run_import}
    return handlers[args.notes_command](args)


# -- add ------------------------------------------------------------------------------------


def run_add(args: argparse.Namespace) -> int:
    if args.document and args.occurrence is not None:
        raise ReaderError("--occurrence chooses among the places a --quote occurs; drop it.")
    body = _utf8(_body(args.text), "--text")
    tags = normalise_tags([_utf8(tag, "--tag") for tag in args.tag or []])
    if args.quote is not None:
        _utf8(args.quote, "--quote")
    document = load_document(args.file)
    span = None if args.document else _locate(document, args.quote, args.occurrence)
    with open_library() as store:
        imported = store.import_document(document)
        _say_imported(imported)
        if span is None:
            new = Note(None, "document", imported.document_id, body, tags)
        else:
            new = passage_note(document.text, imported.document_id, *span, body, tags)
        saved = store.add_note(new)  # durable when it returns
    locator = Locator(document)
    if args.json:
        print_json(note_json(saved, document, locator))
        return 0
    title = imported.title or document_title(document)
    if saved.kind == "document":
        print_line(f"Added note {saved.id} on the whole of “{title}”.")
    else:
        quote = shorten(saved.quote, _QUOTE_CHARS)
        place = locator.location(saved.start or 0)
        print_line(f"Added note {saved.id} on “{quote}” ({place}) in “{title}”.")
    return 0


def _body(text: str) -> str:
    """``--text -`` reads the note from standard input, for notes longer than a line."""
    if text == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "surrogateescape")  # checked by _utf8 next
        return raw.strip("\n")
    return text


def _utf8(value: str, option: str) -> str:
    """A note is stored as UTF-8 text: say which byte is not, rather than fail on it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = value[error.start]
        byte = f"0x{ord(bad) - 0xDC00:02X}" if 0xDC80 <= ord(bad) <= 0xDCFF else repr(bad)
        raise ReaderError(
            f"The text given with {option} is not valid UTF-8 (byte {byte} at character "
            f"{error.start + 1}); give it in UTF-8, for example with iconv -t UTF-8. Nothing "
            "was stored."
        ) from None
    return value


def _locate(document: Document, quote: str, occurrence: int | None) -> tuple[int, int]:
    """Where the quote is, or a sentence saying why it cannot be placed (nothing stored)."""
    try:
        return locate_quote(document.text, quote, occurrence)
    except AmbiguousQuoteError as error:
        raise ReaderError(_ambiguous(document, quote, error.occurrences)) from None


def _ambiguous(document: Document, quote: str, spans: Sequence[tuple[int, int]]) -> str:
    locator = Locator(document)
    places = [f"{n}: {locator.location(start)}" for n, (start, _) in enumerate(spans, 1)]
    if len(places) > _SHOWN_OCCURRENCES:
        places = [*places[: _SHOWN_OCCURRENCES - 1], "…"]
    title = document_title(document) or "the article"
    return (
        f"“{shorten(quote, _QUOTE_CHARS)}” occurs {len(spans)} times in “{title}” "
        f"({'; '.join(places)}); add --occurrence N (1 to {len(spans)}, in text order) to say "
        "which one, or quote a longer passage."
    )


def _say_imported(result: ImportResult) -> None:
    if result.status == "imported":
        note(f"Added “{result.title}” to the library (#{result.document_id}).")
    elif result.status == "updated":
        message = f"Updated “{result.title}” in the library from the changed file."
        if result.orphaned_notes:
            count = result.orphaned_notes
            message += (
                f" {count} earlier note{'s' if count != 1 else ''} could not be placed in the "
                "new text and stay listed as orphans."
            )
        note(message)


# -- list -----------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    notes: list[Note] = []
    documents: dict[int, Document] = {}
    known = False
    with _existing_store() as store:
        if store is not None:
            document_id = find_in_library(store, args.file) if args.file else None
            known = args.file is None or document_id is not None
            notes = select_notes(store, document_id, tag=args.tag) if known else []
            documents = load_documents(store, notes)
    locators = {ident: Locator(document) for ident, document in documents.items()}
    if args.json:
        print_json([note_json(n, *_context(n, documents, locators)) for n in notes])
    elif notes:
        sys.stdout.write(format_notes(notes, documents, locators))
    if args.file is not None and not known:
        note(f"“{args.file}” is not in the library, so it has no notes; add one with: {_ADD_HINT}")
    elif not notes and not args.json:
        _nothing(args.file, args.tag, store is not None)
    return 0


def _nothing(file: str | None, tag: str | None, library: bool) -> None:
    """A sentence on stderr for an empty answer (not with ``--json``: ``[]`` says it, as
    in ``reader library --json``). A FILE that is not in the library is said even with
    ``--json``: the script may have named the wrong file, which ``[]`` alone would hide."""
    if tag is not None:
        where = f" on “{file}”" if file else " in the library"
        note(f"No note{where} is tagged “{tag}”.")
    elif file is not None:
        note(f"“{file}” has no notes yet; add one with: {_ADD_HINT}")
    elif library:
        note(f"The library has no notes yet; add one with: {_ADD_HINT}")
    else:
        note(f"The library is empty, so there are no notes; add one with: {_ADD_HINT}")


def _context(
    item: Note, documents: dict[int, Document], locators: dict[int, Locator]
) -> tuple[Document | None, Locator | None]:
    if item.document_id is None:
        return None, None
    return documents.get(item.document_id), locators.get(item.document_id)


def where(item: Note, locator: Locator | None) -> str:
    """Where a note is, in words: "paragraph 4", "whole article", "orphan: …"."""
    if item.kind == "entity":
        return f"{item.entity_canonical} ({item.entity_kind}), in every article"
    if item.kind == "document":
        return "whole article"
    if item.orphaned or item.start is None:
        return f"orphan: its passage is {ORPHAN_MARK}"
    return locator.location(item.start) if locator is not None else f"at {item.start}"


def format_notes(
    notes: Sequence[Note], documents: dict[int, Document], locators: dict[int, Locator]
) -> str:
    """Per note: id, article and location, then the quote, the note and its tags, indented;
    a blank line between notes, so a long note stays readable in a terminal."""
    blocks = []
    for item in notes:
        document, locator = _context(item, documents, locators)
        head = [where(item, locator)]
        if document is not None:
            head.insert(0, document_title(document) or f"article {item.document_id}")
        lines = [f"{item.id}  {', '.join(head)}"]
        if item.kind == "passage":
            lines.append(f"    “{shorten(item.quote, _LIST_QUOTE_CHARS)}”")
        lines += [f"    {line}".rstrip() for line in item.body.strip().splitlines()]
        if item.tags:
            lines.append("    Tags: " + "; ".join(item.tags))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def note_json(item: Note, document: Document | None, locator: Locator | None) -> dict[str, Any]:
    """One note for ``--json``: the CSV export's fields, with offsets and context."""
    return {
        "id": item.id,
        "kind": item.kind,
        "document_id": item.document_id,
        "document_title": document_title(document) if document is not None else None,
        "text_sha256": document.text_hash if document is not None else None,
        "location": where(item, locator) if item.kind != "entity" else None,
        "quote": item.quote if item.kind == "passage" else None,
        "prefix": item.prefix if item.kind == "passage" else None,
        "suffix": item.suffix if item.kind == "passage" else None,
        "start": item.start,
        "end": item.end,
        "orphaned": item.orphaned,
        "note": item.body,
        "tags": list(item.tags),
        "entity": (
            {"kind": item.entity_kind, "name": item.entity_canonical}
            if item.kind == "entity"
            else None
        ),
        "created": item.created,
        "modified": item.modified,
    }


# -- export and import ----------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    fmt = args.format or (format_for_path(args.output) if args.output else "md")
    count = 0
    with _existing_store() as store:
        document_id = None
        if store is not None and args.file:
            document_id = find_in_library(store, args.file)
        if store is None or (args.file and document_id is None):
            text = render([], {}, fmt)
        else:
            text, count = export_notes(store, fmt, document_id, tag=args.tag)
    if args.output:
        save_export(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if args.file and (store is None or document_id is None):
        note(f"“{args.file}” is not in the library, so it has no notes to export.")
    elif not count:
        _nothing(args.file, args.tag, store is not None)
    if args.output:
        note(f"Exported {count} note{'s' if count != 1 else ''} to {args.output}.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Read and check the whole file before opening the library: a bad file changes
    nothing, not even by creating an empty library."""
    path = Path(args.file)
    imported = read_notes_file(path)
    if not imported:
        print_line(f"“{path.name}” holds no notes; nothing was imported.")
        return 0
    with open_library() as store:
        result = store.import_notes(imported)
    print_line(import_sentence(result))
    return 0
