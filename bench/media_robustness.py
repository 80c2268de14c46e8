"""Robustness benchmark: does Haven find edited copies that plain PDQ/vPDQ miss, without false hits?

Generates protected videos and photos (synthetic, natural-looking textured scenes with a slowly
moving hand-held camera and moving objects), applies the edits reposts make, mixes in unrelated
distractors, and runs in one process, side by side:

- plain PDQ / vPDQ, the reference behaviour: one hash per image or per frame at 1 frame/s,
  Hamming distance <= 31, frames of quality < 50 dropped, no augmentation. A video counts as
  found at python-threatexchange's default (>= 80% of the candidate's frames match) and, more
  leniently, when any frame matches;
- Haven with PDQ variants only (``use_orb=False``);
- Haven with its default configuration (PDQ variants, then ORB + RANSAC verification).

Writes bench/results/media_robustness.json and prints recall per edit and the false-match count.
Run: ``.venv/bin/python bench/media_robustness.py [--quick] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from haven.media import synthetic as S
from haven.media.errors import MediaError
from haven.media.match import MatchConfig, ProtectedMedia, fingerprint, match_candidate
from haven.media.pdq import DEFAULT_THRESHOLD, MIN_QUALITY, hamming, hash_image
from haven.media.vpdq import VpdqFeature, hash_video, match_vpdq

RESULTS = Path(__file__).parent / "results" / "media_robustness.json"
WIDTH, HEIGHT = 640, 360
FPS = 25


def build_dataset(
    root: Path,
    n_videos: int,
    n_images: int,
    n_distractor_videos: int,
    n_distractor_images: int,
    seconds: float,
) -> tuple[list[Path], list[dict[str, Any]]]:
    """Write protected media, their edited copies and distractors; return the ground truth."""
    rng = np.random.default_rng(2026)
    protected: list[Path] = []
    candidates: list[dict[str, Any]] = []

    def add(path: Path, source: Path | None, edit: str, kind: str) -> None:
        candidates.append(
            {
                "path": str(path),
                "source": str(source) if source else None,
                "edit": edit,
                "kind": kind,
            }
        )

    spatial: dict[str, Callable[[], S.FrameEdit]] = {
        "reencode_low_quality": lambda: lambda f: f,  # handled through the encoder's crf
        "scale_to_180p": lambda: S.scale_to(180),
        "crop_5pct": lambda: S.crop_center(0.95, tuple(rng.uniform(0, 1, 2))),
        "crop_10pct": lambda: S.crop_center(0.90, tuple(rng.uniform(0, 1, 2))),
        "crop_20pct": lambda: S.crop_center(0.80, tuple(rng.uniform(0, 1, 2))),
        "rotate_3deg": lambda: S.rotate_edit(float(rng.choice([-3, 3]))),
        "rotate_5deg": lambda: S.rotate_edit(float(rng.choice([-5, 5]))),
        "rotate_10deg": lambda: S.rotate_edit(float(rng.choice([-10, 10]))),
        "mirror": lambda: S.mirror,
        "caption_bar": lambda: S.caption_bar(
            float(rng.uniform(0.12, 0.22)), on_top=bool(rng.integers(0, 2))
        ),
        "text_overlay": lambda: S.text_overlay(),
        "black_borders": lambda: S.black_borders(float(rng.uniform(0.06, 0.15))),
        "reframe_9x16": lambda: S.reframe_vertical(float(rng.uniform(0.1, 0.9)), 640),
    }
    for v in range(n_videos):
        src = S.write_video(
            root / f"protected_video_{v}.mp4",
            S.moving_frames(1000 + v, WIDTH, HEIGHT, seconds, FPS),
            FPS,
        )
        protected.append(src)
        frames, fps = S.read_video(src)
        for name, make in spatial.items():
            edit = make()
            out = S.write_video(
                root / f"v{v}_{name}.mp4",
                (edit(f) for f in frames),
                fps,
                crf=40 if name == "reencode_low_quality" else 26,
            )
            add(out, src, name, "video")
        start = int(rng.uniform(0, max(0.0, seconds - 10)) * fps)
        add(
            S.write_video(root / f"v{v}_clip_10s.mp4", frames[start : start + int(10 * fps)], fps),
            src,
            "clip_10s",
            "video",
        )
        picks = np.arange(0, len(frames), 1.25).astype(int)
        add(
            S.write_video(root / f"v{v}_speed_1.25x.mp4", [frames[i] for i in picks], fps),
            src,
            "speed_1.25x",
            "video",
        )
        background = list(S.moving_frames(5000 + v, WIDTH, HEIGHT, 4, FPS))
        corner = (int(rng.integers(0, 2)), int(rng.integers(0, 2)))
        pip = S.picture_in_picture(background, 0.5, corner)
        add(
            S.write_video(
                root / f"v{v}_pip_50pct.mp4", (pip(f, i) for i, f in enumerate(frames)), fps
            ),
            src,
            "picture_in_picture_50pct",
            "video",
        )
        shot = S.screenshot_chrome(frames[int(rng.integers(0, len(frames)))], seed=v)
        add(
            S.write_image(root / f"v{v}_screenshot.jpg", shot),
            src,
            "screenshot_with_chrome",
            "image",
        )
    for i in range(n_images):
        still = S.scene(2000 + i, WIDTH, int(WIDTH * 2 / 3))
        src = S.write_image(root / f"protected_image_{i}.jpg", still, quality=92)
        protected.append(src)
        for name, make in spatial.items():
            edited = make()(still)
            quality = 30 if name == "reencode_low_quality" else 80
            add(S.write_image(root / f"i{i}_{name}.jpg", edited, quality), src, name, "image")
        add(
            S.write_image(root / f"i{i}_screenshot.jpg", S.screenshot_chrome(still, seed=i)),
            src,
            "screenshot_with_chrome",
            "image",
        )
    for d in range(n_distractor_videos):
        out = S.write_video(
            root / f"distractor_video_{d}.mp4", S.moving_frames(7000 + d, 480, 270, 4, FPS), FPS
        )
        add(out, None, "distractor", "video")
    for d in range(n_distractor_images):
        w, h = (480, 320) if d % 2 else (400, 400)
        add(
            S.write_image(root / f"distractor_image_{d}.jpg", S.scene(9000 + d, w, h)),
            None,
            "distractor",
            "image",
        )
    return protected, candidates


# ---------------------------------------------------------------- plain reference behaviour


def plain_hashes(path: Path) -> tuple[str, list[VpdqFeature]]:
    """Plain PDQ (image) or vPDQ at 1 frame/s (video), as the reference tools compute them."""
    if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
        h = hash_image(path)
        return "image", [VpdqFeature(0, h.quality, h.hex, 0.0)]
    return "video", hash_video(path, 1.0)


def plain_match(query: list[VpdqFeature], target: list[VpdqFeature]) -> tuple[float, int | None]:
    """(query_match_percent, best distance) with the reference thresholds."""
    percent, _ = match_vpdq(query, target, DEFAULT_THRESHOLD, MIN_QUALITY)
    good_q = [f for f in query if f.quality >= MIN_QUALITY]
    good_t = [f for f in target if f.quality >= MIN_QUALITY]
    best = min((hamming(a.pdq_hex, b.pdq_hex) for a in good_q for b in good_t), default=None)
    return percent, best


# ---------------------------------------------------------------- Haven, in worker processes

_FINGERPRINTS: dict[str, list[ProtectedMedia]] = {}
_CONFIGS: dict[str, MatchConfig] = {}


def _init(fps: dict[str, list[dict[str, Any]]], configs: dict[str, dict[str, Any]]) -> None:
    for name, items in fps.items():
        _FINGERPRINTS[name] = [ProtectedMedia.from_json(x) for x in items]
    for name, cfg in configs.items():
        _CONFIGS[name] = MatchConfig.from_dict(cfg)


def _match(task: tuple[str, str]) -> tuple[str, str, dict[str, Any], float]:
    name, path = task
    start = time.perf_counter()
    try:
        result = match_candidate(path, _FINGERPRINTS[name], _CONFIGS[name])
    except MediaError as exc:
        result = {"matched": False, "protected": None, "error": str(exc)}
    return name, path, result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller set, for a smoke run")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = (
        dict(n_videos=2, n_images=2, n_distractor_videos=10, n_distractor_images=30, seconds=12.0)
        if args.quick
        else dict(
            n_videos=4, n_images=4, n_distractor_videos=60, n_distractor_images=160, seconds=12.0
        )
    )

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        root = Path(tmp)
        protected, candidates = build_dataset(root, **sizes)  # type: ignore[arg-type]
        t_generate = time.perf_counter() - t0
        print(
            f"generated {len(protected)} protected, {len(candidates)} candidates "
            f"in {t_generate:.1f}s",
            file=sys.stderr,
        )

        # Plain PDQ / vPDQ.
        t1 = time.perf_counter()
        plain_protected = {str(p): plain_hashes(p)[1] for p in protected}
        for c in candidates:
            _, q = plain_hashes(Path(c["path"]))
            best_src, best_pct, best_dist = None, 0.0, None
            for src, target in plain_protected.items():
                pct, dist = plain_match(q, target)
                if dist is not None and (best_dist is None or dist < best_dist):
                    best_dist = dist
                if pct > best_pct:
                    best_src, best_pct = src, pct
            c["plain_percent"] = best_pct
            c["plain_distance"] = best_dist
            c["plain_any"] = best_src if best_pct > 0 else None
            threshold = 80.0 if c["kind"] == "video" else 100.0
            c["plain_80"] = best_src if best_pct >= threshold else None
        t_plain = time.perf_counter() - t1

        # Haven, two configurations.
        configs = {"haven_pdq_only": MatchConfig(use_orb=False), "haven": MatchConfig()}
        fingerprints: dict[str, list[dict[str, Any]]] = {}
        t_fingerprint: dict[str, float] = {}
        for name, cfg in configs.items():
            t2 = time.perf_counter()
            fingerprints[name] = [fingerprint(p, cfg).to_json() for p in protected]
            t_fingerprint[name] = time.perf_counter() - t2
        t3 = time.perf_counter()
        tasks = [(name, c["path"]) for name in configs for c in candidates]
        by_path = {c["path"]: c for c in candidates}
        match_time: dict[str, float] = {name: 0.0 for name in configs}
        with ProcessPoolExecutor(
            args.workers,
            initializer=_init,
            initargs=(fingerprints, {k: v.to_dict() for k, v in configs.items()}),
        ) as pool:
            for name, path, result, seconds in pool.map(_match, tasks, chunksize=4):
                c = by_path[path]
                c[name] = result.get("protected") if result.get("matched") else None
                c[name + "_result"] = result
                match_time[name] += seconds
        t_haven = time.perf_counter() - t3

    methods = ["plain_80", "plain_any", "haven_pdq_only", "haven"]
    edits = sorted(
        {c["edit"] for c in candidates if c["edit"] != "distractor"},
        key=lambda e: [c["edit"] for c in candidates].index(e),
    )
    table: dict[str, dict[str, Any]] = {}
    for edit in edits:
        rows = [c for c in candidates if c["edit"] == edit]
        table[edit] = {"n": len(rows)}
        for m in methods:
            table[edit][m] = round(sum(c[m] == c["source"] for c in rows) / len(rows), 3)
        qm = [c["haven_result"].get("query_match_percent") for c in rows]
        qm = [x for x in qm if x is not None]
        table[edit]["haven_mean_query_match_percent"] = round(float(np.mean(qm)), 1) if qm else None
    distractors = [c for c in candidates if c["edit"] == "distractor"]
    false_matches = {m: sum(c[m] is not None for c in distractors) for m in methods}
    wrong_source = {
        m: sum(c[m] is not None and c[m] != c["source"] for c in candidates if c["source"])
        for m in methods
    }
    haven_stage = {"pdq": 0, "orb": 0}
    for c in candidates:
        v = c["haven_result"].get("variant") if c["haven"] else None
        if v:
            haven_stage["orb" if v.startswith("orb") else "pdq"] += 1
    closest_distractor = {
        "plain_pdq_distance": min(
            (c["plain_distance"] for c in distractors if c["plain_distance"] is not None),
            default=None,
        ),
        "haven_pdq_distance": min(
            (
                c["haven_result"].get("distance")
                for c in distractors
                if c["haven_result"].get("distance") is not None
            ),
            default=None,
        ),
    }
    n_cand = len(candidates)
    report: dict[str, Any] = {
        "what": "recall per edit (share of edited copies attributed to the right protected file)"
        " and false matches on distractors",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "dataset": {
            **sizes,
            "protected": len(protected),
            "candidates": n_cand,
            "distractors": len(distractors),
            "frame_size": [WIDTH, HEIGHT],
            "content": "synthetic textured scenes, slow hand-held pan, moving objects",
        },
        "methods": {
            "plain_80": "plain PDQ/vPDQ 1 fps, distance<=31, quality>=50; video found when >=80% "
            "of candidate frames match (python-threatexchange default)",
            "plain_any": "as plain_80 but any single matching frame counts",
            "haven_pdq_only": "Haven variants + bar stripping + PiP windows, no ORB",
            "haven": "Haven default config (PDQ variants, then ORB+RANSAC)",
        },
        "recall": table,
        "false_matches_on_distractors": false_matches,
        "matched_to_wrong_protected": wrong_source,
        "haven_matches_by_stage": haven_stage,
        "closest_distractor": closest_distractor,
        "seconds": {
            "generate": round(t_generate, 1),
            "plain_total": round(t_plain, 1),
            "fingerprint": {k: round(v, 1) for k, v in t_fingerprint.items()},
            "haven_wall_total": round(t_haven, 1),
            "haven_cpu_per_candidate": {k: round(v / n_cand, 3) for k, v in match_time.items()},
        },
        "config": MatchConfig().to_dict(),
        "candidates": [
            {
                "file": Path(c["path"]).name,
                "edit": c["edit"],
                "source": Path(c["source"]).name if c["source"] else None,
                "plain_percent": c["plain_percent"],
                "plain_distance": c["plain_distance"],
                **{m: (Path(c[m]).name if c[m] else None) for m in methods},
                "haven_result": {
                    k: v
                    for k, v in c["haven_result"].items()
                    if k not in ("candidate", "protected")
                },
            }
            for c in candidates
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    header = (
        f"{'edit':28s} {'n':>3s} {'vPDQ@80%':>9s} {'vPDQ any':>9s} {'Haven PDQ':>10s} "
        f"{'Haven':>7s} {'Haven q%':>9s}"
    )
    print(header)
    print("-" * len(header))
    for edit, row in table.items():
        qm_txt = (
            ""
            if row["haven_mean_query_match_percent"] is None
            else f"{row['haven_mean_query_match_percent']:.0f}"
        )
        print(
            f"{edit:28s} {row['n']:3d} {row['plain_80']:9.2f} {row['plain_any']:9.2f} "
            f"{row['haven_pdq_only']:10.2f} {row['haven']:7.2f} {qm_txt:>9s}"
        )
    print("-" * len(header))
    fm = false_matches
    print(
        f"{'false matches (' + str(len(distractors)) + ' distractors)':32s} "
        f"{fm['plain_80']:9d} {fm['plain_any']:9d} {fm['haven_pdq_only']:10d} {fm['haven']:7d}"
    )
    print(f"matched to the wrong protected file: {wrong_source}")
    print(f"Haven matches by stage: {haven_stage}; closest distractor: {closest_distractor}")
    print(
        f"time: generate {t_generate:.0f}s, plain {t_plain:.0f}s, fingerprints "
        f"{t_fingerprint}, Haven matching {t_haven:.0f}s wall on {args.workers} workers "
        f"({ {k: round(v / n_cand, 3) for k, v in match_time.items()} } s/candidate)"
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
