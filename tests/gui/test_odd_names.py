"""An article whose file name is not UTF-8 is opened, kept in the library and remembered."""

from __future__ import annotations

import os
import sys

import pytest

from reader import paths
from reader import settings as settings_module
from tests.gui.conftest import open_and_wait

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux names are any bytes")


def test_an_odd_file_name_is_kept_in_the_library(qtbot, library_window, store, tmp_path):
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text("Lunch with Sergei Lavrov in Paris.\n", encoding="utf-8")

    open_and_wait(qtbot, library_window, path)
    qtbot.waitUntil(lambda: store.find_by_path(path) is not None, timeout=5_000)

    [entry] = store.list_documents()
    assert entry.path == str(path)
    library_window.save_settings()
    assert settings_module.load().recent_files[0] == str(path)
    assert not list(paths.config_dir().glob("*.tmp"))
