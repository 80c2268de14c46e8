"""`haven scan`: run the analysers over everything ingested and store what they find.

Analysers only add findings. Text: every item with text goes through the multilingual detectors
with the case facts. Media: every photo or video an item carries is compared with the protected
media's fingerprints; the protected originals are never needed. Findings have stable ids, so
scanning again adds only what is new. A file that cannot be decoded is recorded as a problem
naming it, and the scan goes on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from haven.case_facts import load_facts
from haven.importers.media_files import media_type
from haven.ingest import Progress, SilentProgress, record_problem
from haven.media.errors import MediaError
from haven.media.match import MatchConfig, ProtectedMedia, match_candidate
from haven.model import Finding, Problem, Severity, canonical_json, sha256_hex, stable_id
from haven.tempdirs import private_dir
from haven.text.analyse import analyse_text, default_detectors, default_learned
from haven.vault import Vault

BATCH = 200
MEDIA_ANALYSER = "media.match"
MEDIA_ANALYSER_VERSION = "1"


@dataclass
class ScanReport:
    texts: int = 0
    media_files: int = 0
    new_findings: int = 0
    problems: list[Problem] = field(default_factory=list)


def protected_media(vault: Vault) -> list[tuple[str, str, ProtectedMedia]]:
    """(id, name, fingerprint) of every protected file."""
    rows = vault.conn.execute("SELECT id, name, fingerprint FROM protected_media ORDER BY rowid")
    return [(str(i), str(n), ProtectedMedia.from_json(json.loads(f))) for i, n, f in rows]


def case_match_config(vault: Vault) -> MatchConfig:
    """The matcher's thresholds for this case: defaults, overridden by the `match_config`
    setting (a JSON object of MatchConfig fields, e.g. {"pdq_threshold": 28})."""
    raw = vault.setting("match_config")
    return MatchConfig.from_dict(json.loads(raw)) if raw else MatchConfig()


def scan(vault: Vault, progress: Progress | None = None,
         config: MatchConfig | None = None) -> ScanReport:
    report = ScanReport()
    sink = progress or SilentProgress()
    try:
        _scan_text(vault, report, sink)
        _scan_media(vault, report, sink, config or case_match_config(vault))
    finally:
        vault.checkpoint()
    return report


SWITCH_VALUES = {"on": True, "true": True, "yes": True, "1": True,
                 "off": False, "false": False, "no": False, "0": False}  # fmt: skip
"""What the on/off case settings (text_learned) accept."""


def text_learned(value: str | None) -> bool:
    """The `text_learned` setting: on unless set off. Off means rules only, for a case where the
    learned second opinion's extra false alarms cost more than its extra finds."""
    return SWITCH_VALUES.get((value or "on").lower(), True)


def _scan_text(vault: Vault, report: ScanReport, sink: Progress) -> None:
    facts = load_facts(vault)
    learned = text_learned(vault.setting("text_learned"))
    # Compile the lexicons and train the classifier before any work, so that an NGO's broken
    # lexicon or example line stops the scan at once, naming the file, with nothing half-done.
    default_detectors()
    if learned:
        default_learned()
    rows = vault.conn.execute(
        "SELECT id, text FROM items WHERE text IS NOT NULL AND text != '' ORDER BY rowid"
    ).fetchall()
    sink.start("text", len(rows))
    for start in range(0, len(rows), BATCH):
        with vault.transaction():
            for item_id, text in rows[start:start + BATCH]:
                for finding in analyse_text(item_id, text, facts, learned=learned):
                    report.new_findings += vault.add_finding(finding)
                report.texts += 1
        sink.advance(len(rows[start:start + BATCH]))


def _media_blobs(vault: Vault) -> dict[str, dict[str, Any]]:
    """Every media blob items carry: its name and the items that carry it."""
    blobs: dict[str, dict[str, Any]] = {}
    owners: dict[str, list[str]] = defaultdict(list)
    for item_id, media in vault.conn.execute("SELECT id, media FROM items WHERE media != '[]'"):
        for entry in json.loads(media):
            blobs.setdefault(entry["sha256"], {"name": entry["name"]})
            owners[entry["sha256"]].append(item_id)
    for sha256, info in blobs.items():
        info["items"] = owners[sha256]
    return blobs


