"""The example drafts put into a workspace, attachment files included (Qt-free).

`shenbao demo`, the GUI's demo workspace, the screenshots, the benchmark and the tests all
seed workspaces the same way: each example draft is saved as a workspace draft, and every
file it attaches is stored encrypted in the workspace (its `sha256`, `bytes` and file name
recorded in the draft), exactly as the wizard stores a file the user adds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from forms.draft import Attachment, Draft
from forms.io import load_draft
from forms.workspace import Workspace


def store_attachments(ws: Workspace, draft: Draft, base: Path) -> int:
    """Store the files a draft read from a JSON file attaches (names relative to `base`, its
    folder) in the workspace, and record them in the draft by hash; returns how many.

    A file that is not there keeps what the workspace's version of the draft already holds
    for the same item and file name (an edited copy of the JSON re-added elsewhere), else
    stays as it was named, and the checks report it missing."""
    known: dict[tuple[str, str], Attachment] = {}
    if ws.has_draft(draft.id):
        for old in ws.load_draft(draft.id).attachments:
            if old.sha256:
                known[(old.item, Path(old.file).name)] = old
    stored = 0
    for attachment in draft.attachments:
        if attachment.sha256:
            continue
        source = Path(attachment.file)
        source = source if source.is_absolute() else base / source
        previous = known.get((attachment.item, source.name))
        if not source.is_file() and previous is not None:
            attachment.file, attachment.sha256 = previous.file, previous.sha256
            attachment.bytes = previous.bytes
        elif source.is_file():
            data = source.read_bytes()
            ws.put_attachment(data)
            attachment.sha256 = hashlib.sha256(data).hexdigest()
            attachment.bytes = len(data)
            attachment.file = source.name
            stored += 1
    return stored


def add_examples(ws: Workspace, examples: Path, author: str = "shenbao demo") -> int:
    """Save the example drafts under `examples/drafts` that the workspace lacks; returns how
    many were added (drafts already there are left alone)."""
    added = 0
    for path in sorted((examples / "drafts").glob("*.json")):
        draft = load_draft(path)
        if ws.has_draft(draft.id):
            continue
        store_attachments(ws, draft, path.parent)
        ws.save_draft(draft, author=author)
        added += 1
    return added
