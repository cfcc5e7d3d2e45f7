"""Read a workbook's form sheets with python-calamine: what a sandboxed worker runs on a file.

Never call these on an untrusted file in the collector's own process: calamine aborts its whole
process when an allocation fails. :mod:`sheetops.intake.sandbox` runs them in a bounded worker.
When calamine refuses an ODS or .xls file, a second reader of :mod:`sheetops.intake.fallback`
tries it, in the same worker, and an .xls in which calamine sees dates is read again by xlrd
(calamine mistakes some of a file's own number formats for date formats); the extract names
the reader that read it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from sheetops.core.identity import META_SHEET
from sheetops.intake.dates import (
    EXCEL_1900,
    EXCEL_1904,
    GNUMERIC_ODS,
    ODS_DEFAULT,
    DateSystem,
)
from sheetops.intake.formulas import Formulas, workbook_formulas

HEAD_ROWS: Final = 8
OLE_MAGIC: Final = bytes.fromhex("D0CF11E0A1B11AE1")
CALAMINE: Final = "calamine"
ODS_XML: Final = "ods-xml"
XLRD: Final = "xlrd"
_CALENDAR: Final = frozenset({dt.date, dt.datetime})
_DATE1904: Final = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
_NULL_DATE: Final = re.compile(
    rb"<table:null-date\b[^>]*\btable:date-value\s*=\s*[\"'](\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class Extract:
    """What the worker read: sheet names, the ``_meta`` grid and the grids of form sheets.

    ``grids`` holds every sheet ``_meta`` lists (or every sheet when there is no ``_meta``);
    ``heads`` holds the first rows of the other sheets, enough to tell what they look like.
    """

    sheet_names: list[str]
    meta: list[list[Any]] | None
    grids: dict[str, list[list[Any]]]
    heads: dict[str, list[list[Any]]]
    dates: DateSystem = EXCEL_1900  # looked up only when a form sheet holds a date value
    reader: str = CALAMINE  # or ODS_XML, XLRD: a second reader (see the module's docstring)
    formulas: Formulas = field(default_factory=dict)  # the form sheets' formula cells (xlsx)


@dataclass(frozen=True)
class ReadFailure:
    """Why a file could not be read: ``parse-failed`` (an error), ``parse-aborted`` (a limit)
    or ``check-failed`` (the check itself raised: a bug, with its traceback in ``trace``)."""

    code: str
    detail: str
    trace: str = field(default="", compare=False)


def extract_workbook(path: str, formulas: Formulas | None = None) -> Extract:
    """Read a workbook's meta sheet and form sheets with calamine (runs inside the worker).

    ``formulas``: its formula cells by sheet when they are known already (the pre-check finds
    them while it inflates the parts), else they are looked for here.

    Raises:
        Exception: calamine's errors for unreadable files.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)

    def grid(name: str) -> list[list[Any]]:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return rows

    return _extract(path, list(book.sheet_names), grid, CALAMINE, formulas=formulas)


def _extract(path: str, names: list[str], grid: Callable[[str], list[list[Any]]], reader: str,
             dates: DateSystem | None = None, formulas: Formulas | None = None) -> Extract:
    """The meta sheet, the sheets it lists in full and the others' first rows."""
    meta = grid(META_SHEET) if META_SHEET in names else None
    listed = {str(row[0]) for row in (meta or [])[1:] if row}
    grids: dict[str, list[list[Any]]] = {}
    heads: dict[str, list[list[Any]]] = {}
    for name in names:
        if name == META_SHEET:
            continue
        if meta is None or name in listed:
            grids[name] = grid(name)
        else:
            heads[name] = grid(name)[:HEAD_ROWS]
    if dates is None:
        if not _holds_dates(grids):
            dates = EXCEL_1900
        elif reader == CALAMINE and _is_ole(path):
            # calamine takes some numbers of an .xls's own formats for built-in date formats
            # (Gnumeric stores the scores' "0.0#" as number 50, an East Asian date format's
            # number): xlrd reads the file's own formats, so its dates are the cells shown as
            # dates.
            try:
                again = extract_second(path)
            except MemoryError:
                raise
            except Exception:  # xlrd cannot read it: calamine's reading stands
                again = None
            if again is not None:
                return again
            dates = date_system(path)
        else:
            dates = date_system(path)
    if reader != CALAMINE:
        formulas = {}
    elif formulas is None:
        formulas = workbook_formulas(path, grids)
    else:
        formulas = {name: cells for name, cells in formulas.items() if name in grids}
    return Extract(names, meta, grids, heads, dates, reader, formulas)


