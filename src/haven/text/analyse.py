"""Text triage: run every detector on one item's text and decide how urgent each finding is.

Severity depends on the combination, which is why it is decided here and not in the detectors:
a threat is high on its own but critical when the same comment says where the targets can be
found (their address, phone, workplace, car or city from the case facts, any street address), or
gives a time and a place. The rules:

    critical  a threat or bounty together with where the targets can be found, or a time and place
    high      a threat, a bounty, the targets' address or phone from the case facts
    medium    hate; a workplace, relative or vehicle from the facts; an address or phone not in them
    low       a target named ("mention"), an e-mail, a number plate, another fact

This module returns findings; it never stores them and never logs the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from haven.model import Finding, Severity, Span
from haven.text.detectors.base import Detection, Detector
from haven.text.detectors.bounty import BountyDetector
from haven.text.detectors.exposure import ExposureDetector
from haven.text.detectors.hate import HateDetector
from haven.text.detectors.learned import LearnedDetector
from haven.text.detectors.threat import ThreatDetector
from haven.text.facts import Facts
from haven.text.langid import detect_language
from haven.text.lexicon import load_lexicon
from haven.text.normalize import NormalizedText, normalize

__all__ = [
    "LABELS",
    "TEXT_ANALYSER_VERSION",
    "TextAnalysis",
    "analyse_document",
    "analyse_records",
    "analyse_text",
    "default_detectors",
    "default_learned",
]

TEXT_ANALYSER_VERSION = "0.1.0"
LABELS = ("threat", "bounty", "exposure", "hate")

# Facts that say where the targets can be found (what turns a threat into an emergency).
_WHEREABOUTS = frozenset({"address", "city", "phone", "workplace", "vehicle"})
_EXPOSURE_SEVERITY = {
    ("address", True): Severity.HIGH,
    ("phone", True): Severity.HIGH,
    ("workplace", True): Severity.MEDIUM,
    ("relative", True): Severity.MEDIUM,
    ("vehicle", True): Severity.MEDIUM,
    ("city", True): Severity.MEDIUM,
    ("address", False): Severity.MEDIUM,
    ("phone", False): Severity.MEDIUM,
}


@lru_cache(maxsize=1)
def default_detectors() -> tuple[Detector, ...]:
    """The built-in detectors, sharing lexicons; built once because compiling takes a moment."""
    threat_lexicon = load_lexicon("threat")
    return (
        ThreatDetector(threat_lexicon),
        BountyDetector(context=threat_lexicon),
        ExposureDetector(),
        HateDetector(context=threat_lexicon),
    )


@lru_cache(maxsize=1)
def default_learned() -> LearnedDetector:
    """The learned second opinion on the shipped examples (trains once, about a second)."""
    return LearnedDetector()


@dataclass(frozen=True)
class TextAnalysis:
    """Everything triage says about one text: its language, labels, severity and findings."""

    item_id: str
    lang: str
    findings: tuple[Finding, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The detector labels present, in the fixed order threat, bounty, exposure, hate."""
        kinds = {f.kind for f in self.findings}
        return tuple(label for label in LABELS if label in kinds)

    @property
    def severity(self) -> Severity | None:
        """The most urgent finding's severity, or None when nothing was found."""
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=lambda s: s.rank)

    def to_record(self) -> dict[str, Any]:
        """The output line of `haven analyse text` (issue 5's stateless format)."""
        return {
            "id": self.item_id,
            "lang": self.lang,
            "labels": list(self.labels),
            "severity": self.severity.value if self.severity else "none",
            "findings": [
                {
                    "kind": f.kind,
                    "score": round(f.score, 3),
                    "severity": f.severity.value,
                    "spans": [[s.start, s.end] for s in f.spans],
                    "explanation": f.explanation,
                }
                for f in self.findings
            ],
        }


def _has_time_and_place(doc: NormalizedText) -> bool:
    lexicon = load_lexicon("threat")
    return lexicon.any("time", doc.folded) and lexicon.any("place", doc.folded)


def _exposure_severity(details: Mapping[str, Any]) -> Severity:
    key = (str(details.get("fact_kind")), bool(details.get("in_facts")))
    return _EXPOSURE_SEVERITY.get(key, Severity.LOW)


