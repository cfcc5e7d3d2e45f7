"""Scoring rules, each against a hand-computed expectation."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from sheetops.model.scheme import Grade, Item, Scheme, Section, Veto
from sheetops.scoring.merge import (
    BranchResult,
    CommitteeVeto,
    FormScores,
    ScoringRules,
    combine_results,
    merge_role,
    score_round,
    score_targets,
)

SCHEME = Scheme(
    id="t", version="1", language="zh-CN", title="测试", total=D(100),
    sections=(
        Section("a", "甲", (Item("a1", "甲一", "规则", D(30)), Item("a2", "甲二", "规则", D(20)))),
        Section("b", "乙", (Item("b1", "乙一", "规则", D(30)), Item("b2", "乙二", "规则", D(20)))),
    ),
    vetoes=(Veto("v1", "班子是否不团结？"), Veto("v2", "是否受处分？")),
    grades=(Grade("先进", D(95)), Grade("合格", D(60)), Grade("不合格", D(0))),
    pending_grade="待定",
)
RULES = ScoringRules(
    weights={"self": D("0.2"), "peer": D("0.3"), "inspector": D("0.5")},
    missing={"self": "renormalise", "peer": "renormalise", "inspector": "pending"},
    trim_min_forms=5, drop_highest=1, drop_lowest=1, tie_breaks=("inspector", "peer"),
    decimals=2, grades=SCHEME.grades, pending_grade="待定",
)


def form(role: str, rater: str, target: str, total: str, *, vetoes: dict[str, bool] | None = None,
         notes: dict[str, str] | None = None) -> FormScores:
    """A form whose total is ``total``, spread over the items (a1 takes what is missing)."""
    value = D(total)
    items = {"a2": D(20), "b1": D(30), "b2": D(20)}
    items["a1"] = value - sum(items.values())
    if items["a1"] < 0:
        items = {"a1": D(0), "a2": D(0), "b1": min(value, D(30)), "b2": max(value - 30, D(0))}
    return FormScores(f"{role}-{rater}-{target}", role, rater, target, items, vetoes or {},
                      notes or {})


def branch(code: str, self_: str | None, peers: list[str], inspectors: list[str],
           **kwargs: dict[str, bool]) -> list[FormScores]:
    forms = [] if self_ is None else [form("self", code, code, self_, vetoes=kwargs.get("self"))]
    forms += [form("peer", f"p{i}", code, total) for i, total in enumerate(peers)]
    forms += [form("inspector", f"x{i}", code, total, vetoes=kwargs.get("inspector"))
              for i, total in enumerate(inspectors)]
    return forms


def run(forms: list[FormScores], codes: list[str], committee: list[CommitteeVeto] | None = None,
        rules: ScoringRules = RULES) -> dict[str, BranchResult]:
    results = score_round([(c, f"支部{c}") for c in codes], forms, committee or [], SCHEME, rules)
    return {r.code: r for r in results}


def test_weighted_final_score() -> None:
    result = run(branch("A", "90", ["80", "85", "90"], ["88"]), ["A"])["A"]
    # 0.2 × 90 + 0.3 × 85 + 0.5 × 88 = 18 + 25.5 + 44
    assert result.score == D("87.50")
    assert (result.grade, result.rank, result.complete, result.pending) == ("合格", 1, True, False)


@pytest.mark.parametrize(
    "peers, expected_peer, dropped",
    [
        (["80", "85", "90", "70"], D("81.25"), ()),  # 4 forms: no trimming
        (["80", "85", "90", "70", "95"], D("85"), ("peer-p3-A", "peer-p4-A")),  # drop 70 and 95
    ],
)
def test_peer_trimming(peers: list[str], expected_peer: D, dropped: tuple[str, ...]) -> None:
    merged = merge_role([form("peer", f"p{i}", "A", t) for i, t in enumerate(peers)], RULES,
                        trim=True)
    assert (merged.score, merged.dropped) == (expected_peer, dropped)
    assert sum(merged.items.values()) == expected_peer  # items merge over the same kept forms


def test_trimming_ties_are_broken_by_form_id() -> None:
    forms = [form("peer", f"p{i}", "A", "80") for i in range(5)]
    merged = merge_role(forms, RULES, trim=True)
    assert merged.dropped == ("peer-p0-A", "peer-p4-A")


def test_missing_self_renormalises_and_marks_incomplete() -> None:
    result = run(branch("A", None, ["80", "85", "90"], ["88"]), ["A"])["A"]
    # (0.3 × 85 + 0.5 × 88) / 0.8 = 69.5 / 0.8 = 86.875 → 86.88 (half up)
    assert result.score == D("86.88")
    assert (result.complete, result.pending, result.rank) == (False, False, 1)


def test_missing_role_counted_as_zero() -> None:
    rules = replace(RULES, missing={**RULES.missing, "self": "zero"})
    result = run(branch("A", None, ["80", "85", "90"], ["88"]), ["A"], rules=rules)["A"]
    assert result.score == D("69.50")  # 0.3 × 85 + 0.5 × 88, self's 0.2 counted as 0
    # The role still shows as missing (no form was returned) and the branch is incomplete;
    # its sections count the missing role as 0 too.
    assert (result.roles["self"], result.complete, result.pending) == (None, False, False)
    # a: 0.3 × 35 + 0.5 × 38 = 29.5; b: 0.3 × 50 + 0.5 × 50 = 40; together the final 69.5
    assert result.sections == {"a": D("29.50"), "b": D("40.00")}


def test_missing_inspector_leaves_the_branch_pending() -> None:
    results = run(branch("A", "90", ["80"], []) + branch("B", "90", ["80"], ["80"]), ["A", "B"])
    pending = results["A"]
    assert (pending.score, pending.grade, pending.rank, pending.pending) == (None, "待定", None, True)
    assert results["B"].rank == 1
    assert pending.sections == {}


def test_rounding_half_up_at_005() -> None:
    # inspector forms 88 and 88.5 → 88.25; 18 + 25.5 + 44.125 = 87.625 → 87.63 (not 87.62)
    result = run(branch("A", "90", ["85"], ["88", "88.5"]), ["A"])["A"]
    assert result.score == D("87.63")


@pytest.mark.parametrize(
    "total, grade",
    [("95", "先进"), ("94.5", "合格"), ("60", "合格"), ("59.5", "不合格"), ("100", "先进"),
     ("0", "不合格")],
)
def test_grade_boundaries(total: str, grade: str) -> None:
    result = run(branch("A", total, [total], [total]), ["A"])["A"]
    assert (result.score, result.grade) == (D(total).quantize(D("0.01")), grade)


def test_rules_grade_exactly_at_the_threshold() -> None:
    assert [RULES.grade_for(D(v)) for v in ("95.00", "94.99", "60.00", "59.99")] == [
        "先进", "合格", "合格", "不合格"]


def test_ties_tie_breaks_and_shared_ranks() -> None:
    # A: 18 + 25.5 + 44 = 87.5; B: 18 + 24 + 45.5 = 87.5; B's inspector 91 > 88 → B first.
    forms = branch("A", "90", ["85"], ["88"]) + branch("B", "90", ["80"], ["91"])
    forms += branch("C", "80", ["80"], ["80"]) + branch("D", "80", ["80"], ["80"])
    forms += branch("E", "70", ["70"], ["70"])
    results = run(forms, ["A", "B", "C", "D", "E"])
    assert [(c, results[c].score, results[c].rank) for c in "BACDE"] == [
        ("B", D("87.50"), 1), ("A", D("87.50"), 2), ("C", D("80.00"), 3), ("D", D("80.00"), 3),
        ("E", D("70.00"), 5)]


def test_tie_broken_by_peer_when_inspector_equal() -> None:
    forms = branch("A", "92", ["80"], ["88"]) + branch("B", "86", ["84"], ["88"])
    # A: 18.4 + 24 + 44 = 86.4; B: 17.2 + 25.2 + 44 = 86.4; inspector equal, B's peer higher.
    results = run(forms, ["A", "B"])
    assert (results["B"].rank, results["A"].rank) == (1, 2)


@pytest.mark.parametrize("source", ["self", "inspector"])
def test_veto_from_a_form(source: str) -> None:
    vetoes = {source: {"v1": True, "v2": False}}
    forms = branch("A", "99", ["99"], ["99"], **vetoes) + branch("B", "80", ["80"], ["80"])
    results = run(forms, ["A", "B"])
    vetoed = results["A"]
    assert (vetoed.vetoed, vetoed.veto_ids, vetoed.grade, vetoed.rank) == (
        True, ["v1"], "不合格", None)
    assert vetoed.score == D("99.00")  # still shown
    assert vetoed.vetoes[0].source == source
    assert results["B"].rank == 1


def test_a_peer_cannot_veto() -> None:
    forms = [*branch("A", "90", [], ["90"]), form("peer", "p", "A", "90", vetoes={"v1": True})]
    assert run(forms, ["A"])["A"].vetoed is False


def test_committee_veto_with_its_note() -> None:
    committee = [CommitteeVeto("A", "v2", "党员张某受记过处分", "2026-12-01T08:00:00+00:00")]
    result = run(branch("A", "99", ["99"], ["99"]), ["A"], committee)["A"]
    assert (result.grade, result.rank, result.veto_ids) == ("不合格", None, ["v2"])
    assert (result.vetoes[0].source, result.vetoes[0].note) == ("committee", "党员张某受记过处分")


def test_section_and_item_scores_merge_with_the_same_weights() -> None:
    forms = [
        FormScores("s", "self", "A", "A", {"a1": D(30), "a2": D(20), "b1": D(30), "b2": D(20)}),
        FormScores("p", "peer", "B", "A", {"a1": D(25), "a2": D(15), "b1": D(30), "b2": D(20)}),
        FormScores("x", "inspector", "X", "A", {"a1": D(20), "a2": D(10), "b1": D(25),
                                                 "b2": D(20)}),
    ]
    result = run(forms, ["A"])["A"]
    # section a: 0.2 × 50 + 0.3 × 40 + 0.5 × 30 = 10 + 12 + 15 = 37
    # section b: 0.2 × 50 + 0.3 × 50 + 0.5 × 45 = 10 + 15 + 22.5 = 47.5
    assert result.sections == {"a": D("37.00"), "b": D("47.50")}
    # a1: 6 + 7.5 + 10; a2: 4 + 4.5 + 5; b1: 6 + 9 + 12.5; b2: 4 + 6 + 10
    assert result.items == {"a1": D("23.50"), "a2": D("13.50"), "b1": D("27.50"),
                            "b2": D("20.00")}
    assert result.score == D("84.50")


# -- the rules docs/scoring.md decides, each with its worked example -------------------------

def test_a_vetoed_branch_without_an_inspector_form_is_vetoed_and_pending() -> None:
    forms = (branch("A", "99", ["99"], [], self={"v1": True}) + branch("B", "80", ["80"], ["80"])
             + branch("C", "90", ["90"], [], inspector={"v1": True})
             + branch("D", "99", ["99"], ["99"], inspector={"v2": True}))
    results = score_round([(c, c) for c in "ABCD"], forms, [], SCHEME, RULES)
    assert [(r.code, r.rank, r.score, r.grade, r.vetoed, r.pending) for r in results] == [
        ("B", 1, D("80.00"), "合格", False, False),
        ("D", None, D("99.00"), "不合格", True, False),  # vetoed, with a score
        ("A", None, None, "不合格", True, True),  # vetoed and pending: the veto decides
        ("C", None, None, "待定", False, True),  # pending only
    ]
    assert results[2].sections == {} and results[2].veto_ids == ["v1"]


def test_combining_uses_both_rounds_published_scores() -> None:
    # This round: 0.2 × 85 + 0.3 × 85 + 0.5 × 85.75 = 85.375, published as 85.38. With the
    # half-year's 80.00 at 0.3: 0.7 × 85.38 + 0.3 × 80.00 = 83.766 → 83.77 (combining the
    # exact 85.375 would give 83.7625 → 83.76, a number no published score explains).
    forms = (branch("A", "85", ["85", "85", "85"], ["85.5", "86"])
             + branch("B", "90", ["90"], ["90"]) + branch("C", "70", ["70"], ["70"]))
    results = run(forms, ["A", "B", "C"])
    assert results["A"].score == D("85.38")
    half_year = {"A": D("80.00"), "B": D("99.00"), "C": None}  # C: no half-year score
    combined = {r.code: r for r in combine_results(list(results.values()), half_year,
                                                    D("0.3"), RULES)}
    assert [(c, r.score, r.this_round, r.combined_with, r.grade, r.rank)
            for c, r in sorted(combined.items())] == [
        ("A", D("83.77"), D("85.38"), D("80.00"), "合格", 2),
        ("B", D("92.70"), D("90.00"), D("99.00"), "合格", 1),  # 63 + 29.7
        ("C", D("70.00"), D("70.00"), None, "合格", 3)]


def test_a_half_year_veto_does_not_carry_over() -> None:
    half = {r.code: r.score for r in run(branch("A", "99", ["99"], ["99"], self={"v1": True}),
                                         ["A"]).values()}
    assert half == {"A": D("99.00")}  # vetoed in the half-year, its score still published
    this = list(run(branch("A", "95", ["95"], ["95"]), ["A"]).values())
    [combined] = combine_results(this, half, D("0.3"), RULES)
    assert (combined.score, combined.grade, combined.vetoed, combined.rank) == (
        D("96.20"), "先进", False, 1)


def test_tie_breaks_compare_role_scores_at_the_rounds_decimals() -> None:
    # A: 18 + 25.5 + 0.5 × 88.25 = 87.625; B: 18 + 25.8 + 44 = 87.8. At decimals = 0 both
    # are 88 with inspector 88 (88.25 shown as 88): the peer score decides, 86 > 85.
    forms = branch("A", "90", ["85"], ["88", "88.5"]) + branch("B", "90", ["86"], ["88"])
    rules = replace(RULES, decimals=0)
    results = score_round([("A", "A"), ("B", "B")], forms, [], SCHEME, rules)
    assert [(r.code, r.score, r.rank) for r in results] == [("B", D("88"), 1), ("A", D("88"), 2)]
    # At two decimals the scores differ and B leads on them alone.
    assert [r.code for r in score_round([("A", "A"), ("B", "B")], forms, [], SCHEME, RULES)] == [
        "B", "A"]


def test_equal_final_scores_means_equal_as_shown() -> None:
    # At decimals = 1, A: 17.6 + 24.9 + 42.75 = 85.25 and B: 17.9 + 24.9 + 42.5 = 85.3 are both
    # shown as 85.3: equal, so the inspector score decides and A (85.5) ranks above B (85.0).
    forms = branch("A", "88", ["83"], ["85.5"]) + branch("B", "89.5", ["83"], ["85"])
    rules = replace(RULES, decimals=1)
    results = score_round([("B", "B"), ("A", "A")], forms, [], SCHEME, rules)
    assert [(r.code, r.score, r.rank) for r in results] == [("A", D("85.3"), 1),
                                                            ("B", D("85.3"), 2)]


def test_a_full_tie_shares_the_rank_and_is_listed_by_code() -> None:
    forms = [f for code in ("C", "A", "B") for f in branch(code, "90", ["80"], ["85"])]
    forms += branch("D", "99", ["99"], ["99"])
    results = score_round([(c, c) for c in "CABD"], forms, [], SCHEME, RULES)
    assert [(r.code, r.rank) for r in results] == [("D", 1), ("A", 2), ("B", 2), ("C", 2)]


def test_trimming_must_leave_a_form_to_average() -> None:
    with pytest.raises(ValueError, match="trim_min_forms 2 must exceed the 1 \\+ 1 forms"):
        replace(RULES, trim_min_forms=2)
    assert replace(RULES, trim_min_forms=3).trim_min_forms == 3


def test_an_exact_94_995_is_shown_as_95_00_and_is_advanced() -> None:
    rules = replace(RULES, weights={"self": D("0.01"), "peer": D("0.49"), "inspector": D("0.5")})
    # 0.01 × 94.5 + 0.49 × 95 + 0.5 × 95 = 0.945 + 46.55 + 47.5 = 94.995
    results = run(branch("A", "94.5", ["95"], ["95"]) + branch("B", "94", ["95"], ["95"]),
                  ["A", "B"], rules=rules)
    assert (results["A"].score, results["A"].grade) == (D("95.00"), "先进")
    assert (results["B"].score, results["B"].grade) == (D("94.99"), "合格")  # 0.94 + … = 94.99


def test_forms_given_target_by_target_score_as_the_whole_round() -> None:
    """What ``rank`` streams from the ledger, one target's forms after another, ranks as the
    round's forms given at once; a target outside the roster is passed over."""
    forms = (branch("A", "90", ["80", "85", "90", "70", "95"], ["88"])
             + branch("B", "99", ["99"], [], self={"v1": True})
             + branch("C", "92", ["91"], ["93"]) + branch("Z", "10", ["10"], ["10"]))
    codes = [("C", "丙"), ("A", "甲"), ("B", "乙")]
    groups = [(t, [f for f in forms if f.target == t]) for t in ("C", "Z", "A", "B")]
    committee = [CommitteeVeto("C", "v2", "通报", "2026-12-01")]
    assert (score_targets(codes, iter(groups), committee, SCHEME, RULES)
            == score_round(codes, forms, committee, SCHEME, RULES))
    assert [(r.code, r.rank, r.score) for r in score_targets(codes, [], [], SCHEME, RULES)] == [
        ("A", None, None), ("B", None, None), ("C", None, None)]
    with pytest.raises(ValueError, match="the forms rating A came in more than one group"):
        score_targets(codes, [("A", forms[:2]), ("C", []), ("A", forms[2:6])], [], SCHEME,
                      RULES)
