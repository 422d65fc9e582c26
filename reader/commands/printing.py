"""``reader print FILE --pdf OUT.pdf`` and ``reader export FILE --html OUT.html``.

An annotated copy from a shell, with no window and no display: the Qt platform is
"offscreen" unless the user chose another (a headless command must not fail because an X
server is missing or gone), and only a ``QGuiApplication`` is created, never widgets.

Names: when the file's text is in the library and was analysed with the current model, its
cached names are used (instant, and the same names the window shows); otherwise the model
runs on the text, and the result goes into the library's cache when a writable library
exists, so the next print is instant. Printing never adds the file to the library: a copy
on paper should not change what the library holds. Notes: the passage and article notes of
the file's library entry (found by its text, so a moved or renamed file keeps them) and the
notes on the people, places and organizations it mentions.

Exit status: 0 written; 1 an error (one line on stderr from ``cli.main``: a file that cannot
be read, an output path that cannot be written); 2 bad arguments; 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.output import Progress, print_line
from reader.documents.loader import load_document
from reader.entities.kinds import DEFAULT_VISIBLE_KINDS, KIND_ORDER, Kind, parse_kinds

if TYPE_CHECKING:
    from reader.documents.model import Document
    from reader.entities.spans import Mention
    from reader.notes.model import Note
    from reader.printing.options import PrintOptions

Common = Callable[[argparse.ArgumentParser], None]


def register(commands: argparse._SubParsersAction, common: Common) -> None:
    """Add ``print`` and ``export`` to the command parser (called by ``reader.cli``)."""
    printing = commands.add_parser(
        "print",
        help="write an annotated copy of an article as PDF",
        description=(
            "An annotated copy of FILE as a PDF: header with the source and text hash, the "
            "names highlighted, your notes as footnotes or endnotes, an index of people, "
            "places and organizations with their pages, and page numbers. Needs no display."
        ),
    )
    printing.add_argument("file", metavar="FILE", help="the article (any format reader opens)")
    printing.add_argument("--pdf", required=True, metavar="OUT.pdf", help="the PDF to write")
    printing.add_argument(
        "--page-size",
        choices=("A4", "Letter"),
        type=lambda value: {"a4": "A4", "letter": "Letter"}.get(value.lower(), value),
        help="paper size (default: Letter in the US, Canada and Mexico, A4 elsewhere)",
    )
    _shared(printing)
    common(printing)
    export = commands.add_parser(
        "export",
        help="write an annotated copy of an article as one HTML file",
        description=(
            "An annotated copy of FILE as a self-contained HTML file (no scripts, fonts, "
            "images or style sheets from elsewhere), with notes and an index of names "
            "linked to their first mention."
        ),
    )
    export.add_argument("file", metavar="FILE", help="the article (any format reader opens)")
    export.add_argument("--html", required=True, metavar="OUT.html", help="the file to write")
    _shared(export)
    common(export)


def _shared(parser: argparse.ArgumentParser) -> None:
    default = ",".join(k.value for k in KIND_ORDER if k in DEFAULT_VISIBLE_KINDS)
    parser.add_argument(
        "--kinds",
        type=kinds_argument,
        default=None,
        metavar="KINDS",
        help=f"the kinds of names to mark, comma separated (default: {default}; also: other)",
    )
    parser.add_argument(
        "--notes",
        choices=("footnotes", "endnotes", "none"),
        default="footnotes",
        help="where notes go (default: footnotes); none leaves them out",
    )
    parser.add_argument(
        "--greyscale",
        "--grayscale",
        action="store_true",
        help="no tints: thick solid, dashed and dotted underlines for black-and-white printers",
    )
    parser.add_argument("--no-index", action="store_true", help="leave out the index of names")


def kinds_argument(value: str) -> frozenset[Kind]:
    try:
        return frozenset(parse_kinds(value))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def options_from(args: argparse.Namespace) -> PrintOptions:
    from reader.printing.options import PrintOptions, default_page_size

    return PrintOptions(
        kinds=args.kinds if args.kinds is not None else DEFAULT_VISIBLE_KINDS,
        greyscale=args.greyscale,
        notes=args.notes,
        include_index=not args.no_index,
        page_size=getattr(args, "page_size", None) or default_page_size(),
    )


# -- what goes on paper ------------------------------------------------------------------------


@dataclass
class Annotations:
    mentions: list[Mention]
    notes: list[Note] = field(default_factory=list)
    entity_notes: list[Note] = field(default_factory=list)
    source: str = ""  # where the names came from, for the closing line


def annotations(document: Document, model: str | None) -> Annotations:
    """Names from the library's cache or from the model; notes from the library."""
    from reader.commands.library import _existing_store
    from reader.entities.models import analysis_key, expected_analysis_key

    if model is None:
        from reader import settings as settings_module

        model = settings_module.load().model
    with _existing_store() as store:
        if store is None:
            mentions, info = _analyse(document, model)
            return Annotations(mentions, source=_found_by(info))
        document_id = store.find_by_text_hash(document.text_hash)
        notes = store.list_notes(document_id) if document_id is not None else []
        entity_notes = store.entity_notes()
        key = expected_analysis_key(model)
        cached = store.load_analysis(document.text_hash, key) if key is not None else None
        if cached is not None:
            return Annotations(cached, notes, entity_notes, "names from the library")
        mentions, info = _analyse(document, model)
        if not store.read_only:
            store.save_analysis(document.text_hash, analysis_key(*info), mentions)
        return Annotations(mentions, notes, entity_notes, _found_by(info))


