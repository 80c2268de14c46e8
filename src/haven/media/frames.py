"""Reading any media file as a list of timed RGB frames, and the pixel edits both match sides use.

The matcher treats a photo as a one-frame video so one code path serves screenshots, photos and
clips. Pixel helpers here (resizing, bar stripping, crops, rotations) are shared by the
protected side, which hashes many edited variants, and the candidate side, which undoes edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from haven.media.errors import MediaError
from haven.media.pdq import RGBImage, load_image_rgb
from haven.media.vpdq import iter_frames, probe_video

#: Pictures smaller than this carry too little to compare; matching them would only add noise.
MIN_SIDE = 16


@dataclass(frozen=True)
class MediaFrames:
    """A decoded media file: ``kind`` is "image" or "video"; frames are (seconds, RGB) pairs."""

    path: str
    kind: str
    frames: list[tuple[float, RGBImage]]
    width: int
    height: int
    duration: float | None


def is_image_file(path: str | Path) -> bool:
    """True when Pillow recognises the file as an image (checked from content, not the name)."""
    try:
        with Image.open(path) as image:
            return image.format is not None
    except FileNotFoundError as exc:
        raise MediaError(path, "file not found") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False


def load_media(
    path: str | Path,
    seconds_per_frame: float,
    max_side: int,
    max_frames: int | None = None,
) -> MediaFrames:
    """Decode an image or a video into frames no larger than ``max_side`` pixels.

    Raises MediaError (naming the file) when it is neither a readable image nor a video.
    """
    path_str = str(path)
    if is_image_file(path):
        rgb = load_image_rgb(path)
        _check_size(path, rgb.shape[1], rgb.shape[0])
        return MediaFrames(
            path_str, "image", [(0.0, fit(rgb, max_side))], rgb.shape[1], rgb.shape[0], None
        )
    info = probe_video(path)
    _check_size(path, info.width, info.height)
    frames = [
        (f.timestamp, fit(f.rgb, max_side))
        for f in iter_frames(path, seconds_per_frame, max_frames=max_frames)
    ]
    duration = info.duration
    if duration is None or duration <= 0:
        duration = frames[-1][0] + seconds_per_frame
    return MediaFrames(path_str, "video", frames, info.width, info.height, duration)


def _check_size(path: str | Path, width: int, height: int) -> None:
    if min(width, height) < MIN_SIDE:
        raise MediaError(path, f"picture is {width}x{height} pixels, too small to compare")


def fit(rgb: RGBImage, max_side: int) -> RGBImage:
    """Shrink (never enlarge) so the longer side is at most ``max_side``, with area averaging."""
    h, w = rgb.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return np.ascontiguousarray(rgb)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))


def crop_fraction(rgb: RGBImage, box: tuple[float, float, float, float]) -> RGBImage:
    """Crop by a box given as fractions (left, top, width, height) of the picture."""
    h, w = rgb.shape[:2]
    x0 = round(box[0] * w)
    y0 = round(box[1] * h)
    x1 = max(x0 + 1, round((box[0] + box[2]) * w))
    y1 = max(y0 + 1, round((box[1] + box[3]) * h))
    return rgb[y0:y1, x0:x1]


def rotate(rgb: RGBImage, degrees: float, inscribed: bool) -> RGBImage:
    """Rotate about the centre keeping the size (black corners), or crop to the inner rectangle.

    Reposts that tilt a video do one or the other, so the protected side hashes both.
    """
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    turned = cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    if not inscribed:
        return np.asarray(turned, dtype=np.uint8)
    a = abs(np.radians(degrees))
    # Largest axis-aligned rectangle of the same aspect inside the rotated frame.
    factor = 1.0 / (np.cos(a) + np.sin(a) * max(w / h, h / w))
    cw, ch = w * factor, h * factor
    x0, y0 = int((w - cw) / 2), int((h - ch) / 2)
    return np.asarray(turned[y0 : h - y0, x0 : w - x0], dtype=np.uint8)


def _uniform_lines(rgb: RGBImage, axis: int, tolerance: int, share: float) -> npt.NDArray[np.bool_]:
    """For each row (axis=1) or column (axis=0): is it mostly one flat colour?"""
    lines = rgb if axis == 1 else rgb.transpose(1, 0, 2)
    median = np.median(lines, axis=1, keepdims=True)
    close = np.abs(lines.astype(np.int16) - median.astype(np.int16)).max(axis=2) <= tolerance
    mostly_flat: npt.NDArray[np.bool_] = close.mean(axis=1) >= share
    return mostly_flat


def _leading_run(mask: npt.NDArray[np.bool_], gap: int) -> int:
    """Length of the run of True at the start of mask, bridging False gaps up to ``gap`` long.

    Caption bars and app chrome contain text, so a few rows through the letters are not flat;
    bridging short gaps keeps the whole bar together. The run must end on a flat line.
    """
    end = 0
    i = 0
    n = len(mask)
    while i < n:
        if mask[i]:
            i += 1
            end = i
            continue
        j = i
        while j < n and not mask[j] and j - i < gap:
            j += 1
        if j < n and mask[j] and j - i <= gap:
            i = j
            continue
        break
    return end


def strip_bars(
    rgb: RGBImage,
    tolerance: int = 24,
    share: float = 0.6,
    max_fraction: float = 0.45,
    min_fraction: float = 0.02,
) -> RGBImage:
    """Remove flat-coloured bands around a picture: black borders, caption bars, app chrome.

    A band is a run of rows (or columns) that are mostly one colour, possibly with text on it.
    Each side loses at most ``max_fraction`` of the picture; bands thinner than
    ``min_fraction`` are left alone so that JPEG noise does not eat into real content.
    """
    out = rgb
    for _ in range(2):  # rows then columns, twice: chrome can frame a bar that frames the video
        before = out.shape
        for axis in (1, 0):
            size = out.shape[0] if axis == 1 else out.shape[1]
            if size < 16:
                return out
            mask = _uniform_lines(out, axis, tolerance, share)
            gap = max(2, int(0.06 * size))
            limit = int(max_fraction * size)
            top = min(_leading_run(mask, gap), limit)
            bottom = min(_leading_run(mask[::-1], gap), limit)
            top = top if top >= min_fraction * size else 0
            bottom = bottom if bottom >= min_fraction * size else 0
            if top + bottom >= size - 8:
                continue
            out = out[top : size - bottom] if axis == 1 else out[:, top : size - bottom]
        if out.shape == before:
            break
    return np.ascontiguousarray(out)
