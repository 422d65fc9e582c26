"""Painting a ``PrintLayout`` page by page: text, margin bars, footnotes, running head, footer.

One painter routine serves the PDF export, File › Print and the print preview, so what the
preview shows is what the paper gets. Layout is in 1/1200 inch; the painter is scaled to
whatever resolution the device has.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter

from reader.documents.model import Document
from reader.entities.spans import Mention
from reader.notes.model import Note
from reader.printing import styles
from reader.printing.compose import (
    LAYOUT_SHARE,
    PROGRESS_STEPS,
    Cancelled,
    PrintCancelled,
    PrintLayout,
    Progress,
    compose,
)
from reader.printing.decorations import draw_underlines
from reader.printing.files import PrintError, temporary_beside, write_error
from reader.printing.options import PrintOptions
from reader.printing.pagination import Frame, Page

BAR_WIDTH_PT = 1.6
PAINT_START = round(PROGRESS_STEPS * LAYOUT_SHARE)  # where painting starts on the bar
BAR_GAP_MM = 3.5


@dataclass(frozen=True, slots=True)
class PrintReport:
    pages: int
    seconds: float
    cancelled: bool = False


PAGE_SIZE_IDS = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def page_size_points(options: PrintOptions) -> QSizeF:
    return QPageSize(PAGE_SIZE_IDS[options.page_size]).size(QPageSize.Unit.Point)


def page_layout(options: PrintOptions) -> QPageLayout:
    """Paper from the options, no margins of Qt's: the header and footer are ours."""
    return QPageLayout(
        QPageSize(PAGE_SIZE_IDS[options.page_size]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def prepare_printer(printer: QPrinter, options: PrintOptions, title: str = "") -> None:
    """Paper from the options, no margins of Qt's: the header and footer are ours."""
    printer.setPageLayout(page_layout(options))
    printer.setFullPage(True)
    if title:
        printer.setDocName(title)
    printer.setCreator("reader")


def printer_page_size(printer: QPrinter) -> QSizeF:
    """The paper the printer will use, in points (what the user picked in its dialog)."""
    return QSizeF(printer.pageLayout().fullRectPoints().size())


def paint(
    printer: QPagedPaintDevice,
    layout: PrintLayout,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    start: int = 0,
) -> int:
    """Paint every page (or the printer's page range) on a printer, a preview or a
    ``QPdfWriter``; returns how many were painted."""
    first, last = 1, len(layout.pages)
    if isinstance(printer, QPrinter):
        printer.setFullPage(True)
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = max(1, printer.fromPage()), min(last, printer.toPage() or last)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("The printer could not start; check that it is connected and ready.")
    scale = _resolution(printer) / styles.LAYOUT_DPI
    painted = 0
    try:
        for number in range(first, last + 1):
            if cancelled is not None and cancelled():
                raise PrintCancelled
            if painted:
                printer.newPage()
            painter.save()
            painter.scale(scale, scale)
            PagePainter(painter, layout).draw(number)
            painter.restore()
            painted += 1
            if progress is not None:
                share = start + (PROGRESS_STEPS - start) * painted / (last - first + 1)
                progress(round(share), PROGRESS_STEPS)
    finally:
        painter.end()
    return painted


def _resolution(device: QPagedPaintDevice) -> int:
    if isinstance(device, QPrinter | QPdfWriter):
        return device.resolution()
    return device.logicalDpiX()


class PagePainter:
    """One page: its frames of text, the bars beside noted passages, footnotes, head and foot."""

    def __init__(self, painter: QPainter, layout: PrintLayout) -> None:
        self.p = painter
        self.layout = layout
        self.options = layout.options
        self.m = layout.margin

    def draw(self, number: int) -> None:
        page = self.layout.pages[number - 1]
        for frame in page.frames:
            if frame.heading is not None:
                self.p.save()
                self.p.translate(self.m + frame.x, self.m + frame.heading_y)
                frame.heading.drawContents(self.p)
                self.p.restore()
            self._frame(frame)
            if self.options.greyscale:
                draw_underlines(self.p, frame, QPointF(self.m + frame.x, self.m + frame.y))
        if page.role == "body" and self.options.show_notes:
            self._bars(page)
        if page.notes:
            self._footnotes(page)
        self._head_and_foot(page, number)

    def _frame(self, frame: Frame) -> None:
        """The frame's lines; a paragraph begun on an earlier page is drawn line by line.

        ``QTextLayout.draw`` also draws the line just above its clip rectangle: invisible on
        paper, but its words would be in the PDF's text twice, once on each page.
        """
        flow = frame.flow
        top = frame.top
        first = flow.lines[frame.first_line]
        if not first.first:
            top = self._continued_block(frame)
            if top >= frame.bottom:
                return
        for section, start, end in flow.section_span(top, frame.bottom):
            qdoc = flow.sections[section]
            self.p.save()
            self.p.translate(self.m + frame.x, self.m + frame.y + flow.offsets[section] - frame.top)
            clip = QRectF(-self.m / 2, start, qdoc.textWidth() + self.m, end - start)
            qdoc.drawContents(self.p, clip)
            self.p.restore()

    def _continued_block(self, frame: Frame) -> float:
        """Draw the rest of a paragraph begun on an earlier page; returns where it ends."""
        flow, lines = frame.flow, frame.flow.lines
        first = lines[frame.first_line]
        qdoc = flow.sections[first.section]
        block = qdoc.findBlockByNumber(first.block_number)
        layout = block.layout()
        offset = flow.offsets[first.section]
        self.p.save()
        self.p.translate(self.m + frame.x, self.m + frame.y + offset - frame.top)
        height = frame.bottom - frame.top
        self.p.setClipRect(
            QRectF(-self.m / 2, frame.top - offset, qdoc.textWidth() + self.m, height)
        )
        background = block.blockFormat().background()
        index = frame.first_line
        self.p.setPen(QColor("black"))
        while index < len(lines) and lines[index].block == first.block:
            line = lines[index]
            if line.top >= frame.bottom:
                break
            if background.style() != Qt.BrushStyle.NoBrush:
                rect = QRectF(0, line.top - offset, qdoc.textWidth(), line.bottom - line.top)
                self.p.fillRect(rect, background)
            layout.lineAt(line.number).draw(self.p, layout.position())
            index += 1
        self.p.restore()
        return lines[index].top if index < len(lines) else frame.bottom

    def _bars(self, page: Page) -> None:
        colour = styles.note_colour(self.options)
        width = BAR_WIDTH_PT * styles.POINT
        x = self.m - BAR_GAP_MM * styles.MM
        for frame in page.frames:
            if frame.flow is not self.layout.body:
                continue
            for top, bottom in self.layout.bars:
                top, bottom = max(top, frame.top), min(bottom, frame.bottom)
                if bottom <= top:
                    continue
                y = self.m + frame.y + top - frame.top
                self.p.fillRect(QRectF(x, y, width, bottom - top), colour)

    def _footnotes(self, page: Page) -> None:
        layout = self.layout
        docs = [layout.footnotes[n] for n in page.notes if n in layout.footnotes]
        if not docs:
            return  # no rule without a footnote under it
        total = sum(d.size().height() for d in docs)
        y = self.m + layout.body_height - total
        rule_y = y - layout.note_gap * 0.45
        pen = QPen(QColor(styles.RULE_GREY))
        pen.setWidthF(0.5 * styles.POINT)
        self.p.setPen(pen)
        self.p.drawLine(QPointF(self.m, rule_y), QPointF(self.m + layout.body_width * 0.3, rule_y))
        for qdoc in docs:
            self.p.save()
            self.p.translate(self.m, y)
            qdoc.drawContents(self.p)
            self.p.restore()
            y += qdoc.size().height()

    def _small_font(self) -> QFont:
        font = QFont(styles.sans_family())
        font.setPixelSize(round(self.options.font_size * styles.SMALL_SCALE * styles.POINT))
        return font

    def _head_and_foot(self, page: Page, number: int) -> None:
        layout = self.layout
        font = self._small_font()
        metrics = QFontMetricsF(font)
        self.p.setFont(font)
        self.p.setPen(QColor(styles.META_GREY))
        total = len(layout.pages)
        footer_y = layout.page_height - self.m * 0.55
        footer = QRectF(self.m, footer_y - metrics.height(), layout.body_width, metrics.height())
        self.p.drawText(footer, Qt.AlignmentFlag.AlignHCenter, f"Page {number} of {total}")
        if number == 1:
            return
        head_y = self.m * 0.5
        box = QRectF(self.m, head_y, layout.body_width, metrics.height())
        # The section's name on the pages it continues on; where it begins, its own title
        # says it, and the head gives the article's date and source instead.
        previous = layout.pages[number - 2]
        section = {"notes": "Notes", "index": "Index"}.get(page.role, "")
        right = section if section and previous.role == page.role else layout.running
        right_width = metrics.horizontalAdvance(right) + styles.MM * 4 if right else 0
        if right_width > layout.body_width / 2:  # a long site name gives way to the title
            right = metrics.elidedText(right, Qt.TextElideMode.ElideRight, layout.body_width / 2)
            right_width = layout.body_width / 2 + styles.MM * 4
        title = metrics.elidedText(
            layout.title, Qt.TextElideMode.ElideRight, layout.body_width - right_width
        )
        self.p.drawText(box, Qt.AlignmentFlag.AlignLeft, title)
        if right:
            self.p.drawText(box, Qt.AlignmentFlag.AlignRight, right)


# -- the public entry points -------------------------------------------------------------------


def render_pdf(
    document: Document,
    mentions: Sequence[Mention],
    notes: Sequence[Note],
    entity_notes: Sequence[Note],
    options: PrintOptions,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PrintReport:
    """Write the annotated copy to ``path``; a cancelled or failed run leaves no file behind.

    The PDF is written beside ``path`` under a temporary name and moved into place at the
    end, so an existing file is replaced only by a complete copy.
    """
    started = time.perf_counter()
    target = Path(path)
    temporary = temporary_beside(target, ".pdf")
    try:
        layout = compose(
            document,
            mentions,
            notes,
            entity_notes,
            options,
            page_size_points(options),
            progress,
            cancelled,
        )
        # QPdfWriter, not QPrinter: a QPrinter set up for PDF still asks the print system
        # (CUPS, over TCP to port 631) about printers, and a PDF must touch no network.
        writer = QPdfWriter(str(temporary))
        writer.setResolution(styles.LAYOUT_DPI)
        writer.setPageLayout(page_layout(options))
        writer.setTitle(layout.title)
        writer.setAuthor(layout.author)
        writer.setCreator("reader")
        paint(writer, layout, progress, cancelled, start=PAINT_START)
        del writer  # the file is complete and closed before it is moved into place
        os.replace(temporary, target)
    except PrintCancelled:
        temporary.unlink(missing_ok=True)
        return PrintReport(0, time.perf_counter() - started, cancelled=True)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise PrintError(write_error(target, error)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return PrintReport(len(layout.pages), time.perf_counter() - started)


def print_document(
    printer: QPrinter,
    document: Document,
    mentions: Sequence[Mention],
    notes: Sequence[Note],
    entity_notes: Sequence[Note],
    options: PrintOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PrintReport:
    """Print to a printer set up by the caller (its dialog chose the paper and pages)."""
    started = time.perf_counter()
    try:
        layout = compose(
            document,
            mentions,
            notes,
            entity_notes,
            options,
            printer_page_size(printer),
            progress,
            cancelled,
        )
        pages = paint(printer, layout, progress, cancelled, start=PAINT_START)
    except PrintCancelled:
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            printer.abort()
        return PrintReport(0, time.perf_counter() - started, cancelled=True)
    return PrintReport(pages, time.perf_counter() - started)
