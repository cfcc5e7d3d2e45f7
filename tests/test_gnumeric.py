"""Returns saved by a real Gnumeric (``ssconvert``): every pack of a round, filled, converted to
.xlsx, .xls and .ods, collected back into the exact ranking typed; and the files Gnumeric
exports that are no workbook.

Gnumeric writes its ODS indented (whitespace between the table elements), which calamine
refuses: those files are read by the second reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sheetops.app.collect import collect_round
from sheetops.app.generate import GenerateResult
from sheetops.app.rank import compute_results
from sheetops.intake.reader import Extract, extract_workbook, read_workbook
from sheetops.layout.packs import PackPlan
from sheetops.ledger.store import Ledger
from sheetops.model.scheme import Item
from sheetops.model.workspace import Round, open_round
from sheetops.validate.scoresheet import read_number

from .conftest import NOW
from .crafted import fill_pack
from .handbooks import fill_handbook
from .test_client_files import FORMATS, SERIALS, number_workbook

pytestmark = pytest.mark.skipif(
    shutil.which("ssconvert") is None,
    reason="needs Gnumeric's ssconvert on PATH (apt-get install gnumeric)",
)

EXPORTERS = {
    ".xlsx": "Gnumeric_Excel:xlsx2",
    ".xls": "Gnumeric_Excel:excel_biff8",
    ".ods": "Gnumeric_OpenCalc:odf",
    ".csv": "Gnumeric_stf:stf_csv",
    ".pdf": "Gnumeric_pdf:pdf_assistant",
}
HALF = Decimal("0.5")


def ssconvert(source: Path, target: Path, home: Path) -> Path:
    """Convert ``source`` with Gnumeric into the format of ``target``'s suffix."""
    home.mkdir(exist_ok=True)
    subprocess.run(
        ["ssconvert", f"--export-type={EXPORTERS[target.suffix]}", str(source), str(target)],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "HOME": str(home), "LC_ALL": "C.UTF-8"})
    assert target.stat().st_size > 0
    return target


