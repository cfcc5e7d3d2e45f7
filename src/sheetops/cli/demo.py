"""``sheetops demo``: a whole round on the sample roster."""

from __future__ import annotations

import os
import shutil
import sys
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
    questions = {v.id: v.label for v in result.init.round.scheme.vetoes}
    echo_collect(result.collect, directory, lang, questions)
    echo_rank(result.rank, lang, questions)
    click.echo(text(lang, "demo.open", path=result.rank.summary))
    found = unreachable_program()
    if found is not None:
        click.echo(text(lang, "demo.not-on-path", program=found, path=directory,
                        activate=activate_command(found)))


def unreachable_program() -> str | None:
    """How to run this ``sheetops`` when the shell would not find it by name (it lives in a
    virtual environment not activated), else None."""
    running = Path(sys.argv[0])
    if running.name.lower() not in ("sheetops", "sheetops.exe"):
        return None  # python -m sheetops, a test runner: nothing to point at
    found = shutil.which("sheetops")
    if found is not None and Path(found).resolve() == running.resolve():
        return None
    try:
        shown = os.path.relpath(running)
    except ValueError:  # another drive on Windows
        shown = str(running)
    return shown if os.sep in shown else os.path.join(".", shown)


def activate_command(program: str) -> str:
    """The command that puts ``program``'s virtual environment on the shell's path."""
    folder = Path(program).parent
    if os.name == "nt":
        return str(folder / "Activate.ps1")
    return f"source {folder / 'activate'}"
