"""Evidence bundles: a self-contained, portable package that anyone can verify without Haven.

A bundle holds the untouched bytes of each selected item's source and media, the stored records,
the capture metadata, the ledger entries that vouch for them with RFC 6962 inclusion proofs
against a signed checkpoint, and the case's public key. `MANIFEST.sha256` (in `sha256sum` format)
lists every file and is signed with the case's Ed25519 key, so `sha256sum -c` and `openssl pkeyutl`
suffice to check it; `haven verify BUNDLE` checks everything down to each record's digest.

Writing a bundle only reads the vault, apart from the ledger entry that says a bundle was made.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from haven import __version__
from haven.ledger import Checkpoint, LedgerEntry, MerkleTree, utc_now
from haven.timestamps import Timestamp, stored_timestamps
from haven.vault import Vault, VaultError
from haven.vault.records import record_digest

FORMAT = "haven-evidence-bundle"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.sha256"
SIGNATURE = "MANIFEST.sig"
PUBLIC_KEY = "public_key.pem"
TOKEN = "checkpoint.tsr"
FILES = "files"

README = """\
Haven evidence bundle
=====================

Case {case_id}, made {created} by Haven {version}. It holds {items} items and {files} files.

What is inside
- files/            the untouched bytes of every source file and media file, named by SHA-256.
                    This is the evidentiary copy: make working copies elsewhere, never edit these.
- items.jsonl       each item as stored, with its capture metadata (source file, importer,
                    collector, capture time) and the names of its files.
- findings.jsonl    what Haven's analysers concluded about these items, and reviewers' decisions.
- ledger.jsonl      the ledger entries for all of the above, each with an inclusion proof
                    against the signed checkpoint in bundle.json.
- bundle.json       the checkpoint (tree size, Merkle root, time, Ed25519 signature).
- public_key.pem    the case's Ed25519 public key (fingerprint {fingerprint}).
- checkpoint.tsr    if present: an RFC 3161 timestamp token over the checkpoint statement
                    ("haven checkpoint v1", tree size, root, time, one per line, each ending
                    in a newline), from the authority named in bundle.json. Check it with
                    openssl ts -verify -in checkpoint.tsr -token_in -data STATEMENT_FILE
                        -CAfile THE_TSA_CA.pem
- MANIFEST.sha256   SHA-256 of every other file; MANIFEST.sig is its Ed25519 signature.

Verify with standard tools (from inside this folder)
    sha256sum -c MANIFEST.sha256
    openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin \\
        -in MANIFEST.sha256 -sigfile MANIFEST.sig
Both must succeed ("OK" for every file, then "Signature Verified Successfully"). Also check that
no file is present that MANIFEST.sha256 does not list. Compare the public key's fingerprint
(SHA-256 of its 32 raw bytes) with the one the case holder published or gave you separately.

Verify everything, down to each record and ledger entry
    haven verify .
