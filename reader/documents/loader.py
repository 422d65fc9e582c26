"""Opening a file as a ``Document``: the checks, the format table, the metadata.

Every way a file can fail to open ends here as a ``DocumentError`` whose message names the
file and says what to do, because the message is shown to the researcher as it is. Formats
are rows of ``FORMATS``, each with a reader that takes the file's bytes; the format is
recognised by content first (``detect_format``), so a renamed file still opens.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reader.documents.encoding import decode_bytes, looks_binary
from reader.documents.memory import check_fits
from reader.documents.model import Document, Metadata
from reader.documents.plaintext import parse_plain_text
from reader.documents.safe_zip import ZIP_ERRORS
from reader.errors import DocumentError, missing_part_message

MAX_FILE_BYTES = 200 * 1024 * 1024
_MB = 1024 * 1024

Reader = Callable[[bytes, Metadata], Document]
TextParser = Callable[[str, Metadata], Document]


@dataclass(frozen=True, slots=True)
class FileFormat:
    label: str  # as it reads inside a sentence: "plain text", "a PDF"
    suffixes: tuple[str, ...]  # lower case, with the dot; the first is the usual one
    read: Reader  # bytes and metadata (path, file hash already filled) to a Document
    key: str = ""  # short name for the command line and the cache: "pdf", "docx"


# Reading an archive's "mimetype" entry; RuntimeError: an encrypted entry.
_MIMETYPE_ERRORS: tuple[type[Exception], ...] = (*ZIP_ERRORS, KeyError, RuntimeError)


def _read_text(parse: TextParser, data: bytes, metadata: Metadata) -> Document:
    """Reader for text formats: refuse binary data, decode, then parse."""
    name = _display_name(metadata.path)
    _refuse_binary(data, name)
    text, encoding = decode_bytes(data)
    if not text or text.isspace():  # no copy of a book just to test it
        raise DocumentError(
            f"“{name}” contains only blank lines and spaces; "
            "open a file that contains the article's text."
        )
    document = parse(text, replace(metadata, encoding=encoding))
    if not document.text or document.text.isspace():
        raise DocumentError(
            f"“{name}” has no readable text once its formatting is removed; "
            "open the file in an editor to check what it contains."
        )
    return document


def _lazy(module: str, function: str) -> Reader:
    """A reader imported on first use: lxml, pdfium and trafilatura cost start-up time."""

    def read(data: bytes, metadata: Metadata) -> Document:
        reader: Reader = getattr(importlib.import_module(module), function)
        return reader(data, metadata)

    return read


def _markdown_parser() -> TextParser:
    """markdown-it costs 30 ms to import: only when a Markdown file is opened."""
    from reader.documents.markdown import parse_markdown

    return parse_markdown


_FORMATS_PACKAGE = "reader.documents.formats"
PLAIN_TEXT = FileFormat(
    "plain text", (".txt", ".text"), partial(_read_text, parse_plain_text), "text"
)
MARKDOWN = FileFormat(
    "Markdown",
    (".md", ".markdown", ".mdown"),
    partial(_read_text, lambda text, meta: _markdown_parser()(text, meta)),
    "markdown",
)
HTML = FileFormat(
    "web pages",
    (".html", ".htm", ".xhtml", ".shtml"),
    _lazy(f"{_FORMATS_PACKAGE}.html", "read_html"),
    "html",
)
MHTML = FileFormat(
    "web archives", (".mhtml", ".mht"), _lazy(f"{_FORMATS_PACKAGE}.html", "read_mhtml"), "mhtml"
)
PDF = FileFormat("PDF", (".pdf",), _lazy(f"{_FORMATS_PACKAGE}.pdf", "read_pdf"), "pdf")
DOCX = FileFormat(
    "Word", (".docx", ".docm", ".dotx"), _lazy(f"{_FORMATS_PACKAGE}.docx", "read_docx"), "docx"
)
ODT = FileFormat(
    "OpenDocument", (".odt", ".ott"), _lazy(f"{_FORMATS_PACKAGE}.odt", "read_odt"), "odt"
)
EPUB = FileFormat("EPUB", (".epub",), _lazy(f"{_FORMATS_PACKAGE}.epub", "read_epub"), "epub")
RTF = FileFormat("RTF", (".rtf",), _lazy(f"{_FORMATS_PACKAGE}.rtf", "read_rtf"), "rtf")

FORMATS: tuple[FileFormat, ...] = (PLAIN_TEXT, MARKDOWN, HTML, MHTML, PDF, DOCX, ODT, EPUB, RTF)
_FALLBACK_FORMAT = PLAIN_TEXT  # any other suffix is tried as plain text
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)

# Files people are likely to try that no row of FORMATS reads.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-style Microsoft Office document (.doc) or a password-protected one",
    ),
    (b"\x89PNG", "an image file"),
    (b"GIF8", "an image file"),
    (b"\xff\xd8\xff", "an image file"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed (7-Zip) file"),
    (b"Rar!", "a compressed (RAR) file"),
)
_OLE_SIGNATURE = _BINARY_SIGNATURES[0][0]
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?"
    rb"(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>)",
    re.IGNORECASE | re.DOTALL,
)
_MHTML_HEADER = re.compile(
    rb"^(?:[\w-]+:[^\n]*\r?\n)*?content-type:\s*multipart/related", re.I | re.M
)


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read the file at ``path`` into a ``Document``, or raise ``DocumentError``."""
    file_path = Path(os.path.abspath(os.fspath(path)))
    with contextlib.suppress(OSError):  # a missing file is said by _read_bytes
        check_fits(_display_name(file_path), file_path.stat().st_size)
    data = _read_bytes(file_path)
    return read_document(data, file_path)


