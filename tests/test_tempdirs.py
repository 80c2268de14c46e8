"""Private temp folders: removed after use, and swept up after a killed run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from haven.tempdirs import private_dir, sweep_stale


def test_private_dir_is_private_and_removed() -> None:
    with private_dir("haven-test-") as tmp:
        assert oct(tmp.stat().st_mode & 0o777) == "0o700"
        (tmp / "plain.txt").write_text("secret")
    assert not tmp.exists()


def test_leftovers_of_dead_processes_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f"haven-unpack-{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "member.json").write_text("plaintext")
    mine = tmp_path / f"haven-unpack-{os.getpid()}-def"
    mine.mkdir()
    assert sweep_stale(tmp_path, "haven-unpack-") == 1
    assert not stale.exists() and mine.exists()
    assert Path(tempfile.gettempdir()).is_dir()
