"""The summary workbook ``reports/summary-<round id>.xlsx``: what the committee prints and files.

Sheets: ranking (with grades coloured, under a headline of the counts per grade), section
scores with the gap to the best branch, the list of advanced branches to issue and seal (with
scores and ranks, then names only), returns per form, the detail of every score traceable to the
file it came from, the rater analysis, the method, and the charts (:mod:`.charts`). Every text
that came from a returned workbook is written as text: never a formula or a link. Every row
that wraps is as tall as its lines; the audit sheets (returns, detail) print their headers only
unless their print area is cleared, so the printed summary grows with the ranking.

XlsxWriter writes each sheet's title, headers, widths, panes, filter and print setup; the rows of
the sheets that grow with the round (a row per branch, form or scored item: 180,000 detail rows
for a thousand branches) are streamed into the closed package by :mod:`.stream`, in a fraction
of XlsxWriter's time and without holding the cells in memory.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Final

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.files import replace_atomically
from sheetops.core.i18n import join_clauses, join_counts, join_items, labelled, long_date, text
from sheetops.core.times import local_time
from sheetops.forms.formats import (
    fit_row,
    height_of,
    line_count,
    lines_needed,
    new_workbook,
    number_format,
    row_height,
    setup_print,
    table_sheet,
    title_font,
    wrapped_height,
)
from sheetops.ledger.status import StatusReport
from sheetops.ledger.store import FileRecord, SubmissionSeries
from sheetops.model.round import ROLES
from sheetops.model.scheme import plain_number
from sheetops.model.workspace import Round
from sheetops.reports.charts import ChartSheet
from sheetops.reports.handbook import write_records_check
from sheetops.reports.stream import (
    MAX_ROWS,
    Cells,
    RowStream,
    TallRow,
    finish_package,
    place,
)
from sheetops.scoring.analysis import Analysis
from sheetops.scoring.handbook import Metric
from sheetops.scoring.merge import BranchResult, CommitteeVeto, ScoringRules

GRADE_COLOURS: Final = ("#C6EFCE", "#FFFFFF", "#FFC7CE")  # best band, middle bands, worst band
PENDING_COLOUR: Final = "#EDEDED"
DETAIL_FIRST_ROW: Final = 3  # zero-based: title, a blank row, headers, then the rows
DETAIL_ROWS = MAX_ROWS - DETAIL_FIRST_ROW  # rows a detail sheet holds at most
RANKING_WIDTHS: Final = (6, 8, 26, 10, 8, 36, 9, 9, 9, 8, 8)
SECTIONS_WIDTHS: Final = (8, 26)  # then a score and its gap per section
SECTION_WIDTHS: Final = (11, 7)
ADVANCED_WIDTHS: Final = (8, 34, 14, 12, 8, 20)
ADVANCED_NAMES_WIDTHS: Final = (8, 56, 18)
RETURNS_WIDTHS: Final = (24, 7, 22, 22, 16, 30, 20, 7)
DETAIL_WIDTHS: Final = (9, 22, 7, 10, 22, 14, 26, 36, 6, 7, 30, 14, 22, 20)
ANALYSIS_WIDTHS: Final = (14, 26, 14, 14, 14, 30)
METHOD_WIDTHS: Final = (18, 90)
# zlib level 1: at a thousand branches the summary is 7 % larger than at level 3 (11.6 MB),
# and written a tenth of a second sooner.
COMPRESSION: Final = 1


@dataclass(frozen=True)
class SummaryData:
    """Everything the summary shows."""

    round: Round
    results: list[BranchResult]
    rules: ScoringRules
    forms: SubmissionSeries  # the current forms in detail order, read once more for it
    files: Mapping[str, FileRecord]
    status: StatusReport
    committee: Sequence[CommitteeVeto]
    computed_at: dt.datetime
    analysis: Analysis | None = None
    records: Mapping[str, Mapping[str, Metric]] | None = None  # handbook metrics per branch


@dataclass(frozen=True)
class Block:
    """One question of the rater analysis sheet: its rows, each flagged or not."""

    title: str
    headers: Sequence[str]
    rows: Sequence[tuple[bool, Sequence[object]]]
    empty: str  # shown when there are no rows
    rest: str = ""  # shown after the rows: those not listed


def summary_path(round_: Round) -> Path:
    """Return ``reports/summary-<round id>.xlsx``."""
    return round_.paths.reports / f"summary-{round_.config.id}.xlsx"


class _Writer:
    """Writes one summary workbook."""

    def __init__(self, book: Workbook, data: SummaryData) -> None:
        self.book = book
        self.data = data
        self.lang = data.round.lang
        self.zone = data.round.config.zone  # every time a person reads is shown in it
        self.scheme = data.round.scheme
        self.head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "align": "center",
                                     "valign": "vcenter"})
        self.cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
        self.number = book.add_format({"border": 1, "valign": "vcenter",
                                       "num_format": number_format(data.rules.decimals)})
        self.integer = book.add_format({"border": 1, "valign": "vcenter", "align": "center"})
        self.title = book.add_format({"bold": True, "font_size": 14, "valign": "vcenter",
                                      "font_name": title_font(self.lang)})
        self.big_title = book.add_format({"bold": True, "font_size": 18, "align": "center",
                                          "valign": "vcenter", "text_wrap": True,
                                          "font_name": title_font(self.lang)})
        self.lead = book.add_format({"font_size": 12, "valign": "vcenter"})
        self.note = book.add_format({"font_color": "#595959", "valign": "vcenter"})
        self.signature = book.add_format({"font_size": 14, "align": "right",
                                          "valign": "vcenter",
                                          "font_name": title_font(self.lang)})
        self.grade_formats = self._grade_formats()
        self.streams: list[RowStream] = []  # rows written once the workbook is closed

    def t(self, key: str, /, **params: object) -> str:
        return text(self.lang, f"summary.{key}", **params)

    def _grade_formats(self) -> dict[str, Format]:
        grades = self.data.rules.grades
        formats = {}
        for index, grade in enumerate(grades):
            colour = (GRADE_COLOURS[0] if index == 0 else GRADE_COLOURS[2]
                      if index == len(grades) - 1 else GRADE_COLOURS[1])
            formats[grade.name] = self.book.add_format(
                {"border": 1, "align": "center", "valign": "vcenter", "bg_color": colour,
                 "bold": index == 0})
        formats[self.data.rules.pending_grade] = self.book.add_format(
            {"border": 1, "align": "center", "valign": "vcenter", "bg_color": PENDING_COLOUR})
        return formats

    def sheet(self, key: str, title: str, widths: Sequence[float], headers: Sequence[str],
              name: str | None = None) -> Worksheet:
        """A sheet with a title in row 1 and a header in row 3 (frozen, repeated on print)."""
        return table_sheet(self.book, name or self.t(f"sheet.{key}"), title, widths, headers,
                           title_format=self.title, head_format=self.head,
                           footer=text(self.lang, "form.footer"))

    @staticmethod
    def fitted(row: str, cells: Iterable[tuple[str, float]]) -> str | TallRow:
        """A streamed row as tall as its wrapped ``(text, column width)`` cells need."""
        height = wrapped_height(cells)
        return row if height is None else TallRow(row, height)

    def audit_only(self, sheet: Worksheet, count: int, columns: int) -> None:
        """An audit sheet prints its title, a note and its headers only, unless asked: the
        printed summary grows with the ranking, not with every form and score. The note says
        how to print the whole sheet."""
        sheet.write_string(1, 0, self.t("audit-note", rows=count), self.note)
        sheet.print_area(0, 0, 2, columns - 1)

    def value(self, cells: Cells, value: Decimal | None) -> str:
        """A score cell at the round's decimals, or a centred dash when there is none."""
        if value is None:
            return cells.text("—", self.integer)
        return cells.number(float(value), self.number)

    def role_score(self, result: BranchResult, role: str) -> Decimal | None:
        merged = result.roles.get(role)
        return None if merged is None else self.data.rules.round(merged.score)

    # -- sheets -----------------------------------------------------------------------------

    def ranking(self) -> None:
        """The ranking, one row per branch in rank order (streamed)."""
        results = self.data.results
        extra: list[str] = []
        if any(r.this_round is not None for r in results):
            extra += ["this_round", "combined_with"]
        if any(r.previous is not None for r in results):
            extra += ["previous", "change"]
        headers = [self.t(f"col.{k}") for k in ("rank", "code", "name", "score", "grade", "veto",
                                                "self", "peer", "inspector", "peer_forms",
                                                "complete", *extra)]
        title = self.t("title.ranking", round=self.data.round.config.title)
        sheet = self.sheet("ranking", title, (*RANKING_WIDTHS, *([10] * len(extra))), headers)
        sheet.autofilter(2, 0, 2 + len(results), len(headers) - 1)
        # The first page's headline, under the title (only the header row repeats).
        sheet.write_string(1, 0, self.headline(), self.lead)
        sheet.set_row(1, 20)
        formats = (self.integer, self.cell, self.number, *self.grade_formats.values())
        self.streams.append(RowStream.reserve(
            sheet, 3, len(results), len(headers), formats,
            lambda cells: self.ranking_rows(cells, extra)))

    def ranking_rows(self, cells: Cells, extra: Sequence[str]) -> Iterator[str | TallRow]:
        """The ranking's rows, each as tall as its name and veto reasons need."""
        string, integer = cells.text, self.integer
        for result in self.data.results:
            reasons = self.veto_reasons(result)
            peer = result.roles.get("peer")
            row = "".join((
                string("—", integer) if result.rank is None
                else cells.number(result.rank, integer),
                string(result.code, integer),
                string(result.name, self.cell),
                self.value(cells, result.score),
                string(result.grade, self.grade_formats.get(result.grade, integer)),
                string(reasons, self.cell),
                *(self.value(cells, self.role_score(result, role)) for role in ROLES),
                cells.number(len(peer.forms) + len(peer.dropped) if peer else 0, integer),
                string(self.t("value.yes" if result.complete else "value.no"), integer),
                *(self.value(cells, getattr(result, attribute)) for attribute in extra),
            ))
            yield self.fitted(row, [(result.name, RANKING_WIDTHS[2]),
                                    (reasons, RANKING_WIDTHS[5])])

    def headline(self) -> str:
        """How many branches were ranked, how many in each grade, and the day of ranking."""
        results, rules = self.data.results, self.data.rules
        grades = [grade.name for grade in rules.grades]
        if any(r.grade == rules.pending_grade for r in results):
            grades.append(rules.pending_grade)
        counts = join_counts(self.lang, (f"{grade} {sum(1 for r in results if r.grade == grade)}"
                                         for grade in grades))
        day = self.data.computed_at.astimezone(self.data.round.config.zone).date()
        return self.t("headline", ranked=sum(1 for r in results if r.rank is not None),
                      counts=counts, date=long_date(self.lang, day))

    def veto_reasons(self, result: BranchResult) -> str:
        titles = {v.id: v.text for v in self.scheme.vetoes}
        parts = []
        for reason in result.vetoes:
            source = (self.t("value.committee") if reason.source == "committee"
                      else text(self.lang, f"role.{reason.source}"))
            rater = f" {reason.rater}" if reason.rater else ""
            note = labelled(self.lang, "", reason.note) if reason.note else ""
            parts.append(self.t("value.veto_reason", veto=titles.get(reason.veto_id,
                                                                        reason.veto_id),
                                source=source, rater=rater, note=note))
        if result.withheld:
            parts.append(self.withheld_reason(result))
        return join_clauses(self.lang, parts)

    def withheld_reason(self, result: BranchResult) -> str:
        """Why a branch whose score reached the top grade was not given it."""
        return self.t("value.withheld", grade=result.withheld or "", now=result.grade,
                      forms=join_items(self.lang, result.owed_sheets))

    def sections(self) -> None:
        """Section scores with the gap to the best branch, then the best and the maximum."""
        sections = self.scheme.sections
        headers = [self.t("col.code"), self.t("col.name")]
        for section in sections:
            headers += [self.t("col.section_head", title=section.title,
                               max=plain_number(section.max)), self.t("col.gap")]
        title = self.t("title.sections", round=self.data.round.config.title)
        sheet = self.sheet("sections", title, (*SECTIONS_WIDTHS,
                                               *(SECTION_WIDTHS * len(sections))), headers)
        self.streams.append(RowStream.reserve(
            sheet, 3, len(self.data.results) + 2, len(headers),
            (self.integer, self.cell, self.number, self.head), self.sections_rows))

    def sections_rows(self, cells: Cells) -> Iterator[str | TallRow]:
        """One row per branch in rank order, then the best and the maximum of each section."""
        sections = self.scheme.sections
        string = cells.text
        best = {
            s.id: max((r.sections[s.id] for r in self.data.results if s.id in r.sections),
                      default=None)
            for s in sections
        }
        for result in self.data.results:
            row = [string(result.code, self.integer), string(result.name, self.cell)]
            for section in sections:
                value = result.sections.get(section.id)
                top = best[section.id]
                row += [self.value(cells, value),
                        self.value(cells, None if value is None or top is None else top - value)]
            yield self.fitted("".join(row), [(result.name, SECTIONS_WIDTHS[1])])
        blank = string("", self.cell)
        for label, values in ((self.t("row.best"), best),
                              (self.t("row.max"), {s.id: s.max for s in sections})):
            yield blank + string(label, self.head) + "".join(
                self.value(cells, values[section.id]) + blank for section in sections)

    def detail(self) -> None:
        """One row per current form and scheme item, streamed (see :mod:`.stream`).

        Forms come in the order of ``forms`` (by target in roster order, role and rater), read
        from the ledger as the rows are written. A province whose detail outgrows
        a worksheet continues it on further sheets, never splitting a form.
        """
        headers = [self.t(f"col.{k}") for k in (
            "target_code", "target_name", "role", "rater", "form", "section", "item", "target",
            "max", "item_score", "note", "counted", "sha256", "received")]
        forms = self.data.forms
        items = max(len(self.scheme.items), 1)
        per_sheet = max(DETAIL_ROWS // items, 1)
        starts = range(0, len(forms), per_sheet) or range(1)
        round_title = self.data.round.config.title
        for number, start in enumerate(starts, start=1):
            if number == 1:
                name, title = None, self.t("title.detail", round=round_title)
            else:
                name = self.t("sheet.detail-more", number=number)
                title = self.t("title.detail-more", round=round_title, number=number,
                               count=len(starts))
            sheet = self.sheet("detail", title, DETAIL_WIDTHS, headers, name)
            count = min(per_sheet, len(forms) - start) * len(self.scheme.items)
            sheet.autofilter(2, 0, max(2 + count, 3), len(headers) - 1)
            self.audit_only(sheet, count, len(headers))
            self.streams.append(RowStream.reserve(
                sheet, DETAIL_FIRST_ROW, count, len(headers), (self.cell, self.integer),
                partial(self.detail_rows, start=start, stop=start + per_sheet)))

    def detail_rows(self, cells: Cells, start: int, stop: int) -> Iterator[str | TallRow]:
        """The rows of the items of forms ``start`` to ``stop``, in order (each form read
        from the ledger as its rows are made), each as tall as its wrapped texts.

        The cells of a form and the cells of an item are made once and joined in every row;
        so are the lines each takes.
        """
        string, number, cell, integer = cells.text, cells.number, self.cell, self.integer
        names = {b.code: b.name for b in self.data.round.roster.branches}
        names.update({i.code: i.name for i in self.data.round.roster.inspectors})
        section_of = {i.id: s.title for s in self.scheme.sections for i in s.items}
        items = [(item.id, place(string(section_of[item.id], cell) + string(item.id, cell)
                                 + string(item.target, cell) + number(float(item.max), integer),
                                 5))
                 for item in self.scheme.items]
        widths = DETAIL_WIDTHS
        item_lines = {item.id: lines_needed([(section_of[item.id], widths[5]),
                                             (item.id, widths[6]), (item.target, widths[7])])
                      for item in self.scheme.items}
        dropped = {f for r in self.data.results for res in r.roles.values() if res
                   for f in res.dropped}
        # Each piece is placed in its columns once (A–E a form's, F–I an item's, J the score,
        # K the note, L–N the form's again); a row then only gets its number.
        counted = string(self.t("value.counted"), cell)
        dropped_cell = string(self.t("value.dropped"), cell)
        missing = place(string("—", integer), 9)
        score_cells: dict[str, str] = {}
        note_cells = {"": place(string("", cell), 10)}
        note_lines = {"": 1}
        roles: dict[str, str] = {}
        # the forms of one file share their tail (and the lines its texts take)
        tails: dict[tuple[bool, str], tuple[str, str]] = {}
        for submission in self.data.forms.read(start, stop):
            role = roles.get(submission.role)
            if role is None:
                role = roles[submission.role] = string(
                    text(self.lang, f"role.{submission.role}"), cell)
            head = place(string(submission.target, cell)
                         + string(names.get(submission.target, ""), cell) + role
                         + string(submission.rater, cell) + string(submission.form_id, cell), 0)
            key = (submission.form_id in dropped, submission.sha256)
            known = tails.get(key)
            if known is None:
                record = self.data.files.get(submission.sha256)
                received = local_time(record.received_at, self.zone) if record else ""
                known = tails[key] = (place(
                    (dropped_cell if key[0] else counted) + string(submission.sha256, cell)
                    + string(received, cell), 11), received)
            tail, received = known
            form_lines = lines_needed([
                (names.get(submission.target, ""), widths[1]), (submission.rater, widths[3]),
                (submission.form_id, widths[4]), (submission.sha256, widths[12]),
                (received, widths[13])])
            scores = submission.payload.get("scores", {})
            notes = submission.payload.get("notes", {})
            for item_id, item_cells in items:
                score = scores.get(item_id)
                score_cell = missing if score is None else score_cells.get(score)
                if score_cell is None:
                    score_cell = score_cells[score] = place(number(float(score), integer), 9)
                note = notes.get(item_id, "")
                note_cell = note_cells.get(note)
                if note_cell is None:
                    note_cell = note_cells[note] = place(string(note, cell), 10)
                    note_lines[note] = line_count(note, widths[10])
                row = f"{head}{item_cells}{score_cell}{note_cell}{tail}"
                lines = max(form_lines, item_lines[item_id], note_lines[note])
                yield row if lines == 1 else TallRow(row, height_of(lines))

    def returns(self) -> None:
        """One row per expected form: its status, file and issues (streamed)."""
        headers = [self.t(f"col.{k}") for k in ("form", "role", "rater", "target_name",
                                                "status", "file", "received", "issues")]
        title = self.t("title.returns", round=self.data.round.config.title)
        sheet = self.sheet("returns", title, RETURNS_WIDTHS, headers)
        count = sum(len(recipient.forms) for recipient in self.data.status.recipients)
        sheet.autofilter(2, 0, max(2 + count, 3), len(headers) - 1)
        self.audit_only(sheet, count, len(headers))
        self.streams.append(RowStream.reserve(sheet, 3, count, len(headers),
                                              (self.cell, self.integer), self.returns_rows))

    def returns_rows(self, cells: Cells) -> Iterator[str | TallRow]:
        """The returns' rows, by recipient in roster order, each as tall as its texts."""
        string, cell = cells.text, self.cell
        names = {b.code: b.name for b in self.data.round.roster.branches}
        names.update({i.code: i.name for i in self.data.round.roster.inspectors})
        for recipient in self.data.status.recipients:
            for form in recipient.forms:
                values = (
                    form.form_id, text(self.lang, f"role.{form.role}"),
                    f"{form.rater} {names.get(form.rater, '')}",
                    f"{form.target} {names.get(form.target, '')}",
                    text(self.lang, f"status.{form.status}"), form.file or "",
                    local_time(form.received_at, self.zone),
                )
                yield self.fitted("".join(string(value, cell) for value in values)
                                  + cells.number(form.issues, self.integer),
                                  zip(values, RETURNS_WIDTHS, strict=False))

    def advanced(self) -> None:
        """The list of advanced branches as it is issued: by rank with scores, then a second
        list of names only (in rank or roster order, as ``[round] advanced_order`` says), each
        ending with the issuing body, the date and space for the seal."""
        best = self.data.rules.grades[0].name
        secretaries = {b.code: b.secretary for b in self.data.round.roster.branches}
        winners = [r for r in self.data.results if r.grade == best and r.rank is not None]
        scored = [
            [index, result.name, secretaries.get(result.code, ""), result.score,
             result.rank, "" if result.complete else self.t("value.incomplete")]
            for index, result in enumerate(winners, start=1)]
        sheet = self.official_list("advanced", ADVANCED_WIDTHS,
                                   ("number", "name", "secretary", "score", "rank", "remark"),
                                   scored)
        withheld = [r for r in self.data.results if r.withheld]
        if withheld:
            # For staff on screen, beside the list (outside what prints and is issued).
            column = len(ADVANCED_WIDTHS) + 1
            sheet.set_column(column, column, 60)
            sheet.write_string(2, column, self.t("advanced.withheld-head"), self.head)
            for offset, result in enumerate(withheld, start=3):
                sheet.write_string(offset, column, self.t(
                    "advanced.withheld-line", code=result.code, name=result.name,
                    reason=self.withheld_reason(result)), self.cell)
        if self.data.round.config.advanced_order == "roster":
            order = {b.code: index for index, b in enumerate(self.data.round.roster.branches)}
            winners = sorted(winners, key=lambda r: order.get(r.code, len(order)))
        names: list[list[int | str | Decimal | None]] = [
            [index, result.name, secretaries.get(result.code, "")]
                 for index, result in enumerate(winners, start=1)]
        self.official_list("advanced-names", ADVANCED_NAMES_WIDTHS,
                           ("number", "name", "secretary"), names)

    def official_list(self, key: str, widths: Sequence[float], columns: Sequence[str],
                      rows: Sequence[Sequence[int | str | Decimal | None]]) -> Worksheet:
        """A list to print and seal: title, the table (each row as tall as its name), then
        the issuer and the date at the bottom right with room for the seal over them."""
        config = self.data.round.config
        sheet = self.book.add_worksheet(self.t(f"sheet.{key}"))
        last = len(widths) - 1
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.merge_range(0, 0, 0, last, self.t("title.advanced", round=config.title),
                          self.big_title)
        sheet.set_row(0, 56)
        for col, column in enumerate(columns):
            sheet.write_string(2, col, self.t(f"col.{column}"), self.head)
        sheet.set_row(2, 24)
        row = 3
        for values in rows:
            for col, value in enumerate(values):
                if isinstance(value, Decimal):
                    sheet.write_number(row, col, float(value), self.number)
                elif isinstance(value, int):
                    sheet.write_number(row, col, value, self.integer)
                else:
                    sheet.write_string(row, col, "—" if value is None else value,
                                       self.cell if col in (1, 5) else self.integer)
            sheet.set_row(row, max(24.0, row_height(
                (value, width) for value, width in zip(values, widths, strict=False)
                if isinstance(value, str))))
            row += 1
        if not rows:
            sheet.merge_range(row, 0, row, last, self.t("advanced.none"), self.cell)
            sheet.set_row(row, 24)
            row += 1
        # Room above the signature for the seal (about 4 cm across), which covers the date.
        sheet.set_row(row, 48)
        day = config.issue_date or self.data.computed_at.astimezone(config.zone).date()
        for offset, line in enumerate((config.issuer, long_date(self.lang, day)), start=1):
            if line:
                sheet.merge_range(row + offset, 1, row + offset, last, line, self.signature)
            sheet.set_row(row + offset, 36)
        sheet.set_paper(9)
        sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.set_margins(left=0.7, right=0.7, top=0.8, bottom=0.8)
        sheet.repeat_rows(2, 2)
        sheet.set_footer(f"&C{text(self.lang, 'form.footer')}")
        sheet.print_area(0, 0, row + 2, last)
        return sheet

    def method(self) -> None:
        data = self.data
        rules = data.rules
        config = data.round.config
        sheet = self.sheet("method", self.t("title.method", round=config.title), METHOD_WIDTHS,
                           [self.t("col.key"), self.t("col.value")])
        weights = {r: format(rules.weights[r].normalize(), "f") for r in ROLES}
        policies = {r: self.t(f"method.policy.{rules.missing[r]}") for r in ROLES}
        grade_lines = join_items(self.lang, (
            self.t("method.grade_value", name=g.name, min=plain_number(g.min))
            for g in rules.grades[:-1]))
        roles = join_items(self.lang, (text(self.lang, f"role.{r}") for r in rules.tie_breaks))
        rows = [
            ("round", f"{config.id}  {config.title}"),
            ("scheme", f"{self.scheme.id} {self.scheme.version}  {self.scheme.title}"),
            ("scheme_hash", self.scheme.hash),
            ("weights", self.t("method.weights_value", **weights)),
            ("trim", self.t("method.trim_value", min=rules.trim_min_forms,
                            high=rules.drop_highest, low=rules.drop_lowest)),
            ("missing", self.t("method.missing_value", **policies)),
            ("grades", grade_lines),
            ("veto", self.t("method.veto_value", grade=rules.grades[-1].name)),
            ("ties", self.t("method.ties_value", roles=roles)),
            ("rounding", self.t("method.rounding_value", decimals=rules.decimals)),
            ("computed", local_time(data.computed_at, config.zone)),
            ("basis", self.t("method.basis_value", forms=len(data.forms),
                             expected=sum(len(r.forms) for r in data.status.recipients),
                             files=data.forms.files,
                             vetoes=len(data.committee))),
        ]
        if config.combine_round:
            rows.append(("combine", self.t("method.combine_value", round=config.combine_round,
                                           weight=format(config.combine_weight.normalize(),
                                                         "f"))))
        if config.compare_round:
            rows.append(("compare", self.t("method.compare_value", round=config.compare_round)))
        names = {b.code: b.name for b in data.round.roster.branches}
        labels = {v.id: v.label for v in self.scheme.vetoes}
        rows += [("committee", self.t("method.committee_value", code=v.branch,
                                      name=names.get(v.branch, ""),
                                      veto=labels.get(v.veto_id, v.veto_id),
                                      time=local_time(v.decided_at, config.zone), note=v.note))
                 for v in data.committee]
        for row, (key, value) in enumerate(rows, start=3):
            label = self.t(f"method.{key}")
            sheet.write_string(row, 0, label, self.head)
            sheet.write_string(row, 1, value, self.cell)
            fit_row(sheet, row, zip((label, value), METHOD_WIDTHS, strict=True))

    def analysis(self) -> None:
        """The rater analysis: one block per question, flagged rows in red."""
        found = self.data.analysis
        if found is None:
            return
        sheet = self.book.add_worksheet(self.t("sheet.analysis"))
        for col, width in enumerate(ANALYSIS_WIDTHS):
            sheet.set_column(col, col, width)
        sheet.write_string(0, 0, self.t("title.analysis", round=self.data.round.config.title),
                           self.title)
        flag = self.book.add_format({"border": 1, "bg_color": "#FFC7CE", "text_wrap": True})
        flag_number = self.book.add_format({"border": 1, "bg_color": "#FFC7CE",
                                            "valign": "vcenter",
                                            "num_format": number_format(
                                                self.data.rules.decimals)})
        # A note in place of a block's rows runs across the row, on one line.
        note = self.book.add_format({"valign": "vcenter"})
        names = {b.code: b.name for b in self.data.round.roster.branches}
        names.update({i.code: i.name for i in self.data.round.roster.inspectors})
        thresholds = self.data.round.config.analysis
        blocks: list[Block] = []

        def block(title: str, headers: Sequence[str], rows: Sequence[tuple[bool, Sequence[
                object]]], empty: str) -> None:
            blocks.append(Block(title, headers, rows, empty))

        def flagged_only(title: str, headers: Sequence[str], rows: Sequence[tuple[bool, Sequence[
                object]]], rest: str) -> None:
            """A block that lists its flagged rows only (one per branch or rater would run to
            pages), then how many others were compared."""
            listed = [row for row in rows if row[0]]
            others = len(rows) - len(listed)
            blocks.append(Block(title, headers, listed, nothing,
                                self.t(rest, count=others) if listed and others else ""))

        def points(value: Fraction | None) -> Decimal | None:
            return None if value is None else self.data.rules.round(value)

        nothing = self.t("analysis.nothing")
        flagged_only(self.t("analysis.inflation", points=plain_number(thresholds.inflation)),
              [self.t(f"col.{k}") for k in ("code", "name", "self", "over_inspector",
                                            "over_peers", "flag")],
              [(i.flagged, (i.branch, names.get(i.branch, ""), points(i.self_score),
                            points(i.over_inspector), points(i.over_peers),
                            self.t("analysis.flag.inflation") if i.flagged else ""))
               for i in found.inflation], "analysis.rest-branches")
        flagged_only(self.t("analysis.leniency", points=plain_number(thresholds.leniency)),
              [self.t(f"col.{k}") for k in ("rater", "name", "forms", "deviation", "flag")],
              [(r.flagged, (r.rater, names.get(r.rater, ""), str(r.forms), points(r.deviation),
                            self.t("analysis.flag.lenient" if r.deviation > 0
                                   else "analysis.flag.harsh") if r.flagged else ""))
               for r in found.leniency], "analysis.rest-raters")
        block(self.t("analysis.uniform"),
              [self.t(f"col.{k}") for k in ("rater", "name", "role", "forms", "flag")],
              [(True, (u.rater, names.get(u.rater, ""), text(self.lang, f"role.{u.role}"),
                       str(u.forms), self.t(f"analysis.flag.{u.kind}")))
               for u in found.uniform], nothing)
        block(self.t("analysis.reciprocal", points=plain_number(thresholds.reciprocal)),
              [self.t(f"col.{k}") for k in ("first", "second", "first_over", "second_over")],
              [(True, (f"{p.first} {names.get(p.first, '')}",
                       f"{p.second} {names.get(p.second, '')}", points(p.first_over),
                       points(p.second_over))) for p in found.reciprocal], nothing)
        block(self.t("analysis.trimming"),
              [self.t(f"col.{k}") for k in ("code", "name", "rank", "untrimmed_rank")],
              [(True, (c.branch, names.get(c.branch, ""),
                       "—" if c.rank is None else str(c.rank),
                       "—" if c.untrimmed_rank is None else str(c.untrimmed_rank)))
               for c in found.trimming],
              self.t("analysis.trimming.none" if any(
                  res.dropped for r in self.data.results for res in r.roles.values() if res)
                  else "analysis.trimming.not-applied", min=self.data.rules.trim_min_forms))
        # Each block: its title, its headers, its rows (or a note that there are none), the
        # note on those not listed, and a blank row before the next block.
        count = sum(3 + max(len(b.rows), 1) + bool(b.rest) for b in blocks) - 1
        self.streams.append(RowStream.reserve(
            sheet, 2, count, max(len(b.headers) for b in blocks),
            (self.title, self.head, self.cell, self.number, flag, flag_number, note),
            lambda cells: self.analysis_rows(cells, blocks, (flag, flag_number), note)))
        # The title on every page: the blocks' own headers differ, so none of them repeats.
        setup_print(sheet, header_rows=(0, 0), footer=text(self.lang, "form.footer"))

    def analysis_rows(self, cells: Cells, blocks: Sequence[Block], flag: tuple[Format, Format],
                      note: Format) -> Iterator[str | TallRow]:
        """The analysis blocks' rows; numbers as numbers at the round's decimals, a missing
        value as a dash; each row as tall as its wrapped texts. ``flag`` is the text and the
        number format of a flagged row."""
        string = cells.text
        for index, found in enumerate(blocks):
            if index:
                yield ""
            yield string(found.title, self.title)
            yield self.fitted("".join(string(header, self.head) for header in found.headers),
                              zip(found.headers, ANALYSIS_WIDTHS, strict=False))
            if not found.rows:
                yield string(found.empty, note)
            for flagged, values in found.rows:
                style, number = flag if flagged else (self.cell, self.number)
                shown = ["—" if value is None else value if isinstance(value, Decimal)
                         else str(value) for value in values]
                yield self.fitted("".join(
                    cells.number(float(value), number) if isinstance(value, Decimal)
                    else string(value, style) for value in shown),
                    ((value, width) for value, width in zip(shown, ANALYSIS_WIDTHS,
                                                            strict=False)
                     if isinstance(value, str)))
            if found.rest:
                yield string(found.rest, note)


def write_summary(data: SummaryData) -> Path:
    """Write the summary workbook atomically and return its path.

    Args:
        data: results, rules, ledger content and status of the round.

    Returns:
        ``reports/summary-<round id>.xlsx``.
    """
    target = summary_path(data.round)
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(path: Path) -> None:
        buffer = io.BytesIO()
        book = new_workbook(buffer, data.round.lang)
        book.set_properties({"title": data.round.config.title, "author": "sheetops",
                             "comments": data.round.config.id})
        writer = _Writer(book, data)
        writer.ranking()
        writer.sections()
        writer.advanced()
        writer.returns()
        writer.detail()
        if data.records:
            write_records_check(book, data.round, data.results, data.records, data.rules)
        writer.analysis()
        writer.method()
        ChartSheet(book, lang=data.round.lang, title=data.round.config.title,
                   footer=text(data.round.lang, "form.footer"), results=data.results,
                   rules=data.rules, scheme=data.round.scheme).write()
        book.close()
        finish_package(buffer, path, writer.streams, compresslevel=COMPRESSION)

    replace_atomically(target, write)
    return target

