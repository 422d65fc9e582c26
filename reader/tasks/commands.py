"""What the GUI thread asks of the analysis worker: one small class per request.

Typed, so a misspelt request is a type error rather than a silently ignored string, and
the worker's dispatch is a ``match`` over classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnalysisJob:
    """A text to analyse, as plain data: the session's revision names its answers."""

    revision: int
    text: str
    priority_offset: int = 0
    # A library document analysed for the cache while nobody looks at it: no progress
    # signals, and the open document's job always goes first.
    background_key: int | None = None
    # Where the screen ends: the paragraphs from ``priority_offset`` to here go first, in a
    # small chunk of their own (-1: no screen, only an order from ``priority_offset``).
    priority_end: int = -1


@dataclass(frozen=True, slots=True)
class Submit:
    """Analyse ``job``, replacing whatever the open document had asked for."""

    job: AnalysisJob


@dataclass(frozen=True, slots=True)
class Cancel:
    """Forget the current job (the cache answered, or the document closed)."""


@dataclass(frozen=True, slots=True)
class SubmitBackground:
    """Analyse a library document when nothing else is being analysed."""

    key: int
    text: str


@dataclass(frozen=True, slots=True)
class ClearBackground:
    """Forget queued background work (the model changed, or the library closed)."""


@dataclass(frozen=True, slots=True)
class Prioritise:
    """The reader scrolled or jumped: analyse the screen, ``offset`` to ``end``, next."""

    revision: int
    offset: int
    end: int = -1


@dataclass(frozen=True, slots=True)
class SetModel:
    """Load another spaCy pipeline; the current job restarts on it."""

    name: str


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop the engines and leave the worker's loop."""


Command = Submit | Cancel | SubmitBackground | ClearBackground | Prioritise | SetModel | Stop
