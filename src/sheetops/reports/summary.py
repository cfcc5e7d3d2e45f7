"""The summary workbook ``reports/summary-<round id>.xlsx``: what the committee prints and files.

Sheets: ranking (with grades coloured), section scores with the gap to the best branch, the
detail of every score traceable to the file it came from, returns per form, the printable list
of advanced branches, the rater analysis, the method, and a chart of final scores with the
advanced line. Every text that came from a returned workbook is written as text: never a formula
or a link.

XlsxWriter writes each sheet's title, headers, widths, panes, filter and print setup; the rows of
the sheets that grow with the round (a row per branch, form or scored item: 180,000 detail rows
for a thousand branches) are streamed into the closed package by :mod:`.stream`, in a fraction
of XlsxWriter's time and without holding the cells in memory.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
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
from sheetops.core.i18n import join_clauses, join_items, labelled, text
from sheetops.forms.formats import new_workbook, row_height, setup_print, table_sheet, title_font
from sheetops.ledger.status import StatusReport
from sheetops.ledger.store import FileRecord, SubmissionSeries
from sheetops.model.round import ROLES
from sheetops.model.scheme import plain_number
from sheetops.model.workspace import Round
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


def number_format(decimals: int) -> str:
    """The Excel number format that shows a score with ``decimals`` places (``0.00``)."""
    return "0." + "0" * decimals if decimals else "0"


def summary_path(round_: Round) -> Path:
    """Return ``reports/summary-<round id>.xlsx``."""
    return round_.paths.reports / f"summary-{round_.config.id}.xlsx"


class _Writer:
    """Writes one summary workbook."""

    def __init__(self, book: Workbook, data: SummaryData) -> None:
        self.book = book
        self.data = data
        self.lang = data.round.lang
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
        sheet = self.sheet("ranking", title,
                           (6, 8, 26, 10, 8, 36, 9, 9, 9, 8, 8, *([10] * len(extra))), headers)
        sheet.autofilter(2, 0, 2 + len(results), len(headers) - 1)
        formats = (self.integer, self.cell, self.number, *self.grade_formats.values())
        self.streams.append(RowStream.reserve(
            sheet, 3, len(results), len(headers), formats,
            lambda cells: self.ranking_rows(cells, extra)))

    def ranking_rows(self, cells: Cells, extra: Sequence[str]) -> Iterator[str | TallRow]:
        """The ranking's rows; a vetoed branch's row is as tall as its reasons need."""
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
            yield TallRow(row, row_height([(reasons, 36)])) if reasons else row

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
        return join_clauses(self.lang, parts)

    def sections(self) -> None:
        """Section scores with the gap to the best branch, then the best and the maximum."""
        sections = self.scheme.sections
        headers = [self.t("col.code"), self.t("col.name")]
        for section in sections:
            headers += [self.t("col.section_head", title=section.title,
                               max=plain_number(section.max)), self.t("col.gap")]
        title = self.t("title.sections", round=self.data.round.config.title)
        sheet = self.sheet("sections", title, (8, 26, *([11, 7] * len(sections))), headers)
        self.streams.append(RowStream.reserve(
            sheet, 3, len(self.data.results) + 2, len(headers),
            (self.integer, self.cell, self.number, self.head), self.sections_rows))

    def sections_rows(self, cells: Cells) -> Iterator[str]:
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
            yield "".join(row)
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
            sheet = self.sheet("detail", title,
                               (9, 22, 7, 10, 22, 14, 26, 36, 6, 7, 30, 14, 22, 20), headers,
                               name)
            count = min(per_sheet, len(forms) - start) * len(self.scheme.items)
            sheet.autofilter(2, 0, max(2 + count, 3), len(headers) - 1)
            self.streams.append(RowStream.reserve(
                sheet, DETAIL_FIRST_ROW, count, len(headers), (self.cell, self.integer),
                partial(self.detail_rows, start=start, stop=start + per_sheet)))

    def detail_rows(self, cells: Cells, start: int, stop: int) -> Iterator[str]:
        """The rows of the items of forms ``start`` to ``stop``, in order (each form read
        from the ledger as its rows are made).

        The cells of a form and the cells of an item are made once and joined in every row.
        """
        string, number, cell, integer = cells.text, cells.number, self.cell, self.integer
        names = {b.code: b.name for b in self.data.round.roster.branches}
        names.update({i.code: i.name for i in self.data.round.roster.inspectors})
        section_of = {i.id: s.title for s in self.scheme.sections for i in s.items}
        items = [(item.id, place(string(section_of[item.id], cell) + string(item.id, cell)
                                 + string(item.target, cell) + number(float(item.max), integer),
                                 5))
                 for item in self.scheme.items]
        dropped = {f for r in self.data.results for res in r.roles.values() if res
                   for f in res.dropped}
        # Each piece is placed in its columns once (A–E a form's, F–I an item's, J the score,
        # K the note, L–N the form's again); a row then only gets its number.
        counted = string(self.t("value.counted"), cell)
        dropped_cell = string(self.t("value.dropped"), cell)
        missing = place(string("—", integer), 9)
        score_cells: dict[str, str] = {}
        note_cells = {"": place(string("", cell), 10)}
        roles: dict[str, str] = {}
        tails: dict[tuple[bool, str], str] = {}  # the forms of one file share their tail
        for submission in self.data.forms.read(start, stop):
            role = roles.get(submission.role)
            if role is None:
                role = roles[submission.role] = string(
                    text(self.lang, f"role.{submission.role}"), cell)
            head = place(string(submission.target, cell)
                         + string(names.get(submission.target, ""), cell) + role
                         + string(submission.rater, cell) + string(submission.form_id, cell), 0)
            key = (submission.form_id in dropped, submission.sha256)
            tail = tails.get(key)
            if tail is None:
                record = self.data.files.get(submission.sha256)
                tail = tails[key] = place(
                    (dropped_cell if key[0] else counted) + string(submission.sha256, cell)
                    + string(record.received_at if record else "", cell), 11)
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
                yield f"{head}{item_cells}{score_cell}{note_cell}{tail}"

    def returns(self) -> None:
        """One row per expected form: its status, file and issues (streamed)."""
        headers = [self.t(f"col.{k}") for k in ("form", "role", "rater", "target_name",
                                                "status", "file", "received", "issues")]
        title = self.t("title.returns", round=self.data.round.config.title)
        sheet = self.sheet("returns", title, (24, 7, 22, 22, 16, 30, 20, 7), headers)
        count = sum(len(recipient.forms) for recipient in self.data.status.recipients)
        sheet.autofilter(2, 0, max(2 + count, 3), len(headers) - 1)
        self.streams.append(RowStream.reserve(sheet, 3, count, len(headers),
                                              (self.cell, self.integer), self.returns_rows))

    def returns_rows(self, cells: Cells) -> Iterator[str]:
        """The returns' rows, by recipient in roster order."""
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
                    form.received_at or "",
                )
                yield ("".join(string(value, cell) for value in values)
                       + cells.number(form.issues, self.integer))

    def advanced(self) -> None:
        best = self.data.rules.grades[0].name
        secretaries = {b.code: b.secretary for b in self.data.round.roster.branches}
        sheet = self.book.add_worksheet(self.t("sheet.advanced"))
        for col, width in enumerate((8, 34, 14, 12, 8, 20)):
            sheet.set_column(col, col, width)
        sheet.merge_range(0, 0, 0, 5, self.t("title.advanced",
                                             round=self.data.round.config.title),
                          self.big_title)
        sheet.set_row(0, 56)
        for col, key in enumerate(("number", "name", "secretary", "score", "rank", "remark")):
            sheet.write_string(2, col, self.t(f"col.{key}"), self.head)
        winners = [r for r in self.data.results if r.grade == best and r.rank is not None]

        def rows(cells: Cells) -> Iterator[TallRow]:
            string, number = cells.text, cells.number
            for index, result in enumerate(winners, start=1):
                yield TallRow("".join((
                    number(index, self.integer),
                    string(result.name, self.cell),
                    string(secretaries.get(result.code, ""), self.integer),
                    self.value(cells, result.score),
                    number(result.rank or 0, self.integer),
                    string("" if result.complete else self.t("value.incomplete"), self.cell),
                )), 24)

        self.streams.append(RowStream.reserve(sheet, 3, len(winners), 6,
                                              (self.integer, self.cell, self.number), rows))
        sheet.set_paper(9)
        sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.repeat_rows(2, 2)

    def method(self) -> None:
        data = self.data
        rules = data.rules
        config = data.round.config
        sheet = self.sheet("method", self.t("title.method", round=config.title), (18, 90),
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
            ("computed", data.computed_at.isoformat()),
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
        rows += [("committee", f"{v.branch} {v.veto_id} {v.decided_at}：{v.note}")
                 for v in data.committee]
        for row, (key, value) in enumerate(rows, start=3):
            sheet.write_string(row, 0, self.t(f"method.{key}"), self.head)
            sheet.write_string(row, 1, value, self.cell)

    def analysis(self) -> None:
        """The rater analysis: one block per question, flagged rows in red."""
        found = self.data.analysis
        if found is None:
            return
        sheet = self.book.add_worksheet(self.t("sheet.analysis"))
        for col, width in enumerate((14, 26, 14, 14, 14, 30)):
            sheet.set_column(col, col, width)
        sheet.write_string(0, 0, self.t("title.analysis", round=self.data.round.config.title),
                           self.title)
        flag = self.book.add_format({"border": 1, "bg_color": "#FFC7CE", "text_wrap": True})
        names = {b.code: b.name for b in self.data.round.roster.branches}
        names.update({i.code: i.name for i in self.data.round.roster.inspectors})
        thresholds = self.data.round.config.analysis
        blocks: list[Block] = []

        def block(title: str, headers: Sequence[str], rows: Sequence[tuple[bool, Sequence[
                object]]], empty: str) -> None:
            blocks.append(Block(title, headers, rows, empty))

        def points(value: Fraction | None) -> Decimal | None:
            return None if value is None else self.data.rules.round(value)

        nothing = self.t("analysis.nothing")
        block(self.t("analysis.inflation", points=plain_number(thresholds.inflation)),
              [self.t(f"col.{k}") for k in ("code", "name", "self", "over_inspector",
                                            "over_peers", "flag")],
              [(i.flagged, (i.branch, names.get(i.branch, ""), points(i.self_score),
                            points(i.over_inspector), points(i.over_peers),
                            self.t("analysis.flag.inflation") if i.flagged else ""))
               for i in found.inflation], nothing)
        block(self.t("analysis.leniency", points=plain_number(thresholds.leniency)),
              [self.t(f"col.{k}") for k in ("rater", "name", "forms", "deviation", "flag")],
              [(r.flagged, (r.rater, names.get(r.rater, ""), str(r.forms), points(r.deviation),
                            self.t("analysis.flag.lenient" if r.deviation > 0
                                   else "analysis.flag.harsh") if r.flagged else ""))
               for r in found.leniency], nothing)
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
        # Each block: its title, its headers, its rows (or a note that there are none), and
        # a blank row before the next block.
        count = sum(3 + max(len(b.rows), 1) for b in blocks) - 1
        self.streams.append(RowStream.reserve(
            sheet, 2, count, max(len(b.headers) for b in blocks),
            (self.title, self.head, self.cell, flag),
            lambda cells: self.analysis_rows(cells, blocks, flag)))
        setup_print(sheet, header_rows=None, footer=text(self.lang, "form.footer"))

    def analysis_rows(self, cells: Cells, blocks: Sequence[Block], flag: Format,
                      ) -> Iterator[str]:
        """The analysis blocks' rows; numbers as numbers, a missing value as a dash."""
        string = cells.text
        for index, found in enumerate(blocks):
            if index:
                yield ""
            yield string(found.title, self.title)
            yield "".join(string(header, self.head) for header in found.headers)
            if not found.rows:
                yield string(found.empty, self.cell)
            for flagged, values in found.rows:
                style = flag if flagged else self.cell
                yield "".join(
                    cells.number(float(value), style) if isinstance(value, Decimal)
                    else string("—" if value is None else str(value), style)
                    for value in values)

    def chart(self) -> None:
        scored = [r for r in self.data.results if r.rank is not None]  # ranked branches only
        sheet = self.book.add_worksheet(self.t("sheet.chart"))
        threshold = plain_number(self.data.rules.grades[0].min)
        # Helper columns the chart reads: branch name, score, threshold line.
        sheet.write_string(0, 10, self.t("col.name"))
        sheet.write_string(0, 11, self.t("col.score"))
        sheet.write_string(0, 12, self.t("chart.line", threshold=threshold))
        for row, result in enumerate(scored, start=1):
            sheet.write_string(row, 10, result.name)
            sheet.write_number(row, 11, float(result.score or 0))
            sheet.write_number(row, 12, float(threshold))
        name = self.t("sheet.chart")
        quoted = "'" + name.replace("'", "''") + "'"
        columns = self.book.add_chart({"type": "column"})
        columns.add_series({
            "name": self.t("col.score"),
            "categories": f"={quoted}!$K$2:$K${len(scored) + 1}",
            "values": f"={quoted}!$L$2:$L${len(scored) + 1}",
            "fill": {"color": "#4472C4"},
            "data_labels": {"value": True, "num_format": "0.0"},
        })
        line = self.book.add_chart({"type": "line"})
        line.add_series({
            "name": self.t("chart.line", threshold=threshold),
            "categories": f"={quoted}!$K$2:$K${len(scored) + 1}",
            "values": f"={quoted}!$M$2:$M${len(scored) + 1}",
            "line": {"color": "#C00000", "dash_type": "dash", "width": 1.5},
            "marker": {"type": "none"},
        })
        columns.combine(line)
        columns.set_title({"name": self.t("title.chart")})
        columns.set_y_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
        columns.set_x_axis({"num_font": {"rotation": -45}})
        columns.set_legend({"position": "bottom"})
        columns.set_size({"width": 960, "height": 480})
        sheet.insert_chart(0, 0, columns)
        sheet.set_column(10, 12, 18, None, {"hidden": True})
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 1)


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
        writer.chart()
        book.close()
        finish_package(buffer, path, writer.streams, compresslevel=COMPRESSION)

    replace_atomically(target, write)
    return target

