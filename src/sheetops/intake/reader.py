"""Read a workbook's form sheets with python-calamine: what a sandboxed worker runs on a file.

Never call these on an untrusted file in the collector's own process: calamine aborts its whole
process when an allocation fails. :mod:`sheetops.intake.sandbox` runs them in a bounded worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from sheetops.core.identity import META_SHEET

HEAD_ROWS: Final = 8


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


@dataclass(frozen=True)
class ReadFailure:
    """Why a file could not be read: ``parse-failed`` (an error), ``parse-aborted`` (a limit)
    or ``check-failed`` (the check itself raised: a bug, with its traceback in ``trace``)."""

    code: str
    detail: str
    trace: str = field(default="", compare=False)


def extract_workbook(path: str) -> Extract:
    """Read a workbook's meta sheet and form sheets (runs inside the worker).

    Raises:
        Exception: calamine's errors for unreadable files.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    names = list(book.sheet_names)

    def grid(name: str) -> list[list[Any]]:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return rows

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
    return Extract(names, meta, grids, heads)


def read_workbook(path: str) -> Extract | ReadFailure:
    """Read a workbook for validation, turning calamine's errors into a failure (in a worker).

    Returns:
        The extract, or ``parse-failed`` with calamine's message.
    """
    try:
        return extract_workbook(path)
    except MemoryError:
        raise  # the worker's limit: reported as ``parse-aborted``
    except Exception as exc:  # calamine's own error types; each one costs only this file
        return ReadFailure("parse-failed", " ".join(str(exc).split())[:300]
                           or type(exc).__name__)
