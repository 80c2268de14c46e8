"""Private temporary folders for plaintext that must briefly exist outside the vault.

Decrypted media for matching and the contents of unpacked archives never go inside the vault
directory (it holds only ciphertext). They go to a folder only the user can read, removed when
the work ends, in RAM (/dev/shm) when asked and available. A folder left behind by a run that
was killed (named after its process id) is removed the next time one is made.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(base: Path, prefix: str) -> int:
    """Remove `prefix<pid>-*` folders under `base` whose process is gone; return how many."""
    removed = 0
    for leftover in base.glob(f"{prefix}*-*"):
        pid_text = leftover.name[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)) or not leftover.is_dir():
            continue
        if leftover.stat().st_uid != os.getuid():
            continue
        shutil.rmtree(leftover, ignore_errors=True)
        removed += 1
    return removed


@contextmanager
def private_dir(prefix: str, in_memory: bool = False) -> Iterator[Path]:
    shm = Path("/dev/shm")
    use_shm = in_memory and shm.is_dir() and os.access(shm, os.W_OK)
    base = shm if use_shm else Path(tempfile.gettempdir())
    sweep_stale(base, prefix)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=base) as tmp:
        os.chmod(tmp, 0o700)
        yield Path(tmp)
