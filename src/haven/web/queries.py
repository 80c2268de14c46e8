"""Read-only views of a case that the web pages need and `haven.reports` does not offer.

Every function here only reads (SELECT); changing the case happens through `Vault` methods.
Queries are shaped for a case of 100,000+ items: aggregate in SQLite, bound every list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from haven.model import Severity
from haven.reports import LATEST_DECISION
from haven.reports.items import ItemFilter, list_items
from haven.reports.status import unreviewed_findings
from haven.reports.triage import SEVERITY_ORDER
from haven.reports.triage import triage_queue as ordered_queue
from haven.vault import Vault

UNDECIDED = "NOT EXISTS (SELECT 1 FROM decisions d WHERE d.finding_id = f.id)"
MEDIA_MATCH = "media_match"


@dataclass(frozen=True)
class Piece:
    """A run of an item's text, highlighted when `labels` is not empty."""

    text: str
    marked: bool = False
    labels: tuple[str, ...] = ()


def highlight(text: str | None, spans_json: str) -> list[Piece]:
    """Cut `text` at every span boundary; overlapping spans give a piece several labels.

    Offsets come from analysers; out-of-range or inverted spans are clamped, never trusted.
    """
    text = text or ""
    try:
        raw = json.loads(spans_json or "[]")
    except ValueError:
        raw = []
    spans: list[tuple[int, int, str]] = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, list) or len(entry) < 2:
            continue
        try:
            start, end = sorted((int(entry[0]), int(entry[1])))
        except (TypeError, ValueError):
            continue
        start, end = max(0, start), min(len(text), end)
        if start < end:
            spans.append((start, end, str(entry[2]) if len(entry) > 2 else ""))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = [label for s, e, label in spans if s <= start and end <= e]
        labels = tuple(dict.fromkeys(label for label in covering if label))
        pieces.append(Piece(text[start:end], bool(covering), labels))
    return [p for p in pieces if p.text]


@dataclass
class FindingView:
    """One finding with the item it is about, ready for a template."""

    id: str
    kind: str
    severity: str
    score: float
    explanation: str
    analyser: str
    analyser_version: str
    details: dict[str, Any]
    spans_json: str
    item_id: str
    item_kind: str
    platform: str
    url: str | None
    time: str | None
    text: str | None
    parent_url: str | None
    media: list[dict[str, Any]]
    author: str | None
    author_name: str | None
    decision: str | None = None
    pieces: list[Piece] = field(default_factory=list)


_FINDING_COLUMNS = f"""
SELECT f.id, f.kind, f.severity, f.score, f.explanation, f.analyser, f.analyser_version,
       f.details, f.spans, i.id, i.kind, i.platform, i.url, i.time, i.text, i.parent_url,
       i.media, a.handle, a.name,
       {LATEST_DECISION}
FROM findings f
JOIN items i ON i.id = f.item_id
LEFT JOIN authors a ON a.id = i.author_id
"""


def _finding(row: tuple[Any, ...]) -> FindingView:
    (fid, kind, severity, score, explanation, analyser, version, details, spans, item_id,
     item_kind, platform, url, time, text, parent_url, media, handle, name, decision) = row
    view = FindingView(
        id=fid, kind=kind, severity=severity, score=float(score), explanation=explanation,
        analyser=analyser, analyser_version=version, details=_json_dict(details),
        spans_json=spans, item_id=item_id, item_kind=item_kind, platform=platform, url=url,
        time=time, text=text, parent_url=parent_url, media=_json_list(media), author=handle,
        author_name=name, decision=decision,
    )
    view.pieces = highlight(text, spans)
    return view


