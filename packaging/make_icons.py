"""Render the app icon SVG into the icon files the installers need (run at build time).

Writes into the output folder (``build/icons`` by default; nothing here is committed):

* ``gpudesk.ico``: Windows, one PNG-compressed image per size (16 ... 256 px), the
  "PNG-in-ICO" form every Windows since Vista reads;
* ``gpudesk.icns``: macOS, PNG entries from 16 to 1024 px (``icp4`` ... ``ic10``);
* ``gpudesk-<N>.png``: square PNGs for Linux (``hicolor/<N>x<N>/apps/gpudesk.png``).

Qt renders the SVG (QSvgRenderer on the offscreen platform), so the same script runs on
Linux, Windows and macOS build machines without Inkscape or ImageMagick::

    python packaging/make_icons.py [--svg resources/icons/gpudesk.svg] [--out build/icons]
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SVG = ROOT / "resources" / "icons" / "gpudesk.svg"
DEFAULT_OUT = ROOT / "build" / "icons"

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
#: ICNS entry types and their pixel sizes (the @2x types reuse a larger rendering).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """PNG bytes of ``svg`` rendered square at each size (transparent background)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    pngs: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(0, 0, 0, 0))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"make_icons: could not encode a {size}px PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    del app
    return pngs


def ico_bytes(pngs: dict[int, bytes], sizes: tuple[int, ...] = ICO_SIZES) -> bytes:
    """A Windows ``.ico`` holding one PNG per size (width/height byte 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        png = pngs[size]
        edge = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS ``.icns`` with PNG entries (big-endian lengths include the 8-byte header)."""
    body = b"".join(
        kind + struct.pack(">I", len(pngs[size]) + 8) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def make_icons(svg: Path = DEFAULT_SVG, out: Path = DEFAULT_OUT) -> list[Path]:
    """Write ``gpudesk.ico``, ``gpudesk.icns`` and the PNGs into ``out``; return the paths."""
    sizes = set(ICO_SIZES) | set(PNG_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = render_pngs(svg, sizes)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "gpudesk.ico", out / "gpudesk.icns"]
    written[0].write_bytes(ico_bytes(pngs))
    written[1].write_bytes(icns_bytes(pngs))
    for size in PNG_SIZES:
        path = out / f"gpudesk-{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=DEFAULT_SVG, help="the source SVG")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the output folder")
    args = parser.parse_args(argv)
    for path in make_icons(args.svg, args.out):
        print(f"make_icons: {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
