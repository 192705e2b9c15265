"""PNG attachments as pages: screenshots kept byte for byte, transparency on white paper,
big scans converted in bounded memory, pixel bombs refused before decoding."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageDraw

from forms.catalog.model import Catalog
from forms.draft.model import Attachment, Draft
from forms.package import attachments, png
from forms.package.attachments import (
    MAX_PIXELS,
    AttachmentError,
    load_attachment,
    thumbnail_png,
)
from forms.package.build import build_package
from forms.package.model import PackageResult, PackageSettings
from tests.conftest import IN_WINDOW
from tests.pdf_factory import scan_pdf

ROOT = Path(__file__).resolve().parent.parent


def screenshot(size: tuple[int, int] = (1600, 1000)) -> Image.Image:
    """A UI screenshot: flat colours, window chrome, lines of dark "text"."""
    image = Image.new("RGB", size, (246, 247, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 48), fill=(36, 84, 160))
    draw.rectangle((0, 48, 260, size[1]), fill=(232, 234, 240))
    for n, y in enumerate(range(80, size[1] - 40, 22)):
        draw.text(
            (290, y), f"申报 line {n:03d} 项目投资预算 amount {n * 1234.5:,.2f}", fill=(20, 20, 20)
        )
        draw.text((20, y), f"menu {n % 17}", fill=(60, 60, 90))
    draw.rectangle((1200, 200, 1500, 420), outline=(200, 40, 40), width=3)
    return image


def _package(draft: Draft, catalog: Catalog, folder: Path, limit: int) -> PackageResult:
    """The draft's package in `folder`/out, its files found in `folder`."""
    return build_package(
        draft,
        catalog,
        folder / "out",
        base_dir=folder,
        settings=PackageSettings(limit_bytes=limit, workers=2),
        on=IN_WINDOW,
    )


def _only_image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    assert len(pdf.pages) == 1
    images = list(pdf.pages[0].get_images(recursive=False).values())
    assert len(images) == 1
    image = images[0]
    assert isinstance(image, pikepdf.Stream)
    return image


def _page_picture(pdf: pikepdf.Pdf) -> Image.Image:
    return pikepdf.PdfImage(_only_image(pdf)).as_pil_image()


def _on_white(image: Image.Image) -> Image.Image:
    """What a viewer shows: transparent parts on white paper."""
    rgba = image.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")


