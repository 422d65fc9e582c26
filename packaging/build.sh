#!/usr/bin/env bash
# Build the one-folder reader application: dist/reader/reader (a folder you can copy anywhere;
# no Python, network or model download needed where it runs).
#
#     bash packaging/build.sh
#
# Which Python: the one on PATH (`python3`, or $PYTHON), i.e. the environment you develop and
# test in; the reader and PyInstaller are installed into it (`pip install -e ".[packaging]"`)
# when missing. To keep PyInstaller out of that environment, set READER_BUILD_VENV=DIR: the
# build then uses (and creates on first use) a virtual environment in DIR, e.g. build/venv.
#
# Incremental: PyInstaller keeps its analysis in build/pyinstaller and rebuilds only what
# changed; a second build after editing reader's code takes a fraction of the first.
# READER_CLEAN_BUILD=1 starts from scratch (after upgrading a dependency, for instance).
# READER_BUNDLE_MODELS=en_core_web_md bundles another installed spaCy model instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ -n "${READER_BUILD_VENV:-}" ]; then
  if [ ! -x "$READER_BUILD_VENV/bin/python" ] && [ ! -x "$READER_BUILD_VENV/Scripts/python.exe" ]; then
    echo "Creating the build environment in $READER_BUILD_VENV"
    "$PYTHON" -m venv "$READER_BUILD_VENV"
  fi
  if [ -x "$READER_BUILD_VENV/bin/python" ]; then
    PYTHON="$READER_BUILD_VENV/bin/python"
  else
    PYTHON="$READER_BUILD_VENV/Scripts/python.exe"
  fi
fi
echo "Building with $("$PYTHON" -c 'import sys; print(sys.executable, sys.version.split()[0])')"

# Install the reader and PyInstaller unless this environment already has them.
if ! "$PYTHON" - <<'PY' 2>/dev/null
import importlib.metadata as md
import importlib.util
import sys

for dist in ("reader", "pyinstaller", "pyinstaller-hooks-contrib"):
    md.version(dist)
sys.exit(importlib.util.find_spec("reader") is None)
PY
then
  "$PYTHON" -m pip install --upgrade pip
  "$PYTHON" -m pip install -e ".[packaging]"
fi

args=(--noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller)
if [ "${READER_CLEAN_BUILD:-0}" = 1 ]; then
  args+=(--clean)
fi
start=$(date +%s)
"$PYTHON" -m PyInstaller "${args[@]}" packaging/reader.spec
elapsed=$(( $(date +%s) - start ))

app=dist/reader
if [ -d dist/reader.app ]; then
  app=dist/reader.app
fi

# Qt's X11 plugin loads libraries that PyInstaller bundles only if the build machine has them;
# without them the app runs on Wayland and offscreen but not under X11 on desktops lacking them.
xcb="$app/_internal/PySide6/Qt/plugins/platforms/libqxcb.so"
if [ -f "$xcb" ] && command -v ldd >/dev/null; then
  missing=$(LD_LIBRARY_PATH="$app/_internal:$app/_internal/PySide6/Qt/lib" ldd "$xcb" \
    | awk '/not found/ {print $1}' | tr '\n' ' ')
  if [ -n "$missing" ]; then
    echo "Warning: not bundled, missing on this machine: $missing" >&2
    echo "  (Debian: apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0" >&2
    echo "  libxcb-render-util0 libxkbcommon-x11-0, then build again)" >&2
  fi
fi
size=$(du -sm "$app" | cut -f1)
files=$(find "$app" -type f | wc -l | tr -d ' ')
echo "Built $app in ${elapsed} s: ${size} MB unpacked, ${files} files."
echo "Smoke test: bash packaging/smoke_test.sh"
