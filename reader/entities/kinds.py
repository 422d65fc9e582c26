"""Entity kinds as a researcher sees them, and how spaCy's labels map onto them."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    PERSON = "person"
    PLACE = "place"
    ORGANIZATION = "organization"
    OTHER = "other"

    @property
    def display_name(self) -> str:
        return _DISPLAY_NAMES[self]

    @property
    def singular(self) -> str:
        return _SINGULAR[self]


_DISPLAY_NAMES = {
    Kind.PERSON: "People",
    Kind.PLACE: "Places",
    Kind.ORGANIZATION: "Organizations",
    Kind.OTHER: "Other names",
}
_SINGULAR = {
    Kind.PERSON: "Person",
    Kind.PLACE: "Place",
    Kind.ORGANIZATION: "Organization",
    Kind.OTHER: "Other name",
}

KIND_ORDER: tuple[Kind, ...] = (Kind.PERSON, Kind.PLACE, Kind.ORGANIZATION, Kind.OTHER)
DEFAULT_VISIBLE_KINDS: frozenset[Kind] = frozenset({Kind.PERSON, Kind.PLACE, Kind.ORGANIZATION})

_LABEL_KINDS = {
    "PERSON": Kind.PERSON,
    "PER": Kind.PERSON,
    "GPE": Kind.PLACE,
    "LOC": Kind.PLACE,
    "FAC": Kind.PLACE,
    "ORG": Kind.ORGANIZATION,
}

# Dates, times and numbers are not names: they are never shown.
IGNORED_LABELS: frozenset[str] = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)

# What the "Other names" kind covers, in words, for the legend's tooltip.
LABEL_DESCRIPTIONS = {
    "PERSON": "person",
    "GPE": "country, city or state",
    "LOC": "location",
    "FAC": "building, airport, road or bridge",
    "ORG": "organization",
    "NORP": "nationality, religious or political group",
    "EVENT": "event",
    "WORK_OF_ART": "title of a work",
    "LAW": "law or treaty",
    "PRODUCT": "product",
    "LANGUAGE": "language",
    "MISC": "other name",
}


def kind_for_label(label: str) -> Kind | None:
    """The kind a model label belongs to, or None for labels that are never shown."""
    if label in IGNORED_LABELS:
        return None
    return _LABEL_KINDS.get(label, Kind.OTHER)


KIND_NAMES: dict[str, Kind] = {
    **{kind.value: kind for kind in Kind},
    "persons": Kind.PERSON,
    "people": Kind.PERSON,
    "per": Kind.PERSON,
    "places": Kind.PLACE,
    "loc": Kind.PLACE,
    "location": Kind.PLACE,
    "gpe": Kind.PLACE,
    "org": Kind.ORGANIZATION,
    "orgs": Kind.ORGANIZATION,
    "organizations": Kind.ORGANIZATION,
    "organisation": Kind.ORGANIZATION,
    "organisations": Kind.ORGANIZATION,
    "misc": Kind.OTHER,
}
"""Every spelling of a kind the reader accepts, on the command line and in searches alike."""


def kind_from_name(name: Kind | str) -> Kind:
    """``Kind`` from its value or a usual alias ("people", "org", "loc"); ValueError if unknown."""
    if isinstance(name, Kind):
        return name
    kind = KIND_NAMES.get(name.strip().lower())
    if kind is None:
        raise ValueError(
            f"Unknown entity kind {name.strip()!r}; use person, place, organization (org) or other."
        )
    return kind


def parse_kinds(spec: str) -> set[Kind]:
    """Parse a comma-separated list such as ``"person,place"``; raises ValueError."""
    return {kind_from_name(part) for part in spec.split(",") if part.strip()}
