"""The case vault: one directory holding an SQLCipher database and an encrypted blob store.

```
VAULT/
  vault.json     KDF parameters, salt and key check (nothing about the case)
  case.db        SQLCipher database: items, authors, sources, problems, ledger, checkpoints
  blobs/xx/…     AES-GCM encrypted bytes, named by a keyed hash of their SHA-256
```
Every record is written together with its ledger entry in one transaction, so a run killed at
any moment leaves a vault that still verifies. This module stores what it is given; deciding what
to store (importing, analysing) happens elsewhere.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import sqlcipher3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from haven.ledger import Checkpoint, Ledger, current_actor, utc_now
from haven.model import Finding, sha256_hex, stable_id
from haven.vault.blobs import BlobStore, file_sha256
from haven.vault.keys import (
    KdfParams,
    VaultError,
    VaultKeys,
    create_header,
    is_vault,
    unlock,
)
from haven.vault.records import BLOB_ACTION, RECORD_ACTIONS, record_digest
from haven.vault.schema import migrate

DB_NAME = "case.db"
BLOB_DIR = "blobs"
DECISIONS = ("confirm", "reject", "unsure")


def _connect(path: Path, key: bytes) -> sqlite3.Connection:
    conn = cast(sqlite3.Connection, sqlcipher3.connect(str(path), isolation_level=None))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise VaultError(
            f"{path}: the database cannot be decrypted although the passphrase is right: "
            f"it was altered or damaged ({exc})"
        ) from None
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Vault:
    """An unlocked case. Use as a context manager, or call `close()`."""

    def __init__(self, directory: Path, conn: sqlite3.Connection, keys: VaultKeys) -> None:
        self.directory = directory
        self.conn = conn
        self.blobs = BlobStore(directory / BLOB_DIR, keys.blob_encryption, keys.blob_names)
        self.ledger = Ledger(conn)
        self._in_transaction = False
        self._digests: dict[tuple[str, int, int], tuple[str, int]] = {}

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, directory: Path, passphrase: str, kdf: KdfParams | None = None
    ) -> Vault:
        """Make a new, empty vault; refuses a directory that is not empty."""
        directory = Path(directory)
        if directory.exists() and (is_vault(directory) or any(directory.iterdir())):
            raise VaultError(f"{directory}: already exists and is not empty; choose a new path")
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        keys = create_header(directory, passphrase, kdf or KdfParams())
        conn = _connect(directory / DB_NAME, keys.database)
        migrate(conn)
        vault = cls(directory, conn, keys)
        vault.blobs.prepare()
        signing = Ed25519PrivateKey.generate()
        public = signing.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        case_id = "case_" + secrets.token_hex(16)
        private = signing.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        with vault.transaction():
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("case_id", case_id),
                    ("created", utc_now()),
                    ("signing_key", private.hex()),
                    ("public_key", public.hex()),
                ],
            )
            vault.ledger.append("init vault", case_id, sha256_hex(public))
        vault.checkpoint()
        return vault

    @classmethod
    def open(cls, directory: Path, passphrase: str) -> Vault:
        """Unlock an existing vault; a wrong passphrase raises `WrongPassphrase`."""
        directory = Path(directory)
        keys = unlock(directory, passphrase)
        db = directory / DB_NAME
        if not db.is_file():
            raise VaultError(f"{db}: the case database is missing")
        conn = _connect(db, keys.database)
        try:
            migrate(conn)
        except (sqlcipher3.DatabaseError, RuntimeError) as exc:
            conn.close()
            raise VaultError(f"{db}: cannot read the schema ({exc})") from None
        vault = cls(directory, conn, keys)
        vault.blobs.prepare()
        return vault

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- metadata and keys --------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def case_id(self) -> str:
        return self.meta("case_id") or ""

    def setting(self, name: str) -> str | None:
        """A case setting (e.g. the notifier's name for takedown notices), or None."""
        return self.meta(f"setting.{name}")

    def settings(self) -> dict[str, str]:
        rows = self.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'setting.%'")
        return {str(key).removeprefix("setting."): str(value) for key, value in rows}

    def set_setting(self, name: str, value: str) -> None:
        """Change a case setting; the change is logged (the value's digest, not the value)."""
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                              (f"setting.{name}", value))
            self.ledger.append("change setting", f"setting.{name}", sha256_hex(value.encode()))

    def public_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.meta("public_key") or ""))

    def sign(self, message: bytes) -> bytes:
        """Sign with the case key (checkpoints, bundle manifests); the key never leaves."""
        return self._signing_key().sign(message)

    def _signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.meta("signing_key") or ""))

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: records and their ledger entries land together or not at all."""
        if self._in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.ledger.forget_head()
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    def add_record(self, table: str, row: Mapping[str, Any]) -> bool:
        """Insert a record unless one with its id exists; log it. True if it was new."""
        action = RECORD_ACTIONS[table]
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            cursor = self.conn.execute(
                f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", tuple(row.values())
            )
            if cursor.rowcount == 0:
                return False
            self.ledger.append(action, str(row["id"]), record_digest(table, row))
        return True

    def add_blob_file(self, path: Path) -> tuple[str, int]:
        """Store a file's exact bytes (once per content); return its SHA-256 and size.

        A media file ingested on its own is both a source and its item's media: the digest of
        an unchanged file (same path, size and modification time) is not computed twice.
        """
        info = path.stat()
        key = (str(path.resolve()), info.st_size, info.st_mtime_ns)
        if key not in self._digests:
            if len(self._digests) > 1024:  # the reuse is immediate: a small memory is enough
                self._digests.clear()
            self._digests[key] = file_sha256(path)
        sha256, size = self._digests[key]
        if not self._blob_recorded(sha256):
            self.blobs.put_file(path, sha256)
            self._record_blob(sha256, size)
        return sha256, size

    def add_blob_bytes(self, data: bytes) -> str:
        sha256 = sha256_hex(data)
        if not self._blob_recorded(sha256):
            self.blobs.put_bytes(data)
            self._record_blob(sha256, len(data))
        return sha256

    def _blob_recorded(self, sha256: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None and self.blobs.has(sha256)

    def _record_blob(self, sha256: str, size: int) -> None:
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?, ?)", (sha256, size)
            )
            if cursor.rowcount:
                self.ledger.append(BLOB_ACTION, sha256, sha256)

    def add_finding(self, finding: Finding) -> bool:
        """Store an analyser's finding (once per item, kind, analyser and version)."""
        return self.add_record(
            "findings",
            {
                "id": finding.id,
                "item_id": finding.item_id,
                "kind": finding.kind,
                "severity": finding.severity.value,
                "score": float(finding.score),
                "explanation": finding.explanation,
                "analyser": finding.analyser,
                "analyser_version": finding.analyser_version,
                "spans": json.dumps([[s.start, s.end, s.label] for s in finding.spans]),
                "details": json.dumps(dict(finding.details), ensure_ascii=False, sort_keys=True),
            },
        )

    def add_decision(self, finding_id: str, decision: str, note: str | None = None) -> str:
        """Record a reviewer's decision on a finding; the finding itself is never edited."""
        if decision not in DECISIONS:
            raise VaultError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        time = utc_now()
        actor = current_actor()
        decision_id = stable_id("de_", finding_id, decision, actor, time)
        self.add_record(
            "decisions",
            {"id": decision_id, "finding_id": finding_id, "decision": decision, "note": note,
             "actor": actor, "time": time},
        )
        return decision_id

    def checkpoint(self) -> Checkpoint | None:
        """Sign the ledger as it stands, if anything was added since the last checkpoint."""
        with self.transaction():
            return self.ledger.checkpoint(self._signing_key())
