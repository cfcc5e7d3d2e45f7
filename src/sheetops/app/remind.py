"""``sheetops remind``: a message to every recipient whose forms are missing or rejected.

Each reminder lists exactly what is still due: the forms not received, the forms rejected with
every reason and its cell address, and the messages or files from the recipient's address that
could not be used at all. A reminder is not repeated while those facts stay the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheetops.app.send import active_links, pack_attachments, portal_lines, select_packs
from sheetops.core.errors import Severity
from sheetops.core.i18n import long_date, text
from sheetops.core.issues import REGISTRY, Issue
from sheetops.core.statuses import ACCEPTED, REJECTED, WITH_WARNINGS
from sheetops.layout.packs import FormPlan, PackPlan, sent_packs
from sheetops.ledger.store import FileRecord, Ledger, Submission
from sheetops.mail.outbound.compose import (
    Draft,
    fingerprint,
    form_label,
    form_line,
    signature_lines,
)
from sheetops.mail.outbound.delivery import MailReport, deliver_drafts
from sheetops.mail.outbound.transport import DraftFolder, SmtpTransport
from sheetops.model.workspace import Round


@dataclass(frozen=True)
class RejectedForm:
    """A form whose latest submission was rejected, with the reasons."""

    form: FormPlan
    file: FileRecord
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class UnusableFile:
    """A message or file from the recipient's address that carried no form at all."""

    file: FileRecord
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class Reminder:
    """What one recipient still owes."""

    pack: PackPlan
    missing: tuple[FormPlan, ...]
    rejected: tuple[RejectedForm, ...]
    unusable: tuple[UnusableFile, ...]

    @property
    def count(self) -> int:
        """Forms still due."""
        return len(self.missing) + len(self.rejected)

    def facts(self) -> dict[str, object]:
        """What the reminder says, as plain data (its fingerprint)."""
        return {
            "missing": [f.identity.form_id for f in self.missing],
            "rejected": [[r.form.identity.form_id, r.file.sha256] for r in self.rejected],
            "unusable": [u.file.sha256 for u in self.unusable],
        }


def _errors(issues: Sequence[Issue]) -> tuple[Issue, ...]:
    return tuple(i for i in issues if i.severity is Severity.ERROR)


def due_reminders(round_: Round) -> list[Reminder]:
    """Return what every recipient with missing or rejected forms still owes, in roster order.

    A form is due unless it has a counting submission; it is *rejected* when its latest
    submission was, and *missing* otherwise. Files from the recipient's roster address that
    carried no form and were rejected after its last counting submission are listed too.

    Args:
        round_: the round.

    Returns:
        One reminder per recipient that owes something.
    """
    packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    with Ledger(round_.paths.ledger) as ledger:
        submissions = ledger.submissions()
        files = {f.sha256: f for f in ledger.files()}
        carried = {s.sha256 for s in submissions}
        latest: dict[str, Submission] = {}
        counted: set[str] = set()
        for submission in submissions:  # in received order: later ones overwrite
            if submission.status in (ACCEPTED, WITH_WARNINGS, REJECTED):
                latest[submission.form_id] = submission
            if submission.current:
                counted.add(submission.form_id)
        reminders = []
        for pack in packs:
            due = [f for f in pack.forms if f.identity.form_id not in counted]
            if not due:
                continue
            missing, rejected = [], []
            for form in due:
                chosen = latest.get(form.identity.form_id)
                if chosen is None or chosen.status != REJECTED:
                    missing.append(form)
                    continue
                found = ledger.issues(chosen.sha256)
                reasons = _errors([i for i in found if i.form_id == form.identity.form_id or (
                    i.form_id is None and i.sheet in (None, form.sheet))])
                rejected.append(RejectedForm(form, files[chosen.sha256], reasons))
            last_counted = max((s.received_at for s in submissions if s.current and any(
                s.form_id == f.identity.form_id for f in pack.forms)), default="")
            unusable = [
                UnusableFile(record, _errors(ledger.issues(record.sha256)))
                for record in files.values()
                if record.sha256 not in carried and record.status == REJECTED
                and pack.email and (record.sender or "").lower() == pack.email.lower()
                and record.received_at > last_counted
            ]
            reminders.append(Reminder(pack, tuple(missing), tuple(rejected), tuple(unusable)))
    return reminders


