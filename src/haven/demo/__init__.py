"""`haven demo`: a realistic synthetic case, built from nothing and run through every stage.

The case mirrors the one Haven exists for: a private video leaked and re-shared, comments that
threaten, offer money and reveal an address, in Azerbaijani (Latin and Cyrillic), Russian,
Turkish and English. Every name, address and number in it is invented. No network is used.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime
from importlib import resources
from pathlib import Path

from rich.console import Console

from haven.demo.media import scene_frame, scene_video, write_image, write_video
from haven.ingest import ingest
from haven.reports.status import case_status
from haven.vault import Vault
from haven.verify import verify_vault

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


def run_demo(directory: Path | None, console: Console) -> int:
    """Build the demo case and run init, ingest, status and verify; return an exit code."""
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
    with Vault.create(vault_dir, passphrase) as vault:
        console.print(f"1. Created the encrypted vault {vault_dir}")
        report = ingest(vault, [paths["export"], paths["collected"]])
        console.print(
            f"2. Ingested the platform export and the collected media: {report.new_items} items"
            f" from {report.files} files, {len(report.problems)} skipped"
        )
        state = case_status(vault)
    by_platform = ", ".join(f"{k} {v}" for k, v in state["by_platform"].items())
    by_kind = ", ".join(f"{k} {v}" for k, v in state["by_kind"].items())
    console.print(f"3. Status: {state['items']} items ({by_platform}; {by_kind}), "
                  f"{state['authors']} authors, {state['ledger_entries']} ledger entries")
    result = verify_vault(vault_dir, passphrase)
    console.print("4. Verify: " + ("the evidence chain holds" if result.ok else "FAILED"))
    for line in result.failures:
        console.print(f"   {line}", markup=False)
    env = "" if os.environ.get("HAVEN_PASSPHRASE") else f"HAVEN_PASSPHRASE={DEMO_PASSPHRASE} "
    env += haven_command()
    console.rule("Next")
    said = DEMO_PASSPHRASE if env else "the one in HAVEN_PASSPHRASE"
    console.print(f"Vault: {vault_dir}   (passphrase: {said})")
    console.print(f"  {env} status {vault_dir}")
    console.print(f"  {env} items {vault_dir} --platform facebook --limit 5")
    console.print(f"  {env} verify {vault_dir}")
    return 0 if result.ok and not report.problems else 1
