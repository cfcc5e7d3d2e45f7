"""The summary's chart sheet at any size: grades, section averages, the top and bottom by name,
rendered through LibreOffice and read back from the PDF."""

from __future__ import annotations

import random
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetops.core.i18n import text
from sheetops.forms.formats import new_workbook
from sheetops.model.scheme import Scheme
from sheetops.model.scheme_file import default_scheme_path, load_scheme
from sheetops.reports.charts import ChartSheet, axis_minimum, nice_maximum
from sheetops.scoring.merge import BranchResult, Grade, ScoringRules, VetoReason

from .libreoffice import soffice_available, to_pdfs
from .paper import LONG_NAMES, describe, overprinted, page_count, text_lines

needs_office = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs LibreOffice (libreoffice-calc-nogui, python3-uno) and poppler-utils",
)

RULES = ScoringRules(
    weights={"self": Decimal("0.2"), "peer": Decimal("0.3"), "inspector": Decimal("0.5")},
    missing={"self": "renormalize", "peer": "renormalize", "inspector": "pending"},
    trim_min_forms=5, drop_highest=1, drop_lowest=1,
    tie_breaks=("inspector", "peer", "self"), decimals=2,
    grades=(Grade("先进", Decimal(95)), Grade("合格", Decimal(60)), Grade("不合格", Decimal(0))),
    pending_grade="待定")


def scheme() -> Scheme:
    return load_scheme(default_scheme_path("zh-CN"))


def results(count: int, *, seed: int = 7) -> list[BranchResult]:
    """``count`` branches with real-length names and scores from 62 to 99.5, one in fifty
    vetoed, one in a hundred pending, ranked as the ranking ranks them."""
    chance = random.Random(seed)
    sections = scheme().sections
    found = []
    for index in range(count):
        code = f"{index + 1:05d}"
        share = Decimal(chance.randint(6200, 9950)) / 10000
        values = {s.id: min(s.max, s.max * share * Decimal(1 + (n % 3 - 1) / 40)).quantize(
            Decimal("0.01")) for n, s in enumerate(sections)}
        score = sum(values.values(), Decimal(0))
        vetoed = index % 50 == 7
        pending = index % 100 == 3
        grade = ("待定" if pending else "不合格" if vetoed else
                 next(g.name for g in RULES.grades if score >= g.min))
        found.append(BranchResult(
            code=code, name=f"{LONG_NAMES[index % len(LONG_NAMES)]}{code}", roles={},
            score=None if pending else score, complete=not pending, pending=pending,
            vetoes=[VetoReason("discipline", "inspector", "X01", "通报")] if vetoed else [],
            grade=grade, sections=values, items={}))
    ranked = sorted((r for r in found if not r.pending and not r.vetoed),
                    key=lambda r: (-(r.score or 0), r.code))
    for rank, result in enumerate(ranked, start=1):
        result.rank = rank
    return ranked + [r for r in found if r.rank is None]


def chart_book(path: Path, shown: list[BranchResult]) -> Path:
    book = new_workbook(str(path), "zh-CN")
    ChartSheet(book, lang="zh-CN", title="2026年度党支部建设目标管理年终考核",
               footer=text("zh-CN", "form.footer"), results=shown, rules=RULES,
               scheme=scheme()).write()
    book.close()
    return path


def test_the_axes_leave_room_below_the_lowest_score_and_above_the_largest_count() -> None:
    assert [axis_minimum(v) for v in (70.3, 70.0, 95.5, 3.0, 0.0)] == [65, 65, 90, 0, 0]
    assert [nice_maximum(n) for n in (862, 108, 7, 0, 9000)] == [1000, 150, 9, 5, 15000]


def test_the_charts_read_counts_shares_and_the_named_branches(tmp_path: Path) -> None:
    shown = results(1000)
    path = chart_book(tmp_path / "chart.xlsx", shown)
    with zipfile.ZipFile(path) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        xml = [archive.read(name).decode("utf-8") for name in charts]
    assert len(charts) == 4  # grades, sections, the top ten, the bottom ten
    sheet = openpyxl.load_workbook(path)["得分图"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_col=21, max_col=30)]
    counted = {g: sum(1 for r in shown if r.grade == g) for g in ("先进", "合格", "不合格", "待定")}
    assert [row[:2] for row in rows[:5]] == [
        ["等级", "支部数"],
        ["先进（95 分及以上）", counted["先进"]],
        ["合格（60 分及以上）", counted["合格"]],
        ["不合格\n（含否决 20 个）", counted["不合格"]],
        ["待定", counted["待定"]]]
    assert counted["不合格"] == 20 and counted["待定"] == 10  # every score is 62 or more
    assert [row[2] for row in rows[:7]] == ["考核项目", *(
        f"{s.title}（{s.max} 分）" for s in scheme().sections)]
    ranked = [r for r in shown if r.rank is not None]
    assert [row[4] for row in rows[1:11]] == [f"{r.rank}. {r.name}" for r in ranked[:10]]
    assert [row[6] for row in rows[1:11]] == [f"{r.rank}. {r.name}" for r in ranked[-10:]]
    assert rows[1][5] == float(ranked[0].score or 0)
    # labels at the ranking's two decimals; the axis from near the lowest score shown
    assert xml[2].count('formatCode="0.00"') == 1 and xml[3].count('formatCode="0.00"') == 1
    lowest = float(ranked[-1].score or 0)
    assert f'<c:min val="{axis_minimum(lowest)}"/>' in xml[3]
    assert '<c:min val="90"/>' in xml[2]
    assert "0.0%" in xml[1]


@needs_office
@pytest.mark.parametrize("count", [12, 300, 1000])
def test_the_chart_pages_print_readably_at_any_size(tmp_path: Path, count: int) -> None:
    shown = results(count)
    pdf, = to_pdfs([chart_book(tmp_path / f"chart-{count}.xlsx", shown)], tmp_path)
    lines = text_lines(pdf)
    assert describe(overprinted(lines)) == []
    assert page_count(pdf) == 2
    first = "".join(line.text for line in lines if line.page == 1)
    second = "".join(line.text for line in lines if line.page == 2).replace(" ", "")
    assert "2026年度党支部建设目标管理年终考核：得分分布图" in first
    assert "各等次支部数" in first and "各板块平均得分率" in first
    ranked = [r for r in shown if r.rank is not None]
    named = ranked if len(ranked) <= 20 else ranked[:10] + ranked[-10:]
    for result in named:
        assert f"{result.rank}.{result.name}" in second
        assert f"{result.score}" in second  # as the ranking shows it, 2 decimals
    if len(ranked) > 20:
        assert ranked[10].name not in second
