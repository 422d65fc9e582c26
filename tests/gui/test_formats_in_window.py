"""Other formats in the window: a PDF shows where its pages begin; a fallback says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor

from reader.ui.document_builder import PAGE_START_PROPERTY
from tests.unit.documents.formats.builders_web import news_page
from tests.unit.documents.formats.conftest import print_pdf

PARAGRAPH = (
    "Delegates from Norway and Iceland met officials of the Nordic Council in Reykjavik on "
    "Thursday to discuss fishing quotas, shipping lanes and the future of the Arctic research "
    "stations that both countries fund together with the European Space Agency."
)


def open_in_background(qtbot, window, path: Path) -> None:
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.view.builder.complete, timeout=10_000)


def test_pdf_pages_are_marked_in_the_reading_view(qtbot, window, tmp_path) -> None:
    blocks = [("h1", "Arctic talks in Reykjavik")] + [("p", PARAGRAPH)] * 14
    path = tmp_path / "arctic.pdf"
    print_pdf(path, blocks, title="Arctic talks in Reykjavik")
    open_in_background(qtbot, window, path)
    document = window.document
    assert document.metadata.format == "pdf"
    assert document.metadata.page_count >= 2
    assert "pages" in window.view.document().firstBlock().text()  # "… · 3 pages" above the title
    qdoc = window.view.document()
    starts = []
    block = qdoc.begin()
    while block.isValid():
        page = block.blockFormat().property(PAGE_START_PROPERTY)
        if page is not None:
            starts.append((int(page), block))
        block = block.next()
    assert [page for page, _ in starts] == list(range(2, document.metadata.page_count + 1))
    # The marker is painted in the gap above the page's first block: look for its grey.
    page, first = starts[0]
    rect = qdoc.documentLayout().blockBoundingRect(first)
    window.view.verticalScrollBar().setValue(max(int(rect.top()) - 100, 0))
    image = window.view.viewport().grab().toImage()
    above = qdoc.documentLayout().blockBoundingRect(first.previous())
    line_y = round((above.bottom() + rect.top()) / 2) - window.view.verticalScrollBar().value()
    greys = {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in (line_y - 1, line_y, line_y + 1)
        if 0 <= y < image.height()
    }
    assert QColor("#c9c4b8").name() in greys or QColor("#8c877c").name() in greys
    window.grab().save(str(tmp_path / "pdf-window.png"))


def test_fallback_extraction_is_announced(qtbot, window, tmp_path) -> None:
    path = tmp_path / "index.html"
    path.write_bytes(
        b"<html><head><title>Index</title></head><body><ul><li>Geneva</li><li>Cairo</li>"
        b"<li>Addis Ababa</li></ul></body></html>"
    )
    open_in_background(qtbot, window, path)
    assert "No article body was found" in window.notice.text()


def test_web_page_opens_as_its_article(qtbot, window, tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_text(news_page(), encoding="utf-8")
    open_in_background(qtbot, window, path)
    text = window.view.toPlainText()
    assert "Negotiators from Ethiopia" in text
    assert "Accept all" not in text
    assert "The Lakeside Courier" in window.view.document().firstBlock().text()
