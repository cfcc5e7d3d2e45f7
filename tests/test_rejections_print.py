"""The rejection report on paper: a round with real-length branch names and many mistakes,
in Chinese and in English, rendered through LibreOffice: every printed text at least 9 pt, no
line over another, and nothing printed that only a machine reads (hashes, issue codes, ISO
times).

The text sizes are read from the PDF itself: LibreOffice writes each run of text with its
printed size (``/F1 9.79 Tf``, the sheet's print scale already applied).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

from sheetops.app.collect import collect_round
from sheetops.core.i18n import text
from sheetops.core.issues import REGISTRY
from sheetops.reports.rejections import rejection_report_path

from . import crafted
from .conftest import NOW, TODAY
from .libreoffice import soffice_available, to_pdfs
from .paper import Line, describe, long_name_round, overprinted, text_lines

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext")),
    reason="needs LibreOffice (libreoffice-calc-nogui, python3-uno) and poppler-utils",
)

SMALLEST: Final = 9.0  # points: the least an office reads without a magnifier
# A line's box from pdftotext is 1.2 to 1.3 times its font's size (Noto Sans CJK, DejaVu Sans).
BOX_PER_POINT: Final = 1.2
STREAM: Final = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
FONT_SIZE: Final = re.compile(rb"/F\d+ ([\d.]+) Tf")
HASH: Final = re.compile(r"[0-9a-f]{16,}")
ISO_TIME: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


@dataclass(frozen=True)
class PrintedReport:
    """The rejection report's PDF, its text lines and the sizes its texts print at."""

    lang: str
    lines: list[Line]
    sizes: list[float]


def text_sizes(pdf: Path) -> list[float]:
    """The size of every run of text in ``pdf``, in points, as printed."""
    sizes = []
    for stream in STREAM.findall(pdf.read_bytes()):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue  # an image or a font program
        sizes += [float(size) for size in FONT_SIZE.findall(content)]
    return sizes


def wrong(form_id: str, index: int, item: object) -> object:
    """A branch's typing: text for a score on every form, two deductions explained."""
    maximum = float(item.max)  # type: ignore[attr-defined]
    return "良好" if index == 2 else maximum - 1 if index in (4, 6) else maximum


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def printed(tmp_path_factory: pytest.TempPathFactory,
            request: pytest.FixtureRequest) -> PrintedReport:
    """The long-name round with a faulty return from every branch, two files no branch can be
    told from, and 0101's return put right a day later; its rejection report rendered."""
    lang: str = request.param
    base = tmp_path_factory.mktemp("rejections-print")
    round_ = long_name_round(base / "round", today=TODAY, now=NOW, language=lang)
    inbox = round_.paths.inbox
    mistakes = {"F7": "很好", "F8": 99, "F9": 0, "F10": "３分", "G11": ""}
    for branch in round_.roster.branches:
        crafted.filled(round_, branch.code, f"{branch.code}-更正.xlsx", score=wrong,
                       edits={text(lang, "sheet.self"): mistakes})
    (inbox / "空文件.xlsx").write_bytes(b"")
    crafted.random_bytes(inbox / "扫描件.xlsx")
    collect_round(round_, now=NOW + dt.timedelta(hours=2))
    (inbox / "0101-更正.xlsx").unlink()
    crafted.filled(round_, "0101", "0101-第二次更正.xlsx")
    collect_round(round_, now=NOW + dt.timedelta(days=1, hours=3))
    [pdf] = to_pdfs([rejection_report_path(round_)], base / "pdf")
    return PrintedReport(lang, text_lines(pdf), text_sizes(pdf))


def printed_text(report: PrintedReport) -> str:
    return "\n".join(line.text.replace(" ", "") for line in report.lines)


def test_both_sheets_print_with_the_superseded_files_marked(printed: PrintedReport) -> None:
    lang = printed.lang
    shown = printed_text(printed)
    for key in ("summary.codes", "summary.recipients", "col.action", "col.cells"):
        assert text(lang, f"rejections.{key}").replace(" ", "") in shown  # both sheets
    # The summary's sentences print whole, however long (wrapped, not cut at the margin).
    note = text(lang, "rejections.summary.superseded", count=2,
                sheet=text(lang, "rejections.sheet"))
    assert note.replace(" ", "") in shown.replace("\n", "")
    # The two superseded files of 0101 print what to do: nothing.
    settled = re.split("[，:]", text(lang, "rejections.superseded-action", files=""))[0]
    assert shown.count(settled.replace(" ", "")) >= 2


def test_every_printed_text_is_at_least_9_pt(printed: PrintedReport) -> None:
    assert printed.sizes
    assert min(printed.sizes) >= SMALLEST
    small = [line for line in printed.lines if line.y1 - line.y0 < SMALLEST * BOX_PER_POINT]
    assert [(line.page, line.text) for line in small] == []


def test_no_printed_line_overprints_another(printed: PrintedReport) -> None:
    assert describe(overprinted(printed.lines)) == []


def test_hashes_codes_and_iso_times_do_not_print(printed: PrintedReport) -> None:
    shown = "\n".join(line.text for line in printed.lines)
    assert HASH.findall(shown) == []
    assert ISO_TIME.findall(shown) == []
    # An issue code as a word of its own (``late`` is a code, and in ``too late`` a word).
    codes = [code for code in REGISTRY if "-" in code or printed.lang != "en"]
    assert [code for code in codes
            if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", shown)] == []
