"""Web archives as items: WARC files (plain or gzip per record) and WACZ packages.

Friends, caseworkers and tools such as Webrecorder, ArchiveWeb.page, Browsertrix and Bellingcat's
auto-archiver capture hostile pages as WARC records. Each captured HTML page becomes a
page-capture item that points at its record (`record@OFFSET`, the byte offset in the file or in
the WACZ member) and carries the record's id, dates, digests and the SHA-256 of the record's
exact bytes as they sit in the file, so anyone can cut them out and check them. Images and videos
captured with the page become media items. Where the page structure allows (Telegram t.me channel
pages, Facebook mbasic/m. pages, Instagram, VK walls), posts and comments become their own items
with the page as parent; pages whose structure is unknown keep their visible text instead.

What it must never do: write to the vault, unpack a WACZ to disk (members are read in place
under the limits of `haven.archives`), let one broken record stop the rest, or log page text.
Media payloads are written to a private temporary folder that lives while `read()` runs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator

from haven.archives import ArchiveError, ArchiveLimits, check_zip_member
from haven.importers.html_tree import Node, has_class, parse_html
from haven.importers.media_files import media_type
from haven.model import Author, Item, ItemKind, MediaRef, Problem, SourceRef

CHUNK = 1 << 20
MAX_HTML_BYTES = 32 << 20
MAX_RESYNCS = 10_000
WACZ_JSON_LIMIT = 64 << 20
HOSTS = {
    "facebook.com": "facebook", "fb.com": "facebook", "fb.watch": "facebook",
    "instagram.com": "instagram",
    "t.me": "telegram", "telegram.me": "telegram", "telegram.org": "telegram",
    "vk.com": "vk", "vk.ru": "vk", "vkontakte.ru": "vk",
    "twitter.com": "twitter", "x.com": "twitter",
    "tiktok.com": "tiktok", "youtube.com": "youtube", "youtu.be": "youtube",
    # Where the platforms serve captured photos and videos from.
    "fbcdn.net": "facebook", "cdninstagram.com": "instagram", "telesco.pe": "telegram",
    "userapi.com": "vk", "vkuserphoto.ru": "vk", "vkuservideo.net": "vk", "twimg.com": "twitter",
}


# warcio logs a malformed WARC-Target-URI in full; captured URLs can name the people targeted.
logging.getLogger("warcio.recordloader").setLevel(logging.ERROR)


class _QuietIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator, minus its warning that prints a line of the record to stderr.

    Logs must never hold captured text; a malformed gap between records is noted in
    `err_count`, which this importer turns into a Problem instead.
    """

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        skipped = 0
        first = True
        while True:
            line: bytes = self.reader.readline()
            if not line:
                return None, skipped
            if line.strip() and not first:
                return line, skipped
            if line.strip():
                self.err_count += 1
            skipped += len(line)
            first = False


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _unix(value: str | None) -> str | None:
    if not value or not value.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(value), UTC).isoformat().replace("+00:00", "Z")


def platform_of(url: str | None) -> str | None:
    """The platform a URL belongs to, judged by its host (m., mbasic., www. included)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for known, platform in HOSTS.items():
        if host == known or host.endswith("." + known):
            return platform
    return None


# --- A small, tolerant HTML tree (stdlib only) ---------------------------------------------

# --- Posts and comments found in a page ----------------------------------------------------


@dataclass
class Post:
    """A post or comment found inside a captured page."""

    kind: ItemKind
    text: str | None
    url: str | None = None
    handle: str | None = None
    name: str | None = None
    time: str | None = None
    parent_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _handle_from_href(href: str, base: str) -> str | None:
    """A profile's handle from its link: `/id123`, `/user.name`, `profile.php?id=5`, t.me/x."""
    if not href:
        return None
    parts = urlsplit(urljoin(base, href))
    query = dict(parse_qsl(parts.query))
    if parts.path.endswith("profile.php") and "id" in query:
        return query["id"]
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[0] if segments else None


