"""The web app through FastAPI's TestClient: security, session, decisions, ingest, languages."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haven.vault import Vault
from haven.verify import verify_vault
from haven.web import create_app
from haven.web.app import CSP, safe_filename, safe_next

from .conftest import BASE, PORT, BuiltCase, csrf_of, unlock
from conftest import PASSPHRASE, comment_rows, write_csv

PAGES = ["/", "/triage", "/media", "/items", "/ingest", "/reports", "/setup"]


def decisions(directory: Path) -> list[tuple[str, str]]:
    with Vault.open(directory, PASSPHRASE) as vault:
        return [(str(a), str(b)) for a, b in
                vault.conn.execute("SELECT finding_id, decision FROM decisions")]


# -- the app's own security ------------------------------------------------------------------


def test_foreign_host_header_is_refused(client: TestClient) -> None:
    for host in ("evil.example", f"evil.example:{PORT}", "127.0.0.1:1", f"127.0.0.2:{PORT}"):
        response = client.get("/unlock", headers={"host": host})
        assert response.status_code == 421, host
    assert client.get("/unlock", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_every_page_carries_the_security_headers(client: TestClient) -> None:
    unlock(client)
    for path in [*PAGES, "/unlock", "/weather", "/static/haven.js", "/overview/spread.svg"]:
        response = client.get(path, follow_redirects=False)
        headers = response.headers
        assert headers["content-security-policy"] == CSP, path
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        if not path.startswith("/static/"):
            assert "no-store" in headers["cache-control"], path
    assert "default-src 'self'" in CSP and "script-src 'self'" in CSP
    assert "unsafe-inline" not in CSP and "http" not in CSP


def test_pages_load_nothing_from_elsewhere_and_have_no_inline_script(client: TestClient) -> None:
    unlock(client)
    for path in [*PAGES, "/unlock"]:
        html = client.get(path).text
        assert "<script>" not in html and "<script " not in html.replace(
            '<script src="/static/haven.js" defer></script>', ""), path
        assert ' style="' not in html and "onclick" not in html, path
        for attribute in ('src="http', 'href="http', 'src="//', 'href="//', "url(http"):
            assert attribute not in html, (path, attribute)


def test_cookies_are_httponly_and_samesite_strict(client: TestClient) -> None:
    page = client.get("/unlock")
    response = client.post("/unlock", data={"csrf": csrf_of(page.text),
                                            "passphrase": PASSPHRASE, "next": "/"},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert f"haven_session_{PORT}=" in cookie
    session = next(c for c in response.headers.get_list("set-cookie") if "haven_session" in c)
    assert "HttpOnly" in session and "SameSite=strict" in session.replace("Strict", "strict")


def test_wrong_passphrase_gives_a_clear_message(client: TestClient) -> None:
    page = client.get("/unlock")
    response = client.post("/unlock", data={"csrf": csrf_of(page.text),
                                            "passphrase": "not it", "next": "/"})
    assert response.status_code == 401
    assert "does not open this case" in response.text
    assert "not it" not in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_unlock_without_csrf_is_refused(client: TestClient) -> None:
    client.get("/unlock")
    response = client.post("/unlock", data={"passphrase": PASSPHRASE})
    assert response.status_code == 403
    assert client.app.state.case.vault is None  # type: ignore[attr-defined]


def test_locked_session_is_redirected_or_refused(client: TestClient, built: BuiltCase) -> None:
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/unlock")
    anon = csrf_of(client.get("/unlock").text)
    response = client.post(f"/findings/{built.findings['threat']}/decide",
                           data={"csrf": anon, "decision": "confirm"})
    assert response.status_code == 401
    assert client.get(f"/media/blob/{built.image_sha}.jpg",
                      follow_redirects=False).status_code == 303
    assert decisions(built.directory) == []


def test_state_change_without_csrf_token_is_refused(client: TestClient, built: BuiltCase) -> None:
    token = unlock(client)
    url = f"/findings/{built.findings['threat']}/decide"
    assert client.post(url, data={"decision": "confirm"}).status_code == 403
    assert client.post(url, data={"decision": "confirm", "csrf": token[:-2] + "xx"}
                       ).status_code == 403
    assert client.post("/ingest/folder", data={"path": "/tmp"}).status_code == 403
    cross = client.post(url, data={"decision": "confirm", "csrf": token},
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    client.close()
    assert decisions(built.directory) == []


def test_decisions_land_in_the_ledger_and_the_vault_verifies(
    client: TestClient, built: BuiltCase
) -> None:
    token = unlock(client)
    triage = client.get("/triage")
    # Most severe first: a critical finding heads the queue, its span is highlighted.
    assert built.findings["threat"] in triage.text or built.findings["image_match"] in triage.text
    response = client.post(f"/findings/{built.findings['threat']}/decide",
                           data={"csrf": token, "decision": "confirm", "next": "/triage"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/triage"
    client.post(f"/findings/{built.findings['bounty']}/decide",
                data={"csrf": token, "decision": "unsure"})
    bad = client.post(f"/findings/{built.findings['bounty']}/decide",
                      data={"csrf": token, "decision": "delete"})
    assert bad.status_code == 400
    missing = client.post("/findings/fi_nope/decide", data={"csrf": token, "decision": "reject"})
    assert missing.status_code == 404
    client.close()  # lifespan end: the vault is closed
    assert sorted(decisions(built.directory)) == sorted(
        [(built.findings["threat"], "confirm"), (built.findings["bounty"], "unsure")])
    with Vault.open(built.directory, PASSPHRASE) as vault:
        actions = [a for (a,) in vault.conn.execute("SELECT action FROM ledger")]
        (signed,) = vault.conn.execute("SELECT max(tree_size) FROM checkpoints").fetchone()
    assert actions.count("record decision") == 2
    assert signed == len(actions)  # checkpointed right after the decision
    result = verify_vault(built.directory, PASSPHRASE)
    assert result.ok, result.failures


def test_lock_now_closes_the_vault(client: TestClient) -> None:
    token = unlock(client)
    case = client.app.state.case  # type: ignore[attr-defined]
    assert case.vault is not None
    response = client.post("/lock", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/unlock")
    assert case.vault is None and not case.sessions
    assert client.get("/", follow_redirects=False).status_code == 303


def test_quick_exit_locks_and_shows_a_neutral_page(client: TestClient) -> None:
    token = unlock(client)
    response = client.post("/exit", headers={"x-csrf-token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/weather"
    assert client.app.state.case.vault is None  # type: ignore[attr-defined]
    unlock(client)
    stale = client.post("/exit", headers={"x-csrf-token": "expired"}, follow_redirects=False)
    assert stale.headers["location"] == "/weather"
    assert client.app.state.case.vault is None  # type: ignore[attr-defined]
    weather = client.get("/weather")
    assert weather.status_code == 200 and "Weather" in weather.text
    assert "haven" not in weather.text.lower()


def test_inactivity_locks_the_case_and_closes_the_vault(built: BuiltCase) -> None:
    app = create_app(built.directory, port=PORT, idle_timeout=0.3, lock_check_every=0.05)
    with TestClient(app, base_url=BASE) as client:
        unlock(client)
        assert client.get("/").status_code == 200
        deadline = time.monotonic() + 5
        while app.state.case.vault is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.case.vault is None
        assert client.get("/", follow_redirects=False).status_code == 303


# -- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_every_page_renders_in_every_language(client: TestClient, language: str) -> None:
    token = unlock(client)
    client.post("/lang", data={"csrf": token, "lang": language, "next": "/"})
    for path in [*PAGES, "/media?all=1", "/items?platform=instagram&contains=%23"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert f'<html lang="{language}">' in response.text


def test_switching_to_azerbaijani(client: TestClient) -> None:
    token = unlock(client)
    response = client.post("/lang", data={"csrf": token, "lang": "az", "next": "/triage"},
                           follow_redirects=False)
    assert response.headers["location"] == "/triage"
    assert "SameSite=strict" in response.headers["set-cookie"].replace("Strict", "strict")
    page = client.get("/triage").text
    assert "İndi kilidlə" in page and "Təsdiqlə" in page
    away = client.post("/lang", data={"csrf": token, "lang": "ru", "next": "//evil.example/"},
                       follow_redirects=False)
    assert away.headers["location"] == "/"


def test_overview_puts_urgent_findings_first(client: TestClient, built: BuiltCase) -> None:
    unlock(client)
    html = client.get("/").text
    assert "Needs your attention" in html and 'src="/overview/spread.svg"' in html
    assert html.index("Calls for the couple") < html.index("Offers a reward")
    assert "instagram" in html and "Who spreads it most" in html
    chart = client.get("/overview/spread.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert chart.text.count("<rect") > 20 and "facebook" in chart.text
    assert "style" not in chart.text and "<script" not in chart.text


def test_triage_highlights_spans_and_shows_context(client: TestClient, built: BuiltCase) -> None:
    unlock(client)
    first_word = built.threat_text.split(" ")[0]
    html = client.get("/triage").text
    # critical findings first: text threat (0.93) after the image match (0.97)
    assert "A copy of the protected photo" in html
    html = client.get("/triage?i=1").text
    assert f'<mark class="span" title="threat">{first_word}</mark>' in html
    assert "In the same thread" in html
    assert 'data-key="c"' in html and 'rel="next"' in html


def test_media_previews_are_blurred_until_asked(client: TestClient, built: BuiltCase) -> None:
    unlock(client)
    page = client.get("/media").text
    assert f'src="/media/blob/{built.image_sha}.jpg"' in page
    assert f'data-clear-src="/media/blob/{built.image_sha}.jpg?clear=1"' in page
    assert 'class="segment"' in page  # the video's matched segments
    blurred = client.get(f"/media/blob/{built.image_sha}.jpg")
    clear = client.get(f"/media/blob/{built.image_sha}.jpg?clear=1")
    assert blurred.headers["content-type"] == "image/jpeg" and blurred.content != clear.content
    frame = client.get(f"/media/blob/{built.video_sha}.jpg")
    assert frame.status_code == 200 and frame.content[:2] == b"\xff\xd8"
    assert client.get("/media/blob/" + "0" * 64 + ".jpg").status_code == 404
    assert client.get("/media/blob/../../vault.json.jpg").status_code == 404


# -- ingest ---------------------------------------------------------------------------------


def wait_for_job(client: TestClient) -> dict[str, object]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = client.get("/job.json").json()
        if state and state["state"] != "running":
            return dict(state)
        time.sleep(0.05)
    raise AssertionError("ingest did not finish")


def query(client: TestClient, sql: str) -> list[tuple[Any, ...]]:
    case = client.app.state.case  # type: ignore[attr-defined]
    return list(case.read_now(lambda vault: vault.conn.execute(sql).fetchall()))


def item_count(client: TestClient) -> int:
    return int(query(client, "SELECT count(*) FROM items")[0][0])


def test_upload_is_ingested_and_the_temporary_copy_removed(
    client: TestClient, built: BuiltCase, tmp_path: Path
) -> None:
    token = unlock(client)
    before = client.get("/job.json").json()
    assert before is None
    rows = [dict(r, url=r["url"] + "/new") for r in comment_rows(30)]
    source = write_csv(tmp_path / "more.csv", rows)
    with source.open("rb") as handle:
        response = client.post("/ingest/upload", data={"csrf": token, "platform": "facebook"},
                               files=[("files", ("../../etc/more.csv", handle, "text/csv"))],
                               follow_redirects=False)
    assert response.status_code == 303
    state = wait_for_job(client)
    assert state["state"] == "done" and state["new_items"] == 30, state
    assert "Import finished" in client.get("/ingest").text
    ((path,),) = query(client, "SELECT path FROM sources WHERE path LIKE '%more.csv'")
    stored = Path(str(path))
    assert stored.name == "more.csv" and not stored.exists()  # the temp folder is gone
    assert built.directory.resolve() not in stored.parents


def test_upload_without_csrf_or_too_large_is_refused(built: BuiltCase) -> None:
    app = create_app(built.directory, port=PORT, max_upload_bytes=1000)
    with TestClient(app, base_url=BASE) as client:
        token = unlock(client)
        small = [("files", ("small.csv", b"a,b\n1,2\n", "text/csv"))]
        assert client.post("/ingest/upload", files=small).status_code == 403
        big = [("files", ("big.csv", b"x" * 5000, "text/csv"))]
        assert client.post("/ingest/upload", data={"csrf": token}, files=big).status_code == 413
        assert app.state.case.job is None


def test_folder_ingest_and_the_case_folder_is_refused(
    client: TestClient, built: BuiltCase, tmp_path: Path
) -> None:
    token = unlock(client)
    before = item_count(client)
    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv(folder / "a.csv", [dict(r, url=r["url"] + "/a") for r in comment_rows(12)])
    refused = client.post("/ingest/folder", data={"csrf": token, "path": str(built.directory)})
    assert refused.status_code == 400 and "holds the case itself" in refused.text
    relative = client.post("/ingest/folder", data={"csrf": token, "path": "exports"})
    assert relative.status_code == 400
    response = client.post("/ingest/folder", data={"csrf": token, "path": str(folder)},
                           follow_redirects=False)
    assert response.status_code == 303
    assert wait_for_job(client)["new_items"] == 12
    assert item_count(client) == before + 12


# -- small pieces ---------------------------------------------------------------------------


def test_safe_redirect_targets_and_file_names() -> None:
    assert safe_next("/triage?i=2") == "/triage?i=2"
    for bad in ("//evil.example", "http://evil.example", "/\\evil", "", None, "triage"):
        assert safe_next(bad) == "/"
    assert safe_filename("../../etc/passwd", 0) == "passwd"
    assert safe_filename("..", 3) == "upload-3"
    assert safe_filename("C:\\Users\\me\\отчёт.csv", 1) == "отчёт.csv"
