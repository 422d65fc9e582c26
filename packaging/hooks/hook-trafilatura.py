"""trafilatura reads settings.cfg (its extraction defaults) when imported; the TEI DTD too."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("trafilatura")
