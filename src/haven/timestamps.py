"""Trusted timestamps (RFC 3161) over signed checkpoints: proof the ledger existed by a time.

Haven makes no network call on its own. Checkpoints wait, offline, until the user runs
`haven timestamp VAULT --tsa URL`; then the newest checkpoint without a token is sent (its
Merkle root covers every entry before it, so one token a session is enough). The token is
stored as a ledger-logged record and checked by `haven verify`: its message imprint must be
the SHA-256 of the checkpoint statement, and its signature must verify.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass
from hashlib import sha256

import rfc3161ng
from pyasn1.codec.der import encoder as der_encoder

from haven.ledger import Checkpoint
from haven.model import stable_id
from haven.vault import Vault, VaultError

CONTENT_TYPE = "application/timestamp-query"


class TimestampError(VaultError):
    """The TSA could not be reached or its answer does not hold; nothing was stored."""


@dataclass(frozen=True)
class Timestamp:
    tree_size: int
    tsa: str
    token: bytes
    gen_time: str


def checkpoint_statement(checkpoint: Checkpoint) -> bytes:
    """The bytes a token vouches for: exactly what the checkpoint's signature covers."""
    return Checkpoint.message(checkpoint.tree_size, checkpoint.root, checkpoint.time)


def pending(vault: Vault) -> Checkpoint | None:
    """The newest checkpoint, if it covers anything that no token covers yet.

    Storing a token adds a ledger entry and so a checkpoint; that alone needs no new token.
    """
    checkpoints = vault.ledger.checkpoints()
    if not checkpoints:
        return None
    newest = checkpoints[-1]
    stamped = vault.conn.execute("SELECT max(tree_size) FROM timestamps").fetchone()[0] or 0
    uncovered = vault.conn.execute(
        "SELECT count(*) FROM ledger WHERE seq > ? AND seq <= ? AND action != 'record timestamp'",
        (stamped, newest.tree_size)).fetchone()[0]
    return newest if uncovered else None


def request_token(url: str, statement: bytes, timeout: float = 30.0) -> bytes:
    """Send one RFC 3161 request over HTTP(S); return the token (DER) after checking it."""
    nonce = int.from_bytes(sha256(statement + url.encode()).digest()[:8], "big")
    # Pass the digest, not the data: rfc3161ng 2.1 hashes `data` with SHA-1 whatever hashname says.
    request = rfc3161ng.make_timestamp_request(digest=sha256(statement).digest(),
                                               hashname="sha256", nonce=nonce,
                                               include_tsa_certificate=True)
    body = rfc3161ng.encode_timestamp_request(request)
    http = urllib.request.Request(url, data=body, headers={"Content-Type": CONTENT_TYPE})
    try:
        with urllib.request.urlopen(http, timeout=timeout) as answer:  # the URL the user gave
            payload = answer.read()
    except (urllib.error.URLError, OSError) as exc:
        raise TimestampError(f"{url}: the time-stamping authority did not answer ({exc})") \
            from None
    try:
        response = rfc3161ng.decode_timestamp_response(payload)
    except Exception as exc:  # pyasn1 raises many types for bad DER
        raise TimestampError(f"{url}: the answer is not an RFC 3161 response ({exc})") from None
    if int(response["status"]["status"]) not in (0, 1):
        raise TimestampError(f"{url}: the TSA refused the request "
                             f"(status {int(response['status']['status'])})")
    token = bytes(der_encoder.encode(response.time_stamp_token))
    check_token(token, statement, nonce)
    return token


def check_token(token: bytes, statement: bytes, nonce: int | None = None) -> str:
    """Raise `TimestampError` unless `token` is a valid signature over `statement`; return time."""
    try:
        # certificate=b"" makes rfc3161ng use the TSA certificate embedded in the token.
        rfc3161ng.check_timestamp(token, certificate=b"", data=statement, hashname="sha256",
                                  nonce=nonce)
        generated = rfc3161ng.get_timestamp(token, naive=False)
    except Exception as exc:  # the library raises ValueError and pyasn1 errors
        raise TimestampError(f"the timestamp token does not verify ({exc})") from None
    return str(generated.isoformat())


def timestamp_vault(vault: Vault, url: str, timeout: float = 30.0) -> Timestamp | None:
    """Timestamp the newest checkpoint if it has no token; None when there is nothing to do."""
    vault.checkpoint()
    checkpoint = pending(vault)
    if checkpoint is None:
        return None
    statement = checkpoint_statement(checkpoint)
    token = request_token(url, statement, timeout)
    gen_time = check_token(token, statement)
    encoded = base64.b64encode(token).decode()
    vault.add_record("timestamps", {
        "id": stable_id("ts_", checkpoint.tree_size, url, encoded),
        "tree_size": checkpoint.tree_size, "tsa": url, "token": encoded, "gen_time": gen_time,
    })
    vault.checkpoint()
    return Timestamp(checkpoint.tree_size, url, token, gen_time)


def stored_timestamps(vault: Vault) -> list[Timestamp]:
    rows = vault.conn.execute(
        "SELECT tree_size, tsa, token, gen_time FROM timestamps ORDER BY tree_size")
    return [Timestamp(int(n), str(tsa), base64.b64decode(tok), str(t)) for n, tsa, tok, t in rows]
