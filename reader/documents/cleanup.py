"""Text clean-up shared by the plain text and Markdown parsers.

Both formats arrive as saved articles with the same habits: Windows or old Mac line ends,
ragged spacing, a trailing "Source: https://…" line added by a clipping tool, a "By Jane
Doe" byline. Keeping the rules here means both parsers treat them identically.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

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
WRAPPED_TITLE_CHARS = 40  # a first line that a longer paragraph continues
DATE_LINE_SEARCH_LINES = 6  # a date line is looked for among the first lines only

# Values producing programs write when they have none: a Perl array or hash printed as is
# ("ARRAY(0x2c7cf020)"), a Python object's repr, placeholders.
_NONSENSE = re.compile(
    r"(?:ARRAY|HASH|SCALAR|CODE|GLOB|REF)\(0x[0-9a-f]+\)|<[^<>]* at 0x[0-9a-f]+>"
    r"|none|null|nil|undefined|unknown|untitled|\(?anonymous\)?|n/?a",
    re.IGNORECASE,
)


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


def fallback_title(text: str, path: str = "") -> str:
    """A title for a document that has none: its first line if short, else the file's name.

    A first sentence cut at 80 characters reads as a title broken mid-phrase; the name the
    researcher gave the file is the better label. A first line that is a whole paragraph is
    used up to 80 characters; one wrapped into a longer paragraph only when it is short enough
    to be a heading of its own. Without a path the first line is cut at a word boundary.
    """
    lines = line_spans(text)  # line by line: a book is never split whole for its title
    first = next(((start, line) for start, line in lines if line.strip()), None)
    if first is None:
        return ""
    following = next(lines, None)
    line = collapse_spaces(first[1])
    whole_paragraph = following is None or not following[1].strip()
    limit = FALLBACK_TITLE_CHARS if whole_paragraph else WRAPPED_TITLE_CHARS
    if len(line) <= limit:
        return line
    name = _file_title(path)
    if name:
        return name
    cut = line[:FALLBACK_TITLE_CHARS]
    if " " in cut[FALLBACK_TITLE_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def _file_title(path: str) -> str:
    """The file's name without its suffix ("summit-notes.txt" -> "summit-notes")."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return collapse_spaces(stem)


def split_date_line(text: str) -> tuple[str, str]:
    """Remove a line near the top that holds only the article's date: ``(text, iso date)``.

    Saved articles often carry "Published 6 January 2020" or "Monday, 6 January 2020 14:03"
    under the title. It is metadata: shown above the title and in printed headers, not read
    as prose. A published date wins over an "Updated" one; only the first lines are looked at,
    so a date inside the article is never taken. ``text`` must have "\\n" line ends.
    """
    found: list[tuple[int, int, str, bool]] = []  # line start, end, date, is an update
    seen = 0
    for start, line in line_spans(text):
        if not line.strip():
            continue
        seen += 1
        if seen > DATE_LINE_SEARCH_LINES:
            break
        parsed = parse_date_line(line)
        if parsed is not None:
            found.append((start, start + len(line) + 1, *parsed))
    if not found:
        return text, ""
    published = [entry for entry in found if not entry[3]]
    chosen = (published or found)[0][2]
    pieces, position = [], 0
    for start, end, _date, _update in found:
        pieces.append(text[position:start])
        position = end
    remaining = "".join(pieces) + text[position:]
    if not remaining.strip():
        return text, ""
    return remaining, chosen


def line_spans(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` from the top, found one at a time: a book is never split whole.

    The lines ``text.split("\\n")`` gives, less the empty one after a final "\\n"."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        start = end + 1


def parse_date_line(line: str) -> tuple[str, bool] | None:
    """``(ISO date, is an update)`` when ``line`` is only a date, else None."""
    line = line.strip().strip("*_").strip()
    if len(line) > 80:
        return None
    match = _DATE_LINE.match(line)
    if match is None:
        return None
    year = int(match.group("year") or match.group("year2") or match.group("iso_year"))
    if match.group("iso_year"):
        month, day = int(match.group("iso_month")), int(match.group("iso_day"))
    else:
        month = _MONTHS[(match.group("month") or match.group("month2"))[:3].lower()]
        day = int(match.group("day") or match.group("day2"))
    try:
        date = datetime.date(year, month, day)
    except ValueError:  # "31 February 2020"
        return None
    label = (match.group("label") or "").lower()
    return date.isoformat(), label.startswith(("updated", "last", "modified"))


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_DATE_LINE = re.compile(
    rf"""^(?:(?P<label>published|posted|updated|last\s+updated|modified|date|dated)
         (?:\s+on)?\s*:?\s+)?
    (?:{_WEEKDAY}\s+)?
    (?:(?P<iso_year>\d{{4}})-(?P<iso_month>\d{{2}})-(?P<iso_day>\d{{2}})(?:[T\s][\d:.]+Z?)?
      |(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})
      |(?P<month2>{_MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}}))
    (?:,?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}}|\s*[+-]\d{{2}}:?\d{{2}})?)?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: str | None) -> str:
    """ "2024-03-05T10:00:00Z" as "2024-03-05"; "" when the value does not start with such
    a date (document properties, schema.org data and meta tags write it so)."""
    match = _ISO_DAY.match((value or "").strip())
    return match.group(0) if match else ""


def meaningful(value: str) -> str:
    """``value``, or "" when it is a placeholder or a program's debris, not a real name.

    An author "ARRAY(0x2c7cf020)" (a Perl script printed a list) or a title "untitled"
    would be shown in the header of every printout and in the library as if it were true.
    """
    value = value.strip()
    if not any(c.isalnum() for c in value) or _NONSENSE.fullmatch(value):
        return ""
    return value
