"""Scores exact to the last digit: sheetops against an exact oracle over random rounds.

The oracle (:mod:`tests.exact_oracle`) restates docs/scoring.md with fractions and rounds once,
half up, where a value is shown. Hypothesis draws random schemes, settings and rounds (random
form counts, 9 kept peers with 3 or 6 inspectors among them, planted ties, vetoes from forms
and the committee) and every field of every branch must agree: ranks, scores, grades, vetoes,
roles, kept and dropped forms, sections (exactly and as shown), items, combined scores, the
``rank --json`` entries, the results export rows and the feedback's averages.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetops.app.collect import collect_round
from sheetops.app.generate import generate_scoresheets
from sheetops.app.init import init_round
from sheetops.app.rank import RankReport
from sheetops.cli.main import main
from sheetops.model.roster import Branch, Roster
from sheetops.model.round import ROLES, RoundConfig, RoundPaths
from sheetops.model.scheme import Grade, Item, Scheme, Section, Veto
from sheetops.model.scheme_file import default_scheme_path, load_scheme
from sheetops.model.workspace import Round
from sheetops.reports.export import result_rows
from sheetops.reports.feedback import standing_of
from sheetops.scoring.analysis import Analysis
from sheetops.scoring.merge import (
    BranchResult,
    CommitteeVeto,
    FormScores,
    ScoringRules,
    combine_results,
    score_round,
)

from . import exact_oracle as oracle
from .conftest import NOW, TODAY, write_roster
from .conftest import branches as conftest_branches
from .crafted import filled

# Deterministic in CI: the same examples every run, nothing remembered between runs.
PROPERTY = settings(derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
STEPS = (Decimal("0.5"), Decimal("0.5"), Decimal("1"), Decimal("0.25"), Decimal("0.1"))
POLICIES = ("renormalise", "zero", "pending")
PEER_FORMS = st.integers(0, 12)
INSPECTOR_FORMS = st.integers(0, 6)


class RandomRound:
    """A drawn round: the inputs sheetops takes, and the same inputs for the oracle."""

    def __init__(self, scheme: Scheme, rules: ScoringRules, branches: list[tuple[str, str]],
                 forms: list[FormScores], committee: list[CommitteeVeto]) -> None:
        self.scheme, self.rules, self.branches = scheme, rules, branches
        self.forms, self.committee = forms, committee

    def results(self) -> list[BranchResult]:
        return score_round(self.branches, self.forms, self.committee, self.scheme, self.rules)

    @property
    def settings(self) -> oracle.Settings:
        rules = self.rules
        return oracle.Settings(
            sections=[(s.id, [i.id for i in s.items]) for s in self.scheme.sections],
            veto_ids=[v.id for v in self.scheme.vetoes],
            weights={r: Fraction(w) for r, w in rules.weights.items()},
            missing=dict(rules.missing), min_forms=rules.trim_min_forms,
            drop_highest=rules.drop_highest, drop_lowest=rules.drop_lowest,
            tie_breaks=rules.tie_breaks, decimals=rules.decimals,
            grades=[(g.name, Fraction(g.min)) for g in rules.grades],
            pending_grade=rules.pending_grade)

    def expected(self) -> list[oracle.Expected]:
        forms = [oracle.Form(f.form_id, f.role, f.rater, f.target,
                             {k: Fraction(v) for k, v in f.items.items()}, dict(f.vetoes),
                             dict(f.veto_notes)) for f in self.forms]
        committee = [(v.branch, v.veto_id, v.note) for v in self.committee]
        return oracle.expected_round(self.branches, forms, committee, self.settings)


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    """1–3 sections of 1–3 items, each with its own maximum and step; 0–2 veto questions."""
    sections = []
    number = 0
    for s in range(draw(st.integers(1, 3))):
        items = []
        for _ in range(draw(st.integers(1, 3))):
            step = draw(st.sampled_from(STEPS))
            maximum = step * draw(st.integers(1, int(20 / step)))
            items.append(Item(f"i{number}", f"项目{number}", "规则", maximum, step))
            number += 1
        sections.append(Section(f"s{s}", f"板块{s}", tuple(items)))
    total = sum((i.max for sec in sections for i in sec.items), Decimal(0))
    # Grade bands at points a final score can land on exactly (multiples of 0.05).
    cuts = draw(st.lists(st.integers(1, int(total * 20)), min_size=0, max_size=2, unique=True))
    names = ["先进", "合格", "不合格"][-(len(cuts) + 1):]
    mins = [Decimal(c) / 20 for c in sorted(cuts, reverse=True)] + [Decimal(0)]
    vetoes = tuple(Veto(f"v{v}", f"问题{v}") for v in range(draw(st.integers(0, 2))))
    return Scheme(id="t", version="1", language="zh-CN", title="测试", total=total,
                  sections=tuple(sections), vetoes=vetoes,
                  grades=tuple(Grade(n, m) for n, m in zip(names, mins, strict=True)),
                  pending_grade="待定")


@st.composite
def scoring_rules(draw: st.DrawFn, scheme: Scheme, *, trim: tuple[int, int, int] | None = None,
                  ) -> ScoringRules:
    """Random weights (hundredths adding up to 1), policies, trimming, tie-breaks, decimals."""
    if draw(st.booleans()):
        hundredths = (20, 30, 50)
    else:
        first = draw(st.integers(0, 100))
        second = draw(st.integers(0, 100 - first))
        hundredths = (first, second, 100 - first - second)
    if draw(st.booleans()):
        missing = {"self": "renormalise", "peer": "renormalise", "inspector": "pending"}
    else:
        missing = {role: draw(st.sampled_from(POLICIES)) for role in ROLES}
    if trim is None:
        low, high = draw(st.integers(0, 2)), draw(st.integers(0, 2))
        trim = (low + high + 1 + draw(st.integers(0, 5)), high, low)
    order = draw(st.permutations(ROLES))
    return ScoringRules(
        weights={r: Decimal(h).scaleb(-2) for r, h in zip(ROLES, hundredths, strict=True)},
        missing=missing, trim_min_forms=trim[0], drop_highest=trim[1], drop_lowest=trim[2],
        tie_breaks=tuple(order[:draw(st.integers(0, 3))]),
        decimals=draw(st.sampled_from((2, 2, 2, 0, 1, 3))), grades=scheme.grades,
        pending_grade=scheme.pending_grade)


def score_items(scheme: Scheme, rng: random.Random) -> dict[str, Decimal]:
    """Scores as raters give them: mostly full marks or a few steps below, sometimes anything."""
    scores = {}
    for item in scheme.items:
        steps = int(item.max / item.step)
        lost = rng.choice((0, 0, 0, 1, 1, 2, 3, rng.randint(0, steps)))
        scores[item.id] = item.step * max(steps - lost, 0)
    return scores


@st.composite
def rounds(draw: st.DrawFn, *, peers: st.SearchStrategy[int] = PEER_FORMS,
           inspectors: st.SearchStrategy[int] = INSPECTOR_FORMS,
           trim: tuple[int, int, int] | None = None) -> RandomRound:
    """A random round of 1–6 branches (roster order shuffled), forms drawn per branch."""
    scheme = draw(schemes())
    chosen = draw(scoring_rules(scheme, trim=trim))
    codes = [f"{i:04d}" for i in range(1, draw(st.integers(1, 6)) + 1)]
    roster = draw(st.permutations(codes))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))

    def answers(role: str) -> tuple[dict[str, bool], dict[str, str]]:
        yes = {v.id: rng.random() < (0.04 if role != "peer" else 0.2) for v in scheme.vetoes}
        return yes, {k: f"说明{rng.randint(1, 9)}" for k, v in yes.items() if v}

    forms: list[FormScores] = []
    for code in codes:
        raters = []
        if draw(st.integers(0, 7)):  # a self form seven times in eight
            raters.append(("self", code))
        raters += [("peer", f"P{j:02d}") for j in range(draw(peers))]
        raters += [("inspector", f"X{j}") for j in range(draw(inspectors))]
        for role, rater in raters:
            form_id = f"self-{code}" if role == "self" else f"{role}-{rater}-{code}"
            vetoes, notes = answers(role)
            forms.append(FormScores(form_id, role, rater, code, score_items(scheme, rng),
                                    vetoes, notes))
    if len(codes) > 1 and draw(st.booleans()):
        # A planted tie: the last branch gets exactly the first one's forms.
        first, last = codes[0], codes[-1]
        forms = [f for f in forms if f.target != last]
        forms += [FormScores(f.form_id.replace(first, last), f.role,
                             last if f.role == "self" else f.rater, last, f.items, f.vetoes,
                             f.veto_notes) for f in forms if f.target == first]
    committee = [CommitteeVeto(code, veto.id, f"党委决定{code}", "2026-12-01T08:00:00+00:00")
                 for code in codes for veto in scheme.vetoes if rng.random() < 0.03]
    return RandomRound(scheme, chosen, [(c, f"第{c}支部") for c in roster], forms, committee)


def observed(result: BranchResult, rules: ScoringRules) -> dict[str, object]:
    """The fields of sheetops' result, in the oracle's terms."""
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "code": result.code, "name": result.name, "rank": result.rank,
        "score": text(result.score), "grade": result.grade, "vetoed": result.vetoed,
        "veto_ids": result.veto_ids,
        "reasons": [(v.veto_id, v.source, v.rater, v.note) for v in result.vetoes],
        "complete": result.complete, "pending": result.pending,
        "roles": {r: None if (res := result.roles[r]) is None else str(rules.round(res.score))
                  for r in ROLES},
        "kept": {r: res.forms if (res := result.roles[r]) else () for r in ROLES},
        "dropped": {r: res.dropped if (res := result.roles[r]) else () for r in ROLES},
        "sections": {k: str(v) for k, v in result.sections.items()},
        "items": {k: str(v) for k, v in result.items.items()},
        "exact_sections": result.exact_sections,
        "this_round": text(result.this_round), "combined_with": text(result.combined_with),
    }


def assert_agree(results: Sequence[BranchResult], expected: Sequence[oracle.Expected],
                 rules: ScoringRules) -> None:
    got = [observed(r, rules) for r in results]
    want = [e.fields(rules.decimals) for e in expected]
    assert got == want
    for result, exact in zip(results, expected, strict=True):
        assert {r: None if (res := result.roles[r]) is None else res.score
                for r in ROLES} == exact.roles


@settings(PROPERTY, max_examples=1500)
@given(rounds())
def test_random_rounds_agree_with_the_exact_oracle(drawn: RandomRound) -> None:
    assert_agree(drawn.results(), drawn.expected(), drawn.rules)


@settings(PROPERTY, max_examples=500)
@given(rounds(peers=st.just(11), inspectors=st.sampled_from((3, 6)), trim=(5, 1, 1)))
def test_nine_kept_peers_with_three_or_six_inspectors(drawn: RandomRound) -> None:
    results = drawn.results()
    assert {len(r.roles["peer"].forms) for r in results if r.roles["peer"]} == {9}
    assert {len(r.roles["inspector"].forms) for r in results if r.roles["inspector"]} <= {3, 6}
    assert_agree(results, drawn.expected(), drawn.rules)


@st.composite
def combined_rounds(draw: st.DrawFn) -> tuple[RandomRound, dict[str, Decimal | None], Decimal]:
    """A round, the half-year round's published scores (some missing), the half-year weight."""
    drawn = draw(rounds())
    places = drawn.rules.decimals
    half = {code: None if draw(st.integers(0, 5)) == 0
            else Decimal(draw(st.integers(0, 100 * 10**places))).scaleb(-places)
            for code, _ in drawn.branches}
    weight = draw(st.sampled_from((Decimal("0.3"), Decimal("0.25"), Decimal("0.5")))
                  | st.integers(0, 100).map(lambda h: Decimal(h).scaleb(-2)))
    return drawn, half, weight


