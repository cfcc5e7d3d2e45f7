"""Schemes: the shipped defaults, YAML and Excel loading, and located problems."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetops.cli.main import main
from sheetops.model.scheme import ID_PATTERN
from sheetops.model.scheme_file import default_scheme_path, load_scheme

SECTION_TITLES = ["班子建设", "党员教育和管理", "党风党纪建设", "发展党员工作", "职工思想政治工作",
                  "基础工作"]


def test_default_scheme_has_the_six_sections_of_the_source() -> None:
    scheme = load_scheme(default_scheme_path("zh-CN"))
    assert [s.title for s in scheme.sections] == SECTION_TITLES
    assert sum(item.max for item in scheme.items) == Decimal(100) == scheme.total
    assert all(4 <= len(s.items) <= 8 for s in scheme.sections)
    assert all(ID_PATTERN.fullmatch(item.id) for item in scheme.items)
    assert [v.id for v in scheme.vetoes] == ["disunity", "task_failure", "discipline"]
    assert [(g.name, g.min) for g in scheme.grades] == [
        ("先进", Decimal(95)), ("合格", Decimal(60)), ("不合格", Decimal(0))]
    assert scheme.pending_grade == "待定"
    for item in scheme.items:
        assert item.max % item.step == 0
        assert "得满分" in item.rule and item.rule.endswith("扣完为止。"), item.id
        for deduction in re.findall(r"扣(\d+(?:\.\d+)?)分", item.rule):
            assert Decimal(deduction) % Decimal("0.5") == 0, item.id


def test_english_edition_matches_the_chinese_one() -> None:
    zh = load_scheme(default_scheme_path("zh-CN"))
    en = load_scheme(default_scheme_path("en"))
    assert en.language == "en"
    assert [(i.id, i.max, i.step) for i in en.items] == [(i.id, i.max, i.step) for i in zh.items]
    assert [s.id for s in en.sections] == [s.id for s in zh.sections]
    assert [v.id for v in en.vetoes] == [v.id for v in zh.vetoes]
    assert [g.min for g in en.grades] == [g.min for g in zh.grades]
    assert [g.name for g in en.grades] == ["Advanced", "Qualified", "Unqualified"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_export_loads_back_equal(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "scheme.xlsx"
    result = CliRunner().invoke(main, ["scheme", "export", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    original = load_scheme(default_scheme_path(lang))
    title = original.title
    expected = (f"已导出考核方案“{title}”到 {out}。\n" if lang == "zh-CN"
                else f"Exported scoring scheme '{title}' to {out}.\n")
    assert result.output == expected
    assert load_scheme(out) == original
    assert load_scheme(out).hash == original.hash
    sheets = openpyxl.load_workbook(out).sheetnames
    assert sheets == (["基本信息", "考核项目", "否决事项", "等级"] if lang == "zh-CN"
                      else ["scheme", "items", "vetoes", "grades"])


def test_check_accepts_the_default() -> None:
    path = default_scheme_path("zh-CN")
    result = CliRunner().invoke(main, ["scheme", "check", str(path)])
    assert result.exit_code == 0
    assert result.output == (
        f"考核方案 {path} 检查通过：6 个板块，36 个考核项目，满分 100 分，3 项一票否决事项。\n"
    )


BAD_YAML = """\
id: test-scheme
version: "1"
language: zh-CN
title: 测试方案
total: 100
pending_grade: 待定
grades:
  - {name: 先进, min: 95}
  - {name: 合格, min: 60}
  - {name: 不合格, min: 0}
sections:
  - id: lead
    title: 班子建设
    items:
      - {id: lead_a, target: 目标A, rule: 规则A, max: 50}
      - {id: lead_a, target: 目标B, rule: 规则B, max: 30.3}
      - {id: 2bad, target: "", rule: 规则C, max: 10}
  - id: edu
    title: ""
    items:
      - {id: edu_a, target: 目标, rule: 规则, max: 5, step: 2}
vetoes:
  - {id: disunity, text: 班子是否不团结？}
