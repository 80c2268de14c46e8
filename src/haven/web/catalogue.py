"""Keeping the UI catalogues complete: extract every message the web UI can show.

`python -m haven.web.catalogue` lists, per language, the messages that have no translation yet
(exit status 1 if any), and with `--update` adds them to the `.po` files (empty, to be
translated). The tests use `missing()` so that no untranslated text slips into a release.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from haven.web.i18n import DEFAULT, LANGUAGES, catalogue_path

HERE = Path(__file__).parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def messages() -> Iterator[str | tuple[str, str]]:
    """Every message id in the templates and in this package's Python code, in file order."""
    sources = [("jinja2.ext:babel_extract", p) for p in sorted((HERE / "templates").glob("*.html"))]
    sources += [("python", p) for p in sorted(HERE.glob("*.py"))]
    for method, path in sources:
        with path.open("rb") as handle:
            for _line, message, _comments, _context in extract(
                method, handle, keywords=KEYWORDS,
                options={"extensions": "jinja2.ext.i18n"} if method != "python" else {},
            ):
                if isinstance(message, str) and message:
                    yield message
                elif isinstance(message, tuple) and all(isinstance(m, str) for m in message):
                    yield (str(message[0]), str(message[1]))


def _key(message: str | tuple[str, str]) -> str:
    return message if isinstance(message, str) else message[0]


def missing(language: str) -> list[str]:
    """Message ids with no (or an empty) translation in `language`'s catalogue."""
    with catalogue_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    gaps = []
    for message in dict.fromkeys(messages()):
        entry = catalog.get(_key(message))
        strings = entry.string if entry is not None else None
        texts = list(strings) if isinstance(strings, tuple | list) else [strings]
        if entry is None or not all(texts):
            gaps.append(_key(message))
    return gaps


def update(language: str) -> int:
    """Add the missing messages (untranslated) to `language`'s catalogue; return how many."""
    path = catalogue_path(language)
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    else:
        catalog = Catalog(locale=language, project="Haven")
    added = 0
    for message in dict.fromkeys(messages()):
        if catalog.get(_key(message)) is None:
            catalog.add(message, "" if isinstance(message, str) else ("", ""))
            added += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true", help="add missing ids to the .po files")
    args = parser.parse_args(argv)
    status = 0
    for language in LANGUAGES:
        if language == DEFAULT:
            continue
        if args.update:
            print(f"{language}: {update(language)} messages added")
        gaps = missing(language)
        for message in gaps:
            print(f"{language}: untranslated: {message}")
        status |= bool(gaps)
    return status


if __name__ == "__main__":
    sys.exit(main())
