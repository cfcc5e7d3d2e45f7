"""Per-branch feedback ``reports/feedback/<code>.xlsx``: where the branch stands and lags.

One printable sheet per branch: final score, grade and rank of N; section scores against the
average and the best branch, with a chart; the items where it lost most, with the inspectors'
and (anonymous by default) the peers' notes; the change since a compared round; and what to
improve first. Every note from a returned workbook is written as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Final

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.files import remove_file, replace_atomically
from sheetops.core.i18n import join_items, labelled, text
from sheetops.forms.formats import (
    fit_row,
    new_workbook,
    number_format,
    row_height,
    title_font,
)
from sheetops.layout.packs import safe_file_part
from sheetops.model.round import ROLES
from sheetops.model.scheme import Scheme, plain_number
from sheetops.model.workspace import Round
from sheetops.scoring.merge import BranchResult, FormScores, ScoringRules, mean

TOP_ITEMS: Final = 8
IMPROVE_FIRST: Final = 3
WIDTHS: Final = (22, 9, 11, 11, 11, 11, 40)
BELOW_COLOUR: Final = "#FCE4D6"  # a section where the branch is below the average
SHARE_COLUMN: Final = 8  # hidden: each section's shares of its full marks, for the chart


@dataclass(frozen=True)
class Standing:
    """What every branch's feedback compares against."""

    ranked: int
    averages: dict[str, Fraction]  # exact: rounded once, where it is shown
    best: dict[str, Decimal]  # the best section score as shown


def standing_of(results: list[BranchResult], scheme: Scheme) -> Standing:
    """Averages (of the exact section values) and bests per section over branches with a
    score."""
    scored = [r for r in results if r.sections]
    averages = {s.id: mean([r.exact_sections[s.id] for r in scored]) for s in scheme.sections
                if scored}
    best = {s.id: max(r.sections[s.id] for r in scored) for s in scheme.sections if scored}
    return Standing(sum(1 for r in results if r.rank is not None), averages, best)


def write_feedback(
    round_: Round,
    results: list[BranchResult],
    forms: list[FormScores],
    rules: ScoringRules,
    *,
    name_peers: bool = False,
    provisional: int = 0,
) -> list[Path]:
    """Write one feedback workbook per branch, ``<code>-<name>-考核反馈.xlsx``; workbooks
    left from an earlier run under other names are removed.

    Args:
        round_: the round.
        results: its published results.
        forms: its accepted forms (for the raters' notes).
        rules: its rules (rounding).
        name_peers: show which branch wrote each peer note (default: anonymous).
        provisional: how many expected forms are still outstanding when the feedback goes
            out before the round is complete: every page then says it is provisional (0:
            final feedback).

    Returns:
        The workbooks written, in roster order.
    """
    folder = round_.paths.reports / "feedback"
    folder.mkdir(parents=True, exist_ok=True)
    standing = standing_of(results, round_.scheme)
    by_code = {r.code: r for r in results}
    paths = []
    for branch in round_.roster.branches:
        result = by_code[branch.code]
        own = [f for f in forms if f.target == branch.code]
        target = folder / feedback_file(branch.code, branch.name, round_.lang)

        def write(path: Path, result: BranchResult = result, own: list[FormScores] = own) -> None:
            book = new_workbook(str(path), round_.lang)
            _BranchFeedback(book, round_, result, own, standing, rules, name_peers,
                            provisional).write()
            book.close()

        replace_atomically(target, write)
        paths.append(target)
    for stale in set(folder.glob("*.xlsx")) - set(paths):  # renamed branches, older names
        remove_file(stale)
    return paths


def feedback_file(code: str, name: str, lang: str) -> str:
    """A branch's feedback workbook's name: ``0101-机关办公室党支部-考核反馈.xlsx`` (the name
    it is attached under, too)."""
    suffix = text(lang, "feedback.file-suffix")
    return f"{safe_file_part(f'{code}-{name}-{suffix}')}.xlsx"


