"""Shared fixtures: small synthetic protected media, edited copies and distractors.

Everything is generated once per test session (320x180, a few seconds, H.264) so the media
tests stay fast and need no real footage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from haven.media import synthetic as S
from haven.media.match import MatchConfig, ProtectedMedia, fingerprint

DATA = Path("/work/shared/data")
W, H, FPS, SECONDS = 320, 180, 25, 16


@dataclass
class MediaSet:
    protected_video: Path
    protected_image: Path
    edits: dict[str, Path]
    distractors: list[Path]
    video_fp: ProtectedMedia
    image_fp: ProtectedMedia
    screenshot_time: float


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaSet:
    root = tmp_path_factory.mktemp("media")
    video = S.write_video(root / "protected.mp4", S.moving_frames(11, W, H, SECONDS, FPS), FPS)
    frames, fps = S.read_video(video)
    still = S.scene(12, 480, 320)
    image = S.write_image(root / "protected.jpg", still, quality=92)

    def video_edit(name: str, edit: S.FrameEdit, source: list[np.ndarray] = frames) -> Path:
        return S.write_video(root / f"{name}.mp4", (edit(f) for f in source), fps, crf=26)

    edits: dict[str, Path] = {}
    edits["screenshot"] = S.write_image(root / "screenshot.jpg", S.screenshot_chrome(frames[200]))
    edits["clip_10s"] = video_edit("clip", lambda f: f, frames[4 * FPS : 14 * FPS])
    edits["reframe_9x16"] = video_edit("reframe", S.reframe_vertical(0.3, 320))
    background = list(S.moving_frames(99, W, H, 3, FPS))
    pip = S.picture_in_picture(background, 0.5, (1, 1))
    edits["picture_in_picture"] = S.write_video(
        root / "pip.mp4", (pip(f, i) for i, f in enumerate(frames)), fps
    )
    picks = np.arange(0, len(frames), 1.25).astype(int)
    edits["speed_1.25x"] = video_edit("speed", lambda f: f, [frames[i] for i in picks])
    edits["mirrored"] = video_edit("mirror", S.mirror)
    edits["captioned"] = video_edit("caption", S.caption_bar(0.18))
    edits["letterboxed"] = video_edit("letterbox", S.black_borders(0.12))
    edits["crop_20pct"] = video_edit("crop", S.crop_center(0.8, (0.3, 0.6)))
    edits["rotate_5deg"] = video_edit("rotate", S.rotate_edit(5))
    edits["image_mirror_crop"] = S.write_image(
        root / "image_edit.jpg", S.mirror(S.crop_center(0.85, (0.2, 0.7))(still)), quality=70
    )
    edits["image_screenshot"] = S.write_image(
        root / "image_shot.jpg", S.screenshot_chrome(still, seed=3)
    )
    distractors = [
        S.write_video(root / f"distractor{k}.mp4", S.moving_frames(300 + k, W, H, 4, FPS), FPS)
        for k in range(3)
    ]
    distractors += [
        S.write_image(root / f"distractor{k}.jpg", S.scene(400 + k, 400, 300)) for k in range(4)
    ]
    cfg = MatchConfig()
    return MediaSet(
        video,
        image,
        edits,
        distractors,
        fingerprint(video, cfg),
        fingerprint(image, cfg),
        screenshot_time=200 / FPS,
    )
