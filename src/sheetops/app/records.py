"""``sheetops records``: the branches' handbook records, consolidated and checked.

Also the handbook records as the round's ledger holds them: the current accepted handbook of
each branch (a newer one supersedes the older, as forms do), the records carried over from a
previous round, and the per-branch texts that inspector forms and the summary show beside
linked scheme items.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sheetops.core.errors import RoundError
from sheetops.layout.packs import HANDBOOK
from sheetops.ledger.store import Ledger, Submission
from sheetops.model.handbook import Handbook, HandbookRecords, load_round_handbook
from sheetops.model.round import RoundPaths, read_round_config
from sheetops.model.workspace import Round
from sheetops.reports.handbook import write_records_report
from sheetops.scoring.handbook import (
    PERIOD_QUARTERS,
    Consolidation,
    Metric,
    consolidate_records,
    item_references,
)


@dataclass(frozen=True)
class BranchHandbook:
    """A branch's current accepted handbook: what it recorded and the submission it came in."""

    records: HandbookRecords
    submission: Submission


def current_handbooks(ledger_path: Path) -> dict[str, BranchHandbook]:
    """Return each branch's current accepted handbook from a ledger, by branch code.

    Args:
        ledger_path: the round's ledger (nothing is created when it does not exist yet).

    Returns:
        The handbooks; empty before anything was collected.
    """
    if not ledger_path.is_file():
        return {}
    with Ledger(ledger_path) as ledger:
        current = ledger.current_submissions_of(HANDBOOK)
    return {
        s.target: BranchHandbook(HandbookRecords.from_payload(s.payload["records"]), s)
        for s in current.values() if "records" in s.payload
    }


def carry_over_records(previous_root: Path) -> dict[str, HandbookRecords]:
    """Return each branch's last accepted handbook records of a previous round.

    Args:
        previous_root: the previous round's folder.

    Returns:
        Records by branch code (branches without an accepted handbook are absent).

    Raises:
        RoundError: the folder holds no round.
    """
    read_round_config(previous_root)
    found = current_handbooks(RoundPaths(previous_root).ledger)
    return {code: handbook.records for code, handbook in found.items()}


def consolidate_round(round_: Round, handbook: Handbook) -> Consolidation:
    """Consolidate the round's current handbook records.

    The year is the round's (its deadline's) year; a half-year round judges quarters 1–2, a
    year-end round all four; overdue admission steps are judged on the deadline.

    Args:
        round_: the opened round.
        handbook: its handbook definition.

    Returns:
        The consolidation.
    """
    return _consolidate(round_, handbook, current_handbooks(round_.paths.ledger))


def _consolidate(round_: Round, handbook: Handbook, found: dict[str, BranchHandbook],
                 ) -> Consolidation:
    """Consolidate the handbooks ``found`` in the ledger (see :func:`consolidate_round`)."""
    config = round_.config
    return consolidate_records(
        handbook, [(b.code, b.name) for b in round_.roster.branches],
        {code: h.records for code, h in found.items()}, year=config.deadline.year,
        quarters=PERIOD_QUARTERS[config.period], as_of=config.deadline)


def round_metrics(round_: Round) -> dict[str, dict[str, Metric]] | None:
    """Each branch's records metrics, when the scheme links items to them and records exist.

    Returns:
        Metrics by branch code, or None when no scheme item names a metric, the round has no
        handbooks, or none was accepted yet.
    """
    if not any(item.metric for item in round_.scheme.items):
        return None
    found = current_handbooks(round_.paths.ledger)
    if not found:  # checked first: reading the ledger's handbooks is cheaper than the definition
        return None
    handbook = load_round_handbook(round_.paths)
    if handbook is None:
        return None
    consolidation = _consolidate(round_, handbook, found)
    if not consolidation.records:
        return None
    return {code: dict(metrics) for code, metrics in consolidation.metrics.items()}


def record_references(round_: Round) -> dict[str, dict[str, str]]:
    """What the records say about each linked item, per branch (for inspector forms).

    Returns:
        ``{branch code: {item id: text}}``; empty when there is nothing to show.
    """
    metrics = round_metrics(round_)
    if metrics is None:
        return {}
    return item_references(round_.scheme.items, metrics, round_.lang)


@dataclass(frozen=True)
class RecordsReport:
    """The consolidated records and the workbook written."""

    round_id: str
    consolidation: Consolidation
    workbook: Path

    @property
    def short_meetings(self) -> int:
        """Meeting types a branch fell short on."""
        return sum(1 for tally in self.consolidation.meetings if tally.short)

    @property
    def dues_discrepancies(self) -> int:
        """Months where what was paid is not what was due."""
        return sum(len(tally.discrepancies) for tally in self.consolidation.dues)

    @property
    def pipeline_flags(self) -> int:
        """Admission steps too early, too late or overdue."""
        return sum(len(entry.flags) for entry in self.consolidation.pipeline)


def records_round(round_: Round) -> RecordsReport:
    """Consolidate the round's accepted handbooks and write the records workbook.

    Args:
        round_: the opened round.

    Returns:
        The consolidation and the workbook written.

    Raises:
        RoundError: the round has no handbooks yet (run generate first).
        HandbookError, HandbookFileError: the round's handbook definition is damaged.
    """
    handbook = load_round_handbook(round_.paths)
    if handbook is None:
        raise RoundError("records.no-handbooks", path=round_.paths.root)
    consolidation = consolidate_round(round_, handbook)
    return RecordsReport(round_.config.id, consolidation,
                         write_records_report(round_, handbook, consolidation))
