"""Synthetic photos and videos, and the edits reposts apply to them, for tests, benchmarks, demos.

No real private media may ship with Haven, and downloading test footage is not allowed, so
tests and benchmarks generate their own: textured scenes (multi-scale colour noise plus
shapes) that a camera pans across while objects move, giving high PDQ quality and plenty of
keypoints. Different seeds give unrelated content, which serves as distractors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from haven.media.pdq import RGBImage

FrameEdit = Callable[[RGBImage], RGBImage]


def scene(seed: int, width: int, height: int) -> RGBImage:
    """A natural-looking still: smooth colour fields, texture, and a few dozen shapes."""
    rng = np.random.default_rng(seed)
    field = np.zeros((height, width, 3), dtype=np.float32)
    for cells, weight in ((3, 90.0), (8, 50.0), (24, 25.0), (80, 12.0)):
        small = rng.normal(0, 1, (cells, max(2, cells * width // height), 3)).astype(np.float32)
        field += weight * cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    field += rng.uniform(60, 190, 3).astype(np.float32)
    image = np.clip(field, 0, 255).astype(np.uint8)
    for _ in range(40):
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        kind = rng.integers(0, 3)
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        size = int(rng.integers(max(4, width // 60), max(8, width // 10)))
        if kind == 0:
            cv2.rectangle(image, (x, y), (x + size, y + size * 2 // 3), color, -1)
        elif kind == 1:
            cv2.circle(image, (x, y), size // 2, color, -1)
        else:
            x2, y2 = x + int(rng.integers(-size * 2, size * 2)), y + int(rng.integers(-size, size))
            cv2.line(image, (x, y), (x2, y2), color, max(2, size // 8))
    return image


def moving_frames(
    seed: int, width: int, height: int, seconds: float, fps: int = 25
) -> Iterable[RGBImage]:
    """Frames of a camera panning slowly over a scene, with three objects moving across it."""
    rng = np.random.default_rng(seed + 10_000)
    canvas = scene(seed, width * 2, height * 2)
    sprites = [scene(seed * 7 + k, width // 6, height // 6) for k in range(3)]
    starts = rng.uniform(0, 1, (3, 2))
    velocities = rng.uniform(-0.03, 0.03, (3, 2))
    pan_dir = rng.uniform(-1, 1, 2)
    pan_dir /= np.linalg.norm(pan_dir) + 1e-9
    total = round(seconds * fps)
    for index in range(total):
        t = index / fps
        # A hand-held camera: drifts ~1% of the frame per second along a gentle curve.
        # (PDQ bits flip after a shift of a few percent, so faster pans would make frames
        # half a second apart look unrelated, unlike most phone footage.)
        cx = width / 2 + pan_dir[0] * 0.01 * width * t + 0.03 * width * np.sin(t / 3)
        cy = height / 2 + pan_dir[1] * 0.01 * height * t + 0.03 * height * np.cos(t / 4)
        x0 = int(np.clip(cx, 0, width))
        y0 = int(np.clip(cy, 0, height))
        frame = canvas[y0 : y0 + height, x0 : x0 + width].copy()
        for sprite, start, velocity in zip(sprites, starts, velocities, strict=True):
            sh, sw = sprite.shape[:2]
            px = int(((start[0] + velocity[0] * t) % 1.0) * (width - sw))
            py = int(((start[1] + velocity[1] * t) % 1.0) * (height - sh))
            frame[py : py + sh, px : px + sw] = sprite
        yield frame


def write_video(
    path: str | Path,
    frames: Iterable[RGBImage],
    fps: float = 25,
    crf: int = 23,
    codec: str = "libx264",
) -> Path:
    """Encode RGB frames as H.264 MP4 (even dimensions are enforced by cropping one pixel)."""
    out = Path(path)
    rate = Fraction(fps).limit_denominator(1000)
    with av.open(str(out), mode="w") as container:
        stream: av.video.stream.VideoStream | None = None
        for frame in frames:
            h, w = frame.shape[:2]
            frame = np.ascontiguousarray(frame[: h - h % 2, : w - w % 2])
            if stream is None:
                added = container.add_stream(codec, rate=rate)
                assert isinstance(added, av.video.stream.VideoStream)
                stream = added
                stream.width = frame.shape[1]
                stream.height = frame.shape[0]
                stream.pix_fmt = "yuv420p"
                stream.options = {"crf": str(crf), "preset": "veryfast"}
            video_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
            for packet in stream.encode(video_frame):
                container.mux(packet)
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    return out


def read_video(path: str | Path) -> tuple[list[RGBImage], float]:
    """All frames of a (small) video and its frame rate, for building edited copies."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or 25)
        frames = [
            np.asarray(f.to_ndarray(format="rgb24"), dtype=np.uint8)
            for f in container.decode(stream)
        ]
    return frames, fps


# ---- edits a repost applies (each maps a frame to a frame) ----


def crop_center(fraction: float, anchor: tuple[float, float] = (0.5, 0.5)) -> FrameEdit:
    """Keep ``fraction`` of width and height, placed at ``anchor`` (0..1 each way)."""

    def edit(rgb: RGBImage) -> RGBImage:
        h, w = rgb.shape[:2]
        cw, ch = int(w * fraction), int(h * fraction)
        x0, y0 = int((w - cw) * anchor[0]), int((h - ch) * anchor[1])
        return rgb[y0 : y0 + ch, x0 : x0 + cw]

    return edit


