"""Which Chinese font goes into the PDFs, and proof that it has every glyph we print.

A PDF for the portal must embed its font (the reviewer's machine may have none), and
only TrueType-outline fonts embed reliably: reportlab refuses CFF outlines, and CFF
Noto CJK subsets show as boxes in some viewers. So the choice is, in order:

1. ``SHENBAO_FONT`` (a .ttf/.ttc path), for IT or a user who wants a house font;
2. a TrueType CJK font of the operating system (Microsoft YaHei, SimSun, STHeiti,
   WenQuanYi, AR PL) — better looking on Windows and macOS;
3. the bundled WenQuanYi Micro Hei (Apache-2.0) under ``resources/fonts``, so a fresh
   machine with no Chinese font still produces a correct document.

A candidate is only used if it covers every character of the text to print; what no
font covers is reported instead of silently drawn as a box.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from forms.system.resources import resource_path
from forms.text import TextError

FONT_ENV = "SHENBAO_FONT"
BUNDLED = ("fonts", "wqy-microhei.ttc")

_WINDOWS = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "simkai.ttf", "Deng.ttf")
_MACOS = (
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
)
_LINUX = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


class FontError(TextError):
    """No usable Chinese font: the message says how to get one."""


@dataclass(frozen=True)
class CjkFont:
    path: Path
    subfont: int  # index inside a .ttc collection
    name: str  # the face's PostScript name, for messages and the manifest
    source: str  # "env", "system" or "bundled"

    def missing(self, text: str) -> list[str]:
        """Characters of `text` this font has no glyph for (whitespace excluded)."""
        cmap = _cmap(self.path, self.subfont)
        return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


def _system_candidates() -> Iterator[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        for name in _WINDOWS:
            yield windir / name
            yield local / name
    elif sys.platform == "darwin":
        yield from map(Path, _MACOS)
    else:
        yield from map(Path, _LINUX)


def candidates() -> Iterator[tuple[Path, str]]:
    env = os.environ.get(FONT_ENV)
    if env:
        yield Path(env), "env"
    for path in _system_candidates():
        yield path, "system"
    yield resource_path(*BUNDLED), "bundled"


@cache
def _load(path: Path, subfont: int) -> tuple[str, frozenset[int]] | None:
    """The face name and its character map, or None when reportlab cannot embed it
    (CFF outlines, a damaged file)."""
    # start-up: reportlab loads when a font is first read, not with the command line
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        face = TTFontFile(str(path), subfontIndex=subfont, validate=False)
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        return None
    name = face.name.decode("ascii", "replace") if isinstance(face.name, bytes) else face.name
    return str(name), frozenset(face.charToGlyph)


def _cmap(path: Path, subfont: int) -> frozenset[int]:
    loaded = _load(path, subfont)
    return loaded[1] if loaded else frozenset()


def choose_font(texts: Iterable[str] = ()) -> tuple[CjkFont, list[str]]:
    """The first usable font that covers all of `texts`; failing that the one missing
    the fewest characters, with those characters (the caller reports them)."""
    wanted = "".join(texts)
    best: tuple[CjkFont, list[str]] | None = None
    for path, source in candidates():
        if not path.is_file():
            continue
        loaded = _load(path, 0)
        if loaded is None:
            continue
        font = CjkFont(path=path, subfont=0, name=loaded[0], source=source)
        missing = font.missing(wanted)
        if not missing:
            return font, []
        if best is None or len(missing) < len(best[1]):
            best = (font, missing)
    if best is None:
        raise FontError.of("font.none_embeddable", env=FONT_ENV)
    return best
