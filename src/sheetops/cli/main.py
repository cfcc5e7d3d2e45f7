"""The ``sheetops`` command: parse options, make one library call, render, pick an exit code."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

import click

from sheetops import __version__
from sheetops.app.collect import CollectReport, collect_round
from sheetops.app.demo import run_demo
from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.app.rank import RankReport, feedback_round, rank_round, record_committee_veto
from sheetops.cli.mail import SECURITY_CHOICE, imap_mailboxes
from sheetops.cli.mail import register as register_mail_commands
from sheetops.core.errors import Problem, SheetopsError
from sheetops.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, text
from sheetops.core.statuses import ACCEPTED, REJECTED, WITH_WARNINGS
from sheetops.ledger.status import MISSING, StatusReport, round_status
from sheetops.model.round import PERIODS, read_round_config
from sheetops.model.scheme_file import (
    check_scheme,
    default_scheme_path,
    load_scheme,
    scheme_language,
    write_scheme_xlsx,
)
from sheetops.model.workspace import InitResult, init_round, open_round
from sheetops.reports.handbook import RecordsReport, records_round

P = ParamSpec("P")
R = TypeVar("R")


class CommandError(click.ClickException):
    """A :class:`SheetopsError` shown in the user's language."""

    def __init__(self, error: SheetopsError, lang: str) -> None:
        super().__init__(error.render(lang))
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        """Print ``错误：…`` (or ``Error: …``) on standard error."""
        prefix = "错误：" if self.lang == "zh-CN" else "Error: "
        click.echo(prefix + self.format_message(), file=file, err=file is None)


def round_language(root: Path) -> str:
    """Return a round's language for messages, or the default when it cannot be read."""
    try:
        return read_round_config(root).language
    except SheetopsError:
        return DEFAULT_LANGUAGE


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

        return wrapper

    return decorate


def echo_problems(problems: list[Problem], lang: str) -> None:
    """Print located warnings, one per line."""
    for problem in problems:
        click.echo("  " + problem.render(lang))


LANG_CHOICE = click.Choice(LANGUAGES)
ROUND_DIR = click.argument(
    "round_dir", type=click.Path(file_okay=False, path_type=Path), metavar="ROUND_DIR"
)


@click.group()
@click.version_option(__version__, prog_name="sheetops")
def main() -> None:
    """Run a Party committee's assessment rounds over Excel workbooks.

    A round lives in one folder: init creates it, generate writes the forms to send,
    collect reads what comes back, rank merges, grades and ranks.
    """


@main.command()
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


@main.command()
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
    echo_generate(result, round_dir, round_language(round_dir), carry_over)


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


def echo_json(document: object) -> None:
    """Print one JSON document on standard output."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@main.command()
@ROUND_DIR
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@click.option("--imap", "imap_url", metavar="URL",
              help="Also read the messages of an IMAP folder not seen before by this round: "
              "imaps://user@host/INBOX (password: SHEETOPS_IMAP_PASSWORD or a prompt). "
              "Read-only; without SOURCES the inbox folder is not read.")
@click.option("--imap-security", type=SECURITY_CHOICE, default=None,
              help="Override the URL: ssl (imaps), starttls (imap) or plain.")
@click.option("--imap-cafile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also trust this CA certificate (a server with a private CA).")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def collect(round_dir: Path, sources: tuple[Path, ...], as_json: bool, imap_url: str | None,
            imap_security: str | None, imap_cafile: Path | None) -> None:
    """Collect returned workbooks from SOURCES (files, folders, .zip, .eml, mbox, Maildir;
    default: the inbox) and from mail (--imap).

    Every file is archived by its SHA-256, checked before parsing, read in a sandbox,
    validated cell by cell and recorded in the ledger; the rejection report lists every
    problem by file, sheet and cell.
    """
    opened = open_round(round_dir)
    lang = opened.lang
    mailboxes = imap_mailboxes(imap_url, imap_security, imap_cafile, lang)
    if as_json or not sys.stderr.isatty():
        report = collect_round(opened, list(sources) or None, mailboxes=mailboxes)
    else:
        with click.progressbar(length=0, label=text(lang, "collect.progress"),
                               file=sys.stderr) as bar:
            def advance(done: int, total: int) -> None:
                bar.length = total
                bar.update(1)

            report = collect_round(opened, list(sources) or None, progress=advance,
                                   mailboxes=mailboxes)
    if as_json:
        echo_json(report.to_json())
    else:
        echo_collect(report, round_dir, lang)


def echo_collect(report: CollectReport, round_dir: Path, lang: str) -> None:
    """Print a collect run's counts, each rejected file with its first reasons, what next."""
    counts = report.counts()
    click.echo(text(lang, "collect.summary", files=len(report.files),
                    accepted=counts[ACCEPTED] + counts[WITH_WARNINGS],
                    warnings=counts[WITH_WARNINGS], rejected=counts[REJECTED],
                    duplicate=counts["duplicate"], superseded=counts["superseded"]))
    click.echo(text(lang, "collect.forms", expected=report.expected_forms,
                    accepted=report.current_forms,
                    missing=report.expected_forms - report.current_forms))
    for outcome in report.files:
        errors = [i for i in outcome.issues if i.severity.value == "error"]
        if outcome.status != REJECTED and not (outcome.status == WITH_WARNINGS and errors):
            continue
        sender = outcome.record.sender or text(lang, "collect.unknown-sender")
        if outcome.status == REJECTED:
            click.echo(text(lang, "collect.rejected-file", name=outcome.record.name,
                            sender=sender))
        else:
            rejected = sum(1 for f in outcome.forms if f["status"] == REJECTED)
            click.echo(text(lang, "collect.partly-rejected", name=outcome.record.name,
                            sender=sender, count=rejected))
        for found in errors[:3]:
            where = " ".join(part for part in (found.sheet, found.cell) if part)
            click.echo(f"    {where + ': ' if where else ''}{found.message(lang)}")
        if len(errors) > 3:
            click.echo(text(lang, "collect.more-reasons", count=len(errors) - 3))
    if report.rejection_report is not None:
        click.echo(text(lang, "collect.report", path=report.rejection_report))
    click.echo(text(lang, "collect.next", path=round_dir))


