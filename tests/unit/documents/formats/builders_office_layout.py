"""Text boxes, frames and numbered lists as Word and LibreOffice write them.

The XML follows what Word 2016 and LibreOffice 7 save: a Word text box is a DrawingML shape
inside ``mc:AlternateContent`` with a VML copy of the same text as the fallback; a
LibreOffice text frame is a ``draw:frame`` holding a ``draw:text-box``, and a captioned
picture is a frame whose text box holds the picture's own frame and the caption with its
``text:sequence`` number. List numbers are never in the text: Word keeps their definitions
in ``numbering.xml``, LibreOffice in ``text:list-style`` elements.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from tests.unit.documents.formats.builders_office import W_NS, w_para, w_run

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SHAPE_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_GROUP_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _txbx_content(paragraphs: list[str]) -> str:
    return "<w:txbxContent>" + "".join(w_para(p) for p in paragraphs) + "</w:txbxContent>"


def _wps_shape(shape_id: int, paragraphs: list[str]) -> str:
    return (
        "<wps:wsp>"
        '<wps:cNvSpPr txBox="1"><a:spLocks noChangeArrowheads="1"/></wps:cNvSpPr>'
        '<wps:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="2360930" cy="1404620"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr '
        'val="FFFFFF"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/>'
        '</a:solidFill><a:miter lim="800000"/></a:ln></wps:spPr>'
        f"<wps:txbx>{_txbx_content(paragraphs)}</wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440"'
        ' bIns="45720" anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr>'
        "</wps:wsp>"
    )


def _anchor(shape_id: int, graphic_data: str) -> str:
    return (
        '<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0"'
        ' relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1"'
        ' allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>3543300</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2360930" cy="1404620"/><wp:effectExtent l="0" t="0" r="22860"'
        ' b="11430"/><wp:wrapSquare wrapText="bothSides"/>'
        f'<wp:docPr id="{shape_id}" name="Text Box {shape_id}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A}"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{_A}">{graphic_data}</a:graphic>'
        '<wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>40000</wp14:pctWidth>'
        "</wp14:sizeRelH></wp:anchor>"
    )


def _vml_box(shape_id: int, paragraphs: list[str]) -> str:
    return (
        '<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
        ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="Text Box {shape_id}" o:spid="_x0000_s10{shape_id}" type="#_x0000_t202"'
        ' style="position:absolute;margin-left:279pt;margin-top:0;width:185.9pt;height:110.6pt;'
        'z-index:251659264;mso-wrap-style:square">'
        f'<v:textbox style="mso-fit-shape-to-text:t">{_txbx_content(paragraphs)}</v:textbox>'
        '<w10:wrap type="square"/></v:shape></w:pict>'
    )


def word_text_box(paragraphs: list[str], shape_id: int = 2) -> str:
    """A run holding a floating text box, as Word 2010 and later save it.

    The same paragraphs are written twice: as a DrawingML shape (``mc:Choice``) and as a
    VML shape (``mc:Fallback``) for older readers.
    """
    shape = _wps_shape(shape_id, paragraphs)
    drawing = _anchor(shape_id, f'<a:graphicData uri="{_SHAPE_URI}">{shape}</a:graphicData>')
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        f"<w:drawing>{drawing}</w:drawing></mc:Choice>"
        f"<mc:Fallback>{_vml_box(shape_id, paragraphs)}</mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def word_shape_group(boxes: list[list[str]], shape_id: int = 10) -> str:
    """A run holding a group of shapes with text (a callout and a label, say)."""
    shapes = "".join(_wps_shape(shape_id + n, paragraphs) for n, paragraphs in enumerate(boxes))
    group = (
        f'<a:graphicData uri="{_GROUP_URI}"><wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr>'
        '<a:xfrm><a:off x="0" y="0"/><a:ext cx="4000000" cy="2000000"/><a:chOff x="0" y="0"/>'
        '<a:chExt cx="4000000" cy="2000000"/></a:xfrm></wpg:grpSpPr>'
        f"{shapes}</wpg:wgp></a:graphicData>"
    )
    fallback = "".join(_vml_box(shape_id + n, paragraphs) for n, paragraphs in enumerate(boxes))
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wpg">'
        f"<w:drawing>{_anchor(shape_id, group)}</w:drawing></mc:Choice>"
        f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def word_vml_text_box(paragraphs: list[str], shape_id: int = 3) -> str:
    """A run holding a text box as Word 2003 (and Word in compatibility mode) saves it."""
    return f"<w:r>{_vml_box(shape_id, paragraphs)}</w:r>"


# --- Word numbering ---------------------------------------------------------------------


def w_level(index: int, number_format: str, text: str, *, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{index}" w:tplc="04090011"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{number_format}"/>{extra}<w:lvlText w:val="{escape(text)}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (index + 1)}"'
        ' w:hanging="360"/></w:pPr></w:lvl>'
    )


# abstract 0: 1. / a) / i.   abstract 1: bullets   abstract 2: numbered headings "1." "1.1"
WORD_NUMBERING = (
    f'{_DECL}<w:numbering xmlns:w="{W_NS}">'
    '<w:abstractNum w:abstractNumId="0" w15:restartNumberingAfterBreak="0"'
    ' xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
    '<w:nsid w:val="1F2A3B4C"/><w:multiLevelType w:val="hybridMultilevel"/>'
    + w_level(0, "decimal", "%1.")
    + w_level(1, "lowerLetter", "%2)")
    + w_level(2, "lowerRoman", "%3.")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>'
    + w_level(0, "bullet", "\uf0b7", extra='<w:lvlPicBulletId w:val="0"/>')
    + w_level(1, "bullet", "o")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/>'
    + w_level(0, "decimal", "%1.", extra='<w:pStyle w:val="Heading1"/>')
    + w_level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="Heading2"/><w:suff w:val="space"/>')
    + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
    "</w:numbering>"
)

# Heading styles tied to abstract 2 through numId 4, as Word's "1 Heading" list gallery does.
WORD_NUMBERED_HEADING_STYLES = (
    f'{_DECL}<w:styles xmlns:w="{W_NS}">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr>'
    '<w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr>'
    '<w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    "</w:styles>"
)


def w_numbered(text: str, num_id: int, level: int = 0) -> str:
    return w_para(
        w_run(text),
        "ListParagraph",
        f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>',
    )


# --- LibreOffice frames -----------------------------------------------------------------


def lo_text_frame(content: str, name: str = "Frame1", anchor: str = "paragraph") -> str:
    """A text frame (Insert ▸ Frame); ``content`` is its paragraphs' XML."""
    return (
        f'<draw:frame draw:style-name="fr1" draw:name="{name}" text:anchor-type="{anchor}"'
        ' svg:x="9.5cm" svg:y="0.2cm" svg:width="6cm" draw:z-index="0">'
        f'<draw:text-box fo:min-height="2cm">{content}</draw:text-box></draw:frame>'
    )


