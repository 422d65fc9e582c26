"""From the analysis worker to the session: the open article's names as they arrive.

The worker answers for a revision; only answers for the session's current revision are
taken, so a late result for an article that was closed meanwhile changes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from reader.entities.spans import Entity, Mention
from reader.tasks.backend import AnalysisBackend
from reader.tasks.commands import AnalysisJob
from reader.tasks.session import ReadingSession, SpanKey


class AnalysisFeed(QObject):
    def __init__(
        self, session: ReadingSession, worker: AnalysisBackend, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = worker
        worker.progress.connect(self._progress)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)

    def start(self, priority_offset: int = 0, priority_end: int = -1) -> None:
        """Find the names of the open article: the screen (``priority_offset`` to
        ``priority_end``) first, then the text after it, then the text before."""
        session = self.session
        if session.document is None:
            return
        job = AnalysisJob(
            session.revision,
            session.document.text,
            priority_offset,
            priority_end=priority_end,
        )
        self.worker.submit(job)
        session.analysis_started()

    def use_cached(self, mentions: list[Mention]) -> None:
        """The library had the names: no analysis."""
        self.worker.cancel()
        self.session.replace_mentions(mentions)
        self.session.analysis_finished(0.0, True)

    def cancel(self) -> None:
        self.worker.cancel()

    def prioritise(self, offset: int, end: int = -1) -> None:
        """The reader scrolled or jumped: the screen, ``offset`` to ``end``, next."""
        if self.session.document is not None and self.session.analysing:
            self.worker.prioritise(self.session.revision, offset, end)

    @Slot(int, object, object, int, int)
    def _progress(
        self,
        revision: int,
        mentions: list[Mention],
        entities: list[Entity] | None,
        done: int,
        total: int,
    ) -> None:
        if revision != self.session.revision:
            return
        self.session.add_mentions(mentions, entities)
        self.session.analysis_progress(done, total)

    @Slot(int, object, object, object, float)
    def _finished(
        self,
        revision: int,
        changed: list[Mention],
        removed: list[SpanKey],
        entities: list[Entity],
        seconds: float,
    ) -> None:
        if revision != self.session.revision:
            return
        self.session.update_mentions(changed, removed, entities)
        self.session.analysis_finished(seconds, False)

    @Slot(int, str)
    def _failed(self, revision: int, message: str) -> None:
        if revision == self.session.revision:
            self.session.analysis_failed(message)
