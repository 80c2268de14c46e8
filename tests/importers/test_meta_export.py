"""Facebook and Instagram "Download Your Information" JSON exports, built in their real layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_support import AZ, AZ_CYRL, RU, count, image, mojibake, register, write_meta

from haven.importers import importer_for
from haven.importers.meta import MetaExportImporter, repair_text
from haven.ingest import ingest
from haven.model import sha256_hex
from haven.reports.items import ItemFilter, list_items
from haven.vault import Vault


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch)

T0 = 1_790_000_000  # 2026-09-21T14:13:20Z


def messenger_export(root: Path) -> Path:
    """A Messenger thread in the 2024 layout, with a photo present and a video missing."""
    thread = root / "your_facebook_activity" / "messages" / "inbox" / "elvinmammadov_1029384756"
    uri = "your_facebook_activity/messages/inbox/elvinmammadov_1029384756"
    image(thread / "photos" / "4471_n.jpg")
    return write_meta(thread / "message_1.json", {
        "participants": [{"name": "Elvin Məmmədov"}, {"name": "Aysel Quliyeva"}],
        "messages": [
            {"sender_name": "Elvin Məmmədov", "timestamp_ms": (T0 + 300) * 1000,
             "content": AZ, "is_geoblocked_for_viewer": False,
             "reactions": [{"reaction": "😡", "actor": "Aysel Quliyeva"}]},
            {"sender_name": "Elvin Məmmədov", "timestamp_ms": (T0 + 200) * 1000,
             "content": RU, "photos": [{"uri": f"{uri}/photos/4471_n.jpg",
                                        "creation_timestamp": T0 + 200}]},
            {"sender_name": "Elvin Məmmədov", "timestamp_ms": (T0 + 100) * 1000,
             "videos": [{"uri": f"{uri}/videos/gone_n.mp4", "creation_timestamp": T0 + 100}]},
            {"sender_name": "Aysel Quliyeva", "timestamp_ms": T0 * 1000,
             "content": "Bax bu linkə", "share": {"link": "https://www.facebook.com/reel/123"},
             "type": "Share"},
        ],
        "title": "Elvin Məmmədov",
        "is_still_participant": True,
        "thread_type": "Regular",
        "thread_path": "inbox/elvinmammadov_1029384756",
    })


def test_mojibake_is_repaired_only_when_the_round_trip_is_valid() -> None:
    for text in (AZ, RU, AZ_CYRL, "ə ğ ı ş ö ü ç İ", "Öz ünvanı"):
        assert repair_text(mojibake(text)) == text
        assert repair_text(text) == text  # already right: left alone
    assert repair_text("plain ASCII") == "plain ASCII"
    assert repair_text("café Ã") == "café Ã"  # not a valid round trip: untouched


def test_messenger_thread_with_mojibake_media_and_reactions(
    vault: Vault, tmp_path: Path
) -> None:
    root = tmp_path / "dyi"
    source = messenger_export(root)
    assert "\\u00c9\\u0099" in source.read_text()  # "ə" stored the way Meta stores it
    report = ingest(vault, [root])
    assert report.files == 2  # the thread and the photo file itself
    messages = list(list_items(vault, ItemFilter(kind="message")))
    assert len(messages) == 4
    by_time = {m["time"]: m for m in messages}
    threat = by_time["2026-09-21T14:18:20Z"]
    assert threat["text"] == AZ
    assert threat["platform"] == "facebook"
    assert (threat["author"], threat["author_name"]) == ("Elvin Məmmədov", "Elvin Məmmədov")
    assert threat["extra"]["thread"] == "Elvin Məmmədov"
    assert threat["extra"]["thread_path"] == "inbox/elvinmammadov_1029384756"
    assert threat["extra"]["participants"] == ["Elvin Məmmədov", "Aysel Quliyeva"]
    assert threat["extra"]["reactions"] == [{"reaction": "😡", "actor": "Aysel Quliyeva"}]
    assert threat["source_record"] == "messages[0]"
    photo = by_time["2026-09-21T14:16:40Z"]
    assert photo["text"] == RU
    photo_bytes = (source.parent / "photos" / "4471_n.jpg").read_bytes()
    assert photo["media"][0]["sha256"] == sha256_hex(photo_bytes)
    assert photo["media"][0]["role"] == "photo"
    video = by_time["2026-09-21T14:15:00Z"]
    assert video["media"] == [] and video["extra"]["missing_media"]
    share = by_time["2026-09-21T14:13:20Z"]
    assert share["extra"]["share"] == {"link": "https://www.facebook.com/reel/123"}
    (problem,) = report.problems
    assert problem.path == source and problem.record == "messages[2]"
    assert "gone_n.mp4" in problem.message and "not found" in problem.message

    again = ingest(vault, [root])
    assert again.new_items == 0 and again.known_items == report.new_items


def test_facebook_posts_comments_and_reactions(
    vault: Vault, tmp_path: Path
) -> None:
    root = tmp_path / "facebook-aysel.quliyeva-2026-10-05-xYz12"
    image(root / "posts" / "media" / "TimelinePhotos_ab12" / "1001_n.jpg")
    comments = write_meta(root / "comments_and_reactions" / "comments.json", {"comments_v2": [
        {"timestamp": T0, "title": "Aysel Quliyeva commented on Nigar Əliyeva's post.",
         "data": [{"comment": {"timestamp": T0, "comment": "Sağ ol, hər şey yaxşıdır",
                               "author": "Aysel Quliyeva"}}]},
        {"timestamp": T0 + 60, "title": "Aysel Quliyeva replied to Rəşad's comment.",
         "attachments": [{"data": [{"external_context": {"url": "https://example.org/x"}}]}],
         "data": [{"comment": {"timestamp": T0 + 60, "comment": RU, "author": "Aysel Quliyeva",
                               "group": "Gəncə xəbərləri"}}]},
    ]})
    posts = write_meta(root / "posts" / "your_posts_1.json", [
        {"timestamp": T0 - 86400, "title": "Aysel Quliyeva added a new photo.",
         "attachments": [{"data": [{"media": {
             "uri": "posts/media/TimelinePhotos_ab12/1001_n.jpg",
             "creation_timestamp": T0 - 86400, "title": "Timeline Photos",
             "description": "Bizim gün"}}]}],
         "data": [{"post": "Bizim gün ❤"}, {"update_timestamp": T0 - 86400}]},
        {"timestamp": T0 - 3600, "data": [{"update_timestamp": T0 - 3600}]},
    ])
    reactions = write_meta(root / "comments_and_reactions" / "posts_and_comments.json", {
        "reactions_v2": [{"timestamp": T0 + 5, "title": "Aysel Quliyeva liked Orxan's comment.",
                          "data": [{"reaction": {"reaction": "LIKE",
                                                 "actor": "Aysel Quliyeva"}}]}]})
    report = ingest(vault, [comments, posts, reactions])
    assert report.files == 3
    items = list(list_items(vault))
    (post,) = [i for i in items if i["kind"] == "post"]
    assert post["text"] == "Bizim gün ❤" and post["time"] == "2026-09-20T14:13:20Z"
    assert post["extra"]["title"] == "Aysel Quliyeva added a new photo."
    assert post["media"][0]["name"] == "1001_n.jpg"
    comment_texts = {i["text"] for i in items if i["kind"] == "comment" and i["text"]}
    assert comment_texts == {"Sağ ol, hər şey yaxşıdır", RU}
    reply = next(i for i in items if i["text"] == RU)
    assert reply["extra"]["group"] == "Gəncə xəbərləri"
    assert reply["extra"]["links"] == ["https://example.org/x"]
    assert reply["extra"]["title"] == "Aysel Quliyeva replied to Rəşad's comment."
    assert reply["source_record"] == "comments_v2[1]"
    (liked,) = [i for i in items if i["extra"].get("activity") == "reaction"]
    assert liked["extra"]["reaction"] == "LIKE" and liked["author"] == "Aysel Quliyeva"
    # the status update with no content is reported as skipped, not turned into an empty item
    assert [p.record for p in report.problems] == [""]
    assert "1 entries" in report.problems[0].message
    assert ingest(vault, [comments, posts, reactions]).new_items == 0


def test_instagram_comments_posts_likes_followers_and_direct(
    vault: Vault, tmp_path: Path
) -> None:
    root = tmp_path / "instagram-aysel_q-2026-10-05-Qw3"
    activity = root / "your_instagram_activity"
    image(root / "media" / "posts" / "202609" / "1792_n.jpg")
    post_comments = write_meta(activity / "comments" / "post_comments_1.json", [
        {"media_list_data": [],
         "string_map_data": {"Comment": {"value": "Ayıbdır, silin bunu!"},
                             "Media Owner": {"value": "ganja_news_az"},
                             "Time": {"timestamp": T0}}},
    ])
    reels = write_meta(activity / "comments" / "reels_comments.json", {"comments_reels_comments": [
        {"string_map_data": {"Comment": {"value": AZ_CYRL}, "Media Owner": {"value": "x"},
                             "Time": {"timestamp": T0 + 1}}},
    ]})
    posts = write_meta(activity / "media" / "posts_1.json", [
        {"media": [{"uri": "media/posts/202609/1792_n.jpg", "creation_timestamp": T0 - 10,
                    "title": "Gəncədə axşam"}]},
    ])
    likes = write_meta(activity / "likes" / "liked_posts.json", {"likes_media_likes": [
        {"title": "ganja_news_az", "string_list_data": [
            {"href": "https://www.instagram.com/p/Cx1AbC/", "value": "👍", "timestamp": T0}]},
    ]})
    followers = write_meta(root / "connections" / "followers_and_following" / "followers_1.json", [
        {"title": "", "media_list_data": [], "string_list_data": [
            {"href": "https://www.instagram.com/hater_2026", "value": "hater_2026",
             "timestamp": T0}]},
    ])
    thread = activity / "messages" / "inbox" / "hater2026_17845"
    direct = write_meta(thread / "message_1.json", {
        "participants": [{"name": "hater_2026"}, {"name": "aysel_q"}],
        "messages": [{"sender_name": "hater_2026", "timestamp_ms": T0 * 1000, "content": RU,
                      "is_geoblocked_for_viewer": False}],
        "title": "hater_2026", "is_still_participant": True, "thread_path": "inbox/hater2026_17845",
        "magic_words": [],
    })
    report = ingest(vault, [post_comments, reels, posts, likes, followers, direct])
    assert report.problems == [] and report.files == 6
    items = list(list_items(vault))
    assert {i["platform"] for i in items} == {"instagram"}
    comment = next(i for i in items if i["text"] == "Ayıbdır, silin bunu!")
    assert comment["kind"] == "comment" and comment["extra"]["media_owner"] == "ganja_news_az"
    assert comment["time"] == "2026-09-21T14:13:20Z"
    assert any(i["text"] == AZ_CYRL for i in items)
    post = next(i for i in items if i["kind"] == "post")
    assert post["text"] == "Gəncədə axşam" and post["media"][0]["name"] == "1792_n.jpg"
    like = next(i for i in items if i["extra"].get("activity") == "reaction")
    assert like["parent_url"] == "https://www.instagram.com/p/Cx1AbC/"
    assert like["extra"]["reaction"] == "👍"
    profile = next(i for i in items if i["kind"] == "profile")
    assert profile["url"] == "https://www.instagram.com/hater_2026"
    assert profile["author"] == "hater_2026"
    message = next(i for i in items if i["kind"] == "message")
    assert message["text"] == RU and message["author"] == "hater_2026"


def test_bad_export_files_are_named_and_the_rest_goes_on(
    vault: Vault, tmp_path: Path
) -> None:
    root = tmp_path / "export"
    good = messenger_export(root)
    truncated = root / "your_facebook_activity" / "messages" / "inbox" / "x_1" / "message_1.json"
    truncated.parent.mkdir(parents=True)
    full = json.dumps({"participants": [{"name": "A"}], "messages": [
        {"sender_name": "A", "timestamp_ms": T0 * 1000, "content": "salam"}]})
    truncated.write_text(full[: len(full) // 2 + 20])
    write_meta(root / "your_facebook_activity" / "messages" / "inbox" / "y_2" /
                          "message_1.json", {
        "participants": [{"name": "B"}],
        "messages": [
            {"sender_name": "B", "timestamp_ms": T0 * 1000, "content": "bax",
             "photos": [{"uri": "../../../../secret.jpg"}]},
            {"sender_name": "B", "timestamp_ms": "yesterday", "content": "bad time"},
            "not a message",
        ],
    })
    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8\xff not for the vault")
    report = ingest(vault, [root])
    problems = {(p.path.name, p.path.parent.name, p.record): p.message for p in report.problems}
    assert "not valid JSON" in problems[("message_1.json", "x_1", "")]
    assert "outside the export" in problems[("message_1.json", "y_2", "messages[0]")]
    assert "not a number" in problems[("message_1.json", "y_2", "messages[1]")]
    assert "not a JSON object" in problems[("message_1.json", "y_2", "messages[2]")]
    texts = {i["text"] for i in list_items(vault, ItemFilter(kind="message"))}
    assert {AZ, RU, "bax"} <= texts
    assert "bad time" not in texts
    assert count(vault) == 4 + 1 + 1  # the good thread, the photo file, the refused-media message
    assert importer_for(good) is not None
    assert not any(good.read_text() in str(p) for p in report.problems)


def test_recognised_by_content_not_by_name(tmp_path: Path) -> None:
    renamed = write_meta(tmp_path / "anything.txt", {"comments_v2": []})
    assert isinstance(importer_for(renamed), MetaExportImporter)
    jsonl = tmp_path / "m.json"
    jsonl.write_text('{"platform": "x", "text": "one", "timestamp": 1}\n')
    assert importer_for(jsonl).name == "jsonl"  # type: ignore[union-attr]
    telegram = tmp_path / "result.json"
    telegram.write_text(json.dumps({"name": "G", "type": "private_group", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2026-01-01T00:00:00", "from": "A",
         "from_id": "user1", "text": "x"}]}))
    assert importer_for(telegram).name == "telegram-export"  # type: ignore[union-attr]


def test_album_photos_carry_the_comments_others_left(vault: Vault, tmp_path: Path) -> None:
    root = tmp_path / "facebook-aysel-2026"
    image(root / "your_facebook_activity" / "posts" / "media" / "Toy_xk2" / "555_n.jpg")
    album = write_meta(root / "your_facebook_activity" / "posts" / "album" / "0.json", {
        "name": "Toy şəkilləri",
        "photos": [{
            "uri": "your_facebook_activity/posts/media/Toy_xk2/555_n.jpg",
            "creation_timestamp": T0, "title": "Toy şəkilləri", "description": "Bizim toy",
            "comments": [
                {"timestamp": T0 + 60, "comment": AZ, "author": "Naməlum Şəxs"},
                {"timestamp": T0 + 120, "comment": RU, "author": "Иван Петров"},
                "junk",
            ]}],
        "cover_photo": {"uri": "your_facebook_activity/posts/media/Toy_xk2/555_n.jpg",
                        "creation_timestamp": T0, "title": "Toy şəkilləri"},
        "last_modified_timestamp": T0 + 120, "description": "",
    })
    assert isinstance(importer_for(album), MetaExportImporter)
    report = ingest(vault, [album])
    items = {i["source_record"]: i for i in list_items(vault)}
    photo = items["photos[0]"]
    assert photo["kind"] == "media" and photo["text"] == "Bizim toy"
    assert photo["extra"]["album"] == "Toy şəkilləri" and len(photo["media"]) == 1
    threat = items["photos[0].comments[0]"]
    assert threat["kind"] == "comment" and threat["text"] == AZ
    assert threat["author"] == "Naməlum Şəxs" and threat["time"] == "2026-09-21T14:14:20Z"
    assert threat["extra"]["on_media"] == "your_facebook_activity/posts/media/Toy_xk2/555_n.jpg"
    assert items["photos[0].comments[1]"]["author"] == "Иван Петров"
    assert [p.record for p in report.problems] == ["photos[0].comments[2]"]
