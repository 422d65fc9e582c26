"""The status bar's view of the analysis: the model in use, a progress bar, a summary line.

It observes the session (the open article's analysis) and the worker (the model), and
only ever touches its own two widgets and the status bar's message.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from reader.entities.kinds import Kind
from reader.tasks.backend import AnalysisBackend
from reader.tasks.messages import MessageBridge
from reader.tasks.session import ReadingSession


class AnalysisStatus(QObject):
    # The model is loaded (name, version): the window tells the library controller.
    modelLoaded = Signal(str, str)
    analysisDone = Signal(float)  # seconds (0 when the library's cache answered)

    def __init__(
        self,
        session: ReadingSession,
        worker: AnalysisBackend,
        messages: MessageBridge,
        status_bar: QStatusBar,
        visible: Callable[[], set[Kind]],
    ) -> None:
        super().__init__(status_bar)
        self.session = session
        self.messages = messages
        self.status_bar = status_bar
        self.visible = visible
        self.model_failed = False
        self.model_description = "loading…"
        self.progress = QProgressBar(status_bar)
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.model_label = QLabel("Entity model: loading…", status_bar)
        status_bar.addPermanentWidget(self.progress)
        status_bar.addPermanentWidget(self.model_label)
        worker.modelReady.connect(self._model_ready)
        worker.modelFailed.connect(self._model_failed)
        session.analysisStarted.connect(self._started)
        session.analysisProgress.connect(self._progress)
        session.analysisFinished.connect(self._finished)
        session.analysisFailed.connect(self._failed)

    def model_loading(self) -> None:
        """Preferences chose another model: it is loading now."""
        self.model_failed = False
        self.model_label.setText("Entity model: loading…")

    @Slot(object)
    def _model_ready(self, info) -> None:
        self.model_failed = False
        self.model_description = f"{info.name} {info.version} ({', '.join(info.components)})"
        self.model_label.setText(f"Entity model: {info.name} {info.version}")
        self.modelLoaded.emit(info.name, info.version)

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self.model_failed = True
        self.model_description = "not loaded"
        self.model_label.setText("Entity model: not loaded")
        self.progress.hide()
        self.messages.error(message + " The text is shown without highlights.")

    def _started(self) -> None:
        self.progress.setValue(0)
        self.progress.show()
        self.status_bar.showMessage("Finding people, places and organizations…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / total) if total else 100)
        self.status_bar.showMessage(
            f"Finding people, places and organizations… {100 * done // max(total, 1)}%"
        )

    def _finished(self, seconds: float, cached: bool) -> None:
        self.progress.hide()
        visible = self.visible()
        shown = sum(1 for e in self.session.entities() if e.kind in visible)
        if cached:
            message = f"{shown} names (from the library, analysed before)."
        else:
            message = f"{shown} names found in {seconds:.1f} s."
        self.status_bar.showMessage(message, 8000)
        self.analysisDone.emit(0.0 if cached else seconds)

    def _failed(self, message: str) -> None:
        self.progress.hide()
        if not self.model_failed:
            self.messages.error(message)
