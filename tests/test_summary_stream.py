"""Streamed worksheet rows read back exactly as the same rows written by XlsxWriter."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from sheetops.forms.formats import new_workbook
from sheetops.reports.stream import (
    Cells,
    RowStream,
    TallRow,
    finish_package,
)

from .libreoffice import FILL_SECONDS, _profile_url, _system_env, soffice_available

HEADERS = ("代码", "名称", "说明", "得分")
NOTES = (
    "扣分：台账<不全> & \"记录\" 'x'",  # markup characters
    "=SUM(A1:A3)",  # a formula's spelling stays text
    "+1", "-2", "@cmd",
    "控制\x01字符\x1f与_x0041_",  # control characters, and the escape's own spelling
    " 前导空格", "尾随空格 ", "\u3000全角空格",
    "两行\n文字\r\n",
    "",
    "名称",  # already in the table (a header): shares its index
    "emoji 🙂 𠀀",
    "长" * 40000,  # beyond Excel's 32,767 characters: cut as XlsxWriter cuts
)
Row = tuple[str, str, str, float | None]
ROWS: list[Row] = [
    (f"{index:04d}", f"第{index}支部", note, score)
    for index, (note, score) in enumerate(
        zip(NOTES, (0.0, 1.5, 95.25, 1e-7, 123456789.123456, None, 7.0, 3.0, 2.5, 1.0, 0.0,
                    12.0, 0.1, 0.3), strict=True), start=1)
]
ROWS.insert(3, ("", "", "", None))  # an empty row between rows
TALL = 33.0  # points (44 pixels): the height of rows whose note has two lines


def layout(book_formats: tuple[Format, Format], sheet: Worksheet, count: int) -> None:
    """Title, headers, widths, frozen panes and filter, as the summary's sheets have them."""
    head, _ = book_formats
    sheet.write_string(0, 0, "标题")
    for col, header in enumerate(HEADERS):
        sheet.write_string(2, col, header, head)
        sheet.set_column(col, col, 12 + col)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(2 + count, 3), len(HEADERS) - 1)


def write_reference(path: Path, rows: list[Row]) -> None:
    """The rows written cell by cell with XlsxWriter."""
    book = new_workbook(str(path), "zh-CN")
    text_format = book.add_format({"border": 1, "text_wrap": True})
    number_format = book.add_format({"border": 1, "num_format": "0.00"})
    book.add_worksheet("封面").write_string(0, 0, "封面")
    sheet = book.add_worksheet("明细")
    layout((book.add_format({"bold": True}), text_format), sheet, len(rows))
    for index, (code, name, note, score) in enumerate(rows, start=3):
        if not code:
            continue  # an empty row
        if "\n" in note:
            sheet.set_row(index, TALL)
        sheet.write_string(index, 0, code, text_format)
        sheet.write_string(index, 1, name, text_format)
        sheet.write_string(index, 2, note, text_format)
        if score is None:
            sheet.write_string(index, 3, "—", number_format)
        else:
            sheet.write_number(index, 3, score, number_format)
    book.add_worksheet("其他").write_string(0, 0, "名称")
    book.close()


def write_streamed(path: Path, rows: list[Row], *, announced: int | None = None,
                   name: str = "明细") -> None:
    """The same rows streamed into the closed package."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, "zh-CN")
    text_format = book.add_format({"border": 1, "text_wrap": True})
    number_format = book.add_format({"border": 1, "num_format": "0.00"})
    book.add_worksheet("封面").write_string(0, 0, "封面")  # the streamed sheet is not the first
    sheet = book.add_worksheet(name)
    layout((book.add_format({"bold": True}), text_format), sheet, len(rows))

    def cells_of(cells: Cells) -> Iterator[str | TallRow]:
        for code, name, note, score in rows:
            if not code:
                yield ""
                continue
            row = (cells.text(code, text_format) + cells.text(name, text_format)
                   + cells.text(note, text_format)
                   + (cells.text("—", number_format) if score is None
                      else cells.number(score, number_format)))
            yield TallRow(row, TALL) if "\n" in note else row

    count = len(rows) if announced is None else announced
    stream = RowStream.reserve(sheet, 3, count, len(HEADERS), (text_format, number_format),
                               cells_of)
    book.add_worksheet("其他").write_string(0, 0, "名称")
    book.close()
    finish_package(buffer, path, [stream])


def openpyxl_view(path: Path) -> list[object]:
    """Every sheet's cells (value, type, style) and layout, as openpyxl reads them."""
    book = openpyxl.load_workbook(path)
    view: list[object] = []
    for sheet in book.worksheets:
        view.append((sheet.title, sheet.dimensions, sheet.freeze_panes, sheet.auto_filter.ref,
                     [(k, d.width) for k, d in sorted(sheet.column_dimensions.items())],
                     [(k, d.height) for k, d in sorted(sheet.row_dimensions.items())]))
        view.extend((c.coordinate, c.value, c.data_type, c.number_format, c.border.left.style,
                     c.alignment.wrap_text, c.font.b)
                    for row in sheet.iter_rows() for c in row)
    return view


def calamine_view(path: Path) -> list[object]:
    """Every sheet's values as calamine reads them."""
    book = CalamineWorkbook.from_path(str(path))
    return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in book.sheet_names]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], [], ROWS * 300], ids=lambda r: str(len(r)))