@settings(PROPERTY, max_examples=500)
@given(combined_rounds())
def test_combined_with_the_half_year_agrees_with_the_oracle(
        case: tuple[RandomRound, dict[str, Decimal | None], Decimal]) -> None:
    drawn, half, weight = case
    results = combine_results(drawn.results(), half, weight, drawn.rules)
    expected = oracle.expected_combined(
        drawn.expected(), {k: None if v is None else Fraction(v) for k, v in half.items()},
        Fraction(weight), drawn.settings)
    assert_agree(results, expected, drawn.rules)


def as_round(drawn: RandomRound) -> Round:
    """A round holding the drawn scheme and branches (no files are read or written)."""
    config = RoundConfig(id="r", title="测试", period="year-end",
                         deadline=dt.date(2026, 12, 31), language="zh-CN")
    roster = Roster(tuple(Branch(c, n) for c, n in drawn.branches), ())
    return Round(RoundPaths(Path("unused")), config, drawn.scheme, roster, b"")


@settings(PROPERTY, max_examples=400)
@given(rounds())
def test_json_export_and_feedback_show_the_oracles_values(drawn: RandomRound) -> None:
    results = drawn.results()
    expected = drawn.expected()
    places = drawn.rules.decimals

    def number(value: str | None) -> float | None:
        return None if value is None else float(value)

    document = RankReport("r", results, drawn.rules, Path("s"), Analysis(),
                          (Path("c"), Path("j"))).to_json()
    want = []
    for e in expected:
        fields = e.fields(places)
        roles = fields["roles"]
        sections = fields["sections"]
        assert isinstance(roles, dict) and isinstance(sections, dict)
        want.append({
            "code": e.code, "name": e.name, "rank": e.rank, "score": number(fields["score"]),
            "grade": e.grade, "vetoed": fields["vetoed"], "veto_ids": fields["veto_ids"],
            "complete": fields["complete"], "pending": fields["pending"],
            "owes": [], "withheld": None,  # scored straight from the forms: nothing owed
            "roles": {r: number(v) for r, v in roles.items()},
            "sections": {k: float(v) for k, v in sections.items()}})
    assert document == {"round": "r", "branches": want}
    assert all(list(branch) == ["code", "name", "rank", "score", "grade", "vetoed", "veto_ids",
                                "complete", "pending", "owes", "withheld", "roles",
                                "sections"]
               and list(branch["roles"]) == list(ROLES) for branch in document["branches"])

    rows = result_rows(as_round(drawn), results, drawn.rules)
    section_ids = [s.id for s in drawn.scheme.sections]
    assert [{k: None if v is None else str(v) for k, v in row.items()
             if k in ("code", "score", *ROLES) or k.startswith("section_")} for row in rows] == [
        {"code": e.code, "score": e.fields(places)["score"],
         **{r: None if v is None else oracle.shown(v, places) for r, v in e.roles.items()},
         **{f"section_{s}": None if s not in e.sections else oracle.shown(e.sections[s], places)
            for s in section_ids}}
        for e in expected]

    standing = standing_of(results, drawn.scheme)
    scored = [e for e in expected if e.sections]
    assert {k: drawn.rules.round(v) for k, v in standing.averages.items()} == ({
        s: Decimal(oracle.shown(sum((e.sections[s] for e in scored), Fraction(0)) / len(scored),
                                places)) for s in section_ids} if scored else {})
    assert standing.best == ({s: max(Decimal(oracle.shown(e.sections[s], places))
                                     for e in scored) for s in section_ids} if scored else {})


