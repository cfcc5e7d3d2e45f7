"""``sheetops rank``: the committee's answer, from the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetops.app.records import round_metrics
from sheetops.core.errors import RoundError
from sheetops.core.i18n import Term
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.status import round_status
from sheetops.ledger.store import FileRecord, Ledger, Submission, payload_scores
from sheetops.model.workspace import Round, open_round
from sheetops.reports.export import write_results_export
from sheetops.reports.summary import SummaryData, write_summary
from sheetops.scoring.analysis import Analysis, analyse_raters
from sheetops.scoring.merge import (
    BranchResult,
    CommitteeVeto,
    FormScores,
    ScoringRules,
    combine_results,
    compare_results,
    score_round,
    withhold_advanced,
)


def form_scores(submission: Submission) -> FormScores:
    """The scoring view of a ledger submission."""
    payload = submission.payload
    return FormScores(
        form_id=submission.form_id,
        role=submission.role,
        rater=submission.rater,
        target=submission.target,
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
    forms: list[FormScores]
    committee: list[CommitteeVeto]
    rules: ScoringRules
    submissions: dict[str, Submission]
    files: dict[str, FileRecord]
    packs: list[PackPlan]  # what the round sent out


def compute_results(round_: Round) -> RoundResults:
    """Merge the round's current accepted forms, apply vetoes, grade and rank.

    Args:
        round_: the opened round.

    Returns:
        The results in rank order, with the forms and ledger records they came from.
    """
    packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    expected = {f.identity.form_id for p in packs for f in p.forms}
    # One snapshot: a collect recording meanwhile cannot leave the forms, their files and
    # the vetoes read at different moments.
    with Ledger(round_.paths.ledger) as ledger, ledger.snapshot():
        current = {k: v for k, v in ledger.current_submissions_of().items() if k in expected}
        files = {f.sha256: f for f in ledger.files()}
        committee = [CommitteeVeto(*row) for row in ledger.active_vetoes()]
    forms = [form_scores(s) for s in current.values()]
    rules = ScoringRules.from_round(round_.config, round_.scheme)
    branches = [(b.code, b.name) for b in round_.roster.branches]
    results = score_round(branches, forms, committee, round_.scheme, rules)
    return RoundResults(round_, results, forms, committee, rules, current, files, packs)


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
    computed = compute_results(round_)
    config = round_.config
    results = computed.results
    if config.combine_round:
        results = combine_results(results, other_round_scores(round_, config.combine_round,
                                                              half_year=True),
                                  config.combine_weight, computed.rules)
    if config.compare_round:
        compare_results(results, other_round_scores(round_, config.compare_round))
    withhold_advanced(results, owed_forms(round_, computed.packs), computed.rules,
                      cap=config.advanced_requires_returns)
    return replace(computed, results=results)


def owed_forms(round_: Round, packs: Sequence[PackPlan]) -> dict[str, list[tuple[str, str]]]:
    """The forms each branch was sent to fill itself (its self form, the peer forms it rates)
    that have no counting return, as ``(form id, sheet name)``, by branch code."""
    with Ledger(round_.paths.ledger) as ledger:
        current = ledger.current_form_ids()
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
    computed = final_results(round_)
    config = round_.config
    results = computed.results
    branches = [(b.code, b.name) for b in round_.roster.branches]
    analysis = analyse_raters(computed.forms, results, branches, computed.committee,
                              round_.scheme, computed.rules, config.analysis)
    data = SummaryData(
        round=round_,
        results=results,
        rules=computed.rules,
        submissions=computed.submissions,
        files=computed.files,
        status=round_status(round_, computed.packs),
        committee=computed.committee,
        computed_at=moment,
        analysis=analysis,
        records=round_metrics(round_),
    )
    summary = write_summary(data)
    exports = write_results_export(round_, results, computed.rules)
    return RankReport(config.id, results, computed.rules, summary, analysis, exports)
