"""The build's tools for a small bundle: which libraries go with the dropped plugins
(installer/prune.py) and the ICU data cut to Chinese and English (installer/icu.py)."""

from __future__ import annotations

import ctypes
import struct
import sys
from pathlib import Path

import pytest

from installer.icu import LayoutError, Package, keep_item, shrink_library
from installer.prune import elf_needed, orphans

LINUX = sys.platform.startswith("linux")


def test_only_what_dropped_files_alone_need_goes() -> None:
    graph = {
        "plugins/libqgtk3.so": ["libgtk-3.so.0", "libQt6Gui.so.6"],
        "libgtk-3.so.0": ["libcairo.so.2", "libglib-2.0.so.0"],
        "libcairo.so.2": [],
        "libglib-2.0.so.0": [],
        "libQt6Gui.so.6": ["libglib-2.0.so.0"],
        "plugins/libqxcb.so": ["libQt6Gui.so.6"],
        "pypdfium2_raw/libpdfium.so": [],  # loaded by name: nothing links it
    }
    binaries = {dest: Path(dest) for dest in graph}
    gone = orphans(binaries, {"plugins/libqgtk3.so"}, lambda path: graph[str(path)])
    assert gone == {"libgtk-3.so.0", "libcairo.so.2"}  # GLib stays: Qt needs it


@pytest.mark.skipif(not LINUX, reason="ELF files")
def test_elf_needed_reads_what_the_dynamic_loader_reads() -> None:
    python = Path(sys.executable).resolve()
    needed = elf_needed(python)
    assert any(name.startswith("libc.so") for name in needed) or "libpython" in str(needed)
    assert elf_needed(Path(__file__)) == []  # not ELF


def _package(items: dict[str, bytes]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + bytes(4) + bytes([0, 0, 2, 0]) + b"CmnD"
    return Package(header + bytes(32 - len(header)), items).build()


def test_a_package_reads_back_what_was_written_and_keeps_names_sorted() -> None:
    items = {"icudt73l/zh.res": b"zh" * 9, "icudt73l/fr.res": b"fr", "icudt73l/root.res": b"r"}
    package = Package.parse(_package(items))
    assert list(package.items) == sorted(items)
    assert {name: data.rstrip(b"\0") for name, data in package.items.items()} == items
    smaller = Package.parse(package.filtered(keep_item).build())
    assert sorted(smaller.items) == ["icudt73l/root.res", "icudt73l/zh.res"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/root.res", True),
        ("icudt73l/zh_Hans_CN.res", True),
        ("icudt73l/en_GB.res", True),
        ("icudt73l/coll/zh.res", True),
        ("icudt73l/coll/ja.res", False),
        ("icudt73l/fr.res", False),
        ("icudt73l/pool.res", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/brkitr/cjdict.dict", True),
        ("icudt73l/brkitr/thaidict.dict", False),
        ("icudt73l/gb18030.cnv", True),
        ("icudt73l/ibm-37_P100-1995.cnv", False),
        ("icudt73l/translit/root.res", False),
        ("icudt73l/coll/ucadata.icu", True),
    ],
)
def test_the_bundle_keeps_icus_chinese_and_english_data(name: str, kept: bool) -> None:
    assert keep_item(name) is kept


def _icudata() -> Path:
    found = sorted(
        Path(sys.prefix).glob("lib/python3*/site-packages/PySide6/Qt/lib/libicudata.so.*")
    )
    if not LINUX or not found:
        pytest.skip("needs PySide6's ICU on Linux")
    return found[0]


# Marked gui: it needs PySide6's ICU, so the Qt run (the environment that has PySide6)
# runs it; the domain run, without PySide6, would only ever skip it.
@pytest.mark.gui
def test_the_smaller_icu_library_loads_and_holds_the_kept_data(tmp_path: Path) -> None:
    source = _icudata()
    target = tmp_path / source.name
    size = shrink_library(source, target)
    assert size == target.stat().st_size < source.stat().st_size / 2
    library = ctypes.CDLL(str(target))  # the dynamic loader accepts the rewritten file
    symbol = next(n for n in ("icudt73_dat", "icudt74_dat", "icudt72_dat") if hasattr(library, n))
    head = ctypes.string_at(ctypes.addressof(ctypes.c_char.in_dll(library, symbol)), 16)
    assert head[2:4] == b"\xda\x27" and head[12:16] == b"CmnD"
    names = set(Package.parse(target.read_bytes()[0x1000:]).items)
    assert "icudt73l/coll/zh.res" in names or any(n.endswith("/coll/zh.res") for n in names)
    assert not any(n.endswith("/coll/ja.res") for n in names)


def test_a_library_laid_out_otherwise_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "libicudata.so.73"
    odd.write_bytes(b"\x7fELF" + bytes(60))
    with pytest.raises(LayoutError):
        shrink_library(odd, tmp_path / "out.so")
    assert not (tmp_path / "out.so").exists()
