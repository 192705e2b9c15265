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
        raise WrongKeyError("口令不正确 / wrong passphrase") from None


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
        raise NotAWorkspaceError(
            f"{folder}: 不是shenbao工作区（先运行 shenbao workspace init）/ not a shenbao "
            "workspace (run `shenbao workspace init` first)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataCorruptError(f"{path}: 无法读取 / unreadable ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NotAWorkspaceError(f"{path}: 不是shenbao工作区文件 / not a shenbao workspace file")
    return data


def read_meta(folder: Path) -> WorkspaceMeta:
    """Read `workspace.json`, refusing newer schemas and migrating older ones first."""
    data = _read_raw(folder)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise DataCorruptError(f"{folder / META_FILE}: schema_version无效 / invalid schema_version")
    if version > SCHEMA_VERSION:
        raise WorkspaceTooNewError(
            f"{folder}: 此工作区由更新版本的shenbao写入（格式{version}，本版本最高读{SCHEMA_VERSION}），"
            f"请升级shenbao / written by a newer shenbao (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}): update shenbao to open it"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DataCorruptError(
                f"{folder}: 无法从格式{version}升级 / no migration from schema {version}"
            )
        data = step(folder, data)
        version += 1
        data["schema_version"] = version
        write_atomic(
            folder / META_FILE,
            (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        )
    try:
        return WorkspaceMeta.model_validate(data)
    except ValidationError as exc:
        raise DataCorruptError(
            f"{folder / META_FILE}: 内容不符合格式 / malformed ({exc})"
        ) from None


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
        raise WrongKeyError(
            "此密钥不能打开该工作区 / this key does not open the workspace (the keyring entry "
            "belongs to another workspace with the same id?)"
        )
    return key


def _from_passphrase(meta: WorkspaceMeta, passphrase: str) -> bytes:
    if meta.key.passphrase is None:
        raise KeyUnavailableError(
            "此工作区未设置口令，密钥只在创建它的电脑的密钥环中 / this workspace has no passphrase; "
            "its key is in the keyring of the machine that created it (set one there with "
            "`shenbao workspace passphrase`)"
        )
    return unwrap_key(meta.key.passphrase, passphrase, meta.id)


def _from_store(meta: WorkspaceMeta, source: UseKeyring | KeyringOrPassphrase) -> bytes:
    secret = source.key_store().get_key(meta.id)
    if secret is None:
        raise KeyUnavailableError(
            "密钥环中没有此工作区的密钥；请输入口令或导入密钥 / key not found in keyring; enter the "
            "passphrase / import key (`shenbao workspace remember-key` after unlocking with the "
            "passphrase)"
        )
    try:
        return crypto.unb64(secret, "keyring")
    except DataCorruptError:
        raise WrongKeyError("密钥环中的密钥已损坏 / the key in the keyring is damaged") from None


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
