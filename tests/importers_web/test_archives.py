"""Safe unpacking: hostile zip and tar archives are refused and nothing is written anywhere."""

from __future__ import annotations

import io
import os
import random
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from haven.archives import ArchiveError, ArchiveLimits, extract, is_archive

SMALL = ArchiveLimits(max_members=10, max_total_bytes=1 << 20, max_member_bytes=1 << 20,
                      max_ratio=50.0, ratio_floor=64 << 10, max_depth=2)


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Path]:
    """A target folder inside a parent that must stay untouched but for the archive itself."""
    parent = tmp_path / "work"
    target = parent / "out"
    target.mkdir(parents=True)
    return parent, target


def assert_refused(archive: Path, target: Path, parent: Path, member: str, reason: str,
                   limits: ArchiveLimits = SMALL) -> None:
    before = everything_under(parent)
    with pytest.raises(ArchiveError) as caught:
        extract(archive, target, limits)
    message = str(caught.value)
    assert str(archive) in message and reason in message
    assert member in caught.value.member
    assert list(target.iterdir()) == []
    assert everything_under(parent) == before
    assert not (parent.parent / "evil.txt").exists()


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def add_tar_member(tar: tarfile.TarFile, name: str, data: bytes = b"",
                   kind: bytes = tarfile.REGTYPE, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def test_good_zip_and_tar_gz_are_unpacked(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "ok.zip", {"a/b.txt": "Salam, dünya".encode(), "c.csv": b"x"})
    files = extract(archive, tmp_path / "z")
    assert sorted(p.relative_to(tmp_path / "z").as_posix() for p in files) == ["a/b.txt", "c.csv"]
    assert (tmp_path / "z/a/b.txt").read_text() == "Salam, dünya"
    tgz = tmp_path / "ok.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        add_tar_member(tar, "dir/", kind=tarfile.DIRTYPE)
        add_tar_member(tar, "dir/x.json", b"{}")
    assert [p.name for p in extract(tgz, tmp_path / "t")] == ["x.json"]


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_is_archive_recognises_tars_but_not_lone_compressed_files(tmp_path: Path,
                                                                  mode: str) -> None:
    path = tmp_path / "a.tar"
    with tarfile.open(path, mode) as tar:  # type: ignore[call-overload]
        add_tar_member(tar, "x.txt", b"hello")
    head = path.read_bytes()[:8192]
    assert is_archive(head, path)
    import gzip
    assert not is_archive(gzip.compress(b"WARC/1.0\r\n" * 100))
    assert not is_archive(b"platform,url,text\n")
    assert is_archive(make_zip(tmp_path / "z.zip", {"a": b"b"}).read_bytes()[:8192])


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "..\\evil.txt"])
def test_zip_path_traversal_is_refused(sandbox: tuple[Path, Path], name: str) -> None:
    parent, target = sandbox
    archive = make_zip(parent / "t.zip", {"fine.txt": b"ok", name: b"pwned"})
    assert_refused(archive, target, parent, name, "path traversal")


def test_tar_path_traversal_is_refused(sandbox: tuple[Path, Path]) -> None:
    parent, target = sandbox
    archive = parent / "t.tar"
    with tarfile.open(archive, "w") as tar:
        add_tar_member(tar, "fine.txt", b"ok")
        add_tar_member(tar, "../evil.txt", b"pwned")
    assert_refused(archive, target, parent, "../evil.txt", "path traversal")


@pytest.mark.parametrize("name", ["/tmp/evil.txt", "C:/evil.txt"])
def test_absolute_paths_are_refused(sandbox: tuple[Path, Path], name: str) -> None:
    parent, target = sandbox
    archive = parent / "abs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fine.txt", b"ok")
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # ZipInfo would strip a leading slash; hostile tools do not
        zf.writestr(info, b"pwned")
    assert_refused(archive, target, parent, name, "absolute path")
    tar_path = parent / "abs.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tar:
        add_tar_member(tar, "/tmp/evil.txt", b"pwned")
    assert_refused(tar_path, target, parent, "/tmp/evil.txt", "absolute path")


def test_links_and_devices_are_refused(sandbox: tuple[Path, Path]) -> None:
    parent, target = sandbox
    for kind, reason in ((tarfile.SYMTYPE, "link"), (tarfile.LNKTYPE, "link"),
                         (tarfile.CHRTYPE, "special file"), (tarfile.FIFOTYPE, "special file")):
        archive = parent / f"k{kind.decode()}.tar"
        with tarfile.open(archive, "w") as tar:
            add_tar_member(tar, "fine.txt", b"ok")
            add_tar_member(tar, "inside", kind=kind, link="/etc/passwd")
        assert_refused(archive, target, parent, "inside", reason)
    zipped = parent / "link.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        info = zipfile.ZipInfo("inside")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert_refused(zipped, target, parent, "inside", "symbolic link")


