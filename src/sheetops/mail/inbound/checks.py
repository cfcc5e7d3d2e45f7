"""Checks that only mail makes possible: who sent a returned file, and when it arrived."""

from __future__ import annotations

from collections.abc import Sequence

from sheetops.core.i18n import text
from sheetops.core.issues import Issue, issue
from sheetops.intake.sources import Received
from sheetops.mail.inbound.messages import UNKNOWN_SENDER
from sheetops.model.workspace import Round
from sheetops.validate.scoresheet import FormResult, RoundView


def roster_addresses(round_: Round) -> dict[str, str]:
    """Return every recipient's roster address, lower-cased, by code (empty when none)."""
    addresses = {b.code: b.email.strip().lower() for b in round_.roster.branches}
    addresses.update({i.code: i.email.strip().lower() for i in round_.roster.inspectors})
    return addresses


def check_mail_submission(
    received: Received, forms: Sequence[FormResult], round_: Round, view: RoundView
) -> list[Issue]:
    """Check a file that came by mail against the roster and the deadline.

    The file belongs to the recipients whose forms it carries; its sender should be one of
    their roster addresses (``sender-mismatch`` otherwise). It is ``late`` when the message
    arrived after the deadline day, in the time zone of the arrival time as the receiving
    server wrote it. Both are warnings: the committee decides.

    Args:
        received: the received file (files not read from mail are not checked).
        forms: the forms found in it.
        round_: the round (roster, deadline, language).
        view: the round's expected forms.

    Returns:
        The issues found, possibly none.
    """
    if not received.from_mail or not forms:
        return []
    found: list[Issue] = []
    owners = list(dict.fromkeys(view.expected[f.form_id].recipient for f in forms
                                if f.form_id in view.expected))
    addresses = roster_addresses(round_)
    known = [addresses.get(code, "") for code in owners]
    sender = (received.sender or "").lower()
    if owners and all(known) and sender not in known:
        names = {b.code: b.name for b in round_.roster.branches}
        names.update({i.code: i.name for i in round_.roster.inspectors})
        owner = owners[0]
        found.append(issue(
            "sender-mismatch", sender=received.sender or UNKNOWN_SENDER,
            recipient=text(round_.lang, "form.party", name=names.get(owner, owner), code=owner),
            expected=addresses[owner]))
    arrived = received.received_at
    if arrived.date() > round_.config.deadline:
        found.append(issue("late", received=arrived.strftime("%Y-%m-%d %H:%M %z"),
                           deadline=round_.config.deadline.isoformat()))
    return found

