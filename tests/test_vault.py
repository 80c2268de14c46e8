"""The encrypted case vault: creation, unlocking, what is on disk, and the blob store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from haven.ingest import ingest
from haven.vault import BlobError, Vault, VaultError, WrongPassphrase
from haven.vault.schema import SCHEMA_VERSION

from conftest import FAST_KDF, PASSPHRASE, all_vault_bytes, comment_rows, write_csv


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_create_then_open_keeps_case_identity(vault_dir: Path) -> None:
    with Vault.create(vault_dir, PASSPHRASE, FAST_KDF) as vault:
        case_id = vault.case_id
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert vault.case_id == case_id
        assert vault.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_wrong_passphrase_is_refused_and_changes_nothing(vault_dir: Path) -> None:
    Vault.create(vault_dir, PASSPHRASE, FAST_KDF).close()
    before = snapshot(vault_dir)
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        Vault.open(vault_dir, "not the passphrase")
    assert snapshot(vault_dir) == before


def test_refuses_to_create_over_existing_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(VaultError, match="not empty"):
        Vault.create(tmp_path, PASSPHRASE, FAST_KDF)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_empty_passphrase_is_refused(vault_dir: Path) -> None:
    with pytest.raises(VaultError, match="empty passphrase"):
        Vault.create(vault_dir, "", FAST_KDF)


def test_nothing_readable_on_disk_without_the_passphrase(vault: Vault, tmp_path: Path) -> None:
    rows = comment_rows(50)
    rows[7]["author"] = "Vüqar_Məmmədov"
    source = write_csv(tmp_path / "comments.csv", rows)
    ingest(vault, [source])
    stored = vault.conn.execute("SELECT text FROM items LIMIT 1").fetchone()[0]
    blob_sha = vault.conn.execute("SELECT sha256 FROM blobs LIMIT 1").fetchone()[0]
    vault.close()
    data = all_vault_bytes(vault.directory)
    for secret in (rows[3]["text"], "Vüqar_Məmmədov", stored, "facebook"):
        assert secret.encode() not in data
    assert blob_sha.encode() not in data
    assert hashlib.sha256(source.read_bytes()).hexdigest().encode() not in data
    assert bytes.fromhex(blob_sha) not in data


def test_blob_round_trip_and_tamper_detection(vault: Vault) -> None:
    payload = bytes(range(256)) * 9000  # spans several 1 MiB chunks
    sha = vault.add_blob_bytes(payload)
    assert vault.blobs.read(sha) == payload
    path = vault.blobs.path(sha)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BlobError, match="fails authentication"):
        vault.blobs.check(sha)


def test_truncated_blob_is_detected(vault: Vault) -> None:
    sha = vault.add_blob_bytes(b"x" * (3 << 20))
    path = vault.blobs.path(sha)
    path.write_bytes(path.read_bytes()[: (1 << 20) + 200])
    with pytest.raises(BlobError):
        vault.blobs.check(sha)


def test_blob_names_depend_on_the_vault_key(tmp_path: Path) -> None:
    with (
        Vault.create(tmp_path / "a", PASSPHRASE, FAST_KDF) as first,
        Vault.create(tmp_path / "b", PASSPHRASE, FAST_KDF) as second,
    ):
        sha = first.add_blob_bytes(b"same bytes")
        second.add_blob_bytes(b"same bytes")
        assert first.blobs.name(sha) != second.blobs.name(sha)
