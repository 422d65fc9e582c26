"""File › Print, Print Preview, Export as PDF and Export as HTML, with their options dialog.

The pages are made by ``reader.printing`` from what the session holds; this module only
asks the questions (options, printer, file name) and shows progress. Painting runs on the
GUI thread (a ``QPrinter`` and ``QTextDocument``s are not to be shared with a worker), so
the progress callback updates a window-modal ``QProgressDialog`` and lets events through:
the dialog repaints and its Cancel button works while a book is being printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
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
from reader.errors import ReaderError
from reader.notes.citation import document_title
from reader.printing import (
    PrintOptions,
    PrintReport,
    render_html,
    render_pdf,
    write_text_atomically,
)
from reader.printing.options import (
    MAX_MARGIN_MM,
    MIN_MARGIN_MM,
    PAGE_SIZES,
    options_from_settings,
    remember_choices,
)
from reader.printing.painting import prepare_printer
from reader.printing.painting import print_document as paint_document
from reader.services.paper import Paper, paper_for_open_article
from reader.settings import Settings
from reader.tasks.messages import MessageBridge
from reader.tasks.session import ReadingSession

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
            page_size="Letter" if self.page_size.currentText() == "Letter" else "A4",
            margin_mm=self.margin.value(),
        )


# -- the four menu actions ---------------------------------------------------------------------


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


class PreviewDialog(QPrintPreviewDialog):
    """The preview, with an "Options…" button that redraws it with other choices."""

    def __init__(self, printer: QPrinter, options: PrintOptions, parent: QWidget) -> None:
        super().__init__(printer, parent)
        self.options = options
        self.options_action = QAction("Options…", self)
        self.options_action.setToolTip("Which names to mark, notes, index, paper and margins")

    def current_options(self) -> PrintOptions:
        return self.options


def suggested_name(document: Document, suffix: str) -> str:
    title = document_title(document) or "article"
    safe = "".join(c if c.isalnum() or c in " -_" else " " for c in title).strip()
    return f"{' '.join(safe.split())[:80] or 'article'}{suffix}"


class PrintActions(QObject):
    """File › Print, Print Preview, Export as PDF and Export as HTML for the open article.

    What goes on paper is what the session holds (``services.paper``): the names on screen
    and the article's notes, a note being typed included.
    """

    def __init__(
        self,
        session: ReadingSession,
        settings: Settings,
        messages: MessageBridge,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.messages = messages
        self.parent_widget = parent

    # -- choices ------------------------------------------------------------------------------

    def initial_options(self) -> PrintOptions:
        """The last print's choices, the legend's kinds and the window's tints."""
        return options_from_settings(self.settings)

    def remember(self, options: PrintOptions) -> None:
        remember_choices(self.settings, options)

    def ask_options(self, *, paper: bool = True) -> PrintOptions | None:
        dialog = PrintOptionsDialog(self.initial_options(), self.parent_widget, paper=paper)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dialog.options()
        self.remember(options)
        return options

    # -- what is printed ----------------------------------------------------------------------

    def material(self) -> Paper | None:
        """The open article with its names and notes, or None (and a notice) when none."""
        session = self.session
        if session.document is None:
            self.messages.error("Open an article first; then print it or export it.")
            return None
        session.flush()  # a note being typed is printed too
        return paper_for_open_article(
            session.document, session.sorted_mentions(), session.notes, session.entity_notes
        )

    def _with_progress(
        self, label: str, work: Callable[[PrintProgress], PrintReport]
    ) -> PrintReport | None:
        progress = PrintProgress(self.parent_widget, label)
        try:
            return work(progress)
        except ReaderError as error:
            self.messages.error(error.message)
            return None
        finally:
            progress.close()

    def _target(
        self,
        path: str | None,
        caption: str,
        document: Document,
        file_filter: str,
        suffixes: tuple[str, ...],
    ) -> Path | None:
        """``path``, or the file chosen in a save dialog (with ``suffixes[0]`` added when it
        ends in none of them); None when the researcher cancels."""
        if path is not None:
            return Path(path)
        chosen, _ = QFileDialog.getSaveFileName(
            self.parent_widget, caption, suggested_name(document, suffixes[0]), file_filter
        )
        if not chosen:
            return None
        if not chosen.lower().endswith(suffixes):
            chosen += suffixes[0]
        return Path(chosen)

    # -- the actions --------------------------------------------------------------------------

    def print_document(
        self, printer: QPrinter | None = None, options: PrintOptions | None = None
    ) -> None:
        """File › Print: options, the platform's print dialog, then the pages.

        Tests pass a printer (a PDF one) and options, and no dialog is shown.
        """
        found = self.material()
        if found is None:
            return
        if options is None:
            options = self.ask_options()
            if options is None:
                return
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            prepare_printer(printer, options, document_title(found.document))
            chooser = QPrintDialog(printer, self.parent_widget)
            chooser.setWindowTitle("Print")
            if chooser.exec() != QDialog.DialogCode.Accepted:
                return
        report = self._with_progress(
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
            self.messages.show_status(f"Sent {report.pages} pages to the printer.")

    def preview_dialog(self, options: PrintOptions | None = None) -> PreviewDialog | None:
        """The preview with an "Options…" button; returns the dialog (not yet shown), or None."""
        found = self.material()
        if found is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = PreviewDialog(printer, options or self.initial_options(), self.parent_widget)
        prepare_printer(printer, dialog.options, document_title(found.document))
        dialog.setWindowTitle("Print Preview")
        dialog.resize(900, 1000)

        def paint(target: QPrinter) -> None:
            paint_document(
                target,
                found.document,
                found.mentions,
                found.notes,
                found.entity_notes,
                dialog.options,
            )

        dialog.paintRequested.connect(paint)
        preview = dialog.findChild(QPrintPreviewWidget)

        def change_options() -> None:
            chooser = PrintOptionsDialog(dialog.options, dialog)
            if chooser.exec() != QDialog.DialogCode.Accepted:
                return
            dialog.options = chooser.options()
            self.remember(dialog.options)
            prepare_printer(printer, dialog.options, document_title(found.document))
            if preview is not None:
                preview.updatePreview()

        dialog.options_action.triggered.connect(change_options)
        toolbar = dialog.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(dialog.options_action)
        return dialog

    def preview_document(self) -> None:
        """File › Print Preview."""
        dialog = self.preview_dialog()
        if dialog is not None:
            dialog.exec()

    def export_pdf(
        self, path: str | None = None, options: PrintOptions | None = None
    ) -> Path | None:
        """File › Export as PDF; returns the file written, or None."""
        found = self.material()
        if found is None:
            return None
        if options is None:
            options = self.ask_options()
            if options is None:
                return None
        target = self._target(path, "Export as PDF", found.document, "PDF (*.pdf)", (".pdf",))
        if target is None:
            return None
        report = self._with_progress(
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
        self.messages.show_status(f"Saved {report.pages} pages to {target}.")
        return target

    def export_html(
        self, path: str | None = None, options: PrintOptions | None = None
    ) -> Path | None:
        """File › Export as HTML: one self-contained file; returns it, or None."""
        found = self.material()
        if found is None:
            return None
        if options is None:
            options = self.ask_options(paper=False)
            if options is None:
                return None
        target = self._target(
            path, "Export as HTML", found.document, "Web page (*.html *.htm)", (".html", ".htm")
        )
        if target is None:
            return None
        try:
            html = render_html(
                found.document, found.mentions, found.notes, found.entity_notes, options
            )
            write_text_atomically(target, html)
        except ReaderError as error:
            self.messages.error(error.message)
            return None
        self.messages.show_status(f"Saved the annotated copy to {target}.")
        return target
