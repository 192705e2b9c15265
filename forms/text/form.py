"""The application form's own words (labels and sentences of the 申报书), one pair each."""

from __future__ import annotations

FORM: dict[str, tuple[str, str]] = {}
