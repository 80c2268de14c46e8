"""CSV and JSONL export: every item once, with its findings and review, readable by others."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from haven.ingest import ingest
from haven.model import Finding, Severity
from haven.reports.export import write_export
from haven.vault import Vault

from conftest import comment_rows, write_csv


def test_csv_and_jsonl_carry_items_and_findings(vault: Vault, tmp_path: Path) -> None:
    rows = comment_rows(25)
    ingest(vault, [write_csv(tmp_path / "c.csv", rows)])
    item_id = vault.conn.execute("SELECT id FROM items WHERE url = ?",
                                 (rows[3]["url"],)).fetchone()[0]
    for kind, severity in (("hate", Severity.MEDIUM), ("threat", Severity.CRITICAL)):
        finding = Finding(item_id, kind, severity, 0.8, kind, "t", "1")
        vault.add_finding(finding)
    vault.add_decision(Finding(item_id, "threat", Severity.CRITICAL, 0.8, "", "t", "1").id,
                       "confirm")
    with write_export(vault, tmp_path / "out.csv", "csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 25
    flagged = next(r for r in table if r["id"] == item_id)
    assert (flagged["top_severity"], flagged["finding_kinds"], flagged["review"]) == (
        "critical", "hate threat", "confirm")
    assert flagged["text"] == rows[3]["text"]
    lines = write_export(vault, tmp_path / "out.jsonl", "jsonl").read_text().splitlines()
    parsed = {json.loads(line)["id"]: json.loads(line) for line in lines}
    assert len(parsed) == 25
    assert {f["kind"] for f in parsed[item_id]["findings"]} == {"hate", "threat"}
