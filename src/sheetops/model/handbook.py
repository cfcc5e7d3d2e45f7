"""The branch work handbook's definition: what every branch records, and the rules behind it.

Plain data and pure functions, plus :func:`load_handbook` which reads a YAML definition into a
:class:`Handbook`, collecting every problem with its ``file:line`` (as the scheme loader does).
Everything the handbook workbook shows and checks comes from the definition: the explanatory
parts, meeting types and how often each is required, member categories, the dues brackets,
the admission stages with their minimum and maximum intervals, and the columns of the basic
information and handover tables.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from sheetops.core.errors import Problem, ProblemsError, SheetopsError
from sheetops.core.i18n import LANGUAGES, Term
from sheetops.model.located import WHERE
from sheetops.model.round import RoundPaths
from sheetops.model.scheme import SCHEME_ID_PATTERN, _Builder
from sheetops.model.scheme_file import load_located_yaml

DEFAULT_HANDBOOKS: Final = {"zh-CN": "default.zh-CN.yaml", "en": "default.en.yaml"}
ROUND_HANDBOOK_FILE: Final = "handbook.yaml"
TEXT_PARTS: Final = ("usage", "rules", "duties", "documents")
FREQUENCIES: Final = ("monthly", "quarterly", "yearly", "none")
FIELD_KINDS: Final = ("text", "date", "integer")
TABLES: Final = ("basic_info", "members", "activities", "dues", "admissions", "handover")
# How many rows each table of a handbook has when neither the roster's member count nor the
# definition's ``capacity`` says otherwise.
CAPACITY: Final = {"members": 150, "activities": 200, "dues": 600, "admissions": 40,
                   "handover": 20}
MAX_CAPACITY: Final = 12_000  # rows of one table
FULL: Final = "full"
PROBATIONARY: Final = "probationary"
CATEGORIES: Final = (FULL, PROBATIONARY)


class HandbookError(ProblemsError):
    """Handbook definition is inconsistent."""


class HandbookFileError(SheetopsError):
    """Handbook definition file cannot be read at all."""


@dataclass(frozen=True)
class TextSection:
    """A heading and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TextPart:
    """One of the reference parts (how to use it, work rules, duties, documents)."""

    id: str
    title: str
    sections: tuple[TextSection, ...]


@dataclass(frozen=True)
class MeetingType:
    """A type of meeting or activity in the activity log, and how often it is required.

    Attributes:
        frequency: ``monthly``, ``quarterly``, ``yearly`` or ``none`` (no requirement).
        min_count: how many are required in each such period.
    """

    id: str
    name: str
    frequency: str
    min_count: int


@dataclass(frozen=True)
class Named:
    """An id with the name people read (member categories, committee posts)."""

    id: str
    name: str


