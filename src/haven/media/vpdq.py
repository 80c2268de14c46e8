"""vPDQ video hashes (one PDQ per sampled frame, with timestamps) as Meta's vpdq computes them.

Frames are decoded with PyAV, converted to RGB24 at their own size and hashed with PDQ. Frame
selection follows the reference: with ``seconds_per_hash`` s and a frame rate ``fps``, every
``int(s * fps)``-th decoded frame is hashed (every frame when that is 0), and its timestamp is
``frame_number / fps``. The string forms are those of python-threatexchange (``hex,quality,ts``
inside a JSON list) and of the vpdq sample-hash files (``frame,quality,hex,ts``), so lists made
here can be read by Hasher-Matcher-Actioner and the reference tools.

Bad files raise :class:`MediaError` naming the file; nothing is written anywhere.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from haven.media.errors import MediaError
from haven.media.pdq import (
    DEFAULT_THRESHOLD,
    HEX_LENGTH,
    MIN_QUALITY,
    PdqHash,
    RGBImage,
    distance_matrix,
    hash_frame,
    hashes_to_array,
)

#: threatexchange writes timestamps with format spec ``.3`` (three significant digits).
_TE_TIMESTAMP_FORMAT = ".3"


@dataclass(frozen=True)
class VpdqFeature:
    """The PDQ hash of one video frame, with where it sits in the video."""

    frame_number: int
    quality: int
    pdq_hex: str
    timestamp: float

    def __post_init__(self) -> None:
        if len(self.pdq_hex) != HEX_LENGTH:
            raise ValueError(f"malformed PDQ hash {self.pdq_hex!r}")
        int(self.pdq_hex, 16)
        if not 0 <= self.quality <= 100:
            raise ValueError(f"invalid vPDQ quality {self.quality}")
        if self.timestamp < 0:
            raise ValueError(f"invalid timestamp {self.timestamp}")

    def to_compact_str(self) -> str:
        """``hex,quality,timestamp``: one element of python-threatexchange's vPDQ signal."""
        return f"{self.pdq_hex},{self.quality},{self.timestamp:{_TE_TIMESTAMP_FORMAT}}"

    def to_line(self) -> str:
        """``frame,quality,hex,timestamp``: one line of the vpdq reference hash files."""
        return f"{self.frame_number},{self.quality},{self.pdq_hex},{self.timestamp:.3f}"


@dataclass(frozen=True)
class VideoInfo:
    """What the matcher needs to know about a video besides its frames."""

    width: int
    height: int
    fps: float
    duration: float | None


@dataclass(frozen=True)
class VideoFrame:
    """A decoded, selected frame: its number in decode order, time and RGB pixels."""

    frame_number: int
    timestamp: float
    rgb: RGBImage


def _open_video(
    path: str | Path,
) -> tuple[av.container.InputContainer, av.video.stream.VideoStream]:
    try:
        container = av.open(str(path), mode="r")
    except FileNotFoundError as exc:
        raise MediaError(path, "file not found") from exc
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(path, f"cannot open as video ({exc})") from exc
    if not container.streams.video:
        container.close()
        raise MediaError(path, "no video stream")
    stream = container.streams.video[0]
    if not stream.codec_context.width or not stream.codec_context.height:
        container.close()
        raise MediaError(path, "video stream has zero width or height")
    return container, stream


def _frame_rate(stream: av.video.stream.VideoStream) -> float:
    # avg_frame_rate first, then r_frame_rate: the order the vpdq reference uses.
    for rate in (stream.average_rate, stream.base_rate, stream.guessed_rate):
        if rate is not None and Fraction(rate) > 0:
            return float(rate)
    return 0.0


def probe_video(path: str | Path) -> VideoInfo:
    """Size, frame rate and duration of a video, without decoding it."""
    container, stream = _open_video(path)
    try:
        fps = _frame_rate(stream)
        duration: float | None = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        return VideoInfo(stream.codec_context.width, stream.codec_context.height, fps, duration)
    finally:
        container.close()


def iter_frames(
    path: str | Path,
    seconds_per_frame: float = 1.0,
    size: tuple[int, int] | None = None,
    max_frames: int | None = None,
) -> Iterator[VideoFrame]:
    """Decode a video and yield the frames vPDQ would hash, as RGB arrays.

    ``size`` (width, height) resizes with Lanczos as the reference does for downsampling.
    Raises MediaError for unreadable files, files without video, and files where no frame decodes.
    """
    container, stream = _open_video(path)
    stream.thread_type = "AUTO"
    try:
        fps = _frame_rate(stream)
        if fps <= 0:
            raise MediaError(path, "video frame rate is zero or unknown")
        frame_mod = max(1, int(seconds_per_frame * fps))
        yielded = 0
        frame_number = -1
        try:
            for frame in container.decode(stream):
                frame_number += 1
                if frame_number % frame_mod:
                    continue
                if size is None:
                    converted = frame.reformat(format="rgb24", interpolation="LANCZOS")
                else:
                    converted = frame.reformat(
                        width=size[0], height=size[1], format="rgb24", interpolation="LANCZOS"
                    )
                rgb = np.asarray(converted.to_ndarray(), dtype=np.uint8)
                yield VideoFrame(frame_number, frame_number / fps, rgb)
                yielded += 1
                if max_frames is not None and yielded >= max_frames:
                    return
        except (av.FFmpegError, OSError, ValueError) as exc:
            if yielded == 0:
                raise MediaError(path, f"cannot decode video ({exc})") from exc
            # A truncated tail still leaves the frames already read usable as evidence.
            return
        if yielded == 0:
            raise MediaError(path, "no decodable video frames")
    finally:
        container.close()


