"""Screenshots through OCR (the real tesseract) into items, and what happens when OCR cannot run."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

import haven.importers
from haven.importers.screenshot import (
    ScreenshotImporter,
    Tesseract,
    guess_platform,
    is_screenshot,
    looks_like_reply,
    taken_at,
)
from haven.ingest import ingest
from haven.model import Item, sha256_hex
from haven.reports.items import list_items
from haven.vault import Vault

FONTS = Path("/usr/share/fonts/truetype/dejavu")
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None or not (FONTS / "DejaVuSans.ttf").exists(),
    reason="tesseract-ocr and fonts-dejavu are installed by scripts/apt-packages.txt",
)

# What a Facebook comment thread looks like on a phone: names, comments, the action line.
FACEBOOK_THREAD = [
    ("bold", "Tural Həsənov"),
    ("text", "Bunları tapıb cəzalandırmaq lazımdır"),
    ("small", "2 saat   Bəyən   Cavab ver"),
    ("bold", "Вася Пупкин"),
    ("text", "Их надо найти, адрес все знают"),
    ("small", "1 ч   Нравится   Ответить"),
    ("bold", "Stay Strong"),
    ("text", "Stay safe, we are with you"),
    ("small", "Facebook   Like   Reply"),
]
TELEGRAM_POST = [
    ("bold", "Gəncə Xəbər"),
    ("small", "12 400 subscribers"),
    ("text", "Onların ünvanı: Nizami küçəsi 5"),
    ("text", "Пекарня на углу, все туда"),
    ("small", "t.me/ganja_xeber   views 1.2K"),
]


def render(path: Path, lines: list[tuple[str, str]], dark: bool = False) -> Path:
    fonts = {"bold": ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 26),
             "text": ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 30),
             "small": ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 22)}
    background, ink = ((24, 25, 26), (228, 230, 235)) if dark else ((255, 255, 255), (5, 5, 5))
    image = Image.new("RGB", (1080, 90 + 64 * len(lines)), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1080, 40), fill=(66, 103, 178) if not dark else (40, 40, 40))
    y = 60
    for style, text in lines:
        draw.text((48, y), text, fill=ink, font=fonts[style])
        y += 64
    image.save(path)
    return path


def accuracy(expected: str, got: str) -> float:
    squeeze = " ".join
    return difflib.SequenceMatcher(None, squeeze(expected.split()), squeeze(got.split())).ratio()


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(haven.importers, "IMPORTERS",
                        (ScreenshotImporter(), *haven.importers.IMPORTERS))


@needs_ocr
def test_screenshot_becomes_a_comment_with_its_text(vault: Vault, tmp_path: Path) -> None:
    shot = render(tmp_path / "Screenshot_20261003-101500_Facebook.png", FACEBOOK_THREAD)
    report = ingest(vault, [shot])
    assert report.problems == [] and report.new_items == 1
    (item,) = list_items(vault)
    assert item["kind"] == "comment" and item["platform"] == "facebook"
    text = item["text"]
    for word in ("cəzalandırmaq", "tapıb", "найти", "адрес", "знают", "safe"):
        assert word in text
    expected = " ".join(line for _, line in FACEBOOK_THREAD)
    assert accuracy(expected, text) >= 0.9
    ocr = item["extra"]["ocr"]
    assert ocr["engine"].startswith("tesseract ") and "aze_cyrl" in ocr["languages"]
    assert 0.5 < ocr["confidence"] <= 1.0
    assert item["extra"]["platform_guess"] == "facebook"
    assert item["media"][0]["sha256"] == sha256_hex(shot.read_bytes())
    assert item["media"][0]["role"] == "screenshot"
    assert ingest(vault, [shot]).new_items == 0


@needs_ocr
def test_dark_jpeg_in_a_screenshots_folder(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    png = render(tmp_path / "dark.png", TELEGRAM_POST, dark=True)
    jpeg = folder / "IMG_0412.jpg"
    Image.open(png).convert("RGB").save(jpeg, "JPEG", quality=92)
    report = ingest(vault, [folder])
    assert report.problems == []
    (item,) = list_items(vault)
    assert item["kind"] == "post" and item["platform"] == "telegram"
    for word in ("Nizami", "ünvanı", "Пекарня", "углу"):
        assert word in item["text"]


def test_which_images_count_as_screenshots(tmp_path: Path) -> None:
    png = tmp_path / "photo.png"
    Image.new("RGB", (20, 20)).save(png)
    head = png.read_bytes()
    assert not is_screenshot(png, head)
    assert is_screenshot(tmp_path / "Screen Shot 2026-10-03 at 10.15.00.png", head)
    assert is_screenshot(tmp_path / "Снимок экрана 2026-10-03.png", head)
    assert is_screenshot(tmp_path / "Ekran görüntüsü 2026.png", head)
    assert is_screenshot(tmp_path / "Ekran Şəkli" / "a.png", head)
    assert is_screenshot(tmp_path / "Screenshots" / "IMG_1.png", head)
    assert is_screenshot(png, head[:40] + b"<exif:UserComment>Screenshot</exif:UserComment>")
    assert not is_screenshot(tmp_path / "screenshot.txt", b"platform,url,text\n")


def test_platform_guess_and_reply_words() -> None:
    assert guess_platform("Telegram\n1 200 подписчиков")[0] == "telegram"
    assert guess_platform("Bəyən  Cavab ver  Paylaş")[0] == "facebook"
    assert guess_platform("just some words")[0] is None
    assert looks_like_reply("5 d  Yanıtla") and not looks_like_reply("Replying is fun")


def test_ocr_failure_keeps_the_image(vault: Vault, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(haven.importers, "IMPORTERS", (
        ScreenshotImporter(Tesseract(command="tesseract-not-installed")),
        *haven.importers.IMPORTERS))
    shot = tmp_path / "Screenshot_1.png"
    Image.new("RGB", (64, 64), (250, 250, 250)).save(shot)
    report = ingest(vault, [shot])
    assert [(p.path, p.record) for p in report.problems] == [(shot, "ocr")]
    assert "not installed" in report.problems[0].message
    (item,) = list_items(vault)
    assert item["kind"] == "media" and item["text"] is None
    assert item["media"][0]["sha256"] == sha256_hex(shot.read_bytes())


@needs_ocr
def test_missing_language_data_and_broken_image_are_problems(tmp_path: Path) -> None:
    shot = tmp_path / "Screenshot_2.png"
    Image.new("RGB", (64, 64)).save(shot)
    no_data = ScreenshotImporter(Tesseract(languages=("xx_none",)))
    results = list(no_data.read(shot, haven.model.SourceRef(shot, "x"), None))
    assert "no OCR language data" in str(results[0])
    assert isinstance(results[1], Item) and results[1].kind.value == "media"
    broken = tmp_path / "Screenshot_3.png"
    broken.write_bytes(shot.read_bytes()[:60])
    results = list(ScreenshotImporter().read(broken, haven.model.SourceRef(broken, "x"), None))
    assert "cannot be decoded" in str(results[0])
    assert isinstance(results[1], Item) and results[1].kind.value == "media"


def test_exif_time_of_the_screenshot_is_kept(tmp_path: Path) -> None:
    shot = tmp_path / "Screenshot_4.jpg"
    exif = Image.Exif()
    exif[0x0132] = "2026:10:03 10:15:00"
    Image.new("RGB", (64, 64), (255, 255, 255)).save(shot, "JPEG", exif=exif)
    assert taken_at(shot) == "2026-10-03T10:15:00"
    assert taken_at(tmp_path / "missing.png") is None
