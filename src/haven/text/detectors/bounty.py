"""Offers of money or reward for harming, finding or exposing people ("a price on their lives").

A bounty is rarely one fixed phrase; it is money, an act and a taker spread over a comment
("Kim onları tapsa, 1000 manat verirəm"). So it is flagged either on an explicit phrase ("за
голову", "başına ödül", "bounty") or when money, an act of harm/finding/exposure and a "whoever"
all appear in the comment. Lost-pet rewards and sales are excluded, and so are news reports and
counter-speech (using the threat lexicon's cues), because those mention bounties without offering
one.

A reward for violence ("500 manat to whoever beats them", "a price on his head") is also a threat
of violence, so the detector then reports a threat as well, spanning the same words.
"""

from __future__ import annotations

from haven.text.detectors.base import (
    Detection,
    SentenceCues,
    inside_quotes,
    lexicon_languages,
    to_original,
)
from haven.text.facts import Facts
from haven.text.lexicon import Lexicon, Match, load_lexicon
from haven.text.normalize import NormalizedText

__all__ = ["BountyDetector"]


class BountyDetector:
    """Money + act + taker, or an explicit bounty phrase; see the module docstring."""

    name = "bounty"

    def __init__(self, lexicon: Lexicon | None = None, context: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon("bounty")
        # Reporting and counter-speech cues are shared with the threat detector.
        self.context = context or load_lexicon("threat")
        self.version = f"1.0+lex{self.lexicon.version}.{self.context.version}"

    def _contextual(self, cues: SentenceCues, m: Match, doc: NormalizedText) -> bool:
        if cues.in_sentence("report", m.start, m.end) or cues.in_sentence(
            "counter", m.start, m.end
        ):
            return True
        # An offer quoted to report or condemn it ("someone wrote 'paying $500 for their
        # location'. Reported."): the cue may be in another sentence, as for threats.
        start, end = doc.original_span(m.start, m.end)
        return inside_quotes(doc.original, start, end) and (
            cues.anywhere("counter") or cues.anywhere("report") or cues.anywhere("speech")
        )

    def detect(self, doc: NormalizedText, facts: Facts) -> list[Detection]:
        """At most one detection per text, spanning the money, the act and the taker."""
        folded = doc.folded
        if self.lexicon.any("negative", folded):
            return []
        cues = SentenceCues(self.context, doc)
        explicit = [
            m for m in self.lexicon.find_in("explicit", doc) if not self._contextual(cues, m, doc)
        ]
        money = [
            m
            for m in (*self.lexicon.find_in("offer", doc), *self.lexicon.find_in("amount", doc))
            if not self._contextual(cues, m, doc)
        ]
        action = list(self.lexicon.find_in("action", doc))
        who = list(self.lexicon.find_in("who", doc))
        evidence: list[Match]
        if explicit:
            evidence = explicit + money
            reason = "an explicit bounty phrase"
            score = 0.9 if money else 0.8
        elif money and action and who:
            evidence = money + action + who
            reason = "money offered together with an act against someone and a taker ('whoever')"
            score = 0.85
        else:
            return []
        languages = lexicon_languages(evidence)
        harm = list(self.lexicon.find_in("harm", doc))
        bounty = Detection(
            kind="bounty",
            score=score,
            spans=to_original(doc, evidence),
            explanation=(
                f"Offers a reward for harming, finding or exposing someone: {reason}. "
                "No sign of a lost-item reward, a sale, a news report or counter-speech."
            ),
            details={"lexicon_languages": languages, "explicit": bool(explicit)},
        )
        if not harm:
            return [bounty]
        threat = Detection(
            kind="threat",
            score=score,
            spans=to_original(doc, evidence + harm),
            explanation=(
                "Offers a reward for violence against someone, which is a call for violence."
            ),
            details={"lexicon_languages": lexicon_languages(evidence + harm), "reward": True},
        )
        return [bounty, threat]
