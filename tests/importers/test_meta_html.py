"""The HTML flavour of Meta's exports: message threads in the 2020 and 2023 box layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_support import AZ, RU, image, register

from haven.importers import importer_for
from haven.importers.meta import MetaHtmlExportImporter, parse_html_time
from haven.ingest import ingest
from haven.reports.items import list_items
from haven.vault import Vault

HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8" /><title>{title}</title><style '
        'type="text/css">._3-95{{margin-bottom:8px}}._a6-g{{border:0}}.uiBoxWhite'
        '{{background:#fff}}</style></head><body><div class="_a705"><div class="_a706" '
        'role="main">')
TAIL = "</div></div></body></html>"


def box_2023(sender: str, content: str, shown: str) -> str:
    return ('<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">'
            f'<h2 class="_3-95 _2pim _a6-h _a6-i">{sender}</h2>'
            f'<div class="_3-95 _a6-p"><div><div></div><div>{content}</div><div></div>'
            f'<div></div></div></div><div class="_3-94 _a6-o">{shown}</div></div>')


def box_2020(sender: str, content: str, shown: str) -> str:
    return ('<div class="pam _3-95 _2pi0 _2lej uiBoxWhite noborder">'
            f'<div class="_3-96 _2pio _2lek _2lel">{sender}</div>'
            f'<div class="_3-96 _2let"><div><div></div><div>{content}</div><div></div></div></div>'
            f'<div class="_3-94 _2lem">{shown}</div></div>')


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch)


def test_english_times_are_read_others_kept_as_shown() -> None:
    assert parse_html_time("Sep 21, 2026 9:41:00 pm") == "2026-09-21T21:41:00"
    assert parse_html_time("Sep 21, 2026, 9:41 PM") == "2026-09-21T21:41:00"
    assert parse_html_time("Monday, September 21, 2026 at 9:41pm UTC+04") == "2026-09-21T17:41:00Z"
    assert parse_html_time("21 sentyabr 2026, 21:41") is None


def test_thread_in_the_2023_layout(vault: Vault, tmp_path: Path) -> None:
    root = tmp_path / "facebook-aysel-2026-10-05"
    thread = root / "your_facebook_activity" / "messages" / "inbox" / "elvin_1029"
    image(thread / "photos" / "4471_n.jpg")
    source = thread / "message_1.html"
    source.write_text(HEAD.format(title="Elvin Məmmədov") + "".join([
        box_2023("Elvin Məmmədov", AZ + '<ul class="_a6-q"><li>😡 Aysel Quliyeva</li></ul>',
                 "Sep 21, 2026 9:41:00 pm"),
        box_2023("Elvin Məmmədov", f"{RU}<div><a href=\"your_facebook_activity/messages/inbox/"
                 'elvin_1029/photos/4471_n.jpg"><img src="your_facebook_activity/messages/inbox/'
                 'elvin_1029/photos/4471_n.jpg" /></a></div>', "Sep 21, 2026 9:40:00 pm"),
        box_2023("Aysel Quliyeva", 'Bax: <a href="https://example.org/x">link</a> &amp; '
                 "&quot;sitat&quot;", "21 sentyabr 2026, 21:39"),
    ]) + TAIL, encoding="utf-8")
    assert isinstance(importer_for(source), MetaHtmlExportImporter)
    report = ingest(vault, [source])
    assert report.problems == []
    items = {i["source_record"]: i for i in list_items(vault)}
    threat = items["messages[0]"]
    assert threat["text"] == AZ and threat["author"] == "Elvin Məmmədov"
    assert threat["time"] == "2026-09-21T21:41:00" and threat["platform"] == "facebook"
    assert threat["extra"]["reactions"] == ["😡 Aysel Quliyeva"]
    assert threat["extra"]["thread"] == "Elvin Məmmədov"
    photo = items["messages[1]"]
    assert photo["text"] == RU and [m["name"] for m in photo["media"]] == ["4471_n.jpg"]
    quoted = items["messages[2]"]
    assert quoted["text"] == 'Bax: link & "sitat"' and quoted["time"] is None
    assert quoted["extra"]["time_shown"] == "21 sentyabr 2026, 21:39"
    assert quoted["extra"]["links"] == ["https://example.org/x"]
    assert ingest(vault, [source]).new_items == 0


def test_thread_in_the_2020_layout_and_what_is_not_read(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "messages" / "inbox" / "x_1"
    folder.mkdir(parents=True)
    source = folder / "message_1.html"
    source.write_text(HEAD.format(title="X") + box_2020("Rəşad", AZ, "Sep 21, 2026, 9:41 PM")
                      + '<div class="pam uiBoxWhite"><div>only one part</div></div>' + TAIL,
                      encoding="utf-8")
    comments = tmp_path / "comments.html"
    comments.write_text(HEAD.format(title="Comments") + box_2020("t", "c", "Sep 1, 2026, 1:00 AM")
                        + TAIL, encoding="utf-8")
    empty = folder / "message_2.html"
    empty.write_text(HEAD.format(title="X") + "<p>nothing</p>" + TAIL, encoding="utf-8")
    report = ingest(vault, [source, comments, empty])
    (item,) = list_items(vault)
    assert (item["author"], item["text"], item["time"]) == ("Rəşad", AZ, "2026-09-21T21:41:00")
    problems = {(p.path.name, p.record): p.message for p in report.problems}
    assert "without sender and time" in problems[("message_1.html", "messages[1]")]
    assert "only message threads" in problems[("comments.html", "")]
    assert "no message boxes" in problems[("message_2.html", "")]
