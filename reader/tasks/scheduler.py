"""Which text is analysed next, and in what order: the worker's plan, with no Qt.

The open document comes first, and within it the part on screen: its text is cut into
chunks of about a thousand words (``CHUNK_CHARS``), ordered from the reader's position.
The paragraphs on screen are carved out of their chunks into a small chunk of their own,
marked urgent, which goes first: at the start, and again whenever the reader scrolls or
jumps (an engine takes an urgent chunk before the ones already waiting in its pipe, so the
screen waits for at most the chunk being analysed). Library documents waiting for their
names are analysed in the background when the open document leaves the engines idle;
opening a document preempts them, and the interrupted one starts again later. A chunk lost
with an engine that died is tried once more on the engine that replaces it.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from reader.entities.chunking import Range, group_ranges, order_from, paragraph_ranges
from reader.entities.consistency import ConsistencyState
from reader.entities.spans import Mention
from reader.tasks.aggregation import Aggregate
from reader.tasks.commands import AnalysisJob

CHUNK_CHARS = 6_000  # about 1,000 words: a tenth of a second of NER, so results flow steadily

Chunk = tuple[int, list[Range]]  # chunk id, the paragraph ranges it covers


@dataclass
class JobState:
    """One job under way: what is left, what is out, and the results so far."""

    job: AnalysisJob
    remaining: deque[Chunk]
    chunk_sizes: dict[int, int]
    total_chars: int
    started: float
    done_chars: int = 0
    in_flight: set[int] = field(default_factory=set)
    chunks: dict[int, list[Range]] = field(default_factory=dict)
    retried: set[int] = field(default_factory=set)  # lost once with a dying engine
    urgent: set[int] = field(default_factory=set)  # chunks of the screen: engines take them first
    consistency: ConsistencyState = field(default_factory=ConsistencyState)
    results: Aggregate = field(default_factory=Aggregate)
    last_summary: float = 0.0

    @property
    def revision(self) -> int:
        return self.job.revision

    @property
    def background(self) -> bool:
        return self.job.background_key is not None

    @property
    def complete(self) -> bool:
        return not self.remaining and not self.in_flight

    @property
    def remaining_chars(self) -> int:
        return sum(self.chunk_sizes[chunk_id] for chunk_id, _ in self.remaining)

    def add_mentions(self, mentions: list[Mention]) -> None:
        self.results.add(mentions)


def plan(job: AnalysisJob, chunk_chars: int = CHUNK_CHARS) -> JobState:
    """Cut ``job.text`` into chunks, the one at ``job.priority_offset`` first; with a
    ``priority_end``, the paragraphs of that range (the screen) in a chunk of their own."""
    ranges = paragraph_ranges(job.text)
    chunks = order_from(group_ranges(ranges, chunk_chars), job.priority_offset)
    state = JobState(
        job=job,
        remaining=deque(enumerate(chunks)),
        chunk_sizes={i: _size(c) for i, c in enumerate(chunks)},
        total_chars=sum(e - s for s, e in ranges),
        started=time.perf_counter(),
        chunks=dict(enumerate(chunks)),
    )
    if job.priority_end > job.priority_offset:
        carve_screen(state, job.priority_offset, job.priority_end)
    return state


def carve_screen(state: JobState, start: int, end: int) -> None:
    """Put the paragraphs overlapping ``start``..``end`` that nobody has analysed yet into
    one urgent chunk at the front, followed by the text after it, then the text before.

    Chunks are about six screens long; without this the screen waited for the whole
    chunk holding its top, and its bottom half for the next one as well.
    """
    items = sorted(state.remaining, key=lambda item: item[1][0][0])
    screen: list[Range] = []
    after: list[Chunk] = []
    before: list[Chunk] = []
    next_id = max(state.chunks, default=-1) + 1
    for chunk_id, ranges in items:
        inside = [r for r in ranges if r[1] > start and r[0] < end]
        if not inside:
            (before if ranges[-1][1] <= start else after).append((chunk_id, ranges))
            continue
        head = [r for r in ranges if r[1] <= start]
        tail = [r for r in ranges if r[0] >= end]
        screen += inside
        del state.chunks[chunk_id], state.chunk_sizes[chunk_id]
        state.urgent.discard(chunk_id)
        for part, into in ((head, before), (tail, after)):
            if part:
                state.chunks[next_id], state.chunk_sizes[next_id] = part, _size(part)
                into.append((next_id, part))
                next_id += 1
    first: list[Chunk] = []
    if screen:
        state.chunks[next_id], state.chunk_sizes[next_id] = screen, _size(screen)
        state.urgent.add(next_id)
        first.append((next_id, screen))
    state.remaining = deque(first + after + before)


def _size(ranges: list[Range]) -> int:
    return sum(e - s for s, e in ranges)


class JobScheduler:
    """The current job and the queue of background jobs behind it."""

    def __init__(self, chunk_chars: int = CHUNK_CHARS) -> None:
        self.chunk_chars = chunk_chars
        self.current: JobState | None = None
        self.background: deque[AnalysisJob] = deque()
        self._background_revision = 0

    def begin(self, job: AnalysisJob) -> JobState:
        """Make ``job`` the current one; an open document preempts background work."""
        current = self.current
        if job.background_key is None and current is not None and current.background:
            self.background.appendleft(current.job)  # interrupted: it starts again later
        self.current = plan(job, self.chunk_chars)
        return self.current

    def cancel(self) -> None:
        self.current = None

    def add_background(self, key: int, text: str) -> None:
        # Negative revisions: they can never be mistaken for the session's documents.
        self._background_revision -= 1
        self.background.append(AnalysisJob(self._background_revision, text, 0, background_key=key))

    def clear_background(self) -> None:
        self.background.clear()
        if self.current is not None and self.current.background:
            self.current = None

    def next_idle_job(self) -> JobState | None:
        """Start the next background job when nothing else is being analysed."""
        if self.current is None and self.background:
            return self.begin(self.background.popleft())
        return None

    def prioritise(self, revision: int, offset: int, end: int = -1) -> None:
        """The screen (``offset``..``end``) next, urgently, then the text after it; without
        an ``end``, the chunks from the one holding ``offset`` onwards."""
        state = self.current
        if state is None or state.revision != revision or not state.remaining:
            return
        if end > offset:
            carve_screen(state, offset, end)
            return
        items = sorted(state.remaining, key=lambda item: item[1][0][0])
        first = next((i for i, (_, c) in enumerate(items) if c[-1][1] >= offset), 0)
        state.remaining = deque(items[first:] + items[:first])

    # -- chunks ---------------------------------------------------------------------------

    def take(self, state: JobState) -> Chunk | None:
        """The next chunk to send to an engine, now counted as in flight."""
        if not state.remaining:
            return None
        chunk = state.remaining.popleft()
        state.in_flight.add(chunk[0])
        return chunk

    def next_is_urgent(self, state: JobState) -> bool:
        return bool(state.remaining) and state.remaining[0][0] in state.urgent

    def put_back(self, state: JobState, chunk: Chunk) -> None:
        """A chunk that could not be sent goes first again."""
        state.in_flight.discard(chunk[0])
        state.remaining.appendleft(chunk)

    def done(self, state: JobState, chunk_id: int) -> None:
        state.in_flight.discard(chunk_id)
        state.urgent.discard(chunk_id)
        state.done_chars += state.chunk_sizes[chunk_id]

    def requeue_lost(self, state: JobState, chunk_ids: list[int]) -> bool:
        """Chunks lost with a dead engine go first again; False when one of them was lost
        before (it may be what kills the engine), and the job should give up."""
        if any(chunk_id in state.retried for chunk_id in chunk_ids):
            return False
        for chunk_id in sorted(chunk_ids, reverse=True):
            state.in_flight.discard(chunk_id)
            state.retried.add(chunk_id)
            state.remaining.appendleft((chunk_id, state.chunks[chunk_id]))
        return True
