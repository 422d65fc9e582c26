"""The menu bar: every action the window offers, with its standard or documented shortcut.

Kept apart from the window so that the list of what a researcher can do reads in one place.
Each action is also added to the window itself, so its shortcut works wherever focus is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from reader import paths
from reader.entities.kinds import KIND_ORDER, Kind

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> dict[Kind, QAction]:
    """Fill the window's menu bar; returns the per-kind highlight toggles."""
    bar = window.menuBar()

    def action(text: str, slot, shortcut=None, menu=None) -> QAction:
        item = QAction(text, window)
        if shortcut is not None:
            if isinstance(shortcut, list):
                item.setShortcuts(shortcut)
            else:
                item.setShortcut(shortcut)
        item.triggered.connect(slot)
        if menu is not None:
            menu.addAction(item)
        window.addAction(item)
        return item

    file_menu = bar.addMenu("&File")
    action("&Open…", window.choose_file, QKeySequence.StandardKey.Open, file_menu)
    window.recent_menu = file_menu.addMenu("Open &Recent")
    action(
        "Open &Sample Article",
        lambda: window.open_path(paths.sample_article()),
        None,
        file_menu,
    )
    file_menu.addSeparator()
    action("&Import Files…", window.choose_import_files, QKeySequence("Ctrl+Shift+O"), file_menu)
    action("Import &Folder…", window.choose_import_folder, QKeySequence("Ctrl+Shift+I"), file_menu)
    file_menu.addSeparator()
    action("&Export Notes…", window.notes.choose_export, None, file_menu)
    action("Import &Notes…", window.notes.choose_import, None, file_menu)
    file_menu.addSeparator()
    # ``window.printing`` is made on first use: printing is not needed to start.
    action(
        "&Print…",
        lambda: window.printing.print_document(),
        QKeySequence.StandardKey.Print,
        file_menu,
    )
    action(
        "Print Pre&view…",
        lambda: window.printing.preview_document(),
        QKeySequence("Ctrl+Shift+P"),
        file_menu,
    )
    action(
        "Export as P&DF…",
        lambda: window.printing.export_pdf(),
        QKeySequence("Ctrl+Shift+E"),
        file_menu,
    )
    action("Export as &HTML…", lambda: window.printing.export_html(), None, file_menu)
    file_menu.addSeparator()
    # Ctrl+Q itself: the platform's standard Quit key is empty on some (Windows, offscreen).
    action("&Quit", window.close, QKeySequence("Ctrl+Q"), file_menu)

    edit_menu = bar.addMenu("&Edit")
    action("&Find…", window.find_bar.open_bar, QKeySequence.StandardKey.Find, edit_menu)
    action("&Search Library…", window.focus_library_search, QKeySequence("Ctrl+Shift+F"), edit_menu)
    edit_menu.addSeparator()
    action(
        "Add &Note on Selection", window.notes.add_passage_note, QKeySequence("Ctrl+M"), edit_menu
    )
    action(
        "Note on &Article", window.notes.add_document_note, QKeySequence("Ctrl+Shift+M"), edit_menu
    )
    action("Copy as &Citation", window.notes.copy_citation, QKeySequence("Ctrl+Shift+C"), edit_menu)
    edit_menu.addSeparator()
    action("&Preferences…", window.show_preferences, QKeySequence("Ctrl+,"), edit_menu)

    view_menu = bar.addMenu("&View")
    action(
        "Zoom &In",
        lambda: window.zoom_by(1),
        [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")],
        view_menu,
    )
    action("Zoom &Out", lambda: window.zoom_by(-1), QKeySequence.StandardKey.ZoomOut, view_menu)
    action("&Actual Size", window.reset_zoom, QKeySequence("Ctrl+0"), view_menu)
    view_menu.addSeparator()
    kind_actions: dict[Kind, QAction] = {}
    for number, kind in enumerate(KIND_ORDER, start=1):
        toggle = action(
            f"Highlight {kind.display_name}",
            window._kind_action_toggled,
            QKeySequence(f"Ctrl+{number}"),
            view_menu,
        )
        toggle.setCheckable(True)
        toggle.setChecked(kind in window.settings.visible)
        kind_actions[kind] = toggle
    view_menu.addSeparator()
    for dock, shortcut in (
        (window.dock, "Ctrl+E"),
        (window.notes_dock, "Ctrl+Shift+N"),
        (window.library_dock, "Ctrl+L"),
    ):
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(shortcut))
        view_menu.addAction(toggle)
    # The Corrections panel shares its place with the entity and notes panels: its shortcut
    # brings it to the front with the focus in its list, and hides it only from there.
    corrections = action(
        "&Corrections", window.toggle_corrections_panel, QKeySequence("Ctrl+Shift+R"), view_menu
    )
    corrections.setCheckable(True)
    corrections.setChecked(window.corrections_dock.isVisible())
    window.corrections_dock.visibilityChanged.connect(
        lambda _visible: corrections.setChecked(not window.corrections_dock.isHidden())
    )
    window.corrections_action = corrections

    go_menu = bar.addMenu("&Go")
    action("&Beginning of Article", window.view.go_to_start, QKeySequence("Ctrl+Home"), go_menu)
    action("&End of Article", window.view.go_to_end, QKeySequence("Ctrl+End"), go_menu)
    go_menu.addSeparator()
    action("&Next Mention or Match", lambda: window.step(1), QKeySequence("F3"), go_menu)
    action("&Previous Mention or Match", lambda: window.step(-1), QKeySequence("Shift+F3"), go_menu)

    help_menu = bar.addMenu("&Help")
    action("&Quick Guide", window.help.guide, QKeySequence.StandardKey.HelpContents, help_menu)
    action("&Keyboard Shortcuts", window.help.shortcuts, QKeySequence("Ctrl+/"), help_menu)
    help_menu.addSeparator()
    action("&About reader", window.show_about, None, help_menu)
    return kind_actions
