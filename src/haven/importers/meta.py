"""Facebook and Instagram "Download Your Information" exports, JSON flavour, one file at a time.

The core walks the export folder and hands each JSON file here: Messenger and Instagram threads
(`message_1.json`: participants, messages with sender, time, text, photos, videos, shares and
reactions), Facebook posts, comments (`comments_v2`), reactions (`reactions_v2`), videos and
stories, and Instagram posts, comments (`string_map_data`), likes and follower lists.

Meta writes UTF-8 text as if each byte were a Latin-1 character ("Ã¶" for "ö"); every string is
repaired when the round trip is valid. Media `uri`s are relative to the export's root folder,
which is found by walking up from the JSON file until the path resolves; a path that would leave
that folder is refused. Exports carry no per-message URLs, so items are identified by their place
in the file (`messages[12]`). This importer only yields items; it never writes to the vault.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from haven.importers._common import (
    ExportError,
    as_list,
    has_key,
    head_text,
    inside,
    is_remote,
    load_json_text,
    located,
    read_text,
    relative_parts,
    utc_from_epoch,
)
from haven.importers.html_tree import Node, parse_html
from haven.model import Author, Item, ItemKind, MediaRef, Problem, SourceRef

# Keys that only Meta's exports use at the top of a file (or of its entries).
SECTION_KEYS = (
    "comments_v2", "group_comments_v2", "reactions_v2", "videos_v2", "archived_stories_v2",
    "status_updates_v2", "group_posts_v2", "other_photos_v2", "string_map_data",
    "string_list_data", "media_list_data", "comments_media_comments", "comments_reels_comments",
    "likes_media_likes", "likes_comment_likes", "ig_archived_post_media", "ig_stories",
    "last_modified_timestamp", "cover_photo",
)
MEDIA_LISTS = ("photos", "videos", "audio_files", "gifs", "files")
MESSAGE_EXTRA = ("type", "is_unsent", "call_duration", "is_geoblocked_for_viewer", "missed")
POST_LINK = re.compile(r"instagram\.com/(p|reel|tv|stories)/", re.IGNORECASE)
MAX_ROOT_WALK = 8
MAX_PARTICIPANTS_LISTED = 12
ALBUM = re.compile(r'\{\s*"name"\s*:\s*"[^"]*"\s*,\s*"photos"\s*:\s*\[\s*\{\s*"uri"\s*:')


def repair_text(text: str) -> str:
    """Undo Meta's mojibake ("Ã¶" → "ö") when the Latin-1 → UTF-8 round trip is valid."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def repair(value: Any) -> Any:
    """`repair_text` applied to every string (and key) of a parsed JSON value."""
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [repair(entry) for entry in value]
    if isinstance(value, dict):
        return {repair_text(str(key)): repair(entry) for key, entry in value.items()}
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    return None


def _epoch(value: Any, scale: float = 1.0) -> str | None:
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExportError(f"timestamp {str(value)[:30]!r} is not a number")
    return utc_from_epoch(value / scale)


def _platform_from_path(path: Path) -> str | None:
    for part in (p.lower() for p in path.resolve().parts):
        if part.startswith("instagram-") or part == "your_instagram_activity":
            return "instagram"
        if part.startswith("facebook-") or part == "your_facebook_activity":
            return "facebook"
    return None


def _platform(path: Path, raw: str, given: str | None) -> str:
    if given:
        return given
    found = _platform_from_path(path)
    if found:
        return found
    if '"your_instagram_activity/' in raw or has_key(raw[:65536], "string_map_data",
                                                      "string_list_data", "media_list_data"):
        return "instagram"
    return "facebook"


