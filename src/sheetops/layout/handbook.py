"""Where every input of a handbook is: the contract the handbook writer and its reader share.

Every input sheet has the same head::

    1  handbook title: sheet title
    2  branch (code), year, form id
    3  the definition's instruction line for the sheet
    5  column headers                                  <- repeated when printing
    6… input rows (only the light-yellow cells are unlocked), numbered 1, 2, … in column A

How many rows a table has depends on the branch (:func:`table_rows`); a returned handbook's
tables are as long as their numbering runs (:func:`returned_layout`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sheetops.core.i18n import text
from sheetops.model.handbook import MAX_CAPACITY, Handbook

HEADER_ROW: Final = 4
TEXT_WIDTHS: Final = (30.0, 36.0, 30.0)
BASIC_WIDTHS: Final = (22.0, 20.0, 16.0, 16.0, 30.0)
MONTHS: Final = 12


def table_rows(handbook: Handbook, members: int | None) -> dict[str, int]:
    """Return how many rows each table of a branch's handbook has.

    The member roll and the dues follow the roster's member count when there is one: the roll
    has the members plus a fifth (at least ten) for those who join during the year, rounded up
    to ten; the dues a row for every roll row and month. The other tables, and every table of
    a branch without a count, have the definition's ``capacity``. A branch of 68 gets a roll
    of 90 rows and 1,080 dues rows.
    """
    rows = {key: handbook.rows(key) for key in ("members", "activities", "dues", "admissions",
                                                  "handover")}
    if members is not None and members > 0:
        roll = math.ceil((members + max(10, math.ceil(members / 5))) / 10) * 10
        roll = min(roll, MAX_CAPACITY // MONTHS)
        rows["members"], rows["dues"] = roll, roll * MONTHS
    return rows


@dataclass(frozen=True)
class Column:
    """A table column: what it holds and how it is checked.

    Attributes:
        kind: ``text``, ``date``, ``integer``, ``number``, ``month``, ``choice`` (from
            ``choices``), ``formula`` (calculated, locked) or ``number-label`` (row number).
    """

    id: str
    header: str
    width: float
    kind: str
    choices: tuple[str, ...] = ()

    @property
    def input(self) -> bool:
        """Whether the branch types into this column."""
        return self.kind not in ("formula", "number-label")


@dataclass(frozen=True)
class Table:
    """An input table: its sheet, columns and rows (0-based)."""

    key: str
    sheet: str
    title: str
    columns: tuple[Column, ...]
    rows: int
    header_row: int = HEADER_ROW

    @property
    def first_row(self) -> int:
        """The first input row."""
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last input row."""
        return self.first_row + self.rows - 1

    def col(self, column_id: str) -> int:
        """The index of column ``column_id``."""
        return next(i for i, c in enumerate(self.columns) if c.id == column_id)


@dataclass(frozen=True)
class BasicLayout:
    """Where the basic-information form keeps each input (0-based rows; values in column B)."""

    sheet: str
    title: str
    field_rows: Mapping[str, int]
    committee_header: int
    committee_rows: Mapping[str, int]  # post id → row: post | name | start | end | note
    count_header: int
    count_rows: Mapping[str, int]  # category id → row: category | count
    total_row: int


COMMITTEE_COLUMNS: Final = ("post", "name", "start", "end", "note")


@dataclass(frozen=True)
class HandbookLayout:
    """Every sheet of a handbook and where its inputs are; writer and reader share it."""

    text_sheets: tuple[tuple[str, str], ...]  # (part id, sheet name)
    basic: BasicLayout
    tables: Mapping[str, Table] = field(default_factory=dict)

    @property
    def sheets(self) -> tuple[str, ...]:
        """Every sheet name, in workbook order."""
        return (*(name for _, name in self.text_sheets), self.basic.sheet,
                *(t.sheet for t in self.tables.values()))


