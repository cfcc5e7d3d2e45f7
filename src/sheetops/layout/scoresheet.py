"""Where every cell of a scoresheet is: the contract the form writer and the readers share.

Layout of every form sheet (columns A–G)::

    1  round title
    2  scheme title (role)
    3  rater, branch rated (the form id in the hidden column I of this row)
    4  instructions
    6  序号 | 考核项目 | 考核内容 | 评分标准 | 分值 | 得分 | 扣分说明     <- repeated when printing
    7… items, section by section, each section closed by a subtotal row
       total row
       veto block (self and inspector forms): question | 是/否 | 情况说明
       signature line
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sheetops.model.scheme import Scheme

# Column indexes and widths (characters).
COL_NUMBER, COL_SECTION, COL_TARGET, COL_RULE, COL_MAX, COL_SCORE, COL_NOTE = range(7)
WIDTHS: Final = (5.5, 11.0, 30.0, 46.0, 6.5, 8.0, 28.0)
LAST_COL: Final = COL_NOTE
PARTIES_ROW: Final = 2  # rater and branch rated, in column A
# The form id, in the parties row of a hidden column outside the print area (column H holds
# what the handbook records say, on inspector forms): the reader checks it against _meta.
COL_FORM_ID: Final = LAST_COL + 2
HEADER_ROW: Final = 5
FIRST_ITEM_ROW: Final = HEADER_ROW + 1


@dataclass(frozen=True)
class FormLayout:
    """Where a form's cells are (0-based rows); writer and reader share it."""

    score_rows: dict[str, int]
    subtotal_rows: dict[str, tuple[int, int, int]]  # section → (first item, last item, subtotal)
    total_row: int
    veto_head_row: int | None
    veto_rows: dict[str, int]
    last_row: int


def has_vetoes(scheme: Scheme, role: str) -> bool:
    """Return whether forms of ``role`` ask the veto questions (self and inspector forms)."""
    return role in ("self", "inspector") and bool(scheme.vetoes)


def scoresheet_layout(scheme: Scheme, role: str) -> FormLayout:
    """Return where every cell of a ``role`` form under ``scheme`` goes.

    Args:
        scheme: the round's scheme.
        role: ``self``, ``peer`` or ``inspector``.

    Returns:
        The layout.
    """
    row = FIRST_ITEM_ROW
    score_rows: dict[str, int] = {}
    subtotal_rows: dict[str, tuple[int, int, int]] = {}
    for section in scheme.sections:
        first = row
        for item in section.items:
            score_rows[item.id] = row
            row += 1
        subtotal_rows[section.id] = (first, row - 1, row)
        row += 1
    total_row = row
    row += 1
    veto_head_row = None
    veto_rows: dict[str, int] = {}
    if has_vetoes(scheme, role):
        veto_head_row = row + 1
        row = veto_head_row + 1
        for veto in scheme.vetoes:
            veto_rows[veto.id] = row
            row += 1
        row += 1  # the explanation under the questions
    last_row = row + 1  # a blank row, then the signature line
    return FormLayout(score_rows, subtotal_rows, total_row, veto_head_row, veto_rows, last_row)
