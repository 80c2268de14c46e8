"""The evidence report: HTML and PDF, in three languages, with the words a court must read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from haven.demo.media import scene_frame, write_image
from haven.ingest import ingest
from haven.model import Finding, Severity, Span
from haven.reports.evidence import highlight, write_evidence_report
from haven.vault import Vault

from conftest import write_csv

THREAT_AZ = "Samir Həsənov Nizami küçəsi 27-də yaşayır. Onu öldürəcəyik."
THREAT_RU = "Плачу 1000 долларов тому, кто приведёт их ко мне."


@pytest.fixture
def case(vault: Vault, tmp_path: Path) -> Vault:
    media = tmp_path / "media"
    media.mkdir()
    write_image(media / "copy.jpg", scene_frame(0.4))
    rows = [
        {"platform": "facebook", "url": "https://fb.example/1", "author": "vuqar_77",
         "time": "2026-10-03T08:25:00Z", "text": THREAT_AZ, "parent_url": "", "media": ""},
        {"platform": "facebook", "url": "https://fb.example/2", "author": "anon.5521",
         "time": "2026-10-04T09:15:00Z", "text": THREAT_RU, "parent_url": "", "media": ""},
        {"platform": "instagram", "url": "https://ig.example/p/3", "author": "gence_gundem",
         "time": "2026-10-04T14:00:00Z", "text": "Gəncədə qalmaqal", "parent_url": "",
         "media": "media/copy.jpg"},
    ]
    ingest(vault, [write_csv(tmp_path / "c.csv", rows, [*rows[0]])])
    ids = {r[1]: r[0] for r in vault.conn.execute("SELECT id, url FROM items")}
    start = THREAT_AZ.index("öldürəcəyik")
    findings = [
        Finding(ids["https://fb.example/1"], "threat", Severity.CRITICAL, 0.95,
                "Threat to kill, with the home address", "text.threat", "1",
                (Span(start, start + len("öldürəcəyik"), "threat"), Span(0, 13, "target"))),
        Finding(ids["https://fb.example/2"], "bounty", Severity.HIGH, 0.9,
                "Offers money for bringing the targets", "text.bounty", "1",
                (Span(0, 5, "offer"),)),
        Finding(ids["https://ig.example/p/3"], "media_match", Severity.CRITICAL, 1.0,
                "Copy of the protected video (frame)", "media.match", "1",
                details={"query_match_percent": 100.0, "compared_match_percent": 8.0,
                         "segments": [[4.0, 5.0]]}),
    ]
    for finding in findings:
        vault.add_finding(finding)
    vault.add_decision(findings[0].id, "confirm")
    return vault


def test_highlight_escapes_and_marks_the_original_characters() -> None:
    html = highlight("<b>Onu öldürəcəyik</b>", [[7, 18, "threat"]])
    assert str(html) == "&lt;b&gt;Onu <mark>öldürəcəyik</mark>&lt;/b&gt;"


@pytest.mark.parametrize("lang,heading", [("en", "Evidence report"), ("az", "Sübut hesabatı"),
                                          ("ru", "Доказательный отчёт")])
def test_html_report_in_each_language(case: Vault, tmp_path: Path, lang: str,
                                      heading: str) -> None:
    out = write_evidence_report(case, tmp_path / f"r-{lang}.html", lang, "html")
    html = out.read_text(encoding="utf-8")
    assert heading in html
    assert "<mark>öldürəcəyik</mark>" in html
    assert "https://" not in html.split("<body>")[0]  # no external asset in the head
    assert "data:image/png;base64," in html  # the timeline chart, embedded
    assert "data:image/jpeg;base64," in html  # the blurred thumbnail, embedded


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_report_keeps_azerbaijani_and_russian_intact(case: Vault, tmp_path: Path) -> None:
    out = write_evidence_report(case, tmp_path / "report.pdf", "az", "pdf")
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for words in ("Sübut hesabatı", "Həsənov", "öldürəcəyik", "küçəsi", "Плачу", "долларов",
                  "приведёт", "Təhdidlər"):
        assert words in text, words
    pages = tmp_path / "pages"
    pages.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(out), str(pages / "p")], check=True)
    assert len(list(pages.glob("*.png"))) >= 2
    artifacts = Path("test-artifacts") / "report"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, artifacts / "evidence-az.pdf")