# -- the two cases that 28-digit decimals got wrong, as named regression tests ---------------

DEFAULT = load_scheme(default_scheme_path("zh-CN"))
DEFAULT_RULES = ScoringRules.from_round(
    RoundConfig(id="r", title="", period="year-end", deadline=dt.date(2026, 12, 31),
                language="zh-CN"), DEFAULT)


def spread(total: str, section: str | None = None) -> dict[str, Decimal]:
    """Full marks, less what ``total`` lacks, taken from the items in order (only from
    ``section``'s items when given, so that section totals ``total``)."""
    items = [i for s in DEFAULT.sections if section in (None, s.id) for i in s.items]
    full = sum((i.max for i in items), Decimal(0))
    scores = {i.id: i.max for i in DEFAULT.items}
    missing = full - Decimal(total)
    for item in items:
        lost = min(missing, item.max)
        scores[item.id] -= lost
        missing -= lost
    assert missing == 0
    return scores


def forms_of(code: str, self_total: str | None, peers: Sequence[str],
             inspectors: Sequence[str], section: str | None = None) -> list[FormScores]:
    forms = [] if self_total is None else [
        FormScores(f"self-{code}", "self", code, code, spread(self_total, section))]
    forms += [FormScores(f"peer-P{j:02d}-{code}", "peer", f"P{j:02d}", code, spread(t, section))
              for j, t in enumerate(peers)]
    forms += [FormScores(f"inspector-X{j}-{code}", "inspector", f"X{j}", code,
                         spread(t, section)) for j, t in enumerate(inspectors)]
    return forms


