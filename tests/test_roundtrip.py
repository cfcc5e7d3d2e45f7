"""Generate, fill with openpyxl, read back with python-calamine: every score by form identity."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from sheetops.app.generate import GenerateResult
from sheetops.core.identity import META_SHEET, verify_identity
from sheetops.intake.cells import read_form_cells, read_meta
from sheetops.layout.scoresheet import scoresheet_layout
from sheetops.model.workspace import Round


def fill_value(form_index: int, item_index: int, maximum: Decimal) -> float:
    """A varied, valid score: full marks or up to 2 points off in half points."""
    off = Decimal((form_index * 7 + item_index * 3) % 5) / 2
    return float(max(maximum - off, Decimal(0)))


def test_filled_pack_reads_back_by_identity(
    sample_round: tuple[Round, GenerateResult], tmp_path: Path
) -> None:
    round_, result = sample_round
    scheme = round_.scheme
    for pack in (result.packs[0], result.packs[-1]):
        source = round_.paths.outbox / pack.file
        book = openpyxl.load_workbook(source)
        expected: dict[str, dict[str, object]] = {}
        for form_index, form in enumerate(pack.forms):
            sheet = book[form.sheet]
            layout = scoresheet_layout(scheme, form.identity.role)
            scores: dict[str, object] = {}
            for item_index, item in enumerate(scheme.items):
                row = layout.score_rows[item.id] + 1
                value = fill_value(form_index, item_index, item.max)
                sheet[f"F{row}"] = value
                sheet[f"G{row}"] = f"说明{item_index}" if value < item.max else None
                scores[item.id] = value
            for veto in scheme.vetoes if layout.veto_rows else ():
                sheet[f"F{layout.veto_rows[veto.id] + 1}"] = "否"
            expected[form.identity.form_id] = scores
        returned = tmp_path / f"returned-{pack.recipient}.xlsx"
        book.save(returned)

        workbook = CalamineWorkbook.from_path(str(returned))
        meta = read_meta(workbook.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False))
        assert meta is not None
        assert [e.identity.form_id for e in meta] == list(expected)
        for entry in meta:
            assert verify_identity(round_.key, entry.identity, entry.sheet, entry.signature)
            grid = workbook.get_sheet_by_name(entry.sheet).to_python(skip_empty_area=False)
            cells = read_form_cells(grid, scoresheet_layout(scheme, entry.identity.role), scheme)
            assert cells.misplaced == []
            got = {item_id: read.value for item_id, read in cells.scores.items()}
            assert got == expected[entry.identity.form_id]
            if entry.identity.role == "inspector":
                assert {v: r.value for v, r in cells.vetoes.items()} == {
                    "disunity": "否", "task_failure": "否", "discipline": "否"}
            first_item = scheme.items[0].id
            assert cells.scores[first_item].address == "F7"
