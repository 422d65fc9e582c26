"""Opening a file as a ``Document``: the checks, the format table, the metadata.

Every way a file can fail to open ends here as a ``DocumentError`` whose message names the
file and says what to do, because the message is shown to the researcher as it is. Formats
are rows of ``FORMATS``: a new one (PDF, EPUB, HTML) adds a row whose reader takes the
file's bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reader.documents.encoding import decode_bytes, looks_binary
from reader.documents.markdown import parse_markdown
from reader.documents.model import Document, Metadata
from reader.documents.plaintext import parse_plain_text
from reader.errors import DocumentError

MAX_FILE_BYTES = 200 * 1024 * 1024
_MB = 1024 * 1024

Reader = Callable[[bytes, Metadata], Document]
TextParser = Callable[[str, Metadata], Document]


@dataclass(frozen=True, slots=True)
class FileFormat:
    label: str  # as it reads inside a sentence: "plain text", "Markdown"
    suffixes: tuple[str, ...]  # lower case, with the dot; the first is the usual one
    read: Reader  # bytes and metadata (path, file hash already filled) to a Document


def _read_text(parse: TextParser, data: bytes, metadata: Metadata) -> Document:
    """Reader for text formats: refuse binary data, decode, then parse."""
    name = _display_name(metadata.path)
    _refuse_binary(data, name)
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise DocumentError(
            f"“{name}” contains only blank lines and spaces; "
            "open a file that contains the article's text."
        )
    document = parse(text, replace(metadata, encoding=encoding))
    if not document.text.strip():
        raise DocumentError(
            f"“{name}” has no readable text once its formatting is removed; "
            "open the file in an editor to check what it contains."
        )
    return document


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("plain text", (".txt", ".text"), partial(_read_text, parse_plain_text)),
    FileFormat("Markdown", (".md", ".markdown", ".mdown"), partial(_read_text, parse_markdown)),
)
_FALLBACK_FORMAT = FORMATS[0]  # any other suffix is tried as plain text
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)

# Files people are likely to try that no row of FORMATS reads yet.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (an EPUB or Word document, perhaps)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x89PNG", "an image file"),
    (b"GIF8", "an image file"),
    (b"\xff\xd8\xff", "an image file"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
)


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read the file at ``path`` into a ``Document``, or raise ``DocumentError``."""
    file_path = Path(os.path.abspath(os.fspath(path)))
    data = _read_bytes(file_path)
    metadata = Metadata(path=str(file_path), file_hash=hashlib.sha256(data).hexdigest())
    return _format_for(file_path).read(data, metadata)


def file_dialog_filter() -> str:
    """Name filters for a Qt file dialog: all articles first, then each format, then all."""

    def patterns(suffixes: tuple[str, ...]) -> str:
        return " ".join(f"*{s}" for s in suffixes)

    rows = [f"Articles ({patterns(SUPPORTED_SUFFIXES)})"]
    rows += [f"{f.label[:1].upper()}{f.label[1:]} ({patterns(f.suffixes)})" for f in FORMATS]
    rows.append("All files (*)")
    return ";;".join(rows)


def _format_for(path: Path) -> FileFormat:
    suffix = path.suffix.lower()
    return next((f for f in FORMATS if suffix in f.suffixes), _FALLBACK_FORMAT)


def _supported_phrase() -> str:
    """ "plain text (.txt) and Markdown (.md)", kept in step with ``FORMATS``."""
    names = [f"{f.label} ({f.suffixes[0]})" for f in FORMATS]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _display_name(path: str | Path) -> str:
    return Path(path).name or str(path)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, after the checks that need no reading (existence, kind, size)."""
    name = _display_name(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DocumentError(
            f"“{name}” does not exist; it may have been moved, renamed or deleted, "
            "so check where it is and open it again."
        ) from None
    except PermissionError:
        raise _permission_error(name) from None
    except OSError as error:
        raise _os_error(name, error) from error
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(
            f"“{name}” is a folder, not a file; open one of the text or Markdown files inside it."
        )
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(
            f"“{name}” is not an ordinary file (it may be a device or a pipe); "
            "open a saved text or Markdown file instead."
        )
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large_error(name, info.st_size)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except PermissionError:
        raise _permission_error(name) from None
    except OSError as error:
        raise _os_error(name, error) from error
    if len(data) > MAX_FILE_BYTES:
        raise _too_large_error(name, len(data))
    if not data:
        raise DocumentError(
            f"“{name}” is empty (0 bytes); open a file that contains the article's text."
        )
    return data


def _refuse_binary(data: bytes, name: str) -> None:
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DocumentError(
                f"“{name}” is {what}; reader opens {_supported_phrase()} files, "
                "so save or export the article as text first."
            )
    if looks_binary(data):
        raise DocumentError(
            f"“{name}” does not contain text (it looks like a program, image or archive); "
            f"reader opens {_supported_phrase()} files."
        )


def _permission_error(name: str) -> DocumentError:
    return DocumentError(
        f"You do not have permission to read “{name}”; "
        "change the file's permissions or copy it to a folder of your own, then open it again."
    )


def _too_large_error(name: str, size: int) -> DocumentError:
    return DocumentError(
        f"“{name}” is {size / _MB:.1f} MB, more than the {MAX_FILE_BYTES / _MB:.0f} MB "
        "reader can open; split it into smaller files and open them one at a time."
    )


def _os_error(name: str, error: OSError) -> DocumentError:
    reason = error.strerror or str(error)
    return DocumentError(
        f"“{name}” could not be read ({reason}); "
        "check that its disk or network drive is available and try again."
    )
