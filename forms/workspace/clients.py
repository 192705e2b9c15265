"""The clients of a workspace: one company profile per client, every version kept.

A client holds the company profile (identity, address and district, people, contact,
finances); a new draft starts from it (`new_draft_for`), and company data edited in a
draft can be carried back to the client and, on request, to its other drafts
(`carry_to_client`). Deleting a client is soft, like deleting a draft: a version marked
deleted, which leaves it out of the list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from forms.draft.io import describe_validation
from forms.draft.model import Draft, Profile
from forms.workspace import locks
from forms.workspace.errors import (
    DataCorruptError,
    DraftLockedError,
    NotFoundError,
    WorkspaceError,
)
from forms.workspace.records import ClientInfo, ClientRecord
from forms.workspace.vault import CLIENTS, Vault, utc_now, version_name, versions_in

if TYPE_CHECKING:
    from forms.workspace.store import Workspace


class ClientsMixin(Vault):
    def _client_dir(self, client_id: str) -> Path:
        return self.folder / CLIENTS / self._name("client", client_id)

    def _client_record(self, folder: Path, version: int) -> ClientRecord:
        raw = self._read(folder / version_name(version), "client", folder.name, str(version))
        try:
            record = ClientRecord.model_validate_json(raw)
        except ValidationError as exc:
            raise DataCorruptError(
                describe_validation(folder / version_name(version), exc)
            ) from None
        if record.version != version or self._client_dir(record.client_id) != folder:
            raise DataCorruptError(f"{folder}: 文件与位置不符 / file does not match its place")
        return record

    def _latest_client(self, folder: Path) -> tuple[ClientRecord, int] | None:
        versions = versions_in(folder)
        return (self._client_record(folder, versions[-1]), len(versions)) if versions else None

    def clients(self) -> list[ClientInfo]:
        infos = []
        root = self.folder / CLIENTS
        for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
            found = self._latest_client(folder)
            if found is None:
                continue
            record, count = found
            if record.deleted:
                continue
            company = record.profile.get("company", {})
            infos.append(
                ClientInfo(
                    id=record.client_id,
                    name=str(company.get("name", "")),
                    credit_code=str(company.get("credit_code", "")),
                    versions=count,
                    updated_at=record.saved_at,
                )
            )
        return sorted(infos, key=lambda c: (c.name, c.id))

    def client_profile(self, client_id: str) -> Profile:
        found = self._latest_client(self._client_dir(client_id))
        if found is None:
            raise NotFoundError(f"没有此客户 / no client {client_id!r}")
        try:
            return Profile.model_validate(found[0].profile)
        except ValidationError as exc:
            raise DataCorruptError(describe_validation(Path(client_id), exc)) from None

    def add_client(
        self, profile: Profile, *, author: str | None = None, client_id: str | None = None
    ) -> ClientInfo:
        return self._save_client(client_id or uuid.uuid4().hex, profile, author)

    def update_client(
        self, client_id: str, profile: Profile, *, author: str | None = None
    ) -> ClientInfo:
        if self._latest_client(self._client_dir(client_id)) is None:
            raise NotFoundError(f"没有此客户 / no client {client_id!r}")
        return self._save_client(client_id, profile, author)

    def _save_client(self, client_id: str, profile: Profile, author: str | None) -> ClientInfo:
        folder = self._client_dir(client_id)
        folder.mkdir(parents=True, exist_ok=True)
        found = self._latest_client(folder)
        data = profile.model_dump(mode="json")
        if found is None or found[0].profile != data:
            version = found[0].version + 1 if found else 1
            record = ClientRecord(
                client_id=client_id,
                version=version,
                saved_at=utc_now(),
                author=author or locks.current_user(),
                profile=data,
            )
            self._write_version(
                folder,
                version,
                record,
                "client",
                "客户资料刚被另一处修改，请重试 / the client was just changed elsewhere; retry",
            )
        info = next(c for c in self.clients() if c.id == client_id)
        return info

    def has_client(self, client_id: str) -> bool:
        found = self._latest_client(self._client_dir(client_id))
        return found is not None and not found[0].deleted

    def mark_client_deleted(self, client_id: str, *, author: str | None = None) -> None:
        """The client leaves the list (a version marked deleted; nothing is erased).
        Its drafts are the caller's business: see `delete_client`."""
        folder = self._client_dir(client_id)
        found = self._latest_client(folder)
        if found is None or found[0].deleted:
            raise NotFoundError(f"没有此客户 / no client {client_id!r}")
        record = found[0].model_copy(
            update={
                "version": found[0].version + 1,
                "saved_at": utc_now(),
                "author": author or locks.current_user(),
                "deleted": True,
            }
        )
        self._write_version(
            folder,
            record.version,
            record,
            "client",
            "客户资料刚被另一处修改，请重试 / the client was just changed elsewhere; retry",
        )

    def new_draft_for(self, client_id: str) -> Draft:
        """A new draft that starts from the client's company data (company and finances;
        the project, direction and declarations are the draft's own)."""
        profile = self.client_profile(client_id)
        return Draft(
            company=profile.company.model_copy(deep=True),
            financials=[year.model_copy() for year in profile.financials],
        )

    def _client_for(self, draft: Draft, author: str | None) -> str:
        """The client a new draft belongs to: same credit code, else same company name,
        else a new client made from the draft's company data."""
        code, name = draft.company.credit_code, draft.company.name.strip()
        known = self.clients()
        for info in known:
            if code and info.credit_code == code:
                return info.id
        for info in known:
            if name and info.name.strip() == name:
                return info.id
        return self.add_client(draft.to_profile(), author=author).id


