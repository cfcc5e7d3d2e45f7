"""Merge, veto, grade and rank: pure functions over plain data.

The rules (``docs/scoring.md``, each configurable in ``round.toml`` or the scheme):

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

Every value is exact until it is shown: a role holds the sums of its kept forms' scores and
their count (cell values are short decimals, so Decimal sums are exact), a weighted value is a
numerator and a denominator in integers, and :meth:`ScoringRules.round` rounds that quotient
once, half up, at the round's ``decimals``. Exact values a caller needs are
:class:`fractions.Fraction`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from math import lcm
from typing import Final, TypeAlias

from sheetops.model.round import ROLES, RoundConfig
from sheetops.model.scheme import Grade, Scheme

RENORMALISE: Final = "renormalise"
ZERO: Final = "zero"
PENDING: Final = "pending"
ZERO_SCORE: Final = Decimal(0)  # Decimals are immutable: one zero serves every sum

Exact: TypeAlias = Fraction | Decimal | int
"""A value given exactly: a fraction, a decimal or an integer."""

Quotient: TypeAlias = tuple[int, int]
"""An exact value as ``(numerator, denominator)``, denominator > 0, not necessarily reduced."""


def as_quotient(value: Exact) -> Quotient:
    """Return ``value`` as an integer numerator and a positive denominator."""
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    return value.as_integer_ratio()


def round_quotient(numerator: int, denominator: int, decimals: int) -> Decimal:
    """Round ``numerator / denominator`` half up (away from zero) to ``decimals`` places.

    Args:
        numerator: any integer.
        denominator: a positive integer.
        decimals: places kept (0 or more).

    Returns:
        The rounded value as a Decimal with exactly ``decimals`` places (72.225 → 72.23).
    """
    scale = 10**decimals
    whole, rest = divmod(abs(numerator) * scale, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return _scaled(-whole if numerator < 0 else whole, decimals)


# A round's rounded scores and sums take few distinct values: each is made once and shared by
# every branch, role and item that has it (a Decimal is immutable), instead of being held
# once per branch. The caches are bounded, so a long-running console does not grow with them.
@lru_cache(maxsize=1 << 14)
def _scaled(whole: int, decimals: int) -> Decimal:
    return Decimal(whole).scaleb(-decimals)


@lru_cache(maxsize=1 << 12)
def _written(text: str) -> Decimal:
    return Decimal(text)


def shared(value: Decimal) -> Decimal:
    """``value`` as one instance shared with every equal value written alike (``5.0`` and
    ``5`` are kept apart: they show differently)."""
    return _written(str(value))


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
        """The form's total: the sum of its item scores (computed once, exactly)."""
        return sum(self.items.values(), ZERO_SCORE)


@dataclass(frozen=True, slots=True)
class FormTally:
    """What the rater analysis needs of a form: who rated whom, the total, whether every
    item is at full marks. A round keeps one per form instead of every item score."""

    form_id: str
    role: str
    rater: str
    target: str
    total: Decimal
    full_marks: bool  # every item of the scheme at its maximum

    @classmethod
    def of(cls, form: FormScores, scheme: Scheme) -> FormTally:
        """The tally of ``form`` under ``scheme``."""
        scores = form.items
        return cls(form.form_id, form.role, form.rater, form.target, shared(form.total),
                   all(scores.get(item.id) == item.max for item in scheme.items))


@dataclass(frozen=True)
class CommitteeVeto:
    """A veto recorded by the committee."""

    branch: str
    veto_id: str
    note: str
    decided_at: str


@dataclass(frozen=True)
class ScoringRules:
    """Everything the computation depends on.

    Raises:
        ValueError: ``trim_min_forms`` is not larger than the forms trimming drops (the round
            settings refuse such a value with a located message first).
    """

    weights: Mapping[str, Decimal]
    missing: Mapping[str, str]
    trim_min_forms: int
    drop_highest: int
    drop_lowest: int
    tie_breaks: tuple[str, ...]
    decimals: int
    grades: tuple[Grade, ...]
    pending_grade: str

    def __post_init__(self) -> None:
        if self.trim_min_forms <= self.drop_highest + self.drop_lowest:
            raise ValueError(f"trim_min_forms {self.trim_min_forms} must exceed the "
                             f"{self.drop_highest} + {self.drop_lowest} forms it drops")

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
    def weight_units(self) -> tuple[int, ...]:
        """The weights in :data:`ROLES` order as integers over one common denominator.

        Only ratios of weights matter (renormalising divides by the weights counted), so
        ``0.2, 0.3, 0.5`` weigh as ``2, 3, 5``.
        """
        exact = [Fraction(self.weights[role]) for role in ROLES]
        common = lcm(*(w.denominator for w in exact))
        return tuple(int(w * common) for w in exact)

    def round(self, value: Exact) -> Decimal:
        """Round an exact value half up to the configured decimals (92.345 → 92.35)."""
        return round_quotient(*as_quotient(value), self.decimals)

    def grade_for(self, score: Decimal) -> str:
        """The first band whose minimum the score reaches."""
        for grade in self.grades:
            if score >= grade.min:
                return grade.name
        return self.grades[-1].name


