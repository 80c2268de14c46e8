"""Lexicons that a caseworker can read and extend, compiled into matchers over folded text.

Entries are written in each language's own spelling and script; they are folded exactly like the
texts (see `normalize`), so one entry matches Cyrillic, Latin, dotless-i and leet spellings alike.
The pattern language is deliberately tiny, so that an NGO can add a phrase without knowing regular
expressions:

    word          the word itself
    stem*         any word starting with the stem (inflections: öldür* matches öldürəcəyik)
    a/b/c         any of the alternatives (each may end in *)
    stem{x,y,}    the stem followed by one of the endings (an empty ending means the bare stem)
    a_b           a phrase inside an alternative (не_жить/конец: either "не жить" or "конец")
    ..            up to three other words in between
    ...           up to eight other words in between
    #             a number (digits, maybe with spaces, dots or commas: 5 000, 1.5)

Lexicon files are JSON: {"version": ..., "languages": {"en": {"category": [patterns...]}}}.
This module never reads anything but the lexicon files it is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from haven.text.normalize import NormalizedText, folded_words, normalize

__all__ = ["Lexicon", "LexiconError", "Match", "Pattern", "compile_pattern", "load_lexicon"]

_WORD_CHARS = "a-z0-9"
_LEFT = rf"(?<![{_WORD_CHARS}])"
_RIGHT = rf"(?![{_WORD_CHARS}])"
_GAP = rf"[^{_WORD_CHARS}]+"
_ANY_WORD = rf"[{_WORD_CHARS}]+"
# Bounded, so that a text of "1 1 1 1 ..." cannot make matching quadratic.
_NUMBER = r"[0-9](?:[0-9]|[ .,](?=[0-9])){0,15}"


class LexiconError(ValueError):
    """A lexicon file or entry that cannot be compiled; the message names the entry."""


@dataclass(frozen=True)
class Pattern:
    """One lexicon entry, remembering where it came from for the explanation.

    `expression` is the regular expression over folded text; it is compiled the first time the
    entry is tried (`regex`). Compiling all of a large lexicon's entries takes seconds, while the
    head index means a run over a few comments tries only a handful of them.
    """

    source: str
    language: str
    category: str
    expression: str
    heads: tuple[str, ...] | None = None
    """What a text word must start with for the entry to match there (None: no such word)."""

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled expression."""
        return re.compile(self.expression)


@dataclass(frozen=True)
class Match:
    """Where a pattern matched, as a half-open span of the folded text."""

    pattern: Pattern
    start: int
    end: int


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    folded = normalize(word).folded
    if not re.fullmatch(rf"[{_WORD_CHARS}]*", folded):
        # A lexicon word folding to punctuation would match anything between words.
        folded = re.sub(rf"[^{_WORD_CHARS}]", "", folded)
    return folded


# Abusers mask letters ("f*ggot", "по%уй", "бл*ть"): any letter of an entry may be masked.
_MASKS = "*%"
_MASK_CLASS = "[" + re.escape(_MASKS) + "]"


def _masked(word: str) -> str:
    return "".join(
        f"(?:{re.escape(c)}|{_MASK_CLASS})" if c.isalpha() else re.escape(c) for c in word
    )


def _phrase(text: str) -> str:
    words = [_fold_word(w) for w in text.split("_")]
    if not all(words):
        raise LexiconError(f"{text!r} folds to nothing")
    return _GAP.join(_masked(w) for w in words)


def _token_regex(token: str, source: str) -> str:
    if token == "#":
        return _NUMBER
    alternatives: list[str] = []
    for alt in token.split("/"):
        if not alt:
            raise LexiconError(f"empty alternative in {source!r}")
        brace = re.fullmatch(r"([^{}*]*)\{([^{}]*)\}(\*?)", alt)
        if brace:
            stem, endings, star = brace.groups()
            for ending in endings.split(","):
                word = _phrase(stem + ending)
                alternatives.append(word + (rf"[{_WORD_CHARS}]*" if star else ""))
            continue
        if "{" in alt or "}" in alt:
            raise LexiconError(f"unbalanced braces in {source!r}")
        star = alt.endswith("*")
        try:
            word = _phrase(alt.rstrip("*"))
        except LexiconError:
            raise LexiconError(f"token {alt!r} in {source!r} folds to nothing") from None
        alternatives.append(word + (rf"[{_WORD_CHARS}]*" if star else ""))
    # Longest first so that the regex prefers the full word over a shorter alternative.
    alternatives = sorted(set(alternatives), key=len, reverse=True)
    return "(?:" + "|".join(alternatives) + ")"


