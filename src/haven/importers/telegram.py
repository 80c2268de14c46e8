"""Telegram Desktop exports (`result.json`): one chat, or a full export with `chats.list`.

Channels, groups and private chats. A message's `text` is a string or a list of strings and
entity objects (`{"type": "text_link", "text": ..., "href": ...}`); both become plain text, with
links, mentions and hashtags kept in `extra`. Replies point at their parent through a URL built
from the chat and message ids (`https://t.me/<username>/<id>` when the chat has a public username,
else `tg://chat/<chat id>/<message id>`), which is also each message's stable identity, so the
same message exported twice is stored once. Forwarded-from, edits and via-bot go into `extra`;
photos and files are found relative to the `result.json` folder and may not leave it. Service
messages (joins, pins, title changes) are kept as text-less messages describing the action.

A `result.json` cut short (a copy interrupted mid-way) still yields the messages before the
break, with a problem saying where it broke. This importer only yields items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from haven.importers._common import (
    ExportError,
    has_key,
    head_text,
    inside,
    load_json_text,
    located,
    read_text,
    utc_from_epoch,
)
from haven.model import Author, Item, ItemKind, MediaRef, Problem, SourceRef

CHAT_TYPES = (
    "personal_chat", "bot_chat", "saved_messages", "private_group", "private_supergroup",
    "public_supergroup", "private_channel", "public_channel",
)
CHANNELS = {"private_channel", "public_channel"}
MEDIA_KEYS = (("photo", "photo"), ("file", "file"), ("thumbnail", "thumbnail"))
EXTRA_KEYS = (
    "forwarded_from", "saved_from", "via_bot", "media_type", "mime_type", "sticker_emoji",
    "duration_seconds", "width", "height", "performer", "title", "author",
    "contact_information", "location_information", "poll", "reply_to_peer_id",
    "members", "actor", "action", "discard_reason", "message_id",
)
CHAT_TYPE = re.compile(r'"type"\s*:\s*"(' + "|".join(CHAT_TYPES) + r')"')


def flatten_text(value: Any) -> tuple[str | None, dict[str, list[str]]]:
    """Telegram's `text` (a string, or a list of strings and entities) as plain text."""
    found: dict[str, list[str]] = {}
    if isinstance(value, str):
        return (value or None), found
    if not isinstance(value, list):
        return None, found
    pieces: list[str] = []
    for part in value:
        if isinstance(part, str):
            pieces.append(part)
            continue
        if not isinstance(part, dict):
            continue
        text = part.get("text")
        text = text if isinstance(text, str) else ""
        pieces.append(text)
        kind = part.get("type")
        if kind == "text_link" and isinstance(part.get("href"), str):
            found.setdefault("links", []).append(part["href"])
        elif kind == "link" and text:
            found.setdefault("links", []).append(text)
        elif kind in ("mention", "mention_name") and text:
            found.setdefault("mentions", []).append(text)
        elif kind == "hashtag" and text:
            found.setdefault("hashtags", []).append(text)
        elif kind in ("phone", "email") and text:
            found.setdefault(f"{kind}s", []).append(text)
    joined = "".join(pieces)
    return (joined or None), found


class _Chat:
    """One chat of the export: what every message in it shares."""

    def __init__(self, data: Mapping[str, Any], prefix: str) -> None:
        self.prefix = prefix
        self.id = data.get("id")
        self.name = data.get("name") if isinstance(data.get("name"), str) else None
        self.type = data.get("type") if isinstance(data.get("type"), str) else None
        username = data.get("username")
        self.username = username.lstrip("@") if isinstance(username, str) and username else None

    def url(self, message_id: Any, chat_id: Any = None) -> str | None:
        if isinstance(message_id, bool) or not isinstance(message_id, int | str):
            return None
        if chat_id is None and self.username:
            return f"https://t.me/{self.username}/{message_id}"
        chat = self.id if chat_id is None else chat_id
        if isinstance(chat, bool) or not isinstance(chat, int | str) or chat == "":
            return None
        return f"tg://chat/{chat}/{message_id}"

    def extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"chat_id": self.id}
        if self.name is not None:
            extra["chat"] = self.name
        if self.type is not None:
            extra["chat_type"] = self.type
        return extra


def _time(message: Mapping[str, Any], extra: dict[str, Any]) -> str | None:
    unix = message.get("date_unixtime")
    if isinstance(unix, str | int) and not isinstance(unix, bool) and str(unix).isdigit():
        return utc_from_epoch(int(unix))
    date = message.get("date")
    if isinstance(date, str) and date:
        try:
            datetime.fromisoformat(date)
        except ValueError:
            raise ExportError(f"date {date[:40]!r} is not ISO 8601") from None
        extra["time_zone"] = "local time of the computer that exported (no date_unixtime)"
        return date
    return None


