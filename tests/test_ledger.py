"""The hash-chained ledger, its Merkle tree and signed checkpoints."""

from __future__ import annotations

import hashlib
from itertools import pairwise

from haven.ledger import GENESIS, LedgerEntry, MerkleTree, merkle_root, verify_inclusion
from haven.vault import Vault


def _leaf(h: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest()


def _node(a: bytes, b: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + a + b).digest()


def test_merkle_root_follows_rfc6962_shape() -> None:
    hashes = [hashlib.sha256(bytes([i])).hexdigest() for i in range(3)]
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert merkle_root(hashes[:1]) == _leaf(hashes[0]).hex()
    assert merkle_root(hashes[:2]) == _node(_leaf(hashes[0]), _leaf(hashes[1])).hex()
    # RFC 6962: the left subtree is the largest power of two smaller than n.
    expected = _node(_node(_leaf(hashes[0]), _leaf(hashes[1])), _leaf(hashes[2]))
    assert merkle_root(hashes) == expected.hex()


def test_entries_chain_and_checkpoints_sign(vault: Vault) -> None:
    with vault.transaction():
        vault.ledger.append("decision", "it_1", "a" * 64)
        vault.ledger.append("decision", "it_2", "b" * 64)
    checkpoint = vault.checkpoint()
    entries = list(vault.ledger.entries())
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    for before, after in pairwise(entries):
        assert after.prev_hash == before.entry_hash
    assert all(e.entry_hash == e.expected_hash() for e in entries)
    assert checkpoint is not None and checkpoint.tree_size == 3
    assert checkpoint.root == merkle_root([e.entry_hash for e in entries])
    assert checkpoint.verify(vault.public_key())
    forged = type(checkpoint)(checkpoint.tree_size, "0" * 64, checkpoint.time,
                              checkpoint.signature)
    assert not forged.verify(vault.public_key())
    assert vault.checkpoint() is None  # nothing new to sign


def test_rolled_back_transaction_leaves_no_entry(vault: Vault) -> None:
    before = list(vault.ledger.entries())
    try:
        with vault.transaction():
            vault.ledger.append("decision", "it_x", "c" * 64)
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert list(vault.ledger.entries()) == before
    with vault.transaction():
        entry = vault.ledger.append("decision", "it_y", "d" * 64)
    assert entry.seq == before[-1].seq + 1
    assert entry.prev_hash == before[-1].entry_hash


def test_entry_hash_covers_every_field() -> None:
    base = dict(seq=1, time="t", actor="a", action="x", object_id="o", object_sha256="s",
                prev_hash=GENESIS)
    reference = LedgerEntry.compute_hash(**base)  # type: ignore[arg-type]
    for key in base:
        changed = {**base, key: 2 if key == "seq" else "changed"}
        assert LedgerEntry.compute_hash(**changed) != reference  # type: ignore[arg-type]


def test_inclusion_proofs_verify_for_every_leaf_and_size() -> None:
    for size in range(1, 20):
        hashes = [hashlib.sha256(f"{size}-{i}".encode()).hexdigest() for i in range(size)]
        tree = MerkleTree(hashes)
        root = tree.root()
        assert root == merkle_root(hashes)
        for index in range(size):
            proof = tree.inclusion_proof(index)
            assert verify_inclusion(hashes[index], index, size, proof, root)
            other = (index + 1) % size
            if other != index:
                assert not verify_inclusion(hashes[other], index, size, proof, root)
            assert not verify_inclusion(hashes[index], index, size, proof, "0" * 64)
