"""Which collected libraries the bundle can leave out, for build.spec.

build.spec drops Qt plugins the app never loads (the GTK theme, the network and EGL
plugins, ...), but PyInstaller has already collected what those plugins link against:
dropping `libqgtk3.so` leaves GTK, cairo, pango and a dozen more libraries in the folder,
and the TLS plugins leave QtNetwork and Kerberos. `orphans()` finds them: the libraries
reachable (through DT_NEEDED) only from what was dropped. Everything else stays, in
particular libraries nothing links against, which are loaded by name at run time (the
Qt plugins themselves, pypdfium2's pdfium): pruning never guesses about those.

The dependency lists are read from the ELF files directly (`elf_needed`), so this works
on Linux only; on Windows and macOS build.spec drops the plugins and keeps the rest.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

PT_LOAD, PT_DYNAMIC = 1, 2
DT_NULL, DT_NEEDED, DT_STRTAB = 0, 1, 5


def elf_needed(path: Path) -> list[str]:
    """The DT_NEEDED names of an ELF shared object or executable ([] when `path` is not
    ELF, e.g. a data file)."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or len(data) < 64:
        return []
    wide = data[4] == 2  # ELFCLASS64
    order = "<" if data[5] == 1 else ">"
    if wide:
        phoff, phentsize, phnum = (
            struct.unpack_from(order + "Q", data, 0x20)[0],
            *struct.unpack_from(order + "HH", data, 0x36),
        )
        phdr, dyn = order + "IIQQQQQQ", order + "qQ"
    else:
        phoff, phentsize, phnum = (
            struct.unpack_from(order + "I", data, 0x1C)[0],
            *struct.unpack_from(order + "HH", data, 0x2A),
        )
        phdr, dyn = order + "IIIIIIII", order + "iI"
    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, filesz)
    dynamic: tuple[int, int] | None = None  # (offset, filesz)
    for index in range(phnum):
        fields = struct.unpack_from(phdr, data, phoff + index * phentsize)
        if wide:
            kind, _flags, offset, vaddr, _paddr, filesz = fields[:6]
        else:
            kind, offset, vaddr, _paddr, filesz = fields[:5]
        if kind == PT_LOAD:
            loads.append((vaddr, offset, filesz))
        elif kind == PT_DYNAMIC:
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    needed: list[int] = []
    strtab = None
    step = struct.calcsize(dyn)
    for position in range(dynamic[0], dynamic[0] + dynamic[1], step):
        tag, value = struct.unpack_from(dyn, data, position)
        if tag == DT_NULL:
            break
        if tag == DT_NEEDED:
            needed.append(value)
        elif tag == DT_STRTAB:
            strtab = value
    if strtab is None:
        return []
    # DT_STRTAB is an address: find the loaded segment that holds it.
    base = next((off + strtab - va for va, off, size in loads if va <= strtab < va + size), None)
    if base is None:
        return []
    names = []
    for offset in needed:
        end = data.index(b"\0", base + offset)
        names.append(data[base + offset : end].decode("utf-8", "replace"))
    return names


def orphans(
    binaries: Mapping[str, Path],
    dropped: Iterable[str],
    needed: Callable[[Path], Iterable[str]] = elf_needed,
) -> set[str]:
    """The destinations in `binaries` (destination in the bundle → file on the build
    machine) to leave out along with `dropped`: those that only dropped files need.

    A library is matched to a DT_NEEDED name by its file name (Linux bundles keep the
    soname). The roots are every kept binary that no dropped file needs: what the app
    links, and what it loads by name."""
    by_name: dict[str, set[str]] = {}
    for dest in binaries:
        by_name.setdefault(PurePosixPath(dest).name, set()).add(dest)
    cache: dict[str, set[str]] = {}

    def deps(dest: str) -> set[str]:
        if dest not in cache:
            found: set[str] = set()
            for name in needed(binaries[dest]):
                found |= by_name.get(name, set())
            cache[dest] = found
        return cache[dest]

    def closure(start: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        todo = [d for d in start if d in binaries]
        while todo:
            dest = todo.pop()
            if dest in seen:
                continue
            seen.add(dest)
            todo.extend(deps(dest) - seen)
        return seen

    gone = {d for d in dropped if d in binaries}
    candidates = closure(gone) - gone
    roots = set(binaries) - gone - candidates
    return candidates - closure(roots)
