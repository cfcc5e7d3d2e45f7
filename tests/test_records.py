"""Handbook records: the consolidation workbook, carry-over across two rounds, and the records
shown beside the scores (summary and inspector forms)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from sheetops.app.collect import collect_round
from sheetops.app.generate import generate_scoresheets
from sheetops.app.init import init_round
from sheetops.app.rank import rank_round
from sheetops.cli.main import main
from sheetops.model.workspace import Round, open_round

from .conftest import NOW, TODAY, write_roster
from .crafted import filled
from .handbooks import ACTIVITIES, fill_handbook, handbook_file

# Branch 0102 keeps poorer records: committee meetings only in the first half year, one general
# assembly, no group meetings or theme days, no life meeting; dues short, unpaid and overpaid;
# one applicant never talked to and one talked to too late.
POOR_ACTIVITIES = [
    *({"date": dt.date(2026, m, 8), "type": "支部委员会", "topic": "支委会"} for m in range(1, 7)),
    {"date": dt.date(2026, 3, 18), "type": "支部党员大会", "topic": "党员大会"},
    *({"date": dt.date(2026, m, 28), "type": "党课", "topic": "党课"} for m in (3, 6, 9, 12)),
    {"date": dt.date(2026, 5, 4), "type": "其他", "topic": "青年座谈"},
]
POOR_MEMBERS = [
    {"name": "张三", "category": "正式党员", "joined": dt.date(2001, 7, 1)},
    {"name": "李四", "category": "正式党员", "joined": dt.date(1985, 7, 1)},
]
POOR_DUES = [
    {"name": "张三", "month": 1, "base": 6000, "paid": 90},
    {"name": "张三", "month": 2, "base": 6000, "paid": 80},
    {"name": "张三", "month": 3, "base": 6000},
    {"name": "李四", "month": 1, "base": 6000, "status": "离退休", "paid": 70},
]
POOR_ADMISSIONS = [
    {"name": "钱一", "stage:application": dt.date(2026, 1, 10)},
    {"name": "孙二", "stage:application": dt.date(2024, 1, 1), "stage:talk": dt.date(2024, 1, 15),
     "stage:activist": dt.date(2024, 3, 1), "stage:candidate": dt.date(2025, 4, 1),
     "stage:probationary": dt.date(2025, 6, 1)},
    {"name": "周五", "stage:application": dt.date(2025, 1, 1), "stage:talk": dt.date(2025, 3, 1)},
]


def fill_poor(round_: Round, name: str = "0102.xlsx") -> Path:
    return fill_handbook(round_, "0102", round_.paths.inbox / name, members=POOR_MEMBERS,
                         counts={"full": 2, "probationary": 0}, activities=POOR_ACTIVITIES,
                         dues=POOR_DUES, admissions=POOR_ADMISSIONS, handover=[])


def values(sheet: Any, row: int) -> list[object]:
    return [c.value for c in sheet[row]]


@pytest.fixture
def recorded(fresh: Round) -> Round:
    """The sample round with 0101's full handbook and 0102's poor one collected."""
    fill_handbook(fresh, "0101", fresh.paths.inbox / "0101.xlsx")
    fill_poor(fresh)
    report = collect_round(fresh, now=NOW)
    assert sorted((f.record.name, f.status) for f in report.files) == [
        ("0101.xlsx", "accepted"), ("0102.xlsx", "accepted-with-warnings")]
    assert [(i.sheet, i.cell, i.code) for f in report.files for i in f.issues] == [
        ("发展党员", "D8", "handbook-stage-too-late")]
    return fresh


def test_records_command_consolidates_the_accepted_handbooks(recorded: Round) -> None:
    root = recorded.paths.root
    result = CliRunner().invoke(main, ["records", str(root)])
    assert result.exit_code == 0, result.output
    workbook = root / "reports" / "records-2026-year-end.xlsx"
    assert result.output == (
        "工作手册：12 个支部，已采用 2 册，尚缺 10 册。\n"
        "尚缺：0103 0104 0105 0106 0107 0108 0109 0110 0111 0112\n"
        "会议未达要求 6 项，党费差异 3 笔，发展党员程序提示 2 项。\n"
        f"记录汇总表：{workbook}\n")
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["汇总", "党员名册", "会议情况", "党费汇总", "党费差异", "发展党员"]

    overview = book["汇总"]
    assert overview["A1"].value == "2026年度党支部建设目标管理年终考核：工作手册记录汇总（截至 2026-12-11）"
    assert values(overview, 3) == ["代码", "支部名称", "工作手册", "正式党员", "预备党员", "党员合计",
                                   "工作记录", "会议未达要求（项）", "应交（元）", "实交（元）",
                                   "差额（元）", "差异笔数", "发展党员（人）", "程序提示"]
    assert values(overview, 4) == ["0101", "机关办公室党支部", "已采用", 2, 1, 3, 46, 0, 144, 144,
                                   0, 0, 1, 0]
    assert values(overview, 5) == ["0102", "组织人事处党支部", "已采用", 2, 0, 2, 12, 6, 330, 240,
                                   -90, 3, 3, 2]
    assert values(overview, 6)[:4] == ["0103", "计划财务处党支部", "未交", "—"]

    members = book["党员名册"]
    assert [values(members, r)[:8] for r in range(4, 9)] == [
        ["0101", "机关办公室党支部", "张伟", "男", dt.datetime(1980, 5, 1), "正式党员",
         dt.datetime(2005, 7, 1), dt.datetime(2006, 7, 1)],
        ["0101", "机关办公室党支部", "李娜", "女", dt.datetime(1990, 3, 12), "正式党员",
         dt.datetime(2015, 6, 20), dt.datetime(2016, 6, 20)],
        ["0101", "机关办公室党支部", "王强", "男", dt.datetime(1998, 9, 9), "预备党员",
         dt.datetime(2026, 6, 28), "—"],
        ["0102", "组织人事处党支部", "张三", "", "—", "正式党员", dt.datetime(2001, 7, 1), "—"],
        ["0102", "组织人事处党支部", "李四", "", "—", "正式党员", dt.datetime(1985, 7, 1), "—"],
    ]
    assert members.max_row == 8

    meetings = book["会议情况"]
    assert values(meetings, 3) == ["代码", "支部名称", "会议类型", "要求", "一季度", "二季度", "三季度",
                                   "四季度", "本期召开", "本期应开", "未达要求"]
    rows = {(r[0], r[2]): r for r in (values(meetings, n) for n in range(4, meetings.max_row + 1))}
    assert len(rows) == 16  # 2 branches × 8 meeting types
    assert rows[("0101", "支部委员会")] == ["0101", "机关办公室党支部", "支部委员会", "每月 1 次",
                                          3, 3, 3, 3, 12, 12, ""]
    assert rows[("0102", "支部委员会")] == ["0102", "组织人事处党支部", "支部委员会", "每月 1 次",
                                          3, 3, 0, 0, 6, 12, "三季度、四季度"]
    assert rows[("0102", "支部党员大会")][4:] == [1, 0, 0, 0, 1, 4, "二季度、三季度、四季度"]
    assert rows[("0102", "党课")][4:] == [1, 1, 1, 1, 4, 4, ""]
    assert rows[("0102", "组织生活会")][3:] == ["每年 1 次", 0, 0, 0, 0, 0, 1, "全年"]
    assert rows[("0102", "其他")][3:] == ["不作要求", 0, 1, 0, 0, 1, "—", ""]
    short = [r[2] for k, r in rows.items() if k[0] == "0102" and r[10]]
    assert short == ["支部党员大会", "支部委员会", "党小组会", "主题党日", "组织生活会", "民主评议党员"]
    committee_row = next(n for n in range(4, meetings.max_row + 1)
                         if (meetings[f"A{n}"].value, meetings[f"C{n}"].value) == ("0102", "支部委员会"))
    assert meetings[f"G{committee_row}"].fill.fgColor.rgb.endswith("FFC7CE")
    assert not meetings[f"E{committee_row}"].fill.fgColor.rgb.endswith("FFC7CE")

    dues = book["党费汇总"]
    assert [values(dues, r) for r in (4, 5)] == [
        ["0101", "机关办公室党支部", 3, 144, 144, 0, 0],
        ["0102", "组织人事处党支部", 4, 330, 240, -90, 3]]
    detail = book["党费差异"]
    assert [values(detail, r) for r in range(4, detail.max_row + 1)] == [
        ["0102", "组织人事处党支部", 7, "张三", 2, 90, 80, -10, "少交"],
        ["0102", "组织人事处党支部", 8, "张三", 3, 90, "—", -90, "未交"],
        ["0102", "组织人事处党支部", 9, "李四", 1, 60, 70, 10, "多交"],
    ]

    pipeline = book["发展党员"]
    assert values(pipeline, 3) == [
        "代码", "支部名称", "姓名", "递交入党申请书", "党组织派人谈话", "确定为入党积极分子",
        "确定为发展对象", "接收为预备党员", "预备党员转为正式党员", "当前阶段", "下一阶段", "最早可于",
        "最迟应于", "程序提示"]
    rows = {r[2]: r for r in (values(pipeline, n) for n in range(4, pipeline.max_row + 1))}
    assert rows["赵敏"][9:] == ["接收为预备党员", "预备党员转为正式党员", dt.datetime(2027, 6, 28),
                                dt.datetime(2028, 6, 28), ""]
    assert rows["钱一"][3:] == [dt.datetime(2026, 1, 10), "—", "—", "—", "—", "—",
                                "递交入党申请书", "党组织派人谈话", "—", dt.datetime(2026, 2, 10),
                                "“党组织派人谈话”已逾期：应不迟于 2026-02-10（自“递交入党申请书”起算）"]
    assert rows["孙二"][9:] == ["接收为预备党员", "预备党员转为正式党员", dt.datetime(2026, 6, 1),
                                dt.datetime(2027, 6, 1), ""]
    assert rows["周五"][13] == "“党组织派人谈话”过晚：应不迟于 2025-02-01（自“递交入党申请书”起算）"


def test_records_before_any_handbook_was_made(fresh: Round) -> None:
    (fresh.paths.root / "handbook.yaml").unlink()
    result = CliRunner().invoke(main, ["records", str(fresh.paths.root)])
    assert result.exit_code == 1
    assert result.output == (
        f"错误：{fresh.paths.root} 尚未生成工作手册，请先运行 sheetops generate。\n")


def test_records_with_nothing_collected(fresh: Round) -> None:
    result = CliRunner().invoke(main, ["records", str(fresh.paths.root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "工作手册：12 个支部，已采用 0 册，尚缺 12 册。"
    book = openpyxl.load_workbook(fresh.paths.reports / "records-2026-year-end.xlsx")
    assert [book["汇总"][f"C{r}"].value for r in range(4, 16)] == ["未交"] * 12
    assert book["会议情况"].max_row == 3


# -- carry-over -----------------------------------------------------------------------------


def test_carry_over_prefills_from_the_last_accepted_handbook(
        recorded: Round, tmp_path: Path) -> None:
    # 0101 sends a corrected handbook later: the newer one is what carries over.
    newer = fill_handbook(recorded, "0101", recorded.paths.inbox / "0101-更正.xlsx",
                          basic={"unit": "机关（更正）", "founded": dt.date(1998, 7, 1)},
                          counts={"full": 3, "probationary": 0},
                          members=[{"name": "张伟", "category": "正式党员",
                                    "joined": dt.date(2005, 7, 1)},
                                   {"name": "李娜", "category": "正式党员",
                                    "joined": dt.date(2015, 6, 20)},
                                   {"name": "赵敏", "category": "正式党员",
                                    "joined": dt.date(2024, 6, 28), "phone": "13800000000"}])
    # An hour after the first one arrived (its file time, whenever the fixture wrote it).
    later = (recorded.paths.inbox / "0101.xlsx").stat().st_mtime + 3600
    os.utime(newer, (later, later))
    collect_round(recorded, [newer], now=NOW)
    roster = write_roster(tmp_path / "roster.xlsx", [
        ("0101", "机关办公室党支部", "张伟", "a@example.org"),
        ("0102", "组织人事处党支部", "李明", "b@example.org"),
        ("0201", "新成立党支部", "王芳", "c@example.org"),
        ("0202", "新成立第二党支部", "刘伟", "d@example.org")])
    next_year = tmp_path / "2027-year-end"
    init_round(next_year, roster, today=TODAY.replace(year=2027))
    result = CliRunner().invoke(main, ["generate", str(next_year), "--carry-over",
                                       str(recorded.paths.root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2:] == [
        f"已生成 4 册党支部工作手册，保存在 {next_year / 'outbox' / 'handbooks'}",
        f"  其中 2 册已按上一轮（{recorded.paths.root}）采用的工作手册预填基本情况和党员名册",
        f"下一步：把各工作簿发给对应支部和巡查人员，收回后放入 {next_year / 'inbox'}",
    ]
    round_b = open_round(next_year)
    book = openpyxl.load_workbook(handbook_file(round_b, "0101"))
    basic = book["基本情况"]
    assert [basic[f"B{r}"].value for r in range(6, 11)] == [
        "机关办公室党支部", "0101", "机关（更正）", None, dt.datetime(1998, 7, 1)]
    assert [basic[f"{c}22"].value for c in "ABCD"] == [
        "书记", "张伟", dt.datetime(2026, 3, 1), dt.datetime(2029, 2, 28)]
    assert (basic["B31"].value, basic["B32"].value) == (3, 0)
    assert "2027年" in book["党员名册"]["A2"].value
    roll = book["党员名册"]
    assert [[c.value for c in roll[r]][:7] for r in (6, 7, 8, 9)] == [
        [1, "张伟", None, None, "正式党员", dt.datetime(2005, 7, 1), None],
        [2, "李娜", None, None, "正式党员", dt.datetime(2015, 6, 20), None],
        [3, "赵敏", None, None, "正式党员", dt.datetime(2024, 6, 28), None],
        [4, None, None, None, None, None, None]]
    assert roll["I8"].value == "13800000000"
    assert book["工作记录"]["B6"].value is None  # records of the year start empty
    poor = openpyxl.load_workbook(handbook_file(round_b, "0102"))
    assert [poor["党员名册"][f"B{r}"].value for r in (6, 7, 8)] == ["张三", "李四", None]
    assert poor["基本情况"]["B22"].value == "张伟"  # its last handbook's secretary, not the roster's
    new = openpyxl.load_workbook(handbook_file(round_b, "0201"))
    assert (new["党员名册"]["B6"].value, new["基本情况"]["B22"].value) == (None, "王芳")

    # The carried handbook, returned with this year's activities, is accepted in round B.
    fill_handbook(round_b, "0101", round_b.paths.inbox / "0101.xlsx", basic={}, committee={},
                  counts={}, members=[], dues=[], admissions=[], handover=[],
                  activities=[{**a, "date": dt.date(2027, a["date"].month, a["date"].day)}
                              for a in ACTIVITIES if isinstance(a["date"], dt.date)])
    report = collect_round(round_b, now=NOW)
    assert [(f.status, [(i.sheet, i.cell, i.code) for i in f.issues]) for f in report.files] == [
        ("accepted", [])]
    result = CliRunner().invoke(main, ["records", str(next_year)])
    assert result.output.splitlines()[:2] == ["工作手册：4 个支部，已采用 1 册，尚缺 3 册。",
                                              "尚缺：0102 0201 0202"]
    members = openpyxl.load_workbook(next_year / "reports" / "records-2027-year-end.xlsx")["党员名册"]
    assert [members[f"C{r}"].value for r in (4, 5, 6)] == ["张伟", "李娜", "赵敏"]


def test_carry_over_needs_a_round(fresh: Round, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", str(fresh.paths.root), "--carry-over",
                                       str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"错误：{tmp_path} 不是考核轮次目录（找不到 round.toml）。请先运行 sheetops init。\n")


# -- the records behind the scores ------------------------------------------------------------


def test_summary_and_inspector_forms_show_the_records(recorded: Round) -> None:
    filled(recorded, "0101", "pack-0101.xlsx")
    filled(recorded, "X01", "pack-X01.xlsx",
           score=lambda form_id, index, item: float(item.max) - (0.5 if index == 1 else 0))
    collect_round(recorded, now=NOW)
    report = rank_round(recorded, now=NOW)
    book = openpyxl.load_workbook(report.summary)
    assert book.sheetnames[6] == "记录核对"
    sheet = book["记录核对"]
    assert values(sheet, 3) == ["代码", "支部名称", "项目代码", "考核内容", "分值", "综合得分",
                                "工作手册记录"]
    rows = {(r[0], r[2]): r for r in (values(sheet, n) for n in range(4, sheet.max_row + 1))}
    linked = [i.id for i in recorded.scheme.items if i.metric]
    assert len(linked) == 13 and len(rows) == 12 * 13
    # 0101: self full marks (0.2) and inspector 4.5 of 5 (0.5), renormalised: 4.64.
    assert rows[("0101", "leadership_committee")][4:] == [5, 4.64, "支部委员会：12/12 次"]
    assert rows[("0101", "basics_dues")][6] == "党费实交 144.00 元 / 应交 144.00 元"
    assert rows[("0101", "basics_handbook_info")][6] == "党员 3 人（正式 2，预备 1）"
    assert rows[("0101", "recruitment_candidates")][6] == "发展党员程序提示 0 项"
    # 0102: rated 5 by its peer 0101 (0.3) and 4.5 by the inspector (0.5): 4.69.
    assert rows[("0102", "leadership_committee")][5:] == [4.69, "支部委员会：6/12 次"]
    assert rows[("0102", "leadership_life_meeting")][6] == "组织生活会：0/1 次"
    assert rows[("0103", "leadership_committee")][5:] == [4.5, "未交工作手册"]  # inspector only
    assert rows[("0107", "leadership_committee")][5:] == ["—", "未交工作手册"]

    # Inspector forms generated now carry a reference column; other forms do not.
    generate_scoresheets(recorded, now=NOW)
    pack = openpyxl.load_workbook(recorded.paths.outbox / "inspectors/X01-第一巡查组.xlsx")
    form = pack["考评-0102"]
    assert form["H6"].value == "工作手册记录（供参考）"
    by_item = {form[f"C{r}"].value: form[f"H{r}"].value for r in range(7, 60)
               if form[f"C{r}"].value}
    assert by_item["坚持民主集中制，重要事项经支部委员会集体研究决定。"] == "支部委员会：6/12 次"
    assert sum(1 for v in by_item.values() if v) == 13
    assert by_item[recorded.scheme.items[0].target] == ""
    assert form.print_area == "'考评-0102'!$A$1:$H$57"
    assert pack["考评-0103"]["H6"].value is None  # no handbook accepted from 0103
    own = openpyxl.load_workbook(recorded.paths.outbox / "branches/0102-组织人事处党支部.xlsx")
    assert own["自评"]["H6"].value is None


# -- another language -----------------------------------------------------------------------


def test_an_english_round_gets_an_english_handbook(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", [
        (f"000{n}", f"Branch {n}", f"Secretary {n}", f"b{n}@example.org") for n in range(1, 5)])
    round_ = init_round(tmp_path / "round", roster, language="en", today=TODAY).round
    generate_scoresheets(round_, now=NOW)
    book = openpyxl.load_workbook(handbook_file(round_, "0001"))
    assert book.sheetnames == [
        "How to Use This Handbook", "Work Rules", "Duties of Committee Members",
        "Frequently Used Documents", "Basic Information", "Members", "Activities", "Dues",
        "Admissions", "Handover", "_meta"]
    assert [c.value for c in book["Activities"][5]] == [
        "No.", "Date", "Type", "Topic", "Present", "Absent, and why", "Chair", "Recorder"]
    fill_handbook(round_, "0001", round_.paths.inbox / "handbook.xlsx",
                  members=[{"name": "Ann Lee", "category": "Full member",
                            "joined": dt.date(2001, 7, 1)}],
                  counts={"full": 1, "probationary": 0}, committee={}, dues=[], admissions=[],
                  handover=[], activities=[{"date": dt.date(2026, 4, 1), "type": "Party lecture"},
                                           {"date": "1 April", "type": "Party lecture"}])
    report = collect_round(round_, now=NOW)
    [found] = report.files[0].issues
    assert (found.sheet, found.cell, found.code) == ("Activities", "B7", "handbook-date-invalid")
    assert found.message("en") == "'Date' of entry 2 '1 April' is not a valid date."