def test_zip_bomb_is_refused_by_ratio(sandbox: tuple[Path, Path]) -> None:
    parent, target = sandbox
    archive = make_zip(parent / "bomb.zip", {"zeros.bin": bytes(4 << 20)})
    assert archive.stat().st_size < 64 << 10
    roomy = ArchiveLimits(max_total_bytes=1 << 30, max_member_bytes=1 << 30, max_ratio=50.0,
                          ratio_floor=64 << 10)
    assert_refused(archive, target, parent, "zeros.bin", "compression ratio", roomy)


def test_tar_bomb_is_refused_by_ratio(sandbox: tuple[Path, Path]) -> None:
    parent, target = sandbox
    archive = parent / "bomb.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        add_tar_member(tar, "zeros.bin", bytes(4 << 20))
    roomy = ArchiveLimits(max_total_bytes=1 << 30, max_member_bytes=1 << 30, max_ratio=50.0,
                          ratio_floor=64 << 10)
    assert_refused(archive, target, parent, "zeros.bin", "compression ratio", roomy)


def test_too_big_and_too_many_are_refused(sandbox: tuple[Path, Path]) -> None:
    parent, target = sandbox
    big = make_zip(parent / "big.zip", {"a.bin": os.urandom(600 << 10),
                                        "b.bin": os.urandom(600 << 10)})
    assert_refused(big, target, parent, "b.bin", "bytes uncompressed")
    many = make_zip(parent / "many.zip", {f"f{i}.txt": b"x" for i in range(11)})
    assert_refused(many, target, parent, "f10.txt", "more than 10 members")


def test_duplicate_names_are_refused(sandbox: tuple[Path, Path]) -> None:
    parent, target = sandbox
    archive = parent / "dup.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", b"first")
        with pytest.warns(UserWarning):
            zf.writestr("a.txt", b"second")
    assert_refused(archive, target, parent, "a.txt", "duplicate")


def test_nested_archives_unpack_up_to_the_depth_limit(tmp_path: Path) -> None:
    inner = make_zip(tmp_path / "inner.zip", {"deep.txt": b"deep"})
    middle = tmp_path / "middle.tar.gz"
    with tarfile.open(middle, "w:gz") as tar:
        tar.add(inner, arcname="inner.zip")
    outer = make_zip(tmp_path / "outer.zip", {"middle.tar.gz": middle.read_bytes(),
                                              "top.txt": b"top"})
    files = extract(outer, tmp_path / "ok", ArchiveLimits(max_depth=3))
    names = sorted(p.relative_to(tmp_path / "ok").as_posix() for p in files)
    assert names == ["middle.tar.gz.unpacked/inner.zip.unpacked/deep.txt", "top.txt"]
    target = tmp_path / "refused"
    with pytest.raises(ArchiveError, match="nested more than 2 deep") as caught:
        extract(outer, target, ArchiveLimits(max_depth=2))
    assert "outer.zip!middle.tar.gz!inner.zip" in str(caught.value)
    assert list(target.iterdir()) == []
    kept = extract(outer, tmp_path / "kept", ArchiveLimits(max_depth=1),
                   leave_packed=lambda path: True)
    assert sorted(p.name for p in kept) == ["middle.tar.gz", "top.txt"]


def test_target_must_be_empty_and_garbage_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.mkdir()
    (target / "x").write_text("x")
    good = make_zip(tmp_path / "g.zip", {"a": b"b"})
    with pytest.raises(ArchiveError, match="not empty"):
        extract(good, target)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(ArchiveError, match="not a readable zip"):
        extract(bad, tmp_path / "t2")


def test_mutated_archives_give_files_or_archive_error(tmp_path: Path) -> None:
    """A small seeded fuzz: damaged zips and tars are unpacked or refused, never anything else."""
    rng = random.Random(11)
    good_zip = make_zip(tmp_path / "g.zip", {"a/b.txt": b"salam " * 200, "c.json": b"{}"})
    good_tgz = tmp_path / "g.tar.gz"
    with tarfile.open(good_tgz, "w:gz") as tar:
        add_tar_member(tar, "x/y.txt", b"privet " * 300)
        add_tar_member(tar, "z.csv", b"a,b\n1,2\n")
    originals = [good_zip.read_bytes(), good_tgz.read_bytes(),
                 (tmp_path / "g.tar.gz").read_bytes()]
    for round_ in range(150):
        data = bytearray(originals[round_ % 2])
        for _ in range(rng.randint(1, 4)):
            spot = rng.randrange(len(data))
            if rng.random() < 0.6:
                data[spot] = rng.randrange(256)
            else:
                del data[spot:spot + rng.randint(1, 60)]
        archive = tmp_path / f"m{round_}.bin"
        archive.write_bytes(bytes(data))
        target = tmp_path / f"out{round_}"
        try:
            files = extract(archive, target, SMALL)
        except ArchiveError:
            assert list(target.iterdir()) == []
            continue
        for path in files:
            assert path.resolve().is_relative_to(target.resolve())
