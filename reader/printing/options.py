"""What the researcher chose for a printed copy, and the defaults they would expect.

Plain data, so that the dialog, the command line and the tests build the same thing; the
page size default comes from the locale because a copy printed on the wrong paper in
Toronto or Lyon gets clipped or shrunk by the printer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from PySide6.QtCore import QLocale

from reader.entities.kinds import DEFAULT_VISIBLE_KINDS, KIND_ORDER, Kind
from reader.settings import DEFAULT_COLOURS, Settings

NotesPlacement = Literal["footnotes", "endnotes", "none"]
PageSizeName = Literal["A4", "Letter"]
NOTES_PLACEMENTS: tuple[str, ...] = get_args(NotesPlacement)
PAGE_SIZES: tuple[str, ...] = get_args(PageSizeName)

# Where US Letter is the paper in the shops (the Americas that follow the US, and the
# Philippines); everywhere else uses ISO A4.
_LETTER_COUNTRIES = frozenset(
    getattr(QLocale.Country, name)
    for name in (
        "UnitedStates",
        "Canada",
        "Mexico",
        "Belize",
        "Chile",
        "Colombia",
        "CostaRica",
        "DominicanRepublic",
        "ElSalvador",
        "Guatemala",
        "Nicaragua",
        "Panama",
        "Philippines",
        "PuertoRico",
        "Venezuela",
    )
)

MIN_MARGIN_MM = 10.0  # below this most printers clip, and there is no room for the footer
MAX_MARGIN_MM = 40.0


def default_page_size(locale: QLocale | None = None) -> PageSizeName:
    """Letter for the countries that use it, A4 elsewhere."""
    territory = (locale or QLocale()).territory()
    return "Letter" if territory in _LETTER_COUNTRIES else "A4"


@dataclass(frozen=True)
class PrintOptions:
    """Everything that changes the printed copy; the defaults make a good first print."""

    kinds: frozenset[Kind] = DEFAULT_VISIBLE_KINDS
    greyscale: bool = False
    notes: NotesPlacement = "footnotes"
    include_index: bool = True
    page_size: PageSizeName = field(default_factory=default_page_size)
    margin_mm: float = 20.0
    font_size: float = 10.5  # points, for the body text
    tints: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))
    printed_at: datetime | None = None  # None: now (tests fix it for stable output)

    def __post_init__(self) -> None:
        if self.notes not in NOTES_PLACEMENTS:
            raise ValueError(f"notes must be one of {', '.join(NOTES_PLACEMENTS)}")
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}")
        margin = min(MAX_MARGIN_MM, max(MIN_MARGIN_MM, float(self.margin_mm)))
        object.__setattr__(self, "margin_mm", margin)
        object.__setattr__(self, "kinds", frozenset(Kind(k) for k in self.kinds))

    @property
    def ordered_kinds(self) -> list[Kind]:
        """The marked kinds in the legend's order."""
        return [kind for kind in KIND_ORDER if kind in self.kinds]

    def tint(self, kind: Kind) -> str:
        return self.tints.get(kind.value) or DEFAULT_COLOURS[kind.value]

    @property
    def show_notes(self) -> bool:
        return self.notes != "none"


# What a printed copy remembers between sessions: everything but the kinds to mark, which
# follow the legend, and the tints, which follow Preferences.
REMEMBERED = ("greyscale", "notes", "include_index", "page_size", "margin_mm")


def options_from_settings(settings: Settings) -> PrintOptions:
    """The last print's choices, the legend's kinds and the reading view's tints."""
    tints = {kind.value: settings.colour(kind) for kind in KIND_ORDER}
    saved = {k: v for k, v in settings.print_options.items() if k in REMEMBERED}
    kinds = frozenset(settings.visible)
    try:
        return PrintOptions(kinds=kinds, tints=tints, **saved)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a hand-edited or older settings file
        return PrintOptions(kinds=kinds, tints=tints)


def remember_choices(settings: Settings, options: PrintOptions) -> None:
    """Keep this print's choices for the next one (saved with the other settings)."""
    settings.print_options = {name: getattr(options, name) for name in REMEMBERED}
