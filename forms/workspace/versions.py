"""A draft's history: diffs, restore, soft delete and undelete, duplicates."""

from __future__ import annotations

import uuid

from forms.draft.model import Draft, DraftStatus
from forms.workspace.drafts import DraftsMixin
from forms.workspace.records import VersionInfo, changed_fields
from forms.workspace.vault import utc_now


class VersionsMixin(DraftsMixin):
    def history(self, draft_id: str) -> list[VersionInfo]:
        folder, versions = self._existing(draft_id)
        return [VersionInfo.of(self._record_at(folder, v)) for v in versions]

    def diff(self, draft_id: str, old: int, new: int) -> list[str]:
        """Field paths that differ between two versions (`updated` left out)."""
        return changed_fields(self.record(draft_id, old).draft, self.record(draft_id, new).draft)

    def restore(self, draft_id: str, version: int, *, author: str | None = None) -> VersionInfo:
        """A new version with the content of `version` (history is never rewritten)."""
        old = self.record(draft_id, version)
        return self._commit(
            draft_id, old.draft, "restore", author=author, deleted=False, restored_from=version
        )

    def delete_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        """Soft delete: a version marked deleted; `undelete_draft` or `restore` brings it back."""
        return self._commit(
            draft_id, self.record(draft_id).draft, "delete", author=author, deleted=True
        )

    def undelete_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        return self._commit(
            draft_id, self.record(draft_id).draft, "undelete", author=author, deleted=False
        )

    def duplicate_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        """A new draft (new id, status draft) with the same content and client."""
        source = self.record(draft_id)
        copy = Draft.model_validate(source.draft)
        now = utc_now().replace(microsecond=0)
        copy = copy.model_copy(
            update={
                "id": uuid.uuid4().hex,
                "title": f"{copy.title}（副本）" if copy.title else "（副本）",
                "status": DraftStatus.DRAFT,
                "created": now,
                "updated": now,
            }
        )
        return self._commit(
            copy.id,
            copy.model_dump(mode="json"),
            "duplicate",
            author=author,
            client_id=source.client_id,
        )
