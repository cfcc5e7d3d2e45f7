"""Write a branch's work handbook (XlsxWriter), and the records column of inspector forms.

Sheets, in order: the four reference parts of the definition (how to use it, work rules,
committee duties, frequently used documents with the dues brackets and admission stages), then
the input sheets: basic information (a form: profile, committee posts, member counts), member
roll, activity log, dues, admissions and handover (tables), where
:mod:`sheetops.layout.handbook` places them.

The dues rate is a nested IF built from the definition's brackets; every formula is written
with its cached value. ``_meta`` lists every sheet with the handbook's signed identity, so the
sandboxed reader reads them all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Final

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.i18n import join_clauses, text
from sheetops.core.identity import sign_identity
from sheetops.forms.formats import (
    CALCULATED_FILL,
    INPUT_FILL,
    FormFormats,
    body_font,
    fit_row,
    header_text,
    new_workbook,
    row_height,
    setup_print,
    title_font,
    write_meta,
)
from sheetops.forms.stamp import Slots, Stamper, stampable
from sheetops.layout.handbook import (
    BASIC_WIDTHS,
    COMMITTEE_COLUMNS,
    HEADER_ROW,
    TEXT_WIDTHS,
    Column,
    HandbookLayout,
    Table,
    handbook_layout,
    table_rows,
)
from sheetops.layout.packs import HandbookPlan
from sheetops.model.handbook import Bracket, Handbook, HandbookRecords, Interval
from sheetops.model.round import RoundConfig
from sheetops.model.scheme import plain_number

DATE_FORMAT: Final = "yyyy-mm-dd"
REFERENCE_WIDTH: Final = 22.0  # the scoresheets' column of what the handbook records say
# Each input table, as written, prints its head and this many rows (a page); the print guide
# on the first sheet says how to print what was filled in. Rows prefilled are printed too.
PRINT_ROWS: Final = 25
HEADER_NAME: Final = 40  # characters of the branch name in page headers
FOOTER_NAME: Final = 16  # and in page footers
EARLIEST: Final = dt.date(1900, 1, 1)
LATEST: Final = dt.date(2100, 12, 31)


class _PlainFormulaSheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose formulas use only IF, ROUND and SUM.

    XlsxWriter rewrites every formula through ~30 regular expressions to spell out newer Excel
    functions; the dues sheet's two formulas a row (1,200 for 600 rows) spent most of a
    handbook's writing time there.
    None of those functions is used here, so the rewrite is skipped.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("=")


def nested_if(value: str, brackets: Sequence[Bracket]) -> str:
    """Return the Excel expression picking the rate of ``value``'s bracket.

    ``[(3000, 0.005), (None, 0.01)]`` → ``IF(D6<=3000,0.005,0.01)``.
    """
    *bounded, last = brackets
    expression = _number(last.rate)
    for bracket in reversed(bounded):
        assert bracket.up_to is not None
        expression = f"IF({value}<={_number(bracket.up_to)},{_number(bracket.rate)},{expression})"
    return expression


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def page_name(name: str, limit: int) -> str:
    """Return ``name`` as a page header or footer shows it: at most ``limit`` characters (a
    longer one ends in …), every ``&`` doubled (a single one starts a header code)."""
    return header_text(name if len(name) <= limit else name[:limit - 1] + "…")


class _Formats(FormFormats):
    """The formats one handbook uses."""

    def __init__(self, book: Workbook, lang: str) -> None:
        super().__init__(book, lang, subtitle_size=14)
        font, base = body_font(lang), self.base
        self.cover = book.add_format({"font_name": title_font(lang), "font_size": 26,
                                      "bold": True, "align": "center", "valign": "vcenter"})
        self.heading = book.add_format({"font_name": title_font(lang), "font_size": 12,
                                        "bold": True, "valign": "vcenter"})
        self.paragraph = book.add_format({"font_name": font, "font_size": 11, "text_wrap": True,
                                          "valign": "top"})
        calculated = {**base, "align": "center", "bg_color": CALCULATED_FILL}
        self.label = book.add_format({**base, "bold": True, "bg_color": CALCULATED_FILL})
        self.formula = book.add_format(calculated)
        self.rate = book.add_format({**calculated, "num_format": "0.0%"})
        self.money = book.add_format({**calculated, "num_format": "0.00"})
        unlocked = {**base, "locked": False, "bg_color": INPUT_FILL}
        self.input = {
            "text": self.input_text,
            "date": book.add_format({**unlocked, "align": "center", "num_format": DATE_FORMAT}),
            "integer": book.add_format({**unlocked, "align": "center", "num_format": "0"}),
            "month": book.add_format({**unlocked, "align": "center", "num_format": "0"}),
            "number": book.add_format({**unlocked, "align": "center", "num_format": "0.00"}),
            "choice": book.add_format({**unlocked, "align": "center"}),
        }


class _Writer:
    """Writes one handbook workbook."""

    def __init__(self, book: Workbook, plan: HandbookPlan, handbook: Handbook,
                 config: RoundConfig, prefill: HandbookRecords | None,
                 cover_points: float | None = None,
                 page_names: tuple[str, str] | None = None) -> None:
        self.book = book
        self.cover_points = cover_points
        self.page_names = page_names or (page_name(plan.name, HEADER_NAME),
                                         page_name(plan.name, FOOTER_NAME))
        self.plan = plan
        self.handbook = handbook
        self.config = config
        self.lang = config.language
        self.year = config.deadline.year
        self.prefill = prefill or HandbookRecords()
        self.formats = _Formats(book, self.lang)
        self.layout = handbook_layout(handbook, self.lang,
                                      member_count(plan, handbook, self.prefill))

    def t(self, key: str, /, **params: object) -> str:
        return text(self.lang, f"handbook.{key}", **params)

    def protect(self, sheet: Worksheet) -> None:
        sheet.protect(self.config.password,
                      {"select_locked_cells": True, "select_unlocked_cells": True})

    def page_marks(self, sheet: Worksheet, title: str) -> None:
        """Every printed page names the branch and the sheet in its header; its footer, with
        the branch's code and the page number, tells where a loose page belongs."""
        header_name, footer_name = self.page_names
        code = self.plan.code  # letters, digits and ._- only
        sheet_title = page_name(title, 31)
        # 9 pt; the space ends the size code, which would take a name's leading digits too.
        sheet.set_header("&C&9 " + self.t(
            "page-header", branch=text(self.lang, "form.party", name=header_name, code=code),
            title=page_name(self.handbook.title, 31), sheet=sheet_title))
        sheet.set_footer(f"&L&9 {code} {footer_name}&C&9 {text(self.lang, 'form.footer')}"
                         f"&R&9 {sheet_title}")

    # -- reference parts --------------------------------------------------------------------

    def text_sheets(self) -> None:
        parts = {p.id: p for p in self.handbook.text_parts}
        for part_id, name in self.layout.text_sheets:
            part = parts[part_id]
            sheet = self.book.add_worksheet(name)
            for col, width in enumerate(TEXT_WIDTHS):
                sheet.set_column(col, col, width)
            row = 0
            if part_id == "usage":  # the cover, and how to print, on the first page
                row = self.paragraphs(sheet, self.cover(sheet), self.t("print-guide.heading"), [
                    self.t(f"print-guide.{n}", rows=PRINT_ROWS) for n in (1, 2)])
            sheet.merge_range(row, 0, row, 2, part.title, self.formats.title)
            sheet.set_row(row, 30)
            row += 2
            for section in part.sections:
                row = self.paragraphs(sheet, row, section.heading, section.paragraphs)
            if part_id == "documents":
                row = self.dues_tables(sheet, row)
                row = self.stage_table(sheet, row)
            self.protect(sheet)
            setup_print(sheet, header_rows=None, footer=text(self.lang, "form.footer"))
            self.page_marks(sheet, part.title)
            sheet.set_portrait()
            sheet.print_area(0, 0, max(row - 1, 0), 2)

    def cover(self, sheet: Worksheet) -> int:
        f = self.formats
        sheet.merge_range(0, 0, 0, 2, self.handbook.title, f.cover)
        sheet.set_row(0, 48)
        sheet.merge_range(1, 0, 1, 2, text(self.lang, "form.party", name=self.plan.name,
                                           code=self.plan.code), f.subtitle)
        sheet.set_row(1, 26)
        sheet.merge_range(2, 0, 2, 2, self.t("year", year=self.year), f.subtitle)
        sheet.set_row(2, 22)
        note = cover_note(self.plan, self.config)
        sheet.merge_range(3, 0, 3, 2, note, f.note)
        sheet.set_row(3, self.cover_points if self.cover_points is not None
                      else row_height([(note, sum(TEXT_WIDTHS))]))
        return 5

    def paragraphs(self, sheet: Worksheet, row: int, heading: str,
                   paragraphs: Sequence[str]) -> int:
        sheet.merge_range(row, 0, row, 2, heading, self.formats.heading)
        sheet.set_row(row, 20)
        row += 1
        for paragraph in paragraphs:
            sheet.merge_range(row, 0, row, 2, paragraph, self.formats.paragraph)
            sheet.set_row(row, row_height([(paragraph, sum(TEXT_WIDTHS))]))
            row += 1
        return row + 1

    def dues_tables(self, sheet: Worksheet, row: int) -> int:
        f = self.formats
        dues = self.handbook.dues
        row = self.paragraphs(sheet, row, self.t("documents.dues"), [dues.basis])
        for key, brackets in (("employed", dues.brackets), ("retired", dues.retiree_brackets)):
            sheet.merge_range(row, 0, row, 2, self.t(f"documents.brackets.{key}"), f.label)
            row += 1
            for col, header in enumerate((self.t("col.bracket"), self.t("col.bracket_base"),
                                          self.t("col.rate"))):
                sheet.write_string(row, col, header, f.header)
            row += 1
            low: Decimal | None = None
            for number, bracket in enumerate(brackets, start=1):
                sheet.write_string(row, 0, self.t("bracket.number", number=number), f.center)
                sheet.write_string(row, 1, self.bracket_text(low, bracket.up_to), f.center)
                sheet.write_number(row, 2, float(bracket.rate), f.rate)
                low = bracket.up_to
                row += 1
            row += 1
        return self.paragraphs(sheet, row, self.t("documents.dues-notes"), dues.notes)

    def bracket_text(self, low: Decimal | None, up_to: Decimal | None) -> str:
        if up_to is None:
            return self.t("bracket.above", low=plain_number(low or Decimal(0)))
        if low is None:
            return self.t("bracket.first", up_to=plain_number(up_to))
        return self.t("bracket.middle", low=plain_number(low), up_to=plain_number(up_to))

    def stage_table(self, sheet: Worksheet, row: int) -> int:
        f = self.formats
        sheet.merge_range(row, 0, row, 2, self.t("documents.stages"), f.heading)
        row += 1
        for col, header in enumerate((self.t("col.number"), self.t("col.stage"),
                                      self.t("col.interval"))):
            sheet.write_string(row, col, header, f.header)
        row += 1
        names = {s.id: s.name for s in self.handbook.admission_stages}
        for number, stage in enumerate(self.handbook.admission_stages, start=1):
            rules = [self.interval_text(kind, interval, names)
                     for kind, interval in (("min", stage.min_after), ("max", stage.max_after))
                     if interval is not None]
            rule = join_clauses(self.lang, rules) or "—"
            sheet.write_number(row, 0, number, f.center)
            sheet.write_string(row, 1, stage.name, f.text)
            sheet.write_string(row, 2, rule, f.text)
            sheet.set_row(row, row_height([(stage.name, TEXT_WIDTHS[1]),
                                           (rule, TEXT_WIDTHS[2])]))
            row += 1
        return row + 1

    def interval_text(self, kind: str, interval: Interval, names: Mapping[str, str]) -> str:
        if kind == "min" and not interval.months and not interval.days:
            return self.t("interval.after", stage=names.get(interval.stage, interval.stage))
        amount = self.t("months", count=interval.months) if interval.months or not (
            interval.days) else self.t("days", count=interval.days)
        return self.t(f"interval.{kind}", stage=names.get(interval.stage, interval.stage),
                      amount=amount)

    # -- input sheets -----------------------------------------------------------------------

    def head(self, sheet: Worksheet, title: str, note: str, last_col: int, width: float) -> None:
        f = self.formats
        sheet.merge_range(0, 0, 0, last_col, self.t("sheet-title", title=self.handbook.title,
                                                    sheet=title), f.title)
        sheet.set_row(0, 28)
        sheet.merge_range(1, 0, 1, last_col, self.t("sheet-info", branch=text(
            self.lang, "form.party", name=self.plan.name, code=self.plan.code), year=self.year,
            form_id=self.plan.identity.form_id), f.info)
        sheet.merge_range(2, 0, 2, last_col, note, f.note)
        sheet.set_row(2, row_height([(note, width)]))
        sheet.set_row(3, 6)

    def finish(self, sheet: Worksheet, table: Table, printed: int) -> None:
        """Protect a table sheet and print its head and first ``printed`` rows."""
        self.protect(sheet)
        setup_print(sheet, header_rows=(table.header_row, table.header_row),
                    footer=text(self.lang, "form.footer"))
        self.page_marks(sheet, table.title)
        sheet.print_area(0, 0, table.first_row + printed - 1, len(table.columns) - 1)
        sheet.freeze_panes(table.header_row + 1, 0)

    def validate(self, sheet: Worksheet, first: int, last: int, col: int, column: Column,
                 ) -> None:
        """One data validation per input column range."""
        if column.kind == "date":
            options: dict[str, Any] = {"validate": "date", "criteria": "between",
                                       "minimum": EARLIEST, "maximum": LATEST}
            prompt, error = self.t("prompt.date"), self.t("error.date")
        elif column.kind in ("integer", "month"):
            high = 12 if column.kind == "month" else 100000
            options = {"validate": "integer", "criteria": "between", "minimum": 1 if high == 12
                       else 0, "maximum": high}
            prompt = self.t(f"prompt.{column.kind}")
            error = self.t(f"error.{column.kind}")
        elif column.kind == "number":
            options = {"validate": "decimal", "criteria": ">=", "value": 0}
            prompt, error = self.t("prompt.number"), self.t("error.number")
        elif column.kind == "choice":
            options = {"validate": "list", "source": list(column.choices)}
            prompt, error = self.t("prompt.choice"), self.t("error.choice")
        else:
            return
        options.update({"input_title": column.header[:32], "input_message": prompt[:255],
                        "error_title": column.header[:32], "error_message": error[:255]})
        sheet.data_validation(first, col, last, col, options)

    def put(self, sheet: Worksheet, row: int, col: int, kind: str, value: object) -> None:
        """Write an input cell, prefilled or blank."""
        fmt = self.formats.input.get(kind, self.formats.input["text"])
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            sheet.write_number(row, col, float(value), fmt)
        else:
            sheet.write_string(row, col, str(value), fmt)

    def basic_sheet(self) -> None:
        f = self.formats
        basic = self.layout.basic
        prefill = self.prefill
        sheet = self.book.add_worksheet(basic.sheet)
        for col, width in enumerate(BASIC_WIDTHS):
            sheet.set_column(col, col, width)
        self.head(sheet, basic.title, self.handbook.note("basic_info"), 4, sum(BASIC_WIDTHS))
        sheet.write_string(HEADER_ROW, 0, self.t("basic.general"), f.heading)
        known = {"branch_name": self.plan.name, "branch_code": self.plan.code}
        for item in self.handbook.basic_info:
            row = basic.field_rows[item.id]
            sheet.write_string(row, 0, item.label, f.label)
            fit_row(sheet, row, [(item.label, BASIC_WIDTHS[0])])
            value: object = known.get(item.id) or prefill.basic.get(item.id, "")
            if item.kind == "date" and isinstance(value, str) and value:
                value = dt.date.fromisoformat(value)
            elif item.kind == "integer" and isinstance(value, str) and value.isdigit():
                value = int(value)
            sheet.merge_range(row, 1, row, 4, "", f.input[item.kind])
            self.put(sheet, row, 1, item.kind, value)
            self.validate(sheet, row, row, 1, Column(item.id, item.label, 0, item.kind))
        sheet.write_string(basic.committee_header - 1, 0, self.t("basic.committee"), f.heading)
        for col, key in enumerate(COMMITTEE_COLUMNS):
            sheet.write_string(basic.committee_header, col, self.t(f"col.committee_{key}"),
                               f.header)
        members = {c.post: c for c in prefill.committee}
        for post in self.handbook.committee_posts:
            row = basic.committee_rows[post.id]
            sheet.write_string(row, 0, post.name, f.label)
            fit_row(sheet, row, [(post.name, BASIC_WIDTHS[0])])
            held = members.get(post.id)
            secretary = self.plan.secretary if post.id == "secretary" else ""
            self.put(sheet, row, 1, "text", held.name if held else secretary)
            self.put(sheet, row, 2, "date", held.start if held else None)
            self.put(sheet, row, 3, "date", held.end if held else None)
            self.put(sheet, row, 4, "text", held.note if held else "")
        rows = list(basic.committee_rows.values())
        if rows:
            for col in (2, 3):
                self.validate(sheet, rows[0], rows[-1], col, Column("date", self.t(
                    f"col.committee_{COMMITTEE_COLUMNS[col]}"), 0, "date"))
        sheet.write_string(basic.count_header - 1, 0, self.t("basic.counts"), f.heading)
        sheet.write_string(basic.count_header, 0, self.t("col.category"), f.header)
        sheet.write_string(basic.count_header, 1, self.t("col.count"), f.header)
        total = 0
        for category in self.handbook.member_categories:
            row = basic.count_rows[category.id]
            sheet.write_string(row, 0, category.name, f.label)
            fit_row(sheet, row, [(category.name, BASIC_WIDTHS[0])])
            count = prefill.counts.get(category.id)
            total += count or 0
            self.put(sheet, row, 1, "integer", count)
            self.validate(sheet, row, row, 1, Column("count", self.t("col.count"), 0,
                                                      "integer"))
        sheet.write_string(basic.total_row, 0, self.t("col.total"), f.label)
        counts = list(basic.count_rows.values())
        formula = (f"=SUM({xl_rowcol_to_cell(counts[0], 1)}:{xl_rowcol_to_cell(counts[-1], 1)})"
                   if counts else "=0")
        sheet.write_formula(basic.total_row, 1, formula, f.formula, total)
        self.protect(sheet)
        setup_print(sheet, header_rows=None, footer=text(self.lang, "form.footer"))
        self.page_marks(sheet, basic.title)
        sheet.print_area(0, 0, basic.total_row, 4)
        sheet.fit_to_pages(1, 1)  # a form: one page, in every language

    def table_sheet(self, table: Table, prefill: Sequence[Mapping[str, object]] = ()) -> None:
        f = self.formats
        sheet = self.book.add_worksheet(table.sheet, worksheet_class=_PlainFormulaSheet)
        last_col = len(table.columns) - 1
        for col, column in enumerate(table.columns):
            sheet.set_column(col, col, column.width)
        width = sum(c.width for c in table.columns)
        self.head(sheet, table.title, self.handbook.note(table.key), last_col, width)
        for col, column in enumerate(table.columns):
            sheet.write_string(table.header_row, col, column.header, f.header)
        sheet.set_row(table.header_row, row_height([(c.header, c.width)
                                                    for c in table.columns]))
        for index in range(table.rows):
            row = table.first_row + index
            values = prefill[index] if index < len(prefill) else {}
            for col, column in enumerate(table.columns):
                if column.kind == "number-label":
                    sheet.write_number(row, col, index + 1, f.center)
                elif column.kind == "formula":
                    self.dues_formula(sheet, table, row, column)
                else:
                    self.put(sheet, row, col, column.kind, values.get(column.id))
        for col, column in enumerate(table.columns):
            self.validate(sheet, table.first_row, table.last_row, col, column)
        self.finish(sheet, table, min(table.rows, max(PRINT_ROWS, len(prefill))))

    def dues_formula(self, sheet: Worksheet, table: Table, row: int, column: Column) -> None:
        base = xl_rowcol_to_cell(row, table.col("base"))
        if column.id == "rate":
            status = xl_rowcol_to_cell(row, table.col("status"))
            dues = self.handbook.dues
            retired = self.t("dues.retired")
            formula = (f'=IF({base}="","",IF({status}="{retired}",'
                       f"{nested_if(base, dues.retiree_brackets)},"
                       f"{nested_if(base, dues.brackets)}))")
            sheet.write_formula(row, table.col("rate"), formula, self.formats.rate, "")
        else:
            rate = xl_rowcol_to_cell(row, table.col("rate"))
            sheet.write_formula(row, table.col("due"), f'=IF({base}="","",ROUND({base}*{rate},2))',
                                self.formats.money, "")

    def write(self) -> None:
        self.text_sheets()
        self.basic_sheet()
        tables = self.layout.tables
        members = [{"name": m.name, "gender": m.gender, "birth": m.birth,
                    "category": self.handbook.category_name(m.category), "joined": m.joined,
                    "full_date": m.full_date, "group": m.group, "phone": m.phone,
                    "note": m.note} for m in self.prefill.members]
        self.table_sheet(tables["members"], members)
        for key in ("activities", "dues", "admissions", "handover"):
            self.table_sheet(tables[key])


