"""Annotated copies on paper, as PDF and as HTML: QtGui and QtPrintSupport only, no widgets.

``render_pdf`` and ``render_html`` are what the command line and the window call;
``print_document`` paints the same pages onto a printer or a print preview.
"""

from __future__ import annotations

from reader.printing.files import PrintError, write_text_atomically
from reader.printing.html_export import render_html
from reader.printing.options import PrintOptions, default_page_size
from reader.printing.painting import PrintReport, print_document, render_pdf

__all__ = [
    "PrintError",
    "PrintOptions",
    "PrintReport",
    "default_page_size",
    "print_document",
    "render_html",
    "render_pdf",
    "write_text_atomically",
]
