"""``sheetops serve``: the staff console in a browser, on this machine or an office server."""

from __future__ import annotations

import ipaddress
import secrets
import threading
import webbrowser
from pathlib import Path

import click

from sheetops.cli import language
from sheetops.cli.common import reports_errors
from sheetops.core.i18n import text


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1 opens the console to the "
              "network: use HTTPS there.")
@click.option("--port", default=8300, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@click.option("--certfile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TLS certificate (PEM), for HTTPS.")
@click.option("--keyfile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TLS private key (PEM), for HTTPS.")
@reports_errors(lambda **kw: language.current())
def serve(workspace: Path, host: str, port: int, no_browser: bool, certfile: Path | None,
          keyfile: Path | None) -> None:
    """Run the staff console for WORKSPACE (a round folder, or a folder of rounds).

    On 127.0.0.1 it prints a one-time sign-in link for the person at this machine and opens
    it in the browser; colleagues elsewhere sign in with accounts (sheetops user add).
    """
    import uvicorn

    from sheetops.app.accounts import list_users
    from sheetops.web.app import create_app

    lang = language.current()
    if (certfile is None) != (keyfile is None):
        raise click.UsageError(text(lang, "serve.tls-pair"))
    tls = certfile is not None
    local = is_loopback(host)
    one_time = secrets.token_urlsafe(24) if local else None
    app = create_app(workspace, tls=tls, one_time=one_time, warm=True)
    scheme = "https" if tls else "http"
    shown = f"[{host}]" if ":" in host else host
    url = f"{scheme}://{shown}:{port}"
    click.echo(text(lang, "serve.started", url=url))
    if not local and not tls:
        click.echo(text(lang, "serve.insecure", host=host), err=True)
    if not list_users(workspace):
        click.echo(text(lang, "serve.no-accounts", path=workspace))
    if one_time is not None:
        link = f"{url}/login/once/{one_time}"
        click.echo(text(lang, "serve.once"))
        click.echo("  " + link)
        if not no_browser:
            threading.Timer(1.0, webbrowser.open, args=(link,)).start()
    click.echo(text(lang, "serve.stop"))
    uvicorn.run(app, host=host, port=port, ssl_certfile=str(certfile) if certfile else None,
                ssl_keyfile=str(keyfile) if keyfile else None, log_level="warning",
                access_log=False, server_header=False, proxy_headers=False)
