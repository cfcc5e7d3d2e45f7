"""A handbook filled in a real LibreOffice Calc: its dues formulas, built from the brackets,
compute what sheetops recomputes, and dates typed as Calc dates are read as dates."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sheetops.app.collect import collect_round
from sheetops.app.generate import GenerateResult
from sheetops.layout.handbook import handbook_layout
from sheetops.ledger.store import Ledger
from sheetops.model.handbook import HandbookRecords, load_round_handbook
from sheetops.model.workspace import Round, open_round

from .conftest import NOW
from .handbooks import handbook_file
from .libreoffice import ODS, XLSX, LibreOffice, soffice_available

pytestmark = pytest.mark.skipif(
    not soffice_available(),
    reason="needs LibreOffice: `soffice` on PATH and /usr/bin/python3 able to `import uno` "
    "(apt-get install libreoffice-calc-nogui python3-uno)",
)
EPOCH = dt.date(1899, 12, 30)
# (base, status, paid): the bracket edges, and a retired member.
DUES = [(3000, "", 15), (3000.5, "", 30.01), (5000, "", 50), (10000, "", 150),
        (12000, "", 240), (5000, "离退休", 25), (8000, "离退休", 80)]


@pytest.fixture(scope="module")
def office() -> Iterator[LibreOffice]:
    with LibreOffice() as running:
        yield running


def serial(day: dt.date) -> float:
    """What Calc stores for a date."""
    return float((day - EPOCH).days)


def cells(round_: Round) -> list[dict[str, Any]]:
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    layout = handbook_layout(handbook, round_.lang)
    basic = layout.basic

    def at(sheet: str, row: int, col: int, **value: Any) -> dict[str, Any]:
        return {"sheet": sheet, "cell": f"{chr(65 + col)}{row + 1}", **value}

    typed = [at(basic.sheet, basic.field_rows["founded"], 1, number=serial(dt.date(1998, 7, 1))),
             at(basic.sheet, basic.count_rows["full"], 1, number=len(DUES)),
             at(basic.sheet, basic.count_rows["probationary"], 1, number=0)]
    members = layout.tables["members"]
    dues = layout.tables["dues"]
    activities = layout.tables["activities"]
    for index, (base, status, paid) in enumerate(DUES):
        row = members.first_row + index
        typed += [at(members.sheet, row, members.col("name"), text=f"党员{index + 1}"),
                  at(members.sheet, row, members.col("category"), text="正式党员"),
                  at(members.sheet, row, members.col("joined"),
                     number=serial(dt.date(2000 + index, 7, 1)))]
        row = dues.first_row + index
        typed += [at(dues.sheet, row, dues.col("name"), text=f"党员{index + 1}"),
                  at(dues.sheet, row, dues.col("month"), number=3),
                  at(dues.sheet, row, dues.col("base"), number=base),
                  at(dues.sheet, row, dues.col("paid"), number=paid),
                  at(dues.sheet, row, dues.col("paid_on"), number=serial(dt.date(2026, 3, 10)))]
        if status:
            typed.append(at(dues.sheet, row, dues.col("status"), text=status))
    typed += [at(activities.sheet, activities.first_row, activities.col("date"),
                 number=serial(dt.date(2026, 3, 5))),
              at(activities.sheet, activities.first_row, activities.col("type"), text="支部委员会"),
              at(activities.sheet, activities.first_row, activities.col("present"), number=7)]
    return typed


@pytest.mark.parametrize("filter_name, suffix", [(XLSX, ".xlsx"), (ODS, ".ods")])
def test_handbook_filled_in_calc_is_accepted_with_its_formulas_agreeing(
    office: LibreOffice, sample_round: tuple[Round, GenerateResult], tmp_path: Path,
    filter_name: str, suffix: str,
) -> None:
    root = tmp_path / "round"
    shutil.copytree(sample_round[0].paths.root, root)
    round_ = open_round(root)
    target = tmp_path / f"手册{suffix}"
    office.fill([{"source": str(handbook_file(round_, "0101")), "target": str(target),
                  "filter": filter_name, "recalculate": True, "cells": cells(round_)}])
    report = collect_round(round_, [target], now=NOW)
    # A handbook-dues-mismatch would mean Calc's rate formula disagrees with the brackets.
    assert [(f.status, [(i.sheet, i.cell, i.code) for i in f.issues])
            for f in report.files] == [("accepted", [])]
    with Ledger(round_.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0101"].payload
    records = HandbookRecords.from_payload(payload["records"])
    assert [(d.base, d.retired, d.due, d.paid) for d in records.dues] == [
        (Decimal(str(base)), bool(status), Decimal(str(paid)).quantize(Decimal("0.01")),
         Decimal(str(paid))) for base, status, paid in DUES]
    assert records.basic["founded"] == "1998-07-01"
    assert records.activities[0].date == dt.date(2026, 3, 5)
    assert [m.joined for m in records.members][:2] == [dt.date(2000, 7, 1), dt.date(2001, 7, 1)]


@pytest.mark.parametrize("filter_name, suffix", [(XLSX, ".xlsx"), (ODS, ".ods")])
def test_a_long_dues_table_keeps_its_length_through_calc(
    office: LibreOffice, sample_round: tuple[Round, GenerateResult], tmp_path: Path,
    filter_name: str, suffix: str,
) -> None:
    # Branch 0107 has 68 members: 1,080 dues rows, numbered in the locked first column, which
    # is how the length of a returned table is known.
    root = tmp_path / "round"
    shutil.copytree(sample_round[0].paths.root, root)
    round_ = open_round(root)
    handbook = load_round_handbook(round_.paths)
    assert handbook is not None
    layout = handbook_layout(handbook, round_.lang, 68)
    basic, members, dues = layout.basic, layout.tables["members"], layout.tables["dues"]
    assert dues.rows == 1080

    def at(sheet: str, row: int, col: int, **value: Any) -> dict[str, Any]:
        return {"sheet": sheet, "cell": f"{chr(65 + col)}{row + 1}", **value}

    typed = [at(basic.sheet, basic.count_rows["full"], 1, number=1),
             at(basic.sheet, basic.count_rows["probationary"], 1, number=0),
             at(members.sheet, members.first_row, members.col("name"), text="赵文华"),
             at(members.sheet, members.first_row, members.col("category"), text="正式党员"),
             at(members.sheet, members.first_row, members.col("joined"),
                number=serial(dt.date(1975, 7, 1)))]
    for row, month in ((dues.first_row, 1), (dues.last_row, 12)):
        typed += [at(dues.sheet, row, dues.col("name"), text="赵文华"),
                  at(dues.sheet, row, dues.col("month"), number=month),
                  at(dues.sheet, row, dues.col("base"), number=6000),
                  at(dues.sheet, row, dues.col("status"), text="离退休")]
    target = tmp_path / f"手册{suffix}"
    office.fill([{"source": str(handbook_file(round_, "0107")), "target": str(target),
                  "filter": filter_name, "recalculate": True, "cells": typed}])
    report = collect_round(round_, [target], now=NOW)
    assert [(f.status, [(i.sheet, i.cell, i.code) for i in f.issues])
            for f in report.files] == [("accepted", [])]
    with Ledger(round_.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0107"].payload
    records = HandbookRecords.from_payload(payload["records"])
    assert [(d.row, d.month, d.due) for d in records.dues] == [
        (6, 1, Decimal("60.00")), (1085, 12, Decimal("60.00"))]
