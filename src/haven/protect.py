"""`haven protect`: turn the private photos and videos into fingerprints kept in the vault.

Only hashes leave the original: SHA-256 and MD5 for exact copies, PDQ/vPDQ in the formats
StopNCII and Meta's tools read, and Haven's private matching material (variant hashes and ORB
keypoints), all inside the encrypted database. The original file is stored (encrypted) only if
the user asks for it with `--keep-original`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from haven.media.match import MatchConfig, ProtectedMedia, fingerprint
from haven.model import stable_id
from haven.scan import case_match_config
from haven.vault import Vault
from haven.vault.blobs import CHUNK


@dataclass(frozen=True)
class Protected:
    id: str
    name: str
    kind: str
    sha256: str
    new: bool
    kept_original: bool
    frames: int


def _digests(path: Path) -> tuple[str, str]:
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha256.update(chunk)
            md5.update(chunk)
    return sha256.hexdigest(), md5.hexdigest()


def protect_file(vault: Vault, path: Path, keep_original: bool = False,
                 config: MatchConfig | None = None) -> Protected:
    """Fingerprint one file into the vault. Raises MediaError naming it if it cannot be read."""
    sha256, md5 = _digests(path)
    protected_id = stable_id("pm_", sha256)
    print_ = fingerprint(path, config or case_match_config(vault), source=protected_id)
    original = vault.add_blob_file(path)[0] if keep_original else None
    new = vault.add_record("protected_media", {
        "id": protected_id, "name": path.name, "kind": print_.kind, "sha256": sha256,
        "md5": md5, "fingerprint": json.dumps(print_.to_json(), sort_keys=True),
        "original_sha256": original,
    })
    vault.checkpoint()
    return Protected(protected_id, path.name, print_.kind, sha256, new, original is not None,
                     len(print_.frame_times))


def stored_fingerprint(vault: Vault, protected_id: str) -> ProtectedMedia:
    row = vault.conn.execute("SELECT fingerprint FROM protected_media WHERE id = ?",
                             (protected_id,)).fetchone()
    return ProtectedMedia.from_json(json.loads(row[0]))
