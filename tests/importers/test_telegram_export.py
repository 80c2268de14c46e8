"""Telegram Desktop exports (result.json), single chats and full exports, in the real layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from export_support import AZ, AZ_CYRL, RU, count, image, register

from haven.importers import importer_for
from haven.importers.telegram import TelegramExportImporter, flatten_text
from haven.ingest import ingest
from haven.model import sha256_hex
from haven.reports.items import list_items
from haven.vault import Vault


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch)


def message(mid: int, unix: int, text: Any, **fields: Any) -> dict[str, Any]:
    """A message as Telegram Desktop writes it (local `date`, UTC `date_unixtime`)."""
    entities = [{"type": "plain", "text": text}] if isinstance(text, str) else text
    return {"id": mid, "type": "message", "date": "2026-09-21T18:13:20",
            "date_unixtime": str(unix), "from": "Qisas Gəncə", "from_id": "channel1987654321",
            "text": text, "text_entities": entities, **fields}


def group_chat(folder: Path) -> Path:
    """A private group with replies, a forward, a photo, a missing file and a service message."""
    image(folder / "photos" / "photo_1@21-09-2026_18-15-00.jpg")
    data = {
        "name": "Gəncə birlik", "type": "private_supergroup", "id": 1555000111,
        "messages": [
            {"id": 1, "type": "service", "date": "2026-09-21T18:10:00",
             "date_unixtime": "1790000600", "actor": "Rəşad", "actor_id": "user700",
             "action": "invite_members", "members": ["Orxan"], "text": "",
             "text_entities": []},
            {"id": 2, "type": "message", "date": "2026-09-21T18:11:00",
             "date_unixtime": "1790000660", "from": "Rəşad", "from_id": "user700",
             "text": AZ, "text_entities": [{"type": "plain", "text": AZ}]},
            {"id": 3, "type": "message", "date": "2026-09-21T18:12:00",
             "date_unixtime": "1790000720", "from": "Orxan", "from_id": "user701",
             "reply_to_message_id": 2, "forwarded_from": "Qisas Gəncə",
             "text": ["Ünvan: ", {"type": "bold", "text": "Nizami küç. 5"}, " — ",
                      {"type": "text_link", "text": "xəritə", "href": "https://maps.example/1"},
                      " ", {"type": "mention", "text": "@aysel_q"}],
             "text_entities": []},
            {"id": 4, "type": "message", "date": "2026-09-21T18:15:00",
             "date_unixtime": "1790000900", "from": None, "from_id": "user702",
             "photo": "photos/photo_1@21-09-2026_18-15-00.jpg", "width": 64, "height": 48,
             "text": RU, "text_entities": [], "edited": "2026-09-21T18:16:00",
             "edited_unixtime": "1790000960"},
            {"id": 5, "type": "message", "date": "2026-09-21T18:16:00",
             "date_unixtime": "1790000960", "from": "Orxan", "from_id": "user701",
             "file": "video_files/kiss.mp4", "media_type": "video_file",
             "mime_type": "video/mp4", "text": "", "text_entities": []},
            {"id": 6, "type": "message", "date": "2026-09-21T18:17:00",
             "date_unixtime": "1790001020", "from": "Orxan", "from_id": "user701",
             "file": "(File not included. Change data exporting settings to download.)",
             "media_type": "sticker", "sticker_emoji": "😈", "text": "", "text_entities": []},
        ],
    }
    path = folder / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_entity_lists_flatten_to_plain_text() -> None:
    text, found = flatten_text(["Salam ", {"type": "hashtag", "text": "#Gəncə"}, 7,
                                {"type": "link", "text": "https://t.me/x"}])
    assert text == "Salam #Gəncəhttps://t.me/x"
    assert found == {"hashtags": ["#Gəncə"], "links": ["https://t.me/x"]}
    assert flatten_text("") == (None, {})
    assert flatten_text(None) == (None, {})


def test_group_chat_with_replies_forwards_media_and_service(vault: Vault, tmp_path: Path) -> None:
    source = group_chat(tmp_path / "ChatExport_2026-10-01")
    report = ingest(vault, [source])
    items = {i["extra"]["message_id"]: i for i in list_items(vault)}
    assert len(items) == 6
    service = items[1]
    assert service["text"] is None and service["extra"]["service"] == "invite_members"
    assert service["extra"]["members"] == ["Orxan"] and service["author"] == "user700"
    threat = items[2]
    assert threat["text"] == AZ and threat["kind"] == "message"
    assert threat["url"] == "tg://chat/1555000111/2"
    assert threat["time"] == "2026-09-21T14:24:20Z"  # from date_unixtime, not the local date
    assert (threat["author"], threat["author_name"]) == ("user700", "Rəşad")
    assert threat["extra"]["chat"] == "Gəncə birlik"
    reply = items[3]
    assert reply["text"] == "Ünvan: Nizami küç. 5 — xəritə @aysel_q"
    assert reply["parent_url"] == "tg://chat/1555000111/2" and reply["parent"] == threat["id"]
    assert reply["extra"]["forwarded_from"] == "Qisas Gəncə"
    assert reply["extra"]["links"] == ["https://maps.example/1"]
    assert reply["extra"]["mentions"] == ["@aysel_q"]
    photo = items[4]
    assert photo["author"] == "user702" and photo["author_name"] is None
    shot = source.parent / "photos" / "photo_1@21-09-2026_18-15-00.jpg"
    assert photo["media"][0]["sha256"] == sha256_hex(shot.read_bytes())
    assert photo["extra"]["edited"] == "2026-09-21T14:29:20Z"
    assert items[5]["extra"]["missing_media"] == ["video_files/kiss.mp4"]
    assert items[6]["extra"]["media_not_included"][0].startswith("(File not included")
    (problem,) = report.problems
    assert problem.record == "messages[4]" and "kiss.mp4" in problem.message
    assert ingest(vault, [source]).new_items == 0


def test_full_export_with_channels_and_left_chats(vault: Vault, tmp_path: Path) -> None:
    channel = {"name": "Qisas Gəncə", "type": "public_channel", "id": 1987654321,
               "username": "qisas_ganja",
               "messages": [message(10, 1790000000, AZ_CYRL), message(11, 1790000100, RU,
                                                                   reply_to_message_id=10)]}
    private = {"name": "Aysel", "type": "personal_chat", "id": 4242,
               "messages": [{"id": 1, "type": "message", "date": "2026-09-21T18:00:00",
                             "from": "Aysel", "from_id": "user4242", "text": "Sən haradasan?"}]}
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 4242, "first_name": "Aysel"},
        "chats": {"about": "This page lists all chats from this export.",
                  "list": [channel, private, "garbage"]},
        "left_chats": {"about": "Chats you left.", "list": [
            {"name": "Old", "type": "private_group", "id": 77, "messages": [
                {"id": 1, "type": "message", "date_unixtime": "1790000000", "from": "X",
                 "from_id": "user9", "text": "x", "photo": "../../etc/passwd"}]}]},
    }
    source = tmp_path / "DataExport_2026-10-01" / "result.json"
    source.parent.mkdir()
    source.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    report = ingest(vault, [source])
    items = list(list_items(vault))
    assert len(items) == 4
    posts = [i for i in items if i["kind"] == "post"]
    assert [p["url"] for p in posts] == ["https://t.me/qisas_ganja/10",
                                        "https://t.me/qisas_ganja/11"]
    assert posts[1]["parent"] == posts[0]["id"] and posts[0]["text"] == AZ_CYRL
    dm = next(i for i in items if i["text"] == "Sən haradasan?")
    assert dm["time"] == "2026-09-21T18:00:00"
    assert dm["extra"]["time_zone"].startswith("local time")
    assert dm["source_record"] == "chats[1].messages[0]"
    problems = {p.record: p.message for p in report.problems}
    assert "not a JSON object" in problems["chats[2]"]
    assert "outside the export" in problems["left_chats[0].messages[0]"]


def test_truncated_result_keeps_what_came_before_the_break(vault: Vault, tmp_path: Path) -> None:
    source = group_chat(tmp_path / "chat")
    whole = source.read_text(encoding="utf-8")
    source.write_text(whole[: whole.index('"id": 4')], encoding="utf-8")
    report = ingest(vault, [source])
    assert count(vault) == 3
    (problem,) = report.problems
    assert problem.record == "" and "truncated" in problem.message
    assert "3 messages before it" in problem.message
    hopeless = tmp_path / "hopeless.json"
    hopeless.write_text('{"about": "x", "personal_information": {"user_id": 1}, "chats": {"li')
    report = ingest(vault, [hopeless])
    assert "not valid JSON" in report.problems[0].message


def test_sniffed_by_content(tmp_path: Path) -> None:
    source = group_chat(tmp_path / "c")
    renamed = source.rename(tmp_path / "export.dat")
    assert isinstance(importer_for(renamed), TelegramExportImporter)
    assert not TelegramExportImporter().sniff(renamed, b'{"platform": "telegram", "text": "x"}')
