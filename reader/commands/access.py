"""How a headless command opens the library, and what it says when the file was damaged.

A command that finds the library damaged salvages it (``reader.store.recovery``), prints
what was recovered and from where, and stops with exit status 1 without doing its own
work: a script must not take a salvaged library for business as usual, and running the
command again then works on the salvaged library.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reader import paths
from reader.errors import ReaderError, StoreError
from reader.store import Store, open_store


class LibraryRecovered(ReaderError):
    """The library was damaged and has just been salvaged; the message says what happened."""


def open_library() -> Store:
    """The library for writing (created when missing); ``LibraryRecovered`` after a salvage."""
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
def existing_library() -> Iterator[Store | None]:
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
