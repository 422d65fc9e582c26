"""Babel with English locale data only (36 MB for every locale).

Babel is in the bundle only because courlan (trafilatura's URL helper) imports it for
``lang_filter``, which the reader never calls with a language: courlan then returns before
touching Babel, and where it does look a locale up it catches UnknownLocaleError. Replaces
PyInstaller's own hook, which collects every locale.
"""

import os

from PyInstaller.utils.hooks import collect_data_files

KEEP = ("root", "en")

datas = [
    (source, dest)
    for source, dest in collect_data_files("babel")
    if not dest.replace("\\", "/").endswith("locale-data")
    or os.path.basename(source).split(".")[0].split("_")[0] in KEEP
]
# Unpickling locale data needs these (as PyInstaller's own hook says).
hiddenimports = ["babel.dates", "babel.localedata", "babel.plural", "babel.numbers"]