@main.command()
@ROUND_DIR
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@click.option("--all", "show_all", is_flag=True, help="List complete recipients too.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def status(round_dir: Path, as_json: bool, show_all: bool) -> None:
    """Show every expected form as accepted, with warnings, rejected or missing, by recipient."""
    opened = open_round(round_dir)
    report = round_status(opened)
    if as_json:
        echo_json(report.to_json())
    else:
        echo_status(report, opened.lang, show_all=show_all)


def echo_status(report: StatusReport, lang: str, *, show_all: bool) -> None:
    """Print the chase list: recipients with forms still missing or rejected."""
    marks = {ACCEPTED: "✓", WITH_WARNINGS: "✓", REJECTED: "✗", MISSING: "·"}
    for recipient in report.recipients:
        if recipient.complete and not show_all and not any(f.newer_rejected
                                                            for f in recipient.forms):
            continue
        click.echo(text(lang, "status.recipient", code=recipient.code, name=recipient.name,
                        kind=text(lang, f"status.kind.{recipient.kind}"), done=recipient.done,
                        total=len(recipient.forms)))
        for form in recipient.forms:
            if form.status in (ACCEPTED, WITH_WARNINGS) and not (show_all or form.newer_rejected):
                continue
            label = text(lang, "status.newer-rejected" if form.newer_rejected
                         else f"status.{form.status}")
            click.echo(text(lang, "status.form", mark="!" if form.newer_rejected
                            else marks[form.status], form_id=form.form_id, sheet=form.sheet,
                            status=label))
    counts = report.counts()
    click.echo(text(lang, "status.summary", total=sum(counts.values()),
                    accepted=counts[ACCEPTED] + counts[WITH_WARNINGS],
                    warnings=counts[WITH_WARNINGS], rejected=counts[REJECTED],
                    missing=counts[MISSING]))
    if counts[REJECTED] + counts[MISSING] == 0:
        click.echo(text(lang, "status.complete"))


@main.command()
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
        echo_rank(report, opened.lang, {v.id: v.text for v in opened.scheme.vetoes})


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
    separator = "，" if lang == "zh-CN" else ", "
    click.echo(text(lang, "rank.grades", counts=separator.join(
        f"{grade} {count}" for grade, count in counts.items())))
    click.echo(text(lang, "rank.summary", path=report.summary))


@main.command()
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


@main.command()
@ROUND_DIR
@click.argument("branch")
@click.argument("veto_id", metavar="VETO_ID")
@click.option("--note", required=True, help="The committee's reason (recorded in the ledger).")
@click.option("--remove", is_flag=True, help="Revoke this veto instead of recording it.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def veto(round_dir: Path, branch: str, veto_id: str, note: str, remove: bool) -> None:
    """Record (or with --remove, revoke) a committee one-vote veto on BRANCH."""
    opened = open_round(round_dir)
    count = record_committee_veto(opened, branch, veto_id, note, remove=remove)
    lang = opened.lang
    name = opened.roster.branch(branch).name
    question = next(v.text for v in opened.scheme.vetoes if v.id == veto_id)
    key = "veto.removed" if count else "veto.nothing-to-remove"
    if not remove:
        key = "veto.recorded"
    click.echo(text(lang, key, branch=branch, name=name, veto=question, note=note.strip(),
                    count=count))
    if count:
        click.echo(text(lang, "veto.next", path=round_dir))


@main.command()
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


@main.group()
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


@main.command()
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
    echo_rank(result.rank, lang, {v.id: v.text for v in scheme_vetoes})
    click.echo(text(lang, "demo.open", path=result.rank.summary))


register_mail_commands(main)
