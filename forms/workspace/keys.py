"""Where the workspace key comes from: the OS keyring, or a passphrase the user types.

The workspace key is 32 random bytes that never change (changing them would mean
re-encrypting every file). What changes is how it is unlocked:

* `UseKeyring`: the key is kept in the operating system's keyring (service "shenbao",
  user name = the workspace id), through the small `KeyStore` interface so tests use an
  in-memory store and the GUI could use another one.
* `Passphrase`: the key is stored in `workspace.json` wrapped (AES-GCM) under a key derived
  from the passphrase with scrypt; changing the passphrase re-wraps 32 bytes, not every file.
  This is also how a workspace moves to another machine.
* `KeyringOrPassphrase`: what the command line and GUI use: the keyring if it holds the key,
  else ask for the passphrase.

Failure is loud: no keyring backend, or no entry for this workspace, raises `KeyUnavailableError`
saying what to do. A missing entry never leads to a new key being made, which would leave
every existing file unreadable; and nothing is ever written in clear instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from forms.workspace.errors import KeyUnavailableError

KEYRING_SERVICE = "shenbao"

NO_KEYRING = (
    "此电脑没有可用的系统密钥环，请改用口令（设置环境变量SHENBAO_PASSPHRASE或按提示输入）"
    " / no usable OS keyring on this machine: use a passphrase instead (set SHENBAO_PASSPHRASE "
    "or type it when asked)"
)


class KeyStore(Protocol):
    """Keeps one secret (the base64 workspace key) per workspace id."""

    def get_key(self, workspace_id: str) -> str | None:
        """The stored secret, or None when this store has none for the workspace."""

    def set_key(self, workspace_id: str, secret: str) -> None:
        """Store the secret; raise `KeyUnavailableError` when it cannot be stored."""


class KeyringStore:
    """`KeyStore` over the `keyring` package (imported on first use, so the domain loads
    without it). The fail and null backends count as "no keyring": the first raises on
    every call, the second silently stores nothing, which would lose the key."""

    def _backend(self) -> object:
        try:
            import keyring  # start-up: keyring loads only when a key is looked up
            from keyring.backends import fail, null
        except ImportError:  # pragma: no cover - keyring is a dependency
            raise KeyUnavailableError(NO_KEYRING) from None
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            raise KeyUnavailableError(NO_KEYRING)
        return backend

    def get_key(self, workspace_id: str) -> str | None:
        from keyring.errors import KeyringError  # start-up: as in _backend

        backend = self._backend()
        try:
            secret = backend.get_password(KEYRING_SERVICE, workspace_id)  # type: ignore[attr-defined]
        except KeyringError as exc:
            raise KeyUnavailableError(f"{NO_KEYRING} ({exc})") from None
        return secret if isinstance(secret, str) else None

    def set_key(self, workspace_id: str, secret: str) -> None:
        from keyring.errors import KeyringError  # start-up: as in _backend

        backend = self._backend()
        try:
            backend.set_password(KEYRING_SERVICE, workspace_id, secret)  # type: ignore[attr-defined]
            stored = backend.get_password(KEYRING_SERVICE, workspace_id)  # type: ignore[attr-defined]
        except KeyringError as exc:
            raise KeyUnavailableError(f"{NO_KEYRING} ({exc})") from None
        if stored != secret:
            raise KeyUnavailableError(f"{NO_KEYRING} (the keyring did not keep the key)")


@dataclass(frozen=True)
class UseKeyring:
    """Unlock (or, for a new workspace, keep the key) in a key store, by default the OS keyring."""

    store: KeyStore | None = None

    def key_store(self) -> KeyStore:
        return self.store if self.store is not None else KeyringStore()


@dataclass(frozen=True, repr=False)
class Passphrase:
    """A passphrase the user typed (repr hidden so it never reaches a log)."""

    secret: str

    def __repr__(self) -> str:
        return "Passphrase(***)"


@dataclass(frozen=True)
class KeyringOrPassphrase:
    """The keyring when it has the key, else `ask()` for the passphrase (called at most once,
    and only when the workspace has one)."""

    ask: Callable[[], str]
    store: KeyStore | None = None

    def key_store(self) -> KeyStore:
        return self.store if self.store is not None else KeyringStore()


KeySource = UseKeyring | Passphrase | KeyringOrPassphrase
