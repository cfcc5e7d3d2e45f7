"""The branch work handbook: the definition, the generated workbook, returned handbooks checked
cell by cell, supersession, and what the ledger keeps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetops.app.collect import CollectReport, collect_round
from sheetops.app.generate import GenerateResult
from sheetops.core.identity import FormIdentity, verify_identity
from sheetops.forms.handbook import nested_if, write_handbook
from sheetops.intake.cells import read_meta
from sheetops.layout.handbook import table_rows
from sheetops.layout.packs import plan_handbooks
from sheetops.ledger.store import Ledger
from sheetops.model.handbook import (
    Bracket,
    HandbookRecords,
    Member,
    check_handbook,
    default_handbook_path,
    dues_due,
    load_handbook,
    load_round_handbook,
)
from sheetops.model.workspace import Round
from sheetops.validate.handbook import read_amount, read_date

from .conftest import NOW
from .handbooks import ACTIVITIES, ADMISSIONS, DUES, MEMBERS, fill_handbook, handbook_file

INPUT_SHEETS = ["基本情况", "党员名册", "工作记录", "党费收缴", "发展党员", "换届交接"]
SHEETS = ["使用说明", "工作制度", "委员职责", "常用文件", *INPUT_SHEETS]


def run(round_: Round) -> CollectReport:
    return collect_round(round_, now=NOW)


def flat(report: CollectReport, name: str) -> list[tuple[str | None, str | None, str]]:
    outcome = next(f for f in report.files if f.record.name == name)
    return [(i.sheet, i.cell, i.code) for i in outcome.issues]


def status_of(report: CollectReport, name: str) -> str:
    return next(f.status for f in report.files if f.record.name == name)


# -- the definition -------------------------------------------------------------------------


def test_both_shipped_definitions_load_and_agree() -> None:
    zh = load_handbook(default_handbook_path("zh-CN"))
    en = load_handbook(default_handbook_path("en"))
    assert (zh.id, zh.version, zh.language, en.language) == (
        "branch-handbook", "2026.1", "zh-CN", "en")
    assert [p.id for p in zh.text_parts] == ["usage", "rules", "duties", "documents"]
    for attribute in ("meeting_types", "admission_stages"):
        assert [(x.id, getattr(x, "frequency", None), getattr(x, "min_after", None),
                 getattr(x, "max_after", None)) for x in getattr(zh, attribute)] == [
            (x.id, getattr(x, "frequency", None), getattr(x, "min_after", None),
             getattr(x, "max_after", None)) for x in getattr(en, attribute)]
    assert zh.dues.brackets == en.dues.brackets == (
        Bracket(Decimal(3000), Decimal("0.005")), Bracket(Decimal(5000), Decimal("0.01")),
        Bracket(Decimal(10000), Decimal("0.015")), Bracket(None, Decimal("0.02")))
    assert [(m.name, m.frequency, m.min_count) for m in zh.meeting_types][:4] == [
        ("支部党员大会", "quarterly", 1), ("支部委员会", "monthly", 1), ("党小组会", "monthly", 1),
        ("党课", "quarterly", 1)]
    assert [f.id for f in zh.basic_info] == [f.id for f in en.basic_info]
    assert [c.id for c in zh.member_categories] == ["full", "probationary"]


def test_definition_problems_are_located(tmp_path: Path) -> None:
    source = default_handbook_path("zh-CN").read_text(encoding="utf-8")
    broken = (source
              .replace("frequency: quarterly, min_count: 1}\n  - {id: committee",
                       "frequency: weekly, min_count: 1}\n  - {id: committee", 1)
              .replace("- {up_to: 5000, rate: 0.01}\n    - {up_to: 10000",
                       "- {up_to: 2000, rate: 0.01}\n    - {up_to: 10000", 1)
              .replace("min_after: {stage: activist, months: 12}",
                       "min_after: {stage: full, months: 12}", 1)
              .replace("  - {id: probationary, name: 预备党员}\n", "", 1))
    path = tmp_path / "handbook.yaml"
    path.write_text(broken, encoding="utf-8")
    handbook, problems = check_handbook(path)
    assert handbook is None
    lines = broken.splitlines()

    def line_of(start: str) -> str:
        return f"handbook.yaml:{next(i for i, t in enumerate(lines, 1) if t.startswith(start))}"

    assert [(p.where, p.key) for p in problems] == [
        (line_of("  - {id: general_assembly"), "handbook.bad-choice"),
        (line_of("member_categories:"), "handbook.categories"),
        (line_of("    - {up_to: 2000"), "handbook.brackets-order"),
        (line_of("  - {id: candidate"), "handbook.unknown-stage"),
    ]
    assert problems[0].render("zh-CN") == (
        f"{problems[0].where}: “frequency”应为 monthly | quarterly | yearly | none 之一，"
        "实际为“weekly”")
    assert problems[3].render("zh-CN") == (
        f"{problems[3].where}: 时间间隔所依据的阶段“full”不在此前的阶段中"
        "（可选：application | talk | activist）")


@pytest.mark.parametrize("base, retired, due", [
    ("3000", False, "15.00"), ("3000.01", False, "30.00"), ("5000", False, "50.00"),
    ("10000", False, "150.00"), ("10000.5", False, "200.01"), ("5000", True, "25.00"),
    ("6000", True, "60.00"), ("0", False, "0.00"),
])
def test_dues_follow_the_brackets(base: str, retired: bool, due: str) -> None:
    dues = load_handbook(default_handbook_path("zh-CN")).dues
    assert dues_due(dues, Decimal(base), retired=retired) == Decimal(due)


def test_rate_formula_is_built_from_the_brackets() -> None:
    dues = load_handbook(default_handbook_path("zh-CN")).dues
    assert nested_if("D6", dues.brackets) == (
        "IF(D6<=3000,0.005,IF(D6<=5000,0.01,IF(D6<=10000,0.015,0.02)))")
    assert nested_if("D6", dues.retiree_brackets) == "IF(D6<=5000,0.005,0.01)"
    assert nested_if("D6", (Bracket(None, Decimal("0.02")),)) == "0.02"


@pytest.mark.parametrize("value, expected", [
    (dt.date(2026, 3, 1), (dt.date(2026, 3, 1), None)),
    (dt.datetime(2026, 3, 1, 0, 0), (dt.date(2026, 3, 1), None)),
    (46082.0, (dt.date(2026, 3, 1), None)),  # a serial number (Excel 1900 date system)
    (46082, (dt.date(2026, 3, 1), None)),
    (59.0, (dt.date(1900, 2, 28), None)),
    (61.0, (dt.date(1900, 3, 1), None)),
    (60.0, (None, "handbook-date-invalid")),  # Excel's 1900-02-29, which never was
    ("2026-03-01", (dt.date(2026, 3, 1), "handbook-date-text")),
    ("2026年3月1日", (dt.date(2026, 3, 1), "handbook-date-text")),
    ("２０２６／３／１", (dt.date(2026, 3, 1), "handbook-date-text")),
    ("2026.3.1", (dt.date(2026, 3, 1), "handbook-date-text")),
    ("2026-02-30", (None, "handbook-date-invalid")),
    ("三月一日", (None, "handbook-date-invalid")),
    (True, (None, "handbook-date-invalid")),
    (dt.time(9, 30), (None, "handbook-date-invalid")),
    (float("nan"), (None, "handbook-date-invalid")),  # only a crafted file holds these
    (float("inf"), (None, "handbook-date-invalid")),
    ("", (None, None)),
    (None, (None, None)),
])
def test_reading_dates(value: object, expected: tuple[dt.date | None, str | None]) -> None:
    assert read_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    (52.5, (Decimal("52.5"), None)), (40.0, (Decimal(40), None)), (3, (Decimal(3), None)),
    ("４０００元", (Decimal(4000), "handbook-number-text")),
    ("1,200", (Decimal(1200), "handbook-number-text")),
    ("很多", (None, "handbook-number-invalid")), (False, (None, "handbook-number-invalid")),
    (float("nan"), (None, "handbook-number-invalid")),
    (float("-inf"), (None, "handbook-number-invalid")),
    ("", (None, None)),
])
def test_reading_amounts(value: object, expected: tuple[Decimal | None, str | None]) -> None:
    assert read_amount(value) == expected


# -- the generated workbook -----------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(sample_round: tuple[Round, GenerateResult]) -> openpyxl.Workbook:
    round_, _ = sample_round
    return openpyxl.load_workbook(handbook_file(round_, "0101"))


def test_one_handbook_per_branch_beside_its_pack(
        sample_round: tuple[Round, GenerateResult]) -> None:
    round_, result = sample_round
    assert [p.file for p in result.handbooks][:2] == [
        "handbooks/0101-机关办公室党支部-工作手册.xlsx", "handbooks/0102-组织人事处党支部-工作手册.xlsx"]
    assert len(result.handbooks) == 12
    assert all((round_.paths.outbox / p.file).is_file() for p in result.handbooks)
    assert (round_.paths.root / "handbook.yaml").read_bytes() == default_handbook_path(
        "zh-CN").read_bytes()
    manifest = round_.paths.manifest.read_text(encoding="utf-8-sig")
    assert "handbook" not in manifest  # the manifest lists scoresheets only


def test_sheets_meta_and_signature(sample_round: tuple[Round, GenerateResult],
                                   generated: openpyxl.Workbook) -> None:
    round_, _ = sample_round
    assert generated.sheetnames == [*SHEETS, "_meta"]
    meta = generated["_meta"]
    assert (meta.sheet_state, meta.protection.sheet) == ("veryHidden", True)
    entries = read_meta([[c.value for c in row] for row in meta.iter_rows()])
    assert entries is not None
    assert [e.sheet for e in entries] == SHEETS
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    assert {e.identity for e in entries} == {FormIdentity(
        round_id="2026-year-end", form_id="handbook-0101", kind="handbook", role="handbook",
        rater="0101", target="0101", scheme_id="branch-handbook", scheme_version="2026.1",
        scheme_hash=handbook.hash, generated_at=NOW.isoformat())}
    assert all(verify_identity(round_.key, e.identity, e.sheet, e.signature) for e in entries)
    properties = {p.name: p.value for p in generated.custom_doc_props.props}
    assert properties["sheetops:handbook-0101"] == entries[-1].signature  # its last sheet's
    assert len({e.signature for e in entries}) == len(entries)  # each bound to its sheet


def unlocked(sheet: openpyxl.worksheet.worksheet.Worksheet) -> set[str]:
    return {c.coordinate for row in sheet.iter_rows() for c in row if not c.protection.locked}


def block(columns: str, first: int, last: int) -> set[str]:
    return {f"{col}{row}" for col in columns for row in range(first, last + 1)}


def test_only_input_areas_are_unlocked(generated: openpyxl.Workbook) -> None:
    assert all(generated[name].protection.sheet for name in SHEETS)
    assert all(unlocked(generated[name]) == set() for name in SHEETS[:4])
    assert unlocked(generated["党员名册"]) == block("BCDEFGHIJ", 6, 35)  # 14 members: 30 rows
    assert unlocked(generated["工作记录"]) == block("BCDEFGH", 6, 205)
    assert unlocked(generated["党费收缴"]) == block("BCDEHIJ", 6, 365)  # F, G: formulas; 30 × 12 rows
    assert unlocked(generated["发展党员"]) == block("BCDEFGHI", 6, 45)
    assert unlocked(generated["换届交接"]) == block("BCDEFG", 6, 25)
    basic = unlocked(generated["基本情况"])
    assert basic == {*(f"{c}{r}" for c in "BCDE" for r in range(6, 19)),
                     *block("BCDE", 22, 27), "B31", "B32"}


def test_input_cells_say_what_they_take(generated: openpyxl.Workbook) -> None:
    activities = {str(dv.sqref): dv for dv in generated["工作记录"].data_validations.dataValidation}
    assert activities["C6:C205"].formula1 == (
        '"支部党员大会,支部委员会,党小组会,党课,主题党日,组织生活会,民主评议党员,其他"')
    assert (activities["B6:B205"].type, activities["B6:B205"].prompt) == (
        "date", "请按“年-月-日”填写日期，例如 2026-03-01。")
    assert activities["E6:E205"].type == "whole"
    members = {str(dv.sqref): dv for dv in generated["党员名册"].data_validations.dataValidation}
    assert members["E6:E35"].formula1 == '"正式党员,预备党员"'
    dues = {str(dv.sqref): dv for dv in generated["党费收缴"].data_validations.dataValidation}
    assert (dues["C6:C365"].formula1, dues["C6:C365"].formula2) == ("1", "12")
    assert dues["E6:E365"].formula1 == '"在职,离退休"'
    sheet = generated["工作记录"]
    assert [c.value for c in sheet[5]] == ["序号", "日期", "类型", "主题", "实到人数",
                                          "缺席人员及原因", "主持人", "记录人"]
    assert sheet["A2"].value == (
        "党支部：机关办公室党支部（0101）    年度：2026年")  # no form id: only _meta has it
    assert sheet["A3"].value == "每次会议或活动登记一行，类型从下拉列表选择；活动结束后及时填写，不得事后集中补记。"
    assert [c.value for c in generated["发展党员"][5]] == [
        "序号", "姓名", "递交入党申请书", "党组织派人谈话", "确定为入党积极分子", "确定为发展对象",
        "接收为预备党员", "预备党员转为正式党员", "备注"]


def test_dues_formulas_and_cached_values(sample_round: tuple[Round, GenerateResult],
                                         generated: openpyxl.Workbook) -> None:
    round_, _ = sample_round
    sheet = generated["党费收缴"]
    assert sheet["F6"].value == (
        '=IF(D6="","",IF(E6="离退休",IF(D6<=5000,0.005,0.01),'
        "IF(D6<=3000,0.005,IF(D6<=5000,0.01,IF(D6<=10000,0.015,0.02)))))")
    assert sheet["G365"].value == '=IF(D365="","",ROUND(D365*F365,2))'
    cached = openpyxl.load_workbook(handbook_file(round_, "0101"), data_only=True)
    assert {cached["党费收缴"][f"{c}{r}"].value for c in "FG" for r in range(6, 366)} == {None}
    assert (generated["基本情况"]["B33"].value, cached["基本情况"]["B33"].value) == (
        "=SUM(B31:B32)", 0)


def test_basic_information_is_prefilled_from_the_roster(generated: openpyxl.Workbook) -> None:
    sheet = generated["基本情况"]
    assert [(sheet[f"A{r}"].value, sheet[f"B{r}"].value) for r in (6, 7, 8, 10)] == [
        ("支部名称", "机关办公室党支部"), ("支部代码", "0101"), ("所在单位", None),
        ("成立时间", None)]
    assert [c.value for c in sheet[21]] == ["职务", "姓名", "任职时间", "任期届满时间", "备注"]
    assert (sheet["A22"].value, sheet["B22"].value) == ("书记", "王建国")
    assert [(sheet[f"A{r}"].value, sheet[f"B{r}"].value) for r in (31, 32, 33)] == [
        ("正式党员", None), ("预备党员", None), ("合计", "=SUM(B31:B32)")]


def test_reference_parts_come_from_the_definition(generated: openpyxl.Workbook) -> None:
    usage = [c.value for c in generated["使用说明"]["A"] if c.value]
    assert usage[:4] == ["党支部工作手册", "机关办公室党支部（0101）", "2026年度",
                         "本手册随“2026年度党支部建设目标管理年终考核”下发。"
                         "只在浅黄色单元格中填写，填好后将本工作簿原样发回，不要增删、改名工作表。"]
    assert usage[4:9] == [
        "打印说明",
        "下发的手册中，每张填写表只设定打印表头和前 25 行（约一页），空白表格不会整本打印出来。"
        "每页页眉印有支部名称和表名，页脚印有支部代码、表名和页码，散页也能归位。",
        "打印已填写的内容：在表中选中从表头到最后一条记录的各行，打印时选择“打印选定区域”"
        "（WPS：“打印内容”选“选定区域”；LibreOffice：“范围”选“选中的单元格”）。"
        "记录在前 25 行以内的，直接打印即可。",
        "使用说明", "一、手册用途"]
    rows = [[c.value for c in row] for row in generated["常用文件"].iter_rows()]
    assert ["第1档", "3000 元及以下", 0.005] in rows
    assert ["第4档", "10000 元以上", 0.02] in rows
    assert ["第2档", "5000 元以上", 0.01] in rows  # retirees
    assert [6, "预备党员转为正式党员", "距“接收为预备党员”不少于 12 个月；距“接收为预备党员”不超过 24 个月"] in rows
    assert [3, "确定为入党积极分子", "在“递交入党申请书”之后"] in rows


# -- returned handbooks ---------------------------------------------------------------------


def test_a_filled_handbook_is_accepted_and_its_records_kept(fresh: Round) -> None:
    fill_handbook(fresh, "0101", fresh.paths.inbox / "手册.xlsx")
    report = run(fresh)
    assert status_of(report, "手册.xlsx") == "accepted"
    assert flat(report, "手册.xlsx") == []
    assert report.files[0].forms == [{"form_id": "handbook-0101", "sheet": "使用说明",
                                      "role": "handbook", "rater": "0101", "target": "0101",
                                      "status": "accepted", "vetoes": {}}]
    assert (report.expected_forms, report.current_forms) == (60, 0)  # scoresheets only
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
    records = HandbookRecords.from_payload(current["handbook-0101"].payload["records"])
    assert records.basic == {"branch_name": "机关办公室党支部", "branch_code": "0101",
                             "unit": "机关", "parent": "机关党委", "founded": "1998-07-01",
                             "term_years": "3"}
    assert [(c.post, c.name, c.start, c.end) for c in records.committee] == [
        ("secretary", "张伟", dt.date(2026, 3, 1), dt.date(2029, 2, 28))]
    assert records.counts == {"full": 2, "probationary": 1}
    assert [(m.row, m.name, m.category, m.joined) for m in records.members] == [
        (6, "张伟", "full", dt.date(2005, 7, 1)), (7, "李娜", "full", dt.date(2015, 6, 20)),
        (8, "王强", "probationary", dt.date(2026, 6, 28))]
    assert len(records.activities) == len(ACTIVITIES)
    assert records.activities[0].type == "committee"
    assert [(d.name, d.month, d.base, d.due, d.paid) for d in records.dues] == [
        ("张伟", 1, Decimal(6000), Decimal("90.00"), Decimal(90)),
        ("李娜", 1, Decimal(4000), Decimal("40.00"), Decimal(40)),
        ("王强", 7, Decimal(2800), Decimal("14.00"), Decimal(14))]
    assert records.admissions[0].dates["probationary"] == dt.date(2026, 6, 28)
    assert records.handover == ({"date": "2026-03-01", "from": "刘洋", "to": "张伟",
                                 "items": "手册、档案、印章、党费账目", "witness": "组织部王科长"},)


def test_every_problem_is_located_by_sheet_and_cell(fresh: Round) -> None:
    members = [
        MEMBERS[0],
        {**MEMBERS[1], "category": "党员"},
        {**MEMBERS[2], "full_date": dt.date(2026, 9, 1)},
        {"name": "孙丽", "category": "正式党员", "joined": "2019年7月1日",
         "full_date": dt.date(2019, 12, 1)},
        {"gender": "女", "category": "正式党员"},
    ]
    activities = [
        {**ACTIVITIES[0], "date": "2026-02-30"},
        {**ACTIVITIES[1], "type": "座谈会"},
        {**ACTIVITIES[2], "present": 30},
        {"date": 46100.0, "type": "党课", "topic": "serial number date"},
        {"date": dt.date(2025, 12, 30), "type": "党课"},
        {"topic": "没有日期和类型"},
    ]
    dues = [DUES[0], {**DUES[1], "base": "４０００元"}, {**DUES[2], "name": "钱多多", "month": 13},
            {"name": "张伟", "month": 2, "base": "很多"}]
    admissions = [
        {"name": "赵敏", "stage:application": dt.date(2025, 3, 1),
         "stage:talk": dt.date(2025, 5, 20), "stage:activist": dt.date(2025, 5, 1),
         "stage:candidate": dt.date(2026, 1, 1)},
        {"name": "周杰", "stage:activist": dt.date(2025, 1, 1),
         "stage:candidate": dt.date(2025, 6, 1)},
    ]
    fill_handbook(fresh, "0101", fresh.paths.inbox / "错.xlsx", members=members,
                  activities=activities, dues=dues, admissions=admissions,
                  counts={"full": 3, "probationary": 1},
                  basic={"founded": "去年", "term_years": 3.5},
                  committee={"secretary": ("张伟", dt.date(2026, 3, 1), dt.date(2025, 2, 28))},
                  handover=[{"field:date": "2026/13/1", "field:from": "刘洋"}])
    report = run(fresh)
    assert status_of(report, "错.xlsx") == "rejected"
    assert flat(report, "错.xlsx") == [
        ("基本情况", "B10", "handbook-date-invalid"),
        ("基本情况", "B12", "handbook-number-invalid"),
        ("基本情况", "D22", "handbook-date-order"),
        ("基本情况", "B31", "handbook-count-mismatch"),
        ("党员名册", "E7", "handbook-choice-invalid"),
        ("党员名册", "G8", "handbook-category-inconsistent"),
        ("党员名册", "F9", "handbook-date-text"),
        ("党员名册", "G9", "handbook-stage-too-early"),
        ("党员名册", "B10", "handbook-value-missing"),
        ("党员名册", "F10", "handbook-value-missing"),
        ("工作记录", "B6", "handbook-date-invalid"),
        ("工作记录", "C7", "handbook-choice-invalid"),
        ("工作记录", "E8", "handbook-present-exceeds"),
        ("工作记录", "B10", "handbook-date-outside-year"),
        ("工作记录", "B11", "handbook-value-missing"),
        ("工作记录", "C11", "handbook-value-missing"),
        ("党费收缴", "D7", "handbook-number-text"),
        ("党费收缴", "B8", "handbook-unknown-member"),
        ("党费收缴", "C8", "handbook-number-invalid"),
        ("党费收缴", "D9", "handbook-number-invalid"),
        ("发展党员", "D6", "handbook-stage-too-late"),
        ("发展党员", "E6", "handbook-date-order"),
        ("发展党员", "F6", "handbook-stage-too-early"),
        ("发展党员", "E7", "handbook-stage-skipped"),
        ("发展党员", "F7", "handbook-stage-too-early"),
        ("换届交接", "B6", "handbook-date-invalid"),
    ]
    outcome = report.files[0]
    messages = {(i.sheet, i.cell): i.message("zh-CN") for i in outcome.issues}
    assert messages[("发展党员", "F6")] == (
        "赵敏的“确定为发展对象”（2026-01-01）距“确定为入党积极分子”（2025-05-01）不足 12 个月，"
        "最早应为 2026-05-01。")
    assert messages[("发展党员", "E7")] == (
        "周杰填写了“确定为入党积极分子”，但没有填写此前的“递交入党申请书”、“党组织派人谈话”。")
    assert messages[("基本情况", "B31")] == "基本情况中正式党员为 3 人，党员名册中为 2 人。"
    assert messages[("党员名册", "F9")] == (
        "第 4 条记录的“入党日期”“2019年7月1日”是以文字填写的日期，按 2019-07-01 读取。")
    assert messages[("工作记录", "C7")] == (
        "第 2 条记录的“类型”“座谈会”不在下拉列表中（可选：支部党员大会、支部委员会、党小组会、党课、"
        "主题党日、组织生活会、民主评议党员、其他）。")
    assert messages[("党费收缴", "C8")] == "第 3 条记录的“月份”“13”不是有效的月份（1 至 12）。"
    with Ledger(fresh.paths.ledger) as ledger:
        assert ledger.current_submissions() == {}
    assert report.rejection_report is not None
    rejections = openpyxl.load_workbook(report.rejection_report)
    sheet = rejections["退回和提示"]
    assert [sheet.cell(5, col).value for col in (1, 2, 11, 3, 6, 7, 15)] == [
        "0101", "机关办公室党支部", "错.xlsx", "基本情况", "B10", 1, "handbook-date-invalid"]


def test_warnings_only_accept_and_dues_are_recomputed(fresh: Round) -> None:
    # The secretary typed over the dues formula with a wrong amount, and a date as text.
    fill_handbook(fresh, "0101", fresh.paths.inbox / "手册.xlsx",
                  dues=[*DUES, {"name": "张伟", "month": 2, "base": 6000, "paid": 60}],
                  edits={"党费收缴": {"G6": 60, "I7": "2026年1月10日"}})
    report = run(fresh)
    assert status_of(report, "手册.xlsx") == "accepted-with-warnings"
    assert flat(report, "手册.xlsx") == [("党费收缴", "G6", "handbook-dues-mismatch"),
                                       ("党费收缴", "I7", "handbook-date-text")]
    [mismatch, _] = report.files[0].issues
    assert mismatch.message("zh-CN") == (
        "文件中第 1 条记录的“应交（元）”为 60.00，按党费标准重新计算为 90.00，以重新计算的结果为准。")
    with Ledger(fresh.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0101"].payload
    assert [(d["due"], d["paid"]) for d in payload["records"]["dues"]] == [
        ("90.00", "90"), ("40.00", "40"), ("14.00", "14"), ("90.00", "60")]


def test_identity_is_signed_like_a_form(fresh: Round) -> None:
    # A handbook whose hidden identity was edited to claim another branch does not verify.
    fill_handbook(fresh, "0101", fresh.paths.inbox / "改.xlsx",
                  edits={"_meta": {"E2": "0102"}})
    report = run(fresh)
    assert flat(report, "改.xlsx") == [("_meta", "A2", "signature-invalid")]
    assert status_of(report, "改.xlsx") == "rejected"


def test_an_untouched_handbook_counts_as_missing(fresh: Round) -> None:
    fill_handbook(fresh, "0101", fresh.paths.inbox / "空.xlsx", basic={}, committee={},
                  counts={}, members=[], activities=[], dues=[], admissions=[], handover=[])
    report = run(fresh)
    assert flat(report, "空.xlsx") == [(None, None, "nothing-filled"),
                                      ("基本情况", None, "form-not-filled")]
    assert status_of(report, "空.xlsx") == "rejected"


def test_a_rearranged_sheet_is_not_misread(fresh: Round) -> None:
    fill_handbook(fresh, "0101", fresh.paths.inbox / "乱.xlsx",
                  edits={"工作记录": {"C5": "会议类型"}})
    report = run(fresh)
    assert flat(report, "乱.xlsx") == [("工作记录", "C5", "handbook-structure-changed")]


def test_a_newer_handbook_supersedes_the_older(fresh: Round) -> None:
    first = fill_handbook(fresh, "0101", fresh.paths.inbox / "1.xlsx")
    second = fill_handbook(fresh, "0101", fresh.paths.inbox / "2.xlsx",
                           activities=ACTIVITIES[:5])
    base = NOW.timestamp()
    for minutes, path in enumerate((first, second)):
        os.utime(path, (base + 60 * minutes, base + 60 * minutes))
    report = run(fresh)
    assert [(f.record.name, f.status) for f in report.files] == [
        ("1.xlsx", "superseded"), ("2.xlsx", "accepted")]
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()["handbook-0101"]
    assert len(current.payload["records"]["activities"]) == 5


def test_a_handbook_and_a_pack_in_one_collect(fresh: Round) -> None:
    from .crafted import filled

    filled(fresh, "0101", "0101.xlsx")
    fill_handbook(fresh, "0101", fresh.paths.inbox / "手册.xlsx", admissions=ADMISSIONS)
    report = run(fresh)
    assert sorted((f.record.name, f.status) for f in report.files) == [
        ("0101.xlsx", "accepted"), ("手册.xlsx", "accepted")]
    assert (report.expected_forms, report.current_forms) == (60, 4)


# -- table sizes ------------------------------------------------------------------------------


def sized_handbook(round_: Round, code: str, target: Path, members: int | None) -> Path:
    """Write ``code``'s handbook as if the roster gave ``members`` (None: no count)."""
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    plan = next(p for p in plan_handbooks(round_.config, handbook, round_.roster,
                                          NOW.isoformat()) if p.code == code)
    write_handbook(target, dataclasses.replace(plan, members=members), handbook, round_.config,
                   round_.key)
    return target


