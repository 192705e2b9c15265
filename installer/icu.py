"""A smaller ICU data library for the Linux bundle, for build.spec.

Qt's wheels link ICU, and `libicudata.so.73` alone is 32 MB: the locale data, collation
rules, break dictionaries and character-set converters of every language ICU knows.
shenbao runs in Chinese and English, so the bundle keeps ICU's root data, the `zh*` and
`en*` locales (collation with pinyin, dates, numbers, names), the Chinese word-break
dictionary and the Chinese character-set converters (GB18030, GBK, GB2312, Big5), about
8 MB; the rest is data the app never loads. The self-test checks that Chinese still
sorts by pinyin (desktop/selftest.py, `gui`).

The library holds one symbol, `icudtNN_dat`: an ICU "common data" package (a table of
contents of named items, each an ICU data file). `shrink_library` rewrites the package
with the kept items and moves what follows it in the ELF file (the dynamic section, the
symbol tables) down by the bytes saved. It checks the layout it expects (the package is
the last thing in the first, read-only segment; the second segment holds only the
dynamic section) and raises `LayoutError` otherwise, so a new Qt build that lays the
library out differently is bundled as it comes, never half-rewritten.
"""

from __future__ import annotations

import itertools
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forms.system.atomic import write_atomic

PT_LOAD = 1
SHT_SYMTAB, SHT_DYNSYM = 2, 11
SHF_ALLOC = 0x2
ITEM_ALIGN = 16

#: Locales kept: ICU's root and every Chinese and English variant.
KEPT_LOCALES = re.compile(r"^(root|zh|zh_.*|en|en_.*)$")
#: A locale's data file name (`fr`, `pt_BR`, `zh_Hans_CN`), as opposed to ICU's own tables
#: (`pool`, `supplementalData`, `res_index`, ...).
LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
#: Character-set converters kept: the Chinese ones and Windows-1252 (UTF-8/16/32, Latin-1
#: and ASCII need no data).
KEPT_CONVERTERS = re.compile(
    r"^(gb18030|windows-936-2000|windows-950-2000|ibm-1383_.*|ibm-1386_.*|ibm-5478_.*|ibm-5348_.*)$"
)


class LayoutError(ValueError):
    """The library is not laid out as `shrink_library` expects: bundle it unchanged."""


def keep_item(name: str) -> bool:
    """Whether the bundle needs the ICU data item `name` (`icudt73l/coll/zh.res`)."""
    path = name.split("/", 1)[1] if "/" in name else name
    folder, _, file = path.rpartition("/")
    stem, _, extension = file.rpartition(".")
    if folder == "translit":  # transliteration: Qt never calls it
        return False
    if extension == "cnv":
        return bool(KEPT_CONVERTERS.match(stem))
    if extension == "dict":  # word-break dictionaries: Chinese/Japanese only
        return stem == "cjdict"
    if extension == "res" and LOCALE_NAME.match(stem):
        return bool(KEPT_LOCALES.match(stem))
    return True


@dataclass(frozen=True)
class Package:
    header: bytes  # the package's own data header, kept as it was
    items: dict[str, bytes]  # name → item, in table-of-contents order

    @classmethod
    def parse(cls, blob: bytes) -> Package:
        if len(blob) < 32 or blob[2:4] != b"\xda\x27":
            raise LayoutError("not an ICU data package")
        size = struct.unpack_from("<H", blob, 0)[0]
        if blob[12:16] != b"CmnD" or blob[8] != 0:  # little-endian common data
            raise LayoutError("not a little-endian ICU common data package")
        count = struct.unpack_from("<I", blob, size)[0]
        toc = [struct.unpack_from("<II", blob, size + 4 + 8 * i) for i in range(count)]
        starts = sorted({size + data for _, data in toc} | {len(blob)})
        following = dict(itertools.pairwise(starts))
        items = {}
        for name_at, data_at in toc:
            end = blob.index(b"\0", size + name_at)
            name = blob[size + name_at : end].decode("ascii")
            items[name] = blob[size + data_at : following[size + data_at]]
        return cls(blob[:size], items)

    def build(self) -> bytes:
        """The package as ICU reads it: names sorted (ICU searches the table by binary
        search), each item 16-byte aligned."""
        names = sorted(self.items)
        table = 4 + 8 * len(names)
        strings = b"".join(n.encode("ascii") + b"\0" for n in names)
        name_offsets, at = [], table
        for name in names:
            name_offsets.append(at)
            at += len(name) + 1
        at = _align(at, ITEM_ALIGN)
        body, data_offsets = bytearray(), []
        for name in names:
            data_offsets.append(at + len(body))
            body += self.items[name]
            body += b"\0" * (_align(len(body), ITEM_ALIGN) - len(body))
        head = struct.pack("<I", len(names)) + b"".join(
            struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
        )
        padding = b"\0" * (_align(table + len(strings), ITEM_ALIGN) - table - len(strings))
        return self.header + head + strings + padding + bytes(body)

    def filtered(self, keep: Callable[[str], bool]) -> Package:
        return Package(self.header, {n: d for n, d in self.items.items() if keep(n)})


def _align(value: int, to: int) -> int:
    return (value + to - 1) // to * to


