"""The engine process's inbox: what it does next when several requests are waiting."""

from __future__ import annotations

from collections import deque
from multiprocessing import Pipe
from typing import Any

from reader.entities.engine_process import URGENT, next_message


def test_the_screen_s_chunk_and_stop_jump_the_queue() -> None:
    parent, child = Pipe()
    waiting: deque[tuple[Any, ...]] = deque()
    parent.send(("analyse", 1, 0, []))
    parent.send(("analyse", 1, 1, []))
    parent.send((URGENT, 1, 7, []))
    assert next_message(child, waiting) == (URGENT, 1, 7, [])
    assert next_message(child, waiting) == ("analyse", 1, 0, [])
    parent.send(("stop",))
    assert next_message(child, waiting) == ("stop",)
    assert next_message(child, waiting) == ("analyse", 1, 1, [])
    parent.close()
    child.close()
