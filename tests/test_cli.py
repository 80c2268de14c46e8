"""The `haven` command as a user runs it: real processes, real files, exit codes and output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from haven.ingest import UNKNOWN_TYPE

from conftest import PASSPHRASE, comment_rows, write_csv

HAVEN = [sys.executable, "-m", "haven"]


def run(*args: str | Path, env_pass: str | None = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HAVEN_PASSPHRASE"}
    if env_pass is not None:
        env["HAVEN_PASSPHRASE"] = env_pass
    return subprocess.run([*HAVEN, *map(str, args)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


def test_init_ingest_status_items_verify(tmp_path: Path) -> None:
    vault = tmp_path / "case"
    rows = comment_rows(120)
    source = write_csv(tmp_path / "comments.csv", rows)
    assert run("init", vault).returncode == 0
    result = run("ingest", vault, source, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"new_items": 120, "already_stored": 0, "files": 1,
                                         "skipped": 0}
    again = run("ingest", vault, source, "--json")
    assert json.loads(again.stdout)["new_items"] == 0
    status = json.loads(run("status", vault, "--json").stdout)
    assert status["items"] == 120
    assert status["by_platform"] == dict(Counter(row["platform"] for row in rows))
    lines = run("items", vault, "--platform", "instagram", "--limit", "3").stdout.splitlines()
    listed = [json.loads(line) for line in lines]
    assert len(listed) == 3 and {item["platform"] for item in listed} == {"instagram"}
    assert set(listed[0]) >= {"id", "kind", "platform", "url", "author", "time", "text",
                              "parent", "source_file", "source_sha256"}
    verified = run("verify", vault)
    assert verified.returncode == 0 and "Vault verifies." in verified.stdout


def test_wrong_or_missing_passphrase_is_a_clear_error(tmp_path: Path) -> None:
    vault = tmp_path / "case"
    assert run("init", vault).returncode == 0
    wrong = run("status", vault, env_pass="wrong")
    assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr
    missing = run("status", vault, env_pass=None)
    assert missing.returncode == 2 and "HAVEN_PASSPHRASE" in missing.stderr
    assert run("verify", vault, env_pass="wrong").returncode == 1


def test_skipped_input_gives_one_line_per_problem_and_exit_1(tmp_path: Path) -> None:
    vault = tmp_path / "case"
    run("init", vault)
    good = write_csv(tmp_path / "good.csv", comment_rows(4))
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "facebook,https://x.org/z,a,not-a-time,t,\n")
    unknown = tmp_path / "notes.xyz"
    unknown.write_bytes(b"\x00binary")
    result = run("ingest", vault, bad, unknown)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"skipped: {bad}:line 6: time 'not-a-time' is not ISO 8601 (like "
        "2024-05-01T14:30:00+04:00)",
        f"skipped: {unknown}: {UNKNOWN_TYPE}",
    ]
    assert "4 new items" in result.stdout
    status = json.loads(run("status", vault, "--json").stdout)
    assert status["needs_review"]["skipped_inputs"] == 2
    assert run("verify", vault).returncode == 0


def test_tampered_vault_exits_nonzero_naming_the_problem(tmp_path: Path) -> None:
    vault = tmp_path / "case"
    run("init", vault)
    run("ingest", vault, write_csv(tmp_path / "c.csv", comment_rows(30)))
    blob = next(p for p in (vault / "blobs").rglob("*") if p.is_file() and p.parent.name != "tmp")
    data = bytearray(blob.read_bytes())
    data[-5] ^= 0xFF
    blob.write_bytes(bytes(data))
    result = run("verify", vault)
    assert result.returncode == 1
    assert f"FAIL  blob {blob.name} fails authentication" in result.stderr


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.4, 0.6, 0.85])
def test_ingest_killed_at_any_moment_then_rerun(tmp_path: Path, fraction: float,
                                                full_ingest_seconds: float) -> None:
    vault = tmp_path / "case"
    rows = comment_rows(10_000)
    source = write_csv(tmp_path / "comments.csv", rows)
    run("init", vault)
    env = {**os.environ, "HAVEN_PASSPHRASE": PASSPHRASE}
    process = subprocess.Popen([*HAVEN, "ingest", str(vault), str(source)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(full_ingest_seconds * fraction)
    process.send_signal(signal.SIGKILL)
    process.wait()
    rerun = run("ingest", vault, source, "--json")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["new_items"] + summary["already_stored"] == 10_000
    status = json.loads(run("status", vault, "--json").stdout)
    assert status["items"] == 10_000
    assert run("verify", vault).returncode == 0


@pytest.fixture(scope="module")
def full_ingest_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long an uninterrupted ingest takes here, so kills land across the whole run."""
    base = tmp_path_factory.mktemp("timing")
    vault = base / "case"
    source = write_csv(base / "comments.csv", comment_rows(10_000))
    run("init", vault)
    started = time.monotonic()
    assert run("ingest", vault, source).returncode == 0
    return time.monotonic() - started


