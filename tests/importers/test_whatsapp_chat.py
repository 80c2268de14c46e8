"""WhatsApp chat exports (.txt) from Android and iOS in several locales, with and without media."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_support import AZ, AZ_CYRL, RU, count, image, register

from haven.importers import importer_for
from haven.importers.whatsapp import WhatsAppChatImporter
from haven.ingest import ingest
from haven.model import Problem, SourceRef, sha256_hex
from haven.reports.items import list_items
from haven.vault import Vault

LRM = "\u200e"


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch)


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_android_us_month_first_with_media_and_multiline(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "WhatsApp Chat with Gəncə"
    image(folder / "IMG-20260102-WA0001.jpg")
    source = write(folder / "WhatsApp Chat with Gəncə.txt", [
        "12/31/25, 9:41\u202fPM - Messages and calls are end-to-end encrypted. Only people in "
        "this chat can read, listen to, or share them. Learn more.",
        '12/31/25, 9:41\u202fPM - Rəşad created group "Gəncə"',
        f"12/31/25, 9:42\u202fPM - Rəşad: {AZ}",
        "12/31/25, 9:43\u202fPM - \u202a+994 50 123 45 67\u202c: Birinci sətir",
        "ikinci sətir",
        "",
        "üçüncü sətir",
        "1/2/26, 12:05\u202fAM - Rəşad: IMG-20260102-WA0001.jpg (file attached)",
        "Bax bu şəkilə",
        "1/2/26, 12:06\u202fAM - Orxan: <Media omitted>",
        "1/2/26, 12:07\u202fAM - Orxan: VID-20260102-WA0002.mp4 (file attached)",
        "1/2/26, 12:08\u202fAM - Orxan: This message was deleted",
    ])
    report = ingest(vault, [folder])
    items = {i["source_record"]: i for i in list_items(vault) if i["kind"] == "message"}
    assert len(items) == 8
    notice = items["line 1"]
    assert notice["text"] is None and notice["author"] is None
    assert notice["extra"]["system"].startswith("Messages and calls are end-to-end encrypted")
    assert items["line 2"]["extra"]["system"] == 'Rəşad created group "Gəncə"'
    threat = items["line 3"]
    assert threat["text"] == AZ and threat["author"] == "Rəşad"
    assert threat["time"] == "2025-12-31T21:42:00"
    assert threat["extra"]["date_order"] == "month-first"
    assert threat["extra"]["date_order_basis"] == "a second date field above 12 was seen"
    multi = items["line 4"]
    assert multi["author"] == "+994 50 123 45 67"
    assert multi["text"] == "Birinci sətir\nikinci sətir\n\nüçüncü sətir"
    photo = items["line 8"]
    assert photo["time"] == "2026-01-02T00:05:00" and photo["text"] == "Bax bu şəkilə"
    jpg = (folder / "IMG-20260102-WA0001.jpg").read_bytes()
    assert photo["media"][0]["sha256"] == sha256_hex(jpg)
    assert items["line 10"]["extra"]["media_omitted"] is True
    assert items["line 10"]["text"] is None
    assert items["line 11"]["extra"]["missing_media"] == ["VID-20260102-WA0002.mp4"]
    assert items["line 12"]["extra"]["deleted"] is True
    (problem,) = report.problems
    assert problem.path == source and problem.record == "line 11"
    assert ingest(vault, [folder]).new_items == 0


def test_ios_day_first_with_marks_and_attachments(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "WhatsApp Chat - Gəncə birlik"
    image(folder / "00000012-PHOTO-2025-12-31-21-43-00.jpg")
    source = write(folder / "_chat.txt", [
        f"{LRM}[31.12.25, 21:41:05] Gəncə birlik: {LRM}Messages and calls are end-to-end "
        "encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
        f"{LRM}[31.12.25, 21:41:06] Gəncə birlik: {LRM}Rəşad added Orxan",
        f"[31.12.25, 21:42:10] Rəşad: {RU}",
        f"{LRM}[31.12.25, 21:43:00] Orxan: {LRM}<attached: 00000012-PHOTO-2025-12-31-21-43-00.jpg>",
        f"{LRM}[01.01.26, 00:01:00] Orxan: {LRM}image omitted",
        f"[01.01.26, 00:02:00] Orxan: {AZ_CYRL}",
        f"{LRM}[01.01.26, 00:03:00] Orxan: {LRM}This message was deleted.",
    ])
    report = ingest(vault, [source])
    assert report.problems == []
    items = {i["source_record"]: i for i in list_items(vault)}
    assert items["line 1"]["extra"]["system"].startswith("Gəncə birlik: Messages and calls")
    assert items["line 2"]["extra"]["system"] == "Gəncə birlik: Rəşad added Orxan"
    assert items["line 3"]["text"] == RU and items["line 3"]["time"] == "2025-12-31T21:42:10"
    assert items["line 3"]["extra"]["date_order"] == "day-first"
    assert items["line 4"]["media"][0]["name"] == "00000012-PHOTO-2025-12-31-21-43-00.jpg"
    assert items["line 4"]["text"] is None and items["line 4"]["author"] == "Orxan"
    assert items["line 5"]["extra"]["media_omitted"] is True
    assert items["line 6"]["text"] == AZ_CYRL and items["line 6"]["time"] == "2026-01-01T00:02:00"
    assert items["line 7"]["author"] == "Orxan" and items["line 7"]["extra"]["deleted"] is True


@pytest.mark.parametrize(("line", "time", "order"), [
    ("31.12.25, 21:41 - Rəşad: salam", "2025-12-31T21:41:00", "day-first"),
    ("31/12/2025, 21:41 - Rəşad: salam", "2025-12-31T21:41:00", "day-first"),
    ("2025-12-31 21:41 - Rəşad: salam", "2025-12-31T21:41:00", "year-first"),
    ("[2025-12-31, 9:41:05 PM] Rəşad: salam", "2025-12-31T21:41:05", "year-first"),
    ("12/31/25, 21:41 - Rəşad: salam", "2025-12-31T21:41:00", "month-first"),
    ("01/02/26, 10:00 - Rəşad: salam", "2026-02-01T10:00:00", "day-first"),
    ("01/02/26, 10:00 AM - Rəşad: salam", "2026-01-02T10:00:00", "month-first"),
    ("31.12.25, 21.41 - Rəşad: salam", "2025-12-31T21:41:00", "day-first"),
    ("[31/12/2025, 9:41:05 p. m.] Rəşad: salam", "2025-12-31T21:41:05", "day-first"),
])
def test_locale_formats(vault: Vault, tmp_path: Path, line: str, time: str, order: str) -> None:
    source = write(tmp_path / "chat.txt", [line])
    assert isinstance(importer_for(source), WhatsAppChatImporter)
    report = ingest(vault, [source])
    assert report.problems == []
    (item,) = list_items(vault)
    assert (item["time"], item["extra"]["date_order"], item["text"]) == (time, order, "salam")
    if "no field above 12" in item["extra"]["date_order_basis"]:
        assert item["extra"]["date_order_basis"].startswith("assumed")


def test_bad_lines_are_named_and_the_rest_is_kept(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "chat.txt"
    source.write_bytes("\n".join([
        "31/12/25, 21:41 - Rəşad: salam",
        "31/13/25, 21:42 - Rəşad: this date cannot be",
        "and its continuation goes with it",
        "01/01/26, 09:00 - Orxan: ",
        "01/01/26, 09:01 - Orxan: ../../etc/passwd (file attached)",
    ]).encode() + b"\n01/01/26, 09:02 - Orxan: bad \xff\xfe bytes\n")
    report = ingest(vault, [source])
    problems = {p.record: p.message for p in report.problems}
    assert "31/13/25 is not a valid date read day-first" in problems["line 2"]
    assert "not valid UTF-8" in problems["line 6"]
    assert "cannot be" not in " ".join(problems.values())
    assert count(vault) == 4
    texts = {i["source_record"]: i["text"] for i in list_items(vault)}
    assert texts["line 1"] == "salam" and texts["line 4"] is None
    assert texts["line 5"] == "../../etc/passwd (file attached)"  # never treated as a path
    assert texts["line 6"] is not None and texts["line 6"].startswith("bad ")
    assert ingest(vault, [source]).new_items == 0
    with_preamble = write(tmp_path / "p.txt", ["a preamble", "31/12/25, 21:41 - A: x"])
    read = list(WhatsAppChatImporter().read(with_preamble, SourceRef(with_preamble, "0"), None))
    assert isinstance(read[0], Problem) and read[0].record == "line 1"
    assert "before the first dated line" in read[0].message and len(read) == 2


def test_only_chats_are_recognised(tmp_path: Path) -> None:
    importer = WhatsAppChatImporter()
    assert importer.sniff(tmp_path, f"\ufeff{LRM}[31.12.25, 21:41:05] A: x\n".encode())
    assert importer.sniff(tmp_path, b"\n\n31.12.25, 21:41 - A: x\n")
    assert not importer.sniff(tmp_path, b"platform,url,author,time,text,parent_url\n")
    assert not importer.sniff(tmp_path, b"Dear diary, 31.12.25, 21:41 - nothing\n")
    assert not importer.sniff(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00")