def _heads(token: str) -> tuple[str, ...] | None:
    """The folded first words an entry's first token can start with, or None for a number."""
    if token == "#":
        return None
    heads: set[str] = set()
    for alt in token.split("/"):
        brace = re.fullmatch(r"([^{}*]*)\{([^{}]*)\}(\*?)", alt)
        words = [brace.group(1) + e for e in brace.group(2).split(",")] if brace else [alt]
        for word in words:
            heads.add(_fold_word(word.rstrip("*").split("_")[0]))
    return tuple(sorted(heads))


def compile_pattern(source: str, language: str = "", category: str = "") -> Pattern:
    """Compile one lexicon entry into a matcher over folded text."""
    tokens = source.split()
    if not tokens:
        raise LexiconError("empty pattern")
    if tokens[0] in ("..", "...") or tokens[-1] in ("..", "..."):
        raise LexiconError(f"a gap cannot start or end a pattern: {source!r}")
    parts: list[str] = []
    gap_before = ""
    previous = ""
    for token in tokens:
        if token in ("..", "..."):
            n = 3 if token == ".." else 8
            gap_before = rf"(?:{_GAP}{_ANY_WORD}){{0,{n}}}"
            continue
        if parts:
            # A number may touch its unit ("500azn", "5k").
            numeric = token == "#" or previous == "#"
            parts.append(gap_before + (rf"[^{_WORD_CHARS}]*" if numeric else _GAP))
        gap_before = ""
        parts.append(_token_regex(token, source))
        previous = token
    return Pattern(
        source=source,
        language=language,
        category=category,
        expression=_LEFT + "".join(parts) + _RIGHT,
        heads=_heads(tokens[0]),
    )


_PREFIX = 2


@dataclass(frozen=True)
class _HeadIndex:
    """Entries by the first letters of their possible first words, for `Lexicon._candidates`."""

    always: tuple[int, ...]
    by_prefix: Mapping[str, tuple[tuple[str, int], ...]]

    @classmethod
    def build(cls, patterns: Sequence[Pattern]) -> _HeadIndex:
        always: list[int] = []
        by_prefix: dict[str, list[tuple[str, int]]] = {}
        for i, p in enumerate(patterns):
            if p.heads is None or any(len(h) < _PREFIX for h in p.heads):
                always.append(i)
                continue
            for head in p.heads:
                by_prefix.setdefault(head[:_PREFIX], []).append((head, i))
        return cls(tuple(always), {k: tuple(v) for k, v in by_prefix.items()})


@dataclass(frozen=True)
class Lexicon:
    """All patterns of one detector, grouped by category, across languages."""

    name: str
    version: str
    patterns: Mapping[str, tuple[Pattern, ...]]
    _index: dict[str, _HeadIndex] = field(default_factory=dict, compare=False, repr=False)

    def _candidates(self, category: str, folded: str) -> Iterable[Pattern]:
        """The entries that can match in `folded`: those whose first word starts one of its
        words. A lexicon has a thousand entries and a comment twenty words, so this skips almost
        every regex; it changes no result (tests compare it with trying every entry)."""
        patterns = self.patterns.get(category, ())
        if len(patterns) < 8 or any(c in folded for c in _MASKS):
            return patterns  # masked letters split words: try everything
        index = self._index.get(category)
        if index is None:
            index = self._index[category] = _HeadIndex.build(patterns)
        chosen = set(index.always)
        for word in folded_words(folded):
            for head, at in index.by_prefix.get(word[:_PREFIX], ()):
                if word.startswith(head):
                    chosen.add(at)
        return [patterns[i] for i in sorted(chosen)]

    def find(self, category: str, folded: str) -> Iterator[Match]:
        """Every match of the category's patterns in `folded`, in no particular order."""
        for pattern in self._candidates(category, folded):
            for m in pattern.regex.finditer(folded):
                if _plausible(m.group()):
                    yield Match(pattern, m.start(), m.end())

    def find_in(self, category: str, doc: NormalizedText) -> Iterator[Match]:
        """Matches in a document, keeping only those written in a script the entry's language
        uses: after folding, Russian "пусть" and Turkish "puşt" are one word, but a Russian
        comment never contains the Turkish slur."""
        for m in self.find(category, doc.folded):
            if _script_allows(m.pattern.language, doc, m.start, m.end):
                yield m

    def any(self, category: str, folded: str) -> bool:
        """True if any pattern of the category matches somewhere in `folded`."""
        return any(True for _ in self.find(category, folded))

    def any_in(self, category: str, doc: NormalizedText, start: int = 0, end: int = -1) -> bool:
        """True if the category matches in doc.folded[start:end] in a script its language uses
        (as `find_in`): Russian "лига" folds to "liga" and must not stop "light a match")."""
        end = len(doc.folded) if end < 0 else end
        return any(
            _script_allows(m.pattern.language, doc, m.start + start, m.end + start)
            for m in self.find(category, doc.folded[start:end])
        )


