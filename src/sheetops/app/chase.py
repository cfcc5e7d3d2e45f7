"""``sheetops status --xlsx``: the chase list as a workbook staff phone branches from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

from sheetops.core.errors import Severity
from sheetops.core.i18n import text
from sheetops.core.statuses import REJECTED
from sheetops.ledger.status import round_status
from sheetops.ledger.store import Ledger
from sheetops.mail.log import SENT, MailLog
from sheetops.model.workspace import Round
from sheetops.reports.chase import chase_rows, write_chase_list


def chase_list_path(round_: Round) -> Path:
    """Return ``reports/chase-<round id>.xlsx``."""
    return round_.paths.reports / f"chase-{round_.config.id}.xlsx"


def last_reminders(round_: Round, codes: Collection[str] | None = None) -> dict[str, str]:
    """When each recipient (of ``codes``, default every one) was last reminded by mail (UTC
    ISO), by code."""
    if not round_.paths.ledger.is_file():
        return {}
    found: dict[str, str] = {}
    with Ledger(round_.paths.ledger) as ledger:
        for record in MailLog(ledger).messages(kind="remind"):
            if record.status == SENT and (codes is None or record.recipient in codes):
                found[record.recipient] = record.finished_at or record.created_at
    return found


def rejection_reasons(round_: Round) -> dict[str, str]:
    """Why the latest rejected return of each form went back (its first error), by form id."""
    if not round_.paths.ledger.is_file():
        return {}
    lang = round_.lang
    latest: dict[str, str] = {}
    with Ledger(round_.paths.ledger) as ledger:
        for state in ledger.submission_states():  # in arrival order: later ones overwrite
            if state.status == REJECTED:
                latest[state.form_id] = state.sha256
        issues = {sha: ledger.issues(sha) for sha in set(latest.values())}
    reasons = {}
    for form_id, sha in latest.items():
        errors = [i for i in issues[sha] if i.severity == Severity.ERROR
                  and i.form_id in (form_id, None)]
        if errors:
            first = errors[0]
            where = first.cell or ""  # the sheet is named beside it
            message = first.message(lang)
            reasons[form_id] = (text(lang, "chase.reason", where=where, message=message)
                                if where else message)
    return reasons


def chase_round(round_: Round, *, now: dt.datetime | None = None) -> Path:
    """Write the round's chase list workbook.

    Returns:
        Its path, ``reports/chase-<round id>.xlsx``.
    """
    status = round_status(round_)
    rows = chase_rows(status, {b.code: (b.secretary, b.phone) for b in round_.roster.branches},
                      rejection_reasons(round_), last_reminders(round_))
    return write_chase_list(round_, rows, chase_list_path(round_), now=now)
