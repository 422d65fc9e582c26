"""QtGui's plugins without those on spec_data.QT_DROP_PATTERNS.

Replaces PyInstaller's hook, which collects every plugin type QtGui has: filtering here,
before PyInstaller follows the plugins' library dependencies, also keeps out the libraries
only a dropped plugin needs (the GTK theme's cairo and pango, the EGLFS support libraries).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from spec_data import keep_file

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(s, d) for s, d in binaries if keep_file(os.path.join(d, os.path.basename(s)))]
datas = [(s, d) for s, d in datas if keep_file(os.path.join(d, os.path.basename(s)))]
