"""Robustness on real camera footage: Meta's TMK/vPDQ sample videos, plus Haven's edits of them.

bench/media_robustness.py uses synthetic scenes; this small check uses the real clips shipped
in ../shared/data/threatexchange-vpdq (a chair filmed by hand, a moving pattern, a doorknob).
Protected: ``chair-orig-22-sd-bar`` and ``pattern-hd-no-bar``. Candidates: Meta's own edits of
them (other cuts, grey, sepia, logo overlays, SD with bars against HD without), edits made
here (mirror, crop 20%, rotate 5 degrees, 9:16 reframe, caption bar, picture-in-picture on
the doorknob clip, a screenshot with app chrome), and negatives (the doorknob clip, the
Big Buck Bunny excerpt, the PDQ test photos). Plain vPDQ/PDQ and Haven run side by side.

The set is small (two protected videos), so read it as a sanity check, not a recall estimate.
Run: ``.venv/bin/python bench/media_real.py``; writes bench/results/media_real.json.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from media_robustness import plain_hashes, plain_match

from haven.media import synthetic as S
from haven.media.match import MatchConfig, fingerprint, match_candidate

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
VIDEOS = DATA / "threatexchange-vpdq" / "tmk" / "sample-videos"
PDQ = DATA / "threatexchange-pdq" / "pdq" / "data"
RESULTS = Path(__file__).parent / "results" / "media_real.json"


def main() -> int:
    chair = VIDEOS / "chair-orig-22-sd-bar.mp4"
    pattern = VIDEOS / "pattern-hd-no-bar.mp4"
    protected = [chair, pattern]
    cases: list[tuple[str, Path, Path | None]] = []
    for name in (
        "chair-19-sd-bar",
        "chair-20-sd-bar",
        "chair-22-sd-grey-bar",
        "chair-22-sd-sepia-bar",
        "chair-22-with-large-logo-bar",
        "chair-22-with-small-logo-bar",
    ):
        cases.append((f"meta:{name}", VIDEOS / f"{name}.mp4", chair))
    for name in (
        "pattern-longer-no-bar",
        "pattern-sd-grey-bar",
        "pattern-sd-with-large-logo-bar",
        "pattern-sd-with-small-logo-bar",
    ):
        cases.append((f"meta:{name}", VIDEOS / f"{name}.mp4", pattern))
    negatives = [
        VIDEOS / "doorknob-hd-no-bar.mp4",
        DATA / "media-edge-cases" / "audeering-audiofile" / "video.mp4",
        *sorted((PDQ / "bridge-mods").glob("*.jpg"))[:3],
        *sorted((PDQ / "reg-test-input" / "labelme-subset").glob("*.jpg")),
        PDQ / "reg-test-input" / "pen-and-coaster.png",
    ]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="haven-real-") as tmp:
        root = Path(tmp)
        door, _ = S.read_video(VIDEOS / "doorknob-hd-no-bar.mp4")
        for source in protected:
            frames, fps = S.read_video(source)
            stem = source.stem.split("-")[0]
            edits: dict[str, S.FrameEdit] = {
                "mirror": S.mirror,
                "crop_20pct": S.crop_center(0.8, (0.3, 0.6)),
                "rotate_5deg": S.rotate_edit(5),
                "reframe_9x16": S.reframe_vertical(0.4, 640),
                "caption_bar": S.caption_bar(0.15),
            }
            for name, edit in edits.items():
                out = S.write_video(root / f"{stem}_{name}.mp4", (edit(f) for f in frames), fps)
                cases.append((f"haven:{name}", out, source))
            pip = S.picture_in_picture(door, 0.5, (1, 0))
            out = S.write_video(
                root / f"{stem}_pip.mp4", (pip(f, i) for i, f in enumerate(frames)), fps
            )
            cases.append(("haven:picture_in_picture_50pct", out, source))
            shot = S.write_image(
                root / f"{stem}_shot.jpg", S.screenshot_chrome(frames[len(frames) // 2])
            )
            cases.append(("haven:screenshot_with_chrome", shot, source))
        for path in negatives:
            cases.append(("negative", path, None))

        start = time.perf_counter()
        plain_protected = {str(p): plain_hashes(p)[1] for p in protected}
        cfg = MatchConfig()
        fps_ = [fingerprint(p, cfg) for p in protected]
        for label, path, expected in cases:
            _, query = plain_hashes(path)
            plain = {src: plain_match(query, target)[0] for src, target in plain_protected.items()}
            best_src = max(plain, key=lambda k: plain[k])
            haven = match_candidate(path, fps_, cfg)
            results.append(
                {
                    "case": label,
                    "file": path.name,
                    "expected": expected.name if expected else None,
                    "plain_query_match_percent": round(plain[best_src], 1),
                    "plain_found": plain[best_src] >= 80.0 and best_src == str(expected),
                    "plain_any_frame": plain[best_src] > 0 and best_src == str(expected),
                    "plain_false": expected is None and plain[best_src] > 0,
                    "haven_found": bool(haven["matched"])
                    and haven["protected"] == (str(expected) if expected else None),
                    "haven_false": expected is None and bool(haven["matched"]),
                    "haven_query_match_percent": haven["query_match_percent"],
                    "haven_compared_match_percent": haven["compared_match_percent"],
                    "haven_segments": haven["segments"],
                    "haven_variant": haven.get("variant"),
                }
            )
        elapsed = time.perf_counter() - start
    positives = [r for r in results if r["expected"]]
    summary = {
        "positives": len(positives),
        "negatives": len(results) - len(positives),
        "plain_found_at_80pct": sum(r["plain_found"] for r in positives),
        "plain_found_any_frame": sum(r["plain_any_frame"] for r in positives),
        "haven_found": sum(r["haven_found"] for r in positives),
        "plain_false_matches": sum(r["plain_false"] for r in results),
        "haven_false_matches": sum(r["haven_false"] for r in results),
        "seconds": round(elapsed, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"summary": summary, "cases": results}, indent=2) + "\n")
    print(f"{'case':34s} {'expected':24s} {'vPDQ q%':>8s} {'Haven':>6s} {'Haven q%':>9s}")
    for r in results:
        hq = (
            ""
            if r["haven_query_match_percent"] is None
            else f"{r['haven_query_match_percent']:.0f}"
        )
        found = "yes" if r["haven_found"] else "NO"
        if not r["expected"]:
            found = "FALSE" if r["haven_false"] else "ok"
        print(
            f"{r['case'] + ' ' + r['file'][:12]:34s} {str(r['expected'])[:24]:24s} "
            f"{r['plain_query_match_percent']:8.0f} {found:>6s} {hq:>9s}"
        )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