_POOL: ProcessPoolExecutor | None = None
MAX_PENDING = 4  # frames waiting for the hashing process: bounds memory on long videos


def _hashing_pool() -> ProcessPoolExecutor | None:
    """One worker process that hashes while this one decodes; None on a single core.

    pdqhash holds the GIL, so threads cannot overlap hashing with decoding; a process can.
    It is started once (spawned, not forked, so no lock held by another thread is inherited).
    """
    global _POOL
    if (os.cpu_count() or 1) < 2:
        return None
    if _POOL is None:
        _POOL = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"))
    return _POOL


_EMPTY: RGBImage = np.zeros((0, 0, 3), dtype=np.uint8)


def hash_video(
    path: str | Path,
    seconds_per_hash: float = 1.0,
    size: tuple[int, int] | None = None,
    parallel: bool = True,
) -> list[VpdqFeature]:
    """The vPDQ hash of a video: one feature per sampled frame (all qualities kept).

    Low-quality frames are kept here, as the reference does, and dropped at match time. With
    `parallel`, frames are hashed in a second process while the next ones decode.
    """
    pool = _hashing_pool() if parallel else None
    if pool is not None:
        try:
            return _hash_video_with(pool, path, seconds_per_hash, size)
        except BrokenProcessPool:
            # The worker could not start or died (e.g. a script without a __main__ guard under
            # spawn): hash in this process instead; the result is the same.
            _forget_pool()
    return _hash_video_with(None, path, seconds_per_hash, size)


def _forget_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=False, cancel_futures=True)
    _POOL = None


def _hash_video_with(
    pool: ProcessPoolExecutor | None,
    path: str | Path,
    seconds_per_hash: float,
    size: tuple[int, int] | None,
) -> list[VpdqFeature]:
    features: list[VpdqFeature] = []
    pending: deque[tuple[VideoFrame, Future[PdqHash]]] = deque()

    def collect(frame: VideoFrame, pdq: PdqHash) -> None:
        features.append(VpdqFeature(frame.frame_number, pdq.quality, pdq.hex, frame.timestamp))

    try:
        for frame in iter_frames(path, seconds_per_hash, size):
            if pool is None:
                collect(frame, hash_frame(frame.rgb))
                continue
            pending.append((VideoFrame(frame.frame_number, frame.timestamp, _EMPTY),
                            pool.submit(hash_frame, frame.rgb)))
            while len(pending) > MAX_PENDING:
                done, future = pending.popleft()
                collect(done, future.result())
        while pending:
            done, future = pending.popleft()
            collect(done, future.result())
    finally:
        for _, future in pending:
            future.cancel()
    return features


def vpdq_to_json(features: Sequence[VpdqFeature]) -> str:
    """python-threatexchange's vPDQ signal string: a JSON list of ``hex,quality,ts``."""
    return json.dumps([f.to_compact_str() for f in features])


def json_to_vpdq(text: str) -> list[VpdqFeature]:
    """Parse python-threatexchange's vPDQ signal string (frame numbers are not part of it)."""
    items = json.loads(text or "[]")
    if not isinstance(items, list):
        raise ValueError("a vPDQ signal is a JSON list of strings")
    out = []
    for index, item in enumerate(items):
        parts = str(item).split(",")
        if len(parts) != 3:
            raise ValueError(f"invalid vPDQ feature {item!r}")
        out.append(VpdqFeature(index, int(parts[1]), parts[0].lower(), float(parts[2])))
    return out


def parse_hash_lines(text: str) -> list[VpdqFeature]:
    """Parse the vpdq reference files: ``frame,quality,hex,timestamp`` per line."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        frame, quality, hex_, timestamp = line.strip().split(",")
        out.append(VpdqFeature(int(frame), int(quality), hex_.lower(), float(timestamp)))
    return out


def format_hash_lines(features: Sequence[VpdqFeature]) -> str:
    """Inverse of :func:`parse_hash_lines`."""
    return "".join(f.to_line() + "\n" for f in features)


def _usable(features: Sequence[VpdqFeature], min_quality: int) -> npt.NDArray[np.uint8]:
    # The reference drops low-quality frames and duplicate hashes before counting.
    seen: dict[str, None] = {}
    for f in features:
        if f.quality >= min_quality:
            seen.setdefault(f.pdq_hex, None)
    return hashes_to_array(list(seen))


def match_vpdq(
    query: Sequence[VpdqFeature],
    compared: Sequence[VpdqFeature],
    distance_threshold: int = DEFAULT_THRESHOLD,
    min_quality: int = MIN_QUALITY,
) -> tuple[float, float]:
    """Plain vPDQ comparison: (query_match_percent, compared_match_percent).

    The share of the query's distinct good frames that have a compared frame within the
    threshold, and the other way round; the reference counts a video as a match when the
    query percentage reaches 80 (python-threatexchange's default).
    """
    q = _usable(query, min_quality)
    c = _usable(compared, min_quality)
    if len(q) == 0 or len(c) == 0:
        return 0.0, 0.0
    close = distance_matrix(q, c) <= distance_threshold
    return (
        100.0 * float(close.any(axis=1).mean()),
        100.0 * float(close.any(axis=0).mean()),
    )
