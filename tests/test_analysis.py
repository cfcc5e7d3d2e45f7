"""Rater analysis on crafted rounds, and combining a year-end round with its half-year round."""

from __future__ import annotations

from decimal import Decimal as D

from sheetops.model.round import Thresholds
from sheetops.scoring.analysis import analyse_raters
from sheetops.scoring.merge import FormScores, combine_results, score_round

from .test_scoring import RULES, SCHEME, form

TRUE = {"A": "85", "B": "88", "C": "86", "D": "84", "E": "82", "F": "87"}
CODES = list(TRUE)


def everyone_rates_everyone(peer_total: dict[tuple[str, str], str] | None = None,
                            self_bonus: dict[str, str] | None = None) -> list[FormScores]:
    """Six branches, each rated by the five others (so peer trimming applies)."""
    forms = []
    for code, true in TRUE.items():
        own = D(true) + D((self_bonus or {}).get(code, "0"))
        forms.append(form("self", code, code, str(own)))
        forms.append(form("inspector", "X", code, true))
        for rater in CODES:
            if rater != code:
                total = (peer_total or {}).get((rater, code), true)
                forms.append(form("peer", rater, code, total))
    return forms


def analyse(forms: list[FormScores]) -> tuple[object, dict[str, int | None]]:
    branches = [(c, c) for c in CODES]
    results = score_round(branches, forms, [], SCHEME, RULES)
    analysis = analyse_raters(forms, results, branches, [], SCHEME, RULES, Thresholds())
    return analysis, {r.code: r.rank for r in results}


def test_a_clean_round_flags_nothing() -> None:
    # Peers within half a point of the truth, self one point up: honest raters.
    wobble = {(r, t): str(D(TRUE[t]) + (D("0.5") if (ord(r) + ord(t)) % 2 else D("-0.5")))
              for r in CODES for t in CODES if r != t}
    analysis, ranks = analyse(everyone_rates_everyone(wobble, {c: "1" for c in CODES}))
    assert analysis.flags == 0  # type: ignore[attr-defined]
    assert ranks == {"B": 1, "F": 2, "C": 3, "A": 4, "D": 5, "E": 6}


def test_a_crafted_round_flags_each_known_problem() -> None:
    peer_total = {}
    for target in CODES:
        if target != "B":
            peer_total[("B", target)] = str(D(TRUE[target]) + 5)  # B: a lenient rater
    peer_total[("C", "D")] = str(D(TRUE["D"]) + 6)  # C and D: each other's friends
    peer_total[("D", "C")] = str(D(TRUE["C"]) + 6)
    peer_total[("E", "F")] = "40"  # E sinks F; only trimming saves F's rank
    analysis, ranks = analyse(everyone_rates_everyone(peer_total, {"A": "10"}))
    inflated = [i.branch for i in analysis.inflation if i.flagged]  # type: ignore[attr-defined]
    assert inflated == ["A"]  # self 95 against inspector 85
    a = next(i for i in analysis.inflation if i.branch == "A")  # type: ignore[attr-defined]
    assert a.over_inspector == D(10)
    lenient = [(r.rater, r.deviation) for r in analysis.leniency if r.flagged]  # type: ignore[attr-defined]
    assert [r for r, _ in lenient] == ["B", "E"]
    assert lenient[0][1] > 4  # B: lenient with everyone
    assert lenient[1][1] < -8  # E: its 40 for F makes it a harsh rater too
    pairs = [(p.first, p.second) for p in analysis.reciprocal]  # type: ignore[attr-defined]
    assert pairs == [("C", "D")]
    changed = {c.branch: (c.rank, c.untrimmed_rank) for c in analysis.trimming}  # type: ignore[attr-defined]
    assert "F" in changed
    rank, untrimmed = changed["F"]
    assert rank is not None and untrimmed is not None and untrimmed > rank
    assert ranks["F"] == rank


def test_raters_who_do_not_discriminate() -> None:
    items_full = {i.id: i.max for i in SCHEME.items}
    forms = [FormScores(f"peer-A-{t}", "peer", "A", t, items_full) for t in "BC"]
    forms += [form("peer", "B", t, "90") for t in "AC"]
    forms += [form("peer", "C", t, s) for t, s in (("A", "80"), ("B", "85"))]
    forms += [form("inspector", "X", t, "85") for t in "ABC"]
    branches = [(c, c) for c in "ABC"]
    results = score_round(branches, forms, [], SCHEME, RULES)
    analysis = analyse_raters(forms, results, branches, [], SCHEME, RULES)
    assert [(u.rater, u.role, u.kind) for u in analysis.uniform] == [
        ("A", "peer", "all-full-marks"), ("B", "peer", "same-total"), ("X", "inspector",
                                                                      "same-total")]


def test_year_end_combined_with_half_year_by_hand() -> None:
    forms = [form(role, rater, target, total) for role, rater, target, total in (
        ("self", "A", "A", "90"), ("peer", "B", "A", "90"), ("inspector", "X", "A", "90"),
        ("self", "B", "B", "96"), ("peer", "A", "B", "95"), ("inspector", "X", "B", "95"),
        ("self", "C", "C", "99"), ("peer", "A", "C", "99"), ("inspector", "X", "C", "99"),
    )]
    results = score_round([(c, c) for c in "ABC"], forms, [], SCHEME, RULES)
    assert {r.code: r.score for r in results} == {"A": D("90.00"), "B": D("95.20"),
                                                  "C": D("99.00")}
    half_year = {"A": D("80.00"), "B": D("95.00"), "C": None}
    combined = combine_results(results, half_year, D("0.3"), RULES)
    by_code = {r.code: r for r in combined}
    # A: 0.7 × 90 + 0.3 × 80 = 63 + 24 = 87.00 (合格)
    # B: 0.7 × 95.20 + 0.3 × 95 = 66.64 + 28.5 = 95.14 (先进)
    # C: no half-year score: keeps 99.00
    assert (by_code["A"].score, by_code["A"].grade) == (D("87.00"), "合格")
    assert (by_code["B"].score, by_code["B"].grade) == (D("95.14"), "先进")
    assert (by_code["C"].score, by_code["C"].this_round, by_code["C"].combined_with) == (
        D("99.00"), D("99.00"), None)
    assert [r.code for r in combined] == ["C", "B", "A"]
    assert [r.rank for r in combined] == [1, 2, 3]
    assert by_code["A"].this_round == D("90.00") and by_code["A"].combined_with == D("80.00")
