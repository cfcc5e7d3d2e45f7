"""The rejection report: what staff send back to each recipient, at any size of round.

Three parts, all from the ledger's current state:

- the summary sheet: issues by code (with the code's title), the recipients who must fix and
  resend in the order staff call them (most errors first), and every recipient's counts;
- the detail sheet: one row per form, sheet and issue code, its cells listed together
  (``D12、D15、D19``): the columns a person reads first, printed one page wide, then the
  file's particulars beyond the print area;
- ``rejections-<round id>.csv`` beside it: every issue, cell by cell (UTF-8 with a BOM, so that
  Excel opens it in Chinese).

A file whose every form has since come in right from a later file stays in the detail sheet
and the CSV (staff who called the branch about it can still find it), after its recipient's
open files, greyed, its forms marked superseded and the later file named with its arrival;
it counts nowhere in the summary, which is about what is still to be fixed.

The issues are read from SQLite in the report's order, row by row, and written as they come:
the detail rows straight into the closed package (:mod:`sheetops.reports.stream`), the CSV line
by line, so memory does not grow with the number of issues. Every text that came from a
returned file is written as text (a shared string, never a formula; in the CSV, formula-like
text gets a leading ').
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from string import Formatter
from typing import Final, TextIO

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.csvtext import csv_cell
from sheetops.core.errors import Severity
from sheetops.core.files import replace_atomically
from sheetops.core.i18n import CATALOG, join_clauses, join_items, text
from sheetops.core.issues import REGISTRY, IssueGroup
from sheetops.core.statuses import ACCEPTED, HELD, REJECTED, WITH_WARNINGS
from sheetops.core.times import local_time
from sheetops.forms.formats import (
    POINTS_PER_LINE,
    fit_row,
    line_count,
    new_workbook,
    row_height,
    setup_print,
)
from sheetops.ledger.store import COUNTING, FileRecord, Ledger, SelectedIssue
from sheetops.model.workspace import Round
from sheetops.reports.stream import MAX_ROWS, Cells, RowStream, TallRow, finish_package
from sheetops.validate.scoresheet import RoundView

# The detail sheet: what a person reads (and prints), then the file's particulars. The
# printed columns are about 120 characters wide: A4 landscape fits them at 89 %, so the 11 pt
# text prints at 9.8 pt (at 168 characters, as they were, it printed at 7 pt).
DETAIL_COLUMNS: Final = (
    ("recipient", 6), ("recipient_name", 14), ("sheet", 9), ("severity", 5),
    ("title", 12), ("cells", 12), ("count", 5), ("message", 34), ("action", 22),
    ("form", 18), ("file", 28), ("received", 20), ("status", 14), ("form_status", 14),
    ("code", 22), ("sha256", 20), ("superseded_by", 36),
)
PRINTED_COLUMNS: Final = 9  # recipient … action
# The CSV: every issue, one line each.
CSV_COLUMNS: Final = (
    "recipient", "recipient_name", "file", "sender", "received", "status", "form",
    "form_status", "sheet", "cell", "severity", "code", "title", "message", "action", "sha256",
    "superseded_by",
)
SUMMARY_WIDTHS: Final = (18, 24, 12, 12, 30, 10, 10, 22)  # an e-mail address on one line
SUMMARY_PRINTED: Final = 7  # the issue codes, in the last column, are for lookup, not print
PRINTED_WIDTH: Final = sum(SUMMARY_WIDTHS[:SUMMARY_PRINTED])
MAX_ROW_LINES: Final = 8  # a row taller than this is cut: the CSV has the rest


def rejection_report_path(round_: Round) -> Path:
    """Return ``reports/rejections-<round id>.xlsx``."""
    return round_.paths.reports / f"rejections-{round_.config.id}.xlsx"


def rejection_list_path(round_: Round) -> Path:
    """Return ``reports/rejections-<round id>.csv`` (every issue, cell by cell)."""
    return round_.paths.reports / f"rejections-{round_.config.id}.csv"


@dataclass(frozen=True)
class ReportedFile:
    """A file in the report: its record, its status now and whom it is reported under."""

    record: FileRecord
    status: str
    recipient: str
    # each form it carried, as it stands now: its status in this file, or superseded once a
    # later file brought the form in right
    form_states: dict[str, str] = field(default_factory=dict)
    # the later files that brought every form it carried in right, in the order they came
    # (none while anything in it is still to be fixed)
    superseded_by: tuple[FileRecord, ...] = ()

    @property
    def open(self) -> bool:
        """Whether something in it is still to be fixed (it counts in the summary)."""
        return not self.superseded_by


def reported_files(ledger: Ledger, view: RoundView) -> list[ReportedFile]:
    """Every rejected, accepted-with-warnings or held file, in report order.

    A file whose every form has come in right since, from later files, is kept but marked
    superseded by them (nothing is left to fix; staff who called about it still find it).
    Files are ordered by recipient (files no form identifies last), each recipient's open
    files before its superseded ones, then by arrival and name.

    Args:
        ledger: the round's ledger.
        view: the round's expected forms (to name each file's recipient).

    Returns:
        The files, read without their payloads (one query per table, not per file).
    """
    # Submissions in the ledger's order (arrival, then as recorded): a form came in right
    # since a file's return of it when its counting submission comes later.
    carried: dict[str, list[tuple[str, str, bool, int]]] = defaultdict(list)
    counts_now: dict[str, tuple[int, str]] = {}  # form id → (position, file) of its counting one
    for position, state in enumerate(ledger.submission_states()):
        carried[state.sha256].append((state.form_id, state.status, state.current, position))
        if state.current:
            counts_now[state.form_id] = (position, state.sha256)
    records = ledger.files()
    by_sha = {record.sha256: record for record in records}
    found = []
    for record in records:
        if record.status not in (REJECTED, WITH_WARNINGS, HELD):
            continue
        forms = carried.get(record.sha256, [])
        status = record.status
        counting = [form for form in forms if form[1] in COUNTING]
        if status in COUNTING and counting and not any(form[2] for form in counting):
            status = "superseded"
        answers = {form_id: now if (now := counts_now.get(form_id)) and now[0] > position
                   else None for form_id, _, _, position in forms}
        later = (sorted({answer for answer in answers.values() if answer is not None})
                 if forms and all(answers.values()) else [])
        recipients = [view.expected[form[0]].recipient for form in forms
                      if form[0] in view.expected]
        if view.handbook:
            recipients += [view.handbook.expected[form[0]] for form in forms
                           if form[0] in view.handbook.expected]
        states = {form_id: "superseded" if answers[form_id] is not None else form_status
                  for form_id, form_status, _, _ in forms}
        found.append(ReportedFile(
            record, status, recipients[0] if recipients else "", states,
            tuple(by_sha[sha] for sha in dict.fromkeys(sha for _, sha in later))))
    found.sort(key=lambda f: (f.recipient == "", f.recipient, not f.open,
                              f.record.received_at, f.record.name))
    return found


class _Messages:
    """The messages of stored issues, each distinct one rendered once.

    A round's warnings repeat: the same item scored the same way on many forms. A message is
    keyed by its code and parameters, and by its form and sheet only when its template names
    them; at most ``LIMIT`` are kept, so memory stays bounded however many there are.
    """

    LIMIT: Final = 20_000

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._names: dict[str, tuple[bool, bool]] = {}  # code → names form_id, sheet
        self._known: dict[tuple[str, str, str | None, str | None], str] = {}

    def __call__(self, found: SelectedIssue) -> str:
        names = self._names.get(found.code)
        if names is None:
            fields = {name for template in CATALOG[f"issue.{found.code}.message"].values()
                      for _, name, _, _ in Formatter().parse(template) if name}
            names = self._names[found.code] = ("form_id" in fields, "sheet" in fields)
        key = (found.code, found.params, found.form_id if names[0] else None,
               found.sheet if names[1] else None)
        message = self._known.get(key)
        if message is None:
            if len(self._known) >= self.LIMIT:
                self._known.clear()
            message = self._known[key] = found.to_issue().message(self.lang)
        return message


class _Writer:
    """Writes the two sheets and the CSV of one report."""

    def __init__(self, round_: Round, book: Workbook, listing: TextIO,
                 files: list[ReportedFile]) -> None:
        self.round = round_
        self.lang = round_.lang
        self.zone = round_.config.zone
        self.book = book
        self.csv = csv.writer(listing)
        self.files = {f.record.sha256: f for f in files}
        self.open_files = [f for f in files if f.open]
        self.names = {b.code: b.name for b in round_.roster.branches}
        self.names.update({i.code: i.name for i in round_.roster.inspectors})
        self.branches = {b.code: b for b in round_.roster.branches}
        self.emails = {i.code: i.email for i in round_.roster.inspectors}
        self.head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "valign": "vcenter"})
        self.body = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.number = book.add_format({"valign": "top", "border": 1})
        self.error = book.add_format({"text_wrap": True, "valign": "top", "border": 1,
                                      "font_color": "#C00000"})
        # the rows of superseded files: nothing left to fix there
        self.settled = book.add_format({"text_wrap": True, "valign": "top", "border": 1,
                                        "font_color": "#7F7F7F"})
        self.prose = book.add_format({"text_wrap": True, "valign": "top"})
        self.title_format = book.add_format({"bold": True, "font_size": 14})
        self.section = book.add_format({"bold": True, "font_size": 12})
        self.made = local_time(dt.datetime.now(dt.UTC), self.zone)

    def t(self, key: str, **params: object) -> str:
        return text(self.lang, f"rejections.{key}", **params)

    def recipient_name(self, code: str) -> str:
        return self.names.get(code, "") if code else self.t("unknown-recipient")

    # -- the summary sheet ------------------------------------------------------------------

    def summary(self, sheet: Worksheet, codes: Iterable[tuple[str, str, int, int, int]],
                recipients: Sequence[tuple[str, int, int, int]]) -> None:
        """Title, then issues by code, the recipients to call, and every recipient's counts:
        of the open files only (a superseded file has nothing left to fix).

        Args:
            sheet: the (empty) summary sheet.
            codes: ``(code, severity, issues, forms, recipients)`` of the open files, most
                issues first.
            recipients: ``(recipient, files, errors, warnings)`` of the open files, by
                recipient.
        """
        lang = self.lang
        for col, width in enumerate(SUMMARY_WIDTHS):
            sheet.set_column(col, col, width)
        sheet.write_string(0, 0, self.t("title", round=self.round.config.title),
                           self.title_format)
        self.sentence(sheet, 1, self.t("generated", time=self.made))
        self.sentence(sheet, 2, self.t("summary.details", sheet=self.t("sheet"),
                                       csv=rejection_list_path(self.round).name))
        row = 4
        sheet.write_string(row, 0, self.t("summary.codes"), self.section)
        row = self.header(sheet, row + 1, ("title", "severity", "count", "forms",
                                           "recipients"))
        sheet.write_string(row - 1, SUMMARY_PRINTED, self.t("col.code"), self.head)
        for code, severity, issues, forms, among in codes:
            style = self.error if severity == Severity.ERROR else self.body
            sheet.write_string(row, 0, REGISTRY[code].title(lang), style)
            sheet.write_string(row, 1, text(lang, f"severity.{severity}"), style)
            for col, value in enumerate((issues, forms, among), start=2):
                sheet.write_number(row, col, value, self.number)
            sheet.write_string(row, SUMMARY_PRINTED, code, style)
            fit_summary_row(sheet, row, {0: REGISTRY[code].title(lang)})
            row += 1
        rejected: defaultdict[str, int] = defaultdict(int)
        for reported in self.open_files:
            if reported.status == REJECTED:
                rejected[reported.recipient] += 1
        resend = sorted(((code, files, errors) for code, files, errors, _ in recipients
                         if errors or rejected[code]),
                        key=lambda r: (r[0] == "", -r[2], -rejected[r[0]], r[0]))
        row += 1
        sheet.write_string(row, 0, self.t("summary.resend"), self.section)
        if not resend:
            sheet.write_string(row + 1, 0, self.t("summary.no-resend"))
            row += 2
        else:
            row = self.header(sheet, row + 1, ("number", "recipient_name", "recipient",
                                               "secretary", "email", "errors",
                                               "rejected_files"))
            for number, (code, _, errors) in enumerate(resend, start=1):
                branch = self.branches.get(code)
                contact = (self.recipient_name(code), code,
                          " ".join(filter(None, (branch.secretary, branch.phone)))
                          if branch else "",
                          branch.email if branch else self.emails.get(code, ""))
                sheet.write_number(row, 0, number, self.number)
                for col, entry in enumerate(contact, start=1):
                    sheet.write_string(row, col, entry, self.body)
                sheet.write_number(row, 5, errors, self.number)
                sheet.write_number(row, 6, rejected[code], self.number)
                fit_summary_row(sheet, row, dict(enumerate(contact, start=1)))
                row += 1
        superseded = len(self.files) - len(self.open_files)
        if superseded:
            self.sentence(sheet, row, self.t("summary.superseded", count=superseded,
                                             sheet=self.t("sheet")))
            row += 1
        row += 1
        sheet.write_string(row, 0, self.t("summary.recipients"), self.section)
        row = self.header(sheet, row + 1, ("recipient", "recipient_name", "files", "errors",
                                           "warnings", "resend"))
        for code, files, errors, warnings in sorted(recipients,
                                                    key=lambda r: (r[0] == "", r[0])):
            sheet.write_string(row, 0, code, self.body)
            sheet.write_string(row, 1, self.recipient_name(code), self.body)
            for col, value in enumerate((files, errors, warnings), start=2):
                sheet.write_number(row, col, value, self.number)
            sheet.write_string(row, 5, self.t("yes") if errors or rejected[code] else "",
                               self.body)
            fit_summary_row(sheet, row, {1: self.recipient_name(code)})
            row += 1
        sheet.print_area(0, 0, row - 1, SUMMARY_PRINTED - 1)
        setup_print(sheet, header_rows=None, footer=text(lang, "form.footer"))

    def sentence(self, sheet: Worksheet, row: int, value: str) -> None:
        """A sentence across the summary's printed columns, wrapped (so that it prints whole
        however long the round's title or the language makes it)."""
        sheet.merge_range(row, 0, row, SUMMARY_PRINTED - 1, value, self.prose)
        fit_row(sheet, row, [(value, PRINTED_WIDTH)])

    def header(self, sheet: Worksheet, row: int, columns: Iterable[str]) -> int:
        """Write a table's column headers on the summary in ``row``; the next row."""
        headers = [self.t(f"col.{name}") for name in columns]
        for col, header in enumerate(headers):
            sheet.write_string(row, col, header, self.head)
        fit_summary_row(sheet, row, dict(enumerate(headers)))
        return row + 1

    # -- the detail sheet and the CSV -------------------------------------------------------

    def details(self, sheet: Worksheet, count: int,
                issues: Iterator[SelectedIssue]) -> RowStream:
        """Head ``sheet`` and reserve its ``count`` rows: one per group of ``issues``, made
        once the workbook is closed, each issue written to the CSV on the way."""
        lang = self.lang
        sheet.write_string(0, 0, self.t("title", round=self.round.config.title),
                           self.title_format)
        sheet.write_string(1, 0, self.t("generated", time=self.made))
        headers = [(self.t(f"col.{name}"), width) for name, width in DETAIL_COLUMNS]
        for col, (header, width) in enumerate(headers):
            sheet.write_string(3, col, header, self.head)
            sheet.set_column(col, col, width)
        sheet.set_row(3, row_height(headers[:PRINTED_COLUMNS]))
        count = min(count, MAX_ROWS - 4)  # a worksheet's rows: the CSV holds every issue
        last = 3 + max(count, 1)
        sheet.autofilter(3, 0, last, len(DETAIL_COLUMNS) - 1)
        sheet.freeze_panes(4, 2)
        sheet.print_area(0, 0, last, PRINTED_COLUMNS - 1)
        setup_print(sheet, header_rows=(3, 3), footer=text(lang, "form.footer"))
        return RowStream.reserve(sheet, 4, count, len(DETAIL_COLUMNS),
                                 (self.body, self.error, self.number, self.settled),
                                 lambda cells: self.detail_rows(cells, issues, count))

    def detail_rows(self, cells: Cells, issues: Iterator[SelectedIssue],
                    limit: int) -> Iterator[TallRow]:
        """One row per group (a file's issues of one form, sheet and code, in the order each
        group is first found), the first ``limit`` of them; one CSV line per issue, every
        one, group by group."""
        lang = self.lang
        self.csv.writerow([self.t(f"col.{name}") for name in CSV_COLUMNS])
        severities = {s.value: text(lang, f"severity.{s.value}") for s in Severity}
        statuses = {s: text(lang, f"file-status.{s}")
                    for s in (ACCEPTED, REJECTED, WITH_WARNINGS, HELD, "superseded")}
        kinds: dict[str, tuple[str, str]] = {}
        messages = _Messages(lang)
        tallest = row_height([("", 1)], MAX_ROW_LINES)
        made = 0
        for sha, found in groupby(issues, key=lambda i: i.sha256):
            reported = self.files[sha]
            record = reported.record
            status = statuses[reported.status]
            groups: dict[tuple[str | None, str | None, str], list[SelectedIssue]] = {}
            for one in found:  # at most max_issues_per_file (+1)
                groups.setdefault((one.form_id, one.sheet, one.code), []).append(one)
            first = next(iter(groups.values()))[0]
            received = local_time(record.received_at, self.zone)  # as people read times
            particulars = [csv_cell(value) for value in (
                first.recipient, self.recipient_name(first.recipient), record.name,
                record.sender or text(lang, "collect.unknown-sender"), received, status)]
            later = self.later_files(reported)
            for (form_id, sheet, code), members in groups.items():
                kind = kinds.get(code)
                if kind is None:
                    kind = kinds[code] = (REGISTRY[code].title(lang), REGISTRY[code].action(lang))
                said = [messages(one) for one in members]
                state = reported.form_states.get(form_id or "")
                form_status = statuses.get(state, "") if state else ""
                for one, message in zip(members, said, strict=True):
                    self.csv.writerow([
                        *particulars, csv_cell(form_id or ""), form_status,
                        csv_cell(sheet or ""),
                        one.cell or "", severities[one.severity], code, kind[0],
                        csv_cell(message), kind[1], sha, csv_cell(later)])
                if made == limit:
                    continue  # past a worksheet's rows: in the CSV only
                made += 1
                lead = members[0]
                group = IssueGroup(code, Severity(lead.severity), form_id, sheet,
                                   tuple(one.cell for one in members if one.cell),
                                   len(members), said[0])
                where = _cells_shown(lang, group.cells, DETAIL_COLUMNS[5][1])
                summary = group.summary(lang)
                # A superseded file's row: greyed, and what to do is nothing (the later file).
                action = self.t("superseded-action", files=later) if later else kind[1]
                style = (self.settled if later
                         else self.error if group.severity == Severity.ERROR else self.body)
                text_cell = cells.text
                row = (text_cell(lead.recipient, style)
                       + text_cell(self.recipient_name(lead.recipient), style)
                       + text_cell(sheet or "", style)
                       + text_cell(severities[lead.severity], style)
                       + text_cell(kind[0], style) + text_cell(where, style)
                       + cells.number(len(members), self.settled if later else self.number)
                       + text_cell(summary, style) + text_cell(action, style)
                       + text_cell(form_id or "", style) + text_cell(record.name, style)
                       + text_cell(received, style) + text_cell(status, style)
                       + text_cell(form_status, style)
                       + text_cell(code, style) + text_cell(sha, style)
                       + text_cell(later, style))
                # Every printed text wraps within its row (a long branch name takes three lines).
                lines = max(_lines(where, DETAIL_COLUMNS[5][1]),
                            _lines(summary, DETAIL_COLUMNS[7][1]),
                            line_count(self.recipient_name(lead.recipient),
                                       DETAIL_COLUMNS[1][1]),
                            line_count(sheet or "", DETAIL_COLUMNS[2][1]),
                            line_count(kind[0], DETAIL_COLUMNS[4][1]),
                            line_count(action, DETAIL_COLUMNS[8][1]))
                yield TallRow(row, min(POINTS_PER_LINE * lines + 3, tallest))

    def later_files(self, reported: ReportedFile) -> str:
        """The later files that superseded ``reported``, each with its arrival in the round's
        time zone (``""`` while it is open)."""
        return join_clauses(self.lang, (
            self.t("superseded-file", file=later.name,
                   time=local_time(later.received_at, self.zone))
            for later in reported.superseded_by))


