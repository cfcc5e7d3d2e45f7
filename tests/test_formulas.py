"""Finding the formula cells of a returned .xlsx's sheets, as programs write them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sheetops.intake.formulas import cell_formulas, sheet_parts

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet(cells: str, prefix: str = "", tail: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (f'<?xml version="1.0"?><{p}worksheet {xmlns}><{p}sheetData><{p}row r="7">{cells}'
            f"</{p}row></{p}sheetData>{tail}</{p}worksheet>").encode()


def test_computed_uncomputed_and_shared_formulas_are_found() -> None:
    found = cell_formulas(sheet(
        '<c r="E7" s="3"/>'  # an empty styled cell just before: not the formula's cell
        '<c r="F7" s="4"><f>E7*2</f><v>1.5</v></c>'
        '<c r="G7"><f>A1&amp;"&lt;"</f><v /></c>'
        '<c r="H7" t="str"><f t="shared" ref="H7:H9" si="0">B7</f><v></v></c>'
        '<c r="I7"><f t="shared" si="0"/><v>3</v></c>'
        '<c r="J7"><v>4</v></c>'))
    assert found == {"F7": ("E7*2", True), "G7": ('A1&"<"', False), "H7": ("B7", False),
                     "I7": ("", True)}


def test_data_validation_formulas_after_the_cells_are_not_cells() -> None:
    validations = ('<dataValidations count="1"><dataValidation type="list" sqref="F7">'
                   "<formula1>\"是,否\"</formula1></dataValidation></dataValidations>")
    assert cell_formulas(sheet('<c r="F7"><v>1</v></c>', tail=validations)) == {}


def test_a_sheet_whose_tags_carry_a_prefix() -> None:
    found = cell_formulas(sheet('<x:c r="F7"><x:f>SUM(F1:F6)</x:f><x:v>20</x:v></x:c>'
                                '<x:c r="G7"><x:v>1</x:v></x:c>', prefix="x"))
    assert found == {"F7": ("SUM(F1:F6)", True)}


def test_a_formula_text_is_cut_to_what_is_shown() -> None:
    found = cell_formulas(sheet(f'<c r="F7"><f>{"1+" * 150}1</f><v>151</v></c>'))
    assert found["F7"] == ("1+" * 100, True)


def package(book: str, rels: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
    return zipfile.ZipFile(buffer)


RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Target="/xl/worksheets/other.xml"/></Relationships>')


def test_sheet_parts_with_defined_names_after_the_sheets() -> None:
    book = (f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews/>'
            '<sheets><sheet name="自评" sheetId="1" r:id="rId1"/>'
            '<sheet name="互评-0102" sheetId="2" r:id="rId2"/></sheets>'
            "<definedNames><definedName name=\"x\">'自评'!$G$45</definedName></definedNames>"
            "</workbook>")
    assert sheet_parts(package(book, RELS)) == {"自评": "xl/worksheets/sheet1.xml",
                                                "互评-0102": "xl/worksheets/other.xml"}


def test_sheet_parts_of_a_prefixed_workbook_declaring_namespaces_on_its_sheets() -> None:
    book = (f'<x:workbook xmlns:x="{MAIN}"><x:sheets xmlns:rel="{REL}">'
            '<x:sheet name="自评" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>')
    assert sheet_parts(package(book, RELS)) == {"自评": "xl/worksheets/sheet1.xml"}


def test_the_pre_check_finds_the_same_formulas_as_the_reader_would(tmp_path: Path) -> None:
    from sheetops.intake.formulas import workbook_formulas
    from sheetops.intake.precheck import precheck_bytes
    from sheetops.model.round import Limits

    path = tmp_path / "book.xlsx"
    book = (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="自评" sheetId="1" r:id="rId1"/>'
            '<sheet name="互评-0102" sheetId="2" r:id="rId2"/></sheets></workbook>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet('<c r="F7"><f>1+1</f><v>2</v></c>'))
        archive.writestr("xl/worksheets/other.xml", sheet('<c r="F7"><v>2</v></c>'))
    found = precheck_bytes(path.read_bytes(), path.name, Limits())
    assert found.format == "xlsx" and not found.issues
    assert found.formulas == workbook_formulas(str(path), ["自评", "互评-0102"]) == {
        "自评": {"F7": ("1+1", True)}}
