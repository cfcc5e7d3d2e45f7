"""``sheetops init`` and ``sheetops generate``: create a round and write its forms."""

from __future__ import annotations

from pathlib import Path

import click

from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.app.init import InitResult, init_round
from sheetops.cli.common import (
    LANG_CHOICE,
    ROUND_DIR,
    echo_problems,
    reports_errors,
    round_language,
)
from sheetops.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, text
from sheetops.model.round import PERIODS
from sheetops.model.scheme_file import scheme_language
from sheetops.model.workspace import open_round


@click.command()
@click.argument("round_dir", type=click.Path(path_type=Path), metavar="ROUND_DIR")
@click.option("--roster", "roster", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Roster workbook (sheets branches, inspectors, optional peers).")
@click.option("--scheme", "scheme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Scoring scheme (.yaml or .xlsx). Default: the shipped scheme.")
@click.option("--period", type=click.Choice(PERIODS), default="year-end", show_default=True,
              help="Half-year review or year-end assessment.")
@click.option("--lang", type=LANG_CHOICE, default=None,
              help="Language of forms and messages. Default: the scheme's, else zh-CN.")
@click.option("--id", "round_id", help="Round id. Default: <year>-<period>.")
@reports_errors(lambda **kw: kw.get("lang") or DEFAULT_LANGUAGE)
def init(round_dir: Path, roster: Path, scheme: Path | None, period: str, lang: str | None,
         round_id: str | None) -> None:
    """Create a round folder: frozen scheme and roster, round.toml, signing key."""
    language = lang or (scheme_language(scheme) if scheme else None) or DEFAULT_LANGUAGE
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    result = init_round(round_dir, roster, scheme_path=scheme, period=period, language=language,
                        round_id=round_id)
    echo_init(result, round_dir)
    click.echo(text(result.round.lang, "round.next-generate", path=round_dir))


def echo_init(result: InitResult, round_dir: Path) -> None:
    """Print what init created and what to do next."""
    opened = result.round
    lang = opened.lang
    click.echo(text(lang, "round.created", title=opened.config.title, id=opened.config.id,
                    path=round_dir))
    click.echo(text(lang, "round.created-detail", branches=len(opened.roster.branches),
                    inspectors=len(opened.roster.inspectors), scheme=opened.scheme.title,
                    version=opened.scheme.version))
    echo_problems(result.warnings, lang)


@click.command()
@ROUND_DIR
@click.option("--carry-over", "carry_over", metavar="PREVIOUS_ROUND_DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Prefill each branch's handbook (basic information, member roll) from its "
              "last accepted handbook in this previous round.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def generate(round_dir: Path, carry_over: Path | None) -> None:
    """Write every recipient's pack of protected scoresheets, the manifest, and every
    branch's work handbook."""
    result = generate_scoresheets(open_round(round_dir), carry_over=carry_over)
    lang = round_language(round_dir)
    echo_generate(result, round_dir, lang, carry_over)
    click.echo(text(lang, "generate.next-send", inbox=round_dir / "inbox"))


def echo_generate(result: GenerateResult, round_dir: Path, lang: str,
                  carry_over: Path | None = None) -> None:
    """Print what generate wrote."""
    roles = result.forms_by_role()
    click.echo(text(lang, "generate.done", packs=len(result.packs), forms=result.form_count,
                    self=roles["self"], peer=roles["peer"], inspector=roles["inspector"],
                    path=round_dir / "outbox"))
    click.echo(text(lang, "generate.manifest", path=result.manifest))
    if result.handbooks:
        click.echo(text(lang, "handbook.generated", count=len(result.handbooks),
                        path=round_dir / "outbox" / "handbooks"))
    if carry_over is not None:
        click.echo(text(lang, "handbook.carried", count=result.carried_over, path=carry_over))
