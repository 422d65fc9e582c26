"""File › Print, Print Preview, Export as PDF and Export as HTML, with their options dialog.

The pages are made by ``reader.printing``; this module only asks the questions (options,
printer, file name) and shows progress. Painting runs on the GUI thread (a ``QPrinter`` and
``QTextDocument``s are not to be shared with a worker), so the progress callback updates a
window-modal ``QProgressDialog`` and lets events through: the dialog repaints and its
Cancel button works while a book is being printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QProgressDialog,
    QRadioButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader.documents.model import Document
from reader.entities.kinds import KIND_ORDER
from reader.entities.spans import Mention
from reader.errors import ReaderError
from reader.notes.citation import document_title
from reader.notes.model import Note
from reader.printing import (
    PrintOptions,
    PrintReport,
    render_html,
    render_pdf,
    write_text_atomically,
)
from reader.printing.options import MAX_MARGIN_MM, MIN_MARGIN_MM, PAGE_SIZES
from reader.printing.painting import prepare_printer
from reader.printing.painting import print_document as paint_document

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

SHOW_PROGRESS_AFTER_MS = 500
NOTES_CHOICES = (
    ("footnotes", "As footnotes, on the page of their passage"),
    ("endnotes", "As endnotes, after the text"),
    ("none", "Leave notes out"),
)


class PrintOptionsDialog(QDialog):
    """Which names to mark, colour or greyscale, notes, index, paper and margins."""

    def __init__(
        self, options: PrintOptions, parent: QWidget | None = None, *, paper: bool = True
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print options")
        self._base = options
        form = QFormLayout()
        kinds = QHBoxLayout()
        self.kind_boxes = {}
        for kind in KIND_ORDER:
            box = QCheckBox(kind.display_name, self)
            box.setChecked(kind in options.kinds)
            self.kind_boxes[kind] = box
            kinds.addWidget(box)
        form.addRow("Mark:", kinds)
        colours = QVBoxLayout()
        self.colour = QRadioButton("Colour tints and underlines, as on screen", self)
        self.greyscale = QRadioButton("Greyscale: thick solid, dashed and dotted underlines", self)
        (self.greyscale if options.greyscale else self.colour).setChecked(True)
        colours.addWidget(self.colour)
        colours.addWidget(self.greyscale)
        form.addRow("Highlights:", colours)
        self.notes = QComboBox(self)
        for value, label in NOTES_CHOICES:
            self.notes.addItem(label, value)
        self.notes.setCurrentIndex([v for v, _ in NOTES_CHOICES].index(options.notes))
        form.addRow("Notes:", self.notes)
        self.index = QCheckBox("Add an index of names with the pages they are on", self)
        self.index.setChecked(options.include_index)
        form.addRow("Index:", self.index)
        self.page_size = QComboBox(self)
        self.page_size.addItems(list(PAGE_SIZES))
        self.page_size.setCurrentText(options.page_size)
        self.margin = QDoubleSpinBox(self)
        self.margin.setRange(MIN_MARGIN_MM, MAX_MARGIN_MM)
        self.margin.setDecimals(0)
        self.margin.setSuffix(" mm")
        self.margin.setValue(options.margin_mm)
        if paper:
            form.addRow("Paper:", self.page_size)
            form.addRow("Margins:", self.margin)
        else:
            self.page_size.hide()
            self.margin.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def options(self) -> PrintOptions:
        return replace(
            self._base,
            kinds=frozenset(k for k, box in self.kind_boxes.items() if box.isChecked()),
            greyscale=self.greyscale.isChecked(),
            notes=self.notes.currentData(),
            include_index=self.index.isChecked(),
            page_size=self.page_size.currentText(),
            margin_mm=self.margin.value(),
        )


# -- what is printed ---------------------------------------------------------------------------


@dataclass
class Material:
    document: Document
    mentions: list[Mention]
    notes: list[Note]
    entity_notes: list[Note]


# What a printed copy remembers between sessions: everything but the kinds to mark, which
# follow the legend, and the tints, which follow Preferences.
_REMEMBERED = ("greyscale", "notes", "include_index", "page_size", "margin_mm")


def initial_options(window: MainWindow) -> PrintOptions:
    """The last print's choices, the legend's kinds and the window's tints."""
    settings = window.settings
    tints = {kind.value: settings.colour(kind) for kind in KIND_ORDER}
    saved = {k: v for k, v in settings.print_options.items() if k in _REMEMBERED}
    try:
        return PrintOptions(kinds=frozenset(settings.visible), tints=tints, **saved)
    except (TypeError, ValueError):  # a hand-edited or older settings file
        return PrintOptions(kinds=frozenset(settings.visible), tints=tints)


def remember(window: MainWindow, options: PrintOptions) -> None:
    window.settings.print_options = {name: getattr(options, name) for name in _REMEMBERED}


def material(window: MainWindow) -> Material | None:
    """The open article with its names and notes, or None (and a notice) when there is none."""
    document = window.document
    if document is None:
        window.show_notice("Open an article first; then print it or export it.")
        return None
    flush = getattr(window.notes, "flush", None)
    if callable(flush):
        flush()  # a note being typed is printed too
    notes: list[Note] = []
    entity_notes: list[Note] = []
    store = window.library.store
    try:
        if store is not None:
            if window.document_id is not None:
                notes = store.list_notes(window.document_id)
            entity_notes = store.entity_notes()
    except ReaderError as error:
        window.show_notice(f"{error.message} The copy is made without notes.")
    mentions = window.view.highlights.sorted_mentions()
    return Material(document, mentions, notes, entity_notes)


