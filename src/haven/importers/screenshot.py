"""Screenshots as items: the image is the evidence, OCR makes its text searchable.

Most abuse reaches a targeted person as a screenshot: a friend's photo of a comment, a capture
of a Telegram post. This importer runs Debian's tesseract (Azerbaijani in Latin and Cyrillic
script, Russian, Turkish, English) over such an image and yields a post or comment item whose
text is what OCR read and whose media is the image itself, with the engine, languages and mean
confidence in `extra["ocr"]`, and a guess of the platform from the interface words OCR saw.

Which images are screenshots (looking at pixels would be guesswork, so the rule is explicit):
a PNG, JPEG or WebP file is taken as a screenshot when
  1. its file name says so ("Screenshot_2026…", "Screen Shot …", "Снимок экрана", "Скриншот",
     "Ekran görüntüsü", "Ekran şəkli", …), or
  2. it lies in a folder whose name says so (ingest a `screenshots/` folder to OCR everything
     in it), or
  3. its first bytes carry the word "Screenshot" (iOS writes it into EXIF, macOS into XMP,
     many capture tools into a PNG text chunk).
Any other image stays a plain media item (`media_files`).

What it must never do: write to the vault, drop the image when OCR fails (the image is still
yielded as a media item, with a Problem saying why there is no text), or log the text it read.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageStat

from haven.importers.media_files import media_type
from haven.model import Item, ItemKind, MediaRef, Problem, SourceRef

LANGUAGES = ("aze", "aze_cyrl", "rus", "tur", "eng")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
OCR_TIMEOUT = 180
MIN_WIDTH = 1200  # tesseract reads best at ~30 px letters; phone screenshots are often smaller
MAX_PIXELS = 60_000_000
SCREENSHOT_WORDS = (
    "screenshot", "screenshots", "screen shot", "screen_shot", "screen-shot", "scrnshot",
    "снимок экрана", "снимки экрана", "скриншот", "ekran görüntüsü", "ekran görüntüleri",
    "ekran şəkli", "ekran şəkilləri", "ekran resmi", "ekran təsviri",
)

# Interface words a platform shows around posts and comments, by platform. The platform's own
# name (or domain) counts three times: it is rarely on screen by accident.
PLATFORM_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "facebook": (("facebook", "fb.com"),
                 ("like", "bəyən", "нравится", "beğen", "share", "paylaş", "поделиться",
                  "most relevant", "all comments", "write a comment", "şərh yaz",
                  "напишите комментарий", "top fan")),
    "instagram": (("instagram",),
                  ("view replies", "see translation", "view all", "likes", "bəyənmə",
                   "отметок «нравится»", "beğenme", "tərcüməni gör", "posts", "followers")),
    "telegram": (("telegram", "t.me"),
                 ("subscribers", "подписчиков", "abunəçi", "abone", "forwarded from",
                  "переслано", "yönləndirilib", "views", "просмотр", "leave a comment",
                  "прокомментировать", "channel", "канал")),
    "vk": (("vk.com", "вконтакте", "vkontakte"),
           ("показать полностью", "ответить", "запись", "на стене")),
    "twitter": (("twitter", "x.com"),
                ("retweet", "repost", "quote", "ретвит", "retweetle")),
    "whatsapp": (("whatsapp",), ("online", "в сети", "typing", "печатает", "yazır")),
}
REPLY_WORDS = ("reply", "ответить", "cavab ver", "cavabla", "yanıtla", "yanıt ver", "replied")


def is_screenshot(path: Path, head: bytes) -> bool:
    """The rule in the module docstring: an image, and a name, folder or metadata saying so."""
    if media_type(head) not in IMAGE_TYPES:
        return False
    names = [path.name, *(parent.name for parent in path.parents)]
    for name in names:
        folded = " ".join(name.casefold().replace("_", " ").replace("-", " ").split())
        if any(word.replace("_", " ").replace("-", " ") in folded for word in SCREENSHOT_WORDS):
            return True
    return b"screenshot" in head.lower()


def guess_platform(text: str) -> tuple[str | None, list[str]]:
    """The platform whose interface words the OCR text shows most, and the words found."""
    folded = text.casefold()
    best: tuple[int, str | None, list[str]] = (0, None, [])
    for platform, (names, words) in PLATFORM_WORDS.items():
        score = 0
        signals = []
        for weight, group in ((3, names), (1, words)):
            for word in group:
                if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
                    score += weight
                    signals.append(word)
        if score > best[0]:
            best = (score, platform, signals)
    if best[0] < 2:
        return None, best[2]
    return best[1], best[2]


def looks_like_reply(text: str) -> bool:
    folded = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded) for word in REPLY_WORDS)


def taken_at(path: Path) -> str | None:
    """When the screenshot was taken, as the device wrote it in EXIF (local time, no zone).

    That is the time of the screenshot, not of the post in it, so it goes to `extra`.
    """
    try:
        with Image.open(path) as opened:
            exif = opened.getexif()
            value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(\d{4}):(\d\d):(\d\d) (\d\d:\d\d:\d\d)", value.strip("\x00 "))
    return f"{match[1]}-{match[2]}-{match[3]}T{match[4]}" if match else None


class OcrError(RuntimeError):
    """OCR could not run or failed; the message names the cause, never image text."""


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None
    engine: str
    languages: tuple[str, ...]


class Tesseract:
    """Debian's `tesseract` command line, run on one image at a time."""

    def __init__(self, command: str = "tesseract", languages: tuple[str, ...] = LANGUAGES) -> None:
        self.command = command
        self.wanted = languages
        self._engine: str | None = None
        self._available: tuple[str, ...] | None = None

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        executable = shutil.which(self.command)
        if executable is None:
            raise OcrError(f"{self.command!r} is not installed (apt-get install tesseract-ocr)")
        environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run([executable, *args], capture_output=True, timeout=timeout,
                                  check=False, env=environment)
        except subprocess.TimeoutExpired:
            raise OcrError(f"tesseract took longer than {timeout:.0f} s") from None
        except OSError as exc:
            raise OcrError(f"tesseract could not start ({exc.strerror})") from None
        return done

    def engine(self) -> str:
        if self._engine is None:
            done = self._run(["--version"], 30)
            first = (done.stdout or done.stderr).decode("utf-8", "replace").splitlines()
            self._engine = first[0].strip() if first else "tesseract"
        return self._engine

    def languages(self) -> tuple[str, ...]:
        """The wanted languages whose data is installed, in the wanted order."""
        if self._available is None:
            done = self._run(["--list-langs"], 30)
            listed = set((done.stdout + done.stderr).decode("utf-8", "replace").split())
            self._available = tuple(lang for lang in self.wanted if lang in listed)
        if not self._available:
            missing = " ".join(f"tesseract-ocr-{lang.replace('_', '-')}" for lang in self.wanted)
            raise OcrError(f"no OCR language data installed (apt-get install {missing})")
        return self._available

    def read(self, image: Path) -> OcrResult:
        languages = self.languages()
        engine = self.engine()
        with tempfile.TemporaryDirectory(prefix="haven-ocr-") as scratch:
            prepared = Path(scratch) / "page.png"
            _prepare(image, prepared)
            done = self._run([str(prepared), "stdout", "-l", "+".join(languages), "--psm", "3",
                              "tsv"], OCR_TIMEOUT)
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrError(f"tesseract failed (exit {done.returncode}: "
                           f"{lines[-1][:120] if lines else 'no message'})")
        text, confidence = _from_tsv(done.stdout.decode("utf-8", "replace"))
        return OcrResult(text, confidence, engine, languages)


