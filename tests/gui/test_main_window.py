from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QToolTip

from reader import paths
from reader import settings as settings_module
from reader.entities.kinds import Kind
from reader.printing.styles import UNDERLINE_STYLES
from tests.conftest import SAMPLES
from tests.gui.conftest import format_at, open_and_wait

SAMPLE = SAMPLES / "summit-in-geneva.md"


def highlighted(fmt: QTextCharFormat) -> bool:
    brush = fmt.background()
    return brush.style() != Qt.BrushStyle.NoBrush and brush.color().alpha() > 0


def test_people_places_and_organizations_get_their_colour_and_underline(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    settings = window.settings
    for phrase, kind in (
        ("Antonio Guterres", Kind.PERSON),
        ("Tashkent", Kind.PLACE),
        ("World Bank", Kind.ORGANIZATION),
    ):
        fmt = format_at(window, phrase)
        assert fmt.background().color() == QColor(settings.colour(kind)), phrase
        assert fmt.underlineStyle() == UNDERLINE_STYLES[kind], phrase
    # Hidden by default: "Swiss" (NORP) and plain words have no highlight.
    assert not highlighted(format_at(window, "Swiss"))
    assert not highlighted(format_at(window, "Delegates"))


def test_the_title_and_source_are_shown_above_the_text(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    shown = window.view.toPlainText()
    assert shown.startswith("https://example.org/news/2026/water-talks-geneva")
    assert "Water talks in Geneva" in shown.splitlines()[1]
    assert "**" not in shown and "Original url" not in shown
    assert window.windowTitle().startswith("Water talks in Geneva")


def test_tooltip_names_kind_canonical_name_count_and_other_forms(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    text = window.document.text
    start = text.index("Brunner told")  # the lone surname: ORG by the ruler, a person here
    view = window.view
    rect = view.cursorRect(view.cursor_for_span(start + 2, start + 2))
    point = QPoint(rect.center().x(), rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(event)
    tip = QToolTip.text()
    assert "Claudia Brunner" in tip
    assert "Person" in tip
    assert "3 mentions in this document" in tip
    assert "also: Brunner" in tip


def test_legend_toggles_a_kind_instantly(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    person = QColor(window.settings.colour(Kind.PERSON))
    window.legend.checkboxes[Kind.PERSON].setChecked(False)
    assert not highlighted(format_at(window, "Antonio Guterres"))
    assert highlighted(format_at(window, "Geneva"))  # places stay
    window.legend.checkboxes[Kind.PERSON].setChecked(True)
    assert format_at(window, "Antonio Guterres").background().color() == person
    assert Kind.PERSON.value in window.settings.visible_kinds


def test_legend_shows_counts(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    assert window.legend.checkboxes[Kind.PERSON].text() == "People 2"
    assert window.legend.checkboxes[Kind.ORGANIZATION].text() == "Organizations 2"


def test_entity_panel_counts_and_mention_stepping(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    model = window.panel.model
    index = model.index_of((Kind.PERSON, "Claudia Brunner"))
    assert index.isValid()
    assert model.data(index.siblingAtColumn(1), Qt.ItemDataRole.DisplayRole) == "3"
    window.panel.table.setCurrentIndex(index)
    text = window.document.text
    starts = [i for i in range(len(text)) if text.startswith("Brunner", i)]
    first_full = text.index("Claudia Brunner")

    def selected_start() -> int:
        return window.view.position_map.from_qt(window.view.textCursor().selectionStart())

    assert selected_start() == first_full
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert selected_start() == starts[1]
    assert window.panel.position_label.text() == "2 of 3"
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert selected_start() == first_full
    window.panel.previous_button.click()  # wraps around to the last mention
    assert selected_start() == starts[-1]


def test_entity_panel_filters_and_sorts(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    panel = window.panel
    qtbot.keyClicks(panel.filter_edit, "gen")
    # Only Places holds a match: its header row, then Geneva.
    assert panel.model.rowCount() == 2
    assert panel.model.is_header(0)
    assert panel.model.data(panel.model.index(0, 0)) == "Places · 1 name"
    assert panel.model.data(panel.model.index(1, 0)) == "Geneva"
    panel.filter_edit.clear()
    panel.model.sort(0, Qt.SortOrder.AscendingOrder)
    names = panel.model.names(Kind.PERSON)
    assert names == sorted(names) and len(names) == 2
    panel.model.sort(1, Qt.SortOrder.DescendingOrder)
    assert panel.model.names(Kind.PERSON)[0] == "Claudia Brunner"  # 3 mentions before 2


def test_find_bar_finds_and_steps(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "reservoir")
    assert len(window.find_bar.matches) == 2
    assert window.find_bar.count_label.text() == "1 of 2"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.count_label.text() == "2 of 2"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_window_shows_the_text_before_analysis_ends(qtbot, window, fake_worker) -> None:
    fake_worker.hold = True
    assert window.open_path(SAMPLE)
    qtbot.wait(50)
    assert window.isVisible()
    assert "Water talks in Geneva" in window.view.toPlainText()
    assert window.progress.isVisible()
    assert not highlighted(format_at(window, "Antonio Guterres"))
    with qtbot.waitSignal(window.analysisDone, timeout=5_000):
        fake_worker.release()
    assert highlighted(format_at(window, "Antonio Guterres"))


def test_bad_files_get_a_notice_and_the_open_document_stays(qtbot, window, tmp_path) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    for bad in (tmp_path / "missing.txt", tmp_path, empty, binary):
        assert not window.open_path(bad)
        assert window.notice.isVisible()
        assert bad.name in window.notice.text()
        assert window.document.metadata.path == str(SAMPLE)
        assert "Water talks in Geneva" in window.view.toPlainText()


def test_zoom_changes_the_reading_font(qtbot, window) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    before = window.view.reading_font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.reading_font().pointSizeF() == before + 1
    assert window.view.document().defaultFont().pointSizeF() == before + 1
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.reading_font().pointSizeF() == before - 1


def test_layout_zoom_recent_files_and_last_document_are_restored(
    qtbot, window, fake_worker
) -> None:
    from reader.ui.main_window import MainWindow

    open_and_wait(qtbot, window, SAMPLE)
    window.zoom_by(2)
    # Inside the 800x800 offscreen screen (restoreGeometry clamps) and above the minimum.
    width = max(window.minimumSizeHint().width(), 780)
    assert width <= 800
    window.resize(width, 560)
    window.close()
    assert paths.settings_file().exists()
    restored = settings_module.load()
    assert restored.zoom == 2
    assert restored.last_document == str(SAMPLE)
    assert restored.recent_files[0] == str(SAMPLE)
    second = MainWindow(restored, fake_worker)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (width, 560)
    assert second.view.reading_font().pointSizeF() == restored.font_size + 2
    assert [a.text() for a in second.recent_menu.actions()] == [SAMPLE.name]


def test_a_big_file_loads_in_the_background(qtbot, window, tmp_path) -> None:
    big = tmp_path / "long-report.txt"
    paragraph = "Antonio Guterres spoke in Geneva about the World Bank and its loans. " * 8
    big.write_text("A long report\n\n" + "\n\n".join([paragraph] * 1200), encoding="utf-8")
    assert big.stat().st_size > 512 * 1024
    with qtbot.waitSignal(window.documentShown, timeout=20_000):
        assert window.open_path(big)
    with qtbot.waitSignal(window.analysisDone, timeout=20_000):
        pass
    assert window.document.metadata.path == str(big)
    assert window.windowTitle().startswith("A long report")


def test_a_big_bad_file_gets_a_notice_from_the_background(qtbot, window, tmp_path) -> None:
    open_and_wait(qtbot, window, SAMPLE)
    big = tmp_path / "archive.txt"
    big.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4000)
    assert window.open_path(big)
    qtbot.waitUntil(window.notice.isVisible, timeout=10_000)
    assert "archive.txt" in window.notice.text()
    assert window.document.metadata.path == str(SAMPLE)
