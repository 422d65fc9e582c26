"""Entities: kinds, spans, the spaCy engine, sane spans, consistency and corrections. No Qt."""
