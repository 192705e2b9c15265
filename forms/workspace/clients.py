"""The clients of a workspace: one company profile per client, every version kept.

A client made for a company with a credit code gets an id derived from that code (keyed,
so it reveals nothing): two people starting a draft for the same new company at the same
moment both try to write that client's first version, the no-overwrite link lets one
through, and the other finds the client there and joins it. One client per credit code,
without a lock and without listing every client.

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

from forms.draft.model import Draft, Profile
from forms.text import Text
from forms.workspace import crypto, locks
from forms.workspace.errors import (
    ConcurrentWriteError,
    DataCorruptError,
    DraftLockedError,
    NotFoundError,
    WorkspaceError,
)
from forms.workspace.records import ClientInfo, ClientRecord
from forms.workspace.vault import CLIENTS, Vault, utc_now, version_files, version_name

if TYPE_CHECKING:
    from forms.workspace.store import Workspace


class ClientsMixin(Vault):
    def _client_dir(self, client_id: str) -> Path:
        return self.folder / CLIENTS / self._name("client", client_id)

    def _client_id_for_code(self, credit_code: str) -> str:
        """The id a new client with this credit code gets (the same in every copy of the
        workspace, and for every writer)."""
        return "c" + crypto.keyed_name(self._names, f"client-code\x1f{credit_code.upper()}")

    def _client_record(self, folder: Path, number: int, name: str) -> ClientRecord:
        raw = self._read(folder / name, "client", folder.name, str(number))
        try:
            record = ClientRecord.model_validate_json(raw)
        except ValidationError:
            raise DataCorruptError.of("workspace.record_malformed", what=name) from None
        if record.version != number or self._client_dir(record.client_id) != folder:
            raise DataCorruptError.of("workspace.file_misplaced", what=name)
        return record

    def _latest_client(self, folder: Path) -> tuple[ClientRecord, int] | None:
        """The newest readable version of a client and how many versions it has; a
        damaged newest file falls back to the one before."""
        files = version_files(folder)
        count = len({f.number for f in files})
        found: list[ClientRecord] = []
        for file in reversed(files):
            if found and file.number < found[0].version:
                break
            try:
                found.append(self._client_record(folder, file.number, file.name))
            except (DataCorruptError, NotFoundError):
                continue
        if not found:
            return None
        return max(found, key=lambda r: (r.version, r.saved_at)), count

    @staticmethod
    def _client_info(record: ClientRecord, count: int) -> ClientInfo:
        company = record.profile.get("company", {})
        return ClientInfo(
            id=record.client_id,
            name=str(company.get("name", "")),
            credit_code=str(company.get("credit_code", "")),
            versions=count,
            updated_at=record.saved_at,
        )

    def clients(self) -> list[ClientInfo]:
        infos = []
        root = self.folder / CLIENTS
        for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
            found = self._latest_client(folder)
            if found is not None and not found[0].deleted:
                infos.append(self._client_info(*found))
        return sorted(infos, key=lambda c: (c.name, c.id))

    def client_info(self, client_id: str) -> ClientInfo:
        found = self._latest_client(self._client_dir(client_id))
        if found is None:
            raise NotFoundError.of("workspace.no_client", client=client_id)
        return self._client_info(*found)

    def client_profile(self, client_id: str) -> Profile:
        found = self._latest_client(self._client_dir(client_id))
        if found is None:
            raise NotFoundError.of("workspace.no_client", client=client_id)
        try:
            return Profile.model_validate(found[0].profile)
        except ValidationError:
            raise DataCorruptError.of("workspace.record_malformed", what=client_id) from None

    def add_client(
        self, profile: Profile, *, author: str | None = None, client_id: str | None = None
    ) -> ClientInfo:
        """A new client. With a credit code and no id given, the client of that code: made
        once, whoever asks at the same moment (its id is derived from the code)."""
        code = profile.company.credit_code.strip()
        if client_id is None and code:
            derived = self._client_id_for_code(code)
            existing = self._latest_client(self._client_dir(derived))
            if existing is not None and existing[0].deleted:  # made again: a new version
                return self._save_client(derived, profile, author)
            if existing is not None:
                return self._client_info(*existing)
            try:
                return self._save_client(derived, profile, author, first=True)
            except ConcurrentWriteError:  # another writer made it just now: join it
                return self.client_info(derived)
        return self._save_client(client_id or uuid.uuid4().hex, profile, author)

    def update_client(
        self, client_id: str, profile: Profile, *, author: str | None = None
    ) -> ClientInfo:
        if self._latest_client(self._client_dir(client_id)) is None:
            raise NotFoundError.of("workspace.no_client", client=client_id)
        return self._save_client(client_id, profile, author)

    def _save_client(
        self, client_id: str, profile: Profile, author: str | None, *, first: bool = False
    ) -> ClientInfo:
        folder = self._client_dir(client_id)
        found = self._latest_client(folder)
        data = profile.model_dump(mode="json")
        if found is not None and found[0].profile == data:
            return self._client_info(*found)
        top = max((f.number for f in version_files(folder)), default=0)
        version = 1 if first else top + 1
        record = ClientRecord(
            client_id=client_id,
            version=version,
            saved_at=utc_now(),
            author=author or locks.current_user(),
            origin=self.origin,
            profile=data,
        )
        if first:
            # Every writer names the first version alike: the no-overwrite link lets only
            # one of two simultaneous creators through.
            try:
                self._write(
                    folder / version_name(1),
                    record.model_dump_json().encode("utf-8"),
                    "client",
                    folder.name,
                    "1",
                    exclusive=True,
                )
            except FileExistsError:
                raise ConcurrentWriteError(Text.of("workspace.client_taken")) from None
        else:
            self._write_version(
                folder, version, record, "client", Text.of("workspace.client_taken")
            )
        return self._client_info(record, (found[1] if found else 0) + 1)

    def has_client(self, client_id: str) -> bool:
        found = self._latest_client(self._client_dir(client_id))
        return found is not None and not found[0].deleted

    def mark_client_deleted(self, client_id: str, *, author: str | None = None) -> None:
        """The client leaves the list (a version marked deleted; nothing is erased).
        Its drafts are the caller's business: see `delete_client`."""
        folder = self._client_dir(client_id)
        found = self._latest_client(folder)
        if found is None or found[0].deleted:
            raise NotFoundError.of("workspace.no_client", client=client_id)
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
            Text.of("workspace.client_taken"),
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
        """The client a new draft belongs to: the client of its credit code (found by the
        code's derived id, else among older clients made before ids were derived), else
        the client with its company name, else a new client made from the draft."""
        code, name = draft.company.credit_code.strip(), draft.company.name.strip()
        if code:
            derived = self._client_id_for_code(code)
            found = self._latest_client(self._client_dir(derived))
            if found is not None and not found[0].deleted:
                return derived
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
        raise NotFoundError.of("workspace.no_client", client=client_id)
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
