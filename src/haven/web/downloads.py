"""Reports made from the browser: notices, the evidence report and the evidence bundle.

Each is written by the `haven.reports` writer (which logs in the ledger that it was made) into a
temporary folder outside the vault, read into memory for download, and the folder is removed at
once. Downloads live only in the server's memory and are forgotten when the case locks.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from haven.reports.bundle import default_selection, write_bundle
from haven.reports.evidence import write_evidence_report
from haven.reports.export import write_export
from haven.reports.hashes import write_hash_list
from haven.reports.notices import write_notices
from haven.vault import Vault

KEEP = 12  # downloads kept at once; older ones are dropped


@dataclass(frozen=True)
class Download:
    id: str
    kind: str  # notices, evidence, bundle
    name: str
    media_type: str
    data: bytes

    @property
    def size_kib(self) -> int:
        return max(1, len(self.data) // 1024)


@dataclass
class NoticePreview:
    platform: str
    text: str


@dataclass
class Made:
    downloads: list[Download] = field(default_factory=list)
    previews: list[NoticePreview] = field(default_factory=list)


def _new(kind: str, name: str, media_type: str, data: bytes) -> Download:
    return Download(secrets.token_urlsafe(12), kind, name, media_type, data)


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


def make_notices(vault: Vault) -> Made:
    """One notice per platform (text and JSON), plus the texts to show on the page."""
    made = Made()
    with tempfile.TemporaryDirectory(prefix="haven-report-") as tmp:
        result = write_notices(vault, Path(tmp) / "notices")
        for path in sorted(result.directory.iterdir()):
            data = path.read_bytes()
            media = "text/plain; charset=utf-8" if path.suffix == ".txt" else "application/json"
            made.downloads.append(_new("notices", f"notice-{path.name}", media, data))
            if path.suffix == ".txt":
                made.previews.append(NoticePreview(path.stem, data.decode("utf-8")))
    return made


def make_evidence(vault: Vault, lang: str, file_format: str) -> Made:
    with tempfile.TemporaryDirectory(prefix="haven-report-") as tmp:
        out = Path(tmp) / f"evidence-{lang}.{file_format}"
        write_evidence_report(vault, out, lang, file_format)
        media = "application/pdf" if file_format == "pdf" else "text/html; charset=utf-8"
        return Made([_new("evidence", out.name, media, out.read_bytes())])


def make_bundle(vault: Vault) -> Made:
    """The evidence bundle of confirmed and high-severity items, as one zip file."""
    with tempfile.TemporaryDirectory(prefix="haven-report-") as tmp:
        summary = write_bundle(vault, Path(tmp) / "evidence-bundle", default_selection(vault))
        return Made([_new("bundle", "evidence-bundle.zip", "application/zip",
                          _zip(summary.directory))])


def make_hashes(vault: Vault, file_format: str) -> Made:
    """The protected media's hash list (hashes only) in a format sharing tools read."""
    suffix = {"threatexchange": "txt", "hma": "jsonl"}.get(file_format, file_format)
    with tempfile.TemporaryDirectory(prefix="haven-report-") as tmp:
        out = write_hash_list(vault, Path(tmp) / f"protected-hashes.{suffix}", file_format)
        return Made([_new("hashes", out.name, "text/plain; charset=utf-8", out.read_bytes())])


def make_export(vault: Vault, file_format: str) -> Made:
    """Every item with its findings, as CSV or JSON Lines."""
    with tempfile.TemporaryDirectory(prefix="haven-report-") as tmp:
        out = write_export(vault, Path(tmp) / f"haven-export.{file_format}", file_format)
        media = "text/csv; charset=utf-8" if file_format == "csv" else "application/x-ndjson"
        return Made([_new("export", out.name, media, out.read_bytes())])
