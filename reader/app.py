"""Composition root: the only module that wires settings, the analysis worker and windows."""

from __future__ import annotations

import gc
import logging
import logging.handlers
import os
import signal
import sys
from pathlib import Path
from typing import cast

from reader import __version__, paths
from reader import settings as settings_module

log = logging.getLogger("reader")


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The log file must never be why a command fails or babbles: on a full disk Python
    would print "--- Logging error ---" and a traceback for every message. A record that
    cannot be written is dropped; the command's own one-line message still says what went
    wrong with the user's data."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


def setup_logging(verbose: bool = False) -> None:
    """Details go to a rotating log file; the user only ever sees ReaderError messages."""
    root = logging.getLogger()
    if any(getattr(h, "_reader", False) for h in root.handlers):
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        paths.log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _QuietFileHandler(
            paths.log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        # No log file (a read-only or full disk): commands still print only their one line.
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._reader = True  # type: ignore[attr-defined]
    root.addHandler(handler)


# The GUI thread shares the interpreter lock with the loading and analysis threads. With the
# default 5 ms switch interval each of the GUI's many short calls into Python (paint events,
# item models) can wait 5 ms for the lock while a background thread computes: a tenth of a
# second of frozen window per repaint. 1 ms keeps the window responsive at little cost.
GUI_SWITCH_INTERVAL = 0.001


def application_icon():
    """The icon at every size it was rendered to (PNGs: the frozen app needs no SVG module)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = paths.resources_dir() / "icons" / f"reader-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def open_library():
    """The library store and a message for the user ("" when all is well).

    Without a library the reader still opens articles: a data folder that cannot be written
    must not keep a researcher from reading.
    """
    from reader.errors import StoreError
    from reader.store import open_store

    try:
        store = open_store()
    except StoreError as exc:
        log.error("Library unavailable: %s", exc.message)
        return None, exc.message + " Articles still open, but they are not kept in the library."
    return store, store.recovery_message or ""


def start_reader(model: str | None = None):
    """Create the application, the analysis thread and the main window (not yet shown)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from reader.tasks.analysis import AnalysisThread
    from reader.ui.main_window import MainWindow

    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    app.setApplicationName("reader")
    app.setApplicationDisplayName("reader")
    app.setApplicationVersion(__version__)
    # Wayland desktops match the window to its menu entry by this id (packaging/linux/).
    app.setDesktopFileName("io.github.reader.Reader")
    app.setWindowIcon(application_icon())
    settings = settings_module.load()
    if model is not None:
        settings.model = model
    analysis = AnalysisThread(settings.model)
    analysis.start()
    store, library_message = open_library()
    window = MainWindow(settings, analysis.worker, store)
    if library_message:
        # A salvaged library is said as loudly as a missing one: the researcher must know.
        alarming = store is None or store.recovery is not None
        window.show_notice(library_message, "error" if alarming else "info")
    # After the window is up, so the helper process that parses big files is ready for them.
    QTimer.singleShot(500, window.loader.prepare)
    # A full garbage collection walks every tracked object while holding the interpreter
    # lock: with Qt's wrappers and a book's mentions that froze the window for 0.1 s in the
    # middle of an analysis. Objects alive now live as long as the app: stop re-scanning them.
    gc.collect()
    gc.freeze()
    return app, window, analysis


def run_gui(files: list[str], model: str | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from reader.single_instance import InstanceServer, hand_over

    setup_logging()
    QApplication.instance() or QApplication(sys.argv[:1])
    if hand_over(files):
        # Another reader uses this library: it opens the files, and one window stays one.
        if files:
            print(f"reader: opened {len(files)} file(s) in the reader window already running.")
        return 0
    app, window, analysis = start_reader(model)
    server = InstanceServer(window)
    server.filesReceived.connect(window.receive_files)
    server.listen()
    settings = window.settings
    window.show()
    # SIGTERM (logout, `kill`) closes the window like Quit does: notes are saved and the
    # helper processes stopped, instead of dying and leaving them running. Python only sees
    # the signal when the event loop returns to it, hence the idle wake-up timer.
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, window.close))
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)

    def open_initial() -> None:
        # After the window is on screen: opening never delays the first paint.
        if files:
            # One article at a time for now: the others wait in File › Open Recent.
            for path in reversed(files[1:]):
                if Path(path).is_file():
                    settings.add_recent(str(Path(path).resolve()))
            window.open_path(files[0])
        elif settings.last_document and Path(settings.last_document).is_file():
            window.open_path(settings.last_document)

    QTimer.singleShot(0, open_initial)
    # For the frozen app's smoke test: open, show, then quit cleanly by itself.
    quit_after = os.environ.get("READER_SMOKE_QUIT_AFTER_MS", "")
    if quit_after.isdigit():
        QTimer.singleShot(int(quit_after), window.close)
    try:
        return app.exec()
    finally:
        server.close()
        analysis.stop()
        # The window stopped its operations thread on close; its connection goes last.
        if window.runner.store is not None:
            window.runner.store.close()
