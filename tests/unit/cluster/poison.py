"""Task functions for the dispatch tests; a module of their own so that workers import it."""

from __future__ import annotations

import os

POISON = 13


def square_unless_poisoned(task: list[int]) -> list[int]:
    """Kills the worker process running it when the task holds ``POISON``, as a file that
    crashes a PDF library would."""
    if POISON in task:
        os._exit(1)
    return [n * n for n in task]
