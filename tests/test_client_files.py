"""Returns as other spreadsheet programs save them: numbers shown as dates, files the fast reader
refuses, and files that are no workbook at all."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from sheetops.app.collect import CollectReport, collect_round
from sheetops.core.i18n import text
from sheetops.intake.dates import EXCEL_1900, EXCEL_1904, GNUMERIC_ODS, ODS_DEFAULT, DateSystem
from sheetops.intake.fallback import SheetTooLarge, read_ods_sheets
from sheetops.intake.precheck import ole_root_streams, precheck_bytes
from sheetops.intake.reader import (
    Extract,
    ReadFailure,
    date_system,
    extract_second,
    extract_workbook,
    read_workbook,
)
from sheetops.layout.handbook import handbook_layout
from sheetops.ledger.store import Ledger
from sheetops.model.handbook import load_round_handbook
from sheetops.model.round import Limits
from sheetops.model.workspace import Round
from sheetops.validate.handbook import read_amount
from sheetops.validate.scoresheet import read_number

from . import crafted
from .conftest import NOW
from .crafted import filled, pack_of
from .handbooks import fill_handbook


def run(round_: Round) -> CollectReport:
    return collect_round(round_, None, now=NOW)


def flat(report: CollectReport, name: str) -> list[tuple[str | None, str | None, str]]:
    outcome = next(f for f in report.files if f.record.name == name)
    return [(i.sheet, i.cell, i.code) for i in outcome.issues]


# -- numbers shown as dates -----------------------------------------------------------------

# Numbers a score or amount cell may hold; 59 and 60 are left out: Excel's 1900 system reads
# both as 1900-02-28 (tested on their own below).
SERIALS = [0, 0.5, 1, 2.5, 3, 3.3, 2.333, 12.345678, 61, 95, 100, 1462, 45000.25, 9.99]
FORMATS = ["yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm:ss", "[h]:mm:ss", "m月d日"]


def number_workbook(path: Path, *, date_1904: bool) -> Path:
    """One sheet: each of ``SERIALS`` in a row, once under each of ``FORMATS``."""
    book = xlsxwriter.Workbook(path, {"date_1904": date_1904})
    sheet = book.add_worksheet("数")
    for col, number_format in enumerate(FORMATS):
        shown = book.add_format({"num_format": number_format})
        for row, number in enumerate(SERIALS):
            sheet.write_number(row, col, number, shown)
    book.close()
    return path


@pytest.mark.parametrize("date_1904", [False, True], ids=["1900", "1904"])
def test_a_number_with_a_date_format_reads_back_as_the_number(tmp_path: Path,
                                                              date_1904: bool) -> None:
    path = number_workbook(tmp_path / "数.xlsx", date_1904=date_1904)
    extract = read_workbook(str(path))
    assert isinstance(extract, Extract)
    assert extract.dates == (EXCEL_1904 if date_1904 else EXCEL_1900)
    rows = extract.grids["数"]
    # calamine hands back dates, times and durations, never the numbers themselves ...
    assert {type(value) for row in rows for value in row} == {
        dt.date, dt.datetime, dt.time, dt.timedelta}
    # ... and every one of them is read back as the number typed.
    for row, number in zip(rows, SERIALS, strict=True):
        assert [read_number(value, extract.dates) for value in row] == [
            (Decimal(str(number)), "score-date-formatted")] * len(FORMATS), number


def test_the_date_system_decides_the_number() -> None:
    # The same date is a different number in each system.
    assert EXCEL_1900.serial(dt.date(1900, 1, 3)) == 3
    assert EXCEL_1904.serial(dt.date(1900, 1, 3)) == -1458
    assert EXCEL_1904.serial(dt.date(1904, 1, 4)) == 3
    assert ODS_DEFAULT.serial(dt.date(1900, 1, 2)) == 3  # no leap-year quirk in ODS
    assert DateSystem("ods", dt.datetime(1904, 1, 1)).serial(dt.date(1904, 1, 4)) == 3
    # Excel's 1900-02-29 that never was: days before it count one less.
    assert EXCEL_1900.serial(dt.date(1900, 2, 27)) == 58
    assert EXCEL_1900.serial(dt.date(1900, 3, 1)) == 61
    # Durations and times need no date system; ODS writes long durations as text.
    assert EXCEL_1904.serial(dt.timedelta(days=3, hours=12)) == Decimal("3.5")
    assert ODS_DEFAULT.serial("PT84H00M00S") == Decimal("3.5")
    assert ODS_DEFAULT.serial("-PT24H00M00S") == -1
    assert EXCEL_1900.serial(dt.time(2, 24)) == Decimal("0.1")
    # Gnumeric's ODS writes Excel's 1900 dates as Excel shows them.
    assert GNUMERIC_ODS.serial(dt.date(1900, 1, 3)) == 3
    assert GNUMERIC_ODS.serial(dt.date(1900, 2, 28)) == 59
    assert GNUMERIC_ODS.serial(dt.date(1900, 3, 1)) == 61
    # A time kept to the second stands for any number within that second; one kept to the
    # millisecond only for the numbers within that millisecond.
    assert ODS_DEFAULT.serial(dt.timedelta(days=2, seconds=28771)) == Decimal("2.333")
    assert ODS_DEFAULT.serial(dt.timedelta(days=2, seconds=28771, milliseconds=1)) == Decimal(
        "2.33299770")


@pytest.mark.parametrize("number", [59, 60])
def test_the_day_both_59_and_60_read_as_is_no_number(tmp_path: Path, number: int) -> None:
    book = xlsxwriter.Workbook(tmp_path / "x.xlsx")
    book.add_worksheet("数").write_number(0, 0, number, book.add_format({"num_format": "yyyy-mm-dd"}))
    book.close()
    extract = read_workbook(str(tmp_path / "x.xlsx"))
    assert isinstance(extract, Extract)
    [[value]] = extract.grids["数"]
    assert value == dt.date(1900, 2, 28)
    assert read_number(value, extract.dates) == (None, "score-not-number")
    assert read_amount(value, extract.dates) == (None, "handbook-number-invalid")


def test_a_workbook_without_dates_is_not_looked_at_again(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(tmp_path / "x.xlsx", {"date_1904": True})
    book.add_worksheet("数").write_number(0, 0, 3)
    book.close()
    extract = read_workbook(str(tmp_path / "x.xlsx"))
    assert isinstance(extract, Extract) and extract.dates == EXCEL_1900
    assert date_system(str(tmp_path / "x.xlsx")) == EXCEL_1904


def date_formatted(path: Path, cells: dict[str, dict[str, tuple[float, str]]], *,
                   date_1904: bool) -> None:
    """Give cells a number and a date format, as a program that saves them so does."""
    book = openpyxl.load_workbook(path)
    if date_1904:
        book.epoch = CALENDAR_MAC_1904
    for sheet, values in cells.items():
        for address, (number, number_format) in values.items():
            book[sheet][address] = number
            book[sheet][address].number_format = number_format
    book.save(path)


@pytest.mark.parametrize("date_1904", [False, True], ids=["1900", "1904"])
def test_a_score_cell_formatted_as_a_date_is_accepted_with_a_warning(
        fresh: Round, date_1904: bool) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    date_formatted(path, {"自评": {"F7": (3.0, "yyyy-mm-dd"), "F8": (2.5, "yyyy/m/d h:mm")},
                          "互评-0102": {"F7": (0.5, "h:mm")}}, date_1904=date_1904)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [
        ("自评", "F7", "score-date-formatted"), ("自评", "F8", "score-date-formatted"),
        ("自评", "G8", "note-missing"), ("互评-0102", "F7", "score-date-formatted"),
        ("互评-0102", "G7", "note-missing")]
    first = report.files[0].issues[0]
    assert first.message("zh-CN") == (
        "第1项“支部委员会坚持集体学习，深入学习…”的得分单元格被设成了日期或时间格式，显示为“"
        + ("1904-01-04" if date_1904 else "1900-01-03")
        + "”；单元格里存的数是 3，按 3 分读取。")
    assert report.files[0].issues[1].params["value"] == (
        "1904-01-03 12:00" if date_1904 else "1900-01-02 12:00")
    assert [f["status"] for f in report.files[0].forms] == [
        "accepted-with-warnings", "accepted-with-warnings", "accepted", "accepted"]
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
    items = fresh.scheme.items
    assert current["self-0101"].payload["scores"][items[0].id] == "3"
    assert current["self-0101"].payload["scores"][items[1].id] == "2.5"
    assert current["peer-0101-0102"].payload["scores"][items[0].id] == "0.5"


def test_a_handbook_amount_formatted_as_a_date_is_read_as_its_number(fresh: Round) -> None:
    handbook = load_round_handbook(fresh.paths)
    assert handbook is not None
    dues = handbook_layout(handbook, fresh.lang).tables["dues"]
    path = fill_handbook(fresh, "0101", fresh.paths.inbox / "手册.xlsx")
    cell = f"{chr(ord('A') + dues.col('paid'))}{dues.first_row + 1}"
    date_formatted(path, {dues.sheet: {cell: (90.0, "yyyy-mm-dd")}}, date_1904=True)
    report = run(fresh)
    assert flat(report, "手册.xlsx") == [(dues.sheet, cell, "handbook-number-date-formatted")]
    [found] = report.files[0].issues
    assert found.params["value"] == "1904-03-31"
    assert found.params["reading"] == "90"
    with Ledger(fresh.paths.ledger) as ledger:
        payload = ledger.current_submissions()["handbook-0101"].payload
    assert payload["records"]["dues"][0]["paid"] == "90"


# -- files that are no workbook -------------------------------------------------------------


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG picture (grey pixels)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def foreign_cases(folder: Path, pack: Path) -> dict[str, tuple[Path, str]]:
    """Files other programs save, each with the kind it must be told apart as."""
    workbook_parts = crafted.read_parts(pack)
    docx = {"[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/'
                                   b'2006/content-types"/>',
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>"}
    cases = {
        # WPS's own format is laid out like .xls: told by its name.
        "评分表.et": (crafted.ole_file(folder / "评分表.et", [
            ("Workbook", 2, -1, -1, -1, b"\x09\x08" + b"\0" * 600)]), "wps"),
        "模板.ett": (crafted.ole_file(folder / "模板.ett", [
            ("Workbook", 2, -1, -1, -1, b"\x09\x08" + b"\0" * 700)]), "wps"),
        "表格.numbers": (crafted.write_zip(folder / "表格.numbers", {
            "Index/Document.iwa": b"\0" * 40, "Index/Metadata.iwa": b"\0" * 10,
            "Metadata/Properties.plist": b"bplist00"}), "numbers"),
        "scores.csv": (folder / "scores.csv", "csv"),
        "另存的.xlsx": (folder / "另存的.xlsx", "csv"),  # CSV content under a workbook's name
        "photo.jpg": (folder / "photo.jpg", "image"),
        "截图.png": (folder / "截图.png", "image"),
        "IMG_0001.HEIC": (folder / "IMG_0001.HEIC", "image"),
        "拍照.xlsx": (folder / "拍照.xlsx", "image"),  # a photo renamed
        "评分表.pdf": (folder / "评分表.pdf", "pdf"),
        "说明.docx": (crafted.write_zip(folder / "说明.docx", docx), "word"),
        "cut.docx": (folder / "cut.docx", "word"),  # cut off before its zip directory
        "说明.doc": (crafted.ole_file(folder / "说明.doc", [
            ("WordDocument", 2, -1, 2, -1, b"\xec\xa5" + b"\0" * 1000),
            ("1Table", 2, -1, -1, -1, b"\0" * 600)]), "word"),
        "汇报.pptx": (crafted.write_zip(folder / "汇报.pptx", {
            **{k: v for k, v in docx.items() if not k.startswith("word/")},
            "ppt/presentation.xml": b"<p:presentation/>"}), "powerpoint"),
    }
    (folder / "scores.csv").write_text("代码,得分\n0101,95\n0102,90\n", encoding="utf-8-sig")
    (folder / "另存的.xlsx").write_text("序号\t评分内容\t分值\t得分\n1\t学习\t3\t3\n2\t制度\t4\t4\n",
                                     encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    (folder / "截图.png").write_bytes(png())
    (folder / "IMG_0001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
                                          + bytes(100))
    (folder / "拍照.xlsx").write_bytes(png(3, 3))
    (folder / "评分表.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
                                     b"trailer\n<<>>\n%%EOF\n")
    whole = (folder / "说明.docx").read_bytes()
    (folder / "cut.docx").write_bytes(whole[:whole.index(b"PK\x01\x02")])  # no directory
    assert "xl/workbook.xml" in workbook_parts
    return cases


def test_files_other_programs_save_are_named_and_never_called_damaged(
        fresh: Round, tmp_path: Path) -> None:
    source, _ = pack_of(fresh, "0101")
    cases = foreign_cases(fresh.paths.inbox, source)
    report = run(fresh)
    for name, (_, kind) in cases.items():
        outcome = next(f for f in report.files if f.record.name == name)
        assert [(i.code, i.params.get("kind")) for i in outcome.issues] == [
            ("foreign-format", text("zh-CN", f"precheck.foreign.{kind}"))], name
        assert outcome.status == "rejected"
    [found] = next(f for f in report.files if f.record.name == "评分表.et").issues
    assert found.message("zh-CN") == (
        "收到的文件是WPS 表格专用格式（.et/.ett）文件，不是 Excel 工作簿。请在 WPS 表格中打开它，"
        "点“文件”→“另存为”，文件类型选“Microsoft Excel 文件（*.xlsx）”，保存后发送新文件。")


def test_a_workbook_holding_an_embedded_document_is_still_a_workbook(tmp_path: Path) -> None:
    # The embedded Word document's streams sit in a storage of their own, not at the root.
    path = crafted.ole_file(tmp_path / "带附件.xls", [
        ("Workbook", 2, -1, 2, -1, b"\x09\x08" + b"\0" * 600),
        ("MBD0001", 1, -1, -1, 3, b""),
        ("WordDocument", 2, -1, -1, -1, b"\xec\xa5" + b"\0" * 100)])
    found = precheck_bytes(path.read_bytes(), path.name, Limits())
    assert (found.format, found.issues) == ("xls", [])
    assert ole_root_streams(path.read_bytes()) == {"Workbook", "MBD0001"}
    # The same file named .et is WPS's.
    assert [i.code for i in precheck_bytes(path.read_bytes(), "x.et", Limits()).issues] == [
        "foreign-format"]


def test_an_unreadable_ole_directory_falls_back_to_the_stream_names(tmp_path: Path) -> None:
    path = crafted.ole_file(tmp_path / "x.doc", [("WordDocument", 2, -1, -1, -1, b"\0" * 600)])
    data = bytearray(path.read_bytes())
    data[0x30:0x34] = struct.pack("<I", 999)  # the directory's first sector is past the end
    assert ole_root_streams(bytes(data)) is None
    assert [i.code for i in precheck_bytes(bytes(data), "x.doc", Limits()).issues] == [
        "foreign-format"]


# -- the second readers ---------------------------------------------------------------------

ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
# Indented as Gnumeric writes it: whitespace text between the table elements.
ODS_TABLES = """
      <table:calculation-settings>
        <table:null-date table:date-value="1904-01-01"/>
      </table:calculation-settings>
      <table:table table:name="自评">
        <table:table-column table:number-columns-repeated="5"/>
        <table:table-header-rows>
          <table:table-row>
            <table:table-cell office:value-type="string"><text:p>序号</text:p></table:table-cell>
            <table:table-cell table:number-columns-repeated="2"/>
            <table:table-cell office:value-type="float" office:value="4.5"><text:p>4.5</text:p></table:table-cell>
          </table:table-row>
        </table:table-header-rows>
        <table:table-row table:number-rows-repeated="3">
          <table:table-cell table:number-columns-repeated="1024"/>
        </table:table-row>
        <table:table-row>
          <table:table-cell office:value-type="date" office:date-value="1904-01-04"><text:p>1904-01-04</text:p></table:table-cell>
          <table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
          <table:table-cell office:value-type="string"><text:p>两段<text:s text:c="2"/>文字<text:span>加粗</text:span></text:p><text:p>第二段</text:p><office:annotation><text:p>批注</text:p></office:annotation></table:table-cell>
          <table:covered-table-cell/>
          <table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>
        </table:table-row>
        <table:table-row table:number-rows-repeated="1048000">
          <table:table-cell table:number-columns-repeated="16384"/>
        </table:table-row>
      </table:table>
      <table:table table:name="第二页">
        <table:table-row>
          <table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
          <table:table-cell office:value-type="date" office:date-value="1904-01-04T12:00:00"><text:p>3.5</text:p></table:table-cell>
        </table:table-row>
      </table:table>