def rotate_edit(degrees: float) -> FrameEdit:
    def edit(rgb: RGBImage) -> RGBImage:
        h, w = rgb.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
        return np.asarray(cv2.warpAffine(rgb, matrix, (w, h)), dtype=np.uint8)

    return edit


def mirror(rgb: RGBImage) -> RGBImage:
    return np.ascontiguousarray(rgb[:, ::-1])


def scale_to(height: int) -> FrameEdit:
    def edit(rgb: RGBImage) -> RGBImage:
        h, w = rgb.shape[:2]
        width = round(w * height / h / 2) * 2
        return np.asarray(cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA))

    return edit


def _text(canvas: RGBImage, text: str, org: tuple[int, int], scale: float, color: int) -> None:
    cv2.putText(canvas, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (color,) * 3, 2, cv2.LINE_AA)


def caption_bar(
    fraction: float = 0.18, text: str = "look at this lol", on_top: bool = True
) -> FrameEdit:
    """Add a white bar with black text above (or below) the video, growing the canvas."""

    def edit(rgb: RGBImage) -> RGBImage:
        h, w = rgb.shape[:2]
        bar = np.full((int(h * fraction), w, 3), 255, dtype=np.uint8)
        _text(bar, text, (8, int(bar.shape[0] * 0.65)), max(0.4, h / 500), 0)
        parts = [bar, rgb] if on_top else [rgb, bar]
        return np.ascontiguousarray(np.vstack(parts))

    return edit


def text_overlay(text: str = "SHARE BEFORE DELETED") -> FrameEdit:
    """Draw white text with a dark outline over the picture, as meme reposts do."""

    def edit(rgb: RGBImage) -> RGBImage:
        out = rgb.copy()
        h, w = out.shape[:2]
        scale = max(0.5, h / 300)
        org = (int(w * 0.05), int(h * 0.9))
        cv2.putText(out, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 5, cv2.LINE_AA)
        cv2.putText(
            out, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 2, cv2.LINE_AA
        )
        return out

    return edit


def black_borders(fraction: float = 0.12) -> FrameEdit:
    """Letterbox and pillarbox at once: pad every side with black."""

    def edit(rgb: RGBImage) -> RGBImage:
        h, w = rgb.shape[:2]
        py, px = int(h * fraction), int(w * fraction)
        return np.asarray(cv2.copyMakeBorder(rgb, py, py, px, px, cv2.BORDER_CONSTANT, value=0))

    return edit


def reframe_vertical(position: float = 0.4, out_height: int | None = None) -> FrameEdit:
    """A 9:16 phone reframe: cut a full-height vertical slice at ``position`` (0 left, 1 right)."""

    def edit(rgb: RGBImage) -> RGBImage:
        h, w = rgb.shape[:2]
        cw = int(h * 9 / 16)
        x0 = int((w - cw) * position)
        out = rgb[:, x0 : x0 + cw]
        if out_height:
            size = (int(out_height * 9 / 16), out_height)
            out = np.asarray(cv2.resize(out, size, interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
        return np.ascontiguousarray(out)

    return edit


def picture_in_picture(
    background: Sequence[RGBImage], scale: float = 0.5, corner: tuple[int, int] = (1, 0)
) -> Callable[[RGBImage, int], RGBImage]:
    """Protected frame shrunk to ``scale`` and pasted into a corner of other footage."""

    def edit(rgb: RGBImage, index: int) -> RGBImage:
        base = background[index % len(background)].copy()
        h, w = base.shape[:2]
        # Keep the protected picture's aspect ratio: `scale` of the background's height.
        sh = int(h * scale)
        sw = min(int(w * 0.9), int(sh * rgb.shape[1] / rgb.shape[0]))
        small = cv2.resize(rgb, (sw, sh), interpolation=cv2.INTER_AREA)
        sh, sw = small.shape[:2]
        margin = int(0.03 * w)
        x0 = margin if corner[0] == 0 else w - sw - margin
        y0 = margin if corner[1] == 0 else h - sh - margin
        base[y0 : y0 + sh, x0 : x0 + sw] = small
        return base

    return edit


def screenshot_chrome(rgb: RGBImage, seed: int = 0) -> RGBImage:
    """A phone screenshot of a paused post: status bar, header, the frame, comments, buttons."""
    rng = np.random.default_rng(seed)
    h, w = rgb.shape[:2]
    phone_w = w
    phone_h = int(w * 19.5 / 9)
    canvas = np.full((phone_h, phone_w, 3), 250, dtype=np.uint8)
    status = int(phone_h * 0.04)
    canvas[:status] = 20
    _text(canvas, "9:41", (10, int(status * 0.75)), 0.4, 230)
    _text(canvas, "@someone  2h", (10, status + 30), 0.5, 30)
    y0 = status + int(phone_h * 0.06)
    canvas[y0 : y0 + h] = rgb
    y = y0 + h + 30
    for _ in range(6):
        words = "".join(chr(int(c)) for c in rng.integers(97, 123, 18))
        _text(canvas, words, (10, y), 0.45, 60)
        y += 28
    canvas[-int(phone_h * 0.06) :] = 235
    return canvas


def jpeg_bytes(rgb: RGBImage, quality: int = 80) -> bytes:
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buf.tobytes())


def write_image(path: str | Path, rgb: RGBImage, quality: int = 85) -> Path:
    out = Path(path)
    out.write_bytes(jpeg_bytes(rgb, quality))
    return out
