"""Shared fixtures: real vaults on disk (SQLCipher + encrypted blobs), with a cheap KDF."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from haven.vault import KdfParams, Vault

PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)
COLUMNS = ["platform", "url", "author", "time", "text", "parent_url"]
PHRASES = [
    "Bunları tapıb cəzalandırmaq lazımdır",
    "Онлары тапана мүкафат верәҹәјәм",
    "Их надо найти, адрес все знают",
    "Bu videoyu herkes görsün",
    "Stay safe, we are with you",
]


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "case"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    with Vault.create(vault_dir, PASSPHRASE, FAST_KDF) as opened:
        yield opened


@pytest.fixture
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HAVEN_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE


def comment_rows(count: int) -> list[dict[str, str]]:
    """`count` distinct multilingual comments under a few posts."""
    rows = []
    for index in range(count):
        post = index // 100
        rows.append({
            "platform": ("facebook", "instagram", "telegram")[post % 3],
            "url": f"https://example.org/p/{post}/c/{index}",
            "author": f"user{index % 997}",
            "time": f"2026-10-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:00+04:00",
            "text": f"{PHRASES[index % len(PHRASES)]} #{index}",
            "parent_url": f"https://example.org/p/{post}",
        })
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def all_vault_bytes(directory: Path) -> bytes:
    """Every byte of every file under the vault directory, for searching plaintext."""
    chunks = []
    for root, _dirs, files in os.walk(directory):
        for name in files:
            chunks.append(name.encode())
            chunks.append((Path(root) / name).read_bytes())
    return b"\n".join(chunks)
