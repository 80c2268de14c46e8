"""`haven demo`: a realistic synthetic case, built from nothing and run through every stage.

The case mirrors the one Haven exists for: a private video leaked and re-shared, comments that
threaten, offer money and reveal an address, in Azerbaijani (Latin and Cyrillic), Russian,
Turkish and English. Every name, address and number in it is invented. No network is used.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from datetime import datetime
from importlib import resources
from pathlib import Path

from rich.console import Console

from haven.case_facts import add_facts
from haven.demo.media import scene_frame, scene_video, write_image, write_video
from haven.ingest import ingest
from haven.protect import protect_file
from haven.reports.bundle import default_selection, write_bundle
from haven.reports.evidence import write_evidence_report
from haven.reports.notices import write_notices
from haven.reports.status import case_status
from haven.reports.triage import triage_queue
from haven.scan import scan
from haven.text.facts import Facts
from haven.vault import Vault
from haven.verify import verify_vault
from haven.verify_bundle import verify_bundle

DEMO_PASSPHRASE = "haven-demo"


def build_sources(root: Path) -> dict[str, Path]:
    """Write the demo's input files under `root`; return the notable paths."""
    private = root / "private"
    collected = root / "collected"
    export = root / "export"
    for folder in (private, collected, export / "media"):
        folder.mkdir(parents=True, exist_ok=True)
    fps = 10
    frames = [scene_frame(i / fps) for i in range(12 * fps)]
    video = write_video(private / "our_video.mp4", frames, fps)
    write_video(export / "media" / "repost.mp4", frames[::1], fps)
    write_image(export / "media" / "screenshot.jpg", frames[45], quality=70)
    write_video(collected / "clip_from_tiktok.mp4", frames[30:90], fps)
    scene_video(collected / "unrelated_video.mp4", 4, fps, seed=99)
    write_image(collected / "unrelated_photo.jpg", scene_frame(1.0, seed=123))
    data = resources.files("haven.demo")
    for name in ("comments.csv", "messages.jsonl", "facts.json"):
        target = (export if name != "facts.json" else root) / name
        target.write_bytes(data.joinpath(name).read_bytes())
    return {"video": video, "export": export, "collected": collected, "facts": root / "facts.json"}


def haven_command() -> str:
    """How the user can run `haven` again: by name if it is on PATH, else by its path."""
    if shutil.which("haven"):
        return "haven"
    script = Path(sys.argv[0])
    if script.name == "haven" and script.exists():
        try:
            return str(script.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(script.resolve())
    return f"{sys.executable} -m haven"


def _confirm_as_reviewer(vault: Vault) -> int:
    """Stand in for the caseworker: confirm the critical and high findings (logged as such)."""
    confirmed = 0
    for row in triage_queue(vault):
        if row["severity"] in ("critical", "high"):
            vault.add_decision(row["finding_id"], "confirm", note="haven demo reviewer")
            confirmed += 1
    vault.checkpoint()
    return confirmed


def run_demo(directory: Path | None, console: Console) -> int:
    """Build the demo case and run every stage on it; return an exit code."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    root = Path(directory) if directory else Path.cwd() / f"haven-demo-{stamp}"
    if root.exists() and any(root.iterdir()):
        console.print(f"{root} exists and is not empty; choose another --dir")
        return 2
    passphrase = os.environ.get("HAVEN_PASSPHRASE") or DEMO_PASSPHRASE
    console.rule("Haven demo")
    console.print(f"Building a synthetic case in {root} (every name and number is invented).")
    paths = build_sources(root / "sources")
    vault_dir = root / "vault"
    reports = root / "reports"
    with Vault.create(vault_dir, passphrase) as vault:
        console.print(f"1. Created the encrypted vault {vault_dir}")
        vault.set_setting("case_title", "Demo case: Gəncə")
        vault.set_setting("notifier_name", "Demo Caseworker")
        vault.set_setting("notifier_email", "caseworker@ngo.example")
        vault.set_setting("representative", "Demo Helpline (an NGO)")
        protected = protect_file(vault, paths["video"])
        console.print(f"2. Protected {protected.name}: {protected.frames} frames hashed; "
                      "the video itself is not stored")
        added = add_facts(vault, Facts.from_json(paths["facts"].read_text(encoding="utf-8")))
        console.print(f"3. Added {added} case facts (names, address, workplace, phone, ...)")
        report = ingest(vault, [paths["export"], paths["collected"]])
        console.print(
            f"4. Ingested the platform export and the collected media: {report.new_items} items"
            f" from {report.files} files, {len(report.problems)} skipped"
        )
        found = scan(vault)
        queue = triage_queue(vault)
        by_severity = Counter(row["severity"] for row in queue)
        copies = sum(1 for row in queue if row["kind"] == "media_match")
        console.print(f"5. Scanned {found.texts} texts and {found.media_files} media files: "
                      f"{by_severity['critical']} critical, {by_severity['high']} high, "
                      f"{by_severity['medium']} medium findings; {copies} items carry a copy "
                      "of the protected video")
        for row in queue[:5]:
            console.print(f"     {row['severity'].upper():8} {row['kind']:11} "
                          f"{row['explanation'][:90]}", markup=False)
        confirmed = _confirm_as_reviewer(vault)
        console.print(f"6. A (simulated) reviewer confirmed {confirmed} critical and high findings")
        bundle = write_bundle(vault, reports / "bundle", default_selection(vault))
        notices = write_notices(vault, reports / "notices")
        html = write_evidence_report(vault, reports / "evidence-az.html", "az", "html")
        pdf = write_evidence_report(vault, reports / "evidence-en.pdf", "en", "pdf")
        console.print(f"7. Reports: an evidence bundle of {bundle.items} items, notices for "
                      f"{', '.join(notices.platforms)}, the evidence report (HTML, PDF)")
        state = case_status(vault)
    result = verify_vault(vault_dir, passphrase)
    checked = verify_bundle(bundle.directory)
    console.print("8. Verify: the vault's evidence chain " +
                  ("holds" if result.ok else "FAILED") + "; the bundle, with no passphrase, " +
                  ("holds" if checked.ok else "FAILED"))
    for line in result.failures + checked.failures:
        console.print(f"   {line}", markup=False)
    command = haven_command()
    env = "" if os.environ.get("HAVEN_PASSPHRASE") else f"HAVEN_PASSPHRASE={DEMO_PASSPHRASE} "
    console.rule("Where things are")
    said = "the one in HAVEN_PASSPHRASE" if not env else DEMO_PASSPHRASE
    console.print(f"Vault:            {vault_dir}   (passphrase: {said})")
    console.print(f"Evidence bundle:  {bundle.directory}   (check: {command} verify "
                  f"{bundle.directory})")
    console.print(f"Notices:          {notices.directory}")
    console.print(f"Evidence report:  {html}  and  {pdf}")
    console.print(f"Status:           {state['items']} items, {state['ledger_entries']} ledger "
                  "entries")
    console.rule("Next")
    console.print(f"  {env}{command} status {vault_dir}")
    console.print(f"  {env}{command} items {vault_dir} --platform facebook --limit 5")
    console.print(f"  {env}{command} serve {vault_dir}")
    ok = result.ok and checked.ok and not report.problems and not found.problems
    return 0 if ok else 1