def file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes ``load_document`` would parse, after the same checks (for sending elsewhere)."""
    return _read_bytes(Path(os.path.abspath(os.fspath(path))))


def read_document(data: bytes, path: str | os.PathLike[str]) -> Document:
    """A ``Document`` from a file's bytes; ``path`` names it and hints at its format."""
    metadata = Metadata(path=os.fspath(path), file_hash=hashlib.sha256(data).hexdigest())
    file_format = detect_format(data, Path(path))
    try:
        return file_format.read(data, metadata)
    except ImportError as error:
        # A format's library missing from the installation (lxml_html_clean once was).
        raise DocumentError(
            f"“{_display_name(Path(path))}” could not be opened. {missing_part_message(error)}"
        ) from error


def detect_format(data: bytes, path: Path) -> FileFormat:
    """The format of ``data``, by its content first and its suffix second.

    Researchers rename files and browsers save pages with odd names: an HTML page called
    ``.txt``, a PDF without a suffix and a Word file renamed ``.zip`` all open as what they
    are. Bytes in a format reader does not read end in a message naming those it does.
    """
    name = _display_name(path)
    head = data[:8192]
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data, name)
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{\\rtf"):
        return RTF
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise DocumentError(f"“{name}” is {what}; {_opens_phrase()}")
    if _MHTML_HEADER.match(head):
        return MHTML
    by_suffix = _format_for(path)
    if by_suffix in (PLAIN_TEXT, MARKDOWN) and _HTML_START.match(head):
        return HTML
    if by_suffix == RTF and _headless_rtf(head):
        return RTF  # RTF cut off before its "{\rtf1": the RTF reader reads what it can
    if by_suffix == RTF and not looks_binary(data):
        raise DocumentError(
            f"“{name}” is named like an RTF file but holds plain text without RTF formatting "
            "(it does not start with “{\\rtf1”); rename it to .txt and open it again."
        )
    if by_suffix in (PDF, DOCX, ODT, EPUB, RTF):
        # A binary suffix on a file without the matching content: truncated, or mislabelled.
        what = "text" if not looks_binary(data) else "something else"
        raise DocumentError(
            f"“{name}” is named like {_article(by_suffix)} file but contains {what}, so it "
            f"may be damaged or incomplete; {_opens_phrase()}"
        )
    return by_suffix


def _headless_rtf(head: bytes) -> bool:
    from reader.documents.formats.rtf import looks_like_headless_rtf

    return looks_like_headless_rtf(head)


def _zip_format(data: bytes, name: str) -> FileFormat:
    """DOCX, ODT and EPUB are all zip archives: the entries tell them apart."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        mimetype = b""
        if "mimetype" in names:
            with archive.open("mimetype") as member:  # bounded: the entry may be a bomb
                mimetype = member.read(100).strip()
    except _MIMETYPE_ERRORS:
        names, mimetype = set(), b""
    if mimetype == b"application/epub+zip" or (
        "META-INF/container.xml" in names and any(n.endswith(".opf") for n in names)
    ):
        return EPUB
    if mimetype.startswith(b"application/vnd.oasis.opendocument") or "content.xml" in names:
        return ODT  # the ODT reader names other OpenDocument kinds in its message
    if "word/document.xml" in names or "[Content_Types].xml" in names:
        return DOCX
    if not names:
        raise DocumentError(
            f"“{name}” is a damaged or incomplete ZIP archive (a Word, OpenDocument or EPUB "
            "file, perhaps) and cannot be read; open the original again or ask for a new copy."
        )
    raise DocumentError(f"“{name}” is a ZIP archive of other files; {_opens_phrase()}")


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


def _article(fmt: FileFormat) -> str:
    vowel_sound = fmt.label[0] in "AEIOU" or fmt.label in ("RTF", "MHTML")
    return ("an " if vowel_sound else "a ") + fmt.label


def supported_phrase() -> str:
    """ "plain text (.txt), Markdown (.md), … and RTF (.rtf)", in step with ``FORMATS``."""
    names = [f"{f.label} ({f.suffixes[0]})" for f in FORMATS]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _opens_phrase() -> str:
    return f"reader opens {supported_phrase()} files."


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
    if looks_binary(data):
        raise DocumentError(
            f"“{name}” does not contain text (it looks like a program, image or archive); "
            f"{_opens_phrase()}"
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
