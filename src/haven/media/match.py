"""Find copies of protected photos and videos among candidates, surviving what reposts do.

Plain PDQ/vPDQ loses copies that are cropped, tilted, mirrored, captioned, letterboxed,
reframed for phones or shrunk into a reaction video. The protected set is tiny (a few files per
case), so the protected side does the heavy work once, and the result is a
:class:`ProtectedMedia` fingerprint that holds only hashes and keypoint descriptors, never
pixels: that is what the vault stores, and matching needs nothing else.

Matching a candidate frame runs in two stages:

1. **PDQ against many variants.** The protected side hashes each sampled frame as it is and
   as crops at several ratios and anchors, phone reframes (9:16, 1:1, 4:5) at several
   positions, small rotations (with black corners and cropped inside), each also mirrored.
   The candidate side hashes the frame as it is, with flat-coloured bands (black borders,
   caption bars, app chrome) stripped, and windows where a picture-in-picture could sit.
   The best pair within ``pdq_threshold`` bits is a frame match.
2. **Local features for what PDQ cannot see.** Frames without a PDQ match are checked with
   ORB keypoints against the protected keyframes; a match needs a geometrically consistent
   similarity transform (RANSAC) with enough inliers. This finds picture-in-picture, heavy
   reframes and rotations whose hashes moved too far.

For a video the frame matches are summarised as the share of the candidate that matches
(``query_match_percent``), the share of the protected video it covers
(``compared_match_percent``), and the covered segments of the protected video.

Nothing here writes files; :func:`analyse_media` yields one result per candidate and turns a
bad candidate file into an ``error`` entry so a scan can go on.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pdqhash

from haven.media.errors import MediaError
from haven.media.frames import (
    MediaFrames,
    crop_fraction,
    fit,
    load_media,
    rotate,
    strip_bars,
)
from haven.media.pdq import (
    HASH_BYTES,
    PdqHash,
    RGBImage,
    distance_matrix,
    hash_image,
    hashes_to_array,
)
from haven.media.vpdq import VpdqFeature, hash_video, json_to_vpdq, vpdq_to_json

FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class MatchConfig:
    """Every threshold and sampling choice of the matcher, configurable per case.

    The defaults were chosen on the synthetic benchmark (bench/media_robustness.py) to give no
    false match on its distractors; re-run it after changing them.
    """

    #: Max Hamming distance (of 256 bits) for a PDQ frame match; the PDQ authors use 31.
    pdq_threshold: int = 31
    #: Hashes below this PDQ quality are ignored on both sides, as the reference does.
    min_quality: int = 50
    #: Protected videos are sampled more densely than candidates so that speed changes and
    #: sampling offsets still land near a protected frame.
    protected_seconds_per_frame: float = 0.5
    candidate_seconds_per_frame: float = 1.0
    #: Longest side of the picture variants are cut from, and of what is finally hashed.
    variant_max_side: int = 384
    hash_max_side: int = 160
    crop_fractions: tuple[float, ...] = (0.95, 0.9, 0.85, 0.8, 0.7)
    #: Width/height of phone reframes cut from a wider protected picture.
    reframe_aspects: tuple[float, ...] = (9 / 16, 1.0, 4 / 5)
    reframe_positions: int = 17
    rotations: tuple[float, ...] = (-10.0, -5.0, -3.0, 3.0, 5.0, 10.0)
    mirror: bool = True
    strip_bars: bool = True
    #: Scales of candidate windows checked for a picture-in-picture copy.
    pip_scales: tuple[float, ...] = (0.5,)
    use_orb: bool = True
    orb_max_side: int = 640
    orb_features: int = 1000
    orb_protected_features: int = 1500
    #: FAST corner threshold; low so that smooth footage still yields keypoints.
    orb_fast_threshold: int = 5
    orb_keyframe_seconds: float = 1.0
    orb_ratio: float = 0.8
    orb_vote_distance: int = 40
    #: How many query keypoints vote for a keyframe, and the votes a keyframe needs.
    orb_voters: int = 400
    orb_min_votes: int = 10
    #: With no PDQ match, ORB probes every n-th candidate frame before looking at all.
    orb_probe_every: int = 3
    orb_min_inliers: int = 20
    orb_reprojection_px: float = 4.0
    #: A video candidate needs this many matching frames (fewer if it has fewer frames).
    min_matched_frames: int = 2
    min_query_match_percent: float = 0.0
    min_compared_match_percent: float = 0.0
    #: Matched protected times closer than this are joined into one segment.
    segment_gap_seconds: float = 3.0
    max_candidate_frames: int = 1800
    max_protected_frames: int = 3600

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchConfig:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known
        }
        return cls(**values)


def _b64(array: npt.NDArray[Any]) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _unb64(text: str, dtype: npt.DTypeLike, width: int | None = None) -> npt.NDArray[Any]:
    flat = np.frombuffer(base64.b64decode(text), dtype=dtype).copy()
    return flat.reshape(-1, width) if width else flat


@dataclass
class ProtectedMedia:
    """Everything Haven keeps about one protected photo or video: hashes, never pixels.

    ``pdq`` (photos) and ``vpdq`` (videos, 1 frame/s) are the interoperable hashes in
    python-threatexchange formats, fit for sharing with StopNCII-style hash lists. The rest
    is Haven's private matching material, to be kept inside the encrypted vault: variant
    hashes (``hashes``, with the frame and variant each came from) and ORB keypoints and
    descriptors of keyframes, which do reveal local image structure.
    """

    source: str
    kind: str
    width: int
    height: int
    duration: float | None
    pdq: PdqHash | None
    vpdq: list[VpdqFeature]
    frame_times: npt.NDArray[np.float64]
    variant_names: list[str]
    hashes: npt.NDArray[np.uint8]
    hash_frame: npt.NDArray[np.int32]
    hash_variant: npt.NDArray[np.int32]
    orb_frame_times: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.float64)
    )
    orb_offsets: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    orb_points: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, 2), dtype=np.float32)
    )
    orb_descriptors: npt.NDArray[np.uint8] = field(
        default_factory=lambda: np.zeros((0, 32), dtype=np.uint8)
    )
    config: dict[str, Any] = field(default_factory=dict)
    # A search structure over orb_descriptors, built on first use; never serialised.
    _orb_search: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_orb_search"] = None  # OpenCV matchers do not pickle
        return state

    def orb_search(self) -> Any:
        """An LSH index over the keyframe descriptors, so voting is not a brute-force scan."""
        if self._orb_search is None:
            params: dict[str, bool | int | float | str] = {
                "algorithm": 6,  # FLANN_INDEX_LSH
                "table_number": 6,
                "key_size": 12,
                "multi_probe_level": 1,
            }
            cv2.setRNGSeed(20_260_101)  # LSH tables are random; keep votes reproducible
            search = cv2.FlannBasedMatcher(params, {"checks": 64})
            search.add([self.orb_descriptors])
            search.train()
            self._orb_search = search
        return self._orb_search

    @classmethod
    def from_hashes(
        cls,
        source: str,
        pdq: PdqHash | None = None,
        vpdq: Sequence[VpdqFeature] = (),
        min_quality: int = 50,
    ) -> ProtectedMedia:
        """A fingerprint from plain hashes only, e.g. a PDQ/vPDQ list received from a partner.

        Without variants or keypoints only the candidate-side steps (border and caption
        removal, picture-in-picture windows) add robustness over plain PDQ/vPDQ.
        """
        if (pdq is None) == (not vpdq):
            raise ValueError("give either a PDQ hash (photo) or vPDQ features (video)")
        features = [VpdqFeature(0, pdq.quality, pdq.hex, 0.0)] if pdq else list(vpdq)
        good = [f for f in features if f.quality >= min_quality]
        times = np.asarray([f.timestamp for f in good], dtype=np.float64)
        duration = None if pdq else (float(times.max()) + 1.0 if len(times) else 0.0)
        return cls(
            source=source,
            kind="image" if pdq else "video",
            width=0,
            height=0,
            duration=duration,
            pdq=pdq,
            vpdq=list(vpdq),
            frame_times=times,
            variant_names=["full"],
            hashes=hashes_to_array([f.pdq_hex for f in good]),
            hash_frame=np.arange(len(good), dtype=np.int32),
            hash_variant=np.zeros(len(good), dtype=np.int32),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (arrays as base64) that :meth:`from_json` reads back exactly."""
        return {
            "version": FINGERPRINT_VERSION,
            "source": self.source,
            "kind": self.kind,
            "width": self.width,
            "height": self.height,
            "duration": self.duration,
            "pdq": self.pdq.to_line() if self.pdq else None,
            "vpdq": vpdq_to_json(self.vpdq),
            "frame_times": [round(float(t), 6) for t in self.frame_times],
            "variant_names": self.variant_names,
            "hashes": _b64(self.hashes),
            "hash_frame": _b64(self.hash_frame.astype("<i4")),
            "hash_variant": _b64(self.hash_variant.astype("<i4")),
            "orb_frame_times": [round(float(t), 6) for t in self.orb_frame_times],
            "orb_offsets": [int(x) for x in self.orb_offsets],
            "orb_points": _b64(self.orb_points.astype("<f4")),
            "orb_descriptors": _b64(self.orb_descriptors),
            "config": self.config,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> ProtectedMedia:
        if isinstance(data, str):
            data = json.loads(data)
            assert isinstance(data, dict)
        if data.get("version") != FINGERPRINT_VERSION:
            raise ValueError(f"unsupported fingerprint version {data.get('version')!r}")
        return cls(
            source=str(data["source"]),
            kind=str(data["kind"]),
            width=int(data["width"]),
            height=int(data["height"]),
            duration=None if data["duration"] is None else float(data["duration"]),
            pdq=PdqHash.from_line(data["pdq"]) if data["pdq"] else None,
            vpdq=json_to_vpdq(data["vpdq"]),
            frame_times=np.asarray(data["frame_times"], dtype=np.float64),
            variant_names=[str(n) for n in data["variant_names"]],
            hashes=_unb64(data["hashes"], np.uint8, HASH_BYTES).astype(np.uint8),
            hash_frame=_unb64(data["hash_frame"], "<i4").astype(np.int32),
            hash_variant=_unb64(data["hash_variant"], "<i4").astype(np.int32),
            orb_frame_times=np.asarray(data["orb_frame_times"], dtype=np.float64),
            orb_offsets=np.asarray(data["orb_offsets"], dtype=np.int64),
            orb_points=_unb64(data["orb_points"], "<f4", 2).astype(np.float32),
            orb_descriptors=_unb64(data["orb_descriptors"], np.uint8, 32).astype(np.uint8),
            config=dict(data.get("config", {})),
        )


# ---------------------------------------------------------------- protected side


def _variant_boxes(
    width: int, height: int, cfg: MatchConfig
) -> list[tuple[str, tuple[float, float, float, float]]]:
    boxes: list[tuple[str, tuple[float, float, float, float]]] = [("full", (0.0, 0.0, 1.0, 1.0))]
    for f in cfg.crop_fractions:
        for ay in (0.0, 0.5, 1.0):
            for ax in (0.0, 0.5, 1.0):
                boxes.append((f"crop{f:g}@{ax:g},{ay:g}", (ax * (1 - f), ay * (1 - f), f, f)))
        boxes.append((f"crop{f:g}@top", (0.0, 0.0, 1.0, f)))
        boxes.append((f"crop{f:g}@bottom", (0.0, 1 - f, 1.0, f)))
        boxes.append((f"crop{f:g}@left", (0.0, 0.0, f, 1.0)))
        boxes.append((f"crop{f:g}@right", (1 - f, 0.0, f, 1.0)))
    aspect = width / height
    for target in cfg.reframe_aspects:
        if target < aspect * 0.9:  # cut a vertical slice out of a wider picture
            share = target / aspect
            for k in range(cfg.reframe_positions):
                pos = k / max(1, cfg.reframe_positions - 1)
                boxes.append(
                    (f"reframe{target:.2f}@{pos:.2f}", ((1 - share) * pos, 0.0, share, 1.0))
                )
        elif target > aspect * 1.1:  # a horizontal slice out of a taller picture
            share = aspect / target
            for k in range(cfg.reframe_positions):
                pos = k / max(1, cfg.reframe_positions - 1)
                boxes.append(
                    (f"reframe{target:.2f}@{pos:.2f}", (0.0, (1 - share) * pos, 1.0, share))
                )
    return boxes


def _hash_variants(rgb: RGBImage, cfg: MatchConfig) -> tuple[list[str], list[bytes], list[int]]:
    """PDQ of every variant of one picture (and of its mirror image)."""
    h, w = rgb.shape[:2]
    pictures: list[tuple[str, RGBImage]] = [
        (name, crop_fraction(rgb, box)) for name, box in _variant_boxes(w, h, cfg)
    ]
    for degrees in cfg.rotations:
        pictures.append((f"rotate{degrees:g}", rotate(rgb, degrees, inscribed=False)))
        pictures.append((f"rotate{degrees:g}-inner", rotate(rgb, degrees, inscribed=True)))
    names: list[str] = []
    hashes: list[bytes] = []
    qualities: list[int] = []
    for name, picture in pictures:
        small = fit(picture, cfg.hash_max_side)
        vector, quality = pdqhash.compute(small)
        chosen = [(name, vector, quality)]
        if cfg.mirror:
            # Hash the mirrored pixels: pdqhash's dihedral shortcut drifts ~30 bits from a
            # real mirror at this small size, while hashing the flipped picture stays exact.
            mirrored, mirror_quality = pdqhash.compute(np.ascontiguousarray(small[:, ::-1]))
            chosen.append((name + "/mirror", mirrored, mirror_quality))
        for label, vec, q in chosen:
            names.append(label)
            hashes.append(np.packbits(np.asarray(vec, dtype=np.uint8)).tobytes())
            qualities.append(int(q))
    return names, hashes, qualities


def _orb_features(
    rgb: RGBImage, cfg: MatchConfig, budget: int | None = None
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]]:
    """ORB keypoints spread over a 4x4 grid, at most ``budget`` of them.

    Plain ORB keeps the strongest corners of the whole picture, so a smooth region gets none
    and a crop or reframe of that region finds nothing to match; bucketing keeps some in
    every part of the picture.
    """
    budget = budget or cfg.orb_features
    gray = cv2.cvtColor(fit(rgb, cfg.orb_max_side), cv2.COLOR_RGB2GRAY)
    create = cv2.ORB_create  # type: ignore[attr-defined]
    detector = create(nfeatures=budget * 3, fastThreshold=cfg.orb_fast_threshold)
    keypoints = detector.detect(gray, None)
    if not keypoints:
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    h, w = gray.shape
    cells: dict[tuple[int, int], list[Any]] = {}
    for kp in keypoints:
        key = (min(3, int(4 * kp.pt[0] / w)), min(3, int(4 * kp.pt[1] / h)))
        cells.setdefault(key, []).append(kp)
    per_cell = max(1, budget // 16)
    chosen: list[Any] = []
    rest: list[Any] = []
    for members in cells.values():
        members.sort(key=lambda k: -k.response)
        chosen.extend(members[:per_cell])
        rest.extend(members[per_cell:])
    rest.sort(key=lambda k: -k.response)
    chosen.extend(rest[: max(0, budget - len(chosen))])
    chosen, descriptors = detector.compute(gray, chosen)
    if descriptors is None or not chosen:
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    points = np.array([kp.pt for kp in chosen], dtype=np.float32)
    return points, np.asarray(descriptors, dtype=np.uint8)


def fingerprint(
    path: str | Path, config: MatchConfig | None = None, source: str | None = None
) -> ProtectedMedia:
    """Hash a protected photo or video into a :class:`ProtectedMedia` (the file is only read).

    Raises MediaError naming the file if it cannot be decoded or has no usable frame.
    """
    cfg = config or MatchConfig()
    media = load_media(
        path,
        cfg.protected_seconds_per_frame,
        max(cfg.variant_max_side, cfg.orb_max_side),
        cfg.max_protected_frames,
    )
    pdq: PdqHash | None = None
    vpdq: list[VpdqFeature] = []
    if media.kind == "image":
        pdq = hash_image(path)
    else:
        vpdq = hash_video(path, 1.0)
    variant_index: dict[str, int] = {}
    all_hashes: list[bytes] = []
    frame_ids: list[int] = []
    variant_ids: list[int] = []
    times: list[float] = []
    for t, rgb in media.frames:
        names, hashes, qualities = _hash_variants(fit(rgb, cfg.variant_max_side), cfg)
        if qualities[0] < cfg.min_quality:
            continue  # a featureless frame (fade, black) would match anything featureless
        frame_id = len(times)
        times.append(t)
        for name, value, quality in zip(names, hashes, qualities, strict=True):
            if quality < cfg.min_quality:
                continue
            all_hashes.append(value)
            frame_ids.append(frame_id)
            variant_ids.append(variant_index.setdefault(name, len(variant_index)))
    if not times:
        raise MediaError(path, f"no frame with PDQ quality >= {cfg.min_quality}")
    fp = ProtectedMedia(
        source=source or str(path),
        kind=media.kind,
        width=media.width,
        height=media.height,
        duration=media.duration,
        pdq=pdq,
        vpdq=vpdq,
        frame_times=np.asarray(times, dtype=np.float64),
        variant_names=list(variant_index),
        hashes=np.frombuffer(b"".join(all_hashes), dtype=np.uint8).reshape(-1, HASH_BYTES).copy(),
        hash_frame=np.asarray(frame_ids, dtype=np.int32),
        hash_variant=np.asarray(variant_ids, dtype=np.int32),
        config=cfg.to_dict(),
    )
    if cfg.use_orb:
        _add_orb(fp, media, cfg)
    return fp


def _add_orb(fp: ProtectedMedia, media: MediaFrames, cfg: MatchConfig) -> None:
    kf_times: list[float] = []
    offsets = [0]
    points: list[npt.NDArray[np.float32]] = []
    descriptors: list[npt.NDArray[np.uint8]] = []
    next_time = -math.inf
    for t, rgb in media.frames:
        if t + 1e-6 < next_time:
            continue
        next_time = t + cfg.orb_keyframe_seconds
        pts, desc = _orb_features(rgb, cfg, cfg.orb_protected_features)
        if len(desc) < cfg.orb_min_inliers:
            continue
        kf_times.append(t)
        points.append(pts)
        descriptors.append(desc)
        offsets.append(offsets[-1] + len(desc))
    fp.orb_frame_times = np.asarray(kf_times, dtype=np.float64)
    fp.orb_offsets = np.asarray(offsets, dtype=np.int64)
    if points:
        fp.orb_points = np.vstack(points).astype(np.float32)
        fp.orb_descriptors = np.vstack(descriptors).astype(np.uint8)


# ---------------------------------------------------------------- candidate side


@dataclass(frozen=True)
class FrameMatch:
    """Why one candidate frame is believed to show one protected frame."""

    candidate_time: float
    protected_time: float
    method: str  # "pdq" or "orb"
    variant: str
    distance: int | None
    inliers: int | None
    score: float


def _query_pictures(rgb: RGBImage, cfg: MatchConfig) -> list[tuple[str, RGBImage]]:
    pictures: list[tuple[str, RGBImage]] = [("as-is", rgb)]
    base = rgb
    if cfg.strip_bars:
        stripped = strip_bars(rgb)
        if stripped.shape != rgb.shape:
            pictures.append(("bars-removed", stripped))
            base = stripped
    for scale in cfg.pip_scales:
        for ay in (0.0, 0.5, 1.0):
            for ax in (0.0, 0.5, 1.0):
                box = (ax * (1 - scale), ay * (1 - scale), scale, scale)
                pictures.append((f"window{scale:g}@{ax:g},{ay:g}", crop_fraction(base, box)))
    return pictures


def _query_hashes(rgb: RGBImage, cfg: MatchConfig) -> tuple[list[str], npt.NDArray[np.uint8], int]:
    """Hashes of the candidate picture's usable query variants, and the as-is quality."""
    names: list[str] = []
    rows: list[bytes] = []
    first_quality = 0
    for index, (name, picture) in enumerate(_query_pictures(rgb, cfg)):
        if min(picture.shape[:2]) < 8:
            continue
        vector, quality = pdqhash.compute(fit(picture, cfg.hash_max_side))
        if index == 0:
            first_quality = int(quality)
        if quality < cfg.min_quality:
            continue
        names.append(name)
        rows.append(np.packbits(np.asarray(vector, dtype=np.uint8)).tobytes())
    array = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(-1, HASH_BYTES).copy()
    return names, array, first_quality


def _pdq_frame_match(
    t: float,
    query_names: list[str],
    query: npt.NDArray[np.uint8],
    fp: ProtectedMedia,
    cfg: MatchConfig,
) -> tuple[FrameMatch | None, int | None]:
    if len(query) == 0 or len(fp.hashes) == 0:
        return None, None
    distances = distance_matrix(query, fp.hashes)
    flat = int(np.argmin(distances))
    qi, hi = divmod(flat, distances.shape[1])
    best = int(distances[qi, hi])
    if best > cfg.pdq_threshold:
        return None, best
    variant = f"{query_names[qi]} ~ {fp.variant_names[int(fp.hash_variant[hi])]}"
    score = max(0.0, 1.0 - best / (2.0 * max(1, cfg.pdq_threshold) + 2.0))
    match = FrameMatch(
        t, float(fp.frame_times[int(fp.hash_frame[hi])]), "pdq", variant, best, None, score
    )
    return match, best


_matcher = cv2.BFMatcher(cv2.NORM_HAMMING)


def _orb_frame_match(
    t: float,
    points: npt.NDArray[np.float32],
    descriptors: npt.NDArray[np.uint8],
    fp: ProtectedMedia,
    cfg: MatchConfig,
    label: str,
) -> FrameMatch | None:
    if len(descriptors) < cfg.orb_min_inliers or len(fp.orb_descriptors) == 0:
        return None
    # Stage a: a spread-out subset of query keypoints votes for the keyframe holding its
    # nearest descriptor (the full set would cost a brute-force search over every keyframe).
    voters = descriptors
    if len(descriptors) > cfg.orb_voters:
        voters = descriptors[np.linspace(0, len(descriptors) - 1, cfg.orb_voters).astype(int)]
    nearest = fp.orb_search().knnMatch(voters, k=1)
    train = np.array(
        [m[0].trainIdx for m in nearest if m and m[0].distance <= cfg.orb_vote_distance]
    )
    if len(train) < cfg.orb_min_votes:
        return None
    keyframe_of = np.searchsorted(fp.orb_offsets, train, side="right") - 1
    votes = np.bincount(keyframe_of, minlength=len(fp.orb_frame_times))
    best: FrameMatch | None = None
    # Stage b: verify the most voted keyframes with a ratio test and a RANSAC similarity.
    ranked = np.argsort(votes)[::-1][:3]
    for kf in ranked:
        if votes[kf] < max(cfg.orb_min_votes, votes[ranked[0]] // 2):
            break
        lo, hi = int(fp.orb_offsets[kf]), int(fp.orb_offsets[kf + 1])
        pairs = _matcher.knnMatch(descriptors, fp.orb_descriptors[lo:hi], k=2)
        good = [
            p[0] for p in pairs if len(p) == 2 and p[0].distance < cfg.orb_ratio * p[1].distance
        ]
        if len(good) < cfg.orb_min_inliers:
            continue
        src = points[[m.queryIdx for m in good]]
        dst = fp.orb_points[lo:hi][[m.trainIdx for m in good]]
        # RANSAC samples at random: a fixed seed makes a re-run give the same evidence.
        cv2.setRNGSeed(20_260_101)
        transform, inlier_mask = cv2.estimateAffinePartial2D(
            src,
            dst,
            method=cv2.RANSAC,
            ransacReprojThreshold=cfg.orb_reprojection_px,
            maxIters=2000,
            confidence=0.995,
        )
        if transform is None or inlier_mask is None:
            continue
        inliers = int(inlier_mask.sum())
        scale = float(math.hypot(transform[0, 0], transform[1, 0]))
        if inliers < cfg.orb_min_inliers or not 0.2 <= scale <= 5.0:
            continue
        # Inliers bunched in one spot (a logo, a line of text) are weak evidence.
        spread = np.ptp(dst[inlier_mask.ravel().astype(bool)], axis=0)
        if float(spread.min()) < 0.05 * cfg.orb_max_side:
            continue
        score = min(1.0, 0.5 + 0.5 * (inliers - cfg.orb_min_inliers) / (2.0 * cfg.orb_min_inliers))
        if best is None or (best.inliers or 0) < inliers:
            best = FrameMatch(
                t,
                float(fp.orb_frame_times[kf]),
                "orb",
                f"orb{label} scale={scale:.2f}",
                None,
                inliers,
                score,
            )
    return best


@dataclass(eq=False)
class _CandidateFrame:
    time: float
    rgb: RGBImage
    names: list[str]
    hashes: npt.NDArray[np.uint8]
    quality: int
    orb: tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]] | None = None
    orb_mirror: tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]] | None = None


