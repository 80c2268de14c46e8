"""Verification of a whole vault: recompute everything the ledger and checkpoints vouch for.

Checks, in order: the vault opens (header, key, database pages authenticate), the ledger chain
holds entry by entry, every signed checkpoint matches the Merkle root of the entries it covers,
every stored record and blob matches its ledger entry, and every ledger entry still has its
record. The first failure of each kind is named; verification never changes the vault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from haven.ledger import GENESIS, LedgerEntry, merkle_root
from haven.timestamps import TimestampError, check_token, checkpoint_statement, stored_timestamps
from haven.vault import BlobError, Vault, VaultError
from haven.vault.records import BLOB_ACTION, RECORD_ACTIONS, record_digest, rows


@dataclass
class VerifyResult:
    """What held and what did not. `ok` only when nothing failed."""

    passed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def verify_vault(directory: Path, passphrase: str) -> VerifyResult:
    result = VerifyResult()
    try:
        vault = Vault.open(directory, passphrase)
    except VaultError as exc:
        result.failures.append(str(exc))
        return result
    with vault:
        ledger = _LedgerRead(vault)
        for check in (_pages, _chain, _records, _blobs, _timestamps):
            try:
                check(vault, result, ledger)
            except VaultError as exc:  # a damaged page met while reading
                result.failures.append(f"{check.__name__.strip('_')}: {exc}")
            except Exception as exc:
                result.failures.append(
                    f"{vault.directory / 'case.db'}: unreadable while checking "
                    f"{check.__name__.strip('_')} ({exc})"
                )
    return result


def _pages(vault: Vault, result: VerifyResult, ledger: _LedgerRead) -> None:
    bad = [row[0] for row in vault.conn.execute("PRAGMA cipher_integrity_check")]
    if bad:
        result.failures.append(f"{vault.directory / 'case.db'}: {bad[0]}"
                               + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
        return
    (status,) = vault.conn.execute("PRAGMA integrity_check").fetchone()
    if status != "ok":
        result.failures.append(f"{vault.directory / 'case.db'}: integrity check: {status}")
        return
    result.passed.append("database pages authenticate (SQLCipher HMAC) and are consistent")


def _chain(vault: Vault, result: VerifyResult, ledger: _LedgerRead) -> None:
    entries = ledger.entries
    previous_seq, previous_hash = 0, GENESIS
    for entry in entries:
        problem = _entry_problem(entry, previous_seq, previous_hash)
        if problem:
            result.failures.append(f"ledger entry #{entry.seq} ({entry.action} "
                                   f"{entry.object_id}): {problem}")
            return
        previous_seq, previous_hash = entry.seq, entry.entry_hash
    result.passed.append(f"ledger chain holds ({len(entries)} entries)")
    _checkpoints(vault, result, [e.entry_hash for e in entries])


def _entry_problem(entry: LedgerEntry, previous_seq: int, previous_hash: str) -> str | None:
    if entry.seq != previous_seq + 1:
        return f"sequence jumps from #{previous_seq} to #{entry.seq}: entries were removed"
    if entry.prev_hash != previous_hash:
        return "does not follow the entry before it (removed, inserted or reordered entries)"
    if entry.expected_hash() != entry.entry_hash:
        return "its content was altered (hash does not match)"
    return None


def _checkpoints(vault: Vault, result: VerifyResult, hashes: list[str]) -> None:
    checkpoints = vault.ledger.checkpoints()
    if not checkpoints:
        result.failures.append("no signed checkpoint: the ledger was never sealed")
        return
    public_key = vault.public_key()
    for checkpoint in checkpoints:
        name = f"checkpoint over {checkpoint.tree_size} entries ({checkpoint.time})"
        if checkpoint.tree_size > len(hashes):
            result.failures.append(f"{name}: only {len(hashes)} entries exist; "
                                   "entries were removed")
            return
        if merkle_root(hashes[: checkpoint.tree_size]) != checkpoint.root:
            result.failures.append(f"{name}: the entries it covers changed (Merkle root differs)")
            return
        if not checkpoint.verify(public_key):
            result.failures.append(f"{name}: the signature does not verify")
            return
    last = checkpoints[-1].tree_size
    result.passed.append(f"{len(checkpoints)} signed checkpoints match the ledger")
    if last < len(hashes):
        result.notes.append(
            f"{len(hashes) - last} ledger entries after the last checkpoint are not yet signed "
            "(an interrupted run); the next command that writes will sign them"
        )


class _LedgerRead:
    """The ledger as read once for all the checks of one run (read lazily: a damaged page then
    fails the check that met it, not the whole run)."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    @cached_property
    def entries(self) -> list[LedgerEntry]:
        return list(self._vault.ledger.entries())

    @cached_property
    def by_object(self) -> dict[str, LedgerEntry]:
        return {entry.object_id: entry for entry in self.entries}


