"""tld (through courlan) reads the public suffix list from a data file, not its test copy."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("tld", excludes=["tests", "tests/**"])