@dataclass
class _Media:
    refs: list[MediaRef] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class _Reader:
    """One JSON file of an export: its platform, its root folder once found, its source."""

    def __init__(self, path: Path, source: SourceRef, platform: str) -> None:
        self.path = path
        self.source = source
        self.platform = platform
        self.root: Path | None = None
        self.album: str | None = None

    def author(self, name: Any) -> Author | None:
        handle = _text(name)
        return Author(self.platform, handle.strip(), handle.strip()) if handle else None

    def locate(self, uri: str) -> Path | None:
        """The file `uri` names, relative to the export root (found by walking up).

        An export has one root: once a uri has located it, the others are looked up there
        only, so a missing file is never taken from some folder further up the disk.
        """
        parts = relative_parts(uri)
        if self.root is not None:
            return inside(self.root, uri)
        folder = self.path.parent
        ancestors = [folder, *folder.parents][:MAX_ROOT_WALK] if len(parts) > 1 else [folder]
        for ancestor in ancestors:
            found = inside(ancestor, uri)
            if found:
                self.root = ancestor
                return found
        return None

    def media(self, uris: list[tuple[str, str]]) -> _Media:
        result = _Media()
        seen: set[str] = set()
        for uri, role in uris:
            if uri in seen:
                continue
            seen.add(uri)
            if is_remote(uri):
                result.remote.append(uri)
                continue
            try:
                found = self.locate(uri)
            except ExportError as exc:
                result.refused.append(str(exc))
                continue
            if found:
                result.refs.append(MediaRef(path=found, role=role))
            else:
                result.missing.append(uri)
        return result

    def item(
        self, record: str, kind: ItemKind, *, author: Author | None, time: str | None,
        text: str | None, media: _Media, extra: dict[str, Any], url: str | None = None,
        parent_url: str | None = None,
    ) -> Iterator[Item | Problem]:
        for reason in media.refused:
            yield Problem(self.path, record, reason)
        for uri in media.missing:
            yield Problem(self.path, record,
                          f"media file {uri[:160]!r} not found in the export; item kept without it")
        if media.missing:
            extra["missing_media"] = media.missing
        if media.remote:
            extra["remote_media"] = media.remote
        yield Item(
            kind=kind, platform=self.platform, source=located(self.source, record), url=url,
            author=author, time=time, text=text, parent_url=parent_url,
            media=tuple(media.refs), extra=extra,
        )

    # Messenger / Instagram direct threads

    def thread(self, data: Mapping[str, Any]) -> Iterator[Item | Problem]:
        participants = [str(p["name"]) for p in as_list(data.get("participants"))
                        if isinstance(p, dict) and isinstance(p.get("name"), str)]
        context = {key: data[key] for key in ("title", "thread_path", "thread_type")
                   if isinstance(data.get(key), str)}
        if "title" in context:
            context["thread"] = context.pop("title")
        messages = data.get("messages")
        if not isinstance(messages, list):
            yield Problem(self.path, "messages", "thread has no list of messages")
            return
        for index, message in enumerate(messages):
            record = f"messages[{index}]"
            if not isinstance(message, dict):
                yield Problem(self.path, record, "message is not a JSON object")
                continue
            try:
                yield from self.message(record, message, context, participants)
            except ExportError as exc:
                yield Problem(self.path, record, str(exc))

    def message(
        self, record: str, message: Mapping[str, Any], context: Mapping[str, Any],
        participants: list[str],
    ) -> Iterator[Item | Problem]:
        time = _epoch(message.get("timestamp_ms"), 1000.0)
        if time is None and "timestamp" in message:
            time = _epoch(message.get("timestamp"))
        uris: list[tuple[str, str]] = []
        for key in MEDIA_LISTS:
            for entry in as_list(message.get(key)):
                if isinstance(entry, dict) and isinstance(entry.get("uri"), str):
                    uris.append((entry["uri"], key.rstrip("s")))
        sticker = message.get("sticker")
        if isinstance(sticker, dict) and isinstance(sticker.get("uri"), str):
            uris.append((sticker["uri"], "sticker"))
        extra: dict[str, Any] = dict(context)
        # Every message carries its thread's participants, unless the group is large: then
        # only the count, so a 250-person group does not repeat its roster in every message.
        if len(participants) <= MAX_PARTICIPANTS_LISTED:
            extra["participants"] = participants
        else:
            extra["participant_count"] = len(participants)
        for key in MESSAGE_EXTRA:
            if key in message:
                extra[key] = message[key]
        share = message.get("share")
        if isinstance(share, dict):
            extra["share"] = {k: v for k, v in share.items() if isinstance(v, str)}
        reactions = [
            {"reaction": r.get("reaction"), "actor": r.get("actor")}
            for r in as_list(message.get("reactions")) if isinstance(r, dict)
        ]
        if reactions:
            extra["reactions"] = reactions
        yield from self.item(
            record, ItemKind.MESSAGE, author=self.author(message.get("sender_name")), time=time,
            text=_text(message.get("content")), media=self.media(uris), extra=extra,
        )

    # Posts, comments, reactions and media lists

    def entries(self, data: Any) -> Iterator[Item | Problem]:
        sections: list[tuple[str, list[Any]]] = []
        if isinstance(data, list):
            sections.append(("", data))
        elif isinstance(data, dict):
            if isinstance(data.get("messages"), list) and "participants" in data:
                yield from self.thread(data)
                return
            sections += [(str(key), value) for key, value in data.items()
                         if isinstance(value, list)]
            if isinstance(data.get("name"), str) and "photos" in data:
                self.album = data["name"]
        skipped = 0
        for name, entries in sections:
            for index, entry in enumerate(entries):
                record = f"{name}[{index}]"
                if not isinstance(entry, dict):
                    skipped += 1
                    continue
                try:
                    produced = list(self.entry(record, name, entry))
                except ExportError as exc:
                    yield Problem(self.path, record, str(exc))
                    continue
                if not produced:
                    skipped += 1
                yield from produced
        if skipped:
            yield Problem(self.path, "", f"{skipped} entries of a shape Haven does not read "
                                         "were skipped")

    def entry(
        self, record: str, section: str, entry: Mapping[str, Any]
    ) -> Iterator[Item | Problem]:
        if "string_map_data" in entry or "string_list_data" in entry:
            yield from self.instagram_entry(record, section, entry)
            return
        parts = [d for d in as_list(entry.get("data")) if isinstance(d, dict)]
        uris, links = _attachments(entry.get("attachments"))
        extra: dict[str, Any] = {}
        if _text(entry.get("title")):
            extra["title"] = entry["title"]
        if links:
            extra["links"] = links
        if section:
            extra["section"] = section
        if self.album is not None:
            extra["album"] = self.album
        comment = next((d["comment"] for d in parts if isinstance(d.get("comment"), dict)), None)
        reaction = next((d["reaction"] for d in parts if isinstance(d.get("reaction"), dict)),
                        None)
        post = next((d["post"] for d in parts if isinstance(d.get("post"), str)), None)
        time = _epoch(entry.get("timestamp"))
        if comment is not None:
            if comment.get("group"):
                extra["group"] = comment["group"]
            yield from self.item(
                record, ItemKind.COMMENT, author=self.author(comment.get("author")),
                time=_epoch(comment.get("timestamp")) or time, text=_text(comment.get("comment")),
                media=self.media(uris), extra=extra,
            )
        elif reaction is not None:
            extra["activity"] = "reaction"
            extra["reaction"] = reaction.get("reaction")
            yield from self.item(
                record, ItemKind.COMMENT, author=self.author(reaction.get("actor")), time=time,
                text=None, media=self.media(uris), extra=extra,
            )
        elif post is not None or uris or links or "data" in entry:
            if post is None and not uris and not links and not extra.get("title"):
                return
            yield from self.item(
                record, ItemKind.POST, author=None, time=time, text=_text(post),
                media=self.media(uris), extra=extra,
            )
        elif isinstance(entry.get("uri"), str):
            own = [(entry["uri"], "file")]
            own += [(uri, role) for uri, role in _uris(entry.get("thumbnail"), "thumbnail")]
            yield from self.item(
                record, ItemKind.MEDIA, author=None,
                time=_epoch(entry.get("creation_timestamp")),
                text=_text(entry.get("description")) or _text(entry.get("title")),
                media=self.media(own), extra=extra,
            )
            yield from self.comments_on(record, entry, extra)
        elif isinstance(entry.get("media"), list):
            found = _uris(entry["media"], "attachment")
            text = _text(entry.get("title"))
            if text is None:
                text = next((_text(m.get("title")) for m in entry["media"]
                             if isinstance(m, dict) and _text(m.get("title"))), None)
            first = next((m for m in entry["media"] if isinstance(m, dict)), {})
            extra.pop("title", None)
            yield from self.item(
                record, ItemKind.POST, author=None,
                time=_epoch(entry.get("creation_timestamp") or first.get("creation_timestamp")),
                text=text, media=self.media(found), extra=extra,
            )

    def comments_on(
        self, record: str, entry: Mapping[str, Any], context: Mapping[str, Any]
    ) -> Iterator[Item | Problem]:
        """Comments others left on a photo or video (album files carry them with the photo)."""
        for index, comment in enumerate(as_list(entry.get("comments"))):
            where = f"{record}.comments[{index}]"
            if not isinstance(comment, dict):
                yield Problem(self.path, where, "comment is not a JSON object")
                continue
            extra = {key: value for key, value in context.items() if key in ("section", "album")}
            extra["on_media"] = entry.get("uri")
            try:
                time = _epoch(comment.get("timestamp"))
            except ExportError as exc:
                yield Problem(self.path, where, str(exc))
                continue
            yield from self.item(
                where, ItemKind.COMMENT, author=self.author(comment.get("author")), time=time,
                text=_text(comment.get("comment")), media=_Media(), extra=extra,
            )

    def instagram_entry(
        self, record: str, section: str, entry: Mapping[str, Any]
    ) -> Iterator[Item | Problem]:
        smd = entry.get("string_map_data")
        values = smd if isinstance(smd, dict) else {}
        extra: dict[str, Any] = {"section": section} if section else {}
        uris = _uris(entry.get("media_list_data"), "attachment")
        comment = values.get("Comment")
        if isinstance(comment, dict):
            owner = values.get("Media Owner")
            if isinstance(owner, dict) and owner.get("value"):
                extra["media_owner"] = owner["value"]
            stamp = values.get("Time")
            yield from self.item(
                record, ItemKind.COMMENT, author=None,
                time=_epoch(stamp.get("timestamp")) if isinstance(stamp, dict) else None,
                text=_text(comment.get("value")), media=self.media(uris), extra=extra,
            )
            return
        for position, value in enumerate(as_list(entry.get("string_list_data"))):
            if not isinstance(value, dict):
                continue
            href = _text(value.get("href"))
            where = record if position == 0 else f"{record}.string_list_data[{position}]"
            time = _epoch(value.get("timestamp"))
            if href and POST_LINK.search(href):
                extra.update(activity="reaction", reaction=value.get("value"))
                if _text(entry.get("title")):
                    extra["media_owner"] = entry["title"]
                yield from self.item(where, ItemKind.COMMENT, author=None, time=time, text=None,
                                     media=_Media(), extra=dict(extra), parent_url=href)
            elif href or _text(value.get("value")):
                handle = _text(value.get("value")) or _text(entry.get("title"))
                yield from self.item(
                    where, ItemKind.PROFILE, author=self.author(handle), time=time, text=None,
                    media=_Media(), extra=dict(extra, relationship=section or "profile"),
                    url=href,
                )


