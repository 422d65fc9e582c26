"""QtNetwork for its local sockets only (one reader window per library): no TLS back-ends
or network-information plugins, which would also bring OpenSSL's Qt plugin. The reader
never opens a network connection."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from spec_data import keep_file

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(s, d) for s, d in binaries if keep_file(os.path.join(d, os.path.basename(s)))]
datas = [(s, d) for s, d in datas if keep_file(os.path.join(d, os.path.basename(s)))]
