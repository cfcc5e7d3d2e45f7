"""The language the command line speaks before a command runs: its help and click's own
messages (``用法：``, ``缺少参数``, ``您是不是要找 rank？``).

It is decided once per run by :func:`decide_language` (``--lang`` when given, else the round
folder named on the command line, else ``SHEETOPS_LANG``, else the system's locale, else
Chinese) and held in :data:`LANGUAGE` while the run lasts. :func:`install` points the
``gettext`` names click's modules call at the catalog (``click.<English message>``), and
:func:`localise` gives a command, its options and its subcommands their help in that language
(``help.<command>[.<sub>]``, ``help.<command>.<option>``).
"""

from __future__ import annotations

import contextlib
import gettext
import importlib
import locale
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Final

import click

from sheetops.core.i18n import CATALOG, DEFAULT_LANGUAGE, LANGUAGES, join_items, text
from sheetops.model.round import RoundPaths, read_round_language

LANGUAGE: Final[ContextVar[str | None]] = ContextVar("sheetops_cli_language", default=None)
"""The language of this run; None outside the command (click then speaks English)."""

# click's modules that translate their messages with gettext
_CLICK_MODULES: Final = ("core", "decorators", "exceptions", "formatting", "parser", "types",
                         "termui", "utils", "shell_completion", "_termui_impl")


def current() -> str:
    """The language of this run (the default language outside a run)."""
    return LANGUAGE.get() or DEFAULT_LANGUAGE


@contextlib.contextmanager
def neutral() -> Iterator[None]:
    """No language while inside: what click translates while commands are built (the names of
    value types, default help) stays English, for :func:`localise` to translate each run."""
    token = LANGUAGE.set(None)
    try:
        yield
    finally:
        LANGUAGE.reset(token)


def language_of(value: str | None) -> str | None:
    """The supported language a locale or setting names (``zh_CN.UTF-8`` and
    ``Chinese (Simplified)_China`` → zh-CN, ``en_GB`` → en), or None."""
    name = (value or "").strip().lower()
    if name.startswith(("zh", "chinese")):
        return "zh-CN"
    if name.startswith(("en", "english")):
        return "en"
    return None


def system_language(environ: Mapping[str, str]) -> str | None:
    """The language of the system's locale: the first of ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG`` that is set (as gettext reads them), else on Windows the user's locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return language_of(value)
    if sys.platform == "win32":
        return language_of(locale.getlocale()[0])
    return None


def _option_language(args: Sequence[str]) -> str | None:
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in LANGUAGES:
            return value
    return None


def _round_language(args: Sequence[str]) -> str | None:
    for arg in args:
        if arg.startswith("-"):
            continue
        try:
            if RoundPaths(Path(arg)).config.is_file():
                return read_round_language(Path(arg))
        except (OSError, ValueError):  # a name too long, a NUL: not a round
            continue
    return None


def decide_language(args: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language to speak for the command line ``args``.

    ``--lang`` when given; else the language of the first round folder named (one holding a
    round.toml); else ``SHEETOPS_LANG``; else the system locale's; else Chinese.
    """
    return (_option_language(args) or _round_language(args)
            or language_of(environ.get("SHEETOPS_LANG")) or system_language(environ)
            or DEFAULT_LANGUAGE)


def _template(message: str) -> str:
    lang = LANGUAGE.get()
    templates = CATALOG.get(f"click.{message}")
    if lang is None or templates is None:
        return message
    return templates[lang]


def click_gettext(message: str) -> str:
    """click's ``_(message)``: the message's template in this run's language."""
    return _template(message)


def click_ngettext(singular: str, plural: str, count: int) -> str:
    """click's ``ngettext``: the singular or plural message's template."""
    return _template(singular if count == 1 else plural)


def install() -> None:
    """Make click's modules translate through :func:`click_gettext` (once; harmless again)."""
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a module of another platform
            continue
        if getattr(module, "_", None) in (gettext.gettext, click_gettext):
            module._ = click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) in (gettext.ngettext, click_ngettext):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


def option_flag(option: click.Option) -> str:
    """The name an option's help is kept under: its longest flag without dashes."""
    return max(option.opts, key=len).lstrip("-")


def localise(command: click.Command, path: str, ctx: click.Context | None) -> click.Command:
    """Give ``command`` (named ``path`` in the catalog, ``sheetops`` for the group itself) and
    its plain subgroups' commands their help, usage words and formatter in this run's language.

    Commands are module-level objects: this is done every run, in the run's language.
    """
    lang = current()
    command.help = text(lang, f"help.{path}")
    command.short_help = _short_help(command.help) if lang == "zh-CN" else None
    command.options_metavar = text(lang, "cli.options-metavar")
    command.context_class = LocalContext
    for param in command.params:
        if isinstance(param, click.Option):
            param.help = text(lang, f"help.{path}.{option_flag(param)}")
        elif isinstance(param, click.Argument):
            _localise_argument(param, lang)
        _localise_type(param.type)
    if ctx is not None:
        help_option = command.get_help_option(ctx)
        if help_option is not None:
            help_option.help = click_gettext("Show this message and exit.")
    if isinstance(command, click.Group):
        command.subcommand_metavar = text(lang, "cli.subcommand-metavar")
        for name, sub in command.commands.items():
            localise(sub, f"{path}.{name}", ctx)
    return command


