"""The open article's one home: what is open, its names and its notes, with change signals.

Before this, the article's state was spread over the window (document, id, revision), the
highlighter (mentions, entities) and the library controller (cache key), and printing read
it back out of widgets. Now the reading view, the highlighter, the panels, the notes and
printing all observe one ``ReadingSession``, and none of them reads another's widgets.

QtCore only, no widgets: the session holds plain data (``Document``, ``Mention``,
``Entity``, ``Note``) and says when it changed. Who fills it: the document controller opens
articles, the analysis feed adds names, the notes controller sets notes, the corrections
controller sets the library's correction rules.

Names come in as the model found them (``raw_mentions``, what the analysis cache keeps) and
are shown after the corrections (``sorted_mentions``, ``entities``, ``entity_notes``): a new
rule re-corrects the open article at once, from the names already there.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from reader.documents.model import Document
from reader.entities.kinds import Kind
from reader.entities.spans import Entity, Mention, group_entities
from reader.notes.model import Note
from reader.services.corrections import NO_RULES, Corrector

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
    correctionsChanged = Signal()  # other rules are in force (the names were re-corrected)
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
        # every note on a name, in the whole library, keyed as the corrections file it
        self.entity_notes: list[Note] = []
        self._entity_notes_written: list[Note] = []  # as stored
        self.corrector: Corrector = NO_RULES
        self.correction_counts: Counter[int] = Counter()  # rule id -> mentions changed here
        self._hash = ""  # the open article's text hash…
        self._hash_of: Document | None = None  # …and of which article
        self._raw: dict[SpanKey, Mention] = {}  # as the model found them
        self._mentions: dict[SpanKey, Mention] = self._raw  # as shown: corrected
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
        self._raw = {}
        self.correction_counts = Counter()
        # Under corrections the names shown are a corrected copy from the first chunk on.
        self._mentions = {} if self._concerned() else self._raw
        self.notes = []
        self._invalidate()
        self._noted = None
        self.documentChanged.emit(document)
        return self.revision

    @property
    def text_hash(self) -> str:
        """The open article's SHA-256, computed once (a book's takes ten milliseconds)."""
        document = self.document
        if document is None:
            return ""
        if self._hash_of is not document:
            self._hash, self._hash_of = document.text_hash, document
        return self._hash

    def set_document_id(self, document_id: int | None) -> None:
        if document_id != self.document_id:
            self.document_id = document_id
            self.documentIdChanged.emit(document_id)

    def flush(self) -> None:
        """Ask whoever holds unsaved typing (the notes editor) to save it now."""
        self.flushRequested.emit()

    # -- names ------------------------------------------------------------------------------

    @property
    def corrected(self) -> bool:
        """Whether rules change anything of this article (the shown names are a copy)."""
        return self._mentions is not self._raw

    def _concerned(self) -> bool:
        document = self.document
        return document is not None and self.corrector.concerns(self.text_hash)

    def add_mentions(self, mentions: list[Mention], entities: list[Entity] | None) -> None:
        """Names found so far (progress); ``entities`` when the worker grouped them anew.

        Under corrections each chunk is corrected on its own ("add" rules, which read the
        whole text, wait for the final set) and the worker's grouping is not used.
        """
        fresh = [m for m in mentions if self._raw.get((m.start, m.end)) != m]
        for mention in fresh:
            self._raw[(mention.start, mention.end)] = mention
        keys = [(m.start, m.end) for m in fresh]
        if self.corrected and fresh:
            document = self.document
            assert document is not None
            known = self._mentions
            shown = self.corrector.correct(
                fresh, None, self.text_hash, lambda: list(known.values())
            ).mentions
            for key in keys:
                self._mentions.pop(key, None)
            for mention in shown:
                self._mentions[(mention.start, mention.end)] = mention
            entities = None
            self._invalidate()
        self._sorted = self._starts = None
        if entities is not None:
            self._set_entities(entities)
        if keys:
            self.mentionsChanged.emit(keys, False)
        if entities is not None or (self.corrected and keys):
            self.entitiesChanged.emit()

    def update_mentions(
        self, changed: list[Mention], removed: list[SpanKey], entities: list[Entity] | None
    ) -> None:
        """The final set, as a difference: mentions that differ, spans that went."""
        keys = list(removed)
        for key in removed:
            self._raw.pop(key, None)
        for mention in changed:
            key = (mention.start, mention.end)
            self._raw[key] = mention
            keys.append(key)
        if self._concerned():
            keys = self._recorrect(keys)
            entities = None
        self._invalidate()
        if entities is not None:
            self._set_entities(entities)
        self.mentionsChanged.emit(keys, True)
        self.entitiesChanged.emit()

    def replace_mentions(self, mentions: Iterable[Mention]) -> None:
        """A whole new set of names, as the model found them (from the library's cache)."""
        old = self._mentions
        self._raw = {(m.start, m.end): m for m in mentions}
        self._mentions = self._raw
        keys = [k for k in old if old[k] != self._raw.get(k)]
        keys += [k for k in self._raw if k not in old]
        if self._concerned():
            self._mentions = old
            keys = self._recorrect(keys)
        self._invalidate()
        self.mentionsChanged.emit(keys, True)
        self.entitiesChanged.emit()

    def set_corrector(self, corrector: Corrector) -> list[SpanKey]:
        """Other rules are in force: the open article's names are corrected again from the
        names already found (no analysis), and the spans that look different are announced.
        Returns those spans."""
        if corrector == self.corrector:
            return []
        self.corrector = corrector
        self._correct_entity_notes()
        keys = self._recorrect([])
        self._invalidate()
        if keys:
            self.mentionsChanged.emit(keys, True)
        self.entitiesChanged.emit()
        self.notesChanged.emit()
        self.correctionsChanged.emit()
        return keys

    def _recorrect(self, keys: list[SpanKey]) -> list[SpanKey]:
        """Correct all the raw names again; ``keys`` plus every span that changed."""
        old = self._mentions
        document = self.document
        if document is None or not self.corrector.concerns(self.text_hash):
            self._mentions = self._raw
            self.correction_counts = Counter()
        else:
            corrected = self.corrector.correct(self._raw.values(), document.text, self.text_hash)
            self._mentions = {(m.start, m.end): m for m in corrected.mentions}
            self.correction_counts = corrected.changes
        seen = set(keys)
        changed = list(keys)
        for key, mention in old.items():
            now = self._mentions.get(key)
            if key not in seen and now is not mention and now != mention:
                seen.add(key)
                changed.append(key)
        changed += [k for k in self._mentions if k not in old and k not in seen]
        return changed

    def raw_mentions(self) -> list[Mention]:
        """The names as the model found them, in text order: what the cache keeps."""
        return sorted(self._raw.values(), key=lambda m: m.start)

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
        self._entity_notes_written = list(entity_notes)
        self._correct_entity_notes()
        self.notesChanged.emit()

    def _correct_entity_notes(self) -> None:
        document = self.text_hash if self.document is not None else None
        self.entity_notes = self.corrector.notes(self._entity_notes_written, document)
        self._noted = None

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
