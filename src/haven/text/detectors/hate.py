"""Slurs and dehumanising language about LGBT+ people.

A slur flags on its own; a group word ("geylər", "геи", "eşcinseller", "gays") flags together
with dehumanising words in the same sentence ("disease", "xəstəlik", "нелюди"). The same words
are also used by the people they target, and by people condemning abuse, so a flag is dropped when
the sentence reclaims the word ("I'm a proud dyke"), when the word is a homonym in context ("fag
break"), or when the sentence is counter-speech or a report (cues shared with the threat lexicon).
A quoted slur is dropped only when the comment condemns or reports it.
"""

from __future__ import annotations

from bisect import bisect_left

from haven.text.detectors.base import (
    Detection,
    SentenceCues,
    inside_quotes,
    lexicon_languages,
    overlaps,
    preceded_by,
    sentence_bounds,
    to_original,
)
from haven.text.facts import Facts
from haven.text.lexicon import Lexicon, Match, load_lexicon
from haven.text.normalize import NormalizedText, fold_key

__all__ = ["HateDetector"]


class HateDetector:
    """Slur and dehumanisation rules with reclaimed, homonym, quoted and counter exceptions."""

    name = "hate"

    def __init__(self, lexicon: Lexicon | None = None, context: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon("hate")
        self.context = context or load_lexicon("threat")
        self.version = f"1.0+lex{self.lexicon.version}.{self.context.version}"
        self._negations = frozenset(
            fold_key(p.source)
            for p in self.context.patterns.get("negation", ())
            if p.language == "en"
        )

    def excluded(
        self,
        doc: NormalizedText,
        m: Match,
        homonyms: list[Match] | None = None,
        cues: tuple[SentenceCues, SentenceCues] | None = None,
    ) -> str | None:
        """Why a slur or dehumanising phrase does not count here, or None when it does."""
        folded = doc.folded
        if homonyms is None:
            homonyms = list(self.lexicon.find("homonym", folded))
        own, context = cues or (
            SentenceCues(self.lexicon, doc),
            SentenceCues(self.context, doc),
        )
        for h in homonyms:
            if overlaps((m.start, m.end), (h.start, h.end)):
                return "homonym"
        # "I never said that trans people are scum": English negation earlier in the sentence.
        # (Russian "не люди" is itself dehumanising, so only English negations count here.)
        if preceded_by(folded, m.start, self._negations, window=6):
            return "negated"
        if own.in_sentence("reclaimed", m.start, m.end):
            return "reclaimed"
        if context.in_sentence("counter", m.start, m.end) or context.in_sentence(
            "report", m.start, m.end
        ):
            return "counter-speech"
        start, end = doc.original_span(m.start, m.end)
        if inside_quotes(doc.original, start, end) and (
            context.anywhere("counter") or context.anywhere("report") or context.anywhere("speech")
        ):
            return "quoted"
        return None

    def detect(self, doc: NormalizedText, facts: Facts) -> list[Detection]:
        """One detection per text, spanning slurs and dehumanising phrases that count."""
        folded = doc.folded
        homonyms = list(self.lexicon.find("homonym", folded))
        cues = (SentenceCues(self.lexicon, doc), SentenceCues(self.context, doc))
        slurs = [
            m
            for m in self.lexicon.find_in("slur", doc)
            if not self.excluded(doc, m, homonyms, cues)
        ]
        dehumanising: list[Match] = []
        groups = list(self.lexicon.find_in("group", doc))
        if groups:
            groups.sort(key=lambda g: g.start)
            group_starts = [g.start for g in groups]
            for d in self.lexicon.find_in("dehumanising", doc):
                lo, hi = sentence_bounds(folded, d.start, d.end)
                # The first group word inside the same sentence, found by bisection.
                k = bisect_left(group_starts, lo)
                same = [groups[k]] if k < len(groups) and groups[k].end <= hi else []
                if same and not self.excluded(doc, d, homonyms, cues):
                    dehumanising.extend([d, same[0]])
        if not slurs and not dehumanising:
            return []
        parts = []
        if slurs:
            parts.append("uses a slur for LGBT+ people")
        if dehumanising:
            parts.append("describes LGBT+ people in dehumanising terms")
        evidence = slurs + dehumanising
        return [
            Detection(
                kind="hate",
                score=0.85 if slurs and dehumanising else 0.75,
                spans=to_original(doc, evidence),
                explanation=(
                    " and ".join(parts).capitalize()
                    + ". No sign in the same sentence of a reclaimed use, counter-speech or a "
                    "report."
                ),
                details={"lexicon_languages": lexicon_languages(evidence)},
            )
        ]
