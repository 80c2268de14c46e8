"""The `haven` command: a thin face over the library. Every command calls one core function.

Passphrases come from `HAVEN_PASSPHRASE` or a hidden prompt, never from a flag (flags end up in
shell history and process lists). Errors are one line naming the file and the problem.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from haven import __version__
from haven.ingest import ingest as run_ingest
from haven.reports.bundle import default_selection, write_bundle
from haven.reports.evidence import write_evidence_report
from haven.reports.export import write_export
from haven.reports.items import ItemFilter, list_items
from haven.reports.notices import write_notices
from haven.reports.status import case_status
from haven.timestamps import TimestampError, timestamp_vault
from haven.vault import Vault, VaultError
from haven.verify import verify_vault
from haven.verify_bundle import is_bundle, verify_bundle

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def read_passphrase(confirm: bool = False) -> str:
    """From the environment, else a hidden prompt; refuses when neither is possible."""
    value = os.environ.get("HAVEN_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise click.UsageError("no passphrase: set HAVEN_PASSPHRASE or run in a terminal")
    return str(click.prompt("Vault passphrase", hide_input=True, confirmation_prompt=confirm))


@contextmanager
def opened(directory: Path) -> Iterator[Vault]:
    try:
        vault = Vault.open(directory, read_passphrase())
    except VaultError as exc:
        raise click.ClickException(str(exc)) from None
    with vault:
        yield vault


class BarProgress:
    """A rich progress bar per source file, shown only on a terminal."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, label: str, total: int | None) -> None:
        if self._task is not None:
            self._progress.update(self._task, visible=False)
        self._task = self._progress.add_task(label[:40], total=total)

    def advance(self, records: int) -> None:
        self._progress.advance(self._task, records)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="haven")
