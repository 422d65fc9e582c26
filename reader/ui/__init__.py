"""Widgets: the main window, the reading view, panels and dialogs."""
