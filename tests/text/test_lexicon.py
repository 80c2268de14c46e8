"""The lexicon pattern language an NGO writes in."""

from __future__ import annotations

from pathlib import Path

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
    # Entries compile when first tried; every one of them must compile.
    for patterns in lex.patterns.values():
        for p in patterns:
            assert p.regex.pattern == p.expression


def test_skipping_entries_by_first_word_changes_no_match() -> None:
    """`find` tries only entries whose first word can start a word of the text; on every text
    of the evaluation sets that must give exactly what trying every entry gives."""
    import json
    from pathlib import Path

    from haven.text.lexicon import _plausible

    data = Path(__file__).parent / "data"
    texts = [
        json.loads(line)["text"]
        for name in ("eval.jsonl", "eval_independent.jsonl")
        for line in (data / name).open(encoding="utf-8")
    ]
    texts += ["f*ggots", "1000 manat", "k i l l them", "по%уй"]
    for name in ("threat", "bounty", "hate"):
        lexicon = load_lexicon(name)
        for text in texts:
            folded = normalize(text).folded
            for category, patterns in lexicon.patterns.items():
                every = {
                    (p.source, m.start(), m.end())
                    for p in patterns
                    for m in p.regex.finditer(folded)
                    if _plausible(m.group())
                }
                found = {(m.pattern.source, m.start, m.end) for m in lexicon.find(category, folded)}
                assert found == every, (name, category, text)


def test_a_lexicon_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "threat.json"
    bad.write_text('{"languages": {"en": {"threat": ["kill"],}}}', encoding="utf-8")
    with pytest.raises(LexiconError, match="lexicon threat: not JSON"):
        load_lexicon("threat", bad)
