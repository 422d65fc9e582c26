"""File names as the system has them, as the library stores them, and as people read them.

On Linux a file name is bytes, and not every name is valid UTF-8 (``caf\\xe9.txt`` written
by an old Windows program or unpacked from a zip). Python hands such a name over with the
undecodable bytes as lone surrogates (PEP 383, "surrogateescape"); those cannot be stored
as SQLite text, printed to a UTF-8 terminal or written to a JSON file. So:

- the library stores a name that is valid UTF-8 as text, exactly as before, and any other
  name as the raw bytes (a BLOB), which give the very same name back (``to_db``/``from_db``);
- a window or a title shows an undecodable byte as "�" (``readable``);
- one line of command-line output shows a name unchanged when it is plain, else in double
  quotes with escapes (``quoted``): a newline in a name cannot break "one line per file".
"""

from __future__ import annotations

import os

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def has_undecodable(text: str) -> bool:
    """True when ``text`` holds lone surrogates (undecodable bytes of a file name)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def to_db(path: str) -> str | bytes:
    """What the library stores for ``path``: text, or the raw bytes of an odd name."""
    return os.fsencode(path) if has_undecodable(path) else path


def from_db(value: str | bytes) -> str:
    """The path ``to_db`` stored (bytes come back as the surrogate-escaped name)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def readable(text: str) -> str:
    """``text`` with each undecodable byte shown as U+FFFD, for titles and the window."""
    if not has_undecodable(text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def quoted(path: str) -> str:
    """``path`` for one line of output: as it is when plain, else quoted with escapes.

    Escapes: ``\\n``, ``\\t``, ``\\"``, ``\\\\``, ``\\xNN`` for a byte that is not UTF-8,
    ``\\uNNNN`` for other invisible characters.
    """
    if path.isprintable() and not has_undecodable(path):
        return path
    pieces = []
    for char in path:
        code = ord(char)
        if char in _ESCAPES:
            pieces.append(_ESCAPES[char])
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
            pieces.append(f"\\x{code - 0xDC00:02x}")
        elif not char.isprintable() or 0xD800 <= code <= 0xDFFF:
            pieces.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            pieces.append(char)
    return '"' + "".join(pieces) + '"'
