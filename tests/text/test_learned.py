"""The learned second opinion: what it adds to the rules, and what it must leave alone."""

from __future__ import annotations

import json

from haven.text.analyse import analyse_document
from haven.text.classifier import Assessment, Example, TextClassifier
from haven.text.detectors.learned import LearnedDetector
from haven.text.facts import Facts
from haven.text.normalize import NormalizedText, normalize
from text.test_classifier import TOY

# The character opinion alone, so that these tests see exactly what the toy examples teach.
DETECTOR = LearnedDetector(
    TextClassifier(TOY, semantic=False), thresholds={"threat": 0.6, "bounty": 0.6}
)


def test_flags_what_no_rule_knows_with_spans_in_the_original() -> None:
    text = "Wir z0rgen euch morgen"  # leet: the folded text differs from the original
    (hit,) = DETECTOR.detect(normalize(text), Facts())
    assert hit.kind == "threat" and hit.details["learned"] is True
    assert 0.5 <= hit.score < 0.8  # below any rule finding
    assert any(text[s:e] == "z0rgen" for s, e in hit.spans)
    assert "model" in hit.explanation


class _Counting(TextClassifier):
    """The real classifier, counting how often the (slow) semantic opinion is asked for."""

    calls = 0

    def semantic_probability(self, doc: NormalizedText, assessment: Assessment) -> float:
        self.calls += 1
        return super().semantic_probability(doc, assessment)


def test_the_semantic_opinion_is_asked_only_where_it_can_matter() -> None:
    clf = _Counting(TOY)
    detector = LearnedDetector(clf, thresholds={"threat": 0.8, "bounty": 0.8, "hate": 0.8})
    # Every character opinion is far below 2 * 0.8 - 1: even certainty could not lift the mean.
    garden = normalize("der Garten ist schön")
    assert max(a.probability for a in clf.assess(garden).values()) < 0.6
    assert detector.detect(garden, Facts()) == [] and clf.calls == 0
    doc = normalize("wir zorgen euch morgen")
    char = clf.assess(doc)["threat"]
    assert char.probability >= 0.6
    found = detector.detect(doc, Facts())
    assert clf.calls >= 1
    mean = (char.probability + clf.semantic_probability(doc, char)) / 2
    assert [h.kind for h in found] == (["threat"] if mean >= 0.8 else [])
    if found:
        assert found[0].details["probability"] == round(mean, 3)


def test_leaves_labels_the_rules_found_alone() -> None:
    assert DETECTOR.detect(normalize("wir zorgen euch"), Facts(), found={"threat"}) == []


def test_harmless_cues_in_the_sentence_stop_it() -> None:
    # A news report and a negation, in words from the threat lexicon's cue lists.
    assert DETECTOR.detect(normalize("Police said: wir zorgen euch"), Facts()) == []
    # A Russian cue that folds to the same letters does not count in a Latin-script sentence.
    assert DETECTOR.detect(normalize("Zhaloba: wir zorgen euch"), Facts()) != []
    assert DETECTOR.detect(normalize("Жалоба: wir zorgen euch"), Facts()) == []
    assert DETECTOR.detect(normalize("wir zorgen euch not"), Facts()) == []
    # Nothing harmful at all.
    assert DETECTOR.detect(normalize("der Garten ist schön"), Facts()) == []


def test_the_label_s_own_harmless_uses_stop_it() -> None:
    # The bounty lexicon's lost-pet cue, anywhere in the text; a quoted offer that is reported.
    assert [h.kind for h in DETECTOR.detect(normalize("plim fur kopf"), Facts())] == ["bounty"]
    assert DETECTOR.detect(normalize("Lost dog! plim fur kopf"), Facts()) == []
    assert DETECTOR.detect(normalize("Someone wrote 'plim fur kopf'. Reported."), Facts()) == []


def test_threshold_is_respected() -> None:
    strict = LearnedDetector(TextClassifier(TOY, semantic=False), thresholds={"threat": 0.9999})
    assert strict.detect(normalize("wir zorgen euch"), Facts()) == []


def test_analyse_runs_it_after_the_rules_and_can_go_without() -> None:
    doc = normalize("wir zorgen euch morgen")
    with_model = analyse_document("i", doc, Facts(), learned=DETECTOR, lang="de")
    assert [f.analyser for f in with_model.findings] == ["text.learned"]
    assert analyse_document("i", doc, Facts(), learned=False, lang="de").findings == ()
    # A rule threat wins: the model adds nothing for that label.
    rule = analyse_document("i", normalize("We will kill you"), Facts(), learned=DETECTOR)
    assert [f.analyser for f in rule.findings if f.kind == "threat"] == ["text.threat"]


def test_learns_a_new_label_from_more_examples() -> None:
    more = [*TOY, *(Example(f"plim plim {w}", frozenset({"bounty"})) for w in "abc")]
    detector = LearnedDetector(TextClassifier(more, semantic=False), thresholds={"bounty": 0.6})
    kinds = {h.kind for h in detector.detect(normalize("plim fur ihre adresse"), Facts())}
    assert kinds == {"bounty"}


def test_cli_rules_only_leaves_out_the_model() -> None:
    from click.testing import CliRunner

    from haven.cli import main

    line = json.dumps({"id": "1", "text": "Tonight we end this, both of them"})
    both = CliRunner().invoke(main, ["analyse", "text"], input=line + "\n")
    rules = CliRunner().invoke(main, ["analyse", "text", "--rules-only"], input=line + "\n")
    assert both.exit_code == 0 and rules.exit_code == 0, both.output + rules.output
    with_model = json.loads(both.output)
    assert "threat" in with_model["labels"]
    assert "model" in with_model["findings"][0]["explanation"]
    assert json.loads(rules.output)["labels"] == []
