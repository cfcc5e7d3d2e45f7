"""``sheetops send``: one message per recipient with its pack, in the round's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from sheetops.app.links import ACTIVE, list_links
from sheetops.core.i18n import long_date, text
from sheetops.layout.packs import PackPlan, handbook_file, sent_packs
from sheetops.mail.outbound.compose import (
    Draft,
    attachment_records,
    fingerprint,
    form_line,
    signature_lines,
    workbook_content_sha256,
)
from sheetops.mail.outbound.delivery import MailReport, deliver_drafts
from sheetops.mail.outbound.transport import DraftFolder, MailError, SmtpTransport
from sheetops.model.workspace import Round


def pack_attachments(round_: Round, pack: PackPlan) -> tuple[PurePosixPath, ...]:
    """Return the files a recipient is sent, relative to ``outbox/``: its pack, and its
    branch work handbook when one was generated (``outbox/handbooks/``).
    """
    files = [PurePosixPath(pack.file)]
    if pack.recipient_kind == "branch":
        handbook = PurePosixPath(handbook_file(pack.recipient, pack.recipient_name,
                                               round_.lang))
        if (round_.paths.outbox / handbook).is_file():
            files.append(handbook)
    return tuple(files)


def select_packs(packs: Sequence[PackPlan], only: Sequence[str]) -> list[PackPlan]:
    """Return the packs of the recipients in ``only`` (all when empty), in roster order.

    Raises:
        MailError: a code in ``only`` is not a recipient of the round.
    """
    codes = {pack.recipient for pack in packs}
    for code in only:
        if code not in codes:
            raise MailError("mail.unknown-recipient", code=code)
    return [pack for pack in packs if not only or pack.recipient in only]


def portal_lines(round_: Round, links: Mapping[str, str], recipient: str) -> list[str]:
    """The paragraph that gives a recipient its personal upload link (none when the round
    sets no ``[portal] base_url``, or the link is revoked or expired)."""
    url = links.get(recipient)
    return ["", text(round_.lang, "mail.portal-link", url=url)] if url else []


def active_links(round_: Round) -> dict[str, str]:
    """Every recipient's live upload link, when the round sets ``[portal] base_url``."""
    if not round_.config.portal.base_url:
        return {}
    return {link.recipient: link.url for link in list_links(round_) if link.state == ACTIVE}


def pack_draft(round_: Round, pack: PackPlan, *, sender: str | None,
               today: dt.date, links: Mapping[str, str] | None = None) -> Draft:
    """Compose the message that carries ``pack`` to its recipient.

    Args:
        round_: the round (title, deadline, language).
        pack: the recipient's pack.
        sender: the From mailbox, whose display name signs the message.
        today: the date under the signature.
        links: recipients' upload links (above the attachments when there is one).

    Returns:
        The draft, attachments included.
    """
    lang = round_.lang
    attachments = tuple(round_.paths.outbox / part for part in pack_attachments(round_, pack))
    deadline = long_date(lang, round_.config.deadline)
    lines = [
        text(lang, "mail.greeting", name=pack.recipient_name),
        "",
        text(lang, f"mail.send.intro.{pack.recipient_kind}", title=round_.config.title,
             deadline=deadline),
        *portal_lines(round_, links or {}, pack.recipient),
        "",
        text(lang, "mail.send.attached", file=attachments[0].name, count=len(pack.forms)),
        *(form_line(lang, form) for form in pack.forms),
        "",
        text(lang, "mail.send.rules"),
        *signature_lines(lang, sender, today, round_.config.mail.contact),
    ]
    return Draft(
        recipient=pack.recipient,
        name=pack.recipient_name,
        address=pack.email,
        subject=text(lang, "mail.send.subject", title=round_.config.title,
                     name=pack.recipient_name, code=pack.recipient),
        body="\n".join(lines) + "\n",
        attachments=attachments,
        fingerprint=fingerprint(attachment_records(attachments)),
    )


