"""What the encrypted files hold, and the summaries the workspace hands out.

A draft version file holds one `VersionRecord`: the whole draft as JSON plus who saved it,
when, why (save, restore, delete, import …) and which fields changed since the version
before. So the history, the field-level audit trail and soft deletion need no separate
mutable file that a crash could leave half-written: the latest version is the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from forms.draft.model import DraftStatus

Action = Literal["create", "save", "restore", "delete", "undelete", "duplicate", "import"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VersionRecord(_Record):
    record: Literal["shenbao.draft-version"] = "shenbao.draft-version"
    draft_id: str
    client_id: str
    version: int
    saved_at: datetime
    author: str
    action: Action
    changed: list[str]
    deleted: bool = False
    restored_from: int | None = None
    #: The draft as `Draft.model_dump(mode="json")`; validated into a `Draft` on load so a
    #: draft of an older draft schema goes through the model's own checks.
    draft: dict[str, Any]


class ClientRecord(_Record):
    record: Literal["shenbao.client"] = "shenbao.client"
    client_id: str
    version: int
    saved_at: datetime
    author: str
    profile: dict[str, Any]
    #: A deleted client is left out of the list; its versions (and drafts) stay readable.
    deleted: bool = False


class EventRecord(_Record):
    """Something done with a draft that is not a new version: an export, for instance."""

    record: Literal["shenbao.event"] = "shenbao.event"
    draft_id: str
    at: datetime
    author: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class ClientInfo:
    id: str
    name: str
    credit_code: str
    versions: int
    updated_at: datetime


@dataclass(frozen=True)
class DraftInfo:
    id: str
    client_id: str
    company_name: str
    title: str
    direction: str | None
    status: DraftStatus
    versions: int
    updated_at: datetime
    deleted: bool


@dataclass(frozen=True)
class VersionInfo:
    draft_id: str
    version: int
    saved_at: datetime
    author: str
    action: str
    changed: tuple[str, ...]
    deleted: bool
    restored_from: int | None = None

    @classmethod
    def of(cls, record: VersionRecord) -> VersionInfo:
        return cls(
            draft_id=record.draft_id,
            version=record.version,
            saved_at=record.saved_at,
            author=record.author,
            action=record.action,
            changed=tuple(record.changed),
            deleted=record.deleted,
            restored_from=record.restored_from,
        )


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    author: str
    action: str
    version: int | None
    fields: tuple[str, ...]
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "author": self.author,
            "action": self.action,
            "version": self.version,
            "fields": list(self.fields),
            "detail": self.detail,
        }


#: Bookkeeping fields that change on every save and say nothing about the content.
IGNORED_FIELDS = frozenset({"updated"})


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        if not value:
            out[prefix] = []
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}[{index}]", out)
    else:
        out[prefix] = value


def changed_fields(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Field paths (`company.name`, `project.budget[2].amount`) whose value differs.

    Lists are compared by position: inserting a budget line reports the lines after it,
    which is what a reviewer comparing two printouts sees too.
    """
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if old is not None:
        _flatten({k: v for k, v in old.items() if k not in IGNORED_FIELDS}, "", before)
    _flatten({k: v for k, v in new.items() if k not in IGNORED_FIELDS}, "", after)
    paths = [p for p, v in after.items() if p not in before or before[p] != v]
    paths += [p for p in before if p not in after]
    return paths


def same_content(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return {k: v for k, v in old.items() if k not in IGNORED_FIELDS} == {
        k: v for k, v in new.items() if k not in IGNORED_FIELDS
    }
