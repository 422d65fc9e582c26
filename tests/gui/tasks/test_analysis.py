"""The analysis worker: its final difference, and what it does when an engine dies."""

from __future__ import annotations

import time
from collections import deque

from reader.entities.consistency import final_mention_tuples
from reader.entities.kinds import Kind
from reader.entities.spans import Mention
from reader.tasks.analysis import LOST_MESSAGE, AnalysisJob, AnalysisWorker
from reader.tasks.commands import Submit
from reader.tasks.engine_pool import MAX_ENGINE_DEATHS
from reader.tasks.scheduler import JobState

TEXT = "Lavrov spoke. Sergei Lavrov replied in Geneva."


def mention(phrase: str, kind: Kind, label: str, canonical: str | None = None) -> Mention:
    start = TEXT.rindex(phrase) if phrase != "Lavrov" else TEXT.index(phrase)
    return Mention(start, start + len(phrase), kind, label, phrase, canonical or phrase)


def test_finish_sends_the_changes_and_regrouped_entities(qapp) -> None:
    worker = AnalysisWorker()
    state = JobState(
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


# -- engines that die: stand-ins whose pipe the test holds ----------------------------------

PARAGRAPHS = "\n\n".join(f"Sergei Lavrov spoke in Geneva, part {n}." for n in range(3))


class PipeEngine:
    """An engine process without the process: the test plays the child's end of the pipe."""

    def __init__(self, model: str) -> None:
        from multiprocessing import Pipe

        self.conn, self.child = Pipe()
        self.ready = False
        self.info = None
        self.in_flight: set[tuple[int, int]] = set()
        self.stopped = False

    def send(self, message) -> bool:
        try:
            self.conn.send(message)
            return True
        except (OSError, ValueError):
            return False

    def stop(self, timeout: float = 2.0) -> None:
        self.stopped = True
        self.conn.close()


class Harness:
    """A worker driven by hand on this thread, with every signal it emits recorded."""

    def __init__(self) -> None:
        self.engines: list[PipeEngine] = []
        self.worker = AnalysisWorker("stub", 1, self._make)
        self.emitted: list[tuple] = []
        for name in ("modelReady", "modelFailed", "progress", "finished", "failed"):
            getattr(self.worker, name).connect(
                lambda *args, name=name: self.emitted.append((name, *args))
            )

    def _make(self, model: str) -> PipeEngine:
        self.engines.append(PipeEngine(model))
        return self.engines[-1]

    def names(self) -> list[str]:
        return [item[0] for item in self.emitted]

    def start_engine(self) -> PipeEngine:
        engine = self.worker.pool.start() if not self.worker.pool.engines else self.engines[-1]
        engine.child.send(("ready", "stub-info"))
        self.worker._handle_engine_message(engine)
        return engine

    def sent(self, engine: PipeEngine) -> list[tuple]:
        messages = []
        while engine.child.poll():
            messages.append(engine.child.recv())
        return messages

    def die(self, engine: PipeEngine) -> None:
        engine.child.close()
        self.worker._handle_engine_message(engine)

    def answer_everything(self, engine: PipeEngine) -> None:
        """Play a healthy engine: "Geneva" in every piece, then the final reconciliation."""
        while engine.child.poll():
            message = engine.child.recv()
            if message[0] == "analyse":
                _, revision, chunk_id, pieces = message
                spans = [
                    (offset + text.index("Geneva"), offset + text.index("Geneva") + 6, "GPE")
                    for offset, text in pieces
                ]
                engine.child.send(("spans", revision, chunk_id, spans))
            elif message[0] == "consistency":
                _, revision, text, raw = message
                engine.child.send(("final", revision, final_mention_tuples(text, raw)))
            self.worker._handle_engine_message(engine)
            self.worker._dispatch()


def test_a_dead_engine_is_replaced_and_its_chunks_analysed_again(qapp) -> None:
    harness = Harness()
    worker = harness.worker
    first = harness.start_engine()
    assert harness.names() == ["modelReady"]
    worker.handle(Submit(AnalysisJob(1, PARAGRAPHS)))
    worker._dispatch()
    lost = {message[2] for message in harness.sent(first)}
    assert lost  # chunks went out to the engine
    harness.die(first)
    assert first.stopped and len(harness.engines) == 2  # replaced at once
    assert "failed" not in harness.names()
    second = harness.start_engine()
    worker._dispatch()
    harness.answer_everything(second)
    (finished,) = [item for item in harness.emitted if item[0] == "finished"]
    entities = finished[4]
    assert finished[1] == 1
    assert [(e.canonical, e.count) for e in entities] == [("Geneva", 3)]
    assert "failed" not in harness.names() and worker.scheduler.current is None


def test_a_chunk_that_kills_two_engines_ends_the_job_with_a_sentence(qapp) -> None:
    harness = Harness()
    worker = harness.worker
    first = harness.start_engine()
    worker.handle(Submit(AnalysisJob(4, PARAGRAPHS)))
    worker._dispatch()
    harness.sent(first)
    harness.die(first)
    second = harness.start_engine()
    worker._dispatch()
    harness.sent(second)
    harness.die(second)
    failed = [item for item in harness.emitted if item[0] == "failed"]
    assert failed == [("failed", 4, LOST_MESSAGE)]
    assert worker.scheduler.current is None
    assert len(worker.pool.engines) == 1  # a fresh engine for the next document


def test_an_engine_that_keeps_dying_turns_highlighting_off(qapp) -> None:
    harness = Harness()
    worker = harness.worker
    for _ in range(MAX_ENGINE_DEATHS):
        harness.die(harness.start_engine())
    assert harness.names()[-1] == "modelFailed"
    assert "keeps stopping" in harness.emitted[-1][1]
    worker.handle(Submit(AnalysisJob(9, PARAGRAPHS)))
    assert harness.emitted[-1][0] == "failed" and harness.emitted[-1][1] == 9


def test_a_scroll_sends_the_screen_to_a_busy_engine_to_go_before_its_queue(qapp) -> None:
    from reader.entities.engine_process import URGENT
    from reader.tasks.commands import Prioritise

    text = "\n\n".join(f"Sergei Lavrov spoke in Geneva, part {n}. " * 40 for n in range(60))
    harness = Harness()
    worker = harness.worker
    worker.scheduler.chunk_chars = 2_000
    engine = harness.start_engine()
    worker.handle(Submit(AnalysisJob(3, text)))
    worker._dispatch()
    assert [m[0] for m in harness.sent(engine)] == ["analyse", "analyse"]  # its two slots
    top = text.index("part 50.")
    bottom = text.index("part 52.")
    worker.handle(Prioritise(3, top, bottom))
    worker._dispatch()
    (urgent,) = harness.sent(engine)
    assert urgent[0] == URGENT and urgent[1] == 3
    pieces = urgent[3]
    assert pieces[0][0] <= top and pieces[-1][0] + len(pieces[-1][1]) >= bottom
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
