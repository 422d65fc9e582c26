"""Long texts in the window: the passage on screen stays put, the screen is analysed first,
jumps, F3, find as you type, the reading position across restarts, and quitting.

The book is War and Peace from ../shared/corpus (tests that need it skip without it); the
others use a generated text of a few hundred thousand characters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor

from reader import settings as settings_module
from reader.entities.kinds import Kind
from reader.entities.spans import Mention, group_entities
from reader.tasks.scheduler import plan
from reader.ui.find_bar import MAX_MATCHES, find_all
from tests.conftest import CORPUS, SAMPLES
from tests.gui.conftest import FakeWorker, show_window

BOOK = CORPUS / "war_and_peace.txt"
NAMES = {
    "Pierre": Kind.PERSON,
    "Natásha": Kind.PERSON,
    "Prince Andrew": Kind.PERSON,
    "Moscow": Kind.PLACE,
    "Petersburg": Kind.PLACE,
    "Austerlitz": Kind.PLACE,
}


def long_text(tmp_path: Path, paragraphs: int = 1500) -> Path:
    rows = ["# A long chronicle", ""]
    for n in range(paragraphs):
        rows += [
            f"{n}. Pierre walked from Moscow towards the river with Natásha, talking of "
            "Austerlitz and of the letters that never came, while the carriages waited in "
            "the yard and the evening settled over the roofs of the old town.",
            "",
        ]
    path = tmp_path / "chronicle.txt"
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


class ChunkWorker(FakeWorker):
    """Answers chunk by chunk in the worker's own order (the screen first), from a zero
    timer, with every name of ``NAMES`` as a mention; each chunk's names get a canonical
    form of their own, so the legend's counts grow into the thousands on a book."""

    def submit(self, job) -> None:
        self.jobs.append(job)
        state = plan(job, 20_000)
        self._queue = list(state.remaining)
        self._job = job
        self._found: list[Mention] = []
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next_chunk)
        if not self.hold:
            self._timer.start()

    def release_chunks(self) -> None:
        self.hold = False
        self._timer.start()

    def _next_chunk(self) -> None:
        job = self._job
        if not self._queue or self.jobs[-1] is not job:
            self._timer.stop()
            if self.jobs[-1] is job:
                self.finished.emit(job.revision, [], [], group_entities(self._found), 0.1)
            return
        _, ranges = self._queue.pop(0)
        mentions = []
        for start, end in ranges:
            for name, kind in NAMES.items():
                for match in re.finditer(name, job.text[start:end]):
                    s, e = start + match.start(), start + match.end()
                    canonical = f"{name} {s}"  # one entity per mention: counts grow
                    mentions.append(Mention(s, e, kind, "X", name, canonical))
        self._found += mentions
        done = len(self._found)
        self.progress.emit(job.revision, mentions, group_entities(self._found), done, done + 1)


@pytest.fixture
def chunk_window(qtbot, ruler_engine):
    worker = ChunkWorker(ruler_engine)
    window = show_window(qtbot, worker)
    yield window
    window.close()


def first_visible(view) -> tuple[int, float]:
    """The first block on screen and its top edge's offset from the viewport's top."""
    block = view.cursorForPosition(QPoint(0, 0)).block()
    top = view.document().documentLayout().blockBoundingRect(block).top()
    return block.blockNumber(), top - view.verticalScrollBar().value()


def open_long(qtbot, window, path: Path) -> None:
    with qtbot.waitSignal(window.documentShown, timeout=30_000):
        window.open_path(path)
    qtbot.waitUntil(lambda: window.view.builder.complete, timeout=30_000)


# -- the passage stays where it is -----------------------------------------------------------


@pytest.mark.skipif(not BOOK.exists(), reason="War and Peace is not in ../shared/corpus")
def test_the_passage_on_screen_stays_put_while_the_book_is_analysed(qtbot, chunk_window):
    window = chunk_window
    window.library_dock.show()  # panels on both sides: the text has the least room
    worker = window.worker
    worker.hold = True
    open_long(qtbot, window, BOOK)
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(200)
    before = first_visible(window.view)
    widths = (window.dock.width(), window.library_dock.width(), window.view.width())
    shown = window.view.visible_range()
    with qtbot.waitSignal(window.analysisDone, timeout=120_000):
        worker.release_chunks()
    qtbot.wait(300)  # the panel's last refresh, the repaint
    assert first_visible(window.view) == before
    assert (window.dock.width(), window.library_dock.width(), window.view.width()) == widths
    people = window.legend.checkboxes[Kind.PERSON].text()
    assert int(people.split()[-1].replace(",", "")) > 1000  # grew by three digits meanwhile
    # And the names on screen are painted.
    on_screen = window.session.mentions_between(*shown)
    assert on_screen
    for mention in on_screen:
        fmt = window.view.highlights.format_at(mention.start + 1)
        assert fmt.background().color() == QColor(window.settings.colour(mention.kind))


