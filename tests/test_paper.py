"""Paper an office can file: a round with real-length branch names rendered through
LibreOffice, and what the PDFs show (every text line's box from ``pdftotext -bbox-layout``)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sheetops.app.feedback import feedback_round
from sheetops.app.rank import rank_round
from sheetops.app.records import records_round

from .conftest import NOW, TODAY
from .libreoffice import soffice_available, to_pdfs
from .paper import LONG_NAMES, Line, describe, long_name_round, overprinted, text_lines

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs LibreOffice (libreoffice-calc-nogui, python3-uno) and poppler-utils",
)

PENDING = "0112"  # the inspector's form on it was never returned
VETOED = "0109"


@dataclass(frozen=True)
class Printed:
    """The round's reports and what each printed."""

    workbooks: dict[str, Path]
    lines: dict[str, list[Line]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The long-name round ranked, its feedback and records written, all rendered once."""
    base = tmp_path_factory.mktemp("paper")
    round_ = long_name_round(base / "round", today=TODAY, now=NOW)
    summary = rank_round(round_, now=NOW).summary
    feedback = {path.stem: path for path in feedback_round(round_)}
    workbooks = {"summary": summary, "records": records_round(round_).workbook,
                 **{f"feedback-{code}": feedback[code] for code in ("0101", VETOED, PENDING)}}
    pdfs = to_pdfs(list(workbooks.values()), base / "pdf")
    return Printed(workbooks, {key: text_lines(pdf) for key, pdf in zip(workbooks, pdfs,
                                                                          strict=True)})


def test_the_overprint_check_finds_lines_that_cover_each_other() -> None:
    name = Line(1, 100, 100, 200, 111, "新能源开发有限责任公司")
    assert overprinted([name, Line(1, 100, 101, 160, 112, "第二党支部")]) == [
        (name, Line(1, 100, 101, 160, 112, "第二党支部"))]
    # The next line of the same cell, the next column, the same place on another page: clear.
    assert overprinted([name, Line(1, 100, 111.5, 160, 122.5, "第二党支部"),
                        Line(1, 201, 100, 260, 111, "97.85"),
                        Line(2, 100, 100, 200, 111, "第二党支部")]) == []


@pytest.mark.parametrize("document", ["summary", "records", "feedback-0101",
                                      f"feedback-{VETOED}", f"feedback-{PENDING}"])
def test_no_line_overprints_another(printed: Printed, document: str) -> None:
    lines = printed.lines[document]
    assert lines
    assert describe(overprinted(lines)) == []


def test_every_long_name_prints_whole_on_the_ranking(printed: Printed) -> None:
    page = [line for line in printed.lines["summary"] if line.page == 1]
    joined = "".join(line.text for line in page)
    for name in LONG_NAMES:
        assert name in joined
