"""Pieces every generated workbook shares: fonts, the signed ``_meta`` sheet, print setup."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Final

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sheetops.core.i18n import text
from sheetops.core.identity import META_SHEET, FormIdentity, sign_identity
from sheetops.layout.meta import META_COLUMNS, PROPERTY_PREFIX

A4: Final = 9
INPUT_FILL: Final = "#FFF2CC"  # light yellow: the cells a branch types into
HEADER_FILL: Final = "#D9E1F2"
CALCULATED_FILL: Final = "#F2F2F2"  # subtotals, formulas, labels
POINTS_PER_LINE: Final = 14.5


def body_font(lang: str) -> str:
    """Return the body font for forms in ``lang`` (宋体 for Chinese, as committee forms use)."""
    return text(lang, "font.body")


def title_font(lang: str) -> str:
    """Return the title font for forms in ``lang``."""
    return text(lang, "font.title")


class FormFormats:
    """The cell formats every generated form shares (scoresheets and handbooks), created once
    per workbook; each writer adds its own on top.

    Attributes:
        base: the bordered, wrapped body cell the others build on.
    """

    def __init__(self, book: Workbook, lang: str, *, subtitle_size: float) -> None:
        font = body_font(lang)
        self.base: dict[str, Any] = {"font_name": font, "font_size": 10.5, "valign": "vcenter",
                                     "border": 1, "text_wrap": True}
        base = self.base
        self.title = book.add_format({"font_name": title_font(lang), "font_size": 16,
                                      "bold": True, "align": "center", "valign": "vcenter"})
        self.subtitle = book.add_format({"font_name": title_font(lang),
                                         "font_size": subtitle_size, "align": "center",
                                         "valign": "vcenter"})
        self.info = book.add_format({"font_name": font, "font_size": 10.5, "valign": "vcenter"})
        self.note = book.add_format({"font_name": font, "font_size": 10, "text_wrap": True,
                                     "valign": "top"})
        self.header = book.add_format({**base, "bold": True, "align": "center",
                                       "bg_color": HEADER_FILL})
        self.text = book.add_format(base)
        self.center = book.add_format({**base, "align": "center"})
        self.input_text = book.add_format({**base, "locked": False, "bg_color": INPUT_FILL})


def new_workbook(target: Any, lang: str) -> Workbook:
    """Open an XlsxWriter workbook that never turns text into formulas or links.

    Args:
        target: a path or a binary stream.
        lang: the round's language (sets the default font).
    """
    return xlsxwriter.Workbook(
        target,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": body_font(lang), "font_size": 11},
        },
    )


def number_format(decimals: int) -> str:
    """The Excel number format that shows a score with ``decimals`` places (``0.00``)."""
    return "0." + "0" * decimals if decimals else "0"


def display_width(value: str) -> int:
    """Return how many narrow columns ``value`` occupies (CJK and full-width count double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


@lru_cache(maxsize=8192)  # the same texts come back on every form of a round
def line_count(value: str, column_width: float) -> int:
    """Estimate the lines wrapped text takes in a column ``column_width`` characters wide."""
    usable = max(column_width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in value.split("\n"))


def lines_needed(cells: Iterable[tuple[str, float]]) -> int:
    """Return the lines the tallest of the wrapped ``(text, width)`` cells takes."""
    return max((line_count(value, width) for value, width in cells), default=1)


def height_of(lines: int) -> float:
    """Return the row height in points that shows ``lines`` wrapped lines."""
    return POINTS_PER_LINE * lines + 3


def row_height(cells: Iterable[tuple[str, float]], minimum: int = 1) -> float:
    """Return a row height in points that shows every wrapped ``(text, width)`` cell."""
    return height_of(max(minimum, lines_needed(cells)))


def wrapped_height(cells: Iterable[tuple[str, float]]) -> float | None:
    """Return the height a row needs for its wrapped ``(text, width)`` cells, or None when
    each fits on one line (the row keeps the default height)."""
    lines = lines_needed(cells)
    return height_of(lines) if lines > 1 else None


def fit_row(sheet: Worksheet, row: int, cells: Iterable[tuple[str, float]]) -> None:
    """Make ``row`` as tall as its wrapped ``(text, width)`` cells need (when over a line)."""
    height = wrapped_height(cells)
    if height is not None:
        sheet.set_row(row, height)


# A4 landscape in points, and the margins setup_print gives it.
PAGE_POINTS: Final = (841.89, 595.28)
MARGINS: Final = {"left": 0.4, "right": 0.4, "top": 0.55, "bottom": 0.6}  # inches
DEFAULT_ROW_POINTS: Final = 15.0
# What a planned page is filled to at most: clients differ a little in how they lay rows out.
PAGE_FILL: Final = 0.95


def page_breaks(heights: Sequence[float], units: Iterable[int], *, repeated: float,
                scale: int) -> list[int]:
    """Plan where an A4 landscape page (see :func:`setup_print`) breaks, filling each page.

    Args:
        heights: every printed row's height in points, from the first row on.
        units: the rows a page may start at, in order: the rows from one to the next stay on
            one page (a unit taller than a page starts a page and runs on).
        repeated: the height of the header rows printed again at the top of every page after
            the first.
        scale: the print scale (percent) the page is planned at.

    Returns:
        The rows that start a new page (for ``set_h_pagebreaks``).
    """
    page = (PAGE_POINTS[1] - (MARGINS["top"] + MARGINS["bottom"]) * 72) * PAGE_FILL * 100 / scale
    starts = list(units)
    breaks: list[int] = []
    used = sum(heights[:starts[0]]) if starts else 0.0
    for index, first in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(heights)
        tall = sum(heights[first:end])
        if used + tall > page and used > repeated:
            breaks.append(first)
            used = repeated
        used += tall
        while used > page:  # taller than a page: it runs on over the next
            used -= page - repeated
    return breaks


def header_text(value: str) -> str:
    """Return ``value`` as a page header or footer writes it: ``&`` doubled (a single one
    starts a code)."""
    return value.replace("&", "&&")


def setup_print(sheet: Worksheet, *, header_rows: tuple[int, int] | None, footer: str) -> None:
    """A4 landscape, one page wide, centred, page numbers in the footer."""
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(**MARGINS)
    sheet.set_footer(f"&C{footer}")
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)


