"""``sheetops rank``: the committee's answer, from the ledger."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from sheetops.app.records import round_metrics
from sheetops.core.errors import RoundError
from sheetops.core.i18n import Term
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.status import round_status
from sheetops.ledger.store import (
    FileRecord,
    Ledger,
    Submission,
    SubmissionKey,
    SubmissionSeries,
    payload_scores,
)
from sheetops.model.round import ROLES
from sheetops.model.workspace import Round, open_round
from sheetops.reports.export import write_results_export
from sheetops.reports.summary import SummaryData, write_summary
from sheetops.scoring.analysis import Analysis, analyse_raters
from sheetops.scoring.merge import (
    BranchResult,
    CommitteeVeto,
    FormScores,
    FormTally,
    ScoringRules,
    combine_results,
    compare_results,
    score_targets,
    withhold_advanced,
)


def form_scores(submission: Submission) -> FormScores:
    """The scoring view of a ledger submission (codes interned: a round's tallies share
    them)."""
    payload = submission.payload
    return FormScores(
        form_id=submission.form_id,
        role=sys.intern(submission.role),
        rater=sys.intern(submission.rater),
        target=sys.intern(submission.target),
        items=payload_scores(payload),
        vetoes={k: bool(v) for k, v in payload.get("vetoes", {}).items()},
        veto_notes=dict(payload.get("veto_notes", {})),
        notes=dict(payload.get("notes", {})),
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class RankReport:
    """The ranked round, its rater analysis and the files written."""

    round_id: str
    results: list[BranchResult]
    rules: ScoringRules
    summary: Path
    analysis: Analysis
    exports: tuple[Path, ...]  # the results export written (CSV, JSON); none when only read

    def to_json(self) -> dict[str, Any]:
        """The ``rank --json`` document (docs/json.md)."""
        return {
            "round": self.round_id,
            "branches": [
                {
                    "code": r.code,
                    "name": r.name,
                    "rank": r.rank,
                    "score": _number(r.score),
                    "grade": r.grade,
                    "vetoed": r.vetoed,
                    "veto_ids": r.veto_ids,
                    "complete": r.complete,
                    "pending": r.pending,
                    "owes": r.owes,
                    "withheld": r.withheld,
                    "roles": {
                        role: _number(self.rules.round(res.score)) if res else None
                        for role, res in r.roles.items()
                    },
                    "sections": {k: float(v) for k, v in r.sections.items()},
                    **({"this_round": _number(r.this_round),
                        "combined_with": _number(r.combined_with)}
                       if r.this_round is not None or r.combined_with is not None else {}),
                    **({"previous": _number(r.previous), "change": _number(r.change)}
                       if r.previous is not None else {}),
                }
                for r in self.results
            ],
        }


@dataclass(frozen=True)
class RoundResults:
    """A round's results computed from its ledger (nothing written)."""

    round: Round
    results: list[BranchResult]
    forms: list[FormTally]  # every current form's tally; its item scores stay in the ledger
    committee: list[CommitteeVeto]
    rules: ScoringRules
    files: dict[str, FileRecord]
    # each branch's own forms (self, the peer forms it rates) with no counting return, as
    # (form id, sheet name)
    owing: dict[str, list[tuple[str, str]]]


def detail_order(round_: Round, keys: list[SubmissionKey]) -> list[SubmissionKey]:
    """Forms by target (roster order; targets outside it last), role and rater; forms equal
    in all three stay in received order."""
    order = {b.code: index for index, b in enumerate(round_.roster.branches)}
    return sorted(keys, key=lambda k: (order.get(k.target, len(order)), ROLES.index(k.role),
                                       k.rater))


def read_results(round_: Round, ledger: Ledger, packs: Sequence[PackPlan],
                 ) -> tuple[RoundResults, SubmissionSeries]:
    """Merge the round's current accepted forms, apply vetoes, grade and rank.

    The forms are read from the ledger one target after another and only their tallies
    kept, so memory holds one branch's forms at a time, not the round's.

    Args:
        round_: the opened round.
        ledger: its ledger, inside a snapshot (:meth:`Ledger.snapshot`) that stays open as
            long as the forms returned are read.
        packs: the packs the round sent (only their forms count).

    Returns:
        The results in rank order, and the forms they came from in detail order (see
        :func:`detail_order`), to read again.
    """
    expected = {f.identity.form_id for p in packs for f in p.forms}
    forms = SubmissionSeries(ledger, detail_order(
        round_, [k for k in ledger.current_keys() if k.form_id in expected]))
    files = {f.sha256: f for f in ledger.files()}
    committee = [CommitteeVeto(*row) for row in ledger.active_vetoes()]
    rules = ScoringRules.from_round(round_.config, round_.scheme)
    branches = [(b.code, b.name) for b in round_.roster.branches]
    tallies: list[FormTally] = []

    def by_target() -> Iterator[tuple[str, list[FormScores]]]:
        for target, submissions in groupby(forms, key=attrgetter("target")):
            group = [form_scores(s) for s in submissions]
            tallies.extend(FormTally.of(f, round_.scheme) for f in group)
            yield target, group

    results = score_targets(branches, by_target(), committee, round_.scheme, rules)
    owing = owed_forms(packs, ledger.current_form_ids())
    return RoundResults(round_, results, tallies, committee, rules, files, owing), forms


