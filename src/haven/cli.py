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
from haven.reports.hashes import write_hash_list
from haven.reports.items import ItemFilter, list_items
from haven.reports.notices import write_notices
from haven.reports.status import case_status
from haven.timestamps import TimestampError, timestamp_vault
from haven.vault import Vault, VaultError
from haven.verify import verify_vault
from haven.verify_bundle import is_bundle, verify_bundle
from haven.web.serve import serve_command

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
        for row in state["critical"]:
            out.print(f"  [red]CRITICAL[/red] {row['kind']}: {row['explanation']}")
            out.print(f"           {row['url'] or row['item_id']}", markup=False)
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
@click.option("--kind", type=click.Choice(["bundle", "notices", "evidence", "export", "hashes"]),
              required=True,
              help="bundle: a portable evidence package anyone can verify; "
                   "notices: DSA Art. 16 takedown notices per platform; "
                   "evidence: the report for an NGO, lawyer or asylum case; "
                   "export: items and findings for spreadsheets and other tools; "
                   "hashes: the protected media's hash list for sharing.")
@click.option("--format", "file_format",
              type=click.Choice(["html", "pdf", "csv", "jsonl", "threatexchange", "hma"]),
              help="evidence: html (default) or pdf; export: csv (default) or jsonl; "
                   "hashes: threatexchange (default), hma or csv.")
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
            if kind in ("evidence", "export", "hashes"):
                chosen_format = file_format or DEFAULT_FORMATS[kind]
                if chosen_format not in KIND_FORMATS[kind]:
                    raise VaultError(f"--kind {kind} takes --format "
                                     f"{' or '.join(KIND_FORMATS[kind])}")
                stem = {"evidence": f"evidence-{lang}", "export": "export",
                        "hashes": "protected-hashes"}[kind]
                suffix = {"threatexchange": "txt", "hma": "jsonl"}.get(chosen_format,
                                                                       chosen_format)
                target = (out_dir if out_dir.suffix.lower() == f".{suffix}"
                          else out_dir / f"{stem}.{suffix}")
                if kind == "evidence":
                    written = write_evidence_report(case, target, lang, chosen_format)
                elif kind == "export":
                    written = write_export(case, target, chosen_format)
                else:
                    written = write_hash_list(case, target, chosen_format)
            elif kind == "notices":
                notices = write_notices(case, out_dir)
            else:
                rows = case.conn.execute("SELECT id FROM items ORDER BY rowid")
                chosen = ([str(r[0]) for r in rows] if everything
                          else list(item_ids) or default_selection(case))
                summary = write_bundle(case, out_dir, chosen)
        except VaultError as exc:
            raise click.ClickException(str(exc)) from None
    if kind in ("evidence", "export", "hashes"):
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


DEFAULT_FORMATS = {"evidence": "html", "export": "csv", "hashes": "threatexchange"}
KIND_FORMATS = {"evidence": ("html", "pdf"), "export": ("csv", "jsonl"),
                "hashes": ("threatexchange", "hma", "csv")}

SETTINGS = {
    "notifier_name": "the name that signs takedown notices (DSA Art. 16(2)(c))",
    "notifier_email": "the email address for notices and platform replies",
    "representative": "an NGO or lawyer sending notices for the persons concerned",
    "represented": "who the representative acts for (default: the persons concerned)",
    "case_title": "a title for reports",
    "match_config": "media matching thresholds as JSON, e.g. '{\"pdq_threshold\": 28}'",
    "text_learned": "on (default) or off: the learned second opinion after the text rules",
    "ranker": "char (default, instant) or e5: what the queue's learned order reads; e5 orders "
    "better but embeds each queued finding once (~11 ms)",
}


