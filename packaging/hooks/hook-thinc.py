"""thinc without its test suite (the contrib hook collects every submodule, tests included,
and the tests drag in pytest, hypothesis and mypy)."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules(
    "thinc", filter=lambda name: ".tests" not in name and not name.startswith("thinc.mypy")
)
datas = collect_data_files(
    "thinc",
    # Not the .cu kernels: thinc/backends/_custom_kernels.py reads them when imported.
    excludes=["tests", "tests/**", "**/*.pyx", "**/*.pxd", "**/*.pyi"],
)
