"""Rewrite src/haven/text/examples/embeddings.npz after the example files change.

Run: .venv/bin/python scripts/refresh-embeddings.py  (about a minute for 3,000 examples)
"""

from haven.text.embeddings import main

if __name__ == "__main__":
    raise SystemExit(main())
