"""The analysis worker: feeds text to the engine processes and sends results to the GUI.

One long-lived ``AnalysisWorker`` lives on its own ``QThread``. Its loop waits on the
engine processes' pipes and on a wake-up pipe the GUI thread writes to, so the GUI talks to
it through plain thread-safe methods (``submit``, ``cancel``, ``prioritise``, ``set_model``,
``request_stop``) and hears back through signals, which Qt queues onto the GUI thread.
Work goes in as plain data (a revision number and the text) and comes back as plain
tuples; results for a revision that is no longer current are dropped.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from reader import paths
from reader.entities.chunking import Range, group_ranges, order_from, paragraph_ranges
from reader.entities.consistency import ConsistencyState, MentionTuple, final_mention_tuples
from reader.entities.engine_process import FINAL_CHUNK, EngineProcess
from reader.entities.kinds import Kind
from reader.entities.spans import Entity, Mention

log = logging.getLogger(__name__)

_BY_START = attrgetter("start")  # a C-level sort key: no Python frame per mention

CHUNK_CHARS = 6_000  # about 1,000 words: a tenth of a second of NER, so results flow steadily
IN_FLIGHT_PER_ENGINE = 2  # one being analysed, one waiting, so an engine never idles
SECOND_ENGINE_CHARS = 250_000  # below this a second process costs more to start than it saves
MAX_ENGINE_DEATHS = 3
SUMMARY_INTERVAL = 1.0  # seconds between entity summaries while a long text is analysed


@dataclass(frozen=True, slots=True)
class AnalysisJob:
    revision: int
    text: str
    priority_offset: int = 0
    # A library document analysed for the cache while nobody looks at it: no progress
    # signals, and the open document's job always goes first.
    background_key: int | None = None


@dataclass
class _JobState:
    job: AnalysisJob
    remaining: deque[tuple[int, list[Range]]]
    chunk_sizes: dict[int, int]
    total_chars: int
    started: float
    done_chars: int = 0
    in_flight: set[int] = field(default_factory=set)
    consistency: ConsistencyState = field(default_factory=ConsistencyState)
    mentions: dict[tuple[int, int], Mention] = field(default_factory=dict)
    entities: dict[tuple[Kind, str], Entity] = field(default_factory=dict)
    last_summary: float = 0.0

    def add_mentions(self, mentions: list[Mention]) -> None:
        for mention in mentions:
            self.mentions[(mention.start, mention.end)] = mention
            key = (mention.kind, mention.canonical)
            entity = self.entities.get(key)
            if entity is None:
                entity = self.entities[key] = Entity(mention.kind, mention.canonical)
            entity.mentions.append(mention)

    def replace_mentions(self, stale: list[tuple[int, int]], fresh: list[Mention]) -> None:
        """Drop the mentions at ``stale`` spans from their entities, then add ``fresh``."""
        by_entity: dict[tuple[Kind, str], set[tuple[int, int]]] = {}
        for key in stale:
            old = self.mentions.pop(key, None)
            if old is not None:
                by_entity.setdefault((old.kind, old.canonical), set()).add(key)
        for entity_key, keys in by_entity.items():
            entity = self.entities[entity_key]
            entity.mentions = [m for m in entity.mentions if (m.start, m.end) not in keys]
            if not entity.mentions:
                del self.entities[entity_key]
        self.add_mentions(fresh)

    def entity_snapshot(self) -> list[Entity]:
        """Copies the GUI may keep: this thread goes on appending to its own."""
        return [
            Entity(e.kind, e.canonical, sorted(e.mentions, key=_BY_START))
            for e in self.entities.values()
        ]

    @property
    def complete(self) -> bool:
        return not self.remaining and not self.in_flight


class AnalysisWorker(QObject):
    modelReady = Signal(object)  # EngineInfo
    modelFailed = Signal(str)
    # revision, new mentions, entities so far (None between summaries), done and total chars
    progress = Signal(int, object, object, int, int)
    # revision, mentions new or changed since the progress signals, spans removed, entities,
    # seconds: the final set as a difference, so the GUI thread never compares a book's worth
    finished = Signal(int, object, object, object, float)
    failed = Signal(int, str)
    # background key, final mention tuples (start, end, kind, label, text, canonical)
    backgroundFinished = Signal(int, object)
    backgroundFailed = Signal(int, str)

    def __init__(self, model_name: str = "", max_engines: int | None = None) -> None:
        super().__init__()
        self._model_name = model_name
        self._max_engines = max_engines or min(2, os.cpu_count() or 1)
        self._engines: list[EngineProcess] = []
        self._model_failed: str | None = None
        self._job: _JobState | None = None
        self._background: deque[AnalysisJob] = deque()
        self._background_revision = 0
        self._inbox: list[tuple[Any, ...]] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = Pipe(duplex=False)
        self._stopping = False
        self._deaths = 0

    # -- called from the GUI thread -------------------------------------------------------

    def submit(self, job: AnalysisJob) -> None:
        """Analyse ``job.text``; replaces (cancels) whatever was being analysed."""
        self._post(("submit", job))

    def cancel(self) -> None:
        self._post(("cancel",))

    def submit_background(self, key: int, text: str) -> None:
        """Analyse ``text`` when nothing else is being analysed; ``key`` names the result."""
        self._post(("background", key, text))

    def clear_background(self) -> None:
        """Forget queued background work (the model changed, or the library closed)."""
        self._post(("clear_background",))

    def prioritise(self, revision: int, offset: int) -> None:
        """Analyse the part of the text around ``offset`` next (the reader scrolled there)."""
        self._post(("prioritise", revision, offset))

    def set_model(self, model_name: str) -> None:
        self._post(("model", model_name))

    def request_stop(self) -> None:
        self._post(("stop",))

    def _post(self, command: tuple[Any, ...]) -> None:
        with self._lock:
            self._inbox.append(command)
        with contextlib.suppress(OSError):  # the worker has already stopped
            self._wake_writer.send_bytes(b".")

    # -- the worker thread ----------------------------------------------------------------

    @Slot()
    def serve(self) -> None:
        self._start_engine()
        try:
            while not self._stopping:
                connections: list[Any] = [self._wake_reader, *(e.conn for e in self._engines)]
                for conn in wait(connections, timeout=1.0):
                    if conn is self._wake_reader:
                        self._drain_wake_pipe()
                        self._handle_commands()
                    else:
                        self._handle_engine_message(conn)
                self._dispatch()
        except Exception:
            log.exception("Analysis worker crashed")
            if self._job is not None:
                self.failed.emit(self._job.job.revision, "Entity analysis stopped after an error.")
        finally:
            for engine in self._engines:
                engine.stop()
            self._engines.clear()

    def _drain_wake_pipe(self) -> None:
        while self._wake_reader.poll():
            self._wake_reader.recv_bytes()

    def _handle_commands(self) -> None:
        with self._lock:
            commands, self._inbox = self._inbox, []
        for command in commands:
            name = command[0]
            if name == "submit":
                self._begin(command[1])
            elif name == "cancel":
                self._job = None
            elif name == "background":
                # Negative revisions: they can never be mistaken for the GUI's documents.
                self._background_revision -= 1
                self._background.append(
                    AnalysisJob(self._background_revision, command[2], 0, command[1])
                )
            elif name == "clear_background":
                self._background.clear()
                if self._job is not None and self._job.job.background_key is not None:
                    self._job = None
            elif name == "prioritise":
                self._reorder(command[1], command[2])
            elif name == "model":
                self._switch_model(command[1])
            elif name == "stop":
                self._stopping = True

    def _begin(self, job: AnalysisJob) -> None:
        current = self._job
        if (
            job.background_key is None
            and current is not None
            and current.job.background_key is not None
        ):
            self._background.appendleft(current.job)  # interrupted: it starts again later
        ranges = paragraph_ranges(job.text)
        chunks = order_from(group_ranges(ranges, CHUNK_CHARS), job.priority_offset)
        state = _JobState(
            job=job,
            remaining=deque(enumerate(chunks)),
            chunk_sizes={i: sum(e - s for s, e in c) for i, c in enumerate(chunks)},
            total_chars=sum(e - s for s, e in ranges),
            started=time.perf_counter(),
        )
        self._job = state
        if self._model_failed is not None:
            self._job = None
            if job.background_key is None:
                self.failed.emit(job.revision, self._model_failed)
            else:
                self._background.clear()
                self.backgroundFailed.emit(job.background_key, self._model_failed)
        elif state.complete:
            self._finish(state, [])

    def _reorder(self, revision: int, offset: int) -> None:
        state = self._job
        if state is None or state.job.revision != revision or not state.remaining:
            return
        items = sorted(state.remaining, key=lambda item: item[1][0][0])
        first = next((i for i, (_, c) in enumerate(items) if c[-1][1] >= offset), 0)
        state.remaining = deque(items[first:] + items[:first])

    def _switch_model(self, model_name: str) -> None:
        self._model_name = model_name
        self._model_failed = None
        self._deaths = 0
        for engine in self._engines:
            engine.stop()
        self._engines.clear()
        if self._job is not None:  # the job restarts on the new model
            self._begin(self._job.job)
        self._start_engine()

    def _start_engine(self) -> None:
        self._engines.append(EngineProcess(self._model_name))

    def _dispatch(self) -> None:
        if self._job is None and self._background and self._engines:
            self._begin(self._background.popleft())
        state = self._job
        if state is None or not state.remaining:
            return
        # A second engine for a long text, once the first screen is done: starting one loads
        # spaCy again, which would compete with that first chunk for the two cores.
        if (
            len(self._engines) < self._max_engines
            and state.done_chars > 0
            and all(e.ready for e in self._engines)
            and sum(state.chunk_sizes[i] for i, _ in state.remaining) >= SECOND_ENGINE_CHARS
        ):
            self._start_engine()
        text = state.job.text
        for engine in self._engines:
            while engine.ready and len(engine.in_flight) < IN_FLIGHT_PER_ENGINE and state.remaining:
                chunk_id, ranges = state.remaining.popleft()
                pieces = [(start, text[start:end]) for start, end in ranges]
                if not engine.send(("analyse", state.job.revision, chunk_id, pieces)):
                    state.remaining.appendleft((chunk_id, ranges))
                    break
                engine.in_flight.add((state.job.revision, chunk_id))
                state.in_flight.add(chunk_id)

    def _handle_engine_message(self, conn: Connection) -> None:
        engine = next(e for e in self._engines if e.conn is conn)
        try:
            message = conn.recv()
        except (EOFError, OSError):
            self._engine_died(engine)
            return
        kind = message[0]
        if kind == "ready":
            engine.ready, engine.info = True, message[1]
            if engine is self._engines[0]:
                self.modelReady.emit(message[1])
        elif kind == "failed":
            self._model_failed = message[1]
            self._engines.remove(engine)
            engine.stop()
            self.modelFailed.emit(message[1])
            if self._job is not None and self._job.job.background_key is None:
                self.failed.emit(self._job.job.revision, message[1])
            self._job = None
            self._background.clear()
        elif kind in ("spans", "error"):
            _, revision, chunk_id, payload = message
            engine.in_flight.discard((revision, chunk_id))
            state = self._job
            if state is None or state.job.revision != revision:
                return  # a cancelled document's late answer
            if chunk_id == FINAL_CHUNK:  # the engine could not reconcile: do it here
                log.error("Final reconciliation failed in the engine: %s", payload)
                self._finish(state, final_mention_tuples(state.job.text, state.consistency.raw))
                return
            state.in_flight.discard(chunk_id)
            if kind == "error":
                log.error("Analysis of chunk %s failed: %s", chunk_id, payload)
                payload = []
            mentions = state.consistency.add(state.job.text, payload)
            state.done_chars += state.chunk_sizes[chunk_id]
            # Grouping names is work for this thread, not the GUI's, and incremental: regrouping
            # a book's mentions every second would hold the interpreter lock the GUI needs.
            state.add_mentions(mentions)
            if state.job.background_key is not None:
                if state.complete:
                    self._request_final(state, engine)
                return
            entities = None
            now = time.perf_counter()
            if now - state.last_summary >= SUMMARY_INTERVAL or state.complete:
                state.last_summary = now
                entities = state.entity_snapshot()
            self.progress.emit(revision, mentions, entities, state.done_chars, state.total_chars)
            if state.complete:
                self._request_final(state, engine)
        elif kind == "final":
            _, revision, tuples = message
            engine.in_flight.discard((revision, FINAL_CHUNK))
            state = self._job
            if state is not None and state.job.revision == revision:
                self._finish(state, tuples)

    def _request_final(self, state: _JobState, engine: EngineProcess) -> None:
        """The whole-document reconciliation, done by an engine process.

        It is half a second of pure Python on a book; on this thread it would hold the
        interpreter lock the GUI thread needs just when the GUI is busiest.
        """
        revision = state.job.revision
        if engine.send(("consistency", revision, state.job.text, state.consistency.raw)):
            engine.in_flight.add((revision, FINAL_CHUNK))
        else:
            self._finish(state, final_mention_tuples(state.job.text, state.consistency.raw))

    def _finish(self, state: _JobState, final: list[MentionTuple]) -> None:
        """Send the GUI what the final reconciliation changed, not a book's worth again."""
        if state.job.background_key is not None:
            self._job = None
            self.backgroundFinished.emit(state.job.background_key, final)
            return
        changed: list[Mention] = []
        final_keys: set[tuple[int, int]] = set()
        for start, end, kind, label, text, canonical in final:
            key = (start, end)
            final_keys.add(key)
            old = state.mentions.get(key)
            same = old is not None and (old.kind.value, old.label, old.canonical) == (
                kind,
                label,
                canonical,
            )
            if not same:
                changed.append(Mention(start, end, Kind(kind), label, text, canonical))
        removed = [key for key in state.mentions if key not in final_keys]
        state.replace_mentions(removed + [(m.start, m.end) for m in changed], changed)
        elapsed = time.perf_counter() - state.started
        self._job = None
        self.finished.emit(state.job.revision, changed, removed, state.entity_snapshot(), elapsed)
        # The document's mentions live as long as it stays open: keep the garbage collector's
        # full passes (which block every thread) from walking them again and again.
        gc.freeze()

    def _engine_died(self, engine: EngineProcess) -> None:
        log.error("Entity engine process exited (code %s)", engine.process.exitcode)
        self._engines.remove(engine)
        engine.stop(timeout=0.5)
        state = self._job
        if state is not None:
            lost = [chunk for rev, chunk in engine.in_flight if rev == state.job.revision]
            if lost and state.job.background_key is not None:
                self._job = None
                self.backgroundFailed.emit(
                    state.job.background_key, "The entity engine stopped while analysing it."
                )
            elif lost:
                self._job = None
                self.failed.emit(
                    state.job.revision,
                    "The entity engine stopped unexpectedly; highlights are incomplete. "
                    "Reopen the document to try again.",
                )
        self._deaths += 1
        if self._deaths >= MAX_ENGINE_DEATHS:
            # Something about this machine or model kills the engine: stop retrying.
            self._model_failed = (
                "The entity engine keeps stopping unexpectedly; the text is shown without "
                f"highlights. Details are in the log file {paths.log_file()}."
            )
            self.modelFailed.emit(self._model_failed)
        elif not self._engines and not self._stopping:
            self._start_engine()


class AnalysisThread:
    """Owns the worker's QThread: starts it, and stops it cleanly on quit."""

    def __init__(self, model_name: str = "", max_engines: int | None = None) -> None:
        from PySide6.QtCore import QThread

        self.thread = QThread()
        self.thread.setObjectName("reader-analysis")
        self.worker = AnalysisWorker(model_name, max_engines)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.serve)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_ms: int = 5000) -> None:
        self.worker.request_stop()
        self.thread.quit()
        if not self.thread.wait(timeout_ms):
            log.warning("Analysis thread did not stop within %d ms", timeout_ms)