def lo_captioned_image(caption: str, number: int = 1, alt_text: str = "") -> str:
    """A picture with a caption (Insert ▸ Caption), as LibreOffice 7 saves it: an outer
    frame whose text box holds the picture's frame and "Figure N: caption"."""
    image = (
        f'<draw:frame draw:style-name="fr2" draw:name="Image{number}"'
        ' text:anchor-type="paragraph" svg:width="6cm" svg:height="4cm" draw:z-index="1">'
        f'<draw:image xlink:href="Pictures/{number:032d}.png" xlink:type="simple"'
        ' xlink:show="embed" xlink:actuate="onLoad" draw:mime-type="image/png"/>'
        + (f"<svg:title>{escape(alt_text)}</svg:title>" if alt_text else "")
        + "</draw:frame>"
    )
    sequence = (
        f'<text:sequence text:ref-name="refIllustration{number - 1}" text:name="Figure"'
        f' text:formula="ooow:Figure+1" style:num-format="1">{number}</text:sequence>'
    )
    return lo_text_frame(
        f'<text:p text:style-name="Figure">{image}Figure {sequence}: {escape(caption)}</text:p>',
        name=f"Frame{number + 10}",
    )


def lo_shape_with_text(text: str) -> str:
    """A drawing shape with text typed into it (a callout)."""
    return (
        '<draw:custom-shape text:anchor-type="paragraph" draw:z-index="2" draw:name="Shape 1"'
        ' draw:style-name="gr1" svg:width="4cm" svg:height="2cm" svg:x="1cm" svg:y="1cm">'
        f'<text:p text:style-name="P9">{escape(text)}</text:p>'
        '<draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"/>'
        "</draw:custom-shape>"
    )


# --- LibreOffice numbering --------------------------------------------------------------


def lo_number_level(level: int, num_format: str, suffix: str = ".", extra: str = "") -> str:
    """A numbered level; ``extra`` adds attributes (``text:start-value="4"``)."""
    return (
        f'<text:list-level-style-number text:level="{level}" text:style-name="Numbering_20_Symbols"'
        f' style:num-suffix="{suffix}" style:num-format="{num_format}" {extra}>'
        "<style:list-level-properties text:list-level-position-and-space-mode="
        '"label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab"'
        f' fo:text-indent="-0.635cm" fo:margin-left="{1.27 * level}cm"/>'
        "</style:list-level-properties></text:list-level-style-number>"
    )


def lo_bullet_level(level: int, char: str = "•") -> str:
    return (
        f'<text:list-level-style-bullet text:level="{level}" text:style-name="Bullet_20_Symbols"'
        f' text:bullet-char="{char}"><style:list-level-properties/>'
        "</text:list-level-style-bullet>"
    )


# L1: "1." / "a)" / "i."; L2: bullets; L3: starts at 4, shows "4.1" at level 2
LO_LIST_STYLES = (
    '<text:list-style style:name="L1">'
    + lo_number_level(1, "1")
    + lo_number_level(2, "a", ")")
    + lo_number_level(3, "i")
    + "</text:list-style>"
    '<text:list-style style:name="L2">'
    + lo_bullet_level(1)
    + lo_bullet_level(2, "◦")
    + "</text:list-style>"
    '<text:list-style style:name="L3">'
    + lo_number_level(1, "1", ".", 'text:start-value="4"')
    + lo_number_level(2, "1", "", 'text:display-levels="2"')
    + "</text:list-style>"
)


def lo_item(text: str, nested: str = "", attributes: str = "") -> str:
    return (
        f'<text:list-item {attributes}><text:p text:style-name="P1">{escape(text)}</text:p>'
        f"{nested}</text:list-item>"
    )


def lo_list(items: str, style: str = "", attributes: str = "") -> str:
    name = f'text:style-name="{style}"' if style else ""
    return f"<text:list {name} {attributes}>{items}</text:list>"
