"""Builders for realistic web captures: WARC records made with warcio, pages in real structures."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path

from PIL import Image
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from haven.demo.media import scene_frame

CHANNEL_URL = "https://t.me/s/ganja_xeber"
MESSAGES = [
    (101, "2026-10-03T08:15:00+00:00", "Bunları tapıb cəzalandırmaq lazımdır. Ünvanları bəllidir."),
    (102, "2026-10-03T09:40:12+00:00", "Их надо найти, адрес все знают. Пекарня на углу."),
    (103, "2026-10-03T11:02:45+00:00", "Онлары тапана мүкафат верәҹәјәм, 500 манат."),
]


def telegram_channel_page() -> bytes:
    """A t.me/s/ channel preview as Telegram serves it: one `tgme_widget_message` per post."""
    blocks = []
    for number, when, text in MESSAGES:
        reply = ""
        if number == 103:
            reply = ('<a class="tgme_widget_message_reply" href="https://t.me/ganja_xeber/101">'
                     '<div class="tgme_widget_message_text js-message_reply_text">'
                     'Bunları tapıb</div></a>')
        body = text.replace(". ", ".<br/>", 1)
        blocks.append(f"""
<div class="tgme_widget_message_wrap js-widget_message_wrap">
 <div class="tgme_widget_message text_not_supported_wrap js-widget_message"
      data-post="ganja_xeber/{number}" data-view="eyJjIjotMTAw">
  <div class="tgme_widget_message_bubble">
   <div class="tgme_widget_message_author accent_color">
    <a class="tgme_widget_message_owner_name" href="https://t.me/ganja_xeber">
     <span dir="auto">Gəncə Xəbər</span></a>
   </div>
   {reply}
   <div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>
   <div class="tgme_widget_message_footer compact js-message_footer">
    <div class="tgme_widget_message_info short js-message_info">
     <span class="tgme_widget_message_views">1.2K</span>
     <span class="tgme_widget_message_meta">
      <a class="tgme_widget_message_date" href="https://t.me/ganja_xeber/{number}">
       <time datetime="{when}" class="time">{when[11:16]}</time></a></span>
    </div>
   </div>
  </div>
 </div>
</div>""")
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Gəncə Xəbər – Telegram</title>
<script>var x = "not text";</script></head>
<body><section class="tgme_channel_history js-message_history">{''.join(blocks)}</section>
</body></html>"""
    return page.encode("utf-8")


def facebook_mbasic_page() -> bytes:
    """An mbasic.facebook.com story permalink with two comments."""
    return """<html><head><title>Facebook</title></head><body>
<div id="m_story_permalink_view">
 <div data-ft='{"tn":"*s"}'>
  <header><h3><strong><a href="/profile.php?id=1000123">Anar Məmmədov</a></strong></h3></header>
  <div><p>Bu videonu hamı görsün.</p><p>Paylaşın!</p></div>
 </div>
 <div id="ufi_555">
  <div>
   <div id="9001"><div><h3><a href="/tural.h">Tural H</a></h3>
     <div>Onların işdən çıxarılması azdır</div>
     <div><abbr>5 hrs</abbr> · <a href="/like">Like</a></div></div></div>
   <div id="9002"><div><h3><a href="/profile.php?id=42">Вася Пупкин</a></h3>
     <div>Адрес: ул. Низами 5</div></div></div>
  </div>
 </div>
</div></body></html>""".encode()


def vk_wall_page() -> bytes:
    """A vk.com wall with one post and one reply under it."""
    return """<html><head><title>ВКонтакте</title></head><body>
<div id="page_wall_posts">
 <div class="_post post page_block" id="post-77_10" data-post-id="-77_10">
  <div class="post_header"><a class="author" href="/club77">Группа Гянджа</a>
   <span class="rel_date" time="1791100800">3 окт</span></div>
  <div class="wall_text"><div class="wall_post_text">Кто знает где они живут?</div></div>
  <div class="replies">
   <div class="reply" id="post-77_11" data-post-id="-77_11">
    <a class="author" href="/id555">Иван Иванов</a>
    <div class="reply_text"><div class="wall_reply_text">Я знаю, скину адрес</div></div>
    <div class="reply_date"><span class="rel_date" time="1791104400">3 окт</span></div>
   </div>
  </div>
 </div>
</div></body></html>""".encode()


def instagram_post_page() -> bytes:
    data = {
        "@context": "https://schema.org", "@type": "SocialMediaPosting",
        "url": "https://www.instagram.com/p/CxYz123/",
        "articleBody": "Bu ikisini tanıyan var? 😡",
        "author": {"@type": "Person", "alternateName": "@hater_az", "name": "Hater"},
        "dateCreated": "2026-10-02T19:00:00+04:00",
        "comment": [{"@type": "Comment", "text": "Öldürmək lazımdır",
                     "author": {"@type": "Person", "alternateName": "@user_two"},
                     "dateCreated": "2026-10-02T19:05:00+04:00"}],
    }
    return ('<html><head><title>Instagram</title><script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False) + "</script></head><body></body></html>"
            ).encode()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.fromarray(scene_frame(3.0, 96, 64)).save(out, "PNG")
    return out.getvalue()