def member_count(plan: HandbookPlan, handbook: Handbook, prefill: HandbookRecords | None,
                 ) -> int | None:
    """Return the member count that sizes ``plan``'s handbook: the roster's, or the roll carried
    over from last year's handbook when that is longer than the roll would be."""
    carried = len(prefill.members) if prefill is not None else 0
    if plan.members is None and carried <= handbook.rows("members"):
        return None
    return max(plan.members or 0, carried)


def cover_note(plan: HandbookPlan, config: RoundConfig) -> str:
    """Return the note under the cover's title (the round and the handbook's form id)."""
    return text(config.language, "handbook.cover-note", round=config.title,
                form_id=plan.identity.form_id)


def write_handbook(path: Path | BinaryIO, plan: HandbookPlan, handbook: Handbook,
                   config: RoundConfig, key: bytes, prefill: HandbookRecords | None = None,
                   *, signatures: Sequence[str] | None = None,
                   cover_points: float | None = None,
                   page_names: tuple[str, str] | None = None,
                   ) -> HandbookLayout:
    """Write one branch's handbook workbook with its signed ``_meta`` sheet.

    Args:
        path: where to write the .xlsx (a path or a binary stream).
        plan: the branch and the handbook's identity.
        handbook: the round's handbook definition.
        config: the round's settings (language, year, password).
        key: the round's signing key.
        prefill: records carried over from the branch's previous handbook (basic information,
            committee, member counts and roll), or None.
        signatures: the identity's signature on each of its sheets, in layout order, when
            already known (default: signed with key).
        cover_points: the cover note's row height (default: measured from its text).
        page_names: the branch's name as page headers and footers show it (default: from the
            plan's, see :func:`page_name`).

    Returns:
        The layout written.

    Raises:
        OSError: the file cannot be written.
    """
    book = new_workbook(path if not isinstance(path, Path) else str(path), config.language)
    generated = dt.datetime.fromisoformat(plan.identity.generated_at)
    book.set_properties({"title": f"{handbook.title} - {plan.name}", "subject": config.title,
                         "author": "sheetops", "comments": config.id,
                         "created": generated.replace(tzinfo=None)})
    writer = _Writer(book, plan, handbook, config, prefill, cover_points, page_names)
    writer.write()
    sheets = writer.layout.sheets
    write_meta(book, key, [(name, plan.identity) for name in sheets], password=config.password,
               signatures=signatures)
    book.close()
    return writer.layout


