"""Find forms in a returned workbook's cell grids and pick out their input cells (pure).

Grids are lists of rows as python-calamine returns them (aligned to A1, empty cells ``''``).
Forms are found through the ``_meta`` sheet, never through defined names (not every client
keeps them); cells are located by the layout the writer used, and the layout is checked against
the sheet (item numbers and targets) so a rearranged sheet is noticed, not misread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from sheetops.core.identity import FormIdentity
from sheetops.layout.meta import META_COLUMNS
from sheetops.layout.scoresheet import (
    COL_NOTE,
    COL_NUMBER,
    COL_SCORE,
    COL_TARGET,
    FormLayout,
)
from sheetops.model.scheme import Scheme
from sheetops.model.tables import cell_address, cell_text

Grid = Sequence[Sequence[Any]]
IDENTITY_FIELDS: Final = FormIdentity.field_names()


@dataclass(frozen=True)
class MetaEntry:
    """One row of ``_meta``: which sheet holds which form, and its claimed signature."""

    sheet: str
    identity: FormIdentity
    signature: str
    address: str  # the row's first cell in _meta, e.g. "A2"


class CellRead(NamedTuple):
    """A cell's raw value and its address (a tuple: forms have hundreds of them)."""

    value: Any
    address: str


@dataclass(frozen=True)
class FormCells:
    """The input cells of one form as found in the sheet, plus the totals the file claims."""

    scores: dict[str, CellRead]
    notes: dict[str, CellRead]
    vetoes: dict[str, CellRead]
    veto_notes: dict[str, CellRead]
    cached_subtotals: dict[str, CellRead]
    cached_total: CellRead
    misplaced: list[str]  # addresses where the sheet does not match the expected layout


def value_at(grid: Grid, row: int, col: int) -> Any:
    """Return the value at 0-based (row, col), ``''`` outside the grid."""
    if row < len(grid) and col < len(grid[row]):
        return grid[row][col]
    return ""


def read_meta(grid: Grid) -> list[MetaEntry] | None:
    """Return the forms listed in a ``_meta`` grid, or None if it is not a sheetops meta sheet.

    Numbers that a client turned into floats are read back as text (``12.0`` → ``12``).
    """
    if not grid:
        return None
    header = [cell_text(value) for value in grid[0]]
    if header[: len(META_COLUMNS)] != list(META_COLUMNS):
        return None
    entries = []
    for index in range(1, len(grid)):
        values = [cell_text(value_at(grid, index, col)) for col in range(len(META_COLUMNS))]
        if not any(values):
            continue
        record = dict(zip(META_COLUMNS, values, strict=True))
        identity = FormIdentity(**{name: record[name] for name in IDENTITY_FIELDS})
        entries.append(MetaEntry(record["sheet"], identity, record["signature"],
                                 cell_address(index, 0)))
    return entries


@dataclass(frozen=True)
class _CellPlan:
    """A layout's cells with their addresses, worked out once per layout and scheme."""

    layout: FormLayout
    scheme: Scheme
    # (row, item number as text and as the float a reader returns, target, address)
    checks: tuple[tuple[int, str, float, str, str], ...]
    inputs: tuple[tuple[str, int, str, str], ...]  # (item, row, score address, note address)
    vetoes: tuple[tuple[str, int, str, str], ...]  # (veto, row, answer address, note address)
    subtotals: tuple[tuple[str, int, str], ...]  # (section, row, address)
    total: tuple[int, str]


_PLANS: dict[tuple[int, int], _CellPlan] = {}


def _plan(layout: FormLayout, scheme: Scheme) -> _CellPlan:
    """Return the cell plan of ``layout`` (cached: every form of a role shares one layout)."""
    key = (id(layout), id(scheme))
    plan = _PLANS.get(key)
    # The cache holds both objects, so their ids cannot be reused while their plan is in it.
    if plan is not None and plan.layout is layout and plan.scheme is scheme:
        return plan
    plan = _CellPlan(
        layout, scheme,
        checks=tuple((layout.score_rows[item.id], str(number), float(number), item.target,
                      cell_address(layout.score_rows[item.id], COL_NUMBER))
                     for number, item in enumerate(scheme.items, start=1)),
        inputs=tuple((item_id, row, cell_address(row, COL_SCORE), cell_address(row, COL_NOTE))
                     for item_id, row in layout.score_rows.items()),
        vetoes=tuple((veto_id, row, cell_address(row, COL_SCORE), cell_address(row, COL_NOTE))
                     for veto_id, row in layout.veto_rows.items()),
        subtotals=tuple((section_id, rows[2], cell_address(rows[2], COL_SCORE))
                        for section_id, rows in layout.subtotal_rows.items()),
        total=(layout.total_row, cell_address(layout.total_row, COL_SCORE)),
    )
    if len(_PLANS) >= 64:
        _PLANS.clear()
    _PLANS[key] = plan
    return plan


def read_form_cells(grid: Grid, layout: FormLayout, scheme: Scheme) -> FormCells:
    """Pick a form's inputs and claimed totals out of its sheet grid.

    Args:
        grid: the form sheet's cells.
        layout: where the writer put each cell for this scheme and role.
        scheme: the round's scheme (item order and targets, to check the layout).

    Returns:
        The cells, and the addresses where the sheet no longer matches the layout.
    """
    plan = _plan(layout, scheme)
    height = len(grid)
    no_row: Sequence[Any] = ()
    # Rows are taken once and cells indexed directly: this runs for every row of every form.
    misplaced = []
    for row, number, as_float, target, address in plan.checks:
        values = grid[row] if row < height else no_row
        if len(values) > COL_TARGET:
            shown, said = values[COL_NUMBER], values[COL_TARGET]
        else:
            shown, said = values[COL_NUMBER] if len(values) > COL_NUMBER else "", ""
        # Compared as read first (nearly always equal), as text only when they differ.
        if ((type(shown) is float and shown == as_float) or cell_text(shown) == number) and (
                said == target or cell_text(said) == target):
            continue
        misplaced.append(address)
    cell = tuple.__new__  # CellRead(value, address) without its Python-level constructor
    scores: dict[str, CellRead] = {}
    notes: dict[str, CellRead] = {}
    for item_id, row, score_address, note_address in plan.inputs:
        values = grid[row] if row < height else no_row
        width = len(values)
        scores[item_id] = cell(CellRead, (values[COL_SCORE] if width > COL_SCORE else "",
                                          score_address))
        notes[item_id] = cell(CellRead, (values[COL_NOTE] if width > COL_NOTE else "",
                                         note_address))
    vetoes: dict[str, CellRead] = {}
    veto_notes: dict[str, CellRead] = {}
    for veto_id, row, answer_address, note_address in plan.vetoes:
        vetoes[veto_id] = CellRead(value_at(grid, row, COL_SCORE), answer_address)
        veto_notes[veto_id] = CellRead(value_at(grid, row, COL_NOTE), note_address)
    total_row, total_address = plan.total
    return FormCells(
        scores=scores,
        notes=notes,
        vetoes=vetoes,
        veto_notes=veto_notes,
        cached_subtotals={section_id: CellRead(value_at(grid, row, COL_SCORE), address)
                          for section_id, row, address in plan.subtotals},
        cached_total=CellRead(value_at(grid, total_row, COL_SCORE), total_address),
        misplaced=misplaced,
    )
