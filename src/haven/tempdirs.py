"""Private temporary folders for plaintext that must briefly exist outside the vault.

Decrypted media for matching and the contents of unpacked archives never go inside the vault
directory (it holds only ciphertext). They go to a folder only the user can read, removed when
the work ends, in RAM (/dev/shm) when asked and available.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_dir(prefix: str, in_memory: bool = False) -> Iterator[Path]:
    shm = Path("/dev/shm")
    base = str(shm) if in_memory and shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix=prefix, dir=base) as tmp:
        os.chmod(tmp, 0o700)
        yield Path(tmp)
