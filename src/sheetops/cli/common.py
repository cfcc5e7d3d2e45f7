"""What every command shares: errors shown in the round's language, JSON output, arguments."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

import click

from sheetops.core.errors import Problem, RoundError, SheetopsError
from sheetops.core.i18n import LANGUAGES, text
from sheetops.model.round import RoundPaths, read_round_language

P = ParamSpec("P")
R = TypeVar("R")


class CommandError(click.ClickException):
    """A :class:`SheetopsError` shown in the user's language."""

    def __init__(self, error: SheetopsError, lang: str) -> None:
        super().__init__(error.render(lang))
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        """Print ``错误：…`` (or ``Error: …``) on standard error."""
        click.echo(text(self.lang, "cli.error-prefix") + self.format_message(), file=file,
                   err=file is None)


def round_language(root: Path) -> str:
    """Return a round's language for messages (even about its own invalid settings), or the
    default when it names none."""
    return read_round_language(root)


def reports_errors(lang_of: Callable[..., str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a command's :class:`SheetopsError` into a message in the right language (exit 1).

    Args:
        lang_of: given the command's keyword arguments, returns the language to speak.
    """

    def decorate(command: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(command)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return command(*args, **kwargs)
            except SheetopsError as error:
                raise CommandError(error, lang_of(**kwargs)) from error
            except sqlite3.DatabaseError as error:
                # Corrupt pages show up only when a query reaches them; "locked" and other
                # operational errors are not damage.
                round_dir = kwargs.get("round_dir")
                if isinstance(error, sqlite3.OperationalError) or not isinstance(round_dir, Path):
                    raise
                damaged = RoundError("round.ledger-damaged", path=RoundPaths(round_dir).ledger,
                                     reason=str(error))
                raise CommandError(damaged, lang_of(**kwargs)) from error

        return wrapper

    return decorate


def echo_json(document: object) -> None:
    """Print one JSON document on standard output."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def echo_problems(problems: list[Problem], lang: str) -> None:
    """Print located warnings, one per line."""
    for problem in problems:
        click.echo("  " + problem.render(lang))


LANG_CHOICE = click.Choice(LANGUAGES)
ROUND_DIR = click.argument(
    "round_dir", type=click.Path(file_okay=False, path_type=Path), metavar="ROUND_DIR"
)
