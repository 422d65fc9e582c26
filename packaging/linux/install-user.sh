#!/usr/bin/env bash
# Install the reader's desktop integration for the current user (no root needed):
# the menu entry (.desktop), the AppStream metadata and the icons, under
# ${XDG_DATA_HOME:-~/.local/share}; with a built app (dist/reader, or --app DIR), also the
# app itself in ~/.local/lib/reader with a `reader` command in ~/.local/bin.
#
#     bash packaging/linux/install-user.sh              # after bash packaging/build.sh
#     bash packaging/linux/install-user.sh --no-app     # desktop files only: `reader` comes
#                                                       # from pip install (on PATH)
#     bash packaging/linux/install-user.sh --uninstall
#
# Afterwards the reader is in the applications menu and in "Open with" for every format it
# reads. Caches are refreshed when update-desktop-database / gtk-update-icon-cache exist.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
APP_ID=io.github.reader.Reader
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
LIB="$HOME/.local/lib/reader"
BIN_DIR="$HOME/.local/bin"
ICON_SIZES="16 24 32 48 64 128 256 512"

app="$ROOT/dist/reader"
mode=install
while [ $# -gt 0 ]; do
  case "$1" in
    --app) app="$2"; shift 2 ;;
    --no-app) app=""; shift ;;
    --uninstall) mode=uninstall; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-user.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

refresh_caches() {
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$DATA/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$DATA/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true
  fi
}

if [ "$mode" = uninstall ]; then
  rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
        "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $ICON_SIZES; do
    rm -f "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
  done
  if [ -L "$BIN_DIR/reader" ] && [ "$(readlink "$BIN_DIR/reader")" = "$LIB/reader" ]; then
    rm -f "$BIN_DIR/reader"
  fi
  rm -rf "$LIB"
  refresh_caches
  echo "Removed the reader's desktop integration (your library and notes are kept)."
  exit 0
fi

exec_path=reader
if [ -n "$app" ]; then
  if [ ! -x "$app/reader" ]; then
    echo "install-user.sh: no built app in $app; run bash packaging/build.sh first," >&2
    echo "or pass --no-app to install only the desktop files for a pip-installed reader." >&2
    exit 1
  fi
  mkdir -p "$(dirname "$LIB")" "$BIN_DIR"
  rm -rf "$LIB.new"
  cp -a "$app" "$LIB.new"
  rm -rf "$LIB"
  mv "$LIB.new" "$LIB"
  ln -sfn "$LIB/reader" "$BIN_DIR/reader"
  # The menu entry names the installed binary: ~/.local/bin is not on every session's PATH.
  exec_path="$LIB/reader"
  echo "Installed the app in $LIB (command: $BIN_DIR/reader)"
fi

mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps"
exec_field=$exec_path
if [ "$exec_path" != reader ]; then
  exec_field="\"$exec_path\""  # quoted, as the desktop entry spec wants for paths with spaces
fi
sed -e "s|^Exec=reader |Exec=$exec_field |" -e "s|^TryExec=reader\$|TryExec=$exec_path|" \
  "$HERE/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$HERE/$APP_ID.metainfo.xml" "$DATA/metainfo/$APP_ID.metainfo.xml"
cp "$ROOT/resources/icons/reader.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in $ICON_SIZES; do
  mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
  cp "$ROOT/resources/icons/reader-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh_caches
echo "Installed $APP_ID.desktop, its AppStream metadata and icons in $DATA."