# -- across clients and drafts -------------------------------------------------------------

#: The parts of a draft that are the company's rather than the project's.
COMPANY_PARTS = ("company", "financials")


def company_differences(draft: Draft, profile: Profile) -> list[str]:
    """Which company parts of `draft` differ from the client's profile ("company",
    "financials"): what carrying the data one way or the other would change."""
    return [part for part in COMPANY_PARTS if getattr(draft, part) != getattr(profile, part)]


def with_company_of(profile: Profile, draft: Draft) -> Profile:
    """`profile` with the draft's company data (the rest of the profile is kept)."""
    return profile.model_copy(
        update={
            "company": draft.company.model_copy(deep=True),
            "financials": [year.model_copy() for year in draft.financials],
        }
    )


@dataclass(frozen=True)
class CarryResult:
    updated: list[str]  # ids of the client's other drafts now holding the data
    skipped: list[tuple[str, str]]  # (draft id, why) of drafts that could not be changed


def carry_to_client(
    ws: Workspace,
    draft: Draft,
    client_id: str,
    *,
    other_drafts: bool = False,
    author: str | None = None,
) -> CarryResult:
    """Carry the company data of `draft` back to its client and, with `other_drafts`,
    into the client's other drafts (each a new version; a draft someone else is editing
    is skipped and named)."""
    if not ws.has_client(client_id):
        raise NotFoundError(f"没有此客户 / no client {client_id!r}")
    profile = with_company_of(ws.client_profile(client_id), draft)
    ws.update_client(client_id, profile, author=author)
    if not other_drafts:
        return CarryResult([], [])
    return _into_drafts(ws, profile, client_id, skip=draft.id, author=author)


def carry_from_client(ws: Workspace, client_id: str, *, author: str | None = None) -> CarryResult:
    """The client's company data into each of its drafts (after the client was edited)."""
    return _into_drafts(ws, ws.client_profile(client_id), client_id, skip=None, author=author)


def _into_drafts(
    ws: Workspace, profile: Profile, client_id: str, *, skip: str | None, author: str | None
) -> CarryResult:
    updated: list[str] = []
    skipped: list[tuple[str, str]] = []
    for info in ws.drafts(client_id):
        if info.id == skip:
            continue
        other = ws.load_draft(info.id)
        if not company_differences(other, profile):
            continue
        changed = other.model_copy(
            update={
                "company": profile.company.model_copy(deep=True),
                "financials": [year.model_copy() for year in profile.financials],
            }
        )
        try:
            ws.save_draft(changed, author=author)
        except DraftLockedError as exc:
            skipped.append((info.id, str(exc)))
            continue
        updated.append(info.id)
    return CarryResult(updated, skipped)


def delete_client(
    ws: Workspace, client_id: str, *, with_drafts: bool = False, author: str | None = None
) -> list[str]:
    """Delete a client (softly). A client with drafts is deleted only `with_drafts`, and
    then its drafts are deleted with it (each restorable); returns their ids."""
    drafts = [info.id for info in ws.drafts(client_id)]
    if drafts and not with_drafts:
        raise WorkspaceError.of("client.has_drafts", n=len(drafts))
    for draft_id in drafts:
        ws.delete_draft(draft_id, author=author)
    ws.mark_client_deleted(client_id, author=author)
    return drafts
