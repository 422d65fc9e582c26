"""Putting an analysis together: mentions as they arrive, grouped into entities.

Pure Python, no Qt and no processes, so it is tested on its own. The worker thread keeps
one ``Aggregate`` per job: it groups names incrementally (regrouping a book's mentions
every second would hold the interpreter lock the GUI needs) and, once the whole-document
reconciliation is in, works out what changed, so the GUI thread never compares a book's
worth of mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from reader.entities.consistency import MentionTuple
from reader.entities.kinds import Kind
from reader.entities.spans import Entity, Mention

SpanKey = tuple[int, int]
EntityKey = tuple[Kind, str]

_BY_START = attrgetter("start")  # a C-level sort key: no Python frame per mention


@dataclass
class Aggregate:
    """The mentions of one job so far, and the entities they make."""

    mentions: dict[SpanKey, Mention] = field(default_factory=dict)
    entities: dict[EntityKey, Entity] = field(default_factory=dict)

    def add(self, mentions: list[Mention]) -> None:
        for mention in mentions:
            self.mentions[(mention.start, mention.end)] = mention
            key = (mention.kind, mention.canonical)
            entity = self.entities.get(key)
            if entity is None:
                entity = self.entities[key] = Entity(mention.kind, mention.canonical)
            entity.mentions.append(mention)

    def replace(self, stale: list[SpanKey], fresh: list[Mention]) -> None:
        """Drop the mentions at ``stale`` spans from their entities, then add ``fresh``."""
        by_entity: dict[EntityKey, set[SpanKey]] = {}
        for key in stale:
            old = self.mentions.pop(key, None)
            if old is not None:
                by_entity.setdefault((old.kind, old.canonical), set()).add(key)
        for entity_key, keys in by_entity.items():
            entity = self.entities[entity_key]
            entity.mentions = [m for m in entity.mentions if (m.start, m.end) not in keys]
            if not entity.mentions:
                del self.entities[entity_key]
        self.add(fresh)

    def snapshot(self) -> list[Entity]:
        """Copies the GUI may keep: the worker goes on appending to its own."""
        return [
            Entity(e.kind, e.canonical, sorted(e.mentions, key=_BY_START))
            for e in self.entities.values()
        ]

    def settle(self, final: list[MentionTuple]) -> tuple[list[Mention], list[SpanKey]]:
        """Apply the final consistent set; what changed since the progress results, and
        which spans are gone (what the GUI needs to repaint, and nothing more)."""
        changed: list[Mention] = []
        final_keys: set[SpanKey] = set()
        for start, end, kind, label, text, canonical in final:
            key = (start, end)
            final_keys.add(key)
            old = self.mentions.get(key)
            same = old is not None and (old.kind.value, old.label, old.canonical) == (
                kind,
                label,
                canonical,
            )
            if not same:
                changed.append(Mention(start, end, Kind(kind), label, text, canonical))
        removed = [key for key in self.mentions if key not in final_keys]
        self.replace(removed + [(m.start, m.end) for m in changed], changed)
        return changed, removed
