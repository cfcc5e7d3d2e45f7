"""Consolidate the branches' handbook records (pure).

:func:`consolidate_records` turns the records of every branch (what their accepted handbooks
carried: :class:`~sheetops.model.handbook.HandbookRecords`) into what the committee checks: all
members, meetings per branch per quarter against the required frequency, dues totals and
discrepancies, the admission pipeline with overdue or too-early steps, and the per-branch
metrics scheme items can be linked to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sheetops.core.i18n import text
from sheetops.model.handbook import (
    FULL,
    PROBATIONARY,
    Applicant,
    Handbook,
    HandbookRecords,
    Member,
)
from sheetops.model.scheme import Item

QUARTERS: Final = (1, 2, 3, 4)
PERIOD_QUARTERS: Final = {"half-year": (1, 2), "year-end": QUARTERS}


# -- consolidation --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingTally:
    """How often a branch held one type of meeting, against what is required."""

    code: str
    type_id: str
    per_quarter: tuple[int, int, int, int]
    required_per_quarter: int | None  # None: no quarterly requirement
    held: int  # in the period's quarters (the whole year for yearly types)
    required: int | None  # in the period; None: nothing required
    short_quarters: tuple[int, ...]

    @property
    def short(self) -> bool:
        """Whether the branch fell short anywhere."""
        return bool(self.short_quarters) or (self.required is not None
                                             and self.held < self.required)


@dataclass(frozen=True)
class DuesDiscrepancy:
    """A month where what was paid is not what was due."""

    code: str
    row: int
    name: str
    month: int
    due: Decimal
    paid: Decimal | None

    @property
    def difference(self) -> Decimal:
        """Paid minus due (negative: short)."""
        return (self.paid or Decimal(0)) - self.due

    @property
    def kind(self) -> str:
        """``unpaid``, ``underpaid`` or ``overpaid``."""
        if self.paid is None:
            return "unpaid"
        return "underpaid" if self.paid < self.due else "overpaid"


@dataclass(frozen=True)
class DuesTally:
    """A branch's dues for the period: recomputed totals and discrepancies."""

    code: str
    entries: int
    due: Decimal
    paid: Decimal
    discrepancies: tuple[DuesDiscrepancy, ...]


@dataclass(frozen=True)
class PipelineFlag:
    """A step of the admission pipeline that came too early, too late, or is overdue."""

    stage: str
    kind: str  # too-early | too-late | overdue
    reference: str  # the earlier stage the interval counts from
    limit: dt.date


@dataclass(frozen=True)
class PipelineEntry:
    """Where one applicant stands."""

    code: str
    applicant: Applicant
    reached: str | None
    next_stage: str | None
    earliest: dt.date | None  # when the next stage may come at the earliest
    due_by: dt.date | None  # when it must come at the latest
    flags: tuple[PipelineFlag, ...]


@dataclass(frozen=True)
class Metric:
    """A per-branch figure a scheme item can be checked against (``Item.metric``)."""

    id: str
    key: str  # message key in the catalog
    params: Mapping[str, object]
    value: Decimal
    required: Decimal | None = None

    def render(self, lang: str) -> str:
        """The metric as people read it (e.g. 支部委员会：10/12 次)."""
        return text(lang, self.key, **self.params)


@dataclass(frozen=True)
class Consolidation:
    """The records of a round's branches, consolidated."""

    year: int
    quarters: tuple[int, ...]
    as_of: dt.date
    branches: tuple[tuple[str, str], ...]
    records: Mapping[str, HandbookRecords]
    meetings: tuple[MeetingTally, ...]
    dues: tuple[DuesTally, ...]
    pipeline: tuple[PipelineEntry, ...]
    metrics: Mapping[str, Mapping[str, Metric]]

    @property
    def missing(self) -> list[str]:
        """Branches without an accepted handbook, in roster order."""
        return [code for code, _ in self.branches if code not in self.records]

    def members(self) -> list[tuple[str, Member]]:
        """Every member of every branch, in roster order."""
        return [(code, m) for code, _ in self.branches if code in self.records
                for m in self.records[code].members]


def metric_ids(handbook: Handbook) -> list[str]:
    """Every metric a scheme item may name in its ``metric`` field.

    Args:
        handbook: the definition (one ``meetings.<id>`` metric per meeting type).

    Returns:
        The metric ids.
    """
    return [*(f"meetings.{m.id}" for m in handbook.meeting_types), "activities", "members",
            "dues", "dues.discrepancies", "admissions", "admissions.flagged", "handover"]


