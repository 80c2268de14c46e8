"""Text triage on the held-out sets: Haven, its rules alone, and the keyword baseline, one run.

The held-out sets were each written by someone who saw neither the rules, the learned
classifier's examples nor the other sets, and are kept out of all tuning:

  * tests/text/data/eval_fresh.jsonl  (split test3, 225 items)
  * tests/text/data/eval_fresh2.jsonl (split test4, 300 items)
  * tests/text/data/eval_fresh3.jsonl (split test5, 320 items shaped like a comment stream: 45 %
    ordinary comments, 20 % hard negatives)
  * tests/text/data/eval_fresh4.jsonl (split test6, 420 items shaped like a comment stream: 35 %
    ordinary comments, 15 % hard negatives; written after the rules' third round and the
    semantic opinion, and scored once)
  * tests/text/data/eval_fresh5.jsonl (split test7, 420 items shaped like test6; left unread
    while the rules' fourth and fifth rounds were made, then scored once)

Scored exactly as bench/text_quality.py scores the project set (precision/recall/F1 per label and
language, hard negatives flagged, exposure recall on facts in the other script). No item text and
no per-item error is printed or written: what is not seen cannot be tuned to.

Run: python bench/text_fresh.py [--out bench/results/text_fresh.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from text_quality import own_set, print_own, write_results

from haven.text.facts import Facts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "text" / "data"
HELD_OUT = {
    "eval_fresh.jsonl": "test3",
    "eval_fresh2.jsonl": "test4",
    "eval_fresh3.jsonl": "test5",
    "eval_fresh4.jsonl": "test6",
    "eval_fresh5.jsonl": "test7",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "text_fresh.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    facts = Facts.from_json((DATA / "facts.json").read_text(encoding="utf-8"))
    results: dict[str, Any] = {}
    for name, split in HELD_OUT.items():
        rows = [json.loads(line) for line in (DATA / name).open(encoding="utf-8") if line.strip()]
        scored = own_set(rows, facts, (split,), error_split=None)
        for system in ("haven", "rules", "baseline"):
            scored[system]["hard_negatives"].pop("flagged_ids", None)
        results[name] = scored
        print_own(f"Held-out {name}", scored, (split,))
    write_results(args.out, results, started)
    print(f"\n({results['seconds']} s; results in {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
