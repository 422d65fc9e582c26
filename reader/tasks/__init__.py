"""Background work: QtCore only."""
