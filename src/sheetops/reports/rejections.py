"""The rejection report: every issue of every file that is not simply accepted, by recipient.

Staff send each branch its rows; every cell from a returned file is written as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetops.core.files import replace_atomically
from sheetops.core.i18n import text
from sheetops.core.issues import REGISTRY
from sheetops.core.statuses import REJECTED, WITH_WARNINGS
from sheetops.forms.formats import new_workbook, setup_print
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round
from sheetops.validate.scoresheet import RoundView

COLUMNS = (
    ("recipient", 12), ("recipient_name", 22), ("file", 30), ("sender", 22), ("received", 20),
    ("status", 14), ("form", 22), ("sheet", 14), ("cell", 8), ("severity", 8), ("code", 22),
    ("message", 60), ("action", 40), ("sha256", 20),
)


def rejection_report_path(round_: Round) -> Path:
    """Return ``reports/rejections-<round id>.xlsx``."""
    return round_.paths.reports / f"rejections-{round_.config.id}.xlsx"


def write_rejection_report(round_: Round, ledger: Ledger, view: RoundView) -> Path:
    """Write the rejection report from the ledger's current state (atomically).

    Args:
        round_: the round.
        ledger: its ledger.
        view: the round's expected forms (to name each file's recipient).

    Returns:
        The report's path.
    """
    lang = round_.lang
    names = {b.code: b.name for b in round_.roster.branches}
    names.update({i.code: i.name for i in round_.roster.inspectors})
    rows: list[tuple[str, ...]] = []
    current = ledger.current_versions()
    for record in ledger.files():
        status = ledger.file_status(record)
        if status not in (REJECTED, WITH_WARNINGS):
            continue
        carried = ledger.submissions(record.sha256)
        if carried and all(
            (now := current.get(s.form_id)) is not None and now.sha256 != record.sha256
            and now.received_at >= record.received_at for s in carried
        ):
            continue  # every form it carried has since come in right: nothing left to fix
        issues = ledger.issues(record.sha256)
        recipients = [view.expected[s.form_id].recipient for s in ledger.submissions(
            record.sha256) if s.form_id in view.expected]
        recipients += [view.handbook.expected[s.form_id] for s in carried
                       if view.handbook and s.form_id in view.handbook.expected]
        recipient = recipients[0] if recipients else ""
        for found in issues:
            rows.append((
                recipient, names.get(recipient, ""), record.name,
                record.sender or text(lang, "collect.unknown-sender"), record.received_at,
                text(lang, f"file-status.{status}"), found.form_id or "", found.sheet or "",
                found.cell or "", text(lang, f"severity.{found.severity.value}"), found.code,
                found.message(lang), REGISTRY[found.code].action(lang),
                record.sha256,
            ))
    rows.sort(key=lambda row: (row[0] == "", row[0], row[4], row[2]))
    target = rejection_report_path(round_)
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(path: Path) -> None:
        book = new_workbook(str(path), lang)
        head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                "text_wrap": True, "valign": "vcenter"})
        body = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        error = book.add_format({"text_wrap": True, "valign": "top", "border": 1,
                                 "font_color": "#C00000"})
        title = book.add_format({"bold": True, "font_size": 14})
        sheet = book.add_worksheet(text(lang, "rejections.sheet"))
        sheet.write_string(0, 0, text(lang, "rejections.title", round=round_.config.title),
                           title)
        made = dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        sheet.write_string(1, 0, text(lang, "rejections.generated", time=made))
        for col, (name, width) in enumerate(COLUMNS):
            sheet.write_string(3, col, text(lang, f"rejections.col.{name}"), head)
            sheet.set_column(col, col, width)
        for r, row in enumerate(rows, start=4):
            style = error if row[9] == text(lang, "severity.error") else body
            for col, value in enumerate(row):
                sheet.write_string(r, col, value, style)
        sheet.autofilter(3, 0, 3 + max(len(rows), 1), len(COLUMNS) - 1)
        sheet.freeze_panes(4, 0)
        setup_print(sheet, header_rows=(3, 3), footer=text(lang, "form.footer"))
        book.close()

    replace_atomically(target, write)
    return target