class HandbookWriter:
    """Writes a round's handbooks, stamped from a prototype where they can be.

    Handbooks differ only in the branch's name, code and secretary, the form id and the
    signatures, one per sheet (see :mod:`sheetops.forms.stamp`); prefilled handbooks, and
    definitions that turn the branch's name or code into something other than text, are
    written directly.
    """

    def __init__(self, handbook: Handbook, config: RoundConfig, key: bytes) -> None:
        self.handbook = handbook
        self.config = config
        self.key = key
        self.stamper = Stamper()
        kinds = {item.id: item.kind for item in handbook.basic_info}
        self._stampable = all(kinds.get(name, "text") == "text"
                              for name in ("branch_name", "branch_code"))
        self.sheets = handbook_layout(handbook, config.language).sheets

    def write(self, path: Path, plan: HandbookPlan,
              prefill: HandbookRecords | None = None) -> None:
        """Write ``plan``'s handbook to ``path``.

        Raises:
            OSError: the file cannot be written.
        """
        identity = plan.identity
        signatures = [sign_identity(self.key, identity, sheet) for sheet in self.sheets]
        direct = partial(write_handbook, plan=plan, handbook=self.handbook, config=self.config,
                         key=self.key, prefill=prefill, signatures=signatures)
        values = [plan.name, plan.code, plan.secretary, identity.form_id, identity.rater,
                  identity.target, page_name(plan.name, HEADER_NAME),
                  page_name(plan.name, FOOTER_NAME), *signatures]
        if prefill is not None or not self._stampable or not all(map(stampable, values)):
            self.stamper.write_direct(path, direct)
            return
        slots = Slots.of(values)
        height = row_height([(cover_note(plan, self.config), sum(TEXT_WIDTHS))])
        rows = tuple(table_rows(self.handbook, plan.members).values())

        def prototype(stream: BinaryIO) -> None:
            (name, code, secretary, form_id, rater, target, header_name, footer_name,
             *placeholders) = slots.tokens()
            tokenised = dataclasses.replace(
                plan, name=name, code=code, secretary=secretary,
                identity=dataclasses.replace(identity, form_id=form_id, rater=rater,
                                             target=target))
            write_handbook(stream, tokenised, self.handbook, self.config, self.key,
                           signatures=placeholders, cover_points=height,
                           page_names=(header_name, footer_name))

        self.stamper.write(path, (slots.pattern, height, rows), slots.values, direct,
                           prototype)


# -- the records column of inspector forms --------------------------------------------------


def write_record_references(sheet: Worksheet, header: Format, body: Format, lang: str,
                            header_row: int, col: int, rows: Mapping[str, int],
                            references: Mapping[str, str]) -> None:
    """Add the "handbook records" reference column to a scoresheet (read-only).

    Args:
        sheet: the form sheet.
        header: the format of the column's header.
        body: the format of the reference cells (locked).
        lang: the round's language.
        header_row: the form's header row.
        col: the column to fill (the one after the notes).
        rows: each item's row.
        references: what the records say, by item id (items without a text stay empty).
    """
    sheet.set_column(col, col, REFERENCE_WIDTH)
    sheet.write_string(header_row, col, text(lang, "handbook.col.reference"), header)
    for item_id, row in rows.items():
        sheet.write_string(row, col, references.get(item_id, ""), body)
