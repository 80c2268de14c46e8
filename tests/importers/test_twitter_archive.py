"""X/Twitter archives (data/*.js with the window.YTD prefix), built in the real layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from export_support import AZ, RU, count, image, register

from haven.importers import importer_for
from haven.importers.twitter import TwitterArchiveImporter, parse_created_at
from haven.ingest import ingest
from haven.model import sha256_hex
from haven.reports.items import list_items
from haven.vault import Vault

OWN = "1500000000000000001"
OTHER = "1600000000000000002"


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch)


def ytd(folder: Path, file: str, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file
    path.write_text(f"window.YTD.{name}.part0 = " + json.dumps(data, indent=2, ensure_ascii=False),
                    encoding="utf-8")
    return path


def tweet(tweet_id: str, text: str, created: str, **fields: Any) -> dict[str, Any]:
    return {"tweet": {"id_str": tweet_id, "id": tweet_id, "full_text": text, "created_at": created,
                      "lang": "az", "favorite_count": "0", "retweet_count": "0",
                      "entities": {"hashtags": [], "symbols": [], "user_mentions": [],
                                   "urls": []}, **fields}}


def archive(root: Path, with_account: bool = True) -> Path:
    data = root / "data"
    if with_account:
        ytd(data, "account.js", "account", [{"account": {
            "email": "aysel@example.org", "createdVia": "web", "username": "aysel_q",
            "accountId": OWN, "createdAt": "2019-01-01T00:00:00.000Z",
            "accountDisplayName": "Aysel Quliyeva"}}])
    image(data / "tweets_media" / "1840000000000000001-GaBcDeFXkAAx1yZ.jpg")
    image(data / "direct_messages_media" / "1840000000000009001-QwErTy12.jpg", seed=5)
    ytd(data, "tweets.js", "tweets", [
        tweet("1840000000000000001", "Bizim gün ❤ https://t.co/abc",
              "Mon Sep 21 14:13:20 +0000 2026",
              extended_entities={"media": [{
                  "type": "photo", "id_str": "1", "expanded_url": "https://x.com/aysel_q/status/1",
                  "media_url_https": "https://pbs.twimg.com/media/GaBcDeFXkAAx1yZ.jpg"}]}),
        tweet("1840000000000000002", f"@hater_2026 {AZ}", "Tue Sep 22 08:00:00 +0400 2026",
              in_reply_to_status_id_str="1839999999999999999", in_reply_to_screen_name="hater_2026",
              entities={"hashtags": [{"text": "Gəncə"}], "user_mentions": [
                  {"screen_name": "hater_2026", "id_str": OTHER}], "urls": [
                  {"expanded_url": "https://example.org/report", "url": "https://t.co/x"}]}),
        tweet("1840000000000000003", "video", "Wed Sep 23 10:00:00 +0000 2026",
              extended_entities={"media": [{"type": "video", "video_info": {"variants": [
                  {"bitrate": "832000", "content_type": "video/mp4",
                   "url": "https://video.twimg.com/ext_tw_video/1/pu/vid/640x360/lowQ.mp4?tag=12"},
                  {"bitrate": "2176000", "content_type": "video/mp4",
                   "url": "https://video.twimg.com/ext_tw_video/1/pu/vid/1280x720/highQ.mp4"},
                  {"content_type": "application/x-mpegURL",
                   "url": "https://video.twimg.com/ext_tw_video/1/pu/pl/list.m3u8"}]}}]}),
        {"tweet": {"full_text": "no id"}},
    ])
    ytd(data, "direct-messages.js", "direct_messages", [{"dmConversation": {
        "conversationId": f"{OWN}-{OTHER}",
        "messages": [
            {"messageCreate": {"recipientId": OWN, "reactions": [], "urls": [],
                               "text": RU, "mediaUrls": [], "senderId": OTHER,
                               "id": "1840000000000009000",
                               "createdAt": "2026-09-21T15:00:00.000Z"}},
            {"messageCreate": {"recipientId": OTHER, "reactions": [
                {"senderId": OTHER, "reactionKey": "funny", "eventId": "9",
                 "createdAt": "2026-09-21T15:02:00.000Z"}], "urls": [],
                               "text": "Bunu polisə göstərəcəyəm https://t.co/q",
                               "mediaUrls": ["https://ton.twitter.com/dm/1840000000000009001/"
                                             "1840000000000009002/QwErTy12.jpg"],
                               "senderId": OWN, "id": "1840000000000009001",
                               "createdAt": "2026-09-21T15:01:00.000Z"}},
            {"joinConversation": {"initiatingUserId": OTHER, "participantsSnapshot": []}},
        ]}}])
    ytd(data, "like.js", "like", [{"like": {
        "tweetId": "1839999999999999999", "fullText": "hostile tweet text",
        "expandedUrl": "https://twitter.com/i/web/status/1839999999999999999"}}])
    ytd(data, "ad-engagements.js", "ad_engagements", [{"ad": {}}])
    return data


def test_created_at_is_utc() -> None:
    assert parse_created_at("Wed Oct 10 20:19:24 +0000 2018") == "2018-10-10T20:19:24Z"
    assert parse_created_at("Tue Sep 22 08:00:00 +0400 2026") == "2026-09-22T04:00:00Z"


def test_tweets_direct_messages_and_likes(vault: Vault, tmp_path: Path) -> None:
    data = archive(tmp_path / "twitter-2026-10-01-abc")
    report = ingest(vault, [data / name for name in (
        "account.js", "tweets.js", "direct-messages.js", "like.js", "ad-engagements.js")])
    assert report.files == 5
    items = list(list_items(vault))
    by_url = {i["url"]: i for i in items if i["url"]}
    post = by_url["https://x.com/i/web/status/1840000000000000001"]
    assert post["kind"] == "post" and post["author"] == "aysel_q"
    assert post["author_name"] == "Aysel Quliyeva" and post["time"] == "2026-09-21T14:13:20Z"
    jpg = (data / "tweets_media" / "1840000000000000001-GaBcDeFXkAAx1yZ.jpg").read_bytes()
    assert post["media"][0]["sha256"] == sha256_hex(jpg)
    assert post["extra"]["handle_url"] == "https://x.com/aysel_q/status/1840000000000000001"
    reply = by_url["https://x.com/i/web/status/1840000000000000002"]
    assert reply["kind"] == "comment" and reply["text"] == f"@hater_2026 {AZ}"
    assert reply["parent_url"] == "https://x.com/i/web/status/1839999999999999999"
    assert reply["time"] == "2026-09-22T04:00:00Z"
    assert reply["extra"]["mentions"] == ["hater_2026"]
    assert reply["extra"]["hashtags"] == ["Gəncə"]
    assert reply["extra"]["links"] == ["https://example.org/report"]
    video = by_url["https://x.com/i/web/status/1840000000000000003"]
    assert video["extra"]["missing_media"] == ["1840000000000000003-highQ.mp4"]
    incoming = by_url[f"https://x.com/messages/{OWN}-{OTHER}#1840000000000009000"]
    assert incoming["kind"] == "message" and incoming["text"] == RU
    assert incoming["author"] == OTHER and incoming["time"] == "2026-09-21T15:00:00Z"
    outgoing = by_url[f"https://x.com/messages/{OWN}-{OTHER}#1840000000000009001"]
    assert outgoing["author"] == "aysel_q" and len(outgoing["media"]) == 1
    assert outgoing["extra"]["reactions"] == [{"reaction": "funny", "by": OTHER}]
    (like,) = [i for i in items if i["extra"].get("activity") == "reaction"]
    assert like["parent_url"] == "https://x.com/i/web/status/1839999999999999999"
    assert len(items) == 6
    problems = {p.record: p.message for p in report.problems}
    assert "highQ.mp4" in problems["tweets[2]"]
    assert "no id_str" in problems["tweets[3]"]
    assert len(problems) == 2
    assert ingest(vault, [data]).new_items == 2  # only the two media files, as media items


def test_without_account_and_with_broken_files(vault: Vault, tmp_path: Path) -> None:
    data = archive(tmp_path / "a", with_account=False)
    broken = data / "tweets-part1.js"
    broken.write_text('window.YTD.tweets.part1 = [ {"tweet": {"id_str": "1", "full_te')
    report = ingest(vault, [data / "tweets.js", broken])
    (post, *_) = [i for i in list_items(vault) if i["text"] and i["text"].startswith("Bizim")]
    assert post["author"] is None
    broken_problem = next(p for p in report.problems if p.path == broken)
    assert broken_problem.record == "" and "not valid JSON" in broken_problem.message
    assert count(vault) == 3


def test_recognised_by_prefix(tmp_path: Path) -> None:
    data = archive(tmp_path / "r")
    renamed = (data / "tweets.js").rename(tmp_path / "x.txt")
    assert isinstance(importer_for(renamed), TwitterArchiveImporter)
    assert not TwitterArchiveImporter().sniff(renamed, b"var x = 1;\n")