def _check_setting(name: str, value: str) -> None:
    """Refuse a value that would break a later command, naming what is wrong."""
    if name == "ranker":
        from haven.text.ranker import EMBEDDERS

        if value.lower() not in EMBEDDERS:
            raise click.ClickException(f"ranker must be one of: {', '.join(EMBEDDERS)}")
        return
    if name == "text_learned":
        from haven.scan import SWITCH_VALUES

        if value.lower() not in SWITCH_VALUES:
            raise click.ClickException("text_learned must be on or off")
        return
    if name != "match_config":
        return
    from dataclasses import fields

    from haven.media.match import MatchConfig

    try:
        data = json.loads(value)
    except ValueError:
        raise click.ClickException("match_config must be a JSON object") from None
    if not isinstance(data, dict):
        raise click.ClickException("match_config must be a JSON object")
    unknown = sorted(set(data) - {f.name for f in fields(MatchConfig)})
    if unknown:
        raise click.ClickException(f"match_config: unknown field(s) {', '.join(unknown)}")
    try:
        MatchConfig.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise click.ClickException(f"match_config: {exc}") from None


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.argument("name", required=False, type=click.Choice(sorted(SETTINGS)))
@click.argument("value", required=False)
def settings(vault: Path, name: str | None, value: str | None) -> None:
    """Show the case settings, or set NAME to VALUE."""
    with opened(vault) as case:
        if name and value is not None:
            _check_setting(name, value)
            case.set_setting(name, value)
            case.checkpoint()
        current = case.settings()
    for key, meaning in SETTINGS.items():
        if name in (None, key):
            out.print(f"{key:16} {current.get(key, '(not set)')}   [dim]{meaning}[/dim]")


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--keep-original", is_flag=True,
              help="Also keep the original, encrypted in the vault (default: hashes only).")
def protect(vault: Path, files: tuple[Path, ...], keep_original: bool) -> None:
    """Fingerprint private photos and videos; by default only their hashes are kept."""
    from haven.media.errors import MediaError
    from haven.protect import protect_file

    failed = 0
    with opened(vault) as case:
        for path in files:
            try:
                done = protect_file(case, path, keep_original)
            except MediaError as exc:
                err.print(f"skipped: {exc}", markup=False)
                failed += 1
                continue
            state = "protected" if done.new else "already protected"
            kept = "original kept, encrypted" if done.kept_original else "original not stored"
            out.print(f"{path.name}: {state} ({done.kind}, {done.frames} frames hashed; {kept})",
                      markup=False)
    if failed:
        sys.exit(1)


@main.group()
def facts() -> None:
    """Personal facts to watch for: names, addresses, workplaces, phones, emails, vehicles."""


@facts.command("add")
@click.argument("vault", type=click.Path(path_type=Path))
@click.argument("kind", type=click.Choice(["name", "address", "workplace", "phone", "email",
                                           "vehicle", "other"]))
@click.argument("value")
@click.option("--role", type=click.Choice(["target", "relative", "other"]), default="target",
              show_default=True, help="For names: whose name it is.")
@click.option("--also", "aliases", multiple=True,
              help="For names: another spelling of the same person (repeatable).")
def facts_add(vault: Path, kind: str, value: str, role: str, aliases: tuple[str, ...]) -> None:
    """Add one fact, e.g. haven facts add CASE address "Nizami küçəsi 27"."""
    from haven.case_facts import add_fact

    with opened(vault) as case:
        new = add_fact(case, kind, value, role, aliases)
    out.print("Added." if new else "Already known.")


