"""One-shot measurement of the text analyser on the fresh held-out set (split test3).

Loads tests/text/data/eval_fresh.jsonl, runs haven.text.analyse.analyse_text on each comment
with the case facts from tests/text/data/facts.json, and reports per-label precision, recall
and F1 (a label is predicted when a finding of that kind exists; kind "mention" is not
"exposure"), the share of hard negatives with any finding, and a per-language breakdown.
Writes bench/results/text_fresh.json and prints a table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from haven.text.analyse import analyse_text
from haven.text.facts import Facts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "text" / "data" / "eval_fresh.jsonl"
FACTS = ROOT / "tests" / "text" / "data" / "facts.json"
OUT = ROOT / "bench" / "results" / "text_fresh.json"
LABELS = ("threat", "bounty", "exposure", "hate")


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "n_gold": tp + fn,
    }


def score(rows: list[dict]) -> dict:
    out: dict = {"n": len(rows), "labels": {}}
    for label in LABELS:
        tp = sum(1 for r in rows if label in r["labels"] and label in r["pred"])
        fp = sum(1 for r in rows if label not in r["labels"] and label in r["pred"])
        fn = sum(1 for r in rows if label in r["labels"] and label not in r["pred"])
        out["labels"][label] = prf(tp, fp, fn)
    hn = [r for r in rows if r["hard_negative"]]
    out["hard_negatives"] = len(hn)
    out["hn_any_finding"] = round(sum(1 for r in hn if r["kinds"]) / len(hn), 3) if hn else None
    out["hn_any_label"] = round(sum(1 for r in hn if r["pred"]) / len(hn), 3) if hn else None
    return out


def _cell(scores: dict[str, Any]) -> str:
    """F1/number of gold positives, or '-' where a language has none of that label."""
    return f"{scores['f1']}/{scores['n_gold']}" if scores["n_gold"] else "-"


def main() -> None:
    facts = Facts.from_json(FACTS.read_text(encoding="utf-8"))
    rows = [
        json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    for r in rows:
        findings = analyse_text(r["id"], r["text"], facts)
        r["kinds"] = sorted({f.kind for f in findings})
        r["pred"] = sorted(set(r["kinds"]) & set(LABELS))

    overall = score(rows)
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_lang[f"{r['lang']}-{r['script']}"].append(r)
    per_lang = {k: score(v) for k, v in sorted(by_lang.items())}

    errors = []
    for r in rows:
        gold, pred = set(r["labels"]), set(r["pred"])
        if gold != pred or (r["hard_negative"] and r["kinds"]):
            errors.append(
                {
                    "id": r["id"],
                    "lang": r["lang"],
                    "script": r["script"],
                    "text": r["text"],
                    "gold": sorted(gold),
                    "pred": sorted(pred),
                    "kinds": r["kinds"],
                    "missed": sorted(gold - pred),
                    "false_alarm": sorted(pred - gold),
                    "hard_negative": r["hard_negative"],
                }
            )

    result = {
        "dataset": str(DATA.relative_to(ROOT)),
        "split": "test3",
        "overall": overall,
        "per_language": per_lang,
        "errors": errors,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"Fresh held-out set: n={overall['n']}, hard negatives={overall['hard_negatives']}")
    print(f"{'label':<10}{'n':>4}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}")
    for label, s in overall["labels"].items():
        print(
            f"{label:<10}{s['n_gold']:>4}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}"
            f"{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}"
        )
    print(
        f"hard negatives with any finding: {overall['hn_any_finding']:.3f}; "
        f"with any of the 4 labels: {overall['hn_any_label']:.3f}"
    )
    print()
    print(
        f"{'lang':<9}{'n':>4}"
        + "".join(f"{lab[:6] + ' F1':>11}" for lab in LABELS)
        + f"{'HN':>4}{'HNany':>7}{'HNlab':>7}"
    )
    for k, s in per_lang.items():
        cells = "".join(f"{_cell(s['labels'][lab]):>11}" for lab in LABELS)
        print(
            f"{k:<9}{s['n']:>4}{cells}{s['hard_negatives']:>4}"
            f"{(s['hn_any_finding'] if s['hn_any_finding'] is not None else '-'):>7}"
            f"{(s['hn_any_label'] if s['hn_any_label'] is not None else '-'):>7}"
        )
    print("(per-language cells: F1/n_gold)")


if __name__ == "__main__":
    main()
