"""From generate to ``rank --json``, and the summary workbook checked by content."""

from __future__ import annotations

import datetime as dt
import json
import re
import weakref
import zipfile
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NoReturn

import click
import openpyxl
import pytest
from click.testing import CliRunner

from sheetops.app import rank
from sheetops.app.collect import collect_round
from sheetops.app.rank import form_scores, rank_round
from sheetops.cli.main import main
from sheetops.cli.rank import echo_rank
from sheetops.layout.packs import HANDBOOK
from sheetops.ledger import store
from sheetops.model.scheme import Item
from sheetops.model.workspace import Round, open_round
from sheetops.reports import summary
from sheetops.scoring.merge import FormScores

from .conftest import NOW
from .crafted import filled

CODES = [f"01{i:02d}" for i in range(1, 13)]
DEDUCTED_ITEMS = (1, 2, 3)  # maxima 5, 4, 4: each loses the deduction, total = 100 - 3 × it
HOSTILE_NOTE = '=HYPERLINK("http://example.org","点这里")'


def deduction(role: str, rater: str, target: str) -> Decimal:
    k = CODES.index(target) + 1
    if role == "self":
        return Decimal(1) if target == "0104" else Decimal(0)
    if role == "peer":
        return Decimal(k % 3) / 2 + Decimal(int(rater) % 2) / 2
    return Decimal(k % 8) / 2  # inspector


def scorer(form_id: str, index: int, item: Item) -> float:
    role, *rest = form_id.split("-")
    rater, target = (rest[0], rest[0]) if role == "self" else (rest[-2], rest[-1])
    off = deduction(role, rater, target) if index in DEDUCTED_ITEMS else Decimal(0)
    return float(item.max - off)


@pytest.fixture
def ranked_round(fresh: Round) -> Round:
    """Every pack returned with known scores; 0106 vetoed by its inspector; 0112 not inspected."""
    for code in CODES:
        filled(fresh, code, f"{code}.xlsx", score=scorer)
    filled(fresh, "X01", "X01.xlsx", score=scorer,
           edits={"考评-0106": {"F54": "是", "G54": HOSTILE_NOTE}})
    filled(fresh, "X02", "X02.xlsx", score=scorer, skip=("inspector-X02-0112",))
    collect_round(fresh, now=NOW)
    return fresh


def expected_results(round_: Round) -> dict[str, dict[str, object]]:
    """The ranking computed here from the deductions, independently of the library."""
    peers: dict[str, list[str]] = {c: [] for c in CODES}
    for pack in __import__("sheetops.layout.packs", fromlist=["plan_packs"]).plan_packs(
            round_.config, round_.scheme, round_.roster, generated_at=""):
        for form in pack.forms:
            if form.identity.role == "peer":
                peers[form.identity.target].append(form.identity.rater)
    out: dict[str, dict[str, object]] = {}
    for code in CODES:
        self_total = 100 - 3 * deduction("self", code, code)
        peer_total = sum(100 - 3 * deduction("peer", r, code) for r in peers[code]) / 3
        inspector = None if code == "0112" else 100 - 3 * deduction("inspector", "X", code)
        if inspector is None:
            score = None
        else:
            raw = Decimal("0.2") * self_total + Decimal("0.3") * peer_total + Decimal(
                "0.5") * inspector
            score = raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        out[code] = {"self": self_total, "peer": peer_total.quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP), "inspector": inspector, "score": score}
    return out