@facts.command("import")
@click.argument("vault", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def facts_import(vault: Path, file: Path) -> None:
    """Add every fact from a facts JSON file (see the README for its shape)."""
    from haven.case_facts import add_facts
    from haven.text.facts import Facts, FactsError

    try:
        loaded = Facts.from_json(file.read_text(encoding="utf-8"))
    except (FactsError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    with opened(vault) as case:
        added = add_facts(case, loaded)
    out.print(f"{added} new facts from {file}.")


@facts.command("list")
@click.argument("vault", type=click.Path(path_type=Path))
def facts_list(vault: Path) -> None:
    """Print the stored facts as a facts JSON file."""
    from haven.case_facts import load_facts

    with opened(vault) as case:
        click.echo(load_facts(case).to_json())


@main.command()
@click.argument("vault", type=click.Path(path_type=Path))
@click.option("--show", type=int, default=20, show_default=True,
              help="How many of the most severe findings to print.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def scan(vault: Path, show: int, as_json: bool) -> None:
    """Match media against the protected set and analyse all text; critical first."""
    from haven.reports.triage import triage_queue
    from haven.scan import scan as run_scan
    from haven.text.classifier import ExampleError
    from haven.text.embeddings import EmbeddingsUnavailable
    from haven.text.lexicon import LexiconError

    with opened(vault) as case:
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=err, disable=not err.is_terminal,
        )
        try:
            with progress:
                report = run_scan(case, BarProgress(progress))
        except (LexiconError, ExampleError, EmbeddingsUnavailable) as exc:
            raise click.ClickException(f"text rules, examples or model: {exc}") from None
        queue = triage_queue(case, limit=show)
    for problem in report.problems:
        err.print(f"skipped: {problem}", markup=False)
    if as_json:
        click.echo(json.dumps({"texts": report.texts, "media_files": report.media_files,
                               "new_findings": report.new_findings,
                               "skipped": len(report.problems), "top": queue},
                              ensure_ascii=False))
        return
    out.print(f"Analysed {report.texts} texts and {report.media_files} media files: "
              f"{report.new_findings} new findings.")
    for row in queue:
        colour = {"critical": "red", "high": "yellow"}.get(row["severity"], "white")
        out.print(f"[{colour}]{row['severity'].upper():8}[/{colour}] {row['kind']:11} "
                  f"{row['platform']}: {row['explanation']}", highlight=False)
        where = row["url"] or row["item_id"]
        out.print(f"         {where}", markup=False)


@main.group()
def analyse() -> None:
    """Stateless analysis for scripts and evaluation: no vault involved."""


@analyse.command("media")
@click.option("--protected", "protected", multiple=True, required=True,
              type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A protected photo or video (repeatable).")
@click.option("--candidates", "candidates", multiple=True, required=True,
              type=click.Path(path_type=Path, exists=True),
              help="A file or folder to check (repeatable).")
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="Write JSON lines here instead of standard output.")
def analyse_media_command(protected: tuple[Path, ...], candidates: tuple[Path, ...],
                          out_file: Path | None) -> None:
    """One JSON line per candidate: matched, which protected file, score, segments."""
    from haven.media.errors import MediaError
    from haven.media.match import analyse_media

    files = [p for c in candidates for p in (sorted(x for x in c.rglob("*") if x.is_file())
                                              if c.is_dir() else [c])]
    handle = out_file.open("w", encoding="utf-8") if out_file else None
    try:
        for result in analyse_media(list(protected), files):
            line = json.dumps(result, ensure_ascii=False)
            if handle:
                handle.write(line + "\n")
            else:
                click.echo(line)
    except MediaError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if handle:
            handle.close()


@analyse.command("text")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--facts", "facts_file", type=click.Path(path_type=Path, exists=True,
                                                       dir_okay=False),
              help="A case facts JSON file, for exposure of names, addresses, phones...")
@click.option("--rules-only", is_flag=True,
              help="Leave out the learned second opinion (fewer false alarms, fewer finds).")
def analyse_text_command(source: Any, facts_file: Path | None, rules_only: bool) -> None:
    """JSON lines {"id", "text"} in (a file or standard input), one analysis per line out."""
    from haven.text.analyse import analyse_records
    from haven.text.embeddings import EmbeddingsUnavailable
    from haven.text.facts import Facts, FactsError

    try:
        case_facts = (Facts.from_json(facts_file.read_text(encoding="utf-8"))
                      if facts_file else None)
    except FactsError as exc:
        raise click.ClickException(f"{facts_file}: {exc}") from None

    def records() -> Iterator[dict[str, Any]]:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                raise click.ClickException(f"line {number}: not valid JSON") from None
            if not isinstance(value, dict):
                raise click.ClickException(f"line {number}: not a JSON object")
            yield value

    try:
        for record in analyse_records(records(), case_facts, learned=not rules_only):
            click.echo(json.dumps(record, ensure_ascii=False))
    except (ValueError, EmbeddingsUnavailable) as exc:
        raise click.ClickException(str(exc)) from None


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


main.add_command(serve_command)


@main.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path),
              help="Where to build the demo case (default: a new folder here).")
def demo(directory: Path | None) -> None:
    """Build a realistic synthetic case and run every stage of Haven on it."""
    from haven.demo import run_demo

    sys.exit(run_demo(directory, out))
