"""docs/scoring.md restated exactly, for the property tests: fractions all the way, one half-up
rounding wherever a value is shown.

Written from the document alone and sharing no code with ``sheetops.scoring``: its inputs are
plain tuples and fractions, its outputs plain dicts of the fields a branch's result shows (scores
as the text they are shown as), so a test can compare them with what sheetops computed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

ROLES = ("self", "peer", "inspector")


@dataclass(frozen=True)
class Form:
    """One current form: who rated whom, each item's score, the veto answers."""

    form_id: str
    role: str
    rater: str
    target: str
    scores: Mapping[str, Fraction]
    vetoes: Mapping[str, bool] = field(default_factory=dict)
    veto_notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """The settings a round's scores depend on (round.toml and the scheme's bands)."""

    sections: Sequence[tuple[str, Sequence[str]]]  # section id, its item ids (scheme order)
    veto_ids: Sequence[str]
    weights: Mapping[str, Fraction]
    missing: Mapping[str, str]
    min_forms: int
    drop_highest: int
    drop_lowest: int
    tie_breaks: Sequence[str]
    decimals: int
    grades: Sequence[tuple[str, Fraction]]  # from the top; the last is the lowest
    pending_grade: str

    @property
    def items(self) -> list[str]:
        return [item for _, items in self.sections for item in items]


def rounded(value: Fraction, decimals: int) -> Fraction:
    """§3: half up at ``decimals`` places (87.625 → 87.63); scores are never negative."""
    unit = Fraction(1, 10**decimals)
    return math.floor(value / unit + Fraction(1, 2)) * unit


def shown(value: Fraction, decimals: int) -> str:
    """A rounded value as it is written: exactly ``decimals`` places."""
    units = rounded(value, decimals) * 10**decimals
    assert units.denominator == 1
    whole, part = divmod(int(units), 10**decimals)
    return f"{whole}.{part:0{decimals}d}" if decimals else str(whole)


def total(form: Form, items: Sequence[str] | None = None) -> Fraction:
    """§1: the sum of the item scores (of ``items`` only, for a section); a missing one is 0."""
    names = form.scores if items is None else items
    return sum((form.scores.get(item, Fraction(0)) for item in names), Fraction(0))


def kept_forms(forms: Sequence[Form], role: str, settings: Settings) -> tuple[list[Form],
                                                                               list[Form]]:
    """§2: the forms a role's mean is taken over, and those trimmed away (peers only)."""
    own = sorted(forms, key=lambda f: (total(f), f.form_id))  # equal totals: smaller id lower
    if role != "peer" or len(own) < settings.min_forms:
        return own, []
    low, high = settings.drop_lowest, settings.drop_highest
    kept = own[low:len(own) - high]
    return kept, [f for f in own if f not in kept]


def mean_total(forms: Sequence[Form], items: Sequence[str] | None = None) -> Fraction | None:
    """§2, §7: the mean of the forms' totals (over ``items`` only); None without forms."""
    if not forms:
        return None
    return sum((total(f, items) for f in forms), Fraction(0)) / len(forms)


def weighted(values: Mapping[str, Fraction | None], settings: Settings) -> Fraction | None:
    """§3: Σ weight × value over the roles, a missing role following ``[missing]``.

    None: pending (a missing role whose policy is pending, or no weight left at all).
    """
    numerator, weights = Fraction(0), Fraction(0)
    for role in ROLES:
        value = values[role]
        if value is None:
            if settings.missing[role] == "pending":
                return None
            if settings.missing[role] == "zero":
                weights += settings.weights[role]
            continue
        numerator += settings.weights[role] * value
        weights += settings.weights[role]
    return None if weights == 0 else numerator / weights


def grade_of(score: Fraction, settings: Settings) -> str:
    """§5: the first band whose minimum the (rounded) score reaches."""
    for name, minimum in settings.grades:
        if score >= minimum:
            return name
    return settings.grades[-1][0]


@dataclass
class Expected:
    """One branch's expected result: what is shown, and the exact values behind it."""

    code: str
    name: str
    score: Fraction | None  # rounded, as shown
    roles: dict[str, Fraction | None]  # exact
    sections: dict[str, Fraction]  # exact
    items: dict[str, Fraction]  # exact
    kept: dict[str, tuple[str, ...]]
    dropped: dict[str, tuple[str, ...]]
    reasons: list[tuple[str, str, str, str]]
    grade: str
    rank: int | None = None
    this_round: Fraction | None = None
    combined_with: Fraction | None = None

    def fields(self, decimals: int) -> dict[str, object]:
        """The fields a result shows, scores as the text they are written as."""
        def text(value: Fraction | None) -> str | None:
            return None if value is None else shown(value, decimals)

        return {
            "code": self.code, "name": self.name, "rank": self.rank, "score": text(self.score),
            "grade": self.grade, "vetoed": bool(self.reasons),
            "veto_ids": list(dict.fromkeys(r[0] for r in self.reasons)),
            "reasons": self.reasons,
            "complete": all(self.roles[r] is not None for r in ROLES),
            "pending": self.pending,
            "roles": {r: text(v) for r, v in self.roles.items()},
            "kept": self.kept, "dropped": self.dropped,
            "sections": {k: shown(v, decimals) for k, v in self.sections.items()},
            "items": {k: shown(v, decimals) for k, v in self.items.items()},
            "exact_sections": self.sections,
            "this_round": text(self.this_round), "combined_with": text(self.combined_with),
        }

    @property
    def pending(self) -> bool:
        return self.score is None

    @property
    def vetoed(self) -> bool:
        return bool(self.reasons)