def _prepare(media: MediaFrames, cfg: MatchConfig) -> list[_CandidateFrame]:
    out = []
    for t, rgb in media.frames:
        names, hashes, quality = _query_hashes(fit(rgb, cfg.variant_max_side), cfg)
        out.append(_CandidateFrame(t, rgb, names, hashes, quality))
    return out


def _segments(times: Sequence[float], cfg: MatchConfig, duration: float) -> list[list[float]]:
    if not times:
        return []
    ordered = sorted(times)
    segments: list[list[float]] = [[ordered[0], ordered[0]]]
    for t in ordered[1:]:
        if t - segments[-1][1] <= cfg.segment_gap_seconds:
            segments[-1][1] = t
        else:
            segments.append([t, t])
    # A sampled frame stands for the interval until the next sample.
    return [
        [round(s, 3), round(min(duration, e + cfg.candidate_seconds_per_frame), 3)]
        for s, e in segments
    ]


def _orb_match(frame: _CandidateFrame, fp: ProtectedMedia, cfg: MatchConfig) -> FrameMatch | None:
    if frame.orb is None:
        frame.orb = _orb_features(frame.rgb, cfg)
    match = _orb_frame_match(frame.time, *frame.orb, fp, cfg, "")
    if match is None and cfg.mirror:
        if frame.orb_mirror is None:
            frame.orb_mirror = _orb_features(np.ascontiguousarray(frame.rgb[:, ::-1]), cfg)
        match = _orb_frame_match(frame.time, *frame.orb_mirror, fp, cfg, "/mirror")
    return match


