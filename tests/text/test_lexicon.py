"""The lexicon pattern language an NGO writes in."""

from __future__ import annotations

import pytest

from haven.text.lexicon import LexiconError, compile_pattern, lexicon_from_dict, load_lexicon
from haven.text.normalize import normalize


def _matches(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).regex.search(normalize(text).folded) is not None


def test_words_stems_alternatives_and_gaps() -> None:
    assert _matches("kill", "I will KILL")
    assert not _matches("kill", "skills")
    assert _matches("öldür*", "öldürəcəyik")
    assert _matches("öldür*", "OLDURECEYIK")  # written without diacritics
    assert _matches("kill/murder you", "murder you")
    assert _matches("i .. kill", "i am going to kill")
    assert not _matches("i .. kill", "i am really really going to kill")
    assert _matches("i ... kill", "i am really really going to kill")
    assert _matches("öldür{əcəyik,ün}", "öldürün")
    assert not _matches("öldür{əcəyik,ün}", "öldürüldü")
    assert _matches("тебе не_жить/конец", "тебе не жить")
    assert _matches("# manat", "1 000 manat")
    assert _matches("# azn", "500azn")
    assert _matches("убью", "Я тебя yбью")


@pytest.mark.parametrize("bad", ["", ".. kill", "kill ..", "a//b", "ki{ll", "@@@"])
def test_bad_patterns_are_refused(bad: str) -> None:
    with pytest.raises(LexiconError):
        compile_pattern(bad)


def test_lexicon_errors_name_the_entry() -> None:
    with pytest.raises(LexiconError, match=r"x\.en\.threat"):
        lexicon_from_dict("x", {"languages": {"en": {"threat": [".. kill"]}}})
    with pytest.raises(LexiconError, match="inflect"):
        lexicon_from_dict("x", {"languages": {"az": {"inflect": [{"stems": ["a"]}]}}})


def test_inflect_builds_verb_forms() -> None:
    group: dict[str, object] = {"category": "threat", "stems": ["öldür", "məhv ed"]}
    group["endings"] = ["əcəyik", "mək lazımdır"]
    lex = lexicon_from_dict("x", {"languages": {"az": {"inflect": [group]}}})
    assert lex.any("threat", normalize("öldürmək lazımdır").folded)
    assert lex.any("threat", normalize("məhv edəcəyik").folded)
    assert not lex.any("threat", normalize("öldürdü").folded)


@pytest.mark.parametrize("name", ["threat", "bounty", "hate"])
def test_packaged_lexicons_load(name: str) -> None:
    lex = load_lexicon(name)
    assert lex.patterns
    assert {p.language for ps in lex.patterns.values() for p in ps} >= {"en", "ru", "tr", "az"}
