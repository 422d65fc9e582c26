"""Errors a researcher can act on.

Every failure the user may see is a ``ReaderError`` whose message says what happened and
what to do next, in one sentence or two. Tracebacks go to the log file, never to the user.
"""

from __future__ import annotations


class ReaderError(Exception):
    """A failure with a message meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DocumentError(ReaderError):
    """A file could not be opened as an article."""


class ModelError(ReaderError):
    """The spaCy model could not be loaded."""


class SettingsError(ReaderError):
    """The preferences file could not be read or written."""


class StoreError(ReaderError):
    """The library database could not be opened, read or written."""


def missing_part_message(error: ImportError) -> str:
    """A sentence for a library the installation lacks (an ImportError), never a traceback."""
    part = error.name or str(error).split()[-1].strip("'\".")
    return (
        f"A part of the reader is missing from this installation ({part}); install the reader "
        "again (pip install -e . in its folder, or the desktop app) and try once more."
    )
