"""Check a returned work handbook: identity, then every input cell and the rules between them.

Pure: input is the handbook's ``_meta`` entries and the sheet grids the sandboxed reader read;
output is every issue located by sheet and Excel address, and the records the handbook carried
(:class:`~sheetops.scoring.handbook.HandbookRecords`). What is checked comes from the definition:
dates are real (date cells, serial numbers from some clients, or text such as ``2026-03-01``
or ``2026年3月1日`` read with a warning); admission stages are in order and keep the minimum
intervals (and are warned about past the maximum); dues are recomputed from the brackets;
meeting types and member categories are from the lists; the member counts of the basic
information agree with the roll.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from sheetops.core.i18n import join_items, text
from sheetops.core.identity import META_SHEET, verify_identity
from sheetops.core.issues import Issue, issue
from sheetops.core.untrusted import bounded_decimal
from sheetops.intake.cells import Grid, MetaEntry, value_at
from sheetops.intake.dates import EXCEL_1900, DateSystem, is_date_value, shown_date
from sheetops.layout.handbook import (
    COMMITTEE_COLUMNS,
    HandbookLayout,
    Table,
    handbook_layout,
    returned_layout,
)
from sheetops.layout.packs import HANDBOOK
from sheetops.model.handbook import (
    FULL,
    PROBATIONARY,
    Activity,
    Applicant,
    CommitteeMember,
    DuesEntry,
    Handbook,
    HandbookRecords,
    Interval,
    Member,
    dues_due,
)
from sheetops.model.scheme import shown_number
from sheetops.model.tables import cell_address, cell_text

EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
LAST_SERIAL: Final = 2958465  # 9999-12-31
_TEXT_DATE: Final = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_UNITS: Final = ("元", "人", "次", "月", "个", "yuan")


@dataclass(frozen=True)
class HandbookContext:
    """What checking a handbook needs to know about the round."""

    round_id: str
    key: bytes
    handbook: Handbook
    expected: Mapping[str, str]  # handbook form id → branch code
    year: int
    lang: str


@dataclass
class HandbookCheck:
    """The outcome: issues in sheet order, the records read, and whether nothing was filled."""

    issues: list[Issue] = field(default_factory=list)
    records: HandbookRecords | None = None
    blank: bool = False


# -- reading cells --------------------------------------------------------------------------


def read_date(value: Any) -> tuple[dt.date | None, str | None]:
    """Read a date cell's raw value.

    Date cells come back as dates; some clients save serial numbers (Excel's 1900 date
    system); people type text.

    Returns:
        ``(date, code)``: code None for a clean (or blank) value, ``handbook-date-text`` for a
        date read from text, ``handbook-date-invalid`` otherwise (date None).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):  # no client writes nan or inf; a crafted file may
            return None, "handbook-date-invalid"
        serial = int(value)
        if not 1 <= serial <= LAST_SERIAL or serial == 60:  # 60: Excel's 1900-02-29
            return None, "handbook-date-invalid"
        return EXCEL_EPOCH + dt.timedelta(days=serial + (1 if serial < 60 else 0)), None
    if isinstance(value, str):
        match = _TEXT_DATE.fullmatch(unicodedata.normalize("NFKC", value).strip())
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups())), "handbook-date-text"
            except ValueError:
                pass
    return None, "handbook-date-invalid"


