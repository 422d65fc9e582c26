"""Entity mentions and the entities they refer to."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.entities.kinds import Kind

RawSpan = tuple[int, int, str]
"""What the model says: ``(start, end, label)`` with offsets into the canonical text."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a name in the text, after document-level consistency."""

    start: int
    end: int
    kind: Kind
    label: str
    text: str
    canonical: str

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
        }


@dataclass(slots=True)
class Entity:
    """A person, place or organization with every mention of it in one document."""

    kind: Kind
    canonical: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def key(self) -> tuple[Kind, str]:
        return (self.kind, self.canonical)

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def other_forms(self) -> list[str]:
        """Surface forms other than the canonical name, most frequent first."""
        counts: dict[str, int] = {}
        for mention in self.mentions:
            if mention.text != self.canonical:
                counts[mention.text] = counts.get(mention.text, 0) + 1
        return sorted(counts, key=lambda form: (-counts[form], form))


def group_entities(mentions: list[Mention]) -> list[Entity]:
    """Group mentions by (kind, canonical name), in order of first appearance."""
    entities: dict[tuple[Kind, str], Entity] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        key = (mention.kind, mention.canonical)
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(mention.kind, mention.canonical)
        entity.mentions.append(mention)
    return list(entities.values())
