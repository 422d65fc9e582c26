"""What the headless commands share: marking matched words, tables, JSON, progress lines.

Conventions: results on stdout, notes ("nothing found") and progress on stderr; progress only
when stderr is a terminal and bold only when stdout is one, so pipes and files stay clean.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence

from reader.filenames import has_undecodable

_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"


class Progress:
    """One status line on a terminal's stderr, rewritten in place."""

    def __init__(self) -> None:
        self.width = max(20, shutil.get_terminal_size().columns - 1)
        self.shown = False

    def show(self, text: str) -> None:
        sys.stderr.write("\r\x1b[K" + shorten(text, self.width))
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def mark(text: str, spans: Iterable[tuple[int, int]], marker: tuple[str, str]) -> str:
    """``text`` with each span wrapped in ``marker`` (bold on, bold off, or brackets)."""
    opening, closing = marker
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start < last or end <= start:
            continue
        pieces += [text[last:start], opening, text[start:end], closing]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def match_marker() -> tuple[str, str]:
    """Bold on a terminal (unless NO_COLOR is set), brackets in a pipe or a file."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return _BOLD, _PLAIN
    return "[", "]"


def terminal_width() -> int | None:
    """The width to fit tables to, or None when stdout is not a terminal."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def shorten(text: str, width: int) -> str:
    """At most ``width`` characters, cut at a word when that keeps most of it, plus "…"."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def print_line(line: str) -> None:
    """One write per line, so that Ctrl+C cannot split a line from its newline."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def print_json(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=1)
    if has_undecodable(text):  # a file name that is not UTF-8: \udcXX escapes keep it exact
        text = json.dumps(value, indent=1)
    sys.stdout.write(text + "\n")


def note(message: str) -> None:
    print(message, file=sys.stderr)
