"""Threats of violence and calls for violence, in az, ru, tr and en.

A threat is flagged when a threat phrase from the lexicon matches (first-person future, imperative,
"someone should", "must be killed", wishes of death...) and nothing in the same sentence says it is
something else: an idiom overlapping the phrase ("I'd kill for that cake"), a news report ("they
received death threats"), sports or other contests ("we will destroy them tonight, go team"),
counter-speech ("people who threaten them must be reported"), a negation just before it, or a
quotation that is being condemned, reported or retold ("people write «burn them»"). Those
exceptions are the difference between a useful queue and a queue nobody reads, so each one is
tested.
"""

from __future__ import annotations

from functools import lru_cache

from haven.text.detectors.base import (
    Detection,
    SentenceCues,
    best_per_sentence,
    followed_by,
    inside_quotes,
    lexicon_languages,
    overlaps,
    preceded_by,
    to_original,
)
from haven.text.facts import Facts
from haven.text.lexicon import Lexicon, Match, load_lexicon
from haven.text.normalize import NormalizedText, fold_key

__all__ = ["ThreatDetector", "is_banter"]

_TURKIC_NOT_AFTER = frozenset(
    {"deyil", "deyildir", "deyilmis", "deil", "deyl", "degil", "degildir", "degilmis"}
)
"""Azerbaijani and Turkish words that negate what comes right before them, folded; either
language's phrases meet both, since the two share so many words."""

_LAUGHS = frozenset("😂🤣😆😹😅")
"""Laughing emoji: with one of the lexicon's `banter` words (the writer's own sister, brother,
mum) they turn "I'll kill her" into a family joke."""


def is_banter(doc: NormalizedText, lexicon: Lexicon) -> bool:
    """A laugh and the writer's own family in one comment (see _LAUGHS)."""
    return bool(_LAUGHS.intersection(doc.original)) and lexicon.any_in("banter", doc)


_LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "az": "Azerbaijani", "tr": "Turkish"}


@lru_cache(maxsize=4096)
def _own_words(source: str) -> frozenset[str]:
    """The words an entry spells out itself, folded like the text."""
    return frozenset(fold_key(source.replace("/", " ").replace("_", " ")).split())


class ThreatDetector:
    """Rules and lexicon for threats; see the module docstring for what is not a threat."""

    name = "threat"

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon("threat")
        self.version = f"1.0+lex{self.lexicon.version}"
        self._negations: dict[str, frozenset[str]] = {}
        for p in self.lexicon.patterns.get("negation", ()):
            words = fold_key(p.source.replace("/", " ")).split()
            self._negations.setdefault(p.language, frozenset())
            self._negations[p.language] |= frozenset(words)

    def _negated(self, doc: NormalizedText, m: Match) -> bool:
        # Azerbaijani and Turkish deny a nominal predicate with a word after it: "günləri sayılı
        # deyil", "günleri sayılı değil" (their days are not numbered).
        if m.pattern.language in ("az", "tr") and followed_by(doc.folded, m.end, _TURKIC_NOT_AFTER):
            return True
        words = self._negations.get(m.pattern.language, frozenset())
        if not words:
            return False
        # Russian/Turkic negation sits right before the verb; English may sit further back
        # ("No trans person deserves to die").
        window = 4 if m.pattern.language == "en" else 2
        if preceded_by(doc.folded, m.start, words, window=window):
            return True
        # English puts the negation between subject and verb ("I will never hurt"), unless the
        # entry itself is negative ("won't .. survive", "not walking away").
        if m.pattern.language != "en":
            return False
        own = _own_words(m.pattern.source)
        inner = doc.folded[m.start : m.end].split()
        return any(w in words and w not in own for w in inner)

    def excluded(
        self,
        doc: NormalizedText,
        m: Match,
        idioms: list[Match] | None = None,
        cues: SentenceCues | None = None,
    ) -> str | None:
        """Why a threat phrase does not count here, or None when it does."""
        folded = doc.folded
        if idioms is None:
            idioms = list(self.lexicon.find("idiom", folded))
        cues = cues or SentenceCues(self.lexicon, doc)
        for idiom in idioms:
            if overlaps((m.start, m.end), (idiom.start, idiom.end)):
                return "idiom"
        if self._negated(doc, m):
            return "negated"
        if cues.in_sentence("counter", m.start, m.end):
            return "counter-speech"
        if cues.in_sentence("report", m.start, m.end):
            return "report"
        # "We will destroy them tonight, go team!": sports talk borrows the words of violence.
        if cues.in_sentence("sport", m.start, m.end):
            return "sport"
        # "My sister took my hoodie again, I'll strangle her 😂": the writer's own family and a
        # laugh make it banter. A laugh alone does not: mockery laughs too.
        if is_banter(doc, self.lexicon):
            return "banter"
        start, end = doc.original_span(m.start, m.end)
        # A quoted threat is evidence when it stands alone, but not when someone quotes it to
        # condemn or report it; the cue may then be in another sentence of the comment.
        if inside_quotes(doc.original, start, end) and (
            cues.anywhere("counter") or cues.anywhere("report") or cues.anywhere("speech")
        ):
            return "quoted"
        return None

    def detect(self, doc: NormalizedText, facts: Facts) -> list[Detection]:
        """A single detection per text, spanning each sentence's strongest threat phrase."""
        hits = list(self.lexicon.find_in("threat", doc))
        if not hits:
            return []
        idioms = list(self.lexicon.find("idiom", doc.folded))
        cues = SentenceCues(self.lexicon, doc)
        kept = [m for m in hits if not self.excluded(doc, m, idioms, cues)]
        if not kept:
            return []
        chosen = best_per_sentence(doc, kept)
        languages = lexicon_languages(chosen)
        names = ", ".join(_LANGUAGE_NAMES.get(code, code) for code in languages)
        score = min(0.99, 0.8 + 0.07 * (len(chosen) - 1))
        return [
            Detection(
                kind="threat",
                score=score,
                spans=to_original(doc, chosen),
                explanation=(
                    f"Threatens or calls for violence ({names} threat phrase). No sign in the "
                    "same sentence that it is an idiom, a news report, a negation or "
                    "counter-speech."
                ),
                details={
                    "patterns": [m.pattern.source for m in chosen],
                    "lexicon_languages": languages,
                },
            )
        ]
