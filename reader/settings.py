"""User preferences, kept as a small JSON file in the config folder.

Plain data only: the GUI turns geometry blobs into base64 strings before storing them.
A damaged file is set aside (never silently overwritten) and defaults are used.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from reader import paths
from reader.entities.kinds import DEFAULT_VISIBLE_KINDS, KIND_ORDER, Kind
from reader.filenames import has_undecodable

log = logging.getLogger(__name__)

MAX_RECENT_FILES = 10
MAX_READING_POSITIONS = 500  # articles whose reading position is kept; the oldest go first

# Okabe-Ito derived tints: distinguishable with the common colour-vision deficiencies;
# each kind also has its own underline style (see ui/highlight_style.py) for greyscale.
DEFAULT_COLOURS: dict[str, str] = {
    Kind.PERSON.value: "#cfe5f7",
    Kind.PLACE.value: "#fbe0b4",
    Kind.ORGANIZATION.value: "#f2d4e6",
    Kind.OTHER.value: "#e3e3e3",
}


@dataclass
class Settings:
    model: str = ""  # empty: the best installed English model
    colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))
    font_family: str = ""  # empty: the first available serif reading font
    font_size: int = 13
    zoom: int = 0
    visible_kinds: list[str] = field(
        default_factory=lambda: [k.value for k in KIND_ORDER if k in DEFAULT_VISIBLE_KINDS]
    )
    recent_files: list[str] = field(default_factory=list)
    last_document: str = ""
    window_geometry: str = ""
    window_state: str = ""
    # The last printed copy's choices (greyscale, notes, index, page size, margins); which
    # kinds to mark always starts from the legend.
    print_options: dict[str, object] = field(default_factory=dict)
    # Where each article was left: its text's hash -> the offset of the first character on
    # screen, the most recently read last (``remember_position``).
    reading_positions: dict[str, int] = field(default_factory=dict)

    def add_recent(self, path: str) -> None:
        self.recent_files = [path] + [p for p in self.recent_files if p != path]
        del self.recent_files[MAX_RECENT_FILES:]

    def remember_position(self, text_hash: str, offset: int) -> None:
        """Keep where an article was left (the start of a text needs no entry)."""
        self.reading_positions.pop(text_hash, None)
        if offset > 0:
            self.reading_positions[text_hash] = offset
        while len(self.reading_positions) > MAX_READING_POSITIONS:
            del self.reading_positions[next(iter(self.reading_positions))]

    def reading_position(self, text_hash: str) -> int:
        offset = self.reading_positions.get(text_hash, 0)
        return offset if isinstance(offset, int) and offset > 0 else 0

    def colour(self, kind: Kind) -> str:
        return self.colours.get(kind.value) or DEFAULT_COLOURS[kind.value]

    @property
    def visible(self) -> set[Kind]:
        return {Kind(v) for v in self.visible_kinds if v in Kind._value2member_map_}


def load(path: Path | None = None) -> Settings:
    path = path or paths.settings_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("Settings file %s unreadable (%s); using defaults", path, exc)
        _set_aside(path)
        return Settings()
    if not isinstance(raw, dict):
        _set_aside(path)
        return Settings()
    settings = Settings()
    for f in fields(Settings):
        if f.name in raw and isinstance(raw[f.name], type(getattr(settings, f.name))):
            setattr(settings, f.name, raw[f.name])
    settings.colours = {**DEFAULT_COLOURS, **settings.colours}
    return settings


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically so a crash mid-write never leaves half a file.

    A recent file whose name is not UTF-8 is written as ``\\udcXX`` escapes, which read
    back as the same name. A failure (a full disk) removes the temporary file and raises
    ``OSError``; the previous settings file stays as it was.
    """
    path = path or paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(settings), indent=2, ensure_ascii=False)
    if has_undecodable(text):
        text = json.dumps(asdict(settings), indent=2)
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _set_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.replace(path, path.with_suffix(".json.damaged"))
