"""Notes out of the library into a file, and back in: what the GUI and ``reader notes`` share.

No Qt here, so the window's Export/Import menu items and the command line run the same
code and give the same sentences. The formats themselves live in ``reader.notes.export``;
this module chooses the notes, loads each article they cite once, reads and checks a file
before anything touches the library, and writes a file so that a crash or a full disk
leaves either the old file or the new one, never half of each.

Errors: ``export_notes`` and ``import_notes`` raise ``ReaderError`` (with a sentence to
show as it is); ``write_atomically`` raises ``OSError``, which the caller turns into a
sentence naming the path it chose (see ``write_error_message``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from reader.documents.model import Document
from reader.errors import ReaderError
from reader.filenames import has_undecodable
from reader.json_files import read_json_file
from reader.notes.export import (
    ImportedNote,
    NotesFormatError,
    from_jsonld,
    to_csv,
    to_jsonld,
    to_markdown,
)
from reader.notes.model import Note
from reader.store.database import reading
from reader.store.notes_import import NotesImportResult
from reader.store.store import Store

FORMATS = ("md", "csv", "jsonld")
"""Export formats: Markdown to read, CSV to sort, W3C Web Annotation JSON-LD to exchange."""

SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "md",
    ".csv": "csv",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
"""File name endings that imply a format (for ``-o notes.csv`` without ``--format``)."""


def format_for_path(path: str | os.PathLike[str], default: str = "md") -> str:
    """The export format a file name asks for, else ``default``."""
    return SUFFIXES.get(Path(path).suffix.lower(), default)


# -- export ---------------------------------------------------------------------------------


def select_notes(
    store: Store, document_id: int | None = None, *, tag: str | None = None
) -> list[Note]:
    """The notes an export or a listing covers, in text order.

    The whole library (``document_id`` None): every note, entity notes included. One
    article: its own notes plus the notes on the people, places and organisations it
    mentions, as far as its entity summary knows them (an article never analysed has no
    summary, so it gets its own notes only). Found through the summary rather than by
    analysing the text again, which would need the spaCy model.
    """
    if document_id is None:
        return store.list_notes(tag=tag, include_entity_notes=True)
    notes = store.list_notes(document_id, tag=tag, include_entity_notes=True)
    if not any(note.kind == "entity" for note in notes):
        return notes
    mentioned = _mentioned_entities(store, document_id)
    return [note for note in notes if note.kind != "entity" or note.entity in mentioned]


def _mentioned_entities(store: Store, document_id: int) -> set[tuple[str, str]]:
    with reading("read the names found in the article"):
        rows = store.conn.execute(
            "SELECT kind, canonical FROM entity_summary WHERE document_id = ?", (document_id,)
        ).fetchall()
    return {(kind, canonical) for kind, canonical in rows}


def load_documents(store: Store, notes: Iterable[Note]) -> dict[int, Document]:
    """Each article the notes belong to, loaded once (citations need its blocks and
    metadata; a library export touches every article with a note, never the others)."""
    documents: dict[int, Document] = {}
    for note in notes:
        if note.document_id is not None and note.document_id not in documents:
            documents[note.document_id] = store.get_document(note.document_id)
    return documents


def render(notes: list[Note], documents: dict[int, Document], fmt: str) -> str:
    """``notes`` as the text of an export file (``fmt`` one of ``FORMATS``)."""
    if fmt == "md":
        return to_markdown(notes, documents)
    if fmt == "csv":
        return to_csv(notes, documents)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(notes, documents), ensure_ascii=False, indent=2) + "\n"
    raise _unknown_format(fmt)


def _unknown_format(fmt: str) -> ReaderError:
    return ReaderError(
        f"“{fmt}” is not a format reader exports notes in; use md (Markdown), csv or jsonld "
        "(W3C Web Annotation)."
    )


def export_notes(
    store: Store, fmt: str, document_id: int | None = None, *, tag: str | None = None
) -> tuple[str, int]:
    """The text of an export and how many notes it holds (see ``select_notes``)."""
    if fmt not in FORMATS:
        raise _unknown_format(fmt)  # before any article is loaded
    notes = select_notes(store, document_id, tag=tag)
    return render(notes, load_documents(store, notes), fmt), len(notes)


# -- import ---------------------------------------------------------------------------------


def read_notes_file(path: Path) -> list[ImportedNote]:
    """The notes of a JSON-LD file, checked completely before the library is touched.

    Raises ``ReaderError`` naming the file and the first problem: the file cannot be read,
    is not UTF-8, is not JSON (with line and column), or is not Web Annotation JSON-LD
    reader can place (``NotesFormatError``, with the item's number).
    """
    name = path.name or str(path)
    data = read_json_file(path, "a JSON-LD file of notes", "notes")
    try:
        imported = from_jsonld(data)
    except NotesFormatError as error:
        problem = error.problem
        if error.item is not None:
            where = f"Item {error.item} of “{name}”"
        else:
            where = f"“{name}”"
            if problem[:1].isupper() and problem[1:2].islower():
                problem = problem[:1].lower() + problem[1:]
        located = NotesFormatError(f"{where}: {problem}")
        located.item = error.item
        raise located from None
    for number, item in enumerate(imported, 1):
        if _has_lone_surrogate(item.note):
            raise NotesFormatError(
                f"Item {number} of “{name}”: its text holds a lone UTF-16 surrogate (a "
                "\\uD800–\\uDFFF escape without its pair), which is not a character",
            )
    return imported


def _has_lone_surrogate(note: Note) -> bool:
    fields = (note.body, note.quote, note.prefix, note.suffix, note.entity_canonical, *note.tags)
    return any(has_undecodable(value) for value in fields if value)


def import_notes(store: Store, path: Path) -> str:
    """Add the notes of a JSON-LD file to the library, all or none; a sentence for the user.

    The whole file is read and checked first (``read_notes_file``), then added in one
    durable transaction (``Store.import_notes``): the first problem, in the file or in the
    library (an article that is not there), leaves the library as it was.
    """
    imported = read_notes_file(path)
    if not imported:
        return f"“{path.name}” holds no notes; nothing was imported."
    return import_sentence(store.import_notes(imported))


def import_sentence(result: NotesImportResult) -> str:
    """ "Imported 12 notes; 3 were already in the library; 1 could not be placed …"."""
    added, skipped, orphaned = result.added, result.skipped, result.orphaned
    if not added:
        every = "it was" if skipped == 1 else f"all {skipped} were"
        return f"Imported no notes: {every} already in the library."
    parts = [f"Imported {added} note{'s' if added != 1 else ''}"]
    if skipped:
        parts.append(f"{skipped} {'was' if skipped == 1 else 'were'} already in the library")
    if orphaned == 1:
        parts.append("1 could not be placed in its article and is listed as an orphan")
    elif orphaned:
        parts.append(f"{orphaned} could not be placed in their articles and are listed as orphans")
    return "; ".join(parts) + "."


# -- writing files --------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends as given) to ``path`` all at once, or not at all.

    The text goes to a temporary file in the same folder (so that the rename cannot cross
    file systems), is flushed and fsynced, then replaces ``path`` with ``os.replace``; a
    reader of ``path`` sees the old file or the new one, and a failure removes the
    temporary file and leaves an existing ``path`` untouched. A symbolic link is followed,
    so the file it points to is updated and the link stays. A new file gets the usual
    permissions (the umask's), an existing one keeps its own.

    Raises ``OSError`` (the caller knows which path the user chose and says so).
    """
    target = Path(os.path.realpath(path))
    data = text.encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):  # a new file: the umask's permissions
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a folder that cannot be opened is skipped,
    since the file's data is already on disk."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_error_message(path: str | os.PathLike[str], error: OSError, what: str = "notes") -> str:
    """The sentence for a failed ``write_atomically`` of the ``what`` (notes, corrections)."""
    reason = error.strerror or str(error)
    return (
        f"The {what} could not be written to “{os.fspath(path)}” ({reason}); check that the "
        "folder exists, that you may write to it and that the disk is not full."
    )
