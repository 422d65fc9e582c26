"""Help › Quick Guide and Help › Keyboard Shortcuts.

Both are made when opened, from the window's own actions: the shortcuts page lists every
menu command that has a key (and the keys of the panels' lists), so it can never disagree
with the menus; the guide names its keys the same way, and leaves a key out rather than
print a wrong one.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

Group = tuple[str, list[tuple[str, str]]]  # heading, [(what it does, keys)]


def plain(text: str) -> str:
    """A menu text without its mnemonic ("&Open…" -> "Open…", "&&" stays "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_of(action: QAction | QShortcut) -> str:
    sequences = action.shortcuts() if isinstance(action, QAction) else action.keys()
    texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences]
    return " or ".join(t for t in texts if t)


def _menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from _menu_actions(submenu)
        elif not action.isSeparator():
            yield action


def shortcut_groups(window: QMainWindow) -> list[Group]:
    """Each menu's commands that have keys, in menu order, then the panels' own keys."""
    groups: list[Group] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows = [(plain(a.text()), keys) for a in _menu_actions(menu) if (keys := keys_of(a))]
        if rows:
            groups.append((plain(top.text()), rows))
    # Keys that work only in one list (Delete in the library, Undo in the notes) say what
    # they do in their What's This text; those without one are not meant for this page.
    panel_rows = sorted(
        {
            (shortcut.whatsThis(), keys)
            for shortcut in window.findChildren(QShortcut)
            if shortcut.whatsThis() and (keys := keys_of(shortcut))
        }
    )
    if panel_rows:
        groups.append(("In the panels", panel_rows))
    return groups


def action_keys(window: QMainWindow) -> dict[str, str]:
    """Menu command (without "&") -> its keys."""
    return {text: keys for _menu, rows in shortcut_groups(window) for text, keys in rows}


def shortcuts_html(groups: list[Group]) -> str:
    parts = ["<h2>Keyboard shortcuts</h2>"]
    for heading, rows in groups:
        parts.append(f"<h3>{html.escape(heading)}</h3><table cellspacing='0' cellpadding='3'>")
        for text, keys in rows:
            parts.append(
                f"<tr><td width='150'><b>{html.escape(keys)}</b></td>"
                f"<td>{html.escape(text.rstrip('…'))}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


# The commands the guide names; a test checks each is still a menu command.
GUIDE_COMMANDS = (
    "Open…",
    "Import Folder…",
    "Find…",
    "Next Mention or Match",
    "Previous Mention or Match",
    "Add Note on Selection",
    "Note on Article",
    "Copy as Citation",
    "Search Library…",
    "Print…",
    "Print Preview…",
    "Export as PDF…",
    "Preferences…",
    "Entities",
    "Corrections",
    "Notes",
    "Library",
)


def guide_html(keys: dict[str, str]) -> str:
    """The short guide, with the keys the menus have now."""

    def key(command: str) -> str:
        found = keys.get(command, "")
        return f" (<b>{html.escape(found)}</b>)" if found else ""

    return f"""
<h2>reader in five minutes</h2>
<p>reader shows who, where and which organizations an article is about. Everything it
does happens on this computer.</p>

<h3>Open an article</h3>
<p>Use File › Open{key("Open…")}, drop a file on the window, or import a whole folder into
the library{key("Import Folder…")}. Text, Markdown, saved web pages, PDF, Word,
OpenDocument, EPUB and RTF files open; the text appears at once and the names are
highlighted as they are found.</p>

<h3>Read the highlights</h3>
<p>People are tinted blue with a solid underline, places orange with a dashed one,
organizations purple with a dotted one. The legend above the text counts the different
names of each kind; untick a kind to hide its highlights. Hover a name to see its kind, how
often it is mentioned and the other forms it takes ("Brunner" for "Claudia Brunner").</p>

<h3>Follow a name</h3>
<p>The entity panel{key("Entities")} lists the names with how many times each is mentioned.
Select one to mark every mention, then step through them with Next{key("Next Mention or Match")}
and Previous{key("Previous Mention or Match")}. Double-click a name to see which other
articles in your library mention it. Find{key("Find…")} searches the words of the article:
Enter and Shift+Enter step through the matches, Escape closes the bar.</p>

<h3>Correct a name</h3>
<p>Right-click a wrong highlight: <b>Not a Name</b>, another <b>Kind</b>, or <b>Same As…</b>
another name ("Lavrov" is "Sergei Lavrov"); select a name the reader missed and right-click
to mark it. A correction applies to every article in the library, or only to this one. The
Corrections panel{key("Corrections")} lists them; undo, redo, export and import them there.</p>

<h3>Take notes</h3>
<p>Select a passage and add a note{key("Add Note on Selection")}, or write one on the whole
article{key("Note on Article")}; right-click a name to write a note that follows that person,
place or organization into every article. The Notes panel{key("Notes")} lists the notes in
text order; typing is saved as you go. Copy as Citation{key("Copy as Citation")} puts the
selected quote and its source on the clipboard.</p>

<h3>Search your library</h3>
<p>The library{key("Library")} keeps every article you open or import. Type in its field to
filter the list; press Enter{key("Search Library…")} to search the full text of every article
and note. <b>person:Lavrov</b>, <b>place:Geneva</b> or <b>org:"World Bank"</b> list the
articles that mention that name.</p>

<h3>Print and share</h3>
<p>Print{key("Print…")}, Print Preview{key("Print Preview…")} and
Export as PDF{key("Export as PDF…")} make an annotated copy: the names marked, your notes
as footnotes or endnotes, and an index of the names with their pages. Export as HTML makes
one file to send to a colleague.</p>

<h3>Make it yours</h3>
<p>Preferences{key("Preferences…")} choose the colours, the reading font and the spaCy model.
Help › About says where your library, notes and settings are kept.</p>
"""


class HelpDialog(QDialog):
    """A page of help beside the window: it does not block reading."""

    def __init__(self, title: str, page: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # nothing here leads anywhere, least of all online
        self.browser.setHtml(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(52 * em, 42 * self.fontMetrics().height())

    def set_page(self, page: str) -> None:
        self.browser.setHtml(page)


class HelpPages:
    """The window's two help pages, each one dialog brought back to the front when asked."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.dialogs: dict[str, HelpDialog] = {}

    def guide(self) -> HelpDialog:
        return self._show("Quick Guide", guide_html(action_keys(self.window)))

    def shortcuts(self) -> HelpDialog:
        return self._show("Keyboard Shortcuts", shortcuts_html(shortcut_groups(self.window)))

    def _show(self, title: str, page: str) -> HelpDialog:
        dialog = self.dialogs.get(title)
        if dialog is None:
            dialog = self.dialogs[title] = HelpDialog(title, page, self.window)
        else:
            dialog.set_page(page)  # the menus may have changed since
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog
