"""RFC 3161 round trip against a real local TSA (openssl ts) on loopback."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from haven.ingest import ingest
from haven.timestamps import (
    TimestampError,
    check_token,
    checkpoint_statement,
    pending,
    stored_timestamps,
    timestamp_vault,
)
from haven.vault import Vault
from haven.verify import verify_vault

from conftest import PASSPHRASE, comment_rows, write_csv
from tsa import local_tsa


def test_round_trip_with_a_local_tsa(vault: Vault, tmp_path: Path) -> None:
    ingest(vault, [write_csv(tmp_path / "c.csv", comment_rows(20))])
    waiting = pending(vault)
    assert waiting is not None
    with local_tsa() as tsa:
        stamp = timestamp_vault(vault, tsa.url)
        assert stamp is not None and stamp.tree_size == waiting.tree_size
        assert timestamp_vault(vault, tsa.url) is None  # nothing new since
        statement = checkpoint_statement(waiting)
        # An independent check with openssl: the token is valid for exactly this statement.
        (tmp_path / "statement").write_bytes(statement)
        (tmp_path / "token.der").write_bytes(stamp.token)
        checked = subprocess.run(
            ["openssl", "ts", "-verify", "-data", "statement", "-in", "token.der", "-token_in",
             "-CAfile", str(tsa.ca_cert), "-untrusted", str(tsa.tsa_cert)],
            cwd=tmp_path, capture_output=True, text=True)
        assert checked.returncode == 0 and "Verification: OK" in checked.stdout
        (tmp_path / "other").write_bytes(statement.replace(b"checkpoint", b"Checkpoint"))
        forged = subprocess.run(
            ["openssl", "ts", "-verify", "-data", "other", "-in", "token.der", "-token_in",
             "-CAfile", str(tsa.ca_cert), "-untrusted", str(tsa.tsa_cert)],
            cwd=tmp_path, capture_output=True, text=True)
        assert forged.returncode != 0
    with pytest.raises(TimestampError, match="does not verify"):
        check_token(stamp.token, b"other data")
    assert [s.tree_size for s in stored_timestamps(vault)] == [waiting.tree_size]
    vault.close()
    result = verify_vault(vault.directory, PASSPHRASE)
    assert result.ok, result.failures
    assert any("timestamp" in line for line in result.passed)


def test_unreachable_tsa_stores_nothing(vault: Vault) -> None:
    before = vault.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    with pytest.raises(TimestampError, match="did not answer"):
        timestamp_vault(vault, "http://127.0.0.1:9/tsa", timeout=2)
    assert stored_timestamps(vault) == []
    assert vault.conn.execute("SELECT count(*) FROM ledger").fetchone()[0] == before


def test_a_token_swapped_in_from_elsewhere_fails_verify(vault: Vault, tmp_path: Path) -> None:
    with local_tsa() as tsa:
        timestamp_vault(vault, tsa.url)
        ingest(vault, [write_csv(tmp_path / "c.csv", comment_rows(5))])
        timestamp_vault(vault, tsa.url)
    first, second = stored_timestamps(vault)
    # Give the first checkpoint the token of the second: signature fine, wrong statement.
    vault.conn.execute("UPDATE timestamps SET token = ? WHERE tree_size = ?",
                       (base64.b64encode(second.token).decode(), first.tree_size))
    vault.close()
    failures = verify_vault(vault.directory, PASSPHRASE).failures
    assert any("timestamp" in line for line in failures), failures