def _explain(result: dict[str, Any], name: str) -> str:
    if result.get("kind") == "video" and result.get("query_match_percent") is not None:
        segments = ", ".join(f"{s:.0f}–{e:.0f} s" for s, e in result.get("segments") or [])
        return (f"Copy of the protected video {name}: {result['query_match_percent']:.0f}% of "
                f"this video matches it, covering {result['compared_match_percent']:.0f}% of "
                f"the protected video" + (f" ({segments})" if segments else "") + ".")
    distance = result.get("distance")
    how = f" (PDQ distance {distance})" if distance is not None else ""
    return f"Copy of the protected media {name}{how}."


def _scan_key(protected: list[tuple[str, str, ProtectedMedia]], config: MatchConfig) -> str:
    """What a media result depends on besides the file: the protected set and the thresholds."""
    basis = {"protected": sorted(pid for pid, _, _ in protected), "config": config.to_dict(),
             "analyser": MEDIA_ANALYSER_VERSION}
    return sha256_hex(canonical_json(basis))


def _earlier_result(vault: Vault, sha256: str, key: str) -> dict[str, Any] | None:
    row = vault.conn.execute("SELECT result FROM media_scans WHERE id = ?",
                             (stable_id("ms_", sha256, key),)).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def _match_blob(vault: Vault, sha256: str, name: str, tmp: Path,
                protected: list[ProtectedMedia], config: MatchConfig) -> dict[str, Any]:
    """Decrypt one blob to a private temp file and match it; an undecodable file gives an
    {"error": ...} result naming the file by its original name."""
    path = tmp / f"candidate{Path(name).suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in vault.blobs.read_chunks(sha256):
            handle.write(chunk)
    try:
        return match_candidate(path, protected, config)
    except MediaError as exc:
        return {"error": str(exc).replace(str(path), name)}
    finally:
        path.unlink(missing_ok=True)


def _scan_media(vault: Vault, report: ScanReport, sink: Progress, config: MatchConfig) -> None:
    protected = protected_media(vault)
    if not protected:
        return
    names = {fp.source: name for _, name, fp in protected}
    ids = {fp.source: pid for pid, _, fp in protected}
    key = _scan_key(protected, config)
    blobs = _media_blobs(vault)
    sink.start("media", len(blobs))
    with private_dir("haven-scan-", in_memory=True) as tmp:
        for sha256, info in blobs.items():
            sink.advance(1)
            result = _earlier_result(vault, sha256, key)
            if result is None:
                head = next(vault.blobs.read_chunks(sha256))[:64]
                if media_type(head) is None:
                    continue
                result = _match_blob(vault, sha256, info["name"], tmp,
                                     [fp for _, _, fp in protected], config)
                # Remember the answer: the next scan only matches media it has not seen.
                vault.add_record("media_scans", {
                    "id": stable_id("ms_", sha256, key), "sha256": sha256, "scan_key": key,
                    "result": json.dumps({k: v for k, v in result.items() if k != "candidate"},
                                         sort_keys=True),
                })
                if "error" not in result:
                    report.media_files += 1
            if "error" in result:
                for item_id in info["items"]:
                    problem = Problem(Path(info["name"]), item_id,
                                      f"media not scanned: {result['error']}")
                    report.problems.append(problem)
                    record_problem(vault, problem)
                continue
            if not result["matched"]:
                continue
            source = result["protected"]
            details = {k: v for k, v in result.items()
                       if k not in ("candidate", "protected", "matched")}
            details.update({"protected_name": names.get(source, source),
                            "protected_id": ids.get(source), "candidate_sha256": sha256,
                            "candidate_name": info["name"]})
            with vault.transaction():
                for item_id in info["items"]:
                    finding = Finding(
                        item_id=item_id, kind="media_match", severity=Severity.CRITICAL,
                        score=float(result["score"]),
                        explanation=_explain(result, names.get(source, source)),
                        analyser=MEDIA_ANALYSER, analyser_version=MEDIA_ANALYSER_VERSION,
                        details=details,
                    )
                    report.new_findings += vault.add_finding(finding)