def _script_allows(language: str, doc: NormalizedText, start: int, end: int) -> bool:
    lo, hi = doc.original_span(start, end)
    text = doc.original[lo:hi]
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u052f")
    latin = sum(1 for c in text if c.isalpha()) - cyrillic
    if language == "ru":
        return cyrillic >= latin or doc.russian_in_latin
    if language == "az" and (doc.az_cyrillic or _maybe_az_in_russian_letters(doc.original)):
        return True
    if language in ("az", "tr", "en"):
        return latin >= cyrillic
    return True


@lru_cache(maxsize=256)
def _maybe_az_in_russian_letters(original: str) -> bool:
    """Cyrillic with none of the letters only Russian has: it may be Azerbaijani typed on a
    Russian keyboard ("Самири горен йерде вурун"), so Azerbaijani entries are tried on it."""
    cyrillic = [c for c in original.lower() if "\u0400" <= c <= "\u052f"]
    return bool(cyrillic) and not any(c in "щъьэё" for c in cyrillic)


def _plausible(matched: str) -> bool:
    """A match may mask a letter or two per word, but "****" is not a word."""
    for word in re.split(rf"[^{_WORD_CHARS}{re.escape(_MASKS)}]+", matched):
        masks = sum(word.count(c) for c in _MASKS)
        if masks and (masks > max(1, len(word) // 3) or word[0] in _MASKS):
            return False
    return True


def lexicon_from_dict(name: str, data: object) -> Lexicon:
    """Compile a decoded lexicon file; errors name the language, category and entry."""
    if not isinstance(data, Mapping) or not isinstance(data.get("languages"), Mapping):
        raise LexiconError(f"lexicon {name}: expected an object with 'languages'")
    version = str(data.get("version", "0"))
    grouped: dict[str, list[Pattern]] = {}
    for language, categories in data["languages"].items():
        if not isinstance(categories, Mapping):
            raise LexiconError(f"lexicon {name}.{language}: expected categories")
        for category, entries in categories.items():
            if category == "inflect":
                entries = _inflected(name, language, entries, grouped)
                continue
            if not isinstance(entries, list):
                raise LexiconError(f"lexicon {name}.{language}.{category}: expected a list")
            for entry in entries:
                if not isinstance(entry, str):
                    raise LexiconError(f"lexicon {name}.{language}.{category}: {entry!r}")
                try:
                    pattern = compile_pattern(entry, language, category)
                except LexiconError as exc:
                    raise LexiconError(f"lexicon {name}.{language}.{category}: {exc}") from None
                grouped.setdefault(category, []).append(pattern)
    return Lexicon(name=name, version=version, patterns={k: tuple(v) for k, v in grouped.items()})


def _inflected(
    name: str, language: str, groups: object, grouped: dict[str, list[Pattern]]
) -> list[str]:
    """Add stem-times-ending entries: one line per verb, instead of one per verb form."""
    where = f"lexicon {name}.{language}.inflect"
    if not isinstance(groups, list):
        raise LexiconError(f"{where}: expected a list of {{category, stems, endings}}")
    added: list[str] = []
    for i, group in enumerate(groups):
        if not isinstance(group, Mapping):
            raise LexiconError(f"{where}[{i}]: expected an object")
        category = group.get("category")
        stems = group.get("stems")
        endings = group.get("endings")
        if not isinstance(category, str) or not isinstance(stems, list):
            raise LexiconError(f"{where}[{i}]: needs 'category' and 'stems'")
        if not isinstance(endings, list) or not all(isinstance(e, str) for e in endings):
            raise LexiconError(f"{where}[{i}]: 'endings' must be a list of strings")
        for stem in stems:
            if not isinstance(stem, str) or not stem.strip():
                raise LexiconError(f"{where}[{i}]: bad stem {stem!r}")
            # A stem with a space ("məhv et") inflects only its last word; an ending with a space
            # ("mək lazımdır") is a phrase.
            head, _, last = stem.strip().rpartition(" ")
            forms = "/".join(dict.fromkeys(last + e.strip().replace(" ", "_") for e in endings))
            source = f"{head} {forms}" if head else forms
            grouped.setdefault(category, []).append(compile_pattern(source, language, category))
            added.append(source)
    return added


def load_lexicon(name: str, path: Path | None = None) -> Lexicon:
    """Load a lexicon by name from the package (or from `path`, for an NGO's own copy)."""
    if path is not None:
        return lexicon_from_dict(name, _decoded(name, path.read_text(encoding="utf-8")))
    return _packaged(name)


def _decoded(name: str, text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"lexicon {name}: not JSON (line {exc.lineno}: {exc.msg})") from None


@lru_cache(maxsize=16)
def _packaged(name: str) -> Lexicon:
    text = resources.files("haven.text").joinpath("lexicons", f"{name}.json").read_text("utf-8")
    return lexicon_from_dict(name, _decoded(name, text))
