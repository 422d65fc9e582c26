"""Preferences and About."""

from __future__ import annotations

import html
import importlib.metadata
import platform

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader import __version__, paths
from reader.entities.kinds import KIND_ORDER, Kind
from reader.entities.models import ModelInfo, choose_model
from reader.settings import DEFAULT_COLOURS, Settings
from reader.ui import reading_style
from reader.ui.legend import paint_swatch

SWATCH_SIZE = QSize(56, 18)


def colour_swatch(kind: Kind, colour: str, size: QSize) -> QPixmap:
    """A picture of a highlight in ``colour`` with ``kind``'s underline."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_swatch(painter, pixmap.rect(), kind, colour)
    painter.setPen(QColor(0, 0, 0, 60))
    painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -4))  # visible on a white button too
    painter.end()
    return pixmap


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, models: list[ModelInfo], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.model_combo = QComboBox(self)
        automatic = choose_model("", models)
        self.model_combo.addItem(f"Automatic (best installed: {automatic})", "")
        for info in models:
            note = "" if info.has_ner else " (no entity recogniser)"
            self.model_combo.addItem(f"{info.name} {info.version} [{info.lang}]{note}", info.name)
        if settings.model and self.model_combo.findData(settings.model) < 0:
            self.model_combo.addItem(f"{settings.model} (not installed)", settings.model)
        self.model_combo.setCurrentIndex(max(self.model_combo.findData(settings.model), 0))
        self.colours: dict[Kind, str] = {k: settings.colour(k) for k in KIND_ORDER}
        self.colour_buttons: dict[Kind, QPushButton] = {}
        self.font_combo = QFontComboBox(self)
        self.font_combo.setCurrentFont(QFont(reading_style.reading_family(settings.font_family)))
        self.size_spin = QSpinBox(self)
        self.size_spin.setRange(reading_style.MIN_FONT_SIZE, reading_style.MAX_FONT_SIZE)
        self.size_spin.setSuffix(" pt")
        self.size_spin.setValue(settings.font_size)
        form = QFormLayout()
        form.addRow("Entity model:", self.model_combo)
        for kind in KIND_ORDER:
            button = QPushButton(self)
            button.setStyleSheet("text-align: left; padding: 3px 8px;")
            button.clicked.connect(lambda _=False, k=kind: self._pick_colour(k))
            self.colour_buttons[kind] = button
            form.addRow(f"{kind.display_name} colour:", button)
            self._paint_button(kind)
        reset = QPushButton("Default colours", self)
        reset.clicked.connect(self._reset_colours)
        form.addRow("", reset)
        form.addRow("Reading font:", self.font_combo)
        form.addRow("Font size:", self.size_spin)
        hint = QLabel(
            "Other spaCy pipelines appear here once installed with pip "
            "(for example en_core_web_md). Changing the model analyses the open article again.",
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _pick_colour(self, kind: Kind) -> None:
        colour = QColorDialog.getColor(QColor(self.colours[kind]), self, f"{kind.display_name}")
        if colour.isValid():
            self.colours[kind] = colour.name()
            self._paint_button(kind)

    def _reset_colours(self) -> None:
        self.colours = {k: DEFAULT_COLOURS[k.value] for k in KIND_ORDER}
        for kind in KIND_ORDER:
            self._paint_button(kind)

    def _paint_button(self, kind: Kind) -> None:
        """The colour as it looks in the text (tint and underline), not as a hex code."""
        button = self.colour_buttons[kind]
        button.setIcon(QIcon(colour_swatch(kind, self.colours[kind], SWATCH_SIZE)))
        button.setIconSize(SWATCH_SIZE)
        button.setText("Choose…")
        button.setToolTip(
            f"{kind.display_name} are highlighted like this; click to choose another colour."
        )
        button.setAccessibleName(f"{kind.display_name} colour")

    def apply_to(self, settings: Settings) -> None:
        settings.model = self.model_combo.currentData() or ""
        settings.colours = {k.value: v for k, v in self.colours.items()}
        settings.font_family = self.font_combo.currentFont().family()
        settings.font_size = self.size_spin.value()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def about_text(model_description: str) -> str:
    rows = [
        ("reader", __version__),
        ("Entity model", model_description),
        ("spaCy", _version("spacy")),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", platform.python_version()),
        ("Data folder", str(paths.data_dir())),
        ("Library", str(paths.database_file())),
        ("Settings", str(paths.settings_file())),
        ("Log file", str(paths.log_file())),
    ]
    cells = "".join(
        f"<tr><td style='padding-right:12px;color:#555'>{html.escape(k)}</td>"
        f"<td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return (
        "<h3>reader</h3><p>Read articles with their people, places and organizations "
        "highlighted. Everything stays on this computer.</p>"
        f"<table>{cells}</table>"
    )


class AboutDialog(QDialog):
    def __init__(self, model_description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About reader")
        label = QLabel(about_text(model_description), self)
        label.setTextInteractionFlags(
            label.textInteractionFlags() | label.textInteractionFlags().TextSelectableByMouse
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
