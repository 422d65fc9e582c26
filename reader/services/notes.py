"""Notes in and out of files: the window's Export/Import Notes and ``reader notes``.

The formats and the checks live in ``store.notes_exchange``; this is the use case around
them, so both callers choose the notes, write the file and word the outcome alike.
"""

from __future__ import annotations

from pathlib import Path

from reader.errors import ReaderError
from reader.store import Store
from reader.store.notes_exchange import (
    FORMATS,
    export_notes,
    import_notes,
    write_atomically,
    write_error_message,
)

__all__ = ["FORMATS", "export_to_file", "import_from_file", "save_export"]


def save_export(path: str | Path, text: str, what: str = "notes") -> None:
    """Write an export (of notes, or ``what``) all at once; a failure is a ``ReaderError``
    naming the path."""
    try:
        write_atomically(Path(path), text)
    except OSError as error:
        raise ReaderError(write_error_message(path, error, what)) from None


def export_to_file(
    store: Store, path: str | Path, fmt: str, document_id: int | None = None, tag: str | None = None
) -> int:
    """Export notes (the whole library, or one article's) to ``path``; how many."""
    text, count = export_notes(store, fmt, document_id, tag=tag)
    save_export(path, text)
    return count


def import_from_file(store: Store, path: str | Path) -> str:
    """Import a Web Annotation JSON-LD file, all notes or none; the sentence saying so."""
    return import_notes(store, Path(path))
