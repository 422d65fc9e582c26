r"""Real EPUB and RTF files written from scratch, holding one invented short story.

The EPUBs are complete containers as a reading system expects them (``mimetype`` stored
first and uncompressed, ``META-INF/container.xml``, an OPF package, XHTML chapters, an
EPUB 3 ``nav.xhtml`` or an EPUB 2 ``toc.ncx``), so the reader is tested on real archives,
not on mocks. The RTF is typed the way Word writes it (font and style tables, ``\info``,
``\'hh`` escapes, ``\uN`` with fallbacks, tables, a footnote). The story, its people,
places and organisations are made up for these tests.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

TITLE = "The Salt Ledger of Port Ellery"
AUTHOR = "Maren Holloway"
EDITOR = "Tobias Rennick"
PUBLISHER = "Gullwing Press"
SOURCE_URL = "https://gullwing-press.example.org/salt-ledger"
ARCHIVE_URL = "https://harbour-trust.example.org/archive"
CHAPTER_TWO_LABEL = "Chapter Two: Low Tide at Skarholm"

# Chapter bodies as XHTML fragments. Chapter two has no heading of its own: the reader must
# take one from the table of contents.
CHAPTER_ONE = f"""<h1>Chapter One: The Ledger</h1>
<p>Ingrid Saltveit found the ledger in the cellar of the <em>Harbour Trust of Port
Ellery</em>, under a crate of    rusted chain.</p>
<p>Its first page was signed by <strong>Captain Elias Varga</strong> in 1871, and a
clerk had copied it for the <a href="{ARCHIVE_URL}">Trust's archive</a> a century later.</p>
<blockquote><p>Every barrel that leaves Vellmar Point shall be weighed twice.</p></blockquote>
<ul><li>Barrels of salt cod</li><li>Casks of whale oil<ul><li>sealed with lead</li></ul></li></ul>
"""
CHAPTER_TWO = """<p>At low tide the causeway to Skarholm rose out of the grey water, and
Tomasz Okonkwo-Barr walked it with the ledger in an oilskin bag.</p>
<p>The Northern Coastal Survey kept its records in a tin-roofed hut<br/>beside the old
chapel.</p>
<table><tr><th>Year</th><th>Barrels</th></tr><tr><td>1871</td><td><p>412</p></td></tr></table>
"""
CHAPTER_THREE = """<h2>Chapter Three: The Survey's Answer</h2>
<p>Dr. Amara Quenneville compared the two columns and found that every second weighing
was missing after 1874.</p>
<p>“Someone in Port Ellery stopped counting,” she wrote to Ingrid that night.</p>
"""

# What the reader must make of the chapters, in order (kind, level, text).
EXPECTED_BLOCKS = [
    ("title", 0, TITLE),
    ("heading", 1, "Chapter One: The Ledger"),
    (
        "paragraph",
        0,
        "Ingrid Saltveit found the ledger in the cellar of the Harbour Trust of Port Ellery, "
        "under a crate of rusted chain.",
    ),
    (
        "paragraph",
        0,
        "Its first page was signed by Captain Elias Varga in 1871, and a clerk had copied it "
        "for the Trust's archive a century later.",
    ),
    ("quote", 0, "Every barrel that leaves Vellmar Point shall be weighed twice."),
    ("list_item", 1, "Barrels of salt cod"),
    ("list_item", 1, "Casks of whale oil"),
    ("list_item", 2, "sealed with lead"),
    ("heading", 1, CHAPTER_TWO_LABEL),
    (
        "paragraph",
        0,
        "At low tide the causeway to Skarholm rose out of the grey water, and Tomasz "
        "Okonkwo-Barr walked it with the ledger in an oilskin bag.",
    ),
    (
        "paragraph",
        0,
        "The Northern Coastal Survey kept its records in a tin-roofed hut beside the old chapel.",
    ),
    ("paragraph", 0, "Year | Barrels"),
    ("paragraph", 0, "1871 | 412"),
    ("heading", 2, "Chapter Three: The Survey's Answer"),
    (
        "paragraph",
        0,
        "Dr. Amara Quenneville compared the two columns and found that every second weighing "
        "was missing after 1874.",
    ),
    ("paragraph", 0, "“Someone in Port Ellery stopped counting,” she wrote to Ingrid that night."),
]

MIMETYPE = b"application/epub+zip"
CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""

Chapter = tuple[str, str, str]  # (file name under OEBPS/text/, TOC label, XHTML body)
CHAPTERS: list[Chapter] = [
    ("ch1.xhtml", "Chapter One: The Ledger", CHAPTER_ONE),
    ("ch2.xhtml", CHAPTER_TWO_LABEL, CHAPTER_TWO),
    ("ch3.xhtml", "Chapter Three: The Survey's Answer", CHAPTER_THREE),
]


def xhtml(body: str, title: str = TITLE, *, doctype: str = "") -> bytes:
    """A complete XHTML content document around ``body``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{doctype}"
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{escape(title)}</title>"
        "<style>p { text-indent: 1em }</style></head>"
        f"<body>{body}</body></html>"
    ).encode()


