"""Language identification among az (both scripts), ru, tr and en."""

from __future__ import annotations

import pytest

from haven.text.langid import detect_language, detect_script


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Səni öldürəcəyik, gözlə", "az"),
        ("Сәни өлдүрәҹәјик, ҝөзлә", "az"),  # lingua alone would say ru
        ("Я тебя найду и убью", "ru"),
        ("Seni öldüreceğiz, bekle", "tr"),
        ("We will find you and kill you", "en"),
        ("12345 !!!", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_detect_script() -> None:
    assert detect_script("Гянджа") == "Cyrl"
    assert detect_script("Gəncə") == "Latn"
    assert detect_script("123") == "Zyyy"