def send_packs(
    round_: Round,
    transport: SmtpTransport | DraftFolder,
    *,
    resend: bool = False,
    only: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> MailReport:
    """Email every recipient its pack (or write the messages as drafts).

    Every message is recorded in the ledger around its SMTP transaction: a re-run skips the
    recipients already sent to (unless ``resend``), so a run that stopped half-way resumes
    without sending anything twice.

    Args:
        round_: the generated round.
        transport: the SMTP server, or a :class:`DraftFolder` for a dry run.
        resend: send again to recipients sent to before.
        only: recipient codes to send to (default: everyone).
        now: the messages' date (default: now).

    Returns:
        One outcome per recipient.

    Raises:
        MailError: a code in ``only`` is unknown, the packs have not been generated, or the
            server cannot be reached or refuses the login before anything went out.
    """
    sent = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    packs = select_packs(sent, only)
    for pack in packs:
        path = round_.paths.outbox / pack.file
        if not path.is_file():
            raise MailError("mail.not-generated", path=path, root=round_.paths.root)
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    links = active_links(round_)
    drafts = [pack_draft(round_, pack, sender=transport.sender, today=today, links=links)
              for pack in packs]
    return deliver_drafts(round_, "send", drafts, transport, resend=resend, now=now)


def feedback_draft(round_: Round, code: str, name: str, address: str, workbook: Path, *,
                   sender: str | None, today: dt.date, provisional: int = 0) -> Draft:
    """Compose the message that carries a branch its own feedback workbook (``provisional``:
    how many forms were still outstanding when it was written; 0 for final feedback)."""
    lang = round_.lang
    attachments = (workbook,)
    title = round_.config.title
    lines = [
        text(lang, "mail.greeting", name=name),
        "",
        (text(lang, "mail.feedback.intro-provisional", title=title, count=provisional)
         if provisional else text(lang, "mail.feedback.intro", title=title)),
        "",
        text(lang, "mail.feedback.attached", file=workbook.name),
        *signature_lines(lang, sender, today, round_.config.mail.contact),
    ]
    subject = text(lang, "mail.feedback.subject", title=title, name=name, code=code)
    if provisional:
        subject = text(lang, "mail.feedback.subject-provisional", subject=subject)
    return Draft(
        recipient=code,
        name=name,
        address=address,
        subject=subject,
        body="\n".join(lines) + "\n",
        attachments=attachments,
        # what the workbook says, not when it was written: unchanged feedback is not resent
        fingerprint=fingerprint([workbook_content_sha256(workbook)]),
    )


def send_feedback(
    round_: Round,
    transport: SmtpTransport | DraftFolder,
    *,
    resend: bool = False,
    only: Sequence[str] = (),
    name_peers: bool = False,
    provisional: bool = False,
    now: dt.datetime | None = None,
) -> MailReport:
    """Email every branch its own feedback workbook (written afresh from the ledger).

    A branch already sent the same feedback is skipped unless ``resend``; changed feedback
    (after a correction and a new rank) goes out again. While expected forms are outstanding
    it goes out only with ``provisional``, and each message and page then says so.

    Args:
        round_: the ranked round.
        transport: the SMTP server, or a :class:`DraftFolder` for a dry run.
        resend: send again even when the feedback did not change.
        only: branch codes to send to (default: every branch).
        name_peers: name the peer raters in the notes (default: anonymous).
        provisional: send although forms are outstanding, marked provisional.
        now: the messages' date (default: now).

    Returns:
        One outcome per branch.

    Raises:
        MailError: a code in ``only`` is not a branch of the round, or the server cannot be
            reached or refuses the login before anything went out.
        FeedbackError: forms are outstanding and ``provisional`` was not given.
    """
    # rank's reports import nothing from mail
    from sheetops.app.feedback import write_round_feedback

    codes = {b.code for b in round_.roster.branches}
    for code in only:
        if code not in codes:
            raise MailError("mail.unknown-recipient", code=code)
    written, outstanding = write_round_feedback(round_, name_peers=name_peers,
                                                provisional=provisional)
    workbooks = dict(zip((b.code for b in round_.roster.branches), written, strict=True))
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    drafts = [
        feedback_draft(round_, b.code, b.name, b.email, workbooks[b.code],
                       sender=transport.sender, today=today, provisional=outstanding)
        for b in round_.roster.branches if not only or b.code in only
    ]
    return deliver_drafts(round_, "feedback", drafts, transport, resend=resend, now=now)
