"""Keys of a case vault: derived from the passphrase with Argon2id, never stored.

The vault header (`vault.json`) holds only what is needed to derive the keys again: the KDF
parameters, a random salt, and a key-check value that tells a wrong passphrase apart from a
damaged database without revealing anything about the passphrase or the case.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
from dataclasses import asdict, dataclass
from hashlib import sha256
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HEADER_NAME = "vault.json"
FORMAT = "haven-vault"
FORMAT_VERSION = 1


class VaultError(Exception):
    """A vault cannot be opened or used; the message names the file and the reason."""


class WrongPassphrase(VaultError):
    """The passphrase does not open this vault. Nothing was changed."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults follow RFC 9106's second recommended option (64 MiB)."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 2


@dataclass(frozen=True)
class VaultKeys:
    """Independent keys for each use, so that one leaking does not expose the others."""

    database: bytes
    blob_encryption: bytes
    blob_names: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _derive_master(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        passphrase.encode(),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _subkey(master: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        master
    )


def _key_check(master: bytes) -> bytes:
    return hmac.new(master, b"haven key check v1", sha256).digest()


def _split(master: bytes) -> VaultKeys:
    return VaultKeys(
        database=_subkey(master, "haven sqlcipher v1"),
        blob_encryption=_subkey(master, "haven blob encryption v1"),
        blob_names=_subkey(master, "haven blob names v1"),
    )


def create_header(directory: Path, passphrase: str, params: KdfParams) -> VaultKeys:
    """Write a new `vault.json` and return the keys it describes."""
    if not passphrase:
        raise VaultError("an empty passphrase would leave the vault open to anyone")
    salt = os.urandom(16)
    master = _derive_master(passphrase, salt, params)
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kdf": {"name": "argon2id", "salt": _b64(salt), **asdict(params)},
        "key_check": _b64(_key_check(master)),
    }
    path = directory / HEADER_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(header, indent=2) + "\n")
    os.replace(tmp, path)
    return _split(master)


def is_vault(directory: Path) -> bool:
    return (directory / HEADER_NAME).is_file()


def unlock(directory: Path, passphrase: str) -> VaultKeys:
    """Derive the keys from `vault.json`; raise `WrongPassphrase` if they do not fit."""
    path = directory / HEADER_NAME
    try:
        header = json.loads(path.read_text())
        if header.get("format") != FORMAT:
            raise VaultError(f"{path}: not a Haven vault header")
        if header.get("version") != FORMAT_VERSION:
            raise VaultError(f"{path}: vault format {header.get('version')} is not supported")
        kdf = header["kdf"]
        params = KdfParams(
            time_cost=int(kdf["time_cost"]),
            memory_cost_kib=int(kdf["memory_cost_kib"]),
            parallelism=int(kdf["parallelism"]),
        )
        salt = base64.b64decode(kdf["salt"], validate=True)
        expected = base64.b64decode(header["key_check"], validate=True)
    except FileNotFoundError:
        raise VaultError(f"{directory}: not a Haven vault (no {HEADER_NAME})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise VaultError(f"{path}: damaged vault header ({exc})") from None
    master = _derive_master(passphrase, salt, params)
    if not hmac.compare_digest(_key_check(master), expected):
        raise WrongPassphrase(
            f"{directory}: wrong passphrase (or {HEADER_NAME} was altered); nothing was changed"
        )
    return _split(master)
