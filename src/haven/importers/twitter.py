"""X/Twitter archives: the `data/*.js` files, each `window.YTD.<name>.partN = [ ... ]`.

Tweets (`tweets.js`, older `tweet.js`, and `deleted-tweets.js`) become posts, or comments when
they reply to another tweet; their photos and videos are taken from `data/tweets_media/` (older
archives: `tweet_media/`) as `<tweet id>-<file name>`. Direct messages (`direct-messages.js`,
`direct-messages-group.js`) become messages with their `dm_media` files. Likes become reaction
records pointing at the liked tweet. The account's own handle comes from `account.js` (or
`manifest.js`) in the same folder, when present. Other sections are recognised (so that the
archive's files are kept as evidence) but yield nothing.

Every tweet has its platform URL (`https://x.com/i/web/status/<id>`, which does not depend on
knowing the handle), and so does every direct message (its conversation URL with the message id),
so the same tweet met in two archives is stored once. This importer only yields items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from haven.importers._common import (
    ExportError,
    as_dict,
    as_list,
    head_text,
    inside,
    load_json_text,
    located,
    read_text,
    utc_from_iso,
)
from haven.model import Author, Item, ItemKind, MediaRef, Problem, SourceRef

PREFIX = re.compile(r"^window\.YTD\.(?P<name>\w+)\.part(?P<part>\d+)\s*=\s*")
TWEETS = {"tweet", "tweets", "deleted_tweet", "deleted_tweets", "community_tweet"}
DIRECT = {"direct_message", "direct_messages", "direct_messages_group", "direct_message_group"}
LIKES = {"like", "likes"}
TWEET_MEDIA = ("tweets_media", "tweet_media", "deleted_tweets_media", "community_tweet_media")
DM_MEDIA = ("direct_messages_media", "direct_message_media", "direct_messages_group_media",
            "direct_message_group_media")
STATUS = "https://x.com/i/web/status/{}"


def tweet_url(tweet_id: str) -> str:
    return STATUS.format(tweet_id)


def parse_created_at(value: str) -> str:
    """Twitter's "Wed Oct 10 20:19:24 +0000 2018" (or ISO 8601) as UTC ISO 8601."""
    try:
        moment = datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return utc_from_iso(value)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def load_ytd(path: Path) -> tuple[str, Any]:
    """The section name and the data of a `window.YTD` file."""
    text = read_text(path)
    match = PREFIX.match(text.lstrip())
    if not match:
        raise ExportError("does not start with window.YTD.<name>.partN =")
    body = text.lstrip()[match.end():].rstrip().rstrip(";")
    return match["name"], load_json_text(body, "the archive file")


@dataclass(frozen=True)
class Account:
    id: str | None
    handle: str | None
    name: str | None


def _account(folder: Path) -> Account:
    """The archive owner, from account.js, or failing that manifest.js, beside the file."""
    try:
        _, data = load_ytd(folder / "account.js")
        entry = data[0]["account"]
        return Account(str(entry.get("accountId") or "") or None, entry.get("username"),
                       entry.get("accountDisplayName"))
    except (OSError, ExportError, LookupError, TypeError, AttributeError):
        pass
    try:
        text = read_text(folder / "manifest.js")
        body = text[text.index("=") + 1:].strip().rstrip(";")
        info = load_json_text(body, "manifest.js")["userInfo"]
        return Account(str(info.get("accountId") or "") or None, info.get("userName"),
                       info.get("displayName"))
    except (OSError, ValueError, ExportError, LookupError, TypeError, AttributeError):
        return Account(None, None, None)


def _bitrate(variant: Mapping[str, Any]) -> int:
    value = str(variant.get("bitrate") or "0")
    return int(value) if value.isascii() and value.isdigit() else 0