def sheet_name(value: str) -> str:
    """Return ``value`` usable as a sheet name (at most 31 characters, no ``[]:*?/\\``)."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in value).strip("' ")
    return cleaned[:31] or "_"


def handbook_layout(handbook: Handbook, lang: str, members: int | None = None,
                    ) -> HandbookLayout:
    """Return every sheet and input cell of a handbook under ``handbook`` in ``lang``.

    Args:
        handbook: the definition.
        lang: the round's language (sheet names and headers).
        members: the branch's member count from the roster, when known (see
            :func:`table_rows`).

    Returns:
        The layout.
    """
    def t(key: str) -> str:
        return text(lang, f"handbook.{key}")

    def col(column_id: str, width: float, kind: str, choices: Sequence[str] = ()) -> Column:
        return Column(column_id, t(f"col.{column_id}"), width, kind, tuple(choices))

    number = col("number", 5.5, "number-label")
    categories = [c.name for c in handbook.member_categories]
    meetings = [m.name for m in handbook.meeting_types]
    tables = {
        "members": (number, col("name", 10, "text"), col("gender", 6, "text"),
                    col("birth", 11, "date"), col("category", 10, "choice", categories),
                    col("joined", 11, "date"), col("full_date", 11, "date"),
                    col("group", 10, "text"), col("phone", 13, "text"), col("note", 22, "text")),
        "activities": (number, col("date", 11, "date"), col("type", 13, "choice", meetings),
                       col("topic", 30, "text"), col("present", 7, "integer"),
                       col("absent", 24, "text"), col("chair", 9, "text"),
                       col("recorder", 9, "text")),
        "dues": (number, col("name", 10, "text"), col("month", 6, "month"),
                 col("base", 11, "number"),
                 col("status", 9, "choice", (t("dues.employed"), t("dues.retired"))),
                 col("rate", 8, "formula"), col("due", 10, "formula"), col("paid", 10, "number"),
                 col("paid_on", 11, "date"), col("note", 20, "text")),
        "admissions": (number, col("name", 10, "text"),
                       *(Column(f"stage:{s.id}", s.name, 12, "date")
                         for s in handbook.admission_stages), col("note", 20, "text")),
        "handover": (number, *(Column(f"field:{f.id}", f.label, 24 if f.kind == "text" else 12,
                                      f.kind) for f in handbook.handover_fields)),
    }
    field_rows = _consecutive_rows([i.id for i in handbook.basic_info], HEADER_ROW + 1)
    committee_header = HEADER_ROW + 1 + len(field_rows) + 2
    committee_rows = _consecutive_rows([p.id for p in handbook.committee_posts],
                                       committee_header + 1)
    count_header = committee_header + 1 + len(committee_rows) + 2
    count_rows = _consecutive_rows([c.id for c in handbook.member_categories], count_header + 1)
    row = count_header + 1 + len(count_rows)
    basic = BasicLayout(sheet_name(t("sheet.basic_info")), t("sheet.basic_info"), field_rows,
                        committee_header, committee_rows, count_header, count_rows, row)
    rows = table_rows(handbook, members)
    return HandbookLayout(
        tuple((p.id, sheet_name(p.title)) for p in handbook.text_parts),
        basic,
        {key: Table(key, sheet_name(t(f"sheet.{key}")), t(f"sheet.{key}"), columns, rows[key])
         for key, columns in tables.items()},
    )


def returned_layout(layout: HandbookLayout, grids: Mapping[str, Sequence[Sequence[Any]]],
                    ) -> HandbookLayout:
    """Return ``layout`` with each table as long as it is in a returned handbook.

    A table's rows are numbered 1, 2, … in its first column, which is locked: the table ends
    where the numbering does. This reads handbooks of any size, those written before the
    sizes followed the member count too; a table whose numbering is gone keeps the rows of
    ``layout``.

    Args:
        layout: the layout the handbook was written with, up to the tables' sizes.
        grids: the returned sheets' cells, by sheet name.
    """
    tables = {}
    for key, table in layout.tables.items():
        grid = grids.get(table.sheet, ())
        rows = 0
        for row in grid[table.first_row:]:
            if not row or not _is_number(row[0], rows + 1):
                break
            rows += 1
        tables[key] = dataclasses.replace(table, rows=rows) if rows else table
    return dataclasses.replace(layout, tables=tables)


def _is_number(value: Any, wanted: int) -> bool:
    """Whether a cell holds the row number ``wanted`` (as a number or, from some clients,
    as text)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == wanted
    return isinstance(value, str) and value.strip() == str(wanted)


def _consecutive_rows(ids: list[str], first: int) -> dict[str, int]:
    """One row per id, from ``first`` down."""
    return {ident: first + offset for offset, ident in enumerate(ids)}
