"""Generic posts and comments as CSV or JSON Lines: the documented fallback for any platform.

Columns (CSV) or keys (JSONL): `platform`, `url`, `author`, `time` (ISO 8601), `text`,
`parent_url`, and optionally `kind` (post, comment, message), `author_name` and `media` (a path
relative to the file, or a list of them in JSONL). Other columns are kept in the item's `extra`.
A row that cannot be read becomes a `Problem` naming its line; the other rows still come through.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from haven.model import Author, Item, ItemKind, MediaRef, Problem, SourceRef

KNOWN = ("platform", "url", "author", "author_name", "time", "text", "parent_url", "kind", "media")
CORE = {"platform", "url", "author", "time", "text", "parent_url"}
TEXT_KINDS = {ItemKind.POST, ItemKind.COMMENT, ItemKind.MESSAGE, ItemKind.PROFILE}
DELIMITERS = (",", ";", "\t")


class RowError(ValueError):
    """A row that cannot become an item; the message says why, without quoting its text."""


def parse_time(value: str) -> str:
    """ISO 8601 to a canonical string: UTC with a `Z` when the offset is known, else as given."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(f"time {text[:40]!r} is not ISO 8601 (like 2024-05-01T14:30:00+04:00)")\
            from None
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _media_paths(value: Any, base: Path) -> tuple[list[MediaRef], list[str]]:
    """Media refs that exist inside the source's folder, and the names of those that do not."""
    names: list[str]
    if value is None or value == "":
        names = []
    elif isinstance(value, list):
        names = [str(v) for v in value if str(v).strip()]
    else:
        names = [part for part in str(value).split("|") if part.strip()]
    refs: list[MediaRef] = []
    missing: list[str] = []
    root = base.resolve()
    for name in names:
        candidate = (base / name.strip()).resolve()
        if not candidate.is_relative_to(root):
            raise RowError(f"media path {name!r} points outside the folder of the file")
        if candidate.is_file():
            refs.append(MediaRef(path=candidate))
        else:
            missing.append(name.strip())
    return refs, missing


def row_to_item(
    fields: Mapping[str, Any], path: Path, source: SourceRef, default_platform: str | None
) -> tuple[Item, list[str]]:
    """Build an item from one row; return it with the media names that were not found."""
    values = {key.strip().lower(): value for key, value in fields.items() if key is not None}
    platform = _clean(values.get("platform")) or default_platform or "unknown"
    url = _clean(values.get("url"))
    text = values.get("text")
    text = None if text is None or str(text) == "" else str(text)
    parent_url = _clean(values.get("parent_url"))
    raw_time = _clean(values.get("time"))
    time = parse_time(raw_time) if raw_time else None
    raw_kind = _clean(values.get("kind"))
    if raw_kind:
        try:
            kind = ItemKind(raw_kind.lower())
        except ValueError:
            raise RowError(f"kind {raw_kind[:20]!r} is not one of post, comment, message")\
                from None
    else:
        kind = ItemKind.COMMENT if parent_url else ItemKind.POST
    handle = _clean(values.get("author"))
    author = Author(platform, handle, _clean(values.get("author_name"))) if handle else None
    media, missing = _media_paths(values.get("media"), path.parent)
    if text is None and url is None and not media and not missing:
        raise RowError("row has no text, url or media")
    extra = {key: value for key, value in values.items() if key not in KNOWN}
    if missing:
        extra["missing_media"] = missing
    item = Item(
        kind=kind, platform=platform, source=source, url=url, author=author, time=time,
        text=text, parent_url=parent_url, media=tuple(media), extra=extra,
    )
    return item, missing


def _rows_to_items(
    rows: Iterator[tuple[str, Mapping[str, Any] | RowError]],
    path: Path,
    source: SourceRef,
    platform: str | None,
) -> Iterator[Item | Problem]:
    for record, fields in rows:
        if isinstance(fields, RowError):
            yield Problem(path, record, str(fields))
            continue
        located = SourceRef(source.path, source.sha256, record)
        try:
            item, missing = row_to_item(fields, path, located, platform)
        except RowError as exc:
            yield Problem(path, record, str(exc))
            continue
        for name in missing:
            yield Problem(path, record, f"media file {name!r} not found; item kept without it")
        yield item


def _first_line(head: bytes) -> str | None:
    """The first non-blank line of the file's head, if it is text; None for binary data."""
    if b"\x00" in head:
        return None
    for raw in head.splitlines():
        if raw.strip():
            try:
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                return None
    return None


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _header_delimiter(first_line: str) -> str | None:
    """The delimiter under which the first line is a header naming our columns, if any."""
    for delimiter in DELIMITERS:
        fields = next(csv.reader([first_line], delimiter=delimiter), [])
        names = {name.strip().lower() for name in fields}
        if len(names & CORE) >= 2 and names & {"text", "url", "media"}:
            return delimiter
    return None


class CsvImporter:
    """Comma, semicolon or tab separated, UTF-8, with a header row."""

    name = "csv"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        line = _first_line(head)
        if not line or line.lstrip().startswith(("{", "[")):
            return False
        return _header_delimiter(line) is not None

    def estimate(self, path: Path) -> int | None:
        return max(_count_lines(path) - 1, 0)

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        return _rows_to_items(self._rows(path), path, source, platform)

    def _rows(self, path: Path) -> Iterator[tuple[str, Mapping[str, Any] | RowError]]:
        undecodable: set[int] = set()
        lines = _decoded_lines(path, undecodable)
        first = next(lines, "")
        delimiter = _header_delimiter(first) or ","
        header = next(csv.reader([first], delimiter=delimiter))
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        end = 1
        while True:
            start = end + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                end = reader.line_num + 1
                yield f"line {start}", RowError(f"malformed CSV ({exc})")
                continue
            end = reader.line_num + 1
            if not values:
                continue
            if any(start <= number <= end for number in undecodable):
                yield f"line {start}", RowError("not valid UTF-8")
            elif len(values) != len(header):
                yield f"line {start}", RowError(
                    f"expected {len(header)} fields, found {len(values)}"
                )
            else:
                yield f"line {start}", dict(zip(header, values, strict=True))


def _decoded_lines(path: Path, undecodable: set[int]) -> Iterator[str]:
    """The file's lines as text; lines that are not UTF-8 are noted so their rows are refused."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                undecodable.add(number)
                yield raw.decode("utf-8", errors="replace")


class JsonlImporter:
    """One JSON object per line."""

    name = "jsonl"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        line = _first_line(head)
        if not line:
            return False
        try:
            first = json.loads(line)
        except ValueError:
            return False
        return isinstance(first, dict) and bool(set(first) & CORE)

    def estimate(self, path: Path) -> int | None:
        return _count_lines(path)

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        return _rows_to_items(self._rows(path), path, source, platform)

    def _rows(self, path: Path) -> Iterator[tuple[str, Mapping[str, Any] | RowError]]:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    value = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError:
                    yield f"line {number}", RowError("not valid UTF-8")
                    continue
                except ValueError as exc:
                    yield f"line {number}", RowError(f"not valid JSON ({exc.args[0][:60]})")
                    continue
                if not isinstance(value, dict):
                    yield f"line {number}", RowError("not a JSON object")
                    continue
                yield f"line {number}", value
