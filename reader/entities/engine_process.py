"""The entity engine in a child process.

The GUI process never imports spaCy: a pipeline runs in its own process so that NLP never
holds the GUI's interpreter lock, a crash in it cannot take the reader down, and on a
multi-core machine two of them can share a long book. Messages are plain tuples:

    parent -> child   ("analyse", job, chunk_id, [(offset, text), ...])   ("stop",)
                      ("analyse_first", job, chunk_id, [(offset, text), ...])
                      ("consistency", job, text, [(start, end, label), ...])
    child -> parent   ("ready", EngineInfo)   ("failed", message)
                      ("spans", job, chunk_id, [(start, end, label), ...])
                      ("final", job, [(start, end, kind, label, text, canonical), ...])
                      ("error", job, chunk_id, message)
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections import deque
from multiprocessing.connection import Connection
from typing import Any

from reader.entities.consistency import final_mention_tuples
from reader.errors import ReaderError
from reader.lifeline import bind_to_parent

log = logging.getLogger(__name__)

BACKGROUND_NICENESS = 5
FINAL_CHUNK = -1  # the chunk id under which the final reconciliation is tracked
URGENT = "analyse_first"  # the text on the reader's screen: before anything already waiting


def serve(conn: Connection, model_name: str) -> None:
    """The child's main loop: load the model, then answer requests until told to stop."""
    bind_to_parent()  # a window killed with -9 must not leave a model in memory forever
    if hasattr(os, "nice"):
        # Analysis is background work: when the reader's window needs a core, it comes first.
        with contextlib.suppress(OSError):
            os.nice(BACKGROUND_NICENESS)
    try:
        from reader.entities.engine import EntityEngine

        engine = EntityEngine(model_name)
    except ReaderError as exc:
        conn.send(("failed", exc.message))
        return
    except Exception as exc:  # the message must reach the user, not a traceback
        conn.send(("failed", f"The entity engine could not start: {exc}"))
        return
    conn.send(("ready", engine.info))
    waiting: deque[tuple[Any, ...]] = deque()
    while True:
        try:
            message = next_message(conn, waiting)
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        if message[0] == "consistency":  # the whole document's final reconciliation
            _, job, text, raw = message
            try:
                conn.send(("final", job, final_mention_tuples(text, raw)))
            except Exception as exc:
                conn.send(("error", job, FINAL_CHUNK, f"{type(exc).__name__}: {exc}"))
            continue
        if message[0] in ("analyse", URGENT):
            _, job, chunk_id, pieces = message
            try:
                conn.send(("spans", job, chunk_id, engine.analyse_pieces(pieces)))
            except Exception as exc:
                conn.send(("error", job, chunk_id, f"{type(exc).__name__}: {exc}"))


def next_message(conn: Connection, waiting: deque[tuple[Any, ...]]) -> tuple[Any, ...]:
    """The next request to carry out: "stop" first, then the screen's text, then in order.

    Everything the parent has sent is read first, so a chunk for the reader's screen that
    arrives behind chunks already waiting here is analysed before them, and a "stop" on quit
    does not wait for them either.
    """
    if not waiting:
        waiting.append(conn.recv())
    while conn.poll():
        waiting.append(conn.recv())
    for wanted in ("stop", URGENT):
        for index, message in enumerate(waiting):
            if message[0] == wanted:
                del waiting[index]
                return message
    return waiting.popleft()


class EngineProcess:
    """A handle on one child process running ``serve``."""

    def __init__(self, model_name: str) -> None:
        context = multiprocessing.get_context("spawn")  # forking a Qt process is unsafe
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child_conn, model_name), name="reader-ner", daemon=True
        )
        self.process.start()
        child_conn.close()
        self.info: Any = None
        self.ready = False
        self.failed: str | None = None
        self.in_flight: set[tuple[int, int]] = set()

    def send(self, message: tuple[Any, ...]) -> bool:
        try:
            self.conn.send(message)
            return True
        except (OSError, ValueError):
            return False

    def stop(self, timeout: float = 2.0) -> None:
        self.send(("stop",))
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout)
        self.conn.close()