class _BranchFeedback:
    def __init__(self, book: Workbook, round_: Round, result: BranchResult,
                 forms: list[FormScores], standing: Standing, rules: ScoringRules,
                 name_peers: bool, provisional: int = 0) -> None:
        self.book = book
        self.provisional = provisional
        self.round = round_
        self.lang = round_.lang
        self.result = result
        self.forms = forms
        self.standing = standing
        self.rules = rules
        self.name_peers = name_peers
        font = title_font(self.lang)
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center",
                                      "valign": "vcenter", "font_name": font,
                                      "text_wrap": True})
        self.subtitle = book.add_format({"bold": True, "font_size": 12, "font_name": font})
        self.head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "align": "center", "valign": "vcenter", "text_wrap": True})
        self.cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.number = book.add_format({"border": 1, "valign": "top",
                                       "num_format": number_format(rules.decimals)})
        self.strong = book.add_format({"bold": True, "font_size": 12, "border": 1,
                                       "valign": "vcenter", "text_wrap": True})
        self.below = book.add_format({"border": 1, "valign": "top", "bg_color": BELOW_COLOUR,
                                      "num_format": number_format(rules.decimals)})
        self.below_text = book.add_format({"border": 1, "valign": "top", "text_wrap": True,
                                           "bg_color": BELOW_COLOUR, "bold": True})
        self.share = book.add_format({"num_format": "0.0%"})

    def t(self, key: str, /, **params: object) -> str:
        return text(self.lang, f"feedback.{key}", **params)

    def number_or_dash(self, sheet: Worksheet, row: int, col: int, value: Decimal | None) -> None:
        if value is None:
            sheet.write_string(row, col, "—", self.cell)
        else:
            sheet.write_number(row, col, float(value), self.number)

    def write(self) -> None:
        result, scheme = self.result, self.round.scheme
        sheet = self.book.add_worksheet(self.t("sheet"))
        for col, width in enumerate(WIDTHS):
            sheet.set_column(col, col, width)
        title = self.t("title", round=self.round.config.title)
        sheet.merge_range(0, 0, 0, 6, title, self.title)
        sheet.set_row(0, 22 * (title.count("\n") + 1) + 6)  # 16 pt lines
        sheet.merge_range(1, 0, 1, 6, text(self.lang, "join.named", name=result.name,
                                           code=result.code), self.subtitle)
        row = 3
        if self.provisional:
            warning = self.t("provisional", count=self.provisional)
            sheet.merge_range(2, 0, 2, 6, warning, self.book.add_format(
                {"bold": True, "font_color": "#C00000", "text_wrap": True, "valign": "top"}))
            sheet.set_row(2, row_height([(warning, 100)]))
            sheet.set_header(f"&C{self.t('provisional-header')}")  # on every printed page
            row = 4
        if result.rank is not None:
            place = self.t("rank", rank=result.rank, count=self.standing.ranked)
        elif result.vetoed:
            place = self.t("vetoed")
        else:
            place = self.t("pending", roles=self.pending_roles())
        score = "—" if result.score is None else f"{result.score:.{self.rules.decimals}f}"
        headline = self.t("headline", score=score, grade=result.grade, place=place)
        if result.change is not None:
            headline += self.t("change", previous=f"{result.previous}",
                               change=f"{result.change:+.{self.rules.decimals}f}")
        sheet.merge_range(row, 0, row, 6, headline, self.strong)
        sheet.set_row(row, row_height([(headline, 100)]) + 6)
        row += 1
        roles = "  ".join(
            f"{text(self.lang, f'role.{role}')} "
            + ("—" if (res := result.roles.get(role)) is None
               else f"{self.rules.round(res.score):.{self.rules.decimals}f}")
            for role in ("self", "peer", "inspector"))
        sheet.merge_range(row, 0, row, 6, roles, self.cell)
        row += 1
        if result.vetoed:
            titles = {v.id: v.text for v in scheme.vetoes}
            for reason in result.vetoes:
                line = self.t("veto", question=titles.get(reason.veto_id, reason.veto_id),
                              note=reason.note or "—")
                sheet.merge_range(row, 0, row, 6, line, self.cell)
                sheet.set_row(row, row_height([(line, 100)]))
                row += 1
        if result.owes:
            key = "withheld" if result.withheld else "owes"
            line = self.t(key, forms=join_items(self.lang, result.owed_sheets),
                          grade=result.withheld or "", now=result.grade)
            sheet.merge_range(row, 0, row, 6, line, self.cell)
            sheet.set_row(row, row_height([(line, 100)]))
            row += 1
        row += 1

        sheet.write_string(row, 0, self.t("sections"), self.subtitle)
        row += 1
        headers = [self.t(f"col.{key}") for key in ("section", "max", "own", "average", "best",
                                                      "gap", "share")]
        for col, header in enumerate(headers):
            sheet.write_string(row, col, header, self.head)
        fit_row(sheet, row, zip(headers, WIDTHS, strict=True))
        # The chart compares shares of full marks (sections differ in their maximum): they
        # are kept in hidden columns beside the table.
        for col, key in enumerate(("own", "average", "best")):
            sheet.write_string(row, SHARE_COLUMN + col, self.t(f"col.{key}"))
        first_section = row + 1
        for section in scheme.sections:
            row += 1
            own = result.sections.get(section.id)
            best = self.standing.best.get(section.id)
            exact_average = self.standing.averages.get(section.id)
            average = None if exact_average is None else self.rules.round(exact_average)
            below = own is not None and average is not None and own < average
            sheet.write_string(row, 0, section.title, self.below_text if below else self.cell)
            sheet.write_number(row, 1, float(section.max), self.number)
            if own is not None:
                sheet.write_number(row, 2, float(own), self.below if below else self.number)
            else:
                self.number_or_dash(sheet, row, 2, own)
            self.number_or_dash(sheet, row, 3, average)
            self.number_or_dash(sheet, row, 4, best)
            self.number_or_dash(sheet, row, 5, None if own is None or best is None
                                else best - own)
            share = self.share_text(section.max, own, average, below)
            sheet.write_string(row, 6, share, self.below_text if below else self.cell)
            fit_row(sheet, row, ((section.title, WIDTHS[0]), (share, WIDTHS[6])))
            for col, value in enumerate((own, average, best)):
                if value is not None and section.max:
                    sheet.write_number(row, SHARE_COLUMN + col, float(value / section.max),
                                       self.share)
        last_section = row
        sheet.set_column(SHARE_COLUMN, SHARE_COLUMN + 2, None, None, {"hidden": True})
        if result.sections:
            self.chart(sheet, first_section, last_section)
            row += 18
        row += 2

        losses = sorted(
            ((item.max - result.items[item.id], index, item)
             for index, item in enumerate(scheme.items) if item.id in result.items
             and result.items[item.id] < item.max),
            key=lambda entry: (-entry[0], entry[1]))
        sheet.write_string(row, 0, self.t("losses"), self.subtitle)
        row += 1
        headers = [self.t(f"col.{key}") for key in ("item", "max", "own", "lost",
                                                      "inspector_notes", "peer_notes")]
        for col, header in enumerate(headers[:4]):
            sheet.write_string(row, col, header, self.head)
        sheet.merge_range(row, 4, row, 5, headers[4], self.head)  # as the notes below
        sheet.write_string(row, 6, headers[5], self.head)
        fit_row(sheet, row, zip(headers, (*WIDTHS[:4], WIDTHS[4] + WIDTHS[5], WIDTHS[6]),
                                strict=True))
        if not losses:
            row += 1
            empty = (self.t("pending-note", roles=self.pending_roles()) if result.pending
                     else self.t("no-losses"))
            sheet.merge_range(row, 0, row, 6, empty, self.cell)
            sheet.set_row(row, row_height([(empty, sum(WIDTHS))]))
        for lost, _, item in losses[:TOP_ITEMS]:
            row += 1
            inspector_notes = self.notes("inspector", item.id)
            peer_notes = self.notes("peer", item.id)
            sheet.write_string(row, 0, item.target, self.cell)
            sheet.write_number(row, 1, float(item.max), self.number)
            sheet.write_number(row, 2, float(result.items[item.id]), self.number)
            sheet.write_number(row, 3, float(lost), self.number)
            sheet.merge_range(row, 4, row, 5, inspector_notes, self.cell)
            sheet.write_string(row, 6, peer_notes, self.cell)
            sheet.set_row(row, row_height([(item.target, 22), (inspector_notes, 22),
                                           (peer_notes, 40)]))
        row += 2
        sheet.write_string(row, 0, self.t("improve"), self.subtitle)
        if not losses:
            row += 1
            advice = self.t("pending-advice" if result.pending else "no-advice")
            sheet.merge_range(row, 0, row, 6, advice, self.cell)
            sheet.set_row(row, row_height([(advice, sum(WIDTHS))]))
        for number, (lost, _, item) in enumerate(losses[:IMPROVE_FIRST], start=1):
            row += 1
            advice = self.t("advice", number=number, target=item.target,
                            lost=plain_number(self.rules.round(lost)), rule=item.rule)
            sheet.merge_range(row, 0, row, 6, advice, self.cell)
            sheet.set_row(row, row_height([(advice, 110)]))
        sheet.set_paper(9)
        sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.set_footer(f"&C{text(self.lang, 'form.footer')}")

    def pending_roles(self) -> str:
        """The scores whose absence keeps the branch pending (by the round's rules)."""
        missing = [role for role in ROLES if self.result.roles.get(role) is None]
        waiting = [role for role in missing if self.rules.missing[role] == "pending"]
        return join_items(self.lang, (text(self.lang, f"role.{role}")
                                      for role in waiting or missing))

    def share_text(self, maximum: Decimal, own: Decimal | None, average: Decimal | None,
                   below: bool) -> str:
        """The branch's and the average's share of a section's full marks, and whether the
        branch is below the average (both as shown, at the round's decimals)."""
        if own is None or average is None or not maximum:
            return "—"
        shares = self.t("share", own=f"{own / maximum:.1%}", average=f"{average / maximum:.1%}")
        return self.t("below", shares=shares, points=f"{average - own}") if below else shares

    def notes(self, role: str, item_id: str) -> str:
        """The raters' notes on one item; peers anonymous unless asked otherwise."""
        lines = []
        own = sorted((f for f in self.forms if f.role == role), key=lambda f: f.rater)
        for index, form in enumerate(own, start=1):
            note = form.notes.get(item_id)
            if not note:
                continue
            who = (form.rater if role == "inspector" or self.name_peers
                   else self.t("anonymous", number=index))
            lines.append(labelled(self.lang, who, note))
        return "\n".join(lines)

    def chart(self, sheet: Worksheet, first: int, last: int) -> None:
        """Each section's own, average and best scores as shares of its full marks."""
        name = "'" + self.t("sheet").replace("'", "''") + "'"
        chart = self.book.add_chart({"type": "column"})
        for col, colour in ((SHARE_COLUMN, "#4472C4"), (SHARE_COLUMN + 1, "#A5A5A5"),
                            (SHARE_COLUMN + 2, "#70AD47")):
            letter = xl_col_to_name(col)
            chart.add_series({
                "name": f"={name}!${letter}${first}",
                "categories": f"={name}!$A${first + 1}:$A${last + 1}",
                "values": f"={name}!${letter}${first + 1}:${letter}${last + 1}",
                "fill": {"color": colour},
            })
        chart.set_title({"name": self.t("chart")})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%",
                          "major_gridlines": {"visible": True}})
        chart.show_hidden_data()
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": 320})
        sheet.insert_chart(last + 2, 0, chart)
