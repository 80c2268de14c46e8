"""What the learned second opinion adds, by 5-fold cross-validation on its own examples.

Each fold trains the classifier on four fifths of haven/text/examples/*.jsonl and runs Haven's
triage (rules, then the learned detector) on the remaining fifth; the rules alone run on the same
items. The learned detector runs twice, side by side: with the character opinion alone (the
classifier built without its semantic model) and with the mean of the character and semantic
opinions (the default). For each label and threshold it prints F1 and the share of hard
negatives given that label, and, when ../shared/data is there, the share of ordinary tweets
(OffensEval 2020 Turkish test, the 2,812 labelled NOT offensive) the learned detector alone would
flag: an ordinary stream is what a case mostly holds, and its base rate of threats is far below
the examples'. The thresholds
in haven.text.detectors.learned (DEFAULT_THRESHOLDS for the mean, CHARACTER_THRESHOLDS for the
character opinion alone) keep that share near 1 % and hard negatives under 5 %, at the best F1
left.

Run: python bench/text_learned.py [--data ../shared/data] [--out bench/results/text_learned.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from text_quality import score_sets, write_results

from haven.text.analyse import analyse_document
from haven.text.classifier import (
    LEARNED_LABELS,
    Example,
    TextClassifier,
    default_classifier,
    load_examples,
    shipped_example_files,
)
from haven.text.detectors.learned import (
    CHARACTER_THRESHOLDS,
    DEFAULT_THRESHOLDS,
    LearnedDetector,
)
from haven.text.facts import Facts
from haven.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
FOLDS = 5
MODES = {"character": CHARACTER_THRESHOLDS, "combined": DEFAULT_THRESHOLDS}
"""Opinion -> the thresholds Haven uses for it; "combined" is the default classifier."""


def load_rows() -> list[dict[str, Any]]:
    """The shipped examples with their metadata (hard_negative), which load_examples drops."""
    return [
        json.loads(line)
        for _, text in shipped_example_files()
        for line in text.splitlines()
        if line.strip()
    ]


def f1(rows: list[dict[str, Any]], label: str, key: str) -> dict[str, float | int]:
    gold = [set(r["labels"]) for r in rows]
    return score_sets(gold, [r[key] for r in rows], [label])[label]


def ordinary_tweets(data: Path) -> list[str]:
    """OffensEval 2020 Turkish test tweets labelled NOT offensive (empty if the data is absent)."""
    base = data / "offenseval2020-tr"
    if not base.exists():
        return []
    csv.field_size_limit(sys.maxsize)
    with (base / "offenseval-tr-testset-v1.tsv").open(encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        tweets = {r["id"]: r["tweet"] for r in rows}
    with (base / "offenseval-tr-labela-v1.tsv").open(encoding="utf-8") as f:
        gold = {row[0]: row[1] for row in csv.reader(f) if row}
    return [t for i, t in tweets.items() if gold.get(i) == "NOT"]


def learned_probabilities(doc: Any, facts: Facts, detector: LearnedDetector) -> dict[str, float]:
    """Label -> the learned detector's probability, for the labels it adds after the rules."""
    found = analyse_document("x", doc, facts, learned=detector, lang="und").findings
    return {f.kind: float(f.details["probability"]) for f in found if f.details.get("learned")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "text_learned.json"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    facts = Facts.from_json((ROOT / "tests/text/data/facts.json").read_text(encoding="utf-8"))
    rows = load_rows()
    random.Random(0).shuffle(rows)
    lowest = dict.fromkeys(LEARNED_LABELS, min(THRESHOLDS))
    for k in range(FOLDS):
        train = [
            Example(r["text"], frozenset(r["labels"]) & set(LEARNED_LABELS))
            for i, r in enumerate(rows)
            if i % FOLDS != k
        ]
        detectors = {
            mode: LearnedDetector(
                TextClassifier(train, semantic=mode == "combined"), thresholds=lowest
            )
            for mode in MODES
        }
        for r in (r for i, r in enumerate(rows) if i % FOLDS == k):
            doc = normalize(r["text"])
            rules = analyse_document(r["id"], doc, facts, learned=False, lang="und")
            r["rules"] = set(rules.labels)
            for mode, detector in detectors.items():
                r[mode] = learned_probabilities(doc, facts, detector)
    ordinary: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    tweets = ordinary_tweets(args.data)
    for mode in MODES:
        full = LearnedDetector(
            default_classifier()
            if mode == "combined"
            else TextClassifier(load_examples(), semantic=False),
            thresholds=lowest,
        )
        ordinary[mode] = [learned_probabilities(normalize(t), Facts(), full) for t in tweets]
    negatives = [r for r in rows if r["hard_negative"]]
    result: dict[str, Any] = {"n": len(rows), "hard_negatives": len(negatives), "labels": {}}
    print(f"{len(rows)} examples, {FOLDS}-fold; F1 (P/R) and hard negatives given the label")
    for label in LEARNED_LABELS:
        base = f1(rows, label, "rules")
        base_hn = sum(1 for r in negatives if label in r["rules"]) / len(negatives)
        block: dict[str, Any] = {"rules": {**base, "hard_negatives": round(base_hn, 3)}}
        print(
            f"{label:<7} rules only {'':<11} F1 {base['f1']:.3f} "
            f"({base['p']:.2f}/{base['r']:.2f})"
            f"  hard negatives {base_hn:.1%}"
        )
        for mode, defaults in MODES.items():
            block[mode] = {}
            for threshold in THRESHOLDS:
                for r in rows:
                    p = r[mode].get(label, 0.0)
                    r["x"] = r["rules"] | ({label} if p >= threshold else set())
                s = f1(rows, label, "x")
                hn = sum(1 for r in negatives if label in r["x"]) / len(negatives)
                flagged = sum(1 for o in ordinary[mode] if o.get(label, 0.0) >= threshold)
                rate = flagged / len(ordinary[mode]) if ordinary[mode] else 0.0
                block[mode][str(threshold)] = {
                    **s,
                    "hard_negatives": round(hn, 3),
                    "ordinary_tweets_flagged": round(rate, 4),
                }
                mark = " <- default" if defaults.get(label) == threshold else ""
                print(
                    f"{'':<7} + {mode:<9} @{threshold:<4} F1 {s['f1']:.3f} "
                    f"({s['p']:.2f}/{s['r']:.2f})  hard negatives {hn:.1%}  "
                    f"ordinary tweets {rate:.1%}{mark}"
                )
        result["labels"][label] = block
    write_results(args.out, result, started)
    print(f"({result['seconds']} s; results in {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
