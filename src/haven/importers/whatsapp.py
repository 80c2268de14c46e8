"""WhatsApp chat exports ("Export chat" → `.txt`, with or without the media files beside it).

Android writes `31.12.23, 21:41 - Name: text` or `12/31/23, 9:41 PM - Name: text`; iOS writes
`[31.12.2023, 21:41:05] Name: text`, often behind invisible U+200E marks; other locales order
the date differently or start with the year. The day/month order is inferred per file from the
values (a first field above 12 means day-first, a second field above 12 means month-first) and
the assumption is recorded in each item's `extra`. Times are the phone's local time, with no
zone, and are stored as such.

Lines without a date continue the previous message. Lines with a date but no sender are system
lines (the encryption notice, joins, subject changes): kept as text-less messages that describe
the event. Attachments ("IMG-….jpg (file attached)", "<attached: …>") are taken from the chat's
folder and may not leave it; "<Media omitted>" is noted. Messages have no URLs, so each is
identified by its line. This importer only yields items; it never writes to the vault.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from haven.importers._common import ExportError, head_text, inside, located
from haven.model import Author, Item, ItemKind, MediaRef, Problem, SourceRef

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
NO_MARKS = dict.fromkeys(map(ord, MARKS))
_DATE = r"(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})\.?"
_TIME = (r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
         r"(?:[\s\u202f\u00a0]?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?")
ANDROID = re.compile(rf"^{_DATE},?\s{_TIME} [-–] (?P<rest>.*)$")
IOS = re.compile(rf"^\[{_DATE},?\s{_TIME}\] (?P<rest>.*)$")
OMITTED = re.compile(
    r"^(<(media omitted|medien ausgeschlossen|медиа отсутствуют|medya dahil edilmedi|"
    r"multimedia omitido|médias omis|media weggelaten|без медиафайлов)>|"
    r"(image|video|audio|sticker|gif|document|contact card) omitted)$",
    re.IGNORECASE,
)
ANDROID_FILE = re.compile(r"^(?P<name>[^/\\<>:]+?\.[A-Za-z0-9]{1,6}) \((?P<note>[^()]{3,40})\)$")
IOS_FILE = re.compile(r"^<[^:<>]{2,30}:\s*(?P<name>[^/\\<>:]+?\.[A-Za-z0-9]{1,6})>$")
DELETED = {"this message was deleted", "you deleted this message", "это сообщение удалено",
           "вы удалили это сообщение", "bu mesaj silindi", "bu mesajı sildiniz",
           "diese nachricht wurde gelöscht", "du hast diese nachricht gelöscht"}
WA_NAME = re.compile(r"^(IMG|VID|AUD|PTT|DOC|STK)-\d{8}-WA\d+|^\d{8}-(PHOTO|VIDEO|AUDIO|STICKER)-",
                     re.IGNORECASE)


def _unmark(text: str) -> str:
    return text.strip(MARKS + " ")


def _header(line: str) -> re.Match[str] | None:
    cleaned = line.lstrip(MARKS)
    return IOS.match(cleaned) or ANDROID.match(cleaned)


@dataclass
class DateOrder:
    """How this file writes dates: year-, day- or month-first, and why Haven thinks so."""

    order: str
    basis: str

    @classmethod
    def infer(cls, headers: list[re.Match[str]]) -> DateOrder:
        if headers and all(len(h["a"]) == 4 for h in headers):
            return cls("year-first", "the year is written first")
        if any(int(h["a"]) > 12 for h in headers if len(h["a"]) <= 2):
            return cls("day-first", "a first date field above 12 was seen")
        if any(int(h["b"]) > 12 for h in headers):
            return cls("month-first", "a second date field above 12 was seen")
        if any(h["ampm"] for h in headers):
            return cls("month-first", "assumed: no field above 12, and a 12-hour clock is used")
        return cls("day-first", "assumed: no field above 12, and a 24-hour clock is used")

    def moment(self, header: re.Match[str]) -> str:
        a, b, c = int(header["a"]), int(header["b"]), int(header["c"])
        if len(header["a"]) == 4:
            year, month, day = a, b, c
        elif self.order == "month-first":
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
        if year < 100:
            year += 2000
        hour, minute = int(header["h"]), int(header["m"])
        second = int(header["s"]) if header["s"] else 0
        if header["ampm"]:
            evening = header["ampm"].lower().startswith("p")
            if hour > 12 or hour == 0:
                raise ExportError(f"hour {hour} with a 12-hour clock")
            hour = hour % 12 + (12 if evening else 0)
        try:
            return datetime(year, month, day, hour, minute, second).isoformat()
        except ValueError:
            raise ExportError(
                f"date {header['a']}{header['sep']}{header['b']}{header['sep']}{header['c']} "
                f"is not a valid date read {self.order}"
            ) from None


@dataclass
class _Message:
    line: int
    header: re.Match[str]
    lines: list[str] = field(default_factory=list)


def _lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, decoded cleanly) for each line, splitting only on newlines."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            body = raw.rstrip(b"\r\n")
            try:
                yield number, body.decode("utf-8-sig" if number == 1 else "utf-8"), True
            except UnicodeDecodeError:
                yield number, body.decode("utf-8", errors="replace"), False


class WhatsAppChatImporter:
    """A WhatsApp chat exported as text, from Android or iOS, in any of the common locales."""

    name = "whatsapp-chat"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head_text(head)
        if not text:
            return False
        lines = [line for line in text.split("\n")[:-1] if _unmark(line)] or [text]
        return _header(lines[0].rstrip("\r")) is not None

    def estimate(self, path: Path) -> int | None:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        messages: list[_Message] = []
        for number, line, clean in _lines(path):
            if not clean:
                yield Problem(path, f"line {number}", "not valid UTF-8; unreadable bytes replaced")
            header = _header(line)
            if header:
                messages.append(_Message(number, header))
            elif messages:
                messages[-1].lines.append(line)
            elif _unmark(line):
                yield Problem(path, f"line {number}", "text before the first dated line skipped")
        order = DateOrder.infer([m.header for m in messages])
        chat = _Chat(path, source, platform or "whatsapp", order)
        for message in messages:
            try:
                yield from chat.item(message)
            except ExportError as exc:
                yield Problem(path, f"line {message.line}", str(exc))


class _Chat:
    def __init__(self, path: Path, source: SourceRef, platform: str, order: DateOrder) -> None:
        self.path = path
        self.source = source
        self.platform = platform
        self.order = order

    def item(self, message: _Message) -> Iterator[Item | Problem]:
        record = f"line {message.line}"
        time = self.order.moment(message.header)
        extra: dict[str, object] = {
            "date_order": self.order.order,
            "date_order_basis": self.order.basis,
            "time_zone": "local time of the phone that exported the chat",
            "chat_file": self.path.name,
        }
        rest = message.header["rest"]
        sender, colon, body = rest.partition(": ")
        if not colon and rest.endswith(":"):
            sender, colon, body = rest[:-1], ":", ""
        first = body if colon else rest
        system = not colon or (first.startswith("\u200e") and not self._is_media(first)
                               and _unmark(first).rstrip(".").casefold() not in DELETED)
        if system:
            extra["system"] = _unmark("\n".join([rest, *message.lines]).translate(NO_MARKS))
            yield Item(kind=ItemKind.MESSAGE, platform=self.platform,
                       source=located(self.source, record), time=time, extra=extra)
            return
        lines = [body, *message.lines]
        media: list[MediaRef] = []
        head = _unmark(lines[0])
        if OMITTED.match(head):
            extra["media_omitted"] = True
            lines = lines[1:]
        else:
            name = self._attachment(head)
            if name is not None:
                lines = lines[1:]
                try:
                    found = inside(self.path.parent, name)
                except ExportError as exc:
                    yield Problem(self.path, record, str(exc))
                    found = None
                    extra["refused_media"] = name
                else:
                    if found is None:
                        extra["missing_media"] = [name]
                        yield Problem(self.path, record, f"media file {name[:160]!r} not found "
                                                         "beside the chat; item kept without it")
                if found is not None:
                    media.append(MediaRef(path=found))
        text = "\n".join(lines).strip(MARKS + "\n") or None
        if text is not None and text.rstrip(".").casefold() in DELETED:
            extra["deleted"] = True
        handle = _unmark(sender)
        author = Author(self.platform, handle, handle) if handle else None
        yield Item(kind=ItemKind.MESSAGE, platform=self.platform,
                   source=located(self.source, record), author=author, time=time, text=text,
                   media=tuple(media), extra=extra)

    def _is_media(self, text: str) -> bool:
        head = _unmark(text.split("\n", 1)[0])
        return bool(OMITTED.match(head)) or self._attachment(head) is not None

    def _attachment(self, text: str) -> str | None:
        """The file name an attachment line names, or None if the line is not one."""
        match = IOS_FILE.match(text)
        if match:
            return match["name"].strip()
        match = ANDROID_FILE.match(text)
        if match:
            name = match["name"].strip()
            if WA_NAME.match(name) or (self.path.parent / name).is_file():
                return name
        return None
