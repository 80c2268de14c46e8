"""Reports from the browser: notices, evidence report and bundle, downloaded from memory."""

from __future__ import annotations

import io
import re
import zipfile

from fastapi.testclient import TestClient

from haven.verify import verify_vault

from .conftest import BuiltCase, unlock
from conftest import PASSPHRASE

DOWNLOAD = re.compile(r'href="(/reports/download/[^"]+)" download>([^<]+)<')


def downloads(client: TestClient) -> dict[str, str]:
    return {name: url for url, name in DOWNLOAD.findall(client.get("/reports").text)}


def test_notices_need_a_confirmed_finding_then_are_shown_and_downloadable(
    client: TestClient, built: BuiltCase
) -> None:
    token = unlock(client)
    assert client.post("/reports/notices", data={}).status_code == 403
    early = client.post("/reports/notices", data={"csrf": token})
    assert early.status_code == 409 and "notifier" in early.text
    saved = client.post("/reports/settings", follow_redirects=False, data={
        "csrf": token, "notifier_name": "Aysel Mammadova", "notifier_email": "aysel@example.org",
        "representative": "", "represented": ""})
    assert saved.status_code == 303
    assert 'value="aysel@example.org"' in client.get("/reports").text
    unconfirmed = client.post("/reports/notices", data={"csrf": token})
    assert unconfirmed.status_code == 409 and "no confirmed findings" in unconfirmed.text
    client.post(f"/findings/{built.findings['threat']}/decide",
                data={"csrf": token, "decision": "confirm"})
    made = client.post("/reports/notices", data={"csrf": token}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/reports#notices"
    page = client.get("/reports").text
    assert 'id="notice-facebook"' in page and "https://example.org/p/0/c/0" in page
    files = downloads(client)
    assert {"notice-facebook.txt", "notice-facebook.json"} <= set(files)
    text = client.get(files["notice-facebook.txt"])
    assert text.headers["content-disposition"].startswith("attachment;")
    assert "no-store" in text.headers["cache-control"]
    assert "https://example.org/p/0/c/0" in text.text and "Aysel Mammadova" in text.text
    client.close()
    result = verify_vault(built.directory, PASSPHRASE)
    assert result.ok, result.failures


def test_evidence_report_and_bundle(client: TestClient, built: BuiltCase) -> None:
    token = unlock(client)
    client.post(f"/findings/{built.findings['threat']}/decide",
                data={"csrf": token, "decision": "confirm"})
    assert client.post("/reports/evidence", data={"csrf": token, "format": "html"},
                       follow_redirects=False).status_code == 303
    assert client.post("/reports/bundle", data={"csrf": token},
                       follow_redirects=False).status_code == 303
    files = downloads(client)
    report = client.get(files["evidence-en.html"])
    assert report.status_code == 200 and "<html" in report.text.lower()
    bundle = zipfile.ZipFile(io.BytesIO(client.get(files["evidence-bundle.zip"]).content))
    assert "evidence-bundle/MANIFEST.sha256" in bundle.namelist()
    token_after_lock = client.post("/lock", data={"csrf": token}, follow_redirects=False)
    assert token_after_lock.status_code == 303
    unlock(client)
    assert downloads(client) == {}  # forgotten when the case locked
    assert client.get(files["evidence-en.html"]).status_code == 404


def test_export_and_hash_list(client: TestClient, built: BuiltCase) -> None:
    token = unlock(client)
    assert client.post("/reports/export", data={"csrf": token, "format": "csv"},
                       follow_redirects=False).status_code == 303
    made = client.post("/reports/hashes", data={"csrf": token, "format": "threatexchange"},
                       follow_redirects=False)
    files = downloads(client)
    export = client.get(files["haven-export.csv"]).text
    assert export.startswith("id,kind,platform,url") and "https://example.org/p/0/c/0" in export
    if made.status_code == 303:  # the case has protected media: only hashes come out
        lines = client.get(files["protected-hashes.txt"]).text.splitlines()
        assert lines and all(line.split(" ", 1)[0] in ("pdq", "vpdq", "video_md5")
                             for line in lines)
    else:
        assert made.status_code == 409 and "no protected media" in made.text
