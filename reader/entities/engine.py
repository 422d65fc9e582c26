"""The spaCy pipeline, loaded with only what named-entity recognition needs.

Importing spaCy takes about a second, so this module imports it lazily: the GUI never
imports it at all (analysis runs in a separate process, see ``engine_process.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from reader.entities.chunking import DEFAULT_MAX_PIECE, iter_paragraph_ranges
from reader.entities.consistency import apply_consistency
from reader.entities.models import FALLBACK_INSTALL_HINT, choose_model, installed_models
from reader.entities.spans import Mention, RawSpan
from reader.errors import ModelError

log = logging.getLogger(__name__)

Piece = tuple[int, str]
"""A paragraph (or part of one) and its start offset in the canonical text."""

_PIECES_AT_ONCE = 2_000  # paragraphs cut from the text and handed to the model together

_LISTENER_ARCHITECTURES = ("spacy.Tok2VecListener", "spacy-transformers.TransformerListener")


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: str
    version: str
    spacy_version: str
    components: tuple[str, ...]


class EntityEngine:
    """Owns one spaCy pipeline. Not thread-safe: one engine per thread or process."""

    def __init__(self, model_name: str = "", nlp: Any = None) -> None:
        """Load ``model_name`` (or the best installed model); tests pass a ready ``nlp``."""
        self.nlp = (
            nlp
            if nlp is not None
            else load_ner_pipeline(choose_model(model_name, installed_models()))
        )
        import spacy

        self.info = EngineInfo(
            name=self.nlp.meta.get("_reader_package") or self.nlp.meta.get("name", ""),
            version=str(self.nlp.meta.get("version", "")),
            spacy_version=spacy.__version__,
            components=tuple(self.nlp.pipe_names),
        )

    @property
    def max_piece(self) -> int:
        return min(DEFAULT_MAX_PIECE, self.nlp.max_length)

    def analyse_pieces(self, pieces: Sequence[Piece]) -> list[RawSpan]:
        """Raw ``(start, end, label)`` spans for the pieces, offsets into the whole text."""
        spans: list[RawSpan] = []
        texts = (text for _, text in pieces)
        with self.nlp.memory_zone():
            for (offset, _), doc in zip(pieces, self.nlp.pipe(texts, batch_size=64), strict=True):
                spans.extend(
                    (offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in doc.ents
                )
        return spans

    def analyse_text(self, text: str) -> list[Mention]:
        """Every mention in a whole canonical text, after document-level consistency.

        The paragraphs go to the model in groups as they are cut, never all at once: a
        text of short paragraphs would otherwise hold a copy of itself in a million small
        strings (issue 11's memory budget)."""
        ranges = iter_paragraph_ranges(text, self.max_piece)
        spans: list[RawSpan] = []
        while group := list(islice(ranges, _PIECES_AT_ONCE)):
            spans.extend(self.analyse_pieces([(s, text[s:e]) for s, e in group]))
        return apply_consistency(text, spans)


def load_ner_pipeline(name: str) -> Any:
    """Load ``name`` keeping only ``ner`` and the components it listens to."""
    try:
        import spacy
        import spacy.util
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise ModelError(f"spaCy is not installed ({exc}). Reinstall the reader.") from exc
    package_path: Path | None
    try:
        package_path = spacy.util.get_package_path(name)
    except Exception:
        package_path = Path(name) if Path(name).exists() else None
    if package_path is None:
        raise ModelError(_not_installed(name))
    try:
        keep = _components_ner_needs(package_path)
        config = _read_config(package_path)
        all_components = list(config.get("nlp", {}).get("pipeline", [])) if config else []
        exclude = [c for c in all_components if c not in keep] if keep else []
        nlp = spacy.load(name, exclude=exclude)
    except OSError as exc:
        raise ModelError(_not_installed(name)) from exc
    except Exception as exc:
        log.exception("Loading spaCy model %s failed", name)
        raise ModelError(
            f"The spaCy model {name!r} could not be loaded ({type(exc).__name__}: {exc}). "
            f"Choose another in Preferences, or reinstall it ({FALLBACK_INSTALL_HINT})."
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(
            f"The spaCy model {name!r} has no named-entity recogniser. "
            "Choose an English pipeline with 'ner' in Preferences."
        )
    nlp.meta["_reader_package"] = name
    return nlp


def _not_installed(name: str) -> str:
    return (
        f"The spaCy model {name!r} is not installed. Install one "
        f"(for example: {FALLBACK_INSTALL_HINT}) or choose another in Preferences."
    )


def _read_config(package_path: Path) -> dict[str, Any] | None:
    import spacy.util

    candidates = [package_path / "config.cfg", *package_path.glob("*/config.cfg")]
    for candidate in candidates:
        if candidate.is_file():
            return dict(spacy.util.load_config(candidate, interpolate=False))
    return None


def _components_ner_needs(package_path: Path) -> set[str]:
    """``ner`` plus the upstream component its model listens to, if any.

    en_core_web_sm's ner has its own tok2vec, so it needs nothing else; md/lg listen to a
    shared tok2vec and would give different (worse) entities without it.
    """
    config = _read_config(package_path)
    if not config:
        return set()
    components = config.get("components", {})
    ner = components.get("ner", {})
    keep = {"ner"}
    for upstream in _listened_components(ner.get("model", {})):
        keep.add(upstream if upstream != "*" else _first_embedding(components))
    return keep


def _listened_components(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        arch = str(node.get("@architectures", ""))
        if arch.startswith(_LISTENER_ARCHITECTURES):
            yield str(node.get("upstream", "*"))
        for value in node.values():
            yield from _listened_components(value)


def _first_embedding(components: dict[str, Any]) -> str:
    for name, component in components.items():
        if component.get("factory") in ("tok2vec", "transformer"):
            return name
    return "tok2vec"