def test_rank_json_matches_an_independent_computation(ranked_round: Round) -> None:
    result = CliRunner().invoke(main, ["rank", str(ranked_round.paths.root), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    expected = expected_results(ranked_round)
    by_code = {b["code"]: b for b in document["branches"]}
    for code, values in expected.items():
        branch = by_code[code]
        assert branch["score"] == (None if values["score"] is None else float(values["score"]))
        assert branch["roles"] == {
            "self": float(values["self"]), "peer": float(values["peer"]),
            "inspector": None if values["inspector"] is None else float(values["inspector"])}
    ranked = sorted((c for c in CODES if c not in ("0106", "0112")),
                    key=lambda c: (-expected[c]["score"], -expected[c]["inspector"]))  # type: ignore[operator]
    assert [b["code"] for b in document["branches"]] == [*ranked, "0106", "0112"]
    assert [b["rank"] for b in document["branches"]][:10] == list(range(1, 11))
    vetoed, pending = by_code["0106"], by_code["0112"]
    assert (vetoed["grade"], vetoed["vetoed"], vetoed["veto_ids"], vetoed["rank"]) == (
        "不合格", True, ["discipline"], None)
    assert (pending["grade"], pending["rank"], pending["complete"], pending["pending"]) == (
        "待定", None, False, True)
    grades = {b["code"]: b["grade"] for b in document["branches"]}
    advanced = [c for c in ranked if expected[c]["score"] >= 95]  # type: ignore[operator]
    assert [b["code"] for b in document["branches"] if b["grade"] == "先进"] == advanced
    assert 0 < len(advanced) < 10
    assert {grades[c] for c in ranked if c not in advanced} == {"合格"}
    assert set(by_code["0101"]["sections"]) == {s.id for s in ranked_round.scheme.sections}
    library = rank_round(open_round(ranked_round.paths.root)).to_json()
    assert document == library


def test_rank_text_output(ranked_round: Round) -> None:
    result = CliRunner().invoke(main, ["rank", str(ranked_round.paths.root)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "已排名：10 个支部参加排名，1 个被一票否决，1 个待定（缺少考评分）。"
    assert lines[-4] == "     —  0112  设计研究院党支部  —  待定"
    assert lines[-5].startswith("     —  0106  后勤服务中心党支部  ")
    assert lines[-5].endswith("不合格（一票否决：党纪处分）")
    # Every veto that decides a grade is spelled out, with who declared it and why (as text:
    # the branch wrote it, and it reaches the terminal stripped of control characters).
    assert lines[-3] == ("一票否决：0106 后勤服务中心党支部，“党纪处分”，巡查组 X01 考评："
                         "=HYPERLINK(\"http://example.org\",\"点这里\")")
    summary = ranked_round.paths.reports / "summary-2026-year-end.xlsx"
    assert lines[-1] == f"汇总表：{summary}"


def test_summary_workbook_content(ranked_round: Round) -> None:
    rank_round(ranked_round, now=NOW)
    path = ranked_round.paths.reports / "summary-2026-year-end.xlsx"
    assert not list(ranked_round.paths.reports.glob(".*tmp*"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["排名", "分项得分", "先进名单", "先进名单（不列分数）", "收交情况",
                               "评分明细", "评分分析", "计算方法", "得分图"]
    ranking = book["排名"]
    assert [c.value for c in ranking[3]] == ["名次", "代码", "支部名称", "综合得分", "等级",
                                            "否决原因", "自评", "互评", "考评", "互评份数",
                                            "评分完整"]
    assert ranking.freeze_panes == "A4"
    assert ranking.auto_filter.ref == "A3:K15"
    rows = [[c.value for c in row] for row in ranking.iter_rows(min_row=4)]
    assert [row[1] for row in rows][-2:] == ["0106", "0112"]
    top = rows[0]
    expected = expected_results(ranked_round)[top[1]]
    assert (top[0], top[3], top[4]) == (1, float(expected["score"]), "先进")  # type: ignore[arg-type]
    assert ranking["E4"].fill.fgColor.rgb == "FFC6EFCE"
    vetoed_row = rows[-2]
    assert vetoed_row[0] == "—" and vetoed_row[4] == "不合格"
    assert vetoed_row[5] == f"考核年度内，支部是否有党员受到党纪政纪处分？（考评 X01：{HOSTILE_NOTE}）"
    assert ranking.cell(len(rows) + 2, 6).data_type == "s"
    assert rows[-1][3] == "—" and rows[-1][4] == "待定"

    sections = book["分项得分"]
    assert sections["C3"].value == "班子建设\n（满分 20）"
    assert sections["D3"].value == "差距"

    detail = book["评分明细"]
    assert detail.max_row - 3 == (12 + 36 + 11) * 36
    notes = [row for row in detail.iter_rows(min_row=4, values_only=True)
             if row[4] == "inspector-X01-0106"]
    assert len(notes) == 36 and notes[0][12] and notes[0][13]
    for row in detail.iter_rows(min_row=4):
        for cell in row:
            assert cell.data_type != "f"

    advanced = book["先进名单"]
    listed = [row for row in advanced.iter_rows(min_row=4, values_only=True)]
    winners = [row[1] for row in listed[:listed.index((None,) * 6)]]
    assert winners and winners == [ranking.cell(r, 3).value for r in range(4, 4 + len(winners))]
    assert [row[0] for row in listed[:len(winners)]] == list(range(1, len(winners) + 1))
    # the signature: no issuer set, so only the date of ranking (the round's time zone)
    assert listed[len(winners) + 1][1] is None
    assert listed[len(winners) + 2][1] == f"{NOW.year}年{NOW.month}月{NOW.day}日"
    assert advanced.page_setup.paperSize == 9
    names = [row for row in book["先进名单（不列分数）"].iter_rows(min_row=3, values_only=True)]
    assert names[0] == ("序号", "支部名称", "支部书记")
    assert [row[1] for row in names[1:1 + len(winners)]] == winners  # by rank, the default

    returns = book["收交情况"]
    assert returns.max_row - 3 == 60
    statuses = [row[4] for row in returns.iter_rows(min_row=4, values_only=True)]
    assert statuses.count("未交") == 1

    method = {row[0]: row[1] for row in book["计算方法"].iter_rows(min_row=4, values_only=True)}
    assert method["权重"] == "自评 0.2，互评 0.3，考评 0.5"
    assert method["方案指纹"] == ranked_round.scheme.hash
    with zipfile.ZipFile(path) as archive:
        assert "xl/charts/chart1.xml" in archive.namelist()
        # its data sits in hidden columns: Excel plots them only when told to
        assert b"<c:plotVisOnly" not in archive.read("xl/charts/chart1.xml")  # hidden shown


def test_a_detail_beyond_one_worksheet_continues_on_more_sheets(
        ranked_round: Round, monkeypatch: pytest.MonkeyPatch) -> None:
    path = ranked_round.paths.reports / "summary-2026-year-end.xlsx"
    rank_round(ranked_round)
    whole = [row for row in openpyxl.load_workbook(path)["评分明细"].iter_rows(
        min_row=4, values_only=True)]
    monkeypatch.setattr(summary, "DETAIL_ROWS", 36 * 25 + 20)  # 25 forms a sheet
    rank_round(ranked_round)
    book = openpyxl.load_workbook(path)
    # 59 forms: 25 + 25 + 9, each form whole on one sheet.
    assert book.sheetnames[5:9] == ["评分明细", "评分明细（2）", "评分明细（3）", "评分分析"]
    parts = [book[name] for name in book.sheetnames[5:8]]
    assert [sheet.max_row - 3 for sheet in parts] == [25 * 36, 25 * 36, 9 * 36]
    assert parts[2]["A1"].value == "2026年度党支部建设目标管理年终考核：评分明细（续，第 3 张，共 3 张）"
    assert all(sheet.freeze_panes == "A4" and sheet.auto_filter.ref == f"A3:N{sheet.max_row}"
               for sheet in parts)
    assert [row for sheet in parts
            for row in sheet.iter_rows(min_row=4, values_only=True)] == whole


def test_committee_veto_command(ranked_round: Round) -> None:
    root = str(ranked_round.paths.root)
    runner = CliRunner()
    result = runner.invoke(main, ["veto", root, "0101", "未完成年度任务", "--note",
                                  "未完成党委部署的专项整治任务"])
    assert result.exit_code == 0
    assert result.output == (
        "已记录：0101 机关办公室党支部 因“未完成年度任务”（task_failure）一票否决。"
        "依据：未完成党委部署的专项整治任务\n"
        f"重新运行 sheetops rank {root} 更新排名。\n")
    document = json.loads(runner.invoke(main, ["rank", root, "--json"]).stdout)
    branch = next(b for b in document["branches"] if b["code"] == "0101")
    assert (branch["vetoed"], branch["veto_ids"], branch["rank"]) == (True, ["task_failure"], None)

    result = runner.invoke(main, ["veto", root, "0101", "task_failure", "--remove", "--note",
                                  "经复核已完成"])
    assert result.output.splitlines()[0] == (
        "已撤销 0101 机关办公室党支部 的“未完成年度任务”（task_failure）否决（1 条）。"
        "说明：经复核已完成")
    document = json.loads(runner.invoke(main, ["rank", root, "--json"]).stdout)
    assert next(b for b in document["branches"] if b["code"] == "0101")["vetoed"] is False


@pytest.mark.parametrize(
    "args, message",
    [
        (["9999", "discipline", "--note", "x"],
         "错误：名册中没有代码为“9999”的支部。请填写名册中的支部代码（如 0101，前面的 0 不能省略）"
         "或支部全称\n"),
        (["101", "discipline", "--note", "x"],
         "错误：名册中没有代码为“101”的支部。您是不是要找 0101 机关办公室党支部？"
         "请填写名册中的支部代码或支部全称\n"),
        (["机关办公室", "discipline", "--note", "x"],
         "错误：名册中没有代码为“机关办公室”的支部。您是不是要找 0101 机关办公室党支部？"
         "请填写名册中的支部代码或支部全称\n"),
        (["0101", "corruption", "--note", "x"],
         "错误：考核方案中没有否决事项“corruption”，可选：班子不团结（disunity）、"
         "未完成年度任务（task_failure）、党纪处分（discipline）\n"),
        (["0101", "党纪", "--note", "x"],
         "错误：考核方案中没有否决事项“党纪”，可选：班子不团结（disunity）、"
         "未完成年度任务（task_failure）、党纪处分（discipline）\n"),
        (["0101", "discipline", "--note", "  "], "错误：请用 --note 写明否决依据\n"),
    ],
)
def test_veto_errors(fresh: Round, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["veto", str(fresh.paths.root), *args])
    assert (result.exit_code, result.output) == (1, message)


def test_rank_before_any_return(fresh: Round, tmp_path: Path) -> None:
    document = json.loads(CliRunner().invoke(main, ["rank", str(fresh.paths.root),
                                                    "--json"]).stdout)
    assert {b["grade"] for b in document["branches"]} == {"待定"}
    assert all(b["rank"] is None for b in document["branches"])


def test_results_export_has_stable_columns(ranked_round: Round) -> None:
    report = rank_round(ranked_round)
    csv_path, json_path = report.exports
    assert csv_path.name == "results-2026-year-end.csv"
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    sections = ",".join(f"section_{s.id}" for s in ranked_round.scheme.sections)
    assert lines[0] == ("round,code,name,rank,score,grade,vetoed,veto_ids,pending,complete,self,"
                        f"peer,inspector,this_round,combined_with,previous,change,{sections}")
    document = json.loads(json_path.read_text("utf-8"))
    assert document["columns"] == lines[0].split(",")
    first = document["results"][0]
    assert first["rank"] == 1 and first["round"] == "2026-year-end"
    vetoed = next(r for r in document["results"] if r["code"] == "0106")
    assert (vetoed["vetoed"], vetoed["veto_ids"], vetoed["rank"]) == (True, "discipline", None)
    row = next(line for line in lines if line.startswith("2026-year-end,0106,"))
    assert ",true,discipline,false,true," in row


def feedback_file(round_: Round, code: str) -> str:
    return f"{code}-{round_.roster.branch(code).name}-考核反馈.xlsx"


def test_feedback_workbooks(ranked_round: Round) -> None:
    root = str(ranked_round.paths.root)
    # X02 has not returned 0112's inspection: feedback now would be provisional.
    refused = CliRunner().invoke(main, ["feedback", root])
    assert refused.exit_code == 1
    assert "还有 1 张评分表未收齐、被退回或待审核" in refused.output
    result = CliRunner().invoke(main, ["feedback", root, "--provisional"])
    folder = ranked_round.paths.reports / "feedback"
    assert result.output == f"已为 12 个支部生成考核反馈表：{folder}\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        feedback_file(ranked_round, c) for c in CODES)
    ranking = {b["code"]: b for b in rank_round(ranked_round).to_json()["branches"]}
    sheet = openpyxl.load_workbook(folder / feedback_file(ranked_round, "0105"))["考核反馈"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert values[2] == ("初步结果：尚有 1 张评分表未收齐或待重交，以下得分、等级和名次还可能变化，"
                         "最终结果以考核办正式通报为准。")
    branch = ranking["0105"]
    assert f"综合得分 {branch['score']:.2f} 分，等级：{branch['grade']}，在 10 个参加排名的支部中列第 {branch['rank']} 名。" in values
    assert "一、各板块得分" in values and "二、失分较多的项目" in values
    # Peers are anonymous by default; the inspector is named.
    notes = [v for v in values if isinstance(v, str) and "台账记录不全" in v]
    assert notes and all("互评单位" in v or v.startswith("X0") for v in notes)
    vetoed = openpyxl.load_workbook(folder / feedback_file(ranked_round, "0106"))["考核反馈"]
    texts = [c.value for row in vetoed.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("因一票否决不参加排名" in t for t in texts)
    assert f"一票否决：考核年度内，支部是否有党员受到党纪政纪处分？ 情况说明：{HOSTILE_NOTE}" in texts
    named = CliRunner().invoke(main, ["feedback", root, "--name-peers", "--provisional"])
    assert named.exit_code == 0
    sheet = openpyxl.load_workbook(folder / feedback_file(ranked_round, "0105"))["考核反馈"]
    assert not any("互评单位" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_compare_with_a_previous_round(ranked_round: Round) -> None:
    import shutil

    previous = ranked_round.paths.root.parent / "previous"
    shutil.copytree(ranked_round.paths.root, previous)
    lines = ranked_round.paths.config.read_text("utf-8").splitlines()
    index = lines.index("[compare]")
    lines[index + 2] = 'round = "../previous"'
    ranked_round.paths.config.write_text("\n".join(lines) + "\n", "utf-8")
    document = rank_round(open_round(ranked_round.paths.root)).to_json()
    for branch in document["branches"]:
        if branch["score"] is not None:
            assert branch["previous"] == branch["score"] and branch["change"] == 0.0


def test_a_veto_is_recorded_once(ranked_round: Round) -> None:
    root = str(ranked_round.paths.root)
    args = ["veto", root, "0101", "disunity", "--note", "班子成员长期不和"]
    assert CliRunner().invoke(main, args).exit_code == 0
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1
    assert again.output.startswith("错误：支部“0101”已有生效的“班子不团结”（disunity）否决（")
    # the time it was recorded as people read it: Beijing time, to the minute
    assert re.search("否决（\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d 记录），未重复记录\n$", again.output), (
        again.output)
    # by its name, its whole question or its id, it is the same veto
    for same in ("班子不团结", " 支部班子是否存在不团结、严重影响工作开展的情况？ ", "DISUNITY"):
        other = CliRunner().invoke(main, [*args[:3], same, *args[4:]])
        assert other.output.startswith("错误：支部“0101”已有生效的“班子不团结”（disunity）否决（")


def test_combining_needs_a_half_year_round(ranked_round: Round) -> None:
    import shutil

    shutil.copytree(ranked_round.paths.root, ranked_round.paths.root.parent / "other")
    lines = ranked_round.paths.config.read_text("utf-8").splitlines()
    lines[lines.index("[combine]") + 2] = 'round = "../other"'
    ranked_round.paths.config.write_text("\n".join(lines) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["rank", str(ranked_round.paths.root)])
    assert (result.exit_code, result.output) == (
        1, "错误：round.toml 中 combine.round 的值“../other”无效："
        "合并的轮次应为半年考核（period = \"half-year\"）\n")


def test_a_correction_that_arrives_later_replaces_the_form_in_the_ranking(
        ranked_round: Round) -> None:
    before = {b["code"]: b for b in rank_round(ranked_round).to_json()["branches"]}
    assert before["0104"]["roles"]["self"] == 97.0  # 0104 deducted 3 on its own form
    # The branch sends its pack again, every item at full marks; it arrives a day later.
    filled(ranked_round, "0104", "0104-更正.xlsx")
    collect_round(ranked_round, now=NOW + dt.timedelta(days=1))
    after = {b["code"]: b for b in rank_round(ranked_round).to_json()["branches"]}
    assert after["0104"]["roles"]["self"] == 100.0
    assert after["0104"]["roles"]["peer"] == before["0104"]["roles"]["peer"]


def test_a_long_ranking_prints_its_top_then_what_needs_attention(ranked_round: Round) -> None:
    import dataclasses

    report = rank_round(ranked_round)
    ranked = [r for r in report.results if r.rank is not None]
    others = [r for r in report.results if r.rank is None]
    many = [dataclasses.replace(ranked[n % len(ranked)], code=f"{n + 1:04d}", rank=n + 1)
            for n in range(40)]
    long_report = dataclasses.replace(report, results=many + others)

    @click.command()
    @click.option("--all", "show_all", is_flag=True)
    def show(show_all: bool) -> None:
        echo_rank(long_report, "zh-CN", {v.id: v.text for v in ranked_round.scheme.vetoes},
                  show_all=show_all)

    lines = CliRunner().invoke(show, []).output.splitlines()
    assert lines[0] == "已排名：40 个支部参加排名，1 个被一票否决，1 个待定（缺少考评分）。"
    assert [line.split()[1] for line in lines[1:11]] == [f"{n:04d}" for n in range(1, 11)]
    assert lines[11] == "  …… 其余 30 个支部从略，完整排名见汇总表（或加 --all 全部显示）"
    assert lines[12].startswith("     —  0106  后勤服务中心党支部")
    assert lines[13] == "     —  0112  设计研究院党支部  —  待定"
    assert lines[-2].startswith("等级：")
    full = CliRunner().invoke(show, ["--all"]).output.splitlines()
    assert len(full) == len(lines) - 1 + 30


@pytest.mark.parametrize("required", [True, False])
def test_a_branch_that_returned_none_of_its_own_forms_is_not_advanced(
        fresh: Round, required: bool) -> None:
    # Everyone returns full marks except 0105, which returns nothing of its own: its peers and
    # its inspector still score it 100.
    for code in CODES:
        if code != "0105":
            filled(fresh, code, f"{code}.xlsx")
    filled(fresh, "X01", "X01.xlsx")
    filled(fresh, "X02", "X02.xlsx")
    if not required:
        toml = fresh.paths.config.read_text("utf-8").replace(
            "advanced_requires_returns = true", "advanced_requires_returns = false")
        fresh.paths.config.write_text(toml, "utf-8")
        fresh = open_round(fresh.paths.root)
    collect_round(fresh, now=NOW)
    root = str(fresh.paths.root)
    document = json.loads(CliRunner().invoke(main, ["rank", root, "--json"]).output)
    branch = next(b for b in document["branches"] if b["code"] == "0105")
    assert branch["owes"][0] == "self-0105" and len(branch["owes"]) == 4
    assert (branch["score"], branch["rank"]) == (100.0, 1)
    printed = CliRunner().invoke(main, ["rank", root]).output.splitlines()
    if not required:
        assert (branch["grade"], branch["withheld"]) == ("先进", None)
        assert "未交齐：0105 科技信息处党支部 本单位应交的自评、" in "\n".join(printed)
        return
    assert (branch["grade"], branch["withheld"]) == ("合格", "先进")
    [line] = [line for line in printed if line.startswith("未交齐：")]
    sheets = "、".join(["自评", *(f"互评-{p.split('-')[-1]}" for p in branch["owes"][1:])])
    assert line == (f"未交齐：0105 科技信息处党支部 本单位应交的{sheets}尚未交回或未被采用；"
                    "得分达到先进，但按规定评为合格。")
    book = openpyxl.load_workbook(fresh.paths.reports / "summary-2026-year-end.xlsx")
    ranking = book["排名"]
    row = next(r for r in ranking.iter_rows(min_row=4, values_only=True) if r[1] == "0105")
    assert row[4] == "合格"
    assert row[5] == f"得分达到先进，但本单位应交的{sheets}未交齐，按规定评为合格"
    advanced = book["先进名单"]
    listed = [r[1] for r in advanced.iter_rows(min_row=4, max_col=6, values_only=True) if r[0]]
    assert "科技信息处党支部" not in listed and len(listed) == 11
    assert advanced["H3"].value == "未列入名单的支部（本栏不打印）"
    assert advanced["H4"].value == (
        f"0105 科技信息处党支部：得分达到先进，但本单位应交的{sheets}未交齐，按规定评为合格")
    # The list, the room for the seal, the issuer and the date print; the note beside does not.
    assert advanced.print_area == "'先进名单'!$A$1:$F$" + str(3 + 11 + 3)
    assert CliRunner().invoke(main, ["feedback", root, "--provisional"]).exit_code == 0
    feedback = openpyxl.load_workbook(
        fresh.paths.reports / "feedback" / "0105-科技信息处党支部-考核反馈.xlsx").active
    assert feedback is not None
    assert (f"本单位应交的{sheets}未交齐。得分达到先进，但按规定未交齐评分表的支部不能评为先进，"
            "评为合格。") in [c for row in feedback.iter_rows(values_only=True) for c in row]


def test_rank_holds_one_batch_of_forms_at_a_time(ranked_round: Round,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Rank reads the forms from the ledger twice (the ranking, then the summary's detail),
    a few at a time, and keeps none of them: a province's payloads never sit in memory
    together. Counted by the objects alive, not by time."""
    batch = 7
    monkeypatch.setattr(store, "READ_BATCH", batch)
    made: list[int] = []
    alive = {"submissions": 0, "forms": 0}
    most = dict(alive)

    def gone(kind: str) -> None:
        alive[kind] -= 1

    def track(kind: str, thing: object) -> None:
        alive[kind] += 1
        weakref.finalize(thing, gone, kind)

    by_id = store.Ledger.submissions_by_id

    def counted(self: store.Ledger, ids: Sequence[int]) -> list[store.Submission]:
        most.update({kind: max(most[kind], alive[kind]) for kind in alive})
        found = by_id(self, ids)
        made.append(len(found))
        for submission in found:
            track("submissions", submission)
        return found

    def tracked(submission: store.Submission) -> FormScores:
        form = form_scores(submission)
        track("forms", form)
        return form

    def everything(*args: object) -> NoReturn:
        raise AssertionError("every payload read at once")

    monkeypatch.setattr(store.Ledger, "submissions_by_id", counted)
    monkeypatch.setattr(rank, "form_scores", tracked)
    monkeypatch.setattr(store.Ledger, "submissions", everything)
    monkeypatch.setattr(store.Ledger, "current_submissions", everything)
    current_of = store.Ledger.current_submissions_of
    monkeypatch.setattr(store.Ledger, "current_submissions_of", lambda self, role=None: (
        current_of(self, role) if role == HANDBOOK else everything()))
    report = rank_round(ranked_round)
    forms = 12 + 36 + 11
    assert sum(made) == 2 * forms and max(made) == batch
    # When a batch is read, the ones before it are gone but for the form being handled.
    assert most["submissions"] <= 1
    # Scored forms: the branch being scored and the one before it (5 forms a branch: its
    # own, three peers', an inspector's), out of 59.
    assert most["forms"] <= 10
    assert openpyxl.load_workbook(report.summary)["评分明细"].max_row - 3 == forms * 36


def test_times_in_the_summary_are_the_rounds_local_time(ranked_round: Round) -> None:
    import re

    root = str(ranked_round.paths.root)
    vetoed = CliRunner().invoke(main, ["veto", root, "0103", "党纪处分", "--note", "纪委通报"])
    assert vetoed.exit_code == 0, vetoed.output
    rank_round(ranked_round, now=NOW)
    book = openpyxl.load_workbook(ranked_round.paths.reports / "summary-2026-year-end.xlsx")
    method = {row[0]: row[1] for row in book["计算方法"].iter_rows(values_only=True) if row[0]}
    assert method["计算时间"] == "2026-11-27 17:30"  # 09:30 UTC, in Asia/Shanghai
    [committee] = [v for k, v in method.items() if isinstance(v, str) and "纪委通报" in v]
    assert re.fullmatch(r"0103 计划财务处党支部：党纪处分（\d{4}-\d\d-\d\d \d\d:\d\d 记录）。"
                        r"依据：纪委通报", committee)
    local = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
    returns = [row[6] for row in book["收交情况"].iter_rows(min_row=4, values_only=True)
               if row[6]]
    detail = [row[13] for row in book["评分明细"].iter_rows(min_row=4, values_only=True)
              if row[13]]
    assert returns and detail
    assert all(local.fullmatch(value) for value in returns + detail)
    assert set(returns) == {"2026-11-27 17:30"}


def test_a_veto_names_its_branch_by_code_or_full_name(ranked_round: Round) -> None:
    root = str(ranked_round.paths.root)
    result = CliRunner().invoke(main, ["veto", root, "机关办公室党支部", "党纪处分",
                                       "--note", "经党委会研究"])
    assert (result.exit_code, result.output) == (0, (
        "已记录：0101 机关办公室党支部 因“党纪处分”（discipline）一票否决。依据：经党委会研究\n"
        f"重新运行 sheetops rank {root} 更新排名。\n"))
    removed = CliRunner().invoke(main, ["veto", root, "机关办公室党支部", "党纪处分",
                                        "--remove", "--note", "经复核"])
    assert (removed.exit_code, removed.output) == (0, (
        "已撤销 0101 机关办公室党支部 的“党纪处分”（discipline）否决（1 条）。说明：经复核\n"
        f"重新运行 sheetops rank {root} 更新排名。\n"))
