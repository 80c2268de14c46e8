"""A learned second opinion for the rule detectors, trained on labelled example comments.

Lexicon rules are precise and explainable but only know the phrasings someone wrote down; on
comments written by people who never saw the rules they miss conditional and veiled threats, calls
to others and slang. This classifier reads the same folded text as the rules (scripts, leet and
look-alikes already resolved) as character 2-5-grams inside words, which survive inflection and
misspelling, and learns one logistic regression per label from the example files in
`haven/text/examples/` (same line format as the evaluation sets: `{"text": ..., "labels": [...]}`).

Character n-grams see spelling but not meaning, so a second, semantic opinion reads the same
examples through multilingual-e5 sentence embeddings (haven.text.embeddings): one more logistic
regression per label. In cross-validation over the examples the mean of the two opinions beat
either alone (threat F1 0.75 for characters, 0.76 for embeddings, 0.82 for their mean). The
embedding is the slow part, so `assess` gives the character opinion for every sentence and
`semantic_probability` is asked only for the sentence that could still pass.

It is trained when first used, in about two seconds, from data that ships with Haven: no weights to
download, nothing to trust but text anyone can read (and the bundled e5 model), and an NGO extends
it by adding lines to an example file. Everything is deterministic, so the same examples always
give the same model.

Because character n-grams never cross a word boundary, a text's character score is a sum of
per-word parts, and `strongest_words` can say which words weighed most: those become the evidence
spans.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from haven.text.detectors.base import sentence_spans
from haven.text.embeddings import cached_embeddings, embed
from haven.text.normalize import FOLDED_WORD, NormalizedText, normalize

__all__ = [
    "LEARNED_LABELS",
    "Assessment",
    "Example",
    "ExampleError",
    "TextClassifier",
    "default_classifier",
    "load_examples",
    "shipped_example_files",
]

LEARNED_LABELS = ("threat", "bounty", "hate")
"""Labels the classifier learns. Exposure is about the case facts, which rules match exactly."""

_N_FEATURES = 2**19


class ExampleError(ValueError):
    """An example file line that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    """One labelled comment: the text and the subset of LEARNED_LABELS that applies."""

    text: str
    labels: frozenset[str]


@dataclass(frozen=True)
class Assessment:
    """How strongly the classifier believes a label applies, and where.

    `probability` is the character model's highest over the whole text and each of its
    sentences (a threat in one sentence of five is still a threat); `sentence` is that part as
    folded offsets. Which words weighed most, and what the semantic model thinks of that part,
    are separate, costlier questions: `strongest_words` and `semantic_probability`.
    """

    label: str
    probability: float
    sentence: tuple[int, int]


def shipped_example_files() -> list[tuple[str, str]]:
    """(file name, content) of every example file shipped in haven/text/examples, by name."""
    folder = resources.files("haven.text") / "examples"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".jsonl")
    )


