"""The few cryptographic and file primitives every stored file goes through.

One file format for everything encrypted: `SHB1` + 96-bit random nonce + AES-256-GCM
ciphertext and tag. The associated data names the file's role and ids, so a valid file
moved to another place (another draft's version, another workspace) fails to open instead
of being read as the wrong thing. Keys for different purposes are derived with HKDF from
the one workspace key, so the blob-naming key never doubles as an encryption key.

Files are written with `forms.system.atomic` (whole or not at all, fsynced, user-only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from forms.workspace.errors import DataCorruptError, WorkspaceError

MAGIC = b"SHB1"
NONCE_BYTES = 12
KEY_BYTES = 32

#: scrypt cost for new passphrases (OWASP's recommendation: N=2**17, r=8, p=1; ~0.3 s, 128 MiB).
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
#: Parameters read from a file are attacker-controlled in a bundle: cap the work they ask for.
_MAX_SCRYPT_N = 2**20
_MAX_SCRYPT_R = 16
_MAX_SCRYPT_P = 4


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise DataCorruptError.of("workspace.bad_base64", what=what)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise DataCorruptError.of("workspace.bad_base64", what=what) from None


def aad(*parts: str) -> bytes:
    """Associated data: the role and ids a ciphertext belongs to, unambiguously joined."""
    return "\x1f".join(("shenbao/1", *parts)).encode("utf-8")


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def unseal(key: bytes, blob: bytes, associated: bytes, what: str) -> bytes:
    """Decrypt and authenticate; any change to the bytes or a wrong place raises `DataCorruptError`."""
    if len(blob) < len(MAGIC) + NONCE_BYTES + 16 or not blob.startswith(MAGIC):
        raise DataCorruptError.of("workspace.not_encrypted_file", what=what)
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        # A memoryview, not a slice: an 83 MB scan is not copied first (that copy alone
        # held the GIL for ~40 ms, a visible stall in the window).
        return AESGCM(key).decrypt(nonce, memoryview(blob)[len(MAGIC) + NONCE_BYTES :], associated)
    except InvalidTag:
        raise DataCorruptError.of("workspace.authentication_failed", what=what) from None


def subkey(master: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(master)


def keyed_name(key: bytes, value: str) -> str:
    """A file name for `value` that does not reveal it (HMAC-SHA256, 128 bits kept)."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class ScryptParams:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def fresh(cls) -> ScryptParams:
        return cls(salt=secrets.token_bytes(16), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)

    def to_json(self) -> dict[str, Any]:
        return {"kdf": "scrypt", "salt": b64(self.salt), "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_json(cls, data: object, what: str) -> ScryptParams:
        if not isinstance(data, dict) or data.get("kdf") != "scrypt":
            raise DataCorruptError.of("workspace.bad_kdf", what=what)
        n, r, p = data.get("n"), data.get("r"), data.get("p")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
            raise DataCorruptError.of("workspace.bad_kdf", what=what)
        assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
        if not (2 <= n <= _MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= _MAX_SCRYPT_R):
            raise DataCorruptError.of("workspace.bad_kdf", what=what)
        if not 1 <= p <= _MAX_SCRYPT_P:
            raise DataCorruptError.of("workspace.bad_kdf", what=what)
        salt = unb64(data.get("salt"), what)
        return cls(salt=salt, n=n, r=r, p=p)


def passphrase_key(passphrase: str, params: ScryptParams) -> bytes:
    """The key-encryption key of a passphrase. NFC first: the same passphrase typed on
    macOS and Windows must give the same key."""
    if not passphrase:
        raise WorkspaceError.of("workspace.empty_passphrase")
    normalised = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(normalised)
