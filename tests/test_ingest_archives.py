"""Archives through the core: unpacked safely outside the vault, each member ingested."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from haven.ingest import ingest
from haven.reports.items import list_items
from haven.vault import Vault
from haven.verify import verify_vault

from conftest import PASSPHRASE, comment_rows, write_csv


def snapshot(vault: Vault) -> tuple[int, int, int]:
    def count(table: str) -> int:
        return int(vault.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    return count("items"), count("sources"), count("blobs")


def test_zip_members_are_ingested_with_provenance(vault: Vault, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "comments.csv", comment_rows(30))
    longer = write_csv(tmp_path / "longer.csv", comment_rows(31))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv_path, "data/comments.csv")
        inner = io.BytesIO()
        with tarfile.open(fileobj=inner, mode="w:gz") as tf:
            tf.add(longer, "more/comments-copy.csv")
        zf.writestr("nested.tar.gz", inner.getvalue())
    report = ingest(vault, [archive])
    assert report.new_items == 31 and report.known_items == 30 and not report.problems
    sources = {row[0] for row in vault.conn.execute("SELECT path FROM sources")}
    assert f"{archive}!data/comments.csv" in sources
    assert f"{archive}!nested.tar.gz.unpacked/more/comments-copy.csv" in sources
    assert any(s.endswith("export.zip") for s in sources)  # the archive itself, as evidence
    item = next(iter(list_items(vault)))
    assert item["source_file"].startswith(str(archive))
    assert ingest(vault, [archive]).new_items == 0


def test_hostile_archives_are_refused_and_change_nothing(vault: Vault, tmp_path: Path) -> None:
    ingest(vault, [write_csv(tmp_path / "first.csv", comment_rows(5))])
    before = snapshot(vault)
    traversal = tmp_path / "traversal.zip"
    with zipfile.ZipFile(traversal, "w") as zf:
        zf.writestr("ok.csv", "platform,url,author,time,text,parent_url\n")
        zf.writestr("../../escaped.csv", "x")
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (64 << 20))
    link = tmp_path / "link.tar"
    with tarfile.open(link, "w") as tf:
        info = tarfile.TarInfo("passwd")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tf.addfile(info)
    report = ingest(vault, [traversal, bomb, link])
    messages = {p.path.name: str(p) for p in report.problems}
    assert "archive refused" in messages["traversal.zip"] and "escaped" in messages[
        "traversal.zip"]
    assert "archive refused" in messages["bomb.zip"] and "zeros.bin" in messages["bomb.zip"]
    assert "archive refused" in messages["link.tar"] and "passwd" in messages["link.tar"]
    assert snapshot(vault) == before
    assert not (tmp_path.parent / "escaped.csv").exists()
    vault.close()
    assert verify_vault(vault.directory, PASSPHRASE).ok
