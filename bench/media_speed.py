"""Speed benchmark: video hashing (x real time), image hashes/s, matcher cost, index queries/s.

Measures, on this machine and in one process:

- vPDQ of a synthetic 720p H.264 video at 1 frame/s with Haven (PyAV + pdqhash), and with
  Meta's ``vpdq`` package when it is installed (it is optional: it needs the libav*-dev
  system packages to build, and is never a runtime dependency);
- PDQ hashes/s of 720p frames (pdqhash, and pdqhash's 8-way dihedral);
- Haven's robust matcher: fingerprinting a protected video, and matching candidate videos with
  the PDQ stage only and with the default PDQ + ORB configuration;
- ``PdqIndex`` (faiss IndexBinaryFlat) range queries/s at distance 31 over 1M random hashes
  (and 10M with ``--large``), with memory per stored hash.

Writes bench/results/media_speed.json. Run: ``.venv/bin/python bench/media_speed.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pdqhash

from haven.media import synthetic as S
from haven.media.index import PdqIndex
from haven.media.match import MatchConfig, fingerprint, match_candidate
from haven.media.pdq import hash_frame
from haven.media.vpdq import hash_video, iter_frames, match_vpdq

RESULTS = Path(__file__).parent / "results" / "media_speed.json"


def timed(fn: Any, *args: Any, repeat: int = 1, **kwargs: Any) -> tuple[Any, float]:
    """Best wall time of ``repeat`` runs (the result of the last run)."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return result, best


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_index(n: int, queries: int, rng: np.random.Generator) -> dict[str, Any]:
    stored = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    before = rss_mib()
    index = PdqIndex()
    start = time.perf_counter()
    index.add(stored)
    build = time.perf_counter() - start
    after = rss_mib()
    query = stored[rng.integers(0, n, queries)].copy()
    query[:, :2] ^= 0x0F  # 8 bits away from a stored hash: every query has a hit
    start = time.perf_counter()
    hits = index.range_search(query, 31)
    elapsed = time.perf_counter() - start
    return {
        "hashes": n,
        "queries": queries,
        "build_seconds": round(build, 2),
        "queries_per_second": round(queries / elapsed, 1),
        "hits": len(hits),
        "index_bytes_per_hash": 32 + 8,  # faiss codes + Haven's int64 ids
        "peak_rss_growth_mib": round(after - before, 1),
    }


