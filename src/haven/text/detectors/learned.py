"""The learned second opinion: threats, bounties and hate that no lexicon phrase caught.

It runs after the rule detectors and only for a label they did not find in the text, so a rule
finding (with its precise phrase and explanation) always wins. It flags a label when the
classifier (haven.text.classifier) is confident in one sentence (the mean of its character and
semantic opinions) and that sentence shows none of the cues that make violent words harmless: a
news report, counter-speech, sport, an idiom. Its
findings score below rule findings, say plainly that they come from a model, and point at the
words that weighed most, so a reviewer sees why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from haven.text.classifier import LEARNED_LABELS, Assessment, TextClassifier, default_classifier
from haven.text.detectors.base import Detection, inside_quotes, overlaps
from haven.text.detectors.threat import is_banter
from haven.text.facts import Facts
from haven.text.lexicon import Lexicon, load_lexicon
from haven.text.normalize import NormalizedText

__all__ = ["CHARACTER_THRESHOLDS", "DEFAULT_THRESHOLDS", "LearnedDetector"]

DEFAULT_THRESHOLDS: Mapping[str, float] = {"threat": 0.85, "bounty": 0.8, "hate": 0.75}
"""Mean probability (character and semantic opinions) a sentence needs before the model alone
flags it. From bench/text_learned.py: the best cross-validated F1 that keeps hard negatives
under 5 % and ordinary tweets flagged near 1 % (an ordinary stream is most of a case). For
threat, 0.85 flags 1.2 % of ordinary Turkish tweets where the character opinion alone at its
0.9 flags 1.6 %, with fewer hard negatives (0.3 % against 1.1 %)."""

CHARACTER_THRESHOLDS: Mapping[str, float] = {"threat": 0.9, "bounty": 0.8, "hate": 0.8}
"""The same, for a classifier built without the semantic model (the character opinion alone:
threat at 0.8 flagged 4 % of ordinary Turkish tweets)."""

_WHAT = {
    "threat": "a threat or call for violence",
    "bounty": "an offer of a reward for harming, finding or exposing someone",
    "hate": "hateful or dehumanising language about LGBT+ people",
}
# Cues (threat lexicon categories) that make a sentence's harsh words harmless, per label. The
# model reads n-grams, not grammar, so it cannot tell "nobody should touch them" from a threat.
_HARMLESS_CUES = {
    "threat": ("report", "counter", "sport", "idiom", "negation"),
    "bounty": ("report", "counter", "sport"),
    "hate": ("report", "counter"),
}
# Cues from the label's own lexicon (see LearnedDetector.__init__).
_OWN_CUES = {"bounty": ("negative",), "hate": ("reclaimed", "homonym")}
_CUE_NAMES = {
    "report": "a news report",
    "counter": "counter-speech",
    "sport": "sport or games",
    "idiom": "an idiom",
    "negation": "a negation",
    "negative": "a lost-item reward or a sale",
    "reclaimed": "a reclaimed word",
    "homonym": "a homonym",
}


def _cue_list(label: str) -> str:
    names = [_CUE_NAMES[cue] for cue in (*_HARMLESS_CUES[label], *_OWN_CUES.get(label, ()))]
    return ", ".join(names[:-1]) + " or " + names[-1]


class LearnedDetector:
    """Flags LEARNED_LABELS the rules missed; see the module docstring."""

    name = "learned"

    def __init__(
        self,
        classifier: TextClassifier | None = None,
        context: Lexicon | None = None,
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.classifier = classifier or default_classifier()
        self.context = context or load_lexicon("threat")
        # The label's own lexicon knows harmless uses too: a lost-pet reward or a price (bounty
        # "negative", anywhere in the text, as the bounty rules read it), a reclaimed word or a
        # homonym (hate, in the sentence).
        self.own = {"bounty": load_lexicon("bounty"), "hate": load_lexicon("hate")}
        if thresholds is None:
            thresholds = DEFAULT_THRESHOLDS if self.classifier.semantic else CHARACTER_THRESHOLDS
        self.thresholds = dict(thresholds)
        opinions = "cs" if self.classifier.semantic else "c"
        self.version = f"1.1{opinions}+ex{self.classifier.size}.lex{self.context.version}"

    def detect(
        self, doc: NormalizedText, facts: Facts, found: Collection[str] = ()
    ) -> list[Detection]:
        """Detections for the labels not in `found` (the kinds the rules already reported)."""
        wanted = [label for label in LEARNED_LABELS if label not in found]
        if not wanted or not doc.folded.strip():
            return []
        assessed = self.classifier.assess(doc)
        out = []
        for label in wanted:
            a = assessed[label]
            threshold = self.thresholds.get(label, 1.0)
            probability = self._probability(doc, a, threshold)
            if probability is None:
                continue
            words = self.classifier.strongest_words(doc, a)
            if not words or self._harmless(doc, a, label, words):
                continue
            spans = tuple(sorted(doc.original_span(s, e) for s, e in words))
            out.append(
                Detection(
                    kind=label,
                    # Below every rule score (0.8 and up): a phrase match is stronger evidence.
                    score=round(0.5 + 0.29 * (probability - threshold) / (1 - threshold), 3),
                    spans=spans,
                    explanation=(
                        f"No lexicon phrase matched, but the model trained on "
                        f"{self.classifier.size} labelled comments reads this as {_WHAT[label]} "
                        f"(probability {probability:.2f}); the marked words weighed most. "
                        f"No sign in that sentence of {_cue_list(label)}. "
                        "Check it: the model can be wrong."
                    ),
                    details={"probability": round(probability, 3), "learned": True},
                )
            )
        return out

    def _probability(self, doc: NormalizedText, a: Assessment, threshold: float) -> float | None:
        """The opinion to compare with the threshold, or None when it cannot reach it.

        With the semantic model the opinion is the mean of both; the embedding is computed only
        when the character opinion is high enough that the mean could still pass.
        """
        if not self.classifier.semantic:
            return a.probability if a.probability >= threshold else None
        if a.probability < 2 * threshold - 1:
            return None
        mean = (a.probability + self.classifier.semantic_probability(doc, a)) / 2
        return mean if mean >= threshold else None

    def _harmless(
        self,
        doc: NormalizedText,
        a: Assessment,
        label: str,
        words: tuple[tuple[int, int], ...],
    ) -> bool:
        start, end = a.sentence
        # Words the model leaned on that sit in a quotation someone reports or condemns
        # ("someone wrote 'paying $500 for their location'. Reported."), as the rules read it.
        quoted = all(inside_quotes(doc.original, *doc.original_span(*w)) for w in words)
        if quoted and any(self.context.any_in(c, doc) for c in ("counter", "report", "speech")):
            return True
        for cue in _OWN_CUES.get(label, ()):
            own = self.own[label]
            # A lost-pet notice is one whatever sentence names the reward, as the rules read it.
            if own.any(cue, doc.folded) if cue == "negative" else own.any_in(cue, doc, start, end):
                return True
        if label == "threat" and is_banter(doc, self.context):
            return True
        for cue in _HARMLESS_CUES[label]:
            if cue != "idiom":
                if self.context.any_in(cue, doc, start, end):
                    return True
                continue
            # An idiom counts only where it covers the words the model leaned on.
            for m in self.context.find_in(cue, doc):
                if start <= m.start < end and any(overlaps((m.start, m.end), w) for w in words):
                    return True
        return False
