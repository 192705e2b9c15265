"""Shared pieces of the workspace tests: fake keyrings, fast scrypt, a writer process.

No test may touch a real keyring (CI has none, a developer's has real secrets), so the
keyring tests install `MemoryKeyring` through `keyring.set_keyring` and put the previous
backend back afterwards. scrypt runs at a low cost in tests; the parameters are stored in
each file, so subprocesses opening a test workspace use the same low cost.

Run as a module, this file is the child process of the crash and lock tests:
`python -m tests.workspace_helpers writer FOLDER` saves versions in a loop, printing each
completed version number; `holder FOLDER DRAFT_ID` takes a draft's lock and waits.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import keyring.backend
import pytest

from forms.draft.io import load_draft
from forms.draft.model import Draft
from forms.workspace import DraftLockedError, Passphrase, Workspace, crypto

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "drafts" / "content-creation.json"
PASSPHRASE = "correct horse battery staple"
FAST_SCRYPT_N = 2**10


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring backend: what `keyring` calls, nothing stored on disk."""

    priority = 0.5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class MemoryStore:
    """A `KeyStore` without keyring at all, for tests of the store's own logic."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def get_key(self, workspace_id: str) -> str | None:
        return self.keys.get(workspace_id)

    def set_key(self, workspace_id: str, secret: str) -> None:
        self.keys[workspace_id] = secret


@contextmanager
def use_keyring(backend: keyring.backend.KeyringBackend) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "SCRYPT_N", FAST_SCRYPT_N)


def example_draft() -> Draft:
    return load_draft(EXAMPLE)


def new_workspace(folder: Path) -> Workspace:
    return Workspace.create(folder, Passphrase(PASSPHRASE))


def all_files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: to prove an operation wrote nothing."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _writer(folder: Path) -> None:
    """Save versions of three drafts round-robin forever; print each completed version.

    The summary of every version is `save <n>`, so the parent can tell from a draft's
    content which version it is. A lock left by a killed predecessor is stale (its pid is
    gone): taken over, as the GUI would after asking.
    """
    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    drafts = [ws.load_draft(info.id) for info in sorted(ws.drafts(), key=lambda i: i.id)]
    for draft in drafts:
        try:
            ws.lock(draft.id)
        except DraftLockedError as exc:
            if not exc.stale:
                raise
            ws.lock(draft.id, force=True)
    print("ready", flush=True)
    while True:
        for draft in drafts:
            version = ws.record(draft.id).version + 1
            draft.project.summary = f"save {version}"
            saved = ws.save_draft(draft, author="writer")
            print(f"{draft.id} {saved.version}", flush=True)


def _holder(folder: Path, draft_id: str) -> None:
    ws = Workspace.open(folder, Passphrase(PASSPHRASE))
    with ws.lock(draft_id):
        print("locked", flush=True)
        sys.stdin.readline()
    print("released", flush=True)


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    if command == "writer":
        _writer(target)
    elif command == "holder":
        _holder(target, sys.argv[3])
    else:
        raise SystemExit(f"unknown command {command!r}")
    os._exit(0)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`shenbao ARGV...` in this process: exit code, stdout, stderr."""
    # the command line loads when a test runs it, not with every workspace test
    from desktop.cli.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
