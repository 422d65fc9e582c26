"""The legend: a checkbox per kind, in its colour and underline, with a count.

Its width never changes with the counts. They grow while a book is analysed, and a wider
legend made the window narrow the side panels, which re-wrapped the text under the
reader's eyes. So the legend asks for a fixed minimum width, and when its full labels do not
fit in the room it has, it uses short ones ("Orgs", "Other"). The lead ("Names:") shows only
where it fits beside them.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from reader.entities.appearance import UNDERLINE_COLOURS, UNDERLINE_NAMES
from reader.entities.kinds import KIND_ORDER, LABEL_DESCRIPTIONS, Kind
from reader.entities.spans import Entity
from reader.printing.styles import UNDERLINE_STYLES

SHORT_NAMES = {Kind.ORGANIZATION: "Orgs", Kind.OTHER: "Other"}
MANY = "10k+"  # shown for ten thousand names or more, as narrow as "9,999"


def names_phrase(count: int) -> str:
    """ "1 name", "12 names": how many distinct people, places or organizations."""
    return f"{count:,} name{'s' if count != 1 else ''}"


def mentions_phrase(count: int) -> str:
    """ "1 mention", "40 mentions": how often they occur in the text."""
    return f"{count:,} mention{'s' if count != 1 else ''}"


_PEN_STYLES = {
    "SingleUnderline": Qt.PenStyle.SolidLine,
    "DashUnderline": Qt.PenStyle.DashLine,
    "DotLine": Qt.PenStyle.DotLine,
    "DashDotLine": Qt.PenStyle.DashDotLine,
}


def paint_swatch(painter: QPainter, rect: QRect, kind: Kind, colour: str) -> None:
    """A sample of the highlight in ``rect``: the tint above the kind's underline."""
    painter.fillRect(rect.adjusted(0, 0, 0, -3), QColor(colour))
    pen = QPen(QColor(UNDERLINE_COLOURS[kind]), 2)
    pen.setStyle(_PEN_STYLES[UNDERLINE_STYLES[kind].name])
    painter.setPen(pen)
    bottom = rect.bottom() - 1
    painter.drawLine(rect.left(), bottom, rect.right() + 1, bottom)


class KindSwatch(QWidget):
    """A small sample of the highlight: the tint with the kind's underline."""

    def __init__(self, kind: Kind, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.colour = colour
        self.setFixedSize(22, 14)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        paint_swatch(painter, self.rect(), self.kind, self.colour)
        painter.end()


class Legend(QWidget):
    visibilityChanged = Signal(object)  # set[Kind]

    def __init__(self, colours: dict[Kind, str], visible: set[Kind], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("legend")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#legend { border-bottom: 1px solid #d8d8d8; }")
        layout = self.row = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 10, 5)
        layout.setSpacing(6)
        self.checkboxes: dict[Kind, QCheckBox] = {}
        self.swatches: dict[Kind, KindSwatch] = {}
        self.lead = QLabel("Names:", self)
        self.lead.setToolTip(
            "How many different people, places and organizations the article names; the "
            "entity panel counts how often each is mentioned."
        )
        self.lead.setMinimumWidth(1)  # never part of the window's minimum width
        layout.addWidget(self.lead)
        for kind in KIND_ORDER:
            swatch = KindSwatch(kind, colours[kind], self)
            box = QCheckBox(kind.display_name, self)
            box.setChecked(kind in visible)
            box.toggled.connect(self._emit)
            box.setToolTip(self._tooltip(kind))
            swatch.setToolTip(box.toolTip())
            layout.addWidget(swatch)
            layout.addWidget(box)
            if kind is not KIND_ORDER[-1]:  # the stretch follows the last
                layout.addSpacing(10)
            self.checkboxes[kind] = box
            self.swatches[kind] = swatch
        layout.addStretch(1)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #666;")
        self.status.setMinimumWidth(1)  # its text must not widen the legend either
        layout.addWidget(self.status)
        self._counts = {kind: "0" for kind in KIND_ORDER}
        self._short = False
        # As narrow as the full labels with no names yet, and room for the short labels
        # with the largest counts: a width that holds whatever the document.
        widest = max(
            self._needed_width(short=True, counts=dict.fromkeys(KIND_ORDER, count))
            for count in ("9,999", MANY)
        )
        self.setMinimumWidth(max(self._needed_width(short=False), widest))
        self.set_counts([])

    def _tooltip(self, kind: Kind) -> str:
        labels = {
            Kind.PERSON: ["PERSON"],
            Kind.PLACE: ["GPE", "LOC", "FAC"],
            Kind.ORGANIZATION: ["ORG"],
            Kind.OTHER: ["NORP", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "LANGUAGE"],
        }[kind]
        covered = "; ".join(LABEL_DESCRIPTIONS[label] for label in labels)
        return f"{kind.display_name}: {covered}. Highlighted with a {UNDERLINE_NAMES[kind]}."

    def visible(self) -> set[Kind]:
        return {kind for kind, box in self.checkboxes.items() if box.isChecked()}

    def set_visible(self, kinds: set[Kind]) -> None:
        for kind, box in self.checkboxes.items():
            box.blockSignals(True)
            box.setChecked(kind in kinds)
            box.blockSignals(False)

    def set_colours(self, colours: dict[Kind, str]) -> None:
        for kind, swatch in self.swatches.items():
            swatch.colour = colours[kind]
            swatch.update()

    def set_counts(self, entities: list[Entity]) -> None:
        for kind, box in self.checkboxes.items():
            of_kind = [e for e in entities if e.kind == kind]
            mentions = sum(e.count for e in of_kind)
            # The legend counts names (its lead says so); the entity panel counts mentions.
            self._counts[kind] = f"{len(of_kind):,}" if len(of_kind) < 10_000 else MANY
            summary = f"{names_phrase(len(of_kind))}, {mentions_phrase(mentions)} in this document."
            box.setToolTip(f"{self._tooltip(kind)}\n{summary[0].upper()}{summary[1:]}")
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Full labels when they fit the legend's width, short ones when they do not; then
        the lead, where it fits."""
        short = self._needed_width(short=False) > self.width()
        self._short = short
        self._set_labels(short, self._counts)
        self._fit_lead()

    def _fit_lead(self) -> None:
        """The lead shows only where it fits: it must never widen the window's minimum (in a
        narrow window the kinds and counts stay, and their tooltips say "names")."""
        layout = self.row
        layout.invalidate()
        lead = self.lead.sizeHint().width() + layout.spacing()
        others = layout.sizeHint().width() - (lead if not self.lead.isHidden() else 0)
        self.lead.setHidden(self.width() < others + lead)

    def _set_labels(self, short: bool, counts: dict[Kind, str]) -> None:
        for kind, box in self.checkboxes.items():
            name = SHORT_NAMES.get(kind, kind.display_name) if short else kind.display_name
            text = f"{name} {counts[kind]}"
            if box.text() != text:
                box.setText(text)

    def _needed_width(self, short: bool, counts: dict[Kind, str] | None = None) -> int:
        """The legend's minimum width with these labels (the labels shown stay as they are)."""
        shown = {kind: box.text() for kind, box in self.checkboxes.items()}
        self._set_labels(short, counts or self._counts)
        layout = self.row
        layout.invalidate()
        width = layout.minimumSize().width()
        for kind, box in self.checkboxes.items():
            box.setText(shown[kind])
        layout.invalidate()
        return width

    def _emit(self) -> None:
        self.visibilityChanged.emit(self.visible())
