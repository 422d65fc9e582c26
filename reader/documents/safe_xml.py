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
    parser = _LENIENT if recover else _STRICT
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if _entity_bomb(parser):
        # Recovery would quietly keep what came before the bomb: a book "without text".
        raise DocumentError(
            f"“{name}” declares XML entities that would expand to an enormous text (an "
            f"“entity bomb”), which no honest {kind} contains; reader does not open it."
        )
    if root is None:
        raise DocumentError(
            f"“{name}” is a damaged {kind}: part of it is not readable XML. "
            "Open the original again or ask whoever sent it for a fresh copy."
        )
    if not recover:  # e-books map HTML's named entities themselves (epub_content.py)
        _drop_entity_references(root)
    return root


def _entity_bomb(parser: etree.XMLParser) -> bool:
    return any(
        error.type_name == "ERR_RESOURCE_LIMIT"
        or "amplification" in error.message
        or "entity reference loop" in error.message.lower()
        for error in parser.error_log
    )


def _drop_entity_references(root: etree._Element) -> None:
    """Entities are never resolved (that is how a file would read local files), so a
    reference stays in the tree as a node that readers walking ``.text`` do not see, and
    the text after it (its ``tail``) was lost with it. Drop the reference, keep the text."""
    for reference in list(root.iter(etree.Entity)):
        parent = reference.getparent()
        if parent is None:
            continue
        tail = reference.tail or ""
        previous = reference.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(reference)


def local_name(element: etree._Element) -> str:
    """The tag without its namespace ("p" for "{http://…}p"); "" for comments and PIs."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def local_attribute(element: etree._Element | None, name: str = "val") -> str | None:
    """An attribute by its local name, whatever its namespace (w:val in Transitional and in
    Strict Open XML alike); None when absent or when there is no element."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if key.rpartition("}")[2] == name:
            return value
    return None
