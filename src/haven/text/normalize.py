"""Text normalisation that keeps its way back to the original characters.

Abuse is written to dodge filters: digits for letters ("0ld3r"), Latin letters inside Cyrillic
words ("yбью"), spaced-out letters ("k i l l"), stretched words ("öldürrrrr"), Azerbaijani typed in
Cyrillic, Turkish written without its dotted/dotless i. Detectors match in one folded space so that
a lexicon entry written once matches all of these. Evidence, though, must point at what the author
actually wrote, so every normalised character remembers the span of the original it came from.

This module never drops the original and never reports offsets into anything but the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import icu
from anyascii import anyascii

__all__ = [
    "AZ_CYRILLIC_LETTERS",
    "FOLDED_WORD",
    "NormalizedText",
    "az_cyrillic_to_latin",
    "fold_key",
    "folded_words",
    "has_az_cyrillic",
    "normalize",
]

AZ_CYRILLIC_LETTERS = frozenset("әғһҹҝјөүӘҒҺҸҜЈӨҮ")
"""Letters only Azerbaijani Cyrillic uses among our languages: their presence means az-Cyrl."""

_TURKIC_HINTS = frozenset("əıİşğƏŞĞ")

# Look-alikes between Latin and Cyrillic (lowercase and uppercase), used only inside a word whose
# other letters are mostly of the other script.
_LAT_TO_CYR = {
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к", "m": "м",
    "t": "т", "b": "в", "h": "х", "u": "и", "n": "п", "r": "г",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У",
}  # fmt: skip
_CYR_TO_LAT = {
    "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "к": "k", "м": "m",
    "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ո": "n",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P",
    "Т": "T", "Х": "X", "У": "Y",
}  # fmt: skip
# Digits and symbols standing for letters ("leet"), per script of the word they sit in.
_LEET_LAT = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "l", "€": "e",
}  # fmt: skip
_LEET_CYR = {
    "0": "о", "3": "з", "4": "ч", "6": "б", "1": "і", "9": "я", "@": "а", "$": "с", "€": "е",
}  # fmt: skip
_LEET_CHARS = frozenset(_LEET_LAT) | frozenset(_LEET_CYR)

_SPACED_SEPARATORS = frozenset(" .-_*·")

# Currency signs become words, so that "$500", "500 $" and "500 dollars" meet in one form.
_CURRENCY = {"$": " usd ", "€": " eur ", "₼": " azn ", "₽": " rub ", "₺": " tl ", "£": " gbp "}
# Russian letters folded the way Azerbaijani Latin writes the same sound, so that Azerbaijani typed
# in Cyrillic without its own letters ("хош", "чох") still meets its Latin spelling (xoş, çox).
# ы stays "y": folding it to "i" would make быть (to be) and бить (to beat) one word.
_CYRILLIC_FOLD = {"х": "x", "ж": "j", "ч": "c", "ш": "s", "щ": "s"}
# Units that follow a number ("5k", "500azn") and so must not be read as leet.
_UNITS = frozenset(
    [
        "k",
        "m",
        "b",
        "min",
        "bin",
        "mln",
        "azn",
        "manat",
        "man",
        "tl",
        "usd",
        "eur",
        "rub",
        "r",
        "t",
        "tys",
        "tysyach",
        "kg",
        "km",
        "sm",
        "cm",
        "к",
        "м",
        "т",
        "р",
        "тыс",
        "млн",
        "руб",
        "азн",
        "ман",
    ]
)


@dataclass(frozen=True)
class NormalizedText:
    """A text in its folded matching form, with a map from every folded character to the original.

    `folded` is lowercase ASCII (Cyrillic romanised, diacritics dropped, look-alikes and leet
    resolved, spaced letters joined, repeated letters squeezed to one). `starts[i]`/`ends[i]` give
    the original span that produced `folded[i]`. `script_text` is the Unicode text after script
    and case folding but before ASCII folding, for language identification.
    """

    original: str
    folded: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    script_text: str
    az_cyrillic: bool
    russian_in_latin: bool = False
    """Russian typed in Latin letters, read back into Cyrillic for matching."""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of `folded` to the half-open span of `original` it came from."""
        if not 0 <= start < end <= len(self.folded):
            raise ValueError(f"span [{start}, {end}) is outside the folded text")
        lo = min(self.starts[start:end])
        hi = max(self.ends[start:end])
        return lo, hi


