"""The progress dialog of a bulk import and the summary shown when it ends.

Both are shown without ``exec()``: a nested event loop would let the importer's queued
results run inside whatever called it. For the same reason the progress dialog never calls
``setValue`` from the importer's signal: a modal ``QProgressDialog.setValue`` processes
events, which would run the next result inside the current one. It notes the figures and
updates a few times a second from a timer instead, which also spares 100,000 repaints.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from reader.documents.loader import supported_phrase
from reader.tasks.importing import BulkImporter, ImportSummary

SHOW_AFTER_MS = 400  # a quick import of a few files finishes without a flashing dialog
UPDATE_MS = 100
MAX_NAME_CHARS = 60
MAX_DETAIL_LINES = 500  # a QMessageBox with 100,000 lines of details is unusable


class ImportProgressDialog(QProgressDialog):
    """Shows one run of ``importer``; Cancel (or Escape) cancels it; closes when it ends.

    Create one per run, before calling ``importer.start``. It deletes itself afterwards.
    """

    def __init__(
        self, importer: BulkImporter, total: int = 0, parent: QWidget | None = None
    ) -> None:
        """``total``, when known, is shown until the importer reports its first figures."""
        label = progress_text(0, total, "") if total else "Preparing the import…"
        super().__init__(label, "Cancel", 0, max(total, 1), parent)
        self.importer = importer
        self.setWindowTitle("Importing articles")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        # QProgressDialog shows itself after 4 s from a timer of its own; reset() stops it,
        # so that showing is decided here alone.
        self.reset()
        self._figures: tuple[int, int, str] | None = None
        self._ended = False
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(UPDATE_MS)
        self._update_timer.timeout.connect(self._apply)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_now)
        self._show_timer.start(SHOW_AFTER_MS)
        importer.progress.connect(self._progress)
        importer.finished.connect(self._finished)
        self.canceled.connect(importer.cancel)

    def reject(self) -> None:
        """Escape and the close button cancel the import, as the Cancel button does."""
        self.canceled.emit()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, name: str) -> None:
        self._figures = (done, total, name)
        if not self._update_timer.isActive():
            self._update_timer.start()

    @Slot()
    def _show_now(self) -> None:
        if not self._ended:
            self._apply()
            self.show()

    @Slot()
    def _apply(self) -> None:
        if self._ended or self._figures is None:
            return
        done, total, name = self._figures
        self.setLabelText(progress_text(done, total, name))
        self.setMaximum(max(total, 1))
        self.setValue(min(done, total))  # a modal dialog processes events here

    @Slot(object)
    def _finished(self, summary: ImportSummary) -> None:
        self._ended = True
        self._update_timer.stop()
        self._show_timer.stop()
        self.importer.progress.disconnect(self._progress)
        self.importer.finished.disconnect(self._finished)
        self.canceled.disconnect(self.importer.cancel)
        self.hide()
        self.deleteLater()


def progress_text(done: int, total: int, name: str) -> str:
    """ "Importing 12 of 340: name.pdf", or a waiting line before the first file is done."""
    if not name:
        return f"Importing {total:,} {_plural(total, 'file')}…"
    return f"Importing {done:,} of {total:,}: {_shorten(name)}"


def show_import_summary(parent: QWidget | None, summary: ImportSummary) -> QMessageBox:
    """Open the summary without blocking; the box deletes itself when closed."""
    problems = bool(summary.failed or summary.error)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information)
    box.setWindowTitle(summary_title(summary))
    text, hints = summary_parts(summary)
    box.setText(text)
    if hints:
        box.setInformativeText(hints)
    details = summary_details(summary)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def summary_title(summary: ImportSummary) -> str:
    if summary.error:
        return "Import stopped"
    if summary.cancelled:
        return "Import cancelled"
    return "Import finished"


def summary_text(summary: ImportSummary) -> str:
    """What the run did, in sentences: how it ended, then the counts, then any notice."""
    return " ".join(filter(None, summary_parts(summary)))


def summary_parts(summary: ImportSummary) -> tuple[str, str]:
    """The summary as the box shows it: what happened, then the hints that follow from it."""
    outcome: list[str] = []
    if summary.error:
        outcome.append(
            f"The import stopped after {summary.done:,} of {summary.total:,} files because "
            f"the library could not be saved: {summary.error}"
        )
    elif summary.cancelled:
        outcome.append(
            f"You cancelled the import after {summary.done:,} of {summary.total:,} files; "
            "the articles imported so far stay in the library."
        )
    if summary.total == 0:
        outcome.append(
            f"The dropped folders contain no files reader can import; reader opens "
            f"{supported_phrase()} files."
        )
    elif summary.done or not (summary.error or summary.cancelled):
        outcome.append(_counts(summary))
    hints: list[str] = []
    if summary.failed:
        several = len(summary.failed) > 1
        hints.append("Click “Show Details…” to see why." if several else _one_failure(summary))
    if summary.notice:
        hints.append(summary.notice)
    return " ".join(outcome), " ".join(hints)


def summary_details(summary: ImportSummary) -> str:
    """One line per file that could not be read: its path, then the reason."""
    lines = [f"{failure.path} — {failure.reason}" for failure in summary.failed]
    if len(lines) > MAX_DETAIL_LINES:
        more = len(lines) - MAX_DETAIL_LINES
        lines = [
            *lines[:MAX_DETAIL_LINES],
            f"… and {more:,} more; every file is listed in the log file.",
        ]
    return "\n".join(lines)


def _counts(summary: ImportSummary) -> str:
    """ "Imported 12 articles, 3 were already in the library, 1 was updated and 2 could …"."""
    imported, present = len(summary.imported), len(summary.present)
    updated, failed = len(summary.updated), len(summary.failed)
    others = []
    if present:
        others.append(f"{present:,} {_was(present)} already in the library")
    if updated:
        others.append(f"{updated:,} {_was(updated)} updated because the file had changed")
    if failed:
        others.append(f"{failed:,} could not be read")
    if imported:
        head = f"Imported {imported:,} {_plural(imported, 'article')}"
        return _join([head, *others]) + "."
    if not (present or updated):
        if not failed:
            return "No articles were imported."
        return f"No articles were imported: {failed:,} {_plural(failed, 'file')} could not be read."
    return f"No new articles were imported: {_join(others)}."


def _one_failure(summary: ImportSummary) -> str:
    failure = summary.failed[0]
    return (
        failure.reason
        if failure.path.name in failure.reason
        else (f"{failure.path.name}: {failure.reason}")
    )


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def _shorten(name: str) -> str:
    """Long file names are cut in the middle: the start and the suffix say the most."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    keep = (MAX_NAME_CHARS - 1) // 2
    return name[:keep] + "…" + name[-keep:]
