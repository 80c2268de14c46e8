"""Triage of one text: findings, spans into the original, and the severity rules."""

from __future__ import annotations

import pytest

from haven.model import Finding, Severity
from haven.text.analyse import analyse_document, analyse_text
from haven.text.facts import Facts
from haven.text.normalize import normalize

FACTS = Facts.from_dict(
    {
        "people": [
            {"role": "target", "names": ["Samir Həsənov"]},
            {"role": "relative", "names": ["Leyla Həsənova"]},
        ],
        "addresses": ["Nizami küçəsi 45, mənzil 12, Gəncə", "Gəncə"],
        "workplaces": ["Ulduz Tikinti MMC"],
        "phones": ["+994 50 123 45 67"],
    }
)


def _severity(text: str) -> Severity | None:
    return analyse_document("it_1", normalize(text), FACTS).severity


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Onları öldürəcəyik, Nizami küç. 45-də yaşayırlar", Severity.CRITICAL),
        ("Убьём его, он живёт в Гяндже", Severity.CRITICAL),  # threat + city of the case
        ("We will kill you tomorrow at your house", Severity.CRITICAL),  # time and place
        ("Kim tapsa 1000 manat verirəm, nömrəsi 050 123 45 67", Severity.CRITICAL),
        ("We will kill you", Severity.HIGH),
        ("Kim onları tapsa, 1000 manat verirəm", Severity.HIGH),
        ("Evi Nizami küçəsi 45, mənzil 12", Severity.HIGH),
        ("Nömrəsi 050 123 45 67", Severity.HIGH),
        ("Ulduz Tikintidə işləyir", Severity.MEDIUM),
        ("Anası Leyla Həsənovadır", Severity.MEDIUM),
        ("Bu gijdıllaqlar bəladır", Severity.MEDIUM),
        ("Samir yenə burdadır", Severity.LOW),
        ("Gəncə gözəl şəhərdir", None),
        ("I'd kill for that cake", None),
    ],
)
def test_severity_rules(text: str, severity: Severity | None) -> None:
    assert _severity(text) == severity


def test_findings_are_model_findings_with_original_spans() -> None:
    text = "Я тебя yбью, Самир. Живёшь на ул. Низами, д. 45, кв. 12"
    findings = analyse_text("it_1", text, FACTS)
    assert findings and all(isinstance(f, Finding) for f in findings)
    assert findings[0].severity is Severity.CRITICAL
    by_kind = {f.kind: f for f in findings}
    threat = by_kind["threat"]
    # The threat word was rewritten by normalisation (Latin y); the span still shows it as written.
    assert [text[s.start : s.end] for s in threat.spans] == ["yбью"]
    assert threat.analyser == "text.threat"
    assert threat.analyser_version.startswith("0.1.0/")
    assert "violence" in threat.explanation
    exposure = by_kind["exposure"]
    assert [text[s.start : s.end] for s in exposure.spans] == ["Низами", "45", "12"]
    assert "Низами" not in exposure.explanation  # fact values never go into explanations
    assert by_kind["mention"].severity is Severity.LOW


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Сәни өлдүрәҹәјик!", "өлдүрәҹәјик"),
        ("ÖLDÜRRRRÜN onları", "ÖLDÜRRRRÜN"),
        ("k i l l them all", "k i l l them all"),
        ("Bu ｇｉｊｄıllaqlar", "ｇｉｊｄıllaqlar"),
    ],
)
def test_spans_survive_normalisation(text: str, word: str) -> None:
    findings = analyse_text("it_1", text)
    spans = [text[s.start : s.end] for f in findings for s in f.spans]
    assert word in spans


def test_record_format() -> None:
    analysis = analyse_document("c1", normalize("Kill them all. Gays are a disease."), Facts())
    record = analysis.to_record()
    assert record["id"] == "c1"
    assert record["lang"] == "en"
    assert record["labels"] == ["threat", "hate"]
    assert record["severity"] == "high"
    assert all({"kind", "score", "spans", "explanation"} <= f.keys() for f in record["findings"])
    empty = analyse_document("c2", normalize("hello"), Facts()).to_record()
    assert empty["severity"] == "none" and empty["labels"] == []


def test_no_facts_is_fine() -> None:
    assert analyse_text("x", "Samir Nizami küçəsi 45") != []  # generic address still found
    assert analyse_text("x", "") == []


def test_analyse_records() -> None:
    from haven.text.analyse import analyse_records

    out = list(
        analyse_records([{"id": 1, "text": "Səni öldürəcəyik"}, {"id": "b", "text": "salam"}])
    )
    assert [r["id"] for r in out] == ["1", "b"]
    assert out[0]["labels"] == ["threat"] and out[0]["lang"] == "az"
    assert out[1]["severity"] == "none"
    with pytest.raises(ValueError, match="record 2"):
        list(analyse_records([{"id": 1, "text": "a"}, {"id": 2}]))


@pytest.mark.parametrize(
    "text",
    ["1 " * 5000, "öldürəcəyik " * 1000, "gays are sick " * 1000, "kim tapsa 1000 manat " * 500],
)
def test_long_texts_stay_fast(text: str) -> None:
    # Rules look at sentences around each match; a wall of repeated phrases must not make that
    # quadratic (these took minutes before sentence context was bounded and cached).
    import time

    started = time.perf_counter()
    findings = analyse_text("x", text)
    assert time.perf_counter() - started < 10
    assert len(findings) <= 2


def test_one_finding_per_kind_so_ids_are_unique() -> None:
    text = "Evi Nizami küçəsi 45, mənzil 12. Nömrəsi 050 123 45 67. Anası Leyla Həsənova."
    findings = analyse_text("it_1", text, FACTS)
    assert len({f.id for f in findings}) == len(findings)
    exposure = [f for f in findings if f.kind == "exposure"]
    assert len(exposure) == 1
    assert exposure[0].severity is Severity.HIGH
    kinds = {part["fact_kind"] for part in exposure[0].details["parts"]}
    assert kinds == {"address", "phone", "relative"}
    spans = {text[s.start : s.end] for s in exposure[0].spans}
    assert {"Nizami", "45", "12", "050 123 45 67", "Leyla", "Həsənova"} <= spans