def _found_by(info: tuple[str, str]) -> str:
    return f"names found by {info[0]} {info[1]}"


def _analyse(document: Document, model: str) -> tuple[list[Mention], tuple[str, str]]:
    from reader.entities.engine import EntityEngine

    engine = EntityEngine(model)
    return engine.analyse_text(document.text), (engine.info.name, engine.info.version)


# -- the commands -------------------------------------------------------------------------------


def run_print(args: argparse.Namespace) -> int:
    from reader.printing.files import check_writable

    target = Path(args.pdf)
    check_writable(target)  # before any work: a typo in the path fails at once
    document = load_document(args.file)  # before the model: a bad file fails fast
    options = options_from(args)
    found = annotations(document, args.model)
    ensure_gui_application()
    from reader.printing import render_pdf

    progress = Progress() if sys.stderr.isatty() else None

    def show(done: int, total: int) -> None:
        if progress is not None:
            progress.show(f"Printing … {100 * done // max(total, 1)}%")

    try:
        report = render_pdf(
            document, found.mentions, found.notes, found.entity_notes, options, target, show
        )
    finally:
        if progress is not None:
            progress.done()
    pages = f"{report.pages} page{'s' if report.pages != 1 else ''}"
    print_line(f"Wrote {target}: {pages}, {options.page_size}, {found.source}.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from reader.printing.files import check_writable

    target = Path(args.html)
    check_writable(target)  # before any work: a typo in the path fails at once
    document = load_document(args.file)
    options = options_from(args)
    found = annotations(document, args.model)
    from reader.printing import render_html, write_text_atomically

    html = render_html(document, found.mentions, found.notes, found.entity_notes, options)
    write_text_atomically(target, html)
    print_line(f"Wrote {target}: {found.source}.")
    return 0


_application = None  # the command's QGuiApplication, kept alive while it runs


def ensure_gui_application() -> None:
    """A ``QGuiApplication`` on the offscreen platform: fonts and text layout, no display.

    Only when the user did not choose a platform: a DISPLAY that points at a dead X server
    (an expired ssh session) would abort the process before any error could be printed.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        global _application
        _application = QGuiApplication([sys.argv[0] if sys.argv else "reader"])