# 0001: 11 peer forms, the highest (90) and lowest (50) dropped, 9 kept adding up to 616;
# 6 inspector forms adding up to 483.5. 0002: no self form, 11 peers (9 kept: 650.5), 3
# inspectors (170.5). 0003: totals full but for 班子建设 (leadership): self 6, peers 11, 11
# and 10.5, inspectors 8.5 and 9.
CASE_A = ("0001", "57", ["50", "68", *["68.5"] * 8, "90"], ["80"] * 5 + ["83.5"])
CASE_B = ("0002", None, ["40", "74.5", *["72"] * 8, "95"], ["56", "57", "57.5"])
CASE_C_LEADERSHIP = ("0003", "6", ["11", "11", "10.5"], ["8.5", "9"])


def test_final_72_225_with_nine_kept_peers_and_six_inspectors_is_72_23() -> None:
    [result] = score_round([("0001", "甲")], forms_of(*CASE_A), [], DEFAULT, DEFAULT_RULES)
    # 0.2 × 57 + 0.3 × 616/9 + 0.5 × 483.5/6 = 11.4 + 20.5333… + 40.2916… = 72.225 exactly
    peer, inspector = result.roles["peer"], result.roles["inspector"]
    assert peer is not None and inspector is not None
    assert (peer.score, inspector.score) == (Fraction(616, 9), Fraction(967, 12))
    assert (len(peer.forms), peer.dropped) == (9, ("peer-P00-0001", "peer-P10-0001"))
    assert (result.score, result.grade, result.rank) == (Decimal("72.23"), "合格", 1)


