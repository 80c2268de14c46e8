"""Takedown notices that a platform must act on: every element of EU DSA Article 16(2).

One notice per platform, covering the items on it with a confirmed finding:
(a) a substantiated explanation of why each item is illegal or breaks the platform's rules,
    mapped to the platform's own policy category (`data/policies.json`, easy to extend);
(b) the exact URL of each item;
(c) the notifier's name and email (case settings), or the representative acting for them;
(d) a statement of good-faith belief that the notice is accurate and complete.
Threats to life and bounties are flagged for the provider's Art. 18 duty to inform law
enforcement. Output is plain text ready to paste and JSON for forms and tools.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from haven.ledger import utc_now
from haven.model import Severity, sha256_hex
from haven.reports import LATEST_DECISION
from haven.vault import Vault, VaultError

GOOD_FAITH = (
    "I declare that I have a bona fide belief that the information and allegations contained "
    "in this notice are accurate and complete (Article 16(2)(d) of Regulation (EU) 2022/2065)."
)
LIFE_THREAT_KINDS = {"threat", "bounty"}
SETTINGS_HELP = ("set them with: haven settings VAULT notifier_name \"NAME\" and "
                 "haven settings VAULT notifier_email EMAIL")


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("haven.reports").joinpath("data", name).read_text(encoding="utf-8")
    return dict(json.loads(text))


def platform_policy(platform: str) -> dict[str, Any]:
    """The platform's policy names; unknown platforms get generic wording."""
    policies = _data("policies.json")
    key = platform.casefold()
    key = policies["aliases"].get(key, key)
    return dict(policies.get(key, policies["default"]))


@dataclass(frozen=True)
class NoticeSet:
    directory: Path
    platforms: list[str]
    items: int
    without_url: int


def confirmed_findings(vault: Vault) -> list[dict[str, Any]]:
    """Findings whose latest decision is 'confirm', with their items, most severe first."""
    query = f"""
        SELECT f.id, f.kind, f.severity, f.explanation, f.spans, f.details,
               i.id, i.platform, i.url, i.time, i.text, a.handle, a.name
        FROM findings f
        JOIN items i ON i.id = f.item_id
        LEFT JOIN authors a ON a.id = i.author_id
        WHERE {LATEST_DECISION} = 'confirm'
    """
    rows = []
    for (finding_id, kind, severity, explanation, spans, details, item_id, platform, url,
         time, text, handle, name) in vault.conn.execute(query):
        rows.append({
            "finding_id": finding_id, "kind": kind, "severity": severity,
            "explanation": explanation, "spans": json.loads(spans),
            "details": json.loads(details), "item_id": item_id, "platform": platform,
            "url": url, "time": time, "text": text, "author": handle, "author_name": name,
        })
    rows.sort(key=lambda r: (Severity(r["severity"]).rank, r["time"] or ""))
    return rows


def _excerpt(text: str | None, limit: int = 280) -> str | None:
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notifier(vault: Vault) -> dict[str, Any]:
    """Who sends the notice: Art. 16(2)(c) needs a name and an email address."""
    settings = vault.settings()
    name, email = settings.get("notifier_name"), settings.get("notifier_email")
    if not name or not email:
        raise VaultError(f"notices need the notifier's name and email; {SETTINGS_HELP}")
    result: dict[str, Any] = {"name": name, "email": email}
    if settings.get("representative"):
        result["acting_for"] = settings.get("represented", "the persons concerned")
        result["representative"] = settings["representative"]
    return result


