"""Handing drafts to the server, each recorded in the ledger so nothing goes out twice.

For every draft, in order:

1. no roster address → reported, nothing sent;
2. a ``pending`` record from an earlier run (it died inside the SMTP transaction): whether the
   message arrived is unknown, so it is reported and only sent again with ``resend`` (under the
   same Message-ID, so mail clients can tell the copies are one message);
3. already sent (``send``) or sent with the same facts (``remind``) → skipped unless ``resend``;
4. otherwise: a live connection first, then the record (``pending``, durably), then the SMTP
   transaction, then the record's outcome (``sent`` / ``failed``).

A refusal that would repeat for every message (a busy or rate-limiting server, a refused
sender) or a broken connection stops the run; a re-run resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sheetops.core.files import exclusive, utc_stamp
from sheetops.ledger.store import Ledger
from sheetops.mail.log import FAILED, PENDING, SENT, MailLog
from sheetops.mail.outbound.compose import Draft, attachment_records, build_message, new_message_id
from sheetops.mail.outbound.transport import (
    DeliveryInterrupted,
    DeliveryRefused,
    DraftFolder,
    MailError,
    SmtpTransport,
)
from sheetops.model.workspace import Round

DRAFTED: Final = "drafted"
ALREADY_SENT: Final = "already-sent"
UNCHANGED: Final = "unchanged"
UNCERTAIN: Final = "uncertain"
NO_ADDRESS: Final = "no-address"
NOT_ATTEMPTED: Final = "not-attempted"
OUTCOMES: Final = (SENT, DRAFTED, ALREADY_SENT, UNCHANGED, FAILED, UNCERTAIN, NO_ADDRESS,
                   NOT_ATTEMPTED)


@dataclass(frozen=True)
class MailOutcome:
    """What happened to one recipient's message in this run."""

    recipient: str
    name: str
    address: str
    status: str
    message_id: str | None = None
    detail: str = ""
    draft: Path | None = None

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON-ready data."""
        return {"recipient": self.recipient, "name": self.name, "address": self.address,
                "status": self.status, "message_id": self.message_id, "detail": self.detail,
                "draft": str(self.draft) if self.draft else None}


@dataclass
class MailReport:
    """The result of one send or remind run."""

    round_id: str
    kind: str  # "send" | "remind"
    dry_run: bool
    outcomes: list[MailOutcome] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped early (the server's words)
    folder: Path | None = None  # where drafts went (dry run)

    def counts(self) -> Counter[str]:
        """Recipients per outcome."""
        return Counter(o.status for o in self.outcomes)

    @property
    def ok(self) -> bool:
        """Whether everything that was due went out (or was drafted)."""
        counts = self.counts()
        return self.stopped is None and counts[FAILED] == 0 and counts[UNCERTAIN] == 0

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        counts = self.counts()
        return {"round": self.round_id, "kind": self.kind, "dry_run": self.dry_run,
                "counts": {status: counts.get(status, 0) for status in OUTCOMES},
                "stopped": self.stopped,
                "outcomes": [o.to_json() for o in self.outcomes]}


def mail_lock(round_: Round) -> AbstractContextManager[None]:
    """Hold the round's mail lock: a second send or remind waits, then sees what the first
    one sent instead of sending it again."""
    return exclusive(round_.paths.private / "mail.lock")


def _outcome(draft: Draft, status: str, message_id: str | None = None, detail: str = "",
             path: Path | None = None) -> MailOutcome:
    return MailOutcome(draft.recipient, draft.name, draft.address, status, message_id, detail,
                       path)


def write_drafts(round_: Round, kind: str, drafts: Sequence[Draft], folder: DraftFolder,
                 now: dt.datetime) -> MailReport:
    """Write every draft as ``<kind>-<code>-<name>.eml`` (nothing is sent or recorded).

    Args:
        round_: the round.
        kind: ``send`` or ``remind``.
        drafts: the messages.
        folder: where to write them (drafts of ``kind`` from an earlier dry run are removed).
        now: the Date of the drafts.

    Returns:
        One ``drafted`` (or ``no-address``) outcome per draft.
    """
    report = MailReport(round_.config.id, kind, True, folder=folder.folder)
    folder.clear(kind)
    for draft in drafts:
        if not draft.address:
            report.outcomes.append(_outcome(draft, NO_ADDRESS))
            continue
        message_id = new_message_id(kind, draft.recipient, folder.sender)
        message = build_message(draft, sender=folder.sender, message_id=message_id, date=now,
                                unsent=True)
        path = folder.write(message, f"{kind}-{draft.stem}")
        report.outcomes.append(_outcome(draft, DRAFTED, message_id, path=path))
    return report


def deliver_drafts(
    round_: Round,
    kind: str,
    drafts: Sequence[Draft],
    transport: SmtpTransport | DraftFolder,
    *,
    resend: bool = False,
    now: dt.datetime | None = None,
) -> MailReport:
    """Send (or draft) every message, recording each one so that a re-run resumes.

    Args:
        round_: the round (its ledger records every message).
        kind: ``send`` or ``remind``.
        drafts: one message per recipient.
        transport: the SMTP server, or a draft folder for a dry run.
        resend: send again to recipients already sent to, and retry uncertain messages.
        now: the messages' Date (default: the moment each one is built).

    Returns:
        One outcome per draft, and why the run stopped if it did.

    Raises:
        MailError: the server cannot be reached, or refuses the login, before anything went
            out (later, the run stops and the report says why).
    """
    if isinstance(transport, DraftFolder):
        return write_drafts(round_, kind, drafts, transport, now or dt.datetime.now(dt.UTC))
    report = MailReport(round_.config.id, kind, False)
    with mail_lock(round_), Ledger(round_.paths.ledger) as ledger:
        log = MailLog(ledger)
        log.durable()
        try:
            for draft in drafts:
                report.outcomes.append(
                    _deliver_one(round_, kind, draft, transport, log, report, resend, now))
        finally:
            transport.close()
    return report


def _deliver_one(round_: Round, kind: str, draft: Draft, transport: SmtpTransport,
                 log: MailLog, report: MailReport, resend: bool,
                 now: dt.datetime | None) -> MailOutcome:
    if report.stopped is not None:
        return _outcome(draft, NOT_ATTEMPTED)
    if not draft.address:
        return _outcome(draft, NO_ADDRESS)
    history = log.messages(kind, draft.recipient)
    reuse: str | None = None
    if history and history[-1].status == PENDING:
        if not resend:
            return _outcome(draft, UNCERTAIN, history[-1].message_id)
        reuse = history[-1].message_id
    elif not resend:
        sent = [record for record in history if record.status == SENT]
        if sent and kind == "send":
            return _outcome(draft, ALREADY_SENT, sent[-1].message_id)
        if sent and sent[-1].fingerprint == draft.fingerprint:
            return _outcome(draft, UNCHANGED, sent[-1].message_id)
    try:
        transport.prepare()
    except MailError as error:
        if not any(o.status in (SENT, FAILED, UNCERTAIN) for o in report.outcomes):
            raise  # nothing went out yet: a plain error says it best
        report.stopped = error.render(round_.lang)
        return _outcome(draft, NOT_ATTEMPTED)
    moment = now or dt.datetime.now(dt.UTC)
    message_id = reuse or new_message_id(kind, draft.recipient, transport.sender)
    message = build_message(draft, sender=transport.sender, message_id=message_id, date=moment)
    record = log.begin(kind=kind, recipient=draft.recipient, address=draft.address,
                       message_id=message_id, subject=draft.subject,
                       attachments=attachment_records(draft.attachments),
                       fingerprint=draft.fingerprint, at=utc_stamp(dt.datetime.now(dt.UTC)))
    try:
        transport.deliver(message, draft.address)
    except DeliveryRefused as refused:
        log.finish(record, FAILED, utc_stamp(dt.datetime.now(dt.UTC)), refused.detail)
        if refused.stop:
            report.stopped = refused.detail
        return _outcome(draft, FAILED, message_id, refused.detail)
    except DeliveryInterrupted as broken:
        # The record stays pending: the next run reports it instead of guessing.
        report.stopped = str(broken)
        return _outcome(draft, UNCERTAIN, message_id, str(broken))
    log.finish(record, SENT, utc_stamp(dt.datetime.now(dt.UTC)))
    return _outcome(draft, SENT, message_id)