def _is_ole(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(8) == OLE_MAGIC


def extract_second(path: str) -> Extract | None:
    """Read a workbook with the second reader of its format (in the worker): an ODS or .xls
    calamine refused, an .xls in which calamine saw dates.

    Returns:
        The extract, or None when the format has no second reader (xlsx).

    Raises:
        Exception: the second reader's errors for unreadable files.
    """
    from sheetops.intake.fallback import read_ods_sheets, read_xls_sheets

    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        names, grid, dates = read_xls_sheets(path)
        return _extract(path, names, grid, XLRD, dates)
    if head.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as archive:
            parts = set(archive.namelist())
        if "content.xml" in parts and "xl/workbook.xml" not in parts:
            names, grid = read_ods_sheets(path)
            return _extract(path, names, grid, ODS_XML)
    return None


def _holds_dates(grids: dict[str, list[list[Any]]]) -> bool:
    """Whether any cell of the grids is a date (times and durations need no date system)."""
    # One pass in C over each grid's cells (this runs on every file read).
    return any(not _CALENDAR.isdisjoint(map(type, itertools.chain.from_iterable(rows)))
               for rows in grids.values())


def date_system(path: str) -> DateSystem:
    """Return how the workbook at ``path`` counts days (runs inside the worker).

    xlsx: ``date1904`` on ``workbookPr``; xls: the DATEMODE record (through xlrd); ods: the
    ``table:null-date`` of ``content.xml``. A file where it cannot be read counts as Excel's
    1900 system.
    """
    from xlrd import open_workbook
    from xlrd.biffh import XLRDError

    from sheetops.intake.fallback import quiet

    try:
        with open(path, "rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
        if not zipped:
            book = open_workbook(path, logfile=quiet(), on_demand=True)
            try:
                return EXCEL_1904 if book.datemode == 1 else EXCEL_1900
            finally:
                book.release_resources()
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" in archive.namelist():
                found_1904 = _DATE1904.search(archive.read("xl/workbook.xml"))
                return EXCEL_1904 if found_1904 else EXCEL_1900
            content = archive.read("content.xml")  # its size was bounded by the pre-check
            meta = archive.read("meta.xml") if "meta.xml" in archive.namelist() else b""
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, XLRDError):
        return EXCEL_1900
    tables = content.find(b"<table:table ")  # the null date comes before the first table
    found = _NULL_DATE.search(content, 0, tables if tables >= 0 else len(content))
    system = ODS_DEFAULT
    if found is not None:
        try:
            year, month, day = (int(part) for part in found.groups())
            system = DateSystem("ods", dt.datetime(year, month, day))
        except ValueError:
            pass
    if system == ODS_DEFAULT and b"<meta:generator>gnumeric" in meta.lower():
        return GNUMERIC_ODS  # Excel's 1900 dates, written as Excel shows them
    return system


def read_workbook(path: str, formulas: Formulas | None = None) -> Extract | ReadFailure:
    """Read a workbook for validation, turning readers' errors into a failure (in a worker).

    calamine reads it; an ODS or .xls file calamine refuses is read by the second reader of
    its format. ``formulas``: an .xlsx's formula cells when the pre-check found them already.

    Returns:
        The extract, or ``parse-failed`` with calamine's message when no reader could read it.
    """
    try:
        return extract_workbook(path, formulas)
    except MemoryError:
        raise  # the worker's limit: reported as ``parse-aborted``
    except Exception as exc:  # calamine's own error types; each one costs only this file
        failure = ReadFailure("parse-failed", _reason(exc))
    try:
        return extract_second(path) or failure
    except MemoryError:
        raise
    except Exception:  # the second reader's errors: the file is unreadable, as calamine said
        return failure


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__