def zip_epub(files: dict[str, bytes], *, mimetype: bytes | None = MIMETYPE) -> bytes:
    """An EPUB container: ``mimetype`` first and stored, as the OCF specification requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _opf(version: int, chapters: list[Chapter], extra_spine: list[tuple[str, str]]) -> bytes:
    """The package document; ``extra_spine`` adds (id, href) items to manifest and spine."""
    items = [
        f'<item id="c{i}" href="text/{escape(f)}" media-type="application/xhtml+xml"/>'
        for i, (f, _, _) in enumerate(chapters)
    ]
    items.append('<item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>')
    items.append('<item id="css" href="style.css" media-type="text/css"/>')
    refs = ['<itemref idref="cover"/>']
    if version == 3:
        items.append(
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
        refs.append('<itemref idref="nav" linear="no"/>')
    else:
        items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        items.append(
            '<item id="contents" href="text/contents.xhtml" media-type="application/xhtml+xml"/>'
        )
        refs.append('<itemref idref="contents"/>')
    refs += [f'<itemref idref="c{i}"/>' for i in range(len(chapters))]
    for ident, href in extra_spine:
        items.append(
            f'<item id="{ident}" href="{escape(href)}" media-type="application/xhtml+xml"/>'
        )
        refs.append(f'<itemref idref="{ident}"/>')
    if version == 3:
        creators = (
            f'<dc:creator id="author">{AUTHOR}</dc:creator>'
            '<meta refines="#author" property="role" scheme="marc:relators">aut</meta>'
            f'<dc:creator id="editor">{EDITOR}</dc:creator>'
            '<meta refines="#editor" property="role" scheme="marc:relators">edt</meta>'
            "<dc:date>2021-06-14T09:00:00Z</dc:date>"
            '<meta property="dcterms:modified">2023-01-02T10:00:00Z</meta>'
        )
    else:
        creators = (
            f'<dc:creator opf:role="aut">{AUTHOR}</dc:creator>'
            f'<dc:creator opf:role="edt">{EDITOR}</dc:creator>'
            '<dc:date opf:event="modification">2023-01-02</dc:date>'
            '<dc:date opf:event="publication">2021-06-14</dc:date>'
        )
    spine_toc = "" if version == 3 else ' toc="ncx"'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier id="uid">urn:uuid:5f0c6a52-8e0e-4c39-9d57-3f1f1c2b7a10</dc:identifier>
    <dc:title>{TITLE}</dc:title>
    {creators}
    <dc:publisher>{PUBLISHER}</dc:publisher>
    <dc:source>{SOURCE_URL}</dc:source>
    <dc:language>en</dc:language>
  </metadata>
  <manifest>{"".join(items)}</manifest>
  <spine{spine_toc}>{"".join(refs)}</spine>
</package>""".encode()


def _nav(chapters: list[Chapter]) -> bytes:
    links = "".join(
        f'<li><a href="text/{escape(f)}">{escape(label)}</a></li>' for f, label, _ in chapters
    )
    body = f'<h1>Contents</h1><nav epub:type="toc" id="toc"><ol>{links}</ol></nav>'
    return xhtml(body, "Contents")


