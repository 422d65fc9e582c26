"""Imports point downward only (see ARCHITECTURE.md): the domain never imports Qt."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "reader"

# package -> what it must not import
FORBIDDEN = {
    "documents": ("PySide6", "reader.ui", "reader.tasks", "reader.printing", "reader.app"),
    "entities": ("PySide6", "reader.ui", "reader.tasks", "reader.printing", "reader.app"),
    "notes": ("PySide6", "reader.ui", "reader.tasks", "reader.printing", "reader.app"),
    "store": ("PySide6", "reader.ui", "reader.tasks", "reader.printing", "reader.app"),
    # The cluster's workers run without Qt; only its dispatch module imports Dask.
    "cluster": (
        "PySide6",
        "reader.ui",
        "reader.tasks",
        "reader.printing",
        "reader.app",
        "reader.commands",
    ),
    "paths.py": ("PySide6", "reader.ui", "reader.tasks", "reader.app"),
    "settings.py": ("PySide6", "reader.ui", "reader.tasks", "reader.app"),
    "filenames.py": ("PySide6", "reader.ui", "reader.tasks", "reader.app"),
    "documents/budget.py": ("PySide6", "reader.ui", "reader.tasks", "reader.app"),
    "documents/memory.py": ("PySide6", "reader.ui", "reader.tasks", "reader.app"),
    "lifeline.py": ("PySide6", "reader.ui", "reader.tasks", "reader.app"),
    "errors.py": ("PySide6", "reader.documents", "reader.entities", "reader.ui", "reader.tasks"),
    "tasks": ("PySide6.QtGui", "PySide6.QtWidgets", "reader.ui", "reader.printing", "reader.app"),
    "printing": ("PySide6.QtWidgets", "reader.ui", "reader.app"),
    "ui": ("reader.app", "reader.cli"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_imports_point_downward() -> None:
    violations = []
    for part, forbidden in FORBIDDEN.items():
        target = PACKAGE / part
        files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
        for path in files:
            for name in imported_modules(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    violations.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert violations == []


def test_layering_test_sees_the_packages() -> None:
    # Guard against the test passing because it looked at nothing.
    assert imported_modules(PACKAGE / "ui" / "main_window.py")
    assert any((PACKAGE / p).exists() for p in ("documents", "entities"))
