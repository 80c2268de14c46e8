"""Each export is claimed by exactly one importer, so the registry order among them is free."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_support import ours
from test_meta_export import messenger_export
from test_telegram_export import group_chat
from test_twitter_archive import archive

from haven.importers.base import SNIFF_BYTES
from haven.importers.media_files import MediaFileImporter
from haven.importers.tabular import CsvImporter, JsonlImporter

from conftest import comment_rows, write_csv


def claimants(path: Path) -> list[str]:
    head = path.read_bytes()[:SNIFF_BYTES]
    everyone = (*ours(), JsonlImporter(), CsvImporter(), MediaFileImporter())
    return [importer.name for importer in everyone if importer.sniff(path, head)]


def test_every_format_has_one_claimant(tmp_path: Path) -> None:
    twitter = archive(tmp_path / "tw")
    samples = {
        messenger_export(tmp_path / "fb"): "meta-export",
        group_chat(tmp_path / "tg"): "telegram-export",
        twitter / "tweets.js": "twitter-archive",
        twitter / "direct-messages.js": "twitter-archive",
        twitter / "account.js": "twitter-archive",
        write_csv(tmp_path / "c.csv", comment_rows(3)): "csv",
    }
    full = tmp_path / "full.json"
    full.write_text(json.dumps({"about": "Here is the data you requested.",
                                "personal_information": {"user_id": 1},
                                "contacts": {"about": "", "list": []}}))
    samples[full] = "telegram-export"
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text(json.dumps({"platform": "telegram", "kind": "message", "text": "x",
                                 "url": "https://t.me/x/1"}) + "\n")
    samples[jsonl] = "jsonl"
    chat = tmp_path / "chat.txt"
    chat.write_text("[31.12.25, 21:41:05] A: salam\n", encoding="utf-8")
    samples[chat] = "whatsapp-chat"
    ig = tmp_path / "post_comments_1.json"
    ig.write_text(json.dumps([{"string_map_data": {"Comment": {"value": "x"}}}]))
    samples[ig] = "meta-export"
    for path, expected in samples.items():
        assert claimants(path) == [expected], path.name


@pytest.mark.parametrize("content", [
    b"", b"{}", b"[]", b"hello\n", b'{"messages": []}', b"\xff\xd8\xff\xe0",
    b'{"data": [1, 2, 3]}', b"window.foo = 1",
])
def test_unrelated_files_are_not_claimed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x"
    path.write_bytes(content)
    assert not [i.name for i in ours() if i.sniff(path, content)]
