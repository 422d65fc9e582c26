"""Reading a JSON file a researcher hands to reader (notes, corrections), with one sentence
for each way it can be wrong: missing, a folder, unreadable, too large, not UTF-8, empty,
not JSON (with line and column), nested too deeply or holding an absurd number.

Every message ends by saying nothing was imported: the caller checks the whole file before
the library is touched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader.errors import ReaderError


def read_json_file(path: Path, what: str, items: str, *, max_bytes: int | None = None) -> Any:
    """The parsed contents of ``path``, or ``ReaderError`` naming the file and the problem.

    ``what`` names the kind of file in a sentence ("a JSON-LD file of notes"), ``items``
    what it holds ("notes").
    """
    name = path.name or str(path)
    try:
        if max_bytes is not None and path.is_file() and path.stat().st_size > max_bytes:
            raise ReaderError(
                f"“{name}” is larger than {max_bytes // (1024 * 1024)} MB, far more than "
                f"{what} holds; nothing was imported."
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReaderError(f"There is no file “{path}”; check its name and folder.") from None
    except IsADirectoryError:
        raise ReaderError(f"“{path}” is a folder; name {what} in it.") from None
    except OSError as error:
        raise ReaderError(
            f"“{path}” could not be read ({error.strerror or error}); check that it exists "
            "and that you may read it."
        ) from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM from some Windows editors is harmless
    except UnicodeDecodeError as error:
        raise ReaderError(
            f"“{name}” is not UTF-8 text (byte {error.start + 1} is not), so it is not "
            f"{what}. Nothing was imported."
        ) from None
    if not text.strip():
        raise ReaderError(f"“{name}” is empty; there are no {items} in it to import.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReaderError(
            f"“{name}” is not valid JSON: {error.msg.lower()} at line {error.lineno}, column "
            f"{error.colno}. Nothing was imported; correct the file or export it again."
        ) from None
    except RecursionError:
        raise ReaderError(
            f"“{name}” nests its JSON too deeply to be {what} (thousands of levels); "
            "nothing was imported."
        ) from None
    except ValueError as error:  # a number of thousands of digits
        found = "a number thousands of digits long" if "digits" in str(error) else "a value"
        raise ReaderError(
            f"“{name}” holds {found}, which {what} never has; nothing was imported."
        ) from None
