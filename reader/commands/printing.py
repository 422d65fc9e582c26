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
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.output import Progress, print_line
from reader.documents.loader import load_document
from reader.entities.kinds import DEFAULT_VISIBLE_KINDS, KIND_ORDER, Kind, parse_kinds

if TYPE_CHECKING:
    from reader.documents.model import Document
    from reader.printing.options import PrintOptions
    from reader.services.analysis_cache import Engine
    from reader.services.paper import Paper

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


def make_engine(model: str) -> Engine:
    """The spaCy engine, loaded only when the library has no names for the text."""
    from reader.entities.engine import EntityEngine

    return EntityEngine(model)


def paper_for(document: Document, model: str | None) -> Paper:
    """Names from the library's cache or from the model; notes from the library."""
    from reader.services.paper import paper_for_file

    if model is None:
        from reader import settings as settings_module

        model = settings_module.load().model
    return paper_for_file(document, model, make_engine)


# -- the commands -------------------------------------------------------------------------------


def run_print(args: argparse.Namespace) -> int:
    from reader.printing.files import check_writable

    target = Path(args.pdf)
    check_writable(target)  # before any work: a typo in the path fails at once
    document = load_document(args.file)  # before the model: a bad file fails fast
    options = options_from(args)
    found = paper_for(document, args.model)
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
    found = paper_for(document, args.model)
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
