"""``sheetops rank``, ``veto``, ``feedback`` and ``records``: the committee's results."""

from __future__ import annotations

from pathlib import Path

import click

from sheetops.app.feedback import feedback_round
from sheetops.app.rank import RankReport, rank_round
from sheetops.app.records import RecordsReport, records_round
from sheetops.app.veto import find_veto, record_committee_veto
from sheetops.cli.common import ROUND_DIR, echo_json, reports_errors, round_language
from sheetops.core.i18n import join_counts, text
from sheetops.model.workspace import open_round


@click.command()
@ROUND_DIR
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def rank(round_dir: Path, as_json: bool) -> None:
    """Merge accepted forms, apply vetoes, grade and rank; write the summary workbook."""
    opened = open_round(round_dir)
    report = rank_round(opened)
    if as_json:
        echo_json(report.to_json())
    else:
        echo_rank(report, opened.lang, {v.id: v.label for v in opened.scheme.vetoes})


def echo_rank(report: RankReport, lang: str, questions: dict[str, str]) -> None:
    """Print the ranking, one branch a line, and where the summary is."""
    results = report.results
    vetoed = sum(1 for r in results if r.vetoed)
    pending = sum(1 for r in results if r.pending and not r.vetoed)
    click.echo(text(lang, "rank.done", ranked=len(results) - vetoed - pending, vetoed=vetoed,
                    pending=pending))
    for result in results:
        extra = ""
        if result.vetoed:
            extra = text(lang, "rank.vetoed-mark", reasons=" ".join(
                questions[veto_id] for veto_id in result.veto_ids))
        elif not result.complete and not result.pending:
            extra = text(lang, "rank.incomplete-mark")
        score = "—" if result.score is None else f"{result.score:.{report.rules.decimals}f}"
        rank_text = "—" if result.rank is None else str(result.rank)
        click.echo(text(lang, "rank.line", rank=rank_text, code=result.code, name=result.name,
                        score=score, grade=result.grade, extra=extra))
    counts: dict[str, int] = {}
    for result in results:
        counts[result.grade] = counts.get(result.grade, 0) + 1
    click.echo(text(lang, "rank.grades", counts=join_counts(
        lang, (f"{grade} {count}" for grade, count in counts.items()))))
    click.echo(text(lang, "rank.summary", path=report.summary))


@click.command()
@ROUND_DIR
@click.option("--name-peers", is_flag=True,
              help="Show which branch wrote each peer note (default: anonymous).")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def feedback(round_dir: Path, name_peers: bool) -> None:
    """Write each branch's feedback workbook: standing, weak sections and items, what to fix."""
    opened = open_round(round_dir)
    paths = feedback_round(opened, name_peers=name_peers)
    click.echo(text(opened.lang, "feedback.done", count=len(paths),
                    path=opened.paths.reports / "feedback"))


@click.command()
@ROUND_DIR
@click.argument("branch")
@click.argument("veto_name", metavar="VETO")
@click.option("--note", required=True, help="The committee's reason (recorded in the ledger).")
@click.option("--remove", is_flag=True, help="Revoke this veto instead of recording it.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def veto(round_dir: Path, branch: str, veto_name: str, note: str, remove: bool) -> None:
    """Record (or with --remove, revoke) a committee one-vote veto on BRANCH; VETO is the
    veto's name (党纪处分) or id (discipline)."""
    opened = open_round(round_dir)
    count = record_committee_veto(opened, branch, veto_name, note, remove=remove)
    lang = opened.lang
    name = opened.roster.branch(branch).name
    chosen = find_veto(opened.scheme, veto_name, lang)
    key = "veto.removed" if count else "veto.nothing-to-remove"
    if not remove:
        key = "veto.recorded"
    click.echo(text(lang, key, branch=branch, name=name, veto=chosen.label, id=chosen.id,
                    note=note.strip(), count=count))
    if count:
        click.echo(text(lang, "veto.next", path=round_dir))


@click.command()
@ROUND_DIR
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def records(round_dir: Path) -> None:
    """Consolidate the accepted work handbooks into reports/records-<id>.xlsx: members,
    meetings against the required frequency, dues, the admission pipeline."""
    opened = open_round(round_dir)
    echo_records(records_round(opened), opened.lang)


def echo_records(report: RecordsReport, lang: str) -> None:
    """Print how many handbooks are in, what the records show, and where the workbook is."""
    data = report.consolidation
    click.echo(text(lang, "records.summary", branches=len(data.branches),
                    accepted=len(data.records), missing=len(data.missing)))
    if data.missing:
        click.echo(text(lang, "records.missing", codes=" ".join(data.missing)))
    click.echo(text(lang, "records.findings", meetings=report.short_meetings,
                    dues=report.dues_discrepancies, flags=report.pipeline_flags))
    click.echo(text(lang, "records.written", path=report.workbook))
