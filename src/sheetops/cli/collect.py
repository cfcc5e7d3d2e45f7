"""``sheetops collect``, ``status`` and ``accept``: take in the returns, show who still owes what,
count a return held for review."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import click

from sheetops.app.accept import accept_held
from sheetops.app.chase import chase_round
from sheetops.app.collect import CollectReport, collect_round
from sheetops.cli.common import ROUND_DIR, echo_json, reports_errors, round_language
from sheetops.cli.mail import SECURITY_CHOICE, imap_mailboxes
from sheetops.core.i18n import text
from sheetops.core.statuses import ACCEPTED, HELD, REJECTED, WITH_WARNINGS
from sheetops.core.untrusted import safe_text
from sheetops.ledger.status import MISSING, StatusReport, round_status
from sheetops.model.workspace import open_round


@click.command()
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
        echo_collect(report, round_dir, lang, {v.id: v.label for v in opened.scheme.vetoes},
                     empty_inbox=(opened.paths.inbox if not sources and not mailboxes
                                  and not report.files else None))


def echo_collect(report: CollectReport, round_dir: Path, lang: str,
                 questions: Mapping[str, str], *, empty_inbox: Path | None = None) -> None:
    """Print a collect run's counts, each rejected file with its first reasons, the vetoes
    that will decide a grade, what next (with ``empty_inbox``, the inbox that was read and
    held nothing: where to put the returns)."""
    counts = report.counts()
    click.echo(text(lang, "collect.summary", files=len(report.files),
                    accepted=counts[ACCEPTED] + counts[WITH_WARNINGS],
                    warnings=counts[WITH_WARNINGS], rejected=counts[REJECTED],
                    duplicate=counts["duplicate"], superseded=counts["superseded"]))
    if counts[HELD]:
        click.echo(text(lang, "collect.held", count=counts[HELD], path=round_dir))
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
            # Messages quote what the file holds: nothing in them may move the cursor.
            click.echo(f"    {where + ': ' if where else ''}{safe_text(found.message(lang))}")
        if len(errors) > 3:
            click.echo(text(lang, "collect.more-reasons", count=len(errors) - 3))
    for outcome in report.files:
        for form in outcome.forms:
            if form["status"] not in (ACCEPTED, WITH_WARNINGS):
                continue
            for veto_id, note in form.get("vetoes", {}).items():
                click.echo(text(lang, "collect.veto", sheet=form["sheet"],
                                form_id=form["form_id"], name=outcome.record.name,
                                veto=questions.get(veto_id, veto_id), note=safe_text(note)))
    if report.rejection_report is not None:
        click.echo(text(lang, "collect.report", path=report.rejection_report))
    if empty_inbox is not None:
        click.echo(text(lang, "collect.inbox-empty", inbox=empty_inbox, path=round_dir))
        return
    click.echo(text(lang, "collect.next", path=round_dir))


@click.command()
@ROUND_DIR
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, nothing else.")
@click.option("--all", "show_all", is_flag=True, help="List complete recipients too.")
@click.option("--xlsx", "as_xlsx", is_flag=True,
              help="Also write the chase list workbook, reports/chase-<id>.xlsx: one row per "
              "recipient who owes something, to phone from.")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def status(round_dir: Path, as_json: bool, show_all: bool, as_xlsx: bool) -> None:
    """Show every expected form as accepted, with warnings, held for review, rejected or
    missing, by recipient."""
    opened = open_round(round_dir)
    report = round_status(opened)
    path = chase_round(opened) if as_xlsx else None
    if as_json:
        echo_json(report.to_json())
    else:
        echo_status(report, opened.lang, show_all=show_all, round_dir=round_dir)
        if path is not None:
            click.echo(text(opened.lang, "status.xlsx", path=path))


def echo_status(report: StatusReport, lang: str, *, show_all: bool, round_dir: Path) -> None:
    """Print the chase list: recipients with forms still missing or rejected."""
    marks = {ACCEPTED: "✓", WITH_WARNINGS: "✓", HELD: "?", REJECTED: "✗", MISSING: "·"}
    for recipient in report.recipients:
        if recipient.complete and not show_all and not any(f.newer_rejected or f.newer_held
                                                            for f in recipient.forms):
            continue
        click.echo(text(lang, "status.recipient", code=recipient.code, name=recipient.name,
                        kind=text(lang, f"status.kind.{recipient.kind}"), done=recipient.done,
                        total=len(recipient.forms)))
        for form in recipient.forms:
            flagged = form.newer_rejected or form.newer_held
            if form.status in (ACCEPTED, WITH_WARNINGS) and not (show_all or flagged):
                continue
            key = ("status.newer-rejected" if form.newer_rejected else
                   "status.newer-held" if form.newer_held else f"status.{form.status}")
            click.echo(text(lang, "status.form", mark="!" if flagged else marks[form.status],
                            form_id=form.form_id, sheet=form.sheet, status=text(lang, key)))
    counts = report.counts()
    click.echo(text(lang, "status.summary", total=sum(counts.values()),
                    accepted=counts[ACCEPTED] + counts[WITH_WARNINGS],
                    warnings=counts[WITH_WARNINGS], rejected=counts[REJECTED],
                    missing=counts[MISSING]))
    if report.held:
        click.echo(text(lang, "status.held-files", count=len(report.held)))
        for held in report.held:
            click.echo(text(lang, "status.held-file", sha=held.sha256[:12], name=held.name,
                            sender=held.sender or "", count=len(held.form_ids),
                            forms=", ".join(held.form_ids)))
        click.echo(text(lang, "status.held-next", path=round_dir))
    if counts[REJECTED] + counts[MISSING] + counts[HELD] == 0 and not report.held:
        click.echo(text(lang, "status.complete"))


@click.command()
@ROUND_DIR
@click.argument("sha256", metavar="SHA256")
@click.option("--note", required=True,
              help="Why it counts: who confirmed the sender, and how (recorded in the ledger).")
@reports_errors(lambda **kw: round_language(kw["round_dir"]))
def accept(round_dir: Path, sha256: str, note: str) -> None:
    """Count a file held for review (sent from an address that is not its recipient's).

    SHA256 is the file's fingerprint as `status` shows it (its first 12 characters do).
    """
    opened = open_round(round_dir)
    done = accept_held(opened, sha256, note)
    click.echo(text(opened.lang, "accept.done", name=done.file.name,
                    sha=done.file.sha256[:12], count=len(done.form_ids),
                    forms=", ".join(done.form_ids), note=note.strip()))
    click.echo(text(opened.lang, "veto.next", path=round_dir))
