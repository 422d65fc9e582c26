"""Every on-disk location the reader uses, in one place.

``READER_HOME`` (or ``set_home()``, used by ``--data-dir`` and by the tests) moves all of
them under one folder, for portable installs and for tests that must not touch the real
user folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "reader"
_home_override: Path | None = None


def set_home(path: str | os.PathLike[str] | None) -> None:
    """Put data, settings and logs under ``path`` (None: back to the platform folders)."""
    global _home_override
    _home_override = Path(path).expanduser().resolve() if path is not None else None


def home() -> Path | None:
    if _home_override is not None:
        return _home_override
    env = os.environ.get("READER_HOME")
    return Path(env).expanduser().resolve() if env else None


def data_dir() -> Path:
    base = home()
    return base / "data" if base else platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    base = home()
    return base / "config" if base else platformdirs.user_config_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    base = home()
    return base / "logs" if base else platformdirs.user_log_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    return config_dir() / "settings.json"


def log_file() -> Path:
    return log_dir() / "reader.log"


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def sample_article() -> Path:
    return resources_dir() / "samples" / "summit-in-geneva.md"


def database_file() -> Path:
    """The library: documents, notes, corrections and the analysis cache."""
    return data_dir() / "library.sqlite3"


def backup_dir() -> Path:
    """Copies of the database taken before migrations and kept for recovery."""
    return data_dir() / "backups"
