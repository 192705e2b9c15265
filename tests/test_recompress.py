"""Recompression of one scanned image: resolution floor, rungs, text masks, never growing."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image, ImageDraw

from forms.package.recompress import LADDER, ImageJob, Level, measure, recompress
from tests.pdf_factory import jpeg_bytes, noisy_page, text_scan


def _job(
    dpi: float, level: Level, min_dpi: float = 150, size: tuple[int, int] = (2480, 3508)
) -> ImageJob:
    page = noisy_page(size, "L", seed=5)
    return ImageJob(0, jpeg_bytes(page, 92), True, size[0], size[1], "L", dpi, level, min_dpi)


def test_never_below_the_floor_and_never_upsampled() -> None:
    low = _job(300, Level(100, 60), min_dpi=150)
    result = recompress(low)
    assert result.dpi >= 150 - 0.5
    already_low = _job(120, Level(150, 60), min_dpi=150, size=(992, 1403))
    result = recompress(already_low)
    assert (result.width, result.height) == (992, 1403), "a 120-dpi scan is not enlarged"


def test_a_rung_gets_its_own_resolution_not_the_floor() -> None:
    """A 300-dpi photo at the 200-dpi rung is 200 dpi: the budget is used, not the floor."""
    result = recompress(_job(300, Level(200, 70)))
    assert abs(result.dpi - 200) < 0.5
    assert result.data is not None and result.data[:2] == b"\xff\xd8"


def test_a_dct_scaled_size_near_the_rung_is_kept_but_never_below_the_floor() -> None:
    """A 363-dpi phone photo at the 200-dpi rung decodes at half size (181 dpi) and is
    not resampled; a 290-dpi scan at the 150-dpi floor is not decoded at 145 dpi."""
    photo = _job(363, Level(200, 80, mrc=False), size=(3000, 4000))
    result = recompress(photo)
    assert (result.width, result.height) == (1500, 2000)
    assert abs(result.dpi - 181.5) < 0.5
    near_floor = _job(290, Level(150, 60, mrc=False), size=(2398, 3390))
    assert recompress(near_floor).dpi >= 150 - 0.5


def test_odd_resolutions_are_resampled_exactly() -> None:
    result = recompress(_job(400, Level(175, 70), size=(3307, 4677)))
    assert abs(result.dpi - 175) < 0.5


def test_lower_rungs_are_smaller() -> None:
    """Down the JPEG rungs, and down the mixed-raster rungs (which give a photograph
    its JPEG at their own dpi and quality), every rung is smaller than the one above."""
    for group in ([r for r in LADDER if not r.mrc], [r for r in LADDER if r.mrc]):
        sizes = [r.size for r in measure(_job(300, group[0]), tuple(group))]
        assert sizes[0] > sizes[-1]
        assert sizes == sorted(sizes, reverse=True)


def test_a_text_scan_that_fits_as_a_sharp_jpeg_stays_one() -> None:
    """The first rungs keep a text scan a JPEG at 200 dpi: an item that fits so in its
    fewest files is not turned into a 1-bit mask (more work, no fewer files)."""
    page = text_scan()
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "L", 300, LADDER[0], 150, text=True)
    jpeg, mask = measure(job, (LADDER[0], LADDER[2]))
    assert jpeg.layers is None and abs(jpeg.dpi - 200) < 0.5 and jpeg.quality == 80
    assert mask.layers is not None
    assert recompress(job) == jpeg


def test_the_sampled_result_is_the_one_used() -> None:
    """The package chooses a rung from `measure` and keeps the sample's result at that
    rung instead of encoding the image again: both must be the same bytes."""
    for level in (LADDER[0], LADDER[-1]):
        job = _job(300, level)
        assert measure(job, (level,))[0] == recompress(job)
    text = replace(_job(300, LADDER[2]), text=True)
    assert measure(text, (LADDER[2],))[0] == recompress(text)


def test_a_text_scan_becomes_a_full_resolution_mask_over_small_layers() -> None:
    page = text_scan()
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "L", 300, LADDER[-1], 150, text=True)
    result = recompress(job)
    assert result.mode == "mrc" and result.layers is not None
    assert (result.layers.width, result.layers.height) == (2480, 3508), "the scan's resolution"
    assert abs(result.dpi - 300) < 0.5
    assert result.size < len(job.data) / 5
    photo = replace(job, data=jpeg_bytes(Image.effect_noise((2480, 3508), 40), 90))
    assert recompress(photo).mode == "L", "a photograph stays a JPEG"


def test_a_seal_keeps_its_colour() -> None:
    page = text_scan(colour=True)
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "RGB", 300, LADDER[2], 150, text=True)
    layers = recompress(job).layers
    assert layers is not None and layers.mode == "RGB"
    foreground = Image.open(io.BytesIO(layers.foreground)).convert("RGB")
    scale = foreground.width / 2480
    ring = foreground.getpixel((round(1800 * scale), round(2515 * scale)))
    text = foreground.getpixel((round(1000 * scale), round(307 * scale)))
    assert isinstance(ring, tuple) and isinstance(text, tuple)
    assert ring[0] > 150 and ring[1] < 90, f"the seal is red: {ring}"
    assert max(text) < 90, f"the text is dark: {text}"


def test_a_result_no_smaller_than_the_original_keeps_the_original() -> None:
    """Lossless screenshots never grow: flat colours deflate better than any JPEG."""
    shot = Image.new("RGB", (1600, 1000), "white")
    ImageDraw.Draw(shot).rectangle((100, 100, 600, 400), fill=(30, 90, 200))
    samples = shot.tobytes()
    job = ImageJob(0, samples, False, 1600, 1000, "RGB", 150, LADDER[0], 150, stored=3_000)
    assert recompress(job).data is None


def test_small_print_is_drawn_in_its_own_ink_not_a_patchwork_of_black_and_grey() -> None:
    """Thin strokes (a 7.5 pt footnote's) are half paper at the foreground's working
    resolution: their colour came out light grey where the cell kept some ink and black
    where it kept none, and JPEG's ringing between the two cut gaps into the strokes."""
    page = Image.new("L", (2480, 3508), 245)
    draw = ImageDraw.Draw(page)
    for y in range(300, 3300, 40):
        for x in range(250, 2200, 24):
            draw.line((x, y, x + 14, y), fill=40, width=2)
            draw.line((x, y, x, y + 14), fill=40, width=3)
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "L", 300, LADDER[-1], 150, text=True)
    layers = recompress(job).layers
    assert layers is not None
    drawn = Image.open(io.BytesIO(layers.foreground)).convert("L").resize(page.size)
    ink = page.point(lambda v: 255 if v < 140 else 0).tobytes()
    values = sorted(v for v, m in zip(drawn.tobytes(), ink, strict=True) if m)
    quartiles = values[len(values) // 4], values[len(values) // 2], values[3 * len(values) // 4]
    assert abs(quartiles[1] - 40) <= 15, f"the ink is drawn as dark as it was scanned: {quartiles}"
    assert quartiles[2] - quartiles[0] <= 30, f"one ink, one tone: {quartiles}"


def test_a_signature_and_a_thin_seal_beside_text_keep_their_colours() -> None:
    """A pen stroke is one foreground cell wide, beside cells of black text: with the
    foreground's chroma at half resolution it came out grey and the seal brown."""
    page = Image.new("RGB", (2480, 3508), (246, 246, 242))
    draw = ImageDraw.Draw(page)
    for y in range(300, 3300, 60):
        draw.rectangle((250, y, 2200, y + 8), fill=(25, 25, 25))
    pen = [(300 + 40 * i, 1530 + (35 if i % 2 else 0)) for i in range(40)]
    draw.line(pen, fill=(35, 55, 175), width=5)
    draw.ellipse((1500, 2400, 2100, 3000), outline=(205, 35, 40), width=9)
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "RGB", 300, LADDER[2], 150, text=True)
    layers = recompress(job).layers
    assert layers is not None
    drawn = Image.open(io.BytesIO(layers.foreground)).convert("RGB").resize(page.size)

    def median_colour(colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> list[int]:
        """The drawn colour, channel by channel, where the scan shows `colour` in `box`."""
        scanned, shown = page.crop(box).tobytes(), drawn.crop(box).tobytes()
        where = [
            i
            for i in range(0, len(scanned), 3)
            if sum(abs(scanned[i + k] - colour[k]) for k in range(3)) < 60
        ]
        return [sorted(shown[i + k] for i in where)[len(where) // 2] for k in range(3)]

    blue = median_colour((35, 55, 175), (280, 1500, 1900, 1600))
    red = median_colour((205, 35, 40), (1500, 2400, 2100, 3000))
    assert blue[2] > blue[0] + 70, f"the signature stays blue: {blue}"
    assert red[0] > red[2] + 90, f"the seal stays red: {red}"


def test_the_rim_of_a_seal_ring_is_red_not_the_pages_black() -> None:
    """The ring's soft rim is ink in the full-resolution mask but gone at the
    foreground's working resolution: those cells took the page's ink colour, so the ring
    was edged with dark specks."""
    page = Image.new("RGB", (2480, 3508), (246, 246, 242))
    draw = ImageDraw.Draw(page)
    for y in range(300, 2300, 60):
        draw.rectangle((250, y, 2200, y + 8), fill=(25, 25, 25))
    draw.ellipse((1500, 2400, 2100, 3000), outline=(205, 35, 40), width=9)
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "RGB", 300, LADDER[2], 150, text=True)
    layers = recompress(job).layers
    assert layers is not None
    drawn = Image.open(io.BytesIO(layers.foreground)).convert("RGB").resize(page.size)
    box = (1480, 2380, 2120, 3020)
    scanned, shown = page.crop(box).tobytes(), drawn.crop(box).tobytes()
    ring = [i for i in range(0, len(scanned), 3) if scanned[i] - scanned[i + 1] > 40]
    dark = [i for i in ring if shown[i] < 110]
    assert len(dark) <= len(ring) // 200, f"{len(dark)} of {len(ring)} ring pixels drawn dark"