def _same(a: Image.Image, b: Image.Image) -> None:
    assert a.size == b.size
    assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def write_png(
    path: Path,
    width: int,
    height: int,
    row: Callable[[int], bytes],
    bit_depth: int = 8,
    colour_type: int = 0,
) -> Path:
    """A PNG written row by row (filter None), so a huge image never sits in memory."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    squeeze = zlib.compressobj(6)
    with path.open("wb") as out:
        out.write(png.SIGNATURE + chunk(b"IHDR", header))
        pending = b""
        for y in range(height):
            pending += squeeze.compress(b"\x00" + row(y))
            if len(pending) >= 1 << 20:
                out.write(chunk(b"IDAT", pending))
                pending = b""
        pending += squeeze.flush()
        out.write(chunk(b"IDAT", pending) + chunk(b"IEND", b""))
    return path


def big_grey_scan(path: Path, side: int = 13_000) -> Path:
    """A grey scan a few MB on disk: text-like bars with a little noise, rows differing."""
    import random

    rng = random.Random(7)
    rows = []
    for n in range(61):
        line = bytearray([243]) * side
        if n % 3:
            x = side // 10
            while x < side * 0.9:
                w = rng.randint(20, 160)
                line[x : x + w] = bytes(rng.randint(10, 60) for _ in range(16)) * (w // 16) + bytes(
                    w % 16
                )
                x += w + 40
        for _ in range(side // 50):
            line[rng.randrange(side)] = rng.randint(180, 255)
        rows.append(bytes(line))
    return write_png(path, side, side, lambda y: rows[(y // 9) % len(rows)])


def _peak_rss_mb(code: str, *args: str) -> tuple[float, str]:
    """Run `code` in a fresh interpreter; its own peak resident memory (MB) and output.

    The child reads its VmHWM: getrusage's ru_maxrss (self or children) carries over
    the parent's peak across fork and exec on Linux, so under pytest it would report
    pytest's own size, and RUSAGE_CHILDREN the biggest child waited for so far."""
    script = (
        "import sys\n"
        + code
        + "\nfrom pathlib import Path"
        + "\nstatus = Path('/proc/self/status').read_text().splitlines()"
        + "\nprint('PEAK', next(l.split()[1] for l in status if l.startswith('VmHWM:')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    peak = int(next(line for line in lines if line.startswith("PEAK")).split()[1])
    return peak / 1024, done.stdout + done.stderr


# --- 1. screenshots and transparency ------------------------------------------------


def test_png_screenshot_is_kept_as_it_is_and_never_grows(tmp_path: Path) -> None:
    source = tmp_path / "screenshot.png"
    screenshot().save(source, optimize=True)
    pdf, _ = load_attachment(source)
    with pdf:
        image = _only_image(pdf)
        info = png.read_info(source)
        with source.open("rb") as handle:
            assert image.read_raw_bytes() == png.compressed(handle, info)
        out = tmp_path / "page.pdf"
        pdf.save(out)
        _same(_page_picture(pdf), Image.open(source))
    assert len(image.read_raw_bytes()) <= source.stat().st_size
    assert out.stat().st_size <= source.stat().st_size + 1024  # PDF page overhead only


def test_palette_png_keeps_its_colours(tmp_path: Path) -> None:
    source = tmp_path / "palette.png"
    screenshot((800, 500)).quantize(64).save(source, optimize=True)
    pdf, _ = load_attachment(source)
    with pdf:
        _same(_page_picture(pdf), Image.open(source))
        assert len(_only_image(pdf).read_raw_bytes()) <= source.stat().st_size


def _transparent_variants(tmp_path: Path) -> dict[str, Path]:
    base = screenshot((640, 400))
    mask = Image.new("L", base.size, 255)
    ImageDraw.Draw(mask).ellipse((100, 50, 500, 350), fill=0)
    ImageDraw.Draw(mask).rectangle((0, 0, 640, 40), fill=128)
    files: dict[str, Path] = {}
    rgba = base.copy()
    rgba.putalpha(mask)
    rgba.save(files.setdefault("rgba", tmp_path / "rgba.png"))
    la = base.convert("L")
    la.putalpha(mask)
    la.convert("LA").save(files.setdefault("la", tmp_path / "la.png"))
    base.save(files.setdefault("interlaced", tmp_path / "interlaced.png"), interlace=1)
    grey = base.convert("L")
    grey.save(files.setdefault("grey_trns", tmp_path / "grey_trns.png"), transparency=246)
    palette = base.quantize(32)
    palette.save(files.setdefault("palette_trns", tmp_path / "palette_trns.png"), transparency=0)
    return files


@pytest.mark.parametrize("variant", ["rgba", "la", "interlaced", "grey_trns", "palette_trns"])
def test_png_with_alpha_interlace_or_transparency_shows_as_on_paper(
    tmp_path: Path, variant: str
) -> None:
    source = _transparent_variants(tmp_path)[variant]
    pdf, _ = load_attachment(source)
    with pdf:
        _same(_page_picture(pdf), _on_white(Image.open(source)))


@pytest.mark.parametrize("variant", ["rgba", "la", "grey_trns", "palette_trns"])
def test_big_transparent_png_decoded_in_bands_shows_as_on_paper(
    tmp_path: Path, variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The band decoder (used above DECODE_PIXELS) gives the picture the whole decode
    gives: rows across band edges, filters relying on the row before, transparency."""
    monkeypatch.setattr(attachments, "DECODE_PIXELS", 1000)
    source = _transparent_variants(tmp_path)[variant]
    with Image.open(source) as check:  # written with adaptive row filters
        assert check.size[1] % 256 != 0
    pdf, _ = load_attachment(source)
    with pdf:
        _same(_page_picture(pdf), _on_white(Image.open(source)))


# --- 2. a big grey scan: bounded memory ----------------------------------------------

_CONVERT = """
import warnings
from pathlib import Path
from forms.package.attachments import AttachmentError, load_attachment
path = Path(sys.argv[1])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        pdf, kind = load_attachment(path)
    except AttachmentError as exc:
        print("REFUSED", exc.text.code, exc.message("en"))
    else:
        with pdf:
            pdf.save(path.with_suffix(".pdf"))
            print("PAGES", len(pdf.pages))
print("WARNINGS", len(caught), [str(w.category.__name__) for w in caught])
"""


@pytest.mark.slow
def test_big_grey_png_is_converted_in_bounded_memory(tmp_path: Path) -> None:
    source = big_grey_scan(tmp_path / "scan.png")
    assert 1_000_000 < source.stat().st_size < 20_000_000
    peak, output = _peak_rss_mb(_CONVERT, str(source))
    print(f"13000x13000 grey PNG ({source.stat().st_size / 1e6:.1f} MB): peak RSS {peak:.0f} MB")
    assert "WARNINGS 0" in output, output
    assert "DecompressionBomb" not in output
    assert "PAGES 1" in output, output
    assert peak < 600, output
    with pikepdf.open(source.with_suffix(".pdf")) as pdf:
        image = _only_image(pdf)
        assert (int(image.Width), int(image.Height)) == (13_000, 13_000)
        assert len(image.read_raw_bytes()) <= source.stat().st_size
    peak, output = _peak_rss_mb(_THUMBNAIL, str(source))
    print(f"thumbnail of the 13000x13000 grey PNG: peak RSS {peak:.0f} MB")
    assert "THUMB False" in output, output  # a thumbnail, made band by band
    assert "WARNINGS 0" in output, output
    assert peak < 300, output


@pytest.mark.slow
def test_big_grey_png_with_transparency_is_converted_in_bounded_memory(tmp_path: Path) -> None:
    """Not passed through (tRNS): decoded in bands, still in bounded memory."""
    source = _with_trns(big_grey_scan(tmp_path / "plain.png"), tmp_path / "scan.png", b"\x00\xf3")
    assert png.read_info(source).transparency
    peak, output = _peak_rss_mb(_CONVERT, str(source))
    print(f"13000x13000 grey PNG with tRNS: peak RSS {peak:.0f} MB")
    assert "WARNINGS 0" in output, output
    assert "PAGES 1" in output or "REFUSED attachment." in output, output
    assert peak < 600, output


def _with_trns(plain: Path, target: Path, trns: bytes) -> Path:
    data = plain.read_bytes()
    cut = data.index(b"IDAT") - 4
    chunk = struct.pack(">I", len(trns)) + b"tRNS" + trns
    chunk += struct.pack(">I", zlib.crc32(b"tRNS" + trns))
    target.write_bytes(data[:cut] + chunk + data[cut:])
    plain.unlink()
    return target


@pytest.mark.slow
def test_blank_colour_png_with_transparency_is_inflated_a_band_at_a_time(
    tmp_path: Path,
) -> None:
    """A blank 13,000-pixel colour page is half a megabyte on disk and 500 MB of rows:
    the band decoder must not inflate more than a band of it at a time."""
    side = 13_000
    white = b"\xff" * (side * 3)
    plain = write_png(tmp_path / "plain.png", side, side, lambda y: white, colour_type=2)
    source = _with_trns(plain, tmp_path / "blank.png", b"\x00\x00\x00\x00\x00\x00")
    assert source.stat().st_size < 2_000_000
    peak, output = _peak_rss_mb(_CONVERT, str(source))
    print(f"13000x13000 blank RGB PNG with tRNS: peak RSS {peak:.0f} MB")
    assert "WARNINGS 0" in output, output
    assert "PAGES 1" in output, output
    assert peak < 600, output
    peak, output = _peak_rss_mb(_THUMBNAIL, str(source))
    print(f"thumbnail of it: peak RSS {peak:.0f} MB")
    assert "THUMB False" in output, output
    assert peak < 300, output


_BUILD = """
import warnings
from pathlib import Path
from forms.catalog.loader import load_catalog
from forms.draft.model import Attachment
from forms.package.build import build_package
from forms.package.model import PackageResult, PackageSettings
from tests.conftest import EXAMPLES, IN_WINDOW
from forms.draft.io import load_draft
source = Path(sys.argv[1])
draft = load_draft(EXAMPLES / "drafts" / "content-creation.json")
draft.attachments = [Attachment(item="audit_report", file=source.name)]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    result = build_package(
        draft, load_catalog(), source.parent / "out", base_dir=source.parent,
        settings=PackageSettings(limit_bytes=int(sys.argv[2]), workers=2), on=IN_WINDOW,
    )
print("PROBLEMS", [p.file for p in result.problems if p.file == source.name])
print("AUDIT", [(p.size, p.pages) for p in result.parts if p.item == "audit_report"])
print("WARNINGS", len(caught), [str(w.category.__name__) for w in caught])
"""


@pytest.mark.slow
def test_big_grey_png_is_packaged_under_the_limit_in_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path a user takes: the 13,000-pixel scan recompressed to fit 2 MB."""
    monkeypatch.setenv("SHENBAO_HOME", str(tmp_path / "home"))
    source = big_grey_scan(tmp_path / "scan.png")
    assert source.stat().st_size > 2_000_000
    peak, output = _peak_rss_mb(_BUILD, str(source), "2000000")
    print(f"13000x13000 grey PNG packaged within 2 MB: peak RSS {peak:.0f} MB")
    assert "PROBLEMS []" in output, output
    assert "WARNINGS 0" in output, output
    audit = output.split("AUDIT ")[1].splitlines()[0]
    assert audit.startswith("[(") and audit.endswith(", 1)]"), output
    assert int(audit[2:].split(",")[0]) <= 2_000_000
    assert peak < 600, output


# --- 3. a pixel bomb: refused before decoding ----------------------------------------


def bomb(path: Path, side: int = 18_000) -> Path:
    """324 megapixels, 1-bit, a few tens of kB on disk."""
    blank = bytes(-(-side // 8))
    return write_png(path, side, side, lambda y: blank, bit_depth=1, colour_type=0)


@pytest.mark.slow
def test_324_megapixel_png_is_refused_before_decoding(tmp_path: Path) -> None:
    source = bomb(tmp_path / "bomb.png")
    assert source.stat().st_size < 1_000_000
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(AttachmentError) as refused:
            load_attachment(source)
    assert caught == []
    assert refused.value.text.code == "attachment.image_too_many_pixels"
    assert refused.value.text.params["megapixels"] == "324"
    assert refused.value.text.params["limit"] == str(MAX_PIXELS // 1_000_000)
    assert "bomb.png" in refused.value.message("zh")
    assert "Traceback" not in refused.value.message("en")
    peak, output = _peak_rss_mb(_CONVERT, str(source))
    print(f"18000x18000 1-bit PNG: peak RSS {peak:.0f} MB")
    assert "REFUSED attachment.image_too_many_pixels" in output, output
    assert "WARNINGS 0" in output, output
    assert peak < 300, output


_THUMBNAIL = """
import warnings
from pathlib import Path
from forms.package.attachments import thumbnail_png
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("THUMB", thumbnail_png(Path(sys.argv[1])) is None)
print("WARNINGS", len(caught), [str(w.category.__name__) for w in caught])
"""


@pytest.mark.slow
def test_thumbnail_of_a_pixel_bomb_is_not_decoded(tmp_path: Path) -> None:
    """The attachments page asks for a thumbnail of every file it lists."""
    source = bomb(tmp_path / "bomb.png")
    peak, output = _peak_rss_mb(_THUMBNAIL, str(source))
    print(f"thumbnail of the 18000x18000 1-bit PNG: peak RSS {peak:.0f} MB")
    assert "THUMB True" in output, output
    assert "WARNINGS 0" in output, output
    assert peak < 300, output


def test_thumbnail_of_a_screenshot(tmp_path: Path) -> None:
    source = tmp_path / "screenshot.png"
    screenshot().save(source, optimize=True)
    thumb = thumbnail_png(source)
    assert thumb is not None
    assert max(Image.open(io.BytesIO(thumb)).size) == 160


# --- 4. one bad image never stops the others -----------------------------------------


@pytest.mark.slow
def test_pixel_bomb_is_reported_and_the_rest_still_packaged(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    scan_pdf(tmp_path / "good.pdf", pages=2)
    bomb(tmp_path / "bomb.png")
    clean_draft.attachments = [
        Attachment(item="audit_report", file="bomb.png"),
        Attachment(item="audit_report", file="good.pdf"),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _package(clean_draft, catalog, tmp_path, 400_000)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    bad = [p for p in result.problems if p.file == "bomb.png"]
    assert len(bad) == 1
    assert bad[0].severity == "error"
    assert bad[0].text.code == "package.not_included"
    assert "bomb.png" in bad[0].message("zh")
    assert "324" in bad[0].message("zh") and "像素" in bad[0].message("zh")
    assert "324 megapixels" in bad[0].message("en"), bad[0].message("en")
    assert not result.ok
    audit = [p for p in result.parts if p.item == "audit_report"]
    assert sum(p.pages for p in audit) == 2
    manifest = json.loads(result.manifest_json.read_text(encoding="utf-8"))
    assert "bomb.png" in json.dumps(manifest, ensure_ascii=False)


def test_png_screenshot_in_the_package_is_not_bigger_than_the_file(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    source = tmp_path / "screenshot.png"
    screenshot().save(source, optimize=True)
    clean_draft.attachments = [Attachment(item="audit_report", file="screenshot.png")]
    result = _package(clean_draft, catalog, tmp_path, 5_000_000)
    assert not [p for p in result.problems if p.file == "screenshot.png"]
    (part,) = [p for p in result.parts if p.item == "audit_report"]
    with pikepdf.open(part.path) as pdf:
        images = [
            image
            for page in pdf.pages
            for image in page.get_images().values()
            if isinstance(image, pikepdf.Stream) and int(image.Width) == 1600
        ]
        assert len(images) == 1
        assert len(images[0].read_raw_bytes()) <= source.stat().st_size
        _same(pikepdf.PdfImage(images[0]).as_pil_image(), Image.open(source))


@pytest.mark.slow
def test_converted_photos_go_into_parts_from_the_work_folder_not_from_memory(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A converted photo held in memory was copied whole into its part (8 phone photos:
    86 MB); written into the package's private work folder, it is copied from a fresh
    opening of that file like any PDF on disk, and the folder goes with the build."""
    names = []
    for number in range(3):
        photo = Image.effect_noise((1500, 2000), 60 + number).convert("RGB")
        photo.save(tmp_path / f"photo{number}.jpg", quality=90)
        names.append(f"photo{number}.jpg")
    clean_draft.attachments = [Attachment(item="audit_report", file=n) for n in names]
    from forms.package import split

    opened: list[Path] = []
    real_write = split.write_pages

    def spy(pages: list[split.Page], *args: Any, **kwargs: Any) -> int:
        opened.extend(page.reopen for page in pages if page.reopen is not None)
        assert all(page.reopen is not None and page.reopen.exists() for page in pages)
        return real_write(pages, *args, **kwargs)

    monkeypatch.setattr(split, "write_pages", spy)
    result = _package(clean_draft, catalog, tmp_path, 5_000_000)
    monkeypatch.undo()
    assert not [p for p in result.problems if p.file in names]
    from_work = [p for p in opened if p.parent.name == ".work" and "audit_report" in p.name]
    assert len(set(from_work)) == len(names), opened
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name == ".work"]
    audit = [p for p in result.parts if p.item == "audit_report"]
    assert sum(p.pages for p in audit) == len(names)
    with pikepdf.open(audit[0].path) as part:
        assert len(part.pages) >= 1 and part.pages[0].get_images()
