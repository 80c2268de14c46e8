"""Setting up a case from the browser: protect private media, enter case facts, run a scan.

The work itself is done by `haven.protect`, `haven.case_facts` and `haven.scan` (imported when
used, so the rest of the web app runs even where they are missing). Protecting hashes the files
on this computer: by default only fingerprints are stored, never the picture or video.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from haven.vault import Vault
from haven.web.case import Job, JobWork

FACT_KINDS = ("name", "address", "workplace", "phone", "email", "vehicle", "other")
ROLES = ("target", "relative", "other")


def N_(message: str) -> str:
    return message


def available() -> dict[str, bool]:
    """Which setup steps this installation can do."""
    def has(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    return {"protect": has("haven.protect"), "facts": has("haven.case_facts"),
            "scan": has("haven.scan")}


def protect_work(paths: list[Path], keep_original: bool) -> JobWork:
    def work(vault: Vault, job: Job) -> dict[str, Any]:
        from haven.media.errors import MediaError
        from haven.protect import protect_file

        done, problems = [], []
        for path in paths:
            job.start(path.name, None)
            try:
                result = protect_file(vault, path, keep_original)
            except (MediaError, OSError, ValueError) as exc:
                problems.append(f"{path.name}: {exc}")
                continue
            done.append({"name": result.name, "kind": result.kind, "new": result.new,
                         "frames": result.frames, "kept": result.kept_original})
        return {"protected": done, "problems": problems}

    return work


def scan_work(vault: Vault, job: Job) -> dict[str, Any]:
    from haven.scan import scan

    report = scan(vault, progress=job)
    return {"texts": report.texts, "media_files": report.media_files,
            "new_findings": report.new_findings,
            "problems": [str(p) for p in report.problems][:50]}


def add_fact(vault: Vault, kind: str, value: str, role: str, also: str) -> str | None:
    """Store one fact; a message (id) saying what is wrong, or None when it was stored."""
    from haven.case_facts import add_fact as store
    from haven.text.facts import FactsError

    if kind not in FACT_KINDS:
        return N_("Choose what kind of fact this is.")
    if not value:
        return N_("Write the fact itself.")
    aliases = tuple(a.strip() for a in also.split(",") if a.strip()) if kind == "name" else ()
    try:
        store(vault, kind, value, role if role in ROLES else "target", aliases)
    except FactsError as exc:
        return str(exc)
    return None
