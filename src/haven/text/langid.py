"""Which of Haven's languages a text is in: az (Latin or Cyrillic), ru, tr or en.

Lingua, restricted to these four, is accurate on short texts, but it has never seen Azerbaijani
in Cyrillic and calls it Russian. Letters only Azerbaijani Cyrillic uses decide that case first.
This module never guesses outside the four languages: anything else comes back as "und".
"""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from haven.text.normalize import has_az_cyrillic

__all__ = ["LANGUAGES", "detect_language", "detect_script"]

LANGUAGES = ("az", "ru", "tr", "en")

_CODES = {
    Language.AZERBAIJANI: "az",
    Language.RUSSIAN: "ru",
    Language.TURKISH: "tr",
    Language.ENGLISH: "en",
}


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CODES).build()


def detect_script(text: str) -> str:
    """ "Cyrl" or "Latn" by majority of letters; "Zyyy" when the text has no letters."""
    cyr = sum(1 for c in text if "\u0400" <= c <= "\u052f")
    lat = sum(1 for c in text if c.isalpha() and (c.isascii() or "\u00c0" <= c <= "\u024f"))
    if cyr == lat == 0:
        return "Zyyy"
    return "Cyrl" if cyr > lat else "Latn"


def detect_language(text: str) -> str:
    """The ISO 639-1 code of `text` among az/ru/tr/en, or "und" when there is nothing to go on."""
    if has_az_cyrillic(text):
        return "az"
    if not any(c.isalpha() for c in text):
        return "und"
    found = _detector().detect_language_of(text)
    return "und" if found is None else _CODES[found]
