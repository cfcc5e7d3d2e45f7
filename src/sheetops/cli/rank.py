"""``sheetops rank``, ``veto``, ``feedback`` and ``records``: the committee's results."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import click

from sheetops.app.feedback import feedback_round
from sheetops.app.rank import RankReport, rank_round
from sheetops.app.records import RecordsReport, records_round
from sheetops.app.veto import branch_code, find_veto, record_committee_veto
from sheetops.cli.common import ROUND_DIR, echo_json, reports_errors, round_language
from sheetops.core.i18n import join_counts, join_items, text
from sheetops.core.untrusted import safe_text
from sheetops.model.workspace import open_round


@click.command()
@ROUND_DIR
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@click.option("--all", "show_all", is_flag=True,
              help="Print every branch (a long ranking shows the top, then vetoed and pending).")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def rank(round_dir: Path, as_json: bool, show_all: bool) -> None:
    """Merge accepted forms, apply vetoes, grade and rank; write the summary workbook."""
    opened = open_round(round_dir)
    report = rank_round(opened)
    if as_json:
        echo_json(report.to_json())
    else:
        echo_rank(report, opened.lang, {v.id: v.label for v in opened.scheme.vetoes},
                  show_all=show_all)


SHOWN_IN_FULL: Final = 30  # a ranking this long is printed whole; a longer one, its top
SHOWN_TOP: Final = 10


def echo_rank(report: RankReport, lang: str, questions: dict[str, str], *,
              show_all: bool = False) -> None:
    """Print the ranking, one branch a line (a long one: its top, then every vetoed and
    pending branch), each veto applied, the counts by grade, and where the summary is."""
    results = report.results
    vetoed = sum(1 for r in results if r.vetoed)
    pending = sum(1 for r in results if r.pending and not r.vetoed)
    click.echo(text(lang, "rank.done", ranked=len(results) - vetoed - pending, vetoed=vetoed,
                    pending=pending))
    shown = results
    left_out = 0
    if not show_all and len(results) > SHOWN_IN_FULL:
        ranked = [r for r in results if r.rank is not None]
        left_out = max(0, len(ranked) - SHOWN_TOP)
        shown = ranked[:SHOWN_TOP] + [r for r in results if r.rank is None]
    for index, result in enumerate(shown):
        if left_out and index == SHOWN_TOP:
            click.echo(text(lang, "rank.more", count=left_out))
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
    if left_out and len(shown) == SHOWN_TOP:  # nothing vetoed or pending followed the top
        click.echo(text(lang, "rank.more", count=left_out))
    for result in results:
        if result.owes:
            key = "rank.owes-withheld" if result.withheld else "rank.owes"
            click.echo(text(lang, key, code=result.code, name=result.name,
                            forms=join_items(lang, result.owed_sheets),
                            grade=result.withheld or "", now=result.grade))
    for result in results:
        for reason in result.vetoes:
            source = (text(lang, "rank.veto-by.committee") if reason.source == "committee"
                      else text(lang, f"rank.veto-by.{reason.source}", rater=reason.rater))
            click.echo(text(lang, "rank.veto", code=result.code, name=result.name,
                            veto=questions.get(reason.veto_id, reason.veto_id), source=source,
                            note=safe_text(reason.note) or "—"))
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
@click.option("--provisional", is_flag=True,
              help="Write it although forms are outstanding, marked provisional.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def feedback(round_dir: Path, name_peers: bool, provisional: bool) -> None:
    """Write each branch's feedback workbook: standing, weak sections and items, what to fix."""
    opened = open_round(round_dir)
    paths = feedback_round(opened, name_peers=name_peers, provisional=provisional)
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
    branch = branch_code(opened, branch)
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