def telegram_posts(root: Node, page_url: str) -> list[Post]:
    """Messages of a public channel's web preview (t.me/s/NAME): one per `data-post`."""
    posts = []
    for message in root.find_all(lambda n: "tgme_widget_message" in n.classes
                                 and bool(n.attrs.get("data-post"))):
        post_id = message.attrs["data-post"]
        in_reply = has_class("tgme_widget_message_reply")
        body = _own_text(message, in_reply)
        owner = message.find(has_class("tgme_widget_message_owner_name"))
        signed = message.find(has_class("tgme_widget_message_from_author"))
        stamp = message.find(lambda n: n.tag == "time" and "datetime" in n.attrs)
        views = message.find(has_class("tgme_widget_message_views"))
        reply = message.find(in_reply)
        forwarded = message.find(has_class("tgme_widget_message_forwarded_from_name"))
        handle = (_handle_from_href(owner.attrs.get("href", ""), page_url) if owner else None)
        extra: dict[str, Any] = {"data_post": post_id}
        if views:
            extra["views"] = views.text()
        if reply and reply.attrs.get("href"):
            extra["reply_to_url"] = urljoin(page_url, reply.attrs["href"])
        if forwarded:
            extra["forwarded_from"] = forwarded.text()
            if forwarded.attrs.get("href"):
                extra["forwarded_from_url"] = urljoin(page_url, forwarded.attrs["href"])
        if signed:
            extra["signed_by"] = signed.text()
        posts.append(Post(
            kind=ItemKind.POST,
            text=body.text() if body else None,
            url=f"https://t.me/{post_id}",
            handle=handle or post_id.split("/")[0],
            name=owner.text() if owner else None,
            time=_utc(stamp.attrs["datetime"]) if stamp else None,
            parent_url=page_url,
            extra=extra,
        ))
    return posts


def _own_text(message: Node, quoted: Callable[[Node], bool]) -> Node | None:
    """The message's text element, not the one quoted from the message it replies to."""
    inside_quotes = {id(inner) for quote in message.find_all(quoted) for inner in quote.walk()}
    return message.find(lambda n: "tgme_widget_message_text" in n.classes
                        and id(n) not in inside_quotes)


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def facebook_posts(root: Node, page_url: str) -> list[Post]:
    """The story and its comments on mbasic.facebook.com / m.facebook.com permalink pages.

    mbasic: the story sits in `#m_story_permalink_view` (its text in `p` elements of the first
    `[data-ft]` block); each comment is a `div` whose `id` is the comment's number, holding an
    `h3 > a` with the author and a sibling `div` with the text. m.: comments carry
    `data-sigil="comment"` with a `comment-body`. The page URL is the post's URL.
    """
    posts: list[Post] = []
    story = root.find(lambda n: n.attrs.get("id") == "m_story_permalink_view")
    if story:
        block = story.find(lambda n: "data-ft" in n.attrs) or story
        paragraphs = block.find_all(lambda n: n.tag == "p")
        text = "\n".join(p.text() for p in paragraphs) if paragraphs else None
        author = block.find(lambda n: n.tag in ("h3", "strong"))
        link = author.find(lambda n: n.tag == "a") if author else None
        if text:
            posts.append(Post(
                kind=ItemKind.POST, text=text, url=page_url,
                handle=_handle_from_href(link.attrs.get("href", ""), page_url) if link else None,
                name=link.text() if link else None,
            ))
    seen: set[str] = set()
    for node in root.walk():
        comment_id = node.attrs.get("id", "")
        sigil = node.attrs.get("data-sigil", "").split()
        if node.tag != "div" or not (comment_id.isdigit() or "comment" in sigil):
            continue
        heading: Node | None
        body: Node | None
        if "comment" in sigil:
            body = node.find(lambda n: "comment-body" in n.attrs.get("data-sigil", "").split())
            heading = node.find(lambda n: n.tag == "a" and bool(n.attrs.get("href")))
        else:
            inner = [c for c in node.children if isinstance(c, Node)]
            holder = inner[0] if inner and inner[0].tag == "div" else node
            parts = [c for c in holder.children if isinstance(c, Node)]
            if not parts or parts[0].tag != "h3":
                continue
            heading = parts[0]
            body = parts[1] if len(parts) > 1 else None
        link = heading if heading and heading.tag == "a" else (
            heading.find(lambda n: n.tag == "a") if heading else None)
        if body is None or not comment_id or comment_id in seen:
            continue
        seen.add(comment_id)
        stamp = node.find(lambda n: n.tag == "abbr")
        extra = {"comment_id": comment_id}
        if stamp:
            extra["time_text"] = stamp.text()
        posts.append(Post(
            kind=ItemKind.COMMENT, text=body.text() or None,
            url=_with_query(page_url, comment_id=comment_id),
            handle=_handle_from_href(link.attrs.get("href", ""), page_url) if link else None,
            name=link.text() if link else None,
            parent_url=page_url, extra=extra,
        ))
    return posts


