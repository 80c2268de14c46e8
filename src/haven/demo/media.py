"""Synthetic media for the demo and the tests: a 'private video' and the copies made of it.

Nothing here is real footage. The frames have enough texture and motion that perceptual hashes
behave as they do on camera video (a flat synthetic frame would hash with low quality).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

Frame = NDArray[np.uint8]


def scene_frame(t: float, width: int = 320, height: int = 240, seed: int = 7) -> Frame:
    """One RGB frame of a slowly changing textured scene; `seed` picks a different scene."""
    rng = np.random.default_rng(seed)
    texture = rng.integers(0, 255, size=(height // 8 + 1, width // 8 + 1, 3)).astype(np.float32)
    base = np.kron(texture, np.ones((8, 8, 1), dtype=np.float32))[:height, :width]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    frame = 0.45 * base
    for index in range(3):
        cx = width * (0.5 + 0.35 * np.sin(0.6 * t + index * 2.1 + seed))
        cy = height * (0.5 + 0.35 * np.cos(0.45 * t + index * 1.3 + seed))
        radius = min(width, height) * (0.16 + 0.05 * index)
        mask = ((xx - cx) ** 2 + (yy - cy) ** 2) < radius**2
        colour = np.array([(seed * 53 + 90 * index) % 255, (120 + 70 * index) % 255,
                           (seed * 31 + 40 * index) % 255], dtype=np.float32)
        frame[mask] = 0.4 * frame[mask] + 0.6 * colour
    stripe = (np.sin(xx / 9.0 + t * 2.0) * 40.0)[..., None]
    result: Frame = np.clip(frame + stripe + 60, 0, 255).astype(np.uint8)
    return result


def write_video(path: Path, frames: list[Frame], fps: int = 10) -> Path:
    """Encode RGB frames as MPEG-4 in an .mp4 container (codecs bundled with PyAV)."""
    height, width = frames[0].shape[:2]
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for frame in frames:
            packet_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
            for packet in stream.encode(packet_frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def scene_video(path: Path, seconds: float, fps: int = 10, seed: int = 7,
                size: tuple[int, int] = (320, 240)) -> Path:
    count = int(seconds * fps)
    frames = [scene_frame(i / fps, size[0], size[1], seed) for i in range(count)]
    return write_video(path, frames, fps)


def write_image(path: Path, frame: Frame, quality: int = 90) -> Path:
    image = Image.fromarray(frame)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        image.save(path, quality=quality)
    else:
        image.save(path)
    return path