def _records(vault: Vault, result: VerifyResult, ledger: _LedgerRead) -> None:
    by_object = ledger.by_object
    present: set[str] = set()
    counts = []
    for table, action in RECORD_ACTIONS.items():
        table_rows = rows(vault.conn, table)
        counts.append(f"{len(table_rows)} {table}")
        for row in table_rows:
            object_id = str(row["id"])
            present.add(object_id)
            entry = by_object.get(object_id)
            label = f"{table[:-1]} {object_id}"
            if entry is None or entry.action != action:
                result.failures.append(f"{label}: no ledger entry records it (added outside Haven)")
                return
            if entry.object_sha256 != record_digest(table, row):
                result.failures.append(
                    f"{label}: differs from what ledger entry #{entry.seq} recorded (altered)"
                )
                return
    for entry in by_object.values():
        if entry.action in RECORD_ACTIONS.values() and entry.object_id not in present:
            result.failures.append(
                f"ledger entry #{entry.seq} records {entry.object_id}, which is no longer in "
                "the vault (removed)"
            )
            return
    result.passed.append("every record matches its ledger entry (" + ", ".join(counts) + ")")


def _blobs(vault: Vault, result: VerifyResult, ledger: _LedgerRead) -> None:
    by_object = ledger.by_object
    recorded = {str(row["sha256"]): int(row["size"]) for row in rows(vault.conn, "blobs")}
    for sha256 in recorded:
        entry = by_object.get(sha256)
        file_name = vault.blobs.path(sha256).name
        if entry is None or entry.action != BLOB_ACTION:
            result.failures.append(f"blob {file_name}: no ledger entry records it")
            return
        try:
            vault.blobs.check(sha256)
        except BlobError as exc:
            result.failures.append(f"{exc} (ledger entry #{entry.seq})")
            return
    for entry in by_object.values():
        if entry.action == BLOB_ACTION and entry.object_id not in recorded:
            result.failures.append(f"ledger entry #{entry.seq} records a blob that is no longer "
                                   "in the vault (removed)")
            return
    known = {vault.blobs.path(sha256) for sha256 in recorded}
    strays = 0
    for path in vault.blobs.files():
        if path in known:
            continue
        strays += 1
        try:
            vault.blobs.check_file(path)
        except BlobError as exc:
            result.failures.append(str(exc))
            return
    result.passed.append(f"{len(recorded)} blobs decrypt and match their SHA-256")
    if strays:
        result.notes.append(f"{strays} blob files were stored by an interrupted run but never "
                            "recorded; they are intact and unused")


def _timestamps(vault: Vault, result: VerifyResult, ledger: _LedgerRead) -> None:
    checkpoints = {c.tree_size: c for c in vault.ledger.checkpoints()}
    stamps = stored_timestamps(vault)
    for stamp in stamps:
        checkpoint = checkpoints.get(stamp.tree_size)
        where = f"timestamp from {stamp.tsa} for the checkpoint over {stamp.tree_size} entries"
        if checkpoint is None:
            result.failures.append(f"{where}: that checkpoint is gone")
            return
        try:
            check_token(stamp.token, checkpoint_statement(checkpoint))
        except TimestampError as exc:
            result.failures.append(f"{where}: {exc}")
            return
    if stamps:
        latest = stamps[-1]
        result.passed.append(f"{len(stamps)} RFC 3161 timestamps verify; the latest says the "
                             f"first {latest.tree_size} entries existed at {latest.gen_time}")
    elif checkpoints:
        result.notes.append("no trusted timestamp yet: run haven timestamp VAULT --tsa URL "
                            "when online")
