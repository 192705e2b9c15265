"""The bench's OCR measure: characters read wrong are counted the way a reader would."""

from __future__ import annotations

import pytest

from bench import tools
from bench.legibility import accuracy, errors


def test_a_reading_with_one_wrong_character_counts_one_error() -> None:
    assert errors("审计报告第一页", "审计报告第二页", "body") == (1, 7)


def test_whitespace_and_half_width_punctuation_are_not_errors() -> None:
    assert errors("合同 (甲方): 上海", "合同（甲方）：上海", "body") == (0, 9)


def test_table_figures_compare_digits_and_separators_only() -> None:
    assert errors("| 1,234.50 | 元", "1,234.50", "table") == (0, 8)
    assert errors("1.234.50", "1,234.50", "table") == (1, 8)


def test_a_reading_full_of_noise_counts_at_most_every_character_wrong() -> None:
    wrong, length = errors("噪" * 50, "按时", "body")
    assert (wrong, length) == (2, 2)
    assert accuracy("噪" * 50, "按时", "body") == 0.0


def test_a_missing_bench_tool_is_named_with_the_packages_that_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ghostscript was missing on a fresh machine and the bench died after its shenbao
    runs with a traceback from the peer; it now installs or names what is missing."""
    monkeypatch.setattr("shutil.which", lambda command: None)
    monkeypatch.setattr("os.geteuid", lambda: 1000)  # not root: no apt
    assert tools.ensure(("gs",)) == "gs missing: apt-get install ghostscript"
    problem = tools.ensure(("tesseract", "pdftoppm"))
    assert problem is not None and "tesseract-ocr-chi-sim poppler-utils" in problem


def test_a_present_bench_tool_needs_nothing_unless_its_data_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("shutil.which", lambda command: f"/usr/bin/{command}")
    assert tools.ensure(("gs",)) is None
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    problem = tools.ensure(("tesseract",), ready=lambda: False)  # no chi_sim
    assert problem == "tesseract missing: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
