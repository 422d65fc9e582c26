"""Widgets: the main window (assembly only), the reading view, panels and dialogs, and the
controllers behind them (``opening``, ``library_controller``, ``notes_controller``,
``print_dialogs``), which observe the session and never the window.
"""