def test_the_roll_and_the_dues_follow_the_member_count(
        sample_round: tuple[Round, GenerateResult]) -> None:
    round_, _ = sample_round
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    assert [b.members for b in round_.roster.branches][6] == 68  # 0107
    assert [p.members for p in plan_handbooks(round_.config, handbook, round_.roster, "")] == [
        14, 11, 9, 8, 12, 23, 68, 37, 29, 41, 17, 26]
    book = openpyxl.load_workbook(handbook_file(round_, "0107"))
    assert unlocked(book["党员名册"]) == block("BCDEFGHIJ", 6, 95)  # 68 + 14 → 90 rows
    assert unlocked(book["党费收缴"]) == block("BCDEHIJ", 6, 1085)  # 90 × 12
    assert unlocked(book["工作记录"]) == block("BCDEFGH", 6, 205)  # the definition's 200
    assert book["党费收缴"]["A1085"].value == 1080
    assert book["党费收缴"].print_title_rows == "$5:$5"
    assert [table_rows(handbook, count)["members"] for count in (1, 9, 10, 40, 41, 50, 51)] == [
        20, 20, 20, 50, 60, 60, 70]
    assert table_rows(handbook, 5000) == {"members": 1000, "activities": 200, "dues": 12000,
                                          "admissions": 40, "handover": 20}