class _Reader:
    def __init__(self, path: Path, source: SourceRef, platform: str | None) -> None:
        self.path = path
        self.source = source
        self.platform = platform or "telegram"

    def chat(self, data: Mapping[str, Any], prefix: str) -> Iterator[Item | Problem]:
        chat = _Chat(data, prefix)
        messages = data.get("messages")
        if not isinstance(messages, list):
            yield Problem(self.path, prefix.rstrip("."), "chat has no list of messages")
            return
        for index, message in enumerate(messages):
            yield from self.message(chat, f"{prefix}messages[{index}]", message)

    def message(self, chat: _Chat, record: str, message: Any) -> Iterator[Item | Problem]:
        if not isinstance(message, dict):
            yield Problem(self.path, record, "message is not a JSON object")
            return
        try:
            yield from self._message(chat, record, message)
        except ExportError as exc:
            yield Problem(self.path, record, str(exc))

    def _message(
        self, chat: _Chat, record: str, message: Mapping[str, Any]
    ) -> Iterator[Item | Problem]:
        extra = chat.extra()
        message_id = message.get("id")
        extra["message_id"] = message_id
        time = _time(message, extra)
        service = message.get("type") == "service"
        who_id, who = ("actor_id", "actor") if service else ("from_id", "from")
        handle = message.get(who_id) or message.get(who)
        name = message.get(who) if isinstance(message.get(who), str) else None
        author = Author(self.platform, str(handle), name) if handle else None
        text, entities = flatten_text(message.get("text"))
        extra.update(entities)
        for key in EXTRA_KEYS:
            if key in message and key not in ("message_id",):
                extra[key] = message[key]
        if service:
            extra["service"] = message.get("action")
            text = None
        edited = message.get("edited_unixtime")
        if isinstance(edited, str) and edited.isdigit():
            extra["edited"] = utc_from_epoch(int(edited))
        media: list[MediaRef] = []
        for key, role in MEDIA_KEYS:
            value = message.get(key)
            if not isinstance(value, str) or not value:
                continue
            if value.startswith("("):
                extra.setdefault("media_not_included", []).append(value)
                continue
            try:
                found = inside(self.path.parent, value)
            except ExportError as exc:
                yield Problem(self.path, record, str(exc))
                continue
            if found is None:
                extra.setdefault("missing_media", []).append(value)
                yield Problem(self.path, record, f"media file {value[:160]!r} not found next to "
                                                 "result.json; item kept without it")
            else:
                media.append(MediaRef(path=found, role=role))
        parent = message.get("reply_to_message_id")
        peer = message.get("reply_to_peer_id")
        parent_url = chat.url(parent, peer) if parent is not None else None
        kind = ItemKind.POST if chat.type in CHANNELS else ItemKind.MESSAGE
        yield Item(
            kind=kind, platform=self.platform, source=located(self.source, record),
            url=chat.url(message_id), author=author, time=time, text=text,
            parent_url=parent_url, media=tuple(media), extra=extra,
        )


def _salvage(text: str) -> tuple[dict[str, Any], list[Any], str] | None:
    """From a single-chat `result.json` cut short: its header and the messages before the break."""
    match = re.search(r'"messages"\s*:\s*\[', text)
    if not match:
        return None
    try:
        header = json.loads(text[: match.end()] + "]}")
    except ValueError:
        return None
    if not isinstance(header, dict):
        return None
    decoder = json.JSONDecoder()
    messages: list[Any] = []
    position = match.end()
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            break
        messages.append(value)
    line = text.count("\n", 0, position) + 1
    return header, messages, f"the file is broken or truncated at line {line}"


class TelegramExportImporter:
    """Telegram Desktop's machine-readable export, `result.json`."""

    name = "telegram-export"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head_text(head)
        if not text or not text.startswith("{"):
            return False
        if has_key(text, "participants", "sender_name"):
            return False  # a Meta thread
        if has_key(text, "personal_information") or (has_key(text, "chats")
                                                     and has_key(text, "about")):
            return True
        if has_key(text, "messages") and has_key(text, "date_unixtime", "from_id",
                                                 "text_entities"):
            return True
        return bool(CHAT_TYPE.search(text)) and has_key(text, "messages")

    def estimate(self, path: Path) -> int | None:
        return path.read_bytes().count(b'"date":') or None

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        reader = _Reader(path, source, platform)
        try:
            raw = read_text(path)
        except ExportError as exc:
            yield Problem(path, "", str(exc))
            return
        try:
            data = load_json_text(raw, "result.json")
        except ExportError as exc:
            salvaged = _salvage(raw)
            if salvaged is None:
                yield Problem(path, "", str(exc))
                return
            header, messages, where = salvaged
            yield Problem(path, "", f"{where}; the {len(messages)} messages before it were read")
            yield from reader.chat({**header, "messages": messages}, "")
            return
        if not isinstance(data, dict):
            yield Problem(path, "", "result.json is not a JSON object")
            return
        if "messages" in data:
            yield from reader.chat(data, "")
            return
        found = False
        for section in ("chats", "left_chats"):
            block = data.get(section)
            chats = block.get("list") if isinstance(block, dict) else None
            if not isinstance(chats, list):
                continue
            found = True
            for index, chat in enumerate(chats):
                if isinstance(chat, dict):
                    yield from reader.chat(chat, f"{section}[{index}].")
                else:
                    yield Problem(path, f"{section}[{index}]", "chat is not a JSON object")
        if not found:
            yield Problem(path, "", "no chats in this export (was 'Personal chats' selected?)")