def read_amount(value: Any, dates: DateSystem = EXCEL_1900,
                ) -> tuple[Decimal | None, str | None]:
    """Read a numeric cell's raw value.

    A number shown as a date or time (the cell had a date format) is the number stored,
    counted in the workbook's date system ``dates``.

    Returns:
        ``(number, code)``: code None for a clean (or blank) value, ``handbook-number-text``
        for a number typed as text (full-width digits, a unit),
        ``handbook-number-date-formatted`` for a number shown as a date,
        ``handbook-number-invalid`` otherwise (number None).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if is_date_value(value):
        serial = dates.serial(value)
        return ((None, "handbook-number-invalid") if serial is None
                else (serial, "handbook-number-date-formatted"))
    if isinstance(value, bool):
        return None, "handbook-number-invalid"
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "handbook-number-invalid"
        number = Decimal(repr(value))
        return (number.to_integral_value() if number == number.to_integral_value()
                else number), None
    if isinstance(value, str):
        normal = re.sub(r"[\s,]+", "", unicodedata.normalize("NFKC", value))
        for unit in _UNITS:
            normal = normal.removesuffix(unit)
        typed = bounded_decimal(normal)  # digits and exponent bounded before converting
        if typed is not None:
            return typed, "handbook-number-text"
    return None, "handbook-number-invalid"


def _shown(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return shown_number(Decimal(repr(value)))
    if is_date_value(value):
        return shown_date(value)
    return cell_text(value)


class _Sheet:
    """Reads one sheet's cells and records the issues found, located."""

    def __init__(self, check: _Check, name: str, grid: Grid) -> None:
        self.check = check
        self.name = name
        self.grid = grid

    def raw(self, row: int, col: int) -> Any:
        return value_at(self.grid, row, col)

    def text(self, row: int, col: int) -> str:
        value = self.raw(row, col)
        return _shown(value) if isinstance(value, float) else cell_text(value)

    def required_text(self, row: int, col: int, what: str) -> str:
        """The cell's text; a blank cell is reported missing."""
        value = self.text(row, col)
        if not value:
            self.add("handbook-value-missing", row, col, what=what)
        return value

    def add(self, code: str, row: int, col: int, **params: Any) -> None:
        self.check.result.issues.append(issue(
            code, sheet=self.name, cell=cell_address(row, col), form_id=self.check.form_id,
            **params))

    def date(self, row: int, col: int, what: str, *, required: bool = False,
             in_year: bool = False) -> dt.date | None:
        value = self.raw(row, col)
        date, code = read_date(value)
        if code == "handbook-date-invalid":
            self.add(code, row, col, what=what, value=_shown(value))
            return None
        if code is not None and date is not None:
            self.add(code, row, col, what=what, value=cell_text(value), reading=date.isoformat())
        if date is None and required:
            self.add("handbook-value-missing", row, col, what=what)
        if date is not None and in_year and date.year != self.check.context.year:
            self.add("handbook-date-outside-year", row, col, what=what, value=date.isoformat(),
                     year=self.check.context.year)
        return date

    def amount(self, row: int, col: int, what: str, *, required: bool = False,
               whole: bool = False, low: int = 0, high: int | None = None) -> Decimal | None:
        value = self.raw(row, col)
        number, code = read_amount(value, self.check.dates)
        valid = number is not None and number >= low and (high is None or number <= high) and (
            not whole or number == number.to_integral_value())
        if code == "handbook-number-invalid" or (number is not None and not valid):
            expected = text(self.check.lang, "handbook.expected.month" if high == 12 else
                            "handbook.expected.integer" if whole else "handbook.expected.number")
            self.add("handbook-number-invalid", row, col, what=what, value=_shown(value),
                     expected=expected)
            return None
        if code is not None and number is not None:
            self.add(code, row, col, what=what, value=_shown(value),
                     reading=shown_number(number))
        if number is None and required:
            self.add("handbook-value-missing", row, col, what=what)
        return number

    def choice(self, row: int, col: int, what: str, choices: Mapping[str, str], *,
               required: bool = False) -> str | None:
        """Return the id of the chosen name (names and ids both accepted)."""
        value = unicodedata.normalize("NFKC", self.text(row, col)).strip()
        if not value:
            if required:
                self.add("handbook-value-missing", row, col, what=what)
            return None
        by_name = {unicodedata.normalize("NFKC", name).casefold(): key
                   for key, name in choices.items()}
        found = by_name.get(value.casefold()) or (value if value in choices else None)
        if found is None:
            self.add("handbook-choice-invalid", row, col, what=what, value=value,
                     choices=join_items(self.check.lang, choices.values()))
        return found


