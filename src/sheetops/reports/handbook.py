"""The records consolidation ``reports/records-<round id>.xlsx``, and the summary's records check.

Sheets: an overview per branch; every member of every branch; meetings per branch per quarter
against the required frequency (shortfalls in red); dues totals and every discrepancy; the
admission pipeline with too-early, too-late and overdue steps. Every text that came from a
returned handbook is written with ``write_string``: never a formula or a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.files import replace_atomically
from sheetops.core.i18n import join_clauses, join_items, text
from sheetops.forms.formats import fit_row, new_workbook, setup_print, table_sheet, title_font
from sheetops.model.handbook import Handbook
from sheetops.model.workspace import Round
from sheetops.scoring.handbook import Consolidation, Metric
from sheetops.scoring.merge import BranchResult, ScoringRules

SHORT_COLOUR: Final = "#FFC7CE"
QUARTER_KEYS: Final = ("q1", "q2", "q3", "q4")
NAME_WIDTH: Final = 24  # the branch name's column on every sheet


def records_report_path(round_: Round) -> Path:
    """Return ``reports/records-<round id>.xlsx``."""
    return round_.paths.reports / f"records-{round_.config.id}.xlsx"


class _Writer:
    """Writes the consolidation workbook."""

    def __init__(self, book: Workbook, round_: Round, handbook: Handbook,
                 consolidation: Consolidation) -> None:
        self.book = book
        self.round = round_
        self.lang = round_.lang
        self.handbook = handbook
        self.data = consolidation
        self.names = {b.code: b.name for b in round_.roster.branches}
        self.widths: dict[str, Sequence[float]] = {}
        self.head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "align": "center", "valign": "vcenter"})
        self.cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
        self.integer = book.add_format({"border": 1, "valign": "vcenter", "align": "center"})
        self.money = book.add_format({"border": 1, "valign": "vcenter", "num_format": "0.00"})
        self.date = book.add_format({"border": 1, "valign": "vcenter", "align": "center",
                                     "num_format": "yyyy-mm-dd"})
        self.short = book.add_format({"border": 1, "valign": "vcenter", "align": "center",
                                      "bg_color": SHORT_COLOUR})
        self.flag = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True,
                                     "font_color": "#C00000"})
        self.title = book.add_format({"bold": True, "font_size": 14, "valign": "vcenter",
                                      "font_name": title_font(self.lang)})

    def t(self, key: str, /, **params: object) -> str:
        return text(self.lang, f"records.{key}", **params)

    def sheet(self, key: str, widths: Sequence[float], headers: Sequence[str]) -> Worksheet:
        """A sheet with a title in row 1 and a header in row 3 (frozen, repeated on print)."""
        title = self.t(f"title.{key}", round=self.round.config.title,
                       as_of=self.data.as_of.isoformat())
        sheet = table_sheet(self.book, self.t(f"sheet.{key}"), title, widths, headers,
                            title_format=self.title, head_format=self.head,
                            footer=text(self.lang, "form.footer"))
        self.widths[sheet.name] = widths
        return sheet

    def fit(self, sheet: Worksheet, row: int, texts: Mapping[int, str]) -> None:
        """Make ``row`` as tall as its wrapped texts (by column) need."""
        widths = self.widths[sheet.name]
        fit_row(sheet, row, ((value, widths[col]) for col, value in texts.items()))

    def put(self, sheet: Worksheet, row: int, col: int, value: object,
            style: Format | None = None) -> None:
        if value is None:
            sheet.write_string(row, col, "—", style or self.integer)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()),
                                 style or self.date)
        elif isinstance(value, Decimal):
            sheet.write_number(row, col, float(value), style or self.money)
        elif isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, col, value, style or self.integer)
        else:
            sheet.write_string(row, col, str(value), style or self.cell)

    def branch(self, sheet: Worksheet, row: int, code: str,
               texts: Mapping[int, str] | None = None) -> None:
        """Write the branch's code and name, and make the row as tall as the name and the
        row's other wrapped ``texts`` (by column) need."""
        name = self.names.get(code, "")
        sheet.write_string(row, 0, code, self.integer)
        sheet.write_string(row, 1, name, self.cell)
        self.fit(sheet, row, {1: name, **(texts or {})})

    def col(self, key: str) -> str:
        return self.t(f"col.{key}")

    # -- sheets -----------------------------------------------------------------------------

    def overview(self) -> None:
        keys = ("code", "name", "handbook", "full", "probationary", "members", "activities",
                "short_meetings", "due", "paid", "difference", "discrepancies", "applicants",
                "flags")
        sheet = self.sheet("overview", (8, 24, 10, 8, 8, 8, 8, 10, 11, 11, 10, 8, 8, 8),
                           [self.col(k) for k in keys])
        dues = {d.code: d for d in self.data.dues}
        for row, (code, _) in enumerate(self.data.branches, start=3):
            self.branch(sheet, row, code)
            records = self.data.records.get(code)
            if records is None:
                sheet.write_string(row, 2, self.t("value.missing"), self.short)
                for col in range(3, len(keys)):
                    self.put(sheet, row, col, None)
                continue
            counts = records.category_counts()
            tally = dues[code]
            values: list[object] = [
                self.t("value.accepted"), counts.get("full", 0), counts.get("probationary", 0),
                len(records.members), len(records.activities),
                sum(1 for m in self.data.meetings if m.code == code and m.short), tally.due,
                tally.paid, tally.paid - tally.due, len(tally.discrepancies),
                len(records.admissions),
                sum(len(p.flags) for p in self.data.pipeline if p.code == code)]
            for col, value in enumerate(values, start=2):
                self.put(sheet, row, col, value)
        sheet.autofilter(2, 0, 2 + max(len(self.data.branches), 1), len(keys) - 1)

    def members(self) -> None:
        keys = ("code", "name", "member", "gender", "birth", "category", "joined", "full_date",
                "group", "phone", "note")
        sheet = self.sheet("members", (8, 24, 10, 6, 11, 10, 11, 11, 10, 13, 24),
                           [self.col(k) for k in keys])
        row = 3
        for code, member in self.data.members():
            values: list[object] = [member.name, member.gender, member.birth,
                                    self.handbook.category_name(member.category), member.joined,
                                    member.full_date, member.group, member.phone, member.note]
            for col, value in enumerate(values, start=2):
                self.put(sheet, row, col, value if value != "" else "", None)
            self.branch(sheet, row, code, {col: value for col, value in enumerate(values, start=2)
                                           if isinstance(value, str)})
            row += 1
        sheet.autofilter(2, 0, max(row - 1, 3), len(keys) - 1)

    def meetings(self) -> None:
        keys = ("code", "name", "meeting", "frequency", *QUARTER_KEYS, "held", "required",
                "shortfall")
        sheet = self.sheet("meetings", (8, 24, 14, 14, 7, 7, 7, 7, 8, 8, 22),
                           [self.col(k) for k in keys])
        row = 3
        for tally in self.data.meetings:
            meeting = self.handbook.meeting_type(tally.type_id)
            if meeting is None:
                continue
            frequency = self.t(f"frequency.{meeting.frequency}", count=meeting.min_count)
            sheet.write_string(row, 2, meeting.name, self.cell)
            sheet.write_string(row, 3, frequency, self.cell)
            for quarter in (1, 2, 3, 4):
                counted = quarter in self.data.quarters
                style = self.short if quarter in tally.short_quarters else self.integer
                if counted or meeting.frequency == "yearly":
                    sheet.write_number(row, 3 + quarter, tally.per_quarter[quarter - 1], style)
                else:
                    sheet.write_string(row, 3 + quarter, "", self.integer)
            self.put(sheet, row, 8, tally.held, self.short if tally.short else self.integer)
            self.put(sheet, row, 9, tally.required)
            parts = [self.t(f"quarter.{q}") for q in tally.short_quarters]
            if not parts and tally.short:
                parts = [self.t("value.year")]
            shortfall = join_items(self.lang, parts)
            sheet.write_string(row, 10, shortfall, self.flag if parts else self.cell)
            self.branch(sheet, row, tally.code, {2: meeting.name, 3: frequency, 10: shortfall})
            row += 1
        sheet.autofilter(2, 0, max(row - 1, 3), len(keys) - 1)

    def dues(self) -> None:
        keys = ("code", "name", "entries", "due", "paid", "difference", "discrepancies")
        sheet = self.sheet("dues", (8, 24, 8, 12, 12, 12, 8), [self.col(k) for k in keys])
        row = 3
        for tally in self.data.dues:
            self.branch(sheet, row, tally.code)
            for col, value in enumerate((tally.entries, tally.due, tally.paid,
                                         tally.paid - tally.due, len(tally.discrepancies)),
                                        start=2):
                self.put(sheet, row, col, value)
            row += 1
        columns = ("code", "name", "row", "member", "month", "due", "paid", "difference",
                   "kind")
        detail = self.sheet("discrepancies", (8, 24, 6, 10, 6, 10, 10, 10, 10),
                            [self.col(k) for k in columns])
        row = 3
        for tally in self.data.dues:
            for found in tally.discrepancies:
                kind = self.t(f"kind.{found.kind}")
                values: list[object] = [found.row, found.name, found.month, found.due,
                                        found.paid, found.difference, kind]
                for col, value in enumerate(values, start=2):
                    self.put(detail, row, col, value)
                self.branch(detail, row, found.code, {3: found.name, 8: kind})
                row += 1
        detail.autofilter(2, 0, max(row - 1, 3), len(columns) - 1)

    def pipeline(self) -> None:
        stages = self.handbook.admission_stages
        names = {s.id: s.name for s in stages}
        headers = [self.col("code"), self.col("name"), self.col("member"),
                   *(s.name for s in stages), self.col("reached"), self.col("next"),
                   self.col("earliest"), self.col("due_by"), self.col("flags")]
        sheet = self.sheet("admissions", (8, 24, 10, *([11] * len(stages)), 14, 14, 11, 11, 40),
                           headers)
        row = 3
        for entry in self.data.pipeline:
            sheet.write_string(row, 2, entry.applicant.name, self.cell)
            for col, stage in enumerate(stages, start=3):
                self.put(sheet, row, col, entry.applicant.dates.get(stage.id), None)
            col = 3 + len(stages)
            self.put(sheet, row, col, names.get(entry.reached or ""))
            self.put(sheet, row, col + 1, names.get(entry.next_stage or ""))
            self.put(sheet, row, col + 2, entry.earliest)
            self.put(sheet, row, col + 3, entry.due_by)
            flags = join_clauses(self.lang, (
                self.t(f"flag.{f.kind}", stage=names.get(f.stage, f.stage),
                       reference=names.get(f.reference, f.reference), limit=f.limit.isoformat())
                for f in entry.flags))
            sheet.write_string(row, col + 4, flags, self.flag if flags else self.cell)
            self.branch(sheet, row, entry.code, {
                2: entry.applicant.name, col: names.get(entry.reached or "", ""),
                col + 1: names.get(entry.next_stage or "", ""), col + 4: flags})
            row += 1
        sheet.autofilter(2, 0, max(row - 1, 3), len(headers) - 1)


