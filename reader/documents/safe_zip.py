"""Reading zip-based formats (DOCX, ODT, EPUB) without trusting the archive.

A hostile or broken archive must end in a ``DocumentError``, never in a crash, a hang or a
full disk: the number of entries, the total uncompressed size and each entry's compression
ratio are capped, sizes are checked on the bytes actually inflated (headers can lie), and
entries whose names climb out of the archive (``../``, absolute paths) are ignored.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import PurePosixPath
from urllib.parse import unquote

from reader.errors import DocumentError

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_RATIO = 1000  # uncompressed / compressed: repetitive XML reaches ~300x, bombs far more
_RATIO_FLOOR = 1024 * 1024  # small entries may have any ratio (a run of spaces, say)
_CHUNK = 1024 * 1024

# What zipfile and zlib raise on a damaged archive or member, whichever step meets it first:
# a mangled header can claim a zip version from the future (NotImplementedError), or an
# unsupported compression method. An encrypted member raises RuntimeError, which callers
# handle on their own because it asks for a different message.
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


class SafeZip:
    """A read-only view of a zip archive held in memory."""

    def __init__(self, data: bytes, name: str, kind: str) -> None:
        """``name`` is the file's display name, ``kind`` the format ("Word document")."""
        self.name = name
        self.kind = kind
        self._inflated = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except ZIP_ERRORS:
            raise self.damaged() from None
        if len(infos) > MAX_ENTRIES:
            raise DocumentError(
                f"“{name}” holds {len(infos):,} files inside, more than the {MAX_ENTRIES:,} "
                f"{_a(kind)} can reasonably have; it may be damaged or not {_a(kind)} at all."
            )
        self._entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            clean = clean_name(info.filename)
            if clean is not None and not info.is_dir():
                self._entries.setdefault(clean, info)

    def damaged(self) -> DocumentError:
        return DocumentError(
            f"“{self.name}” is a damaged or incomplete {self.kind} and cannot be read; "
            "open the original again or ask whoever sent it for a fresh copy."
        )

    def names(self) -> list[str]:
        return list(self._entries)

    def has(self, member: str) -> bool:
        return clean_name(member) in self._entries

    def read(self, member: str) -> bytes:
        """The member's bytes; a missing member is a damaged archive."""
        data = self.read_optional(member)
        if data is None:
            raise self.damaged()
        return data

    def read_optional(self, member: str) -> bytes | None:
        clean = clean_name(member)
        info = self._entries.get(clean) if clean is not None else None
        if info is None:
            return None
        if info.file_size > MAX_ENTRY_BYTES or self._inflated + info.file_size > MAX_TOTAL_BYTES:
            raise self._too_big()
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if (
                        size > MAX_ENTRY_BYTES
                        or self._inflated + size > MAX_TOTAL_BYTES
                        or (size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1))
                    ):
                        raise self._too_big()
                    parts.append(chunk)
        except DocumentError:
            raise
        except ZIP_ERRORS:
            raise self.damaged() from None
        except RuntimeError:
            raise DocumentError(
                f"“{self.name}” is password-protected; open it in its own application, "
                "remove the password, save it and open it here again."
            ) from None
        self._inflated += size
        return b"".join(parts)

    def _too_big(self) -> DocumentError:
        return DocumentError(
            f"“{self.name}” expands to far more data than {_a(self.kind)} should "
            "(it may be a “zip bomb” or damaged), so reader stopped reading it."
        )


def _a(kind: str) -> str:
    """ "a Word document", "an EPUB book", "an OpenDocument text document"."""
    return f"{'an' if kind[:1].upper() in 'AEIOU' else 'a'} {kind}"


def clean_name(member: str) -> str | None:
    """The member's normalised path, or None when it escapes the archive."""
    member = member.replace("\\", "/")
    if member.startswith("/") or PurePosixPath(member).is_absolute() or ":" in member.split("/")[0]:
        return None
    normal = posixpath.normpath(member)
    if normal == ".." or normal.startswith("../") or normal == ".":
        return None
    return normal


def resolve(base: str, href: str) -> str | None:
    """``href`` (relative to the member ``base``) as an archive path, or None if it escapes."""
    href = href.split("#", 1)[0]
    joined = posixpath.join(posixpath.dirname(base), unquote(href))
    return clean_name(joined)
