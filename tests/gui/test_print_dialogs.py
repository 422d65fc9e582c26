"""File › Print, Print Preview, Export as PDF and as HTML from the real window.

The platform's dialogs (print, file) are skipped by passing what they would return; the
options dialog and the preview are real widgets, driven offscreen.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pypdfium2 as pdfium
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog

from reader.entities.kinds import Kind
from reader.notes.anchoring import passage_note
from reader.printing import PrintOptions
from reader.printing.options import options_from_settings
from reader.printing.painting import prepare_printer
from reader.ui import print_dialogs
from reader.ui.print_dialogs import PrintOptionsDialog
from tests.conftest import SAMPLES
from tests.gui.conftest import open_and_wait

SAMPLE = SAMPLES / "summit-in-geneva.md"
PASSAGE = "a joint monitoring station on the Syr Darya"
NOTE = "Ask who pays for the station."


def text_of(path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return " ".join(
            " ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))
        )
    finally:
        pdf.close()


def with_note(qtbot, window, store) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    assert window.document_id is not None
    text = window.document.text
    start = text.index(PASSAGE)
    store.add_note(passage_note(text, window.document_id, start, start + len(PASSAGE), NOTE))
    window.notes.reload()


def fixed(options: PrintOptions) -> PrintOptions:
    return replace(options, printed_at=datetime(2026, 3, 1, 9, 30), page_size="A4")


def test_options_start_from_the_legend_and_the_dialog_changes_them(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    window.set_visible_kinds({Kind.PERSON, Kind.PLACE})
    options = window.printing.initial_options()
    assert options.kinds == {Kind.PERSON, Kind.PLACE}
    dialog = PrintOptionsDialog(options, window)
    qtbot.addWidget(dialog)
    assert dialog.kind_boxes[Kind.PERSON].isChecked()
    assert not dialog.kind_boxes[Kind.ORGANIZATION].isChecked()
    dialog.kind_boxes[Kind.PLACE].setChecked(False)
    dialog.greyscale.setChecked(True)
    dialog.notes.setCurrentIndex(1)
    dialog.index.setChecked(False)
    dialog.page_size.setCurrentText("Letter")
    dialog.margin.setValue(25)
    chosen = dialog.options()
    assert chosen.kinds == {Kind.PERSON}
    assert chosen.greyscale and chosen.notes == "endnotes" and not chosen.include_index
    assert chosen.page_size == "Letter" and chosen.margin_mm == 25


def test_export_pdf_prints_the_window_s_names_and_notes(qtbot, library_window, store, tmp_path):
    window = library_window
    with_note(qtbot, window, store)
    target = window.printing.export_pdf(
        str(tmp_path / "copy.pdf"), fixed(window.printing.initial_options())
    )
    assert target == tmp_path / "copy.pdf"
    text = text_of(target)
    assert "Claudia Brunner" in text and NOTE in text and "Index" in text
    assert "Saved" in window.statusBar().currentMessage()


def test_export_html_writes_one_self_contained_file(qtbot, library_window, store, tmp_path):
    window = library_window
    with_note(qtbot, window, store)
    target = window.printing.export_html(
        str(tmp_path / "copy.html"), window.printing.initial_options()
    )
    html = target.read_text(encoding="utf-8")
    assert NOTE in html and 'class="entity person"' in html and "src=" not in html


def test_print_sends_the_pages_to_the_printer(qtbot, library_window, store, tmp_path) -> None:
    window = library_window
    with_note(qtbot, window, store)
    options = fixed(window.printing.initial_options())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    prepare_printer(printer, options)
    window.printing.print_document(printer, options)
    assert NOTE in text_of(tmp_path / "printed.pdf")
    assert "Sent" in window.statusBar().currentMessage()


def test_preview_shows_the_pages_and_its_options_button_redraws(qtbot, window, monkeypatch):
    open_and_wait(qtbot, window, SAMPLE)
    dialog = window.printing.preview_dialog(fixed(window.printing.initial_options()))
    qtbot.addWidget(dialog)
    dialog.show()
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 2, timeout=5_000)
    pages = preview.pageCount()
    assert dialog.options_action in dialog.findChild(print_dialogs.QToolBar).actions()

    def accept(self) -> int:
        self.index.setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PrintOptionsDialog, "exec", accept)
    dialog.options_action.trigger()
    assert not dialog.current_options().include_index
    qtbot.waitUntil(lambda: preview.pageCount() == pages - 1, timeout=5_000)  # no index page
    dialog.close()


def test_without_an_article_a_notice_says_what_to_do(qtbot, window, tmp_path) -> None:
    assert window.printing.export_pdf(str(tmp_path / "x.pdf"), PrintOptions()) is None
    assert "Open an article first" in window.notice.text()
    assert not (tmp_path / "x.pdf").exists()


def test_cancel_in_the_progress_dialog_leaves_no_file(qtbot, window, tmp_path, monkeypatch):
    open_and_wait(qtbot, window, SAMPLE)
    monkeypatch.setattr(print_dialogs.PrintProgress, "cancelled", lambda self: True)
    target = window.printing.export_pdf(str(tmp_path / "x.pdf"), PrintOptions())
    assert target is None
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_shows_a_notice(qtbot, window, tmp_path) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    missing = tmp_path / "missing" / "x.pdf"
    assert window.printing.export_pdf(str(missing), PrintOptions()) is None
    assert "does not exist" in window.notice.text()


def test_the_last_choices_are_remembered_across_restarts(qtbot, window) -> None:
    from reader import settings as settings_module

    chosen = replace(
        window.printing.initial_options(),
        greyscale=True,
        notes="endnotes",
        include_index=False,
        page_size="Letter",
        margin_mm=25.0,
        kinds=frozenset({Kind.PERSON}),
    )
    window.printing.remember(chosen)
    window.save_settings()
    restored = settings_module.load()  # the next start
    again = options_from_settings(restored)
    assert (again.greyscale, again.notes, again.include_index) == (True, "endnotes", False)
    assert (again.page_size, again.margin_mm) == ("Letter", 25.0)
    assert again.kinds == frozenset(restored.visible)  # the legend decides the kinds
    restored.print_options = {"notes": "sideways", "margin_mm": "wide"}
    assert options_from_settings(restored).notes == "footnotes"  # damaged: defaults
