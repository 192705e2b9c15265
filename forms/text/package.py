"""Problems of the upload package and of the attachments it reads, one pair per code."""

from __future__ import annotations

PROBLEMS: dict[str, tuple[str, str]] = {}