This needs no passphrase and no vault. It recomputes each record's digest (SHA-256 of the
canonical JSON {{"record": ..., "table": ...}} with sorted keys, no spaces, UTF-8), checks that
a ledger entry vouches for it, that each entry's hash covers its fields, and that each entry is
included in the signed Merkle tree (RFC 6962).
"""


@dataclass(frozen=True)
class BundleSummary:
    directory: Path
    items: int
    files: int
    tree_size: int


def default_selection(vault: Vault) -> list[str]:
    """Items a reviewer confirmed a finding on, or with a critical or high finding."""
    query = """
        SELECT DISTINCT f.item_id FROM findings f
        LEFT JOIN decisions d ON d.finding_id = f.id
        WHERE f.severity IN ('critical', 'high') OR d.decision = 'confirm'
        ORDER BY f.item_id
    """
    return [str(row[0]) for row in vault.conn.execute(query)]


def _row(vault: Vault, table: str, key: str, value: Any) -> dict[str, Any] | None:
    cursor = vault.conn.execute(f"SELECT * FROM {table} WHERE {key} = ?", (value,))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def _rows(vault: Vault, table: str, key: str, value: Any) -> list[dict[str, Any]]:
    cursor = vault.conn.execute(f"SELECT * FROM {table} WHERE {key} = ? ORDER BY rowid", (value,))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix.isascii() and 1 < len(suffix) <= 6 and suffix[1:].isalnum() else ""


class _Writer:
    def __init__(self, vault: Vault, out: Path) -> None:
        self.vault = vault
        self.out = out
        self.entries: dict[str, LedgerEntry] = {}
        self.by_object = {e.object_id: e for e in vault.ledger.entries()}
        self.files: dict[str, str] = {}

    def vouch(self, object_id: str) -> LedgerEntry:
        entry = self.by_object.get(object_id)
        if entry is None:
            raise VaultError(f"{object_id} has no ledger entry; run haven verify on the vault")
        self.entries[object_id] = entry
        return entry

    def copy_blob(self, sha256: str, name: str) -> str:
        if sha256 not in self.files:
            relative = f"{FILES}/{sha256}{_suffix(name)}"
            with (self.out / relative).open("wb") as handle:
                digest = hashlib.sha256()
                for chunk in self.vault.blobs.read_chunks(sha256):
                    digest.update(chunk)
                    handle.write(chunk)
            if digest.hexdigest() != sha256:
                raise VaultError(f"blob for {sha256[:12]}… does not hold the bytes it names")
            self.vouch(sha256)
            self.files[sha256] = relative
        return self.files[sha256]

    def record(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        entry = self.vouch(str(row["id"]))
        if entry.object_sha256 != record_digest(table, row):
            raise VaultError(f"{row['id']} differs from its ledger entry; run haven verify")
        return {"table": table, "record": row, "ledger_seq": entry.seq}

    def item(self, item_id: str) -> dict[str, Any]:
        row = _row(self.vault, "items", "id", item_id)
        if row is None:
            raise VaultError(f"no item {item_id} in this vault")
        source = _row(self.vault, "sources", "id", row["source_id"])
        assert source is not None  # a foreign key guarantees it
        author = _row(self.vault, "authors", "id", row["author_id"]) if row["author_id"] else None
        item_entry = self.vouch(item_id)
        media = json.loads(row["media"])
        files = {
            "source": self.copy_blob(source["sha256"], Path(source["path"]).name),
            "media": [self.copy_blob(m["sha256"], m["name"]) for m in media],
        }
        return {
            "item": self.record("items", row),
            "source": self.record("sources", source),
            "author": self.record("authors", author) if author else None,
            "capture": {
                "time": item_entry.time,
                "collector": item_entry.actor,
                "source_file": source["path"],
                "source_record": row["source_record"],
                "importer": source["importer"],
                "importer_version": source["importer_version"],
            },
            "files": files,
        }

    def findings(self, item_id: str) -> list[dict[str, Any]]:
        out = []
        for finding in _rows(self.vault, "findings", "item_id", item_id):
            out.append(self.record("findings", finding))
            for decision in _rows(self.vault, "decisions", "finding_id", finding["id"]):
                out.append(self.record("decisions", decision))
        return out


def _write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def manifest_lines(directory: Path) -> list[str]:
    """`sha256sum` lines for every file in the bundle except the manifest and its signature."""
    lines = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory).as_posix()
        if relative in (MANIFEST, SIGNATURE):
            continue
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {relative}")
    return lines


def public_key_fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _choose_checkpoint(vault: Vault, needed: int) -> tuple[Checkpoint, Timestamp | None]:
    """The newest timestamped checkpoint that covers entry `needed`, else the newest one.

    A trusted timestamp in the bundle lets a third party date the evidence without the vault.
    """
    checkpoints = {c.tree_size: c for c in vault.ledger.checkpoints()}
    for stamp in reversed(stored_timestamps(vault)):
        if stamp.tree_size >= needed and stamp.tree_size in checkpoints:
            return checkpoints[stamp.tree_size], stamp
    return vault.ledger.checkpoints()[-1], None


def write_bundle(vault: Vault, out: Path, item_ids: Sequence[str]) -> BundleSummary:
    """Write a bundle of `item_ids` to `out` (a new or empty directory)."""
    if not item_ids:
        raise VaultError("nothing to bundle: no item is confirmed or of high severity "
                         "(choose items with --item, or --all)")
    if out.exists() and any(out.iterdir()):
        raise VaultError(f"{out}: exists and is not empty; choose a new folder")
    vault.checkpoint()
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / FILES).mkdir(parents=True)
    writer = _Writer(vault, tmp)
    items = [writer.item(item_id) for item_id in dict.fromkeys(item_ids)]
    findings = [f for item_id in dict.fromkeys(item_ids) for f in writer.findings(item_id)]
    init = next(vault.ledger.entries())
    writer.entries[init.object_id] = init
    checkpoint, stamp = _choose_checkpoint(vault, max(e.seq for e in writer.entries.values()))
    hashes = [e.entry_hash for e in vault.ledger.entries()][: checkpoint.tree_size]
    tree = MerkleTree(hashes)
    ledger_rows = [
        {"entry": entry.__dict__, "proof": tree.inclusion_proof(entry.seq - 1)}
        for entry in sorted(writer.entries.values(), key=lambda e: e.seq)
    ]
    if stamp is not None:
        (tmp / TOKEN).write_bytes(stamp.token)
    _write_jsonl(tmp / "items.jsonl", items)
    _write_jsonl(tmp / "findings.jsonl", findings)
    _write_jsonl(tmp / "ledger.jsonl", ledger_rows)
    public = vault.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    (tmp / PUBLIC_KEY).write_bytes(public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    created = utc_now()
    meta = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "case_id": vault.case_id,
        "created": created,
        "tool": f"haven {__version__}",
        "public_key": raw.hex(),
        "checkpoint": checkpoint.__dict__,
        "timestamp": {"tsa": stamp.tsa, "gen_time": stamp.gen_time, "token": TOKEN}
        if stamp else None,
        "items": len(items),
    }
    (tmp / "bundle.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    (tmp / "README.txt").write_text(README.format(
        case_id=vault.case_id, created=created, version=__version__, items=len(items),
        files=len(writer.files), fingerprint=public_key_fingerprint(raw)))
    manifest = ("\n".join(manifest_lines(tmp)) + "\n").encode()
    (tmp / MANIFEST).write_bytes(manifest)
    (tmp / SIGNATURE).write_bytes(vault.sign(manifest))
    if out.exists():
        out.rmdir()
    tmp.rename(out)
    with vault.transaction():
        vault.ledger.append("make report bundle", f"report_{created}",
                            hashlib.sha256(manifest).hexdigest())
    vault.checkpoint()
    return BundleSummary(out, len(items), len(writer.files), checkpoint.tree_size)

