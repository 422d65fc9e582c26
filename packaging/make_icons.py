"""Render the application icon's PNG, ICO and ICNS files from its SVG master.

    python packaging/make_icons.py          (from the repository root; writes resources/icons/)

The SVG (``resources/icons/reader.svg``) is the only drawing; everything else is made from
it with Qt's own SVG renderer, so the sizes never drift apart. Run this after editing the SVG
and commit the results: the build does not need Qt's SVG module or Pillow to have them.

- ``reader-N.png`` for the freedesktop ``hicolor`` sizes, used by ``packaging/linux``'s
  installer and by the window icon;
- ``reader.ico`` (Windows: PNG images inside an ICO container, as Windows Vista and later
  read them) and ``reader.icns`` (macOS: PNG images in the ``icp4``...``ic10`` slots), for
  the PyInstaller builds on those systems.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
MASTER = ICONS / "reader.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS slot for each PNG size (the @2x slots reuse the bigger renders).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),  # 16x16@2x
    (b"ic12", 64),  # 32x32@2x
    (b"ic13", 256),  # 128x128@2x
    (b"ic14", 512),  # 256x256@2x
)


def png_name(size: int) -> str:
    return f"reader-{size}.png"


def render_png(size: int) -> bytes:
    """The master drawn at ``size`` x ``size`` pixels, antialiased, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(MASTER))
    if not renderer.isValid():
        raise SystemExit(f"{MASTER} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding the PNG images (width and height 0 mean 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: a big-endian length-prefixed list of (type, PNG) chunks."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    pngs = {size: render_png(size) for size in PNG_SIZES}
    for size, data in pngs.items():
        (ICONS / png_name(size)).write_bytes(data)
    (ICONS / "reader.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "reader.icns").write_bytes(icns(pngs))
    written = [png_name(s) for s in PNG_SIZES] + ["reader.ico", "reader.icns"]
    print(f"{MASTER.relative_to(ROOT)} -> {', '.join(written)} in {ICONS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
