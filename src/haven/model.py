"""The one data model every stage of Haven speaks.

Importers yield `Item`s (and `Problem`s for what they could not read); the core turns them into
stored records. Analysers produce `Finding`s about stored items. Nothing in this module touches
storage: it only says what the things are and how their stable identities are derived, so that
ingesting the same source twice yields the same ids and adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class ItemKind(StrEnum):
    """What a captured thing is on its platform."""

    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"
    MEDIA = "media"
    PROFILE = "profile"
    PAGE_CAPTURE = "page_capture"


class Severity(StrEnum):
    """How urgently a finding needs a human: critical first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Sort key: 0 for critical, 3 for low."""
        return list(Severity).index(self)


def canonical_json(value: Any) -> bytes:
    """Serialise deterministically, so that digests of records are reproducible anywhere."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stable_id(prefix: str, *parts: object) -> str:
    """A short id derived only from `parts`: the same content and origin give the same id."""
    return prefix + sha256_hex(canonical_json([prefix, *parts]))[:32]


@dataclass(frozen=True)
class Author:
    """Who wrote an item, as the platform names them. One author, many items."""

    platform: str
    handle: str
    name: str | None = None

    @property
    def id(self) -> str:
        return stable_id("au_", self.platform.casefold(), self.handle)


@dataclass(frozen=True)
class SourceRef:
    """Where an item came from: the source file, its SHA-256, and the record inside it."""

    path: Path
    sha256: str
    record: str = ""


@dataclass(frozen=True)
class MediaRef:
    """A media file an item carries: importers give the path, the core stores the bytes."""

    path: Path
    role: str = "attachment"


@dataclass(frozen=True)
class Item:
    """The normalised unit of evidence: a post, comment, message, media file, profile or page."""

    kind: ItemKind
    platform: str
    source: SourceRef
    url: str | None = None
    author: Author | None = None
    time: str | None = None
    text: str | None = None
    parent_url: str | None = None
    media: tuple[MediaRef, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def origin(self) -> str:
        """Where this item lives: its URL when it has one, else its place in the source bytes."""
        if self.url:
            return self.url
        return f"{self.source.sha256}#{self.source.record}"

    def item_id(self, media_digests: tuple[str, ...] = ()) -> str:
        """Stable id from content and origin (the media's digests count as content)."""
        return stable_id(
            "it_",
            self.kind.value,
            self.platform.casefold(),
            self.origin(),
            self.author.id if self.author else None,
            self.time,
            self.text,
            self.parent_url,
            list(media_digests),
        )


@dataclass(frozen=True)
class Problem:
    """Something an importer could not read. It is reported and recorded; the rest goes on."""

    path: Path
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.record}" if self.record else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Span:
    """A stretch of an item's original text (character offsets) that a finding points at."""

    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Finding:
    """What an analyser concluded about one item. Never edited: a reviewer's decision is new."""

    item_id: str
    kind: str
    severity: Severity
    score: float
    explanation: str
    analyser: str
    analyser_version: str
    spans: tuple[Span, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return stable_id("fi_", self.item_id, self.kind, self.analyser, self.analyser_version)
