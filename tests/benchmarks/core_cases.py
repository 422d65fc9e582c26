"""The cases of bench_core.py, each run in a process of its own with a fresh data folder.

``python core_cases.py CASE TREE`` runs one case against the reader in the source tree
TREE (this checkout, or another one for "before" figures) and prints one line
``RESULT {json}``. The cases use only what the window has offered for a while (opening,
the view's scroll bar, the find field, closing), so an older tree measures the same way;
where the reading view changed how it shows a highlight, both ways are read.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from bisect import bisect_left
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "resources" / "samples" / "summit-in-geneva.md"
BOOK = HERE.parents[2] / "shared" / "corpus" / "war_and_peace.txt"
SCROLL_TARGETS = (0.25, 0.50, 0.75)
TYPED = "Moscow"
KEY_INTERVAL = 0.15  # seconds between keys: a quick typist


def result(**figures) -> None:
    print("RESULT " + json.dumps(figures), flush=True)


# -- measuring the event loop ------------------------------------------------------------------


class LoopWatch:
    """Largest gap between ticks of a 5 ms timer: how long the GUI event loop was blocked."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)
        self.peak_rss = 0
        self.ticks = 0
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.max_gap, self.last = 0.0, time.perf_counter()
        self.reset_at = self.max_gap_at = self.last

    def tick(self) -> None:
        now = time.perf_counter()
        if now - self.last > self.max_gap:
            self.max_gap, self.max_gap_at = now - self.last, self.last
        self.last = now
        self.ticks += 1
        if self.ticks % 40 == 0:
            self.peak_rss = max(self.peak_rss, total_rss())


def total_rss() -> int:
    """Resident memory of this process and its children (the engine processes), in bytes."""
    total = 0
    for pid in [os.getpid(), *descendants(os.getpid())]:
        try:
            for row in Path(f"/proc/{pid}/status").read_text().splitlines():
                if row.startswith("VmRSS:"):
                    total += int(row.split()[1]) * 1024
        except OSError:
            pass
    return total


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def wait_until(app, condition, timeout: float) -> bool:
    """Run the real event loop (not a processEvents() loop) until ``condition`` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(
        lambda: loop.quit() if condition() or time.perf_counter() > deadline else None
    )
    poll.start()
    loop.exec()
    poll.stop()
    return condition()


def idle(app, seconds: float) -> None:
    wait_until(app, lambda: False, seconds)


# -- the window and what it shows --------------------------------------------------------------


def start_window():
    from reader.app import start_reader

    app, window, analysis = start_reader()
    window.resize(1280, 820)
    window.show()
    watch = LoopWatch()
    wait_until(app, lambda: "loading" not in window.model_label.text(), 180)
    return app, window, analysis, watch


def highlighted(window, mention) -> bool:
    """Is ``mention`` shown highlighted? (Painted now; a character format in older trees.)"""
    if mention.kind not in window.settings.visible:
        return True
    highlights = window.view.highlights
    if hasattr(highlights, "format_at"):
        fmt = highlights.format_at(mention.start + 1)
    else:
        fmt = window.view.cursor_for_span(mention.start + 1, mention.start + 1).charFormat()
    return fmt.background().color().alpha() > 0


def settled(window) -> bool:
    return getattr(window.view.highlights, "pending", 0) == 0


def screen(window) -> tuple[int, int]:
    from PySide6.QtCore import QPoint

    view = window.view
    top = view.offset_at(QPoint(0, 0)) or 0
    bottom = view.offset_at(view.viewport().rect().bottomRight()) or top
    return top, bottom


def open_document(app, window, path: Path, watch: LoopWatch, first_screen: bool = False):
    """Seconds to the first screen highlighted and to everything analysed and highlighted."""
    done: list[float] = []
    window.analysisDone.connect(lambda seconds: done.append(seconds))
    start = time.perf_counter()
    watch.reset()
    window.open_path(path)
    first = None
    if first_screen:
        wait_until(app, lambda: window.document and window.document.metadata.path == str(path), 60)
        top, bottom = screen(window)

        def screen_done() -> bool:
            shown = [m for m in window.session.sorted_mentions() if top <= m.start < bottom]
            return bool(shown) and all(highlighted(window, m) for m in shown)

        wait_until(app, screen_done, 120)
        first = time.perf_counter() - start
    wait_until(app, lambda: bool(done) and settled(window), 1800)
    return first, time.perf_counter() - start, done[0] if done else 0.0


# -- cases ----------------------------------------------------------------------------------------


def case_article(path: str) -> None:
    """Each article's first opening is cold (a new text in a fresh library); then one of
    them is reopened, and the library's cache answers."""
    app, window, analysis, watch = start_window()
    cold = []
    for article in sorted(Path(path).glob("article-*.md")):
        _, total, _ = open_document(app, window, article, watch)
        cold.append(total)
    first = sorted(Path(path).glob("article-*.md"))[0]
    other = sorted(Path(path).glob("article-*.md"))[1]
    cached = []
    for _ in range(3):
        open_document(app, window, other, watch)
        idle(app, 0.3)  # the library keeps the article and its names
        _, total, _ = open_document(app, window, first, watch)
        cached.append(total)
    window.close()
    analysis.stop()
    result(cold=min(cold), cached=min(cached))


def case_book(_: str) -> None:
    app, window, analysis, watch = start_window()
    watch.peak_rss = 0
    first, total, worker = open_document(app, window, BOOK, watch, first_screen=True)
    gap, gap_at = watch.max_gap, watch.max_gap_at - watch.reset_at
    peak = max(watch.peak_rss, total_rss())
    mentions = len(window.session.mention_keys())
    window.close()
    analysis.stop()
    result(
        first=first,
        total=total,
        worker=worker,
        gap=gap,
        gap_at=gap_at,
        peak=peak,
        mentions=mentions,
    )


