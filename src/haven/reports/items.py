"""Stored items as plain records, for scripts and other tools (`haven items`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from haven.vault import Vault


@dataclass(frozen=True)
class ItemFilter:
    """Which items to list; every field left as None matches everything."""

    kind: str | None = None
    platform: str | None = None
    author: str | None = None
    contains: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None


# Filter, order and cut first; only then look up parents and sources for the rows kept.
_PAGE = "SELECT i.rowid AS rid FROM items i"
_ORDER = " ORDER BY i.time IS NULL, i.time, i.rowid"
_QUERY = """
SELECT i.id, i.kind, i.platform, i.url, a.handle, a.name, i.time, i.text, i.parent_url,
       (SELECT p.id FROM items p WHERE p.url = i.parent_url LIMIT 1), i.media, i.extra, s.path,
       s.sha256, i.source_record
FROM ({page}) AS page
JOIN items i ON i.rowid = page.rid
LEFT JOIN authors a ON a.id = i.author_id
JOIN sources s ON s.id = i.source_id
"""


def list_items(vault: Vault, where: ItemFilter | None = None) -> Iterator[dict[str, Any]]:
    """Items in time order (undated last), as dictionaries ready for JSON."""
    where = where or ItemFilter()
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("i.kind", where.kind), ("i.platform", where.platform)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if where.author is not None:
        clauses.append("i.author_id IN (SELECT id FROM authors WHERE handle = ? OR name = ?)")
        params += [where.author, where.author]
    if where.contains is not None:
        clauses.append("instr(lower(i.text), lower(?)) > 0")
        params.append(where.contains)
    if where.since is not None:
        clauses.append("i.time >= ?")
        params.append(where.since)
    if where.until is not None:
        clauses.append("i.time < ?")
        params.append(where.until)
    page = _PAGE + (" WHERE " + " AND ".join(clauses) if clauses else "") + _ORDER
    if where.limit is not None:
        page += " LIMIT ?"
        params.append(where.limit)
    query = _QUERY.format(page=page) + _ORDER
    for row in vault.conn.execute(query, params):
        (item_id, kind, platform, url, handle, name, time, text, parent_url, parent_id,
         media, extra, source_path, source_sha, record) = row
        yield {
            "id": item_id,
            "kind": kind,
            "platform": platform,
            "url": url,
            "author": handle,
            "author_name": name,
            "time": time,
            "text": text,
            "parent": parent_id or parent_url,
            "parent_url": parent_url,
            "media": json.loads(media),
            "extra": json.loads(extra),
            "source_file": source_path,
            "source_record": record,
            "source_sha256": source_sha,
        }
