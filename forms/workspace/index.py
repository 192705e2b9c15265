"""A local SQLite cache of draft summaries, so listing drafts does not decrypt every draft.

SQLite is *only* a cache here, never the record: its locking is not reliable on network
shares (sqlite.org, "SQLite Over a Network"), and the workspace may live on one. So the
index lives on the local disk (`<data home>/cache/`), one per workspace folder, and every
row carries a stamp of the files it was built from (latest version, count, size, mtime).
A row whose stamp no longer matches the folder is rebuilt from the files; a missing,
damaged or older-format index is deleted and rebuilt. Summaries are encrypted like
everything else, so the cache shows no company name either.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from forms.system.atomic import write_atomic
from forms.workspace import crypto
from forms.workspace.errors import DataCorruptError

INDEX_VERSION = 2  # 2: summaries say which versions are damaged and which heads conflict


def index_path(cache_dir: Path, workspace_id: str, folder: Path) -> Path:
    where = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:12]
    return cache_dir / f"{workspace_id}-{where}.sqlite"


class SummaryIndex:
    def __init__(self, path: Path, key: bytes, workspace_id: str) -> None:
        self.path = path
        self._key = key
        self._workspace_id = workspace_id

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            # Made user-only before SQLite opens it (SQLite would follow the umask, and
            # its journal takes the database file's mode): an empty file is an empty
            # database.
            with contextlib.suppress(FileExistsError):
                write_atomic(self.path, b"", exclusive=True)
        conn = sqlite3.connect(self.path, timeout=5)
        try:
            conn.execute("PRAGMA synchronous=OFF")  # a cache: losing the last rows is harmless
            if conn.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
                conn.execute("DROP TABLE IF EXISTS summary")
                conn.execute(
                    "CREATE TABLE summary (name TEXT PRIMARY KEY, stamp TEXT NOT NULL, "
                    "data BLOB NOT NULL)"
                )
                conn.execute(f"PRAGMA user_version={INDEX_VERSION}")
                conn.commit()
            yield conn
            conn.commit()
        finally:
            conn.close()

    def _aad(self, name: str) -> bytes:
        return crypto.aad("index", self._workspace_id, name)

    def lookup(self, stamps: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Cached summaries whose stamp still matches; anything wrong with the cache
        just means a miss (and a fresh cache file)."""
        found: dict[str, dict[str, Any]] = {}
        try:
            with self._connect() as conn:
                for name, stamp, data in conn.execute("SELECT name, stamp, data FROM summary"):
                    if stamps.get(name) != stamp:
                        continue
                    with contextlib.suppress(DataCorruptError, ValueError):
                        plain = crypto.unseal(self._key, data, self._aad(name), "index")
                        found[name] = json.loads(plain)
        except sqlite3.DatabaseError:
            self._discard()
            return {}
        except OSError:  # a read-only or full local disk: work without the cache
            return {}
        return found

    def store(self, rows: dict[str, tuple[str, dict[str, Any]]], keep: set[str]) -> None:
        """Write `rows` (name -> (stamp, summary)) and forget names not in `keep`."""
        try:
            with self._connect() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO summary (name, stamp, data) VALUES (?, ?, ?)",
                    [
                        (
                            name,
                            stamp,
                            crypto.seal(
                                self._key, json.dumps(summary).encode("utf-8"), self._aad(name)
                            ),
                        )
                        for name, (stamp, summary) in rows.items()
                    ],
                )
                gone = [
                    (name,)
                    for (name,) in conn.execute("SELECT name FROM summary")
                    if name not in keep
                ]
                conn.executemany("DELETE FROM summary WHERE name = ?", gone)
        except sqlite3.DatabaseError:
            self._discard()
        except OSError:
            pass  # a read-only or full local disk: work without the cache

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
