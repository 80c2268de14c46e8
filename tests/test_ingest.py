"""Ingest through the core: CSV, JSONL and media, idempotency, provenance and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from haven.demo.media import scene_frame, scene_video, write_image
from haven.ingest import ingest
from haven.model import sha256_hex
from haven.reports.items import ItemFilter, list_items
from haven.reports.status import case_status
from haven.vault import Vault
from haven.verify import verify_vault

from conftest import PASSPHRASE, comment_rows, write_csv


def count(vault: Vault, table: str = "items") -> int:
    return int(vault.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_ten_thousand_comments_once_and_only_once(vault: Vault, tmp_path: Path) -> None:
    rows = comment_rows(10_000)
    source = write_csv(tmp_path / "comments.csv", rows)
    first = ingest(vault, [source])
    assert (first.new_items, first.known_items, first.problems) == (10_000, 0, [])
    again = ingest(vault, [source])
    assert (again.new_items, again.known_items) == (0, 10_000)
    assert count(vault) == 10_000
    assert count(vault, "authors") == len({(r["platform"], r["author"]) for r in rows})
    vault.close()
    assert verify_vault(vault.directory, PASSPHRASE).ok


def test_items_keep_provenance_and_threads(vault: Vault, tmp_path: Path) -> None:
    rows = comment_rows(3)
    rows.insert(0, {"platform": "facebook", "url": "https://example.org/p/0", "author": "page",
                    "time": "2026-10-01T10:00:00Z", "text": "the post", "parent_url": ""})
    source = write_csv(tmp_path / "c.csv", rows)
    ingest(vault, [source])
    listed = {item["url"]: item for item in list_items(vault)}
    post = listed["https://example.org/p/0"]
    reply = listed["https://example.org/p/0/c/1"]
    assert post["kind"] == "post" and reply["kind"] == "comment"
    assert reply["parent"] == post["id"]
    assert reply["source_file"] == str(source.resolve())
    assert reply["source_sha256"] == sha256_hex(source.read_bytes())
    assert reply["source_record"] == "line 4"
    assert reply["time"] == "2026-10-01T21:01:00Z"  # 01:01 at +04:00, in UTC
    only = list(list_items(vault, ItemFilter(author="user1")))
    assert [item["url"] for item in only] == ["https://example.org/p/0/c/1"]


def test_unknown_columns_are_kept(vault: Vault, tmp_path: Path) -> None:
    rows = [{"platform": "vk", "url": "https://vk.com/wall1_2", "author": "a", "time": "",
             "text": "hi", "parent_url": "", "likes": "42"}]
    ingest(vault, [write_csv(tmp_path / "x.csv", rows, [*rows[0]])])
    (item,) = list_items(vault)
    assert item["extra"] == {"likes": "42"}
    assert item["time"] is None


def test_semicolon_csv_and_jsonl_are_recognised_by_content(vault: Vault, tmp_path: Path) -> None:
    semi = tmp_path / "export.txt"
    semi.write_text("platform;url;author;time;text;parent_url\n"
                    "tiktok;https://t.example/1;x;2026-10-01T00:00:00Z;salam;\n", encoding="utf-8")
    jsonl = tmp_path / "messages.data"
    jsonl.write_text(json.dumps({"platform": "telegram", "kind": "message", "author": "z",
                                 "text": "Привет", "time": "2026-10-01T00:00:00+03:00"}) + "\n")
    report = ingest(vault, [semi, jsonl])
    assert report.new_items == 2 and not report.problems
    kinds = {item["platform"]: item["kind"] for item in list_items(vault)}
    assert kinds == {"tiktok": "post", "telegram": "message"}


def test_media_folder_and_media_column(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    scene_video(folder / "clip.mp4", 1.0)
    write_image(folder / "shot.jpg", scene_frame(0.5))
    (folder / "notes.bin").write_bytes(b"\x00\x01garbage")
    report = ingest(vault, [folder])
    assert report.new_items == 2
    assert [p.path.name for p in report.problems] == ["notes.bin"]
    assert "unknown source type" in report.problems[0].message
    media = list(list_items(vault, ItemFilter(kind="media")))
    assert {m["extra"]["media_type"] for m in media} == {"video/mp4", "image/jpeg"}
    sha = media[0]["media"][0]["sha256"]
    assert sha256_hex(vault.blobs.read(sha)) == sha

    rows = [{"platform": "instagram", "url": "https://ig.example/p/1", "author": "a",
             "time": "", "text": "look", "parent_url": "", "media": "media/shot.jpg"}]
    report = ingest(vault, [write_csv(tmp_path / "posts.csv", rows, [*rows[0]])])
    (post,) = list_items(vault, ItemFilter(platform="instagram"))
    shot = (folder / "shot.jpg").read_bytes()
    assert post["media"][0]["sha256"] == sha256_hex(shot)


def test_bad_rows_are_named_and_the_rest_is_stored(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "mixed.csv"
    source.write_text(
        "platform,url,author,time,text,parent_url,media\n"
        "facebook,https://e.org/1,a,2026-10-01T00:00:00Z,fine,,\n"
        "facebook,https://e.org/2,a,yesterday,bad time,,\n"
        "facebook,https://e.org/3,a,2026-10-01T00:00:00Z,too,many,fields,here\n"
        "facebook,https://e.org/4,a,2026-10-01T00:00:00Z,missing media,,gone.jpg\n"
        "facebook,https://e.org/5,a,2026-10-01T00:00:00Z,escape,,../../etc/passwd\n"
        "facebook,https://e.org/6,a,2026-10-01T00:00:00Z,\"also fine\",,\n",
        encoding="utf-8",
    )
    report = ingest(vault, [source])
    messages = [str(p) for p in report.problems]
    assert any(m.startswith(f"{source}:line 3: time 'yesterday'") for m in messages)
    assert any(m.startswith(f"{source}:line 4: expected 7 fields, found 8") for m in messages)
    assert any("line 5: media file 'gone.jpg' not found" in m for m in messages)
    assert any("line 6: media path '../../etc/passwd' points outside" in m for m in messages)
    stored = {item["url"] for item in list_items(vault)}
    assert stored == {"https://e.org/1", "https://e.org/4", "https://e.org/6"}
    status = case_status(vault)
    assert status["needs_review"]["skipped_inputs"] == len(report.problems) == 4


def test_broken_jsonl_lines_and_missing_paths(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "m.jsonl"
    source.write_bytes(b'{"platform": "x", "text": "one"}\n{"platform": "x", "text": \n[1, 2]\n'
                       b'\xff\xfe{}\n{"platform": "x", "text": "two"}\n')
    report = ingest(vault, [source, tmp_path / "nope.csv"])
    assert report.new_items == 2
    assert [p.record for p in report.problems] == ["line 2", "line 3", "line 4", ""]
    assert "not valid JSON" in report.problems[0].message
    assert report.problems[3].message == "no such file or folder"


def test_invalid_utf8_csv_is_reported_not_fatal(vault: Vault, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", comment_rows(5))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(good.read_bytes() + b"facebook,u,a,,\xff\xfe broken,\n")
    report = ingest(vault, [bad])
    assert report.new_items == 5
    assert "not valid UTF-8" in report.problems[0].message