def fit_summary_row(sheet: Worksheet, row: int, texts: dict[int, str]) -> None:
    """Make a summary row as tall as its wrapped texts (by column) need: a real branch name
    takes two lines."""
    fit_row(sheet, row, [(value, SUMMARY_WIDTHS[col]) for col, value in texts.items()])


def _cells_shown(lang: str, cells: Sequence[str], width: float) -> str:
    """The cells as ``lang`` lists them, or, when they would not fit in a row's
    :data:`MAX_ROW_LINES` lines, as many of the first as fit with a closing ``等`` (the count
    column has how many; the CSV every one): a row cut off mid-line prints half a line."""
    listed = join_items(lang, cells)
    if _lines(listed, width) <= MAX_ROW_LINES:
        return listed
    # One line spare: wrapping between cells leaves part of a line empty.
    low, high = 1, len(cells)
    while low < high:  # the most cells that fit
        middle = (low + high + 1) // 2
        fits = _lines(text(lang, "rejections.cells-more",
                           cells=join_items(lang, cells[:middle])), width) < MAX_ROW_LINES
        low, high = (middle, high) if fits else (low, middle - 1)
    return text(lang, "rejections.cells-more", cells=join_items(lang, cells[:low]))


def _lines(value: str, width: float) -> int:
    """About how many lines ``value`` wraps to in a column ``width`` characters wide: a
    CJK character (three bytes in UTF-8) takes two columns, anything else one. Cheaper than
    :func:`line_count` for texts seen once (each group's cells and message)."""
    columns = len(value) + (len(value.encode("utf-8")) - len(value)) // 2
    return max(1, math.ceil(columns / max(width - 1.5, 1.0)))


