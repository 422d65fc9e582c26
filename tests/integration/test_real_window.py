"""The real window with the real analysis worker, engine process and model."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from reader import settings as settings_module
from reader.entities.kinds import Kind
from reader.tasks.analysis import AnalysisJob, AnalysisThread
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "summit-in-geneva.md"


@pytest.fixture
def analysis(qapp):
    thread = AnalysisThread("", max_engines=1)
    thread.start()
    yield thread
    thread.stop()


def test_window_shows_before_the_model_is_ready_then_highlights(qtbot, analysis) -> None:
    from reader.ui.main_window import MainWindow

    ready: list[object] = []
    analysis.worker.modelReady.connect(ready.append)
    window = MainWindow(settings_module.load(), analysis.worker)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not ready  # the window is up while spaCy is still loading in the engine process
    assert window.open_path(SAMPLE)
    assert "Water talks in Geneva" in window.view.toPlainText()
    with qtbot.waitSignal(window.analysisDone, timeout=120_000):
        pass
    text = window.document.text
    for phrase, kind in (
        ("Antonio Guterres", Kind.PERSON),
        ("Tashkent", Kind.PLACE),
        ("Greenpeace", Kind.ORGANIZATION),
    ):
        start = text.index(phrase)
        fmt = window.view.highlights.format_at(start + 1)
        assert fmt.background().color() == QColor(window.settings.colour(kind)), phrase
    assert window.model_label.text().startswith("Entity model: en_core_web_sm")
    brunner = window.panel.model.index_of((Kind.PERSON, "Claudia Brunner"))
    assert brunner.isValid()
    window.close()


def test_a_new_job_cancels_the_previous_one(qtbot, analysis) -> None:
    worker = analysis.worker
    results: list[int] = []
    finished: list[int] = []
    worker.progress.connect(lambda revision, *_: results.append(revision))
    worker.finished.connect(lambda revision, *_: finished.append(revision))
    long_text = "\n\n".join(["Sergei Lavrov met Antony Blinken in Geneva."] * 3000)
    worker.submit(AnalysisJob(1, long_text))
    worker.submit(AnalysisJob(2, SAMPLE.read_text(encoding="utf-8")))
    qtbot.waitUntil(lambda: 2 in finished, timeout=120_000)
    assert 1 not in finished


def test_a_model_that_cannot_be_loaded_leaves_the_text_readable(qtbot, qapp) -> None:
    from reader.ui.main_window import MainWindow

    thread = AnalysisThread("en_core_web_missing", max_engines=1)
    thread.start()
    try:
        window = MainWindow(settings_module.load(), thread.worker)
        qtbot.addWidget(window)
        window.show()
        window.open_path(SAMPLE)
        # waitUntil, not waitSignal: pytest-qt's blocker would run on the worker's thread.
        qtbot.waitUntil(lambda: window.model_failed and window.notice.isVisible(), timeout=60_000)
        assert "en_core_web_missing" in window.notice.text()
        assert "pip install" in window.notice.text()
        assert "Water talks in Geneva" in window.view.toPlainText()
        window.close()
    finally:
        thread.stop()
