"""The open article's one home: what is open, its names and its notes, with change signals.

Before this, the article's state was spread over the window (document, id, revision), the
highlighter (mentions, entities) and the library controller (cache key), and printing read
it back out of widgets. Now the reading view, the highlighter, the panels, the notes and
printing all observe one ``ReadingSession``, and none of them reads another's widgets.

QtCore only, no widgets: the session holds plain data (``Document``, ``Mention``,
``Entity``, ``Note``) and says when it changed. Who fills it: the document controller opens
articles, the analysis feed adds names, the notes controller sets notes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.entities.spans import Entity, Mention, group_entities
from reader.notes.model import Note

SpanKey = tuple[int, int]
PREVIEW_CHARS = 300  # of a note, in tooltips and beside a name


class ReadingSession(QObject):
    # A new article is open (its revision is new): everything else was reset with it.
    documentChanged = Signal(object)  # Document
    documentIdChanged = Signal(object)  # int | None: its entry in the library
    # Spans whose mention appeared, changed or went; True when they are scattered over the
    # whole text (the final reconciliation) rather than one chunk's neighbours.
    mentionsChanged = Signal(object, bool)  # list[SpanKey], scattered
    entitiesChanged = Signal()  # the names grouped anew
    notesChanged = Signal()
    analysisStarted = Signal()
    analysisProgress = Signal(int, int)  # characters done, total
    analysisFinished = Signal(float, bool)  # seconds, True when the library's cache answered
    analysisFailed = Signal(str)
    # "Save what is being typed now": before switching articles and before printing.
    flushRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.document_id: int | None = None
        self.revision = 0
        self.analysing = False
        self.notes: list[Note] = []  # the article's own notes (passage and whole-article)
        self.entity_notes: list[Note] = []  # every note on a name, in the whole library
        self._mentions: dict[SpanKey, Mention] = {}
        self._sorted: list[Mention] | None = None
        self._starts: list[int] | None = None
        self._entities: list[Entity] | None = None
        self._entity_index: dict[tuple[Kind, str], Entity] | None = None
        self._noted: dict[tuple[str, str], list[str]] | None = None

    # -- the article ------------------------------------------------------------------------

    def open(self, document: Document, document_id: int | None = None) -> int:
        """Make ``document`` the open article; its revision names its analysis."""
        self.flushRequested.emit()
        self.document = document
        self.document_id = document_id
        self.revision += 1
        self.analysing = False
        self._mentions = {}
        self.notes = []
        self._invalidate()
        self._noted = None
        self.documentChanged.emit(document)
        return self.revision

    def set_document_id(self, document_id: int | None) -> None:
        if document_id != self.document_id:
            self.document_id = document_id
            self.documentIdChanged.emit(document_id)

    def flush(self) -> None:
        """Ask whoever holds unsaved typing (the notes editor) to save it now."""
        self.flushRequested.emit()

    # -- names ------------------------------------------------------------------------------

    def add_mentions(self, mentions: list[Mention], entities: list[Entity] | None) -> None:
        """Names found so far (progress); ``entities`` when the worker grouped them anew."""
        keys = []
        for mention in mentions:
            key = (mention.start, mention.end)
            if self._mentions.get(key) != mention:
                self._mentions[key] = mention
                keys.append(key)
        self._sorted = self._starts = None
        if entities is not None:
            self._set_entities(entities)
        if keys:
            self.mentionsChanged.emit(keys, False)
        if entities is not None:
            self.entitiesChanged.emit()

    def update_mentions(
        self, changed: list[Mention], removed: list[SpanKey], entities: list[Entity] | None
    ) -> None:
        """The final set, as a difference: mentions that differ, spans that went."""
        keys = list(removed)
        for key in removed:
            self._mentions.pop(key, None)
        for mention in changed:
            key = (mention.start, mention.end)
            self._mentions[key] = mention
            keys.append(key)
        self._invalidate()
        if entities is not None:
            self._set_entities(entities)
        self.mentionsChanged.emit(keys, True)
        self.entitiesChanged.emit()

    def replace_mentions(self, mentions: Iterable[Mention]) -> None:
        """A whole new set of names (from the library's cache, or corrected)."""
        old = self._mentions
        self._mentions = {(m.start, m.end): m for m in mentions}
        keys = [k for k in old if old[k] != self._mentions.get(k)]
        keys += [k for k in self._mentions if k not in old]
        self._invalidate()
        self.mentionsChanged.emit(keys, True)
        self.entitiesChanged.emit()

    def mention(self, key: SpanKey) -> Mention | None:
        return self._mentions.get(key)

    def mention_keys(self) -> list[SpanKey]:
        return list(self._mentions)

    def sorted_mentions(self) -> list[Mention]:
        if self._sorted is None:
            self._sorted = sorted(self._mentions.values(), key=lambda m: m.start)
        return self._sorted

    def mention_at(self, offset: int) -> Mention | None:
        mentions = self.sorted_mentions()
        if self._starts is None:
            self._starts = [m.start for m in mentions]
        index = bisect_right(self._starts, offset) - 1
        if index >= 0 and mentions[index].start <= offset < mentions[index].end:
            return mentions[index]
        return None

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """The mentions that overlap canonical ``start``..``end``, in text order."""
        mentions = self.sorted_mentions()
        if self._starts is None:
            self._starts = [m.start for m in mentions]
        first = bisect_right(self._starts, start) - 1
        if first >= 0 and mentions[first].end <= start:
            first += 1
        last = bisect_left(self._starts, end)
        return mentions[max(first, 0) : last]

    def entities(self) -> list[Entity]:
        """The names grouped by kind and canonical name (as the worker last grouped them)."""
        if self._entities is None:
            self._entities = group_entities(self.sorted_mentions())
        return self._entities

    def entity_of(self, mention: Mention) -> Entity | None:
        if self._entity_index is None:
            self._entity_index = {entity.key: entity for entity in self.entities()}
        return self._entity_index.get((mention.kind, mention.canonical))

    def _set_entities(self, entities: list[Entity]) -> None:
        self._entities = entities
        self._entity_index = None

    def _invalidate(self) -> None:
        self._sorted = self._starts = None
        self._entities = None
        self._entity_index = None

    # -- analysis, as the feed reports it ---------------------------------------------------

    def analysis_started(self) -> None:
        self.analysing = True
        self.analysisStarted.emit()

    def analysis_progress(self, done: int, total: int) -> None:
        self.analysisProgress.emit(done, total)

    def analysis_finished(self, seconds: float, cached: bool) -> None:
        self.analysing = False
        self.analysisFinished.emit(seconds, cached)

    def analysis_failed(self, message: str) -> None:
        self.analysing = False
        self.analysisFailed.emit(message)

    # -- notes ------------------------------------------------------------------------------

    def set_notes(self, notes: list[Note], entity_notes: list[Note]) -> None:
        self.notes = list(notes)
        self.entity_notes = list(entity_notes)
        self._noted = None
        self.notesChanged.emit()

    def noted_entities(self) -> dict[tuple[str, str], list[str]]:
        """(kind, canonical) -> the texts of the notes on that name, for tooltips."""
        if self._noted is None:
            noted: dict[tuple[str, str], list[str]] = {}
            for note in self.entity_notes:
                if note.kind == "entity":
                    texts = noted.setdefault((note.entity_kind, note.entity_canonical), [])
                    if note.body.strip():
                        texts.append(note.body[:PREVIEW_CHARS])
            self._noted = noted
        return self._noted

    def note(self, note_id: int) -> Note | None:
        return next((n for n in [*self.notes, *self.entity_notes] if n.id == note_id), None)

    def note_edited(self, note: Note) -> None:
        """A note's text changed in the editor (already saved): previews follow."""
        self._noted = None
        self.notesChanged.emit()
