"""What the encrypted files hold, and the summaries the workspace hands out.

A draft version file holds one `VersionRecord`: the whole draft as JSON plus who saved it,
when, why (save, restore, delete, import …) and which fields changed since the version
before. So the history, the field-level audit trail and soft deletion need no separate
mutable file that a crash could leave half-written: the latest version is the state.

A record also says which copy of the workspace wrote it (`origin`) and which version it
was based on (`parent`), so two copies that saved the same draft while apart (a synced
folder on two laptops) are seen as two heads to choose between, never one silently
replacing the other; and a save based on an older version is merged field by field
(`merge`) or refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from forms.draft.model import DraftStatus

Action = Literal[
    "create", "save", "restore", "delete", "undelete", "duplicate", "import", "resolve"
]


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
    #: The copy of the workspace that wrote this version (8 hex digits; "" before sync
    #: safety): with the version number it names the file, `v000004-<origin>.enc`.
    origin: str = ""
    #: The version this one was saved on top of (`VersionRecord.key`), None for the first
    #: one and for versions written before this was recorded.
    parent: str | None = None
    #: Other heads this version resolves (a sync conflict settled by `resolve`).
    resolves: list[str] = []
    #: Fields changed elsewhere meanwhile that this save merged in (its base was older).
    merged: list[str] = []
    #: The draft as `Draft.model_dump(mode="json")`; validated into a `Draft` on load so a
    #: draft of an older draft schema goes through the model's own checks.
    draft: dict[str, Any]

    @property
    def key(self) -> str:
        """Which version this is, even where two copies wrote the same number: "4-1a2b3c4d"
        ("4" for a version written before origins were recorded)."""
        return version_key(self.version, self.origin)


def version_key(version: int, origin: str) -> str:
    return f"{version}-{origin}" if origin else str(version)


class ClientRecord(_Record):
    record: Literal["shenbao.client"] = "shenbao.client"
    client_id: str
    version: int
    saved_at: datetime
    author: str
    origin: str = ""
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
    #: The latest version's number (with `versions`, the count, they differ after a sync).
    version: int = 0
    #: Versions above `version` whose files cannot be read (the draft shows `version`, the
    #: last good one; `Workspace.restore` brings it back on top).
    damaged: tuple[int, ...] = ()
    #: Two or more heads saved apart in two copies of the workspace (their keys, "4-1a2b…"):
    #: a conflict for the user to resolve.
    conflict: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnreadableDraft:
    """A draft folder none of whose versions can be read: its id is not even known."""

    name: str
    files: int


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
    key: str = ""  # `VersionRecord.key`: tells two heads of the same number apart
    #: Fields another save changed meanwhile that were merged into this one; the caller
    #: must show the merged draft (and tell the user), not keep its own copy.
    merged: tuple[str, ...] = ()
    #: The version the merged-in changes came from (the latest one when this was saved).
    merged_with: int | None = None
    damaged: bool = False  # this version's file cannot be read (history lists it anyway)

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
            key=record.key,
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


def merge(base: Any, mine: Any, theirs: Any, path: str = "") -> tuple[Any, list[str], list[str]]:
    """Three-way merge of JSON values: `mine` and `theirs` both started from `base`.

    Returns the merged value, the field paths both changed differently (conflicts; the
    merged value then holds `theirs` there) and the paths only `theirs` changed. Objects
    merge key by key; lists of equal length item by item (a budget line edited here and
    another there); anything else changed on both sides differently is a conflict.
    """
    if mine == theirs:
        return mine, [], []
    if mine == base:
        return theirs, [], _paths_between(base, theirs, path)
    if theirs == base:
        return mine, [], []
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        merged: dict[str, Any] = {}
        conflicts: list[str] = []
        taken: list[str] = []
        for key in list(dict.fromkeys([*base, *mine, *theirs])):
            if key in IGNORED_FIELDS and not path:
                merged[key] = mine.get(key, theirs.get(key))
                continue
            missing = _Missing
            value, clash, from_theirs = merge(
                base.get(key, missing),
                mine.get(key, missing),
                theirs.get(key, missing),
                f"{path}.{key}" if path else str(key),
            )
            conflicts += clash
            taken += from_theirs
            if value is not _Missing:
                merged[key] = value
        return merged, conflicts, taken
    if (
        isinstance(base, list)
        and isinstance(mine, list)
        and isinstance(theirs, list)
        and len(base) == len(mine) == len(theirs)
    ):
        items: list[Any] = []
        conflicts, taken = [], []
        for index, (b, m, t) in enumerate(zip(base, mine, theirs, strict=True)):
            value, clash, from_theirs = merge(b, m, t, f"{path}[{index}]")
            items.append(value)
            conflicts += clash
            taken += from_theirs
        return items, conflicts, taken
    return theirs, [path or "(all)"], []


def _paths_between(old: Any, new: Any, path: str) -> list[str]:
    """The leaf paths where `new` differs from `old` (`company.staff`, not `company`)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if old is not _Missing:
        _flatten(old, path, before)
    if new is not _Missing:
        _flatten(new, path, after)
    paths = [p for p, v in after.items() if p not in before or before[p] != v]
    paths += [p for p in before if p not in after]
    return [p or "(all)" for p in paths]


class _MissingType:
    """A key absent on one side (deleted there), distinct from a JSON null."""

    def __repr__(self) -> str:
        return "<missing>"


_Missing: Any = _MissingType()
