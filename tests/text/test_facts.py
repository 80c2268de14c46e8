"""The facts file: validated with errors that name the bad field, and round-tripped."""

from __future__ import annotations

import json

import pytest

from haven.text.facts import Facts, FactsError, Person

GOOD = {
    "people": [{"role": "target", "names": ["Samir Həsənov", "Самир"]}],
    "addresses": ["Nizami küçəsi 45"],
    "workplaces": [],
    "phones": ["+994 50 123 45 67"],
    "emails": [],
    "vehicles": ["10-XY-345"],
    "other": [],
}


def test_round_trip() -> None:
    facts = Facts.from_json(json.dumps(GOOD, ensure_ascii=False))
    assert facts.people == (Person("target", ("Samir Həsənov", "Самир")),)
    assert Facts.from_json(facts.to_json()) == facts
    assert "Həsənov" in facts.to_json()  # readable, not \\u-escaped
    assert not facts.empty
    assert Facts().empty


def test_missing_lists_default_to_empty() -> None:
    assert Facts.from_dict({"phones": ["1"]}).addresses == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level"),
        ({"adresses": []}, "adresses"),
        ({"people": {}}, "facts.people"),
        ({"people": [{"role": "boss", "names": ["x"]}]}, "facts.people[0].role"),
        ({"people": [{"role": "target", "names": []}]}, "facts.people[0].names"),
        ({"people": [{"role": "target", "names": ["a"], "age": 3}]}, "age"),
        ({"phones": "0501234567"}, "facts.phones"),
        ({"phones": ["ok", 5]}, "facts.phones[1]"),
        ({"emails": ["  "]}, "facts.emails[0]"),
    ],
)
def test_errors_name_the_field(data: object, message: str) -> None:
    with pytest.raises(FactsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Facts.from_dict(data)


def test_bad_json_says_where() -> None:
    with pytest.raises(FactsError, match="line 1"):
        Facts.from_json("{")
