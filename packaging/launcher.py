"""The frozen reader's entry point: the same ``main`` as the ``reader`` command.

``reader.cli.main`` calls ``multiprocessing.freeze_support()`` first, so the copies of this
executable that multiprocessing starts for the entity engine and the file-loading helpers
run their task instead of opening a window.
"""

from __future__ import annotations

import sys

from reader.cli import main

if __name__ == "__main__":
    sys.exit(main())
