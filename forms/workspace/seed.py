"""The example drafts put into a workspace, attachment files included (Qt-free).

`shenbao demo`, the GUI's demo workspace, the screenshots, the benchmark and the tests all
seed workspaces the same way: each example draft is saved as a workspace draft, and every
file it attaches is stored encrypted in the workspace (its `sha256`, `bytes` and file name
recorded in the draft), exactly as the wizard stores a file the user adds.
"""

from __future__ import annotations

from pathlib import Path

from forms.draft.io import load_draft
from forms.workspace import Workspace
from forms.workspace.files import store_attachments


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
