"""The languages of the web UI: English (the message ids), Azerbaijani and Russian.

Catalogues are the `.po` files under `locale/`; they are compiled in memory with Babel when the
app starts, so a fresh checkout or `pip install -e .` needs no build step and no `.mo` files.
The language of a request lives in a context variable that template `_()` calls read.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES: dict[str, str] = {"en": "English", "az": "Azərbaycanca", "ru": "Русский"}
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("haven_web_language", default=DEFAULT)


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue for `language` (English and unknown codes: the ids themselves)."""
    path = catalogue_path(language)
    if language == DEFAULT or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def choose(cookie: str | None, accept_language: str | None = None) -> str:
    """The language asked for by the cookie, else the browser's first known one, else English."""
    if cookie in LANGUAGES:
        return str(cookie)
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


@contextmanager
def speaking(language: str) -> Iterator[None]:
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> str:
    return _current.get()


def gettext_(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)
