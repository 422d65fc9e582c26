"""Regression test for PySide6 6.12.0 on Python 3.11 (PITFALLS.md).

Each call to a Qt method returning nothing lowered the reference count of None by one;
after a few thousand highlights the process died with "none_dealloc". The dependency pin
keeps 6.12.0 away; this test fails loudly if a PySide6 with the bug ever comes back.
"""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_do_not_leak_none_references() -> None:
    from PySide6.QtGui import QColor, QTextCharFormat

    fmt = QTextCharFormat()
    colour = QColor("#cfe5f7")
    before = sys.getrefcount(None)
    for _ in range(100_000):
        fmt.setBackground(colour)
        fmt.setToolTip("x")
    after = sys.getrefcount(None)
    # Other threads may take or drop a few references meanwhile; a leak would be 200,000.
    assert after > before - 1_000
