"""Notes that lost their article (to damage, or to a broken link) are written to a file.

They are the researcher's own words: a note that cannot stay in the library is never
simply dropped, it goes to a Markdown file beside the library, named in the report.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.store.backups import stamp

log = logging.getLogger(__name__)


def keep_notes_file(db_path: Path, notes: Sequence[dict[str, Any]]) -> Path | None:
    """Write ``notes`` (rows of the notes table) as Markdown; None when it cannot be written."""
    target = db_path.with_name(f"recovered-notes-{stamp()}.md")
    lines = [
        "# Notes whose article was lost",
        "",
        "Their articles could not be read from the library. Import each article again and "
        "copy the notes back, or keep this file.",
        "",
    ]
    for note in notes:
        lines.append(f"## Note {note.get('id')} (article #{note.get('document_id')})")
        lines.append("")
        if note.get("quote"):
            lines += [f"> {line}" for line in str(note["quote"]).splitlines()] + [""]
        lines += [str(note.get("body") or ""), ""]
        tags = [t for t in str(note.get("tags") or "").split("\n") if t]
        if tags:
            lines += ["Tags: " + "; ".join(tags), ""]
        lines += [f"Written {note.get('created', '')}, changed {note.get('modified', '')}.", ""]
    try:
        target.write_text("\n".join(lines), encoding="utf-8", errors="backslashreplace")
    except OSError:
        log.exception("Could not write the lost notes to %s", target)
        return None
    return target
