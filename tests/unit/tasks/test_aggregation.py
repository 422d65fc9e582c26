"""Results put together: entities grow with each chunk; the final set as a difference."""

from __future__ import annotations

from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.tasks.aggregation import Aggregate

TEXT = "Lavrov spoke. Sergei Lavrov replied in Geneva."


def mention(phrase: str, kind: Kind, label: str, at: int) -> Mention:
    return Mention(at, at + len(phrase), kind, label, phrase, phrase)


LONE = mention("Lavrov", Kind.ORGANIZATION, "ORG", 0)
FULL = mention("Sergei Lavrov", Kind.PERSON, "PERSON", TEXT.index("Sergei"))
PLACE = mention("Geneva", Kind.PLACE, "GPE", TEXT.index("Geneva"))


def test_entities_grow_with_each_chunk_and_snapshots_are_copies() -> None:
    aggregate = Aggregate()
    aggregate.add([PLACE])
    aggregate.add([FULL, LONE])
    snapshot = aggregate.snapshot()
    assert {(e.kind, e.canonical, e.count) for e in snapshot} == {
        (Kind.PLACE, "Geneva", 1),
        (Kind.PERSON, "Sergei Lavrov", 1),
        (Kind.ORGANIZATION, "Lavrov", 1),
    }
    aggregate.add([mention("Geneva", Kind.PLACE, "GPE", 100)])
    geneva = next(e for e in snapshot if e.canonical == "Geneva")
    assert geneva.count == 1  # the copy the GUI holds did not change under it


def test_settle_returns_only_what_changed_and_what_went() -> None:
    aggregate = Aggregate()
    aggregate.add([LONE, FULL, PLACE])
    final = [
        (LONE.start, LONE.end, "person", "PERSON", "Lavrov", "Sergei Lavrov"),
        (FULL.start, FULL.end, "person", "PERSON", "Sergei Lavrov", "Sergei Lavrov"),
    ]
    changed, removed = aggregate.settle(final)
    assert changed == [
        Mention(LONE.start, LONE.end, Kind.PERSON, "PERSON", "Lavrov", "Sergei Lavrov")
    ]
    assert removed == [(PLACE.start, PLACE.end)]
    (entity,) = aggregate.snapshot()
    assert (entity.kind, entity.canonical, entity.count) == (Kind.PERSON, "Sergei Lavrov", 2)
    assert entity.other_forms == ["Lavrov"]
