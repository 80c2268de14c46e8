"""`haven serve VAULT [--port N]`: the web UI of one case on this computer only.

The passphrase is not asked here: the case is unlocked in the browser, and locks itself after
inactivity. The server binds 127.0.0.1, never another address, and keeps no access log (query
strings can hold the words a person searched for).
"""

from __future__ import annotations

from pathlib import Path

import click

from haven.vault.keys import is_vault

HOST = "127.0.0.1"


@click.command("serve")
@click.argument("vault", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1.")
@click.option("--idle-minutes", type=click.FloatRange(min=0.1), default=10.0,
              show_default=True, help="Lock the case after this many minutes without use.")
def serve_command(vault: Path, port: int, idle_minutes: float) -> None:
    """Open the web UI of VAULT at http://127.0.0.1:PORT (this computer only)."""
    import uvicorn

    from haven.web.app import create_app

    if not is_vault(vault):
        raise click.ClickException(f"{vault}: not a Haven case (no vault.json)")
    app = create_app(vault, port=port, idle_timeout=idle_minutes * 60)
    click.echo(f"Haven is at http://{HOST}:{port}/ (this computer only). Ctrl+C to stop.")
    uvicorn.run(app, host=HOST, port=port, access_log=False, log_level="warning",
                server_header=False, date_header=False, proxy_headers=False)


if __name__ == "__main__":  # pragma: no cover
    serve_command()
