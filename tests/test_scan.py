"""protect, facts and scan through the vault: findings land, once, and the chain still holds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from haven.case_facts import add_fact, add_facts, load_facts
from haven.demo.media import scene_frame, write_image, write_video
from haven.ingest import ingest
from haven.media.vpdq import json_to_vpdq
from haven.protect import protect_file
from haven.reports.hashes import render
from haven.reports.triage import triage_queue
from haven.scan import scan
from haven.text.facts import Facts, FactsError
from haven.vault import Vault
from haven.verify import verify_vault

from conftest import PASSPHRASE, all_vault_bytes, write_csv


@pytest.fixture
def media(tmp_path: Path) -> dict[str, Path]:
    frames = [scene_frame(i / 10) for i in range(60)]
    folder = tmp_path / "collected"
    folder.mkdir()
    private = tmp_path / "private"
    private.mkdir()
    return {
        "video": write_video(private / "ours.mp4", frames),
        "clip": write_video(folder / "clip.mp4", frames[10:40]),
        "mirrored": write_image(folder / "mirrored.jpg", np.ascontiguousarray(frames[20][:, ::-1])),
        "other": write_image(folder / "other.jpg", scene_frame(2.0, seed=321)),
        "broken": _broken(folder / "broken.mp4"),
        "folder": folder,
    }


def _broken(path: Path) -> Path:
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)
    return path


def test_protect_keeps_hashes_not_the_video(vault: Vault, media: dict[str, Path]) -> None:
    done = protect_file(vault, media["video"])
    assert done.kind == "video" and done.new and not done.kept_original
    assert not protect_file(vault, media["video"]).new
    blobs = vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
    assert blobs == 0  # the private video's bytes are nowhere in the vault
    kept = protect_file(vault, media["mirrored"], keep_original=True)
    assert kept.kept_original
    assert vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    vault.close()
    assert media["video"].read_bytes()[1000:1064] not in all_vault_bytes(vault.directory)
    assert verify_vault(vault.directory, PASSPHRASE).ok


def test_scan_finds_copies_and_threats_critical_first(vault: Vault, media: dict[str, Path],
                                                       tmp_path: Path) -> None:
    protect_file(vault, media["video"])
    add_fact(vault, "name", "Samir Həsənov", aliases=("Самир Гасанов",))
    add_fact(vault, "address", "Nizami küçəsi 27")
    rows = [
        {"platform": "facebook", "url": "https://fb.example/1", "author": "a", "time": "",
         "text": "Samir Həsənov Nizami küçəsi 27-də yaşayır. Onu öldürəcəyik.",
         "parent_url": ""},
        {"platform": "facebook", "url": "https://fb.example/2", "author": "b", "time": "",
         "text": "Bu gün hava çox gözəldir.", "parent_url": ""},
    ]
    ingest(vault, [write_csv(tmp_path / "c.csv", rows), media["folder"]])
    report = scan(vault)
    assert report.media_files == 3  # clip, mirrored frame, unrelated photo; broken is skipped
    assert [p.path.name for p in report.problems] == ["broken.mp4"]
    queue = triage_queue(vault)
    copies = {row["details"]["candidate_name"] for row in queue if row["kind"] == "media_match"}
    assert copies == {"clip.mp4", "mirrored.jpg"}
    assert queue[0]["severity"] == "critical"
    threat = [row for row in queue if row["url"] == "https://fb.example/1"]
    assert {row["kind"] for row in threat} >= {"threat", "exposure"}
    assert not [row for row in queue if row["url"] == "https://fb.example/2"]
    clip = next(r for r in queue if r["details"].get("candidate_name") == "clip.mp4")
    assert clip["details"]["segments"] and clip["details"]["compared_match_percent"] < 100
    again = scan(vault)
    assert again.new_findings == 0
    assert again.media_files == 0  # nothing decoded twice
    # The same clip posted again by someone else: found from the earlier result, not re-decoded.
    repost = tmp_path / "repost"
    repost.mkdir()
    (repost / "clip.mp4").write_bytes(media["clip"].read_bytes())
    rows = [{"platform": "tiktok", "url": "https://tt.example/9", "author": "c", "time": "",
             "text": "", "parent_url": "", "media": "clip.mp4"}]
    ingest(vault, [write_csv(repost / "posts.csv", rows, [*rows[0]])])
    third = scan(vault)
    assert third.media_files == 0 and third.new_findings == 1
    vault.close()
    assert verify_vault(vault.directory, PASSPHRASE).ok


def test_facts_round_trip_and_refuse_bad_input(vault: Vault) -> None:
    facts = Facts.from_dict({"people": [{"role": "relative", "names": ["Səbinə"]}],
                             "phones": ["+994 50 123 45 67"], "vehicles": ["20-AB-123"]})
    assert add_facts(vault, facts) == 3
    assert add_facts(vault, facts) == 0
    assert load_facts(vault) == facts
    with pytest.raises(FactsError):
        add_fact(vault, "shoe size", "43")


def test_hash_lists_carry_the_protected_hashes(vault: Vault, media: dict[str, Path]) -> None:
    protect_file(vault, media["video"])
    protect_file(vault, media["other"])
    lines = render(vault, "threatexchange").splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert sorted(kinds) == ["pdq", "video_md5", "vpdq"]
    pdq = next(line for line in lines if line.startswith("pdq "))[4:]
    assert len(pdq) == 64 and int(pdq, 16) >= 0
    vpdq = json_to_vpdq(next(line for line in lines if line.startswith("vpdq "))[5:])
    assert len(vpdq) == 6  # one frame a second of a 6-second video
    hma = [json.loads(line) for line in render(vault, "hma").splitlines()]
    assert {row["signal_type"] for row in hma} == {"pdq", "vpdq", "video_md5"}
    assert "vpdq_frame" in render(vault, "csv")


def test_thresholds_are_set_per_case(vault: Vault, media: dict[str, Path]) -> None:
    protect_file(vault, media["video"])
    vault.set_setting("match_config", json.dumps({"min_compared_match_percent": 90}))
    ingest(vault, [media["clip"]])
    scan(vault)
    assert not [r for r in triage_queue(vault) if r["kind"] == "media_match"]
    vault.set_setting("match_config", "{}")
    scan(vault)
    assert [r for r in triage_queue(vault) if r["kind"] == "media_match"]


def test_settings_refuse_unknown_match_fields(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HAVEN_PASSPHRASE": PASSPHRASE}
    vault = tmp_path / "case"
    subprocess.run([sys.executable, "-m", "haven", "init", str(vault)], env=env, check=True,
                   capture_output=True)
    bad = subprocess.run([sys.executable, "-m", "haven", "settings", str(vault), "match_config",
                          '{"pdq_treshold": 20}'], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "unknown field(s) pdq_treshold" in bad.stderr
    odd = subprocess.run([sys.executable, "-m", "haven", "settings", str(vault), "text_learned",
                          "maybe"], env=env, capture_output=True, text=True)
    assert odd.returncode == 1 and "text_learned must be on or off" in odd.stderr
    ranker = subprocess.run([sys.executable, "-m", "haven", "settings", str(vault), "ranker",
                             "bert"], env=env, capture_output=True, text=True)
    assert ranker.returncode == 1 and "ranker must be one of: char, e5" in ranker.stderr


LEARNED_ONLY = "Tonight we end this, both of them"  # a veiled threat no rule reads


def test_the_learned_second_opinion_can_be_switched_off_per_case(
    vault: Vault, tmp_path: Path
) -> None:
    rows = [{"platform": "facebook", "url": "https://example.org/p/1/c/1", "author": "a",
             "time": "2026-10-01T10:00:00+04:00", "text": LEARNED_ONLY,
             "parent_url": "https://example.org/p/1"}]
    vault.set_setting("text_learned", "off")
    ingest(vault, [write_csv(tmp_path / "c.csv", rows)])
    scan(vault)
    assert not [r for r in triage_queue(vault) if r["kind"] == "threat"]
    vault.set_setting("text_learned", "on")
    scan(vault)
    found = [r for r in triage_queue(vault) if r["kind"] == "threat"]
    assert found and all("model" in r["explanation"] for r in found), found[0].keys()


def test_a_broken_example_file_stops_scan_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from haven import cli
    from haven.text import analyse, classifier

    monkeypatch.setenv("HAVEN_PASSPHRASE", PASSPHRASE)
    case = tmp_path / "case"
    runner = CliRunner()
    assert runner.invoke(cli.main, ["init", str(case)]).exit_code == 0
    rows = [{"platform": "facebook", "url": "https://example.org/p/1/c/1", "author": "a",
             "time": "2026-10-01T10:00:00+04:00", "text": "hello", "parent_url": ""}]
    csv_file = write_csv(tmp_path / "c.csv", rows)
    assert runner.invoke(cli.main, ["ingest", str(case), str(csv_file)]).exit_code == 0
    monkeypatch.setattr(classifier, "shipped_example_files", lambda: [("mine.jsonl", "{oops\n")])
    classifier.default_classifier.cache_clear()
    analyse.default_learned.cache_clear()
    try:
        result = runner.invoke(cli.main, ["scan", str(case)])
    finally:
        classifier.default_classifier.cache_clear()
        analyse.default_learned.cache_clear()
    assert result.exit_code == 1
    assert "mine.jsonl:1: not JSON" in result.output
    with Vault.open(case, PASSPHRASE) as vault:
        assert vault.conn.execute("SELECT COUNT(*) FROM findings").fetchone() == (0,)
    assert verify_vault(case, PASSPHRASE).ok
