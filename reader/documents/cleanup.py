"""Text clean-up shared by the plain text and Markdown parsers.

Both formats arrive as saved articles with the same habits: Windows or old Mac line ends,
ragged spacing, a trailing "Source: https://…" line added by a clipping tool, a "By Jane
Doe" byline. Keeping the rules here means both parsers treat them identically.
"""

from __future__ import annotations

import re

# Line and paragraph separators other than "\n": turned into "\n" / "\n\n" so that no
# block ends up containing a character a text widget would draw as a line break.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x85": "\n", "\u2028": "\n"})
_PARAGRAPH_BREAKS = str.maketrans({"\x0c": "\n\n", "\u2029": "\n\n"})
_RARE_BREAK_CHARS = "\x0b\x0c\x85\u2028\u2029"

_SPACE_RUN = re.compile(r"[ \t]+")

_URL = r"(?:https?://|www\.)[^\s<>()\[\]]+(?:\([^\s<>()]*\)[^\s<>()\[\]]*)*"
_LABEL = (
    r"(?:original(?:ly)?\s+(?:url|link|source|article)"
    r"|source(?:\s+url)?|url|link|canonical(?:\s+url)?|permalink"
    r"|originally\s+(?:published|posted|appeared)\s+(?:at|on|in)"
    r"|retrieved\s+from|read\s+(?:it|more)\s+(?:at|on)|via)"
)
# The URL alone, in <angle brackets>, or as a Markdown link [text](url); optional emphasis
# markers (*, _) around the whole line because Markdown clippers often italicise it.
_SOURCE_LINE = re.compile(
    rf"""^[*_\s]*
    (?:{_LABEL}\s*:?\s*)?
    (?:<(?P<angle>{_URL})>|\[[^\]]*\]\((?P<link>{_URL})\)|(?P<bare>{_URL}))
    [*_\s.,;]*$""",
    re.IGNORECASE | re.VERBOSE,
)

_MAX_SOURCE_LINE = 2048  # a longer last line is prose; also bounds the regex's work

_BYLINE = re.compile(r"^(?:by|author|written\s+by)\s*:?\s+(?P<name>\S.{0,79})$", re.IGNORECASE)

# Lower-case words that belong inside names and lists of names ("Ludwig van Beethoven").
_NAME_PARTICLES = frozenset(
    {"and", "da", "de", "del", "della", "der", "di", "du", "el", "ibn", "la", "le", "van"}
    | {"von", "wa", "y"}
)

FALLBACK_TITLE_CHARS = 80


def normalise_newlines(text: str) -> str:
    """Return ``text`` with "\\n" line ends only and no leading BOM."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # translate() is slow on a book and most texts need none; `in` scans are the fastest check
    # (a regex scan of 3 MB holds the interpreter lock long enough to stall the GUI thread).
    if any(ch in text for ch in _RARE_BREAK_CHARS):
        text = text.translate(_LINE_BREAKS).translate(_PARAGRAPH_BREAKS)
    return text


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces and tabs to one space and strip the ends.

    NBSP inside the text is kept: it binds "Mr.\\u00a0Smith" or "10\\u00a0km" on purpose.
    """
    return _SPACE_RUN.sub(" ", text).strip()


def split_source_line(text: str) -> tuple[str, str]:
    """Remove a trailing source-URL line, returning ``(text without it, url)``.

    Clipping tools append "Original url: https://…" to saved articles. It is metadata, not
    prose: left in, the NER model reads the URL as an organisation and notes anchor to it.
    The line is kept when nothing else would remain, so a file holding only a URL still
    opens. ``text`` must already have "\\n" line ends.
    """
    # Only the last line matters: found from the end, so a book is never split into lines.
    end = len(text)
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return text, ""
    start = text.rfind("\n", 0, end) + 1
    line = text[start:end].strip()
    match = _SOURCE_LINE.match(line) if len(line) <= _MAX_SOURCE_LINE else None
    if match is None:
        return text, ""
    remaining = text[: max(0, start - 1)].rstrip()
    if not remaining:
        return text, ""
    url = match.group("angle") or match.group("link") or match.group("bare")
    return remaining, url.rstrip(".,;")


def byline_author(line: str) -> str:
    """The name in a byline such as "By Jane Doe", or "" when ``line`` is not a byline.

    Rejects sentences that merely start with "By" ("By the time we arrived, …") by asking
    for a capitalised name and no sentence-ending punctuation.
    """
    match = _BYLINE.match(line.strip())
    if match is None:
        return ""
    name = match.group("name").strip()
    if not name[0].isupper() or name[-1] in "!?,;:" or name.endswith(".."):
        return ""
    # "By Jane Doe." ends a sentence; "By J. R. R. Tolkien" ends with a name.
    if name.endswith(".") and not re.search(r"\b\w\.$", name):
        return ""
    # "Maria Keller, Geneva correspondent": the role after the comma is not the author.
    parts = name.split(",")
    kept = [parts[0]]
    for part in parts[1:]:
        if any(w[0].islower() and w not in _NAME_PARTICLES for w in part.split()):
            break
        kept.append(part)
    return ",".join(kept).strip()


def fallback_title(text: str) -> str:
    """A title for a document that has none: its first line, cut at a word boundary."""
    start = 0
    while start <= len(text):  # line by line: a book is never split whole for its title
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = collapse_spaces(text[start:end])
        if line:
            break
        start = end + 1
    else:
        return ""
    if len(line) <= FALLBACK_TITLE_CHARS:
        return line
    cut = line[:FALLBACK_TITLE_CHARS]
    if " " in cut[FALLBACK_TITLE_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
