"""The bench's OCR measure: characters read wrong are counted the way a reader would."""

from __future__ import annotations

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
