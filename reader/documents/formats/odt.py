"""OpenDocument text (.odt): headings, paragraphs, lists, tables and notes, in reading order.

An .odt is a zip whose ``content.xml`` holds the body as ``text:h`` and ``text:p``
elements with inline spans (ODF 1.2/1.3). The body is walked element by element rather
than flattened with a generic "get text" (odfdo's glues a heading to the paragraph after
it): deleted tracked changes and comments stay out, list numbers are counted from the list
styles ("1.", "a)"), the text of frames, captions and shapes follows the paragraph that
anchors them, footnotes become "[1]" markers with the notes gathered at the end, and a
spreadsheet or presentation saved as ODF is refused by its ``mimetype`` with a sentence
saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from reader.documents.formats.list_numbers import finished_label
from reader.documents.formats.odt_lists import OdtLists, OpenList
from reader.documents.formats.office_text import (
    MAX_STYLE_CHAIN,
    OfficeReader,
    heading_level,
    style_heading_level,
)
from reader.documents.formats.styled_text import (
    StyledText,
    StyleKey,
    emphasis,
)
from reader.documents.model import BlockKind, Document, Metadata
from reader.documents.safe_xml import local_name, parse_xml
from reader.documents.safe_zip import SafeZip
from reader.errors import DocumentError

KIND = "OpenDocument text document"
MIMETYPE = "application/vnd.oasis.opendocument.text"
_ODF_MIMETYPE = "application/vnd.oasis.opendocument."
_OTHER_ODF = {
    "spreadsheet": "a spreadsheet (.ods)",
    "presentation": "a presentation (.odp)",
    "graphics": "a drawing (.odg)",
    "chart": "a chart (.odc)",
    "formula": "a formula (.odf)",
    "database": "a database (.odb)",
    "image": "an image (.odi)",
}

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_XLINK = "http://www.w3.org/1999/xlink"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


def _t(name: str) -> str:
    return f"{{{_TEXT}}}{name}"


def _table(name: str) -> str:
    return f"{{{_TABLE}}}{name}"


_P, _H, _LIST, _SPAN, _A, _NOTE = _t("p"), _t("h"), _t("list"), _t("span"), _t("a"), _t("note")
_TABLE_TABLE = _table("table")
_FRAME, _TEXT_BOX = f"{{{_DRAW}}}frame", f"{{{_DRAW}}}text-box"
# Frames, shapes that hold typed text, groups of them and frames wrapped in a link.
_DRAWINGS = {
    f"{{{_DRAW}}}{name}"
    for name in (
        "frame",
        "custom-shape",
        "rect",
        "ellipse",
        "circle",
        "polygon",
        "polyline",
        "regular-polygon",
        "path",
        "caption",
        "g",
        "a",
    )
}
_LIST_ITEMS = {_t("list-item"), _t("list-header")}
# Containers whose paragraphs are part of the body. A table of contents is left out: it
# repeats the headings, which would be read, searched and highlighted twice.
_SECTIONS = {
    _t(name)
    for name in (
        "section",
        "index-body",
        "index-title",
        "alphabetical-index",
        "bibliography",
        "illustration-index",
        "object-index",
        "table-index",
        "user-index",
    )
}
_ROW_GROUPS = {_table(n) for n in ("table-header-rows", "table-rows", "table-row-group")}
_BREAKS = {_t("s"), _t("tab"), _t("line-break")}
_SKIPPED_TEXT = {_t("note-citation"), _t("ruby-text"), _t("hidden-text"), _t("tracked-changes")}
_SKIPPED_TEXT |= {_t("number")}  # a list number cached by the writer: counted afresh instead
_QUOTE_STYLES = {"quotations", "quote"}
_BOLD_WEIGHTS = {"bold", "600", "700", "800", "900"}


@dataclass(frozen=True, slots=True)
class _Style:
    name: str  # lower-case display name ("heading 1", "title")
    parent: str | None
    bold: bool | None
    italic: bool | None
    automatic: bool  # direct formatting, as opposed to a named style
    list_style: str | None = None  # style:list-style-name: a list style the style applies


def read_odt(data: bytes, metadata: Metadata) -> Document:
    """Read an .odt file's bytes; every failure is a ``DocumentError`` naming the file."""
    name = Path(metadata.path).name or "The document"
    return _OdtReader(SafeZip(data, name, KIND)).read_safely(metadata)


