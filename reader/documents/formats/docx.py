"""Word documents (.docx): paragraphs, headings, lists, tables and notes, in reading order.

A .docx is a zip of XML parts (ECMA-376). Only what a reader sees on the page is kept:
deleted revisions, field codes, hidden runs and pictures are skipped and inserted revisions
kept, list numbers are counted from ``numbering.xml`` ("1.", "a)"), the text of text boxes
and shapes follows the paragraph that anchors them, and footnotes become "[1]" markers with
the notes gathered at the end, so the entity recogniser, search and notes all work on the
article as printed. python-docx is not used: it would add a dependency for a few dozen
lines of lxml, and reads the archive trustingly.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from reader.documents.formats.docx_numbering import DocxNumbering
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
from reader.documents.safe_xml import local_attribute, local_name, parse_xml
from reader.documents.safe_zip import SafeZip, clean_name, resolve
from reader.errors import DocumentError

KIND = "Word document"
_W = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
}
_MATH = {
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/math",
}
# Markup compatibility: Word writes a text box twice, as DrawingML and as a VML fallback.
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_ALTERNATE = f"{{{_MC}}}AlternateContent"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_QUOTE_STYLES = {"quote", "intense quote"}
_OFF = {"0", "false", "off", "none"}

# Elements whose children are more of the body, or more of the paragraph.
_BLOCK_WRAPPERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"}
_INLINE_WRAPPERS = _BLOCK_WRAPPERS | {"fldSimple", "dir", "bdo"}


@dataclass(frozen=True, slots=True)
class _Relationship:
    id: str
    kind: str  # the last segment of the relationship type: "styles", "hyperlink", …
    target: str  # an archive path, or the URL of an external target
    external: bool


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    italic: bool | None
    outline: int | None  # 0-based outline level, as w:outlineLvl writes it
    numbered: bool | None
    num_id: str | None  # the list a paragraph of this style belongs to (w:numPr)
    num_level: int | None


def read_docx(data: bytes, metadata: Metadata) -> Document:
    """Read a .docx file's bytes; every failure is a ``DocumentError`` naming the file."""
    name = Path(metadata.path).name or "The document"
    if data.startswith(_OLE_SIGNATURE):
        raise DocumentError(
            f"“{name}” is password-protected or is an old Word (.doc) file; open it in Word, "
            "remove the password or save it as .docx, and open it here again."
        )
    return _DocxReader(SafeZip(data, name, KIND)).read_safely(metadata)


