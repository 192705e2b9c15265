"""Attachment contents of a workspace: stored once per content, encrypted, named by HMAC."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from forms.workspace.errors import DataCorruptError, NotFoundError
from forms.workspace.vault import BLOB_ID, BLOBS, Vault


class BlobsMixin(Vault):
    def blob_id(self, sha256_hex: str) -> str:
        """The blob id of content with this SHA-256 (as recorded in `Attachment.sha256`)."""
        try:
            digest = bytes.fromhex(sha256_hex)
        except ValueError:
            raise NotFoundError.of("workspace.not_a_sha256", value=sha256_hex) from None
        return hmac.new(self._blob_names, digest, hashlib.sha256).hexdigest()

    def _blob_path(self, blob_id: str) -> Path:
        if not BLOB_ID.match(blob_id):
            raise NotFoundError.of("workspace.not_a_blob_id", value=blob_id)
        return self.folder / BLOBS / blob_id[:2] / f"{blob_id}.enc"

    def put_attachment(self, source: Path | bytes) -> str:
        """Store a file's content once, encrypted; returns its blob id."""
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        blob_id = self.blob_id(hashlib.sha256(data).hexdigest())
        path = self._blob_path(blob_id)
        if not path.exists():
            self._write(path, data, "blob", blob_id, exclusive=False)
        return blob_id

    def has_attachment(self, blob_id: str) -> bool:
        return self._blob_path(blob_id).is_file()

    def read_attachment(self, blob_id: str) -> bytes:
        data = self._read(self._blob_path(blob_id), "blob", blob_id)
        if self.blob_id(hashlib.sha256(data).hexdigest()) != blob_id:
            raise DataCorruptError.of("workspace.blob_mismatch", blob=blob_id)
        return data