@dataclass
class _Piece:
    """One or more output characters and the original span they stand for."""

    text: str
    start: int
    end: int


def has_az_cyrillic(text: str) -> bool:
    """True when the text uses a letter only Azerbaijani Cyrillic has (lingua never sees those)."""
    return any(ch in AZ_CYRILLIC_LETTERS for ch in text)


# Azerbaijani typed on a Russian keyboard has none of its own letters ("сизи ит кими олдуреджеклер",
# "бунлары тапана пул"); a few of its commonest words and verb endings give it away. Russian
# letters stand in for the missing ones (э or я for ә, ё for ө, ю for ү: "кясэджэм", "олдюрджэм"),
# so a letter Azerbaijani does not use is not proof of Russian: only Russian function words are.
_AZ_WORDS_IN_RUSSIAN_LETTERS = frozenset({
    "бу", "бунлар", "бунлары", "бунларын", "бунлара", "онлар", "онлары", "онларын", "ону", "онун",
    "мен", "мене", "мени", "меним", "сен", "сене", "сени", "сенин", "сиз", "сизи", "сизин", "биз",
    "бизи", "бизим", "ким", "кими", "хамы", "хамысы", "хамыны", "хамыныз", "хамынызы", "хеч",
    "учун", "ичин", "олса", "олсун", "йох", "дейил", "дейилдир", "ве", "иле", "лазымдыр",
    "лазымды", "бир", "ики", "гедин", "гардашлар", "гардаш", "йахшы", "чох",
    "мэн", "мэни", "мэним", "сэн", "сэни", "сэнин", "хэлэ", "хэч", "вэ", "илэ", "учюн",
    "бунлари", "онлари", "гэлин", "гедэк", "эвлэрини", "дэ", "да", "ки",
})  # fmt: skip
# Future and necessity endings: -acağıq/-əcəm/-əcəyik, -malıdır/-məlidir.
_AZ_ENDING_IN_RUSSIAN_LETTERS = re.compile(
    r"\w{2}(?:дж[эяа][кгмй]\w{0,5}|мал[ыи]д[ыи]р\w{0,3}|м[эя]лидир\w{0,3})$"
)
_RUSSIAN_FUNCTION_WORDS = frozenset({
    "и", "в", "не", "на", "что", "это", "с", "по", "как", "они", "их", "им", "я", "ты", "вы",
    "мы", "он", "она", "а", "но", "за", "для", "от", "до", "из", "у", "же", "бы", "так", "все",
    "всё", "уже", "если", "когда", "только", "еще", "ещё", "нет", "да", "вот", "этих", "эти",
    "кто", "где", "тоже", "тебя", "меня", "вас", "нас", "надо",
})  # fmt: skip
_RUSSIAN_ONLY_LETTERS = frozenset("щъьэё")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _az_in_russian_letters(text: str) -> bool:
    low = text.lower()
    words = [w for w in _WORD_RE.findall(low) if _is_cyrillic(w[0])]
    if len(words) < 2:
        return False
    hits = sum(
        1
        for w in words
        if w in _AZ_WORDS_IN_RUSSIAN_LETTERS or _AZ_ENDING_IN_RUSSIAN_LETTERS.search(w)
    )
    if not any(ch in _RUSSIAN_ONLY_LETTERS for ch in low):
        return hits >= 1
    # "да" is Russian "yes" and Azerbaijani "too": it proves neither.
    russian = sum(1 for w in words if w in _RUSSIAN_FUNCTION_WORDS and w != "да")
    return russian == 0 and (hits >= 2 or (hits == 1 and len(words) >= 3))


# Letters a Russian keyboard uses for the Azerbaijani ones it lacks, after a consonant.
_AZ_VOWELS_IN_RUSSIAN_LETTERS = {"э": "ə", "ё": "ö", "ю": "ü", "я": "ə"}