def test_without_a_member_count_the_definition_sizes_every_table(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, _ = sample_round
    book = openpyxl.load_workbook(sized_handbook(round_, "0101", tmp_path / "h.xlsx", None))
    assert unlocked(book["党员名册"]) == block("BCDEFGHIJ", 6, 155)
    assert unlocked(book["工作记录"]) == block("BCDEFGH", 6, 205)
    assert unlocked(book["党费收缴"]) == block("BCDEHIJ", 6, 605)
    assert unlocked(book["发展党员"]) == block("BCDEFGHI", 6, 45)
    assert unlocked(book["换届交接"]) == block("BCDEFG", 6, 25)


def test_the_definition_may_set_the_tables_sizes(tmp_path: Path) -> None:
    text = default_handbook_path("zh-CN").read_text(encoding="utf-8")
    assert "  activities: 200\n" in text
    path = tmp_path / "handbook.yaml"
    path.write_text(text.replace("  activities: 200\n", "  activities: 120\n").replace(
        "  members: 150\n", "  members: 80\n"), encoding="utf-8")
    handbook = load_handbook(path)
    assert table_rows(handbook, None) == {"members": 80, "activities": 120, "dues": 600,
                                          "admissions": 40, "handover": 20}
    assert table_rows(handbook, 68) == {"members": 90, "activities": 120, "dues": 1080,
                                        "admissions": 40, "handover": 20}
    path.write_text(text.replace("  dues: 600\n", "  dues: 0\n  meetings: 5\n"),
                    encoding="utf-8")
    _, problems = check_handbook(path)
    assert [p.render("en").split(": ", 1)[1] for p in problems] == [
        "'capacity.dues' must be a number of rows from 1 to 12000, got '0'",
        "'capacity' must be one of members | activities | dues | admissions | handover, "
        "got 'meetings'"]


def test_a_full_year_of_dues_for_68_members_is_read_back_exactly(fresh: Round) -> None:
    handbook = load_round_handbook(fresh.paths)
    assert handbook is not None
    members = [{"name": f"党员{n:02d}", "category": "正式党员", "joined": dt.date(1990, 7, 1)}
               for n in range(1, 69)]
    dues = [{"name": f"党员{n:02d}", "month": month, "base": 2000 + 137 * n,
             "paid_on": dt.date(2026, month, 8)} for month in range(1, 13) for n in range(1, 69)]
    fill_handbook(fresh, "0107", fresh.paths.inbox / "手册.xlsx", members=members, dues=dues,
                  counts={"full": 68, "probationary": 0}, admissions=[])
    report = run(fresh)
    assert (status_of(report, "手册.xlsx"), flat(report, "手册.xlsx")) == ("accepted", [])
    with Ledger(fresh.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0107"].payload
    records = HandbookRecords.from_payload(payload["records"])
    assert len(records.dues) == 68 * 12 == 816
    assert [(d.row, d.name, d.month, d.base, d.due) for d in records.dues] == [
        (6 + index, entry["name"], entry["month"], Decimal(entry["base"]),
         dues_due(handbook.dues, Decimal(entry["base"]), retired=False))
        for index, entry in enumerate(dues)]
    assert [m.name for m in records.members] == [m["name"] for m in members]


def test_a_handbook_of_the_old_fixed_size_is_still_read(fresh: Round) -> None:
    # Written before the sizes followed the roster: 150 members, 600 dues rows.
    source = sized_handbook(fresh, "0101", fresh.paths.root / "old.xlsx", None)
    fill_handbook(fresh, "0101", fresh.paths.inbox / "旧.xlsx", source=source,
                  edits={"党费收缴": {"B605": "张伟", "C605": 12, "D605": 6000}})
    report = run(fresh)
    assert (status_of(report, "旧.xlsx"), flat(report, "旧.xlsx")) == ("accepted", [])
    with Ledger(fresh.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0101"].payload
    records = HandbookRecords.from_payload(payload["records"])
    assert [(d.row, d.name, d.month, d.due) for d in records.dues][-2:] == [
        (8, "王强", 7, Decimal("14.00")), (605, "张伟", 12, Decimal("90.00"))]


def test_entries_typed_below_a_table_are_read_with_a_warning(fresh: Round) -> None:
    # 0101's dues table ends at row 365; the secretary lifted the protection and went on.
    fill_handbook(fresh, "0101", fresh.paths.inbox / "多.xlsx",
                  edits={"党费收缴": {"B366": "张伟", "C366": 2, "D366": 6000,
                                  "B370": "李娜", "C370": 2, "D370": 4000}})
    report = run(fresh)
    assert status_of(report, "多.xlsx") == "accepted-with-warnings"
    assert flat(report, "多.xlsx") == [("党费收缴", "B366", "handbook-rows-below-table")]
    assert report.files[0].issues[0].message("zh-CN") == (
        "工作表“党费收缴”的表格共 360 行，表格以下又填写了 2 行，已一并读取。")
    with Ledger(fresh.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0101"].payload
    records = HandbookRecords.from_payload(payload["records"])
    assert [(d.row, d.name, d.due) for d in records.dues][-3:] == [
        (8, "王强", Decimal("14.00")), (366, "张伟", Decimal("90.00")),
        (370, "李娜", Decimal("40.00"))]


# -- printing -----------------------------------------------------------------------------------


def test_each_table_prints_its_head_and_a_page_of_rows(generated: openpyxl.Workbook) -> None:
    assert {name: generated[name].print_area for name in INPUT_SHEETS} == {
        "基本情况": "'基本情况'!$A$1:$E$33", "党员名册": "'党员名册'!$A$1:$J$30",
        "工作记录": "'工作记录'!$A$1:$H$30", "党费收缴": "'党费收缴'!$A$1:$J$30",
        "发展党员": "'发展党员'!$A$1:$I$30", "换届交接": "'换届交接'!$A$1:$G$25"}
    assert generated["工作记录"].print_title_rows == "$5:$5"
    sheet = generated["党费收缴"]
    assert sheet.oddHeader.center.text == "机关办公室党支部（0101）    党支部工作手册：党费收缴"
    assert (sheet.oddFooter.left.text, sheet.oddFooter.center.text,
            sheet.oddFooter.right.text) == ("0101 机关办公室党支部", "第 &P 页，共 &N 页", "党费收缴")
    assert generated["使用说明"].oddHeader.center.text == (
        "机关办公室党支部（0101）    党支部工作手册：使用说明")


def test_a_prefilled_roll_prints_whole(sample_round: tuple[Round, GenerateResult],
                                       tmp_path: Path) -> None:
    round_, _ = sample_round
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    plan = next(p for p in plan_handbooks(round_.config, handbook, round_.roster,
                                          NOW.isoformat()) if p.code == "0101")
    roll = tuple(Member(0, f"党员{n}", "full", dt.date(2000, 1, 1)) for n in range(1, 41))
    write_handbook(tmp_path / "h.xlsx", plan, handbook, round_.config, round_.key,
                   HandbookRecords(members=roll))
    book = openpyxl.load_workbook(tmp_path / "h.xlsx")
    # 40 carried over, more than the roster's 14: the roll grows to 50 rows and prints 40.
    assert unlocked(book["党员名册"]) == block("BCDEFGHIJ", 6, 55)
    assert book["党员名册"].print_area == "'党员名册'!$A$1:$J$45"
    assert book["党员名册"]["B45"].value == "党员40"


@pytest.mark.parametrize(("name", "header", "footer"), [
    ("A&B党支部", "A&&B党支部（0101）", "0101 A&&B党支部"),
    ("3号楼" + "长" * 40, "3号楼" + "长" * 36 + "…（0101）", "0101 3号楼" + "长" * 12 + "…"),
])
def test_page_headers_escape_and_shorten_the_branch_name(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path, name: str, header: str,
        footer: str) -> None:
    round_, _ = sample_round
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    plan = next(p for p in plan_handbooks(round_.config, handbook, round_.roster,
                                          NOW.isoformat()) if p.code == "0101")
    write_handbook(tmp_path / "h.xlsx", dataclasses.replace(plan, name=name), handbook,
                   round_.config, round_.key)
    with zipfile.ZipFile(tmp_path / "h.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet7.xml").decode("utf-8")  # 工作记录
    escaped = header.replace("&", "&amp;")
    assert f"<oddHeader>&amp;C&amp;9 {escaped}    党支部工作手册：工作记录</oddHeader>" in xml
    assert f"<oddFooter>&amp;L&amp;9 {footer.replace('&', '&amp;')}&amp;C" in xml
