"""``sheetops verify``, ``backup``, ``restore`` and ``rebuild``: the round's records, checked,
kept and made again."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sheetops.app.rebuild import rebuild_round
from sheetops.app.upkeep import backup_round, restore_round, verify_round
from sheetops.cli.common import ROUND_DIR, echo_json, reports_errors, round_language
from sheetops.core.i18n import text
from sheetops.model.workspace import open_round


def _size(size: int) -> str:
    """``12.3 MB``, ``840 KB``."""
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    return f"{max(1, round(size / 2**10))} KB"


@click.command()
@ROUND_DIR
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def verify(round_dir: Path, as_json: bool) -> None:
    """Check the ledger and that every recorded file is archived unchanged (exit 1 if not)."""
    opened = open_round(round_dir)
    report = verify_round(opened)
    if as_json:
        echo_json(report.to_json())
    else:
        lang = opened.lang
        key = "verify.ok" if report.ok else "verify.failed"
        click.echo(text(lang, key, files=report.files, verified=report.verified))
        for finding in report.findings:
            click.echo(text(lang, f"verify.{finding.kind}", path=finding.path,
                            detail=finding.detail))
    if not report.ok:
        sys.exit(1)


@click.command()
@ROUND_DIR
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), metavar="OUT.zip")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def backup(round_dir: Path, out: Path) -> None:
    """Write the whole round (ledger, archive, settings, key, reports) into OUT.zip."""
    opened = open_round(round_dir)
    report = backup_round(opened, out)
    click.echo(text(opened.lang, "backup.done", path=report.path, files=report.files,
                    size=_size(report.size)))


@click.command()
@click.argument("backup_zip", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="BACKUP.zip")
@click.argument("round_dir", type=click.Path(file_okay=False, path_type=Path),
                metavar="ROUND_DIR")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def restore(backup_zip: Path, round_dir: Path) -> None:
    """Restore a backup into ROUND_DIR (a new or empty folder), checking every file."""
    report = restore_round(backup_zip, round_dir)
    opened = open_round(round_dir)
    click.echo(text(opened.lang, "restore.done", title=opened.config.title,
                    id=opened.config.id, path=report.path, files=report.files,
                    size=_size(report.size)))


@click.command()
@ROUND_DIR
@click.option("--force", is_flag=True,
              help="Rebuild even though the ledger is sound (it is set aside all the same).")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def rebuild(round_dir: Path, force: bool) -> None:
    """Make a lost or damaged ledger again from the archive and the decisions journal.

    The old ledger is set aside, never deleted; every archived file is recorded again in its
    order of arrival, then the committee's decisions (vetoes, accepted returns) are replayed.
    """
    opened = open_round(round_dir)
    report = rebuild_round(opened, force=force)
    lang = opened.lang
    for path in report.set_aside:
        if path.suffix == ".sqlite":  # its -wal and -shm went with it
            click.echo(text(lang, "rebuild.set-aside", path=path))
    click.echo(text(lang, "rebuild.done", files=report.recorded,
                    accepted=report.files["accepted"] + report.files["accepted-with-warnings"],
                    held=report.files["held"], rejected=report.files["rejected"],
                    decisions=report.decisions))
    if report.without_arrival:
        click.echo(text(lang, "rebuild.without-arrival", count=report.without_arrival))
    if report.unreadable_decisions:
        click.echo(text(lang, "rebuild.unreadable-decisions", count=report.unreadable_decisions))
    click.echo(text(lang, "rebuild.next", path=round_dir))