def _tag(element: etree._Element) -> str:
    """The local name of a WordprocessingML element; "" for any other namespace."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    namespace, _, local = tag[1:].partition("}")
    return local if namespace in _W else ""


def _is_math(element: etree._Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag[1:].partition("}")[0] in _MATH


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if _tag(c) == name), None)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _toggle(element: etree._Element | None) -> bool | None:
    """A w:b-like property: None when absent, on unless its w:val says off."""
    if element is None:
        return None
    return (local_attribute(element) or "").lower() not in _OFF


class _DocxReader(OfficeReader):
    def __init__(self, archive: SafeZip) -> None:
        super().__init__(archive)
        self.styles: dict[str, _Style] = {}
        self.links: dict[str, str] = {}
        self.note_bodies: dict[tuple[str, str], etree._Element] = {}
        self.numbering = DocxNumbering(None, {})

    def read(self, metadata: Metadata) -> Document:
        package = self._relationships("_rels/.rels", "")
        main = self._target(package, "officeDocument", "word/document.xml")
        root = self._main_document(main)
        body = _child(root, "body")
        if _tag(root) != "document" or body is None:
            raise self._not_word()
        folder, base = posixpath.split(main)
        rels = self._relationships(posixpath.join(folder, "_rels", base + ".rels"), main)
        self.links = {r.id: r.target for r in rels if r.kind == "hyperlink" and r.external}
        self._load_styles(self._target(rels, "styles", "word/styles.xml"))
        self.numbering = DocxNumbering(
            self.optional_xml(self._target(rels, "numbering", "word/numbering.xml")),
            {key: style.num_id for key, style in self.styles.items() if style.num_id},
        )
        for kind in ("footnote", "endnote"):
            self._load_notes(self._target(rels, kind + "s", f"word/{kind}s.xml"), kind)
        self._blocks(body)
        title, author, date = self._core(self._target(package, "core-properties", ""))
        return self.finish(metadata, "docx", title=title, author=author, date=date)

    # --- the package -------------------------------------------------------------------

    def _main_document(self, member: str) -> etree._Element:
        if not self.archive.has(member):
            other = (
                "an Excel workbook"
                if self.archive.has("xl/workbook.xml")
                else "a PowerPoint presentation"
                if self.archive.has("ppt/presentation.xml")
                else ""
            )
            if other:
                raise DocumentError(
                    f"“{self.name}” is {other}, not a Word document; reader opens text "
                    "documents, so save the article as a Word document or text first."
                )
            raise self._not_word()
        return parse_xml(self.archive.read(member), self.name, KIND)

    def _not_word(self) -> DocumentError:
        return DocumentError(
            f"“{self.name}” is damaged or not a Word document: it holds no document text. "
            "Open it in the program that made it and save it again as .docx."
        )

    def _relationships(self, member: str, source: str) -> list[_Relationship]:
        root = self.optional_xml(member)
        found: list[_Relationship] = []
        for rel in root if root is not None else ():
            target = rel.get("Target") or ""
            external = (rel.get("TargetMode") or "").lower() == "external"
            if not external:
                path = clean_name(target[1:]) if target.startswith("/") else resolve(source, target)
                if path is None:
                    continue
                target = path
            kind = (rel.get("Type") or "").rstrip("/").rpartition("/")[2]
            found.append(_Relationship(rel.get("Id") or "", kind, target, external))
        return found

    @staticmethod
    def _target(rels: list[_Relationship], kind: str, default: str) -> str:
        return next((r.target for r in rels if r.kind == kind and not r.external), default)

    def _load_styles(self, member: str) -> None:
        root = self.optional_xml(member)
        for style in root if root is not None else ():
            style_id = local_attribute(style, "styleId")
            if _tag(style) != "style" or not style_id:
                continue
            rpr, ppr = _child(style, "rPr"), _child(style, "pPr")
            num_pr = _child(ppr, "numPr")
            self.styles[style_id] = _Style(
                name=(local_attribute(_child(style, "name")) or style_id).strip().lower(),
                based_on=local_attribute(_child(style, "basedOn")),
                bold=_toggle(_child(rpr, "b")),
                italic=_toggle(_child(rpr, "i")),
                outline=_int(local_attribute(_child(ppr, "outlineLvl"))),
                numbered=None
                if num_pr is None
                else local_attribute(_child(num_pr, "numId")) != "0",
                num_id=local_attribute(_child(num_pr, "numId")),
                num_level=_int(local_attribute(_child(num_pr, "ilvl"))),
            )

    def _load_notes(self, member: str, kind: str) -> None:
        root = self.optional_xml(member)
        for note in root if root is not None else ():
            note_type = local_attribute(note, "type") or "normal"
            if _tag(note) == kind and note_type == "normal":
                self.note_bodies[(kind, local_attribute(note, "id") or "")] = note

    def _core(self, member: str) -> tuple[str, str, str]:
        root = self.optional_xml(member or "docProps/core.xml")
        fields: dict[str, str] = {}
        for child in root if root is not None else ():
            fields.setdefault(local_name(child), (child.text or "").strip())
        date = fields.get("created") or fields.get("modified") or ""
        return fields.get("title", ""), fields.get("creator", ""), date

    # --- styles ------------------------------------------------------------------------

    def _chain(self, style_id: str | None) -> Iterator[tuple[str, _Style | None]]:
        """The style and those it is based on, nearest first, as (lower-case name, style)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < MAX_STYLE_CHAIN:
            seen.add(style_id)
            style = self.styles.get(style_id)
            yield (style.name if style else style_id.lower()), style
            style_id = style.based_on if style else None

    def _paragraph_kind(self, ppr: etree._Element | None) -> tuple[BlockKind, int]:
        style_id = local_attribute(_child(ppr, "pStyle"))
        numbered: bool | None = None
        outline = _int(local_attribute(_child(ppr, "outlineLvl")))
        for name, style in self._chain(style_id):
            if name == "title":
                return "title", 0
            if level := style_heading_level(name):
                return "heading", level
            if style is not None:
                outline = style.outline if outline is None else outline
                numbered = style.numbered if numbered is None else numbered
        if outline is not None and 0 <= outline < 9:  # 9 is "body text"
            return "heading", heading_level(outline + 1)
        num_pr = _child(ppr, "numPr")
        num_id = local_attribute(_child(num_pr, "numId"))
        if num_id is not None:
            numbered = num_id != "0"
        if numbered:
            indent = _int(local_attribute(_child(num_pr, "ilvl"))) or 0
            return "list_item", min(max(indent, 0), 8) + 1
        if any(name in _QUOTE_STYLES for name, _ in self._chain(style_id)):
            return "quote", 0
        return "paragraph", 0

    def _run_marks(self, rpr: etree._Element) -> frozenset[StyleKey] | None:
        """Bold and italic of a run, from its own properties or its character style.

        None means hidden text (w:vanish), which Word does not show or print.
        """
        if _toggle(_child(rpr, "vanish")):
            return None
        bold, italic = _toggle(_child(rpr, "b")), _toggle(_child(rpr, "i"))
        for _, style in self._chain(local_attribute(_child(rpr, "rStyle"))):
            if style is not None:
                bold = style.bold if bold is None else bold
                italic = style.italic if italic is None else italic
        return emphasis(bold, italic)

    # --- the body ----------------------------------------------------------------------

    def _blocks(self, parent: etree._Element) -> None:
        for child in parent:
            tag = _tag(child)
            if tag == "p":
                ppr = _child(child, "pPr")
                kind, level = self._paragraph_kind(ppr)
                label = self._list_label(ppr)
                builder = StyledText()
                boxes = self.paragraph_inline(child, builder)
                self.add_block(builder, kind, level, label)
                for box in boxes:  # after the paragraph: a box never splits a sentence
                    self._blocks(box)
            elif tag == "tbl":
                self.table(self._rows(child))
            elif tag in _BLOCK_WRAPPERS and not _is_contents_table(child):
                self._blocks(child)
            elif child.tag == _ALTERNATE:
                self._blocks(_chosen(child))

    def _list_label(self, ppr: etree._Element | None) -> str:
        """The list number Word shows before the paragraph ("2.", "b)"), with its space."""
        style_id = local_attribute(_child(ppr, "pStyle"))
        num_pr = _child(ppr, "numPr")
        num_id = local_attribute(_child(num_pr, "numId"))
        index = _int(local_attribute(_child(num_pr, "ilvl")))
        if num_id is None:  # the list comes with the paragraph style (numbered headings)
            style = next((s for _, s in self._chain(style_id) if s and s.num_id), None)
            if style is not None:
                num_id = style.num_id
                index = style.num_level if index is None else index
        if not num_id or num_id == "0":
            return ""
        if index is None and style_id:
            index = self.numbering.level_for_style(num_id, style_id)
        return self.numbering.label(num_id, index or 0)

    def _rows(self, table: etree._Element) -> Iterator[etree._Element]:
        """The table's rows, skipping rows deleted as a tracked change."""
        for child in table:
            tag = _tag(child)
            if tag == "tr" and _child(_child(child, "trPr"), "del") is None:
                yield child
            elif tag in ("sdt", "sdtContent", "customXml"):
                yield from self._rows(child)

    def cells(self, row: etree._Element) -> Iterator[etree._Element]:
        for child in row:
            tag = _tag(child)
            if tag == "tc":
                yield child
            elif tag in ("sdt", "sdtContent", "customXml"):
                yield from self.cells(child)

    def flatten(self, parent: etree._Element, builder: StyledText) -> None:
        for child in parent:
            tag = _tag(child)
            if tag == "p":
                builder.space()
                label = self._list_label(_child(child, "pPr"))  # counted even when empty
                if any(_tag(t) == "t" and t.text for t in child.iter()):
                    builder.append(label)
                for box in self.paragraph_inline(child, builder):
                    self.flatten(box, builder)
            elif tag == "tbl":
                self.nested_table(self._rows(child), builder)
            elif tag in _BLOCK_WRAPPERS:
                self.flatten(child, builder)
            elif child.tag == _ALTERNATE:
                self.flatten(_chosen(child), builder)

    def inline(
        self, parent: etree._Element, builder: StyledText, marks: frozenset[StyleKey]
    ) -> None:
        for child in parent:
            tag = _tag(child)
            if tag == "r":
                self._run(child, builder, marks)
            elif tag == "hyperlink":
                target = self.links.get(local_attribute(child, "id") or "")
                self.inline(child, builder, marks | {("link", target)} if target else marks)
            elif tag in _INLINE_WRAPPERS:
                self.inline(child, builder, marks)
            elif child.tag == _ALTERNATE:
                self.inline(_chosen(child), builder, marks)
            elif _is_math(child) and local_name(child) in ("oMath", "oMathPara"):
                text = "".join(t.text or "" for t in child.iter() if local_name(t) == "t")
                builder.append(text, marks)
            # w:del, w:moveFrom, bookmarks, comments, drawings: nothing a reader sees

    def _run(self, run: etree._Element, builder: StyledText, marks: frozenset[StyleKey]) -> None:
        rpr = _child(run, "rPr")
        if rpr is not None:
            extra = self._run_marks(rpr)
            if extra is None:
                return
            marks |= extra
        for child in run:
            tag = _tag(child)
            if tag == "t":
                builder.append(child.text or "", marks)
            elif tag in ("tab", "ptab", "br", "cr"):
                builder.space()
            elif tag == "noBreakHyphen":
                builder.append("-", marks)
            elif tag in ("footnoteReference", "endnoteReference"):
                key = (tag.removesuffix("Reference"), local_attribute(child, "id") or "")
                body = self.note_bodies.get(key)
                if body is not None:
                    builder.append(self.note(key, body))
            elif tag in ("drawing", "pict", "object"):
                self.anchored.extend(_text_boxes(child))
            elif child.tag == _ALTERNATE:
                self.anchored.extend(_text_boxes(_chosen(child)))
            # softHyphen, sym, instrText (field codes), delText, pictures: dropped


