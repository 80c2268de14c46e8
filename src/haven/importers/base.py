"""What an importer is: a reader that turns one source format into items.

An importer never writes to the vault. It recognises its format from the file's first bytes,
estimates how many records a file holds (for the progress bar), and yields `Item`s and
`Problem`s. The core (`haven.ingest`) stores, de-duplicates and logs what it yields, so every
importer gets idempotency, progress and evidence logging without writing any of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from haven.model import Item, Problem, SourceRef

SNIFF_BYTES = 8192


class Importer(Protocol):
    """One source format. Implementations are small modules registered in `haven.importers`."""

    name: str
    version: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """True if the file (whose first bytes are `head`) is in this importer's format."""
        ...

    def estimate(self, path: Path) -> int | None:
        """Roughly how many records the file holds, or None if unknown."""
        ...

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        """Yield the items in the file; `platform` is a default for records that lack one."""
        ...
