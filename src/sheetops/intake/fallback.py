"""Second readers for the workbooks python-calamine refuses: run inside the same sandboxed worker.

calamine stops on some valid files that spreadsheet programs write: an ODS whose
``content.xml`` has whitespace between table elements (Gnumeric indents it), for instance.
When it raises, :func:`sheetops.intake.reader.read_workbook` tries the reader here for the
file's format: a streaming parse of an ODS's ``content.xml`` (defusedxml: no DOCTYPE, no
entities), or xlrd for an .xls (which also reads again an .xls in which calamine sees dates:
calamine mistakes some of a file's own number formats for date formats). Both hand back
cells as calamine does (text, floats, bools, dates, times and durations, ``''`` for an empty
cell), so validation works alike whichever reader ran, and
both are bounded: repeated rows and columns only take room once a value follows them, and the
sheet never grows past ``MAX_ROWS`` × ``MAX_COLUMNS`` or ``MAX_CELLS`` cells.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any, Final
from xml.etree.ElementTree import Element

from sheetops.intake.dates import DAY_MS, EXCEL_1900, EXCEL_1904, ODS_DEFAULT, DateSystem

MAX_ROWS: Final = 1_048_576
MAX_COLUMNS: Final = 16_384
MAX_CELLS: Final = 5_000_000  # cells held in all sheets together (empty ones included)

_TABLE: Final = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE: Final = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT: Final = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
T_TABLE: Final = f"{{{_TABLE}}}table"
T_ROW: Final = f"{{{_TABLE}}}table-row"
T_CELL: Final = f"{{{_TABLE}}}table-cell"
T_COVERED: Final = f"{{{_TABLE}}}covered-table-cell"
A_NAME: Final = f"{{{_TABLE}}}name"
A_ROWS: Final = f"{{{_TABLE}}}number-rows-repeated"
A_COLUMNS: Final = f"{{{_TABLE}}}number-columns-repeated"
A_TYPE: Final = f"{{{_OFFICE}}}value-type"
A_VALUE: Final = f"{{{_OFFICE}}}value"
A_DATE: Final = f"{{{_OFFICE}}}date-value"
A_TIME: Final = f"{{{_OFFICE}}}time-value"
A_BOOLEAN: Final = f"{{{_OFFICE}}}boolean-value"
A_STRING: Final = f"{{{_OFFICE}}}string-value"
A_SPACES: Final = f"{{{_TEXT}}}c"
P: Final = f"{{{_TEXT}}}p"
H: Final = f"{{{_TEXT}}}h"
SPACE: Final = f"{{{_TEXT}}}s"
TAB: Final = f"{{{_TEXT}}}tab"
BREAK: Final = f"{{{_TEXT}}}line-break"
ANNOTATION: Final = f"{{{_OFFICE}}}annotation"
NUMBERS: Final = frozenset({"float", "percentage", "currency"})

Grid = list[list[Any]]


class SheetTooLarge(ValueError):
    """A sheet reaches beyond the readers' bounds."""


class _Budget:
    """The cells all sheets may still take."""

    def __init__(self) -> None:
        self.left = MAX_CELLS

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise SheetTooLarge(f"more than {MAX_CELLS} cells")


def _repeat(element: Element, name: str) -> int:
    try:
        count = int(element.get(name) or 1)
    except ValueError:
        return 1
    return max(count, 1)


def _paragraph(element: Element) -> str:
    """The text of a ``text:p``: spans, runs of spaces, tabs and line breaks, no notes."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == SPACE:
            parts.append(" " * min(_repeat(child, A_SPACES), 1000))
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == BREAK:
            parts.append("\n")
        elif child.tag != ANNOTATION:
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _duration(text: str) -> dt.timedelta | str:
    number = ODS_DEFAULT.serial(text)  # an ISO duration, as ODS writes them
    if number is None:
        return text
    return dt.timedelta(milliseconds=int(number * DAY_MS))


def _when(text: str) -> dt.date | dt.datetime | str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if "T" not in text:
        return moment.date()
    return moment.replace(tzinfo=None)


def ods_cell(element: Element) -> Any:
    """A cell's value as calamine gives it: float, bool, date or datetime, duration or text."""
    kind = element.get(A_TYPE)
    if kind in NUMBERS:
        try:
            return float(element.get(A_VALUE) or "")
        except ValueError:
            pass
    elif kind == "boolean":
        return (element.get(A_BOOLEAN) or "").strip().lower() in ("true", "1")
    elif kind == "date" and element.get(A_DATE):
        return _when(element.get(A_DATE) or "")
    elif kind == "time" and element.get(A_TIME):
        return _duration(element.get(A_TIME) or "")
    if kind == "string" and element.get(A_STRING) is not None:
        return element.get(A_STRING)
    paragraphs = [_paragraph(child) for child in element if child.tag in (P, H)]
    return "\n".join(paragraphs)


class _Row:
    """The cells of the row being read, without trailing empty ones (held only once a value
    follows them)."""

    def __init__(self) -> None:
        self.cells: list[Any] = []
        self.empty = 0

    def add(self, value: Any, repeat: int) -> None:
        if value == "":
            self.empty += repeat
            return
        if len(self.cells) + self.empty + repeat > MAX_COLUMNS:
            raise SheetTooLarge(f"more than {MAX_COLUMNS} columns")
        self.cells += [""] * self.empty + [value] * repeat
        self.empty = 0


