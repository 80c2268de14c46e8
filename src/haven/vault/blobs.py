"""The content-addressed blob store: the exact bytes of every source and media file, encrypted.

A blob is addressed by the SHA-256 of its plaintext, but its file name is a keyed HMAC of that
digest, so the directory listing reveals no hash that could be looked up elsewhere. Each file is
AES-256-GCM in 1 MiB chunks; every chunk is bound to the blob's name, its position and whether it
is the last one, so swapping, truncating or reordering chunks (or whole files) fails to decrypt.
Writes go to a temporary file and are renamed into place: a killed run leaves no half blob.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from haven.vault.keys import VaultError

MAGIC = b"HVB1"
CHUNK = 1 << 20
_TAG = 16
_HEADER = struct.Struct(">4s8sI")


class BlobError(VaultError):
    """A blob is missing or fails its authentication: it was altered or damaged."""


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks so large videos do not fill memory."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class BlobStore:
    """Encrypted blobs under `root`, named by a keyed hash of their SHA-256."""

    def __init__(self, root: Path, encryption_key: bytes, name_key: bytes) -> None:
        self.root = root
        self._aead = AESGCM(encryption_key)
        self._name_key = name_key
        self._tmp = root / "tmp"

    def prepare(self) -> None:
        """Create the directories and drop temporary files left by a killed run."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        for leftover in self._tmp.iterdir():
            leftover.unlink(missing_ok=True)

    def name(self, sha256: str) -> str:
        return hmac.new(self._name_key, bytes.fromhex(sha256), hashlib.sha256).hexdigest()

    def path(self, sha256: str) -> Path:
        name = self.name(sha256)
        return self.root / name[:2] / name

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_file(self, source: Path, sha256: str) -> Path:
        """Encrypt `source` (whose SHA-256 the caller has computed) into the store."""
        with source.open("rb") as handle:
            return self._put(handle, sha256)

    def put_bytes(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        self._put(io.BytesIO(data), sha256)
        return sha256

    def _put(self, handle: BinaryIO, sha256: str) -> Path:
        target = self.path(sha256)
        name = self.name(sha256).encode()
        prefix = os.urandom(8)
        check = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_HEADER.pack(MAGIC, prefix, CHUNK))
                index = 0
                chunk = handle.read(CHUNK)
                while True:
                    following = handle.read(CHUNK) if chunk else b""
                    last = not following
                    check.update(chunk)
                    out.write(self._seal(prefix, name, index, last, chunk))
                    if last:
                        break
                    chunk, index = following, index + 1
                out.flush()
                os.fsync(out.fileno())
            if check.hexdigest() != sha256:
                raise BlobError(f"the bytes changed while being stored (expected {sha256[:12]}…)")
            target.parent.mkdir(exist_ok=True)
            os.replace(tmp_name, target)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
        return target

    def _seal(self, prefix: bytes, name: bytes, index: int, last: bool, data: bytes) -> bytes:
        nonce = prefix + struct.pack(">I", index)
        return self._aead.encrypt(nonce, data, name + struct.pack(">I?", index, last))

    def read_chunks(self, sha256: str) -> Iterator[bytes]:
        """Yield the plaintext, raising `BlobError` if any chunk fails authentication."""
        path = self.path(sha256)
        name = self.name(sha256).encode()
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise BlobError(f"blob {path.name} is missing") from None
        with handle:
            yield from self._open_chunks(handle, name, path)

    def _open_chunks(self, handle: BinaryIO, name: bytes, path: Path) -> Iterator[bytes]:
        header = handle.read(_HEADER.size)
        if len(header) != _HEADER.size:
            raise BlobError(f"blob {path.name} is truncated")
        magic, prefix, chunk_size = _HEADER.unpack(header)
        if magic != MAGIC:
            raise BlobError(f"blob {path.name} has a damaged header")
        index = 0
        sealed = handle.read(chunk_size + _TAG)
        while True:
            following = handle.read(chunk_size + _TAG)
            last = not following
            nonce = prefix + struct.pack(">I", index)
            try:
                yield self._aead.decrypt(nonce, sealed, name + struct.pack(">I?", index, last))
            except InvalidTag:
                raise BlobError(
                    f"blob {path.name} fails authentication at chunk {index}: altered or damaged"
                ) from None
            if last:
                return
            sealed, index = following, index + 1

    def read(self, sha256: str) -> bytes:
        return b"".join(self.read_chunks(sha256))

    def check(self, sha256: str) -> None:
        """Decrypt the whole blob and confirm its plaintext has the SHA-256 it is named by."""
        digest = hashlib.sha256()
        for chunk in self.read_chunks(sha256):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise BlobError(f"blob {self.path(sha256).name} does not hold the bytes it names")

    def files(self) -> Iterator[Path]:
        """Every blob file on disk (including ones a killed run stored but never recorded)."""
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and sub.name != "tmp":
                yield from sorted(sub.iterdir())

    def check_file(self, path: Path) -> None:
        """Authenticate a blob file found on disk, knowing only its name."""
        with path.open("rb") as handle:
            for _ in self._open_chunks(handle, path.name.encode(), path):
                pass
