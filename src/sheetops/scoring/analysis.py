"""Rater analysis: can the ranking be trusted? (pure functions over plain data)

- self-inflation: how far a branch's self score sits above its inspector and peer scores;
- peer leniency: how far each peer rater's totals sit from the other peers rating the same
  branch, on average;
- uniform raters: every item at full marks, or the same total for every branch rated;
- reciprocal pairs: two branches each scoring the other well above the consensus;
- trimming: which ranks would change without dropping the highest and lowest peer totals.

Thresholds are points on the 100-point scale, set in ``round.toml`` ``[analysis]``. Every
difference is exact (a :class:`fractions.Fraction`); reports round it once, as they show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from sheetops.model.round import Thresholds
from sheetops.model.scheme import Scheme
from sheetops.scoring.merge import (
    BranchResult,
    CommitteeVeto,
    FormScores,
    FormTally,
    ScoringRules,
    mean,
    untrimmed_ranks,
)


@dataclass(frozen=True)
class Inflation:
    """A branch's self score against the others' view of it."""

    branch: str
    self_score: Fraction
    over_inspector: Fraction | None
    over_peers: Fraction | None
    flagged: bool


@dataclass(frozen=True)
class Leniency:
    """A peer rater's mean deviation from the other peers rating the same branches."""

    rater: str
    forms: int
    deviation: Fraction
    flagged: bool


@dataclass(frozen=True)
class UniformRater:
    """A rater whose scores do not discriminate."""

    rater: str
    role: str
    kind: str  # "all-full-marks" | "same-total"
    forms: int


@dataclass(frozen=True)
class ReciprocalPair:
    """Two branches each rating the other above consensus."""

    first: str
    second: str
    first_over: Fraction  # how far first's total for second exceeds the consensus on second
    second_over: Fraction


@dataclass(frozen=True)
class RankChange:
    """A branch whose rank depends on peer trimming."""

    branch: str
    rank: int | None
    untrimmed_rank: int | None


@dataclass
class Analysis:
    """Everything the rater analysis found."""

    inflation: list[Inflation] = field(default_factory=list)
    leniency: list[Leniency] = field(default_factory=list)
    uniform: list[UniformRater] = field(default_factory=list)
    reciprocal: list[ReciprocalPair] = field(default_factory=list)
    trimming: list[RankChange] = field(default_factory=list)

    @property
    def flags(self) -> int:
        """How many things are flagged in all."""
        return (sum(i.flagged for i in self.inflation) + sum(r.flagged for r in self.leniency)
                + len(self.uniform) + len(self.reciprocal) + len(self.trimming))


def _peer_consensus(forms: Sequence[FormTally]) -> dict[tuple[str, str], Fraction]:
    """For each (rater, target) peer form: the mean of the *other* peers' totals on target."""
    by_target: dict[str, list[FormTally]] = {}
    for form in forms:
        if form.role == "peer":
            by_target.setdefault(form.target, []).append(form)
    consensus = {}
    for target, peers in by_target.items():
        for form in peers:
            others = [f.total for f in peers if f.rater != form.rater]
            if others:
                consensus[(form.rater, target)] = mean(others)
    return consensus


def analyse_raters(
    forms: Sequence[FormScores | FormTally],
    results: Sequence[BranchResult],
    branches: Sequence[tuple[str, str]],
    committee: Sequence[CommitteeVeto],
    scheme: Scheme,
    rules: ScoringRules,
    thresholds: Thresholds | None = None,
) -> Analysis:
    """Look for raters and scores that deserve a second look.

    Args:
        forms: every accepted form of the round, or its tally (all the analysis reads).
        results: the round's results (as ranked).
        branches: ``(code, name)`` in roster order; unused since the ranking without
            trimming is derived from ``results`` (kept so that callers need not change).
        committee: committee vetoes; unused likewise (``results`` carry the vetoes).
        scheme: the round's scheme.
        rules: the round's rules.
        thresholds: when to flag.

    Returns:
        The analysis, every list in a stable order.
    """
    thresholds = thresholds or Thresholds()
    tallies = [f if isinstance(f, FormTally) else FormTally.of(f, scheme) for f in forms]
    analysis = Analysis()
    for result in sorted(results, key=lambda r: r.code):
        own = result.roles.get("self")
        if own is None:
            continue
        inspector, peer = result.roles.get("inspector"), result.roles.get("peer")
        over_inspector = own.score - inspector.score if inspector else None
        over_peers = own.score - peer.score if peer else None
        flagged = any(d is not None and d >= thresholds.inflation
                      for d in (over_inspector, over_peers))
        analysis.inflation.append(Inflation(result.code, own.score, over_inspector, over_peers,
                                            flagged))

    consensus = _peer_consensus(tallies)
    deviations: dict[str, list[Fraction]] = {}
    for form in tallies:
        key = (form.rater, form.target)
        if form.role == "peer" and key in consensus:
            deviations.setdefault(form.rater, []).append(Fraction(form.total) - consensus[key])
    for rater in sorted(deviations):
        deviation = mean(deviations[rater])
        analysis.leniency.append(Leniency(rater, len(deviations[rater]), deviation,
                                          abs(deviation) >= thresholds.leniency))

    by_rater: dict[tuple[str, str], list[FormTally]] = {}
    for form in tallies:
        by_rater.setdefault((form.rater, form.role), []).append(form)
    for (rater, role), own_forms in sorted(by_rater.items()):
        if all(f.full_marks for f in own_forms):
            analysis.uniform.append(UniformRater(rater, role, "all-full-marks", len(own_forms)))
        elif len(own_forms) >= 2 and len({f.total for f in own_forms}) == 1:
            analysis.uniform.append(UniformRater(rater, role, "same-total", len(own_forms)))

    over = {key: Fraction(form.total) - consensus[key] for form in tallies
            if form.role == "peer" and (key := (form.rater, form.target)) in consensus}
    for (rater, target), amount in sorted(over.items()):
        back = over.get((target, rater))
        if rater < target and back is not None and min(amount, back) >= thresholds.reciprocal:
            analysis.reciprocal.append(ReciprocalPair(rater, target, amount, back))

    before = untrimmed_ranks(results, tallies, rules)
    for result in sorted(results, key=lambda r: r.code):
        if before.get(result.code) != result.rank:
            analysis.trimming.append(RankChange(result.code, result.rank, before.get(result.code)))
    return analysis