@dataclass(frozen=True)
class RoleResult:
    """One role's merged result for one branch, held as sums over the kept forms (exact)."""

    total: Decimal  # the kept forms' totals added up
    item_totals: Mapping[str, Decimal]  # each item's scores over the kept forms added up
    forms: tuple[str, ...]  # form ids used
    dropped: tuple[str, ...]  # form ids trimmed away

    @property
    def count(self) -> int:
        """How many forms the role's mean is taken over."""
        return len(self.forms)

    @cached_property
    def score(self) -> Fraction:
        """The role score: the mean of the kept forms' totals, exactly."""
        return Fraction(self.total) / self.count

    @cached_property
    def items(self) -> Mapping[str, Fraction]:
        """Each item's mean over the kept forms, exactly (they add up to :attr:`score`)."""
        return {item: Fraction(total) / self.count for item, total in self.item_totals.items()}

    def mean_of(self, total: Decimal) -> Quotient:
        """``total`` (a sum over this role's kept forms) divided by their count, exactly."""
        numerator, denominator = total.as_integer_ratio()
        return numerator, denominator * self.count


@dataclass(frozen=True)
class VetoReason:
    """Why a branch is vetoed: which question, from whom, with what evidence."""

    veto_id: str
    source: str  # "self" | "inspector" | "committee"
    rater: str
    note: str


@dataclass
class BranchResult:
    """A branch's result: every score rounded as shown, the exact section values kept."""

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
    exact_sections: dict[str, Fraction] = field(default_factory=dict)  # before rounding
    owes: list[str] = field(default_factory=list)  # its own forms not returned (form ids)
    owed_sheets: list[str] = field(default_factory=list)  # the same, by their sheet names
    withheld: str | None = None  # the grade its score reached, withheld because it owes forms

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


def mean(values: Sequence[Exact]) -> Fraction:
    """The exact mean of ``values`` (at least one).

    Raises:
        ZeroDivisionError: ``values`` is empty.
    """
    return sum((Fraction(v) for v in values), Fraction(0)) / len(values)


def merge_role(forms: Sequence[FormScores], rules: ScoringRules, *, trim: bool) -> RoleResult:
    """Merge one role's forms for one branch.

    With ``trim`` and at least ``trim_min_forms`` forms, the ``drop_lowest`` lowest and
    ``drop_highest`` highest totals are dropped first (ties broken by form id, so the result
    never depends on input order). Item totals are summed over the same kept forms, so the
    item means add up to the role score.
    """
    ordered = sorted(forms, key=lambda f: (f.total, f.form_id))
    dropped: list[FormScores] = []
    if trim and len(ordered) >= rules.trim_min_forms:
        low, high = rules.drop_lowest, rules.drop_highest
        dropped = ordered[:low] + ordered[len(ordered) - high:]
        ordered = ordered[low:len(ordered) - high]
    sums = dict.fromkeys((item for f in ordered for item in f.items), ZERO_SCORE)
    for form in ordered:
        scores = form.items
        for item in sums:
            sums[item] += scores.get(item, ZERO_SCORE)
    for item, total in sums.items():
        sums[item] = shared(total)
    return RoleResult(
        total=sum((f.total for f in ordered), ZERO_SCORE),
        item_totals=sums,
        forms=tuple(sorted(f.form_id for f in ordered)),
        dropped=tuple(sorted(f.form_id for f in dropped)),
    )


def weigh(parts: Sequence[Quotient | None], rules: ScoringRules) -> Quotient | None:
    """Weight role values (in :data:`ROLES` order) into one, exactly.

    A missing role (None) follows its ``[missing]`` policy: renormalised away, counted as
    zero with its weight, or pending.

    Returns:
        ``(numerator, denominator)``, or None when a missing role's policy is pending (or no
        weight is counted at all).
    """
    numerator, denominator, counted = 0, 1, 0
    for role, part, weight in zip(ROLES, parts, rules.weight_units, strict=True):
        if part is None:
            policy = rules.missing[role]
            if policy == PENDING:
                return None
            if policy == ZERO:
                counted += weight
            continue
        value, over = part
        numerator = numerator * over + weight * value * denominator
        denominator *= over
        counted += weight
    if counted == 0:
        return None
    return numerator, denominator * counted


