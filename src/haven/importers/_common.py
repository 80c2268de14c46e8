"""What the platform and chat export importers share: reading heads, times, JSON and media paths.

Nothing here writes anywhere or logs anything: these are pure helpers for importers, which only
yield items. Error messages name keys and positions, never the text of a message.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from haven.model import SourceRef


class ExportError(ValueError):
    """A record (or a whole file) that cannot be read; the message says why, without its text."""


def head_text(head: bytes) -> str | None:
    """The file's first bytes as text (a character cut at the end is dropped); None if binary."""
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="ignore")
    return text.lstrip("\ufeff \t\r\n")


def has_key(text: str, *keys: str) -> bool:
    """True if any of `keys` appears as a JSON object key in `text`."""
    return any(re.search(r'"' + re.escape(key) + r'"\s*:', text) for key in keys)


def located(source: SourceRef, record: str) -> SourceRef:
    return SourceRef(source.path, source.sha256, record)


def utc_from_epoch(seconds: float) -> str:
    """Seconds since 1970 as an ISO 8601 UTC string with a `Z`."""
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ExportError(f"timestamp {seconds!r} is out of range") from None
    return moment.isoformat().replace("+00:00", "Z")


def utc_from_iso(value: str) -> str:
    """An ISO 8601 time with an offset, as UTC with a `Z` (naive times are kept as given)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ExportError(f"time {value[:40]!r} is not ISO 8601") from None
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def load_json_text(text: str, what: str) -> Any:
    """Parse JSON, turning a syntax error into an `ExportError` that says where it broke."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{what} is not valid JSON (broken or truncated at line {exc.lineno}, "
            f"column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise ExportError(f"{what} is nested too deeply to read") from None


def read_text(path: Path) -> str:
    """The whole file as UTF-8 text (a byte-order mark is dropped)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"not valid UTF-8 (at byte {exc.start})") from None


def relative_parts(name: str) -> tuple[str, ...]:
    """The parts of a relative media path from an export; refused if it could leave its folder."""
    if "\x00" in name:
        raise ExportError(f"media path {name[:120]!r} contains a NUL character")
    cleaned = name.strip().replace("\\", "/")
    pure = PurePosixPath(cleaned)
    if not cleaned or pure.is_absolute() or re.match(r"^[A-Za-z]:", cleaned):
        raise ExportError(f"media path {name[:120]!r} is not a relative path inside the export")
    if ".." in pure.parts:
        raise ExportError(f"media path {name[:120]!r} points outside the export")
    return tuple(part for part in pure.parts if part not in ("", "."))


def inside(root: Path, name: str) -> Path | None:
    """`name` under `root` if it is a file there (links leaving `root` are refused), else None."""
    parts = relative_parts(name)
    if not parts:
        return None
    base = root.resolve()
    candidate = base.joinpath(*parts).resolve()
    if not candidate.is_relative_to(base):
        raise ExportError(f"media path {name[:120]!r} points outside the export")
    return candidate if candidate.is_file() else None


def is_remote(name: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", name.strip(), re.IGNORECASE))


def as_list(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty one: exports are not trusted to have the types."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