@dataclass
class _Elf:
    data: bytearray

    def u(self, fmt: str, at: int) -> tuple[int, ...]:
        return struct.unpack_from("<" + fmt, self.data, at)

    def put(self, fmt: str, at: int, *values: int) -> None:
        struct.pack_into("<" + fmt, self.data, at, *values)

    @property
    def segments(self) -> list[tuple[int, ...]]:
        (phoff,) = self.u("Q", 0x20)
        size, count = self.u("HH", 0x36)
        return [(phoff + i * size, *self.u("IIQQQQQQ", phoff + i * size)) for i in range(count)]

    @property
    def sections(self) -> list[tuple[int, ...]]:
        (shoff,) = self.u("Q", 0x28)
        size, count = self.u("HH", 0x3A)
        return [(shoff + i * size, *self.u("IIQQQQIIQQ", shoff + i * size)) for i in range(count)]


def _data_symbol(elf: _Elf) -> tuple[list[int], int, int]:
    """Where the `icudtNN_dat` symbol's entries are (in .dynsym and .symtab), its address
    and size."""
    entries, value, size = [], -1, -1
    sections = elf.sections
    for _at, _name, kind, _flags, _addr, offset, length, link, _info, _al, entsize in sections:
        if kind not in (SHT_SYMTAB, SHT_DYNSYM):
            continue
        strtab = sections[link][5]
        for at in range(offset, offset + length, entsize):
            name_at, _i, _o, _s, sym_value, sym_size = elf.u("IBBHQQ", at)
            end = elf.data.index(b"\0", strtab + name_at)
            if re.fullmatch(rb"icudt\d+_dat", bytes(elf.data[strtab + name_at : end])):
                entries.append(at)
                value, size = sym_value, sym_size
    if not entries:
        raise LayoutError("no icudtNN_dat symbol")
    return entries, value, size


def shrink_library(source: Path, target: Path, keep: Callable[[str], bool] = keep_item) -> int:
    """Write `source` (libicudata.so.NN) to `target` with only the data items `keep`
    wants; return the new size in bytes. Raises LayoutError when the file is not laid
    out as expected (nothing is written then)."""
    elf = _Elf(bytearray(source.read_bytes()))
    if elf.data[:4] != b"\x7fELF" or elf.data[4] != 2 or elf.data[5] != 1:
        raise LayoutError("not a 64-bit little-endian ELF file")
    symbols, address, old_size = _data_symbol(elf)
    loads = [s for s in elf.segments if s[1] == PT_LOAD]
    if len(loads) != 2 or loads[0][3] != 0 or loads[0][4] != 0:
        raise LayoutError("expected two loadable segments, the first at offset 0")
    first, second = loads
    if address + old_size != first[3] + first[6]:  # offset + filesz of the first segment
        raise LayoutError("the data is not at the end of the first segment")
    moved_from, align = second[3], second[8]
    dynamic_only = all(
        not (s[3] & SHF_ALLOC) or s[5] < moved_from or s[6] == 0 or s[2] == 6  # SHT_DYNAMIC
        for s in elf.sections
        if s[5] >= moved_from
    )
    if not dynamic_only or align > 0x10000:
        raise LayoutError("the second segment holds more than the dynamic section")
    package = Package.parse(bytes(elf.data[address : address + old_size]))
    blob = package.filtered(keep).build()
    end = address + len(blob)
    moved_to = _align(end, align) + moved_from % align
    delta = moved_to - moved_from
    out = _Elf(
        bytearray(elf.data[:address] + blob + b"\0" * (moved_to - end) + elf.data[moved_from:])
    )
    for at, kind, *_rest in elf.segments:
        offset, vaddr, paddr, filesz, memsz = out.u("QQQQQ", at + 8)
        if kind == PT_LOAD and offset == 0:
            out.put("QQ", at + 32, filesz - old_size + len(blob), memsz - old_size + len(blob))
        elif offset >= moved_from:
            out.put("QQQ", at + 8, offset + delta, vaddr + delta, paddr + delta)
    (shoff,) = elf.u("Q", 0x28)
    if shoff < moved_from:
        raise LayoutError("the section headers are not after the dynamic section")
    out.put("Q", 0x28, shoff + delta)
    for at, _name, _kind, flags, addr, offset, _size, *_rest in out.sections:
        if offset == address:
            out.put("Q", at + 32, len(blob))
        elif offset == address + old_size:  # an empty section right after the data
            out.put("QQ", at + 16, addr - old_size + len(blob), offset - old_size + len(blob))
        elif offset >= moved_from:
            out.put("Q", at + 24, offset + delta)
            if flags & SHF_ALLOC:
                out.put("Q", at + 16, addr + delta)
    for at in symbols:
        out.put("Q", (at + delta if at >= moved_from else at) + 16, len(blob))
    for _at, _name, kind, _f, _a, offset, length, _l, _i, _al, entsize in out.sections:
        if kind in (SHT_SYMTAB, SHT_DYNSYM):
            for at in range(offset, offset + length, entsize):
                (value,) = out.u("Q", at + 8)
                if value >= second[4]:  # an address in the moved segment (_DYNAMIC)
                    out.put("Q", at + 8, value + delta)
                elif value == address + old_size:  # the empty section after the data
                    out.put("Q", at + 8, value - old_size + len(blob))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, bytes(out.data), shared=True)
    return len(out.data)
