"""Items and findings as CSV or JSON Lines, for spreadsheets, Uwazi and other tools.

One row per item, with its findings' kinds and highest severity and the latest review decision,
so a caseworker can sort and filter in a spreadsheet; JSONL carries the findings in full.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from haven.ledger import utc_now
from haven.model import Severity, sha256_hex
from haven.reports import LATEST_DECISION
from haven.reports.items import list_items
from haven.vault import Vault, VaultError

COLUMNS = ["id", "kind", "platform", "url", "author", "author_name", "time", "text", "parent",
           "top_severity", "finding_kinds", "review", "media_sha256", "source_file",
           "source_record", "source_sha256"]


def _findings_by_item(vault: Vault) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    query = f"""
        SELECT f.item_id, f.id, f.kind, f.severity, f.score, f.explanation, f.analyser,
               f.analyser_version, f.spans,
               {LATEST_DECISION}
        FROM findings f"""
    for (item_id, finding_id, kind, severity, score, explanation, analyser, version, spans,
         decision) in vault.conn.execute(query):
        found.setdefault(item_id, []).append({
            "id": finding_id, "kind": kind, "severity": severity, "score": score,
            "explanation": explanation, "analyser": f"{analyser} {version}",
            "spans": json.loads(spans), "review": decision,
        })
    return found


def _flat(item: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    severities = sorted((Severity(f["severity"]) for f in findings), key=lambda s: s.rank)
    reviews = sorted({f["review"] for f in findings if f["review"]})
    return {
        **{key: item.get(key) for key in COLUMNS if key in item},
        "top_severity": severities[0].value if severities else "",
        "finding_kinds": " ".join(sorted({f["kind"] for f in findings})),
        "review": " ".join(reviews),
        "media_sha256": " ".join(m["sha256"] for m in item["media"]),
    }


def write_export(vault: Vault, out: Path, file_format: str) -> Path:
    """Write every item (with its findings) to `out` as CSV or JSONL; log that it was made."""
    if file_format not in ("csv", "jsonl"):
        raise VaultError(f"export format must be csv or jsonl, not {file_format!r}")
    findings = _findings_by_item(vault)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        if file_format == "csv":
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for item in list_items(vault):
                writer.writerow(_flat(item, findings.get(item["id"], [])))
        else:
            for item in list_items(vault):
                row = {**item, "findings": findings.get(item["id"], [])}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    with vault.transaction():
        vault.ledger.append(f"make report export {file_format}", f"report_{utc_now()}",
                            sha256_hex(out.read_bytes()))
    vault.checkpoint()
    return out
