"""`workspace.json`: the only plain-text file of a workspace, and its schema migrations.

It says what the folder is (format, schema version, workspace id) and how the key is
unlocked (keyring or passphrase, with the scrypt salt and the wrapped key), plus a key
check value: a known text encrypted under the key, so a wrong key or passphrase is
recognised at once and never used to write. It holds nothing about clients or drafts.

Schema versions: `SCHEMA_VERSION` is what this code writes. An older workspace is brought
forward one step at a time by `MIGRATIONS[n]` (n -> n + 1), each step saved before the
next, so an interrupted upgrade resumes; steps must therefore be idempotent. A newer one
is refused before anything is read or written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from forms.system.atomic import write_atomic
from forms.workspace import crypto
from forms.workspace.errors import (
    DataCorruptError,
    KeyUnavailableError,
    NotAWorkspaceError,
    WorkspaceTooNewError,
    WrongKeyError,
)
from forms.workspace.keys import KeyringOrPassphrase, KeySource, Passphrase, UseKeyring

FORMAT: Literal["shenbao.workspace"] = "shenbao.workspace"
SCHEMA_VERSION = 1
META_FILE = "workspace.json"

Migration = Callable[[Path, dict[str, Any]], dict[str, Any]]
#: Step n -> n + 1: takes the folder and the raw `workspace.json` of version n, rewrites
#: whatever files it must (idempotently) and returns the version n + 1 document.
MIGRATIONS: dict[int, Migration] = {}

_CHECK_TEXT = b"shenbao workspace key check"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PassphraseWrap(_Strict):
    kdf: Literal["scrypt"] = "scrypt"
    salt: str
    n: int
    r: int
    p: int
    wrapped: str


class KeyInfo(_Strict):
    #: How the key was first kept; the keyring of another machine may hold it too.
    source: Literal["keyring", "passphrase"]
    check: str
    passphrase: PassphraseWrap | None = None
    #: Created by `shenbao demo` with the public demo passphrase: not for real data.
    demo: bool = False


class WorkspaceMeta(_Strict):
    format: Literal["shenbao.workspace"] = FORMAT
    schema_version: int = SCHEMA_VERSION
    id: str
    created: datetime
    key: KeyInfo


def _check_value(key: bytes, workspace_id: str) -> str:
    return crypto.b64(
        crypto.seal(crypto.subkey(key, "check"), _CHECK_TEXT, _check_aad(workspace_id))
    )


def _check_aad(workspace_id: str) -> bytes:
    return crypto.aad("key-check", workspace_id)


def key_matches(meta: WorkspaceMeta, key: bytes) -> bool:
    try:
        blob = crypto.unb64(meta.key.check, META_FILE)
        return (
            crypto.unseal(crypto.subkey(key, "check"), blob, _check_aad(meta.id), META_FILE)
            == _CHECK_TEXT
        )
    except DataCorruptError:
        return False


def wrap_key(key: bytes, passphrase: str, workspace_id: str) -> PassphraseWrap:
    params = crypto.ScryptParams.fresh()
    kek = crypto.passphrase_key(passphrase, params)
    wrapped = crypto.seal(kek, key, crypto.aad("key-wrap", workspace_id))
    return PassphraseWrap(
        salt=crypto.b64(params.salt),
        n=params.n,
        r=params.r,
        p=params.p,
        wrapped=crypto.b64(wrapped),
    )


def unwrap_key(wrap: PassphraseWrap, passphrase: str, workspace_id: str) -> bytes:
    params = crypto.ScryptParams.from_json(wrap.model_dump(), META_FILE)
    kek = crypto.passphrase_key(passphrase, params)
    try:
        return crypto.unseal(
            kek, crypto.unb64(wrap.wrapped, META_FILE), crypto.aad("key-wrap", workspace_id), ""
        )
    except DataCorruptError:
        raise WrongKeyError.of("workspace.wrong_passphrase") from None


def new_meta(key: bytes, source: Literal["keyring", "passphrase"]) -> WorkspaceMeta:
    workspace_id = uuid.uuid4().hex
    return WorkspaceMeta(
        id=workspace_id,
        created=datetime.now(UTC).replace(microsecond=0),
        key=KeyInfo(source=source, check=_check_value(key, workspace_id)),
    )


def write_meta(folder: Path, meta: WorkspaceMeta) -> None:
    text = meta.model_dump_json(indent=2) + "\n"
    write_atomic(folder / META_FILE, text.encode("utf-8"))


def _read_raw(folder: Path) -> dict[str, Any]:
    path = folder / META_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotAWorkspaceError.of("workspace.none", folder=folder) from None
    except json.JSONDecodeError as exc:
        detail = f"JSON: line {exc.lineno}"
        raise DataCorruptError.of("workspace.meta_unreadable", path=path, detail=detail) from None
    except UnicodeDecodeError:
        raise DataCorruptError.of("workspace.meta_unreadable", path=path, detail="UTF-8") from None
    except OSError as exc:
        raise DataCorruptError.of(
            "workspace.meta_unreadable", path=path, detail=exc.strerror or type(exc).__name__
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NotAWorkspaceError.of("workspace.not_a_workspace_file", path=path)
    return data


def read_meta(folder: Path) -> WorkspaceMeta:
    """Read `workspace.json`, refusing newer schemas and migrating older ones first."""
    data = _read_raw(folder)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise DataCorruptError.of("workspace.bad_schema_version", path=folder / META_FILE)
    if version > SCHEMA_VERSION:
        raise WorkspaceTooNewError.of(
            "workspace.too_new", folder=folder, found=version, known=SCHEMA_VERSION
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DataCorruptError.of("workspace.no_migration", folder=folder, found=version)
        data = step(folder, data)
        version += 1
        data["schema_version"] = version
        write_atomic(
            folder / META_FILE,
            (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        )
    try:
        return WorkspaceMeta.model_validate(data)
    except ValidationError:
        raise DataCorruptError.of("workspace.meta_malformed", path=folder / META_FILE) from None


#: The passphrase of workspaces made by `shenbao demo` on a machine without a keyring. Public
#: on purpose (it is in the documentation): such a workspace is flagged `demo` and every
#: command warns until `shenbao workspace passphrase` replaces it.
DEMO_PASSPHRASE = "shenbao-demo"


def unlock(meta: WorkspaceMeta, source: KeySource) -> bytes:
    """The workspace key from `source`, verified against the check value."""
    if isinstance(source, Passphrase):
        key = _from_passphrase(meta, source.secret)
    elif isinstance(source, UseKeyring):
        key = _from_store(meta, source)
    else:
        key = _keyring_or_passphrase(meta, source)
    if not key_matches(meta, key):
        raise WrongKeyError.of("workspace.foreign_key")
    return key


def _from_passphrase(meta: WorkspaceMeta, passphrase: str) -> bytes:
    if meta.key.passphrase is None:
        raise KeyUnavailableError.of("workspace.no_passphrase_set")
    return unwrap_key(meta.key.passphrase, passphrase, meta.id)


def _from_store(meta: WorkspaceMeta, source: UseKeyring | KeyringOrPassphrase) -> bytes:
    secret = source.key_store().get_key(meta.id)
    if secret is None:
        raise KeyUnavailableError.of("workspace.key_not_in_keyring")
    try:
        return crypto.unb64(secret, "keyring")
    except DataCorruptError:
        raise WrongKeyError.of("workspace.keyring_key_damaged") from None


def _keyring_or_passphrase(meta: WorkspaceMeta, source: KeyringOrPassphrase) -> bytes:
    try:
        key = _from_store(meta, source)
    except (KeyUnavailableError, WrongKeyError):
        if meta.key.passphrase is None:
            raise
    else:
        if key_matches(meta, key):
            return key
        if meta.key.passphrase is None:
            return key  # `unlock` reports the mismatch
    return _from_passphrase(meta, source.ask())