@pytest.fixture
def private_round(sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> Round:
    root = tmp_path / "round"
    shutil.copytree(sample_round[0].paths.root, root)
    return open_round(root)


def deductions(round_: Round) -> dict[str, int]:
    """How many half points every form takes off each branch: 0 for the first, 1 for the next,
    … so that the ranking follows the roster's order exactly."""
    codes = [branch.code for branch in round_.roster.branches]
    assert len(codes) <= len(round_.scheme.items)
    return {code: index for index, code in enumerate(codes)}


def scorer(pack: PackPlan, off: dict[str, int]) -> Callable[[str, int, Item], object]:
    """Every item at its maximum, less half a point on the target's first ``off`` items."""
    targets = {form.identity.form_id: form.identity.target for form in pack.forms}

    def score(form_id: str, index: int, item: Item) -> object:
        return float(item.max - (HALF if index < off[targets[form_id]] else 0))

    return score


def test_every_pack_saved_by_gnumeric_in_each_format_gives_the_exact_ranking(
        private_round: Round, sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, result = private_round, sample_round[1]
    off = deductions(round_)
    filled_dir, returned = tmp_path / "filled", tmp_path / "returned"
    filled_dir.mkdir()
    returned.mkdir()
    suffixes = [".xlsx", ".xls", ".ods"]
    formats: dict[str, str] = {}
    for index, pack in enumerate(result.packs):
        filled = fill_pack(round_.paths.outbox / pack.file, filled_dir / f"{index}.xlsx", pack,
                           round_.scheme, score=scorer(pack, off))
        suffix = suffixes[index % len(suffixes)]
        name = f"{pack.recipient}-gnumeric{suffix}"
        ssconvert(filled, returned / name, tmp_path / "home")
        formats[name] = suffix[1:]

    report = collect_round(round_, [returned], now=NOW)
    assert sorted(f.record.name for f in report.files) == sorted(formats)
    for outcome in report.files:
        assert (outcome.record.format, outcome.status, outcome.issues) == (
            formats[outcome.record.name], "accepted", []), outcome.record.name
        # calamine refuses Gnumeric's indented ODS, and takes the number format Gnumeric
        # numbers 50 in an .xls for a date format: the second readers read those.
        assert outcome.reader == {"ods": "ods-xml", "xls": "xlrd"}.get(
            outcome.record.format or "", "calamine")
    assert {formats[name] for name in formats} == {"xlsx", "xls", "ods"}
    assert report.current_forms == report.expected_forms

    # Every typed score is in the ledger, exactly.
    with Ledger(round_.paths.ledger) as ledger:
        current = ledger.current_submissions()
    for pack in result.packs:
        for form in pack.forms:
            typed = scorer(pack, off)
            assert {item: Decimal(value) for item, value in
                    current[form.identity.form_id].payload["scores"].items()} == {
                item.id: Decimal(repr(typed(form.identity.form_id, index, item)))
                for index, item in enumerate(round_.scheme.items)}

    # The ranking is the roster's order, each branch 100 less half a point per deduction.
    ranked = compute_results(round_).results
    maximum = sum((item.max for item in round_.scheme.items), Decimal(0))
    assert [(r.code, r.rank, r.score) for r in ranked] == [
        (code, index + 1, maximum - HALF * off[code])
        for index, code in enumerate(sorted(off, key=off.__getitem__))]


def test_gnumeric_ods_is_refused_by_calamine_and_read_alike_by_the_second_reader(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, result = sample_round
    pack = result.packs[0]
    filled = fill_pack(round_.paths.outbox / pack.file, tmp_path / "filled.xlsx", pack,
                       round_.scheme)
    ods = ssconvert(filled, tmp_path / "returned.ods", tmp_path / "home")
    xlsx = ssconvert(filled, tmp_path / "returned.xlsx", tmp_path / "home")
    with pytest.raises(Exception, match="Expecting 'table-cell'"):
        extract_workbook(str(ods))
    second, first = read_workbook(str(ods)), extract_workbook(str(xlsx))
    assert isinstance(second, Extract) and (second.reader, first.reader) == (
        "ods-xml", "calamine")
    # The same cells as calamine reads from Gnumeric's own .xlsx of the same workbook.
    assert second.sheet_names == first.sheet_names
    assert second.meta == first.meta
    assert second.grids == first.grids


def test_an_xls_calamine_refuses_is_read_by_xlrd(
        private_round: Round, sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, result = private_round, sample_round[1]
    pack = result.packs[0]
    filled = fill_pack(round_.paths.outbox / pack.file, tmp_path / "filled.xlsx", pack,
                       round_.scheme)
    xls = ssconvert(filled, tmp_path / "gnumeric.xls", tmp_path / "home")
    # A CODEPAGE record naming no code page, as some exporters write: calamine stops on it,
    # xlrd does not need it (BIFF8 text is UTF-16).
    data = xls.read_bytes()
    record = data.index(b"\x42\x00\x02\x00")
    target = round_.paths.inbox / "no-codepage.xls"
    target.write_bytes(data[:record + 4] + b"\x00\x00" + data[record + 6:])
    with pytest.raises(Exception, match=r"[Cc]odepage"):
        extract_workbook(str(target))
    report = collect_round(round_, None, now=NOW)
    [outcome] = report.files
    assert (outcome.record.format, outcome.reader, outcome.status, outcome.issues) == (
        "xls", "xlrd", "accepted", [])
    assert [f["form_id"] for f in outcome.forms] == [f.identity.form_id for f in pack.forms]


def test_what_gnumeric_exports_that_is_no_workbook_is_named(
        private_round: Round, sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, result = private_round, sample_round[1]
    pack = result.packs[0]
    filled = fill_pack(round_.paths.outbox / pack.file, tmp_path / "filled.xlsx", pack,
                       round_.scheme)
    for suffix in (".csv", ".pdf"):
        ssconvert(filled, round_.paths.inbox / f"评分表{suffix}", tmp_path / "home")
    # The CSV again under a workbook's name (one more line: not a duplicate): told by its
    # content.
    csv = (round_.paths.inbox / "评分表.csv").read_bytes()
    (round_.paths.inbox / "评分表-另存.xlsx").write_bytes(csv + b"\n")
    report = collect_round(round_, None, now=NOW)
    kinds = {f.record.name: [(i.code, i.params.get("kind")) for i in f.issues]
             for f in report.files}
    assert kinds == {"评分表.csv": [("foreign-format", "CSV 文本表格")],
                     "评分表-另存.xlsx": [("foreign-format", "CSV 文本表格")],
                     "评分表.pdf": [("foreign-format", "PDF 文档")]}


@pytest.mark.parametrize("date_1904", [False, True], ids=["1900", "1904"])
@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_numbers_gnumeric_shows_as_dates_read_back_as_the_numbers(
        tmp_path: Path, suffix: str, date_1904: bool) -> None:
    source = number_workbook(tmp_path / "数.xlsx", date_1904=date_1904)
    saved = ssconvert(source, tmp_path / f"gnumeric{suffix}", tmp_path / "home")
    extract = read_workbook(str(saved))
    assert isinstance(extract, Extract)
    assert extract.reader == {".ods": "ods-xml", ".xls": "xlrd"}.get(suffix, "calamine")
    for row, number in zip(extract.grids["数"], SERIALS, strict=True):
        if suffix == ".ods" and len(str(number).partition(".")[2]) > 4:
            # Gnumeric's ODS keeps times to the second (1/86400 of a day): 12.345678 is
            # stored as 12.34568 and read as such.
            number = round(number, 5)
        assert [read_number(value, extract.dates) for value in row] == [
            (Decimal(str(number)), "score-date-formatted")] * len(FORMATS), number


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_a_handbook_saved_by_gnumeric_keeps_its_records(
        private_round: Round, sample_round: tuple[Round, GenerateResult], tmp_path: Path,
        suffix: str) -> None:
    round_ = private_round
    reference = fill_handbook(round_, "0101", tmp_path / "手册.xlsx")
    ssconvert(reference, round_.paths.inbox / f"手册{suffix}", tmp_path / "home")
    report = collect_round(round_, None, now=NOW)
    [outcome] = report.files
    assert (outcome.record.format, outcome.status, outcome.issues) == (
        suffix[1:], "accepted", [])
    # Its dates make calamine's reading of the .xls suspect, and calamine refuses the ODS.
    assert outcome.reader == {".xls": "xlrd", ".ods": "ods-xml"}[suffix]
    with Ledger(round_.paths.ledger) as ledger:
        records = ledger.current_submissions()["handbook-0101"].payload["records"]
    # The same records as the workbook filled in before Gnumeric saved it, collected into a
    # fresh copy of the round.
    shutil.copytree(sample_round[0].paths.root, tmp_path / "again")
    again = open_round(tmp_path / "again")
    shutil.copy(reference, again.paths.inbox / reference.name)
    [direct] = collect_round(again, None, now=NOW).files
    assert (direct.record.name, direct.reader, direct.status) == (
        "手册.xlsx", "calamine", "accepted")
    with Ledger(again.paths.ledger) as ledger:
        assert ledger.current_submissions()["handbook-0101"].payload["records"] == records
