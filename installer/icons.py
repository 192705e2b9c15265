"""Render resources/icons/shenbao.svg into the icon files installers need.

Windows wants a multi-size `.ico`, macOS an `.icns`, Linux packages a few PNG sizes
beside the SVG. Qt's SVG renderer draws the sizes; Pillow writes `.ico` and `.icns`
(no `iconutil` needed). Called by build.spec, so every build uses the current SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def make_icons(svg: Path, out: Path) -> dict[str, Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # only when icons are made (build.spec imports this module for every build)
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    out.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    pngs: dict[int, Path] = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        pngs[size] = out / f"shenbao-{size}.png"
        image.save(str(pngs[size]))
    big = Image.open(pngs[1024])
    ico = out / "shenbao.ico"
    big.save(ico, sizes=[(s, s) for s in SIZES if s <= 256])
    icns = out / "shenbao.icns"
    big.save(icns)
    return {"ico": ico, "icns": icns, **{f"png{s}": p for s, p in pngs.items()}}


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    for kind, path in make_icons(
        root / "resources/icons/shenbao.svg", root / "build/icons"
    ).items():
        print(kind, path)