def test_zoom_and_a_narrower_window_keep_the_same_line_on_top(qtbot, window, tmp_path):
    open_long(qtbot, window, long_text(tmp_path))
    view = window.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2 + 7)
    qtbot.wait(50)
    top = view.visible_range()[0]
    window.zoom_by(3)
    # Qt lays the text out again lazily, and finds points right only once it has caught up.
    qtbot.wait(200)
    assert abs(view.visible_range()[0] - top) < 80  # the same line (a new first character)
    window.resize(700, 800)  # re-wraps every line: the measure gets narrower
    qtbot.wait(200)
    assert abs(view.visible_range()[0] - top) < 80


# -- painted highlights ------------------------------------------------------------------------


def test_highlights_are_painted_in_the_kind_s_tint_under_the_text(qtbot, window):
    from tests.gui.conftest import open_and_wait

    open_and_wait(qtbot, window, SAMPLES / "summit-in-geneva.md")
    view = window.view
    text = window.document.text
    image = view.viewport().grab().toImage()

    def pixel_in(phrase: str) -> QColor:
        start = text.index(phrase)
        rect = view.cursorRect(view.cursor_for_span(start, start))
        return image.pixelColor(rect.right() + 2, rect.top() + 2)

    assert pixel_in("Antonio Guterres") == QColor(window.settings.colour(Kind.PERSON))
    assert pixel_in("Geneva") == QColor(window.settings.colour(Kind.PLACE))
    assert pixel_in("Delegates") == QColor("#fdfcf9")  # the paper: no name there
    window.legend.checkboxes[Kind.PERSON].setChecked(False)
    image = view.viewport().grab().toImage()
    assert pixel_in("Antonio Guterres") == QColor("#fdfcf9")
    assert pixel_in("Geneva") == QColor(window.settings.colour(Kind.PLACE))


def test_a_name_broken_over_two_lines_leaves_the_break_s_space_untinted(qapp):
    from PySide6.QtGui import QFontMetricsF, QTextDocument

    from reader.printing.decorations import cursor_x
    from reader.ui.highlighter import _line_pieces

    document = QTextDocument()
    document.setPlainText("The talks at the United Nations ended late.")
    width = QFontMetricsF(document.defaultFont()).horizontalAdvance("The talks at the United ")
    document.setTextWidth(width + document.documentMargin() * 2 + 4)
    document.size()  # lays the text out
    block = document.firstBlock()
    start = block.text().index("United")
    pieces = _line_pieces(block, start, start + len("United Nations"))

    assert len(pieces) == 2  # the name is broken after "United "
    first_line, _left, right = pieces[0]
    assert right == cursor_x(first_line, start + len("United"))  # not past the space
    assert right < cursor_x(first_line, start + len("United "))
    assert pieces[1][1] == 0.0  # "Nations" from the start of the next line


# -- what is on screen is analysed next ----------------------------------------------------------


def test_a_scroll_or_a_jump_asks_for_the_screen_next(qtbot, window, fake_worker, tmp_path):
    fake_worker.hold = True
    open_long(qtbot, window, long_text(tmp_path))
    job = fake_worker.jobs[-1]
    assert job.priority_end > job.priority_offset  # the first screen, as a range
    view = window.view
    qtbot.wait(200)
    fake_worker.screens.clear()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    qtbot.waitUntil(lambda: bool(fake_worker.screens), timeout=2_000)
    revision, start, end = fake_worker.screens[-1]
    assert revision == window.session.revision
    assert (start, end) == view.visible_range()
    assert 400 < end - start < 4_000  # a screenful of the text, where the scroll went
    assert start > len(window.document.text) // 4
    fake_worker.screens.clear()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(fake_worker.screens), timeout=2_000)
    assert fake_worker.screens[-1][2] >= len(window.document.text) - 400


# -- keys ---------------------------------------------------------------------------------------


def test_ctrl_end_and_ctrl_home_go_to_the_end_and_the_start(qtbot, window, tmp_path):
    path = long_text(tmp_path, paragraphs=4000)
    with qtbot.waitSignal(window.documentShown, timeout=30_000):
        window.open_path(path)
    view = window.view
    assert not view.builder.complete  # the end is not even in the view yet
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: view.builder.complete and bar.value() > 0, timeout=20_000)
    assert bar.value() == bar.maximum()
    end = view.visible_range()[1]
    assert end >= len(window.document.text) - 2
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0


def test_f3_brings_the_next_mention_to_the_middle_of_the_screen(qtbot, window, tmp_path):
    from tests.gui.conftest import open_and_wait

    path = tmp_path / "far.txt"
    filler = "\n\n".join("The river ran on past the fields and the mills." for _ in range(300))
    path.write_text(f"Geneva in spring.\n\n{filler}\n\nGeneva again, much later.", "utf-8")
    open_and_wait(qtbot, window, path)
    view = window.view
    entity = next(e for e in window.session.entities() if e.canonical == "Geneva")
    window.panel.table.setCurrentIndex(window.panel.model.index_of(entity.key))
    assert view.verticalScrollBar().value() == 0  # the first mention is on screen already
    window.step(1)
    second = entity.mentions[1]
    rect = view.cursorRect(view.cursor_for_span(second.start, second.start))
    middle = view.viewport().height() / 2
    assert abs(rect.center().y() - middle) <= rect.height()


