"""The triage queue: findings no one has decided on yet, the most dangerous first."""

from __future__ import annotations

import json
from typing import Any

from haven.vault import Vault

SEVERITY_ORDER = "CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 " \
                 "WHEN 'medium' THEN 2 ELSE 3 END"


def triage_queue(vault: Vault, limit: int | None = None,
                 include_decided: bool = False) -> list[dict[str, Any]]:
    """Findings by severity, then score, then time; undecided only unless asked otherwise."""
    where = "" if include_decided else \
        "WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.finding_id = f.id)"
    query = f"""
        SELECT f.id, f.item_id, f.kind, f.severity, f.score, f.explanation, f.spans,
               f.details, i.platform, i.url, i.time, i.text, a.handle
        FROM findings f JOIN items i ON i.id = f.item_id
        LEFT JOIN authors a ON a.id = i.author_id
        {where}
        ORDER BY {SEVERITY_ORDER}, f.score DESC, i.time
    """
    params: tuple[Any, ...] = ()
    if limit is not None:
        query += " LIMIT ?"
        params = (limit,)
    return [
        {"finding_id": fid, "item_id": item_id, "kind": kind, "severity": severity,
         "score": score, "explanation": explanation, "spans": json.loads(spans),
         "details": json.loads(details), "platform": platform, "url": url, "time": time,
         "text": text, "author": author}
        for (fid, item_id, kind, severity, score, explanation, spans, details, platform, url,
             time, text, author) in vault.conn.execute(query, params)
    ]