def table_sheet(book: Workbook, name: str, title: str, widths: Sequence[float],
                headers: Sequence[str], *, title_format: Format, head_format: Format, footer: str,
                ) -> Worksheet:
    """Add a report sheet: its title in row 1, column headers in row 3 (frozen, and repeated
    on every printed page), the given column widths, printed one page wide."""
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, title, title_format)
    sheet.set_row(0, 24)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    for col, header in enumerate(headers):
        sheet.write_string(2, col, header, head_format)
    # Two lines at least; a long header (「职工思想政治工作（满分 10）」) gets all of its own.
    sheet.set_row(2, max(32.0, row_height(zip(headers, widths, strict=False))))
    sheet.freeze_panes(3, 0)
    setup_print(sheet, header_rows=(2, 2), footer=footer)
    return sheet


def write_meta(
    book: Workbook,
    key: bytes,
    entries: Sequence[tuple[str, FormIdentity]],
    *,
    password: str,
    signatures: Sequence[str] | None = None,
) -> None:
    """Write the hidden, protected ``_meta`` sheet and mirror the signatures in properties.

    One row per form: the sheet holding it, every identity field as text, and the HMAC
    signature of the identity bound to that sheet. Each form's signature is also stored as
    custom document property ``sheetops:<form id>`` (a handbook's, of its last sheet), and the
    round id as ``sheetops:round``.

    Args:
        book: the workbook being written.
        key: the round's signing key.
        entries: ``(sheet name, identity)`` per form.
        password: protection password ('' for none).
        signatures: each entry's signature when already known (a stamping prototype passes
            placeholders); by default each identity is signed with ``key``.
    """
    sheet = book.add_worksheet(META_SHEET)
    for col, name in enumerate(META_COLUMNS):
        sheet.write_string(0, col, name)
    properties: dict[str, str] = {}
    for row, (sheet_name, identity) in enumerate(entries, start=1):
        signature = (sign_identity(key, identity, sheet_name) if signatures is None
                     else signatures[row - 1])
        values = (sheet_name, *(getattr(identity, f) for f in FormIdentity.field_names()),
                  signature)
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value))
        properties[PROPERTY_PREFIX + "round"] = identity.round_id
        properties[PROPERTY_PREFIX + identity.form_id] = signature
    for name, value in properties.items():
        book.set_custom_property(name, value)
    sheet.protect(password)
    sheet.very_hidden()
