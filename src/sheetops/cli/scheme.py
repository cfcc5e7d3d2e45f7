"""``sheetops scheme check`` and ``sheetops scheme export``: the scoring scheme as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sheetops.cli.common import LANG_CHOICE, echo_problems, reports_errors
from sheetops.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, text
from sheetops.model.scheme_file import (
    check_scheme,
    default_scheme_path,
    load_scheme,
    scheme_language,
    write_scheme_xlsx,
)


@click.group()
def scheme() -> None:
    """Check and export scoring schemes."""


def _scheme_lang(**kwargs: Any) -> str:
    lang = kwargs.get("lang")
    if lang:
        return str(lang)
    path = kwargs.get("file") or kwargs.get("scheme_file")
    declared = scheme_language(path) if path else None
    return declared if declared and declared in LANGUAGES else DEFAULT_LANGUAGE


@scheme.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=LANG_CHOICE, default=None,
              help="Language of the messages. Default: the scheme's own.")
@reports_errors(_scheme_lang)
def scheme_check(file: Path, lang: str | None) -> None:
    """Check a scheme file (.yaml or .xlsx) and list every problem with its location."""
    language = _scheme_lang(file=file, lang=lang)
    result, problems = check_scheme(file)
    if result is None:
        click.echo(text(language, "scheme.invalid", path=file, count=len(problems)))
        echo_problems(problems, language)
        raise SystemExit(1)
    click.echo(text(language, "scheme.ok", path=file, sections=len(result.sections),
                    items=len(result.items), total=result.total, vetoes=len(result.vetoes)))


@scheme.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), metavar="OUT.xlsx")
@click.option("--scheme", "scheme_file", type=click.Path(exists=True, dir_okay=False,
                                                          path_type=Path),
              help="Scheme to export. Default: the shipped scheme in --lang.")
@click.option("--lang", type=LANG_CHOICE, default=None,
              help="Which shipped scheme to export, and the messages' language.")
@reports_errors(_scheme_lang)
def scheme_export(out: Path, scheme_file: Path | None, lang: str | None) -> None:
    """Write a scheme as an editable Excel workbook that loads back equal."""
    language = _scheme_lang(scheme_file=scheme_file, lang=lang)
    loaded = load_scheme(scheme_file or default_scheme_path(language))
    write_scheme_xlsx(loaded, out)
    click.echo(text(language, "scheme.exported", title=loaded.title, path=out))
