"""The state of a case at a glance: what is stored, what was skipped, what needs a human."""

from __future__ import annotations

from typing import Any

from haven.model import Severity
from haven.reports.triage import triage_queue
from haven.vault import Vault


def _counts(vault: Vault, column: str) -> dict[str, int]:
    query = f"SELECT {column}, count(*) FROM items GROUP BY {column} ORDER BY count(*) DESC"
    return {str(key): int(n) for key, n in vault.conn.execute(query)}


def unreviewed_findings(vault: Vault) -> dict[str, int]:
    """Findings no reviewer has decided on yet, per severity, most severe first."""
    counts = dict.fromkeys((s.value for s in Severity), 0)
    query = ("SELECT severity, count(*) FROM findings f WHERE NOT EXISTS "
             "(SELECT 1 FROM decisions d WHERE d.finding_id = f.id) GROUP BY severity")
    for severity, count in vault.conn.execute(query):
        counts[str(severity)] = int(count)
    return counts


def case_status(vault: Vault) -> dict[str, Any]:
    """Counts per platform and kind, the skipped inputs with reasons, and the ledger's state."""

    def scalar(query: str) -> Any:
        return vault.conn.execute(query).fetchone()[0]

    skipped = [
        {"path": path, "record": record, "message": message}
        for path, record, message in vault.conn.execute(
            "SELECT path, record, message FROM problems ORDER BY rowid"
        )
    ]
    last = vault.conn.execute(
        "SELECT tree_size, time FROM checkpoints ORDER BY tree_size DESC LIMIT 1"
    ).fetchone()
    return {
        "case_id": vault.case_id,
        "items": scalar("SELECT count(*) FROM items"),
        "by_platform": _counts(vault, "platform"),
        "by_kind": _counts(vault, "kind"),
        "authors": scalar("SELECT count(*) FROM authors"),
        "sources": scalar("SELECT count(*) FROM sources"),
        "blobs": scalar("SELECT count(*) FROM blobs"),
        "ledger_entries": scalar("SELECT count(*) FROM ledger"),
        "last_checkpoint": {"entries": last[0], "time": last[1]} if last else None,
        "needs_review": {"skipped_inputs": len(skipped), "findings": unreviewed_findings(vault)},
        "critical": [
            {k: row[k] for k in ("finding_id", "item_id", "kind", "explanation", "url")}
            for row in triage_queue(vault, limit=10) if row["severity"] == "critical"
        ],
        "skipped": skipped,
    }