@dataclass(frozen=True)
class Bracket:
    """A dues bracket: bases up to ``up_to`` (inclusive; None: no limit) pay ``rate``."""

    up_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Dues:
    """The dues rules: the basis of the calculation, the brackets and notes."""

    basis: str
    brackets: tuple[Bracket, ...]
    retiree_brackets: tuple[Bracket, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Interval:
    """A time after an earlier admission stage: ``months`` or ``days`` (one is 0)."""

    stage: str
    months: int = 0
    days: int = 0

    def after(self, start: dt.date) -> dt.date:
        """Return the date this interval after ``start`` (month ends are clamped)."""
        return add_months(start, self.months) + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class Stage:
    """An admission stage with its earliest and latest date relative to an earlier stage."""

    id: str
    name: str
    min_after: Interval | None = None
    max_after: Interval | None = None


@dataclass(frozen=True)
class Field:
    """A labelled input of the basic information or handover tables."""

    id: str
    label: str
    kind: str  # text | date | integer


@dataclass(frozen=True)
class Handbook:
    """A whole handbook definition."""

    id: str
    version: str
    language: str
    title: str
    text_parts: tuple[TextPart, ...]
    meeting_types: tuple[MeetingType, ...]
    member_categories: tuple[Named, ...]
    dues: Dues
    admission_stages: tuple[Stage, ...]
    basic_info: tuple[Field, ...]
    committee_posts: tuple[Named, ...]
    handover_fields: tuple[Field, ...]
    sheet_notes: tuple[tuple[str, str], ...]
    hash: str
    capacity: tuple[tuple[str, int], ...] = tuple(CAPACITY.items())  # rows of each table

    def rows(self, table: str) -> int:
        """Return how many rows table ``table`` has by default (no member count)."""
        return dict(self.capacity).get(table, CAPACITY[table])

    def note(self, table: str) -> str:
        """Return the instruction line of an input sheet ('' when the definition has none)."""
        return dict(self.sheet_notes).get(table, "")

    def stage(self, stage_id: str) -> Stage | None:
        """Return the admission stage ``stage_id``, or None."""
        return next((s for s in self.admission_stages if s.id == stage_id), None)

    def meeting_type(self, type_id: str) -> MeetingType | None:
        """Return the meeting type ``type_id``, or None."""
        return next((m for m in self.meeting_types if m.id == type_id), None)

    def category_name(self, category_id: str) -> str:
        """Return how a member category is named on the forms."""
        return next((c.name for c in self.member_categories if c.id == category_id),
                    category_id)


def add_months(start: dt.date, months: int) -> dt.date:
    """Return ``start`` plus ``months`` calendar months, the day clamped to the month's end."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def rate_for(brackets: Sequence[Bracket], base: Decimal) -> Decimal:
    """Return the rate of the bracket ``base`` falls in (the whole base pays that rate).

    Args:
        brackets: ascending brackets, the last one without limit.
        base: the monthly base.

    Returns:
        The rate.
    """
    for bracket in brackets:
        if bracket.up_to is None or base <= bracket.up_to:
            return bracket.rate
    return brackets[-1].rate


def dues_due(dues: Dues, base: Decimal, *, retired: bool) -> Decimal:
    """Return the monthly dues for ``base``, rounded half-up to the fen.

    Args:
        dues: the definition's dues rules.
        base: the monthly base.
        retired: use the retiree brackets.

    Returns:
        The amount due.
    """
    rate = rate_for(dues.retiree_brackets if retired else dues.brackets, base)
    return (base * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# -- loading --------------------------------------------------------------------------------


def default_handbook_path(lang: str) -> Path:
    """Return the path of the shipped default handbook definition for ``lang``."""
    root = resources.files("sheetops.workbook_templates") / "handbooks" / DEFAULT_HANDBOOKS[lang]
    return Path(str(root))


def read_handbook_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML handbook definition into a located document.

    Raises:
        HandbookFileError: the file cannot be read or is not a YAML mapping.
    """
    try:
        document = load_located_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise HandbookFileError("handbook.unreadable", path=path, reason=reason) from exc
    if not isinstance(document, dict):
        raise HandbookFileError("handbook.unreadable", path=path, reason="not a YAML mapping")
    return document


def _plain(value: Any) -> Any:
    """The document without locations, for hashing."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if k != WHERE}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Reader(_Builder):
    """The scheme's problem-collecting reader, with what handbook definitions need too."""

    def choice(self, node: Mapping[str, Any], field: str, choices: Sequence[str]) -> str:
        value = self.text(node, field)
        if value and value not in choices:
            self.add("handbook.bad-choice", self.where(node, field), field=Term(field),
                     value=value, choices=" | ".join(choices))
        return value

    def count(self, node: Mapping[str, Any], field: str, default: int | None = None) -> int:
        value = node.get(field, default)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add("handbook.bad-integer", self.where(node, field), field=Term(field),
                     value=value)
            return 0
        return value

    def strings(self, node: Mapping[str, Any], field: str) -> tuple[str, ...]:
        value = node.get(field)
        if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value):
            self.add("handbook.not-text-list", self.where(node, field), field=Term(field))
            return ()
        return tuple(v.strip() for v in value)

    def named(self, node: Mapping[str, Any], field: str, label: str = "name") -> list[Named]:
        seen: dict[str, str] = {}
        return [Named(self.ident(n, seen), self.text(n, label)) for n in self.mappings(node, field)]

    def fields(self, node: Mapping[str, Any], field: str) -> list[Field]:
        seen: dict[str, str] = {}
        return [Field(self.ident(n, seen), self.text(n, "label"), self.choice(n, "kind",
                                                                              FIELD_KINDS))
                for n in self.mappings(node, field)]

    def brackets(self, node: Mapping[str, Any], field: str) -> list[Bracket]:
        result: list[Bracket] = []
        nodes = self.mappings(node, field)
        for index, element in enumerate(nodes):
            limit = element.get("up_to")
            up_to = None if limit is None else self.number(element, "up_to")
            rate = self.number(element, "rate")
            if rate is not None and not Decimal(0) <= rate < 1:
                self.add("handbook.bad-rate", self.where(element, "rate"), value=rate)
            last = index == len(nodes) - 1
            if (limit is None) != last:
                self.add("handbook.brackets-open", self.where(element, "up_to"))
            elif up_to is not None and result and result[-1].up_to is not None and (
                    up_to <= result[-1].up_to):
                self.add("handbook.brackets-order", self.where(element, "up_to"))
            if rate is not None:
                result.append(Bracket(up_to, rate))
        if not nodes and field in node:
            self.add("handbook.brackets-open", self.where(node, field))
        return result

    def interval(self, node: Mapping[str, Any], field: str, earlier: Sequence[str],
                 ) -> Interval | None:
        value = node.get(field)
        if value is None:
            return None
        where = self.where(node, field)
        if not isinstance(value, Mapping):
            self.add("scheme.not-a-mapping", where)
            return None
        stage = str(value.get("stage") or "")
        if stage not in earlier:
            self.add("handbook.unknown-stage", where, value=stage,
                     choices=" | ".join(earlier) or "—")
        units = [unit for unit in ("months", "days") if unit in value]
        if len(units) != 1:
            self.add("handbook.interval-unit", where)
            return None
        amount = self.count(value, units[0])
        return Interval(stage, amount if units[0] == "months" else 0,
                        amount if units[0] == "days" else 0)


