"""Text triage: find threats, bounties, doxxing and hate in comments, in az, ru, tr and en.

`analyse_text(item_id, text, facts)` is the entry point: it normalises the text (keeping offsets
back to the original), runs every detector in `haven.text.detectors`, and returns
`haven.model.Finding`s with a severity that depends on what was found together. Nothing in this
package stores, sends or logs text; callers decide what to keep.
"""

from __future__ import annotations

from haven.text.analyse import (
    LABELS,
    TEXT_ANALYSER_VERSION,
    TextAnalysis,
    analyse_document,
    analyse_records,
    analyse_text,
    default_detectors,
)
from haven.text.facts import Facts, FactsError, Person
from haven.text.langid import detect_language
from haven.text.normalize import NormalizedText, normalize

__all__ = [
    "LABELS",
    "TEXT_ANALYSER_VERSION",
    "Facts",
    "FactsError",
    "NormalizedText",
    "Person",
    "TextAnalysis",
    "analyse_document",
    "analyse_records",
    "analyse_text",
    "default_detectors",
    "detect_language",
    "normalize",
]
