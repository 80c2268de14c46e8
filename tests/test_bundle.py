"""Evidence bundles: portable, verifiable without a vault, and every alteration is named."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from haven.demo.media import scene_frame, write_image
from haven.ingest import ingest
from haven.model import Finding, Severity
from haven.reports.bundle import MANIFEST, default_selection, write_bundle
from haven.vault import Vault, VaultError
from haven.verify_bundle import verify_bundle

from conftest import comment_rows, write_csv


@pytest.fixture
def bundle(vault: Vault, tmp_path: Path) -> Path:
    media = tmp_path / "src" / "media"
    media.mkdir(parents=True)
    write_image(media / "shot.jpg", scene_frame(0.2))
    rows = comment_rows(40)
    for row in rows:
        row["media"] = ""
    rows[5]["media"] = "media/shot.jpg"
    ingest(vault, [write_csv(tmp_path / "src" / "c.csv", rows, [*rows[0]])])
    ids = [r[0] for r in vault.conn.execute("SELECT id FROM items ORDER BY rowid")]
    for item_id, severity in ((ids[5], Severity.CRITICAL), (ids[9], Severity.LOW)):
        vault.add_finding(Finding(item_id, "threat", severity, 0.9, "threatens to kill",
                                  "text.threat", "1"))
    low = Finding(ids[9], "threat", Severity.LOW, 0.9, "threatens to kill", "text.threat", "1")
    vault.add_decision(low.id, "confirm")
    assert default_selection(vault) == sorted([ids[5], ids[9]])
    out = tmp_path / "bundle"
    summary = write_bundle(vault, out, default_selection(vault))
    assert (summary.items, summary.files) == (2, 2)  # the CSV once, the photo once
    # Move it somewhere with no vault nearby.
    moved = tmp_path / "elsewhere" / "bundle"
    moved.parent.mkdir()
    shutil.move(out, moved)
    shutil.rmtree(vault.directory)
    return moved


def failures(directory: Path) -> list[str]:
    result = verify_bundle(directory)
    assert not result.ok
    return result.failures


def test_fresh_bundle_verifies_without_vault_or_passphrase(bundle: Path) -> None:
    result = verify_bundle(bundle)
    assert result.ok, result.failures
    assert len(result.passed) == 4


def test_standard_tools_verify_it(bundle: Path) -> None:
    sums = subprocess.run(["sha256sum", "-c", MANIFEST], cwd=bundle, capture_output=True,
                          text=True)
    assert sums.returncode == 0 and "FAILED" not in sums.stdout
    signed = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public_key.pem", "-rawin",
         "-in", MANIFEST, "-sigfile", "MANIFEST.sig"], cwd=bundle, capture_output=True, text=True)
    assert signed.returncode == 0 and "Signature Verified Successfully" in signed.stdout


def test_any_changed_byte_in_any_file_is_named(bundle: Path) -> None:
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        original = path.read_bytes()
        data = bytearray(original)
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        found = failures(bundle)
        assert any(path.name in line for line in found), (path, found)
        path.write_bytes(original)
    assert verify_bundle(bundle).ok


def test_removed_or_added_file_is_named(bundle: Path) -> None:
    evidence = next((bundle / "files").iterdir())
    saved = evidence.read_bytes()
    evidence.unlink()
    assert any(f"{evidence}: listed in the manifest but missing" in f for f in failures(bundle))
    evidence.write_bytes(saved)
    extra = bundle / "files" / "planted.jpg"
    extra.write_bytes(b"not evidence")
    assert any(f"{extra}: not in the manifest" in f for f in failures(bundle))


def test_edited_manifest_fails_even_if_consistent(bundle: Path) -> None:
    items = bundle / "items.jsonl"
    rows = [json.loads(line) for line in items.read_text().splitlines()]
    rows[0]["item"]["record"]["text"] = "something else"
    items.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    manifest = bundle / MANIFEST
    lines = [ln for ln in manifest.read_text().splitlines() if not ln.endswith("items.jsonl")]
    lines.append(f"{hashlib.sha256(items.read_bytes()).hexdigest()}  items.jsonl")
    manifest.write_text("\n".join(sorted(lines, key=lambda x: x[66:])) + "\n")
    assert any("MANIFEST.sha256: its signature (MANIFEST.sig) does not verify" in f
               for f in failures(bundle))


def test_nothing_selected_is_a_clear_error(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="nothing to bundle"):
        write_bundle(vault, tmp_path / "b", default_selection(vault))


def test_bundle_carries_a_trusted_timestamp(vault: Vault, tmp_path: Path) -> None:
    from haven.timestamps import timestamp_vault

    from tsa import local_tsa

    ingest(vault, [write_csv(tmp_path / "c.csv", comment_rows(5))])
    item_id = vault.conn.execute("SELECT id FROM items LIMIT 1").fetchone()[0]
    with local_tsa() as tsa:
        stamp = timestamp_vault(vault, tsa.url)
    assert stamp is not None
    write_bundle(vault, tmp_path / "b", [item_id])
    meta = json.loads((tmp_path / "b" / "bundle.json").read_text())
    assert meta["checkpoint"]["tree_size"] == stamp.tree_size
    assert (tmp_path / "b" / "checkpoint.tsr").read_bytes() == stamp.token
    result = verify_bundle(tmp_path / "b")
    assert result.ok, result.failures
    assert any("RFC 3161 timestamp" in line for line in result.passed)
