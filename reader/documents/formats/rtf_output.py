"""Where an RTF interpreter's text ends up: body paragraphs, footnotes and their styles.

The interpreter in ``rtf`` decides what the text is; this collects it into block drafts.
Footnotes leave a "[n]" mark where they were anchored and are gathered under a "Notes"
heading at the end, the way a printed book shows them, so no note text interrupts a
sentence that the entity recogniser reads.
"""

from __future__ import annotations

from reader.documents.formats.office_text import marker, notes_section
from reader.documents.formats.rtf_tables import PARAGRAPH, GroupState
from reader.documents.formats.styled_text import StyledText, StyleKey, emphasis, with_label
from reader.documents.model import BlockDraft, BlockKind


class RtfOutput:
    """Body paragraphs and notes as block drafts, built piece by piece."""

    def __init__(self) -> None:
        self.body: list[BlockDraft] = []
        self.notes: list[BlockDraft] = []
        self.note_count = 0
        self.text = StyledText()
        self.note = StyledText()
        # The paragraph's kind when its first text arrived: Word resets paragraph properties
        # in groups that close before the \par that ends the paragraph.
        self.first_kind: tuple[BlockKind, int] | None = None
        self.first_list: tuple[int, int] | None = None  # (\ls, level) at the first text
        self._style_sets: dict[tuple[bool, bool, str], frozenset[StyleKey]] = {}

    def add(self, text: str, state: GroupState, *, in_note: bool) -> None:
        key = (state.bold, state.italic, state.link)
        styles = self._style_sets.get(key)
        if styles is None:
            styles = self._style_sets[key] = emphasis(*key)
        (self.note if in_note else self.text).append(text, styles)

    def separate(self, separator: str, *, in_note: bool) -> None:
        (self.note if in_note else self.text).separate(separator)

    def end_paragraph(self, kind: tuple[BlockKind, int], label: str = "") -> None:
        """End the body paragraph; ``label`` is its list number with a space ("2. ")."""
        if kind == PARAGRAPH and self.first_kind is not None:
            kind = self.first_kind
        draft = self.text.draft(*kind)
        if draft is not None:
            self.body.append(with_label(draft, label))
        self.text = StyledText()
        self.first_kind = None
        self.first_list = None

    def start_note(self) -> None:
        """A footnote begins here: mark its place in the body and open its paragraph."""
        self.end_note_paragraph()
        self.note_count += 1
        self.text.append(marker(self.note_count))
        self.note.append(marker(self.note_count) + " ")

    def end_note_paragraph(self) -> None:
        draft = self.note.draft("paragraph")
        if draft is not None:
            self.notes.append(draft)
        self.note = StyledText()

    def drafts(self) -> list[BlockDraft]:
        self.end_note_paragraph()
        return self.body + notes_section(self.notes)


def creation_date(created: dict[str, int]) -> str:
    """YYYY-MM-DD from the \\yr, \\mo and \\dy of \\creatim; just the year if that is all."""
    year, month, day = (created.get(k, 0) for k in ("yr", "mo", "dy"))
    if not 1000 <= year <= 9999:
        return ""
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}"
