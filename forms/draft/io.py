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


class InputError(Exception):
    """A file the user gave cannot be used; the message says why and what to do."""


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: 文件不存在 / file not found") from None
    except IsADirectoryError:
        raise InputError(
            f"{path}: 这是文件夹，请指定JSON文件 / is a folder, give a JSON file"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: 不是UTF-8文本，请以UTF-8保存 / not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: 无法读取 / cannot read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: 第{exc.lineno}行第{exc.colno}列JSON格式错误 / invalid JSON at line "
            f"{exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def describe_validation(path: Path, error: ValidationError) -> str:
    lines = [f"{path}: 内容不符合格式 / content does not fit the format:"]
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def _validate(path: Path, model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation(path, exc)) from None


def load_draft(path: Path) -> Draft:
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("format", DRAFT_FORMAT) != DRAFT_FORMAT:
        raise InputError(f"{path}: 不是申报草稿（format应为{DRAFT_FORMAT}）/ not a draft file")
    draft: Draft = _validate(path, Draft, data)
    return draft


def load_profile_or_draft(path: Path) -> Profile:
    """A company profile, or the profile part of a draft."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: 应为JSON对象 / expected a JSON object")
    kind = data.get("format")
    if kind == DRAFT_FORMAT:
        draft: Draft = _validate(path, Draft, data)
        return draft.to_profile()
    if kind not in (None, PROFILE_FORMAT):
        raise InputError(f"{path}: 未知的文件类型“{kind}” / unknown file format {kind!r}")
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
