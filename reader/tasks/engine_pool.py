"""The engine processes that run spaCy for the worker: started, counted, replaced.

One engine starts with the reader; a second joins for a long text once the first screen is
done (starting one loads spaCy again, which would compete with that first chunk for the
two cores). An engine that dies is replaced, up to ``MAX_ENGINE_DEATHS`` times: after
that something about this machine or model kills it, and the pool stops trying.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any, Protocol

from reader import paths
from reader.entities.engine_process import EngineProcess

log = logging.getLogger(__name__)

IN_FLIGHT_PER_ENGINE = 2  # one being analysed, one waiting, so an engine never idles
URGENT_EXTRA = 1  # the screen's chunk may go to a busy engine beyond that: it jumps the queue
SECOND_ENGINE_CHARS = 250_000  # below this a second process costs more to start than it saves
MAX_ENGINE_DEATHS = 3
STOP_SECONDS = 1.0  # an engine finishes the chunk in hand (a tenth of a second) and exits


class Engine(Protocol):
    """What the pool needs of an engine process (``entities.engine_process.EngineProcess``)."""

    conn: Any  # the parent's end of the pipe, waited on by the worker
    ready: bool
    info: Any
    in_flight: set[tuple[int, int]]  # (revision, chunk id)

    def send(self, message: tuple[Any, ...]) -> bool: ...

    def stop(self, timeout: float = 2.0) -> None: ...


class EnginePool:
    def __init__(
        self,
        model_name: str = "",
        max_engines: int | None = None,
        factory: Callable[[str], Engine] = EngineProcess,
    ) -> None:
        self.model_name = model_name
        self.max_engines = max_engines or min(2, os.cpu_count() or 1)
        self.engines: list[Engine] = []
        self.failed: str | None = None  # why no engine can run (the model failed to load)
        self.deaths = 0
        self._factory = factory

    def start(self) -> Engine:
        engine = self._factory(self.model_name)
        self.engines.append(engine)
        return engine

    def engine_of(self, conn: object) -> Engine:
        return next(e for e in self.engines if e.conn is conn)

    def is_first(self, engine: Engine) -> bool:
        return bool(self.engines) and engine is self.engines[0]

    def can_take(self, engine: Engine) -> bool:
        return engine.ready and len(engine.in_flight) < IN_FLIGHT_PER_ENGINE

    def engine_for_urgent(self) -> Engine | None:
        """The ready engine with the least work waiting, if one has room for the screen."""
        limit = IN_FLIGHT_PER_ENGINE + URGENT_EXTRA
        ready = [e for e in self.engines if e.ready and len(e.in_flight) < limit]
        return min(ready, key=lambda e: len(e.in_flight), default=None)

    def wants_another(self, remaining_chars: int, done_chars: int) -> bool:
        """A second engine for a long text, once the first screen is done."""
        return (
            len(self.engines) < self.max_engines
            and done_chars > 0
            and all(e.ready for e in self.engines)
            and remaining_chars >= SECOND_ENGINE_CHARS
        )

    def model_failed(self, engine: Engine, message: str) -> None:
        self.failed = message
        self.remove(engine)

    def remove(self, engine: Engine, timeout: float = 2.0) -> None:
        if engine in self.engines:
            self.engines.remove(engine)
        engine.stop(timeout)

    def died(self, engine: Engine) -> bool:
        """Count a death and replace the engine; False once the pool gives up."""
        log.error("Entity engine process exited (code %s)", _exit_code(engine))
        self.remove(engine, timeout=0.5)
        self.deaths += 1
        if self.deaths >= MAX_ENGINE_DEATHS:
            self.failed = (
                "The entity engine keeps stopping unexpectedly; the text is shown without "
                f"highlights. Details are in the log file {paths.log_file()}."
            )
            return False
        if not self.engines:
            self.start()
        return True

    def switch_model(self, model_name: str) -> None:
        self.model_name = model_name
        self.failed = None
        self.deaths = 0
        self.stop_all()
        self.start()

    def stop_all(self, timeout: float = STOP_SECONDS) -> None:
        """Stop every engine: all are told at once, so they wind down side by side; one
        still busy after ``timeout`` is terminated (its work is only a cache's worth)."""
        for engine in self.engines:
            engine.send(("stop",))
        for engine in self.engines:
            engine.stop(timeout)
        self.engines.clear()


def _exit_code(engine: Engine) -> object:
    process = getattr(engine, "process", None)
    return getattr(process, "exitcode", None)
