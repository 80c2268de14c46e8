"""Hash lists of the protected media, in the formats hash-sharing tools already read.

- `threatexchange`: one `SIGNAL_TYPE VALUE` line per signal, as python-threatexchange's CLI
  prints them (`pdq` 64 hex characters; `vpdq` its JSON list of `hex,quality,timestamp`;
  `video_md5`), ready for `threatexchange match` or a StopNCII-style submission.
- `hma`: JSON lines `{"signal_type", "signal", "metadata"}`, one per signal, to POST to Meta's
  Hasher-Matcher-Actioner bank API (`/c/bank/NAME/signal`).
- `csv`: everything, including per-frame vPDQ hashes with qualities and timestamps.
Only hashes: no pixels, no file contents. Making a list is logged in the ledger.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from haven.ledger import utc_now
from haven.model import sha256_hex
from haven.scan import protected_media
from haven.vault import Vault, VaultError

FORMATS = ("threatexchange", "hma", "csv")
CSV_COLUMNS = ["protected_id", "name", "kind", "signal_type", "signal", "quality", "timestamp"]


def signals(vault: Vault) -> Iterator[dict[str, str | int | float | None]]:
    """Every shareable signal of every protected file, photos' and videos' alike."""
    rows = {str(r[0]): (str(r[1]), str(r[2])) for r in vault.conn.execute(
        "SELECT id, md5, sha256 FROM protected_media")}
    for protected_id, name, fingerprint in protected_media(vault):
        md5, _ = rows[protected_id]
        base = {"protected_id": protected_id, "name": name, "kind": fingerprint.kind}
        if fingerprint.kind == "video":
            features = [f.to_compact_str() for f in fingerprint.vpdq]
            yield {**base, "signal_type": "vpdq", "signal": json.dumps(features),
                   "quality": None, "timestamp": None}
            for feature in fingerprint.vpdq:
                yield {**base, "signal_type": "vpdq_frame", "signal": feature.pdq_hex,
                       "quality": feature.quality, "timestamp": feature.timestamp}
            yield {**base, "signal_type": "video_md5", "signal": md5, "quality": None,
                   "timestamp": None}
        elif fingerprint.pdq is not None:
            yield {**base, "signal_type": "pdq", "signal": fingerprint.pdq.hex,
                   "quality": fingerprint.pdq.quality, "timestamp": None}
            yield {**base, "signal_type": "photo_md5", "signal": md5, "quality": None,
                   "timestamp": None}


def render(vault: Vault, file_format: str) -> str:
    if file_format not in FORMATS:
        raise VaultError(f"hash list format must be one of {', '.join(FORMATS)}")
    rows = list(signals(vault))
    if not rows:
        raise VaultError("no protected media: add some with haven protect VAULT FILE")
    if file_format == "threatexchange":
        return "".join(f"{r['signal_type']} {r['signal']}\n" for r in rows
                       if r["signal_type"] in ("pdq", "vpdq", "video_md5"))
    if file_format == "hma":
        return "".join(json.dumps({
            "signal_type": r["signal_type"], "signal": r["signal"],
            "metadata": {"content_id": r["protected_id"], "kind": r["kind"]},
        }) + "\n" for r in rows if r["signal_type"] in ("pdq", "vpdq", "video_md5"))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_hash_list(vault: Vault, out: Path, file_format: str) -> Path:
    text = render(vault, file_format)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    with vault.transaction():
        vault.ledger.append(f"make report hashes {file_format}", f"report_{utc_now()}",
                            sha256_hex(text.encode()))
    vault.checkpoint()
    return out