def _ld_json(root: Node) -> list[dict[str, Any]]:
    """JSON-LD objects in the page (schema.org), flattened out of lists and `@graph`."""
    found: list[dict[str, Any]] = []
    for script in root.find_all(lambda n: n.tag == "script"
                                and n.attrs.get("type") == "application/ld+json"):
        raw = "".join(c for c in script.children if isinstance(c, str))
        try:
            value = json.loads(raw)
        except ValueError:
            continue
        pending = [value]
        while pending:
            current = pending.pop()
            if isinstance(current, list):
                pending.extend(current)
            elif isinstance(current, dict):
                found.append(current)
                if isinstance(current.get("@graph"), list):
                    pending.extend(current["@graph"])
    return found


def _person(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        handle = value.get("alternateName") or value.get("identifier") or value.get("url")
        handle_text = str(handle).lstrip("@").rstrip("/").rsplit("/", 1)[-1] if handle else None
        name = value.get("name")
        return handle_text, str(name) if name else None
    if isinstance(value, str):
        return value.lstrip("@"), None
    return None, None


def instagram_posts(root: Node, page_url: str) -> list[Post]:
    """The caption and comments of an Instagram post page.

    Instagram pages are built by script; what a capture reliably holds is the schema.org
    JSON-LD (`SocialMediaPosting` with its `comment` list), the `og:description` caption, or
    on embed pages the `Caption` block.
    """
    posts: list[Post] = []
    for data in _ld_json(root):
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not {"SocialMediaPosting", "ImageObject", "VideoObject"} & set(map(str, kinds)):
            continue
        text = data.get("articleBody") or data.get("caption") or data.get("description")
        handle, name = _person(data.get("author"))
        url = str(data.get("url") or data.get("mainEntityOfPage") or page_url)
        posts.append(Post(
            kind=ItemKind.POST, text=str(text) if text else None, url=url, handle=handle,
            name=name, time=_utc(data.get("dateCreated") or data.get("datePublished")),
            parent_url=page_url if url != page_url else None,
        ))
        comments = data.get("comment")
        for index, comment in enumerate(comments if isinstance(comments, list) else []):
            if not isinstance(comment, dict):
                continue
            c_handle, c_name = _person(comment.get("author"))
            c_url = comment.get("url")
            posts.append(Post(
                kind=ItemKind.COMMENT, text=str(comment.get("text") or "") or None,
                url=str(c_url) if c_url else None, handle=c_handle, name=c_name,
                time=_utc(comment.get("dateCreated")), parent_url=url,
                extra={"position": index},
            ))
    if posts:
        return posts
    caption = root.find(has_class("Caption"))
    if caption:
        user = caption.find(has_class("CaptionUsername"))
        text = caption.text(skip=lambda n: bool(n.classes & {"CaptionUsername",
                                                              "CaptionComments"}))
        return [Post(kind=ItemKind.POST, text=text or None, url=page_url,
                     handle=user.text() if user else None)]
    meta = root.find(lambda n: n.tag == "meta" and n.attrs.get("property") == "og:description")
    if meta and meta.attrs.get("content"):
        return [Post(kind=ItemKind.POST, text=meta.attrs["content"], url=page_url,
                     extra={"from": "og:description"})]
    return []


def vk_posts(root: Node, page_url: str) -> list[Post]:
    """Wall posts and their replies on vk.com (desktop `post`/`reply`, mobile `wall_item`)."""
    posts: list[Post] = []
    post_test = has_class("post", "wall_item")
    reply_test = has_class("reply", "ReplyItem")
    for node in root.walk():
        is_post = post_test(node)
        if not (is_post or reply_test(node)):
            continue
        raw_id = (node.attrs.get("data-post-id") or node.attrs.get("id", "")).removeprefix("post")
        if not raw_id:
            continue
        body_classes = (("wall_post_text", "pi_text") if is_post
                        else ("wall_reply_text", "ReplyItem__body", "reply_text"))
        body = node.find(has_class(*body_classes))
        if body is None:
            continue
        author = node.find(has_class("author", "pi_author", "PostHeaderTitle__authorLink",
                                     "ReplyItem__name"))
        stamp = node.find(lambda n: "time" in n.attrs and n.attrs["time"].isdigit())
        when = _unix(stamp.attrs["time"]) if stamp else None
        if when is None:
            tag = node.find(lambda n: n.tag == "time" and "datetime" in n.attrs)
            when = _utc(tag.attrs["datetime"]) if tag else None
        owner_post = raw_id.lstrip("-_")
        url = f"https://vk.com/wall{raw_id.lstrip('_')}"
        parent = page_url
        if not is_post:
            # A reply's id is OWNER_REPLY; its post is the nearest wall post above it.
            above = next((p for p in reversed(posts) if p.kind == ItemKind.POST), None)
            parent = above.url if above and above.url else page_url
            url = _with_query(parent, reply=owner_post.split("_")[-1])
        posts.append(Post(
            kind=ItemKind.POST if is_post else ItemKind.COMMENT,
            text=body.text() or None, url=url,
            handle=_handle_from_href(author.attrs.get("href", ""), page_url) if author else None,
            name=author.text() if author else None, time=when, parent_url=parent,
            extra={"vk_id": raw_id},
        ))
    return posts


SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
JSON_GUARD = b"for (;;);"


def instagram_shortcode(media_id: object) -> str | None:
    """The shortcode in a post's URL (/p/CODE/) from its numeric media id ("PK" or "PK_OWNER")."""
    digits = str(media_id).split("_", 1)[0]
    if not digits.isdigit() or int(digits) == 0:
        return None
    number, letters = int(digits), []
    while number:
        number, rest = divmod(number, 64)
        letters.append(SHORTCODE_ALPHABET[rest])
    return "".join(reversed(letters))


def json_documents(body: bytes) -> list[Any]:
    """The JSON in an API response: one document, or one per line as Facebook streams them."""
    text = body.removeprefix(JSON_GUARD).decode("utf-8", errors="replace").strip()
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    documents = []
    for line in text.splitlines():
        try:
            documents.append(json.loads(line.removeprefix(JSON_GUARD.decode())))
        except ValueError:
            continue
    return documents


def _dicts(value: Any, limit: int = 200_000) -> Iterator[dict[str, Any]]:
    """Every object inside a JSON value (bounded, without recursion)."""
    pending = [value]
    seen = 0
    while pending and seen < limit:
        current = pending.pop()
        if isinstance(current, dict):
            seen += 1
            yield current
            pending.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            pending.extend(reversed(current))


def api_posts(platform: str, documents: list[Any]) -> list[Post]:
    """Posts and comments in the JSON that Instagram's and Facebook's web apps load.

    Captures made in a browser (ArchiveWeb.page, Browsertrix) hold these responses, and on
    today's Instagram and Facebook they, not the HTML, carry the comments. Recognised shapes:
    Instagram media (`code`, `caption.text`, `user.username`, `taken_at`) and comments (`text`,
    `user.username`, `created_at`, `pk`); Facebook GraphQL `Comment` nodes (`body.text`,
    `author`, `created_time`).
    """
    posts: list[Post] = []
    for document in documents:
        for node in _dicts(document):
            post = (_instagram_node(node) if platform == "instagram"
                    else _facebook_node(node) if platform == "facebook" else None)
            if post is not None:
                posts.append(post)
    unique: dict[tuple[str | None, str | None, str | None], Post] = {}
    for post in posts:
        unique.setdefault((post.url, post.handle, post.text), post)
    return list(unique.values())


def _instagram_node(node: dict[str, Any]) -> Post | None:
    user = node.get("user") or node.get("owner")
    if not isinstance(user, dict) or not isinstance(user.get("username"), str):
        return None
    handle, name = user["username"], user.get("full_name") or None
    caption = node.get("caption")
    if isinstance(node.get("code"), str) and (caption is None or isinstance(caption, dict)):
        text = caption.get("text") if isinstance(caption, dict) else None
        return Post(kind=ItemKind.POST, text=str(text) if text else None,
                    url=f"https://www.instagram.com/p/{node['code']}/", handle=handle, name=name,
                    time=_unix(str(node.get("taken_at", ""))),
                    extra={"media_id": str(node.get("pk") or node.get("id") or "")})
    if isinstance(node.get("text"), str) and ("created_at" in node or "created_at_utc" in node):
        comment_id = str(node.get("pk") or node.get("id") or "")
        code = instagram_shortcode(node.get("media_id")) if node.get("media_id") else None
        post_url = f"https://www.instagram.com/p/{code}/" if code else None
        return Post(
            kind=ItemKind.COMMENT, text=node["text"] or None,
            url=f"{post_url}c/{comment_id}/" if post_url and comment_id.isdigit() else None,
            handle=handle, name=name, parent_url=post_url,
            time=_unix(str(node.get("created_at_utc") or node.get("created_at") or "")),
            extra={"comment_id": comment_id, "reply_to": str(node.get("parent_comment_id") or "")
                   or None},
        )
    return None


def _facebook_node(node: dict[str, Any]) -> Post | None:
    body, author = node.get("body"), node.get("author")
    if node.get("__typename") != "Comment" or not isinstance(body, dict):
        return None
    if not isinstance(author, dict):
        author = {}
    text = body.get("text")
    url = node.get("url")
    handle = author.get("id") or author.get("url")
    return Post(
        kind=ItemKind.COMMENT, text=str(text) if text else None,
        url=str(url) if isinstance(url, str) and url.startswith("http") else None,
        handle=str(handle) if handle else None,
        name=str(author["name"]) if author.get("name") else None,
        time=_unix(str(node.get("created_time", ""))),
        extra={"comment_id": str(node.get("legacy_fbid") or node.get("id") or "")},
    )


EXTRACTORS: dict[str, Callable[[Node, str], list[Post]]] = {
    "telegram": telegram_posts,
    "facebook": facebook_posts,
    "instagram": instagram_posts,
    "vk": vk_posts,
}


# --- Reading records -----------------------------------------------------------------------


class _Slicer:
    """Hashes byte ranges of a stream read strictly forward (a second handle on the same bytes).

    It gives each record's exact bytes a SHA-256 without holding them in memory, for plain
    files and WACZ members alike, and the digest of the whole stream at the end.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.position = 0
        self.whole = hashlib.sha256()
        self.broken = False

    def _read(self, size: int) -> bytes:
        if self.broken:
            return b""
        try:
            data = self.stream.read(min(size, CHUNK))
        except Exception:  # a damaged zip member fails its CRC check at the end
            self.broken = True
            return b""
        self.position += len(data)
        self.whole.update(data)
        return data

    def digest(self, offset: int, length: int) -> str | None:
        while self.position < offset:
            if not self._read(offset - self.position):
                return None
        if self.position != offset:
            return None
        part = hashlib.sha256()
        left = length
        while left > 0:
            data = self._read(left)
            if not data:
                return None
            part.update(data)
            left -= len(data)
        return part.hexdigest()

    def finish(self) -> str:
        """The whole stream's SHA-256, or "" if it could not be read to its end."""
        while self._read(CHUNK):
            pass
        return "" if self.broken else self.whole.hexdigest()


@dataclass
class _Stream:
    """One WARC byte stream: a file, or a member of a WACZ; `name` prefixes record names."""

    name: str
    open: Callable[[], IO[bytes]]


def _safe_name(url: str | None, content_type: str) -> str:
    tail = urlsplit(url or "").path.rsplit("/", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", tail)[-80:].lstrip(".") or "payload"
    if "." not in name:
        subtype = content_type.split("/")[-1].split(";")[0].strip()
        name += "." + (re.sub(r"[^a-z0-9]", "", subtype.lower())[:8] or "bin")
    return name


def _charset(content_type: str, head: bytes) -> str:
    match = re.search(r"charset=[\"']?([\w-]+)", content_type, re.I) or re.search(
        rb"<meta[^>]+charset=[\"']?([\w-]+)", head[:4096], re.I)
    if match:
        value = match.group(1)
        name = value.decode("ascii", "replace") if isinstance(value, bytes) else value
        try:
            "".encode(name)
        except LookupError:
            return "utf-8"
        return name
    return "utf-8"


@dataclass
class _WaczMetadata:
    """What a WACZ says about itself: SHA-256 of each member, titles of its pages."""

    hashes: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class WarcImporter:
    """WARC and WARC.gz files, and WACZ packages (a zip with `archive/*.warc[.gz]`)."""

    name = "warc"
    version = "1"

    def __init__(self, limits: ArchiveLimits | None = None) -> None:
        self.limits = limits or ArchiveLimits()

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.startswith(b"WARC/"):
            return True
        if head[:2] == b"\x1f\x8b":
            return _gunzip_head(head).startswith(b"WARC/")
        if head[:4] == b"PK\x03\x04":
            return _wacz_members(path) is not None
        return False

    def estimate(self, path: Path) -> int | None:
        return None

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        with tempfile.TemporaryDirectory(prefix="haven-warc-") as scratch:
            with path.open("rb") as handle:
                head = handle.read(4)
            if head == b"PK\x03\x04":
                yield from self._read_wacz(path, source, platform, Path(scratch))
            else:
                stream = _Stream("", lambda: path.open("rb"))
                yield from self._read_stream(path, stream, source, platform, Path(scratch), {})

    def _read_wacz(self, path: Path, source: SourceRef, platform: str | None,
                   scratch: Path) -> Iterator[Item | Problem]:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError) as exc:
            yield Problem(path, "", f"not a readable WACZ ({exc})")
            return
        with zf:
            if len(zf.infolist()) > self.limits.max_members:
                yield Problem(path, "", f"more than {self.limits.max_members} members; refused")
                return
            metadata = self._wacz_metadata(path, zf)
            yield from metadata.problems
            total = 0
            for info in zf.infolist():
                if not (info.filename.startswith("archive/")
                        and info.filename.endswith((".warc", ".warc.gz"))):
                    continue
                try:
                    check_zip_member(path, info, self.limits)
                except ArchiveError as exc:
                    yield Problem(path, info.filename, exc.reason)
                    continue
                total += info.file_size
                if total > self.limits.max_total_bytes:
                    yield Problem(path, info.filename,
                                  f"more than {self.limits.max_total_bytes} bytes; rest skipped")
                    return
                stream = _Stream(info.filename, _member_opener(zf, info))
                whole = yield from self._read_stream(path, stream, source, platform, scratch,
                                                     metadata.titles)
                expected = metadata.hashes.get(info.filename)
                if not whole:
                    yield Problem(path, info.filename, "cannot be read to its end (damaged zip)")
                elif expected and expected != whole:
                    yield Problem(path, info.filename,
                                  "bytes do not match the sha256 in datapackage.json")

    def _wacz_metadata(self, path: Path, zf: zipfile.ZipFile) -> _WaczMetadata:
        """Member digests from datapackage.json and page titles from pages/pages.jsonl."""
        metadata = _WaczMetadata()
        for member in ("datapackage.json", "pages/pages.jsonl"):
            try:
                info = zf.getinfo(member)
                check_zip_member(path, info, self.limits)
                if info.file_size > WACZ_JSON_LIMIT:
                    raise ArchiveError(path, member, "too large for its kind")
                raw = zf.read(info).decode("utf-8")
            except KeyError:
                continue
            except (ArchiveError, UnicodeDecodeError, zipfile.BadZipFile, OSError, EOFError,
                    NotImplementedError, ValueError, zlib.error) as exc:
                reason = exc.reason if isinstance(exc, ArchiveError) else "unreadable"
                metadata.problems.append(Problem(path, member, reason))
                continue
            if member == "datapackage.json":
                try:
                    package = json.loads(raw)
                except ValueError:
                    metadata.problems.append(Problem(path, member, "not valid JSON"))
                    continue
                resources = package.get("resources") if isinstance(package, dict) else None
                for resource in resources if isinstance(resources, list) else []:
                    if isinstance(resource, dict) and str(resource.get("hash", "")).startswith(
                            "sha256:"):
                        metadata.hashes[str(resource.get("path"))] = str(resource["hash"])[7:]
            else:
                for line in raw.splitlines():
                    try:
                        page = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(page, dict) and page.get("url") and page.get("title"):
                        metadata.titles[str(page["url"])] = str(page["title"])
        return metadata

    def _read_stream(
        self,
        path: Path,
        stream: _Stream,
        source: SourceRef,
        platform: str | None,
        scratch: Path,
        titles: dict[str, str],
    ) -> Generator[Item | Problem, None, str]:
        """Every record of one WARC stream; a broken record is named and skipped over.

        Returns the SHA-256 of the whole stream (for checking a WACZ member's declared hash).
        """
        prefix = f"{stream.name}:" if stream.name else ""
        try:
            handle = stream.open()
            second = stream.open()
            compressed = handle.read(2) == b"\x1f\x8b"
            handle.seek(0)
        except Exception as exc:  # zipfile and gzip raise many kinds on damaged input
            yield Problem(path, stream.name, f"cannot be opened ({type(exc).__name__})")
            return ""
        with handle, second:
            slicer = _Slicer(second)
            for _ in range(MAX_RESYNCS):
                failed_at = yield from self._records(path, handle, prefix, source, platform,
                                                     scratch, slicer, titles)
                if failed_at is None:
                    break
                try:
                    start = _next_record_start(handle, failed_at + 1, compressed)
                    if start < 0:
                        break
                    handle.seek(start)
                except Exception as exc:
                    yield Problem(path, f"{prefix}record@{failed_at}",
                                  f"the rest cannot be read ({type(exc).__name__})")
                    break
            return slicer.finish()

    def _records(
        self,
        path: Path,
        handle: IO[bytes],
        prefix: str,
        source: SourceRef,
        platform: str | None,
        scratch: Path,
        slicer: _Slicer,
        titles: dict[str, str],
    ) -> Generator[Item | Problem, None, int | None]:
        """Records from the handle's position on; returns the offset of a broken one, if any."""
        iterator = _QuietIterator(handle, check_digests=True)
        previous: Path | None = None
        offset = handle.tell()
        finished = False  # the record at `offset` was read to its end without trouble
        try:
            for record in iterator:
                offset = iterator.offset
                finished = False
                if previous is not None:
                    previous.unlink(missing_ok=True)
                    previous = None
                errors = iterator.err_count
                outcome = self._record(path, iterator, record, prefix, source, platform,
                                       scratch, slicer, titles)
                iterator.read_to_end()
                finished = True
                if iterator.err_count > errors:
                    outcome.append(Problem(path, f"{prefix}record@{offset}",
                                           "record length does not match its Content-Length"))
                for result in outcome:
                    if isinstance(result, Item):
                        previous = next((m.path for m in result.media), None) or previous
                    yield result
        except Exception as exc:  # warcio raises many kinds on damaged input
            if not finished:
                yield Problem(path, f"{prefix}record@{offset}",
                              f"damaged record ({type(exc).__name__}); reading resumes at the "
                              "next record")
            # Else the damage lies in the next record: the search from here finds and names it.
            return offset
        finally:
            if previous is not None:
                previous.unlink(missing_ok=True)
        # warcio ends quietly where a record's header is cut off: name what was left unread.
        tail = iterator.offset
        try:
            end = handle.seek(0, 2)
            handle.seek(min(tail, end))
            left = handle.read(4096).strip()
        except Exception as exc:
            left = type(exc).__name__.encode()
        if left:
            yield Problem(path, f"{prefix}record@{tail}",
                          "record is cut short (truncated file?); skipped")
        return None

    def _record(
        self,
        path: Path,
        iterator: ArchiveIterator,
        record: Any,
        prefix: str,
        source: SourceRef,
        platform: str | None,
        scratch: Path,
        slicer: _Slicer,
        titles: dict[str, str],
    ) -> list[Item | Problem]:
        offset: int = iterator.offset
        where = f"{prefix}record@{offset}"
        if record.rec_type not in ("response", "resource"):
            return []
        if record.rec_type == "response" and not record.http_headers:
            return []
        url = record.rec_headers.get_header("WARC-Target-URI")
        if record.http_headers:
            content_type = record.http_headers.get_header("Content-Type") or ""
            status = record.http_headers.get_statuscode()
        else:
            content_type = record.rec_headers.get_header("Content-Type") or ""
            status = None
        content = record.content_stream()
        head = content.read(8192)
        is_html = "html" in content_type.lower() or head.lstrip()[:15].lower().startswith(
            (b"<!doctype html", b"<html"))
        kind_of_media = media_type(head)
        body = b""
        payload: Path | None = None
        host_platform = platform_of(url) or platform or "web"
        is_api = host_platform in ("instagram", "facebook") and (
            "json" in content_type.lower() or "javascript" in content_type.lower()
            or head.lstrip()[:1] in (b"{", b"[") or head.startswith(JSON_GUARD))
        if (is_html or is_api) and kind_of_media is None:
            body = head + content.read(MAX_HTML_BYTES)
        elif kind_of_media or content_type.lower().startswith(("image/", "video/")):
            payload = scratch / f"{offset}-{_safe_name(url, content_type)}"
            with payload.open("xb") as out:
                out.write(head)
                while chunk := content.read(CHUNK):
                    out.write(chunk)
        else:
            return []
        length = iterator.get_record_length()
        if getattr(record.raw_stream, "limit", 0) > 0:
            if payload:
                payload.unlink(missing_ok=True)
            return [Problem(path, where, "record is cut short (truncated file?); skipped")]
        results: list[Item | Problem] = []
        checker = record.digest_checker
        if checker is not None and checker.passed is False:
            results.append(Problem(path, where, "record bytes do not match its WARC digest; "
                                                "kept, marked unverified"))
        located = SourceRef(source.path, source.sha256, where)
        warc = {
            "record_id": record.rec_headers.get_header("WARC-Record-ID"),
            "member": prefix.rstrip(":") or None,
            "offset": offset,
            "length": length,
            "payload_digest": record.rec_headers.get_header("WARC-Payload-Digest"),
            "record_sha256": slicer.digest(offset, length),
            "digest_verified": checker.passed if checker is not None else None,
            "date": record.rec_headers.get_header("WARC-Date"),
            "content_type": content_type or None,
            "http_status": int(status) if status and str(status).isdigit() else None,
        }
        time = _utc(record.rec_headers.get_header("WARC-Date"))
        if payload is not None:
            results.append(Item(
                kind=ItemKind.MEDIA, platform=host_platform, source=located, url=url, time=time,
                media=(MediaRef(path=payload, role="capture"),),
                extra={"warc": warc, "media_type": kind_of_media or content_type.split(";")[0],
                       "file_name": payload.name.split("-", 1)[1]},
            ))
            return results
        if is_api and not is_html:
            # No page item carries this record's evidence here, so each post carries it.
            posts = api_posts(host_platform, json_documents(body))
            for post in posts:
                post.extra["warc"] = warc
            results.extend(_post_items(posts, host_platform, located, url, time))
            return results
        results.extend(self._page(body, content_type, url, time, host_platform, located, warc,
                                  titles))
        return results

    def _page(
        self,
        body: bytes,
        content_type: str,
        url: str | None,
        time: str | None,
        platform: str,
        located: SourceRef,
        warc: dict[str, Any],
        titles: dict[str, str],
    ) -> list[Item | Problem]:
        text = body.decode(_charset(content_type, body), errors="replace")
        root = parse_html(text)
        title_node = root.find(lambda n: n.tag == "title")
        extra: dict[str, Any] = {"warc": warc}
        title = title_node.text() if title_node else None
        if title or (url and url in titles):
            extra["title"] = title or titles[url or ""]
        posts: list[Post] = []
        extractor = EXTRACTORS.get(platform)
        status = warc.get("http_status")
        problems: list[Item | Problem] = []
        if extractor and url and (status is None or 200 <= status < 300):
            try:
                posts = extractor(root, url)
                if platform in ("instagram", "facebook"):
                    posts += _embedded_api_posts(root, platform, {p.url for p in posts})
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                problems.append(Problem(located.path, located.record,
                                        f"{platform} page structure not understood "
                                        f"({type(exc).__name__}); page kept without its posts"))
        page = Item(
            kind=ItemKind.PAGE_CAPTURE, platform=platform, source=located, url=url, time=time,
            text=None if posts else (root.text() or None), extra=extra,
        )
        return [*problems, page, *_post_items(posts, platform, located, url, time)]


def _embedded_api_posts(root: Node, platform: str, known: set[str | None]) -> list[Post]:
    """Posts in the JSON that Instagram and Facebook embed in their pages for the web app."""
    documents = []
    for script in root.find_all(lambda n: n.tag == "script"
                                and n.attrs.get("type") == "application/json"):
        raw = "".join(c for c in script.children if isinstance(c, str))
        documents.extend(json_documents(raw.encode()))
    return [post for post in api_posts(platform, documents)
            if post.url is None or post.url not in known]


def _post_items(posts: list[Post], platform: str, located: SourceRef, url: str | None,
                time: str | None) -> list[Item | Problem]:
    """Items for the posts found in one record, each named `record@OFFSET/N`."""
    items: list[Item | Problem] = []
    for number, post in enumerate(posts, start=1):
        author = Author(platform, post.handle, post.name) if post.handle else None
        items.append(Item(
            kind=post.kind, platform=platform,
            source=SourceRef(located.path, located.sha256, f"{located.record}/{number}"),
            url=post.url, author=author, time=post.time, text=post.text,
            parent_url=post.parent_url,
            extra={**post.extra, "captured_in": url, "captured_at": time},
        ))
    return items


def _member_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: zf.open(info)


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 64)
    except zlib.error:
        return b""


def _wacz_members(path: Path) -> list[str] | None:
    """The WARC members of a WACZ (a zip with datapackage.json and archive/*.warc[.gz])."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError):
        return None
    warcs = [n for n in names if n.startswith("archive/") and n.endswith((".warc", ".warc.gz"))]
    if "datapackage.json" in names and warcs:
        return warcs
    return None


def _next_record_start(handle: IO[bytes], after: int, compressed: bool) -> int:
    """Where the next record may begin after damage: a gzip member, or a `WARC/` line."""
    handle.seek(after)
    marker, skip = (b"\x1f\x8b\x08", 0) if compressed else (b"\nWARC/1.", 1)
    carry = b""
    position = after
    while True:
        chunk = handle.read(CHUNK)
        if not chunk:
            return -1
        window = carry + chunk
        hit = window.find(marker)
        if hit >= 0:
            return position - len(carry) + hit + skip
        carry = window[-(len(marker) - 1):]
        position += len(chunk)