def _prepare(image: Path, out: Path) -> None:
    """Upright, grey, dark text on light, big enough: what tesseract reads best."""
    try:
        with Image.open(image) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise OcrError(f"image too large to OCR ({opened.width}x{opened.height})")
            grey = ImageOps.exif_transpose(opened).convert("L")
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise OcrError(f"image cannot be decoded ({type(exc).__name__})") from None
    if ImageStat.Stat(grey).mean[0] < 110:  # dark mode: light text on a dark background
        grey = ImageOps.invert(grey)
    if grey.width < MIN_WIDTH:
        scale = MIN_WIDTH / grey.width
        grey = grey.resize((MIN_WIDTH, max(1, round(grey.height * scale))),
                           Image.Resampling.LANCZOS)
    grey.save(out, "PNG")


def _from_tsv(tsv: str) -> tuple[str, float | None]:
    """Text (lines and paragraphs as laid out) and mean word confidence (0-1) from TSV output."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        try:
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            confidence = float(row["conf"])
        except (KeyError, ValueError):
            continue
        lines.setdefault(key, []).append(word)
        if confidence >= 0:
            confidences.append(confidence)
    parts: list[str] = []
    previous: tuple[int, int] | None = None
    for key in sorted(lines):
        if previous is not None and key[:2] != previous:
            parts.append("")
        parts.append(" ".join(lines[key]))
        previous = key[:2]
    mean = round(sum(confidences) / len(confidences) / 100, 3) if confidences else None
    return "\n".join(parts).strip(), mean


class ScreenshotImporter:
    """PNG, JPEG and WebP screenshots (see the module docstring for which images count)."""

    name = "screenshot"
    version = "1"

    def __init__(self, ocr: Tesseract | None = None) -> None:
        self.ocr = ocr or Tesseract()

    def sniff(self, path: Path, head: bytes) -> bool:
        return is_screenshot(path, head)

    def estimate(self, path: Path) -> int | None:
        return 1

    def read(self, path: Path, source: SourceRef, platform: str | None) -> Iterator[Item | Problem]:
        with path.open("rb") as handle:
            kind_of_media = media_type(handle.read(64)) or "application/octet-stream"
        media = (MediaRef(path=path, role="screenshot"),)
        extra: dict[str, Any] = {"file_name": path.name, "media_type": kind_of_media}
        taken = taken_at(path)
        if taken:
            extra["screenshot_taken_at"] = taken
        try:
            result = self.ocr.read(path)
        except OcrError as exc:
            yield Problem(path, "ocr", f"{exc}; the image is kept without text")
            yield Item(kind=ItemKind.MEDIA, platform=platform or "unknown", source=source,
                       media=media, extra={**extra, "ocr": {"error": str(exc)}})
            return
        guess, signals = guess_platform(result.text)
        extra["ocr"] = {"engine": result.engine, "languages": list(result.languages),
                        "confidence": result.confidence}
        extra["platform_guess"] = guess
        extra["platform_signals"] = signals
        if not result.text:
            yield Item(kind=ItemKind.MEDIA, platform=platform or guess or "unknown",
                       source=source, media=media, extra=extra)
            return
        yield Item(
            kind=ItemKind.COMMENT if looks_like_reply(result.text) else ItemKind.POST,
            platform=platform or guess or "unknown",
            source=source,
            text=result.text,
            media=media,
            extra=extra,
        )
