"""End-to-end speed of text triage: comments per second, normalisation to findings.

Issue 5's target is 100,000 comments in under 5 minutes (333 comments/s) on this machine. The
comments are the project's own evaluation set repeated (with an index appended so no cache can
help), with the case facts loaded, single process.

Run: python bench/text_speed.py [--n 20000] [--out bench/results/text_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from haven.text.analyse import analyse_document, default_detectors
from haven.text.facts import Facts
from haven.text.langid import detect_language
from haven.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "text" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20000, help="comments to triage")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "text_speed.json")
    args = parser.parse_args(argv)
    texts = [json.loads(line)["text"] for line in (DATA / "eval.jsonl").open(encoding="utf-8")]
    facts = Facts.from_json((DATA / "facts.json").read_text(encoding="utf-8"))
    default_detectors()  # compile lexicons outside the timed loop, as a long-running scan would
    detect_language("warm up")
    flagged = 0
    started = time.perf_counter()
    for i in range(args.n):
        text = f"{texts[i % len(texts)]} #{i}"
        doc = normalize(text)
        analysis = analyse_document(str(i), doc, facts, lang=detect_language(doc.script_text))
        flagged += bool(analysis.findings)
    seconds = time.perf_counter() - started
    rate = args.n / seconds
    result = {
        "comments": args.n,
        "seconds": round(seconds, 2),
        "comments_per_second": round(rate, 1),
        "projected_seconds_for_100k": round(100_000 / rate, 1),
        "target_seconds_for_100k": 300,
        "flagged": flagged,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.n} comments in {seconds:.1f} s: {rate:.0f} comments/s, "
        f"100k projected in {100_000 / rate:.0f} s (target 300 s), single process"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
