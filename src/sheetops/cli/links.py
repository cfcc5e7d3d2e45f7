"""``sheetops links``: the recipients' personal upload links."""

from __future__ import annotations

from pathlib import Path

import click

from sheetops.app.links import DEFAULT_BASE_URL, PortalLink, change_link, list_links
from sheetops.cli.common import ROUND_DIR, echo_json, reports_errors, round_language
from sheetops.core.i18n import text
from sheetops.model.workspace import open_round


def echo_link(link: PortalLink, lang: str) -> None:
    """One recipient's link, a line."""
    click.echo(text(lang, "links.line", code=link.recipient, name=link.name,
                    state=text(lang, f"links.state.{link.state}"), url=link.url))


@click.command()
@ROUND_DIR
@click.option("--base-url", metavar="URL",
              help="Where recipients reach the console (default: [portal] base_url).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@click.option("--revoke", metavar="CODE", help="Revoke this recipient's link.")
@click.option("--renew", metavar="CODE", help="Give this recipient a new link (the old one "
              "stops working).")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def links(round_dir: Path, base_url: str | None, as_json: bool, revoke: str | None,
          renew: str | None) -> None:
    """List every recipient's personal upload link, or revoke or renew one."""
    opened = open_round(round_dir)
    lang = opened.lang
    if revoke and renew:
        raise click.UsageError(text(lang, "links.revoke-or-renew"))
    if revoke or renew:
        changed = change_link(opened, str(revoke or renew), renew=bool(renew),
                              base_url=base_url)
        if as_json:
            echo_json(changed.to_json())
        else:
            click.echo(text(lang, "links.renewed" if renew else "links.revoked",
                            code=changed.recipient, name=changed.name))
            echo_link(changed, lang)
        return
    found = list_links(opened, base_url=base_url)
    if as_json:
        echo_json([link.to_json() for link in found])
        return
    for link in found:
        echo_link(link, lang)
    if found:
        click.echo(text(lang, "links.expires", date=found[0].expires.isoformat()))
    if not (base_url or opened.config.portal.base_url):
        click.echo(text(lang, "links.no-base-url", url=DEFAULT_BASE_URL), err=True)