def build_handbook(document: Mapping[str, Any], origin: str,
                   ) -> tuple[Handbook | None, list[Problem]]:
    """Build a handbook definition from a located document, collecting every problem.

    Args:
        document: nested dicts/lists as read by :func:`read_handbook_yaml`.
        origin: fallback location (the file name).

    Returns:
        ``(handbook, problems)``; ``handbook`` is None when any problem was found.
    """
    r = _Reader(origin)
    handbook_id = r.ident(document, {}, SCHEME_ID_PATTERN)
    version = r.text(document, "version")
    title = r.text(document, "title")
    language = r.choice(document, "language", LANGUAGES)

    parts = []
    part_ids: dict[str, str] = {}
    for node in r.mappings(document, "text_parts"):
        part_id = r.choice(node, "id", TEXT_PARTS)
        if part_id in part_ids:
            r.add("scheme.duplicate-id", r.where(node, "id"), value=part_id,
                  first=part_ids[part_id])
        part_ids.setdefault(part_id, r.where(node, "id"))
        sections = tuple(TextSection(r.text(s, "heading"), r.strings(s, "paragraphs"))
                         for s in r.mappings(node, "sections"))
        parts.append(TextPart(part_id, r.text(node, "title"), sections))
    for missing in (p for p in TEXT_PARTS if p not in part_ids and "text_parts" in document):
        r.add("handbook.missing-part", r.where(document, "text_parts"), value=missing)

    meetings = []
    meeting_ids: dict[str, str] = {}
    for node in r.mappings(document, "meeting_types"):
        meetings.append(MeetingType(r.ident(node, meeting_ids), r.text(node, "name"),
                                    r.choice(node, "frequency", FREQUENCIES),
                                    r.count(node, "min_count", 0)))
    if "meeting_types" in document and not meetings:
        r.add("handbook.empty", r.where(document, "meeting_types"), field=Term("meeting_types"))

    categories = r.named(document, "member_categories")
    if "member_categories" in document and sorted(c.id for c in categories) != sorted(CATEGORIES):
        r.add("handbook.categories", r.where(document, "member_categories"),
              choices=" | ".join(CATEGORIES))

    dues_node = document.get("dues")
    if not isinstance(dues_node, Mapping):
        r.add("scheme.missing-field", r.where(document, "dues"), field=Term("dues"))
        dues_node = {}
    dues = Dues(r.text(dues_node, "basis"), tuple(r.brackets(dues_node, "brackets")),
                tuple(r.brackets(dues_node, "retiree_brackets")), r.strings(dues_node, "notes"))

    stages = []
    stage_ids: dict[str, str] = {}
    for node in r.mappings(document, "admission_stages"):
        earlier = list(stage_ids)
        stage_id = r.ident(node, stage_ids)
        stages.append(Stage(stage_id, r.text(node, "name"),
                            r.interval(node, "min_after", earlier),
                            r.interval(node, "max_after", earlier)))

    basic = r.fields(document, "basic_info")
    posts = r.named(document, "committee_posts")
    handover = r.fields(document, "handover_fields")

    notes_node = document.get("sheet_notes") or {}
    notes: list[tuple[str, str]] = []
    if not isinstance(notes_node, Mapping):
        r.add("scheme.not-a-mapping", r.where(document, "sheet_notes"))
    else:
        for key, value in notes_node.items():
            if key == WHERE:
                continue
            if key not in TABLES:
                r.add("handbook.bad-choice", r.where(notes_node, key), field=Term("sheet_notes"),
                      value=key, choices=" | ".join(TABLES))
            elif isinstance(value, str) and value.strip():
                notes.append((key, value.strip()))

    capacity = dict(CAPACITY)
    capacity_node = document.get("capacity") or {}
    if not isinstance(capacity_node, Mapping):
        r.add("scheme.not-a-mapping", r.where(document, "capacity"))
    else:
        for key, value in capacity_node.items():
            if key == WHERE:
                continue
            if key not in CAPACITY:
                r.add("handbook.bad-choice", r.where(capacity_node, key),
                      field=Term("capacity"), value=key, choices=" | ".join(CAPACITY))
            elif isinstance(value, bool) or not isinstance(value, int) or not (
                    1 <= value <= MAX_CAPACITY):
                r.add("handbook.bad-capacity", r.where(capacity_node, key), field=f"capacity.{key}",
                      value=value, limit=MAX_CAPACITY)
            else:
                capacity[key] = value

    if r.problems:
        return None, r.problems
    canonical = json.dumps(_plain(document), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"), default=str)
    return Handbook(
        id=handbook_id, version=version, language=language, title=title,
        text_parts=tuple(sorted(parts, key=lambda p: TEXT_PARTS.index(p.id))),
        meeting_types=tuple(meetings), member_categories=tuple(categories), dues=dues,
        admission_stages=tuple(stages), basic_info=tuple(basic), committee_posts=tuple(posts),
        handover_fields=tuple(handover), sheet_notes=tuple(notes),
        capacity=tuple(capacity.items()),
        hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    ), []


def check_handbook(path: Path) -> tuple[Handbook | None, list[Problem]]:
    """Read and check a handbook definition, collecting every problem.

    Args:
        path: a YAML handbook definition.

    Returns:
        ``(handbook, problems)``; ``handbook`` is None when there are problems.

    Raises:
        HandbookFileError: the file cannot be read at all.
    """
    return build_handbook(read_handbook_yaml(path), path.name)


def load_handbook(path: Path) -> Handbook:
    """Load a handbook definition.

    Args:
        path: the YAML file.

    Returns:
        The definition.

    Raises:
        HandbookFileError: the file cannot be read.
        HandbookError: the definition has problems (all of them, located).
    """
    handbook, problems = check_handbook(path)
    if handbook is None:
        raise HandbookError("handbook.invalid", problems, path=path)
    return handbook


def round_handbook_path(paths: RoundPaths) -> Path:
    """Return where a round keeps its frozen handbook definition."""
    return paths.root / ROUND_HANDBOOK_FILE


def freeze_round_handbook(paths: RoundPaths, lang: str) -> Handbook:
    """Load the round's handbook definition, first freezing the shipped one if it has none.

    Args:
        paths: the round's folders.
        lang: the round's language (picks the shipped definition).

    Returns:
        The definition the round's handbooks are generated and checked with.

    Raises:
        HandbookFileError, HandbookError: the frozen definition is damaged.
        OSError: the round folder cannot be written.
    """
    path = round_handbook_path(paths)
    if not path.exists():
        shutil.copyfile(default_handbook_path(lang), path)  # keeps the maintainers' comments
    return load_handbook(path)


def load_round_handbook(paths: RoundPaths) -> Handbook | None:
    """Return the round's frozen handbook definition, or None before any handbook was made.

    Raises:
        HandbookFileError, HandbookError: the frozen definition is damaged.
    """
    path = round_handbook_path(paths)
    return load_handbook(path) if path.is_file() else None


# -- what a handbook carries ----------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeMember:
    """A committee post as recorded in the basic information."""

    post: str
    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Member:
    """A row of the member roll."""

    row: int
    name: str
    category: str
    joined: dt.date | None = None
    full_date: dt.date | None = None
    gender: str = ""
    birth: dt.date | None = None
    group: str = ""
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class Activity:
    """A row of the activity log."""

    row: int
    date: dt.date
    type: str  # a meeting type id
    topic: str = ""
    present: int | None = None
    absent: str = ""
    chair: str = ""
    recorder: str = ""


@dataclass(frozen=True)
class DuesEntry:
    """One member's dues for one month: the amount due is recomputed from the brackets."""

    row: int
    name: str
    month: int
    base: Decimal
    retired: bool
    due: Decimal
    paid: Decimal | None = None
    paid_on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Applicant:
    """A person in the admission pipeline with the date of each stage reached."""

    row: int
    name: str
    dates: Mapping[str, dt.date]
    note: str = ""


@dataclass(frozen=True)
class HandbookRecords:
    """Everything an accepted handbook recorded, as plain values."""

    basic: Mapping[str, str] = field(default_factory=dict)  # field id → text (dates ISO)
    committee: tuple[CommitteeMember, ...] = ()
    counts: Mapping[str, int | None] = field(default_factory=dict)  # category id → count
    members: tuple[Member, ...] = ()
    activities: tuple[Activity, ...] = ()
    dues: tuple[DuesEntry, ...] = ()
    admissions: tuple[Applicant, ...] = ()
    handover: tuple[Mapping[str, str], ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """Return the records as JSON-ready data (the ledger's ``records`` payload)."""
        return {
            "basic": dict(self.basic),
            "committee": [_plain_row(c) for c in self.committee],
            "counts": dict(self.counts),
            "members": [_plain_row(m) for m in self.members],
            "activities": [_plain_row(a) for a in self.activities],
            "dues": [_plain_row(d) for d in self.dues],
            "admissions": [{"row": a.row, "name": a.name, "note": a.note,
                            "dates": {k: v.isoformat() for k, v in a.dates.items()}}
                           for a in self.admissions],
            "handover": [dict(h) for h in self.handover],
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> HandbookRecords:
        """Read records back from the ledger's payload.

        Args:
            data: what :meth:`to_payload` returned (after a JSON round trip).

        Returns:
            The records.
        """
        return cls(
            basic=dict(data.get("basic", {})),
            committee=tuple(CommitteeMember(c["post"], c["name"], _date(c.get("start")),
                                            _date(c.get("end")), c.get("note", ""))
                            for c in data.get("committee", [])),
            counts={k: v for k, v in data.get("counts", {}).items()},
            members=tuple(Member(
                m["row"], m["name"], m["category"], _date(m.get("joined")),
                _date(m.get("full_date")), m.get("gender", ""), _date(m.get("birth")),
                m.get("group", ""), m.get("phone", ""), m.get("note", ""))
                for m in data.get("members", [])),
            activities=tuple(Activity(
                a["row"], dt.date.fromisoformat(a["date"]), a["type"], a.get("topic", ""),
                a.get("present"), a.get("absent", ""), a.get("chair", ""),
                a.get("recorder", "")) for a in data.get("activities", [])),
            dues=tuple(DuesEntry(
                d["row"], d["name"], d["month"], Decimal(d["base"]), d["retired"],
                Decimal(d["due"]), None if d.get("paid") is None else Decimal(d["paid"]),
                _date(d.get("paid_on")), d.get("note", "")) for d in data.get("dues", [])),
            admissions=tuple(Applicant(
                a["row"], a["name"], {k: dt.date.fromisoformat(v) for k, v in
                                      a.get("dates", {}).items()}, a.get("note", ""))
                for a in data.get("admissions", [])),
            handover=tuple(dict(h) for h in data.get("handover", [])),
        )

    def category_counts(self) -> dict[str, int]:
        """Members per category as the roll lists them."""
        counts = {FULL: 0, PROBATIONARY: 0}
        for member in self.members:
            counts[member.category] = counts.get(member.category, 0) + 1
        return counts


def _plain_row(row: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in (f.name for f in fields(row)):
        value = getattr(row, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        values[name] = value
    return values


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
