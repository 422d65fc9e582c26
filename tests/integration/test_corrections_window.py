"""A correction, a note and an import made with ``reader`` in a shell reach an open window.

The real window with the real model, and real ``python -m reader`` processes writing to the
same library: the store watcher must notice each change and the window must show it, while
the window's own writes are never taken for news from elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from reader import paths
from reader import settings as settings_module
from reader.entities.kinds import Kind
from reader.store import open_store
from reader.tasks.analysis import AnalysisThread
from reader.tasks.operations import Changes
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "summit-in-geneva.md"


@pytest.fixture
def analysis(qapp):
    thread = AnalysisThread("", max_engines=1)
    thread.start()
    yield thread
    thread.stop()


def reader(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, READER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )


def colour_at(window, phrase: str) -> QColor:
    start = window.document.text.index(phrase)
    # Highlights are painted from the session's names; format_at says what is painted.
    return window.view.highlights.format_at(start + 1).background().color()


def test_corrections_notes_and_imports_from_a_shell_show_in_the_open_window(
    qtbot, analysis, reader_home: Path, tmp_path: Path
) -> None:
    from reader.ui.main_window import MainWindow

    store = open_store(paths.database_file())
    window = MainWindow(settings_module.load(), analysis.worker, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    heard: list[Changes] = []
    window.watcher.changedElsewhere.connect(heard.append)
    try:
        with qtbot.waitSignal(window.analysisDone, timeout=120_000):
            assert window.open_path(SAMPLE)
        qtbot.waitUntil(lambda: window.document_id is not None, timeout=10_000)
        qtbot.waitUntil(lambda: window.watcher.active and window.runner.pending == 0)
        organization = QColor(window.settings.colour(Kind.ORGANIZATION))
        place = QColor(window.settings.colour(Kind.PLACE))
        assert colour_at(window, "Syr Darya") == organization  # the small model's mistake
        qtbot.wait(600)
        assert heard == []  # opening, analysing and keeping the article were the window's own

        done = reader(reader_home, "corrections", "relabel", "Syr Darya", "--kind", "place")
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: colour_at(window, "Syr Darya") == place, timeout=5_000)
        assert heard[-1] & Changes.CORRECTIONS
        assert window.panel.model.index_of((Kind.PLACE, "Syr Darya")).isValid()
        qtbot.waitUntil(lambda: window.corrections.panel.heading.text() == "1 correction in force")
        # The shell stores the rule, then applies it to the library: its count follows.
        model = window.corrections.panel.model
        qtbot.waitUntil(lambda: model.index(0, 3).data() == "2", timeout=5_000)
        assert model.index(0, 2).data() == "2"  # and here, in the open article

        done = reader(
            reader_home,
            "notes",
            "add",
            str(SAMPLE),
            "--quote",
            "joint monitoring station",
            "--text",
            "Where exactly?",
        )
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(
            lambda: any(n.body == "Where exactly?" for n in window.session.notes), timeout=5_000
        )
        assert "1 note on this article" in window.notes.panel.heading.text()

        other = tmp_path / "other.md"
        other.write_text("# Another story\n\nFarmers in the valley waited for rain.\n")
        done = reader(reader_home, "import", str(other))
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(
            lambda: window.library.panel.count_label.text().startswith("2 "), timeout=5_000
        )
    finally:
        window.close()
        store.close()
