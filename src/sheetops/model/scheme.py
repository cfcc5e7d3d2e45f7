"""The scoring scheme: sections of items with maxima, veto questions and grade bands.

Plain data and pure functions. Readers in :mod:`sheetops.model.scheme_file` turn a YAML file or a
staff workbook into a *document* (nested dicts and lists whose dicts carry a ``__where__``
mapping from field name to a location such as ``scheme.yaml:12`` or ``考核项目!E7``), and
:func:`build_scheme` turns a document into a :class:`Scheme`, collecting every problem with its
location instead of stopping at the first.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, Final

from sheetops.core.errors import Problem
from sheetops.core.i18n import LANGUAGES, Term
from sheetops.model.located import ProblemCollector

ID_PATTERN: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
SCHEME_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
DEFAULT_STEP: Final = Decimal("0.5")


@dataclass(frozen=True)
class Item:
    """One scored target.

    Attributes:
        id: stable id (letters, digits, underscore); names the form's input cells.
        target: what the branch must do.
        rule: how the rater scores it (what earns full marks, what is deducted).
        max: full marks.
        step: scores are multiples of this.
        metric: optional handbook records metric this item is checked against.
    """

    id: str
    target: str
    rule: str
    max: Decimal
    step: Decimal = DEFAULT_STEP
    metric: str | None = None


@dataclass(frozen=True)
class Section:
    """A block of items (e.g. 班子建设)."""

    id: str
    title: str
    items: tuple[Item, ...]

    @property
    def max(self) -> Decimal:
        """Full marks of the section."""
        return sum((item.max for item in self.items), Decimal(0))


@dataclass(frozen=True)
class Veto:
    """A one-vote-veto question answered 是/否 on self and inspector forms; ``name`` is what
    people call it (党纪处分), optional."""

    id: str
    text: str
    name: str = ""

    @property
    def label(self) -> str:
        """How the veto is named to a person: its name, else its question."""
        return self.name or self.text


@dataclass(frozen=True)
class Grade:
    """A grade band: branches scoring at least ``min`` (and not vetoed) get ``name``."""

    name: str
    min: Decimal


@dataclass(frozen=True)
class Scheme:
    """A whole scoring scheme."""

    id: str
    version: str
    language: str
    title: str
    total: Decimal
    sections: tuple[Section, ...]
    vetoes: tuple[Veto, ...]
    grades: tuple[Grade, ...]
    pending_grade: str

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """All items in form order (worked out once)."""
        return tuple(item for section in self.sections for item in section.items)

    @property
    def worst_grade(self) -> str:
        """The grade given to vetoed branches (the last band)."""
        return self.grades[-1].name

    def grade_for(self, score: Decimal) -> str:
        """Return the grade name of a non-vetoed ``score``."""
        for grade in self.grades:
            if score >= grade.min:
                return grade.name
        return self.grades[-1].name

    def to_document(self) -> dict[str, Any]:
        """Return the scheme as a plain document (the YAML shape, numbers as int/float)."""
        return {
            "id": self.id,
            "version": self.version,
            "language": self.language,
            "title": self.title,
            "total": plain_number(self.total),
            "pending_grade": self.pending_grade,
            "grades": [{"name": g.name, "min": plain_number(g.min)} for g in self.grades],
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "items": [_item_document(item) for item in s.items],
                }
                for s in self.sections
            ],
            "vetoes": [_veto_document(v) for v in self.vetoes],
        }

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON document: equal schemes have equal hashes."""
        canonical = json.dumps(
            self.to_document(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _item_document(item: Item) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": item.id,
        "target": item.target,
        "rule": item.rule,
        "max": plain_number(item.max),
    }
    if item.step != DEFAULT_STEP:
        doc["step"] = plain_number(item.step)
    if item.metric:
        doc["metric"] = item.metric
    return doc


def _veto_document(veto: Veto) -> dict[str, Any]:
    # a name joins the document only when given: schemes without names keep their hash
    doc = {"id": veto.id, "text": veto.text}
    if veto.name:
        doc["name"] = veto.name
    return doc


def plain_number(value: Decimal) -> int | float:
    """Return ``value`` as an int when whole, else a float (for display and documents)."""
    return int(value) if value == value.to_integral_value() else float(value)


def shown_number(value: Decimal) -> str:
    """A decimal as people write it (2 → ``2``, 2.5 → ``2.5``)."""
    return str(plain_number(value))


def to_decimal(value: object) -> Decimal | None:
    """Return ``value`` as a Decimal, or None if it is not a finite number.

    Floats go through ``repr`` so ``0.1`` becomes ``Decimal('0.1')``, not its binary expansion.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return result if result.is_finite() else None


class _Builder(ProblemCollector):
    """Collects problems while reading a scheme (or a handbook definition) document."""

    def text(self, node: Mapping[str, Any], field: str, *, required: bool = True) -> str:
        value = node.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                key = "scheme.missing-field" if field not in node else "scheme.empty-text"
                self.add(key, self.where(node, field), field=Term(field))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def number(self, node: Mapping[str, Any], field: str, default: Decimal | None = None) -> (
        Decimal | None
    ):
        if field not in node or node[field] is None or node[field] == "":
            if default is None:
                self.add("scheme.missing-field", self.where(node, field), field=Term(field))
            return default
        value = to_decimal(node[field])
        if value is None:
            self.add("scheme.bad-number", self.where(node, field), field=Term(field),
                     value=node[field])
        return value

    def mappings(self, node: Mapping[str, Any], field: str) -> list[Mapping[str, Any]]:
        value = node.get(field)
        if value is None:
            self.add("scheme.missing-field", self.where(node, field), field=Term(field))
            return []
        if not isinstance(value, list):
            self.add("scheme.not-a-list", self.where(node, field), field=Term(field))
            return []
        result = []
        for element in value:
            if isinstance(element, Mapping):
                result.append(element)
            else:
                self.add("scheme.not-a-mapping", self.where(node, field))
        return result

    def ident(
        self, node: Mapping[str, Any], seen: dict[str, str], pattern: re.Pattern[str] = ID_PATTERN
    ) -> str:
        value = self.text(node, "id")
        if not value:
            return value
        where = self.where(node, "id")
        if not pattern.fullmatch(value):
            self.add("scheme.bad-id", where, value=value)
        elif value in seen:
            self.add("scheme.duplicate-id", where, value=value, first=seen[value])
        else:
            seen[value] = where
        return value


def build_scheme(document: Mapping[str, Any], origin: str) -> tuple[Scheme | None, list[Problem]]:
    """Build a scheme from a document, collecting every problem with its location.

    Args:
        document: nested dicts/lists as produced by :mod:`sheetops.model.scheme_file`.
        origin: fallback location (the file name) for problems without a finer one.

    Returns:
        ``(scheme, problems)``; ``scheme`` is None when any problem was found.
    """
    b = _Builder(origin)
    # Section, item and veto ids each name different things (section scores, score_<item>
    # cells, veto_<veto> cells), so each kind only needs to be unique among its own kind.
    section_ids: dict[str, str] = {}
    item_ids: dict[str, str] = {}
    veto_ids: dict[str, str] = {}
    scheme_id = b.ident(document, {}, SCHEME_ID_PATTERN)
    version = b.text(document, "version")
    title = b.text(document, "title")
    language = b.text(document, "language")
    if language and language not in LANGUAGES:
        b.add("scheme.bad-language", b.where(document, "language"), value=language)
    total = b.number(document, "total", Decimal(100))
    pending = b.text(document, "pending_grade")

    sections: list[Section] = []
    section_nodes = b.mappings(document, "sections")
    if "sections" in document and not section_nodes:
        b.add("scheme.no-sections", b.where(document, "sections"))
    for node in section_nodes:
        section_id = b.ident(node, section_ids)
        section_title = b.text(node, "title")
        items = [_build_item(b, item_node, item_ids) for item_node in b.mappings(node, "items")]
        if not items and "items" in node:
            b.add("scheme.section-empty", b.where(node, "items"),
                  section=section_title or section_id)
        sections.append(
            Section(section_id, section_title, tuple(i for i in items if i is not None))
        )

    vetoes = []
    veto_names: dict[str, str] = {}  # a name or id → where: what ``sheetops veto`` is given
    for node in b.mappings(document, "vetoes"):
        veto_id = b.ident(node, veto_ids)
        name = b.text(node, "name", required=False)
        if name and name.casefold() in veto_names:
            b.add("scheme.duplicate-veto-name", b.where(node, "name"), value=name,
                  first=veto_names[name.casefold()])
        elif name:
            veto_names[name.casefold()] = b.where(node, "name")
        vetoes.append(Veto(veto_id, b.text(node, "text"), name))
    for veto in vetoes:  # an id that is another veto's name would be ambiguous
        if (veto.id in veto_ids and veto.id.casefold() in veto_names
                and veto.name.casefold() != veto.id.casefold()):
            b.add("scheme.duplicate-veto-name", veto_ids[veto.id], value=veto.id,
                  first=veto_names[veto.id.casefold()])

    grades = []
    grade_nodes = b.mappings(document, "grades")
    for node in grade_nodes:
        name = b.text(node, "name")
        minimum = b.number(node, "min")
        if minimum is not None:
            grades.append(Grade(name, minimum))
    if "grades" in document and not grade_nodes:
        b.add("scheme.no-grades", b.where(document, "grades"))
    mins = [g.min for g in grades]
    if grades and len(grades) == len(grade_nodes) and (mins != sorted(mins, reverse=True) or
                                                       mins[-1] != 0):
        b.add("scheme.grades-order", b.where(document, "grades"))

    parsed_all = all(len(s.items) == len(n.get("items") or []) for s, n in
                     zip(sections, section_nodes, strict=True))
    if total is not None and sections and parsed_all:
        actual = sum((s.max for s in sections), Decimal(0))
        if actual != total:
            b.add(
                "scheme.total-mismatch",
                b.where(document, "total"),
                actual=plain_number(actual),
                expected=plain_number(total),
            )
    if b.problems or total is None:
        return None, b.problems
    scheme = Scheme(
        id=scheme_id,
        version=version,
        language=language,
        title=title,
        total=total,
        sections=tuple(sections),
        vetoes=tuple(vetoes),
        grades=tuple(grades),
        pending_grade=pending,
    )
    return scheme, []


def _build_item(b: _Builder, node: Mapping[str, Any], ids: dict[str, str]) -> Item | None:
    item_id = b.ident(node, ids)
    target = b.text(node, "target")
    rule = b.text(node, "rule")
    maximum = b.number(node, "max")
    step = b.number(node, "step", DEFAULT_STEP)
    metric = b.text(node, "metric", required=False) or None
    for field, value in (("max", maximum), ("step", step)):
        if value is not None and value <= 0:
            b.add("scheme.not-positive", b.where(node, field), field=Term(field),
                  value=plain_number(value))
            return None
    if maximum is None or step is None:
        return None
    if maximum % step != 0:
        b.add("scheme.max-not-multiple", b.where(node, "max"), max=plain_number(maximum),
              step=plain_number(step))
    return Item(item_id, target, rule, maximum, step, metric)
