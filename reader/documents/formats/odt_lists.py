"""OpenDocument list numbers: the "1.", "a)" and "4.1" LibreOffice shows before list items.

ODF keeps no number in the text. A ``text:list`` names a ``text:list-style`` whose levels say
the format ("1", "a", "i"), prefix, suffix, start value and how many levels a label shows
("4.1" shows two); headings outside lists are numbered by the document's
``text:outline-style`` when it has a format. A list starts counting afresh unless it
continues an earlier one: ``text:continue-list`` names that list's ``xml:id``, and
``text:continue-numbering`` continues the one just before. Nested lists are levels of the
list they sit in and share its counters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from reader.documents.formats.list_numbers import MAX_LEVELS, Counters, format_number, whole_number
from reader.documents.safe_xml import local_name

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_FORMATS = {
    "1": "decimal",
    "a": "lower-letter-sequence",
    "A": "upper-letter-sequence",
    "i": "lower-roman",
    "I": "upper-roman",
}
_SYNCED = {"a": "lower-letter", "A": "upper-letter"}


def _text(name: str) -> str:
    return f"{{{_TEXT}}}{name}"


def _style(name: str) -> str:
    return f"{{{_STYLE}}}{name}"


@dataclass(frozen=True, slots=True)
class Level:
    number_format: str  # a list_numbers format; "" for bullets, pictures and unnumbered levels
    prefix: str = ""
    suffix: str = ""
    start: int = 1
    shown: int = 1  # text:display-levels: how many levels' numbers the label shows
    separator: str = " "


def _level(element: etree._Element) -> Level:
    if local_name(element) != "list-level-style-number" and local_name(element) != (
        "outline-level-style"
    ):
        return Level("")
    raw = element.get(_style("num-format")) or ""
    synced = (element.get(_style("num-letter-sync")) or "").lower() == "true"
    number_format = (_SYNCED.get(raw) if synced else None) or _FORMATS.get(raw, "")
    followed = next(
        (
            e.get(_text("label-followed-by"))
            for e in element.iter()
            if local_name(e) == "list-level-label-alignment"
        ),
        None,
    )
    return Level(
        number_format,
        prefix=element.get(_style("num-prefix")) or "",
        suffix=element.get(_style("num-suffix")) or "",
        start=whole_number(element.get(_text("start-value")), 1),
        shown=min(max(whole_number(element.get(_text("display-levels")), 1), 1), MAX_LEVELS),
        separator="" if followed == "nothing" else " ",
    )


def _levels(style: etree._Element) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for element in style:
        if isinstance(element.tag, str):
            index = whole_number(element.get(_text("level")), 0) - 1
            if 0 <= index < MAX_LEVELS:
                levels.setdefault(index, _level(element))
    return levels


def _label(levels: dict[int, Level], counters: Counters, index: int) -> str:
    level = levels.get(index)
    if level is None or not level.number_format:
        return ""
    parts = []
    for upper in range(max(index - level.shown + 1, 0), index + 1):
        known = levels.get(upper, Level("decimal"))
        value = counters.value(upper, known.start)
        parts.append(format_number(value, known.number_format or "decimal"))
    return f"{level.prefix}{'.'.join(parts)}{level.suffix}{level.separator}"


@dataclass(slots=True)
class OpenList:
    """A list being read: its style's levels and the counters it shares with its nests."""

    levels: dict[int, Level]
    counters: Counters = field(default_factory=Counters)

    def label(self, index: int) -> str:
        """Count an item at ``index`` (0-based level) and return its label with a space."""
        level = self.levels.get(index, Level(""))
        self.counters.count(index, level.start)
        return _label(self.levels, self.counters, index)

    def restart_at(self, index: int, value: int) -> None:
        """The item at ``index`` is numbered ``value`` (``text:start-value`` on an item)."""
        self.counters.restart(index)
        level = self.levels.get(index) or Level("")
        self.levels = {**self.levels, index: replace(level, start=value)}


class OdtLists:
    """The document's list styles and the lists met so far, for continuing numbering."""

    def __init__(self) -> None:
        self.styles: dict[str, dict[int, Level]] = {}
        self.outline: dict[int, Level] = {}
        self.outline_counters = Counters()
        self._by_id: dict[str, Counters] = {}
        self._last: dict[str, Counters] = {}  # the latest list of each style

    def load(self, root: etree._Element) -> None:
        """Read the list and outline styles of ``content.xml`` or ``styles.xml``."""
        for group in root:
            if local_name(group) not in ("styles", "automatic-styles"):
                continue
            for style in group:
                if not isinstance(style.tag, str):
                    continue
                if style.tag == _text("list-style"):
                    self.styles.setdefault(style.get(_style("name")) or "", _levels(style))
                elif style.tag == _text("outline-style") and not self.outline:
                    self.outline = _levels(style)

    def open(self, element: etree._Element, style: str | None) -> OpenList:
        """An outermost ``text:list`` starts, or continues the list it says it continues."""
        name = style or ""
        counters: Counters | None = None
        continued = element.get(_text("continue-list"))
        if continued:
            counters = self._by_id.get(continued)
        elif (element.get(_text("continue-numbering")) or "").lower() == "true":
            counters = self._last.get(name)
        counters = counters if counters is not None else Counters()
        list_id = element.get(_XML_ID)
        if list_id:
            self._by_id[list_id] = counters
        self._last[name] = counters
        return OpenList(dict(self.styles.get(name, {})), counters)

    def heading_label(self, outline_level: int) -> str:
        """Count a heading outside lists by the outline numbering; "" when it has none."""
        index = min(max(outline_level, 1), MAX_LEVELS) - 1
        level = self.outline.get(index)
        if level is None or not level.number_format:
            return ""
        self.outline_counters.count(index, level.start)
        return _label(self.outline, self.outline_counters, index)