def tally_meetings(handbook: Handbook, code: str, records: HandbookRecords, year: int,
                   quarters: Sequence[int]) -> list[MeetingTally]:
    """Count a branch's meetings of each type per quarter and compare with the definition.

    Monthly types need ``min_count`` a month (3 × a quarter), quarterly ones ``min_count`` a
    quarter, yearly ones ``min_count`` a year (only judged when the period ends the year).

    Args:
        handbook: the definition (meeting types and frequencies).
        code: the branch.
        records: its records.
        year: the handbook's year (activities of other years are not counted).
        quarters: the quarters the period covers.

    Returns:
        One tally per meeting type, in definition order.
    """
    tallies = []
    for meeting in handbook.meeting_types:
        counts = [0, 0, 0, 0]
        for activity in records.activities:
            if activity.type == meeting.id and activity.date.year == year:
                counts[(activity.date.month - 1) // 3] += 1
        per_quarter = {"monthly": 3 * meeting.min_count,
                       "quarterly": meeting.min_count}.get(meeting.frequency)
        if meeting.frequency == "yearly":
            held = sum(counts)
            required = meeting.min_count if 4 in quarters else None
        else:
            held = sum(counts[q - 1] for q in quarters)
            required = None if per_quarter is None else per_quarter * len(quarters)
        short = tuple(q for q in quarters if per_quarter is not None
                      and counts[q - 1] < per_quarter)
        tallies.append(MeetingTally(code, meeting.id, (counts[0], counts[1], counts[2],
                                                       counts[3]),
                                    per_quarter, held, required, short))
    return tallies


def tally_dues(code: str, records: HandbookRecords) -> DuesTally:
    """Total a branch's dues (due as recomputed, paid as recorded) and list discrepancies.

    Args:
        code: the branch.
        records: its records (amounts due were recomputed from the brackets on receipt).

    Returns:
        The totals and every month paid differently from what was due (unpaid included).
    """
    discrepancies = tuple(
        DuesDiscrepancy(code, d.row, d.name, d.month, d.due, d.paid)
        for d in records.dues if d.paid is None or d.paid != d.due)
    return DuesTally(code, len(records.dues), sum((d.due for d in records.dues), Decimal(0)),
                     sum((d.paid or Decimal(0) for d in records.dues), Decimal(0)),
                     discrepancies)


def place_applicant(handbook: Handbook, code: str, applicant: Applicant, as_of: dt.date,
                    ) -> PipelineEntry:
    """Say where an applicant stands and which steps came too early, too late or are overdue.

    A stage is overdue when its latest date (``max_after`` its reference stage) has passed by
    ``as_of`` and neither it nor any later stage has a date.

    Args:
        handbook: the definition (stages and intervals).
        code: the branch.
        applicant: the applicant's dates.
        as_of: the date the pipeline is judged on.

    Returns:
        The applicant's entry.
    """
    dates = applicant.dates
    stages = handbook.admission_stages
    flags: list[PipelineFlag] = []
    reached_index = max((i for i, s in enumerate(stages) if s.id in dates), default=-1)
    for index, stage in enumerate(stages):
        date = dates.get(stage.id)
        for kind, interval in (("min", stage.min_after), ("max", stage.max_after)):
            if interval is None or interval.stage not in dates:
                continue
            limit = interval.after(dates[interval.stage])
            if date is not None and kind == "min" and date < limit:
                flags.append(PipelineFlag(stage.id, "too-early", interval.stage, limit))
            elif date is not None and kind == "max" and date > limit:
                flags.append(PipelineFlag(stage.id, "too-late", interval.stage, limit))
            elif date is None and kind == "max" and index > reached_index and as_of > limit:
                flags.append(PipelineFlag(stage.id, "overdue", interval.stage, limit))
    following = stages[reached_index + 1] if reached_index + 1 < len(stages) else None
    earliest = due_by = None
    if following is not None:
        for interval, kind in ((following.min_after, "min"), (following.max_after, "max")):
            if interval is not None and interval.stage in dates:
                if kind == "min":
                    earliest = interval.after(dates[interval.stage])
                else:
                    due_by = interval.after(dates[interval.stage])
    return PipelineEntry(code, applicant,
                         stages[reached_index].id if reached_index >= 0 else None,
                         following.id if following else None, earliest, due_by, tuple(flags))


def branch_metrics(handbook: Handbook, records: HandbookRecords,
                   meetings: Sequence[MeetingTally], dues: DuesTally,
                   pipeline: Sequence[PipelineEntry]) -> dict[str, Metric]:
    """Return a branch's metrics by id (see :func:`metric_ids`).

    Args:
        handbook: the definition (meeting type names).
        records: the branch's records.
        meetings: its meeting tallies.
        dues: its dues tally.
        pipeline: its applicants' entries.

    Returns:
        The metrics.
    """
    metrics: dict[str, Metric] = {}
    for tally in meetings:
        meeting = handbook.meeting_type(tally.type_id)
        name = meeting.name if meeting else tally.type_id
        required = None if tally.required is None else Decimal(tally.required)
        key = "records.metric.meetings" if required is not None else (
            "records.metric.meetings-free")
        metrics[f"meetings.{tally.type_id}"] = Metric(
            f"meetings.{tally.type_id}", key,
            {"name": name, "held": tally.held, "required": tally.required},
            Decimal(tally.held), required)
    counts = records.category_counts()
    total = len(records.members)

    def count(metric_id: str, key: str, value: int, **params: object) -> None:
        metrics[metric_id] = Metric(metric_id, key, {"count": value, **params}, Decimal(value))

    count("activities", "records.metric.activities", len(records.activities))
    count("members", "records.metric.members", total, full=counts.get(FULL, 0),
          probationary=counts.get(PROBATIONARY, 0))
    metrics["dues"] = Metric("dues", "records.metric.dues",
                             {"paid": _money(dues.paid), "due": _money(dues.due)}, dues.paid,
                             dues.due)
    count("dues.discrepancies", "records.metric.dues-discrepancies", len(dues.discrepancies))
    count("admissions", "records.metric.admissions", len(records.admissions))
    count("admissions.flagged", "records.metric.admissions-flagged",
          sum(len(entry.flags) for entry in pipeline))
    count("handover", "records.metric.handover", len(records.handover))
    return metrics


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def consolidate_records(
    handbook: Handbook,
    branches: Sequence[tuple[str, str]],
    records: Mapping[str, HandbookRecords],
    *,
    year: int,
    quarters: Sequence[int],
    as_of: dt.date,
) -> Consolidation:
    """Consolidate every branch's handbook records.

    Args:
        handbook: the round's handbook definition.
        branches: ``(code, name)`` of every branch, in roster order.
        records: the records of each branch whose handbook was accepted, by code.
        year: the handbook's year.
        quarters: the quarters the period covers (1–2 for half-year, 1–4 for year-end).
        as_of: the date overdue steps are judged on.

    Returns:
        Members, meeting tallies, dues, the admission pipeline and per-branch metrics.
    """
    meetings: list[MeetingTally] = []
    dues: list[DuesTally] = []
    pipeline: list[PipelineEntry] = []
    metrics: dict[str, dict[str, Metric]] = {}
    for code, _ in branches:
        found = records.get(code)
        if found is None:
            continue
        own_meetings = tally_meetings(handbook, code, found, year, quarters)
        own_dues = tally_dues(code, found)
        own_pipeline = [place_applicant(handbook, code, a, as_of) for a in found.admissions]
        meetings += own_meetings
        dues.append(own_dues)
        pipeline += own_pipeline
        metrics[code] = branch_metrics(handbook, found, own_meetings, own_dues, own_pipeline)
    known = {code for code, _ in branches}
    return Consolidation(year, tuple(quarters), as_of, tuple(branches),
                         {k: v for k, v in records.items() if k in known}, tuple(meetings),
                         tuple(dues), tuple(pipeline), metrics)


def item_references(items: Sequence[Item], metrics: Mapping[str, Mapping[str, Metric]],
                    lang: str) -> dict[str, dict[str, str]]:
    """What the records say about each linked scheme item, per branch.

    Args:
        items: the scheme's items (those with a ``metric`` are linked).
        metrics: each branch's metrics, by code.
        lang: the language to render in.

    Returns:
        ``{branch code: {item id: text}}`` for branches with records; items whose metric is
        unknown get no text.
    """
    linked = [item for item in items if item.metric]
    return {
        code: {item.id: own[item.metric].render(lang) for item in linked
               if item.metric is not None and item.metric in own}
        for code, own in metrics.items()
    }
