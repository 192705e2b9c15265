"""File names the portal and every operating system accept.

Chinese is fine (the portal shows it); what breaks are the characters Windows forbids,
trailing dots and spaces, reserved device names and over-long names on old file
systems. Parts of one item carry "(1of3)" so their order survives any sorting.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
#: Characters, not bytes: leaves room for the folder on Windows' 260-character paths.
MAX_STEM = 80


def safe_stem(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(". ")
    if not text:
        text = "_"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return text[:MAX_STEM].rstrip(". ")


def safe_file_name(name: str, fallback: str) -> str:
    """The last component of `name`, made safe: a file written under it stays in the
    folder it is written to, on every platform (imported drafts' names are untrusted)."""
    base = _FORBIDDEN.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] if base else fallback


def part_name(sequence: int, title: str, part: int, parts: int) -> str:
    """E.g. ``03_上年度财务审计报告(1of3).pdf``."""
    suffix = f"({part}of{parts})" if parts > 1 else ""
    return f"{sequence:02d}_{safe_stem(title)}{suffix}.pdf"


def package_folder_name(company: str, project: str, fallback: str) -> str:
    """The folder of an exported package, named by company and project (two clients on
    one direction never share a folder), e.g. ``上海星语…有限公司-星语剧场``."""
    parts = [part.strip() for part in (company, project) if part and part.strip()]
    return safe_stem("-".join(parts)) if parts else safe_stem(fallback)


def next_free(folder: Path) -> Path:
    """`folder`, or the first of `folder-2`, `folder-3` … that does not exist yet."""
    if not folder.exists():
        return folder
    number = 2
    while True:
        candidate = folder.with_name(f"{folder.name}-{number}")
        if not candidate.exists():
            return candidate
        number += 1
