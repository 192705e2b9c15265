"""Display names of domain values in the interface language.

The words are `forms.text`'s (one table for the app, the command line and the documents,
so a verdict reads the same everywhere); this module only remembers the interface
language, which `i18n.install` sets when the language changes.
"""

from __future__ import annotations

from enum import Enum

from forms.text import Language, label, render

_language: list[Language] = ["zh"]


def set_language(language: Language) -> None:
    _language[0] = language


def name(value: Enum) -> str:
    """The display name of a domain value (its code when none is known)."""
    return label(value, _language[0])


def unanswered() -> str:
    return render("answer.unanswered", None, _language[0])


def yes() -> str:
    return render("answer.yes", None, _language[0])


def no() -> str:
    return render("answer.no", None, _language[0])
