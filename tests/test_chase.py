"""The chase list workbook (``status --xlsx``): one row per recipient who owes something."""

from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner

from sheetops.app.chase import chase_round
from sheetops.app.collect import collect_round
from sheetops.cli.main import main
from sheetops.model.workspace import Round

from .conftest import NOW
from .crafted import filled


def rows_of(path: str) -> list[list[str]]:
    sheet = openpyxl.load_workbook(path)["催交清单"]
    return [[c.value or "" for c in row] for row in sheet.iter_rows(min_row=4)]


def test_the_chase_list_names_who_owes_what_and_why(fresh: Round) -> None:
    filled(fresh, "0101", "0101.xlsx")
    filled(fresh, "0102", "0102.xlsx", edits={"自评": {"F9": "很好"}})
    collect_round(fresh, now=NOW)
    result = CliRunner().invoke(main, ["status", str(fresh.paths.root), "--xlsx"])
    assert result.exit_code == 0, result.output
    path = fresh.paths.reports / "chase-2026-year-end.xlsx"
    assert result.output.splitlines()[-1] == f"催交清单：{path}"
    rows = rows_of(str(path))
    assert rows[0] == ["序号", "代码", "单位名称", "类别", "书记", "联系电话", "邮箱", "未交的表",
                       "被退回的表及原因", "待审核的表", "上次催交", "联系记录"]
    by_code = {row[1]: row for row in rows[1:]}
    assert "0101" not in by_code  # every form in
    branch = fresh.roster.branch("0102")
    assert by_code["0102"] == [
        "1", "0102", "组织人事处党支部", "支部", "李秀英", "13800000102", branch.email, "",
        "自评：F9 第3项“落实党建工作责任制，支部书记履行…”的得分“很好”不是数字。", "",
        "未催交", ""]
    inspector = by_code["X01"]
    assert inspector[2:4] == [fresh.roster.inspectors[0].name, "巡查"]
    assert inspector[4:6] == ["", ""]  # the roster has no secretary or phone for inspectors
    assert inspector[7].startswith("考评-0101、考评-0102")
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]
    # Printed A4 landscape, one page wide, the header repeated on every page.
    sheet = openpyxl.load_workbook(path)["催交清单"]
    setup = sheet.page_setup
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (setup.orientation, setup.fitToWidth in (None, 1), setup.fitToHeight) == (
        "landscape", True, 0)
    assert sheet.print_title_rows == "$4:$4"


def test_nothing_owed_says_so(fresh: Round) -> None:
    for code in [b.code for b in fresh.roster.branches] + [i.code for i in fresh.roster.inspectors]:
        filled(fresh, code, f"{code}.xlsx")
    collect_round(fresh, now=NOW)
    path = chase_round(fresh, now=dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC))
    sheet = openpyxl.load_workbook(path)["催交清单"]
    assert sheet["A2"].value == ("截至 2026-12-10 09:00，尚有 0 个单位未交齐（截止日期 "
                                 f"{fresh.config.deadline.isoformat()}）。请逐一电话联系，"
                                 "并在“联系记录”栏记下情况。")
    assert sheet["A5"].value == "全部评分表均已收齐，无需催交。"
