"""Pygments without its 500 lexers and styles (1.5 MB of the archive).

Pygments is here only because ``rich`` (through spaCy's command-line helpers) imports its
core at start-up; nothing in the reader highlights source code. Replaces PyInstaller's hook,
which adds every lexer and style as a hidden import because Pygments loads them by name.
"""

hiddenimports = ["pygments.lexers._mapping", "pygments.styles._mapping"]
