"""spaCy without its test suite and without the ~70 languages the reader does not use.

Replaces pyinstaller-hooks-contrib's hook (hooks in this folder take precedence), which
collects every submodule: spacy.lang.* and spacy.tests are most of a 320 MB build.
Languages spaCy itself imports by name (registrations.py) stay: see spec_data.
spaCy registers its architectures and components when their modules are imported, so all
of the other submodules stay.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata
from spec_data import spacy_languages, spacy_module_wanted

LANGUAGES = spacy_languages()
hiddenimports = collect_submodules(
    "spacy", filter=lambda name: spacy_module_wanted(name, LANGUAGES)
)
# default_config.cfg and friends; not Cython sources, tests or other languages' licences.
datas = collect_data_files(
    "spacy",
    excludes=[
        "**/*.pyx",
        "**/*.pxd",
        "**/*.pyi",
        "**/*.hh",
        "**/*.c",
        "**/*.cpp",
        "**/*.h",
        "tests",
        "tests/**",
    ],
)


def _wanted(dest: str) -> bool:
    parts = dest.replace("\\", "/").split("/")
    return parts[:2] != ["spacy", "lang"] or len(parts) == 2 or parts[2] in LANGUAGES


datas = [(source, dest) for source, dest in datas if _wanted(dest)]
# spaCy reads its own version and entry points (spacy_factories...) through the metadata.
datas += copy_metadata("spacy")
