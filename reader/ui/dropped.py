"""What a drop on the window holds: files, folders, or a piece of text from another program.

A drag from a file manager carries local file URLs; one from a browser or an editor carries
the selected HTML and plain text, sometimes with the page's URL and title on the side. This
module turns a ``QMimeData`` into ``DroppedItems`` and leaves deciding what to do with them
(open one file, import many, import and open a text) to the window.

Nothing is ever fetched. A drag that carries only a link (someone dragged a link or an
image out of a browser) is not an article: ``read_mime`` answers with a sentence saying how
to bring the article in instead.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl

from reader.documents.loader import MAX_FILE_BYTES, SUPPORTED_SUFFIXES
from reader.documents.model import Document, Metadata
from reader.documents.plaintext import parse_plain_text
from reader.errors import DocumentError

log = logging.getLogger(__name__)

MAX_IMPORT_FILES = 100_000
"""Files one drop may import: a dropped home folder must not queue millions of files."""

MOZ_URL = "text/x-moz-url"  # Firefox and Chromium: "url\ntitle" in UTF-16
MOZ_URL_PRIV = "text/x-moz-url-priv"  # Firefox: the page a dragged selection came from

LINK_ONLY_MESSAGE = (
    "You dropped a link, and reader never downloads pages. To import the article, select "
    "its text in the browser and drag the selection here, or save the page (Ctrl+S) and "
    "drop the saved file."
)
NO_TEXT_MESSAGE = (
    "The dropped selection contains no text reader can show (it may be only pictures); "
    "select the article's text and drag it here again."
)
TOO_LONG_MESSAGE = (
    "The dropped text is too long to import from a drag; save it to a file and drop the file."
)

_SOURCE_SCHEMES = ("http", "https")
# A line that is a link and nothing else: what browsers put in text/plain for a dragged link.
_URL_LINE = re.compile(r"^<?(?:[a-z][a-z0-9+.-]*://|www\.|doi:|mailto:)\S+>?$", re.IGNORECASE)
# Office's lock files ("~$report.docx") sit beside the document while it is open.
_LOCK_FILE_PREFIX = "~$"


@dataclass(slots=True)
class DroppedItems:
    """The usable part of a drop.

    Local files win over text: a file manager's drag also carries the paths as text, which
    must not become an article. When ``files``, ``folders`` and ``content`` are all empty,
    ``message`` says why nothing was taken (a link-only drag).
    """

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    content: Document | None = None
    message: str = ""

    @property
    def single_file(self) -> Path | None:
        """The file to open directly, when the drop is exactly one file and no folder."""
        return self.files[0] if len(self.files) == 1 and not self.folders else None


class CollectedFiles(list[Path]):
    """The files to import, in order, remembering whether the limit cut the list short."""

    def __init__(
        self,
        paths: Iterable[Path] = (),
        *,
        limit: int = MAX_IMPORT_FILES,
        limit_reached: bool = False,
        unreadable_folders: int = 0,
    ) -> None:
        super().__init__(paths)
        self.limit = limit
        self.limit_reached = limit_reached
        self.unreadable_folders = unreadable_folders

    @property
    def notice(self) -> str:
        """Sentences for the import summary about files that were left out; "" when none."""
        parts = []
        if self.limit_reached:
            parts.append(
                f"The dropped folders hold more than {self.limit:,} files, the most one import "
                "takes, so the rest were left out; import the remaining folders separately."
            )
        if self.unreadable_folders == 1:
            parts.append(
                "One folder could not be read (you may lack permission), so its files were skipped."
            )
        elif self.unreadable_folders:
            parts.append(
                f"{self.unreadable_folders:,} folders could not be read (you may lack "
                "permission), so their files were skipped."
            )
        return " ".join(parts)


def can_accept(mime: QMimeData) -> bool:
    """Whether a drag is worth accepting: cheap, because dragEnterEvent must answer at once.

    Link-only drags are accepted too, so that the drop can explain why nothing was fetched
    rather than showing a "forbidden" cursor with no reason.
    """
    if mime.hasUrls() and mime.urls():
        return True
    if mime.hasHtml() and mime.html().strip():
        return True
    return mime.hasText() and bool(mime.text().strip())


def read_mime(mime: QMimeData) -> DroppedItems | None:
    """The files, folders or text of a drop; None when it holds nothing reader can use."""
    local = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if local:
        items = DroppedItems()
        for path in local:
            (items.folders if path.is_dir() else items.files).append(path)
        return items

    source_url, title = _source_of(mime)
    text = mime.text() if mime.hasText() else ""
    html = mime.html() if mime.hasHtml() else ""
    if max(len(html), len(text)) > MAX_FILE_BYTES:
        return DroppedItems(message=TOO_LONG_MESSAGE)
    # A dragged link or image: the text is the bare URL, the HTML at most <a>…</a>.
    text_is_link = bool(text.strip()) and _is_only_urls(text)
    html_is_link = bool(html.strip()) and _html_is_only_links(html)
    if text_is_link:
        source_url = source_url or _first_url(text)
        text = ""
    if html_is_link:
        html = ""
    if not html.strip() and not text.strip():
        links = text_is_link or html_is_link or any(not u.isLocalFile() for u in mime.urls())
        return DroppedItems(message=LINK_ONLY_MESSAGE) if links else None

    metadata = Metadata(title=title, source_url=source_url)
    document = _parse_html(html, metadata) if html.strip() else None
    if document is None and text.strip():
        document = parse_plain_text(text, metadata)
        if not document.text.strip():
            document = None
    if document is None:
        return DroppedItems(message=NO_TEXT_MESSAGE) if (html.strip() or text.strip()) else None
    return DroppedItems(content=document)


def collect_files(
    files: Iterable[Path], folders: Iterable[Path], *, limit: int = MAX_IMPORT_FILES
) -> CollectedFiles:
    """The files a drop imports: sorted, each once, at most ``limit``.

    Dropped files are always tried, whatever their name: the researcher chose them, and a
    file that cannot be read gets a message saying why. Inside folders only files with a
    suffix reader opens are taken, and hidden files and folders (".git", ".DS_Store",
    "~$" lock files) are skipped, because a folder of articles usually holds other things
    too. Symbolic links to folders are not followed, so a link back up cannot loop forever.
    """
    chosen: dict[str, Path] = {}
    limit_reached = False

    def add(path: Path) -> bool:
        """Record ``path``; False once one more than ``limit`` is known to exist."""
        nonlocal limit_reached
        key = os.path.normcase(os.path.abspath(path))
        if key not in chosen:
            if len(chosen) >= limit:
                limit_reached = True
                return False
            chosen[key] = Path(os.path.abspath(path))
        return True

    for path in files:
        if not add(path):
            break
    unreadable = 0

    def count_unreadable(error: OSError) -> None:
        nonlocal unreadable
        unreadable += 1
        log.info("Import: skipping a folder that cannot be read: %s", error)

    for folder in [] if limit_reached else folders:
        for top, dirnames, filenames in os.walk(folder, onerror=count_unreadable):
            dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
            for name in sorted(filenames):
                if _is_hidden(name) or not name.lower().endswith(SUPPORTED_SUFFIXES):
                    continue
                if not add(Path(top, name)):
                    break
            if limit_reached:
                break
        if limit_reached:
            break
    return CollectedFiles(
        sorted(chosen.values()),
        limit=limit,
        limit_reached=limit_reached,
        unreadable_folders=unreadable,
    )


def _is_hidden(name: str) -> bool:
    return name.startswith((".", _LOCK_FILE_PREFIX))


def _is_only_urls(text: str) -> bool:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return bool(lines) and all(_URL_LINE.match(line) for line in lines)


def _first_url(text: str) -> str:
    first = text.strip().splitlines()[0].strip().strip("<>")
    return _web_url(QUrl(first))


def _web_url(url: QUrl) -> str:
    """``url`` as text when it is a web address worth keeping as a source, else ""."""
    if url.isValid() and url.scheme().lower() in _SOURCE_SCHEMES:
        return url.toString()
    return ""


def _source_of(mime: QMimeData) -> tuple[str, str]:
    """The page URL and title a drag carries beside its text, if any: ``(url, title)``."""
    url = next((u for u in (_web_url(u) for u in mime.urls()) if u), "")
    title = ""
    for fmt in (MOZ_URL, MOZ_URL_PRIV):
        if not mime.hasFormat(fmt):
            continue
        lines = _decode_moz_url(bytes(mime.data(fmt).data())).split("\n")
        found = _web_url(QUrl(lines[0].strip()))
        if found and not url:
            url = found
            if fmt == MOZ_URL and len(lines) > 1:
                title = " ".join(lines[1].split())
    return url, title


def _decode_moz_url(data: bytes) -> str:
    """Firefox writes UTF-16 in the machine's byte order; a few programs write UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data and len(data) % 2 == 0:
        order = "utf-16-be" if data[0] == 0 else "utf-16-le"
        text = data.decode(order, errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").strip("\x00 \n")


def _parse_html(html: str, metadata: Metadata) -> Document | None:
    """The dropped HTML as an article, or None when it has no text (the caller tries text)."""
    # Imported here: the HTML reader pulls in trafilatura, which costs start-up time.
    from reader.documents.formats.html import parse_html

    try:
        document = parse_html(html, replace(metadata, format="html"))
    except DocumentError:
        return None
    return document if document.text.strip() else None


def _html_is_only_links(html: str) -> bool:
    """True when the HTML is nothing but links and images, as in a dragged link."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return False
    for element in list(root.iter("a", "img", "script", "style", "head", "title")):
        if element.getparent() is not None:
            element.drop_tree()
    return not root.text_content().strip()
