"""One builder for screen and paper: the same headings, inline styles and lists in both."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextBlock, QTextDocument

from reader.documents.markdown import parse_markdown
from reader.documents.model import Metadata
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
