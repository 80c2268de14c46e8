"""The one small interface every text detector implements, and what they share.

A detector reads one normalised text (and the case facts) and returns `Detection`s: a kind, a
score, spans into the ORIGINAL text, and a plain-English explanation. It never stores anything,
never sees other items, and never logs the text. Severity is decided later, in `analyse`, because
it depends on what else was found in the same item.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from haven.text.facts import Facts
from haven.text.lexicon import Lexicon, Match
from haven.text.normalize import FOLDED_WORD, NormalizedText

__all__ = [
    "Detection",
    "Detector",
    "SentenceCues",
    "followed_by",
    "inside_quotes",
    "overlaps",
    "preceded_by",
    "sentence_bounds",
    "sentence_spans",
    "to_original",
]


@dataclass(frozen=True)
class Detection:
    """One thing a detector found in one text. `spans` are offsets into the original text."""

    kind: str
    score: float
    spans: tuple[tuple[int, int], ...]
    explanation: str
    details: Mapping[str, Any] = field(default_factory=dict)


class Detector(Protocol):
    """A text detector: a name, a version (changes when its rules change), and `detect`."""

    name: str
    version: str

    def detect(self, doc: NormalizedText, facts: Facts) -> list[Detection]:
        """Everything this detector finds in `doc`; an empty list when nothing is found."""
        ...


_SENTENCE_END = re.compile(r"[!?\n]+|\.(?=\s|$)")


@lru_cache(maxsize=64)
def _sentence_breaks(folded: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    # Computed once per text: detectors ask for many spans of the same text.
    found = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(folded)]
    return tuple(s for s, _ in found), tuple(e for _, e in found)


def sentence_spans(folded: str) -> list[tuple[int, int]]:
    """The non-blank sentences of `folded`, split where `sentence_bounds` splits."""
    starts, ends = _sentence_breaks(folded)
    pieces = zip((0, *ends), (*starts, len(folded)), strict=True)
    return [(a, b) for a, b in pieces if folded[a:b].strip()]


_MAX_CONTEXT = 400  # characters each side: an unpunctuated wall of text is not one sentence


def sentence_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `folded` around [start, end): rules about context look only there."""
    starts, ends = _sentence_breaks(folded)
    # The sentence starts after the last break that ends at or before `start`...
    i = bisect_right(ends, start) - 1
    lo = ends[i] if i >= 0 else 0
    # ...and ends at the first break that starts at or after `end`.
    j = bisect_left(starts, end)
    hi = starts[j] if j < len(starts) else len(folded)
    return max(lo, start - _MAX_CONTEXT), min(hi, end + _MAX_CONTEXT)


class SentenceCues:
    """Whether a lexicon category matches in a sentence, remembered per sentence.

    A comment with many threat phrases in one sentence would otherwise rescan that sentence for
    every phrase. Cues match only in a script their language uses (`Lexicon.any_in`).
    """

    def __init__(self, lexicon: Lexicon, doc: NormalizedText) -> None:
        self.lexicon = lexicon
        self.doc = doc
        self.folded = doc.folded
        self._seen: dict[tuple[str, int, int], bool] = {}
        self._whole: dict[str, bool] = {}

    def in_sentence(self, category: str, start: int, end: int) -> bool:
        """True when the category matches in the sentence around [start, end)."""
        lo, hi = sentence_bounds(self.folded, start, end)
        key = (category, lo, hi)
        if key not in self._seen:
            self._seen[key] = self.lexicon.any_in(category, self.doc, lo, hi)
        return self._seen[key]

    def anywhere(self, category: str) -> bool:
        """True when the category matches anywhere in the text."""
        if category not in self._whole:
            self._whole[category] = self.lexicon.any_in(category, self.doc)
        return self._whole[category]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two half-open spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def preceded_by(folded: str, start: int, words: Iterable[str], window: int = 2) -> bool:
    """True when one of `words` is among the `window` words just before `start`."""
    # Only the tail matters; slicing keeps this linear in the text, not quadratic.
    before = FOLDED_WORD.findall(folded[max(0, start - 40 * window) : start])[-window:]
    wanted = set(words)
    return any(w in wanted for w in before)


def followed_by(folded: str, end: int, words: Collection[str]) -> bool:
    """True when the word right after `end` is one of `words`."""
    after = FOLDED_WORD.search(folded, end, end + 40)
    return after is not None and after.group() in words


_QUOTE_PAIRS = {'"': '"', "«": "»", "“": "”", "„": "“", "'": "'", "‘": "’"}


def inside_quotes(original: str, start: int, end: int) -> bool:
    """True when [start, end) of the original sits between a pair of quotation marks."""
    return any(a < start and end <= b + 1 for a, b in _quote_spans(original))


@lru_cache(maxsize=64)
def _quote_spans(original: str) -> tuple[tuple[int, int], ...]:
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(original):
        if stack and ch == _QUOTE_PAIRS[stack[-1][0]]:
            opener, at = stack.pop()
            # An apostrophe inside a word ("don't") is not a quotation mark.
            if opener == "'" and i + 1 < len(original) and original[i + 1].isalpha():
                stack.append((opener, at))
                continue
            spans.append((at, i))
        elif ch in _QUOTE_PAIRS:
            if ch == "'" and i > 0 and original[i - 1].isalpha():
                continue
            stack.append((ch, i))
    return tuple(spans)


def to_original(doc: NormalizedText, matches: Iterable[Match]) -> tuple[tuple[int, int], ...]:
    """Original-text spans of folded matches, sorted and merged where they overlap."""
    spans = sorted(doc.original_span(m.start, m.end) for m in matches)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def best_per_sentence(doc: NormalizedText, matches: list[Match]) -> list[Match]:
    """Keep the longest match per sentence, so one sentence gives one span, not ten."""
    chosen: dict[tuple[int, int], Match] = {}
    for m in matches:
        key = sentence_bounds(doc.folded, m.start, m.end)
        old = chosen.get(key)
        if old is None or (m.end - m.start) > (old.end - old.start):
            chosen[key] = m
    return sorted(chosen.values(), key=lambda m: m.start)


def lexicon_languages(matches: Iterable[Match]) -> list[str]:
    """Languages of the lexicon entries that matched, for the explanation and the details."""
    return sorted({m.pattern.language for m in matches})
