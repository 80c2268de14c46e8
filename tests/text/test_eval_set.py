"""Haven's own evaluation set must keep meeting the targets of issue 5.

These thresholds are on a set the rules were developed against (see bench/text_build_eval.py),
so passing them is necessary, not sufficient; bench/text_quality.py reports the public sets too.
The set's `dev` split is among the learned classifier's training examples, so only the other
splits are scored here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from haven.text.analyse import analyse_document
from haven.text.facts import Facts
from haven.text.normalize import normalize

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Result:
    id: str
    lang: str
    script: str
    hard_negative: bool
    gold: frozenset[str]
    pred: frozenset[str]


@pytest.fixture(scope="module")
def results() -> list[Result]:
    rows = [json.loads(line) for line in (DATA / "eval.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r["split"] != "dev"]
    facts = Facts.from_json((DATA / "facts.json").read_text(encoding="utf-8"))
    return [
        Result(
            id=r["id"],
            lang=r["lang"],
            script=r["script"],
            hard_negative=r["hard_negative"],
            gold=frozenset(r["labels"]),
            pred=frozenset(analyse_document(r["id"], normalize(r["text"]), facts).labels),
        )
        for r in rows
    ]


def _f1(results: list[Result], label: str) -> float:
    tp = sum(1 for r in results if label in r.gold and label in r.pred)
    fp = sum(1 for r in results if label not in r.gold and label in r.pred)
    fn = sum(1 for r in results if label in r.gold and label not in r.pred)
    return 2 * tp / (2 * tp + fp + fn)


def test_set_is_multilingual(results: list[Result]) -> None:
    groups = {(r.lang, r.script) for r in results}
    assert groups >= {
        ("az", "Latn"),
        ("az", "Cyrl"),
        ("ru", "Cyrl"),
        ("tr", "Latn"),
        ("en", "Latn"),
    }


@pytest.mark.parametrize(
    ("label", "target"), [("threat", 0.9), ("bounty", 0.9), ("exposure", 0.9), ("hate", 0.8)]
)
def test_f1_targets(results: list[Result], label: str, target: float) -> None:
    assert _f1(results, label) >= target


def test_hard_negatives(results: list[Result]) -> None:
    negatives = [r for r in results if r.hard_negative]
    flagged = [r.id for r in negatives if r.pred]
    assert len(negatives) >= 50
    assert len(flagged) / len(negatives) < 0.05, flagged


def test_exposure_in_the_other_script(results: list[Result]) -> None:
    cyrillic = [r for r in results if "exposure" in r.gold and r.script == "Cyrl"]
    assert cyrillic
    assert sum(1 for r in cyrillic if "exposure" in r.pred) / len(cyrillic) >= 0.95
