"""Real .docx and .odt files written from scratch with ``zipfile``, holding one invented story.

The packages are minimal but valid (content types, relationships, manifest, a stored
``mimetype`` first), so the readers are tested on what Word and LibreOffice produce, not on
a mock. Both files carry the same article, so one list of expected blocks serves both.
The story, its people, places and organisations are made up for these tests.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

TITLE = "Harbour Council Approves New Ferry Line"
AUTHOR = "Ruth Okafor"
LINK = "https://example.org/northwind"

# (kind, level, text) of every block either reader must produce from the article.
ARTICLE_BLOCKS = [
    ("title", 0, TITLE),
    (
        "paragraph",
        0,
        "PORT ALDER — The Port Alder Harbour Council voted on Tuesday to fund a ferry line "
        "to Kestrel Bay, ending years of delay.[1]",
    ),
    ("heading", 1, "The Vote"),
    (
        "paragraph",
        0,
        "Mayor Elena Marsh said the Northwind Shipping bid was clearly the cheapest. "
        "She thanked the harbour staff.",
    ),
    ("heading", 2, "Who Benefits"),
    ("list_item", 1, "Commuters from Kestrel Bay"),
    ("list_item", 1, "Students at the University of Kestrel"),
    ("list_item", 2, "Night-shift workers at the fish market"),
    ("heading", 2, "Timetable"),
    ("paragraph", 0, "Route | Departures | Operator"),
    ("paragraph", 0, "Port Alder to Kestrel Bay | 12 daily | Northwind Shipping (from May)"),
    (
        "paragraph",
        0,
        "Engineer Tomasz Kowalczyk, who designed the terminal in Lisbon, will lead the works.[2]",
    ),
    ("heading", 1, "Notes"),
    ("paragraph", 0, "[1] The council has nine members; seven voted in favour."),
    ("paragraph", 0, "[2] Kowalczyk previously worked for the City of Lisbon."),
]
# Words that are in the files but must never reach the text.
HIDDEN_WORDS = ("very", "SECRET", "PAGE", "Check this", "Contents")


def zip_parts(parts: dict[str, bytes], *, stored: tuple[str, ...] = ()) -> bytes:
    """A zip of ``parts`` in their order; members named in ``stored`` are not compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 5, 9, 30, 0)), data, method)
    return buffer.getvalue()


# --- Word ------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def w_run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def w_para(content: str, style: str = "", props: str = "") -> str:
    """A paragraph; plain ``content`` becomes one run, XML (starting "<") is used as is."""
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + props
    runs = content if content.startswith("<") else w_run(content)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


def w_item(text: str, indent: int) -> str:
    return w_para(
        text, "ListParagraph", f'<w:numPr><w:ilvl w:val="{indent}"/><w:numId w:val="1"/></w:numPr>'
    )


def w_table(rows: list[list[str]]) -> str:
    """A table whose cells hold XML paragraphs (one cell may hold several)."""
    cells = ("".join(f"<w:tc><w:tcPr/>{cell}</w:tc>" for cell in row) for row in rows)
    return "<w:tbl><w:tblPr/>" + "".join(f"<w:tr>{c}</w:tr>" for c in cells) + "</w:tbl>"


DOCX_BODY = "".join(
    [
        w_para(TITLE, "Title"),
        w_para(
            w_run("PORT ALDER — The ")
            + w_run("Port Alder ", "<w:b/>")
            + w_run("Harbour Council", "<w:b/>")
            + w_run(" voted on Tuesday to fund a ferry line to ")
            + w_run("Kestrel Bay", "<w:i/>")
            + w_run(", ending years of delay.")
            + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'
        ),
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent>"
        + w_para("Contents", "TOCHeading")
        + "</w:sdtContent></w:sdt>",
        w_para("The Vote", "Heading1"),
        w_para(
            '<w:commentRangeStart w:id="0"/>'
            + w_run("Mayor Elena Marsh said the ")
            + '<w:hyperlink r:id="rId9" w:history="1">'
            + w_run("Northwind ", '<w:rStyle w:val="Hyperlink"/>')
            + w_run("Shipping", '<w:rStyle w:val="Hyperlink"/>')
            + "</w:hyperlink>"
            + w_run(" bid was ")
            + '<w:del w:id="5" w:author="Editor"><w:r><w:delText>very </w:delText></w:r></w:del>'
            + '<w:ins w:id="6" w:author="Editor">'
            + w_run("clearly ")
            + "</w:ins>"
            + w_run("the cheapest.")
            + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
            + "<w:r><w:br/></w:r>"
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + w_run("SECRET", "<w:vanish/>")
            + "<w:r><w:tab/><w:t>She thanked the </w:t>"
            + '<w:sym w:font="Wingdings" w:char="F04A"/><w:t>harbour staff.</w:t></w:r>'
        ),
        w_para("Who Benefits", "Heading2"),
        w_item("Commuters from Kestrel Bay", 0),
        w_item("Students at the University of Kestrel", 0),
        w_para(
            "<w:r><w:t>Night</w:t><w:noBreakHyphen/>"
            "<w:t>shift workers at the fish market</w:t></w:r>",
            "ListParagraph",
            '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>',
        ),
        w_para("Timetable", props='<w:outlineLvl w:val="1"/>'),
        w_table(
            [
                [w_para("Route"), w_para("Departures"), w_para("Operator")],
                [
                    w_para("Port Alder to Kestrel Bay"),
                    w_para("12 daily"),
                    w_para("Northwind Shipping") + w_para("(from May)"),
                ],
            ]
        ),
        w_para(
            w_run("Engineer Tomasz Kowalczyk, who designed the ter")
            + "<w:r><w:softHyphen/></w:r>"
            + w_run("minal in Lisbon, will lead the works.")
            + '<w:r><w:footnoteReference w:id="2"/></w:r>'
        ),
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>',
    ]
)

