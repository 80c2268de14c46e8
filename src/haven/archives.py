"""Safe unpacking of zip and tar sources into a temporary folder outside the vault.

People receive exports and captures as archives, and archives are a classic way to attack the
tool that opens them: member names that climb out of the target (`../`, absolute paths), links
that point elsewhere, device files, and bombs that inflate a few kilobytes into terabytes. This
module refuses all of those with an `ArchiveError` naming the archive and the member, before
or while writing, and a refused archive leaves the target folder empty.

What it must never do: write anything outside the target folder, follow or create a link, or
trust a size the archive declares without counting the bytes actually written. It never touches
the vault; the caller ingests the extracted files and deletes the folder.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

CHUNK = 1 << 20
TAR_MAGIC_AT = 257


@dataclass(frozen=True)
class ArchiveLimits:
    """How much an archive may hold before it is refused as hostile or broken.

    `max_ratio` is checked per zip member (uncompressed / compressed size) and, for compressed
    tar files whose members are not compressed one by one, for the whole stream. Members smaller
    than `ratio_floor` are exempt: a short text of spaces compresses very well and is harmless.
    The limits on members and bytes are shared by nested archives and their parent.
    """

    max_members: int = 100_000
    max_total_bytes: int = 8 << 30
    max_member_bytes: int = 4 << 30
    max_ratio: float = 200.0
    ratio_floor: int = 1 << 20
    max_depth: int = 3


class ArchiveError(Exception):
    """An archive that is refused: names the archive, the member and why (never its content)."""

    def __init__(self, archive: Path, member: str, reason: str) -> None:
        self.archive = archive
        self.member = member
        self.reason = reason
        where = f"{archive}: member {member!r}" if member else str(archive)
        super().__init__(f"{where}: {reason}")


def is_archive(head: bytes, path: Path | None = None) -> bool:
    """True if `head` (a file's first bytes) starts a zip or a tar, plain or gz/bz2/xz compressed.

    A compressed stream counts only if what it holds is a tar: a lone `.warc.gz` or `.jsonl.gz`
    is not an archive. bzip2 compresses in large blocks, so its head alone rarely shows the tar
    header; give `path` to let the check read the first decompressed block from the file.
    """
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return True
    if _is_tar_header(head):
        return True
    compression = _compression(head)
    if compression is None:
        return False
    inner = _decompressed_head(head)
    if len(inner) < TAR_MAGIC_AT + 5 and path is not None:
        try:
            inner = _read_decompressed(path, compression, 512)
        except (OSError, EOFError, lzma.LZMAError, zlib.error):
            return False
    return _is_tar_header(inner)


def _is_tar_header(block: bytes) -> bool:
    return block[TAR_MAGIC_AT:TAR_MAGIC_AT + 5] == b"ustar"


def _compression(head: bytes) -> str | None:
    if head[:2] == b"\x1f\x8b":
        return "gz"
    if head[:3] == b"BZh":
        return "bz2"
    if head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    return None


def _read_decompressed(path: Path, compression: str, size: int) -> bytes:
    if compression == "gz":
        with gzip.open(path, "rb") as gz:
            return gz.read(size)
    if compression == "bz2":
        with bz2.open(path, "rb") as bz:
            return bz.read(size)
    with lzma.open(path, "rb") as xz:
        return xz.read(size)


def _decompressed_head(head: bytes) -> bytes:
    """Whatever the first bytes of a compressed stream decompress to (possibly nothing)."""
    try:
        if head[:2] == b"\x1f\x8b":
            return zlib.decompressobj(wbits=31).decompress(head, 1024)
        if head[:6] == b"\xfd7zXZ\x00":
            return lzma.LZMADecompressor().decompress(head, 1024)
        if head[:3] == b"BZh":
            return bz2.BZ2Decompressor().decompress(head)[:1024]
    except (EOFError, lzma.LZMAError, OSError, zlib.error):
        return b""
    return b""


class _Budget:
    """Members and bytes left, shared by an archive and the archives nested in it."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.members = 0
        self.bytes = 0

    def add_member(self, archive: Path, member: str) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise ArchiveError(archive, member,
                               f"more than {self.limits.max_members} members")

    def add_bytes(self, archive: Path, member: str, size: int) -> None:
        if size > self.limits.max_member_bytes:
            raise ArchiveError(archive, member,
                               f"member larger than {self.limits.max_member_bytes} bytes")
        self.bytes += size
        if self.bytes > self.limits.max_total_bytes:
            raise ArchiveError(archive, member,
                               f"more than {self.limits.max_total_bytes} bytes uncompressed")


def safe_member_path(archive: Path, name: str) -> PurePosixPath | None:
    """The relative path a member may be written to; None for the archive's root folder.

    Refuses absolute names, drive letters, `..` anywhere, and NUL characters. Backslashes are
    treated as separators, because archives made on Windows use them and a `..\\` climbs there.
    """
    if "\x00" in name:
        raise ArchiveError(archive, name, "member name contains a NUL character")
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        raise ArchiveError(archive, name, "absolute path refused")
    parts = [part for part in unified.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ArchiveError(archive, name, "path traversal ('..') refused")
    if not parts:
        return None
    return PurePosixPath(*parts)


def check_zip_member(archive: Path, info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    """Refuse a zip member that is a link, a device, encrypted, too big or compressed too well.

    For importers that read zip members in place (WACZ, platform exports) without unpacking.
    """
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        what = "symbolic link" if kind == stat.S_IFLNK else "special file (device, pipe, socket)"
        raise ArchiveError(archive, info.filename, f"{what} refused")
    if info.flag_bits & 0x1:
        raise ArchiveError(archive, info.filename, "encrypted member refused")
    if info.file_size > limits.max_member_bytes:
        raise ArchiveError(archive, info.filename,
                           f"member larger than {limits.max_member_bytes} bytes")
    if info.file_size > limits.ratio_floor:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            raise ArchiveError(archive, info.filename,
                               f"compression ratio {ratio:.0f}:1 over the limit of "
                               f"{limits.max_ratio:.0f}:1 (zip bomb?)")


def extract(
    archive: Path,
    target: Path,
    limits: ArchiveLimits | None = None,
    leave_packed: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """Unpack `archive` into the empty folder `target`; return the regular files written.

    Archives found inside are unpacked in place (into `NAME.unpacked/`, the inner archive file
    removed) up to `limits.max_depth` levels, unless `leave_packed(path)` says to keep one as it
    is (e.g. a WACZ, which is a zip that an importer reads whole). On refusal every file written
    is removed again, `target` is left empty, and `ArchiveError` is raised.
    """
    limits = limits or ArchiveLimits()
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise ArchiveError(archive, "", f"target folder {target} is not empty")
    budget = _Budget(limits)
    try:
        return _extract_into(archive, archive, target, budget, 1, leave_packed)
    except BaseException:
        _empty(target)
        raise


def _extract_into(
    archive: Path,
    shown: Path,
    target: Path,
    budget: _Budget,
    depth: int,
    leave_packed: Callable[[Path], bool] | None,
) -> list[Path]:
    if depth > budget.limits.max_depth:
        raise ArchiveError(shown, "", f"archives nested more than {budget.limits.max_depth} deep")
    with archive.open("rb") as handle:
        head = handle.read(8192)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        written = _extract_zip(archive, shown, target, budget)
    elif is_archive(head, archive):
        written = _extract_tar(archive, shown, target, budget)
    else:
        raise ArchiveError(shown, "", "not a zip or tar archive")
    files: list[Path] = []
    for path in written:
        with path.open("rb") as handle:
            inner_head = handle.read(8192)
        if not is_archive(inner_head, path) or (leave_packed and leave_packed(path)):
            files.append(path)
            continue
        nested = path.with_name(path.name + ".unpacked")
        if nested.exists():
            raise ArchiveError(shown, str(path.relative_to(target)),
                               "unpacking folder name clashes with a member")
        nested.mkdir()
        inner_shown = Path(f"{shown}!{path.relative_to(target).as_posix()}")
        files.extend(_extract_into(path, inner_shown, nested, budget, depth + 1, leave_packed))
        path.unlink()
    return files


def _extract_zip(archive: Path, shown: Path, target: Path, budget: _Budget) -> list[Path]:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError) as exc:
        raise ArchiveError(shown, "", f"not a readable zip ({exc})") from None
    with zf:
        plan: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        seen: set[str] = set()
        for info in zf.infolist():
            budget.add_member(shown, info.filename)
            relative = safe_member_path(shown, info.filename)
            check_zip_member(shown, info, budget.limits)
            if relative is None or info.is_dir():
                continue
            _claim(shown, info.filename, relative, seen)
            budget.add_bytes(shown, info.filename, info.file_size)
            plan.append((info, relative))
        written = []
        for info, relative in plan:
            try:
                with zf.open(info) as source:
                    written.append(_write_member(shown, info.filename, source, target, relative,
                                                 info.file_size))
            except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError,
                    ValueError) as exc:
                raise ArchiveError(shown, info.filename, f"cannot be read ({exc})") from None
    return written


def _tar_members(archive: Path, shown: Path) -> Iterator[tarfile.TarInfo]:
    """Each member header in order, reading the archive as a stream (no seeking back)."""
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            yield from tar
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
        raise ArchiveError(shown, "", f"not a readable tar ({exc})") from None


def _extract_tar(archive: Path, shown: Path, target: Path, budget: _Budget) -> list[Path]:
    # First pass: headers only. Nothing is written unless every member is acceptable.
    seen: set[str] = set()
    total = 0
    packed = max(archive.stat().st_size, 1)
    for info in _tar_members(archive, shown):
        budget.add_member(shown, info.name)
        relative = safe_member_path(shown, info.name)
        if info.issym() or info.islnk():
            raise ArchiveError(shown, info.name, "link refused")
        if info.isdir():
            continue
        if not info.isreg():
            raise ArchiveError(shown, info.name, "special file (device, pipe, socket) refused")
        if relative is None:
            raise ArchiveError(shown, info.name, "file without a name")
        _claim(shown, info.name, relative, seen)
        budget.add_bytes(shown, info.name, info.size)
        total += info.size
        # Checked as the total grows, so a bomb is refused before all of it is inflated.
        if total > budget.limits.ratio_floor and total / packed > budget.limits.max_ratio:
            raise ArchiveError(shown, info.name,
                               f"compression ratio {total / packed:.0f}:1 over the limit of "
                               f"{budget.limits.max_ratio:.0f}:1 (tar bomb?)")
    # Second pass: write the regular files, counting the bytes actually read.
    written = []
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            for info in tar:
                if not info.isreg():
                    continue
                relative = safe_member_path(shown, info.name)
                source = tar.extractfile(info)
                if relative is None or source is None:
                    continue
                written.append(_write_member(shown, info.name, source, target, relative,
                                             info.size))
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
        raise ArchiveError(shown, "", f"not a readable tar ({exc})") from None
    return written


def _claim(shown: Path, name: str, relative: PurePosixPath, seen: set[str]) -> None:
    """Refuse two members that would land on the same file (one would silently replace one)."""
    key = relative.as_posix().casefold()
    if key in seen:
        raise ArchiveError(shown, name, "duplicate member name refused")
    seen.add(key)


def _write_member(
    shown: Path,
    name: str,
    source: IO[bytes],
    target: Path,
    relative: PurePosixPath,
    declared: int,
) -> Path:
    root = target.resolve()
    destination = root.joinpath(*relative.parts)
    if not destination.resolve().is_relative_to(root):
        raise ArchiveError(shown, name, "would be written outside the target folder")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL and O_NOFOLLOW: never replace a file, never write through a link.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(destination, flags, 0o600)
    except OSError as exc:
        raise ArchiveError(shown, name, f"cannot be written ({exc.strerror})") from None
    count = 0
    with os.fdopen(descriptor, "wb") as out:
        while chunk := source.read(CHUNK):
            count += len(chunk)
            if count > declared:
                raise ArchiveError(shown, name, "holds more bytes than its header declares")
            try:
                out.write(chunk)
            except OSError as exc:
                raise ArchiveError(shown, name, f"cannot be written ({exc.strerror})") from None
    return destination


def _empty(target: Path) -> None:
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