def _localise_argument(argument: click.Argument, lang: str) -> None:
    """An argument's name in the usage line and in ``缺少参数 '…'`` in this run's language
    (``轮次目录`` for ``ROUND_DIR``); the English name is kept on the argument the first time."""
    english = getattr(argument, "_english_metavar", None)
    if english is None:
        english = argument.metavar or (argument.name or "").upper()
        setattr(argument, "_english_metavar", english)  # noqa: B010 - not a declared attribute
    argument.metavar = text(lang, f"cli.argument.{english}")


def _short_help(help_text: str) -> str:
    """The first sentence of a Chinese help text, for the list of commands."""
    first = help_text.split("\n\n", 1)[0]
    return re.split(r"(?<=。)", first, maxsplit=1)[0].rstrip("。")


def _localise_type(param_type: click.ParamType[Any]) -> None:
    """A type's name (shown as a metavar and in messages: ``文件“x”不存在``) in this run's
    language; the English name is kept on the type the first time."""
    english = getattr(param_type, "_english_name", None)
    if english is None:
        english = param_type.name
        setattr(param_type, "_english_name", english)  # noqa: B010 - not a declared attribute
    param_type.name = click_gettext(english)


def said(error: click.UsageError) -> click.UsageError:
    """A usage error as the run's language says it: a missing value (:func:`missing_value`), an
    unknown command or option with the nearest names (``没有“rnak”这个命令。您是不是要找 rank？``);
    other errors as they are."""
    if isinstance(error, click.MissingParameter):
        return missing_value(error)
    if isinstance(error, click.exceptions.NoSuchCommand):
        key, name, near = "cli.no-such-command", error.command_name, error.possibilities
    elif isinstance(error, click.NoSuchOption):
        key, name, near = "cli.no-such-option", error.option_name, error.possibilities
    else:
        return error
    lang = current()
    message = text(lang, key, name=name)
    if near:
        message += text(lang, "cli.did-you-mean", names=join_items(lang, sorted(near)))
    return click.UsageError(message, error.ctx)


def missing_value(error: click.MissingParameter) -> click.UsageError:
    """click's "Missing argument 'X'." as the run's language says it (``缺少参数 'X'。``);
    the error itself when it is of another kind."""
    param, kind = error.param, error.param_type
    if param is None or error.message or error.param_hint is not None:
        return error
    kind = kind or param.param_type_name
    if kind not in ("argument", "option"):
        return error
    lang = current()
    message = text(lang, f"cli.missing.{kind}", hint=param.get_error_hint(error.ctx))
    extra = param.type.get_missing_message(param=param, ctx=error.ctx)
    if extra:  # what it may be (可选：…)
        message = text(lang, "cli.missing-then", message=message, extra=extra)
    return click.UsageError(message, error.ctx)


class LocalFormatter(click.HelpFormatter):
    """click's help formatter with headings, the usage prefix and, in Chinese, wrapping by
    display width (a Chinese character takes two columns) in this run's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """``用法：sheetops [选项] 命令 [参数]...``."""
        if prefix is None:
            prefix = text(current(), "cli.usage-prefix")
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        """``选项：`` (or ``Options:``)."""
        self.write(" " * self.current_indent + text(current(), "cli.heading", heading=heading)
                   + "\n")

    def write_text(self, text_: str) -> None:
        """A paragraph of help, wrapped to the terminal."""
        if current() != "zh-CN":
            super().write_text(text_)
            return
        indent = " " * self.current_indent
        self.write("\n\n".join(
            "\n".join(indent + line for line in wrap_wide(paragraph, self.width - len(indent)))
            for paragraph in text_.split("\n\n")) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,  # type: ignore[override]
                 col_spacing: int = 2) -> None:
        """Options or commands and their help, the help wrapped in a column of its own."""
        rows = list(rows)
        if current() != "zh-CN":
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((display_width(first) for first, _ in rows), default=0),
                        col_max) + col_spacing
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = [line for paragraph in second.split("\n\n")
                     for line in wrap_wide(paragraph, max(self.width - first_col - 2, 10))]
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line for line in lines[1:])]) + "\n")


class LocalContext(click.Context):
    """A context whose help is written by :class:`LocalFormatter`."""

    formatter_class = LocalFormatter


def display_width(value: str) -> int:
    """How many terminal columns ``value`` takes (a Chinese character two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


_CLOSING: Final = "，。、；：？！）》」』”’"
_OPENING: Final = "（《「『“‘[(<"
# a space; a word of narrow characters; one wide character; each with the closing marks after
_TOKENS: Final = re.compile(
    rf"\s+|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+[{_CLOSING}]*|.[{_CLOSING}]*")


def wrap_wide(paragraph: str, width: int) -> list[str]:
    """Break a paragraph into lines of at most ``width`` columns: between any two Chinese
    characters or at a space, never inside a word, never before a closing mark (，。）…) or
    after an opening one (（“[…)."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _TOKENS.findall(" ".join(paragraph.split("\n"))):
        if token.isspace():
            space = bool(line)
            continue
        gap = 1 if space else 0
        size = display_width(token)
        if line and used + gap + size > width:
            carry = ""
            if not gap:  # an opening mark goes down with what it opens
                kept = line.rstrip(_OPENING)
                if kept.strip():
                    carry, line = line[len(kept):], kept
            lines.append(line.rstrip())
            line, used, gap = carry, display_width(carry), 0
        line += " " * gap + token
        used += gap + size
        space = False
    return [*lines, line] if line or not lines else lines
