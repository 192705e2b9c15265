"""Whether a PDF is plainly intact, read from its bytes without a PDF library.

`shenbao check FILE` asks of every attachment whether it needed repair to be read (a
broken download must be confirmed against its original before it reaches the portal).
Opening each file with qpdf answers that, but loads pikepdf and Pillow for a command that
otherwise starts in a fifth of a second. Most attachments answer it from their bytes: a
file whose end names its one cross-reference table, every entry of which points at the
object it says, is what qpdf reads without repair. Anything else (a cut-off tail, an
incremental update, a cross-reference stream, an entry that points elsewhere) goes to the
full reading: this test only ever says "intact" or "ask qpdf", never "damaged".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

#: The tail read for `startxref`; producers put it in the last few hundred bytes.
_TAIL = 2048
#: Classic tables longer than this are left to qpdf (reading them costs what qpdf does).
_MAX_ENTRIES = 20_000
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+)\s+(\d+)\s*\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)


def plainly_intact(path: Path) -> bool:
    """True when the file's own cross-reference table vouches for every object."""
    try:
        with path.open("rb") as file:
            if file.read(5) != b"%PDF-":
                return False
            size = file.seek(0, 2)
            file.seek(max(0, size - _TAIL))
            tail = file.read()
            found = _STARTXREF.search(tail.rstrip(b"\x00"))
            if found is None:
                return False
            start = int(found.group(1))
            if not 0 < start < size:
                return False
            file.seek(start)
            return _table_holds(file.read(size - start), file)
    except OSError:
        return False


def _table_holds(table: bytes, file: BinaryIO) -> bool:
    if not table.startswith(b"xref"):
        return False  # a cross-reference stream: qpdf reads it
    trailer = _TRAILER.search(table)
    if trailer is None or b"/Prev" in trailer.group(1) or b"/Encrypt" in trailer.group(1):
        return False  # incremental updates or encryption: qpdf decides
    at = len(b"xref")
    offsets: list[tuple[int, int, int]] = []
    body = table[: trailer.start()]
    while True:
        while at < len(body) and body[at : at + 1] in b" \r\n":
            at += 1
        head = _SUBSECTION.match(body, at)
        if head is None:
            break
        first, count = int(head.group(1)), int(head.group(2))
        at = head.end()
        for number in range(first, first + count):
            entry = _ENTRY.match(body, at)
            if entry is None:
                return False
            at = entry.end()
            while at < len(body) and body[at : at + 1] in b" \r\n":
                at += 1
            if entry.group(3) == b"n":
                offsets.append((number, int(entry.group(2)), int(entry.group(1))))
        if len(offsets) > _MAX_ENTRIES:
            return False
    if not offsets or body[at:].strip():
        return False
    for number, generation, offset in offsets:
        file.seek(offset)
        if not file.read(32).startswith(f"{number} {generation} obj".encode()):
            return False
    return True