def _ncx(chapters: list[Chapter]) -> bytes:
    points = "".join(
        f'<navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>{escape(label)}</text>'
        f'</navLabel><content src="text/{escape(f)}"/></navPoint>'
        for i, (f, label, _) in enumerate(chapters)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head><meta name="dtb:uid" content="urn:uuid:5f0c6a52"/></head>
  <docTitle><text>{TITLE}</text></docTitle>
  <navMap>{points}</navMap>
</ncx>""".encode()


def epub_files(
    version: int = 3,
    *,
    chapters: list[Chapter] | None = None,
    extra_spine: list[tuple[str, str]] | None = None,
) -> dict[str, bytes]:
    """Every file of the book except ``mimetype``, by archive path; tests edit this dict."""
    chapters = CHAPTERS if chapters is None else chapters
    files = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": _opf(version, chapters, extra_spine or []),
        "OEBPS/style.css": b"p { margin: 0 }",
        "OEBPS/text/cover.xhtml": xhtml('<div><img src="../cover.jpg" alt="Cover"/></div>'),
    }
    if version == 3:
        files["OEBPS/nav.xhtml"] = _nav(chapters)
    else:
        files["OEBPS/toc.ncx"] = _ncx(chapters)
        links = "".join(
            f'<p><a href="{escape(f)}">{escape(label)}</a></p>' for f, label, _ in chapters
        )
        files["OEBPS/text/contents.xhtml"] = xhtml(f"<h2>Contents</h2>{links}", "Contents")
    for file_name, _, body in chapters:
        files[f"OEBPS/text/{file_name}"] = xhtml(body)  # converters repeat the book's title
    return files


def build_epub3(**options: object) -> bytes:
    """The story as an EPUB 3 book with a ``nav.xhtml`` table of contents."""
    return zip_epub(epub_files(3, **options))  # type: ignore[arg-type]


def build_epub2(**options: object) -> bytes:
    """The story as an EPUB 2 book with ``toc.ncx`` and an HTML contents page in the spine."""
    return zip_epub(epub_files(2, **options))  # type: ignore[arg-type]


def big_epub(text: str, parts: int = 20) -> bytes:
    """A book of ``parts`` chapters cut from ``text`` (paragraphs split on blank lines)."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    size = max(1, len(paragraphs) // parts)
    chapters: list[Chapter] = []
    for index in range(parts):
        chunk = paragraphs[index * size : (index + 1) * size if index < parts - 1 else None]
        body = "".join(f"<p>{escape(p)}</p>" for p in chunk)
        chapters.append((f"part{index:03d}.xhtml", f"Part {index + 1}", body))
    return build_epub3(chapters=chapters)


# --- RTF ------------------------------------------------------------------------------------

# Ἀλεξάνδρα Παπαδάκη (Greek) as \uN escapes with "?" fallbacks; the wave emoji U+1F30A as a
# surrogate pair \u-10180?\u-8438? (55356 and 57098 read as signed 16-bit numbers).
GREEK_NAME = "Αλεξάνδρα Παπαδάκη"
RTF_GREEK = "".join(f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in GREEK_NAME)
RTF_TITLE = "The Night Ferry to Skarholm"
RTF_AUTHOR = "Maren Holloway"

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0\uc1"
    r"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset204 Arial Cyr;}"
    r"{\f2\fnil\fcharset2 Symbol;}}"
    r"{\colortbl;\red0\green0\blue0;\red200\green0\blue0;}"
    r"{\stylesheet{\s0\ql Normal;}{\s1\ql\outlinelevel0\b\fs32 heading 1;}"
    r"{\s2\ql\b\fs28 heading 2;}{\*\cs10 Default Paragraph Font;}{\s3 Title;}}"
    r"{\info{\title " + RTF_TITLE + r"}{\author " + RTF_AUTHOR + r"}{\operator Typist}"
    r"{\creatim\yr2024\mo3\dy1\hr9\min30}{\revtim\yr2024\mo4\dy2}}"
    r"{\*\generator Handwritten RTF 1.0;}"
    "\n"
    r"{\header \pard\plain Gullwing Press draft\par}"
    r"{\footer \pard\plain Page {\field{\*\fldinst PAGE}{\fldrslt 1}}\par}"
    "\n"
    r"\pard\plain\s1\outlinelevel0 The Night Ferry\par"
    "\n"
    r"\pard\plain\s0 The night ferry left Port Ellery at eleven, and \'93nobody\'94 aboard"
    r" knew the pilot\rquote s name.\par"
    "\n"
    r"\pard\plain\s0 {\b Captain Rosalind Achterberg} kept the log; {\i Sea Wren} was"
    r" her ship\emdash the only one still sailing for the {\b\i Northern Coastal Survey}.\par"
    "\n"
    r"\pard\plain\s0 Her first mate, " + RTF_GREEK + r", had come from Thessaloniki"
    r" with a tin of charts \u55356?\u57098? and a\~compass.\par"
    "\n"
    r"\pard\plain\s2 Cargo\par"
    "\n"
    r"\pard\plain\s0 They carried mail for Skarholm\tab and a crate for "
    r"{\f1 \'cf\'e5\'f2\'f0 \'c8\'e2\'e0\'ed\'ee\'e2}, the lighthouse keeper.{\cs16\super\chftn"
    r"{\footnote\pard\plain\s15{\super\chftn} The keeper\rquote s name is spelled two ways in"
    r" the log.}}\par"
    "\n"
    r"\trowd\cellx2000\cellx4000\pard\intbl\plain Crate\cell 12 kg\cell\row"
    r"\trowd\cellx2000\cellx4000\pard\intbl\plain Mail\cell 3 sacks\cell\row"
    "\n"
    r"\pard\plain\s0 The re\-port was filed at dawn\line by the harbour\_master"
    r' of {\field{\*\fldinst HYPERLINK "https://harbour-trust.example.org/"}'
    r"{\fldrslt the Harbour Trust}}.\par"
    r"{\pict\wmetafile8\picw100\pich100 0102030405060708090a0b0c0d0e0f}"
    "\n}"
)

