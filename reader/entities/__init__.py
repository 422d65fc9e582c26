"""Entities: kinds, spans, the spaCy engine and document-level consistency. No Qt."""
