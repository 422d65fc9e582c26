"""One builder for screen and paper: the same headings, inline styles and lists in both."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextListFormat

from reader.documents.markdown import parse_markdown
from reader.documents.model import Block, Document, Metadata
from reader.printing import typography
from reader.printing.compose import layout_device
from reader.printing.content import BodyBuilder
from reader.printing.options import PrintOptions
from reader.ui.document_builder import DocumentBuilder
from reader.ui.reading_style import reading_font

MARKDOWN = """# Water talks in Geneva

## The deadline

Delegates agreed on **a monitoring station** and *a deadline*; see
[the draft](https://example.org/draft) and `rule-7`.

- Kazakhstan
  - Shardara reservoir
- Uzbekistan
"""


@pytest.fixture
def document():
    return parse_markdown(MARKDOWN, Metadata(path="talks.md", format="markdown"))


def screen(qapp, document) -> QTextDocument:
    qdoc = QTextDocument()
    builder = DocumentBuilder(qdoc)
    builder.start(document, reading_font("", 13))
    builder.build_until(len(document.text))
    return qdoc


def paper(qapp, document) -> QTextDocument:
    builder = BodyBuilder(document, [], [], PrintOptions(page_size="A4"), layout_device(), 6000.0)
    (section,) = builder.sections(lambda cursor, builder: None)
    return builder.build_section(section)


def blocks(qdoc: QTextDocument) -> list[QTextBlock]:
    found, block = [], qdoc.begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


def block_with(qdoc: QTextDocument, text: str) -> QTextBlock:
    return next(b for b in blocks(qdoc) if b.text().startswith(text))


def run_format(block: QTextBlock, text: str):
    fragment = block.begin()
    while not fragment.atEnd():
        piece = fragment.fragment()
        if text in piece.text():
            return piece.charFormat()
        fragment += 1
    raise AssertionError(f"{text!r} is not in {block.text()!r}")


def scale(qdoc: QTextDocument, block: QTextBlock) -> float:
    size = run_format(block, block.text()[:3]).fontPointSize()
    return round(size / qdoc.defaultFont().pointSizeF(), 3)


def test_titles_and_headings_have_one_scale_on_screen_and_on_paper(qapp, document) -> None:
    for qdoc in (screen(qapp, document), paper(qapp, document)):
        title = block_with(qdoc, "Water talks")
        heading = block_with(qdoc, "The deadline")
        assert scale(qdoc, title) == typography.heading_scale("title", 0)
        assert scale(qdoc, heading) == typography.heading_scale("heading", 2)
        assert run_format(title, "Water").fontWeight() > 600


def test_emphasis_and_code_look_alike_and_only_the_screen_has_links(qapp, document) -> None:
    on_screen, on_paper = screen(qapp, document), paper(qapp, document)
    for qdoc in (on_screen, on_paper):
        paragraph = block_with(qdoc, "Delegates")
        assert run_format(paragraph, "a monitoring station").fontWeight() > 600
        assert run_format(paragraph, "a deadline").fontItalic()
        code = run_format(paragraph, "rule-7").fontFamilies()
        assert code[: len(typography.MONO_FAMILIES)] == list(typography.MONO_FAMILIES)
    link = run_format(block_with(on_screen, "Delegates"), "the draft")
    assert link.isAnchor() and link.anchorHref() == "https://example.org/draft"
    assert not run_format(block_with(on_paper, "Delegates"), "the draft").isAnchor()


def test_nested_lists_indent_alike(qapp, document) -> None:
    for qdoc in (screen(qapp, document), paper(qapp, document)):
        outer = block_with(qdoc, "Kazakhstan").textList()
        inner = block_with(qdoc, "Shardara").textList()
        assert outer is not None and inner is not None
        assert (outer.format().indent(), inner.format().indent()) == (1, 2)
        assert block_with(qdoc, "Uzbekistan").textList() is outer


NUMBERED = [
    ("paragraph", "What to bring:", 0),
    ("list_item", "1. Ropes, long enough to reach the river from the bridge and back again", 1),
    ("list_item", "2. Tents", 1),
    ("list_item", "a) small ones", 2),
    ("list_item", "3. Stoves", 1),
    ("paragraph", "And to eat:", 0),
    ("list_item", "apples", 1),
]


def numbered_document() -> Document:
    text, found = "", []
    for kind, words, level in NUMBERED:
        text += "\n\n" if text else ""
        found.append(Block(kind, len(text), len(text) + len(words), level=level))
        text += words
    return Document(text, found, Metadata(title="Kit"))


def test_items_that_carry_their_number_get_no_bullet_on_screen_or_paper(qapp) -> None:
    document = numbered_document()
    for qdoc in (screen(qapp, document), paper(qapp, document)):
        for text in ("1. Ropes", "2. Tents", "a) small", "3. Stoves"):
            items = block_with(qdoc, text).textList()
            assert items is not None, text  # indented as a list item
            assert items.format().style() == QTextListFormat.Style.ListStyleUndefined, text
        assert block_with(qdoc, "1. Ropes").textList() is block_with(qdoc, "3. Stoves").textList()
        assert block_with(qdoc, "apples").textList().format().style() == (
            QTextListFormat.Style.ListDisc
        )
        # A wrapped item's second line starts under its text, not under its number.
        ropes = block_with(qdoc, "1. Ropes").blockFormat()
        assert ropes.textIndent() < 0 and ropes.leftMargin() == -ropes.textIndent()


def test_a_numbered_item_shows_no_disc_before_its_number(qapp) -> None:
    from PySide6.QtWidgets import QTextBrowser

    view = QTextBrowser()
    view.resize(600, 400)
    qdoc = screen(qapp, numbered_document())
    view.setDocument(qdoc)
    view.show()
    image = view.viewport().grab().toImage()

    def ink_left_of(text: str) -> int:
        block = block_with(qdoc, text)
        cursor = QTextCursor(block)
        rect = view.cursorRect(cursor)
        return sum(
            image.pixelColor(x, y).lightness() < 128
            for y in range(rect.top(), rect.bottom())
            for x in range(max(rect.left() - 30, 0), rect.left() - 2)
        )

    assert ink_left_of("1. Ropes") == 0
    assert ink_left_of("apples") > 0  # the disc of a plain item


def test_a_numbered_item_keeps_its_hanging_indent_when_zoomed(qapp) -> None:
    document = numbered_document()
    qdoc = QTextDocument()
    builder = DocumentBuilder(qdoc)
    builder.start(document, reading_font("", 13))
    builder.build_until(len(document.text))
    before = block_with(qdoc, "1. Ropes").blockFormat().leftMargin()
    builder.set_font(reading_font("", 26))
    after = block_with(qdoc, "1. Ropes").blockFormat()
    assert after.leftMargin() == pytest.approx(2 * before, rel=0.1)
    assert after.textIndent() == -after.leftMargin()
