"""Parsing XML from files researchers receive, without letting the file reach out.

External entities, DTD loading and network access are all off, so an XML file cannot read
local files or fetch anything; libxml2's own limits stop entity-expansion bombs. Every
failure is a ``DocumentError`` naming the file.
"""

from __future__ import annotations

import re

from lxml import etree

from reader.errors import DocumentError


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


_STRICT = _parser(recover=False)
_LENIENT = _parser(recover=True)

# Recovery mode accepts character references to UTF-16 surrogates (&#xD800;) and stores
# bytes lxml cannot decode: every later ``.text``, ``.get()`` or XPath on that element then
# raised UnicodeDecodeError. They stand for no character, so they become U+FFFD first.
_SURROGATE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}"
    rb"|0*(?:5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3]));"
)


def parse_xml(data: bytes, name: str, kind: str, *, recover: bool = False) -> etree._Element:
    """The root element of ``data``; ``recover`` tolerates the sloppy XHTML of some e-books."""
    if recover and b"&#" in data:
        data = _SURROGATE_REFERENCE.sub(b"&#xFFFD;", data)
    try:
        root = etree.fromstring(data, _LENIENT if recover else _STRICT)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise DocumentError(
            f"“{name}” is a damaged {kind}: part of it is not readable XML. "
            "Open the original again or ask whoever sent it for a fresh copy."
        )
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace ("p" for "{http://…}p"); "" for comments and PIs."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
