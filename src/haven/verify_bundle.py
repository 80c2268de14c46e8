"""Verification of an evidence bundle, with no vault and no passphrase.

Order: the manifest's signature, every file against the manifest (and no file unlisted), the
checkpoint's signature, each ledger entry's own hash and its inclusion in the signed tree, each
record against the entry that vouches for it, and each evidence file against its blob entry.
Each failure names the file, record or entry concerned.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from haven.ledger import Checkpoint, LedgerEntry, verify_inclusion
from haven.reports.bundle import (
    FORMAT,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    public_key_fingerprint,
)
from haven.timestamps import TimestampError, check_token, checkpoint_statement
from haven.vault.records import record_digest
from haven.verify import VerifyResult


def is_bundle(directory: Path) -> bool:
    return (directory / MANIFEST).is_file() and (directory / "bundle.json").is_file()


def verify_bundle(directory: Path) -> VerifyResult:
    result = VerifyResult()
    try:
        _verify(directory, result)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        result.failures.append(f"{directory}: unreadable bundle ({exc})")
    return result


def _public_key(path: Path) -> Ed25519PublicKey | None:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (ValueError, FileNotFoundError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def _verify(directory: Path, result: VerifyResult) -> None:
    # The signed manifest comes first: nothing else is read before it is known to be intact.
    key_path = directory / PUBLIC_KEY
    public_key = _public_key(key_path)
    if public_key is None:
        result.failures.append(f"{key_path}: missing or not an Ed25519 public key (altered)")
        return
    raw_key = public_key.public_bytes(serialization.Encoding.Raw,
                                      serialization.PublicFormat.Raw)
    manifest = (directory / MANIFEST).read_bytes()
    try:
        public_key.verify((directory / SIGNATURE).read_bytes(), manifest)
    except (InvalidSignature, FileNotFoundError):
        result.failures.append(
            f"{directory / MANIFEST}: its signature ({SIGNATURE}) does not verify with "
            f"{PUBLIC_KEY}: the manifest, its signature or the key was altered")
        return
    result.passed.append("the manifest is signed by the case key "
                         f"(fingerprint {public_key_fingerprint(raw_key)})")
    if not _files(directory, manifest.decode(), result):
        return
    meta = json.loads((directory / "bundle.json").read_text())
    if meta.get("format") != FORMAT or meta.get("public_key") != raw_key.hex():
        result.failures.append(f"{directory / 'bundle.json'}: not a Haven bundle for this key")
        return
    checkpoint = Checkpoint(**meta["checkpoint"])
    if not checkpoint.verify(public_key):
        result.failures.append(f"{directory / 'bundle.json'}: the checkpoint signature does not "
                               "verify")
        return
    stamp = meta.get("timestamp")
    if stamp:
        try:
            check_token((directory / stamp["token"]).read_bytes(), checkpoint_statement(checkpoint))
        except TimestampError as exc:
            result.failures.append(f"{directory / stamp['token']}: {exc}")
            return
        result.passed.append(f"an RFC 3161 timestamp from {stamp['tsa']} dates the checkpoint "
                             f"to {stamp['gen_time']}")
    entries = _ledger(directory, checkpoint, result)
    if entries is None:
        return
    _records(directory, entries, result)


def _files(directory: Path, manifest: str, result: VerifyResult) -> bool:
    listed: dict[str, str] = {}
    for number, line in enumerate(manifest.splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            result.failures.append(f"{directory / MANIFEST}: line {number} is malformed")
            return False
        listed[name] = digest
    for name, digest in listed.items():
        path = directory / name
        if not path.resolve().is_relative_to(directory.resolve()):
            result.failures.append(f"{directory / MANIFEST}: names a path outside the bundle")
            return False
        if not path.is_file():
            result.failures.append(f"{path}: listed in the manifest but missing")
            return False
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            result.failures.append(f"{path}: its SHA-256 differs from the manifest (altered)")
            return False
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory).as_posix()
        if relative not in listed and relative not in (MANIFEST, SIGNATURE):
            result.failures.append(f"{path}: not in the manifest (added after signing)")
            return False
    result.passed.append(f"{len(listed)} files match the signed manifest; no file was added")
    return True


def _ledger(directory: Path, checkpoint: Checkpoint,
            result: VerifyResult) -> dict[str, LedgerEntry] | None:
    entries: dict[str, LedgerEntry] = {}
    path = directory / "ledger.jsonl"
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        row = json.loads(line)
        entry = LedgerEntry(**row["entry"])
        where = f"{path}: line {number} (entry #{entry.seq})"
        if entry.expected_hash() != entry.entry_hash:
            result.failures.append(f"{where}: its hash does not cover its content")
            return None
        if not verify_inclusion(entry.entry_hash, entry.seq - 1, checkpoint.tree_size,
                                row["proof"], checkpoint.root):
            result.failures.append(f"{where}: not included in the signed checkpoint")
            return None
        entries[entry.object_id] = entry
    result.passed.append(f"{len(entries)} ledger entries are included in the checkpoint signed "
                         f"at {checkpoint.time} over {checkpoint.tree_size} entries")
    return entries


def _check_record(wrapped: dict[str, Any], entries: dict[str, LedgerEntry], where: str,
                  result: VerifyResult) -> bool:
    row = wrapped["record"]
    entry = entries.get(str(row["id"]))
    if entry is None:
        result.failures.append(f"{where}: {row['id']} has no ledger entry in the bundle")
        return False
    if entry.object_sha256 != record_digest(wrapped["table"], row):
        result.failures.append(f"{where}: {row['id']} differs from ledger entry #{entry.seq}")
        return False
    return True


def _records(directory: Path, entries: dict[str, LedgerEntry], result: VerifyResult) -> None:
    items_path = directory / "items.jsonl"
    count = 0
    for number, line in enumerate(items_path.read_text().splitlines(), start=1):
        row = json.loads(line)
        where = f"{items_path}: line {number}"
        for key in ("item", "source", "author"):
            if row[key] and not _check_record(row[key], entries, where, result):
                return
        for relative in [row["files"]["source"], *row["files"]["media"]]:
            sha256 = Path(relative).name.split(".")[0]
            data = (directory / relative).read_bytes()
            entry = entries.get(sha256)
            if entry is None or hashlib.sha256(data).hexdigest() != entry.object_sha256:
                result.failures.append(f"{directory / relative}: no ledger entry vouches for "
                                       "these bytes")
                return
        count += 1
    findings_path = directory / "findings.jsonl"
    lines = findings_path.read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        if not _check_record(json.loads(line), entries, f"{findings_path}: line {number}",
                             result):
            return
    result.passed.append(f"{count} items, their sources, authors, files and {len(lines)} "
                         "findings and decisions match their ledger entries")