def write_response(writer: WARCWriter, url: str, body: bytes, content_type: str,
                   date: str = "2026-10-04T12:00:00Z", status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type),
                                        ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                       http_headers=headers,
                                       warc_headers_dict=fixed_headers(url, "response", date))
    writer.write_record(record)
    request = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True),
        warc_headers_dict=fixed_headers(url, "request", date))
    writer.write_record(request)


def fixed_headers(url: str, kind: str, date: str) -> dict[str, str]:
    """Record ids derived from the URL, so that a capture built twice has the same bytes."""
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, kind + url)
    return {"WARC-Date": date, "WARC-Record-ID": f"<urn:uuid:{record_id}>"}


def capture(gzip: bool = True) -> bytes:
    """A capture session: warcinfo, a t.me channel page, its image, a script, three more pages."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    info = writer.create_warcinfo_record("capture.warc", {"software": "test"})
    for name, value in fixed_headers("capture.warc", "warcinfo", "2026-10-04T11:59:00Z").items():
        info.rec_headers.replace_header(name, value)
    writer.write_record(info)
    write_response(writer, CHANNEL_URL, telegram_channel_page(), "text/html; charset=utf-8")
    write_response(writer, "https://cdn4.telesco.pe/file/photo1.png", png_bytes(), "image/png")
    write_response(writer, "https://telegram.org/js/widget.js", b"var a=1;" * 50,
                   "application/javascript")
    write_response(writer, "https://mbasic.facebook.com/story.php?story_fbid=77&id=1000123",
                   facebook_mbasic_page(), "text/html")
    write_response(writer, "https://vk.com/club77", vk_wall_page(), "text/html; charset=utf-8")
    write_response(writer, "https://www.instagram.com/p/CxYz123/", instagram_post_page(),
                   "text/html; charset=utf-8")
    write_response(writer, "https://example.org/news/ganja", b"<html><body><h1>Ganja</h1>"
                   b"<p>They live at Nizami street 5</p></body></html>", "text/html")
    return out.getvalue()


def wacz(path: Path, warc: bytes, declared_sha: str | None = None) -> Path:
    """A WACZ package as the WACZ 1.1 spec lays it out."""
    pages = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"},
             {"id": "1", "url": CHANNEL_URL, "ts": "2026-10-04T12:00:00Z",
              "title": "Gəncə Xəbər"}]
    pages_bytes = "\n".join(json.dumps(p, ensure_ascii=False) for p in pages).encode()
    digest = declared_sha or hashlib.sha256(warc).hexdigest()
    package = {"profile": "data-package", "wacz_version": "1.1.1",
               "resources": [{"name": "data.warc.gz", "path": "archive/data.warc.gz",
                              "hash": f"sha256:{digest}", "bytes": len(warc)},
                             {"name": "pages.jsonl", "path": "pages/pages.jsonl",
                              "hash": "sha256:" + hashlib.sha256(pages_bytes).hexdigest(),
                              "bytes": len(pages_bytes)}]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("archive/data.warc.gz", warc, compress_type=zipfile.ZIP_STORED)
        zf.writestr("pages/pages.jsonl", pages_bytes, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("indexes/index.cdx", b"", compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("datapackage.json", json.dumps(package), compress_type=zipfile.ZIP_DEFLATED)
    return path


def api_capture() -> bytes:
    """What a browser capture of today's Instagram and Facebook holds: the app's JSON."""
    media_pk = 3141592653589793238
    comments = {"comments": [
        {"pk": "18011111111111111", "text": "Onları tapın, ünvan Nizami 5",
         "created_at": 1791100800, "media_id": f"{media_pk}_25025320",
         "user": {"username": "hater_az", "full_name": "H A"}},
        {"pk": "18022222222222222", "text": "Их адрес все знают", "created_at_utc": 1791101400,
         "media_id": str(media_pk), "user": {"username": "vasya.p"}},
    ], "comment_count": 2, "status": "ok"}
    graphql = [
        {"data": {"node": {"__typename": "Feedback", "comments": {"edges": [{"node": {
            "__typename": "Comment", "id": "Y29tbWVudDox", "legacy_fbid": "9001",
            "created_time": 1791104400, "body": {"text": "Bunları işdən qovdurmaq lazımdır"},
            "author": {"__typename": "User", "id": "100077", "name": "Anar M"},
            "url": "https://www.facebook.com/ganja/posts/77?comment_id=9001"}}]}}}},
        {"label": "CometUFI$defer", "data": {"__typename": "Comment", "id": "Y29tbWVudDoy",
                                             "legacy_fbid": "9003", "created_time": 1791104460,
                                             "body": {"text": "Адрес: Низами 5"},
                                             "author": {"id": "100078", "name": "Петя"}}},
    ]
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    write_response(writer, f"https://www.instagram.com/api/v1/media/{media_pk}/comments/",
                   json.dumps(comments, ensure_ascii=False).encode(), "application/json")
    write_response(writer, "https://www.facebook.com/api/graphql/",
                   b"for (;;);" + "\n".join(json.dumps(g, ensure_ascii=False)
                                            for g in graphql).encode(),
                   "application/json")
    return out.getvalue()