RTF_EXPECTED_BLOCKS = [
    ("heading", 1, "The Night Ferry"),
    (
        "paragraph",
        0,
        "The night ferry left Port Ellery at eleven, and “nobody” aboard knew the pilot’s name.",
    ),
    (
        "paragraph",
        0,
        "Captain Rosalind Achterberg kept the log; Sea Wren was her ship—the only one still "
        "sailing for the Northern Coastal Survey.",
    ),
    (
        "paragraph",
        0,
        f"Her first mate, {GREEK_NAME}, had come from Thessaloniki with a tin of charts 🌊 "
        "and a\u00a0compass.",
    ),
    ("heading", 2, "Cargo"),
    (
        "paragraph",
        0,
        "They carried mail for Skarholm and a crate for Петр Иванов, the lighthouse keeper.[1]",
    ),
    ("paragraph", 0, "Crate | 12 kg"),
    ("paragraph", 0, "Mail | 3 sacks"),
    (
        "paragraph",
        0,
        "The report was filed at dawn by the harbour\u2011master of the Harbour Trust.",
    ),
    ("heading", 1, "Notes"),
    ("paragraph", 0, "[1] The keeper’s name is spelled two ways in the log."),
]


def build_rtf() -> bytes:
    """The RTF story as a file's bytes (pure ASCII, as Word writes it)."""
    return RTF.encode("ascii")


def big_rtf(text: str) -> bytes:
    """A large RTF made of ``text``'s paragraphs, with styling and escapes on every one."""
    out = [r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}"]
    for index, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        escaped = (
            " ".join(paragraph.split())
            .replace("\\", "\\\\")
            .replace("{", "\\{")
            .replace("}", "\\}")
        )
        escaped = "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in escaped)
        if index % 50 == 0:
            out.append(rf"\pard\plain\outlinelevel0 Part {index // 50}\par")
        out.append(rf"\pard\plain {{\b {index}.}} {{\i \'93}}{escaped}\'94\par" + "\n")
    out.append("}")
    return "".join(out).encode("ascii")
