"""The audit log of a draft: its versions, and events that are not versions (exports)."""

from __future__ import annotations

import secrets

from pydantic import ValidationError

from forms.workspace import locks
from forms.workspace.drafts import DraftsMixin
from forms.workspace.errors import DataCorruptError
from forms.workspace.records import AuditEntry, EventRecord
from forms.workspace.vault import EVENTS, utc_now


class AuditMixin(DraftsMixin):
    def record_event(
        self, draft_id: str, action: str, detail: str = "", *, author: str | None = None
    ) -> None:
        """Note something done with a draft that is not a new version (an export)."""
        folder, _ = self._existing(draft_id)
        now = utc_now()
        event = EventRecord(
            draft_id=draft_id,
            at=now,
            author=author or locks.current_user(),
            action=action,
            detail=detail,
        )
        events = folder / EVENTS
        name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(4)}.enc"
        self._write(
            events / name,
            event.model_dump_json().encode("utf-8"),
            "event",
            folder.name,
            name,
            exclusive=True,
        )

    def audit(self, draft_id: str) -> list[AuditEntry]:
        """Who changed which fields when (from the versions), and exports and imports."""
        folder, files = self._existing(draft_id)
        entries = [
            AuditEntry(
                at=r.saved_at,
                author=r.author,
                action=r.action,
                version=r.version,
                fields=tuple(r.changed),
                detail=f"restored from version {r.restored_from}" if r.restored_from else "",
            )
            for r in self._readable(folder, files)
        ]
        events = folder / EVENTS
        for path in sorted(events.glob("*.enc")) if events.is_dir() else []:
            try:
                raw = self._read(path, "event", folder.name, path.name)
                event = EventRecord.model_validate_json(raw)
            except (DataCorruptError, ValidationError):
                continue  # a damaged event note: the versions above still tell the story
            entries.append(AuditEntry(event.at, event.author, event.action, None, (), event.detail))
        return sorted(entries, key=lambda e: e.at)
