"""The summary's chart sheet: four charts that read the same at twelve branches or ten thousand.

One bar per branch stops being readable past a few dozen branches (at three hundred it is a
black smear, one name in eight shown). So the sheet shows what a reader of any round wants to
see, each chart of a fixed size:

- how many branches got each grade (the worst grade's label says how many were vetoed) and how
  many are pending;
- each section's average as a share of its full marks (the sections differ in full marks);
- the top and the bottom :data:`SHOWN` ranked branches by name, bars coloured by grade, the
  score axis starting near the lowest score shown, labels at the ranking's decimals; a round
  with no more than twice as many ranked branches shows them all in one chart.

Page 1 holds the grades and the sections, page 2 the names. The charts read their numbers from
helper columns hidden beside them (every name written as text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.i18n import text
from sheetops.forms.formats import A4, number_format
from sheetops.model.scheme import Scheme, plain_number
from sheetops.scoring.merge import BranchResult, ScoringRules

SHOWN: Final = 10  # branches named at the top and at the bottom
DATA_COLUMN: Final = 20  # the hidden helper columns start at U
WIDTH: Final = 960  # pixels: the printable width of an A4 landscape page at 100 %
HALF: Final = 470
SMALL_HEIGHT: Final = 420
NAMES_HEIGHT: Final = 300
ROW_PIXELS: Final = 20  # the default row height, 15 pt
PAGE_ROWS: Final = 30  # rows of 20 pixels (15 pt) per landscape page at the print scale
BAR: Final = "#4472C4"
BEST_BAR: Final = "#70AD47"
WORST_BAR: Final = "#C00000"
PENDING_BAR: Final = "#BFBFBF"


@dataclass(frozen=True)
class Block:
    """A block of hidden helper cells a chart reads: a label column and value columns."""

    first: int  # its label column
    rows: int

    def range(self, sheet: str, offset: int) -> list[object]:
        """The chart reference ``[sheet, first row, col, last row, col]`` of one column."""
        return [sheet, 1, self.first + offset, self.rows, self.first + offset]


def axis_minimum(lowest: float, step: int = 5) -> int:
    """Where a score axis starts: a multiple of ``step`` at least one step below ``lowest``
    (so the lowest bar still shows), never below 0."""
    return max(0, (math.floor(lowest / step) - 1) * step)


def nice_maximum(count: int) -> int:
    """The top of a count axis: room above ``count`` for the tallest bar's label, rounded to
    half a power of ten (1,000 for 862, 150 for 108, 9 for 7)."""
    room = math.ceil(count * 1.15) if count else 5
    step: int = max(pow(10, len(str(room)) - 1) // 2, 1)
    return -(-room // step) * step


class ChartSheet:
    """Writes the chart sheet of one summary workbook."""

    def __init__(self, book: Workbook, *, lang: str, title: str, footer: str,
                 results: Sequence[BranchResult], rules: ScoringRules, scheme: Scheme) -> None:
        self.book = book
        self.lang = lang
        self.results = results
        self.rules = rules
        self.scheme = scheme
        self.name = self.t("sheet.chart")
        self.sheet: Worksheet = book.add_worksheet(self.name)
        self.next_column = DATA_COLUMN
        self.sheet.write_string(0, 0, self.t("title.chart", round=title),
                                book.add_format({"bold": True, "font_size": 14}))
        self.sheet.set_row(0, 24)
        self.footer = footer

    def t(self, key: str, /, **params: object) -> str:
        return text(self.lang, f"summary.{key}", **params)

    def write(self) -> None:
        """Every chart, the hidden data and the print setup."""
        self.place(self.grades(), 2, 0)
        self.place(self.sections(), 2, 0, x_offset=WIDTH - HALF)
        ranked = [r for r in self.results if r.rank is not None and r.score is not None]
        if len(ranked) <= 2 * SHOWN:
            parts = [(ranked, self.t("chart.all", count=len(ranked)),
                      max(NAMES_HEIGHT, 60 + 24 * len(ranked)))]
        else:
            parts = [(ranked[:SHOWN], self.t("chart.top", count=SHOWN), NAMES_HEIGHT),
                     (ranked[-SHOWN:], self.t("chart.bottom", count=SHOWN, ranked=len(ranked)),
                      NAMES_HEIGHT)]
        # a row clear of the break: LibreOffice prints a chart that touches it on both pages
        row = PAGE_ROWS + 1
        for shown, title, height in parts:
            self.place(self.names(shown, title, height=height), row, 0)
            row += -(-height // ROW_PIXELS) + 1
        sheet = self.sheet
        sheet.set_column(DATA_COLUMN, self.next_column, 16, None, {"hidden": True})
        sheet.set_h_pagebreaks([PAGE_ROWS])
        sheet.set_paper(A4)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # one page wide; the break puts the names on page 2
        sheet.center_horizontally()
        sheet.set_margins(left=0.4, right=0.4, top=0.55, bottom=0.6)
        sheet.set_footer(f"&C{self.footer}")
        sheet.print_area(0, 0, row, 14)

    def place(self, chart: Chart, row: int, col: int, *, x_offset: int = 0) -> None:
        self.sheet.insert_chart(row, col, chart, {"x_offset": x_offset, "object_position": 3})

    def data(self, header: Sequence[str], rows: Sequence[Sequence[str | float | None]]
             ) -> Block:
        """Write a block of helper cells (a header row, then ``rows``) and return where."""
        first = self.next_column
        for offset, label in enumerate(header):
            self.sheet.write_string(0, first + offset, label)
        for row, values in enumerate(rows, start=1):
            for offset, value in enumerate(values):
                if isinstance(value, str):
                    self.sheet.write_string(row, first + offset, value)
                elif value is not None:  # an empty cell shows no label
                    self.sheet.write_number(row, first + offset, value)
        self.next_column = first + len(header)
        return Block(first, len(rows))

    def chart(self, kind: str, title: str, size: tuple[int, int], *,
              subtype: str | None = None) -> Chart:
        options = {"type": kind} if subtype is None else {"type": kind, "subtype": subtype}
        chart = self.book.add_chart(options)
        assert chart is not None
        chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
        chart.set_size({"width": size[0], "height": size[1]})
        chart.show_hidden_data()  # the helper columns are hidden; Excel leaves them out otherwise
        return chart

    def grades(self) -> Chart:
        """Branches per grade (and pending), one bar each in the grade's colour; the worst
        grade's label says how many of its branches were vetoed."""
        rules = self.rules
        worst = rules.grades[-1].name
        vetoed = sum(1 for r in self.results if r.vetoed)
        labels = [self.t("chart.grade", grade=g.name, min=plain_number(g.min))
                  for g in rules.grades[:-1]]
        labels.append(self.t("chart.worst", grade=worst, vetoed=vetoed) if vetoed else worst)
        counts = [sum(1 for r in self.results if r.grade == g.name) for g in rules.grades]
        colours = [BEST_BAR] + [BAR] * (len(rules.grades) - 2) + [WORST_BAR]
        pending = sum(1 for r in self.results if r.grade == rules.pending_grade)
        if pending:
            labels.append(rules.pending_grade)
            counts.append(pending)
            colours.append(PENDING_BAR)
        block = self.data([self.t("col.grade"), self.t("chart.branches")],
                          list(zip(labels, counts, strict=True)))
        chart = self.chart("column", self.t("chart.grades", count=len(self.results)),
                           (HALF, SMALL_HEIGHT))
        chart.add_series({
            "name": self.t("chart.branches"),
            "categories": block.range(self.name, 0),
            "values": block.range(self.name, 1),
            "points": [{"fill": {"color": c}} for c in colours],
            "data_labels": {"value": True, "position": "outside_end", "font": {"size": 10}},
            "gap": 60,
        })
        chart.set_y_axis({"min": 0, "max": nice_maximum(max(counts, default=0)),
                          "major_gridlines": {"visible": True}, "num_font": {"size": 9}})
        chart.set_x_axis({"num_font": {"size": 9}})
        chart.set_legend({"none": True})
        return chart

    def sections(self) -> Chart:
        """Each section's average over the branches with a score, as a share of its marks."""
        rows: list[tuple[str, float | None]] = []
        lowest = 1.0
        for section in self.scheme.sections:
            values = [r.sections[section.id] for r in self.results if section.id in r.sections]
            share = (float(sum(values, Decimal(0)) / len(values) / section.max)
                     if values and section.max else None)
            rows.append((self.t("chart.section", title=section.title,
                                max=plain_number(section.max)), share))
            if share is not None:
                lowest = min(lowest, share)
        block = self.data([self.t("col.section"), self.t("chart.average")], rows)
        chart = self.chart("bar", self.t("chart.sections"), (HALF, SMALL_HEIGHT))
        chart.add_series({
            "name": self.t("chart.average"),
            "categories": block.range(self.name, 0),
            "values": block.range(self.name, 1),
            "fill": {"color": BAR},
            "data_labels": {"value": True, "num_format": "0.0%", "position": "outside_end",
                            "font": {"size": 9}},
            "gap": 60,
        })
        # In a bar chart XlsxWriter's x axis is the value axis, its y axis the categories.
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
        chart.set_x_axis({"min": axis_minimum(lowest * 100) / 100, "max": 1,
                          "num_format": "0%", "major_gridlines": {"visible": True},
                          "num_font": {"size": 9}})
        chart.set_legend({"none": True})
        return chart

    def names(self, shown: Sequence[BranchResult], title: str, *, height: int) -> Chart:
        """The ``shown`` branches by name in rank order, each bar in its grade's colour."""
        best, worst = self.rules.grades[0].name, self.rules.grades[-1].name
        block = self.data([self.t("col.name"), self.t("col.score")],
                          [(f"{r.rank}. {r.name}", float(r.score or 0)) for r in shown])
        chart = self.chart("bar", title, (WIDTH, height))
        colour = {best: BEST_BAR, worst: WORST_BAR}
        chart.add_series({
            "name": self.t("col.score"),
            "categories": block.range(self.name, 0),
            "values": block.range(self.name, 1),
            "fill": {"color": BAR},
            "points": [{"fill": {"color": colour.get(r.grade, BAR)}} for r in shown],
            # inside the bar's end: the axis ends at full marks, a label past it is cut
            "data_labels": {"value": True, "position": "inside_end",
                            "num_format": number_format(self.rules.decimals),
                            "font": {"size": 9, "color": "#FFFFFF", "bold": True}},
            "gap": 50,
        })
        lowest = min((float(r.score or 0) for r in shown), default=0.0)
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
        chart.set_x_axis({"min": axis_minimum(lowest), "max": 100, "major_unit": 5,
                          "major_gridlines": {"visible": True}, "num_font": {"size": 9}})
        chart.set_legend({"none": True})
        return chart

