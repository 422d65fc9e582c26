"""``reader text``, ``reader info`` and ``reader entities``: what the reader sees in a file."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any

from reader.commands.output import print_json, table
from reader.documents.loader import FORMATS, load_document
from reader.documents.model import Document
from reader.entities.spans import Mention

_FORMAT_NAMES = {f.key: f.label for f in FORMATS}
_FORMAT_NAMES.update(
    text="plain text",
    html="web page",
    mhtml="web archive (MHTML)",
    docx="Word document",
    odt="OpenDocument text",
    epub="EPUB e-book",
    rtf="RTF document",
)
_BLOCK_NAMES = {
    "title": ("title", "titles"),
    "heading": ("heading", "headings"),
    "paragraph": ("paragraph", "paragraphs"),
    "list_item": ("list item", "list items"),
    "quote": ("quotation", "quotations"),
}


def run_text(args: argparse.Namespace) -> int:
    """The canonical text, exactly as entities, notes and search see it."""
    document = load_document(args.file)
    sys.stdout.write(document.text)
    if document.text and not document.text.endswith("\n"):
        sys.stdout.write("\n")
    return 0


def run_info(args: argparse.Namespace) -> int:
    document = load_document(args.file)
    info = document_info(document)
    if args.json:
        print_json(info)
    else:
        sys.stdout.write(format_info(info))
    return 0


def document_info(document: Document) -> dict[str, Any]:
    meta = document.metadata
    kinds: Counter[str] = Counter(block.kind for block in document.blocks)
    pages = meta.page_count or len({b.page for b in document.blocks if b.page is not None})
    return {
        "path": meta.path,
        "format": meta.format,
        "title": meta.title,
        "author": meta.author,
        "date": meta.date,
        "source_url": meta.source_url,
        "site_name": meta.site_name,
        "encoding": meta.encoding,
        "pages": pages,
        "blocks": len(document.blocks),
        "block_kinds": {k: kinds[k] for k in _BLOCK_NAMES if k in kinds},
        "words": document.word_count,
        "characters": len(document.text),
        "text_sha256": document.text_hash,
        "file_sha256": meta.file_hash,
        "notice": meta.notice,
    }


def format_info(info: dict[str, Any]) -> str:
    kinds = ", ".join(
        f"{count:,} {_BLOCK_NAMES.get(kind, (kind, kind))[count != 1]}"
        for kind, count in info["block_kinds"].items()
    )
    rows = [
        ("File", info["path"]),
        ("Format", _FORMAT_NAMES.get(info["format"], info["format"])),
        ("Title", info["title"]),
        ("Author", info["author"]),
        ("Date", info["date"]),
        ("Site", info["site_name"]),
        ("Source", info["source_url"]),
        ("Encoding", info["encoding"]),
        ("Pages", f"{info['pages']:,}" if info["pages"] else ""),
        ("Blocks", f"{info['blocks']:,} ({kinds})" if kinds else "0"),
        ("Words", f"{info['words']:,}"),
        ("Characters", f"{info['characters']:,}"),
        ("Text SHA-256", info["text_sha256"]),
        ("File SHA-256", info["file_sha256"]),
        ("Note", info["notice"]),
    ]
    width = max(len(label) for label, _ in rows)
    return "".join(f"{label.ljust(width)}  {value}\n" for label, value in rows if value)


def run_entities(args: argparse.Namespace) -> int:
    """The names in a file, after the library's corrections. The library's cached names are
    used when it has them for this model (the command never writes to the library)."""
    from reader.entities.kinds import DEFAULT_VISIBLE_KINDS
    from reader.services import analysis_cache, corrections
    from reader.services.library import existing_store

    document = load_document(args.file)  # before the model: a bad file fails fast
    model = args.model
    if model is None:
        from reader import settings as settings_module

        model = settings_module.load().model
    with existing_store() as store:
        cached = analysis_cache.cached_names(store, document, model)
        corrector = corrections.load(store)
    if cached is None:
        from reader.entities.engine import EntityEngine

        cached = EntityEngine(model).analyse_text(document.text)
    mentions = corrector.names(cached, document)
    if not args.all_kinds:
        mentions = [m for m in mentions if m.kind in DEFAULT_VISIBLE_KINDS]
    if args.json:
        print_json([m.to_json() for m in mentions])
    else:
        sys.stdout.write(format_table(mentions))
    return 0


def format_table(mentions: list[Mention]) -> str:
    header = ("START", "END", "KIND", "LABEL", "TEXT", "CANONICAL")
    rows = [
        (
            str(m.start),
            str(m.end),
            m.kind.value,
            m.label,
            m.text,
            m.canonical if m.canonical != m.text else "",
        )
        for m in mentions
    ]
    return table(header, rows, right={0, 1})
