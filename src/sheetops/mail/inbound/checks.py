"""Checks that only mail makes possible: who sent a returned file, and when it arrived."""

from __future__ import annotations

from collections.abc import Sequence

from sheetops.core.i18n import text
from sheetops.core.issues import Issue, issue
from sheetops.core.statuses import HELD
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

    Every form is checked against its own recipient: a form from an address that is not its
    recipient's roster address is ``sender-mismatch`` and, when valid, held for review (status
    ``held``): recorded and archived but not counted until staff accept it, so a copy filled
    by someone else never replaces the recipient's own form. Forms whose recipient has no
    address in the roster are not checked. The file is ``late`` when the message arrived after
    the deadline day, in the time zone of the arrival time as the receiving server wrote it.

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
    addresses = roster_addresses(round_)
    names = {b.code: b.name for b in round_.roster.branches}
    names.update({i.code: i.name for i in round_.roster.inspectors})
    sender = (received.sender or "").lower()
    for form in forms:
        expected = view.expected.get(form.form_id)
        if expected is None:
            continue
        owner = expected.recipient
        known = addresses.get(owner, "")
        if not known or sender == known:
            continue  # no address to check against, or the recipient's own
        if form.counts:  # valid, but who filled it? staff decide (sheetops accept)
            form.status = HELD
        found.append(issue(
            "sender-mismatch", sheet=form.sheet, form_id=form.form_id,
            sender=received.sender or UNKNOWN_SENDER,
            recipient=text(round_.lang, "form.party", name=names.get(owner, owner), code=owner),
            expected=known))
        form.issues.append(found[-1])
    arrived = received.received_at
    if arrived.date() > round_.config.deadline:
        found.append(issue("late", received=arrived.strftime("%Y-%m-%d %H:%M %z"),
                           deadline=round_.config.deadline.isoformat()))
    return found

