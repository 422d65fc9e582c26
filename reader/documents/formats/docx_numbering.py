"""Word's list numbering (``word/numbering.xml``): the "1.", "a)" and "iii." Word shows.

A numbered paragraph names a numbering instance (``w:numId``) and a level (``w:ilvl``); the
instance points to an abstract definition whose levels say the format, the start value and
the pattern ("%1.%2."). Instances that share an abstract definition share its counters,
which is how Word continues a list after an interruption, unless the instance overrides a
level's start ("restart numbering"). An abstract definition may also stand for a numbering
style (``w:numStyleLink``), whose own instance holds the levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from reader.documents.formats.list_numbers import (
    MAX_LEVELS,
    Counters,
    finished_label,
    format_number,
    whole_number,
)
from reader.documents.safe_xml import local_attribute, local_name

_FORMATS = {
    "decimal": "decimal",
    "decimalZero": "decimal-zero",
    "lowerLetter": "lower-letter",
    "upperLetter": "upper-letter",
    "lowerRoman": "lower-roman",
    "upperRoman": "upper-roman",
    "bullet": "bullet",
    "none": "none",
}
_PLACEHOLDER = re.compile(r"%([1-9])")
_MAX_LINKS = 5  # numbering style links are one step deep; a cycle in a hostile file ends


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str) and local_name(c) == name]


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if isinstance(c.tag, str) and local_name(c) == name), None)


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 1
    number_format: str = "decimal"
    pattern: str = ""  # w:lvlText: "%1.", "(%2)", "%1.%2."
    separator: str = " "  # w:suff: a tab or a space reads as one space; "nothing" as none
    legal: bool = False  # w:isLgl: every number in the pattern in decimal ("1.1", not "I.a")
    restarts: bool = True  # w:lvlRestart 0: never starts again under a higher level
    style: str | None = None  # w:pStyle: the paragraph style that uses this level


def _level(element: etree._Element) -> Level:
    suffix = local_attribute(_child(element, "suff"))
    return Level(
        start=whole_number(local_attribute(_child(element, "start")), 1),
        number_format=_FORMATS.get(
            local_attribute(_child(element, "numFmt")) or "decimal", "decimal"
        ),
        pattern=local_attribute(_child(element, "lvlText")) or "",
        separator="" if suffix == "nothing" else " ",
        legal=_child(element, "isLgl") is not None
        and (local_attribute(_child(element, "isLgl")) or "1") not in ("0", "false", "off"),
        restarts=local_attribute(_child(element, "lvlRestart")) != "0",
        style=local_attribute(_child(element, "pStyle")),
    )


def _levels(parent: etree._Element) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for element in _children(parent, "lvl"):
        index = whole_number(local_attribute(element, "ilvl"), -1)
        if 0 <= index < MAX_LEVELS:
            levels.setdefault(index, _level(element))
    return levels


@dataclass(slots=True)
class _Abstract:
    levels: dict[int, Level]
    style_link: str | None  # w:numStyleLink: the levels are the numbering style's


@dataclass(slots=True)
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level
    levels: dict[int, Level] = field(default_factory=dict)  # w:lvl inside w:lvlOverride


class DocxNumbering:
    """Counts numbered paragraphs in document order and writes their labels."""

    def __init__(self, root: etree._Element | None, style_numbers: dict[str, str]) -> None:
        """``style_numbers`` maps a style id to the ``w:numId`` in its paragraph properties."""
        self._abstracts: dict[str, _Abstract] = {}
        self._instances: dict[str, _Instance] = {}
        self._style_numbers = style_numbers
        self._counters: dict[str, Counters] = {}
        self._used: set[str] = set()
        for element in root if root is not None else ():
            if not isinstance(element.tag, str):
                continue
            name = local_name(element)
            if name == "abstractNum":
                self._abstracts.setdefault(
                    local_attribute(element, "abstractNumId") or "",
                    _Abstract(_levels(element), local_attribute(_child(element, "numStyleLink"))),
                )
            elif name == "num":
                instance = _Instance(local_attribute(_child(element, "abstractNumId")) or "")
                for override in _children(element, "lvlOverride"):
                    index = whole_number(local_attribute(override, "ilvl"), -1)
                    start = local_attribute(_child(override, "startOverride"))
                    if 0 <= index < MAX_LEVELS and start is not None:
                        instance.starts[index] = whole_number(start, 1)
                    instance.levels.update(_levels(override))
                self._instances.setdefault(local_attribute(element, "numId") or "", instance)

    def _resolve(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        """The abstract definition's id and its levels, following numbering style links."""
        instance = self._instances.get(num_id)
        for _ in range(_MAX_LINKS):
            if instance is None:
                return None
            abstract = self._abstracts.get(instance.abstract)
            if abstract is None:
                return None
            if abstract.levels or not abstract.style_link:
                return instance.abstract, abstract.levels
            instance = self._instances.get(self._style_numbers.get(abstract.style_link, ""))
        return None

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level a paragraph style is tied to (Word's numbered headings), if any."""
        resolved = self._resolve(num_id)
        if resolved is None:
            return None
        return next((i for i, lv in sorted(resolved[1].items()) if lv.style == style_id), None)

    def label(self, num_id: str, index: int) -> str:
        """Count a paragraph at level ``index`` of list ``num_id``; its label and separator.

        "" for a bullet, an unnumbered level or a list without a definition.
        """
        resolved = self._resolve(num_id)
        if resolved is None:
            return ""
        key, abstract_levels = resolved
        instance = self._instances[num_id]
        levels = {**abstract_levels, **instance.levels}
        level = levels.get(index)
        if level is None:
            return ""
        counters = self._counters.setdefault(key, Counters())
        if num_id not in self._used:
            self._used.add(num_id)
            for overridden in instance.starts:
                counters.restart(overridden)

        def start(i: int) -> int:
            known = levels.get(i)
            return instance.starts.get(i, known.start if known else 1)

        counters.count(index, start(index), restart_below=False)
        for deeper in range(index + 1, MAX_LEVELS):
            if levels.get(deeper, Level()).restarts:
                counters.restart(deeper)
        if level.number_format == "bullet":
            return ""

        def number(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            other = levels.get(i, Level())
            value = counters.value(i, start(i))
            return format_number(value, "decimal" if level.legal else other.number_format)

        return finished_label(_PLACEHOLDER.sub(number, level.pattern), level.separator)
