"""Reading a file in another process: the document as plain data, or a sentence for the user.

The window's helper processes (``reader.tasks``) and a cluster's workers (``reader.cluster``)
parse files with these functions, so a file gets the same text, the same limits and the
same messages wherever it is read. Plain data (``Document.to_plain``) crosses a process or
a network boundary as built-in types; a failure crosses it as a string, never as an
exception the other side would have to import.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from reader.documents.budget import time_budget
from reader.documents.loader import file_bytes, load_document, read_document
from reader.documents.model import PlainDocument
from reader.errors import ReaderError

log = logging.getLogger(__name__)


def load_plain(path: str, budget: float | None = None) -> PlainDocument | str:
    """The file at ``path`` as plain data, or the message for the user.

    ``budget``: seconds after which the file is given up (``documents.budget``)."""
    try:
        with time_budget(path, budget):
            return load_document(path).to_plain()
    except ReaderError as exc:
        return exc.message
    except Exception as exc:
        log.exception("Loading %s failed", path)
        return _unexpected(path, exc)


def read_plain(data: bytes, path: str) -> PlainDocument | str:
    """Bytes sent from elsewhere (``path`` names them) as plain data, or the message."""
    try:
        return read_document(data, path).to_plain()
    except ReaderError as exc:
        return exc.message
    except Exception as exc:
        log.exception("Reading %s failed", path)
        return _unexpected(path, exc)


def read_for_sending(path: str) -> bytes | str:
    """The bytes of ``path`` to send to a process that cannot see it, or the message.

    The checks that need no parsing (missing file, a folder, empty, larger than the limit)
    happen here, before anything is sent, with the messages ``load_document`` gives.
    """
    try:
        return file_bytes(os.path.abspath(path))
    except ReaderError as exc:
        return exc.message


def _unexpected(path: str, exc: BaseException) -> str:
    return f"{Path(path).name} could not be opened ({type(exc).__name__})."