def write_rejection_report(round_: Round, ledger: Ledger, view: RoundView) -> Path:
    """Write the rejection report and its cell-by-cell CSV from the ledger (atomically).

    Args:
        round_: the round.
        ledger: its ledger.
        view: the round's expected forms (to name each file's recipient).

    Returns:
        The report's path (the CSV is :func:`rejection_list_path`).
    """
    files = reported_files(ledger, view)
    target = rejection_report_path(round_)
    listing = rejection_list_path(round_)
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(book_path: Path, list_path: Path) -> None:
        buffer = io.BytesIO()
        book = new_workbook(buffer, round_.lang)
        with list_path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = _Writer(round_, book, handle, files)
            summary = book.add_worksheet(writer.t("summary.sheet"))
            detail = book.add_worksheet(writer.t("sheet"))
            with ledger.selection((f.record.sha256, f.recipient)
                                  for f in writer.open_files) as open_files:
                writer.summary(summary, open_files.code_counts(), open_files.recipient_counts())
            with ledger.selection((f.record.sha256, f.recipient) for f in files) as selected:
                stream = writer.details(detail, selected.group_count(), selected.issues())
                book.close()
                # The rows are made now, straight into the package, as SQLite hands them over.
                finish_package(buffer, book_path, [stream])

    replace_atomically(listing, lambda list_path: replace_atomically(
        target, lambda book_path: write(book_path, list_path)))
    return target
