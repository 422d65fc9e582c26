"""Use cases shared by the command line and the window: no Qt here.

One place per use case: opening and keeping an article in the library (``library``), which
analyses are reused and which are redone (``analysis_cache``), what goes on paper
(``paper``), and notes in and out of files (``notes``). ``reader.commands`` prints what
these return; ``reader.ui`` runs them through the operations runner and shows the result.
"""
