"""`haven verify`: every kind of tampering with a closed vault is detected and named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from haven.demo.media import scene_frame, write_image
from haven.ingest import ingest
from haven.vault import Vault
from haven.vault.case_vault import DB_NAME
from haven.verify import verify_vault

from conftest import PASSPHRASE, comment_rows, write_csv


@pytest.fixture
def filled(vault: Vault, tmp_path: Path) -> Path:
    media = tmp_path / "media"
    media.mkdir()
    write_image(media / "photo.jpg", scene_frame(0.3))
    rows = comment_rows(300)
    rows[0]["media"] = "media/photo.jpg"
    columns = [*rows[1], "media"]
    for row in rows[1:]:
        row["media"] = ""
    ingest(vault, [write_csv(tmp_path / "c.csv", rows, columns)])
    vault.close()
    assert verify_vault(vault.directory, PASSPHRASE).ok
    return vault.directory


def failures(directory: Path) -> list[str]:
    result = verify_vault(directory, PASSPHRASE)
    assert not result.ok
    return result.failures


def sql(directory: Path, *statements: str) -> None:
    """Change the database the way someone holding the passphrase could, outside Haven."""
    with Vault.open(directory, PASSPHRASE) as vault:
        for statement in statements:
            vault.conn.execute(statement)


def test_fresh_vault_verifies(filled: Path) -> None:
    result = verify_vault(filled, PASSPHRASE)
    assert result.ok
    assert [note for note in result.notes if "timestamp" not in note] == []
    assert any("ledger chain holds" in line for line in result.passed)


@pytest.mark.parametrize("where", [0.0, 0.004, 0.3, 0.5, 0.77, 0.999])
def test_a_flipped_byte_in_the_database_fails(filled: Path, where: float) -> None:
    db = filled / DB_NAME
    data = bytearray(db.read_bytes())
    data[min(int(len(data) * where), len(data) - 1)] ^= 0x20
    db.write_bytes(bytes(data))
    assert any(str(db) in line for line in failures(filled))


def test_a_flipped_byte_in_any_blob_fails(filled: Path) -> None:
    blob_files = [p for p in (filled / "blobs").rglob("*") if p.is_file()]
    assert len(blob_files) == 2  # the CSV source and the photo
    for blob in blob_files:
        original = blob.read_bytes()
        for offset in (0, 20, len(original) // 2, len(original) - 1):
            data = bytearray(original)
            data[offset] ^= 0x01
            blob.write_bytes(bytes(data))
            assert any(blob.name in line for line in failures(filled)), offset
        blob.write_bytes(original)
    assert verify_vault(filled, PASSPHRASE).ok


def test_a_removed_blob_fails(filled: Path) -> None:
    blob = next(p for p in (filled / "blobs").rglob("*") if p.is_file())
    blob.unlink()
    assert any(f"blob {blob.name} is missing" in line for line in failures(filled))


def test_altered_header_fails(filled: Path) -> None:
    header = filled / "vault.json"
    data = json.loads(header.read_text())
    data["kdf"]["time_cost"] += 1
    header.write_text(json.dumps(data))
    assert any("vault.json" in line for line in failures(filled))


TAMPERING: dict[str, tuple[Callable[[], tuple[str, ...]], str]] = {
    "entry deleted": (lambda: ("DELETE FROM ledger WHERE seq = 40",), "ledger entry #41"),
    "last entry deleted": (lambda: ("DELETE FROM ledger WHERE seq = "
                                    "(SELECT max(seq) FROM ledger)",), "entries were removed"),
    "entry altered": (lambda: ("UPDATE ledger SET actor = 'someone else' WHERE seq = 12",),
                      "ledger entry #12"),
    "entries reordered": (lambda: (
        "UPDATE ledger SET seq = -1 WHERE seq = 20",
        "UPDATE ledger SET seq = 20 WHERE seq = 21",
        "UPDATE ledger SET seq = 21 WHERE seq = -1",
    ), "ledger entry #20"),
    "item text altered": (lambda: ("UPDATE items SET text = text || '!' WHERE rowid = 7",),
                          "differs from what ledger entry"),
    "item removed": (lambda: ("DELETE FROM items WHERE rowid = 9",), "no longer in the vault"),
    "item added": (lambda: (
        "INSERT INTO items SELECT 'it_forged', kind, platform, url, author_id, time, text, "
        "parent_url, media, extra, source_id, source_record FROM items WHERE rowid = 1",
    ), "item it_forged: no ledger entry"),
    "author renamed": (lambda: ("UPDATE authors SET name = 'x' WHERE rowid = 3",),
                       "author au_"),
    "checkpoint forged": (lambda: ("UPDATE checkpoints SET root = "
                                   "'0000000000000000000000000000000000000000000000000000000000000000'",),
                          "Merkle root differs"),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampering_with_records_or_ledger_fails(filled: Path, case: str) -> None:
    statements, expected = TAMPERING[case]
    sql(filled, *statements())
    found = failures(filled)
    assert any(expected in line for line in found), found
