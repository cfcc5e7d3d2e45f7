"""``sheetops demo``: a whole round on the sample roster, from nothing, in a new folder.

init → generate → the branches and inspectors fill their packs (simulated here with varied,
plausible scores and notes; one branch vetoed by its inspector, one resubmission, a couple of
bad files, one form not yet returned) → collect → rank.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Final

import openpyxl

from sheetops.app.collect import CollectReport, collect_round
from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.app.init import InitResult, init_round
from sheetops.app.rank import RankReport, rank_round
from sheetops.core.errors import RoundError
from sheetops.core.i18n import text
from sheetops.layout.packs import PackPlan
from sheetops.layout.scoresheet import scoresheet_layout
from sheetops.model.workspace import Round

SAMPLE_ROSTER: Final = "roster.xlsx"
DEMO_ROUND_ID: Final = "demo-year-end"
SEED: Final = 2026
HALF: Final = Decimal("0.5")
STRONG: Final = ("0101", "0105")  # branches that do well enough to be advanced
RESUBMITS: Final = "0103"  # first sends a form with a word for a score, then a corrected pack
VETOED: Final = ("0109", "discipline",
                 "该支部一名党员本年度受到党内警告处分（见纪委通报〔2026〕12号）。")
NOT_RETURNED: Final = ("X02", "inspector-X02-0112")  # the inspector has not sent this one yet

REASONS: Final = {
    "zh-CN": {
        "leadership": ["集体学习记录缺 1 次", "个别重要事项未经支委会研究",
                       "组织生活会整改清单未落实"],
        "education": ["党小组会有 2 个月未召开", "党课记录不完整", "部分党员学习时长未达标"],
        "discipline": ["廉政教育记录缺 1 次", "个别党员谈心谈话未覆盖", "警示教育未形成记录"],
        "recruitment": ["积极分子培养考察记录不全", "发展计划报送延迟", "档案材料缺少谈话记录"],
        "ideology": ["思想动态分析未按季度开展", "困难职工帮扶台账不全", "志愿服务活动偏少"],
        "basics": ["工作手册记录不及时", "党费收缴有 1 个月延迟", "换届交接材料不全"],
    },
    "en": {
        "leadership": ["one study session not recorded", "a decision not taken in committee",
                       "follow-up list not acted on"],
        "education": ["two months without group meetings", "lecture records incomplete",
                      "some members short of study hours"],
        "discipline": ["one integrity session missing", "not every member talked to",
                       "warning education not recorded"],
        "recruitment": ["activist records incomplete", "plan reported late",
                        "file lacks the interview record"],
        "ideology": ["quarterly analysis skipped", "hardship support ledger incomplete",
                     "few volunteer activities"],
        "basics": ["handbook not kept up to date", "dues one month late",
                   "handover papers incomplete"],
    },
}


def sample_roster_path() -> Path:
    """Return the path of the shipped sample roster."""
    return Path(str(resources.files("sheetops.samples") / SAMPLE_ROSTER))


@dataclass(frozen=True)
class DemoResult:
    """What the demo did."""

    init: InitResult
    generate: GenerateResult
    collect: CollectReport
    rank: RankReport


class _Simulation:
    """Branches and inspectors filling their packs, reproducibly."""

    def __init__(self, round_: Round) -> None:
        self.round = round_
        self.scheme = round_.scheme
        self.rng = random.Random(SEED)
        self.truth = {b.code: self._true_scores(b.code) for b in round_.roster.branches}

    def _true_scores(self, code: str) -> dict[str, Decimal]:
        """What the branch really deserves, item by item."""
        weights = (92, 8, 0, 0) if code in STRONG else (45, 30, 17, 8)
        scores = {}
        for item in self.scheme.items:
            steps = self.rng.choices((0, 1, 2, 4), weights=weights)[0]
            scores[item.id] = max(item.max - HALF * steps, Decimal(0))
        return scores

    def score(self, role: str, target: str, item_id: str, maximum: Decimal) -> Decimal:
        true = self.truth[target][item_id]
        if role == "self":
            shift = self.rng.choices((0, 1), weights=(55, 45))[0]  # branches rate themselves up
        elif role == "peer":
            shift = self.rng.choices((-1, 0, 1), weights=(20, 55, 25))[0]
        else:
            shift = self.rng.choices((-1, 0), weights=(15, 85))[0]
        return min(max(true + HALF * shift, Decimal(0)), maximum)

    def fill(self, source: Path, target: Path, pack: PackPlan, *, blank: tuple[str, ...] = (),
             overrides: dict[tuple[str, str], str] | None = None) -> None:
        lang = self.round.lang
        book = openpyxl.load_workbook(source)
        sections = {i.id: s.id for s in self.scheme.sections for i in s.items}
        for form in pack.forms:
            identity = form.identity
            if identity.form_id in blank:
                continue
            sheet = book[form.sheet]
            layout = scoresheet_layout(self.scheme, identity.role)
            for item in self.scheme.items:
                row = layout.score_rows[item.id] + 1
                value = self.score(identity.role, identity.target, item.id, item.max)
                sheet[f"F{row}"] = float(value)
                if value < item.max:
                    sheet[f"G{row}"] = self.rng.choice(REASONS[lang][sections[item.id]])
            for veto in self.scheme.vetoes if layout.veto_rows else ():
                row = layout.veto_rows[veto.id] + 1
                vetoed = (identity.role == "inspector" and identity.target == VETOED[0]
                          and veto.id == VETOED[1])
                sheet[f"F{row}"] = text(lang, "form.veto.yes" if vetoed else "form.veto.no")
                if vetoed:
                    sheet[f"G{row}"] = VETOED[2]
        for (sheet_name, address), typed in (overrides or {}).items():
            book[sheet_name][address] = typed
        book.save(target)


def simulate_returns(round_: Round, packs: list[PackPlan], when: dt.datetime) -> None:
    """Drop the filled packs (and a few mistakes) into the round's inbox.

    Files get increasing modification times from ``when`` on, so the resubmission arrives
    after the first attempt.
    """
    simulation = _Simulation(round_)
    inbox = round_.paths.inbox
    outbox = round_.paths.outbox
    dropped: list[Path] = []
    for pack in packs:
        target = inbox / Path(pack.file).name
        source = outbox / pack.file
        if pack.recipient == RESUBMITS:
            first = inbox / f"{target.stem}（初稿）.xlsx"
            first_row = scoresheet_layout(round_.scheme, "self").score_rows[
                round_.scheme.items[0].id]
            cell = f"F{first_row + 1}"
            simulation.fill(source, first, pack, overrides={(pack.forms[0].sheet, cell): "良好"})
            dropped.append(first)
        blank = (NOT_RETURNED[1],) if pack.recipient == NOT_RETURNED[0] else ()
        simulation.fill(source, target, pack, blank=blank)
        dropped.append(target)
    stray = inbox / "0106-成绩汇总.xls"
    stray.write_text("<html><body><table><tr><td>得分</td><td>96</td></tr></table></body></html>",
                     encoding="utf-8")
    dropped.append(stray)
    base = when.timestamp()
    for minutes, path in enumerate(dropped):
        os.utime(path, (base + 60 * minutes, base + 60 * minutes))


def run_demo(root: Path, *, language: str = "zh-CN", today: dt.date | None = None) -> DemoResult:
    """Run a whole round on the sample roster in ``root``.

    Args:
        root: a new or empty folder.
        language: the round's language.
        today: the round's start date (default today).

    Returns:
        What init, generate, collect and rank produced.

    Raises:
        RoundError: ``root`` exists and is not empty.
    """
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RoundError("demo.exists", path=root)
    init = init_round(root, sample_roster_path(), language=language, round_id=DEMO_ROUND_ID,
                      today=today)
    generated = generate_scoresheets(init.round)
    start = dt.datetime.combine(init.round.config.deadline - dt.timedelta(days=3),
                                dt.time(9, 0), dt.UTC)
    simulate_returns(init.round, generated.packs, start)
    collected = collect_round(init.round)
    ranked = rank_round(init.round)
    return DemoResult(init, generated, collected, ranked)
