"""One open draft: its wizard state, undo history, live findings and autosave.

Pages never touch the draft directly: they call `edit(path, change)`, which applies the
change to a copy, pushes an undoable command (typing in one field merges into one
step) and schedules two timers: a short one that re-runs the checks, a longer one that
saves after the burst of edits ends (and at the latest `AUTOSAVE_MAX_MS` after the first
unsaved edit, so hours of typing without a pause are saved too). Every save is a new
version of the draft in the encrypted workspace; one that changes nothing writes nothing.
Undo and redo replace the whole draft and emit `replaced`, so every page reloads.

A session is read-only when another instance holds the draft's edit lock: edits are
refused, nothing is saved. If the lock is taken from us while we edit (a colleague took
it over), the save fails with `lock_lost` and the session turns read-only, keeping the
unsaved edits in memory until the user takes the draft back.

Every save names the version the session opened or last saved (`base`). When another
writer saved meanwhile (the command line, or an instance without the lock), the store
merges field by field: the session then shows the merged draft and says so (`notice`);
when both changed the same field the save is refused and the edits stay here.

Signals:
    edited(str): a field path was changed by an edit (not by undo/redo).
    replaced(): the draft was replaced (undo, redo, reload); pages reload their widgets.
    findings_changed(list): the findings of the latest check (list[Finding]).
    saved(object): the draft was stored (the `DraftInfo`).
    save_failed(str): storing failed; the message says why.
    lock_lost(object): saving was refused because another instance now holds the draft
        (the `DraftLockedError`, with holder and since when); the session is read-only.
    read_only_changed(bool): the session became read-only (True) or editable (False).
    step_changed(str): the wizard moved to another step (StepId value).
    notice(str): something the user should read that is not a failure (a save merged
        with changes made elsewhere meanwhile).
    local_changed(): a field's typed text could not be read, or can again (`local`).

Text a field cannot read (an amount "三百万", a date "2025-13-01") never reaches the draft;
it stays in its field, and `local` names it (field path -> what is wrong) until it is
corrected: it counts as an error (the sidebar marks its page, export waits) like a
finding does.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pydantic import ValidationError
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.app.context import AppContext
from forms.draft.flow import StepId, WizardState, go_to
from forms.draft.model import Draft
from forms.text import Text, TextError
from forms.workspace import DraftLockedError, EditLock
from validators.check import check
from validators.findings import Finding, blocking

AUTOSAVE_MS = 1200
AUTOSAVE_MAX_MS = 10_000
CHECK_MS = 150


class _Edit(QUndoCommand):
    """A change of the draft, kept as the drafts before and after."""

    def __init__(self, session: DraftSession, path: str, before: Draft, after: Draft) -> None:
        super().__init__("")  # the Edit menu says "Undo", not a field path
        self.session = session
        self.path = path
        self.before = before
        self.after = after
        self._first = True

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, _Edit) or other.path != self.path:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._first:  # the edit is already applied; the page made it
            self._first = False
            return
        self.session._replace(self.after)

    def undo(self) -> None:
        self.session._replace(self.before)


class DraftSession(QObject):
    edited = Signal(str)
    replaced = Signal()
    findings_changed = Signal(list)
    saved = Signal(object)
    save_failed = Signal(str)
    lock_lost = Signal(object)
    read_only_changed = Signal(bool)
    step_changed = Signal(str)
    notice = Signal(str)
    local_changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        draft: Draft,
        parent: QObject | None = None,
        step: StepId = StepId.COMPANY,
        lock: EditLock | None = None,
        base: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: The version the edits start from (opened, or last saved): every save names it.
        self.base = base
        self.state = WizardState(draft=draft, step=step)
        self.undo_stack = QUndoStack(self)
        self.findings: list[Finding] = []
        #: Fields whose typed text is not a value (path -> what is wrong), see above.
        self.local: dict[str, str] = {}
        #: The client the draft belongs to (set by the window that opens it).
        self.client_id: str | None = None
        self._dirty = False
        self._dirty_since = 0.0
        # The edit lock this session holds; None means read-only.
        self.lock = lock
        # The workspace is read once per session; one-project-per-call compares with it.
        self._others = [i.draft for i in ctx.store.drafts() if i.id != draft.id]
        self._save_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._save_timer.timeout.connect(self.save_now)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_MS)
        self._check_timer.timeout.connect(self.check_now)
        self.check_now()

    @property
    def draft(self) -> Draft:
        return self.state.draft

    @property
    def read_only(self) -> bool:
        return self.lock is None

    def set_lock(self, lock: EditLock | None) -> None:
        """Hold `lock` (editable) or none (read-only); pages follow `read_only_changed`."""
        was = self.read_only
        self.lock = lock
        if was != self.read_only:
            if self.read_only:
                self.undo_stack.clear()  # undo would change a draft we may not save
            self.read_only_changed.emit(self.read_only)

    def release(self) -> None:
        """Give the edit lock back (closing the tab or the window)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # --- editing --------------------------------------------------------------------
    def edit(self, path: str, change: Callable[[Draft], None]) -> str | None:
        """Apply `change` to the draft as one undoable step; returns a problem or None."""
        if self.read_only:
            return self.tr("只读：此草稿正由他人编辑")
        before = self.state.draft
        after = before.model_copy(deep=True)
        try:
            change(after)
        except (ValidationError, ValueError) as exc:
            return _first_error(exc)
        if after == before:
            return None
        self.state.draft = after
        self.undo_stack.push(_Edit(self, path, before, after))
        self.edited.emit(path)
        self._touched()
        return None

    def _replace(self, draft: Draft) -> None:
        self.state.draft = draft.model_copy(deep=True)
        self.replaced.emit()
        self._touched()

    def reload(self, draft: Draft) -> None:
        """Take a draft from outside (restored version): undo history starts again."""
        self.undo_stack.clear()
        self._replace(draft)

    def _touched(self) -> None:
        now = time.monotonic()
        if not self._dirty:
            self._dirty_since = now
        self._dirty = True
        waited_ms = (now - self._dirty_since) * 1000
        self._save_timer.start(max(0, min(AUTOSAVE_MS, AUTOSAVE_MAX_MS - int(waited_ms))))
        self._check_timer.start()

    def set_local(self, path: str, problem: str) -> None:
        if self.local.get(path) != problem:
            self.local[path] = problem
            self._count_errors()
            self.local_changed.emit()

    def clear_local(self, path: str) -> bool:
        """Forget the problem of `path`; True if there was one."""
        if self.local.pop(path, None) is None:
            return False
        self._count_errors()
        self.local_changed.emit()
        return True

    def _count_errors(self) -> None:
        self.state.errors = len(blocking(self.findings)) + len(self.local)

    # --- navigation -----------------------------------------------------------------
    def move_to(self, state: WizardState) -> None:
        """Adopt a navigation state from the flow (the draft stays the live one)."""
        draft = self.state.draft
        self.state = state.model_copy(update={"draft": draft})
        self.step_changed.emit(self.state.step.value)

    def go(self, target: StepId) -> None:
        self.move_to(go_to(self.state, target))

    # --- checking and saving --------------------------------------------------------
    def check_now(self) -> list[Finding]:
        self._check_timer.stop()
        self.findings = check(
            self.draft,
            self.ctx.catalog,
            self.ctx.today(),
            files=self.ctx.store.has_file,
            others=self._others,
        )
        self._count_errors()
        self.findings_changed.emit(self.findings)
        return self.findings

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save_now(self) -> bool:
        """Store the draft now if it changed (a new version); False if that failed."""
        self._save_timer.stop()
        if not self._dirty or self.read_only:
            return not self._dirty
        lang = self.ctx.lang
        try:
            info = self.ctx.store.save(self.draft, base=self.base)
        except DraftLockedError as exc:
            self.set_lock(None)
            self.save_failed.emit(exc.message(lang))
            self.lock_lost.emit(exc)
            return False
        except (TextError, OSError) as exc:  # a conflicting save elsewhere, a full disk
            self.save_failed.emit(exc.message(lang) if isinstance(exc, TextError) else str(exc))
            return False
        self._dirty = False
        opened, self.base = self.base, info.version
        self.saved.emit(info)
        if info.merged:
            # Another save came in between and touched other fields: show what is stored
            # now, or the next save would undo their changes.
            self.reload(info.draft.model_copy(deep=True))
            self._dirty = False
            self._save_timer.stop()
            merged = Text.of(
                "workspace.merged",
                base=opened if opened is not None else "?",
                latest=info.merged_with or "?",
                version=info.version,
                fields=", ".join(info.merged[:8]),
            )
            self.notice.emit(merged.render(lang))
        return True


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        return str(errors[0]["msg"]) if errors else str(exc)
    return str(exc)
