"""The local web UI of a case: `create_app(vault_dir, port=...)`, served by `haven serve`.

Served on 127.0.0.1 only, with every asset from this package (see `app.py` for what it must
never do).
"""

from haven.web.app import create_app

__all__ = ["create_app"]
