"""``sheetops rank`` and ``sheetops veto``: the committee's answer, from the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetops.errors import SheetopsError
from sheetops.ledger import Ledger, Submission, payload_scores
from sheetops.packs import plan_packs
from sheetops.reports.summary import SummaryData, write_summary
from sheetops.scoring import BranchResult, CommitteeVeto, FormScores, ScoringRules, score_round
from sheetops.status import round_status
from sheetops.workspace import Round


class VetoError(SheetopsError):
    """A committee veto names an unknown branch or veto question, or has no note."""


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
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class RankReport:
    """The ranked round and where its summary was written."""

    round_id: str
    results: list[BranchResult]
    rules: ScoringRules
    summary: Path

    def to_json(self) -> dict[str, Any]:
        """The ``rank --json`` document of PRODUCT.md."""
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
                    "roles": {
                        role: _number(self.rules.round(res.score)) if res else None
                        for role, res in r.roles.items()
                    },
                    "sections": {k: float(v) for k, v in r.sections.items()},
                }
                for r in self.results
            ],
        }


def rank_round(round_: Round, *, now: dt.datetime | None = None) -> RankReport:
    """Merge every accepted form, apply vetoes, grade, rank and write the summary workbook.

    Args:
        round_: the opened round.
        now: when the ranking is computed (written into the method sheet).

    Returns:
        The results in rank order and the summary's path.
    """
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    packs = plan_packs(round_.config, round_.scheme, round_.roster, generated_at="")
    expected = {f.identity.form_id for p in packs for f in p.forms}
    with Ledger(round_.paths.ledger) as ledger:
        current = {k: v for k, v in ledger.current_submissions().items() if k in expected}
        files = {f.sha256: f for f in ledger.files()}
        committee = [CommitteeVeto(*row) for row in ledger.active_vetoes()]
    forms = [form_scores(s) for s in current.values()]
    rules = ScoringRules.from_round(round_.config, round_.scheme)
    branches = [(b.code, b.name) for b in round_.roster.branches]
    results = score_round(branches, forms, committee, round_.scheme, rules)
    data = SummaryData(
        round=round_,
        results=results,
        rules=rules,
        submissions=current,
        files=files,
        status=round_status(round_),
        committee=committee,
        computed_at=moment,
    )
    summary = write_summary(data)
    return RankReport(round_.config.id, results, rules, summary)


def record_committee_veto(
    round_: Round, branch: str, veto_id: str, note: str, *, remove: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """Record (or with ``remove``, revoke) a committee veto on a branch.

    Args:
        round_: the opened round.
        branch: the branch code.
        veto_id: a veto question id of the scheme.
        note: the committee's reason (required).
        remove: revoke instead of record.
        now: the decision time.

    Returns:
        1 when recorded; for a removal, how many active vetoes were revoked.

    Raises:
        VetoError: unknown branch or veto id, or an empty note.
    """
    codes = [b.code for b in round_.roster.branches]
    if branch not in codes:
        raise VetoError("veto.unknown-branch", code=branch)
    ids = [v.id for v in round_.scheme.vetoes]
    if veto_id not in ids:
        raise VetoError("veto.unknown-veto", value=veto_id, choices=", ".join(ids))
    if not note.strip():
        raise VetoError("veto.note-required")
    at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with Ledger(round_.paths.ledger) as ledger:
        if remove:
            return ledger.revoke_veto(branch, veto_id, note.strip(), at)
        ledger.record_veto(branch, veto_id, note.strip(), at)
        return 1

