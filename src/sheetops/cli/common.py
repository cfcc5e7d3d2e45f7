"""What every command shares: errors shown in the round's language, JSON output, arguments."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import sqlite3
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Final, ParamSpec, TypeVar

import click

from sheetops.cli import language
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
    """Return a round's language for messages (even about its own invalid settings), the
    default when its round.toml names none, and the command line's outside a round."""
    if not RoundPaths(root).config.is_file():
        return language.current()
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
            except click.ClickException:
                raise
            except Exception as error:
                system = system_error(error)
                if system is not None:
                    raise CommandError(system, lang_of(**kwargs)) from error
                save_bug_report(kwargs.get("round_dir"), lang_of(**kwargs))
                raise

        return wrapper

    return decorate


# errno → message key: the operating-system errors a person can act on
_SYSTEM_ERRORS: Final = {
    errno.ENOSPC: "system.disk-full",
    errno.EROFS: "system.read-only",
    errno.EACCES: "system.in-use",
    errno.EPERM: "system.in-use",
    errno.ENOENT: "system.missing",
    errno.EISDIR: "system.is-folder",
    errno.ENOTDIR: "system.not-folder",
    errno.ENAMETOOLONG: "system.name-too-long",
}
if hasattr(errno, "EDQUOT"):
    _SYSTEM_ERRORS[errno.EDQUOT] = "system.disk-full"


def system_error(error: BaseException) -> SheetopsError | None:
    """An operating-system error a person can act on (a report still open in Excel, a full
    or read-only disk, a missing file, a folder where a file belongs), as a message; None for
    anything else (a bug).

    Writers that wrap the system's error (XlsxWriter's ``FileCreateError``) are looked into.
    """
    found = next((e for e in (error, *error.args[:1], error.__cause__, error.__context__)
                  if isinstance(e, OSError)), None)
    if found is None:
        return None
    key = _SYSTEM_ERRORS.get(found.errno or 0)
    if key is None and getattr(found, "winerror", None) in (32, 33):  # used by another process
        key = "system.in-use"
    if key is None:
        key = "system.other"
    path = found.filename
    return SheetopsError(key, path=path if path is not None else "?",
                         reason=found.strerror or str(found))


def save_bug_report(round_dir: object, lang: str) -> Path | None:
    """Save the traceback being handled under the round's ``.sheetops/errors/`` and say where
    on standard error (the traceback itself still shows).

    Returns:
        The file written, or None outside a round.
    """
    if not isinstance(round_dir, Path) or not (round_dir / ".sheetops").is_dir():
        return None
    folder = RoundPaths(round_dir).private / "errors"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{os.getpid()}.txt"
    try:
        folder.mkdir(exist_ok=True)
        path.write_text(" ".join(sys.argv) + "\n\n" + traceback.format_exc(), encoding="utf-8")
    except OSError:
        return None
    click.echo(text(lang, "system.bug", path=path), err=True)
    return path


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