class _OdtReader(OfficeReader):
    def __init__(self, archive: SafeZip) -> None:
        super().__init__(archive)
        self.styles: dict[tuple[str, str], _Style] = {}
        self.lists = OdtLists()
        self.current_list: OpenList | None = None
        self.pending_number = False  # the next paragraph is its list item's first

    def read(self, metadata: Metadata) -> Document:
        self._check_mimetype()
        manifest = self.archive.read_optional("META-INF/manifest.xml") or b""
        if b"encryption-data" in manifest:
            raise DocumentError(
                f"“{self.name}” is password-protected; open it in LibreOffice, remove the "
                "password (File ▸ Properties ▸ Security), save it and open it here again."
            )
        if not self.archive.has("content.xml"):
            raise self._not_odt()
        root = parse_xml(self.archive.read("content.xml"), self.name, KIND)
        body = root.find(f"{{{_OFFICE}}}body")
        if body is None:
            raise self._not_odt()
        text = body.find(f"{{{_OFFICE}}}text")
        if text is None:
            other = next((c for c in body if isinstance(c.tag, str)), None)
            raise self._other_odf(local_name(other) if other is not None else "")
        self._load_styles(root, automatic=True)
        self.lists.load(root)
        styles = self.optional_xml("styles.xml")
        if styles is not None:
            self._load_styles(styles, automatic=False)
            self.lists.load(styles)
        self._blocks(text, 0)
        return self.finish(metadata, "odt", **self._meta())

    # --- the package -------------------------------------------------------------------

    def _check_mimetype(self) -> None:
        """The ``mimetype`` member says what the package is; some writers leave it out."""
        data = self.archive.read_optional("mimetype")
        if data is None:
            return
        value = data.decode("ascii", "replace").strip()
        if value.startswith(MIMETYPE):  # also templates (-template) and master documents
            return
        if value.startswith(_ODF_MIMETYPE):
            raise self._other_odf(value.removeprefix(_ODF_MIMETYPE).partition("-")[0])
        raise self._not_odt()

    def _not_odt(self) -> DocumentError:
        return DocumentError(
            f"“{self.name}” is damaged or not an OpenDocument text document: it holds no "
            "document text. Open it in LibreOffice or Word and save it again as .odt."
        )

    def _other_odf(self, what: str) -> DocumentError:
        described = _OTHER_ODF.get(what, "an OpenDocument file other than a text document")
        return DocumentError(
            f"“{self.name}” is {described}; reader opens text documents, so save or "
            "export the article as an OpenDocument text (.odt) first."
        )

    def _meta(self) -> dict[str, str]:
        root = self.optional_xml("meta.xml")
        fields: dict[str, str] = {}
        if root is not None:
            for element in root.iter():
                fields.setdefault(local_name(element), (element.text or "").strip())
        return {
            "title": fields.get("title", ""),
            "author": fields.get("creator") or fields.get("initial-creator", ""),
            "date": fields.get("date") or fields.get("creation-date", ""),
        }

    def _load_styles(self, root: etree._Element, *, automatic: bool) -> None:
        for group in root:
            is_automatic = local_name(group) == "automatic-styles"
            if local_name(group) not in ("styles", "automatic-styles"):
                continue
            for style in group.iterchildren(f"{{{_STYLE}}}style"):
                name = style.get(f"{{{_STYLE}}}name")
                family = style.get(f"{{{_STYLE}}}family") or ""
                if not name:
                    continue
                props = style.find(f"{{{_STYLE}}}text-properties")
                weight = props.get(f"{{{_FO}}}font-weight") if props is not None else None
                slant = props.get(f"{{{_FO}}}font-style") if props is not None else None
                display = style.get(f"{{{_STYLE}}}display-name") or name.replace("_20_", " ")
                self.styles.setdefault(
                    (family, name),
                    _Style(
                        name=display.strip().lower(),
                        parent=style.get(f"{{{_STYLE}}}parent-style-name"),
                        bold=None if weight is None else weight.lower() in _BOLD_WEIGHTS,
                        italic=None if slant is None else slant.lower() in ("italic", "oblique"),
                        automatic=automatic and is_automatic,
                        list_style=style.get(f"{{{_STYLE}}}list-style-name"),
                    ),
                )

    # --- styles ------------------------------------------------------------------------

    def _chain(self, family: str, name: str | None) -> list[_Style]:
        """The style and its parents, nearest first; cycles and unknown names end it."""
        chain: list[_Style] = []
        seen: set[str] = set()
        while name and name not in seen and len(seen) < MAX_STYLE_CHAIN:
            seen.add(name)
            style = self.styles.get((family, name))
            if style is None:
                chain.append(_Style(name.replace("_20_", " ").lower(), None, None, None, False))
                break
            chain.append(style)
            name = style.parent
        return chain

    def _paragraph_kind(self, element: etree._Element) -> tuple[BlockKind, int] | None:
        """What the paragraph style makes of it; None for an ordinary paragraph."""
        for style in self._chain("paragraph", element.get(_t("style-name"))):
            if style.name == "title":
                return "title", 0
            if level := style_heading_level(style.name):
                return "heading", level
            if style.name in _QUOTE_STYLES:
                return "quote", 0
        return None

    def _marks(self, family: str, name: str | None, *, automatic_only: bool) -> frozenset[StyleKey]:
        """Bold and italic set by a style; for paragraphs only direct formatting counts,
        since every heading style is bold and that says nothing about the words."""
        bold: bool | None = None
        italic: bool | None = None
        for style in self._chain(family, name):
            if automatic_only and not style.automatic:
                break
            bold = style.bold if bold is None else bold
            italic = style.italic if italic is None else italic
        return emphasis(bold, italic)

    # --- the body ----------------------------------------------------------------------

    def _blocks(self, parent: etree._Element, list_depth: int) -> None:
        for child in parent:
            tag = child.tag
            if tag in (_P, _H):
                kind, level = self._block_kind(child, list_depth)
                label = self._label(child, list_depth)
                builder = StyledText()
                style = child.get(_t("style-name"))
                marks = self._marks("paragraph", style, automatic_only=True)
                frames = self.paragraph_inline(child, builder, marks)
                self.add_block(builder, kind, level, label)
                for frame in frames:  # after the paragraph: a frame never splits a sentence
                    self._frame(frame, lambda box: self._blocks(box, 0))
            elif tag == _LIST:
                self._list(child, list_depth)
            elif tag == _TABLE_TABLE:
                self.table(_rows(child))
            elif tag in _SECTIONS:
                self._blocks(child, list_depth)
            elif tag in _DRAWINGS:  # a frame anchored to the page
                self._frame(child, lambda box: self._blocks(box, 0))
            # tracked deletions, declarations, tables of contents: not read

    def _frame(self, element: etree._Element, read: Callable[[etree._Element], None]) -> None:
        """The text of a frame (its text box) or of a shape, read as a list of its own."""
        outer, self.current_list = self.current_list, None
        try:
            if element.tag == _FRAME:
                for box in element.iterchildren(_TEXT_BOX):
                    read(box)
            else:  # shapes hold their paragraphs directly; groups and links hold frames
                read(element)
        finally:
            self.current_list = outer

    def _list(self, element: etree._Element, depth: int) -> None:
        """A list's items; an outermost list opens (or continues) counters for its nests."""
        outer = self.current_list
        style = element.get(_t("style-name"))
        if outer is None:
            current = self.lists.open(element, style or self._paragraph_list_style(element))
        else:
            levels = self.lists.styles.get(style, outer.levels) if style else outer.levels
            current = OpenList(levels, outer.counters)
        self.current_list = current
        try:
            for item in element:
                if item.tag not in _LIST_ITEMS:
                    continue
                numbered = item.tag == _t("list-item")
                start = item.get(_t("start-value"))
                if numbered and start is not None and start.strip().isdigit():
                    current.restart_at(depth, int(start))
                self.pending_number = numbered
                self._blocks(item, depth + 1)
                self.pending_number = False
        finally:
            self.current_list = outer

    def _paragraph_list_style(self, element: etree._Element) -> str | None:
        """A list without a style takes the list style of its first paragraph's style."""
        paragraph = next(element.iter(_P, _H), None)
        if paragraph is None:
            return None
        chain = self._chain("paragraph", paragraph.get(_t("style-name")))
        return next((s.list_style for s in chain if s.list_style), None)

    def _label(self, element: etree._Element, list_depth: int) -> str:
        """The number before a list item's first paragraph, or before a numbered heading."""
        if self.pending_number and self.current_list is not None:
            self.pending_number = False
            label = self.current_list.label(list_depth - 1)
        elif element.tag == _H and self.current_list is None:
            if (element.get(_t("is-list-header")) or "").lower() == "true":
                return ""
            label = self.lists.heading_label(heading_level(element.get(_t("outline-level"))))
        else:
            return ""
        if not label:  # no definition: the number the writer cached, if it is one
            cached = element.find(_t("number"))
            label = finished_label("".join(cached.itertext()) if cached is not None else "")
        return label

    def _block_kind(self, element: etree._Element, list_depth: int) -> tuple[BlockKind, int]:
        styled = self._paragraph_kind(element)
        if element.tag == _H:
            if styled is not None and styled[0] == "title":
                return styled
            return "heading", heading_level(element.get(_t("outline-level")))
        if styled is not None and (styled[0] != "quote" or not list_depth):
            return styled
        return ("list_item", list_depth) if list_depth else ("paragraph", 0)

    def cells(self, row: etree._Element) -> Iterator[etree._Element]:
        return row.iterchildren(_table("table-cell"))

    def flatten(self, parent: etree._Element, builder: StyledText) -> None:
        for child in parent:
            tag = child.tag
            if tag in (_P, _H):
                builder.space()
                for frame in self.paragraph_inline(child, builder):
                    self._frame(frame, lambda box: self.flatten(box, builder))
            elif tag == _TABLE_TABLE:
                self.nested_table(_rows(child), builder)
            elif tag == _LIST or tag in _LIST_ITEMS or tag in _SECTIONS:
                self.flatten(child, builder)
            elif tag in _DRAWINGS:
                self._frame(child, lambda box: self.flatten(box, builder))

    def inline(
        self, element: etree._Element, builder: StyledText, marks: frozenset[StyleKey]
    ) -> None:
        """The element's text, its children's and their tails, in document order."""
        if element.text:
            builder.append(element.text, marks)
        for child in element:
            tag = child.tag
            if tag == _SPAN:
                style = child.get(_t("style-name"))
                self.inline(
                    child, builder, marks | self._marks("text", style, automatic_only=False)
                )
            elif tag == _A:
                href = (child.get(f"{{{_XLINK}}}href") or "").strip()
                key: StyleKey = ("link", href)
                link = marks | {key} if href and not href.startswith("#") else marks
                self.inline(child, builder, link)
            elif tag in _BREAKS:
                builder.space()
            elif tag == _NOTE:
                builder.append(self.note(object(), child.find(_t("note-body"))))
            elif tag in _DRAWINGS:
                self.anchored.append(child)
            elif (
                isinstance(tag, str) and tag.startswith(f"{{{_TEXT}}}") and tag not in _SKIPPED_TEXT
            ):
                self.inline(child, builder, marks)  # fields, bookmarks, ruby base, meta
            # annotations (comments) and pictures are not part of the text
            if child.tail:
                builder.append(child.tail, marks)


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's rows, including header rows and row groups, in order."""
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == _table("table-row"):
            rows.append(child)
        elif child.tag in _ROW_GROUPS:
            rows.extend(_rows(child))
    return rows
