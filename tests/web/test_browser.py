"""End to end in a real browser: Debian's chromium driven by Playwright, against `haven serve`.

Unlock, confirm a finding with the keyboard, make a takedown notice, reveal a blurred match,
import a file, switch to Azerbaijani, lock, and leave with Esc Esc. A screenshot of each main
page goes to test-artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from haven.vault import Vault
from haven.verify import verify_vault

from .conftest import BuiltCase, build_case
from conftest import PASSPHRASE, comment_rows, write_csv

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium is not installed at /usr/bin/chromium "
           "(apt-get install -y chromium); browser tests skipped",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listeners(port: int) -> list[str]:
    """Local addresses (hex, as the kernel lists them) listening on `port`, IPv4 and IPv6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as handle:
            next(handle)
            for line in handle:
                fields = line.split()
                address, port_hex = fields[1].rsplit(":", 1)
                if fields[3] == "0A" and int(port_hex, 16) == port:
                    found.append(address)
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, BuiltCase, int]]:
    built = build_case(tmp_path_factory.mktemp("browser"))
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "haven.web.serve", str(built.directory), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.stdout else ""
                    raise RuntimeError(f"haven serve did not start: {output}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", built, port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_server_listens_on_loopback_only(served: tuple[str, BuiltCase, int]) -> None:
    _, _, port = served
    addresses = listeners(port)
    assert addresses, "the server is not listening"
    assert all(a == "0100007F" for a in addresses), addresses  # 127.0.0.1 only, no IPv6
    for family, _, _, _, sockaddr in socket.getaddrinfo(socket.gethostname(), None):
        host = str(sockaddr[0])
        if family == socket.AF_INET and not host.startswith("127."):
            with pytest.raises(OSError):
                socket.create_connection((host, port), timeout=0.5).close()


def test_the_whole_flow_in_chromium(served: tuple[str, BuiltCase, int], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, built, _ = served
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    foreign: list[str] = []

    def shoot(page: object, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base) else None)

        # Unlock: a wrong passphrase is explained, the right one opens the overview.
        page.goto(base + "/")
        assert page.url.startswith(base + "/unlock")
        page.fill("#passphrase", "wrong passphrase")
        page.click("#unlock")
        assert "does not open this case" in page.inner_text("#unlock-error")
        shoot(page, "01-unlock")
        page.fill("#passphrase", PASSPHRASE)
        page.click("#unlock")
        page.wait_for_url(base + "/")
        assert "Needs your attention" in page.inner_text("main")
        shoot(page, "02-overview")

        # Triage with the keyboard: j moves to the text threat, c confirms it.
        page.goto(base + "/triage")
        first = page.get_attribute("#finding", "data-finding")
        assert first == built.findings["image_match"]
        page.keyboard.press("j")
        page.wait_for_url("**/triage?i=1")
        assert page.get_attribute("#finding", "data-finding") == built.findings["threat"]
        assert page.inner_text("mark.span") == built.threat_text.split(" ")[0]
        shoot(page, "03-triage")
        page.keyboard.press("c")
        page.wait_for_load_state()
        page.wait_for_function(
            "id => document.getElementById('finding').dataset.finding !== id",
            arg=built.findings["threat"])
        assert "of 4" in page.inner_text("main")

        # A takedown notice for the confirmed threat, signed by the person who sends it.
        page.goto(base + "/reports")
        page.fill("#notifier-name", "Aysel Mammadova")
        page.fill("#notifier-email", "aysel@example.org")
        page.click("#save-sender")
        page.click("#make-notices")
        page.wait_for_selector("#notice-facebook")
        notice = page.inner_text("#notice-facebook")
        assert "https://example.org/p/0/c/0" in notice and "Aysel Mammadova" in notice
        assert page.locator("a[href^='/reports/download/']").count() == 2
        shoot(page, "04-reports-notice")

        # Media matches: blurred until the person chooses to look.
        page.goto(base + "/media")
        found = page.locator("img.found").first
        assert "blurred" in (found.get_attribute("class") or "")
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        assert found.evaluate("i => i.naturalWidth") > 0
        shoot(page, "05-media-blurred")
        page.locator("#reveal-1").click()
        assert "clear=1" in (found.get_attribute("src") or "")
        assert "revealed" in (found.get_attribute("class") or "")
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        shoot(page, "06-media-revealed")

        page.goto(base + "/items?platform=instagram")
        assert page.locator("table.items tbody tr").count() > 0
        shoot(page, "07-items")

        # Setup: a fact to watch for, entered by the person.
        page.goto(base + "/setup")
        if page.locator("#fact-value").count():
            page.select_option("#fact-kind", "address")
            page.fill("#fact-value", "Nizami küçəsi 27")
            page.click("#fact-submit")
            page.wait_for_selector("#facts-list")
            assert "Nizami küçəsi 27" in page.inner_text("#facts-list")
        shoot(page, "08-setup")

        # Import by upload, with progress, then the summary.
        rows = [dict(r, url=r["url"] + "/browser") for r in comment_rows(25)]
        upload = write_csv(tmp_path / "browser.csv", rows)
        page.goto(base + "/ingest")
        page.set_input_files("#files", str(upload))
        page.click("#upload")
        page.wait_for_selector("#job-summary", timeout=20_000)
        assert "25" in page.inner_text("#job-summary")
        shoot(page, "09-ingest")

        # Azerbaijani, then lock.
        page.goto(base + "/")
        page.select_option("#lang-select", "az")
        page.wait_for_function("() => document.documentElement.lang === 'az'")
        assert "Diqqətinizi tələb edir" in page.inner_text("main")
        assert page.inner_text("#lock-now") == "İndi kilidlə"
        shoot(page, "10-overview-az")
        page.goto(base + "/triage")
        shoot(page, "11-triage-az")
        page.click("#lock-now")
        page.wait_for_url("**/unlock?locked=1")
        assert "İş kilidlənib" in page.inner_text("main")
        page.goto(base + "/triage")
        assert page.url.startswith(base + "/unlock")
        shoot(page, "12-locked-az")

        # Quick exit: Esc twice replaces the page with a neutral one and locks.
        page.fill("#passphrase", PASSPHRASE)
        page.click("#unlock")
        page.wait_for_url(base + "/triage")  # back where the person was going
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        page.wait_for_url(base + "/weather")
        assert "Weather forecast" in page.title()
        shoot(page, "13-quick-exit")
        page.wait_for_timeout(300)
        page.goto(base + "/")
        assert page.url.startswith(base + "/unlock")
        browser.close()

    assert not foreign, foreign
    blocked = [p for p in problems if "Content Security Policy" in p]
    assert not blocked, blocked
    with Vault.open(built.directory, PASSPHRASE) as vault:
        decided = vault.conn.execute("SELECT finding_id, decision FROM decisions").fetchall()
    assert decided == [(built.findings["threat"], "confirm")]
    assert verify_vault(built.directory, PASSPHRASE).ok