class _Check:
    """Checks one handbook's sheets."""

    def __init__(self, context: HandbookContext, form_id: str, grids: Mapping[str, Grid],
                 layout: HandbookLayout, dates: DateSystem = EXCEL_1900) -> None:
        self.context = context
        self.dates = dates
        self.handbook = context.handbook
        self.lang = context.lang
        self.form_id = form_id
        self.grids = grids
        self.layout = layout
        self.result = HandbookCheck()

    def t(self, key: str, /, **params: object) -> str:
        return text(self.lang, f"handbook.{key}", **params)

    def sheet(self, name: str) -> _Sheet:
        return _Sheet(self, name, self.grids.get(name, []))

    def structure_ok(self, sheet: _Sheet, expected: Sequence[tuple[int, int, str]]) -> bool:
        for row, col, wanted in expected:
            if sheet.text(row, col) != wanted:
                sheet.add("handbook-structure-changed", row, col, expected=wanted)
                return False
        return True

    # -- the sheets ---------------------------------------------------------------------------

    def run(self) -> HandbookRecords | None:
        basic_grid = self.layout.basic
        headers = [
            (basic_grid.sheet, [(row, 0, f.label) for f in self.handbook.basic_info
                                for row in (basic_grid.field_rows[f.id],)]
             + [(basic_grid.committee_header, col, self.t(f"col.committee_{key}"))
                for col, key in enumerate(COMMITTEE_COLUMNS)]
             + [(basic_grid.count_rows[c.id], 0, c.name) for c in self.handbook.member_categories]),
            *((table.sheet, [(table.header_row, col, column.header)
                             for col, column in enumerate(table.columns)])
              for table in self.layout.tables.values()),
        ]
        if not all(self.structure_ok(self.sheet(name), expected) for name, expected in headers):
            return None
        basic, committee, counts = self.basic()
        basic_issues = len(self.result.issues)
        members, names = self.members()
        activities = self.activities(len(members))
        dues = self.dues(names)
        admissions = self.admissions()
        handover = self.handover()
        records = HandbookRecords(basic, tuple(committee), counts, tuple(members),
                                  tuple(activities), tuple(dues), tuple(admissions),
                                  tuple(handover))
        self.check_counts(records, basic_issues)
        return records

    def basic(self) -> tuple[dict[str, str], list[CommitteeMember], dict[str, int | None]]:
        layout = self.layout.basic
        sheet = self.sheet(layout.sheet)
        values: dict[str, str] = {}
        for item in self.handbook.basic_info:
            row = layout.field_rows[item.id]
            what = self.t("what.field", field=item.label)
            if item.kind == "date":
                date = sheet.date(row, 1, what)
                value = date.isoformat() if date else ""
            elif item.kind == "integer":
                number = sheet.amount(row, 1, what, whole=True)
                value = "" if number is None else shown_number(number)
            else:
                value = sheet.text(row, 1)
            if value:
                values[item.id] = value
        committee = []
        for post in self.handbook.committee_posts:
            row = layout.committee_rows[post.id]
            start = sheet.date(row, 2, self.t("what.post", post=post.name,
                                              column=self.t("col.committee_start")))
            end_what = self.t("what.post", post=post.name, column=self.t("col.committee_end"))
            end = sheet.date(row, 3, end_what)
            if start and end and end < start:
                sheet.add("handbook-date-order", row, 3, what=end_what, value=end.isoformat(),
                          earlier=self.t("col.committee_start"), earlier_value=start.isoformat())
            name, note = sheet.text(row, 1), sheet.text(row, 4)
            if name or start or end or note:
                committee.append(CommitteeMember(post.id, name, start, end, note))
        counts: dict[str, int | None] = {}
        for category in self.handbook.member_categories:
            row = layout.count_rows[category.id]
            number = sheet.amount(row, 1, self.t("what.field", field=category.name), whole=True)
            counts[category.id] = None if number is None else int(number)
        return values, committee, counts

    def rows(self, table: Table) -> list[tuple[int, int]]:
        """``(row, entry number)`` of every row with something typed into it.

        Rows typed below the table (into a sheet whose protection was removed) are read too,
        with a warning on the first of them.
        """
        grid = self.grids.get(table.sheet, [])
        inputs = [col for col, column in enumerate(table.columns) if column.input]
        filled = [(row, row - table.first_row + 1) for row in range(table.first_row, len(grid))
                  if any(cell_text(value_at(grid, row, col)) for col in inputs)]
        below = [row for row, _ in filled if row > table.last_row]
        if below:
            col = next(col for col in inputs if cell_text(value_at(grid, below[0], col)))
            self.sheet(table.sheet).add("handbook-rows-below-table", below[0], col,
                                        rows=table.rows, count=len(below))
        return filled

    def reader(self, table: Table, number: int) -> Callable[[str], tuple[int, str]]:
        def where(column_id: str) -> tuple[int, str]:
            col = table.col(column_id)
            return col, self.t("what.row", number=number, column=table.columns[col].header)
        return where

    def members(self) -> tuple[list[Member], set[str]]:
        """The members read, and every name on the roll (rows with problems included)."""
        table = self.layout.tables["members"]
        sheet = self.sheet(table.sheet)
        categories = {c.id: c.name for c in self.handbook.member_categories}
        full_rule = self.handbook.stage(FULL)
        members = []
        names = set()
        for row, number in self.rows(table):
            where = self.reader(table, number)
            name = sheet.required_text(row, *where("name"))
            names.add(name)
            col, what = where("category")
            category = sheet.choice(row, col, what, categories, required=True)
            col, what = where("joined")
            joined = sheet.date(row, col, what, required=True)
            full_col, full_what = where("full_date")
            full_date = sheet.date(row, full_col, full_what)
            birth = sheet.date(row, where("birth")[0], where("birth")[1])
            if full_date and category == PROBATIONARY:
                sheet.add("handbook-category-inconsistent", row, full_col, name=name,
                          category=categories[PROBATIONARY], value=full_date.isoformat())
            elif joined and full_date:
                if full_date < joined:
                    sheet.add("handbook-date-order", row, full_col, what=full_what,
                              value=full_date.isoformat(), earlier=self.t("col.joined"),
                              earlier_value=joined.isoformat())
                elif full_rule and full_rule.min_after and full_date < full_rule.min_after.after(
                        joined):
                    self.too_early(sheet, row, full_col, name, full_rule.name,
                                   self.t("col.joined"), joined, full_date,
                                   full_rule.min_after)
            if name and category:
                members.append(Member(row + 1, name, category, joined, full_date,
                                      sheet.text(row, where("gender")[0]), birth,
                                      sheet.text(row, where("group")[0]),
                                      sheet.text(row, where("phone")[0]),
                                      sheet.text(row, where("note")[0])))
        return members, names

    def too_early(self, sheet: _Sheet, row: int, col: int, name: str, stage: str,
                  reference: str, reference_date: dt.date, date: dt.date,
                  interval: Interval) -> None:
        sheet.add("handbook-stage-too-early", row, col, name=name, stage=stage,
                  value=date.isoformat(), reference=reference,
                  reference_value=reference_date.isoformat(), interval=self.interval(interval),
                  limit=interval.after(reference_date).isoformat())

    def interval(self, interval: Interval) -> str:
        if interval.days and not interval.months:
            return self.t("days", count=interval.days)
        return self.t("months", count=interval.months)

    def activities(self, member_count: int) -> list[Activity]:
        table = self.layout.tables["activities"]
        sheet = self.sheet(table.sheet)
        types = {m.id: m.name for m in self.handbook.meeting_types}
        found = []
        for row, number in self.rows(table):
            where = self.reader(table, number)
            date = sheet.date(row, *where("date"), required=True, in_year=True)
            kind = sheet.choice(row, *where("type"), types, required=True)
            col, what = where("present")
            present = sheet.amount(row, col, what, whole=True)
            if present is not None and member_count and present > member_count:
                sheet.add("handbook-present-exceeds", row, col, what=what,
                          value=shown_number(present), total=member_count)
            if date and kind:
                found.append(Activity(
                    row + 1, date, kind, sheet.text(row, where("topic")[0]),
                    None if present is None else int(present),
                    sheet.text(row, where("absent")[0]), sheet.text(row, where("chair")[0]),
                    sheet.text(row, where("recorder")[0])))
        return found

    def dues(self, names: set[str]) -> list[DuesEntry]:
        table = self.layout.tables["dues"]
        sheet = self.sheet(table.sheet)
        statuses = {"employed": self.t("dues.employed"), "retired": self.t("dues.retired")}
        found = []
        for row, number in self.rows(table):
            where = self.reader(table, number)
            col, what = where("name")
            name = sheet.required_text(row, col, what)
            if name and names and name not in names:
                sheet.add("handbook-unknown-member", row, col, what=what, value=name)
            col, what = where("month")
            month = sheet.amount(row, col, what, required=True, whole=True, low=1, high=12)
            base = sheet.amount(row, *where("base"), required=True)
            status = sheet.choice(row, *where("status"), statuses)
            paid = sheet.amount(row, *where("paid"))
            paid_on = sheet.date(row, *where("paid_on"), in_year=True)
            if base is None or month is None or not name:
                continue
            due = dues_due(self.handbook.dues, base, retired=status == "retired")
            col, what = where("due")
            claimed, code = read_amount(sheet.raw(row, col), self.dates)
            if code is None and claimed is not None and claimed != due:
                sheet.add("handbook-dues-mismatch", row, col, what=what,
                          claimed=f"{claimed:.2f}", actual=f"{due:.2f}")
            found.append(DuesEntry(row + 1, name, int(month), base, status == "retired", due,
                                   paid, paid_on, sheet.text(row, where("note")[0])))
        return found

    def admissions(self) -> list[Applicant]:
        table = self.layout.tables["admissions"]
        sheet = self.sheet(table.sheet)
        stages = self.handbook.admission_stages
        names = {s.id: s.name for s in stages}
        order = {s.id: index for index, s in enumerate(stages)}
        found = []
        for row, number in self.rows(table):
            where = self.reader(table, number)
            name = sheet.required_text(row, *where("name"))
            dates: dict[str, dt.date] = {}
            for stage in stages:
                date = sheet.date(row, *where(f"stage:{stage.id}"))
                if date is not None:
                    dates[stage.id] = date
            previous: tuple[str, dt.date] | None = None
            for index, stage in enumerate(stages):
                date = dates.get(stage.id)
                if date is None:
                    continue
                col = table.col(f"stage:{stage.id}")
                start = 0 if previous is None else order[previous[0]] + 1
                missing = [s for s in stages[start:index] if s.id not in dates]
                if missing:
                    sheet.add("handbook-stage-skipped", row, col, name=name, stage=stage.name,
                              missing=join_items(self.lang, (
                                  self.t("what.field", field=s.name) for s in missing)))
                if previous is not None and date < previous[1]:
                    sheet.add("handbook-date-order", row, col,
                              what=self.t("what.row", number=number, column=stage.name),
                              value=date.isoformat(), earlier=names[previous[0]],
                              earlier_value=previous[1].isoformat())
                else:
                    minimum, maximum = stage.min_after, stage.max_after
                    if minimum and minimum.stage in dates and date < minimum.after(
                            dates[minimum.stage]):
                        self.too_early(sheet, row, col, name, stage.name, names[minimum.stage],
                                       dates[minimum.stage], date, minimum)
                    if maximum and maximum.stage in dates and date > maximum.after(
                            dates[maximum.stage]):
                        reference = dates[maximum.stage]
                        sheet.add("handbook-stage-too-late", row, col, name=name,
                                  stage=stage.name, value=date.isoformat(),
                                  reference=names[maximum.stage],
                                  reference_value=reference.isoformat(),
                                  interval=self.interval(maximum),
                                  limit=maximum.after(reference).isoformat())
                previous = (stage.id, date)
            if name:
                found.append(Applicant(row + 1, name, dates, sheet.text(row, where("note")[0])))
        return found

    def handover(self) -> list[dict[str, str]]:
        table = self.layout.tables["handover"]
        sheet = self.sheet(table.sheet)
        found = []
        for row, number in self.rows(table):
            where = self.reader(table, number)
            entry: dict[str, str] = {}
            for item in self.handbook.handover_fields:
                col, what = where(f"field:{item.id}")
                if item.kind == "date":
                    date = sheet.date(row, col, what)
                    value = date.isoformat() if date else ""
                elif item.kind == "integer":
                    number_read = sheet.amount(row, col, what, whole=True)
                    value = "" if number_read is None else shown_number(number_read)
                else:
                    value = sheet.text(row, col)
                if value:
                    entry[item.id] = value
            found.append(entry)
        return found

    def check_counts(self, records: HandbookRecords, position: int) -> None:
        """The counts of the basic information against the roll (issues go with the sheet's)."""
        layout = self.layout.basic
        actual = records.category_counts()
        if not records.members and all(v is None for v in records.counts.values()):
            return
        found = []
        for category in self.handbook.member_categories:
            claimed = records.counts.get(category.id)
            if claimed != actual.get(category.id, 0):
                found.append(issue(
                    "handbook-count-mismatch", sheet=layout.sheet,
                    cell=cell_address(layout.count_rows[category.id], 1), form_id=self.form_id,
                    category=category.name, claimed="—" if claimed is None else claimed,
                    actual=actual.get(category.id, 0)))
        self.result.issues[position:position] = found


