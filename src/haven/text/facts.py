"""The personal facts of a case that must never appear in someone else's comment.

A caseworker writes down who the targets and their relatives are, where they live and work, their
phone numbers, e-mails and vehicles. The exposure detector looks for these, whatever the script or
spelling. This module only validates and (de)serialises the facts file; it never stores it (the
vault encrypts it) and never logs its contents, since the file itself is the most sensitive thing
in a case.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FACT_LISTS", "ROLES", "Facts", "FactsError", "Person"]

ROLES = ("target", "relative", "other")
FACT_LISTS = ("addresses", "workplaces", "phones", "emails", "vehicles", "other")


class FactsError(ValueError):
    """A facts file that does not have the expected shape; the message names the bad field."""


@dataclass(frozen=True)
class Person:
    """Someone in the case: a target, a relative, or another person, known by one or more names."""

    role: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """Everything the exposure detector looks for, as the caseworker wrote it."""

    people: tuple[Person, ...] = ()
    addresses: tuple[str, ...] = ()
    workplaces: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    vehicles: tuple[str, ...] = ()
    other: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: object) -> Facts:
        """Validate a decoded facts file. Unknown keys are refused: a typo must not hide a fact."""
        if not isinstance(data, Mapping):
            raise FactsError("facts: expected a JSON object at the top level")
        known = {"people", *FACT_LISTS}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise FactsError(f"facts: unknown field(s) {', '.join(unknown)}")
        people_raw = data.get("people", [])
        if not isinstance(people_raw, list):
            raise FactsError("facts.people: expected a list")
        people: list[Person] = []
        for i, entry in enumerate(people_raw):
            where = f"facts.people[{i}]"
            if not isinstance(entry, Mapping):
                raise FactsError(f"{where}: expected an object with 'role' and 'names'")
            extra = sorted(str(k) for k in entry if k not in ("role", "names"))
            if extra:
                raise FactsError(f"{where}: unknown field(s) {', '.join(extra)}")
            role = entry.get("role", "target")
            if role not in ROLES:
                raise FactsError(f"{where}.role: {role!r} is not one of {', '.join(ROLES)}")
            names = _strings(entry.get("names"), f"{where}.names")
            if not names:
                raise FactsError(f"{where}.names: at least one name is needed")
            people.append(Person(role=role, names=names))
        lists = {name: _strings(data.get(name, []), f"facts.{name}") for name in FACT_LISTS}
        return cls(people=tuple(people), **lists)

    @classmethod
    def from_json(cls, text: str) -> Facts:
        """Parse and validate a facts file's text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FactsError(f"facts: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The facts in the file format, ready for `json.dumps`."""
        out: dict[str, Any] = {
            "people": [{"role": p.role, "names": list(p.names)} for p in self.people]
        }
        for name in FACT_LISTS:
            out[name] = list(getattr(self, name))
        return out

    def to_json(self) -> str:
        """The facts file's text; non-ASCII letters are kept readable."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @property
    def empty(self) -> bool:
        """True when there is nothing case-specific to look for."""
        return not self.people and not any(getattr(self, n) for n in FACT_LISTS)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FactsError(f"{where}: expected a list of strings")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise FactsError(f"{where}[{i}]: expected a string, got {type(item).__name__}")
        if not item.strip():
            raise FactsError(f"{where}[{i}]: empty string")
        out.append(item.strip())
    return tuple(out)
