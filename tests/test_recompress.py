"""Recompression of one scanned image: resolution floor, sizes, estimates that hold."""

from __future__ import annotations

from PIL import Image

from forms.package.recompress import LADDER, ImageJob, Level, measure, recompress
from tests.pdf_factory import jpeg_bytes, noisy_page


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


def test_a_300_dpi_scan_meets_the_rungs_at_half_its_resolution() -> None:
    result = recompress(_job(300, Level(200, 70)))
    assert (result.width, result.height) == (1240, 1754)
    assert abs(result.dpi - 150) < 0.5
    assert result.data is not None and result.data[:2] == b"\xff\xd8"


def test_odd_resolutions_are_resampled_exactly() -> None:
    result = recompress(_job(400, Level(175, 70), size=(3307, 4677)))
    assert abs(result.dpi - 175) < 0.5


def test_lower_rungs_are_smaller() -> None:
    sizes = measure(_job(300, LADDER[0]), LADDER)
    assert sizes[0] > sizes[-1]
    assert sizes == sorted(sizes, reverse=True)


def test_sampled_estimate_matches_the_real_encoding() -> None:
    """The package chooses a rung from `measure`; a wrong estimate costs files."""
    for level in (LADDER[0], LADDER[-1]):
        job = _job(300, level)
        estimate = measure(job, (level,))[0]
        real = recompress(job)
        assert real.data is not None
        assert 0.85 < estimate / len(real.data) < 1.15, level


def test_black_and_white_page_goes_to_one_bit() -> None:
    page = Image.new("L", (2480, 3508), 255)
    for y in range(300, 3300, 60):
        page.paste(0, (250, y, 2200, y + 14))
    job = ImageJob(0, jpeg_bytes(page, 95), True, 2480, 3508, "L", 300, LADDER[0], 150)
    result = recompress(job)
    assert result.mode == "1"
    assert result.data is not None and len(result.data) < len(job.data) / 5