def ask_options(window: MainWindow, *, paper: bool = True) -> PrintOptions | None:
    dialog = PrintOptionsDialog(initial_options(window), window, paper=paper)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    options = dialog.options()
    remember(window, options)
    return options


class PrintProgress:
    """A cancellable progress dialog fed by ``reader.printing``'s progress callback."""

    def __init__(self, window: QWidget, label: str) -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, 1000, window)
        self.dialog.setWindowTitle("Printing")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)

    def __call__(self, done: int, total: int) -> None:
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(min(done, total))
        QCoreApplication.processEvents()

    def cancelled(self) -> bool:
        QCoreApplication.processEvents()
        return self.dialog.wasCanceled()

    def close(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()


def _with_progress(
    window: MainWindow, label: str, work: Callable[[PrintProgress], PrintReport]
) -> PrintReport | None:
    progress = PrintProgress(window, label)
    try:
        return work(progress)
    except ReaderError as error:
        window.show_notice(error.message)
        return None
    finally:
        progress.close()


def _suggested_name(document: Document, suffix: str) -> str:
    title = document_title(document) or "article"
    safe = "".join(c if c.isalnum() or c in " -_" else " " for c in title).strip()
    return f"{' '.join(safe.split())[:80] or 'article'}{suffix}"


# -- the four menu actions ---------------------------------------------------------------------


def print_document(
    window: MainWindow, printer: QPrinter | None = None, options: PrintOptions | None = None
) -> None:
    """File › Print: options, the platform's print dialog, then the pages.

    Tests pass a printer (a PDF one) and options, and no dialog is shown.
    """
    found = material(window)
    if found is None:
        return
    if options is None:
        options = ask_options(window)
        if options is None:
            return
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, options, document_title(found.document))
        chooser = QPrintDialog(printer, window)
        chooser.setWindowTitle("Print")
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
    report = _with_progress(
        window,
        "Printing the annotated copy…",
        lambda p: paint_document(
            printer,
            found.document,
            found.mentions,
            found.notes,
            found.entity_notes,
            options,
            p,
            p.cancelled,
        ),
    )
    if report is not None and not report.cancelled:
        window.statusBar().showMessage(f"Sent {report.pages} pages to the printer.", 8000)


def preview_dialog(
    window: MainWindow, options: PrintOptions | None = None
) -> QPrintPreviewDialog | None:
    """The preview with an "Options…" button; returns the dialog (not yet shown), or None."""
    found = material(window)
    if found is None:
        return None
    state = {"options": options or initial_options(window)}
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, state["options"], document_title(found.document))
    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle("Print Preview")
    dialog.resize(900, 1000)

    def paint(target: QPrinter) -> None:
        paint_document(
            target,
            found.document,
            found.mentions,
            found.notes,
            found.entity_notes,
            state["options"],
        )

    dialog.paintRequested.connect(paint)
    preview = dialog.findChild(QPrintPreviewWidget)

    def change_options() -> None:
        chooser = PrintOptionsDialog(state["options"], dialog)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        state["options"] = chooser.options()
        remember(window, state["options"])
        prepare_printer(printer, state["options"], document_title(found.document))
        if preview is not None:
            preview.updatePreview()

    action = QAction("Options…", dialog)
    action.setToolTip("Which names to mark, notes, index, paper and margins")
    action.triggered.connect(change_options)
    toolbar = dialog.findChild(QToolBar)
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(action)
    dialog.options_action = action  # for tests
    dialog.current_options = lambda: state["options"]
    return dialog


def preview_document(window: MainWindow) -> None:
    """File › Print Preview."""
    dialog = preview_dialog(window)
    if dialog is not None:
        dialog.exec()


def export_pdf(
    window: MainWindow, path: str | None = None, options: PrintOptions | None = None
) -> Path | None:
    """File › Export as PDF; returns the file written, or None."""
    found = material(window)
    if found is None:
        return None
    if options is None:
        options = ask_options(window)
        if options is None:
            return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            window, "Export as PDF", _suggested_name(found.document, ".pdf"), "PDF (*.pdf)"
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
    target = Path(path)
    report = _with_progress(
        window,
        "Writing the PDF…",
        lambda p: render_pdf(
            found.document,
            found.mentions,
            found.notes,
            found.entity_notes,
            options,
            target,
            p,
            p.cancelled,
        ),
    )
    if report is None or report.cancelled:
        return None
    window.statusBar().showMessage(f"Saved {report.pages} pages to {target}.", 8000)
    return target


def export_html(
    window: MainWindow, path: str | None = None, options: PrintOptions | None = None
) -> Path | None:
    """File › Export as HTML: one self-contained file; returns it, or None."""
    found = material(window)
    if found is None:
        return None
    if options is None:
        options = ask_options(window, paper=False)
        if options is None:
            return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            window,
            "Export as HTML",
            _suggested_name(found.document, ".html"),
            "Web page (*.html *.htm)",
        )
        if not path:
            return None
        if not path.lower().endswith((".html", ".htm")):
            path += ".html"
    target = Path(path)
    try:
        html = render_html(found.document, found.mentions, found.notes, found.entity_notes, options)
        write_text_atomically(target, html)
    except ReaderError as error:
        window.show_notice(error.message)
        return None
    window.statusBar().showMessage(f"Saved the annotated copy to {target}.", 8000)
    return target