def compute_results(round_: Round) -> RoundResults:
    """Merge the round's current accepted forms, apply vetoes, grade and rank.

    Args:
        round_: the opened round.

    Returns:
        The results in rank order, with the forms' tallies and the ledger records they came
        from.
    """
    packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    # One snapshot: a collect recording meanwhile cannot leave the forms, their files and
    # the vetoes read at different moments.
    with Ledger(round_.paths.ledger) as ledger, ledger.snapshot():
        return read_results(round_, ledger, packs)[0]


def other_round_scores(round_: Round, folder: str, *, half_year: bool = False,
                       ) -> dict[str, Decimal | None]:
    """Final scores of another round named in ``round.toml`` (relative to this round).

    Raises:
        RoundError: the folder holds no round.
    """
    other = open_round((round_.paths.root / folder).resolve())
    if half_year and other.config.period != "half-year":
        raise RoundError("round.bad-value", key="combine.round", value=folder,
                         expected=Term("expected.half-year"))
    return {r.code: r.score for r in compute_results(other).results}


def final_results(round_: Round) -> RoundResults:
    """The round's results as published: combined and compared as ``round.toml`` says.

    Raises:
        RoundError: a combined or compared round cannot be opened.
    """
    return published(compute_results(round_))


def published(computed: RoundResults) -> RoundResults:
    """Computed results combined and compared with other rounds as ``round.toml`` says.

    Raises:
        RoundError: a combined or compared round cannot be opened.
    """
    round_ = computed.round
    config = round_.config
    results = computed.results
    if config.combine_round:
        results = combine_results(results, other_round_scores(round_, config.combine_round,
                                                              half_year=True),
                                  config.combine_weight, computed.rules)
    if config.compare_round:
        compare_results(results, other_round_scores(round_, config.compare_round))
    withhold_advanced(results, computed.owing, computed.rules,
                      cap=config.advanced_requires_returns)
    return replace(computed, results=results)


def owed_forms(packs: Sequence[PackPlan], current: set[str],
               ) -> dict[str, list[tuple[str, str]]]:
    """The forms each branch was sent to fill itself (its self form, the peer forms it rates)
    with no counting return (not in ``current``), as ``(form id, sheet name)``, by code."""
    owing: dict[str, list[tuple[str, str]]] = {}
    for pack in packs:
        if pack.recipient_kind != "branch":
            continue
        missing = [(f.identity.form_id, f.sheet) for f in pack.forms
                   if f.identity.role in ("self", "peer") and f.identity.form_id not in current]
        if missing:
            owing[pack.recipient] = missing
    return owing


def rank_round(round_: Round, *, now: dt.datetime | None = None) -> RankReport:
    """Rank the round, then write the summary workbook and the results export.

    A year-end round with ``[combine] round`` combines its scores with the half-year round's;
    a round with ``[compare] round`` shows each branch's change since that round.

    Args:
        round_: the opened round.
        now: when the ranking is computed (written into the method sheet).

    Returns:
        The results in rank order, the rater analysis and the files written.

    Raises:
        RoundError: a combined or compared round cannot be opened.
    """
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    config = round_.config
    packs = sent_packs(config, round_.scheme, round_.roster, round_.paths.manifest)
    # One snapshot for the ranking and the summary's detail, which reads the forms again.
    with Ledger(round_.paths.ledger) as ledger, ledger.snapshot():
        computed, forms = read_results(round_, ledger, packs)
        status = round_status(round_, packs)
        del packs  # a province's plan, a good part of rank's memory, is not needed further
        computed = published(computed)
        results = computed.results
        branches = [(b.code, b.name) for b in round_.roster.branches]
        analysis = analyse_raters(computed.forms, results, branches, computed.committee,
                                  round_.scheme, computed.rules, config.analysis)
        summary = write_summary(SummaryData(
            round=round_,
            results=results,
            rules=computed.rules,
            forms=forms,
            files=computed.files,
            status=status,
            committee=computed.committee,
            computed_at=moment,
            analysis=analysis,
            records=round_metrics(round_),
        ))
        del status
    exports = write_results_export(round_, results, computed.rules)
    return RankReport(config.id, results, computed.rules, summary, analysis, exports)
