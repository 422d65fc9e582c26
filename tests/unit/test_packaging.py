"""The packaging files agree with the app: what the frozen build bundles, the desktop entry's
file types, the icons and the AppStream metadata.

The build itself is checked by the smoke test of the frozen binary (tests/packaging,
packaging/smoke_test.sh); these tests need neither PyInstaller nor a build, except the one
that asks PyInstaller which model files it would collect (skipped without PyInstaller).
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import struct
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reader
from reader.documents.loader import SUPPORTED_SUFFIXES
from reader.entities.models import PREFERRED_MODELS

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
APP_ID = "io.github.reader.Reader"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# Each suffix the reader opens, and the MIME types a desktop gives such files
# (shared-mime-info's names, with the older aliases some systems still use).
SUFFIX_MIME_TYPES = {
    ".txt": ("text/plain",),
    ".text": ("text/plain",),
    ".md": ("text/markdown", "text/x-markdown"),
    ".markdown": ("text/markdown", "text/x-markdown"),
    ".mdown": ("text/markdown",),
    ".html": ("text/html",),
    ".htm": ("text/html",),
    ".shtml": ("text/html",),
    ".xhtml": ("application/xhtml+xml",),
    ".mhtml": ("application/x-mimearchive", "multipart/related"),
    ".mht": ("application/x-mimearchive", "multipart/related"),
    ".pdf": ("application/pdf",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    ".docm": ("application/vnd.ms-word.document.macroEnabled.12",),
    ".dotx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.template",),
    ".odt": ("application/vnd.oasis.opendocument.text",),
    ".ott": ("application/vnd.oasis.opendocument.text-template",),
    ".epub": ("application/epub+zip",),
    ".rtf": ("application/rtf", "text/rtf"),
}


@pytest.fixture(scope="module")
def spec_data():
    sys.path.insert(0, str(PACKAGING))
    try:
        import spec_data

        yield spec_data
    finally:
        sys.path.remove(str(PACKAGING))


def _spec_calls() -> dict[str, ast.Call]:
    """The spec's top-level calls by name: Analysis, EXE, COLLECT..."""
    tree = ast.parse((PACKAGING / "reader.spec").read_text(encoding="utf-8"))
    calls = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.setdefault(node.func.id, node)
    return calls


def _keyword(call: ast.Call, name: str) -> str:
    return next(ast.unparse(k.value) for k in call.keywords if k.arg == name)


# --- the spec ------------------------------------------------------------------------------


def test_spec_takes_its_lists_from_spec_data() -> None:
    analysis = _spec_calls()["Analysis"]
    datas = _keyword(analysis, "datas")
    assert "spec_data.resource_datas()" in datas
    assert "spec_data.model_datas()" in datas
    assert _keyword(analysis, "hiddenimports") == "spec_data.hidden_imports()"
    assert _keyword(analysis, "excludes") == "spec_data.excludes()"
    assert "hooks" in _keyword(analysis, "hookspath")
    assert "launcher.py" in ast.unparse(analysis.args[0])
    assert _keyword(_spec_calls()["COLLECT"], "name") == "'reader'"


def test_spec_uses_no_absolute_or_linux_only_paths() -> None:
    text = (PACKAGING / "reader.spec").read_text(encoding="utf-8")
    for fragment in ("/usr/", "/home/", "/root/", "/work/", "site-packages", "C:\\"):
        assert fragment not in text


def test_the_default_model_is_bundled_with_the_reader_fallback(spec_data, monkeypatch) -> None:
    monkeypatch.delenv("READER_BUNDLE_MODELS", raising=False)
    assert spec_data.bundled_models() == (PREFERRED_MODELS[-1],)
    assert PREFERRED_MODELS[-1] in spec_data.hidden_imports()


def test_resources_are_bundled_where_paths_looks_for_them(spec_data) -> None:
    datas = {
        (Path(src).relative_to(ROOT).as_posix(), dest.replace(os.sep, "/"))
        for src, dest in spec_data.resource_datas()
    }
    assert ("resources/samples/summit-in-geneva.md", "resources/samples") in datas
    assert ("resources/icons/reader.svg", "resources/icons") in datas
    # The place and given-name lists decide kinds of names: the frozen app needs them too.
    assert ("resources/names/places.txt.gz", "resources/names") in datas
    assert ("resources/names/given_names.txt.gz", "resources/names") in datas
    for size in PNG_SIZES:
        assert (f"resources/icons/reader-{size}.png", "resources/icons") in datas
    assert not any("screenshots" in src or src.endswith((".ico", ".icns")) for src, _ in datas)


def test_the_word_list_and_its_licence_are_bundled(spec_data) -> None:
    """PDF hyphenation reads it through ``paths.resources_dir()`` in the frozen app too."""
    datas = {Path(src).relative_to(ROOT).as_posix() for src, _ in spec_data.resource_datas()}
    assert "resources/wordlists/english-words.txt.gz" in datas
    assert "resources/wordlists/SCOWL-LICENSE.txt" in datas


def test_every_reader_module_is_a_hidden_import(spec_data) -> None:
    """The loader imports each format's reader by name: PyInstaller would not see them."""
    hidden = set(spec_data.hidden_imports())
    formats = ROOT / "reader" / "documents" / "formats"
    for path in formats.glob("*.py"):
        name = "reader.documents.formats" + ("" if path.stem == "__init__" else f".{path.stem}")
        assert name in hidden
    assert {"reader.cli", "reader.app", "reader.entities.engine_process"} <= hidden