def load_examples(paths: Iterable[Path] | None = None) -> list[Example]:
    """Labelled examples from JSONL files; by default every file shipped in haven/text/examples.

    A line that is not a JSON object with a string "text" raises ExampleError naming file and
    line.
    """
    if paths is None:
        sources = shipped_example_files()
    else:
        sources = [(str(p), Path(p).read_text(encoding="utf-8")) for p in paths]
    examples: list[Example] = []
    for name, content in sources:
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExampleError(f"{name}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ExampleError(f"{name}:{number}: needs a string 'text'")
            labels = frozenset(str(x) for x in record.get("labels", [])) & set(LEARNED_LABELS)
            examples.append(Example(text=record["text"], labels=labels))
    return examples


def _fit_per_label(
    features: Any, examples: Sequence[Example], model: Callable[[], Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (one column per label) and biases of one logistic regression per label. A label
    every example has, or none has, gets a bias that says so and no weights."""
    weights = np.zeros((features.shape[1], len(LEARNED_LABELS)))
    bias = np.zeros(len(LEARNED_LABELS))
    for column, label in enumerate(LEARNED_LABELS):
        target = np.array([label in e.labels for e in examples])
        if target.all() or not target.any():
            bias[column] = 10.0 if target.all() else -10.0
            continue
        fitted = model().fit(features, target)
        weights[:, column] = fitted.coef_[0]
        bias[column] = fitted.intercept_[0]
    return weights, bias


class TextClassifier:
    """Per label, one logistic regression over hashed character n-grams of the folded text and
    (when `semantic`) one over the e5 embedding of the original text."""

    def __init__(self, examples: Sequence[Example], c: float = 8.0, semantic: bool = True) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.linear_model import LogisticRegression

        if not examples:
            raise ValueError("the classifier needs labelled examples")
        self._vectorizer = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            n_features=_N_FEATURES,
            alternate_sign=False,
            norm=None,
        )
        self.size = len(examples)
        matrix = self._features([normalize(e.text).folded for e in examples])
        self._weights, self._bias = _fit_per_label(
            matrix,
            examples,
            lambda: LogisticRegression(
                C=c, class_weight="balanced", solver="liblinear", random_state=0
            ),
        )
        self.semantic = semantic
        self._semantic_weights = np.zeros((0, len(LEARNED_LABELS)))
        self._semantic_bias = np.zeros(len(LEARNED_LABELS))
        if semantic:
            self._semantic_weights, self._semantic_bias = _fit_per_label(
                cached_embeddings([e.text for e in examples]),
                examples,
                lambda: LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000),
            )

    def _features(self, folded: Sequence[str]) -> Any:
        """Sublinear term frequencies, L2-normalised per text (a long text is not more likely)."""
        matrix = self._vectorizer.transform(folded)
        matrix.data = 1.0 + np.log(matrix.data)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return matrix.multiply(1.0 / norms[:, None]).tocsr()

    def probabilities(self, folded: Sequence[str]) -> np.ndarray:
        """P(label) per folded text, one row per text, columns in LEARNED_LABELS order."""
        logits = self._features(folded) @ self._weights + self._bias
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def assess(self, doc: NormalizedText) -> dict[str, Assessment]:
        """Per label: the best probability over the text and its sentences, and why."""
        folded = doc.folded
        whole = (0, len(folded))
        parts = [whole, *(s for s in sentence_spans(folded) if s != whole)]
        probs = self.probabilities([folded[a:b] for a, b in parts])
        out: dict[str, Assessment] = {}
        for column, label in enumerate(LEARNED_LABELS):
            best = int(np.argmax(probs[:, column]))
            start, end = parts[best]
            out[label] = Assessment(
                label=label, probability=float(probs[best, column]), sentence=(start, end)
            )
        return out

    def semantic_probability(self, doc: NormalizedText, assessment: Assessment) -> float:
        """The semantic model's P(label) for the assessed part, read in its original spelling.

        About 11 ms (one e5 embedding); raises ValueError when the classifier was built without
        the semantic model.
        """
        if not self.semantic:
            raise ValueError("this classifier was built without the semantic model")
        start, end = doc.original_span(*assessment.sentence)
        vector = _embedding(doc.original[start:end])
        column = LEARNED_LABELS.index(assessment.label)
        logit = float(vector @ self._semantic_weights[:, column] + self._semantic_bias[column])
        return 1.0 / (1.0 + float(np.exp(-logit)))

    def strongest_words(
        self, doc: NormalizedText, assessment: Assessment, limit: int = 3
    ) -> tuple[tuple[int, int], ...]:
        """Folded spans of the words in the assessed sentence that pushed its label up most."""
        folded = doc.folded
        start, end = assessment.sentence
        words = [m.span() for m in FOLDED_WORD.finditer(folded, start, end)]
        if not words:
            return ()
        rows = self._vectorizer.transform([folded[a:b] for a, b in words])
        # Each word's own n-grams, weighted as the model weighs them: its share of the score.
        # Only the n-grams present are looked up (a whole weight column would be a 4 MB copy).
        column = LEARNED_LABELS.index(assessment.label)
        owner = np.repeat(np.arange(len(words)), np.diff(rows.indptr))
        weight = np.bincount(
            owner, weights=self._weights[rows.indices, column], minlength=len(words)
        )
        ranked = sorted(range(len(words)), key=lambda i: -weight[i])
        return tuple(words[i] for i in ranked[:limit] if weight[i] > 0)


@lru_cache(maxsize=256)
def _embedding(text: str) -> np.ndarray:
    """One text's embedding; the labels of one sentence share it (an embedding is ~11 ms)."""
    vector: np.ndarray = embed([text])[0]
    return vector


@lru_cache(maxsize=1)
def default_classifier() -> TextClassifier:
    """The classifier trained on Haven's shipped examples, built once per process."""
    return TextClassifier(load_examples())
