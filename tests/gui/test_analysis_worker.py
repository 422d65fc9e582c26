"""The worker's final step: only what the whole-document reconciliation changed goes out."""

from __future__ import annotations

import time
from collections import deque

from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.tasks.analysis import AnalysisJob, AnalysisWorker, _JobState

TEXT = "Lavrov spoke. Sergei Lavrov replied in Geneva."


def mention(phrase: str, kind: Kind, label: str, canonical: str | None = None) -> Mention:
    start = TEXT.rindex(phrase) if phrase != "Lavrov" else TEXT.index(phrase)
    return Mention(start, start + len(phrase), kind, label, phrase, canonical or phrase)


def test_finish_sends_the_changes_and_regrouped_entities(qapp) -> None:
    worker = AnalysisWorker()
    state = _JobState(
        job=AnalysisJob(7, TEXT),
        remaining=deque(),
        chunk_sizes={},
        total_chars=len(TEXT),
        started=time.perf_counter(),
    )
    lone = mention("Lavrov", Kind.ORGANIZATION, "ORG")  # what progress showed at first
    full = mention("Sergei Lavrov", Kind.PERSON, "PERSON")
    place = mention("Geneva", Kind.PLACE, "GPE")
    state.add_mentions([lone, full, place])
    final = [
        (lone.start, lone.end, "person", "PERSON", "Lavrov", "Lavrov"),
        (full.start, full.end, "person", "PERSON", "Sergei Lavrov", "Sergei Lavrov"),
    ]
    emitted: list[tuple] = []
    worker.finished.connect(lambda *args: emitted.append(args))
    worker._finish(state, final)
    revision, changed, removed, entities, _ = emitted[0]
    assert revision == 7
    assert changed == [Mention(lone.start, lone.end, Kind.PERSON, "PERSON", "Lavrov", "Lavrov")]
    assert removed == [(place.start, place.end)]
    assert {(e.kind, e.canonical, e.count) for e in entities} == {
        (Kind.PERSON, "Lavrov", 1),
        (Kind.PERSON, "Sergei Lavrov", 1),
    }