def test_model_files_and_metadata_are_collected(spec_data, monkeypatch) -> None:
    pytest.importorskip("PyInstaller")
    model = PREFERRED_MODELS[-1]
    if importlib.util.find_spec(model) is None:
        pytest.skip(f"{model} is not installed")
    monkeypatch.delenv("READER_FULL_MODEL", raising=False)
    dests = {
        (Path(dest) / Path(src).name).as_posix() for src, dest in spec_data.model_datas((model,))
    }
    inner = f"{model}/{model}-3.8.0"
    # What spacy.load reads for the components the engine keeps, and importlib.metadata's view.
    for needed in ("meta.json", "config.cfg", "ner/model", "ner/moves", "vocab/strings.json"):
        assert f"{inner}/{needed}" in dests
    assert f"{model}/meta.json" in dests
    assert any(d.startswith(f"{model}-3.8.0.dist-info") for d in dests)
    # Components the reader never loads stay out.
    assert not any(d.startswith((f"{inner}/parser/", f"{inner}/tok2vec/")) for d in dests)


def test_nothing_the_reader_imports_is_excluded(spec_data) -> None:
    imported: set[str] = set()
    for path in (ROOT / "reader").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
    excluded = set(spec_data.excludes())
    clashes = {
        name for name in imported if any(name == e or name.startswith(e + ".") for e in excluded)
    }
    clashes -= {name for name in clashes if name.split(".")[0] in spec_data.CLUSTER_EXTRA}
    assert not clashes, f"add these to spec_data's lists of modules kept: {sorted(clashes)}"
    qt = {name.split(".")[1] for name in imported if name.startswith("PySide6.Qt")}
    assert qt <= set(spec_data.QT_MODULES)


def test_the_cluster_extra_stays_out_of_the_desktop_build(spec_data) -> None:
    excluded = set(spec_data.excludes())
    assert {"dask", "distributed"} <= excluded
    # Only reader.cluster.dispatch imports Dask, and only reader.cluster imports it at all.
    importers = set()
    for path in (ROOT / "reader").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            if any(n.split(".")[0] in spec_data.CLUSTER_EXTRA for n in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers == {"reader/cluster/__init__.py", "reader/cluster/dispatch.py"}
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    cluster = extras["project"]["optional-dependencies"]["cluster"]
    assert any(req.startswith("dask[distributed]") for req in cluster)


def test_qt_files_dropped_and_kept(spec_data) -> None:
    keep = spec_data.keep_file
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep("PySide6/Qt/plugins/tls/libqopensslbackend.so")
    assert not keep("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert not keep("PySide6\\Qt\\plugins\\platforms\\libqeglfs.so")
    for kept in ("xcb", "wayland", "offscreen"):
        assert keep(f"PySide6/Qt/plugins/platforms/libq{kept}.so")
    assert keep("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so")
    assert keep("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so")
    assert keep("PySide6/Qt/lib/libQt6Core.so.6")


def test_spacy_languages_kept(spec_data) -> None:
    wanted = spec_data.spacy_module_wanted
    languages = ("en", "xx")
    assert wanted("spacy.lang.en.stop_words", languages)
    assert wanted("spacy.pipeline.ner", languages)
    assert not wanted("spacy.tests.test_language", languages)
    assert not wanted("spacy.lang.de", languages)
    if importlib.util.find_spec("spacy") is not None:
        found = spec_data.spacy_languages()
        assert {"en", "xx"} <= set(found)  # xx: imported by spacy.training.converters
        assert wanted("spacy.lang.punctuation", languages)  # shared, not a language


def test_version_comes_from_the_package(spec_data) -> None:
    assert spec_data.read_version() == reader.__version__
    assert spec_data.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert spec_data.version_tuple("2.10.3rc1") == (2, 10, 3, 1)


def test_only_unstripped_elf_files_are_stripped(spec_data, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a binary")
    assert not spec_data._has_symbol_table(str(text))
    vendored = tmp_path / "numpy.libs" / "libopenblas.so"
    vendored.parent.mkdir()
    vendored.write_bytes(b"\x7fELF")
    assert not spec_data._strippable(str(vendored))
    assert spec_data.strip_binaries([], str(tmp_path)) == []


# --- Linux desktop integration -------------------------------------------------------------


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_every_suffix_has_a_mime_type_here() -> None:
    assert set(SUPPORTED_SUFFIXES) <= set(SUFFIX_MIME_TYPES), (
        "a new format: add its suffix's MIME types above and to the .desktop file"
    )


def test_desktop_entry_declares_every_supported_format() -> None:
    declared = set(filter(None, _desktop_entry()["MimeType"].split(";")))
    missing = {
        (suffix, mime)
        for suffix in SUPPORTED_SUFFIXES
        for mime in SUFFIX_MIME_TYPES[suffix]
        if mime not in declared
    }
    assert not missing


def test_desktop_entry_fields() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "reader %F"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"] == "Office;Viewer;Education;"
    for key in ("Name", "GenericName", "Comment"):
        assert entry[key].strip()


def test_metainfo_matches_the_desktop_entry_and_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == "MIT"
    assert root.find("content_rating") is not None
    assert reader.__version__ in [r.get("version") for r in root.iter("release")]
    image = root.findtext("screenshots/screenshot/image") or ""
    assert image.startswith("https://")
    assert (ROOT / image.split("/main/", 1)[1]).is_file()


# --- icons ---------------------------------------------------------------------------------


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_svg_master_exists() -> None:
    root = ET.parse(ICONS / "reader.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 128 128"


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_renders_exist_at_their_size(size: int) -> None:
    assert _png_size(ICONS / f"reader-{size}.png") == (size, size)


def test_windows_and_macos_icon_files_exist() -> None:
    ico = (ICONS / "reader.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0" and struct.unpack("<H", ico[4:6])[0] >= 6
    icns = (ICONS / "reader.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
