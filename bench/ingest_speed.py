"""How fast the foundation ingests and verifies: 10,000 (or --rows) multilingual comments.

Measures a first ingest, a repeated ingest (which must add nothing) and a full verify, on a real
vault with the production KDF, and writes bench/results/ingest_speed.json.

    .venv/bin/python bench/ingest_speed.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from haven.ingest import ingest
from haven.vault import Vault
from haven.verify import verify_vault

PHRASES = ["Bunları tapıb cəzalandırmaq lazımdır", "Онлары тапана мүкафат верәҹәјәм",
           "Их надо найти, адрес все знают", "Bu videoyu herkes görsün", "Stay safe"]


def write_comments(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["platform", "url", "author", "time", "text", "parent_url"])
        for i in range(rows):
            post = f"https://example.org/p/{i // 100}"
            writer.writerow(["facebook", f"{post}/c/{i}", f"user{i % 997}",
                             f"2026-10-{1 + i % 28:02d}T10:00:00Z", f"{PHRASES[i % 5]} #{i}",
                             post])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results"
                        / "ingest_speed.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "comments.csv"
        write_comments(source, args.rows)
        passphrase = "bench passphrase"
        started = time.perf_counter()
        vault = Vault.create(Path(tmp) / "case", passphrase)
        create_s = time.perf_counter() - started
        with vault:
            started = time.perf_counter()
            first = ingest(vault, [source])
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            again = ingest(vault, [source])
            again_s = time.perf_counter() - started
        started = time.perf_counter()
        verified = verify_vault(Path(tmp) / "case", passphrase)
        verify_s = time.perf_counter() - started
    result = {
        "rows": args.rows,
        "machine": {"python": sys.version.split()[0], "processor": platform.machine()},
        "create_vault_s": round(create_s, 3),
        "first_ingest_s": round(first_s, 3),
        "first_ingest_items_per_s": round(first.new_items / first_s),
        "repeat_ingest_s": round(again_s, 3),
        "repeat_ingest_new_items": again.new_items,
        "verify_s": round(verify_s, 3),
        "verify_ok": verified.ok,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for key, value in result.items():
        print(f"{key:28} {value}")
    return 0 if verified.ok and again.new_items == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