def _uris(value: Any, role: str) -> list[tuple[str, str]]:
    """Every `uri` under `value`, with `thumbnail` ones marked as such."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        if isinstance(value.get("uri"), str) and value["uri"].strip():
            found.append((value["uri"], role))
        for key, entry in value.items():
            if key != "uri":
                found += _uris(entry, "thumbnail" if key == "thumbnail" else role)
    elif isinstance(value, list):
        for entry in value:
            found += _uris(entry, role)
    return found


def _attachments(value: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """Media uris and external links of a post's or comment's `attachments`."""
    uris = _uris(value, "attachment")
    links: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            context = node.get("external_context")
            if isinstance(context, dict) and isinstance(context.get("url"), str):
                links.append(context["url"])
            for entry in node.values():
                walk(entry)
        elif isinstance(node, list):
            for entry in node:
                walk(entry)

    walk(value)
    return uris, links


class MetaExportImporter:
    """One JSON file of a Facebook or Instagram "Download Your Information" export."""

    name = "meta-export"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head_text(head)
        if not text or text[0] not in "[{":
            return False
        if has_key(text, "participants") and has_key(text, "sender_name", "thread_path"):
            return True
        if re.search(r'"participants"\s*:\s*\[\s*\{\s*"name"\s*:', text):
            return True
        if ALBUM.match(text):
            return True
        if has_key(text, *SECTION_KEYS):
            return True
        if text[0] == "[" and has_key(text, "timestamp") and re.search(r'"data"\s*:\s*\[', text):
            return has_key(text, "post", "comment", "attachments", "title")
        return (text[0] == "[" and has_key(text, "media") and has_key(text, "uri")
                and has_key(text, "creation_timestamp"))

    def estimate(self, path: Path) -> int | None:
        data = path.read_bytes()
        return data.count(b'"timestamp') or None

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        try:
            raw = read_text(path)
            data = repair(load_json_text(raw, "the export file"))
        except ExportError as exc:
            yield Problem(path, "", str(exc))
            return
        reader = _Reader(path, source, _platform(path, raw, platform))
        yield from reader.entries(data)


# The HTML flavour: message threads only (`message_1.html`). Meta's HTML marks each message as a
# box (`div.pam.uiBoxWhite`) holding the sender, the content and the time as shown to the
# account (English month names are read; other languages keep the shown text in `extra`).

HTML_MARKERS = ("uiBoxWhite", "_a6-g", "_2lej", "_3-95", "_3-96")
HTML_MESSAGES = re.compile(r"^message_\d+\.html?$", re.IGNORECASE)
MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
HTML_TIMES = (
    re.compile(r"^(?:[A-Za-z]+, )?(?P<mon>[A-Za-z]{3,9})\.? (?P<day>\d{1,2}),? (?P<year>\d{4}),?"
               r"(?: at)? (?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?"
               r"(?: UTC(?P<off>[+-]\d{1,2}(?::?\d{2})?))?$"),
    re.compile(r"^(?:[A-Za-z]+, )?(?P<day>\d{1,2}) (?P<mon>[A-Za-z]{3,9})\.? (?P<year>\d{4}),?"
               r"(?: at)? (?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?"
               r"(?: UTC(?P<off>[+-]\d{1,2}(?::?\d{2})?))?$"),
)


def _html_text(node: Node) -> str:
    """The visible text under `node`, lists (reactions) left out."""
    return node.text(skip=lambda child: child.tag == "ul")


def parse_html_time(shown: str) -> str | None:
    """A time as Meta's HTML shows it in English, as ISO 8601 (UTC when an offset is shown)."""
    text = " ".join(shown.replace("\u202f", " ").split())
    for pattern in HTML_TIMES:
        match = pattern.match(text)
        if not match:
            continue
        month = MONTHS.get(match["mon"].lower())
        if month is None:
            return None
        hour = int(match["h"])
        if match["ampm"]:
            hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
        try:
            moment = datetime(int(match["year"]), month, int(match["day"]), hour,
                              int(match["m"]), int(match["s"] or 0))
        except ValueError:
            return None
        if match["off"]:
            sign = -1 if match["off"].startswith("-") else 1
            digits = match["off"][1:].replace(":", "")
            hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
            offset = timedelta(hours=int(hours), minutes=int(minutes))
            moment = (moment - sign * offset).replace(tzinfo=UTC)
            return moment.isoformat().replace("+00:00", "Z")
        return moment.isoformat()
    return None