def _fold_az_russian_letters(pieces: list[_Piece]) -> None:
    """ы as ı, дж as ҹ, a word-final г as q (-acağıq, -maq), and э (and я, ё, ю after a
    consonant) as the Latin ə, ə, ö, ü, for Azerbaijani written with Russian letters."""
    for k, p in enumerate(pieces):
        low = p.text.lower()
        if p.text in ("ы", "Ы"):
            p.text = "ı"
        elif p.text in ("г", "Г") and (k + 1 == len(pieces) or not pieces[k + 1].text.isalpha()):
            p.text = "q"
        elif p.text in ("д", "Д") and k + 1 < len(pieces) and pieces[k + 1].text in ("ж", "Ж"):
            p.text = "ч"
            p.end = pieces[k + 1].end
            pieces[k + 1].text = ""
        elif low in _AZ_VOWELS_IN_RUSSIAN_LETTERS and (
            low == "э" or (k > 0 and _is_consonant(pieces[k - 1].text))
        ):
            p.text = _AZ_VOWELS_IN_RUSSIAN_LETTERS[low]


def _is_consonant(text: str) -> bool:
    return len(text) == 1 and text.lower() in "бвгджзйклмнпрстфхцчшщҹҝғһ"


# Russian typed in Latin letters ("ya ih naydu i uroyu", "dam deneg tomu kto ih izob'et") is read
# back into Cyrillic, so the Russian lexicon and the Cyrillic spellings it folds to apply. Only
# words no other language of Haven's spells this way give it away.
_RUSSIAN_VIOLENCE_IN_LATIN = frozenset({
    "ubyu", "ubyom", "ubyem", "ubem", "ubyot", "ubyut", "ubit", "ubey", "ubeyte", "ubeite",
    "uroyu", "uroem", "uroyem", "uroyom", "zamochu", "zamochim", "zarezhu", "zarezhem",
    "zarezhim", "sozhgu", "sozhzhem", "szhech", "povesit", "povesim", "poveshu", "pristrelyu",
    "pristrelim", "zakopayu", "zakopaem", "zakopat", "prikonchu", "prikonchim", "kastrirovat",
    "sdohni", "sdohnite", "sdohnut", "sdohnete", "pizdets", "pizdec", "ubivat", "mochit",
})  # fmt: skip
"""Russian verbs of violence in Latin letters: one of them is enough in a short comment
("Samir, ubyu"), where function words are too few to give the language away."""
_RUSSIAN_WORDS_IN_LATIN = frozenset({
    "ih", "ikh", "ego", "eto", "chto", "shto", "kto", "gde", "kak", "vse", "vseh", "vsekh",
    "uzhe", "esli", "kogda", "nado", "budet", "budut", "tebya", "tebe", "menya", "mne", "nas",
    "vas", "vam", "nam", "emu", "oni", "ona", "pust", "davay", "davayte", "poka", "seychas",
    "skoro", "zhdite", "zhdi", "blya", "blyat", "blyad", "suka", "suki", "nahuy", "nakhuy",
    "pizdec", "pizdets", "bratva", "pacany", "patsany", "rebyata", "tolko", "ochen", "zdes",
    "tozhe", "dazhe", "eshe", "eshche", "vot", "etih", "etikh", "svoih", "deneg", "chtoby",
    "potom", "nikto", "nichego", "tomu", "togo", "kotoryy", "kotorye", "odin", "oba", "oboih",
    "naydu", "naydem", "najdem",
    "by", "bez", "dlya", "ili", "nu", "takih", "takikh", "takie", "takoy", "etot", "eta", "eti",
    "svoi", "nikogda", "vsegda", "segodnya", "zavtra", "nochyu", "nim", "nih", "nikh",
    "oboikh", "obeih", "tvoyu", "tvoego", "vashu", "vashikh", "nashi", "nashikh", "pridem",
    "pridyom", "pridu", "dostanu", "dostanem", "poimaem", "poymaem", "zhdem", "zhdyom", "zhdu",
    "plachu", "zaplachu", "zaplatim", "dni", "sochteny", "tvoi", "tvoya", "tvoy", "rebra",
    "pereschitat", "podezda", "podyezda", "podezde", "vecherom", "utrom", "dengi", "rubley",
    "dollarov", "manatov", "vyidut", "vyydut", "vstretim", "razobratsya", "sobiraetsya",
    "voobsche", "voobshe", "nibud", "peredaite", "peredayte", "privet", "uvidite", "uvidish",
}) | _RUSSIAN_VIOLENCE_IN_LATIN  # fmt: skip
_TURKIC_LETTERS = frozenset("çşğıöüəÇŞĞİÖÜƏ")
_LATIN_TO_RUSSIAN = (
    ("shch", "щ"), ("tsya", "тся"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"),
    ("sh", "ш"), ("ts", "ц"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"), ("ju", "ю"), ("ja", "я"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("x", "х"),
    ("c", "ц"), ("w", "в"), ("j", "й"), ("q", "к"), ("'", "ь"),
)  # fmt: skip
def _russian_in_latin(text: str) -> bool:
    if any(_is_cyrillic(c) or c in _TURKIC_LETTERS for c in text):
        return False
    words = _WORD_RE.findall(text.lower().replace("'", ""))
    hits = sum(1 for w in words if w in _RUSSIAN_WORDS_IN_LATIN)
    strong = any(w in _RUSSIAN_VIOLENCE_IN_LATIN for w in words)
    return (hits >= 2 or (strong and len(words) <= 4)) and hits * 5 >= len(words)


def _latin_to_russian(pieces: list[_Piece]) -> None:
    """Latin letters (and ' for ь) to the Cyrillic ones they transliterate, longest first; a y
    not in ya/yu/yo is й after a vowel and ы otherwise ("rodnye" is родные). A group of Latin
    letters becomes one piece covering all of them ("tsya" is -тся)."""
    k = 0
    while k < len(pieces):
        low = pieces[k].text.lower()
        if not (low.isascii() and (low.isalpha() or low == "'")):
            k += 1
            continue
        ahead = "".join(p.text.lower() for p in pieces[k : k + 4])
        pair = next((pair for pair in _LATIN_TO_RUSSIAN if ahead.startswith(pair[0])), None)
        if pair is None and low == "y":
            prev = pieces[k - 1].text.lower() if k else ""
            pair = ("y", "й" if prev and prev in "aeiouаеиоуыэюяё" else "ы")
        if pair is None:
            k += 1
            continue
        latin, cyrillic = pair
        upper = pieces[k].text[:1].isupper()
        pieces[k].text = cyrillic.upper() if upper else cyrillic
        for extra in pieces[k + 1 : k + len(latin)]:
            pieces[k].end = extra.end
            extra.text = ""
        k += len(latin)


@lru_cache(maxsize=1)
def _az_transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("az_Cyrl-az/BGN")


@lru_cache(maxsize=4096)
def az_cyrillic_to_latin(ch: str) -> str:
    """One Azerbaijani Cyrillic letter (or short string) in Latin, by ICU's BGN rules."""
    # ICU's BGN rules mark я/ю with a combining dot (Yȧ); Azerbaijani Latin spells them ya/yu.
    out: str = _az_transliterator().transliterate(ch)
    return out.replace("\u0307", "")


@lru_cache(maxsize=8192)
def _lower(ch: str, turkic: bool) -> str:
    locale = icu.Locale("tr") if turkic else icu.Locale("root")
    out = str(icu.UnicodeString(ch).toLower(locale))
    # Root lowercasing turns İ into i + combining dot; the dot only gets in the way of matching.
    return out.replace("\u0307", "")


@lru_cache(maxsize=8192)
def _ascii(ch: str) -> str:
    if ch in _CURRENCY:
        return _CURRENCY[ch]
    if ch in _CYRILLIC_FOLD:
        return _CYRILLIC_FOLD[ch]
    if ch.isalnum():
        out = anyascii(ch).lower()
        return "".join(c for c in out if c.isalnum())
    if ch.isascii():
        return ch
    out = anyascii(ch)
    return out if len(out) == 1 and not out.isalnum() else " "


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f"


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u024f" or ch in "əƏ")


def _nfkc_pieces(text: str) -> list[_Piece]:
    """NFKC per character, gluing combining marks to the letter before them."""
    pieces: list[_Piece] = []
    for i, ch in enumerate(text):
        if pieces and unicodedata.combining(ch) and pieces[-1].end == i:
            prev = pieces[-1]
            prev.text = unicodedata.normalize("NFKC", text[prev.start : i + 1])
            prev.end = i + 1
            continue
        pieces.append(_Piece(unicodedata.normalize("NFKC", ch), i, i + 1))
    return pieces


_INSERTED = frozenset(')("«»')


def _drop_insertions(pieces: list[_Piece]) -> None:
    """Blank brackets and quotes wedged inside a word ("ч)урка"): they only break the word."""
    for k in range(1, len(pieces) - 1):
        if (
            pieces[k].text in _INSERTED
            and pieces[k - 1].text.isalpha()
            and pieces[k + 1].text.isalpha()
        ):
            pieces[k].text = ""


def _explode(pieces: list[_Piece]) -> list[_Piece]:
    """One piece per output character, each keeping its source span."""
    out: list[_Piece] = []
    for p in pieces:
        if len(p.text) == 1:
            out.append(p)
        else:
            out.extend(_Piece(c, p.start, p.end) for c in p.text)
    return out


def _words(pieces: list[_Piece]) -> list[tuple[int, int]]:
    """Index ranges of runs of letters, digits and leet symbols (what a word may be made of)."""
    ranges: list[tuple[int, int]] = []
    i = 0
    n = len(pieces)
    while i < n:
        c = pieces[i].text
        if c.isalnum() or c in _LEET_CHARS:
            j = i
            while j < n and (pieces[j].text.isalnum() or pieces[j].text in _LEET_CHARS):
                j += 1
            ranges.append((i, j))
            i = j
        else:
            i += 1
    return ranges


def _fix_word(pieces: list[_Piece], lo: int, hi: int) -> None:
    """Resolve look-alikes and leet inside one word, towards the word's dominant script."""
    chars = [p.text for p in pieces[lo:hi]]
    n_lat = sum(1 for c in chars if _is_latin(c))
    n_cyr = sum(1 for c in chars if _is_cyrillic(c))
    n_letters = n_lat + n_cyr
    if n_letters == 0:
        return  # a number, an amount, a phone: leave it alone
    leet_count = sum(1 for c in chars if c in _LEET_CHARS and not c.isalpha())
    # A word that is mostly digits ("5000azn", "12b") is a number with a unit, not leet.
    if leet_count > n_letters:
        return
    word = "".join(chars)
    lead = len(word) - len(word.lstrip("0123456789"))
    if lead and (lead > 1 or word[lead:].lower() in _UNITS):
        return
    # A letter with no look-alike in the other script ("б" in "yeбaнoв", "ş" in "şəhər")
    # settles the word's script; otherwise the majority does.
    unique_cyr = any(_is_cyrillic(c) and c not in _CYR_TO_LAT for c in chars)
    # ı and q may come from Azerbaijani typed in Russian letters (ы, final г), folded already:
    # they do not make "асмаг" a Latin word ("acmaq", to open) instead of "asmaq" (to hang).
    unique_lat = any(_is_latin(c) and c not in _LAT_TO_CYR and c not in "ıq" for c in chars)
    cyrillic = unique_cyr if unique_cyr != unique_lat else n_cyr > n_lat
    homoglyphs = _LAT_TO_CYR if cyrillic else _CYR_TO_LAT
    leet = _LEET_CYR if cyrillic else _LEET_LAT
    for k in range(lo, hi):
        c = pieces[k].text
        if c in homoglyphs and (_is_latin(c) if cyrillic else _is_cyrillic(c)):
            pieces[k].text = homoglyphs[c]
        elif c in leet and not c.isalpha():
            # A symbol at a word's edge is punctuation or markup ("öldürün!", "@samir"), not a
            # letter; digits count anywhere because the word has letters too.
            if not c.isdigit() and k in (lo, hi - 1):
                continue
            pieces[k].text = leet[c]


def _join_spaced(pieces: list[_Piece]) -> list[_Piece]:
    """Join runs of three or more single letters separated by one separator ("k i l l")."""
    out: list[_Piece] = []
    n = len(pieces)
    i = 0
    while i < n:
        run = [i]
        j = i
        if pieces[i].text.isalpha() and (i == 0 or not pieces[i - 1].text.isalnum()):
            while (
                j + 2 < n
                and pieces[j + 1].text in _SPACED_SEPARATORS
                and pieces[j + 2].text.isalpha()
                and (j + 3 >= n or not pieces[j + 3].text.isalnum())
            ):
                j += 2
                run.append(j)
            # The run's first letter must itself stand alone.
            if i + 1 < n and pieces[i + 1].text.isalnum():
                run = [i]
        if len(run) >= 3:
            out.extend(pieces[k] for k in run)
            i = run[-1] + 1
        else:
            out.append(pieces[i])
            i += 1
    return out


def _squeeze(pieces: list[_Piece]) -> list[_Piece]:
    """Collapse repeated letters to one ("kiiilll" and "kill" both become "kil")."""
    out: list[_Piece] = []
    for p in pieces:
        if out and p.text.isalpha() and out[-1].text == p.text:
            out[-1] = _Piece(p.text, min(out[-1].start, p.start), max(out[-1].end, p.end))
            continue
        out.append(p)
    return out


def _script_pieces(text: str, turkic: bool | None) -> tuple[list[_Piece], bool, bool]:
    pieces = _nfkc_pieces(text)
    az_cyr = has_az_cyrillic(text)
    latin_russian = False
    if az_cyr:
        for p in pieces:
            if any(_is_cyrillic(c) for c in p.text):
                p.text = az_cyrillic_to_latin(p.text)
    elif _az_in_russian_letters(text):
        az_cyr = True
        _fold_az_russian_letters(pieces)
    elif latin_russian := _russian_in_latin(text):
        _latin_to_russian(pieces)
        turkic = False
    pieces = _explode(pieces)
    _drop_insertions(pieces)
    pieces = [p for p in pieces if p.text]
    for lo, hi in _words(pieces):
        _fix_word(pieces, lo, hi)
    if turkic is None:
        turkic = az_cyr or any(p.text in _TURKIC_HINTS for p in pieces)
    for p in pieces:
        p.text = _lower(p.text, turkic)
    return _explode(pieces), az_cyr, latin_russian


def normalize(text: str, *, turkic: bool | None = None) -> NormalizedText:
    """Fold `text` into the matching space, keeping a map back to the original characters.

    `turkic` chooses Turkish/Azerbaijani lowercasing (I -> ı, İ -> i); by default it is guessed
    from letters only those languages use. Plain English "I" then stays "i".
    """
    pieces, az_cyr, latin_russian = _script_pieces(text, turkic)
    script_text = "".join(p.text for p in pieces)
    pieces = _join_spaced(pieces)
    ascii_pieces: list[_Piece] = []
    for p in pieces:
        a = _ascii(p.text)
        if not a and ascii_pieces and ascii_pieces[-1].end == p.start:
            # A letter with no ASCII form (ь, ъ) still belongs to the word it ends.
            ascii_pieces[-1].end = p.end
        ascii_pieces.extend(_Piece(c, p.start, p.end) for c in a)
    ascii_pieces = _squeeze(ascii_pieces)
    return NormalizedText(
        original=text,
        folded="".join(p.text for p in ascii_pieces),
        starts=tuple(p.start for p in ascii_pieces),
        ends=tuple(p.end for p in ascii_pieces),
        script_text=script_text,
        az_cyrillic=az_cyr,
        russian_in_latin=latin_russian,
    )


_NON_WORD = re.compile(r"[^a-z0-9]+")

FOLDED_WORD = re.compile(r"[a-z0-9]+")
"""A word of folded text: what lexicon entries, facts and the classifier compare."""


@lru_cache(maxsize=64)
def folded_words(folded: str) -> frozenset[str]:
    """The distinct words of a folded text; cached because every lexicon category asks."""
    return frozenset(FOLDED_WORD.findall(folded))


def fold_key(text: str) -> str:
    """The folded form of a lexicon entry or a fact: the same space texts are matched in.

    Entries go through exactly the same folding as texts, so both meet in one space.
    """
    return _NON_WORD.sub(" ", normalize(text).folded).strip()
