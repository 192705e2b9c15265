"""Opening the workspace when the application starts: the keyring first, else a passphrase.

The order, and what never happens:

* A workspace folder that does not exist yet (or is empty) is created. With a usable OS
  keyring the new key goes there and nobody is asked anything; without one the user must
  choose a passphrase (typed twice). There is no plain-text fallback.
* An existing workspace opens with the key from the keyring when it is there. When it is
  not (no backend, or a workspace moved from another machine) the user types the
  passphrase; a wrong one is refused and asked again. A missing keyring entry never makes
  a new key: that would orphan every file.
* A workspace made by `shenbao demo` on a machine without a keyring opens with the public
  demo passphrase; the main window then shows a banner until a real passphrase is set.

Qt-free on purpose: the dialog comes in as `ask`, so tests drive this with plain answers
and the GUI with `desktop.app.passphrase.ask_with_dialog`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from forms.workspace import (
    DEMO_PASSPHRASE,
    KeyStore,
    KeyUnavailableError,
    NotAWorkspaceError,
    Passphrase,
    UseKeyring,
    Workspace,
    WrongKeyError,
)

Mode = Literal["create", "unlock"]
#: Ask the user for a passphrase: ("create" | "unlock", the last one was wrong) -> the
#: passphrase, or None when the user cancelled.
Ask = Callable[[Mode, bool], str | None]


def open_or_create(
    folder: Path,
    ask: Ask,
    *,
    key_store: KeyStore | None = None,
    cache_dir: Path | None = None,
) -> Workspace | None:
    """The unlocked workspace at `folder`, or None if the user cancelled the passphrase.

    Raises `WorkspaceError`s the user must read (a folder that is not a workspace, a
    workspace whose key is only in another machine's keyring, a newer format)."""
    folder = Path(folder)
    if not (folder / "workspace.json").is_file():
        if folder.is_dir() and any(folder.iterdir()):
            raise NotAWorkspaceError(
                f"{folder}: 文件夹不是空的，也不是申报助手工作区；请另选一个文件夹 / the folder is "
                "neither empty nor a shenbao workspace: choose another folder"
            )
        try:
            return Workspace.create(folder, UseKeyring(key_store), cache_dir=cache_dir)
        except KeyUnavailableError:
            pass  # no keyring here: the key is wrapped with a passphrase instead
        secret = ask("create", False)
        if secret is None:
            return None
        return Workspace.create(folder, Passphrase(secret), cache_dir=cache_dir)

    meta = Workspace.read_meta(folder)
    try:
        return Workspace.open(folder, UseKeyring(key_store), cache_dir=cache_dir)
    except (KeyUnavailableError, WrongKeyError):
        if meta.key.passphrase is None:
            raise  # only the creating machine's keyring has the key; the message says so
    if meta.key.demo:
        try:
            return Workspace.open(folder, Passphrase(DEMO_PASSPHRASE), cache_dir=cache_dir)
        except WrongKeyError:
            pass  # someone set a passphrase from an older shenbao without clearing the mark
    wrong = False
    while True:
        secret = ask("unlock", wrong)
        if secret is None:
            return None
        try:
            return Workspace.open(folder, Passphrase(secret), cache_dir=cache_dir)
        except WrongKeyError:
            wrong = True
