"""Read the committee's own tabular workbooks (roster, scheme workbook) into located records.

A record is a dict from field name to cell text, plus ``__where__`` mapping each field to its
Excel address (``branches!C7``), so every problem found later points at the cell to fix.
Headers are matched against aliases, so English and Chinese headers both work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from sheetops.model.located import WHERE

NUMERIC = "__numeric__"  # fields whose cell held a number, not text


def column_letter(index: int) -> str:
    """Return the Excel column letters of a 0-based column index (0 → A, 27 → AB).

    The writers use XlsxWriter's own helpers; the readers keep this one so that reading a
    returned workbook never imports XlsxWriter.
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@lru_cache(maxsize=65536)
def cell_address(row: int, col: int) -> str:
    """Return the A1 address of a 0-based (row, col)."""
    return f"{column_letter(col)}{row + 1}"


def cell_text(value: object) -> str:
    """Return a cell value as trimmed text; whole floats lose their ``.0`` (12.0 → ``12``)."""
    # Text and numbers are nearly every cell, so they are tested first: this runs for every
    # cell of every returned form.
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class Sheet:
    """A worksheet's cells as read, with its name."""

    name: str
    rows: list[list[Any]]


def read_sheets(path: Path) -> dict[str, Sheet]:
    """Read every worksheet of a trusted workbook (.xlsx, .xls, .ods).

    Args:
        path: the workbook.

    Returns:
        Sheets by name, cells aligned to A1.

    Raises:
        OSError: the file cannot be opened.
        Exception: calamine's parse errors for a corrupt file.
    """
    book = CalamineWorkbook.from_path(str(path))
    sheets = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets[name] = Sheet(name, rows)
    return sheets


def find_sheet(sheets: Mapping[str, Sheet], aliases: Sequence[str]) -> Sheet | None:
    """Return the first sheet whose name matches one of ``aliases`` (case-insensitive)."""
    by_name = {name.strip().casefold(): sheet for name, sheet in sheets.items()}
    for alias in aliases:
        if alias.casefold() in by_name:
            return by_name[alias.casefold()]
    return None


def read_records(
    sheet: Sheet, columns: Mapping[str, Sequence[str]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Turn a sheet with a header row into located records.

    The header is the first non-empty row. Fully empty rows are skipped.

    Args:
        sheet: the sheet.
        columns: field name → accepted header texts (first one is the canonical header).

    Returns:
        ``(records, missing)``: records hold only the fields whose column exists; ``missing``
        lists the fields whose column was not found.
    """
    header_row = next((i for i, row in enumerate(sheet.rows) if any(map(cell_text, row))), None)
    if header_row is None:
        return [], list(columns)
    lookup: dict[str, str] = {}
    for field, aliases in columns.items():
        for alias in aliases:
            lookup.setdefault(alias.casefold(), field)
    positions: dict[str, int] = {}
    for col, value in enumerate(sheet.rows[header_row]):
        found = lookup.get(cell_text(value).casefold())
        if found is not None and found not in positions:
            positions[found] = col
    missing = [field for field in columns if field not in positions]
    records = []
    for row_index in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[row_index]
        if not any(map(cell_text, row)):
            continue
        record: dict[str, Any] = {WHERE: {"": f"{sheet.name}!{row_index + 1}"}, NUMERIC: set()}
        for field, col in positions.items():
            raw = row[col] if col < len(row) else ""
            record[field] = cell_text(raw)
            record[WHERE][field] = f"{sheet.name}!{cell_address(row_index, col)}"
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                record[NUMERIC].add(field)
        records.append(record)
    return records, missing
