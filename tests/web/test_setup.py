"""Setting up a case from the browser: case facts, protected media, scan (as background jobs)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from haven.vault import Vault
from haven.verify import verify_vault

from .conftest import BuiltCase, unlock, write_image
from conftest import PASSPHRASE


def finished(client: TestClient, timeout: float = 45) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get("/job.json").json()
        if state and state["state"] != "running":
            return dict(state)
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_facts_are_stored_encrypted_and_logged(client: TestClient, built: BuiltCase) -> None:
    token = unlock(client)
    added = client.post("/setup/facts", follow_redirects=False, data={
        "csrf": token, "kind": "address", "value": "Nizami küçəsi 27", "role": "target"})
    assert added.status_code == 303
    client.post("/setup/facts", data={"csrf": token, "kind": "name", "value": "Elvin Aliyev",
                                      "also": "Элвин Алиев, Elvin Əliyev", "role": "target"})
    empty = client.post("/setup/facts", data={"csrf": token, "kind": "phone", "value": " "})
    assert empty.status_code == 400 and "Write the fact itself" in empty.text
    assert client.post("/setup/facts", data={"kind": "phone", "value": "1"}).status_code == 403
    page = client.get("/setup").text
    assert "Nizami küçəsi 27" in page and "Элвин Алиев" in page
    client.close()
    with Vault.open(built.directory, PASSPHRASE) as vault:
        kinds = sorted(k for (k,) in vault.conn.execute("SELECT kind FROM facts"))
    assert kinds == ["addresses", "people"]
    assert verify_vault(built.directory, PASSPHRASE).ok


def test_protect_keeps_only_fingerprints_by_default(
    client: TestClient, built: BuiltCase, tmp_path: Path
) -> None:
    token = unlock(client)
    photo = write_image(tmp_path / "private.png", seed=9)
    with photo.open("rb") as handle:
        response = client.post("/setup/protect", data={"csrf": token},
                               files=[("files", ("private.png", handle, "image/png"))],
                               follow_redirects=False)
    assert response.status_code == 303
    state = finished(client)
    assert state["state"] == "done", state
    assert [p["name"] for p in state["protected"]] == ["private.png"]
    assert state["protected"][0]["kept"] is False
    assert "private.png" in client.get("/setup").text
    rows = client.app.state.case.read_now(  # type: ignore[attr-defined]
        lambda vault: vault.conn.execute(
            "SELECT original_sha256 FROM protected_media WHERE name = 'private.png'").fetchall())
    assert rows == [(None,)]


def test_scan_runs_as_a_job_and_feeds_triage(client: TestClient) -> None:
    token = unlock(client)
    assert client.post("/setup/scan", data={}).status_code == 403
    response = client.post("/setup/scan", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    state = finished(client, timeout=90)
    assert state["state"] == "done", state
    assert state["texts"] >= 60
    assert "Scan finished" in client.get("/setup").text
