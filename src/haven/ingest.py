"""The core of ingesting: run importers over sources and store what they yield, with evidence.

For each source file: keep an encrypted copy of its exact bytes, record it, pick the importer by
content, and store every item it yields (with its media) together with a ledger entry, in
batches so that a killed run loses at most the unfinished batch. Items have stable ids, so
running the same ingest again adds nothing and finishes what an interrupted run began.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from haven.archives import ArchiveError, extract, is_archive
from haven.importers import importer_for
from haven.importers.base import SNIFF_BYTES
from haven.model import Item, Problem, SourceRef, stable_id
from haven.tempdirs import private_dir
from haven.vault import Vault

BATCH = 500
ARCHIVE_VERSION = "1"
UNKNOWN_TYPE = ("unknown source type (not a platform or chat export, CSV, JSONL, web archive, "
                "photo or video)")


class Progress(Protocol):
    """Where long work reports how far it got (a progress bar in the CLI, nothing in tests)."""

    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, records: int) -> None: ...


class SilentProgress:
    def start(self, label: str, total: int | None) -> None:
        pass

    def advance(self, records: int) -> None:
        pass


@dataclass
class IngestReport:
    """What one ingest run did. `problems` are those met in this run."""

    new_items: int = 0
    known_items: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def expand(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Files to ingest: files as given, folders walked in name order; links are not followed."""
    for path in paths:
        if path.is_symlink():
            yield Problem(path, "", "symbolic link not followed; give the file it points to")
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_symlink():
                    yield Problem(child, "", "symbolic link not followed")
                elif child.is_file():
                    yield child
        elif path.is_file():
            yield path
        elif path.exists():
            yield Problem(path, "", "not a regular file")
        else:
            yield Problem(path, "", "no such file or folder")


def ingest(
    vault: Vault,
    paths: Iterable[Path],
    platform: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every source under `paths` into `vault`; return counts and the problems met."""
    report = IngestReport()
    sink = progress or SilentProgress()
    try:
        for entry in expand(paths):
            if isinstance(entry, Problem):
                _record_problem(vault, report, entry)
            else:
                _ingest_file(vault, entry, platform, sink, report)
    finally:
        vault.checkpoint()
    return report


def _record_problem(vault: Vault, report: IngestReport, problem: Problem) -> None:
    report.problems.append(problem)
    record_problem(vault, problem)


def record_problem(vault: Vault, problem: Problem) -> None:
    """Keep a problem in the vault (and the ledger), so that status can show it later."""
    vault.add_record(
        "problems",
        {
            "id": stable_id("pr_", str(problem.path), problem.record, problem.message),
            "path": str(problem.path),
            "record": problem.record,
            "message": problem.message,
        },
    )


def _ingest_file(
    vault: Vault, path: Path, platform: str | None, sink: Progress, report: IngestReport,
    shown: str | None = None,
) -> None:
    """Ingest one file; `shown` names it in problems and provenance (an archive member)."""
    name = Path(shown) if shown else path
    try:
        importer = importer_for(path)
        if importer is None:
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
            if is_archive(head, path):
                _ingest_archive(vault, path, platform, sink, report, name)
            else:
                _record_problem(vault, report, Problem(name, "", UNKNOWN_TYPE))
            return
        source, source_id = _store_source(vault, path, importer.name, importer.version, shown)
    except OSError as exc:
        _record_problem(vault, report, Problem(name, "", f"cannot read ({exc.strerror})"))
        return
    report.files += 1
    sink.start(name.name, importer.estimate(path))
    records = importer.read(path, source, platform)
    if shown:
        records = _renamed(records, path, shown)
    while True:
        with vault.transaction():
            done = _store_batch(vault, records, source_id, report, sink)
        if done:
            return


def _renamed(records: Iterator[Item | Problem], path: Path,
             shown: str) -> Iterator[Item | Problem]:
    """Problems about an unpacked member name the member inside its archive, not a temp path."""
    for record in records:
        if isinstance(record, Problem) and record.path == path:
            yield Problem(Path(shown), record.record, record.message)
        else:
            yield record


def _ingest_archive(vault: Vault, path: Path, platform: str | None, sink: Progress,
                    report: IngestReport, name: Path) -> None:
    """Unpack safely outside the vault, keep the archive as evidence, ingest each member."""
    with private_dir("haven-unpack-") as tmp:
        try:
            members = extract(path, tmp,
                              leave_packed=lambda inner: importer_for(inner) is not None)
        except ArchiveError as exc:
            _record_problem(vault, report, Problem(name, exc.member, f"archive refused: "
                                                                     f"{exc.reason}"))
            return
        _store_source(vault, path, "archive", ARCHIVE_VERSION, str(name) if name != path
                      else None)
        report.files += 1
        for member in sorted(members):
            relative = member.relative_to(tmp).as_posix()
            _ingest_file(vault, member, platform, sink, report, shown=f"{name}!{relative}")


def _store_source(vault: Vault, path: Path, importer: str, version: str,
                  shown: str | None = None) -> tuple[SourceRef, str]:
    sha256, size = vault.add_blob_file(path)
    source_id = stable_id("so_", sha256, importer)
    vault.add_record(
        "sources",
        {
            "id": source_id,
            "sha256": sha256,
            "path": shown or str(path.resolve()),
            "size": size,
            "importer": importer,
            "importer_version": version,
        },
    )
    return SourceRef(path=path, sha256=sha256), source_id


def _store_batch(
    vault: Vault,
    records: Iterator[Item | Problem],
    source_id: str,
    report: IngestReport,
    sink: Progress,
) -> bool:
    """Store up to BATCH records inside the caller's transaction; True when the source is done."""
    for _ in range(BATCH):
        try:
            record = next(records)
        except StopIteration:
            return True
        except OSError as exc:
            # The file became unreadable mid-way: keep what was stored, name the file.
            _record_problem(vault, report, Problem(Path(exc.filename or "?"), "",
                                                   f"read failed ({exc.strerror})"))
            return True
        if isinstance(record, Problem):
            _record_problem(vault, report, record)
        else:
            try:
                new = store_item(vault, record, source_id)
            except OSError as exc:
                where = Path(exc.filename) if exc.filename else record.source.path
                _record_problem(vault, report, Problem(where, record.source.record,
                                                       f"media file unreadable ({exc.strerror})"))
                continue
            if new:
                report.new_items += 1
            else:
                report.known_items += 1
        sink.advance(1)
    return False


def store_item(vault: Vault, item: Item, source_id: str) -> bool:
    """Store one item with its author and media; True if it was not in the vault before."""
    media = []
    digests = []
    for ref in item.media:
        sha256, size = vault.add_blob_file(ref.path)
        digests.append(sha256)
        media.append({"sha256": sha256, "size": size, "name": ref.path.name, "role": ref.role})
    item_id = item.item_id(tuple(digests))
    author_id = None
    if item.author:
        author_id = item.author.id
        vault.add_record(
            "authors",
            {
                "id": author_id,
                "platform": item.author.platform,
                "handle": item.author.handle,
                "name": item.author.name,
            },
        )
    return vault.add_record(
        "items",
        {
            "id": item_id,
            "kind": item.kind.value,
            "platform": item.platform,
            "url": item.url,
            "author_id": author_id,
            "time": item.time,
            "text": item.text,
            "parent_url": item.parent_url,
            "media": json.dumps(media, ensure_ascii=False, sort_keys=True),
            "extra": json.dumps(dict(item.extra), ensure_ascii=False, sort_keys=True),
            "source_id": source_id,
            "source_record": item.source.record,
        },
    )
