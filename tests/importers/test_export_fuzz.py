"""Mutation fuzzing of the export importers: no input may crash them; bad input becomes Problems.

Seeded, so a failure reproduces. Two kinds of damage: bytes (truncation, flips, junk) and
structure (a JSON value replaced by one of the wrong type), which reaches deeper code paths.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_meta_export import messenger_export
from test_meta_html import HEAD, TAIL, box_2020, box_2023
from test_telegram_export import group_chat
from test_twitter_archive import archive

from haven.importers._common import head_text
from haven.importers.base import SNIFF_BYTES, Importer
from haven.importers.meta import MetaExportImporter, MetaHtmlExportImporter
from haven.importers.telegram import TelegramExportImporter
from haven.importers.twitter import TwitterArchiveImporter
from haven.importers.whatsapp import WhatsAppChatImporter
from haven.model import Item, Problem, SourceRef

ODD_VALUES: list[Any] = [None, 0, -1, 10**30, 1e308, True, "", "../../x", [], {}, [None], {"a": 1},
                         "\u200e", "a\x00b", "Ã", {"uri": "/etc/passwd"}, [{"text": 5}]]
ROUNDS = 60


def whatsapp_chat(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "chat.txt"
    path.write_text(
        "\u200e[31.12.25, 21:41:05] G: \u200eMessages are end-to-end encrypted.\n"
        "12/31/25, 9:41 PM - A: salam\nikinci\n"
        "31.12.25, 21:41 - B: IMG-20260102-WA0001.jpg (file attached)\n"
        "2025-12-31 21:41 - C: <Media omitted>\n"
        "[31/12/2025, 9:41:05 p. m.] D: \u200e<attached: 0001-PHOTO-x.jpg>\n",
        encoding="utf-8",
    )
    return path


def html_thread(folder: Path) -> Path:
    path = folder / "message_1.html"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD.format(title="T") + box_2023("A", "salam <ul><li>x</li></ul>", "Sep 1, "
                    "2026 1:00:00 am") + box_2020("B", '<img src="a/b.jpg"/>', "x") + TAIL,
                    encoding="utf-8")
    return path


def check(importer: Importer, path: Path) -> None:
    with path.open("rb") as handle:
        importer.sniff(path, handle.read(SNIFF_BYTES))
    for record in importer.read(path, SourceRef(path, "0" * 64), None):
        assert isinstance(record, Item | Problem)
        if isinstance(record, Item):
            for value in (record.text, record.time, record.url, record.parent_url):
                assert value is None or isinstance(value, str)
            record.item_id()
            json.dumps(dict(record.extra), ensure_ascii=False)
            assert all(ref.path.is_file() for ref in record.media)


def damage_bytes(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return data[: rng.randrange(len(data) + 1)]
    mutable = bytearray(data)
    if choice == 1:
        for _ in range(rng.randrange(1, 8)):
            mutable[rng.randrange(len(mutable))] = rng.randrange(256)
        return bytes(mutable)
    if choice == 2:
        spot = rng.randrange(len(mutable) + 1)
        return bytes(mutable[:spot]) + rng.choice([b"\xff\xfe", b"]", b"}", b"\n", b'"', b"\\"]) \
            + bytes(mutable[spot:])
    return bytes(mutable) * 2


def damage_structure(value: Any, rng: random.Random) -> Any:
    """A deep copy of `value` with a few values swapped for ones of the wrong type."""
    nodes: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                nodes.append((node, key))
                walk(child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                nodes.append((node, index))
                walk(child)

    copy = json.loads(json.dumps(value))
    walk(copy)
    for _ in range(rng.randrange(1, 4)):
        if nodes:
            parent, key = rng.choice(nodes)
            parent[key] = rng.choice(ODD_VALUES)
    return copy


def json_prefix(text: str) -> tuple[str, str]:
    """Split a window.YTD file into its prefix and JSON body (JSON files have no prefix)."""
    if text.startswith("window."):
        head, _, body = text.partition("= ")
        return head + "= ", body
    return "", text


CASES: list[tuple[str, Importer, Callable[[Path], Path]]] = [
    ("meta", MetaExportImporter(), lambda p: messenger_export(p / "export")),
    ("telegram", TelegramExportImporter(), lambda p: group_chat(p / "chat")),
    ("twitter", TwitterArchiveImporter(), lambda p: archive(p / "arc") / "tweets.js"),
    ("twitter-dm", TwitterArchiveImporter(), lambda p: archive(p / "arc") / "direct-messages.js"),
    ("whatsapp", WhatsAppChatImporter(), whatsapp_chat),
    ("meta-html", MetaHtmlExportImporter(), html_thread),
]


@pytest.mark.parametrize(("name", "importer", "build"), CASES, ids=[c[0] for c in CASES])
def test_no_input_crashes_the_importer(
    tmp_path: Path, name: str, importer: Importer, build: Callable[[Path], Path]
) -> None:
    source = build(tmp_path)
    original = source.read_bytes()
    rng = random.Random(f"haven-{name}")
    for _ in range(ROUNDS):
        source.write_bytes(damage_bytes(original, rng))
        check(importer, source)
    if name in ("whatsapp", "meta-html"):
        return
    prefix, body = json_prefix(original.decode("utf-8"))
    parsed = json.loads(body)
    for _ in range(ROUNDS):
        source.write_text(prefix + json.dumps(damage_structure(parsed, rng)), encoding="utf-8")
        check(importer, source)


def test_head_text_tolerates_a_character_cut_in_half() -> None:
    assert head_text("{\"a\": \"ə".encode()[:-1]) == '{"a": "'
    assert head_text(b"\x00binary") is None
