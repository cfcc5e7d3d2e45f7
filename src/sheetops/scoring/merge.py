"""Merge, veto, grade and rank: pure functions over plain data.

The rules (docs/scoring.md; each configurable in ``round.toml`` or the scheme):

- a form's total is the sum of its item scores;
- role score: self = its self form; peer = mean of its peer forms, dropping the highest and
  lowest totals when there are at least ``trim_min_forms``; inspector = mean of its inspector
  forms;
- final = Σ weight × role score, rounded half-up; a missing role is renormalised away, counted as
  zero, or leaves the branch pending, per role;
- a 是 on any veto question of a self or inspector form, or a committee veto, makes the branch
  vetoed: the lowest grade, no rank, reason shown;
- grade by the scheme's bands; rank by final score, ties broken by the tie-break roles, still
  tied → same rank (1, 2, 2, 4);
- section and item scores merge with the same forms, weights and policies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Final

from sheetops.model.round import ROLES, RoundConfig
from sheetops.model.scheme import Grade, Scheme

RENORMALISE: Final = "renormalise"
ZERO: Final = "zero"
PENDING: Final = "pending"
ZERO_SCORE: Final = Decimal(0)  # Decimals are immutable: one zero serves every sum


@dataclass(frozen=True)
class FormScores:
    """One accepted form's content, as the ledger holds it."""

    form_id: str
    role: str
    rater: str
    target: str
    items: Mapping[str, Decimal]
    vetoes: Mapping[str, bool] = field(default_factory=dict)
    veto_notes: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def total(self) -> Decimal:
        """The form's total: the sum of its item scores (computed once)."""
        return sum(self.items.values(), Decimal(0))


@dataclass(frozen=True)
class CommitteeVeto:
    """A veto recorded by the committee."""

    branch: str
    veto_id: str
    note: str
    decided_at: str


@dataclass(frozen=True)
class ScoringRules:
    """Everything the computation depends on."""

    weights: Mapping[str, Decimal]
    missing: Mapping[str, str]
    trim_min_forms: int
    drop_highest: int
    drop_lowest: int
    tie_breaks: tuple[str, ...]
    decimals: int
    grades: tuple[Grade, ...]
    pending_grade: str

    @classmethod
    def from_round(cls, config: RoundConfig, scheme: Scheme) -> ScoringRules:
        """The rules of a round: its settings plus the scheme's grade bands."""
        return cls(
            weights=dict(config.weights),
            missing=dict(config.missing),
            trim_min_forms=config.trim_min_forms,
            drop_highest=config.trim_drop_highest,
            drop_lowest=config.trim_drop_lowest,
            tie_breaks=config.tie_breaks,
            decimals=config.decimals,
            grades=scheme.grades,
            pending_grade=scheme.pending_grade,
        )

    @cached_property
    def quantum(self) -> Decimal:
        """The smallest step of a rounded score (0.01 for two decimals)."""
        return Decimal(1).scaleb(-self.decimals)

    def round(self, value: Decimal) -> Decimal:
        """Round half-up to the configured decimals (92.345 → 92.35)."""
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def grade_for(self, score: Decimal) -> str:
        """The first band whose minimum the score reaches."""
        for grade in self.grades:
            if score >= grade.min:
                return grade.name
        return self.grades[-1].name


@dataclass(frozen=True)
class RoleResult:
    """One role's merged result for one branch (unrounded means)."""

    score: Decimal
    items: Mapping[str, Decimal]
    forms: tuple[str, ...]  # form ids used
    dropped: tuple[str, ...]  # form ids trimmed away


@dataclass(frozen=True)
class VetoReason:
    """Why a branch is vetoed: which question, from whom, with what evidence."""

    veto_id: str
    source: str  # "self" | "inspector" | "committee"
    rater: str
    note: str


@dataclass
class BranchResult:
    """A branch's result."""

    code: str
    name: str
    roles: dict[str, RoleResult | None]
    score: Decimal | None
    complete: bool
    pending: bool
    vetoes: list[VetoReason]
    grade: str
    sections: dict[str, Decimal]
    items: dict[str, Decimal]
    rank: int | None = None
    this_round: Decimal | None = None  # this round's own score, when combined with another
    combined_with: Decimal | None = None  # the other round's score it was combined with
    previous: Decimal | None = None  # a compared previous round's score

    @property
    def change(self) -> Decimal | None:
        """Score change since the compared previous round."""
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def vetoed(self) -> bool:
        """Whether any veto applies."""
        return bool(self.vetoes)

    @property
    def veto_ids(self) -> list[str]:
        """The distinct veto ids that apply, in scheme order of first appearance."""
        return list(dict.fromkeys(v.veto_id for v in self.vetoes))


def mean(values: Sequence[Decimal]) -> Decimal:
    """Exact mean of Decimals (as exact as Decimal's 28 digits allow)."""
    return sum(values, Decimal(0)) / len(values)


