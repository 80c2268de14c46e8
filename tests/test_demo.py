"""`haven demo` runs every stage on a synthetic case and leaves what it promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from haven.verify_bundle import verify_bundle


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HAVEN_PASSPHRASE"}
    result = subprocess.run([sys.executable, "-m", "haven", "demo", "--dir", str(tmp_path / "d")],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    root = tmp_path / "d"
    for line in ("items carry a copy of the protected video", "Evidence bundle:", "Notices:",
                 "Evidence report:"):
        assert line in result.stdout
    assert verify_bundle(root / "reports" / "bundle").ok
    notices = list((root / "reports" / "notices").glob("*.json"))
    assert notices and all(json.loads(n.read_text())["items"] for n in notices)
    assert (root / "reports" / "evidence-en.pdf").read_bytes().startswith(b"%PDF")
    status = subprocess.run([sys.executable, "-m", "haven", "status", str(root / "vault"),
                             "--json"], capture_output=True, text=True,
                            env={**env, "HAVEN_PASSPHRASE": "haven-demo"}, timeout=120)
    state = json.loads(status.stdout)
    assert state["items"] >= 40 and set(state["by_platform"]) >= {"facebook", "instagram"}
