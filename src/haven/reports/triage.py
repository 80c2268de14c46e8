"""The triage queue: findings no one has decided on yet, the most dangerous first.

Within a severity, the order learns from the reviewers: once enough findings of a kind have been
confirmed and rejected, a small model trained on those decisions (`haven.text.ranker`) blends its
estimate that a reviewer would confirm into the analyser's score. It is retrained after every
RETRAIN_EVERY decisions and its estimates are memoised, so reviewing stays quick. Severity
always comes first, and nothing about a finding changes: only the order of the queue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from haven.model import Severity
from haven.reports import LATEST_DECISION
from haven.text.ranker import Decision, ReviewRanker, embedder_named
from haven.vault import Vault

# SQL for Severity.rank: most severe first.
SEVERITY_ORDER = ("CASE f.severity "
                  + " ".join(f"WHEN '{s.value}' THEN {s.rank}" for s in Severity)
                  + f" ELSE {len(Severity)} END")


def reviewer_decisions(vault: Vault) -> list[Decision]:
    """The latest confirm or reject on each finding, with the item's text, to learn from."""
    query = f"""
        SELECT i.text, f.kind, {LATEST_DECISION} AS verdict
        FROM findings f JOIN items i ON i.id = f.item_id
        WHERE i.text IS NOT NULL AND verdict IN ('confirm', 'reject')
    """
    return [Decision(str(text), str(kind), verdict == "confirm")
            for text, kind, verdict in vault.conn.execute(query)]


RETRAIN_EVERY = 10  # decisions between retraining: a decision must not stall the next page


@dataclass
class _Learned:
    ranker: ReviewRanker
    probabilities: dict[str, float | None] = field(default_factory=dict)


_LEARNED: dict[tuple[str, int, str], _Learned] = {}


def learned_ranker(vault: Vault) -> tuple[tuple[str, int, str], _Learned]:
    """This case's ranker, retrained after every RETRAIN_EVERY new decisions (and memoised),
    on the embeddings the case's `ranker` setting names (char n-grams unless set to e5)."""
    (count,) = vault.conn.execute("SELECT count(*) FROM decisions").fetchone()
    embedder = embedder_named(vault.setting("ranker"))
    key = (vault.case_id, int(count) // RETRAIN_EVERY, embedder.name)
    if key not in _LEARNED:
        _LEARNED.clear()
        _LEARNED[key] = _Learned(ReviewRanker(embedder).fit(reviewer_decisions(vault)))
    return key, _LEARNED[key]


def _learned_order(rows: list[dict[str, Any]], learned: _Learned) -> list[dict[str, Any]]:
    ranker, cache = learned.ranker, learned.probabilities
    for kind in {row["kind"] for row in rows} & set(ranker.kinds):
        fresh = [row for row in rows
                 if row["kind"] == kind and row["text"] and row["finding_id"] not in cache]
        probabilities = ranker.probability([row["text"] for row in fresh], kind) or []
        cache.update((row["finding_id"], p) for row, p in zip(fresh, probabilities, strict=True))
    for row in rows:
        probability = cache.get(row["finding_id"])
        if probability is not None:
            row["learned"] = probability
            row["rank_score"] = (1 - ranker.weight) * row["score"] + ranker.weight * probability
    rows.sort(key=lambda row: (Severity(row["severity"]).rank, -row["rank_score"]))
    return rows


def triage_queue(vault: Vault, limit: int | None = None, include_decided: bool = False,
                 learn: bool = True) -> list[dict[str, Any]]:
    """Findings by severity, then (learned) score, then time; undecided only unless asked."""
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
    learned = learned_ranker(vault)[1] if learn else None
    use = learned is not None and bool(learned.ranker.kinds)
    params: tuple[Any, ...] = ()
    if limit is not None and not use:
        query += " LIMIT ?"
        params = (limit,)
    rows = [
        {"finding_id": fid, "item_id": item_id, "kind": kind, "severity": severity,
         "score": score, "explanation": explanation, "spans": json.loads(spans),
         "details": json.loads(details), "platform": platform, "url": url, "time": time,
         "text": text, "author": author, "learned": None, "rank_score": score}
        for (fid, item_id, kind, severity, score, explanation, spans, details, platform, url,
             time, text, author) in vault.conn.execute(query, params)
    ]
    if learned is not None and use:
        rows = _learned_order(rows, learned)[:limit]
    return rows
