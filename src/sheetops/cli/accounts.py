"""``sheetops user`` and ``sheetops token``: the console's accounts and API tokens."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sheetops.app import accounts
from sheetops.app.rounds import workspace_zone
from sheetops.cli import language
from sheetops.cli.common import reports_errors
from sheetops.core.i18n import text
from sheetops.core.times import local_time

WORKSPACE = click.argument("workspace", type=click.Path(exists=True, file_okay=False,
                                                        path_type=Path))


def read_password(name: str, from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    lang = language.current()
    first = click.prompt(text(lang, "accounts.password-prompt", name=name), hide_input=True,
                         err=True)
    second = click.prompt(text(lang, "accounts.password-prompt", name=name), hide_input=True,
                          err=True)
    if first != second:
        raise click.UsageError(text(lang, "accounts.password-mismatch"))
    return str(first)


@click.group()
def user() -> None:
    """Add, list and remove console accounts and set their passwords."""


@user.command("add")
@WORKSPACE
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ACCOUNT_ROLES), required=True,
              help="admin: everything; staff: run the round; viewer: read and download.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@reports_errors(lambda **kw: language.current())
def user_add(workspace: Path, name: str, role: str, password_stdin: bool) -> None:
    """Add an account to the console of WORKSPACE."""
    created = accounts.add_user(workspace, name, role, read_password(name, password_stdin))
    click.echo(text(language.current(), "accounts.added", name=created.name,
                    role=text(language.current(), f"web.role.{created.role}")))


@user.command("list")
@WORKSPACE
@reports_errors(lambda **kw: language.current())
def user_list(workspace: Path) -> None:
    """List the console's accounts and their roles."""
    found = accounts.list_users(workspace)
    if not found:
        click.echo(text(language.current(), "accounts.list-empty", path=workspace))
    zone = workspace_zone(workspace)
    for account in found:
        click.echo(text(language.current(), "accounts.list-line", name=account.name,
                        role=text(language.current(), f"web.role.{account.role}"),
                        created=local_time(account.created_at, zone)))


@user.command("remove")
@WORKSPACE
@click.argument("name")
@reports_errors(lambda **kw: language.current())
def user_remove(workspace: Path, name: str) -> None:
    """Remove an account: its sessions end at once and its tokens stop working."""
    accounts.remove_user(workspace, name)
    click.echo(text(language.current(), "accounts.removed", name=name))


@user.command("passwd")
@WORKSPACE
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@reports_errors(lambda **kw: language.current())
def user_passwd(workspace: Path, name: str, password_stdin: bool) -> None:
    """Set an account's password; its sessions end."""
    accounts.change_password(workspace, name, read_password(name, password_stdin))
    click.echo(text(language.current(), "accounts.passwd", name=name))


@click.group()
def token() -> None:
    """Create and revoke API tokens (for scripts and the unit's other systems)."""


@token.command("add")
@WORKSPACE
@click.argument("name")
@reports_errors(lambda **kw: language.current())
def token_add(workspace: Path, name: str) -> None:
    """Create a token for account NAME and print it alone on standard output (only now)."""
    click.echo(accounts.add_token(workspace, name).secret)


@token.command("revoke")
@WORKSPACE
@click.argument("token_id", type=int, metavar="ID")
@reports_errors(lambda **kw: language.current())
def token_revoke(workspace: Path, token_id: int) -> None:
    """Revoke token ID (as ``token list`` shows it)."""
    accounts.revoke_token(workspace, token_id)
    click.echo(text(language.current(), "accounts.token-revoked", id=token_id))


@token.command("list")
@WORKSPACE
@reports_errors(lambda **kw: language.current())
def token_list(workspace: Path) -> None:
    """List the tokens (their secrets are never kept)."""
    zone = workspace_zone(workspace)
    for record in accounts.list_tokens(workspace):
        state = local_time(record.revoked_at, zone) or "-"
        click.echo(f"{record.id}\t{record.user}\t{local_time(record.created_at, zone)}\t{state}")