def match_frames(
    frames: list[_CandidateFrame], fp: ProtectedMedia, cfg: MatchConfig
) -> tuple[list[FrameMatch], int | None]:
    """Per-frame matches of a candidate against one protected fingerprint, and the best distance.

    ORB is slow next to PDQ, and most candidates in a scan are unrelated; so when no frame
    matched by PDQ, ORB first probes every ``orb_probe_every``-th frame and only looks at
    the others once a probe matched.
    """
    by_time: dict[float, FrameMatch] = {}
    best_distance: int | None = None
    for frame in frames:
        match, distance = _pdq_frame_match(frame.time, frame.names, frame.hashes, fp, cfg)
        if distance is not None and (best_distance is None or distance < best_distance):
            best_distance = distance
        if match is not None:
            by_time[frame.time] = match
    if cfg.use_orb and len(fp.orb_descriptors):
        pending = [f for f in frames if f.time not in by_time]
        step = max(1, cfg.orb_probe_every)
        probes = pending if by_time else pending[::step]
        for frame in probes:
            match = _orb_match(frame, fp, cfg)
            if match is not None:
                by_time[frame.time] = match
        if by_time and len(probes) < len(pending):
            probed = {id(f) for f in probes}
            for frame in pending:
                if id(frame) in probed or frame.time in by_time:
                    continue
                match = _orb_match(frame, fp, cfg)
                if match is not None:
                    by_time[frame.time] = match
    return [by_time[t] for t in sorted(by_time)], best_distance