def combine(values: Mapping[str, Exact | None], rules: ScoringRules) -> Fraction | None:
    """Weight exact role values into one; None when a missing role's policy is pending.

    Args:
        values: each role's value by role name (a missing role: None or absent).
        rules: the weights and missing-role policies.

    Returns:
        The exact weighted value, or None.
    """
    parts = [None if (v := values.get(role)) is None else as_quotient(v) for role in ROLES]
    weighted = weigh(parts, rules)
    return None if weighted is None else Fraction(*weighted)


def _final(roles: Mapping[str, RoleResult | None], rules: ScoringRules) -> Quotient | None:
    return weigh([None if (res := roles[role]) is None else res.mean_of(res.total)
                  for role in ROLES], rules)


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

    final = _final(roles, rules)
    pending = final is None
    score = None if final is None else round_quotient(*final, rules.decimals)
    sections: dict[str, Decimal] = {}
    exact_sections: dict[str, Fraction] = {}
    items: dict[str, Decimal] = {}
    if not pending:
        # A section's role value is the mean of the kept forms' section totals; an item's, the
        # mean of its scores: each weighted exactly and rounded once.
        merged = [roles[role] for role in ROLES]
        # Items, the most numerous, are weighed as weigh() would, its choices made once: the
        # roles present are those of the final score, so no item is pending.
        present = [(res.item_totals, res.count, weight)
                   for res, weight in zip(merged, rules.weight_units, strict=True)
                   if res is not None]
        counted = sum(weight for role, res, weight in zip(ROLES, merged, rules.weight_units,
                                                          strict=True)
                      if res is not None or rules.missing[role] == ZERO)
        for item in scheme.items:
            key, numerator, denominator = item.id, 0, 1
            for totals, count, weight in present:
                part, over = totals.get(key, ZERO_SCORE).as_integer_ratio()
                over *= count
                numerator = numerator * over + weight * part * denominator
                denominator *= over
            items[key] = round_quotient(numerator, denominator * counted, rules.decimals)
        for section in scheme.sections:
            value = weigh([None if res is None else res.mean_of(sum(
                (res.item_totals.get(i.id, ZERO_SCORE) for i in section.items), ZERO_SCORE))
                for res in merged], rules)
            if value is not None:
                sections[section.id] = round_quotient(*value, rules.decimals)
                exact_sections[section.id] = Fraction(*value)
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
        exact_sections=exact_sections,
    )


def withhold_advanced(results: Sequence[BranchResult],
                      owing: Mapping[str, Sequence[tuple[str, str]]],
                      rules: ScoringRules, *, cap: bool = True) -> None:
    """Record what each branch owes; a branch that owes any of its own forms (its self form,
    a peer form it rates) does not get the top grade: it gets the next one, and the grade
    its score reached is kept as ``withheld``. Scores and ranks are unchanged.

    Args:
        results: the round's results (changed in place).
        owing: the ``(form id, sheet name)`` of each form a branch has not returned, by code.
        rules: the grade bands.
        cap: withhold the top grade (``[grades] advanced_requires_returns``); without it only
            what each branch owes is recorded.
    """
    top = rules.grades[0].name
    below = rules.grades[1].name if len(rules.grades) > 1 else top
    for result in results:
        owed = owing.get(result.code, ())
        result.owes = [form_id for form_id, _ in owed]
        result.owed_sheets = [sheet for _, sheet in owed]
        if cap and result.owes and result.grade == top and below != top:
            result.withheld, result.grade = top, below


