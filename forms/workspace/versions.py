"""A draft's history: diffs, restore, soft delete and undelete, duplicates, sync conflicts."""

from __future__ import annotations

import uuid

from forms.draft.model import Draft, DraftStatus
from forms.workspace.drafts import DraftsMixin
from forms.workspace.errors import SyncConflictError
from forms.workspace.records import VersionInfo, VersionRecord, changed_fields, merge
from forms.workspace.vault import utc_now


class VersionsMixin(DraftsMixin):
    def history(self, draft_id: str) -> list[VersionInfo]:
        """Every version, oldest first: both heads where two copies saved apart, and a
        placeholder (`damaged=True`) for a version whose file cannot be read."""
        folder, files = self._existing(draft_id)
        out: list[VersionInfo] = []
        for number in sorted({f.number for f in files}):
            records = self._readable(folder, [f for f in files if f.number == number])
            if not records:
                out.append(
                    VersionInfo(draft_id, number, utc_now(), "?", "?", (), False, damaged=True)
                )
            out += [VersionInfo.of(r) for r in records]
        return out

    def diff(self, draft_id: str, old: int | str, new: int | str) -> list[str]:
        """Field paths that differ between two versions (`updated` left out)."""
        return changed_fields(self.record(draft_id, old).draft, self.record(draft_id, new).draft)

    def restore(
        self, draft_id: str, version: int | str, *, author: str | None = None
    ) -> VersionInfo:
        """A new version with the content of `version` (history is never rewritten); also
        how a draft whose latest file is damaged gets its last good version back."""
        old = self.record(draft_id, version)
        return self._commit(
            draft_id,
            old.draft,
            "restore",
            author=author,
            deleted=False,
            restored_from=old.version,
        )

    def delete_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        """Soft delete: a version marked deleted; `undelete_draft` or `restore` brings it back."""
        self.record(draft_id)  # NotFoundError, DraftDamagedError before anything is locked
        return self._commit(draft_id, None, "delete", author=author, deleted=True)

    def undelete_draft(self, draft_id: str, *, author: str | None = None) -> VersionInfo:
        self.record(draft_id)
        return self._commit(draft_id, None, "undelete", author=author, deleted=False)

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

    # -- sync conflicts ------------------------------------------------------------------

    def conflict(self, draft_id: str) -> list[VersionRecord]:
        """The heads of a sync conflict (two copies saved this draft while apart), newest
        last; empty when there is none."""
        folder, files = self._existing(draft_id)
        heads = self._state(folder, files).heads
        return sorted(heads, key=lambda r: (r.version, r.saved_at)) if len(heads) > 1 else []

    def resolve_conflict(
        self, draft_id: str, keep: str | None = None, *, author: str | None = None
    ) -> VersionInfo:
        """Settle a sync conflict with one new version: the head `keep` (a key from
        `conflict()`, or its version number when that is unambiguous), or, without `keep`,
        both heads merged field by field when they changed different fields. The other
        heads stay in the history."""
        heads = self.conflict(draft_id)
        labels = ", ".join(h.key for h in heads)
        if not heads:
            raise SyncConflictError.of("workspace.not_in_conflict", draft=draft_id)
        if keep is not None:
            chosen = [h for h in heads if keep in (h.key, str(h.version))]
            if len(chosen) != 1:
                raise SyncConflictError.of(
                    "workspace.not_a_head", version=keep, draft=draft_id, heads=labels
                )
            winner = chosen[0]
            data = winner.draft
        else:
            if len(heads) != 2:
                raise SyncConflictError.of(
                    "workspace.heads_overlap", fields=labels, fields_en=labels
                )
            winner = heads[-1]
            ancestor = self._common_ancestor(draft_id, heads[0], heads[1])
            data, clashes, _theirs = merge(
                ancestor.draft if ancestor else {}, winner.draft, heads[0].draft
            )
            if clashes:
                shown = ", ".join(clashes[:8])
                raise SyncConflictError.of("workspace.heads_overlap", fields=shown)
        others = [h.key for h in heads if h is not winner]
        return self._commit(
            draft_id,
            data,
            "resolve",
            author=author,
            deleted=winner.deleted,
            parent=winner,
            resolves=others,
        )

    def _common_ancestor(
        self, draft_id: str, one: VersionRecord, two: VersionRecord
    ) -> VersionRecord | None:
        """The newest version both heads were built on."""
        folder, files = self._existing(draft_id)
        everything = {r.key: r for r in self._readable(folder, files)}

        def chain(record: VersionRecord) -> list[str]:
            keys: list[str] = []
            current: VersionRecord | None = record
            while current is not None:
                keys.append(current.key)
                parent = current.parent
                if parent is None:  # an older version: the unique one numbered below
                    below = [r for r in everything.values() if r.version == current.version - 1]
                    current = below[0] if len(below) == 1 else None
                else:
                    current = everything.get(parent)
            return keys

        mine = set(chain(one))
        for key in chain(two):
            if key in mine:
                return everything[key]
        return None
