"""Fill generated handbooks the way a branch secretary does (openpyxl), by column id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl

from sheetops.layout.handbook import handbook_layout
from sheetops.layout.packs import plan_handbooks
from sheetops.model.handbook import load_round_handbook
from sheetops.model.workspace import Round

Row = Mapping[str, object]

MEMBERS: list[Row] = [
    {"name": "张伟", "gender": "男", "birth": dt.date(1980, 5, 1), "category": "正式党员",
     "joined": dt.date(2005, 7, 1), "full_date": dt.date(2006, 7, 1), "group": "第一小组"},
    {"name": "李娜", "gender": "女", "birth": dt.date(1990, 3, 12), "category": "正式党员",
     "joined": dt.date(2015, 6, 20), "full_date": dt.date(2016, 6, 20), "group": "第一小组"},
    {"name": "王强", "gender": "男", "birth": dt.date(1998, 9, 9), "category": "预备党员",
     "joined": dt.date(2026, 6, 28), "group": "第二小组"},
]
# A year that meets every requirement: committee, group meeting and theme day every month,
# general assembly and Party lecture every quarter, one life meeting and one appraisal.
ACTIVITIES: list[Row] = [
    *({"date": dt.date(2026, month, 5), "type": "支部委员会", "topic": f"{month}月支委会",
       "present": 3, "chair": "张伟", "recorder": "李娜"} for month in range(1, 13)),
    *({"date": dt.date(2026, month, 12), "type": "党小组会", "topic": "学习交流", "present": 3}
      for month in range(1, 13)),
    *({"date": dt.date(2026, month, 20), "type": "主题党日", "topic": "主题党日", "present": 3}
      for month in range(1, 13)),
    *({"date": dt.date(2026, month, 25), "type": "支部党员大会", "topic": "党员大会", "present": 3}
      for month in (3, 6, 9, 12)),
    *({"date": dt.date(2026, month, 26), "type": "党课", "topic": "书记讲党课", "present": 3}
      for month in (3, 6, 9, 12)),
    {"date": dt.date(2026, 1, 28), "type": "组织生活会", "topic": "年度组织生活会", "present": 3},
    {"date": dt.date(2026, 1, 29), "type": "民主评议党员", "topic": "民主评议", "present": 3},
]
DUES: list[Row] = [
    {"name": "张伟", "month": 1, "base": 6000, "paid": 90, "paid_on": dt.date(2026, 1, 10)},
    {"name": "李娜", "month": 1, "base": 4000, "paid": 40, "paid_on": dt.date(2026, 1, 10)},
    {"name": "王强", "month": 7, "base": 2800, "paid": 14, "paid_on": dt.date(2026, 7, 10)},
]
ADMISSIONS: list[Row] = [
    {"name": "赵敏", "stage:application": dt.date(2024, 3, 1), "stage:talk": dt.date(2024, 3, 20),
     "stage:activist": dt.date(2024, 5, 1), "stage:candidate": dt.date(2025, 6, 1),
     "stage:probationary": dt.date(2026, 6, 28)},
]
HANDOVER: list[Row] = [
    {"field:date": dt.date(2026, 3, 1), "field:from": "刘洋", "field:to": "张伟",
     "field:items": "手册、档案、印章、党费账目", "field:witness": "组织部王科长"},
]
BASIC: Mapping[str, object] = {"unit": "机关", "parent": "机关党委", "founded": dt.date(1998, 7, 1),
                               "term_years": 3}
COUNTS: Mapping[str, object] = {"full": 2, "probationary": 1}


def handbook_file(round_: Round, code: str) -> Path:
    """The generated handbook of branch ``code``."""
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    plans = plan_handbooks(round_.config, handbook, round_.roster, generated_at="")
    return round_.paths.outbox / next(p.file for p in plans if p.code == code)


def fill_handbook(
    round_: Round,
    code: str,
    target: Path,
    *,
    basic: Mapping[str, object] = BASIC,
    committee: Mapping[str, Sequence[object]] | None = None,
    counts: Mapping[str, object] = COUNTS,
    members: Sequence[Row] = MEMBERS,
    activities: Sequence[Row] = ACTIVITIES,
    dues: Sequence[Row] = DUES,
    admissions: Sequence[Row] = ADMISSIONS,
    handover: Sequence[Row] = HANDOVER,
    edits: Mapping[str, Mapping[str, object]] | None = None,
    source: Path | None = None,
) -> Path:
    """Fill ``code``'s handbook with openpyxl and save it as ``target``.

    Tables are filled from their first input row by column id; ``edits`` sets raw cells last
    (``{sheet: {address: value}}``).
    """
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    layout = handbook_layout(handbook, round_.lang)
    book = openpyxl.load_workbook(source or handbook_file(round_, code))
    sheet = book[layout.basic.sheet]
    for field_id, value in basic.items():
        sheet.cell(layout.basic.field_rows[field_id] + 1, 2, value)
    for post, values in (committee or {"secretary": ("张伟", dt.date(2026, 3, 1),
                                                      dt.date(2029, 2, 28))}).items():
        for col, value in enumerate(values, start=2):
            sheet.cell(layout.basic.committee_rows[post] + 1, col, value)
    for category, value in counts.items():
        sheet.cell(layout.basic.count_rows[category] + 1, 2, value)
    for key, rows in (("members", members), ("activities", activities), ("dues", dues),
                      ("admissions", admissions), ("handover", handover)):
        table = layout.tables[key]
        sheet = book[table.sheet]
        for index, row in enumerate(rows):
            for column_id, value in row.items():
                sheet.cell(table.first_row + index + 1, table.col(column_id) + 1, value)
    for sheet_name, cells in (edits or {}).items():
        for address, value in cells.items():
            book[sheet_name][address] = value
    book.save(target)
    return target
