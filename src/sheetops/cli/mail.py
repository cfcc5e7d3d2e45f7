"""``sheetops send`` and ``sheetops remind``: the packs, reminders and feedback by mail.

Server addresses come from options or the environment; passwords only from the environment
(``SHEETOPS_SMTP_PASSWORD``, ``SHEETOPS_IMAP_PASSWORD``) or a prompt, and are never stored.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import click

from sheetops.app.remind import remind_recipients
from sheetops.app.send import send_feedback, send_packs
from sheetops.cli.common import ROUND_DIR, reports_errors, round_language
from sheetops.core.i18n import text
from sheetops.mail.inbound.imap import ImapMailbox, Mailbox, parse_imap_url
from sheetops.mail.log import FAILED, SENT
from sheetops.mail.outbound.delivery import (
    ALREADY_SENT,
    DRAFTED,
    NO_ADDRESS,
    NOT_ATTEMPTED,
    UNCERTAIN,
    UNCHANGED,
    MailReport,
)
from sheetops.mail.outbound.transport import (
    SECURITY_MODES,
    DraftFolder,
    SmtpSettings,
    SmtpTransport,
)
from sheetops.model.workspace import open_round

SMTP_PASSWORD_ENV: Final = "SHEETOPS_SMTP_PASSWORD"
IMAP_PASSWORD_ENV: Final = "SHEETOPS_IMAP_PASSWORD"
SECURITY_CHOICE: Final = click.Choice(SECURITY_MODES)
FILE_OPTION: Final = click.Path(exists=True, dir_okay=False, path_type=Path)


def password_for(env: str, user: str, server: str, lang: str) -> str:
    """Return the password from ``env``, else ask for it (hidden, on standard error)."""
    value = os.environ.get(env)
    if value is not None:
        return value
    return str(click.prompt(text(lang, "mail.password-prompt", user=user, server=server),
                            hide_input=True, err=True))


def imap_mailboxes(url: str | None, security: str | None, cafile: Path | None,
                   lang: str) -> list[Mailbox]:
    """Return the ``--imap`` mailbox of ``collect`` (none without ``--imap``).

    Raises:
        MailError: the URL is malformed.
    """
    if not url:
        return []
    settings = parse_imap_url(url, security=security)
    password = password_for(IMAP_PASSWORD_ENV, settings.user, settings.server, lang)
    return [ImapMailbox(dataclasses.replace(settings, password=password, cafile=cafile))]


def smtp_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the outgoing-server options (each also read from a ``SHEETOPS_…`` variable)."""
    options = [
        click.option("--dry-run", is_flag=True,
                     help="Write the messages as .eml drafts into outbox/mail/; send nothing."),
        click.option("--smtp-host", envvar="SHEETOPS_SMTP_HOST", metavar="HOST",
                     help="Outgoing mail server [env SHEETOPS_SMTP_HOST]."),
        click.option("--smtp-port", envvar="SHEETOPS_SMTP_PORT", type=int, metavar="PORT",
                     help="Port. Default: 587 (starttls), 465 (ssl), 25 (plain)."),
        click.option("--smtp-security", envvar="SHEETOPS_SMTP_SECURITY", type=SECURITY_CHOICE,
                     default="starttls", show_default=True, help="Connection security."),
        click.option("--smtp-user", envvar="SHEETOPS_SMTP_USER", metavar="USER",
                     help="Login name; the password comes from SHEETOPS_SMTP_PASSWORD or a "
                     "prompt. Without it, no login."),
        click.option("--smtp-cafile", envvar="SHEETOPS_SMTP_CAFILE", type=FILE_OPTION,
                     help="Also trust this CA certificate (a server with a private CA)."),
        click.option("--from", "sender", envvar="SHEETOPS_MAIL_FROM", metavar="MAILBOX",
                     help="From: '考核办 <kh@example.org>' [env SHEETOPS_MAIL_FROM]."),
        click.option("--resend", is_flag=True,
                     help="Send again to recipients already sent to (and retry uncertain ones)."),
        click.option("--only", multiple=True, metavar="CODE",
                     help="Only this recipient (repeatable)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_transport(round_dir: Path, lang: str, *, dry_run: bool, smtp_host: str | None,
                   smtp_port: int | None, smtp_security: str, smtp_user: str | None,
                   smtp_cafile: Path | None, sender: str | None) -> SmtpTransport | DraftFolder:
    """Build the transport the options describe (asking for the password when needed).

    Raises:
        click.UsageError: a real send lacks a server or a sender.
        MailError: the sender is not an address.
    """
    if dry_run:
        return DraftFolder(round_dir / "outbox" / "mail", sender)
    if not smtp_host:
        raise click.UsageError(text(lang, "mail.need-host"))
    if not sender:
        raise click.UsageError(text(lang, "mail.need-sender"))
    settings = SmtpSettings(host=smtp_host, sender=sender, security=smtp_security,
                            port=smtp_port, user=smtp_user, cafile=smtp_cafile)
    password = None
    if smtp_user:
        password = password_for(SMTP_PASSWORD_ENV, smtp_user,
                                f"{smtp_host}:{settings.effective_port}", lang)
    return SmtpTransport(dataclasses.replace(settings, password=password))


def echo_mail(report: MailReport, round_dir: Path, lang: str) -> None:
    """Print a send or remind run: the counts, every recipient that needs attention, next."""
    counts = report.counts()
    if report.kind == "remind" and not report.outcomes:
        click.echo(text(lang, "mail.remind.none"))
        return
    if report.dry_run:
        click.echo(text(lang, "mail.drafts", count=counts[DRAFTED], path=report.folder))
    else:
        click.echo(text(lang, f"mail.{report.kind}.summary", total=len(report.outcomes),
                        sent=counts[SENT], already=counts[ALREADY_SENT],
                        unchanged=counts[UNCHANGED], failed=counts[FAILED],
                        uncertain=counts[UNCERTAIN], no_address=counts[NO_ADDRESS],
                        not_attempted=counts[NOT_ATTEMPTED]))
    for outcome in report.outcomes:
        if outcome.status in (FAILED, UNCERTAIN, NO_ADDRESS):
            click.echo(text(lang, f"mail.line.{outcome.status}", code=outcome.recipient,
                            name=outcome.name, address=outcome.address, detail=outcome.detail,
                            kind=report.kind, path=round_dir))
    if counts[ALREADY_SENT]:
        click.echo(text(lang, "mail.hint.already"))
    if counts[UNCHANGED]:
        click.echo(text(lang, "mail.hint.unchanged-feedback" if report.kind == "feedback"
                        else "mail.hint.unchanged"))
    if report.stopped is not None:
        click.echo(text(lang, "mail.stopped", reason=report.stopped))
    elif not report.dry_run:
        click.echo(text(lang, f"mail.next.{report.kind}", path=round_dir))


def _lang_of(**kwargs: Any) -> str:
    return round_language(kwargs["round_dir"])

@click.command()
@ROUND_DIR
@click.option("--feedback", is_flag=True,
              help="Send each branch its own feedback workbook instead of its pack.")
@click.option("--name-peers", is_flag=True,
              help="With --feedback: name the peer raters in the notes.")
@click.option("--provisional", is_flag=True,
              help="With --feedback: send although forms are outstanding, marked provisional.")
@smtp_options
@reports_errors(_lang_of)
def send(round_dir: Path, feedback: bool, name_peers: bool, provisional: bool, dry_run: bool,
         resend: bool, only: tuple[str, ...], **smtp: Any) -> None:
    """Email every recipient its pack (or, with --feedback, each branch its feedback).

    Every message is recorded in the ledger; a re-run skips recipients already sent to,
    so a run that stopped half-way resumes without sending anything twice.
    """
    opened = open_round(round_dir)
    transport = make_transport(round_dir, opened.lang, dry_run=dry_run, **smtp)
    if feedback:
        report = send_feedback(opened, transport, resend=resend, only=only,
                               name_peers=name_peers, provisional=provisional)
    else:
        report = send_packs(opened, transport, resend=resend, only=only)
    echo_mail(report, round_dir, opened.lang)
    if not report.ok:
        raise SystemExit(1)

@click.command()
@ROUND_DIR
@smtp_options
@reports_errors(_lang_of)
def remind(round_dir: Path, dry_run: bool, resend: bool, only: tuple[str, ...],
           **smtp: Any) -> None:
    """Remind every recipient with missing or rejected forms, listing exactly what.

    Rejections come with every reason and its cell address. A recipient is not reminded
    again while what it owes is unchanged, unless --resend.
    """
    opened = open_round(round_dir)
    transport = make_transport(round_dir, opened.lang, dry_run=dry_run, **smtp)
    report = remind_recipients(opened, transport, resend=resend, only=only)
    echo_mail(report, round_dir, opened.lang)
    if not report.ok:
        raise SystemExit(1)
