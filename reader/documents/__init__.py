"""Documents: the canonical text model and the format loaders. No Qt."""