def rank_entries(results: list[BranchResult], rules: ScoringRules) -> list[BranchResult]:
    """Rank branches that are neither vetoed nor pending, in place; return them in order.

    Order: by final score (as rounded) descending, then by each tie-break role's score
    (rounded at the same ``decimals``) descending, a missing role lowest; branches still
    equal share a rank, are listed by code, and the next rank skips (1, 2, 2, 4). Vetoed
    branches follow by score (none last) and code, then pending ones by code.

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
                    key=lambda r: (-(r.score if r.score is not None else Decimal(-1)), r.code))
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
    return score_targets(branches, by_target.items(), committee, scheme, rules)


def score_targets(
    branches: Sequence[tuple[str, str]],
    groups: Iterable[tuple[str, Sequence[FormScores]]],
    committee: Sequence[CommitteeVeto],
    scheme: Scheme,
    rules: ScoringRules,
) -> list[BranchResult]:
    """Score and rank every branch from its forms, given target by target.

    Each group is scored as it comes and let go, so a caller streaming the forms of one
    target after another holds only one branch's forms at a time.

    Args:
        branches: ``(code, name)`` in roster order.
        groups: ``(target, the accepted forms that rate it)``, each roster branch at most
            once (groups of targets outside the roster are passed over).
        committee: active committee vetoes.
        scheme: the round's scheme.
        rules: the round's rules.

    Returns:
        Results in rank order (see :func:`rank_entries`), as :func:`score_round` gives them.

    Raises:
        ValueError: a branch's forms came in two groups.
    """
    names = dict(branches)
    vetoes: dict[str, list[CommitteeVeto]] = {}
    for veto in committee:
        vetoes.setdefault(veto.branch, []).append(veto)
    scored: dict[str, BranchResult] = {}
    for target, forms in groups:
        if target not in names:
            continue
        if target in scored:
            raise ValueError(f"the forms rating {target} came in more than one group")
        scored[target] = score_branch(target, names[target], forms, vetoes.get(target, []),
                                      scheme, rules)
    results = [scored[code] if code in scored
               else score_branch(code, name, [], vetoes.get(code, []), scheme, rules)
               for code, name in branches]
    return rank_entries(results, rules)


def untrimmed_ranks(results: Sequence[BranchResult],
                    forms: Sequence[FormScores | FormTally],
                    rules: ScoringRules) -> dict[str, int | None]:
    """Each branch's rank in this round had no peer totals been dropped.

    The same ranking :func:`score_round` gives with trimming switched off, from this round's
    own scores (before any combination with another round). Only the peer role of branches
    that had forms dropped is merged again, from its forms' totals (all a ranking reads);
    every other role result is reused.

    Args:
        results: the round's results (possibly combined with another round's).
        forms: every accepted form of the round.
        rules: the round's rules.

    Returns:
        Ranks by branch code (None for vetoed and pending branches).
    """
    peers: dict[str, list[FormScores | FormTally]] = {}
    for form in forms:
        if form.role == "peer":
            peers.setdefault(form.target, []).append(form)
    untrimmed = []
    for result in results:
        roles = dict(result.roles)
        peer = roles.get("peer")
        if peer is not None and peer.dropped:
            kept = sorted(peers[result.code], key=lambda f: (f.total, f.form_id))
            roles["peer"] = RoleResult(total=sum((f.total for f in kept), ZERO_SCORE),
                                       item_totals={},
                                       forms=tuple(sorted(f.form_id for f in kept)),
                                       dropped=())
        final = _final(roles, rules)
        untrimmed.append(replace(result, roles=roles, score=None if final is None
                                 else round_quotient(*final, rules.decimals)))
    return {r.code: r.rank for r in rank_entries(untrimmed, rules)}


def combine_results(
    results: list[BranchResult],
    other: Mapping[str, Decimal | None],
    weight: Decimal,
    rules: ScoringRules,
) -> list[BranchResult]:
    """Combine each branch's final score with another round's (year-end with half-year).

    combined = (1 − weight) × this round's score + weight × the other round's score, both as
    published (rounded), the result rounded like any final score. A branch without a score in
    the other round keeps this round's score; a veto or a pending state in the other round
    does not carry over. Vetoes and pending come from this round; grades and ranks are
    decided again on the combined scores.

    Args:
        results: this round's results.
        other: the other round's final scores by branch code.
        weight: the other round's weight (default 0.3 in ``round.toml`` ``[combine]``).
        rules: this round's rules.

    Returns:
        The results, re-graded and re-ranked.
    """
    share = Fraction(weight)
    for result in results:
        result.this_round = result.score
        previous = other.get(result.code)
        result.combined_with = previous
        if result.score is None or previous is None:
            continue
        result.score = rules.round((1 - share) * Fraction(result.score)
                                   + share * Fraction(previous))
        if not result.vetoed:
            result.grade = rules.grade_for(result.score)
    return rank_entries(results, rules)


def compare_results(results: list[BranchResult], previous: Mapping[str, Decimal | None]) -> None:
    """Note each branch's score in a previous round, for the change column."""
    for result in results:
        result.previous = previous.get(result.code)
