"""Digests of stored records: what the ledger vouches for, computed the same way on every read.

A record's digest is the SHA-256 of its canonical JSON (table name plus every non-null column).
Leaving out nulls lets a later migration add a nullable column without changing the digests of
records stored before it; setting a stored value to null still changes the digest.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping
from typing import Any

from haven.model import canonical_json

# table -> ledger action for the records it holds; the order is the order verify checks them in.
RECORD_ACTIONS: dict[str, str] = {
    "authors": "capture author",
    "sources": "capture source",
    "items": "capture item",
    "problems": "record problem",
    "protected_media": "protect media",
    "facts": "add fact",
    "findings": "record finding",
    "decisions": "record decision",
    "timestamps": "record timestamp",
    "media_scans": "record media scan",
}
BLOB_ACTION = "capture blob"


def record_digest(table: str, row: Mapping[str, Any]) -> str:
    body = {key: value for key, value in row.items() if value is not None}
    return hashlib.sha256(canonical_json({"table": table, "record": body})).hexdigest()


def rows(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    if table not in RECORD_ACTIONS and table != "blobs":
        raise ValueError(f"not a record table: {table}")
    cursor = conn.execute(f"SELECT * FROM {table}")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
