"""Paper an office can file: a round with real-length branch names rendered through
LibreOffice, and what the PDFs show (every text line's box from ``pdftotext -bbox-layout``).

Set ``SHEETOPS_WRITE_DOCS=1`` to write the pictures of printed pages the README shows
(``docs/print-*.png``) from this round.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from sheetops.app.feedback import feedback_round
from sheetops.app.rank import RankReport, final_results, rank_round
from sheetops.app.records import records_round
from sheetops.core.i18n import text
from sheetops.core.issues import REGISTRY
from sheetops.forms.scoresheet import form_name
from sheetops.layout.packs import FormPlan, sent_packs
from sheetops.model.workspace import Round, open_round
from sheetops.reports.feedback import standing_of

from .conftest import NOW, TODAY
from .handbooks import handbook_file
from .libreoffice import soffice_available, to_pdfs
from .paper import (
    ISSUER,
    LONG_NAMES,
    Line,
    describe,
    long_name_round,
    overprinted,
    page_count,
    text_lines,
)

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs LibreOffice (libreoffice-calc-nogui, python3-uno) and poppler-utils",
)

DOCS = Path(__file__).parents[1] / "docs"
PENDING = "0112"  # the inspector's form on it was never returned
VETOED = "0109"


@dataclass(frozen=True)
class Printed:
    """The round's reports and what each printed."""

    report: RankReport
    workbooks: dict[str, Path]
    pdfs: dict[str, Path]
    lines: dict[str, list[Line]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The long-name round ranked, its feedback and records written, all rendered once."""
    base = tmp_path_factory.mktemp("paper")
    round_ = long_name_round(base / "round", today=TODAY, now=NOW)
    report = rank_round(round_, now=NOW)
    summary = report.summary
    # One inspection is not in: the feedback is provisional (it says so on every page).
    feedback = {path.name.split("-")[0]: path
                for path in feedback_round(round_, provisional=True)}
    inbox = round_.paths.inbox
    workbooks = {"summary": summary, "records": records_round(round_).workbook,
                 **{f"feedback-{code}": feedback[code] for code in ("0101", VETOED, PENDING)},
                 "handbook": inbox / "手册-0101.xlsx",  # as a branch filled it
                 "blank-handbook": handbook_file(round_, "0101"),  # as sent out
                 "long-handbook": handbook_file(round_, "0107"),  # 68 members: 1,080 dues rows
                 "pack": next(inbox.glob("0101-*.xlsx")),
                 "inspector-pack": inbox / "X01-第一巡查组.xlsx"}
    pdfs = dict(zip(workbooks, to_pdfs(list(workbooks.values()), base / "pdf"), strict=True))
    return Printed(report, workbooks, pdfs, {key: text_lines(pdf) for key, pdf in pdfs.items()})


@dataclass(frozen=True)
class PrintedInEnglish:
    """The round in English and what its documents printed."""

    round: Round
    lines: dict[str, list[Line]]


@pytest.fixture(scope="module")
def printed_in_english(tmp_path_factory: pytest.TempPathFactory) -> PrintedInEnglish:
    """The same round in English (longer headers and sentences): summary, feedback, forms."""
    base = tmp_path_factory.mktemp("paper-en")
    round_ = long_name_round(base / "round", today=TODAY, now=NOW, language="en")
    summary = rank_round(round_, now=NOW).summary
    # One inspection is not in: the feedback is provisional (it says so on every page).
    feedback = {path.name.split("-")[0]: path
                for path in feedback_round(round_, provisional=True)}
    inbox = round_.paths.inbox
    workbooks = {"summary": summary, **{f"feedback-{code}": feedback[code]
                                        for code in ("0101", VETOED, PENDING)},
                 "blank-handbook": handbook_file(round_, "0101"),
                 "pack": next(inbox.glob("0101-*.xlsx")),
                 "inspector-pack": next(inbox.glob("X01-*.xlsx"))}
    pdfs = to_pdfs(list(workbooks.values()), base / "pdf")
    return PrintedInEnglish(round_, {key: text_lines(pdf)
                                     for key, pdf in zip(workbooks, pdfs, strict=True)})


def test_the_overprint_check_finds_lines_that_cover_each_other() -> None:
    name = Line(1, 100, 100, 200, 111, "新能源开发有限责任公司")
    assert overprinted([name, Line(1, 100, 101, 160, 112, "第二党支部")]) == [
        (name, Line(1, 100, 101, 160, 112, "第二党支部"))]
    # pdftotext's one line of a section's name and the item's text beside it, a little lower:
    # the item's text is checked on its own against the next line.
    section = Line(1, 70, 162.3, 111.9, 173.1, "Education")
    item = Line(1, 133.7, 164.9, 163.2, 175.7, "month,")
    joined = Line(1, 70, 162.3, 163.2, 175.7, "Education month,", (section, item))
    assert joined.runs() == [section, item]
    assert overprinted([joined, Line(1, 133.7, 176.4, 200, 187.2, "varied formats.")]) == []
    assert overprinted([joined, Line(1, 133.7, 172, 200, 183, "varied formats.")]) == [
        (item, Line(1, 133.7, 172, 200, 183, "varied formats."))]
    # The next line of the same cell, the next column, the same place on another page: clear.
    assert overprinted([name, Line(1, 100, 111.5, 160, 122.5, "第二党支部"),
                        Line(1, 201, 100, 260, 111, "97.85"),
                        Line(2, 100, 100, 200, 111, "第二党支部")]) == []


@pytest.mark.parametrize("document", ["summary", "records", "feedback-0101",
                                      f"feedback-{VETOED}", f"feedback-{PENDING}", "handbook",
                                      "blank-handbook", "long-handbook", "pack",
                                      "inspector-pack"])
def test_no_line_overprints_another(printed: Printed, document: str) -> None:
    lines = printed.lines[document]
    assert lines
    assert describe(overprinted(lines)) == []


@pytest.mark.parametrize("document", ["summary", "feedback-0101", f"feedback-{VETOED}",
                                      f"feedback-{PENDING}", "blank-handbook", "pack",
                                      "inspector-pack"])
def test_no_line_overprints_another_in_english(printed_in_english: PrintedInEnglish,
                                               document: str) -> None:
    lines = printed_in_english.lines[document]
    assert lines
    assert describe(overprinted(lines)) == []


def test_every_long_name_prints_whole_on_the_ranking(printed: Printed) -> None:
    page = [line for line in printed.lines["summary"] if line.page == 1]
    joined = "".join(line.text for line in page)
    for name in LONG_NAMES:
        assert name in joined


def page_text(lines: list[Line], page: int = 1) -> str:
    return "".join(line.text.replace(" ", "") for line in lines if line.page == page)


def test_feedback_for_a_pending_branch_says_why_and_what_follows(printed: Printed) -> None:
    shown = page_text(printed.lines[f"feedback-{PENDING}"])
    assert "等级：待定，因缺少考评分暂不定级、不排名。" in shown
    assert "结果待定：本支部尚缺考评分，按本轮规则暂不定级、不排名" in shown
    assert "待评分收齐后提出。" in shown
    assert "各项目均得满分" not in shown
    full = page_text(printed.lines["feedback-0101"])
    assert "各项目均得满分" not in full and "1.定期分析" in full


@pytest.mark.parametrize("code", ["0101", VETOED, PENDING])
def test_the_feedback_title_prints_both_lines(printed: Printed, code: str) -> None:
    lines = [line for line in printed.lines[f"feedback-{code}"] if line.page == 1]
    # The page header says the feedback is provisional; the title follows.
    assert [line.text for line in lines[:2]] == ["初步结果", "仅供参考"]
    title, second = lines[2], lines[3]
    assert (title.text, second.text) == ("2026年度党支部建设目标管理年终考核", "考核结果反馈")
    assert title.y1 <= second.y0  # one above the other, neither cut


def test_feedback_marks_the_sections_below_the_average_as_shares(printed: Printed) -> None:
    round_ = open_round(printed.workbooks["summary"].parents[1])
    computed = final_results(round_)
    ranked = {r.code: r for r in computed.results}
    standing = standing_of(computed.results, round_.scheme)
    book = openpyxl.load_workbook(printed.workbooks["feedback-0101"])
    sheet = book["考核反馈"]
    rows = {row[0].value: row for row in sheet.iter_rows()
            if row[0].value in {s.title for s in round_.scheme.sections}}
    marked = 0
    for section in round_.scheme.sections:
        own = ranked["0101"].sections[section.id]
        average = computed.rules.round(standing.averages[section.id])
        cells = rows[section.title]
        shares = f"本支部 {own / section.max:.1%}，平均 {average / section.max:.1%}"
        if own < average:
            marked += 1
            assert cells[6].value == f"{shares}；低于平均 {average - own} 分"
            assert cells[2].fill.fgColor.rgb == "FFFCE4D6"
        else:
            assert cells[6].value == shares
            assert cells[2].fill.fgColor.rgb in (None, "00000000")
        # the chart reads the shares, hidden beside the table
        assert cells[8].value == pytest.approx(float(own / section.max))
    assert marked  # the round has a section where 0101 is below the average
    with zipfile.ZipFile(printed.workbooks["feedback-0101"]) as archive:
        assert b"<c:plotVisOnly" not in archive.read("xl/charts/chart1.xml")  # hidden shown


def list_pages(printed: Printed) -> list[list[Line]]:
    """The pages of the summary that hold a list of advanced branches."""
    lines = printed.lines["summary"]
    pages = sorted({line.page for line in lines if line.text == "先进党支部名单"})
    return [[line for line in lines if line.page == page] for page in pages]


def test_the_advanced_list_prints_as_issued_with_room_for_the_seal(printed: Printed) -> None:
    round_ = open_round(printed.workbooks["summary"].parents[1])
    computed = final_results(round_)
    winners = [r for r in computed.results if r.grade == "先进" and r.rank is not None]
    assert len(winners) >= 2
    order = [b.code for b in round_.roster.branches]
    scored, names = list_pages(printed)
    for page, expected in ((scored, winners),
                           (names, sorted(winners, key=lambda r: order.index(r.code)))):
        texts = [line.text.replace(" ", "") for line in page]
        assert [t for t in texts if t in {r.name for r in winners}] == [r.name for r in expected]
        issuer = next(line for line in page if line.text == ISSUER)
        date = next(line for line in page if line.text == "2026年12月28日")
        last = max(line.y1 for line in page if line.text.replace(" ", "") in
                   {r.name for r in winners})
        assert issuer.y0 - last > 40  # the seal's room above the signature
        assert date.y0 >= issuer.y1 and issuer.x1 > 400  # right-aligned, date below
    scored_text = " ".join(line.text for line in scored)
    assert "综合得分" in scored_text and f"{winners[0].score}" in scored_text
    names_text = " ".join(line.text for line in names)
    assert "综合得分" not in names_text and "名次" not in names_text
    assert f"{winners[0].score}" not in names_text


def test_the_rankings_first_page_has_the_headline_and_the_date(printed: Printed) -> None:
    round_ = open_round(printed.workbooks["summary"].parents[1])
    results = final_results(round_).results
    grades = [g.name for g in round_.scheme.grades] + ["待定"]
    counts = "，".join(f"{g}{sum(1 for r in results if r.grade == g)}" for g in grades)
    ranked = sum(1 for r in results if r.rank is not None)
    local = NOW.astimezone(round_.config.zone)
    headline = f"参加排名{ranked}，{counts}。排名日期：{local.year}年{local.month}月{local.day}日"
    pages = [page_text(printed.lines["summary"], page) for page in (1, 2)]
    assert headline in pages[0] and "待定1" in headline and "不合格1" in headline
    assert "参加排名" not in pages[1]  # the first page only


def test_long_section_headers_print_whole(printed: Printed) -> None:
    round_ = open_round(printed.workbooks["summary"].parents[1])
    page = next(number for number in range(1, 10)
                if "各板块得分及与最高分的差距" in page_text(printed.lines["summary"], number))
    shown = page_text(printed.lines["summary"], page)
    for section in round_.scheme.sections:
        assert f"{section.title}（满分{section.max}）" in shown
    # and within the header row: above the first branch's name (a cut-off header runs into it)
    first = final_results(round_).results[0].name
    lines = [line for line in printed.lines["summary"] if line.page == page]
    top = min(line.y0 for line in lines
              if len(line.text) >= 4 and first.startswith(line.text.replace(" ", "")))
    assert max(line.y1 for line in lines if "（满分" in line.text) <= top


def pages_titled(printed: Printed, title: str) -> list[int]:
    lines = printed.lines["summary"]
    return sorted({line.page for line in lines if line.text.endswith(title)})


@pytest.mark.parametrize("title", ["评分表收交情况", "评分明细（每个数字都可追溯到收到的文件）",
                                   "可量化项目的综合得分与工作手册记录对照"])
def test_audit_sheets_print_their_headers_only(printed: Printed, title: str) -> None:
    pages = pages_titled(printed, title)
    assert len(pages) == 1
    shown = page_text(printed.lines["summary"], pages[0])
    assert "核对用明细，共" in shown and "打印汇总表时只打印表头" in shown
    # the sheets themselves hold every row
    book = openpyxl.load_workbook(printed.workbooks["summary"], read_only=True)
    sheet = next(book[name] for name in book.sheetnames
                 if str(book[name]["A1"].value).endswith(title))
    assert sheet.max_row > 40


def test_the_summary_prints_pages_for_the_ranking_not_for_every_score(printed: Printed) -> None:
    total = max(line.page for line in printed.lines["summary"])
    # ranking, sections, two lists, three audit sheets, the analysis, the method, the chart:
    # a page or two each at twelve branches (the detail alone held 59 forms × 36 items).
    assert total <= 13, total


def test_the_analysis_lists_the_flagged_with_its_title_on_every_page(printed: Printed) -> None:
    pages = pages_titled(printed, "评分分析（供复核参考，不影响得分）")
    assert len(pages) >= 2  # the long names make it run to a second page
    assert pages == list(range(pages[0], pages[-1] + 1))
    inflation = printed.report.analysis.inflation
    flagged = [i.branch for i in inflation if i.flagged]
    assert flagged and len(flagged) < len(inflation)
    shown = "".join(page_text(printed.lines["summary"], page) for page in pages)
    assert f"其余{len(inflation) - len(flagged)}个支部未达到提示线，不再列出。" in shown
    listed = shown[shown.index("一、自评偏高"):shown.index("二、互评尺度")]
    assert [code for code in (i.branch for i in inflation) if code in listed] == flagged


def test_the_readme_shows_the_printed_pages(printed: Printed) -> None:
    """The first page of the summary, the list of advanced branches and a feedback sheet."""
    lists = list_pages(printed)[0][0].page
    pictures = {"print-summary.png": ("summary", 1), "print-advanced.png": ("summary", lists),
                "print-feedback.png": ("feedback-0101", 1)}
    if os.environ.get("SHEETOPS_WRITE_DOCS"):
        for name, (document, page) in pictures.items():
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page),
                            "-l", str(page), str(printed.pdfs[document]),
                            str(DOCS / name.removesuffix(".png"))], check=True)
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for name in pictures:
        assert (DOCS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"](docs/{name})" in readme


# -- the work handbook on paper ---------------------------------------------------------------

HANDBOOK_SHEETS = ["使用说明", "工作制度", "委员职责", "常用文件", "基本情况", "党员名册", "工作记录",
                   "党费收缴", "发展党员", "换届交接"]


def pages_of(lines: list[Line]) -> list[str]:
    """Each page's text, spaces removed."""
    return [page_text(lines, page) for page in range(1, max(line.page for line in lines) + 1)]


@pytest.mark.parametrize(("document", "code"), [("blank-handbook", "0101"),
                                                ("long-handbook", "0107")])
def test_a_blank_handbook_prints_a_page_per_table(printed: Printed, document: str,
                                                  code: str) -> None:
    # The reference parts take six pages, the basic information one, and each of the five
    # tables its head and first 25 rows on one page: 12, however long the tables are (they
    # printed 30 and 54 pages, 0107's dues alone 34).
    assert page_count(printed.pdfs[document]) == 12
    pages = pages_of(printed.lines[document])
    assert len(pages) == 12
    name = LONG_NAMES[int(code) - 101]  # 0101 is the roster's first
    sheets = []
    for number, shown in enumerate(pages, start=1):
        # The header names the branch and the sheet; the footer its code, the sheet, the page.
        assert f"{name}（{code}）党支部工作手册：" in shown, number
        assert f"{code}{name[:15]}…" in shown and f"第{number}页，共12页" in shown, number
        sheets.append(next(sheet for sheet in HANDBOOK_SHEETS
                           if f"党支部工作手册：{sheet}" in shown))
    assert sheets == ["使用说明", "工作制度", "工作制度", "委员职责", "常用文件", "常用文件",
                      *HANDBOOK_SHEETS[4:]]
    dues = pages[sheets.index("党费收缴")]
    assert "序号" in dues and "2425" in dues and "2526" not in dues  # rows 1 to 25


def test_the_handbook_says_how_to_print_what_was_filled_in(printed: Printed) -> None:
    first = pages_of(printed.lines["blank-handbook"])[0]
    assert "打印说明" in first
    assert "每张填写表只设定打印表头和前25行（约一页），空白表格不会整本打印出来。" in first
    assert "打印时选择“打印选定区域”" in first


def test_a_filled_handbook_prints_its_branch_on_every_page(printed: Printed) -> None:
    pages = pages_of(printed.lines["handbook"])
    assert len(pages) == 12
    assert all(f"{LONG_NAMES[0]}（0101）" in shown for shown in pages)


def test_the_english_handbook_prints_english_headers_and_guide(
        printed_in_english: PrintedInEnglish) -> None:
    lines = printed_in_english.lines["blank-handbook"]
    pages = [" ".join(line.text for line in lines if line.page == page)
             for page in range(1, max(line.page for line in lines) + 1)]
    assert len(pages) == 14  # the print guide runs onto a second page of the first part
    for number, shown in enumerate(pages, start=1):
        assert f"{LONG_NAMES[0]} (0101)" in shown
        assert f"Page {number} of 14" in shown
    assert "Printing" in pages[0] and "print the selection" in pages[0]
    assert "Party Branch Work Handbook: Dues" in " ".join(pages)


# -- score forms: each form its own paper --------------------------------------------------

PACKS = {"pack": "0101", "inspector-pack": "X01"}


def squeezed(value: str) -> str:
    return value.replace(" ", "")


def printed_forms(round_: Round, lines: list[Line], document: str,
                  ) -> list[tuple[FormPlan, list[list[Line]]]]:
    """Each form of a printed pack with its pages, told apart by the name in each page's
    header: the pack's forms in order, every page under one of them."""
    pack = next(p for p in sent_packs(round_.config, round_.scheme, round_.roster,
                                      round_.paths.manifest) if p.recipient == PACKS[document])
    names = [squeezed(form_name(plan, round_.lang)) for plan in pack.forms]
    assert len(set(names)) == len(names)
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    forms: list[list[list[Line]]] = []
    shown: list[str] = []
    for number in sorted(pages):
        [header] = [squeezed(line.text) for line in pages[number]
                    if squeezed(line.text) in names]
        if not shown or shown[-1] != header:
            shown.append(header)
            forms.append([])
        forms[-1].append(pages[number])
    assert shown == names
    return list(zip(pack.forms, forms, strict=True))


def footer(round_: Round, page: list[Line]) -> tuple[Line, int]:
    """The page's footer and the number it prints (第 2 页)."""
    prefix, suffix = (re.escape(part) for part in text(round_.lang, "form.page").split("&P"))
    [(line, number)] = [(line, int(match.group(1))) for line in page
                        if (match := re.fullmatch(f"{prefix}(\\d+){suffix}", line.text))]
    assert line.y0 > 540  # at the foot of the page (A4 landscape: 595 pt)
    return line, number


def check_forms_print_on_their_own(round_: Round, lines: list[Line], document: str) -> None:
    lang = round_.lang
    section = text(lang, "form.col.section")
    signature = text(lang, "form.signature").split("_")[0]
    last_item = round_.scheme.items[-1].target
    forms = printed_forms(round_, lines, document)
    assert len(forms) >= 2
    for plan, pages in forms:
        assert len(pages) >= 2, plan.sheet  # long enough to test what continuation pages show
        # numbered from 1 on each form, not on through the pack
        assert [footer(round_, page)[1] for page in pages] == list(range(1, len(pages) + 1))
        for page in pages:  # the column headers on every page
            assert any(squeezed(line.text) == squeezed(section) for line in page), plan.sheet
        signed = [(index, line) for index, page in enumerate(pages) for line in page
                  if line.text.startswith(signature)]
        assert [index for index, _ in signed] == [len(pages) - 1], plan.sheet
        [(_, line)] = signed
        last = pages[-1]
        foot, _ = footer(round_, last)
        # nothing prints below the signature line but the footer (and its own date field)
        assert all(other.y1 <= line.y0 + 1 for other in last
                   if other is not foot and abs(other.y0 - line.y0) > 3), plan.sheet
        # every page names the section (考核项目) of the first item it prints, also where the
        # section began on the page before
        known = 16 if lang == "en" else 10  # of an item's text: enough to tell it, on one line
        for page in pages:
            shown = "".join(squeezed(line.text) for line in page)
            on_page = [(shown.index(squeezed(item.target)[:known]), number, item)
                       for number, item in enumerate(round_.scheme.items)
                       if squeezed(item.target)[:known] in shown]
            first = min(on_page)[2] if on_page else None  # the one printed highest
            if first is not None:
                title = next(s.title for s in round_.scheme.sections if first in s.items)
                # in the section column, not only in its subtotal's label
                named = shown.replace(squeezed(text(lang, "form.subtotal", section=title)), "")
                assert squeezed(title)[:4] in named, (plan.sheet, first.target)
        # and the last item came before it
        joined = "".join(squeezed(other.text) for page in pages for other in page)
        assert squeezed(last_item)[:12] in joined
        assert joined.index(squeezed(last_item)[:12]) < joined.index(squeezed(signature))


def check_no_ids_or_utc_times(round_: Round, lines: list[Line]) -> None:
    shown = "\n".join(line.text for line in lines)
    assert re.findall(r"(?:self|peer|inspector|handbook)-\w+", shown) == []
    ids = [item.id for item in round_.scheme.items] + [
        veto.id for veto in round_.scheme.vetoes] + [s.id for s in round_.scheme.sections]
    if round_.lang == "en":  # "leadership" is a word there too, "leadership_study" is not
        ids = [i for i in ids if "_" in i]
    assert [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown)] == []
    codes = [code for code in REGISTRY if "-" in code]
    assert [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", shown)] == []
    assert re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:\d\d)"
                      r"|\bUTC\b", shown) == []


@pytest.mark.parametrize("document", list(PACKS))
def test_each_form_of_a_pack_prints_on_its_own(printed: Printed, document: str) -> None:
    round_ = open_round(printed.workbooks["summary"].parents[1])
    check_forms_print_on_their_own(round_, printed.lines[document], document)


@pytest.mark.parametrize("document", list(PACKS))
def test_each_form_of_a_pack_prints_on_its_own_in_english(
        printed_in_english: PrintedInEnglish, document: str) -> None:
    check_forms_print_on_their_own(printed_in_english.round, printed_in_english.lines[document],
                                   document)


@pytest.mark.parametrize("document", [*PACKS, "handbook"])
def test_printed_forms_show_no_ids_or_utc_times(printed: Printed, document: str) -> None:
    round_ = open_round(printed.workbooks["summary"].parents[1])
    assert printed.lines[document]
    check_no_ids_or_utc_times(round_, printed.lines[document])


@pytest.mark.parametrize("document", list(PACKS))
def test_printed_forms_show_no_ids_or_utc_times_in_english(
        printed_in_english: PrintedInEnglish, document: str) -> None:
    assert printed_in_english.lines[document]
    check_no_ids_or_utc_times(printed_in_english.round, printed_in_english.lines[document])