# -- find ---------------------------------------------------------------------------------------


def test_find_in_a_long_text_never_waits_and_counts_lazily(qtbot, window, tmp_path):
    open_long(qtbot, window, long_text(tmp_path, paragraphs=2000))
    bar = window.find_bar
    text = window.document.text
    assert len(text) > 400_000
    window.find_bar.open_bar()
    for typed in ("M", "Mo", "Mos"):
        qtbot.keyClick(bar.edit, typed[-1])
        assert bar.edit.text() == typed
        assert bar.searching  # the key came back before the search had finished
        assert bar.count_label.text() == "searching…"
    qtbot.waitUntil(lambda: not bar.searching, timeout=5_000)
    assert bar.matches == find_all(text, "mos")
    assert bar.count_label.text().endswith(f"of {len(bar.matches):,}")
    # The match shown is on screen, and the count reads "n of N".
    current = window.stepper.spans[window.stepper.index]
    top, bottom = window.view.visible_range()
    assert top <= current[0] <= bottom
    # One letter: the first MAX_MATCHES, and a count that says there are more.
    bar.edit.setText("e")
    qtbot.waitUntil(lambda: not bar.searching, timeout=5_000)
    assert len(bar.matches) == MAX_MATCHES and bar.capped
    assert bar.count_label.text().endswith(f"of {MAX_MATCHES:,}+")
    # A capped search starts where the reader is: the first letter typed two thirds into
    # the text does not throw the view back to the opening pages.
    bar.edit.clear()
    view = window.view
    scroll = view.verticalScrollBar()
    scroll.setValue(scroll.maximum() * 2 // 3)
    qtbot.wait(100)
    top, _ = view.visible_range()
    bar.edit.setText("e")
    qtbot.waitUntil(lambda: not bar.searching, timeout=5_000)
    assert bar.capped and bar.matches == sorted(bar.matches)
    current = window.stepper.spans[window.stepper.index]
    assert top <= current[0] <= view.visible_range()[1]
    assert bar.matches[0][0] > len(text) // 2  # the 10,000 nearest on, not the first ones


def test_a_search_wraps_round_from_where_the_reader_is() -> None:
    text = "ab xxabxx ab ab"
    assert find_all(text, "ab") == [(0, 2), (5, 7), (10, 12), (13, 15)]
    assert find_all(text, "ab", limit=2, origin=8) == [(10, 12), (13, 15)]
    assert find_all(text, "ab", limit=3, origin=8) == [(0, 2), (10, 12), (13, 15)]
    # A match running across the origin is found when the search wraps round to it.
    assert find_all(text, "ab", limit=4, origin=6) == [(0, 2), (5, 7), (10, 12), (13, 15)]


# -- restarts and quitting ---------------------------------------------------------------------


def test_the_reading_position_is_kept_per_document_across_restarts(
    qtbot, window, fake_worker, tmp_path
):
    from reader.ui.main_window import MainWindow

    first_path = long_text(tmp_path)
    open_long(qtbot, window, first_path)
    view = window.view
    bar = view.verticalScrollBar()
    bar.setValue(int(bar.maximum() * 0.6))
    qtbot.wait(300)  # the scroll comes to rest
    left_at = view.visible_range()[0]
    assert left_at > 100_000
    other = tmp_path / "other.txt"
    other.write_text("A short note about Geneva.", encoding="utf-8")
    window.open_path(other)  # another article: the first one's place is kept
    window.close()

    restarted = MainWindow(settings_module.load(), fake_worker)
    qtbot.addWidget(restarted)
    restarted.resize(1200, 800)
    restarted.show()
    qtbot.waitExposed(restarted)
    with qtbot.waitSignal(restarted.documentShown, timeout=30_000):
        restarted.open_path(first_path)
    qtbot.waitUntil(lambda: restarted.view.keeper.pending is None, timeout=20_000)
    assert restarted.view.visible_range()[0] == left_at
    restarted.close()


def test_quitting_hides_the_window_before_the_slow_part(qtbot, library_window, monkeypatch):
    seen: list[tuple[str, bool]] = []
    window = library_window
    for name, owner in (
        ("shutdown", window.runner),
        ("shutdown", window.documents),
        ("shutdown_import", window.library),
    ):
        original = getattr(owner, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, window.isVisible()))
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    window.notes.flush = lambda: seen.append(("notes flushed", window.isVisible()))
    window.close()
    assert seen[0] == ("notes flushed", True)  # the note being typed is written first
    assert len(seen) == 4 and not any(visible for _, visible in seen[1:])