def merge_role(forms: Sequence[FormScores], rules: ScoringRules, *, trim: bool) -> RoleResult:
    """Merge one role's forms for one branch.

    With ``trim`` and at least ``trim_min_forms`` forms, the highest and lowest totals are
    dropped first (ties broken by form id, so the result never depends on input order).
    Item scores are the means over the same kept forms, so they add up to the role score.
    """
    ordered = sorted(forms, key=lambda f: (f.total, f.form_id))
    dropped: list[FormScores] = []
    if trim and len(ordered) >= rules.trim_min_forms:
        low, high = rules.drop_lowest, rules.drop_highest
        if len(ordered) > low + high:
            dropped = ordered[:low] + ordered[len(ordered) - high:]
            ordered = ordered[low:len(ordered) - high]
    # Item means over the kept forms in one pass: the same Decimal operations in the same order
    # as mean() (zero plus each score, divided by the count), so every digit is the same.
    count = len(ordered)
    if count == 1:
        items = {item: (ZERO_SCORE + score) / 1 for item, score in ordered[0].items.items()}
    else:
        sums = dict.fromkeys((item for f in ordered for item in f.items), ZERO_SCORE)
        for form in ordered:
            scores = form.items
            for item in sums:
                sums[item] += scores.get(item, ZERO_SCORE)
        items = {item: total / count for item, total in sums.items()}
    return RoleResult(
        score=mean([f.total for f in ordered]),
        items=items,
        forms=tuple(sorted(f.form_id for f in ordered)),
        dropped=tuple(sorted(f.form_id for f in dropped)),
    )


def combine(values: Mapping[str, Decimal | None], rules: ScoringRules) -> Decimal | None:
    """Weight role values into one; None when a missing role's policy is pending."""
    return combine_in_order([values.get(role) for role in ROLES], rules)


def combine_in_order(values: Sequence[Decimal | None], rules: ScoringRules) -> Decimal | None:
    """:func:`combine` for values given in :data:`ROLES` order (no mapping to build)."""
    total = weight_sum = ZERO_SCORE
    for role, value in zip(ROLES, values, strict=True):
        weight = rules.weights[role]
        if value is None:
            policy = rules.missing[role]
            if policy == PENDING:
                return None
            if policy == ZERO:
                weight_sum += weight
            continue
        total += weight * value
        weight_sum += weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def score_branch(
    code: str,
    name: str,
    forms: Sequence[FormScores],
    committee: Sequence[CommitteeVeto],
    scheme: Scheme,
    rules: ScoringRules,
) -> BranchResult:
    """Compute one branch's result from its accepted forms (rank is set by :func:`rank_entries`).

    Args:
        code: the branch code.
        name: its name.
        forms: the accepted forms that rate this branch (any role).
        committee: committee vetoes on this branch.
        scheme: the round's scheme (sections, veto ids).
        rules: the round's rules.

    Returns:
        The branch's merged result.
    """
    roles: dict[str, RoleResult | None] = {}
    for role in ROLES:
        own = [f for f in forms if f.role == role and f.target == code]
        roles[role] = merge_role(own, rules, trim=role == "peer") if own else None

    vetoes = [
        VetoReason(veto.id, form.role, form.rater, form.veto_notes.get(veto.id, ""))
        for form in sorted(forms, key=lambda f: (ROLES.index(f.role), f.rater))
        if form.role in ("self", "inspector")
        for veto in scheme.vetoes
        if form.vetoes.get(veto.id)
    ]
    vetoes += [VetoReason(v.veto_id, "committee", "", v.note) for v in committee]

    raw = combine({r: (res.score if res else None) for r, res in roles.items()}, rules)
    pending = raw is None
    score = None if raw is None else rules.round(raw)
    sections: dict[str, Decimal] = {}
    items: dict[str, Decimal] = {}
    if not pending:
        merged = [roles[role] for role in ROLES]
        for item in scheme.items:
            value = combine_in_order([res.items.get(item.id) if res else None
                                      for res in merged], rules)
            if value is not None:
                items[item.id] = value
        for section in scheme.sections:
            section_value = combine_in_order(
                [sum((res.items.get(i.id, ZERO_SCORE) for i in section.items), ZERO_SCORE)
                 if res else None for res in merged], rules)
            if section_value is not None:
                sections[section.id] = rules.round(section_value)
        items = {k: rules.round(v) for k, v in items.items()}
    if vetoes:
        grade = rules.grades[-1].name
    elif score is None:
        grade = rules.pending_grade
    else:
        grade = rules.grade_for(score)
    return BranchResult(
        code=code,
        name=name,
        roles=roles,
        score=score,
        complete=all(roles[r] is not None for r in ROLES),
        pending=pending,
        vetoes=vetoes,
        grade=grade,
        sections=sections,
        items=items,
    )