def _day(lang: str, iso: str) -> str:
    return long_date(lang, dt.datetime.fromisoformat(iso).astimezone().date())


def _problem_lines(lang: str, issues: Sequence[Issue]) -> list[str]:
    lines = []
    for found in issues:
        params = {"message": found.message(lang), "action": REGISTRY[found.code].action(lang)}
        if found.cell:
            lines.append(text(lang, "mail.remind.problem-cell", cell=found.cell, **params))
        else:
            lines.append(text(lang, "mail.remind.problem", **params))
    return lines


def reminder_draft(round_: Round, reminder: Reminder, *, sender: str | None,
                   today: dt.date, links: Mapping[str, str] | None = None) -> Draft:
    """Compose the reminder for one recipient.

    Args:
        round_: the round (title, deadline, language).
        reminder: what the recipient still owes.
        sender: the From mailbox, whose display name signs the message.
        today: the date the reminder speaks of, and under the signature.
        links: recipients' upload links (given right after the opening when there is one).

    Returns:
        The draft, with the recipient's pack attached again.
    """
    lang = round_.lang
    pack = reminder.pack
    lines = [
        text(lang, "mail.greeting", name=pack.recipient_name),
        "",
        text(lang, "mail.remind.intro", title=round_.config.title,
             deadline=long_date(lang, round_.config.deadline), today=long_date(lang, today)),
        *portal_lines(round_, links or {}, pack.recipient),
    ]
    if reminder.missing:
        lines += ["", text(lang, "mail.remind.missing", count=len(reminder.missing))]
        lines += [form_line(lang, form) for form in reminder.missing]
    if reminder.rejected:
        lines += ["", text(lang, "mail.remind.rejected", count=len(reminder.rejected))]
        for rejected in reminder.rejected:
            lines.append(text(lang, "mail.remind.rejected-form",
                              label=form_label(lang, rejected.form), sheet=rejected.form.sheet,
                              file=rejected.file.name,
                              date=_day(lang, rejected.file.received_at)))
            lines += _problem_lines(lang, rejected.issues)
    if reminder.unusable:
        lines += ["", text(lang, "mail.remind.unusable", count=len(reminder.unusable))]
        for unusable in reminder.unusable:
            lines.append(text(lang, "mail.remind.unusable-file", file=unusable.file.name,
                              date=_day(lang, unusable.file.received_at)))
            lines += _problem_lines(lang, unusable.issues)
    lines += ["", text(lang, "mail.remind.closing"), *signature_lines(lang, sender, today,
                                                                     round_.config.mail.contact)]
    attachments = tuple(path for path in (
        round_.paths.outbox / part for part in pack_attachments(round_, pack)) if path.is_file())
    return Draft(
        recipient=pack.recipient,
        name=pack.recipient_name,
        address=pack.email,
        subject=text(lang, "mail.remind.subject", title=round_.config.title,
                     name=pack.recipient_name, code=pack.recipient, count=reminder.count),
        body="\n".join(lines) + "\n",
        attachments=attachments,
        fingerprint=fingerprint(reminder.facts()),
    )


def remind_recipients(
    round_: Round,
    transport: SmtpTransport | DraftFolder,
    *,
    resend: bool = False,
    only: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> MailReport:
    """Remind every recipient with missing or rejected forms (or write the reminders as drafts).

    Each reminder is recorded in the ledger like a send; a recipient is not reminded again
    while what it owes is unchanged, unless ``resend``.

    Args:
        round_: the round.
        transport: the SMTP server, or a :class:`DraftFolder` for a dry run.
        resend: remind again even when nothing changed since the last reminder.
        only: recipient codes to remind (default: everyone who owes something).
        now: the reminders' date (default: now).

    Returns:
        One outcome per recipient that owes something (none when every form is in).

    Raises:
        MailError: a code in ``only`` is not a recipient of the round, or the server cannot
            be reached or refuses the login before anything went out.
    """
    packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    chosen = {pack.recipient for pack in select_packs(packs, only)}
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    links = active_links(round_)
    drafts = [reminder_draft(round_, reminder, sender=transport.sender, today=today, links=links)
              for reminder in due_reminders(round_) if reminder.pack.recipient in chosen]
    return deliver_drafts(round_, "remind", drafts, transport, resend=resend, now=now)
