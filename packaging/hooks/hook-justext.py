"""jusText, trafilatura's fallback extractor, loads its stop lists from data files."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("justext")