def build_notices(vault: Vault) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The notices per platform as plain data, and the confirmed items no notice can carry.

    A platform whose confirmed items all lack a URL gets no notice: Art. 16(2)(b) needs one.
    """
    sender = notifier(vault)
    legal = _data("legal.json")
    by_item: dict[str, dict[str, Any]] = {}
    for row in confirmed_findings(vault):
        item = by_item.setdefault(row["item_id"], {
            "item_id": row["item_id"], "platform": row["platform"], "url": row["url"],
            "time": row["time"], "author": row["author"], "author_name": row["author_name"],
            "excerpt": _excerpt(row["text"]), "findings": [],
        })
        policy = platform_policy(row["platform"])
        item["findings"].append({
            "kind": row["kind"], "severity": row["severity"],
            "explanation": row["explanation"],
            "policy_category": policy["categories"].get(row["kind"], row["kind"]),
            "why_illegal": legal.get(row["kind"], ""),
        })
    notices: dict[str, dict[str, Any]] = {}
    unlocated: list[str] = []
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in by_item.values():
        item["art18_threat_to_life"] = any(f["kind"] in LIFE_THREAT_KINDS
                                           for f in item["findings"])
        grouped[item["platform"]].append(item)
    for platform, items in sorted(grouped.items()):
        policy = platform_policy(platform)
        with_url = [i for i in items if i["url"]]
        if not with_url:
            unlocated += [i["item_id"] for i in items]
            continue
        notices[platform] = {
            "platform": platform,
            "policy_name": policy["policy_name"],
            "report_url": policy.get("report_url"),
            "case_id": vault.case_id,
            "created": utc_now(),
            "notifier": sender,
            "items": with_url,
            "items_without_url": [i["item_id"] for i in items if not i["url"]],
            "art18_threat_to_life": any(i["art18_threat_to_life"] for i in with_url),
            "good_faith_statement": GOOD_FAITH,
        }
    return notices, unlocated


def render_text(notice: dict[str, Any]) -> str:
    """A notice as plain text, ready to paste into the platform's form or an email."""
    sender = notice["notifier"]
    lines = [
        "NOTICE OF ILLEGAL CONTENT under Article 16 of the Digital Services Act",
        f"To: {notice['platform']} ({notice['policy_name']})",
        f"Date: {notice['created']}",
        "",
    ]
    if notice["art18_threat_to_life"]:
        lines += [
            "URGENT: THREAT TO LIFE OR SAFETY. Items below threaten to kill or harm identified",
            "people or offer a reward for it. Under Article 18 DSA the provider must promptly",
            "inform the law enforcement or judicial authorities of the Member State concerned.",
            "",
        ]
    for number, item in enumerate(notice["items"], start=1):
        lines.append(f"Item {number}")
        lines.append(f"  (b) Exact location (URL): {item['url']}")
        author = item["author_name"] or item["author"]
        if author:
            lines.append(f"      Posted by: {author}" + (f" at {item['time']}" if item["time"]
                                                         else ""))
        if item["excerpt"]:
            lines.append(f"      Content: \"{item['excerpt']}\"")
        lines.append("  (a) Why this content is illegal and breaks your rules:")
        for finding in item["findings"]:
            lines.append(f"      - {finding['policy_category']} ({finding['severity']}): "
                         f"{finding['explanation']}")
            lines.append(f"        {finding['why_illegal']}")
        if item["art18_threat_to_life"]:
            lines.append("      This item involves a threat to the life or safety of persons "
                         "(Art. 18 DSA).")
        lines.append("")
    lines.append("(c) Notifier:")
    lines.append(f"  Name: {sender['name']}")
    lines.append(f"  Email: {sender['email']}")
    if sender.get("representative"):
        lines.append(f"  Acting as {sender['representative']} for {sender['acting_for']}.")
    lines += ["", f"(d) {notice['good_faith_statement']}", ""]
    if notice["items_without_url"]:
        lines.append(f"Note for the sender: {len(notice['items_without_url'])} confirmed items "
                     "have no URL and are not in this notice; find their URLs first.")
    return "\n".join(lines) + "\n"


def write_notices(vault: Vault, out: Path) -> NoticeSet:
    """Write `<platform>.txt` and `<platform>.json` for every platform with confirmed items."""
    notices, unlocated = build_notices(vault)
    if not notices:
        raise VaultError("no confirmed findings: confirm findings in review before making "
                         "notices")
    out.mkdir(parents=True, exist_ok=True)
    digests = []
    for platform, notice in notices.items():
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in platform) or "unknown"
        text = render_text(notice)
        (out / f"{safe}.txt").write_text(text, encoding="utf-8")
        data = json.dumps(notice, indent=2, ensure_ascii=False) + "\n"
        (out / f"{safe}.json").write_text(data, encoding="utf-8")
        digests.append(sha256_hex((text + data).encode()))
    with vault.transaction():
        vault.ledger.append("make report notices", f"report_{utc_now()}",
                            sha256_hex("".join(digests).encode()))
    vault.checkpoint()
    without_url = len(unlocated) + sum(len(n["items_without_url"]) for n in notices.values())
    return NoticeSet(out, list(notices), sum(len(n["items"]) for n in notices.values()),
                     without_url)
