"""WARC and WACZ captures through the real ingest: pages, posts, media, provenance, damage."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import random
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import webcaptures as wc
from warcio.warcwriter import WARCWriter

import haven.importers
from haven.archives import ArchiveLimits
from haven.importers.warc import WarcImporter, instagram_shortcode, parse_html, platform_of
from haven.ingest import ingest
from haven.model import Item, Problem, SourceRef, sha256_hex
from haven.reports.items import list_items
from haven.vault import Vault
from haven.verify import verify_vault

from conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(haven.importers, "IMPORTERS",
                        (WarcImporter(), *haven.importers.IMPORTERS))


def by_url(vault: Vault) -> dict[str, dict[str, Any]]:
    """Items by URL (pages as `page:URL`, since a post's page may have the post's URL)."""
    found = {}
    for item in list_items(vault):
        key = item["url"] or item["source_record"]
        found["page:" + key if item["kind"] == "page_capture" else key] = item
    return found


def test_warc_gz_pages_posts_and_media(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "capture.warc.gz"
    source.write_bytes(wc.capture())
    report = ingest(vault, [source])
    assert report.problems == []
    items = by_url(vault)
    kinds = sorted(item["kind"] for item in items.values())
    assert kinds.count("page_capture") == 5 and kinds.count("media") == 1
    assert kinds.count("post") == 6 and kinds.count("comment") == 4

    page = items["page:" + wc.CHANNEL_URL]
    assert page["platform"] == "telegram" and page["time"] == "2026-10-04T12:00:00Z"
    assert page["extra"]["title"] == "Gəncə Xəbər – Telegram"
    warc = page["extra"]["warc"]
    offset, length = warc["offset"], warc["length"]
    assert page["source_record"] == f"record@{offset}"
    exact = source.read_bytes()[offset:offset + length]
    assert warc["record_sha256"] == hashlib.sha256(exact).hexdigest()
    assert gzip.decompress(exact).startswith(b"WARC/1.")
    assert warc["record_id"].startswith("<urn:uuid:")
    assert warc["payload_digest"].startswith("sha1:") and warc["digest_verified"] is True
    assert page["source_sha256"] == sha256_hex(source.read_bytes())

    for position, (number, when, text) in enumerate(wc.MESSAGES, start=1):
        post = items[f"https://t.me/ganja_xeber/{number}"]
        assert post["kind"] == "post" and post["author"] == "ganja_xeber"
        assert post["author_name"] == "Gəncə Xəbər"
        assert post["text"].replace("\n", " ") == text
        assert post["time"] == when.replace("+00:00", "Z")
        assert post["parent"] == page["id"]
        assert post["source_record"] == f"record@{offset}/{position}"
    reply = items["https://t.me/ganja_xeber/103"]
    assert "Bunları" not in reply["text"]  # the quoted message is not this message's text
    assert reply["extra"]["reply_to_url"] == "https://t.me/ganja_xeber/101"
    assert page["text"] is None  # the posts carry the text

    photo = items["https://cdn4.telesco.pe/file/photo1.png"]
    assert photo["kind"] == "media" and photo["platform"] == "telegram"
    assert photo["media"][0]["sha256"] == sha256_hex(wc.png_bytes())
    assert photo["extra"]["media_type"] == "image/png"
    assert "https://telegram.org/js/widget.js" not in items

    fb = "https://mbasic.facebook.com/story.php?story_fbid=77&id=1000123"
    comment = items[fb + "&comment_id=9002"]
    assert comment["kind"] == "comment" and comment["text"] == "Адрес: ул. Низами 5"
    assert comment["author"] == "42" and comment["author_name"] == "Вася Пупкин"
    assert comment["parent_url"] == fb
    assert items[fb + "&comment_id=9001"]["text"] == "Onların işdən çıxarılması azdır"

    vk_reply = items["https://vk.com/wall-77_10?reply=11"]
    assert vk_reply["kind"] == "comment" and vk_reply["parent_url"] == "https://vk.com/wall-77_10"
    assert vk_reply["author"] == "id555" and vk_reply["time"] == "2026-10-04T09:00:00Z"
    assert items["https://vk.com/wall-77_10"]["text"] == "Кто знает где они живут?"

    insta = items["https://www.instagram.com/p/CxYz123/"]
    assert insta["platform"] == "instagram"
    found = [i for i in items.values() if i["text"] == "Öldürmək lazımdır"]
    assert found and found[0]["author"] == "user_two" and found[0]["time"] == "2026-10-02T15:05:00Z"

    news = items["page:https://example.org/news/ganja"]
    assert news["platform"] == "web" and "Nizami street 5" in news["text"]

    again = ingest(vault, [source])
    assert again.new_items == 0 and again.known_items == report.new_items
    vault.close()
    assert verify_vault(vault.directory, PASSPHRASE).ok


def test_plain_warc_has_the_same_items(tmp_path: Path) -> None:
    plain = tmp_path / "capture.warc"
    plain.write_bytes(wc.capture(gzip=False))
    packed = tmp_path / "capture.warc.gz"
    packed.write_bytes(wc.capture(gzip=True))
    importer = WarcImporter()
    assert importer.sniff(plain, plain.read_bytes()[:8192])

    def texts(path: Path) -> list[tuple[str, str | None, str | None]]:
        source = SourceRef(path, sha256_hex(path.read_bytes()))
        found = []
        for record in importer.read(path, source, None):
            assert not isinstance(record, haven.model.Problem), record
            found.append((record.kind.value, record.url, record.text))
            warc = record.extra.get("warc")
            if warc:
                exact = path.read_bytes()[warc["offset"]:warc["offset"] + warc["length"]]
                assert exact.startswith(b"WARC/1.") or path.suffix == ".gz"
                assert warc["record_sha256"] == hashlib.sha256(exact).hexdigest()
        return found

    assert texts(plain) == texts(packed)


def test_truncated_warc_names_the_record_and_keeps_the_rest(vault: Vault, tmp_path: Path) -> None:
    whole = wc.capture()
    source = tmp_path / "cut.warc.gz"
    importer = WarcImporter()
    offsets = [r.extra["warc"]["offset"] for r in items_only(importer.read(
        _write(source, whole), SourceRef(source, "x"), None)) if r.extra.get("warc")]
    last = max(offsets)
    source.write_bytes(whole[:last + 200])  # the last page's record is cut off mid-way
    report = ingest(vault, [source])
    assert [p.record for p in report.problems] == [f"record@{last}"]
    assert "cut short" in report.problems[0].message or "damaged" in report.problems[0].message
    urls = {item["url"] for item in list_items(vault)}
    assert wc.CHANNEL_URL in urls and "https://vk.com/wall-77_10" in urls
    assert "https://example.org/news/ganja" not in urls


def test_damage_in_the_middle_is_skipped_over(tmp_path: Path) -> None:
    whole = bytearray(wc.capture())
    source = tmp_path / "holed.warc.gz"
    importer = WarcImporter()
    records = items_only(importer.read(_write(source, bytes(whole)), SourceRef(source, "x"),
                                       None))
    victim = next(r for r in records if r.url == "https://vk.com/club77").extra["warc"]
    middle = victim["offset"] + victim["length"] // 2
    whole[middle:middle + 40] = b"\x00" * 40
    source.write_bytes(bytes(whole))
    results = list(importer.read(source, SourceRef(source, "x"), None))
    problems = [r for r in results if isinstance(r, haven.model.Problem)]
    assert [p.record for p in problems][:1] == [f"record@{victim['offset']}"]
    assert all(int(p.record.split("@")[1]) < victim["offset"] + victim["length"] + 500
               for p in problems)
    urls = {r.url for r in results if not isinstance(r, haven.model.Problem)}
    assert "https://example.org/news/ganja" in urls and "https://vk.com/club77" not in urls


def items_only(results: Iterable[Item | Problem]) -> list[Item]:
    found = []
    for result in results:
        assert isinstance(result, Item), result
        found.append(result)
    return found


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_wacz_is_read_in_place(vault: Vault, tmp_path: Path) -> None:
    warc = wc.capture()
    source = wc.wacz(tmp_path / "capture.wacz", warc)
    report = ingest(vault, [source])
    assert report.problems == []
    items = by_url(vault)
    page = items["page:" + wc.CHANNEL_URL]
    assert page["source_record"].startswith("archive/data.warc.gz:record@")
    warc_info = page["extra"]["warc"]
    assert warc_info["member"] == "archive/data.warc.gz"
    exact = warc[warc_info["offset"]:warc_info["offset"] + warc_info["length"]]
    assert warc_info["record_sha256"] == hashlib.sha256(exact).hexdigest()
    assert items["https://t.me/ganja_xeber/102"]["text"].startswith("Их надо найти")
    assert ingest(vault, [source]).new_items == 0


def test_wacz_member_digest_mismatch_and_bomb(tmp_path: Path) -> None:
    importer = WarcImporter()
    tampered = wc.wacz(tmp_path / "t.wacz", wc.capture(), declared_sha="0" * 64)
    results = list(importer.read(tampered, SourceRef(tampered, "x"), None))
    problems = [r for r in results if isinstance(r, haven.model.Problem)]
    assert [(p.record, "datapackage.json" in p.message) for p in problems] == [
        ("archive/data.warc.gz", True)]
    assert len(results) > 10  # the items are still there, the mismatch is on record

    bomb = tmp_path / "bomb.wacz"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", "{}")
        zf.writestr("archive/zeros.warc", bytes(4 << 20))
        zf.writestr("archive/ok.warc.gz", wc.capture())
    assert importer.sniff(bomb, bomb.read_bytes()[:8192])
    strict = WarcImporter(ArchiveLimits(max_ratio=50.0, ratio_floor=64 << 10))
    results = list(strict.read(bomb, SourceRef(bomb, "x"), None))
    problems = [r for r in results if isinstance(r, haven.model.Problem)]
    assert [p.record for p in problems] == ["archive/zeros.warc"]
    assert "compression ratio" in problems[0].message
    assert any(r.url == wc.CHANNEL_URL for r in results if not isinstance(r, haven.model.Problem))


def test_sniff_and_helpers(tmp_path: Path) -> None:
    importer = WarcImporter()
    plain_zip = tmp_path / "x.zip"
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("a.txt", "b")
    assert not importer.sniff(plain_zip, plain_zip.read_bytes()[:8192])
    assert not importer.sniff(tmp_path, gzip.compress(b"platform,url,text\n"))
    assert platform_of("https://mbasic.facebook.com/story.php") == "facebook"
    assert platform_of("https://example.org/") is None
    root = parse_html("<div><p>a<p>b</div><br>c &amp; d<script>x</script>")
    assert root.text() == "a\nb\nc & d"


def test_resource_record_media_and_not_found_page(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warc_record(
        "urn:view:https://t.me/s/x", "resource", payload=io.BytesIO(wc.png_bytes()),
        warc_content_type="image/png"))
    wc.write_response(writer, "https://t.me/s/gone", wc.telegram_channel_page(), "text/html",
                      status="404 Not Found")
    source = _write(tmp_path / "r.warc.gz", out.getvalue())
    results = list(WarcImporter().read(source, SourceRef(source, "x"), "telegram"))
    assert [(r.kind.value, r.extra["warc"]["http_status"]) for r in results
            if not isinstance(r, haven.model.Problem)] == [("media", None),
                                                            ("page_capture", 404)]


def test_mutated_captures_never_crash(tmp_path: Path) -> None:
    """A small seeded fuzz: flipped, cut and spliced bytes give items and Problems, nothing else."""
    rng = random.Random(4)
    plain, packed = wc.capture(gzip=False), wc.capture(gzip=True)
    importer = WarcImporter()
    source = tmp_path / "fuzz.warc"
    for round_ in range(120):
        data = bytearray(plain if round_ % 2 else packed)
        for _ in range(rng.randint(1, 6)):
            spot = rng.randrange(len(data))
            action = rng.random()
            if action < 0.5:
                data[spot] = rng.randrange(256)
            elif action < 0.8:
                del data[spot:spot + rng.randint(1, 400)]
            else:
                data[spot:spot] = rng.randbytes(rng.randint(1, 50))
        source.write_bytes(bytes(data))
        if not importer.sniff(source, bytes(data[:8192])):
            continue
        for record in importer.read(source, SourceRef(source, "x"), None):
            assert isinstance(record, haven.model.Item | haven.model.Problem)


def test_instagram_and_facebook_app_json_becomes_comments(tmp_path: Path) -> None:
    source = _write(tmp_path / "api.warc.gz", wc.api_capture())
    found = items_only(WarcImporter().read(source, SourceRef(source, "x"), None))
    comments = {item.text: item for item in found}
    assert set(comments) == {"Onları tapın, ünvan Nizami 5", "Их адрес все знают",
                             "Bunları işdən qovdurmaq lazımdır", "Адрес: Низами 5"}
    first = comments["Onları tapın, ünvan Nizami 5"]
    assert first.kind.value == "comment" and first.platform == "instagram"
    assert first.author is not None and first.author.handle == "hater_az"
    # The shortcode is the media id in URL-safe base 64: check it the way base64 would.
    code = base64.urlsafe_b64encode((3141592653589793238).to_bytes(12, "big")).decode()
    code = code.lstrip("A")
    assert instagram_shortcode("3141592653589793238_25025320") == code
    assert first.parent_url == f"https://www.instagram.com/p/{code}/"
    assert first.url == f"https://www.instagram.com/p/{code}/c/18011111111111111/"
    assert first.time == "2026-10-04T08:00:00Z"
    assert comments["Их адрес все знают"].parent_url == first.parent_url
    facebook = comments["Bunları işdən qovdurmaq lazımdır"]
    assert facebook.platform == "facebook" and facebook.author is not None
    assert (facebook.author.handle, facebook.author.name) == ("100077", "Anar M")
    assert facebook.url == "https://www.facebook.com/ganja/posts/77?comment_id=9001"
    assert facebook.time == "2026-10-04T09:00:00Z"
    assert comments["Адрес: Низами 5"].extra["comment_id"] == "9003"
    assert facebook.extra["warc"]["record_sha256"] and facebook.source.record.endswith("/1")
