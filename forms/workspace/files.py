"""A draft's attachment files in and out of the workspace.

The wizard, `shenbao render|package` and the demo all need the same two moves: keep a
file's content in the workspace (encrypted, once per content, recorded in the draft by
hash), and, to build a package, decrypt a draft's files into a private folder under names
that cannot escape it (an imported draft's names are untrusted).

A workspace draft's files come only from the workspace: an attachment without a stored
file is missing, whatever path it names. A bundle could otherwise name `/home/…/id_rsa`
or another client's scan on the importer's disk and have it packaged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from forms.draft.model import Attachment, AttachmentRepair, Draft
from forms.system.atomic import write_atomic
from forms.system.naming import safe_file_name
from forms.text import Text
from forms.workspace.errors import WorkspaceError
from forms.workspace.store import Workspace


def store_file(ws: Workspace, item: str, path: Path) -> Attachment:
    """Keep the file's content in the workspace; the attachment that refers to it. A PDF
    that needed repair to be read is recorded as such (an error until the user confirms
    it against the original), so every check sees it without reading the file again."""
    # start-up: qpdf and Pillow load when a file is added, not with the workspace
    from forms.package.attachments import pdf_repair

    data = Path(path).read_bytes()
    ws.put_attachment(data)
    repair = pdf_repair(Path(path))
    return Attachment(
        item=item,
        file=safe_file_name(Path(path).name, "attachment"),
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        repair=AttachmentRepair(pages=repair.pages, declared=repair.declared) if repair else None,
    )


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
        if source.is_file():
            kept = store_file(ws, attachment.item, source)
            attachment.file, attachment.sha256, attachment.bytes = (
                kept.file,
                kept.sha256,
                kept.bytes,
            )
            if attachment.repair is None:
                attachment.repair = kept.repair
            stored += 1
        elif previous is not None:
            attachment.file, attachment.sha256 = previous.file, previous.sha256
            attachment.bytes = previous.bytes
    return stored


def has_file(ws: Workspace, attachment: Attachment) -> bool:
    """Whether the workspace holds the attachment's file (a path it names never counts)."""
    if attachment.sha256:
        try:
            return ws.has_attachment(ws.blob_id(attachment.sha256))
        except WorkspaceError:  # not a SHA-256: an imported draft's bad field
            return False
    return False


def outside(draft: Draft) -> list[Attachment]:
    """Attachments of a workspace draft that name a file instead of a stored one: not
    used; the caller says so (`workspace.outside_path`)."""
    return [a for a in draft.attachments if not a.sha256 and a.file]


def outside_texts(draft: Draft) -> list[Text]:
    return [
        Text.of("workspace.outside_path", name=Path(a.file).name or a.file, path=a.file)
        for a in outside(draft)
    ]


def stored_in(ws: Workspace) -> Callable[[Attachment], bool]:
    """Whether a workspace draft's attachment is stored in `ws` (the check's file test)."""
    return lambda attachment: has_file(ws, attachment)


def read_file(ws: Workspace, attachment: Attachment) -> bytes:
    if attachment.sha256:
        return ws.read_attachment(ws.blob_id(attachment.sha256))
    raise FileNotFoundError(Path(attachment.file).name)


def materialise(ws: Workspace, draft: Draft, folder: Path) -> Draft:
    """A copy of `draft` whose attachment files are decrypted into `folder` (a
    `scratch.private_folder`), named relative to it. Files missing from the workspace
    (and paths outside it) keep only their base name, which the folder does not hold, so
    the package reports them missing and never reads them from elsewhere."""
    copy = draft.model_copy(deep=True)
    written: dict[str, str | None] = {}  # file name -> sha256 written under it
    for index, attachment in enumerate(copy.attachments, start=1):
        if not has_file(ws, attachment):
            attachment.file = safe_file_name(attachment.file, f"attachment-{index}")
            while (folder / attachment.file).exists() or attachment.file in written:
                attachment.file = f"missing-{index}-{attachment.file}"
            continue
        name = safe_file_name(attachment.file, f"attachment-{index}")
        stem, suffix = Path(name).stem, Path(name).suffix
        number = 1
        while name in written and written[name] != attachment.sha256:
            number += 1
            name = f"{stem}-{number}{suffix}"
        if name not in written:
            write_atomic(folder / name, read_file(ws, attachment))
            written[name] = attachment.sha256
        attachment.file = name
    return copy