def test_final_62_625_without_a_self_form_is_62_63() -> None:
    [result] = score_round([("0002", "乙")], forms_of(*CASE_B), [], DEFAULT, DEFAULT_RULES)
    # (0.3 × 650.5/9 + 0.5 × 170.5/3) / 0.8 = (21.6833… + 28.4166…) / 0.8 = 50.1 / 0.8 = 62.625
    assert (result.score, result.complete, result.pending) == (Decimal("62.63"), False, False)


def test_section_8_825_is_8_83_and_sections_add_up_to_the_final() -> None:
    code, self_total, peers, inspectors = CASE_C_LEADERSHIP
    [result] = score_round([(code, "丙")], forms_of(code, self_total, peers, inspectors,
                                                   "leadership"), [], DEFAULT, DEFAULT_RULES)
    # 0.2 × 6 + 0.3 × 32.5/3 + 0.5 × 8.75 = 1.2 + 3.25 + 4.375 = 8.825
    assert result.exact_sections["leadership"] == Fraction("8.825")
    assert result.sections["leadership"] == Decimal("8.83")
    assert result.score == Decimal("88.83")  # 80 full marks elsewhere + 8.825
    assert sum(result.exact_sections.values()) == Fraction("88.825")


# -- the same cases through real workbooks: every report shows the exact value rounded once --

def case_totals() -> dict[str, tuple[str, str | None]]:
    """Each form's total (and the one section that carries its deduction) by form id."""
    totals: dict[str, tuple[str, str | None]] = {"self-0001": (CASE_A[1], None),
                                                  "self-0003": (CASE_C_LEADERSHIP[1],
                                                                "leadership")}
    raters = [f"{i:04d}" for i in range(3, 14)]  # 0003…0013 rate 0001 and 0002
    for code, peers, inspectors, section in (
            (CASE_A[0], CASE_A[2], CASE_A[3], None), (CASE_B[0], CASE_B[2], CASE_B[3], None),
            (CASE_C_LEADERSHIP[0], CASE_C_LEADERSHIP[2], CASE_C_LEADERSHIP[3], "leadership")):
        own = raters if code != "0003" else raters[1:4]
        for rater, value in zip(own, peers, strict=True):
            totals[f"peer-{rater}-{code}"] = (value, section)
        for number, value in enumerate(inspectors, start=1):
            totals[f"inspector-X{number:02d}-{code}"] = (value, section)
    return totals


