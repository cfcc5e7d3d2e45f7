"""The ``sheetops`` command: parse options, make one library call, render, pick an exit code.

Each command group lives in a module of its own and is imported only when it runs (``--help``
imports them all, to show their help), so a command loads only what it needs.
"""

from __future__ import annotations

import importlib
from typing import Final

import click

from sheetops import __version__

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
    """A group whose commands are imported the first time they are needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, in the order of :data:`COMMANDS`."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command ``cmd_name`` (None when there is no such command)."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="sheetops")
def main() -> None:
    """Run a Party committee's assessment rounds over Excel workbooks.

    A round lives in one folder: init creates it, generate writes the forms to send,
    collect reads what comes back, rank merges, grades and ranks.
    """
