"""Imports point downward only (see ARCHITECTURE.md): an allow-list per package.

Each package and top-level module names what it may import from ``reader`` and from Qt; a
new import across layers has to be added here, on purpose. Relative imports are resolved
and checked like absolute ones, and so are imports inside functions and ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "reader"

# Layer 1, pure Python, in the order they may import each other.
ERRORS = {"reader.errors"}
# filenames (paths shown and stored losslessly), lifeline (children die with their
# parent) and json_files (a JSON file handed in, read with one sentence per fault) are
# leaves every layer may use.
BASE = {
    "reader.errors",
    "reader.paths",
    "reader.filenames",
    "reader.lifeline",
    "reader.json_files",
}
DOCUMENTS = {*BASE, "reader.documents"}
ENTITIES = {*DOCUMENTS, "reader.entities"}
NOTES = {*ENTITIES, "reader.notes"}
SETTINGS = {*BASE, "reader.entities", "reader.settings"}
STORE = {*NOTES, "reader.store"}
DOMAIN = {*STORE, "reader.settings"}
SERVICES = {*DOMAIN, "reader.services"}
VERSION = {"reader.__version__"}

QT_CORE = {"PySide6.QtCore"}
QT_PAPER = {*QT_CORE, "PySide6.QtGui", "PySide6.QtPrintSupport"}
QT_WIDGETS = {*QT_PAPER, "PySide6.QtWidgets", "PySide6", "shiboken6"}

# package or module -> (reader modules it may import, Qt modules it may import)
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "errors.py": (ERRORS, set()),
    "paths.py": (BASE, set()),
    "settings.py": (SETTINGS, set()),
    "documents": (DOCUMENTS, set()),
    "entities": (ENTITIES, set()),
    "notes": (NOTES, set()),
    "store": (STORE, set()),
    "services": (SERVICES, set()),
    # The cluster's workers run without Qt; only its dispatch module imports Dask.
    "cluster": ({*STORE, "reader.cluster"}, set()),
    "filenames.py": (set(), set()),
    "lifeline.py": (set(), set()),
    "json_files.py": (ERRORS, set()),
    # The headless commands: services, and printing for PDF (a QGuiApplication, no widgets).
    "commands": (
        {*SERVICES, "reader.commands", "reader.printing", "reader.cluster"},
        {"PySide6.QtGui"},
    ),
    "tasks": ({*SERVICES, "reader.tasks"}, QT_CORE),
    "printing": ({*SERVICES, "reader.printing"}, QT_PAPER),
    "ui": (
        {*SERVICES, "reader.tasks", "reader.printing", "reader.ui", *VERSION},
        QT_WIDGETS,
    ),
    # The composition layer.
    "single_instance.py": (BASE, {*QT_CORE, "PySide6.QtNetwork"}),
    "app.py": (
        {*SERVICES, "reader.tasks", "reader.ui", "reader.single_instance", *VERSION},
        {*QT_WIDGETS},
    ),
    "cli.py": (
        {*BASE, "reader.app", "reader.commands", "reader.entities.kinds", *VERSION},
        set(),
    ),
    "__main__.py": ({"reader.cli"}, set()),
    "__init__.py": (set(), set()),
}

# Only the composition layer assembles the window; the menu builder names it for types.
WINDOW = "reader.ui.main_window"
MAY_NAME_THE_WINDOW = {"reader/app.py", "reader/ui/main_window.py", "reader/ui/menus.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    return modules_in(path.read_text(encoding="utf-8"), path)


def modules_in(source: str, path: Path) -> set[str]:
    """Every module ``source`` (the text of ``path``) imports, relative imports resolved;
    ``from reader import x`` counts as ``reader.x``."""
    tree = ast.parse(source)
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _covered(name: str, allowed: set[str]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


def _checked(name: str) -> bool:
    return name.split(".")[0] in ("reader", "PySide6", "shiboken6")


def test_every_module_has_a_rule() -> None:
    unruled = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in ALLOWED
    ]
    assert unruled == []


def test_imports_point_downward() -> None:
    violations = []
    for part, (reader_allowed, qt_allowed) in ALLOWED.items():
        target = PACKAGE / part
        files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
        for path in files:
            for name in sorted(imported_modules(path)):
                if not _checked(name) or name == "reader":
                    continue
                allowed = reader_allowed if name.startswith("reader") else qt_allowed
                if not _covered(name, allowed):
                    violations.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert violations == []


def test_no_controller_imports_the_main_window() -> None:
    naming = {
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if any(_covered(name, {WINDOW}) for name in imported_modules(path))
    }
    assert naming <= MAY_NAME_THE_WINDOW


def test_the_checks_see_what_they_check() -> None:
    # Guard against the test passing because it looked at nothing.
    assert "reader.tasks.session" in imported_modules(PACKAGE / "ui" / "main_window.py")
    assert "reader.paths" in imported_modules(PACKAGE / "app.py")  # from reader import paths
    probe = "from .session import ReadingSession\nfrom ..ui import menus\nfrom . import scheduler\n"
    names = modules_in(probe, PACKAGE / "tasks" / "probe.py")
    assert {"reader.tasks.session", "reader.ui.menus", "reader.tasks.scheduler"} <= names
    assert not _covered("reader.ui.menus", ALLOWED["tasks"][0])  # a relative import upward
    assert not _covered("PySide6.QtNetwork", ALLOWED["tasks"][1])