def _summarise(
    candidate: MediaFrames,
    frames: list[_CandidateFrame],
    fp: ProtectedMedia,
    matches: list[FrameMatch],
    best_distance: int | None,
    cfg: MatchConfig,
) -> dict[str, Any]:
    matched_distances = [m.distance for m in matches if m.distance is not None]
    distance = min(matched_distances) if matched_distances else best_distance
    result: dict[str, Any] = {
        "candidate": candidate.path,
        "matched": False,
        "protected": fp.source,
        "kind": candidate.kind,
        "score": 0.0,
        "query_match_percent": None,
        "compared_match_percent": None,
        "segments": [],
        "distance": distance,
    }
    if not matches:
        if candidate.kind == "video":
            result["query_match_percent"] = 0.0
            result["compared_match_percent"] = 0.0
        return result
    best = max(matches, key=lambda m: m.score)
    result["score"] = round(float(np.mean([m.score for m in matches])), 4)
    result["variant"] = best.variant
    protected_duration = fp.duration or 0.0
    if fp.kind == "video":
        result["segments"] = _segments([m.protected_time for m in matches], cfg, protected_duration)
    if candidate.kind == "image":
        result["matched"] = True
        if fp.kind == "video":
            result["segments"] = [[round(best.protected_time, 3), round(best.protected_time, 3)]]
        return result
    usable = sum(1 for f in frames if f.quality >= cfg.min_quality)
    matched_times = {m.candidate_time for m in matches}
    extra = sum(1 for f in frames if f.quality < cfg.min_quality and f.time in matched_times)
    query_percent = 100.0 * len(matches) / max(1, usable + extra)
    if fp.kind == "video" and protected_duration > 0:
        covered = sum(e - s for s, e in result["segments"])
        compared_percent = min(100.0, 100.0 * covered / protected_duration)
    else:
        compared_percent = 100.0
    result["query_match_percent"] = round(query_percent, 2)
    result["compared_match_percent"] = round(compared_percent, 2)
    needed = min(cfg.min_matched_frames, len(frames))
    result["matched"] = (
        len(matches) >= needed
        and query_percent >= cfg.min_query_match_percent
        and compared_percent >= cfg.min_compared_match_percent
    )
    return result


