"""Writing a copy so that an existing file is only ever replaced by a complete one.

A PDF of a book takes seconds and can be cancelled; an HTML export can fail on a full disk.
Both are written to a temporary file beside the target and moved over it at the end.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reader.errors import ReaderError


class PrintError(ReaderError):
    """The copy could not be written or printed."""


NAME_MAX = 255
"""Bytes in one file name on Linux and macOS file systems (a longer name cannot exist)."""


def check_writable(target: Path) -> None:
    """Fail before any work when ``target`` cannot be written, with a sentence to show."""
    name_bytes = len(os.fsencode(target.name))
    if name_bytes > NAME_MAX - 16:  # room for the temporary name's prefix and suffix
        raise PrintError(
            f"The file name “{target.name[:40]}…” is {name_bytes} bytes long, more than file "
            f"systems allow ({NAME_MAX - 16} here, to leave room for the temporary copy); "
            "choose a shorter name."
        )
    if target.is_dir():
        raise PrintError(f"“{target}” is a folder; give the name of the file to write.")
    folder = _folder(target)
    if not folder.is_dir():
        raise PrintError(f"The folder “{folder}” does not exist; create it or choose another.")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise PrintError(f"Cannot write “{target}”: permission denied; choose another place.")


def temporary_beside(target: Path, suffix: str) -> Path:
    """An empty file next to ``target``, readable as a normal new file would be."""
    check_writable(target)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=suffix, dir=_folder(target)
        )
    except OSError as error:
        raise PrintError(write_error(target, error)) from None
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # mkstemp's 0600 would hide the copy from the group
    return Path(name)


def write_text_atomically(target: Path, text: str) -> None:
    temporary = temporary_beside(target, ".tmp")
    try:
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise PrintError(write_error(target, error)) from None


def write_error(target: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"Could not write “{target}” ({reason}); choose a folder you can write to."


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")
