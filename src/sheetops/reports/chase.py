"""The chase list as a workbook: one row per recipient who still owes something, to phone from.

Each row names the recipient, its secretary, phone and e-mail, what is missing, what went back and
why, what waits for review, and when it was last reminded; a blank column is left for the
notes staff take on the phone. Every text from the roster or a returned file is written as
text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sheetops.core.files import replace_atomically
from sheetops.core.i18n import join_items, text
from sheetops.core.statuses import HELD, REJECTED
from sheetops.core.times import local_time
from sheetops.forms.formats import new_workbook, row_height, setup_print
from sheetops.ledger.status import MISSING, RecipientStatus, StatusReport
from sheetops.model.workspace import Round

# (catalog key, width in characters)
COLUMNS: Final = (
    ("number", 5), ("code", 8), ("name", 24), ("kind", 6), ("secretary", 9), ("phone", 13),
    ("email", 24), ("missing", 26), ("rejected", 38), ("held", 14), ("reminded", 15),
    ("notes", 16),
)

REJECTED_COLUMN: Final = next(i for i, (key, _) in enumerate(COLUMNS) if key == "rejected")


@dataclass(frozen=True)
class ChaseRow:
    """What one recipient still owes."""

    recipient: RecipientStatus
    secretary: str
    phone: str
    missing: list[str]  # sheets never returned
    rejected: list[tuple[str, str]]  # (sheet, why it went back)
    held: list[str]  # sheets waiting for review
    reminded: str  # when last reminded (UTC ISO), or ""


def chase_rows(status: StatusReport, contacts: Mapping[str, tuple[str, str]],
               reasons: Mapping[str, str], reminded: Mapping[str, str]) -> list[ChaseRow]:
    """The recipients who owe a form, in roster order (branches, then inspectors).

    Args:
        status: where every form stands.
        contacts: each branch's secretary and phone, by code.
        reasons: why each rejected form went back, by form id (its first error).
        reminded: when each recipient was last reminded, by code.
    """
    rows = []
    for recipient in status.recipients:
        missing = [f.sheet for f in recipient.forms if f.status == MISSING]
        rejected = [(f.sheet, reasons.get(f.form_id, "")) for f in recipient.forms
                    if f.status == REJECTED]
        held = [f.sheet for f in recipient.forms if f.status == HELD]
        if missing or rejected or held:
            secretary, phone = contacts.get(recipient.code, ("", ""))
            rows.append(ChaseRow(recipient, secretary, phone, missing, rejected, held,
                                 reminded.get(recipient.code, "")))
    return rows


def write_chase_list(round_: Round, rows: Sequence[ChaseRow], target: Path, *,
                     now: dt.datetime | None = None) -> Path:
    """Write the chase list workbook (atomically), A4 landscape, one page wide.

    Returns:
        ``target``.
    """
    lang = round_.lang
    zone = round_.config.zone
    made = local_time(now or dt.datetime.now(dt.UTC), zone)
    widths = [width for _, width in COLUMNS]

    def write(path: Path) -> None:
        book = new_workbook(str(path), lang)
        title = book.add_format({"bold": True, "font_size": 14})
        head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                "text_wrap": True, "valign": "vcenter", "align": "center"})
        body = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        bad = book.add_format({"text_wrap": True, "valign": "top", "border": 1,
                               "font_color": "#C00000"})
        sheet = book.add_worksheet(text(lang, "chase.sheet"))
        sheet.write_string(0, 0, text(lang, "chase.title", round=round_.config.title), title)
        sheet.set_row(0, 24)
        sheet.write_string(1, 0, text(lang, "chase.made", time=made, count=len(rows),
                                      deadline=round_.config.deadline.isoformat()))
        for col, (key, width) in enumerate(COLUMNS):
            sheet.set_column(col, col, width)
            sheet.write_string(3, col, text(lang, f"chase.col.{key}"), head)
        sheet.set_row(3, 30)
        for index, row in enumerate(rows, start=1):
            r = 3 + index
            who = row.recipient
            rejected = "\n".join(text(lang, "chase.rejected-line", sheet=sheet_name,
                                      reason=reason) if reason else sheet_name
                                 for sheet_name, reason in row.rejected)
            values = [
                str(index), who.code, who.name, text(lang, f"status.kind.{who.kind}"),
                row.secretary, row.phone, who.email, join_items(lang, row.missing), rejected,
                join_items(lang, row.held), local_time(row.reminded, zone) or
                text(lang, "chase.never-reminded"), "",
            ]
            for col, value in enumerate(values):
                sheet.write_string(r, col, value, bad if col == REJECTED_COLUMN and value else body)
            sheet.set_row(r, row_height(list(zip(values, widths, strict=True))))
        if not rows:
            sheet.write_string(4, 0, text(lang, "chase.nothing-owed"))
        sheet.freeze_panes(4, 0)
        setup_print(sheet, header_rows=(3, 3), footer=text(lang, "form.footer"))
        sheet.print_area(0, 0, 3 + max(len(rows), 1), len(COLUMNS) - 1)
        book.close()

    target.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(target, write)
    return target
