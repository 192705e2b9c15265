"""Reading drafts and profiles from JSON files with messages a user can act on.

Whatever is wrong with a file (missing, not JSON, a field of the wrong type, written by
a newer version) becomes one `InputError` naming the file, the place and the fix; the
command line prints it instead of a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from forms.draft.model import DRAFT_FORMAT, PROFILE_FORMAT, Attachment, Draft, Profile
from forms.system.atomic import write_text_atomic
from forms.text import TextError


class InputError(TextError):
    """A file or option the user gave cannot be used; the message says why and what to do."""


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError.of("input.file_not_found", path=path) from None
    except IsADirectoryError:
        raise InputError.of("input.is_a_folder", path=path) from None
    except UnicodeDecodeError:
        raise InputError.of("input.not_utf8", path=path) from None
    except OSError as exc:
        raise InputError.of("input.unreadable", path=path, detail=exc.strerror) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.of(
            "input.bad_json", path=path, line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from None


def validation_details(error: ValidationError) -> str:
    """Each field pydantic refused, one per line (field path: problem)."""
    return "\n".join(
        f"  {'.'.join(str(p) for p in item['loc']) or '(top level)'}: {item['msg']}"
        for item in error.errors()
    )


def describe_validation(path: Path, error: ValidationError) -> str:
    return str(InputError.of("input.bad_content", path=path, detail=validation_details(error)))


def _validate(path: Path, model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError.of(
            "input.bad_content", path=path, detail=validation_details(exc)
        ) from None


def load_draft(path: Path) -> Draft:
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("format", DRAFT_FORMAT) != DRAFT_FORMAT:
        raise InputError.of("input.not_a_draft", path=path, expected=DRAFT_FORMAT)
    draft: Draft = _validate(path, Draft, data)
    return draft


def load_profile_or_draft(path: Path) -> Profile:
    """A company profile, or the profile part of a draft."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputError.of("input.not_an_object", path=path)
    kind = data.get("format")
    if kind == DRAFT_FORMAT:
        draft: Draft = _validate(path, Draft, data)
        return draft.to_profile()
    if kind not in (None, PROFILE_FORMAT):
        raise InputError.of("input.unknown_format", path=path, kind=kind)
    profile: Profile = _validate(path, Profile, data)
    return profile


def files_beside(folder: Path) -> Callable[[Attachment], bool]:
    """Whether the file an attachment of a JSON draft names exists: relative names are
    read from `folder` (the draft file's own folder)."""

    def exists(attachment: Attachment) -> bool:
        path = Path(attachment.file)
        return (path if path.is_absolute() else folder / path).is_file()

    return exists


def save_json_atomic(path: Path, model: BaseModel) -> None:
    """Write to a temporary file in the same folder, then rename: a crash never leaves
    half a file where the previous good one was."""
    write_text_atomic(path, model.model_dump_json(indent=2) + "\n")
