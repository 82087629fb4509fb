"""Draws the app icon with Qt and writes ``lakarrond.png`` (256 px) and ``lakarrond.ico``
(16–256 px, PNG-compressed entries) beside this script.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python resources/make_icon.py``

The icon: a calendar page (the year plan) on a teal rounded square, with a red cross (care)
and three ticked days.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
TEAL = QColor("#0f6e74")
TEAL_DARK = QColor("#0a4f54")
PAGE = QColor("#ffffff")
HEADER = QColor("#d9534f")
GRID = QColor("#b9c9cb")
TICK = QColor("#0f6e74")


def draw(size: int) -> QImage:
    """The icon at ``size`` × ``size`` pixels, drawn on a 256-unit canvas."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)

    # background: rounded square
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(TEAL)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)
    p.setBrush(TEAL_DARK)
    shade = QPainterPath()
    shade.addRoundedRect(QRectF(8, 8, 240, 240), 48, 48)
    lower = QPainterPath()
    lower.addRect(QRectF(8, 168, 240, 80))
    p.drawPath(shade.intersected(lower))

    # calendar page
    page = QRectF(44, 52, 168, 160)
    p.setBrush(PAGE)
    p.drawRoundedRect(page, 18, 18)
    header = QPainterPath()
    header.addRoundedRect(page, 18, 18)
    top = QPainterPath()
    top.addRect(QRectF(page.left(), page.top(), page.width(), 44))
    p.setBrush(HEADER)
    p.drawPath(header.intersected(top))
    # rings
    p.setBrush(TEAL_DARK)
    for x in (84, 172):
        p.drawRoundedRect(QRectF(x - 8, 36, 16, 34), 8, 8)

    # white cross in the header
    p.setBrush(PAGE)
    cx, cy = 128, 74
    p.drawRect(QRectF(cx - 5, cy - 15, 10, 30))
    p.drawRect(QRectF(cx - 15, cy - 5, 30, 10))

    # day grid 4 × 3, three days ticked (spread over the year)
    cell_w, cell_h = 34, 30
    left, first = 58, 110
    ticked = {(0, 1), (1, 3), (2, 0)}
    for row in range(3):
        for col in range(4):
            r = QRectF(left + col * (cell_w + 3), first + row * (cell_h + 3), cell_w, cell_h)
            if (row, col) in ticked:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(TICK)
                p.drawRoundedRect(r, 6, 6)
                pen = QPen(PAGE, 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                           Qt.PenJoinStyle.RoundJoin)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                tick = QPainterPath(QPointF(r.left() + 9, r.center().y() + 1))
                tick.lineTo(QPointF(r.left() + 15, r.bottom() - 8))
                tick.lineTo(QPointF(r.right() - 8, r.top() + 8))
                p.drawPath(tick)
            else:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(GRID)
                p.drawRoundedRect(r, 6, 6)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[QImage]) -> bytes:
    """A Windows .ico with one PNG-compressed entry per size (Windows Vista and later)."""
    pngs = [png_bytes(img) for img in images]
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries = b""
    for img, data in zip(images, pngs, strict=True):
        w = img.width() if img.width() < 256 else 0  # 0 means 256
        h = img.height() if img.height() < 256 else 0
        entries += struct.pack("<BBBBHHII", w, h, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(pngs)


def main(out_dir: Path = HERE) -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = [draw(size) for size in SIZES]
    (out_dir / "lakarrond.png").write_bytes(png_bytes(images[-1]))
    (out_dir / "lakarrond.ico").write_bytes(ico_bytes(images))
    print(f"Skrev {out_dir / 'lakarrond.png'} och {out_dir / 'lakarrond.ico'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
