"""The learned classifier: trained from example files, deterministic, and able to say why."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from haven.text.classifier import (
    LEARNED_LABELS,
    Example,
    TextClassifier,
    default_classifier,
    load_examples,
)
from haven.text.normalize import normalize

# A made-up language: "zorgen" is violence, "plim" is money. Nothing here is in any lexicon, so
# whatever the classifier gets right it learned from these lines.
TOY = [
    *(Example(f"wir zorgen {w} morgen", frozenset({"threat"})) for w in ("dich", "euch", "sie")),
    *(Example(f"zorgen {w} alle", frozenset({"threat"})) for w in ("wir", "ihr", "sie")),
    *(Example(f"plim fur {w}", frozenset({"bounty"})) for w in ("kopf", "adresse", "haus")),
    *(Example(f"der {w} ist schon", frozenset()) for w in ("tag", "garten", "hund", "kuchen")),
    *(Example(f"wir essen {w} morgen", frozenset()) for w in ("brot", "kase", "suppe")),
]


def test_learns_from_examples_and_points_at_the_words() -> None:
    clf = TextClassifier(TOY)
    doc = normalize("Der Garten ist schön. Wir ZORGEN euch!")
    assessed = clf.assess(doc)
    threat = assessed["threat"]
    assert threat.probability > 0.5 > assessed["bounty"].probability
    # The best part is the second sentence, and the heaviest word is the made-up verb.
    assert doc.folded[threat.sentence[0] : threat.sentence[1]].strip().startswith("wir zorgen")
    start, end = doc.original_span(*clf.strongest_words(doc, threat)[0])
    assert doc.original[start:end] == "ZORGEN"
    harmless = clf.assess(normalize("Der Hund ist schön"))["threat"].probability
    assert harmless < 0.5


def test_training_is_deterministic() -> None:
    texts = [normalize(t).folded for t in ("wir zorgen dich", "plim fur kopf", "der tag")]
    first = TextClassifier(TOY).probabilities(texts)
    second = TextClassifier(TOY).probabilities(texts)
    assert np.array_equal(first, second)


def test_a_label_without_examples_is_never_predicted() -> None:
    clf = TextClassifier(TOY)  # no hate examples
    assert clf.assess(normalize("wir zorgen dich"))["hate"].probability < 0.01


def test_bad_example_files_are_named(tmp_path: Path) -> None:
    good = tmp_path / "a.jsonl"
    good.write_text(json.dumps({"text": "x", "labels": ["threat", "exposure"]}) + "\n\n")
    assert load_examples([good]) == [Example("x", frozenset({"threat"}))]
    bad = tmp_path / "b.jsonl"
    bad.write_text(json.dumps({"text": "x"}) + "\n{not json\n")
    with pytest.raises(ValueError, match=r"b\.jsonl:2"):
        load_examples([bad])
    with pytest.raises(ValueError, match="labelled examples"):
        TextClassifier([])


def test_default_classifier_uses_every_shipped_example() -> None:
    shipped = load_examples()
    assert default_classifier().size == len(shipped) >= 500
    for label in LEARNED_LABELS:
        assert sum(label in e.labels for e in shipped) >= 50, label


def test_the_semantic_opinion_reads_meaning_not_spelling() -> None:
    clf = default_classifier()
    # Veiled: no word of violence for the character n-grams to lean on.
    veiled = normalize("Скоро им будет очень больно. Сохраните этот комментарий.")
    ordinary = normalize("Сегодня хорошая погода, пойдём гулять в парк.")
    threat, calm = clf.assess(veiled)["threat"], clf.assess(ordinary)["threat"]
    assert clf.semantic_probability(veiled, threat) > 0.5 > clf.semantic_probability(ordinary, calm)


def test_without_the_semantic_model_it_says_so() -> None:
    clf = TextClassifier(TOY, semantic=False)
    doc = normalize("wir zorgen euch")
    with pytest.raises(ValueError, match="without the semantic model"):
        clf.semantic_probability(doc, clf.assess(doc)["threat"])