def case_interactive(_: str) -> None:
    """Scrolls while the book is analysed (time to a highlighted screen), then find."""
    from PySide6.QtCore import QObject, QTimer, Slot
    from PySide6.QtTest import QTest

    from reader.entities.chunking import paragraph_ranges
    from reader.tasks import scheduler

    analysed: list[tuple[int, list[tuple[int, int]]]] = []  # (revision, ranges), in order
    lock = threading.Lock()
    original_done = scheduler.JobScheduler.done

    def done(self, state, chunk_id):  # on the worker thread
        with lock:
            analysed.append((state.revision, list(state.chunks[chunk_id])))
        original_done(self, state, chunk_id)

    scheduler.JobScheduler.done = done
    app, window, analysis, watch = start_window()

    class Delivered(QObject):
        """Progress signals that reached the GUI thread: their chunks are in the session."""

        count = 0

        @Slot(int, object, object, int, int)
        def progress(self, revision, *_):
            if revision > 0:
                Delivered.count += 1

    delivered = Delivered()
    analysis.worker.progress.connect(delivered.progress)
    window.open_path(BOOK)
    wait_until(app, lambda: window.document is not None, 60)
    text = window.document.text
    paragraphs = paragraph_ranges(text)
    starts = [s for s, _ in paragraphs]
    wait_until(app, lambda: window.progress.value() >= 5, 300)
    bar = window.view.verticalScrollBar()
    revision = window.session.revision
    scrolls = []
    for target in SCROLL_TARGETS:
        watch.reset()
        began = time.perf_counter()
        bar.setValue(int(bar.maximum() * target))
        top, bottom = screen(window)
        # The paragraphs the screen shows a part of (a top in the gap after a paragraph
        # does not show that paragraph).
        near = paragraphs[max(bisect_left(starts, top) - 1, 0) : bisect_left(starts, bottom)]
        wanted = {(s, e) for s, e in near if e > top and s < bottom}

        def screen_done(wanted=wanted, top=top, bottom=bottom) -> bool:
            with lock:
                mine = [
                    r
                    for rev, ranges in analysed[: Delivered.count]
                    if rev == revision
                    for r in ranges
                ]
            if not wanted <= set(mine):
                return False
            shown = [m for m in window.session.sorted_mentions() if top <= m.start < bottom]
            return all(highlighted(window, m) for m in shown)

        wait_until(app, screen_done, 120)
        scrolls.append(time.perf_counter() - began)
        idle(app, 1.0)
    progress_after = window.progress.value()
    # Find, typed at a quick typist's pace while the analysis goes on.
    bar.setValue(bar.maximum() // 3)
    idle(app, 0.5)
    # Ctrl+F shows the bar (its first layout and paint are timed on their own), and the
    # typist's pause follows before the first letter.
    free = [False]
    began = time.perf_counter()
    window.find_bar.open_bar()
    QTimer.singleShot(0, lambda: free.__setitem__(0, True))
    wait_until(app, lambda: free[0], 30)
    bar_shown = time.perf_counter() - began
    idle(app, KEY_INTERVAL)
    latencies = []
    for character in TYPED:
        free[0] = False
        began = time.perf_counter()
        QTest.keyClick(window.find_bar.edit, character)
        QTimer.singleShot(0, lambda: free.__setitem__(0, True))
        wait_until(app, lambda: free[0], 30)
        latencies.append(time.perf_counter() - began)
        idle(app, KEY_INTERVAL)
    began = time.perf_counter()
    wait_until(app, lambda: not getattr(window.find_bar, "searching", False), 30)
    matches_after = time.perf_counter() - began
    shown_text = window.find_bar.edit.text()
    window.close()
    analysis.stop()
    result(
        scrolls=scrolls,
        progress=progress_after,
        keys=latencies,
        typed=shown_text,
        matches=len(window.find_bar.matches),
        matches_after=matches_after,
        bar_shown=bar_shown,
    )


def case_quit(_: str) -> None:
    """The real entry point on the book; Ctrl+Q once the analysis is under way."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from reader.app import run_gui

    app = QApplication(sys.argv[:1])
    state: dict[str, float] = {}

    class HideWatch(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Hide and "hidden" not in state:
                state["hidden"] = time.time()
            return False

    watcher = HideWatch()

    def poll() -> None:
        window = next((w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow"), None)
        if window is None or window.document is None or window.progress.value() < 10:
            return
        if QApplication.activeWindow() is not window:
            # A shortcut reaches only the active window (offscreen, nobody activates it).
            window.activateWindow()
            return
        timer.stop()
        window.installEventFilter(watcher)
        print("CHILDREN " + json.dumps(descendants(os.getpid())), flush=True)
        state["quit"] = time.time()
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        if window.isVisible():
            # An older tree bound Quit to the platform's standard key, which is empty
            # offscreen: choose File > Quit instead (what Ctrl+Q does on a desktop).
            state["menu"] = 1.0
            quit_action = next(a for a in window.findChildren(QAction) if a.text() == "&Quit")
            state["quit"] = time.time()
            quit_action.trigger()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    code = run_gui([str(BOOK)])
    print(
        "QUIT " + json.dumps({**state, "code": code}),
        flush=True,
    )


CASES = {
    "article": case_article,
    "book": case_book,
    "interactive": case_interactive,
    "quit": case_quit,
}


def main() -> None:
    name, tree, argument = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else "")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["READER_HOME"] = tempfile.mkdtemp(prefix=f"reader-bench-{name}-")
    sys.path.insert(0, tree)
    CASES[name](argument)


if __name__ == "__main__":
    main()