DOCX_STYLES = f"""{_DECL}<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>
  <w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
  <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>
  <w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/>
  <w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>
  <w:rPr><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
  <w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>"""


def w_notes(kind: str, notes: dict[int, str]) -> str:
    """footnotes.xml or endnotes.xml, with Word's separator notes first."""
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
    )
    bodies = "".join(
        f'<w:{kind} w:id="{note_id}"><w:p><w:r><w:{kind}Ref/></w:r>{w_run(" " + text)}</w:p>'
        f"</w:{kind}>"
        for note_id, text in notes.items()
    )
    return f'{_DECL}<w:{kind}s xmlns:w="{W_NS}">{separators}{bodies}</w:{kind}s>'


DOCX_FOOTNOTES = w_notes(
    "footnote",
    {
        1: "The council has nine members; seven voted in favour.",
        2: "Kowalczyk previously worked for the City of Lisbon.",
    },
)


def w_core(title: str = TITLE, author: str = AUTHOR, created: str = "2024-03-05T09:30:00Z") -> str:
    fields = (f"<dc:title>{escape(title)}</dc:title>" if title else "") + (
        f"<dc:creator>{escape(author)}</dc:creator>" if author else ""
    )
    if created:
        fields += f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    return (
        f"{_DECL}<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{fields}</cp:coreProperties>"
    )


# The namespaces Word 2016 declares on w:document (mc:Ignorable names those a reader may skip).
WORD_NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"'
    ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    ' xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' mc:Ignorable="w14 wp14"'
)


def w_document(body: str, doctype: str = "") -> str:
    return (
        f'{_DECL}{doctype}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" {WORD_NAMESPACES}>'
        f"<w:body>{body}</w:body></w:document>"
    )


def docx_parts(
    body: str = DOCX_BODY,
    *,
    document: str | None = None,
    styles: str | None = DOCX_STYLES,
    footnotes: str | None = DOCX_FOOTNOTES,
    endnotes: str | None = None,
    core: str | None = None,
    links: dict[str, str] | None = None,
    numbering: str | None = None,
) -> dict[str, bytes]:
    """The package's members; ``None`` leaves a part out, ``document`` replaces the XML."""
    links = {"rId9": LINK} if links is None else links
    rels = [
        f'<Relationship Id="rIdS" Type="{_DOC_REL}/styles" Target="styles.xml"/>' if styles else "",
        f'<Relationship Id="rIdF" Type="{_DOC_REL}/footnotes" Target="footnotes.xml"/>'
        if footnotes
        else "",
        f'<Relationship Id="rIdE" Type="{_DOC_REL}/endnotes" Target="endnotes.xml"/>'
        if endnotes
        else "",
        f'<Relationship Id="rIdN" Type="{_DOC_REL}/numbering" Target="numbering.xml"/>'
        if numbering
        else "",
        *(
            f'<Relationship Id="{rid}" Type="{_DOC_REL}/hyperlink" Target="{escape(url)}"'
            ' TargetMode="External"/>'
            for rid, url in links.items()
        ),
    ]
    overrides = {
        "word/document.xml": "wordprocessingml.document.main",
        "word/styles.xml": "wordprocessingml.styles",
        "word/footnotes.xml": "wordprocessingml.footnotes",
        "word/endnotes.xml": "wordprocessingml.endnotes",
        "word/numbering.xml": "wordprocessingml.numbering",
    }
    types = "".join(
        f'<Override PartName="/{part}" ContentType='
        f'"application/vnd.openxmlformats-officedocument.{kind}+xml"/>'
        for part, kind in overrides.items()
    )
    parts = {
        "[Content_Types].xml": (
            f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'{types}<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties"'
            ' Target="docProps/core.xml"/></Relationships>'
        ),
        "word/document.xml": document if document is not None else w_document(body),
        "word/_rels/document.xml.rels": (
            f'{_DECL}<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'
        ),
        "word/styles.xml": styles,
        "word/footnotes.xml": footnotes,
        "word/endnotes.xml": endnotes,
        "word/numbering.xml": numbering,
        "docProps/core.xml": w_core() if core is None else core,
    }
    return {name: text.encode("utf-8") for name, text in parts.items() if text}


