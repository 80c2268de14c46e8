"""Media files (photos, videos) as items: one media item per file, recognised by magic bytes.

The file itself is the evidence; the item only says what it is. Matching against protected
media happens later, in the media analyser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from haven.model import Item, ItemKind, MediaRef, Problem, SourceRef


def media_type(head: bytes) -> str | None:
    """The MIME type of a photo or video judged by its first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head[:2] == b"BM" and len(head) > 26:
        return "image/bmp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
            return "image/heic" if brand != b"avif" else "image/avif"
        if brand == b"qt  ":
            return "video/quicktime"
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head[:4] == b"OggS":
        return "video/ogg"
    return None


class MediaFileImporter:
    """A single photo or video file, as found in a folder of collected media."""

    name = "media-file"
    version = "1"

    def sniff(self, path: Path, head: bytes) -> bool:
        return media_type(head) is not None

    def estimate(self, path: Path) -> int | None:
        return 1

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        with path.open("rb") as handle:
            kind = media_type(handle.read(64)) or "application/octet-stream"
        yield Item(
            kind=ItemKind.MEDIA,
            platform=platform or "unknown",
            source=source,
            media=(MediaRef(path=path, role="file"),),
            extra={"file_name": path.name, "media_type": kind},
        )