def write_records_report(round_: Round, handbook: Handbook, consolidation: Consolidation,
                         ) -> Path:
    """Write the consolidation workbook atomically and return its path.

    Args:
        round_: the round.
        handbook: its handbook definition.
        consolidation: the consolidated records.

    Returns:
        ``reports/records-<round id>.xlsx``.

    Raises:
        OSError: the report cannot be written.
    """
    target = records_report_path(round_)
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(path: Path) -> None:
        book = new_workbook(str(path), round_.lang)
        book.set_properties({"title": round_.config.title, "author": "sheetops",
                             "comments": round_.config.id})
        writer = _Writer(book, round_, handbook, consolidation)
        writer.overview()
        writer.members()
        writer.meetings()
        writer.dues()
        writer.pipeline()
        book.close()

    replace_atomically(target, write)
    return target


# -- the summary's "records behind the scores" sheet ----------------------------------------


def write_records_check(book: Workbook, round_: Round, results: Sequence[BranchResult],
                        metrics: Mapping[str, Mapping[str, Metric]], rules: ScoringRules,
                        ) -> None:
    """Add the records check to the summary: each linked item's merged score beside its metric.

    Args:
        book: the summary workbook being written.
        round_: the round (scheme, language).
        results: the branches' results (merged item scores).
        metrics: each branch's records metrics (branches without a handbook are absent).
        rules: the scoring rules (rounding).
    """
    lang = round_.lang

    def t(key: str, /, **params: object) -> str:
        return text(lang, f"records.check.{key}", **params)

    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                            "text_wrap": True, "align": "center", "valign": "vcenter"})
    body = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    number = book.add_format({"border": 1, "valign": "vcenter", "num_format": "0.00"})
    missing = book.add_format({"border": 1, "valign": "vcenter", "bg_color": SHORT_COLOUR})
    sheet = book.add_worksheet(t("sheet"))
    sheet.write_string(0, 0, t("title", round=round_.config.title),
                       book.add_format({"bold": True, "font_size": 14,
                                        "font_name": title_font(lang)}))
    keys = ("code", "name", "item", "target", "max", "score", "metric")
    widths = (8, 24, 22, 40, 6, 9, 30)
    for col, (key, width) in enumerate(zip(keys, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(2, col, t(f"col.{key}"), head)
    sheet.freeze_panes(3, 0)
    linked = [item for item in round_.scheme.items if item.metric]
    row = 3
    for result in results:
        own = metrics.get(result.code)
        for item in linked:
            sheet.write_string(row, 0, result.code, body)
            sheet.write_string(row, 1, result.name, body)
            sheet.write_string(row, 2, item.id, body)
            sheet.write_string(row, 3, item.target, body)
            sheet.write_number(row, 4, float(item.max), body)
            score = result.items.get(item.id)
            if score is None:
                sheet.write_string(row, 5, "—", body)
            else:
                sheet.write_number(row, 5, float(rules.round(score)), number)
            metric = own.get(item.metric or "") if own is not None else None
            shown = (t("no-handbook") if own is None
                     else metric.render(lang) if metric else "—")
            sheet.write_string(row, 6, shown, missing if own is None else body)
            fit_row(sheet, row, zip((result.name, item.id, item.target, shown),
                                    (widths[1], widths[2], widths[3], widths[6]), strict=True))
            row += 1
    sheet.autofilter(2, 0, max(row - 1, 3), len(keys) - 1)
    setup_print(sheet, header_rows=(2, 2), footer=text(lang, "form.footer"))
    # Like the other audit sheets, printed as its headers only unless asked.
    sheet.write_string(1, 0, text(lang, "summary.audit-note", rows=row - 3),
                       book.add_format({"font_color": "#595959", "valign": "vcenter"}))
    sheet.print_area(0, 0, 2, len(keys) - 1)