def flip_bits(hashes: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    """Each row with `bits` distinct random bits flipped: a near-duplicate at that distance."""
    out = hashes.copy()
    for row in range(len(out)):
        for position in rng.choice(256, bits, replace=False):
            out[row, position // 8] ^= 1 << (7 - position % 8)
    return out


def bench_approximate_index(n: int, queries: int, rng: np.random.Generator) -> dict[str, Any]:
    """The IVF index against the exact one on the same data: speed, and recall by distance.

    Uniformly random hashes are the hardest case for clustering; real PDQ hashes cluster.
    """
    stored = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    before = rss_mib()
    start = time.perf_counter()
    index = PdqIndex.approximate(stored[rng.choice(n, 200_000, replace=False)])
    index.add(stored)
    build = time.perf_counter() - start
    after = rss_mib()
    row: dict[str, Any] = {"hashes": n, "kind": "approximate (IndexBinaryIVF, nlist 4096, "
                           "nprobe 128)", "build_seconds": round(build, 1),
                           "index_bytes_per_hash": 32 + 8,
                           "peak_rss_growth_mib": round(after - before, 1)}
    for bits in (8, 16, 24, 31):
        targets = rng.integers(0, n, queries)
        query = flip_bits(stored[targets], bits, rng)
        start = time.perf_counter()
        hits = index.range_search(query, 31)
        elapsed = time.perf_counter() - start
        found = {(h.query, h.id) for h in hits}
        recall = sum((q, int(t)) in found for q, t in enumerate(targets)) / queries
        row[f"queries_per_second_at_{bits}_bits"] = round(queries / elapsed, 1)
        row[f"recall_at_{bits}_bits"] = round(recall, 3)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the 720p video")
    parser.add_argument("--large", action="store_true", help="also search 10M hashes")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        }
    }
    with tempfile.TemporaryDirectory(prefix="haven-speed-") as tmp:
        root = Path(tmp)
        video = S.write_video(
            root / "720p.mp4", S.moving_frames(1, 1280, 720, args.seconds, 30), 30, crf=20
        )
        duration = args.seconds

        _, decode_s = timed(lambda: sum(1 for _ in iter_frames(video, 1.0)))
        haven_hashes, haven_s = timed(hash_video, video, 1.0, repeat=2)
        video_row: dict[str, Any] = {
            "video": f"synthetic 1280x720 H.264 30 fps, {duration:.0f} s",
            "haven_decode_and_convert_x_realtime": round(duration / decode_s, 1),
            "haven_vpdq_x_realtime": round(duration / haven_s, 1),
            "haven_frames": len(haven_hashes),
        }
        try:
            import vpdq
        except ImportError:
            video_row["meta_vpdq"] = "not installed (optional; needs libav*-dev to build)"
        else:
            meta, meta_s = timed(vpdq.computeHash, str(video), seconds_per_hash=1, repeat=2)
            video_row["meta_vpdq_x_realtime"] = round(duration / meta_s, 1)
            from haven.media.vpdq import VpdqFeature

            theirs = [VpdqFeature(f.frame_number, f.quality, f.hex, f.timestamp) for f in meta]
            video_row["meta_vs_haven_query_match_percent"] = match_vpdq(haven_hashes, theirs)[0]
            video_row["meta_frames"] = len(theirs)
        report["video_hashing"] = video_row

        frames = [f.rgb for f in iter_frames(video, 1.0, max_frames=10)]
        _, single_s = timed(lambda: [hash_frame(f) for f in frames], repeat=3)
        _, dihedral_s = timed(lambda: [pdqhash.compute_dihedral(f) for f in frames], repeat=3)
        report["image_hashing"] = {
            "frame_size": [1280, 720],
            "pdq_hashes_per_second": round(len(frames) / single_s, 1),
            "pdq_dihedral_sets_per_second": round(len(frames) / dihedral_s, 1),
        }

        cfg = MatchConfig()
        fp, fp_s = timed(fingerprint, video, cfg)
        copy = S.write_video(
            root / "copy.mp4",
            (S.mirror(f) for f in S.moving_frames(1, 640, 360, 10, 25)),
            25,
        )
        unrelated = S.write_video(root / "other.mp4", S.moving_frames(77, 640, 360, 10, 25), 25)
        row: dict[str, Any] = {
            "fingerprint_seconds_per_video_second": round(fp_s / duration, 3),
            "fingerprint_hashes": len(fp.hashes),
            "fingerprint_orb_descriptors": len(fp.orb_descriptors),
            "fingerprint_json_bytes": len(json.dumps(fp.to_json())),
        }
        for label, config in (("pdq_only", MatchConfig(use_orb=False)), ("default", cfg)):
            fp_label = fp if config.use_orb else fingerprint(video, config)
            for name, path in (("unrelated_10s", unrelated), ("mirrored_copy_10s", copy)):
                result, seconds = timed(match_candidate, path, [fp_label], config, repeat=2)
                row[f"{label}_{name}_x_realtime"] = round(10 / seconds, 1)
                row[f"{label}_{name}_matched"] = result["matched"]
        report["matcher"] = row

    rng = np.random.default_rng(0)
    report["index"] = [bench_index(1_000_000, 2_000, rng)]
    if args.large:
        report["index"].append(bench_index(10_000_000, 500, rng))
        report["index"].append(bench_approximate_index(10_000_000, 2_000, rng))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
