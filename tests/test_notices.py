"""Takedown notices: all four DSA Art. 16(2) elements, for every platform, from confirmed items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from haven.ingest import ingest
from haven.model import Finding, Severity
from haven.reports.notices import GOOD_FAITH, build_notices, platform_policy, write_notices
from haven.vault import Vault, VaultError

from conftest import write_csv

PLATFORMS = ["facebook", "instagram", "twitter", "tiktok", "telegram", "youtube", "vk", "forum"]
KINDS = ["threat", "bounty", "exposure", "hate", "media_match"]


@pytest.fixture
def case(vault: Vault, tmp_path: Path) -> Vault:
    rows = []
    for p, platform in enumerate(PLATFORMS):
        for k, _kind in enumerate(KINDS):
            rows.append({"platform": platform, "url": f"https://{platform}.example/p/{p}/{k}",
                         "author": f"abuser{k}", "time": "2026-10-03T08:20:00Z",
                         "text": f"item {p}-{k}", "parent_url": ""})
    rows.append({"platform": "facebook", "url": "", "author": "x", "time": "",
                 "text": "screenshot without a link", "parent_url": ""})
    ingest(vault, [write_csv(tmp_path / "c.csv", rows)])
    items = {(r[1], r[2]): r[0] for r in vault.conn.execute("SELECT id, url, text FROM items")}
    for (url, text), item_id in items.items():
        kind = KINDS[int(text.split("-")[1])] if url else "threat"
        finding = Finding(item_id, kind, Severity.HIGH, 0.9, f"detected {kind}", "test", "1")
        vault.add_finding(finding)
        vault.add_decision(finding.id, "confirm")
    # A confirmed-then-rejected finding must not be in any notice.
    rejected_id = items[("https://vk.example/p/6/0", "item 6-0")]
    rejected = Finding(rejected_id, "threat", Severity.HIGH, 0.9, "detected threat", "test", "1")
    vault.add_decision(rejected.id, "reject")
    return vault


def test_notices_need_the_notifier(case: Vault) -> None:
    with pytest.raises(VaultError, match="notifier's name and email"):
        build_notices(case)


def test_every_notice_has_all_four_elements(case: Vault, tmp_path: Path) -> None:
    case.set_setting("notifier_name", "Leyla Məmmədova")
    case.set_setting("notifier_email", "leyla@ngo.example")
    case.set_setting("representative", "Qanun Yardım NGO")
    written = write_notices(case, tmp_path / "notices")
    assert sorted(written.platforms) == sorted(PLATFORMS)
    assert written.without_url == 1
    for platform in PLATFORMS:
        notice = json.loads((tmp_path / "notices" / f"{platform}.json").read_text())
        text = (tmp_path / "notices" / f"{platform}.txt").read_text()
        expected = len(KINDS) - (1 if platform == "vk" else 0)
        assert len(notice["items"]) == expected
        policy = platform_policy(platform)
        for item in notice["items"]:
            # (a) a substantiated explanation, in the platform's own policy terms
            for finding in item["findings"]:
                assert finding["explanation"] and finding["why_illegal"]
                assert finding["policy_category"] == policy["categories"][finding["kind"]]
                assert finding["policy_category"] in text
            # (b) the exact URL
            assert item["url"].startswith(f"https://{platform}.example/") and item["url"] in text
        # (c) name and email of the notifier
        assert notice["notifier"]["name"] == "Leyla Məmmədova" and "Leyla Məmmədova" in text
        assert "leyla@ngo.example" in text and "Qanun Yardım NGO" in text
        # (d) the good-faith statement
        assert notice["good_faith_statement"] == GOOD_FAITH and GOOD_FAITH in text
        assert notice["art18_threat_to_life"] and "Article 18" in text
    assert "https://vk.example/p/6/0" not in (tmp_path / "notices" / "vk.txt").read_text()


def test_x_is_found_under_its_old_name() -> None:
    assert platform_policy("Twitter")["policy_name"] == "X Rules"
    assert platform_policy("unknown-site")["policy_name"].startswith("the service")