def test_streamed_rows_read_back_as_xlsxwriter_writes_them(rows: list[Row],
                                                           tmp_path: Path) -> None:
    write_reference(tmp_path / "reference.xlsx", rows)
    write_streamed(tmp_path / "streamed.xlsx", rows)
    assert openpyxl_view(tmp_path / "streamed.xlsx") == openpyxl_view(tmp_path / "reference.xlsx")
    assert calamine_view(tmp_path / "streamed.xlsx") == calamine_view(tmp_path / "reference.xlsx")


def cell_tags(path: Path) -> list[str]:
    """The opening tags of the streamed sheet's cells (their reference, style and type)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
    return re.findall(r"<c\b[^>]*>", xml)


def test_every_streamed_cell_has_its_reference(tmp_path: Path) -> None:
    write_reference(tmp_path / "reference.xlsx", ROWS)
    write_streamed(tmp_path / "streamed.xlsx", ROWS)
    tags = cell_tags(tmp_path / "streamed.xlsx")
    assert tags == cell_tags(tmp_path / "reference.xlsx")
    assert tags[-4:-2] == [f'<c r="A{len(ROWS) + 3}" s="2" t="s">',
                           f'<c r="B{len(ROWS) + 3}" s="2" t="s">']


def test_streamed_texts_are_text_escaped_and_shared(tmp_path: Path) -> None:
    path = tmp_path / "streamed.xlsx"
    write_streamed(path, ROWS)
    values = {name: rows for name, rows in calamine_view(path)}  # type: ignore[misc]
    detail = values["明细"]
    assert [row[2] for row in detail[3:]] == [  # type: ignore[index]
        note if len(note) < 32767 else note[:32767] for _, _, note, _ in ROWS]
    sheet = openpyxl.load_workbook(path)["明细"]
    assert sheet["C5"].value == "=SUM(A1:A3)" and sheet["C5"].data_type == "s"
    assert sheet.dimensions == f"A1:D{3 + len(ROWS)}"
    assert [r for r, d in sheet.row_dimensions.items() if d.height == TALL] == [14]
    with zipfile.ZipFile(path) as archive:
        part = archive.read("xl/worksheets/sheet2.xml").decode()
        shared = archive.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in part and "\x01" not in shared
    assert shared.count("<si><t>名称</t></si>") == 1
    write_reference(tmp_path / "reference.xlsx", ROWS)
    with zipfile.ZipFile(tmp_path / "reference.xlsx") as archive:
        expected = archive.read("xl/sharedStrings.xml").decode()
    counts = re.compile(r'count="\d+" uniqueCount="\d+"')
    assert counts.findall(shared) == counts.findall(expected)
    assert f'uniqueCount="{shared.count("<si>")}"' in shared


def test_markup_a_note_spells_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "streamed.xlsx"
    write_streamed(path, [("0001", "<r><t>粗体</t></r>", "]]></t></si><si>", 1.0)],
                   name="R&D's <明细>")
    name, rows = calamine_view(path)[1]
    assert name == "R&D's <明细>"
    assert rows[3][1:3] == ["<r><t>粗体</t></r>", "]]></t></si><si>"]  # type: ignore[index]


def test_rows_must_match_what_was_announced(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2 rows announced, 1 made"):
        write_streamed(tmp_path / "streamed.xlsx", ROWS[:1], announced=2)


def test_nothing_may_be_written_below_the_streamed_rows(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    book = new_workbook(buffer, "zh-CN")
    cell = book.add_format({"border": 1})
    sheet = book.add_worksheet("明细")
    sheet.write_string(0, 0, "标题")
    stream = RowStream.reserve(sheet, 3, 0, 1, (cell,), lambda cells: iter(()))
    sheet.write_string(9, 0, "下面", cell)
    book.close()
    with pytest.raises(ValueError, match="below the streamed rows"):
        finish_package(buffer, tmp_path / "streamed.xlsx", [stream])


def test_rows_beyond_a_worksheet_are_refused() -> None:
    book = new_workbook(io.BytesIO(), "zh-CN")
    sheet = book.add_worksheet("明细")
    with pytest.raises(ValueError, match="exceed a worksheet's 1048576 rows"):
        RowStream.reserve(sheet, 3, 1_048_574, 1, (book.add_format({"border": 1}),),
                          lambda cells: iter(()))
    RowStream.reserve(sheet, 3, 1_048_573, 1, (book.add_format({"border": 1}),),
                      lambda cells: iter(()))


def libreoffice_copy(path: Path, outdir: Path) -> Path:
    """The workbook opened and saved again as .xlsx by LibreOffice."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sheetops-lo-xlsx-") as profile:
        subprocess.run(
            ["soffice", "--headless", "--invisible", "--norestore", "--nolockcheck",
             f"-env:UserInstallation={_profile_url(Path(profile))}",
             "--convert-to", "xlsx", "--outdir", str(outdir), str(path)],
            capture_output=True, text=True, timeout=FILL_SECONDS, env=_system_env(),
            check=True, stdin=subprocess.DEVNULL,
        )
    return outdir / path.name


@pytest.mark.skipif(not soffice_available(), reason="needs LibreOffice")
def test_libreoffice_reads_streamed_rows_as_xlsxwriter_rows(tmp_path: Path) -> None:
    write_reference(tmp_path / "reference.xlsx", ROWS)
    write_streamed(tmp_path / "streamed.xlsx", ROWS)
    reference = libreoffice_copy(tmp_path / "reference.xlsx", tmp_path / "ref")
    streamed = libreoffice_copy(tmp_path / "streamed.xlsx", tmp_path / "out")
    assert calamine_view(streamed) == calamine_view(reference)
    sheet = openpyxl.load_workbook(streamed)["明细"]
    assert sheet["C5"].value == "=SUM(A1:A3)" and sheet["C5"].data_type == "s"