def _chosen(alternate: etree._Element) -> etree._Element:
    """The one branch of an ``mc:AlternateContent`` to read: its first choice, else the
    fallback. Both hold the same text (DrawingML and VML), so reading both doubles it."""
    choice = next((c for c in alternate if local_name(c) == "Choice"), None)
    if choice is None:
        choice = next((c for c in alternate if local_name(c) == "Fallback"), None)
    return choice if choice is not None else etree.Element("empty")


def _text_boxes(element: etree._Element) -> Iterator[etree._Element]:
    """The ``w:txbxContent`` of every text box and shape inside a drawing, in order.

    DrawingML (``wps:txbx``), VML (``v:textbox``) and groups of shapes all keep the text
    in one; a linked box after the first of a chain has none (Word stores the chain once).
    """
    for child in element:
        if _tag(child) == "txbxContent":
            yield child
        elif child.tag == _ALTERNATE:
            yield from _text_boxes(_chosen(child))
        elif isinstance(child.tag, str):
            yield from _text_boxes(child)


def _is_contents_table(element: etree._Element) -> bool:
    """A table of contents repeats the headings; read once is enough."""
    gallery = _child(_child(_child(element, "sdtPr"), "docPartObj"), "docPartGallery")
    return (local_attribute(gallery) or "").lower().startswith("table of contents")