def _empty_result(path: str, error: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "candidate": path,
        "matched": False,
        "protected": None,
        "kind": None,
        "score": 0.0,
        "query_match_percent": None,
        "compared_match_percent": None,
        "segments": [],
        "distance": None,
    }
    if error is not None:
        result["error"] = error
    return result


def match_candidate(
    path: str | Path,
    protected: Sequence[ProtectedMedia],
    config: MatchConfig | None = None,
) -> dict[str, Any]:
    """Match one candidate file against protected fingerprints; the best protected wins.

    Raises MediaError if the candidate cannot be decoded.
    """
    cfg = config or MatchConfig()
    media = load_media(
        path, cfg.candidate_seconds_per_frame, cfg.orb_max_side, cfg.max_candidate_frames
    )
    frames = _prepare(media, cfg)
    best: dict[str, Any] | None = None
    for fp in protected:
        matches, distance = match_frames(frames, fp, cfg)
        result = _summarise(media, frames, fp, matches, distance, cfg)
        key = (result["matched"], result["score"], -(result["distance"] or 999))
        if best is None or key > (best["matched"], best["score"], -(best["distance"] or 999)):
            best = result
    if best is None:
        best = _empty_result(str(path))
        best["kind"] = media.kind
    if not best["matched"]:
        best["protected"] = None
        best["segments"] = []
    return best


def analyse_media(
    protected: Sequence[Path],
    candidates: Sequence[Path],
    config: MatchConfig | None = None,
) -> Iterator[dict[str, Any]]:
    """Fingerprint the protected files, then yield one result dict per candidate, in order.

    Each result has the keys ``candidate, matched, protected, kind, score,
    query_match_percent, compared_match_percent, segments, distance`` and, when matched,
    ``variant`` (which candidate picture matched which protected variant, or ``orb``).
    ``score`` (0..1) is the mean confidence of the matching frames: for PDQ
    ``1 - distance / (2 * (pdq_threshold + 1))`` (about 0.5 at the threshold), for ORB 0.5
    at the minimum inlier count rising to 1. ``distance`` is the best PDQ distance seen,
    even when ORB decided. A
    candidate that cannot be decoded yields ``matched: False`` with an ``error`` message and
    the scan continues. A protected file that cannot be decoded raises MediaError: matching
    without it would silently miss copies.
    """
    cfg = config or MatchConfig()
    fingerprints = [fingerprint(p, cfg) for p in protected]
    for candidate in candidates:
        try:
            yield match_candidate(candidate, fingerprints, cfg)
        except MediaError as exc:
            yield _empty_result(str(candidate), str(exc))