def _ods_table(events: Iterator[tuple[str, Element]], table: Element, budget: _Budget) -> Grid:
    """Read one ``table:table`` up to its end event, clearing each cell and row once read.

    The grid is as calamine's: from A1 to the last cell holding a value, every row as wide
    as the widest; it may never hold more cells than ``budget`` has left.
    """
    grid: Grid = []
    width = 0
    empty = 0  # rows seen without a value, held only once a row with one follows
    row = _Row()
    parents = [table]
    for event, element in events:
        if event == "start":
            parents.append(element)
            continue
        parents.pop()
        if element is table:
            budget.take(len(grid) * width)
            for cells in grid:
                cells += [""] * (width - len(cells))
            return grid
        tag = element.tag
        if tag in (T_CELL, T_COVERED) and parents[-1].tag == T_ROW:
            row.add(ods_cell(element) if tag == T_CELL else "", _repeat(element, A_COLUMNS))
        elif tag != T_ROW:
            continue
        else:
            repeat = _repeat(element, A_ROWS)
            cells, row = row.cells, _Row()
            if not cells:
                empty += repeat
            else:
                width = max(width, len(cells))
                if len(grid) + empty + repeat > MAX_ROWS:
                    raise SheetTooLarge(f"more than {MAX_ROWS} rows")
                if (len(grid) + empty + repeat) * width > budget.left:
                    raise SheetTooLarge(f"more than {MAX_CELLS} cells")
                grid += [[] for _ in range(empty)]
                grid += [list(cells) for _ in range(repeat)]
                empty = 0
        element.clear()
        parents[-1].remove(element)  # what was read takes no room any more
    raise ValueError("content.xml ends inside a table")


def read_ods_sheets(path: str) -> tuple[list[str], Callable[[str], Grid]]:
    """Read every sheet of an ODS file from its ``content.xml`` (runs inside the worker).

    Returns:
        The sheet names in order and how to get each one's grid.

    Raises:
        ValueError: a sheet beyond the bounds, or XML that is not an ODS spreadsheet
            (defusedxml's errors, for a DOCTYPE or an entity, are ValueErrors too).
    """
    from defusedxml.ElementTree import iterparse

    budget = _Budget()
    sheets: dict[str, Grid] = {}
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        events: Iterator[tuple[str, Element]] = iterparse(
            content, events=("start", "end"), forbid_dtd=True)
        for event, element in events:
            if event == "start" and element.tag == T_TABLE:
                name = element.get(A_NAME) or f"Sheet{len(sheets) + 1}"
                sheets[name] = _ods_table(events, element, budget)
                element.clear()
    names = list(sheets)
    return names, sheets.__getitem__


class _Discard:
    """Where xlrd's warnings go (it prints them otherwise)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def quiet() -> IO[str]:
    """A log for xlrd that keeps nothing: it writes warnings to standard output otherwise,
    which would land in ``collect --json``'s output."""
    return _Discard()  # type: ignore[return-value]


def _xls_value(kind: int, value: Any, dates: DateSystem) -> Any:
    """An xlrd cell value as calamine gives it."""
    import xlrd

    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    if kind == xlrd.XL_CELL_DATE:
        return excel_moment(float(value), dates)
    return value


def excel_moment(serial: float, dates: DateSystem) -> Any:
    """A date-formatted number as calamine shows it: a time below 1, a date, a datetime.

    Excel's 1900 system counts its 1900-02-29 that never was: below 61 a day is one less,
    and 60 shows as 1900-02-28, as in calamine.
    """
    if not -1e7 < serial < 3e6:  # beyond 9999-12-31: calamine keeps the number
        return serial
    ms = round(serial * DAY_MS)
    if 0 <= ms < DAY_MS:
        return (dt.datetime.min + dt.timedelta(milliseconds=ms)).time()
    if dates.leap_quirk and ms < 60 * DAY_MS:
        ms += DAY_MS  # 60.x stays: 1900-02-28 and its time
    moment = dates.epoch + dt.timedelta(milliseconds=ms)
    return moment.date() if moment.time() == dt.time() else moment


def read_xls_sheets(path: str) -> tuple[list[str], Callable[[str], Grid], DateSystem]:
    """Read every sheet of an .xls file with xlrd (runs inside the worker).

    Returns:
        The sheet names in order, how to get each one's grid, and the date system.

    Raises:
        xlrd.XLRDError: a file xlrd cannot read either; SheetTooLarge: beyond the bounds.
    """
    import xlrd

    book = xlrd.open_workbook(path, logfile=quiet(), on_demand=True, ragged_rows=True)
    dates = EXCEL_1904 if book.datemode == 1 else EXCEL_1900
    budget = _Budget()
    names = list(book.sheet_names())

    def grid(name: str) -> Grid:
        sheet = book.sheet_by_name(name)
        if sheet.nrows > MAX_ROWS or sheet.ncols > MAX_COLUMNS:
            raise SheetTooLarge(f"{sheet.nrows} rows × {sheet.ncols} columns")
        budget.take(sheet.nrows * sheet.ncols)
        rows = [[_xls_value(kind, value, dates) for kind, value in
                 zip(sheet.row_types(index), sheet.row_values(index), strict=True)]
                for index in range(sheet.nrows)]
        book.unload_sheet(name)
        for cells in rows:
            cells += [""] * (sheet.ncols - len(cells))
        return rows

    return names, grid, dates