def _is_blank(records: HandbookRecords) -> bool:
    return not (records.members or records.activities or records.dues or records.admissions
                or records.handover or any(v is not None for v in records.counts.values()))


def validate_handbook(entries: Sequence[MetaEntry], grids: Mapping[str, Grid],
                      context: HandbookContext | None,
                      dates: DateSystem = EXCEL_1900) -> HandbookCheck:
    """Check a returned handbook.

    Args:
        entries: the ``_meta`` rows of the handbook (one per sheet, the same identity).
        grids: the workbook's sheet grids, by name.
        context: the round's handbook definition and expected handbooks (None when the round
            has no handbooks).
        dates: the workbook's date system (for numbers shown as dates).

    Returns:
        The issues (identity problems are errors on ``_meta``), the records read when the
        identity holds, and whether nothing was filled in.
    """
    first = entries[0]
    identity = first.identity
    result = HandbookCheck()

    def reject(code: str, **params: Any) -> HandbookCheck:
        result.issues.append(issue(code, sheet=META_SHEET, cell=first.address,
                                   form_id=identity.form_id, **params))
        return result

    if context is None:
        return reject("unknown-form")
    if identity.round_id != context.round_id:
        return reject("wrong-round", other=identity.round_id, round=context.round_id)
    if any(e.identity != identity or e.identity.kind != HANDBOOK
           or not verify_identity(context.key, e.identity, e.sheet, e.signature)
           for e in entries):
        return reject("signature-invalid")
    code = context.expected.get(identity.form_id)
    if code is None or code != identity.rater or code != identity.target:
        return reject("unknown-form")
    if identity.scheme_hash != context.handbook.hash:
        return reject("handbook-definition-mismatch",
                      definition=f"{identity.scheme_id} {identity.scheme_version}")
    layout = handbook_layout(context.handbook, context.lang)
    for name in layout.sheets:
        if name not in grids:
            result.issues.append(issue("form-sheet-missing", sheet=name,
                                       form_id=identity.form_id))
    if result.issues:
        return result
    layout = returned_layout(layout, grids)  # the tables as long as this handbook's
    check = _Check(context, identity.form_id, grids, layout, dates)
    records = check.run()
    result.issues += check.result.issues
    result.records = records
    if records is not None and _is_blank(records):
        result.blank = True
        result.issues = [issue("form-not-filled", sheet=layout.basic.sheet,
                               form_id=identity.form_id)]
    return result
