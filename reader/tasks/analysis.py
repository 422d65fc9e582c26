"""The analysis worker: feeds text to the engine processes and sends results to the GUI.

One long-lived ``AnalysisWorker`` lives on its own ``QThread``. Its loop waits on the
engine processes' pipes and on a wake-up pipe the GUI thread writes to, so the GUI talks to
it through plain thread-safe methods (the ``AnalysisBackend`` interface), which post typed
commands (``tasks.commands``), and hears back through signals, which Qt queues onto the GUI
thread. Work goes in as plain data (a revision number and the text) and comes back as plain
tuples; results for a revision that is no longer current are dropped.

The plan lives in ``scheduler`` (which chunk next), the processes in ``engine_pool``, and
the putting together of results in ``aggregation``; this module is the loop between them.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import Callable
from multiprocessing import Pipe
from multiprocessing.connection import wait
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from reader.entities.consistency import MentionTuple, final_mention_tuples
from reader.entities.engine_process import FINAL_CHUNK, URGENT, EngineProcess
from reader.tasks.commands import (
    AnalysisJob,
    Cancel,
    ClearBackground,
    Command,
    Prioritise,
    SetModel,
    Stop,
    Submit,
    SubmitBackground,
)
from reader.tasks.engine_pool import Engine, EnginePool
from reader.tasks.scheduler import JobScheduler, JobState

__all__ = ["AnalysisJob", "AnalysisThread", "AnalysisWorker"]

log = logging.getLogger(__name__)

SUMMARY_INTERVAL = 1.0  # seconds between entity summaries while a long text is analysed
LOST_MESSAGE = (
    "The entity engine stopped unexpectedly; highlights are incomplete. "
    "Reopen the document to try again."
)


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

    def __init__(
        self,
        model_name: str = "",
        max_engines: int | None = None,
        engine_factory: Callable[[str], Engine] = EngineProcess,
    ) -> None:
        super().__init__()
        self.pool = EnginePool(model_name, max_engines, engine_factory)
        self.scheduler = JobScheduler()
        self._inbox: list[Command] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = Pipe(duplex=False)
        self._stopping = False

    # -- called from the GUI thread -------------------------------------------------------

    def submit(self, job: AnalysisJob) -> None:
        self._post(Submit(job))

    def cancel(self) -> None:
        self._post(Cancel())

    def submit_background(self, key: int, text: str) -> None:
        self._post(SubmitBackground(key, text))

    def clear_background(self) -> None:
        self._post(ClearBackground())

    def prioritise(self, revision: int, offset: int, end: int = -1) -> None:
        self._post(Prioritise(revision, offset, end))

    def set_model(self, model_name: str) -> None:
        self._post(SetModel(model_name))

    def request_stop(self) -> None:
        self._post(Stop())

    def _post(self, command: Command) -> None:
        with self._lock:
            self._inbox.append(command)
        with contextlib.suppress(OSError):  # the worker has already stopped
            self._wake_writer.send_bytes(b".")

    # -- the worker thread ----------------------------------------------------------------

    @Slot()
    def serve(self) -> None:
        self.pool.start()
        try:
            while not self._stopping:
                connections: list[Any] = [self._wake_reader, *(e.conn for e in self.pool.engines)]
                for conn in wait(connections, timeout=1.0):
                    if conn is self._wake_reader:
                        self._drain_wake_pipe()
                        self._handle_commands()
                    else:
                        self._handle_engine_message(self.pool.engine_of(conn))
                self._dispatch()
        except Exception:
            log.exception("Analysis worker crashed")
            state = self.scheduler.current
            if state is not None and not state.background:
                self.failed.emit(state.revision, "Entity analysis stopped after an error.")
        finally:
            self.pool.stop_all()

    def _drain_wake_pipe(self) -> None:
        while self._wake_reader.poll():
            self._wake_reader.recv_bytes()

    def _handle_commands(self) -> None:
        with self._lock:
            commands, self._inbox = self._inbox, []
        for command in commands:
            self.handle(command)

    def handle(self, command: Command) -> None:
        """Carry out one request (on the worker thread; tests call it directly)."""
        scheduler = self.scheduler
        match command:
            case Submit(job):
                self._begin(job)
            case Cancel():
                scheduler.cancel()
            case SubmitBackground(key, text):
                scheduler.add_background(key, text)
            case ClearBackground():
                scheduler.clear_background()
            case Prioritise(revision, offset, end):
                scheduler.prioritise(revision, offset, end)
            case SetModel(name):
                current = scheduler.current
                self.pool.switch_model(name)
                if current is not None:  # the job restarts on the new model
                    self._begin(current.job)
            case Stop():
                self._stopping = True

    def _begin(self, job: AnalysisJob) -> None:
        state = self.scheduler.begin(job)
        if self.pool.failed is not None:
            self._give_up(state, self.pool.failed)
        elif state.complete:  # nothing to analyse (an empty text)
            self._finish(state, [])

    def _give_up(self, state: JobState, message: str, *, queue_too: bool = True) -> None:
        """The job fails; when no engine can run, the background queue with it."""
        self.scheduler.cancel()
        if state.background:
            if queue_too:
                self.scheduler.clear_background()
            self.backgroundFailed.emit(state.job.background_key, message)
        else:
            self.failed.emit(state.revision, message)

    def _dispatch(self) -> None:
        """Keep every ready engine fed with chunks of the current job."""
        if self.pool.engines and self.pool.failed is None:
            self.scheduler.next_idle_job()
        state = self.scheduler.current
        if state is None or not state.remaining:
            return
        if self.pool.wants_another(state.remaining_chars, state.done_chars):
            self.pool.start()
        for engine in self.pool.engines:
            while self.pool.can_take(engine) and state.remaining:
                if not self._send(engine, state):
                    break
        # The screen's chunk does not wait for a free slot: the least busy engine takes it as
        # an extra, and analyses it before the chunks already waiting in its pipe.
        while self.scheduler.next_is_urgent(state):
            spare = self.pool.engine_for_urgent()
            if spare is None or not self._send(spare, state):
                break

    def _send(self, engine: Engine, state: JobState) -> bool:
        chunk = self.scheduler.take(state)
        if chunk is None:
            return False
        chunk_id, ranges = chunk
        text = state.job.text
        pieces = [(start, text[start:end]) for start, end in ranges]
        kind = URGENT if chunk_id in state.urgent else "analyse"
        if not engine.send((kind, state.revision, chunk_id, pieces)):
            self.scheduler.put_back(state, chunk)
            return False
        engine.in_flight.add((state.revision, chunk_id))
        return True

    def _handle_engine_message(self, engine: Engine) -> None:
        try:
            message = engine.conn.recv()
        except (EOFError, OSError):
            self._engine_died(engine)
            return
        kind = message[0]
        if kind == "ready":
            engine.ready, engine.info = True, message[1]
            if self.pool.is_first(engine):
                self.modelReady.emit(message[1])
        elif kind == "failed":
            self.pool.model_failed(engine, message[1])
            self.modelFailed.emit(message[1])
            state = self.scheduler.current
            self.scheduler.cancel()
            self.scheduler.clear_background()
            if state is not None and not state.background:
                self.failed.emit(state.revision, message[1])
        elif kind in ("spans", "error"):
            self._chunk_answered(engine, kind, *message[1:])
        elif kind == "final":
            _, revision, tuples = message
            engine.in_flight.discard((revision, FINAL_CHUNK))
            state = self.scheduler.current
            if state is not None and state.revision == revision:
                self._finish(state, tuples)

    def _chunk_answered(
        self, engine: Engine, kind: str, revision: int, chunk_id: int, payload: Any
    ) -> None:
        engine.in_flight.discard((revision, chunk_id))
        state = self.scheduler.current
        if state is None or state.revision != revision:
            return  # a cancelled document's late answer
        if chunk_id == FINAL_CHUNK:  # the engine could not reconcile: do it here
            log.error("Final reconciliation failed in the engine: %s", payload)
            self._finish(state, final_mention_tuples(state.job.text, state.consistency.raw))
            return
        if kind == "error":
            log.error("Analysis of chunk %s failed: %s", chunk_id, payload)
            payload = []
        self.scheduler.done(state, chunk_id)
        mentions = state.consistency.add(state.job.text, payload)
        state.add_mentions(mentions)
        if not state.background:
            entities = None
            now = time.perf_counter()
            if now - state.last_summary >= SUMMARY_INTERVAL or state.complete:
                state.last_summary = now
                entities = state.results.snapshot()
            self.progress.emit(revision, mentions, entities, state.done_chars, state.total_chars)
        if state.complete:
            self._request_final(state, engine)

    def _request_final(self, state: JobState, engine: Engine) -> None:
        """The whole-document reconciliation, done by an engine process.

        It is half a second of pure Python on a book; on this thread it would hold the
        interpreter lock the GUI thread needs just when the GUI is busiest.
        """
        revision = state.revision
        if engine.send(("consistency", revision, state.job.text, state.consistency.raw)):
            engine.in_flight.add((revision, FINAL_CHUNK))
        else:
            self._finish(state, final_mention_tuples(state.job.text, state.consistency.raw))

    def _finish(self, state: JobState, final: list[MentionTuple]) -> None:
        """Send the GUI what the final reconciliation changed, not a book's worth again."""
        self.scheduler.cancel()
        if state.background:
            self.backgroundFinished.emit(state.job.background_key, final)
            return
        changed, removed = state.results.settle(final)
        elapsed = time.perf_counter() - state.started
        self.finished.emit(state.revision, changed, removed, state.results.snapshot(), elapsed)
        # The document's mentions live as long as it stays open: keep the garbage collector's
        # full passes (which block every thread) from walking them again and again.
        gc.freeze()

    def _engine_died(self, engine: Engine) -> None:
        """Replace the engine and try its chunks again, once; then give up on the job."""
        state = self.scheduler.current
        lost = (
            [chunk for revision, chunk in engine.in_flight if revision == state.revision]
            if state is not None
            else []
        )
        carry_on = self.pool.died(engine)
        if state is not None and lost:
            if FINAL_CHUNK in lost:  # it died reconciling: reconcile here
                self._finish(state, final_mention_tuples(state.job.text, state.consistency.raw))
            elif not carry_on or not self.scheduler.requeue_lost(state, lost):
                self._give_up(
                    state,
                    LOST_MESSAGE
                    if not state.background
                    else "The entity engine stopped while analysing it.",
                    queue_too=not carry_on,
                )
        if not carry_on and self.pool.failed is not None:
            self.scheduler.clear_background()
            self.scheduler.cancel()
            self.modelFailed.emit(self.pool.failed)


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
