"""The case facts (names, addresses, workplaces, phones...) kept in the vault, encrypted.

The exposure detector looks for these in every comment. They are stored one fact a record, each
logged in the ledger like everything else, and read back as a `haven.text.facts.Facts`.
"""

from __future__ import annotations

import json
from collections import defaultdict

from haven.model import stable_id
from haven.text.facts import FACT_LISTS, Facts, FactsError, Person
from haven.vault import Vault

# What `haven facts add KIND VALUE` accepts, and the Facts field each kind lands in.
KINDS = {"name": "people", "address": "addresses", "workplace": "workplaces", "phone": "phones",
         "email": "emails", "vehicle": "vehicles", "other": "other"}
ROLES = ("target", "relative", "other")


def _store(vault: Vault, field: str, value: str, role: str | None) -> bool:
    return vault.add_record("facts", {
        "id": stable_id("fa_", field, value, role), "kind": field, "value": value, "role": role,
    })


def add_facts(vault: Vault, facts: Facts) -> int:
    """Store every fact in `facts` that the vault does not hold yet; return how many were new."""
    added = 0
    with vault.transaction():
        for person in facts.people:
            names = json.dumps(list(person.names), ensure_ascii=False)
            added += _store(vault, "people", names, person.role)
        for field in FACT_LISTS:
            for value in getattr(facts, field):
                added += _store(vault, field, value, None)
    vault.checkpoint()
    return added


def add_fact(vault: Vault, kind: str, value: str, role: str = "target",
             aliases: tuple[str, ...] = ()) -> bool:
    """Add one fact; a name may come with other spellings of the same person."""
    if kind not in KINDS:
        raise FactsError(f"fact kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not value.strip():
        raise FactsError("a fact needs a value")
    if kind == "name":
        if role not in ROLES:
            raise FactsError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        facts = Facts(people=(Person(role=role, names=(value, *aliases)),))
    else:
        facts = Facts.from_dict({KINDS[kind]: [value]})
    return add_facts(vault, facts) > 0


def load_facts(vault: Vault) -> Facts:
    """All stored facts as one `Facts`."""
    people: list[Person] = []
    lists: dict[str, list[str]] = defaultdict(list)
    for field, value, role in vault.conn.execute(
            "SELECT kind, value, role FROM facts ORDER BY rowid"):
        if field == "people":
            people.append(Person(role=str(role), names=tuple(json.loads(value))))
        elif field in FACT_LISTS:
            lists[field].append(str(value))
    return Facts(people=tuple(people), **{k: tuple(v) for k, v in lists.items()})