def expected_round(
    branches: Sequence[tuple[str, str]],
    forms: Sequence[Form],
    committee: Sequence[tuple[str, str, str]],
    settings: Settings,
) -> list[Expected]:
    """Every branch's result, in the order the ranking lists them (§6).

    Args:
        branches: ``(code, name)`` in roster order.
        forms: every current form.
        committee: committee vetoes ``(branch, veto id, note)`` in the order recorded.
        settings: the round's settings.
    """
    rows = []
    for code, name in branches:
        mine = [f for f in forms if f.target == code]
        kept: dict[str, list[Form]] = {}
        dropped: dict[str, list[Form]] = {}
        for role in ROLES:
            kept[role], dropped[role] = kept_forms([f for f in mine if f.role == role], role,
                                                   settings)

        roles = {role: mean_total(kept[role]) for role in ROLES}
        final = weighted(roles, settings)
        sections: dict[str, Fraction] = {}
        items: dict[str, Fraction] = {}
        if final is not None:
            for section, section_items in settings.sections:
                value = weighted({r: mean_total(kept[r], section_items) for r in ROLES},
                                 settings)
                assert value is not None
                sections[section] = value
            for item in settings.items:
                value = weighted({r: mean_total(kept[r], [item]) for r in ROLES}, settings)
                assert value is not None
                items[item] = value
        # §4: the self form's answers, then each inspector's by rater code, each in the
        # scheme's question order; then the committee's, as recorded. Peers are not asked.
        answered = sorted((f for f in mine if f.role in ("self", "inspector")),
                          key=lambda f: (f.role != "self", f.rater))
        reasons = [(veto, f.role, f.rater, f.veto_notes.get(veto, ""))
                   for f in answered for veto in settings.veto_ids if f.vetoes.get(veto)]
        reasons += [(veto, "committee", "", note) for branch, veto, note in committee
                    if branch == code]
        score = None if final is None else rounded(final, settings.decimals)
        if reasons:
            grade = settings.grades[-1][0]
        elif score is None:
            grade = settings.pending_grade
        else:
            grade = grade_of(score, settings)
        rows.append(Expected(
            code, name, score, roles, sections, items,
            kept={r: tuple(sorted(f.form_id for f in kept[r])) for r in ROLES},
            dropped={r: tuple(sorted(f.form_id for f in dropped[r])) for r in ROLES},
            reasons=reasons, grade=grade))
    return ordered(rows, settings)


def ordered(rows: list[Expected], settings: Settings) -> list[Expected]:
    """§6: rank the branches neither vetoed nor pending; list the vetoed, then the pending.

    Equal means equal as shown: the final score and every tie-break role rounded at the
    round's decimals; a missing tie-break role is lowest. Branches still equal share a rank
    (1, 2, 2, 4) and are listed by code. Vetoed branches follow by score (none last), then
    the pending ones, each by code.
    """
    lowest = Fraction(-1)  # below any score

    def key(row: Expected) -> tuple[Fraction, ...]:
        assert row.score is not None
        tie_breaks = [lowest if (v := row.roles[r]) is None else rounded(v, settings.decimals)
                      for r in settings.tie_breaks]
        return (row.score, *tie_breaks)

    ranked = sorted((r for r in rows if not r.vetoed and not r.pending),
                    key=lambda r: (tuple(-v for v in key(r)), r.code))
    for position, row in enumerate(ranked):
        same = position > 0 and key(ranked[position - 1]) == key(row)
        row.rank = ranked[position - 1].rank if same else position + 1
    vetoed = sorted((r for r in rows if r.vetoed),
                    key=lambda r: (r.score is None, -(r.score or 0), r.code))
    for row in vetoed:
        row.rank = None
    pending = sorted((r for r in rows if r.pending and not r.vetoed), key=lambda r: r.code)
    return [*ranked, *vetoed, *pending]


def expected_combined(rows: list[Expected], other: Mapping[str, Fraction | None],
                      weight: Fraction, settings: Settings) -> list[Expected]:
    """§8: this round's shown score combined with the half-year round's shown score.

    combined = (1 − weight) × this round + weight × half-year, rounded once more; a branch
    without a half-year score keeps its own; grades (unless vetoed) and ranks are decided
    again.
    """
    out = []
    for row in rows:
        half = other.get(row.code)
        combined = replace(row, this_round=row.score, combined_with=half)
        if row.score is not None and half is not None:
            combined.score = rounded((1 - weight) * row.score + weight * half,
                                     settings.decimals)
            if not row.vetoed:
                combined.grade = grade_of(combined.score, settings)
        out.append(combined)
    return ordered(out, settings)