def main() -> None:
    """Haven: find copies of private media, see threats first, keep evidence that verifies."""


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
def init(vault: Path) -> None:
    """Create an encrypted case vault at VAULT (a new directory)."""
    try:
        created = Vault.create(vault, read_passphrase(confirm=True))
    except VaultError as exc:
        raise click.ClickException(str(exc)) from None
    with created:
        out.print(f"Created vault {vault} (case {created.case_id}).")
    out.print(f"Next: haven ingest {vault} FILE_OR_FOLDER...")


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--platform", help="Platform for records that do not name one (e.g. facebook).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(vault: Path, sources: tuple[Path, ...], platform: str | None, as_json: bool) -> None:
    """Import SOURCES (files or folders) into VAULT; the format is recognised by content."""
    with opened(vault) as case:
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=err, disable=not err.is_terminal,
        )
        with progress:
            report = run_ingest(case, sources, platform=platform, progress=BarProgress(progress))
    for problem in report.problems:
        err.print(f"skipped: {problem}", markup=False)
    summary = {
        "new_items": report.new_items,
        "already_stored": report.known_items,
        "files": report.files,
        "skipped": len(report.problems),
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        out.print(
            f"{report.new_items} new items, {report.known_items} already in the vault, "
            f"from {report.files} files; {len(report.problems)} skipped."
        )
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("target", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify(target: Path, as_json: bool) -> None:
    """Check a vault or an evidence bundle; exit 0 only if everything holds.

    A bundle needs no passphrase and no vault.
    """
    if is_bundle(target):
        result = verify_bundle(target)
        what = "Bundle"
    else:
        result = verify_vault(target, read_passphrase())
        what = "Vault"
    if as_json:
        click.echo(json.dumps({"ok": result.ok, "passed": result.passed,
                               "failures": result.failures, "notes": result.notes}))
    else:
        for line in result.passed:
            out.print(f"[green]ok[/green]    {line}", markup=True)
        for line in result.notes:
            out.print(f"note  {line}", markup=False)
        for line in result.failures:
            err.print(f"FAIL  {line}", markup=False)
        out.print(f"{what} verifies." if result.ok else f"{what} does NOT verify.")
    sys.exit(0 if result.ok else 1)


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(vault: Path, as_json: bool) -> None:
    """Counts per platform and kind, what was skipped, and what needs review."""
    with opened(vault) as case:
        state = case_status(case)
    if as_json:
        click.echo(json.dumps(state, ensure_ascii=False))
        return
    out.print(f"Case {state['case_id']}: {state['items']} items, {state['authors']} authors, "
              f"{state['sources']} source files, {state['ledger_entries']} ledger entries.")
    for title, key in (("platform", "by_platform"), ("kind", "by_kind")):
        table = Table(title=f"Items by {title}", title_justify="left")
        table.add_column(title)
        table.add_column("items", justify="right")
        for name, count in state[key].items():
            table.add_row(name, str(count))
        out.print(table)
    waiting = state["needs_review"]["findings"]
    if any(waiting.values()):
        out.print("Needs review: " + ", ".join(f"{n} {sev}" for sev, n in waiting.items() if n))
    if state["skipped"]:
        out.print(f"Skipped inputs ({len(state['skipped'])}):")
        for row in state["skipped"]:
            where = f"{row['path']}:{row['record']}" if row["record"] else row["path"]
            out.print(f"  {where}: {row['message']}", markup=False)
    else:
        out.print("Nothing was skipped.")


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.option("--kind", help="post, comment, message, media, profile or page_capture.")
@click.option("--platform", help="Only items from this platform.")
@click.option("--author", help="Only items by this handle or name.")
@click.option("--contains", help="Only items whose text contains this (case-insensitive).")
@click.option("--since", help="Only items at or after this ISO time.")
@click.option("--until", help="Only items before this ISO time.")
@click.option("--limit", type=int, help="At most this many items.")
def items(vault: Path, **filters: Any) -> None:
    """Print stored items as JSON lines (id, kind, platform, url, author, time, text, ...)."""
    with opened(vault) as case:
        for row in list_items(case, ItemFilter(**filters)):
            click.echo(json.dumps(row, ensure_ascii=False))


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(["bundle", "notices", "evidence", "export"]),
              required=True,
              help="bundle: a portable evidence package anyone can verify; "
                   "notices: DSA Art. 16 takedown notices per platform; "
                   "evidence: the report for an NGO, lawyer or asylum case; "
                   "export: items and findings for spreadsheets and other tools.")
@click.option("--format", "file_format", type=click.Choice(["html", "pdf", "csv", "jsonl"]),
              help="evidence: html (default) or pdf; export: csv (default) or jsonl.")
@click.option("--lang", type=click.Choice(["en", "az", "ru"]), default="en", show_default=True,
              help="Language of the evidence report.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="A new folder to write into.")
@click.option("--item", "item_ids", multiple=True, help="Include this item (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Include every item.")
def report(vault: Path, kind: str, file_format: str | None, lang: str, out_dir: Path,
           item_ids: tuple[str, ...], everything: bool) -> None:
    """Write a report from VAULT. Reports only read the vault (and log that they were made)."""
    with opened(vault) as case:
        try:
            if kind in ("evidence", "export"):
                default = "html" if kind == "evidence" else "csv"
                chosen_format = file_format or default
                stem = f"evidence-{lang}" if kind == "evidence" else "export"
                target = (out_dir if out_dir.suffix.lower() == f".{chosen_format}"
                          else out_dir / f"{stem}.{chosen_format}")
                if kind == "evidence":
                    written = write_evidence_report(case, target, lang, chosen_format)
                else:
                    written = write_export(case, target, chosen_format)
            elif kind == "notices":
                notices = write_notices(case, out_dir)
            else:
                rows = case.conn.execute("SELECT id FROM items ORDER BY rowid")
                chosen = ([str(r[0]) for r in rows] if everything
                          else list(item_ids) or default_selection(case))
                summary = write_bundle(case, out_dir, chosen)
        except VaultError as exc:
            raise click.ClickException(str(exc)) from None
    if kind in ("evidence", "export"):
        out.print(f"Wrote {written}.")
        return
    if kind == "notices":
        out.print(f"Wrote notices for {', '.join(notices.platforms)} ({notices.items} items) "
                  f"to {notices.directory}: a .txt to paste and a .json per platform.")
        if notices.without_url:
            out.print(f"{notices.without_url} confirmed items have no URL and are not in any "
                      "notice.")
        return
    out.print(f"Wrote {summary.directory}: {summary.items} items, {summary.files} files, "
              f"checkpoint over {summary.tree_size} ledger entries.")
    out.print(f"Anyone can check it, with no passphrase: haven verify {summary.directory}")


SETTINGS = {
    "notifier_name": "the name that signs takedown notices (DSA Art. 16(2)(c))",
    "notifier_email": "the email address for notices and platform replies",
    "representative": "an NGO or lawyer sending notices for the persons concerned",
    "represented": "who the representative acts for (default: the persons concerned)",
    "case_title": "a title for reports",
}


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.argument("name", required=False, type=click.Choice(sorted(SETTINGS)))
@click.argument("value", required=False)
def settings(vault: Path, name: str | None, value: str | None) -> None:
    """Show the case settings, or set NAME to VALUE."""
    with opened(vault) as case:
        if name and value is not None:
            case.set_setting(name, value)
            case.checkpoint()
        current = case.settings()
    for key, meaning in SETTINGS.items():
        if name in (None, key):
            out.print(f"{key:16} {current.get(key, '(not set)')}   [dim]{meaning}[/dim]")


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.option("--tsa", "url", required=True,
              help="The time-stamping authority's URL (RFC 3161 over HTTP or HTTPS).")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait.")
def timestamp(vault: Path, url: str, timeout: float) -> None:
    """Get a trusted RFC 3161 timestamp for the newest checkpoint (the only network call)."""
    with opened(vault) as case:
        try:
            stamp = timestamp_vault(case, url, timeout)
        except TimestampError as exc:
            raise click.ClickException(str(exc)) from None
    if stamp is None:
        out.print("Nothing new to timestamp: the newest checkpoint already has a token.")
    else:
        out.print(f"{url} vouches that ledger entries 1 to {stamp.tree_size} existed at "
                  f"{stamp.gen_time}.")


@main.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path),
              help="Where to build the demo case (default: a new folder here).")
def demo(directory: Path | None) -> None:
    """Build a realistic synthetic case and run every stage of Haven on it."""
    from haven.demo import run_demo

    sys.exit(run_demo(directory, out))