def build_docx(body: str = DOCX_BODY, **parts: str | dict[str, str] | None) -> bytes:
    return zip_parts(docx_parts(body, **parts))  # type: ignore[arg-type]


# --- OpenDocument ----------------------------------------------------------------------

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
    ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
    ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
    ' office:version="1.3"'
)


def o_p(content: str, style: str = "Text_20_body") -> str:
    """A text:p; ``content`` is inline XML (escape plain text with ``escape``)."""
    return f'<text:p text:style-name="{style}">{content}</text:p>'


def o_h(text: str, level: int) -> str:
    return (
        f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
        f"{escape(text)}</text:h>"
    )


def o_cell(*paragraphs: str) -> str:
    return (
        "<table:table-cell>" + "".join(o_p(escape(p)) for p in paragraphs) + "</table:table-cell>"
    )


def o_note(number: int, text: str) -> str:
    return (
        f'<text:note text:id="ftn{number}" text:note-class="footnote">'
        f"<text:note-citation>{number}</text:note-citation>"
        f"<text:note-body>{o_p(escape(text), 'Footnote')}</text:note-body></text:note>"
    )


ODT_BODY = "".join(
    [
        "<text:tracked-changes>"
        '<text:changed-region text:id="ct1"><text:deletion><office:change-info>'
        "<dc:creator>Editor</dc:creator><dc:date>2024-03-06T10:00:00</dc:date>"
        "</office:change-info>" + o_p("very ") + "</text:deletion></text:changed-region>"
        '<text:changed-region text:id="ct2"><text:insertion><office:change-info>'
        "<dc:creator>Editor</dc:creator><dc:date>2024-03-06T10:00:00</dc:date>"
        "</office:change-info></text:insertion></text:changed-region>"
        "</text:tracked-changes>",
        '<text:sequence-decls><text:sequence-decl text:display-outline-level="0"'
        ' text:name="Table"/></text:sequence-decls>',
        o_p(escape(TITLE), "Title"),
        o_p(
            'PORT ALDER — The <text:span text:style-name="T1">Port Alder </text:span>'
            '<text:span text:style-name="T1">Harbour Council</text:span> voted on Tuesday to fund'
            ' a ferry line to <text:span text:style-name="T2">Kestrel Bay</text:span>, ending'
            "\n   years of delay."
            + o_note(1, "The council has nine members; seven voted in favour.")
        ),
        '<text:table-of-content text:name="Contents"><text:index-body>'
        + o_p("Contents", "Contents_20_Heading")
        + "</text:index-body></text:table-of-content>",
        '<text:section text:name="Main">',
        o_h("The Vote", 1),
        o_p(
            "<office:annotation><dc:creator>Editor</dc:creator><text:p>Check this</text:p>"
            "</office:annotation>"
            'Mayor Elena<text:s/>Marsh said the <text:a xlink:type="simple"'
            f' xlink:href="{LINK}"><text:span text:style-name="Internet_20_link">Northwind'
            "</text:span> Shipping</text:a> bid was "
            '<text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>clearly'
            ' <text:change-end text:change-id="ct2"/>the cheapest.<text:line-break/>'
            '<text:hidden-text text:string-value="SECRET" text:condition="ooow:1">SECRET'
            "</text:hidden-text>"
            '<draw:frame draw:name="Image1" svg:width="2cm"><draw:image xlink:href='
            '"Pictures/1.png"/><svg:title>PAGE</svg:title><svg:desc>PAGE</svg:desc></draw:frame>'
            "<text:tab/>She thanked the<text:s text:c='3'/>harbour staff."
        ),
        "<text:soft-page-break/>",
        o_h("Who Benefits", 2),
        '<text:list text:style-name="L1">'
        "<text:list-item>" + o_p("Commuters from Kestrel Bay") + "</text:list-item>"
        "<text:list-item>" + o_p("Students at the University of Kestrel") + "<text:list>"
        "<text:list-item>" + o_p("Night-shift workers at the fish market") + "</text:list-item>"
        "</text:list></text:list-item></text:list>",
        "</text:section>",
        o_h("Timetable", 2),
        '<table:table table:name="Timetable">'
        '<table:table-column table:number-columns-repeated="3"/>'
        "<table:table-header-rows><table:table-row>"
        + o_cell("Route")
        + o_cell("Departures")
        + o_cell("Operator")
        + "</table:table-row></table:table-header-rows><table:table-row>"
        + o_cell("Port Alder to Kestrel Bay")
        + o_cell("12 daily")
        + o_cell("Northwind Shipping", "(from May)")
        + "</table:table-row></table:table>",
        o_p(
            "Engineer Tomasz Kowalczyk, who designed the terminal in Lisbon, will lead the works."
            + o_note(2, "Kowalczyk previously worked for the City of Lisbon.")
        ),
    ]
)

