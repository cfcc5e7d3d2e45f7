"""Checks that depend on the way a file arrived: a recipient's personal link may bring only
that recipient's own forms."""

from __future__ import annotations

from collections.abc import Sequence

from sheetops.core.issues import Issue, issue
from sheetops.core.statuses import REJECTED
from sheetops.intake.sources import Received
from sheetops.validate.scoresheet import FormResult, RoundView


def check_link_owner(received: Received, forms: Sequence[FormResult], view: RoundView
                     ) -> list[Issue]:
    """Reject every form of a file from a personal link that is not the link's recipient's.

    The file is kept (archived and recorded like every received file); the foreign forms do
    not count (their status becomes rejected), and each says why (``not-your-form``). Files
    from elsewhere are not checked.

    Returns:
        The issues to record with the file.
    """
    if received.recipient is None:
        return []
    found = []
    for form in forms:
        expected = view.expected.get(form.form_id)
        if expected is not None and expected.recipient != received.recipient:
            form.status = REJECTED
            found.append(issue("not-your-form", sheet=form.sheet, form_id=form.form_id))
            form.issues.append(found[-1])
    return found