def rank_entries(results: list[BranchResult], rules: ScoringRules) -> list[BranchResult]:
    """Rank branches that are neither vetoed nor pending, in place; return them in order.

    Order: by final score descending, then by each tie-break role's score (rounded as shown),
    descending; branches still equal share a rank and the next rank skips (1, 2, 2, 4).
    Vetoed and pending branches follow, unranked, by score and code.

    Returns:
        All results: ranked ones first in rank order, then vetoed, then pending.
    """

    def key(result: BranchResult) -> tuple[Decimal, ...]:
        parts = [result.score if result.score is not None else Decimal("-Infinity")]
        for role in rules.tie_breaks:
            role_result = result.roles.get(role)
            parts.append(rules.round(role_result.score) if role_result else Decimal("-Infinity"))
        return tuple(parts)

    eligible = sorted((r for r in results if not r.vetoed and not r.pending),
                      key=lambda r: (tuple(-p for p in key(r)), r.code))
    previous: tuple[Decimal, ...] | None = None
    for position, result in enumerate(eligible, start=1):
        current = key(result)
        result.rank = position if current != previous else eligible[position - 2].rank
        previous = current
    vetoed = sorted((r for r in results if r.vetoed),
                    key=lambda r: (-(r.score or Decimal(-1)), r.code))
    pending = sorted((r for r in results if r.pending and not r.vetoed), key=lambda r: r.code)
    for result in (*vetoed, *pending):
        result.rank = None
    return [*eligible, *vetoed, *pending]


def score_round(
    branches: Sequence[tuple[str, str]],
    forms: Sequence[FormScores],
    committee: Sequence[CommitteeVeto],
    scheme: Scheme,
    rules: ScoringRules,
) -> list[BranchResult]:
    """Score and rank every branch of a round.

    Args:
        branches: ``(code, name)`` in roster order.
        forms: every accepted (current) form of the round.
        committee: active committee vetoes.
        scheme: the round's scheme.
        rules: the round's rules.

    Returns:
        Results in rank order (see :func:`rank_entries`).
    """
    by_target: dict[str, list[FormScores]] = {}
    for form in forms:
        by_target.setdefault(form.target, []).append(form)
    vetoes: dict[str, list[CommitteeVeto]] = {}
    for veto in committee:
        vetoes.setdefault(veto.branch, []).append(veto)
    results = [
        score_branch(code, name, by_target.get(code, []), vetoes.get(code, []), scheme, rules)
        for code, name in branches
    ]
    return rank_entries(results, rules)


def untrimmed_ranks(results: Sequence[BranchResult], forms: Sequence[FormScores],
                    rules: ScoringRules) -> dict[str, int | None]:
    """Each branch's rank in this round had no peer totals been dropped.

    The same ranking :func:`score_round` gives with trimming switched off, from this round's
    own scores (before any combination with another round). Only the peer role of branches
    that had forms dropped is merged again; every other role result is reused.

    Args:
        results: the round's results (possibly combined with another round's).
        forms: every accepted form of the round.
        rules: the round's rules.

    Returns:
        Ranks by branch code (None for vetoed and pending branches).
    """
    peers: dict[str, list[FormScores]] = {}
    for form in forms:
        if form.role == "peer":
            peers.setdefault(form.target, []).append(form)
    untrimmed = []
    for result in results:
        roles = dict(result.roles)
        peer = roles.get("peer")
        if peer is not None and peer.dropped:
            roles["peer"] = merge_role(peers[result.code], rules, trim=False)
        raw = combine({r: (res.score if res else None) for r, res in roles.items()}, rules)
        untrimmed.append(replace(result, roles=roles,
                                 score=None if raw is None else rules.round(raw)))
    return {r.code: r.rank for r in rank_entries(untrimmed, rules)}


def combine_results(
    results: list[BranchResult],
    other: Mapping[str, Decimal | None],
    weight: Decimal,
    rules: ScoringRules,
) -> list[BranchResult]:
    """Combine each branch's final score with another round's (year-end with half-year).

    combined = (1 − weight) × this round + weight × other round, rounded like any final score.
    A branch without a score in the other round keeps this round's score. Vetoes and pending
    come from this round; grades and ranks are decided again on the combined scores.

    Args:
        results: this round's results.
        other: the other round's final scores by branch code.
        weight: the other round's weight (default 0.3 in ``round.toml`` ``[combine]``).
        rules: this round's rules.

    Returns:
        The results, re-graded and re-ranked.
    """
    for result in results:
        result.this_round = result.score
        previous = other.get(result.code)
        result.combined_with = previous
        if result.score is None or previous is None:
            continue
        result.score = rules.round((1 - weight) * result.score + weight * previous)
        if not result.vetoed:
            result.grade = rules.grade_for(result.score)
    return rank_entries(results, rules)


def compare_results(results: list[BranchResult], previous: Mapping[str, Decimal | None]) -> None:
    """Note each branch's score in a previous round, for the change column."""
    for result in results:
        result.previous = previous.get(result.code)