ODT_AUTOMATIC_STYLES = (
    '<style:style style:name="T1" style:family="text">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="T2" style:family="text">'
    '<style:text-properties fo:font-style="italic"/></style:style>'
)

ODT_STYLES = (
    f"{_DECL}<office:document-styles {_ODF_NS}><office:styles>"
    '<style:style style:name="Standard" style:family="paragraph"/>'
    '<style:style style:name="Text_20_body" style:display-name="Text body"'
    ' style:family="paragraph" style:parent-style-name="Standard"/>'
    '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1"'
    ' style:family="paragraph" style:default-outline-level="1">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2"'
    ' style:family="paragraph" style:default-outline-level="2"/>'
    "</office:styles></office:document-styles>"
)


def o_content(body: str, automatic_styles: str = ODT_AUTOMATIC_STYLES, doctype: str = "") -> str:
    return (
        f"{_DECL}{doctype}<office:document-content {_ODF_NS}>"
        f"<office:automatic-styles>{automatic_styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def o_meta(fields: str | None = None) -> str:
    if fields is None:
        fields = (
            f"<dc:title>{escape(TITLE)}</dc:title><meta:initial-creator>{AUTHOR}"
            "</meta:initial-creator><meta:creation-date>2024-03-05T09:30:00</meta:creation-date>"
        )
    return (
        f"{_DECL}<office:document-meta {_ODF_NS}><office:meta>{fields}</office:meta>"
        "</office:document-meta>"
    )


def odt_parts(
    body: str = ODT_BODY,
    *,
    content: str | None = None,
    meta: str | None = None,
    styles: str | None = ODT_STYLES,
    mimetype: str | None = ODT_MIMETYPE,
    manifest_extra: str = "",
) -> dict[str, bytes]:
    """The package's members, ``mimetype`` first; ``None`` leaves a part out."""
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type="text/xml"/>'
        for p in ("content.xml", "styles.xml", "meta.xml")
    )
    manifest = (
        f'{_DECL}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
        f'manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/"'
        f' manifest:media-type="{mimetype or ODT_MIMETYPE}"/>{entries}{manifest_extra}'
        "</manifest:manifest>"
    )
    parts = {
        "mimetype": mimetype,
        "META-INF/manifest.xml": manifest,
        "content.xml": content if content is not None else o_content(body),
        "styles.xml": styles,
        "meta.xml": o_meta() if meta is None else meta,
    }
    return {name: text.encode("utf-8") for name, text in parts.items() if text}


def build_odt(body: str = ODT_BODY, **parts: str | None) -> bytes:
    return zip_parts(odt_parts(body, **parts), stored=("mimetype",))  # type: ignore[arg-type]


# --- hostile packages ------------------------------------------------------------------


def zip_bomb(
    parts: dict[str, bytes], member: str, size: int, *, stored: tuple[str, ...] = ()
) -> bytes:
    """``parts`` with ``member`` replaced by ``size`` zero bytes, deflated ~1000 to 1.

    Written in chunks, so building a 300 MB entry never holds 300 MB in memory.
    """
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != member:
                method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
                archive.writestr(name, data, method)
        with archive.open(member, "w") as stream:
            for start in range(0, size, len(chunk)):
                stream.write(chunk[: min(len(chunk), size - start)])
    return buffer.getvalue()


def mark_encrypted(data: bytes, member: str) -> bytes:
    """Set the "encrypted" flag of ``member`` in its local and central headers.

    ``zipfile`` cannot write encrypted entries, but a reader sees only this bit before
    asking for a password, which is all the password-protected path needs.
    """
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(member).header_offset
    patched[local + 6] |= 0x01
    name = member.encode("utf-8")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + length] == name:
            patched[central + 8] |= 0x01
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(patched)