def _json_dict(value: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(value or "{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _json_list(value: str | None) -> list[Any]:
    try:
        loaded = json.loads(value or "[]")
    except ValueError:
        return []
    return loaded if isinstance(loaded, list) else []


def finding(vault: Vault, finding_id: str) -> FindingView | None:
    row = vault.conn.execute(_FINDING_COLUMNS + " WHERE f.id = ?", (finding_id,)).fetchone()
    return None if row is None else _finding(row)


def undecided_count(vault: Vault, kind: str | None = None) -> int:
    query = f"SELECT count(*) FROM findings f WHERE {UNDECIDED}"
    params: tuple[str, ...] = ()
    if kind is not None:
        query += " AND f.kind = ?"
        params = (kind,)
    return int(vault.conn.execute(query, params).fetchone()[0])


def triage_queue(
    vault: Vault, offset: int = 0, limit: int = 20, kind: str | None = None,
    learn: bool = True,
) -> list[FindingView]:
    """Findings nobody decided on yet, in the order of `haven.reports.triage.triage_queue`:
    most severe first, then the score blended with what reviewers' decisions taught the ranker.
    """
    needed = None if kind else max(0, offset) + limit
    ordered = [row["finding_id"] for row in ordered_queue(vault, limit=needed, learn=learn)
               if kind is None or row["kind"] == kind]
    page = ordered[max(0, offset): max(0, offset) + limit]
    if not page:
        return []
    marks = ", ".join("?" for _ in page)
    rows = {row[0]: row for row in vault.conn.execute(
        _FINDING_COLUMNS + f" WHERE f.id IN ({marks})", page)}
    return [_finding(rows[finding_id]) for finding_id in page if finding_id in rows]


def media_matches(vault: Vault, undecided_only: bool, limit: int = 50) -> list[FindingView]:
    """Findings that an item carries a copy of protected media, most severe first."""
    query = _FINDING_COLUMNS + " WHERE f.kind = ?"
    if undecided_only:
        query += f" AND {UNDECIDED}"
    query += f" ORDER BY {SEVERITY_ORDER}, f.score DESC, f.id LIMIT ?"
    return [_finding(row) for row in vault.conn.execute(query, (MEDIA_MATCH, limit))]


def other_findings(vault: Vault, item_id: str, but: str) -> list[FindingView]:
    query = _FINDING_COLUMNS + f" WHERE f.item_id = ? AND f.id != ? ORDER BY {SEVERITY_ORDER}"
    return [_finding(row) for row in vault.conn.execute(query, (item_id, but))]


@dataclass(frozen=True)
class ContextItem:
    id: str
    platform: str
    url: str | None
    author: str | None
    time: str | None
    text: str | None


_CONTEXT = """
SELECT i.id, i.platform, i.url, a.handle, i.time, i.text
FROM items i LEFT JOIN authors a ON a.id = i.author_id
"""


def _context(row: tuple[Any, ...]) -> ContextItem:
    return ContextItem(*row)


def thread_context(
    vault: Vault, item_id: str, parent_url: str | None, limit: int = 8
) -> tuple[ContextItem | None, list[ContextItem]]:
    """The item this one replies to (by URL), and other replies to the same parent in time order."""
    if not parent_url:
        return None, []
    parent_row = vault.conn.execute(_CONTEXT + " WHERE i.url = ? LIMIT 1", (parent_url,))
    parent = parent_row.fetchone()
    siblings = vault.conn.execute(
        _CONTEXT + " WHERE i.parent_url = ? AND i.id != ? "
        "ORDER BY i.time IS NULL, i.time, i.rowid LIMIT ?",
        (parent_url, item_id, limit),
    ).fetchall()
    return (None if parent is None else _context(parent)), [_context(r) for r in siblings]


def servable_media(vault: Vault, sha256: str) -> bool:
    """True when `sha256` is media of an item that has a finding, or a kept protected original.

    The web app shows only such pictures: never source files or other stored bytes. Starting
    from the findings keeps this fast on a case of 100,000 items.
    """
    found = vault.conn.execute(
        "SELECT 1 FROM protected_media WHERE original_sha256 = ? LIMIT 1", (sha256,)
    ).fetchone()
    if found is None:
        found = vault.conn.execute(
            "SELECT 1 FROM findings f CROSS JOIN items i ON i.id = f.item_id "
            "WHERE i.media LIKE ? LIMIT 1",
            (f'%"sha256": "{sha256}"%',),
        ).fetchone()
    return found is not None


def protected_by_name(vault: Vault, name: str) -> dict[str, Any] | None:
    row = vault.conn.execute(
        "SELECT id, name, kind, original_sha256 FROM protected_media WHERE name = ? LIMIT 1",
        (name,),
    ).fetchone()
    if row is None:
        return None
    return {"id": row[0], "name": row[1], "kind": row[2], "original_sha256": row[3]}


# -- the overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAggregates:
    """Counts over all items: the part of the overview that reads every item."""

    key: int
    items: int
    authors: int
    by_platform: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]


def items_key(vault: Vault) -> int:
    """Identifies the set of stored items: items are only ever added (never edited or
    removed), so the highest rowid changes whenever it does. O(1)."""
    (top,) = vault.conn.execute("SELECT max(rowid) FROM items").fetchone()
    return int(top or 0)


def ledger_head(vault: Vault) -> int:
    """The last ledger entry: every record the vault stores appends one, so any change to the
    case moves it. O(1)."""
    (top,) = vault.conn.execute("SELECT max(seq) FROM ledger").fetchone()
    return int(top or 0)


def item_aggregates(vault: Vault, cached: ItemAggregates | None = None) -> ItemAggregates:
    """Counts per platform and kind; `cached` is reused while no item was added."""
    key = items_key(vault)
    if cached is not None and cached.key == key:
        return cached
    conn = vault.conn

    def pairs(query: str) -> list[tuple[str, int]]:
        return [(str(k), int(n)) for k, n in conn.execute(query)]

    return ItemAggregates(
        key=key,
        items=int(conn.execute("SELECT count(*) FROM items").fetchone()[0]),
        authors=int(conn.execute("SELECT count(*) FROM authors").fetchone()[0]),
        by_platform=pairs("SELECT platform, count(*) FROM items GROUP BY platform "
                          "ORDER BY count(*) DESC"),
        by_kind=pairs("SELECT kind, count(*) FROM items GROUP BY kind ORDER BY count(*) DESC"),
    )


@dataclass(frozen=True)
class Spread:
    """Items per day and platform, for the chart of how the case spread."""

    key: int
    per_day: list[tuple[str, dict[str, int]]]


# Written as `substr(time, 1, 10)` so that an index on that expression (with platform) turns
# the full scan of items into an index scan (measured: ~350 ms -> ~10 ms on 100,000 items).
_PER_DAY = (
    "SELECT substr(time, 1, 10), platform, count(*) FROM items "
    "WHERE substr(time, 1, 10) IS NOT NULL GROUP BY substr(time, 1, 10), platform"
)


def spread(vault: Vault, cached: Spread | None = None) -> Spread:
    """Items per day (the date part of their ISO time) and platform; undated items left out."""
    key = items_key(vault)
    if cached is not None and cached.key == key:
        return cached
    per_day: dict[str, dict[str, int]] = {}
    for day, platform, count in vault.conn.execute(_PER_DAY):
        if day:
            per_day.setdefault(str(day), {})[str(platform)] = int(count)
    return Spread(key, sorted(per_day.items()))


def top_spreaders(vault: Vault, limit: int = 10) -> list[dict[str, Any]]:
    """Authors of the most flagged items (findings not rejected by a reviewer)."""
    spreaders = []
    # CROSS JOIN keeps SQLite starting from the (few) findings instead of scanning all items.
    for author_id, handle, name, platform, flagged, copies in vault.conn.execute(
        "SELECT i.author_id, a.handle, a.name, a.platform, count(DISTINCT f.item_id), "
        "count(DISTINCT CASE WHEN f.kind = ? THEN f.item_id END) "
        "FROM findings f CROSS JOIN items i ON i.id = f.item_id "
        "CROSS JOIN authors a ON a.id = i.author_id "
        "WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.finding_id = f.id "
        "AND d.decision = 'reject') "
        "GROUP BY i.author_id ORDER BY count(DISTINCT f.item_id) DESC, a.handle LIMIT ?",
        (MEDIA_MATCH, limit),
    ):
        (total,) = vault.conn.execute(
            "SELECT count(*) FROM items WHERE author_id = ?", (author_id,)
        ).fetchone()
        spreaders.append({"handle": handle, "name": name, "platform": platform,
                          "flagged": int(flagged), "copies": int(copies), "total": int(total)})
    return spreaders


@dataclass
class Overview:
    ledger_head: int
    items: ItemAggregates
    findings: int
    undecided: dict[str, int]
    decided: int
    findings_by_kind: list[tuple[str, int]]
    spreaders: list[dict[str, Any]]
    urgent: list[FindingView]
    skipped: int
    last_checkpoint: str | None


def overview(vault: Vault, cached: Overview | None = None, urgent_limit: int = 8) -> Overview:
    """Everything the case overview shows.

    `cached` (the previous result) is returned as it is while the ledger has not moved, and its
    item counts are reused while no item was added (a decision does not rescan 100,000 items).
    """
    conn = vault.conn
    head = ledger_head(vault)
    if cached is not None and cached.ledger_head == head:
        return cached
    urgent = [
        # Plain severity order here: the overview must not wait for the ranker to train.
        f for f in triage_queue(vault, 0, urgent_limit, learn=False)
        if f.severity in (Severity.CRITICAL.value, Severity.HIGH.value)
    ]
    return Overview(
        ledger_head=head,
        items=item_aggregates(vault, cached.items if cached else None),
        findings=int(conn.execute("SELECT count(*) FROM findings").fetchone()[0]),
        undecided=unreviewed_findings(vault),
        decided=int(conn.execute(
            "SELECT count(DISTINCT finding_id) FROM decisions").fetchone()[0]),
        findings_by_kind=[(str(k), int(n)) for k, n in conn.execute(
            "SELECT kind, count(*) FROM findings GROUP BY kind ORDER BY count(*) DESC")],
        spreaders=top_spreaders(vault),
        urgent=urgent,
        skipped=int(conn.execute("SELECT count(*) FROM problems").fetchone()[0]),
        last_checkpoint=last_checkpoint(vault),
    )


def last_checkpoint(vault: Vault) -> str | None:
    """Checkpoints are not ledger entries, so the overview asks for this one afresh."""
    row = vault.conn.execute("SELECT time FROM checkpoints ORDER BY tree_size DESC LIMIT 1")
    found = row.fetchone()
    return None if found is None else str(found[0])


def items_page(vault: Vault, where: ItemFilter, limit: int) -> list[dict[str, Any]]:
    """One page of `haven.reports.items.list_items` (it picks the page before any join)."""
    return list(list_items(vault, replace(where, limit=limit)))


def item_choices(vault: Vault) -> tuple[list[str], list[str]]:
    """The platforms and kinds present, for the filters of the items list."""
    platforms = [str(r[0]) for r in vault.conn.execute(
        "SELECT DISTINCT platform FROM items ORDER BY platform")]
    kinds = [str(r[0]) for r in vault.conn.execute(
        "SELECT DISTINCT kind FROM items ORDER BY kind")]
    return platforms, kinds


def confirmed_count(vault: Vault) -> int:
    """Findings whose latest decision is 'confirm' (what notices are made of)."""
    (count,) = vault.conn.execute(
        f"SELECT count(*) FROM findings f WHERE {LATEST_DECISION} = 'confirm'"
    ).fetchone()
    return int(count)


def case_facts(vault: Vault) -> list[dict[str, Any]]:
    """The stored case facts, one row each; a person's names joined."""
    facts = []
    for kind, value, role in vault.conn.execute(
            "SELECT kind, value, role FROM facts ORDER BY rowid"):
        if kind == "people":
            names = _json_list(value)
            value = ", ".join(str(n) for n in names) if names else value
        facts.append({"kind": str(kind), "value": str(value), "role": role})
    return facts


def protected_list(vault: Vault) -> list[dict[str, Any]]:
    """The protected media by name and kind, and whether the original is kept."""
    return [{"name": str(name), "kind": str(kind), "kept": original is not None}
            for name, kind, original in vault.conn.execute(
                "SELECT name, kind, original_sha256 FROM protected_media ORDER BY rowid")]