"""


def ods(path: Path, tables: str, *, indented: bool = True) -> Path:
    """An ODS package around ``tables`` (the children of ``office:spreadsheet``)."""
    if not indented:
        tables = re.sub(r">\s+<", "><", tables.strip())
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               f'{ODS_NAMESPACES} office:version="1.2"><office:body><office:spreadsheet>'
               f"{tables}</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content.encode("utf-8"), zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"))
    return path


ODS_GRID = [
    ["序号", "", "", 4.5, ""],
    ["", "", "", "", ""],
    ["", "", "", "", ""],
    ["", "", "", "", ""],
    [dt.date(1904, 1, 4), True, "两段  文字加粗\n第二段", "", 0.5],
]


def test_an_ods_calamine_refuses_is_read_by_the_second_reader(tmp_path: Path) -> None:
    path = ods(tmp_path / "缩进.ods", ODS_TABLES)
    assert precheck_bytes(path.read_bytes(), path.name, Limits()).format == "ods"
    with pytest.raises(Exception, match="Expecting 'table-cell'"):
        extract_workbook(str(path))
    extract = read_workbook(str(path))
    assert isinstance(extract, Extract)
    assert extract.reader == "ods-xml"
    assert extract.sheet_names == ["自评", "第二页"]
    assert extract.grids == {"自评": ODS_GRID, "第二页": [[3.0, dt.datetime(1904, 1, 4, 12)]]}
    assert extract.dates == DateSystem("ods", dt.datetime(1904, 1, 1))
    assert read_number(extract.grids["第二页"][0][1], extract.dates) == (
        Decimal("3.5"), "score-date-formatted")


def test_both_readers_read_the_same_cells(tmp_path: Path) -> None:
    # Without the whitespace calamine reads it too, and sees what the second reader sees.
    path = ods(tmp_path / "紧凑.ods", ODS_TABLES, indented=False)
    first = extract_workbook(str(path))
    second = extract_second(str(path))
    assert second is not None and second.reader == "ods-xml" and first.reader == "calamine"
    assert first.grids == second.grids == {
        "自评": ODS_GRID, "第二页": [[3.0, dt.datetime(1904, 1, 4, 12)]]}


@pytest.mark.parametrize("tables, reach", [
    # A value after two million repeated empty rows.
    ('<table:table table:name="a"><table:table-row table:number-rows-repeated="2000000">'
     '<table:table-cell/></table:table-row><table:table-row><table:table-cell '
     'office:value-type="float" office:value="1"/></table:table-row></table:table>',
     "rows"),
    ('<table:table table:name="a"><table:table-row><table:table-cell office:value-type="float" '
     'office:value="1" table:number-columns-repeated="20000"/></table:table-row></table:table>',
     "columns"),
    ('<table:table table:name="a"><table:table-row table:number-rows-repeated="3000">'
     '<table:table-cell office:value-type="float" office:value="1" '
     'table:number-columns-repeated="2000"/></table:table-row></table:table>',
     "cells"),
])
def test_the_second_reader_stays_within_its_bounds(tmp_path: Path, tables: str,
                                                    reach: str) -> None:
    path = ods(tmp_path / "大.ods", tables)
    with pytest.raises(SheetTooLarge, match=reach):
        read_ods_sheets(str(path))


def test_the_second_reader_refuses_entities(tmp_path: Path) -> None:
    path = ods(tmp_path / "x.ods", ODS_TABLES)
    parts = crafted.read_parts(path)
    parts["content.xml"] = parts["content.xml"].replace(
        b"<office:document-content",
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><office:document-content', 1)
    crafted.write_zip(path, parts)
    with pytest.raises(ValueError):
        read_ods_sheets(str(path))
    failure = read_workbook(str(path))
    assert isinstance(failure, ReadFailure) and failure.code == "parse-failed"
