"""The window's rough edges, as a newcomer meets them: readable selections, a library whose
search and filter agree, columns that use their room, labelled counts, a quiet welcome
page, help pages made from the menus, colour swatches."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QListWidget

from reader.entities.kinds import KIND_ORDER, Kind
from reader.notes.model import Note
from reader.settings import Settings
from reader.store import LibraryEntry
from reader.ui.dialogs import PreferencesDialog
from reader.ui.help_pages import GUIDE_COMMANDS, action_keys
from reader.ui.library_panel import LibraryPanel, ResultRow
from reader.ui.notes_browser import NotesBrowser
from reader.ui.notes_panel import NotesPanel
from tests.conftest import SAMPLES
from tests.gui.conftest import open_and_wait, show_window

SAMPLE = SAMPLES / "summit-in-geneva.md"
LONG_TITLE = "Delegates from eleven countries agree on the shared rivers of Central Asia"


def entry(number: int, title: str) -> LibraryEntry:
    return LibraryEntry(
        number,
        title,
        "Maria Keller",
        "2026-03-01",
        "example.org",
        datetime(2026, 3, 1, tzinfo=UTC),
        "",
        400,
        {Kind.PERSON: 2, Kind.PLACE: 3, Kind.ORGANIZATION: 1},
        0,
        True,
        f"{number:064x}",
    )


# -- selected rows stay readable ------------------------------------------------------------


def luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def ink(view: QListWidget, row: int, bottom_lines: int = 0) -> tuple[int, int]:
    """Pixels of a row's text lighter and darker than the row's background; with
    ``bottom_lines``, of that many text lines at the foot of the row only."""
    QApplication.processEvents()  # the list lays out its rows
    image: QImage = view.viewport().grab().toImage()
    rect: QRect = view.visualItemRect(view.item(row))
    bottom = rect.bottom()
    if row + 1 < view.count():  # a row's rectangle may reach under the next one
        bottom = min(bottom, view.visualItemRect(view.item(row + 1)).top() - 1)
    background = luminance(image.pixelColor(rect.left() + 1, rect.top() + 1))
    top = rect.top() + 1
    if bottom_lines:
        top = bottom - 4 - bottom_lines * view.fontMetrics().lineSpacing()
    lighter = darker = 0
    for y in range(top, bottom):
        for x in range(rect.left() + 1, min(rect.right(), image.width() - 1)):
            level = luminance(image.pixelColor(x, y))
            lighter += level > background + 0.15
            darker += level < background - 0.15
    return lighter, darker


def test_a_selected_search_result_is_drawn_in_the_highlighted_text_colour(qtbot) -> None:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(480, 600)
    panel.show()
    snippet = "…the Swiss diplomat <b>Claudia Brunner</b>, who spent much of the final night…"
    panel.show_results(
        "2 articles mention the person “Claudia Brunner”",
        [ResultRow(1, "Water talks in Geneva", snippet, (3, 18)) for _ in range(2)],
    )
    panel.results.setCurrentRow(0)
    selected_light, selected_dark = ink(panel.results, 0)
    plain_light, plain_dark = ink(panel.results, 1)
    # White on blue for the whole selected row, title and snippet; dark on white otherwise.
    assert selected_light > 300 and selected_dark == 0
    assert plain_dark > 300 and plain_light == 0


def test_a_selected_note_shows_its_tags_in_the_highlighted_text_colour(qtbot) -> None:
    panel = NotesPanel()
    qtbot.addWidget(panel)
    panel.resize(320, 500)
    panel.show()
    notes = [
        Note(n, "passage", 1, "Ask the ministry.", ("follow-up", "treaty"), quote="a station")
        for n in (1, 2)
    ]
    panel.set_notes(notes)
    panel.list.setCurrentRow(0)
    tags_light, tags_dark = ink(panel.list, 0, bottom_lines=1)
    assert tags_light > 100 and tags_dark == 0  # the tags are light on the selection
    panel.list.setCurrentRow(1)
    tags_light, tags_dark = ink(panel.list, 0, bottom_lines=1)
    assert tags_dark > 100 and tags_light == 0  # and grey on white when it is not


# -- the library's search and filter ----------------------------------------------------------


def listed(panel: LibraryPanel) -> list[str]:
    return [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]


def test_an_entity_query_does_not_filter_the_list_and_results_list_what_was_found(qtbot) -> None:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.set_entries([entry(1, "Water talks"), entry(2, "Harvest report"), entry(3, "Lavrov")])
    searched: list[str] = []
    panel.searchRequested.connect(searched.append)
    qtbot.keyClicks(panel.search, "person:Lavrov")
    assert len(listed(panel)) == 3  # not filtered to nothing while typing
    assert "press Enter to list those that mention “Lavrov”" in panel.count_label.text()
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert searched == ["person:Lavrov"]
    panel.show_results(
        "2 articles mention the person “Lavrov”",
        [ResultRow(1, "Water talks", "… <b>Lavrov</b> …", None), ResultRow(3, "Lavrov", "", None)],
    )
    assert sorted(listed(panel)) == ["Lavrov", "Water talks"]
    assert panel.count_label.text() == "Showing the 2 articles found of 3; ✕ shows all again."
    panel.search.setText("harvest")  # typing again filters by the words
    assert listed(panel) == ["Harvest report"]
    panel.clear_results()
    assert listed(panel) == ["Harvest report"]
    panel.search.clear()
    assert len(listed(panel)) == 3
    assert panel.count_label.text() == "3 articles in the library"


def test_the_title_column_takes_the_room_the_panel_has(qtbot) -> None:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.set_entries([entry(1, LONG_TITLE)])
    panel.resize(1500, 400)
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert used == panel.table.viewport().width()  # no blank strip at the right
    needed = panel.table.fontMetrics().horizontalAdvance(LONG_TITLE)
    assert header.sectionSize(0) > needed  # the whole title shows
    panel.resize(500, 400)  # narrow: the title keeps a useful width and the table scrolls
    qtbot.waitUntil(lambda: header.sectionSize(0) < needed)
    em = panel.fontMetrics().horizontalAdvance("M")
    assert header.sectionSize(0) == 17 * em


def test_the_note_column_takes_the_room_of_the_notes_list(qtbot) -> None:
    browser = NotesBrowser()
    qtbot.addWidget(browser)
    body = "Ask the ministry for the treaty text and the monitoring data of the last ten years."
    browser.set_notes(
        [
            Note(
                1,
                "passage",
                1,
                body,
                ("follow-up",),
                quote="a joint monitoring station",
                modified="2026-03-01T09:30:00",
            )
        ],
        {1: "Water talks in Geneva"},
    )
    browser.resize(1400, 300)
    browser.show()
    qtbot.waitExposed(browser)
    header = browser.table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert used == browser.table.viewport().width()
    assert header.sectionSize(2) > browser.table.fontMetrics().horizontalAdvance(body)
    # Tags and the date are as wide as they need to be, and no wider.
    date_width = browser.table.fontMetrics().horizontalAdvance(browser.table.item(0, 4).text())
    assert date_width < header.sectionSize(4) < date_width + 60


# -- counts that say what they count ---------------------------------------------------------


def test_the_legend_counts_names_and_the_panel_counts_mentions_and_both_say_so(
    qtbot, window
) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    legend, model = window.legend, window.panel.model
    assert legend.lead.isVisible() and legend.lead.text() == "Names:"
    assert legend.checkboxes[Kind.PERSON].text() == "People 2"
    assert "2 names, 5 mentions in this document" in legend.checkboxes[Kind.PERSON].toolTip()
    assert model.data(model.index(0, 0)) == "People · 2 names"
    assert model.data(model.index(0, 1)) == "5"
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == (
        "Mentions"
    )
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "People: 2 names, 5 mentions in this document"


def test_the_legend_lead_never_widens_a_narrow_window(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    legend = window.legend
    legend.lead.hide()
    without = legend.minimumSizeHint().width()
    legend.lead.show()
    assert legend.minimumSizeHint().width() <= without + legend.layout().spacing() + 1
    legend.resize(legend.layout().sizeHint().width() - 40, legend.height())
    assert legend.lead.isHidden()  # no room: the kinds and counts stay, the lead goes
    legend.resize(legend.layout().sizeHint().width() + 200, legend.height())
    assert not legend.lead.isHidden()


# -- the welcome page ----------------------------------------------------------------------


def test_the_welcome_page_hides_what_it_has_no_use_for(qtbot, window) -> None:
    assert window.stack.currentWidget() is window.welcome
    assert not window.legend.isVisible()
    assert not window.dock.isVisible() and not window.notes_dock.isVisible()
    open_and_wait(qtbot, window, SAMPLE)
    assert window.legend.isVisible()
    assert window.dock.isVisible()


def test_quitting_from_the_welcome_page_keeps_the_panels_for_the_next_article(
    qtbot, fake_worker
) -> None:
    first = show_window(qtbot, fake_worker)
    assert not first.dock.isVisible()
    first.close()  # saves the layout while the welcome page hides the panels
    second = show_window(qtbot, fake_worker)
    open_and_wait(qtbot, second, SAMPLE)
    assert second.dock.isVisible()
    assert second.legend.isVisible()


def test_a_dock_closed_by_hand_stays_closed(qtbot, fake_worker) -> None:
    first = show_window(qtbot, fake_worker)
    open_and_wait(qtbot, first, SAMPLE)
    first.dock.close()
    first.close()
    second = show_window(qtbot, fake_worker)
    open_and_wait(qtbot, second, SAMPLE)
    assert not second.dock.isVisible()


# -- help ---------------------------------------------------------------------------------


def test_keyboard_shortcuts_are_listed_from_the_menus(qtbot, window) -> None:
    dialog = window.help.shortcuts()
    page = dialog.browser.toPlainText()
    for keys, text in (
        ("Ctrl+O", "Open"),
        ("Ctrl+F", "Find"),
        ("Ctrl+M", "Add Note on Selection"),
        ("F3", "Next Mention or Match"),
        ("Ctrl+E", "Entities"),
        ("Ctrl+Shift+E", "Export as PDF"),
    ):
        assert f"{keys} {text}" in " ".join(page.split())  # one row: the keys, then the command
    assert "Library list: remove the selected articles" in page
    # A command added to a menu appears on the page the next time it is opened.
    go_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
    extra = QAction("Go to &Top", window)
    extra.setShortcut(QKeySequence("Ctrl+Home"))
    go_menu.addAction(extra)
    assert window.help.shortcuts() is dialog
    assert "Go to Top" in dialog.browser.toPlainText()
    dialog.close()


def test_the_guide_opens_with_f1_and_names_the_keys_the_menus_have(qtbot, window) -> None:
    keys = action_keys(window)
    assert set(GUIDE_COMMANDS) <= set(keys), set(GUIDE_COMMANDS) - set(keys)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help.dialogs["Quick Guide"]
    assert dialog.isVisible() and not dialog.isModal()
    page = dialog.browser.toPlainText()
    assert f"Find ({keys['Find…']})" in page
    assert "person:Lavrov" in page
    dialog.close()


# -- preferences ---------------------------------------------------------------------------


def test_preferences_show_colours_as_swatches_not_codes(qtbot) -> None:
    settings = Settings()
    dialog = PreferencesDialog(settings, [])
    qtbot.addWidget(dialog)
    for kind in KIND_ORDER:
        button = dialog.colour_buttons[kind]
        assert "#" not in button.text()
        image = button.icon().pixmap(button.iconSize()).toImage()
        centre = image.pixelColor(image.width() // 2, image.height() // 2 - 2)
        assert centre.name() == settings.colour(kind)
    dialog.colours[Kind.PERSON] = "#ff0000"
    dialog._paint_button(Kind.PERSON)
    button = dialog.colour_buttons[Kind.PERSON]
    image = button.icon().pixmap(button.iconSize()).toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2 - 2).name() == "#ff0000"


def test_an_article_s_own_date_shows_above_its_title(qtbot, window, tmp_path) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text(
        "Talks resume in Geneva\n\nPublished 6 January 2020\n\nDelegates met in Geneva on "
        "Monday to resume the talks.\n\nOriginal url: https://example.org/a/b\n",
        encoding="utf-8",
    )
    open_and_wait(qtbot, window, dated)
    header = window.view.document().firstBlock().text()
    assert header == "https://example.org/a/b  ·  6 January 2020"
    assert window.view.document().firstBlock().next().text() == "Talks resume in Geneva"