def _media_name(url: str) -> str:
    """The last path segment of a media URL, as the archive names its copy (no query)."""
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class _Reader:
    def __init__(self, path: Path, source: SourceRef, platform: str | None) -> None:
        self.path = path
        self.source = source
        self.platform = platform or "twitter"
        self.account = _account(path.parent)

    def owner(self) -> Author | None:
        if self.account.handle:
            return Author(self.platform, self.account.handle, self.account.name)
        if self.account.id:
            return Author(self.platform, self.account.id, self.account.name)
        return None

    def user(self, user_id: Any) -> Author | None:
        if not isinstance(user_id, str | int) or isinstance(user_id, bool) or not str(user_id):
            return None
        if self.account.id and str(user_id) == self.account.id:
            return self.owner()
        return Author(self.platform, str(user_id))

    def find_media(
        self, folders: tuple[str, ...], prefix: str, urls: list[str], record: str,
        extra: dict[str, Any],
    ) -> Iterator[MediaRef | Problem]:
        for url in urls:
            name = f"{prefix}-{_media_name(url)}"
            found = None
            try:
                for folder in folders:
                    found = inside(self.path.parent, f"{folder}/{name}")
                    if found:
                        break
            except ExportError as exc:
                yield Problem(self.path, record, str(exc))
                continue
            if found:
                yield MediaRef(path=found)
            else:
                extra.setdefault("missing_media", []).append(name)
                yield Problem(self.path, record, f"media file {name[:160]!r} not found in "
                                                 f"{folders[0]}/; item kept without it")

    def tweet(
        self, record: str, entry: Mapping[str, Any], section: str
    ) -> Iterator[Item | Problem]:
        tweet = entry.get("tweet", entry)
        if not isinstance(tweet, dict):
            raise ExportError("tweet is not a JSON object")
        tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
        if not tweet_id.isdigit():
            raise ExportError("tweet has no id_str")
        text = tweet.get("full_text", tweet.get("text"))
        created = tweet.get("created_at")
        time = parse_created_at(created) if isinstance(created, str) else None
        parent_id = tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")
        extra: dict[str, Any] = {"tweet_id": tweet_id, "section": section}
        if self.account.handle:
            extra["handle_url"] = f"https://x.com/{self.account.handle}/status/{tweet_id}"
        for key in ("in_reply_to_screen_name", "in_reply_to_user_id_str", "lang", "source",
                    "favorite_count", "retweet_count", "deleted_at"):
            if tweet.get(key) not in (None, ""):
                extra[key] = tweet[key]
        found_entities = tweet.get("entities")
        entities: dict[str, Any] = found_entities if isinstance(found_entities, dict) else {}
        links = [u.get("expanded_url") for u in as_list(entities.get("urls"))
                 if isinstance(u, dict) and u.get("expanded_url")]
        mentions = [m.get("screen_name") for m in as_list(entities.get("user_mentions"))
                    if isinstance(m, dict) and m.get("screen_name")]
        tags = [h.get("text") for h in as_list(entities.get("hashtags"))
                if isinstance(h, dict) and h.get("text")]
        for key, values in (("links", links), ("mentions", mentions), ("hashtags", tags)):
            if values:
                extra[key] = values
        if isinstance(text, str) and text.startswith("RT @"):
            extra["retweet"] = True
        extended = tweet.get("extended_entities")
        urls: list[str] = []
        if isinstance(extended, dict):
            for media in as_list(extended.get("media")):
                if not isinstance(media, dict):
                    continue
                variants = as_list(as_dict(media.get("video_info")).get("variants"))
                best = max((v for v in variants if isinstance(v, dict) and v.get("url")
                            and v.get("content_type") == "video/mp4"),
                           key=_bitrate, default=None)
                url = best["url"] if best else media.get("media_url_https") or media.get(
                    "media_url")
                if isinstance(url, str) and url:
                    urls.append(url)
        refs: list[MediaRef] = []
        for found in self.find_media(TWEET_MEDIA, tweet_id, urls, record, extra):
            if isinstance(found, Problem):
                yield found
            else:
                refs.append(found)
        yield Item(
            kind=ItemKind.COMMENT if parent_id else ItemKind.POST, platform=self.platform,
            source=located(self.source, record), url=tweet_url(tweet_id), author=self.owner(),
            time=time, text=text if isinstance(text, str) and text else None,
            parent_url=tweet_url(str(parent_id)) if parent_id else None, media=tuple(refs),
            extra=extra,
        )

    def conversation(self, record: str, entry: Mapping[str, Any]) -> Iterator[Item | Problem]:
        conversation = entry.get("dmConversation")
        if not isinstance(conversation, dict):
            raise ExportError("entry has no dmConversation")
        conversation_id = str(conversation.get("conversationId") or "")
        for index, event in enumerate(as_list(conversation.get("messages"))):
            where = f"{record}.messages[{index}]"
            created = event.get("messageCreate") if isinstance(event, dict) else None
            if not isinstance(created, dict):
                continue  # joins, leaves and name changes carry no message
            try:
                yield from self.direct(where, conversation_id, created)
            except ExportError as exc:
                yield Problem(self.path, where, str(exc))

    def direct(
        self, record: str, conversation_id: str, message: Mapping[str, Any]
    ) -> Iterator[Item | Problem]:
        message_id = str(message.get("id") or "")
        created = message.get("createdAt")
        extra: dict[str, Any] = {"conversation_id": conversation_id, "message_id": message_id}
        if message.get("recipientId"):
            extra["recipient"] = str(message["recipientId"])
        links = [u.get("expanded") for u in as_list(message.get("urls"))
                 if isinstance(u, dict) and u.get("expanded")]
        if links:
            extra["links"] = links
        reactions = [{"reaction": r.get("reactionKey"), "by": r.get("senderId")}
                     for r in as_list(message.get("reactions")) if isinstance(r, dict)]
        if reactions:
            extra["reactions"] = reactions
        urls = [u for u in as_list(message.get("mediaUrls")) if isinstance(u, str) and u]
        refs: list[MediaRef] = []
        for found in self.find_media(DM_MEDIA, message_id, urls, record, extra):
            if isinstance(found, Problem):
                yield found
            else:
                refs.append(found)
        url = None
        if conversation_id and message_id:
            url = f"https://x.com/messages/{conversation_id}#{message_id}"
        text = message.get("text")
        yield Item(
            kind=ItemKind.MESSAGE, platform=self.platform, source=located(self.source, record),
            url=url, author=self.user(message.get("senderId")),
            time=utc_from_iso(created) if isinstance(created, str) else None,
            text=text if isinstance(text, str) and text else None, media=tuple(refs),
            extra=extra,
        )

    def like(self, record: str, entry: Mapping[str, Any]) -> Iterator[Item | Problem]:
        like = entry.get("like")
        if not isinstance(like, dict) or not str(like.get("tweetId") or "").isdigit():
            raise ExportError("like has no tweetId")
        extra: dict[str, Any] = {"activity": "reaction", "reaction": "like"}
        if isinstance(like.get("fullText"), str):
            extra["liked_text"] = like["fullText"]
        yield Item(
            kind=ItemKind.COMMENT, platform=self.platform, source=located(self.source, record),
            author=self.owner(), parent_url=tweet_url(str(like["tweetId"])), extra=extra,
        )


class TwitterArchiveImporter:
    """One `data/*.js` file of an X/Twitter archive."""

    name = "twitter-archive"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head_text(head)
        return bool(text and PREFIX.match(text))

    def estimate(self, path: Path) -> int | None:
        data = path.read_bytes()
        return data.count(b'"id_str"') or data.count(b'"messageCreate"') or None

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        try:
            section, data = load_ytd(path)
        except ExportError as exc:
            yield Problem(path, "", str(exc))
            return
        handler: Any
        if section in TWEETS:
            reader = _Reader(path, source, platform)

            def handler(record: str, entry: Mapping[str, Any]) -> Iterator[Item | Problem]:
                return reader.tweet(record, entry, section)
        elif section in DIRECT:
            handler = _Reader(path, source, platform).conversation
        elif section in LIKES:
            handler = _Reader(path, source, platform).like
        else:
            return
        if not isinstance(data, list):
            yield Problem(path, "", f"{section} is not a list")
            return
        for index, entry in enumerate(data):
            record = f"{section}[{index}]"
            if not isinstance(entry, dict):
                yield Problem(path, record, "entry is not a JSON object")
                continue
            try:
                yield from list(handler(record, entry))
            except ExportError as exc:
                yield Problem(path, record, str(exc))