class MetaHtmlExportImporter:
    """A Messenger or Instagram thread from the HTML flavour of "Download Your Information"."""

    name = "meta-export-html"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head_text(head)
        if not text or not re.match(r"(<!doctype html|<html)", text, re.IGNORECASE):
            return False
        return sum(marker in text for marker in HTML_MARKERS) >= 2

    def estimate(self, path: Path) -> int | None:
        return path.read_bytes().count(b"uiBoxWhite") or None

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        try:
            raw = read_text(path)
        except ExportError as exc:
            yield Problem(path, "", str(exc))
            return
        if not HTML_MESSAGES.match(path.name):
            yield Problem(path, "", "only message threads (message_N.html) are read from the HTML "
                                    "flavour; download the export as JSON for posts and comments")
            return
        root = parse_html(raw)
        reader = _Reader(path, source, _platform(path, raw[:4096], platform))
        title = next((_html_text(n) for n in root.walk() if n.tag == "title"), "")
        blocks = [n for n in root.walk()
                  if n.tag == "div" and {"pam", "uiBoxWhite"} <= n.classes]
        if not blocks:
            yield Problem(path, "", "no message boxes found; this HTML layout is not one Haven "
                                    "reads (the JSON flavour always is)")
            return
        context: dict[str, Any] = {"thread": title} if title else {}
        for index, block in enumerate(blocks):
            record = f"messages[{index}]"
            parts = [child for child in block.children if isinstance(child, Node)]
            if len(parts) < 2:
                yield Problem(path, record, "message box without sender and time")
                continue
            shown = _html_text(parts[-1])
            extra = dict(context, time_shown=shown, html_layout=" ".join(sorted(block.classes)))
            time = parse_html_time(shown)
            if time is None:
                extra["time_zone"] = "time shown in the account's language; not read"
            elif not time.endswith("Z"):
                extra["time_zone"] = "as shown by the export (zone not stated)"
            body = parts[1:-1]
            uris: list[tuple[str, str]] = []
            reactions: list[str] = []
            for part in body:
                for node in part.walk():
                    if node.tag in ("img", "video", "audio", "source") and node.attrs.get("src"):
                        uris.append((node.attrs["src"], node.tag if node.tag != "source"
                                     else "video"))
                    elif node.tag == "a" and node.attrs.get("href"):
                        href = node.attrs["href"]
                        if is_remote(href):
                            extra.setdefault("links", []).append(href)
                        elif not href.startswith("#"):
                            uris.append((href, "attachment"))
                    elif node.tag == "li":
                        reactions.append(_html_text(node))
            if reactions:
                extra["reactions"] = reactions
            text = "\n".join(t for t in (_html_text(part) for part in body) if t) or None
            sender = _html_text(parts[0]) if len(parts) > 2 else None
            yield from reader.item(
                record, ItemKind.MESSAGE, author=reader.author(sender), time=time, text=text,
                media=reader.media(uris), extra=extra,
            )
