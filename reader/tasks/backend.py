"""The analysis worker as the window sees it: one interface, a real and a fake worker.

``tasks.analysis.AnalysisWorker`` implements it with engine processes; the GUI tests'
``FakeWorker`` implements it with a blank spaCy pipeline on the GUI thread. Methods are
called from the GUI thread and return at once; answers come back through the signals,
queued onto the GUI thread.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

from reader.tasks.commands import AnalysisJob


@runtime_checkable
class AnalysisBackend(Protocol):
    @property
    def modelReady(self) -> SignalInstance:
        """(EngineInfo) the model is loaded: its name, version and components."""

    @property
    def modelFailed(self) -> SignalInstance:
        """(str) the model cannot be loaded; a sentence for the researcher."""

    @property
    def progress(self) -> SignalInstance:
        """(revision, new mentions, entities so far or None, done chars, total chars)."""

    @property
    def finished(self) -> SignalInstance:
        """(revision, mentions changed by the final reconciliation, spans removed,
        entities, seconds): the final set as a difference from the progress results."""

    @property
    def failed(self) -> SignalInstance:
        """(revision, message) the open document's analysis stopped."""

    @property
    def backgroundFinished(self) -> SignalInstance:
        """(background key, final mention tuples) a library document's names."""

    @property
    def backgroundFailed(self) -> SignalInstance:
        """(background key, message)."""

    def submit(self, job: AnalysisJob) -> None:
        """Analyse ``job.text``; replaces (cancels) whatever was being analysed."""

    def cancel(self) -> None:
        """Forget the current job."""

    def submit_background(self, key: int, text: str) -> None:
        """Analyse ``text`` when nothing else is being analysed; ``key`` names the result."""

    def clear_background(self) -> None:
        """Forget queued background work."""

    def prioritise(self, revision: int, offset: int, end: int = -1) -> None:
        """Analyse the screen, ``offset`` to ``end``, next (without ``end``: the text from
        ``offset`` on)."""

    def set_model(self, model_name: str) -> None:
        """Load another model; the current job restarts on it."""

    def request_stop(self) -> None:
        """Stop the engines (on quit)."""
