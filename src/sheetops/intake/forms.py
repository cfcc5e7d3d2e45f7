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

from sheetops.forms.common import META_COLUMNS
from sheetops.forms.scoresheet import (
    COL_NOTE,
    COL_NUMBER,
    COL_SCORE,
    COL_TARGET,
    FormLayout,
)
from sheetops.identity import FormIdentity
from sheetops.scheme import Scheme
from sheetops.tables import cell_address, cell_text

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


def read_form_cells(grid: Grid, layout: FormLayout, scheme: Scheme) -> FormCells:
    """Pick a form's inputs and claimed totals out of its sheet grid.

    Args:
        grid: the form sheet's cells.
        layout: where the writer put each cell for this scheme and role.
        scheme: the round's scheme (item order and targets, to check the layout).

    Returns:
        The cells, and the addresses where the sheet no longer matches the layout.
    """

    misplaced = []
    for number, item in enumerate(scheme.items, start=1):
        row = layout.score_rows[item.id]
        if cell_text(value_at(grid, row, COL_NUMBER)) != str(number) or (
            cell_text(value_at(grid, row, COL_TARGET)) != item.target
        ):
            misplaced.append(cell_address(row, COL_NUMBER))
    scores: dict[str, CellRead] = {}
    notes: dict[str, CellRead] = {}
    for item_id, row in layout.score_rows.items():
        score, note = _pair(grid, row)
        scores[item_id], notes[item_id] = score, note
    vetoes: dict[str, CellRead] = {}
    veto_notes: dict[str, CellRead] = {}
    for veto_id, row in layout.veto_rows.items():
        vetoes[veto_id], veto_notes[veto_id] = _pair(grid, row)
    return FormCells(
        scores=scores,
        notes=notes,
        vetoes=vetoes,
        veto_notes=veto_notes,
        cached_subtotals={s: _pair(grid, rows[2])[0] for s, rows in layout.subtotal_rows.items()},
        cached_total=_pair(grid, layout.total_row)[0],
        misplaced=misplaced,
    )


def _pair(grid: Grid, row: int) -> tuple[CellRead, CellRead]:
    """Return the score and note cells of ``row`` (``''`` where the grid ends)."""
    values = grid[row] if row < len(grid) else ()
    width = len(values)
    return (CellRead(values[COL_SCORE] if width > COL_SCORE else "",
                     cell_address(row, COL_SCORE)),
            CellRead(values[COL_NOTE] if width > COL_NOTE else "", cell_address(row, COL_NOTE)))
