"""Opening the library for a command, and keeping an opened article in it.

The window and the command line open articles the same way: the file is read into a
``Document``, then kept in the library under the SHA-256 of its text, so that a moved or
renamed file keeps its notes and its cached names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reader import paths
from reader.documents.loader import load_document
from reader.documents.model import Document
from reader.errors import ReaderError, StoreError
from reader.store import ImportResult, Store, open_store


class LibraryRecovered(ReaderError):
    """The library was damaged and has just been salvaged; the message says what happened."""


def open_library() -> Store:
    """The library for writing (created when missing); ``LibraryRecovered`` after a salvage.

    A command that finds the library damaged salvages it (``reader.store.recovery``) and
    stops without doing its own work: a script must not take a salvaged library for
    business as usual, and running the command again then works on the salvaged library.
    """
    store = open_store()
    _stop_if_recovered(store)
    return store


def _stop_if_recovered(store: Store) -> None:
    if store.recovery is not None:
        message = store.recovery.message
        store.close()
        raise LibraryRecovered(
            message + " The command did nothing else; run it again to go on with this library."
        )


@contextmanager
def existing_store() -> Iterator[Store | None]:
    """The library for reading, or None when there is none yet (a query creates nothing).

    A library on a folder the user may not write to (a shared copy, a read-only disk) is
    still readable: fall back to a read-only connection before giving up.
    """
    if not paths.database_file().exists():
        yield None
        return
    try:
        store = open_store()
    except StoreError as error:
        # A read-only folder, a full disk: reading needs no writing (see open_store).
        try:
            store = open_store(read_only=True)
        except StoreError as read_error:
            raise (read_error if _about_writing(error) else error) from None
    _stop_if_recovered(store)
    with store:
        yield store


def _about_writing(error: StoreError) -> bool:
    """The writable open failed only because the folder or file may not be written."""
    text = error.message.lower()
    return "cannot write" in text or "read-only" in text or "cannot create the folder" in text


def find_in_library(store: Store, file: str) -> int | None:
    """The library entry for FILE: by its path, else by its text (the file was moved or
    copied since it was imported). A file that cannot be read and is not known by its path
    raises the loader's ``DocumentError``."""
    found = store.find_by_path(file)
    if found is None:
        found = store.find_by_text_hash(load_document(file).text_hash)
    return found


def known_id(store: Store | None, document: Document) -> int | None:
    """The library id of this very text, if it is already kept (one indexed lookup)."""
    if store is None:
        return None
    return store.find_by_text_hash(document.text_hash)


@dataclass(frozen=True, slots=True)
class Kept:
    """What keeping an opened article in the library did."""

    result: ImportResult

    @property
    def document_id(self) -> int:
        return self.result.document_id

    @property
    def changed(self) -> bool:
        """The library's list of articles changed (a new article, or a new text)."""
        return self.result.status != "present"

    @property
    def message(self) -> str:
        """A sentence for the window's status bar, or ""."""
        if self.result.status == "updated":
            return "The file changed since it was imported: the library now has its new text."
        return ""


def keep_in_library(store: Store, document: Document) -> Kept:
    """Add an opened article to the library, or find it there (the window's open, and
    ``reader notes add``). Raises ``StoreError`` with a sentence when it cannot be written."""
    if store.read_only:
        raise StoreError("The library is read-only, so the article was not added to it.")
    return Kept(store.import_document(document))
