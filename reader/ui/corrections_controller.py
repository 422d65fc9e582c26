"""The window's side of corrections: the name menus, the Corrections panel, undo and redo.

A correction is one service call (``services.corrections``). The rule is written at once on
the GUI thread's connection (it is the researcher's own work: on disk when the menu
closes), the open article is corrected from the names it already has (the session; no
analysis), and the rest of the library follows in the background on the operations runner.
The rules in force are read again whenever the library says they changed, here or in
another process (the store watcher), so a rule added with ``reader corrections`` shows here.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from reader.entities.corrections import Action, CorrectionError, Rule, normalize_form
from reader.entities.kinds import KIND_ORDER, Kind
from reader.entities.spans import Entity, Mention
from reader.services import corrections
from reader.store import Store
from reader.store.corrections import Refresh, StoredRule
from reader.tasks.messages import MessageBridge
from reader.tasks.operations import Changes, OperationsRunner
from reader.tasks.session import ReadingSession
from reader.ui.corrections_panel import CorrectionsPanel
from reader.ui.entity_panel import EntityPanel
from reader.ui.reader_view import ReaderView

log = logging.getLogger(__name__)

NO_LIBRARY = (
    "Corrections are kept in the library, which is not available (or read-only); see the "
    "message shown when reader started."
)
MARKABLE = (Kind.PERSON, Kind.PLACE, Kind.ORGANIZATION)
Loaded = tuple[corrections.Corrector, list[StoredRule]]


class SameAsDialog(QDialog):
    """ "Pierre" is the same as …: a name of the article, or any name typed."""

    def __init__(self, form: str, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Same As")
        self.form = form
        label = QLabel(f"“{form}” is the same person, place or organization as:", self)
        label.setWordWrap(True)
        self.names = QComboBox(self)
        self.names.setEditable(True)
        self.names.addItems([n for n in names if n != form])
        self.names.setCurrentText("")
        line = self.names.lineEdit()
        if line is not None:
            line.setPlaceholderText("A name in this article, or type one")
        self.here_only = QCheckBox("Only in this article", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.names)
        layout.addWidget(self.here_only)
        layout.addWidget(buttons)
        label.setBuddy(self.names)

    @property
    def target(self) -> str:
        return self.names.currentText()


class CorrectionsController(QObject):
    panelWanted = Signal()  # show the Corrections panel
    corrected = Signal(float)  # seconds from the rule to the open article's names corrected

    def __init__(
        self,
        session: ReadingSession,
        runner: OperationsRunner,
        messages: MessageBridge,
        view: ReaderView,
        entity_panel: EntityPanel,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.messages = messages
        self.parent_widget = parent
        self.panel = CorrectionsPanel(parent)
        self.panel.undoRequested.connect(self.undo)
        self.panel.redoRequested.connect(lambda rule_id: self.undo(rule_id, redo=True))
        self.panel.exportRequested.connect(self.choose_export)
        self.panel.importRequested.connect(self.choose_import)
        self.dialog: SameAsDialog | None = None
        self.applying = 0  # library-wide applications under way
        view.menuAboutToShow.connect(self._text_menu)
        entity_panel.menuAboutToShow.connect(self._entity_menu)
        runner.changed.connect(self._library_changed)
        session.correctionsChanged.connect(self._show_here)
        session.documentChanged.connect(lambda _document: self._show_here())
        session.analysisFinished.connect(lambda *_: self._show_here())
        if not runner.available:
            self.panel.setEnabled(False)
            self.panel.heading.setText(NO_LIBRARY)

    # -- the rules in force ---------------------------------------------------------------------

    def load(self) -> None:
        """Read the rules (off the GUI thread) and correct the open article with them."""
        if not self.runner.available:
            return

        def read(store: Store) -> Loaded:
            return corrections.load(store), corrections.listing(store)

        self.runner.query(read, self._loaded, what="read the corrections")

    def _loaded(self, loaded: Loaded) -> None:
        corrector, rules = loaded
        if corrector.version >= self.session.corrector.version:
            self._set_corrector(corrector)
        self.panel.set_rules(rules, writable=self.runner.writable)
        self._show_here()

    def _library_changed(self, changes: Changes) -> None:
        # New analyses change what the rules do across the library: the counts follow.
        if changes & (Changes.CORRECTIONS | Changes.ANALYSES):
            self.load()

    def _set_corrector(self, corrector: corrections.Corrector) -> None:
        """The open article corrected; the highlighter repaints the screen on the session's
        ``mentionsChanged``, as it does for any change of names."""
        started = time.perf_counter()
        if self.session.set_corrector(corrector):
            self.corrected.emit(time.perf_counter() - started)

    def _show_here(self) -> None:
        document = self.session.document
        self.panel.set_here(
            self.session.text_hash if document is not None else None,
            dict(self.session.correction_counts),
        )

    # -- making a correction --------------------------------------------------------------------

    def correct(
        self,
        action: Action,
        form: str,
        *,
        kind: Kind | None = None,
        target: str | None = None,
        here_only: bool = False,
    ) -> StoredRule | None:
        """Store one rule, correct the open article at once and the library after."""
        if not self.runner.writable:
            self.messages.error(NO_LIBRARY)
            return None
        document = self.session.document
        try:
            rule = corrections.new_rule(
                action,
                form,
                kind=kind,
                target=target,
                document=document if here_only and document is not None else None,
            )
            corrections.check(self.session.corrector, rule)
        except CorrectionError as error:
            self.messages.error(error.message)
            return None
        return self._record(rule)

    def _record(self, rule: Rule) -> StoredRule | None:
        recorded = self.runner.now(
            lambda store: corrections.record(store, rule),
            changes=Changes.CORRECTIONS,
            what="save the correction",
        )
        if recorded is None:
            return None
        self._set_corrector(recorded.corrector)
        here = self.session.correction_counts.get(recorded.stored.id, 0)
        self.messages.show_status(
            f"{recorded.stored.rule.describe()} ({here:,} mention{'s' if here != 1 else ''} "
            "here; the library follows). Undo it in the Corrections panel (Ctrl+Shift+R).",
            10_000,
        )
        self._apply_to_library()
        return recorded.stored

    def undo(self, rule_id: int, redo: bool = False) -> None:
        if not self.runner.writable:
            self.messages.error(NO_LIBRARY)
            return
        done = self.runner.now(
            lambda store: corrections.undo(store, rule_id, redo=redo),
            changes=Changes.CORRECTIONS,
            what="redo the correction" if redo else "undo the correction",
        )
        if done is None:
            return
        self._set_corrector(done.corrector)
        verb = "Redone" if redo else "Undone"
        self.messages.show_status(f"{verb}: {done.stored.rule.describe()}.", 6000)
        self._apply_to_library()

    def _apply_to_library(self) -> None:
        self.applying += 1

        def applied(refresh: Refresh) -> None:
            self.applying -= 1
            log.info(
                "Corrections applied to %d articles (%d changed, %d restarts)",
                refresh.articles,
                refresh.changed,
                refresh.restarts,
            )

        def failed(message: str) -> None:
            self.applying -= 1
            self.messages.error(message)

        self.runner.query(
            corrections.apply_to_library,
            applied,
            failed=failed,
            changes=Changes.CORRECTIONS | Changes.ANALYSES,
            what="apply the correction to the library",
        )

    # -- the menus ------------------------------------------------------------------------------

    def _text_menu(self, menu: QMenu, mention: Mention | None, span: tuple[int, int] | None):
        document = self.session.document
        if document is None:
            return
        selected = (
            normalize_form(document.text[slice(*whole_words(document.text, *span))]) if span else ""
        )
        if mention is not None:
            form = normalize_form(mention.text)
            splits = [form] if form != mention.canonical else []  # "Pierre" in "Pierre Bezukhov"
            self._name_items(menu, form, mention.kind, mention.canonical, splits)
        if selected and (mention is None or selected != normalize_form(mention.text)):
            menu.addSeparator()
            for kind in MARKABLE:
                action = menu.addAction(f"Mark “{_short(selected)}” as {kind.singular}")
                action.triggered.connect(
                    lambda _=False, k=kind, f=selected: self.correct(Action.ADD, f, kind=k)
                )

    def _entity_menu(self, menu: QMenu, entity: Entity) -> None:
        self._name_items(menu, entity.canonical, entity.kind, entity.canonical, entity.other_forms)

    def _name_items(
        self, menu: QMenu, form: str, kind: Kind, canonical: str, splits: list[str]
    ) -> None:
        """Not a Name, Kind ›, Same As…, Split, and the same for this article only."""
        menu.addSeparator()
        self._rule_items(menu, form, kind, canonical, splits, here_only=False)
        if self.session.document is not None:
            only = menu.addMenu("Only in This Article")
            self._rule_items(only, form, kind, canonical, splits, here_only=True)

    def _rule_items(
        self,
        menu: QMenu,
        form: str,
        kind: Kind,
        canonical: str,
        splits: list[str],
        *,
        here_only: bool,
    ) -> None:
        not_a_name = menu.addAction(f"Not a Name: “{_short(form)}”")
        not_a_name.triggered.connect(
            lambda: self.correct(Action.NOT_A_NAME, form, here_only=here_only)
        )
        kinds = menu.addMenu("Kind")
        for choice in KIND_ORDER:
            action = QAction(choice.singular, kinds)
            action.setCheckable(True)
            action.setChecked(choice is kind)
            action.triggered.connect(
                lambda _=False, k=choice: self.correct(
                    Action.KIND, form, kind=k, here_only=here_only
                )
            )
            kinds.addAction(action)
        same = menu.addAction("Same As…")
        same.triggered.connect(lambda: self.ask_same_as(form, here_only))
        for split in splits[:8]:
            action = menu.addAction(f"Split “{_short(split)}” from “{_short(canonical)}”")
            action.triggered.connect(
                lambda _=False, f=split: self.correct(Action.SPLIT, f, here_only=here_only)
            )

    def ask_same_as(self, form: str, here_only: bool = False) -> SameAsDialog:
        """Ask which name ``form`` is the same as (the article's names, most mentioned first)."""
        names = [
            e.canonical
            for e in sorted(self.session.entities(), key=lambda e: (-e.count, e.canonical))
        ]
        dialog = SameAsDialog(form, list(dict.fromkeys(names)), self.parent_widget)
        dialog.here_only.setChecked(here_only)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.correct(
                Action.SAME_AS,
                form,
                target=dialog.target,
                here_only=dialog.here_only.isChecked(),
            )
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- sharing rules --------------------------------------------------------------------------

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, "Export corrections", "corrections.json", "JSON (*.json)"
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        self.runner.query(
            lambda store: corrections.export_to_file(store, path),
            lambda count: self.messages.show_status(
                f"Exported {count} correction{'s' if count != 1 else ''} to {path}."
            ),
            what="export the corrections",
        )

    def choose_import(self) -> None:
        if not self.runner.writable:
            self.messages.error(NO_LIBRARY)
            return
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Import corrections", "", "JSON (*.json)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        """All the rules of a shared file, or none and the reason (a notice)."""
        self.runner.query(
            lambda store: corrections.import_from_file(store, path),
            self.messages.info,
            changes=Changes.CORRECTIONS | Changes.ANALYSES,
            what="import the corrections",
        )


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection widened to whole words ("arya carry s" is "Amu Darya carry snowmelt"):
    a missed name is marked wherever it occurs as a whole word, so a sloppy selection
    would otherwise match nothing."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
