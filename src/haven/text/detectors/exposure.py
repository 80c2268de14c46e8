"""Doxxing: the case's own facts, or anyone's personal data, written into a comment.

Case facts are matched however they are written: in the other script (Гасанов for Həsənov),
inflected (Samirin, Gəncədə, Гасановым), abbreviated (küç., ул., д., кв.), or with a phone
number spaced and prefixed differently. Names and places are compared in a "loose" phonetic form
that merges the spellings Russian and Azerbaijani use for the same sounds (h/x/q vs г/х, c vs дж,
ə vs я/а); a token matches a fact token that it starts with, so case endings are allowed. A
city's foreign names that the key cannot reach (Ganja for Gəncə) come from exposure.json, and a
case e-mail spelled out to slip past filters ("samir dot hasanov at example dot az") counts too.

Generic personal data (phones, e-mails, number plates, street addresses) is flagged too, at a
lower score, because a comment giving someone's phone number matters even when the caseworker
did not know that number, unless a business or public office is giving its own. A place that
is only a city ("Gəncə") is reported as a location (it raises a threat to critical) but is not an
exposure by itself: the city is named innocently all the time. It is one when the text says they
live or are there, and not when it is the writer's own family that lives there. Fact values
never appear in explanations, only which fact matched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import phonenumbers
from anyascii import anyascii
from rapidfuzz import fuzz

from haven.text.detectors.base import Detection
from haven.text.facts import Facts
from haven.text.lexicon import load_lexicon
from haven.text.normalize import (
    FOLDED_WORD,
    NormalizedText,
    az_cyrillic_to_latin,
    folded_words,
    normalize,
)

__all__ = ["ExposureDetector", "loose", "phone_key"]

_DIGRAPHS = (("shch", "s"), ("dzh", "c"), ("dj", "c"), ("zh", "j"), ("kh", "x"), ("ch", "c"),
             ("sh", "s"), ("ts", "s"))  # fmt: skip
_SOUNDS = str.maketrans({"e": "a", "h": "g", "x": "g", "q": "g", "k": "g", "y": "i", "w": "v"})
_PHONE_REGIONS = ("AZ", "RU", "TR")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PLATE_LETTERS = "A-ZАВЕКМНОРСТУХ"
_PLATES = (
    re.compile(r"(?<![\w-])\d{2}\s?-?\s?[A-Z]{2}\s?-?\s?\d{3}(?![\w-])"),  # AZ: 10-AB-123
    re.compile(rf"(?<!\w)[{_PLATE_LETTERS}]\s?\d{{3}}\s?[{_PLATE_LETTERS}]{{2}}\s?\d{{2,3}}(?!\w)"),
    re.compile(r"(?<!\w)(?:0[1-9]|[1-7]\d|8[01])\s?[A-Z]{1,3}\s?\d{2,4}(?!\w)"),  # TR: 34 ABC 123
)
_PLATE_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s().-]{0,3}\d){6,14}")


@lru_cache(maxsize=65536)
def loose(token: str) -> str:
    """A phonetic key in which Azerbaijani, Turkish and romanised Russian spellings meet.

    Гасанов/Həsənov -> gasanov, Гянджа/Gəncə -> ganca, Хусейнова/Hüseynov -> gusainova/gusainov.
    Takes an already folded (ASCII) token.
    """
    t = token
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    # The glide in я/ю/ё/е after a consonant ("gyandzha") is not a letter in the other script.
    t = re.sub(r"y(?=[aeiou])", "", t)
    t = t.translate(_SOUNDS)
    return re.sub(r"(.)\1+", r"\1", t)


def phone_key(number: str) -> str | None:
    """The last nine digits of a valid phone number (the subscriber part every format keeps)."""
    digits = re.sub(r"\D", "", number)
    return digits[-9:] if len(digits) >= 7 else None


@dataclass(frozen=True)
class _Token:
    key: str
    folded_start: int
    folded_end: int


@dataclass(frozen=True)
class _Words:
    street: frozenset[str]
    unit: frozenset[str]
    area: frozenset[str]
    organisation: frozenset[str]
    business: frozenset[str]
    presence: frozenset[str]
    work: frozenset[str]
    public: frozenset[str]
    own: frozenset[str]
    presence_phrases: tuple[tuple[str, ...], ...]
    email_at: frozenset[str]
    email_dot: frozenset[str]
    exonyms: dict[str, tuple[str, ...]]


@lru_cache(maxsize=4096)
def _folded_sequence(text: str) -> tuple[str, ...]:
    """The folded words of `text`, in order. For lexicon words and case facts, which are few and
    fixed while comments are many: each is folded once."""
    return tuple(FOLDED_WORD.findall(normalize(text).folded))


@lru_cache(maxsize=1)
def _words() -> _Words:
    path = resources.files("haven.text").joinpath("lexicons", "exposure.json")
    data = json.loads(path.read_text("utf-8"))

    def fold(words: list[str]) -> frozenset[str]:
        return frozenset(t for w in words for t in _folded_sequence(w))

    exonyms: dict[str, tuple[str, ...]] = {}
    for city, names in data.get("exonyms", {}).items():
        for key in _folded_sequence(city):
            exonyms[loose(key)] = tuple(t for n in names for t in _folded_sequence(n))
    return _Words(
        street=fold(data["street"]),
        unit=fold(data["unit"]),
        area=fold(data["area"]),
        organisation=fold(data["organisation"]),
        business=fold(data.get("business", [])),
        presence=fold(data.get("presence", [])),
        work=fold(data.get("work", [])),
        public=fold(data.get("public", [])),
        own=fold(data.get("own", [])),
        presence_phrases=tuple(_folded_sequence(p) for p in data.get("presence_phrases", [])),
        email_at=fold(data.get("email_at", [])),
        email_dot=fold(data.get("email_dot", [])),
        exonyms=exonyms,
    )


def _advert(folded: str) -> bool:
    """A sale, a lost pet or a lost item (the bounty lexicon's 'negative' cues), or a business
    or public office giving its contact line or address (exposure.json's 'business' and
    'public' words)."""
    if load_lexicon("bounty").any("negative", folded):
        return True
    words = _words()
    seen = folded_words(folded)
    return not (words.business.isdisjoint(seen) and words.public.isdisjoint(seen))


# Azerbaijani and Turkish say "they are in X" with an ending on X (Gəncədədirlər, Gence'deler),
# in the phonetic key: locative d/t + copula.
_THERE_ENDINGS = frozenset({"dadir", "dadirlar", "dadilar", "dalar", "tadir", "tadirlar", "talar"})


def _has_phrase(tokens: Sequence[_Token], phrases: Sequence[tuple[str, ...]]) -> bool:
    keys = [t.key for t in tokens]
    return any(keys[i : i + len(p)] == list(p) for p in phrases if p for i in range(len(keys)))


def _there(city: str, toks: Sequence[_Token], tokens: Sequence[_Token], present: bool) -> bool:
    """Whether a mention of the case's city says the targets are there.

    It does when the text has a presence word or phrase ("yaşayırlar", "they are in") or the
    city carries a "they are in" ending (Gəncədədirlər, Gence'deler); it does not when the
    writer's own family stands just before it ("mənim dayım da Gəncədə yaşayır").
    """
    words = _words()
    first = tokens.index(toks[0])
    if any(t.key in words.own for t in tokens[max(0, first - 4) : first]):
        return False
    if present:
        return True
    for tok in toks:
        at = tokens.index(tok)
        after = tokens[at + 1].key if at + 1 < len(tokens) else ""
        if _says_there(city, tok.key) or (
            after
            and loose(after) in _THERE_ENDINGS
            and tokens[at + 1].folded_start - tok.folded_end <= 1
        ):
            return True
    return False


def _email_parts(folded: str, spans: Sequence[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """The words of a folded text with "@" and "." for the words or signs that stand for them,
    and for each part the index of the word it came from (a sign belongs to the word after it)."""
    words = _words()
    parts: list[str] = []
    owners: list[int] = []
    for n, (start, end) in enumerate(spans):
        if n:
            gap = folded[spans[n - 1][1] : start].strip(" []()")
            if gap in ("@", "."):
                parts.append(gap)
                owners.append(n)
        word = folded[start:end]
        parts.append("@" if word in words.email_at else "." if word in words.email_dot else word)
        owners.append(n)
    return parts, owners


@lru_cache(maxsize=64)
def _email_fact_parts(email: str) -> tuple[str, ...]:
    """A case e-mail as parts. Folding reads "@" as the letter a (leet), so it is split on its
    signs first."""
    parts: list[str] = []
    for piece in re.split(r"([@.])", email):
        parts.extend([piece] if piece in ("@", ".") else _folded_sequence(piece))
    return tuple(parts)


def _spelled_out_emails(
    doc: NormalizedText, emails: Sequence[str]
) -> Iterator[tuple[int, tuple[int, int]]]:
    """(fact index, original span) of each case e-mail written as "name dot x at host dot az"."""
    wanted = [(i, list(p)) for i, e in enumerate(emails) if "@" in (p := _email_fact_parts(e))]
    if not wanted:
        return
    spans = [m.span() for m in FOLDED_WORD.finditer(doc.folded)]
    parts, owners = _email_parts(doc.folded, spans)
    for index, want in wanted:
        for at in range(len(parts) - len(want) + 1):
            if parts[at : at + len(want)] == want:
                first, last = spans[owners[at]], spans[owners[at + len(want) - 1]]
                yield index, doc.original_span(first[0], last[1])
                break


def _tokens(doc: NormalizedText) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in FOLDED_WORD.finditer(doc.folded)]


@lru_cache(maxsize=4096)
def _fact_tokens(value: str, ignore: frozenset[str]) -> tuple[str, ...]:
    return tuple(t for t in _folded_sequence(value) if t not in ignore)


@lru_cache(maxsize=262144)
def _token_matches(fact: str, text: str) -> bool:
    if fact.isdigit() or text.isdigit():
        return fact == text
    if _spelling_matches(fact, text):
        return True
    # A foreign name for the place (Ganja for Gəncə) that the phonetic key does not reach.
    return any(_spelling_matches(alias, text) for alias in _words().exonyms.get(loose(fact), ()))


def _says_there(fact: str, text: str) -> bool:
    """True when `text` is the place `fact` with a "they are in" ending (Gəncədədirlər)."""
    t = loose(text)
    keys = [loose(fact), *(loose(a) for a in _words().exonyms.get(loose(fact), ()))]
    return any(t.startswith(k) and t[len(k) :] in _THERE_ENDINGS for k in keys)


def _spelling_matches(fact: str, text: str) -> bool:
    f, t = loose(fact), loose(text)
    if len(f) < 3:
        return f == t
    if t.startswith(f):
        if t[len(f) :] in _THERE_ENDINGS:
            return True
        # Case endings: short names take short ones (Alinin), long ones longer (Гасановыми).
        return len(t) - len(f) <= (3 if len(f) <= 4 else 6)
    if len(f) >= 6 and len(t) >= len(f) - 2:
        # A translated or clipped ending ("Diagnostic" for "Diaqnostika") still names the fact.
        return fuzz.ratio(f, t[: len(f)]) >= 83
    return False


def _find_fact(
    fact_tokens: Sequence[str], tokens: Sequence[_Token], window: int
) -> list[tuple[set[int], list[_Token]]]:
    """Groups of text tokens within `window` tokens that match distinct fact tokens."""
    hits: list[tuple[int, int]] = []  # (text index, fact index)
    for i, tok in enumerate(tokens):
        for j, f in enumerate(fact_tokens):
            if _token_matches(f, tok.key):
                hits.append((i, j))
                break
    groups: list[tuple[set[int], list[_Token]]] = []
    last = -(10**9)
    for i, j in hits:
        if groups and i - last <= window:
            groups[-1][0].add(j)
            groups[-1][1].append(tokens[i])
        else:
            groups.append(({j}, [tokens[i]]))
        last = i
    return groups


class ExposureDetector:
    """Case facts and generic personal data; see the module docstring."""

    name = "exposure"
    version = "1.1"

    def detect(self, doc: NormalizedText, facts: Facts) -> list[Detection]:
        """One detection per fact (or generic item) found; `details` says which kind it is."""
        # The words inside an e-mail address are the address, not names or places ("hasanov"
        # in samir.hasanov@... is not the relative Həsənova).
        emails = [m.span() for m in _EMAIL.finditer(doc.original)]
        tokens = [
            t
            for t in _tokens(doc)
            if not any(
                s <= doc.original_span(t.folded_start, t.folded_end)[0] < e for s, e in emails
            )
        ]
        out: list[Detection] = []
        out.extend(self._people(doc, facts, tokens))
        named = bool(out)
        out.extend(self._places(doc, facts, tokens, named))
        out.extend(self._phones(doc, facts))
        out.extend(self._emails(doc, facts))
        out.extend(self._plates(doc, facts))
        out.extend(self._generic_addresses(doc, tokens, out))
        # An advert or a lost-item notice gives the poster's own number or the flat for sale:
        # personal data not in the case facts counts only outside such posts.
        if _advert(doc.folded):
            out = [d for d in out if d.details.get("in_facts") is not False]
        return out

    def _span(self, doc: NormalizedText, toks: Sequence[_Token]) -> tuple[tuple[int, int], ...]:
        return tuple(sorted({doc.original_span(t.folded_start, t.folded_end) for t in toks}))

    def _people(
        self, doc: NormalizedText, facts: Facts, tokens: list[_Token]
    ) -> Iterator[Detection]:
        rank = {"target": 0, "relative": 1, "other": 2}
        for n, person in enumerate(facts.people, start=1):
            best: tuple[set[int], list[_Token]] | None = None
            for name in person.names:
                name_tokens = _fact_tokens(name, frozenset())
                for group in _find_fact(name_tokens, tokens, window=3):
                    if best is None or len(group[0]) > len(best[0]):
                        best = group
            if best is None:
                continue
            full = len(best[0]) >= 2
            if not full and self._owned_by_other(facts, person.role, best[1][0].key, rank):
                continue
            role = person.role
            # Naming a target is what every comment in the case does: it is a mention, kept for
            # context and severity, not an exposure. A relative's name is an exposure.
            kind = "exposure" if role == "relative" else "mention"
            who = {"target": "a target", "relative": "a relative of a target"}.get(role, "a person")
            yield Detection(
                kind=kind,
                score=0.9 if full else 0.6,
                spans=self._span(doc, best[1]),
                explanation=(
                    f"Names {who} of the case (person #{n} in the case facts"
                    + (", full name" if full else ", one part of the name")
                    + ")."
                ),
                details={"fact_kind": "relative" if role == "relative" else "name",
                         "role": role, "fact_index": n - 1, "in_facts": True},
            )  # fmt: skip

    @staticmethod
    def _owned_by_other(facts: Facts, role: str, token: str, rank: dict[str, int]) -> bool:
        """True when a lone name token (a family surname) also fits a higher-ranked person."""
        for other in facts.people:
            if rank[other.role] >= rank[role]:
                continue
            for name in other.names:
                if any(_token_matches(t, token) for t in _fact_tokens(name, frozenset())):
                    return True
        return False

    def _places(
        self, doc: NormalizedText, facts: Facts, tokens: list[_Token], person: bool = False
    ) -> Iterator[Detection]:
        """Addresses, workplaces and other place facts. The case's city alone is a "location"
        (it only raises a threat's severity) unless the text says they live or are there; a
        workplace counts only when the text says someone works there or names a person from the
        facts ("Ulduz Tikinti is hiring" is about a company, not the targets)."""
        words = _words()
        seen = folded_words(doc.folded)
        present = not words.presence.isdisjoint(seen) or _has_phrase(tokens, words.presence_phrases)
        works = person or not words.work.isdisjoint(seen)
        place_words = words.street | words.unit | words.area
        kinds: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
            ("address", facts.addresses, place_words),
            ("workplace", facts.workplaces, words.organisation | words.area),
            ("other", facts.other, frozenset()),
        )
        # Single-word addresses are cities or areas; they are weak evidence inside a longer one.
        cities = {
            t[0] for t in (_fact_tokens(a, place_words) for a in facts.addresses) if len(t) == 1
        }
        for kind, values, ignore in kinds:
            for n, value in enumerate(values, start=1):
                fact_tokens = _fact_tokens(value, ignore)
                named = [t for t in fact_tokens if not t.isdigit()]
                if not named:
                    continue
                if kind == "workplace" and not works:
                    continue
                need = 1 if len(fact_tokens) == 1 else 2
                for matched, toks in _find_fact(fact_tokens, tokens, window=12):
                    city = False
                    location_only = False
                    if kind == "address" and len(fact_tokens) == 1:
                        city = _there(fact_tokens[0], toks, tokens, present)
                        location_only = not city
                    names = {j for j in matched if not fact_tokens[j].isdigit()}
                    numbers = matched - names
                    # A city named inside an address ("..., Gəncə") does not identify the house:
                    # "Nizami Gəncəvi" is a poet, not Nizami street in Ganja.
                    distinctive = {j for j in names if fact_tokens[j] not in cities}
                    if not (location_only or city) and not (
                        (distinctive and numbers) or len(distinctive) >= need
                    ):
                        continue
                    if len(matched) < need or not names:
                        continue
                    yield Detection(
                        kind="location" if location_only else "exposure",
                        score=0.5
                        if location_only
                        else 0.6
                        if city
                        else min(0.95, 0.7 + 0.1 * len(matched)),
                        spans=self._span(doc, toks),
                        explanation=(
                            f"Mentions the place in {kind} #{n} of the case facts (a city or area "
                            "only: not an exposure by itself)."
                            if location_only
                            else f"Says the targets live or are in the city of {kind} #{n} of "
                            "the case facts."
                            if city
                            else f"Reveals {kind} #{n} of the case facts "
                            f"({len(matched)} of its {len(fact_tokens)} identifying words)."
                        ),
                        details={
                            "fact_kind": "city" if city else kind,
                            "fact_index": n - 1,
                            "in_facts": True,
                        },
                    )
                    break

    def _phones(self, doc: NormalizedText, facts: Facts) -> Iterator[Detection]:
        known = {phone_key(p): i for i, p in enumerate(facts.phones)}
        known.pop(None, None)
        seen: set[tuple[int, int]] = set()
        found: list[tuple[int, int, str | None]] = []
        for region in _PHONE_REGIONS:
            matcher = phonenumbers.PhoneNumberMatcher(
                doc.original, region, leniency=phonenumbers.Leniency.VALID
            )
            for m in matcher:
                if any(m.start < e and s < m.end for s, e in seen):
                    continue
                seen.add((m.start, m.end))
                found.append((m.start, m.end, phone_key(m.raw_string)))
        # Spaced or oddly punctuated digits that libphonenumber will not take, if they are ours.
        for run in _DIGIT_RUN.finditer(doc.original):
            key = phone_key(run.group())
            lo, hi = run.span()
            if key in known and not any(lo < e and s < hi for s, e in seen):
                seen.add((lo, hi))
                found.append((lo, hi, key))
        for start, end, key in found:
            index = known.get(key) if key else None
            yield Detection(
                kind="exposure",
                score=0.95 if index is not None else 0.6,
                spans=((start, end),),
                explanation=(
                    f"Reveals phone #{index + 1} of the case facts."
                    if index is not None
                    else "Contains a phone number (not one of the case facts)."
                ),
                details={"fact_kind": "phone", "in_facts": index is not None,
                         **({"fact_index": index} if index is not None else {})},
            )  # fmt: skip

    def _emails(self, doc: NormalizedText, facts: Facts) -> Iterator[Detection]:
        known = {e.casefold(): i for i, e in enumerate(facts.emails)}
        taken: list[tuple[int, int]] = []
        for m in _EMAIL.finditer(doc.original):
            index = known.get(m.group().casefold())
            taken.append((m.start(), m.end()))
            yield Detection(
                kind="exposure",
                score=0.9 if index is not None else 0.5,
                spans=((m.start(), m.end()),),
                explanation=(
                    f"Reveals e-mail #{index + 1} of the case facts."
                    if index is not None
                    else "Contains an e-mail address (not one of the case facts)."
                ),
                details={"fact_kind": "email", "in_facts": index is not None},
            )
        for index, span in _spelled_out_emails(doc, facts.emails):
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            yield Detection(
                kind="exposure",
                score=0.9,
                spans=(span,),
                explanation=(
                    f"Reveals e-mail #{index + 1} of the case facts, written out to hide it "
                    '("at", "dot").'
                ),
                details={"fact_kind": "email", "fact_index": index, "in_facts": True},
            )

    def _plates(self, doc: NormalizedText, facts: Facts) -> Iterator[Detection]:
        # Compare plates letter by letter with spaces and dashes removed, Cyrillic romanised.
        def fold(c: str) -> str:
            # Capital Cyrillic letters that look Latin stand for the Latin ones ("10-ХУ-345");
            # Azerbaijani Cyrillic plates in a Cyrillic comment ("10 ХЈ 345") read as Latin.
            c = c.translate(_PLATE_LOOKALIKES)
            return anyascii(az_cyrillic_to_latin(c) if doc.az_cyrillic else c).upper()

        chars = [(fold(c), i) for i, c in enumerate(doc.original) if c.isalnum()]
        flat = "".join(c for c, _ in chars)
        index_of = [i for c, i in chars for _ in c]
        reported: list[tuple[int, int]] = []
        for n, plate in enumerate(facts.vehicles):
            key = re.sub(r"[^A-Z0-9]", "", anyascii(plate).upper())
            if len(key) < 4:
                continue
            at = flat.find(key)
            if at >= 0:
                span = (index_of[at], index_of[at + len(key) - 1] + 1)
                reported.append(span)
                yield Detection(
                    kind="exposure",
                    score=0.9,
                    spans=(span,),
                    explanation=f"Reveals vehicle #{n + 1} of the case facts.",
                    details={"fact_kind": "vehicle", "fact_index": n, "in_facts": True},
                )
        for rx in _PLATES:
            for m in rx.finditer(doc.original):
                if any(m.start() < e and s < m.end() for s, e in reported):
                    continue
                reported.append((m.start(), m.end()))
                yield Detection(
                    kind="exposure",
                    score=0.4,
                    spans=((m.start(), m.end()),),
                    explanation="Contains what looks like a vehicle number plate.",
                    details={"fact_kind": "vehicle", "in_facts": False},
                )

    def _generic_addresses(
        self, doc: NormalizedText, tokens: list[_Token], found: list[Detection]
    ) -> Iterator[Detection]:
        words = _words()
        taken = [s for d in found if d.details.get("fact_kind") == "address" for s in d.spans]
        for i, tok in enumerate(tokens):
            if tok.key not in words.street:
                continue
            # A street word with a name next to it and a house number within a few words.
            near = tokens[max(0, i - 2) : i + 6]
            has_name = any(
                t.key.isalpha() and len(t.key) >= 3 and t.key not in words.street for t in near
            )
            after = next((t for t in tokens[i + 1 : i + 6] if t.key.isdigit()), None)
            before = next((t for t in tokens[max(0, i - 3) : i] if t.key.isdigit()), None)
            number = after or before
            if not (has_name and number):
                continue
            first = tokens[max(0, i - 1)] if i > 0 and tokens[i - 1].key.isalpha() else tok
            if before is not None and after is None:
                first = before
            end = number if after is not None else tok
            span = doc.original_span(first.folded_start, end.folded_end)
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            yield Detection(
                kind="exposure",
                score=0.6,
                spans=(span,),
                explanation="Contains what looks like a street address (not in the case facts).",
                details={"fact_kind": "address", "in_facts": False},
            )