@pytest.fixture(scope="module")
def cases_round(tmp_path_factory: pytest.TempPathFactory) -> Round:
    """13 branches and 6 inspectors: 0001, 0002 and 0003 scored as the regression cases."""
    folder = tmp_path_factory.mktemp("exact")
    peers = [(f"{r:04d}", t) for t in ("0001", "0002") for r in range(3, 14)]
    peers += [(f"{r:04d}", "0003") for r in range(4, 7)]
    inspected = {1: "0001,0002,0003", 2: "0001,0002,0003", 3: "0001,0002"}
    inspectors = [(f"X{n:02d}", f"考评组{n}", f"x{n:02d}@example.org", inspected.get(n, "0001"))
                  for n in range(1, 7)]
    roster = write_roster(folder / "roster.xlsx", conftest_branches(13), inspectors, peers)
    round_ = init_round(folder / "round", roster, today=TODAY).round
    generate_scoresheets(round_, now=NOW)
    totals = case_totals()

    def score(form_id: str, index: int, item: Item) -> float:
        total, section = totals.get(form_id, ("100", None))
        return float(spread(total, section)[item.id])

    for code in ("0001", *(f"{i:04d}" for i in range(3, 14))):
        filled(round_, code, f"{code}.xlsx", score=score)
    filled(round_, "0002", "0002.xlsx", score=score, skip=("self-0002",))
    for number in range(1, 7):
        filled(round_, f"X{number:02d}", f"X{number:02d}.xlsx", score=score)
    collect_round(round_, now=NOW)
    return round_


def test_every_report_shows_the_cases_rounded_once(cases_round: Round) -> None:
    root = str(cases_round.paths.root)
    result = CliRunner().invoke(main, ["rank", root, "--json"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)["branches"][:3]
    assert [(b["code"], b["rank"], b["score"], b["grade"], b["complete"]) for b in ranked] == [
        ("0003", 1, 88.83, "合格", True), ("0001", 2, 72.23, "合格", True),
        ("0002", 3, 62.63, "合格", False)]
    assert ranked[0]["sections"]["leadership"] == 8.83
    assert ranked[1]["roles"] == {"self": 57.0, "peer": 68.44, "inspector": 80.58}
    assert ranked[2]["roles"] == {"self": None, "peer": 72.28, "inspector": 56.83}

    csv_rows = {line.split(",")[1]: line.split(",") for line in (
        cases_round.paths.reports / "results-2026-year-end.csv").read_text(
            "utf-8-sig").splitlines()}
    header = csv_rows["code"]
    column = {name: header.index(name) for name in ("score", "self", "peer",
                                                      "section_leadership")}
    assert [csv_rows[c][column["score"]] for c in ("0001", "0002", "0003")] == [
        "72.23", "62.63", "88.83"]
    assert csv_rows["0003"][column["section_leadership"]] == "8.83"
    assert (csv_rows["0002"][column["self"]], csv_rows["0002"][column["peer"]]) == ("", "72.28")

    book = openpyxl.load_workbook(cases_round.paths.reports / "summary-2026-year-end.xlsx")
    ranking = [row for row in book["排名"].iter_rows(min_row=4, max_row=6, values_only=True)]
    assert [(row[1], row[3], row[6], row[7], row[8]) for row in ranking] == [
        ("0003", 88.83, 86.0, 90.83, 88.75), ("0001", 72.23, 57.0, 68.44, 80.58),
        ("0002", 62.63, "—", 72.28, 56.83)]
    assert book["排名"]["D4"].number_format == "0.00"
    sections = book["分项得分"]
    assert (sections["B4"].value, sections["C4"].value) == ("第3党支部", 8.83)

    assert CliRunner().invoke(main, ["feedback", root, "--provisional"]).exit_code == 0
    sheet = openpyxl.load_workbook(
        cases_round.paths.reports / "feedback" / "0003-第3党支部-考核反馈.xlsx")["考核反馈"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "综合得分 88.83 分，等级：合格，在 3 个参加排名的支部中列第 1 名。" in values
    assert "自评 86.00  互评 90.83  考评 88.75" in values
    leadership = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "班子建设")
    # maximum, own, the average of 8.825, 0.2916… (0001) and 0 (0002), the best, the gap
    assert leadership[:6] == ("班子建设", 20, 8.83, 3.04, 8.83, 0)
