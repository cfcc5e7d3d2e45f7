"""``sheetops demo``: a whole round on the sample roster."""

from __future__ import annotations

from pathlib import Path

import click

from sheetops.app.demo import run_demo
from sheetops.cli.collect import echo_collect
from sheetops.cli.common import LANG_CHOICE, reports_errors
from sheetops.cli.rank import echo_rank
from sheetops.cli.setup import echo_generate, echo_init
from sheetops.core.i18n import DEFAULT_LANGUAGE, text


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path),
                default="sheetops-demo", metavar="[DIR]")
@click.option("--lang", type=LANG_CHOICE, default=DEFAULT_LANGUAGE, show_default=True,
              help="Language of the demo round.")
@reports_errors(lambda **kw: kw.get("lang") or DEFAULT_LANGUAGE)
def demo(directory: Path, lang: str) -> None:
    """Run a whole round on the sample roster in DIR (default: ./sheetops-demo).

    init, generate, simulated returns (varied scores, a veto, a resubmission, bad files),
    collect and rank.
    """
    result = run_demo(directory, language=lang)
    echo_init(result.init, directory)
    echo_generate(result.generate, directory, lang)
    click.echo(text(lang, "demo.filled", path=directory / "inbox"))
    echo_collect(result.collect, directory, lang)
    scheme_vetoes = result.init.round.scheme.vetoes
    echo_rank(result.rank, lang, {v.id: v.label for v in scheme_vetoes})
    click.echo(text(lang, "demo.open", path=result.rank.summary))
