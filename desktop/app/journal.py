"""The session journal: which drafts were open, on which step, in which workspace.

Written whenever a draft is opened, closed or changes step, and marked clean on a
normal exit. Drafts themselves are autosaved through the store; the journal holds only
ids and steps (no content, so nothing sensitive leaves the encrypted workspace). On the
next start the same drafts reopen on the same steps; an unclean mark means the last run
crashed, and the window says that it restored them.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from forms.draft.flow import StepId
from forms.draft.io import save_json_atomic
from forms.system.paths import data_home

JOURNAL_FILE = "session.json"


class OpenDraft(BaseModel):
    id: str
    step: StepId = StepId.COMPANY


class Journal(BaseModel):
    workspace: Path | None = None
    open: list[OpenDraft] = Field(default_factory=list)
    active: str | None = None
    clean: bool = True


def journal_path() -> Path:
    return data_home() / JOURNAL_FILE


def read_journal(path: Path | None = None) -> Journal:
    try:
        return Journal.model_validate(json.loads((path or journal_path()).read_text("utf-8")))
    except (OSError, ValueError, ValidationError):
        return Journal()


def write_journal(journal: Journal, path: Path | None = None) -> None:
    # Losing the list of open tabs must never stop the user's work.
    with contextlib.suppress(OSError):
        save_json_atomic(path or journal_path(), journal)