"""


def test_check_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")
    result = CliRunner().invoke(main, ["scheme", "check", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"考核方案 {path} 有 7 处问题：\n"
        "  bad.yaml:16: 代码“lead_a”重复（首次出现在 bad.yaml:15）\n"
        "  bad.yaml:16: 分值 30.3 不是步长 0.5 的整数倍\n"
        "  bad.yaml:17: 代码“2bad”格式不对：须以英文字母开头，只含英文字母、数字和下划线，"
        "不超过 40 个字符\n"
        "  bad.yaml:17: “target（考核内容）”不能为空\n"
        "  bad.yaml:19: “title（名称）”不能为空\n"
        "  bad.yaml:21: 分值 5 不是步长 2 的整数倍\n"
        "  bad.yaml:5: 各项分值合计 95.3 分，与满分 100 分不符\n"
    )


def test_check_speaks_english_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML.replace("max: 30.3", "max: 30"), encoding="utf-8")
    result = CliRunner().invoke(main, ["scheme", "check", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"scoring scheme {path} has 6 problem(s):"
    assert "  bad.yaml:17: 'target' must not be empty" in result.output.splitlines()


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("考核项目", "F2", 3.3), "考核项目!F2: 分值 3.3 不是步长 0.5 的整数倍\n"
         "  基本信息!B6: 各项分值合计 100.3 分，与满分 100 分不符"),
        (("考核项目", "F2", "三分"), "考核项目!F2: “max（分值）”应为数字，实际为“三分”"),
        (("考核项目", "C3", "leadership_study"),
         "考核项目!C3: 代码“leadership_study”重复（首次出现在 考核项目!C2）"),
        (("考核项目", "E4", None), "考核项目!E4: “rule（评分标准）”不能为空"),
        (("否决事项", "A2", "veto-1"),
         "否决事项!A2: 代码“veto-1”格式不对：须以英文字母开头，只含英文字母、数字和下划线，"
         "不超过 40 个字符"),
        (("基本信息", "B6", 90), "基本信息!B6: 各项分值合计 100 分，与满分 90 分不符"),
    ],
)
def test_check_locates_problems_in_the_workbook(
    tmp_path: Path, edit: tuple[str, str, object], expected: str
) -> None:
    path = tmp_path / "scheme.xlsx"
    assert CliRunner().invoke(main, ["scheme", "export", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    sheet, address, value = edit
    book[sheet][address] = value
    book.save(path)
    result = CliRunner().invoke(main, ["scheme", "check", str(path)])
    assert result.exit_code == 1
    count = expected.count("\n") + 1
    assert result.output == f"考核方案 {path} 有 {count} 处问题：\n  {expected}\n"


def test_check_names_a_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / "scheme.xlsx"
    assert CliRunner().invoke(main, ["scheme", "export", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    del book["否决事项"]
    book.save(path)
    result = CliRunner().invoke(main, ["scheme", "check", str(path)])
    assert result.output == f"考核方案 {path} 有 1 处问题：\n  scheme.xlsx: 缺少工作表“vetoes”\n"


def test_unreadable_scheme_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scheme", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"错误：无法读取考核方案 {path}：")
    assert 'in "broken.yaml", line 1, column 5' in result.output  # where, by the file's name


def test_vetoes_have_the_names_people_call_them() -> None:
    zh = load_scheme(default_scheme_path("zh-CN"))
    assert [(v.id, v.name) for v in zh.vetoes] == [
        ("disunity", "班子不团结"), ("task_failure", "未完成年度任务"), ("discipline", "党纪处分")]
    assert zh.vetoes[2].label == "党纪处分"
    en = load_scheme(default_scheme_path("en"))
    assert [v.name for v in en.vetoes] == [
        "Leadership disunity", "Annual tasks not done", "Party discipline"]


def test_a_scheme_without_veto_names_keeps_its_document(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(BAD_YAML.replace("      - {id: lead_a, target: 目标B, rule: 规则B, max: 30.3}\n"
                                     "      - {id: 2bad, target: \"\", rule: 规则C, max: 10}\n", "")
                    .replace('title: ""', "title: 教育").replace("max: 5, step: 2", "max: 50"),
                    encoding="utf-8")
    scheme = load_scheme(path)
    assert scheme.vetoes[0].label == "班子是否不团结？"  # no name: the question
    assert scheme.to_document()["vetoes"] == [{"id": "disunity", "text": "班子是否不团结？"}]


def test_veto_names_are_unique_and_no_other_vetos_id(tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(BAD_YAML.split("sections:")[0] + """\
sections:
  - id: lead
    title: 班子建设
    items:
      - {id: lead_a, target: 目标A, rule: 规则A, max: 100}
vetoes:
  - {id: disunity, name: 不团结, text: 班子是否不团结？}
  - {id: other, name: 不团结, text: 另一个问题？}
  - {id: third, name: disunity, text: 第三个问题？}
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["scheme", "check", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"考核方案 {path} 有 2 处问题：\n"
        "  names.yaml:18: 否决事项名称“不团结”重复或与另一事项的代码相同（首次出现在 names.yaml:17）\n"
        "  names.yaml:17: 否决事项名称“disunity”重复或与另一事项的代码相同（首次出现在 names.yaml:19）\n"
    )
