"""The ``sheetops`` command: parse options, make one library call, render, pick an exit code.

Each command group lives in a module of its own and is imported only when it runs (``--help``
imports them all, to show their help), so a command loads only what it needs.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, Final

import click

from sheetops import __version__
from sheetops.cli import language
from sheetops.core.i18n import text

# command name → "module:attribute", in the order ``--help`` lists them
COMMANDS: Final = {
    "init": "sheetops.cli.setup:init",
    "generate": "sheetops.cli.setup:generate",
    "send": "sheetops.cli.mail:send",
    "collect": "sheetops.cli.collect:collect",
    "status": "sheetops.cli.collect:status",
    "accept": "sheetops.cli.collect:accept",
    "remind": "sheetops.cli.mail:remind",
    "veto": "sheetops.cli.rank:veto",
    "rank": "sheetops.cli.rank:rank",
    "feedback": "sheetops.cli.rank:feedback",
    "records": "sheetops.cli.rank:records",
    "verify": "sheetops.cli.upkeep:verify",
    "backup": "sheetops.cli.upkeep:backup",
    "restore": "sheetops.cli.upkeep:restore",
    "rebuild": "sheetops.cli.upkeep:rebuild",
    "scheme": "sheetops.cli.scheme:scheme",
    "links": "sheetops.cli.links:links",
    "serve": "sheetops.cli.serve:serve",
    "user": "sheetops.cli.accounts:user",
    "token": "sheetops.cli.accounts:token",
    "demo": "sheetops.cli.demo:demo",
}


class LazyGroup(click.Group):
    """A group whose commands are imported the first time they are needed, speaking the
    language :func:`sheetops.cli.language.decide_language` picks for the command line."""

    context_class = language.LocalContext

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        """Run the command line ``args`` (default: ``sys.argv``) in its language."""
        language.install()
        chosen = language.decide_language(sys.argv[1:] if args is None else args, os.environ)
        token = language.LANGUAGE.set(chosen)
        try:
            language.localise(self, "sheetops", click.Context(self))
            return super().main(args, *rest, **options)
        finally:
            language.LANGUAGE.reset(token)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, in the order of :data:`COMMANDS`."""
        return list(COMMANDS)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the group's own options; a usage error is said in the run's language."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise language.said(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command named; a usage error is said in the run's language."""
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise language.said(error) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command ``args`` name; a misspelt one is an error suggesting the nearest of all
        commands (click would suggest only those already loaded)."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            raise click.exceptions.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command ``cmd_name`` (None when there is no such command)."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        with language.neutral():  # built once, in click's English; localised every run
            command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return language.localise(command, cmd_name, ctx)


def show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: ``sheetops，版本 0.1.0`` in the run's language, then exit."""
    if value and not ctx.resilient_parsing:
        click.echo(text(language.current(), "cli.version", version=__version__))
        ctx.exit()


@click.group(cls=LazyGroup)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=show_version, help="Show the version and exit.")
def main() -> None:
    """Run a Party committee's assessment rounds over Excel workbooks.

    A round lives in one folder: init creates it, generate writes the forms to send,
    collect reads what comes back, rank merges, grades and ranks.
    """
