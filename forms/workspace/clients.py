"""The clients of a workspace: one company profile per client, every version kept."""

from __future__ import annotations

import uuid
from pathlib import Path

from pydantic import ValidationError

from forms.draft.io import describe_validation
from forms.draft.model import Draft, Profile
from forms.workspace import locks
from forms.workspace.errors import DataCorruptError, NotFoundError
from forms.workspace.records import ClientInfo, ClientRecord
from forms.workspace.vault import CLIENTS, Vault, utc_now, version_name, versions_in


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