def analyse_document(
    item_id: str,
    doc: NormalizedText,
    facts: Facts,
    detectors: Sequence[Detector] | None = None,
    lang: str | None = None,
    learned: LearnedDetector | bool = True,
) -> TextAnalysis:
    """Run the detectors on an already normalised text and assign severities.

    `learned` is the second opinion that runs after the rules for the labels they did not find:
    True for the default one, False for rules only (what the benchmark compares against).
    """
    detectors = default_detectors() if detectors is None else detectors
    # One detector per kind: the first to report a kind owns it (the bounty detector also calls
    # a reward for violence a threat, but the threat detector's own finding comes first), and
    # the learned second opinion is only asked about the kinds nobody reported.
    found: list[tuple[Detector, Detection]] = []
    owner: dict[str, str] = {}
    for detector in detectors:
        for hit in detector.detect(doc, facts):
            if owner.setdefault(hit.kind, detector.name) == detector.name:
                found.append((detector, hit))
    second = default_learned() if learned is True else learned or None
    if second is not None:
        found += [(second, hit) for hit in second.detect(doc, facts, found=set(owner))]
    whereabouts = [
        hit
        for _, hit in found
        if hit.kind == "location"
        or (hit.kind == "exposure" and hit.details.get("fact_kind") in _WHEREABOUTS)
    ]
    findings: list[Finding] = []
    for detector, hit in found:
        if hit.kind == "location":
            continue  # a city alone is not a finding; it only raises threats (below)
        explanation = hit.explanation
        details: dict[str, Any] = dict(hit.details)
        if hit.kind in ("threat", "bounty"):
            severity = Severity.HIGH
            if whereabouts:
                severity = Severity.CRITICAL
                explanation += " The same text says where the targets can be found."
                details["whereabouts"] = sorted(
                    {str(w.details.get("fact_kind", "location")) for w in whereabouts}
                )
            elif _has_time_and_place(doc):
                severity = Severity.CRITICAL
                explanation += " The same text gives a time and a place."
                details["time_and_place"] = True
        elif hit.kind == "hate":
            severity = Severity.MEDIUM
        elif hit.kind == "mention":
            severity = Severity.LOW
        else:
            severity = _exposure_severity(hit.details)
        findings.append(
            Finding(
                item_id=item_id,
                kind=hit.kind,
                severity=severity,
                score=hit.score,
                explanation=explanation,
                analyser=f"text.{detector.name}",
                analyser_version=f"{TEXT_ANALYSER_VERSION}/{detector.version}",
                spans=tuple(Span(s, e, hit.kind) for s, e in hit.spans),
                details=details,
            )
        )
    findings = _merge_same_kind(findings)
    findings.sort(key=lambda f: (f.severity.rank, -f.score))
    return TextAnalysis(
        item_id=item_id,
        lang=lang if lang is not None else detect_language(doc.script_text),
        findings=tuple(findings),
    )


def _merge_same_kind(findings: list[Finding]) -> list[Finding]:
    """One finding per kind and analyser: a finding's id is derived from exactly those, so two
    exposure findings (an address and a phone) in one item would otherwise share an id. The
    merged finding keeps the most urgent severity, every span, and each part's explanation."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.analyser, f.kind), []).append(f)
    merged: list[Finding] = []
    for parts in groups.values():
        if len(parts) == 1:
            merged.append(parts[0])
            continue
        parts.sort(key=lambda f: (f.severity.rank, -f.score))
        first = parts[0]
        spans = sorted({(s.start, s.end, s.label) for f in parts for s in f.spans})
        merged.append(
            Finding(
                item_id=first.item_id,
                kind=first.kind,
                severity=first.severity,
                score=max(f.score for f in parts),
                explanation=" ".join(dict.fromkeys(f.explanation for f in parts)),
                analyser=first.analyser,
                analyser_version=first.analyser_version,
                spans=tuple(Span(a, b, label) for a, b, label in spans),
                details={**first.details, "parts": [dict(f.details) for f in parts]},
            )
        )
    return merged


def analyse_text(
    item_id: str, text: str, facts: Facts | None = None, learned: bool = True
) -> list[Finding]:
    """Findings about one item's text, most urgent first, with spans into `text` itself.
    `learned=False` leaves out the learned second opinion (rules only)."""
    doc = normalize(text)
    return list(analyse_document(item_id, doc, facts or Facts(), learned=learned).findings)


def analyse_records(
    records: Iterable[Mapping[str, Any]], facts: Facts | None = None, learned: bool = True
) -> Iterator[dict[str, Any]]:
    """The stateless face of issue 5 (`haven analyse text`): {"id", "text"} in, records out.

    Each output record is `TextAnalysis.to_record()`. A record without a string "text" or without
    an "id" raises ValueError naming its position, so the CLI can report the bad line.
    """
    facts = facts or Facts()
    for n, record in enumerate(records, start=1):
        item_id = record.get("id")
        text = record.get("text")
        if item_id is None or not isinstance(text, str):
            raise ValueError(f"record {n}: needs an 'id' and a string 'text'")
        yield analyse_document(str(item_id), normalize(text), facts, learned=learned).to_record()
