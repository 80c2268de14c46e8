"""The evidence ledger: an append-only, hash-chained log of every capture and decision.

Each entry names an action, the object it concerns and the SHA-256 of that object's bytes (or of
its canonical record), and carries the hash of the entry before it, so removing, changing or
reordering any entry breaks the chain. Periodic checkpoints sign the root of a Merkle tree over
the entry hashes (RFC 6962 style) with the case's Ed25519 key: anyone holding the public key and
the entries can check them without the passphrase.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from haven.model import canonical_json

GENESIS = "0" * 64


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def current_actor() -> str:
    """Who is acting: `HAVEN_ACTOR` if set (a caseworker's name), else the OS user."""
    actor = os.environ.get("HAVEN_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the chain. `entry_hash` covers every other field."""

    seq: int
    time: str
    actor: str
    action: str
    object_id: str
    object_sha256: str
    prev_hash: str
    entry_hash: str

    @staticmethod
    def compute_hash(
        seq: int, time: str, actor: str, action: str, object_id: str, object_sha256: str,
        prev_hash: str,
    ) -> str:
        body = canonical_json([seq, time, actor, action, object_id, object_sha256, prev_hash])
        return hashlib.sha256(body).hexdigest()

    def expected_hash(self) -> str:
        return self.compute_hash(
            self.seq, self.time, self.actor, self.action, self.object_id, self.object_sha256,
            self.prev_hash,
        )


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: the first `tree_size` entries have this Merkle root."""

    tree_size: int
    root: str
    time: str
    signature: str

    @staticmethod
    def message(tree_size: int, root: str, time: str) -> bytes:
        return f"haven checkpoint v1\n{tree_size}\n{root}\n{time}\n".encode()

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(
                bytes.fromhex(self.signature), self.message(self.tree_size, self.root, self.time)
            )
        except (InvalidSignature, ValueError):
            return False
        return True


def _leaf(entry_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash)).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(entry_hashes: Sequence[str]) -> str:
    """RFC 6962 Merkle tree hash over the entry hashes (the empty tree hashes the empty string)."""
    if not entry_hashes:
        return hashlib.sha256(b"").hexdigest()
    level = [_leaf(h) for h in entry_hashes]
    while len(level) > 1:
        paired = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()


class MerkleTree:
    """RFC 6962 tree over entry hashes, with inclusion proofs so a bundle can carry a slice.

    Subtree hashes are memoised, so proofs for many leaves of one tree cost O(n) in all.
    """

    def __init__(self, entry_hashes: Sequence[str]) -> None:
        self._leaves = [_leaf(h) for h in entry_hashes]
        self._memo: dict[tuple[int, int], bytes] = {}

    def _hash(self, start: int, end: int) -> bytes:
        if end - start == 1:
            return self._leaves[start]
        key = (start, end)
        if key not in self._memo:
            split = start + _largest_power_of_two_below(end - start)
            self._memo[key] = _node(self._hash(start, split), self._hash(split, end))
        return self._memo[key]

    def root(self) -> str:
        if not self._leaves:
            return hashlib.sha256(b"").hexdigest()
        return self._hash(0, len(self._leaves)).hex()

    def inclusion_proof(self, index: int) -> list[str]:
        """The audit path of leaf `index` (0-based), RFC 6962 section 2.1.1."""
        path: list[str] = []
        start, end = 0, len(self._leaves)
        while end - start > 1:
            split = start + _largest_power_of_two_below(end - start)
            if index < split:
                path.append(self._hash(split, end).hex())
                end = split
            else:
                path.append(self._hash(start, split).hex())
                start = split
        return path[::-1]


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def verify_inclusion(entry_hash: str, index: int, tree_size: int, proof: Sequence[str],
                     root: str) -> bool:
    """Check an audit path (RFC 9162 section 2.1.3.2): the entry is leaf `index` of the tree."""
    if index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    value = _leaf(entry_hash)
    for sibling_hex in proof:
        sibling = bytes.fromhex(sibling_hex)
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            value = _node(sibling, value)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            value = _node(value, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and value.hex() == root


class Ledger:
    """Appends to and reads the `ledger` and `checkpoints` tables of one vault connection.

    The caller owns the transaction: an entry is written in the same transaction as the record
    it describes, so a killed run leaves both or neither.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._actor = current_actor()
        self._head: tuple[int, str] | None = None

    def head(self) -> tuple[int, str]:
        """The last sequence number and entry hash (0 and the genesis hash when empty)."""
        if self._head is None:
            row = self._conn.execute(
                "SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            self._head = (int(row[0]), str(row[1])) if row else (0, GENESIS)
        return self._head

    def forget_head(self) -> None:
        """Call after a rollback: the head cached in memory may no longer be in the table."""
        self._head = None

    def append(self, action: str, object_id: str, object_sha256: str) -> LedgerEntry:
        seq, prev = self.head()
        seq += 1
        time = utc_now()
        entry_hash = LedgerEntry.compute_hash(
            seq, time, self._actor, action, object_id, object_sha256, prev
        )
        entry = LedgerEntry(seq, time, self._actor, action, object_id, object_sha256, prev,
                            entry_hash)
        self._conn.execute(
            "INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, time, self._actor, action, object_id, object_sha256, prev, entry_hash),
        )
        self._head = (seq, entry_hash)
        return entry

    def entries(self) -> Iterator[LedgerEntry]:
        for row in self._conn.execute("SELECT * FROM ledger ORDER BY seq"):
            yield LedgerEntry(*row)

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._conn.execute("SELECT * FROM checkpoints ORDER BY tree_size").fetchall()
        return [Checkpoint(*row) for row in rows]

    def checkpoint(self, key: Ed25519PrivateKey) -> Checkpoint | None:
        """Sign the current tree if it grew since the last checkpoint."""
        size, _ = self.head()
        last = self._conn.execute("SELECT max(tree_size) FROM checkpoints").fetchone()[0]
        if size == 0 or (last is not None and last >= size):
            return None
        hashes = [r[0] for r in self._conn.execute("SELECT entry_hash FROM ledger ORDER BY seq")]
        root = merkle_root(hashes)
        time = utc_now()
        signature = key.sign(Checkpoint.message(size, root, time)).hex()
        self._conn.execute("INSERT INTO checkpoints VALUES (?, ?, ?, ?)",
                           (size, root, time, signature))
        return Checkpoint(size, root, time, signature)