def test_report_bundle_then_verify_it_without_passphrase(tmp_path: Path) -> None:
    vault = tmp_path / "case"
    run("init", vault)
    run("ingest", vault, write_csv(tmp_path / "c.csv", comment_rows(10)))
    item = json.loads(run("items", vault, "--limit", "1").stdout)
    nothing = run("report", vault, "--kind", "bundle", "--out", tmp_path / "none")
    assert nothing.returncode == 1 and "nothing to bundle" in nothing.stderr
    made = run("report", vault, "--kind", "bundle", "--out", tmp_path / "b", "--item", item["id"])
    assert made.returncode == 0, made.stderr
    checked = run("verify", tmp_path / "b", env_pass=None)
    assert checked.returncode == 0 and "Bundle verifies." in checked.stdout
    assert run("verify", vault).returncode == 0  # the report was logged, and signed


def test_timestamp_command_against_a_local_tsa(tmp_path: Path) -> None:
    from tsa import local_tsa

    vault = tmp_path / "case"
    run("init", vault)
    down = run("timestamp", vault, "--tsa", "http://127.0.0.1:9/", "--timeout", "2")
    assert down.returncode == 1 and "did not answer" in down.stderr
    with local_tsa() as tsa:
        first = run("timestamp", vault, "--tsa", tsa.url)
        assert first.returncode == 0, first.stderr
        assert "vouches that ledger entries 1 to 1 existed" in first.stdout
        assert "Nothing new" in run("timestamp", vault, "--tsa", tsa.url).stdout
    assert "RFC 3161 timestamps verify" in run("verify", vault).stdout


def test_settings_and_notices(tmp_path: Path) -> None:
    from haven.model import Finding, Severity
    from haven.vault import Vault

    vault = tmp_path / "case"
    run("init", vault)
    run("ingest", vault, write_csv(tmp_path / "c.csv", comment_rows(3)))
    with Vault.open(vault, PASSPHRASE) as case:
        item_id = case.conn.execute("SELECT id FROM items LIMIT 1").fetchone()[0]
        finding = Finding(item_id, "bounty", Severity.CRITICAL, 1.0, "offers money", "t", "1")
        case.add_finding(finding)
        case.add_decision(finding.id, "confirm")
        case.checkpoint()
    refused = run("report", vault, "--kind", "notices", "--out", tmp_path / "n")
    assert refused.returncode == 1 and "haven settings" in refused.stderr
    assert run("settings", vault, "notifier_name", "Nigar H.").returncode == 0
    assert run("settings", vault, "notifier_email", "nigar@example.org").returncode == 0
    shown = run("settings", vault).stdout
    assert "Nigar H." in shown and "nigar@example.org" in shown
    made = run("report", vault, "--kind", "notices", "--out", tmp_path / "n")
    assert made.returncode == 0, made.stderr
    assert "Nigar H." in next((tmp_path / "n").glob("*.txt")).read_text()
    assert run("verify", vault).returncode == 0
