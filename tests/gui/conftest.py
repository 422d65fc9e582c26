"""GUI fixtures: the real main window with a synchronous stand-in for the analysis worker.

The stand-in has the worker's signals and methods and answers from the GUI thread through
the event loop, using a blank spaCy pipeline with an entity ruler: fast and predictable.
The real worker with the real model is exercised in tests/integration.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCharFormat

from reader import settings as settings_module
from reader.entities.engine import EntityEngine
from reader.entities.spans import group_entities
from tests.rulers import ruler_pipeline

PATTERNS = [
    ("PERSON", "Antonio Guterres"),
    ("PERSON", "Claudia Brunner"),
    ("ORG", "Brunner"),  # as the small model often does: the lone surname tagged ORG
    ("PERSON", "Guterres"),
    ("GPE", "Geneva"),
    ("GPE", "Tashkent"),
    ("ORG", "World Bank"),
    ("ORG", "Greenpeace"),
    ("NORP", "Swiss"),
]


class FakeWorker(QObject):
    modelReady = Signal(object)
    modelFailed = Signal(str)
    progress = Signal(int, object, object, int, int)
    finished = Signal(int, object, object, object, float)
    failed = Signal(int, str)
    backgroundFinished = Signal(int, object)
    backgroundFailed = Signal(int, str)

    def __init__(self, engine: EntityEngine) -> None:
        super().__init__()
        self.engine = engine
        self.hold = False  # when set, jobs wait until release() is called
        self.jobs: list = []
        self.prioritised: list[tuple[int, int]] = []
        self.screens: list[tuple[int, int, int]] = []  # revision, first and last offset
        self.background: list[int] = []

    def submit(self, job) -> None:
        self.jobs.append(job)
        if not self.hold:
            QTimer.singleShot(0, lambda: self._run(job))

    def release(self) -> None:
        self.hold = False
        if self.jobs:
            self._run(self.jobs[-1])

    def _run(self, job) -> None:
        mentions = self.engine.analyse_text(job.text)
        half = len(mentions) // 2
        self.progress.emit(job.revision, mentions[:half], group_entities(mentions[:half]), 1, 2)
        self.progress.emit(job.revision, mentions[half:], None, 2, 2)
        self.finished.emit(job.revision, [], [], group_entities(mentions), 0.01)

    def cancel(self) -> None:
        pass

    def submit_background(self, key: int, text: str) -> None:
        self.background.append(key)
        QTimer.singleShot(0, lambda: self._run_background(key, text))

    def _run_background(self, key: int, text: str) -> None:
        tuples = [
            (m.start, m.end, m.kind.value, m.label, m.text, m.canonical)
            for m in self.engine.analyse_text(text)
        ]
        self.backgroundFinished.emit(key, tuples)

    def clear_background(self) -> None:
        pass

    def prioritise(self, revision: int, offset: int, end: int = -1) -> None:
        self.prioritised.append((revision, offset))
        self.screens.append((revision, offset, end))

    def set_model(self, name: str) -> None:
        self.model = name

    def request_stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def ruler_engine() -> EntityEngine:
    return EntityEngine(nlp=ruler_pipeline(PATTERNS))


@pytest.fixture
def fake_worker(qapp, ruler_engine) -> FakeWorker:
    return FakeWorker(ruler_engine)


def show_window(qtbot, worker, store=None):
    """The main window, shown, with the stand-in model reported ready."""
    from reader.ui.main_window import MainWindow

    win = MainWindow(settings_module.load(), worker, store)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    worker.modelReady.emit(SimpleNamespace(name="ruler", version="0", components=("entity_ruler",)))
    return win


@pytest.fixture
def window(qtbot, fake_worker):
    return show_window(qtbot, fake_worker)


def open_and_wait(qtbot, window, path) -> None:
    with qtbot.waitSignal(window.analysisDone, timeout=10_000):
        assert window.open_path(path)
    if window.runner.writable:  # kept in the library just after it is shown
        qtbot.waitUntil(lambda: window.document_id is not None, timeout=5_000)


def format_at(window, phrase: str, occurrence: int = 0) -> QTextCharFormat:
    """The highlight on the ``occurrence``-th ``phrase`` in the reading view: what is painted
    on its second character (the view paints highlights)."""
    text = window.document.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return window.view.highlights.format_at(start + 1)


@pytest.fixture
def store(tmp_path):
    from reader.store import open_store

    opened = open_store(tmp_path / "library.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def library_window(qtbot, fake_worker, store):
    """The main window with a real library store in a temporary folder."""
    win = show_window(qtbot, fake_worker, store)
    yield win
    win.close()
