"""Normalisation: every trick folds to one form, and offsets lead back to the original."""

from __future__ import annotations

import random

import pytest

from haven.text.normalize import fold_key, has_az_cyrillic, normalize


def _span_of(original: str, folded_word: str) -> str:
    doc = normalize(original)
    at = doc.folded.index(folded_word)
    start, end = doc.original_span(at, at + len(folded_word))
    return original[start:end]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＫＩＬＬ", "kil"),  # NFKC full-width
        ("Kill", "kil"),
        ("KIIIIILLLL", "kil"),  # repeated letters
        ("k i l l", "kil"),  # spaced out
        ("k.i.l.l", "kil"),
        ("k1ll", "kil"),  # leet digit inside a word
        ("Я тебя yбью", "ya tebya ubyu"),  # Latin y inside a Cyrillic word
        ("уб1ть", "ubit"),
        ("Сәни өлдүрәҹәјик", "seni oldureceyik"),  # Azerbaijani Cyrillic
        ("Səni öldürəcəyik", "seni oldureceyik"),
        ("İSTANBUL IŞIK", "istanbul isik"),  # Turkish dotted/dotless I
        ("Ş e r e f s i z", "serefsiz"),
        ("$500", "usd 500"),
        ("500₼", "500 azn"),
    ],
)
def test_folds(text: str, folded: str) -> None:
    assert normalize(text).folded.strip() == folded


def test_numbers_and_mentions_are_not_leet() -> None:
    assert normalize("5000azn").folded == "5000azn"
    assert normalize("5k").folded == "5k"
    assert normalize("@samir").folded == "@samir"
    assert normalize("öldürün!").folded == "oldurun!"


def test_turkic_lowercasing_only_when_turkic() -> None:
    # English "I" stays "i"; Turkish/Azerbaijani capital I becomes dotless and folds to "i" too,
    # but the script text keeps the difference.
    assert normalize("I will").script_text == "i will"
    assert normalize("IŞIK").script_text == "ışık"
    assert normalize("İzmir").script_text == "izmir"


def test_az_cyrillic_detection() -> None:
    assert has_az_cyrillic("Ҝәнҹә")
    assert not has_az_cyrillic("Гянджа")
    assert normalize("Ҝәнҹә").az_cyrillic


@pytest.mark.parametrize(
    ("original", "folded_word", "expected"),
    [
        ("Я тебя yбью, понял?", "ubyu", "yбью"),
        ("We will K I L L you", "kil", "K I L L"),
        ("öldürrrrün onları", "oldurun", "öldürrrrün"),
        ("Сәни өлдүрәҹәјик!", "oldureceyik", "өлдүрәҹәјик"),
        ("ＫＩＬＬ them", "kil", "ＫＩＬＬ"),
        ("убить", "ubit", "убить"),  # the soft sign belongs to the word
        ("e\u0301 kill", "kil", "kill"),  # a combining accent before does not shift offsets
        ("İzmir'de", "izmir", "İzmir"),
    ],
)
def test_offsets_point_at_original(original: str, folded_word: str, expected: str) -> None:
    assert _span_of(original, folded_word) == expected


def test_offsets_are_within_bounds_for_random_text() -> None:
    rng = random.Random(5)
    alphabet = "aəıİIšşçğöüяёыьъәғһҹҝјөү 0123@$!.-  \u0301ＡẞﬁK"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        doc = normalize(text)
        assert len(doc.starts) == len(doc.folded) == len(doc.ends)
        for s, e in zip(doc.starts, doc.ends, strict=True):
            assert 0 <= s < e <= len(text)
        if doc.folded:
            lo, hi = doc.original_span(0, len(doc.folded))
            assert 0 <= lo < hi <= len(text)


def test_original_span_rejects_bad_spans() -> None:
    doc = normalize("abc")
    with pytest.raises(ValueError):
        doc.original_span(2, 2)
    with pytest.raises(ValueError):
        doc.original_span(0, 9)


def test_fold_key_is_plain() -> None:
    assert fold_key("Nizami küç., 45!") == "nizami kuc 45"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("yeбaнoв", "uebanov"),  # б has no Latin look-alike, so the word is Cyrillic
        ("xyeв", "xuev"),  # lowercase в is not a look-alike of b: the word stays Cyrillic
        ("шлюhа", "slyuxa"),  # Latin h inside a Cyrillic word reads as х
        ("ч)урка", "curka"),  # a bracket wedged into a word is dropped
        ("быть", "byt"),  # ы is not folded to i (быть must not become бить)
    ],
)
def test_obfuscation_details(text: str, folded: str) -> None:
    assert normalize(text).folded == folded


def test_az_in_russian_letters_keeps_look_alikes_cyrillic() -> None:
    # ы and a final г fold to ı and q; that must not turn с into Latin c ("açmaq", to open).
    folded = normalize("пидрлерин хамысыны асмаг лазымдыр").folded
    assert "asmaq" in folded.split()


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Елвинин башыны кясэджэм, гёрэрсиз.", "kesecem"),  # э and я for ə
        ("блять, олдюрджэм бунлары", "oldurcem"),  # ю for ü, a Russian swear word beside
        ("Анасыны да дёйэджэйик ки, белэ огул бёйютмэсин.", "doyeceyik"),  # ё for ö
    ],
)
def test_az_on_a_russian_keyboard_with_russian_only_letters(text: str, word: str) -> None:
    doc = normalize(text)
    assert doc.az_cyrillic and word in doc.folded, doc.folded


@pytest.mark.parametrize(
    "text", ["Эти двое ещё пожалеют", "Я тебя найду, это не шутка", "Джамал съел джем"]
)
def test_russian_with_its_own_letters_stays_russian(text: str) -> None:
    assert not normalize(text).az_cyrillic


@pytest.mark.parametrize(
    ("text", "script_text", "folded", "word"),
    [
        ("ya ih naydu i uroyu", "я их найду и урою", "uroyu", "uroyu"),
        ("rodnye ih tozhe otvetyat, pust' ne dumayut", "родные их тоже ответят, пусть не думают",
         "toje", "tozhe"),
        ("Dam deneg tomu, kto ih izob'et", "Дам денег тому, кто их изобьет", "izobet", "izob'et"),
    ],
)  # fmt: skip
def test_russian_typed_in_latin_letters_is_read_in_cyrillic(
    text: str, script_text: str, folded: str, word: str
) -> None:
    doc = normalize(text)
    assert doc.russian_in_latin and doc.script_text.lower() == script_text.lower()
    assert doc.folded == normalize(script_text).folded  # it meets the Cyrillic spelling
    # Evidence still points at what was typed.
    start = doc.folded.index(folded)
    lo, hi = doc.original_span(start, start + len(folded))
    assert text[lo:hi] == word


@pytest.mark.parametrize(
    "text",
    [
        "I love you, my friend, by the way",
        "Bu ne ya, kim o?",
        "Kak dela? Fine, thanks",
        "Ubit is a word, not a language: we read the whole comment before we decide",
    ],
)
def test_other_latin_text_is_not_read_as_russian(text: str) -> None:
    assert not normalize(text).russian_in_latin
