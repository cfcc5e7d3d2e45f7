"""Generated packs, checked by what they contain (opened with openpyxl)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.core.identity import FormIdentity, sign_identity, verify_identity
from sheetops.intake.cells import read_meta
from sheetops.layout.packs import read_manifest, write_manifest
from sheetops.layout.scoresheet import COL_NOTE, COL_SCORE, has_vetoes, scoresheet_layout
from sheetops.model.scheme import plain_number
from sheetops.model.workspace import Round, open_round

from .conftest import NOW


def pack_path(round_: Round, result: GenerateResult, recipient: str) -> Path:
    pack = next(p for p in result.packs if p.recipient == recipient)
    return round_.paths.outbox / pack.file


def test_packs_follow_the_roster(sample_round: tuple[Round, GenerateResult]) -> None:
    _, result = sample_round
    assert [p.recipient for p in result.packs] == [
        *(f"01{i:02d}" for i in range(1, 13)), "X01", "X02"
    ]
    first = result.packs[0]
    assert [f.identity.role for f in first.forms] == ["self", "peer", "peer", "peer"]
    assert first.forms[0].sheet == "自评"
    assert [f.sheet for f in first.forms[1:]] == [f"互评-{f.identity.target}" for f in first.forms[1:]]
    inspector = result.packs[-1]
    assert [f.identity.target for f in inspector.forms] == [f"01{i:02d}" for i in range(7, 13)]
    assert [f.sheet for f in inspector.forms][:2] == ["考评-0107", "考评-0108"]
    assert result.forms_by_role() == {"self": 12, "peer": 36, "inspector": 12}


def test_peer_assignment_is_balanced_and_never_self(
    sample_round: tuple[Round, GenerateResult],
) -> None:
    _, result = sample_round
    pairs = [(f.identity.rater, f.identity.target) for p in result.packs for f in p.forms
             if f.identity.role == "peer"]
    assert len(set(pairs)) == 36
    assert all(rater != target for rater, target in pairs)
    for code in (f"01{i:02d}" for i in range(1, 13)):
        assert sum(1 for _, t in pairs if t == code) == 3
        assert sum(1 for r, _ in pairs if r == code) == 3


def test_manifest_lists_every_form(sample_round: tuple[Round, GenerateResult]) -> None:
    round_, _ = sample_round
    raw = round_.paths.manifest.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads the Chinese right
    with round_.paths.manifest.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 60
    # in the round's language, the ids of what is translated in columns of their own
    assert rows[0] == {
        "表格编号": "self-0101", "评分类型": "自评", "评分单位代码": "0101",
        "评分单位": "机关办公室党支部", "被评支部代码": "0101", "被评支部": "机关办公室党支部",
        "收件单位代码": "0101", "收件单位类型": "支部", "收件单位": "机关办公室党支部",
        "邮箱": "dzb0101@dangjian.example.cn", "文件": "branches/0101-机关办公室党支部.xlsx",
        "工作表": "自评", "role": "self", "recipient_kind": "branch",
    }
    assert {(r["评分类型"], r["role"]) for r in rows} == {
        ("自评", "self"), ("互评", "peer"), ("考评", "inspector")}
    assert {(r["收件单位类型"], r["recipient_kind"]) for r in rows} == {
        ("支部", "branch"), ("巡查组", "inspector")}
    for row in rows:
        assert (round_.paths.outbox / row["文件"]).is_file()
    assert read_manifest(round_.paths.manifest)[0] == {
        "form_id": "self-0101", "role": "self", "rater": "0101", "rater_name": "机关办公室党支部",
        "target": "0101", "target_name": "机关办公室党支部", "recipient": "0101",
        "recipient_kind": "branch", "recipient_name": "机关办公室党支部",
        "email": "dzb0101@dangjian.example.cn", "file": "branches/0101-机关办公室党支部.xlsx",
        "sheet": "自评",
    }


def test_manifest_in_english_and_as_edited(sample_round: tuple[Round, GenerateResult],
                                           tmp_path: Path) -> None:
    round_, result = sample_round
    expected = read_manifest(round_.paths.manifest)
    english = tmp_path / "english.csv"
    write_manifest(english, result.packs, "en")
    lines = english.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("form_id,role,rater,rater_name,target,target_name,recipient,"
                        "recipient_kind,recipient_name,email,file,sheet")  # as it always was
    assert lines[1].startswith("self-0101,self,0101,")
    assert read_manifest(english) == expected
    # a Chinese manifest whose id columns someone deleted, its columns moved, is read the same
    with round_.paths.manifest.open(encoding="utf-8-sig", newline="") as handle:
        table = [row[:12] for row in csv.reader(handle)]
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([row[1:] + row[:1] + ["备注"] for row in table])
    assert read_manifest(edited) == expected


@pytest.fixture(scope="module")
def self_pack(sample_round: tuple[Round, GenerateResult]) -> openpyxl.Workbook:
    round_, result = sample_round
    return openpyxl.load_workbook(pack_path(round_, result, "0101"))


def input_cells(round_: Round, role: str) -> set[str]:
    layout = scoresheet_layout(round_.scheme, role)
    cells = set()
    for row in [*layout.score_rows.values(), *layout.veto_rows.values()]:
        cells |= {f"{chr(65 + COL_SCORE)}{row + 1}", f"{chr(65 + COL_NOTE)}{row + 1}"}
    return cells


@pytest.mark.parametrize("sheet_name, role", [("自评", "self"), ("互评-0102", "peer")])
def test_only_input_cells_are_unlocked(
    sample_round: tuple[Round, GenerateResult], self_pack: openpyxl.Workbook, sheet_name: str,
    role: str,
) -> None:
    round_, _ = sample_round
    sheet = self_pack[sheet_name]
    assert sheet.protection.sheet is True
    unlocked = {c.coordinate for row in sheet.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == input_cells(round_, role)
    assert len(unlocked) == 2 * len(round_.scheme.items) + (6 if role == "self" else 0)


def test_each_score_cell_has_its_own_validation(
    sample_round: tuple[Round, GenerateResult], self_pack: openpyxl.Workbook
) -> None:
    round_, _ = sample_round
    sheet = self_pack["自评"]
    layout = scoresheet_layout(round_.scheme, "self")
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert len(validations) == len(round_.scheme.items) + len(round_.scheme.vetoes)
    for item in round_.scheme.items:
        dv = validations[f"F{layout.score_rows[item.id] + 1}"]
        maximum = plain_number(item.max)
        # "between" is the default operator, so the file may leave it out.
        assert (dv.type, dv.operator or "between", dv.formula1, dv.formula2) == (
            "decimal", "between", "0", str(maximum))
        assert dv.prompt == f"请填写 0 至 {maximum} 之间的分数，以 0.5 分为单位。"
        assert dv.error == f"本项满分 {maximum} 分，得分须在 0 至 {maximum} 之间，请用阿拉伯数字重新填写。"
        assert dv.showErrorMessage and dv.showInputMessage
    for veto in round_.scheme.vetoes:
        dv = validations[f"F{layout.veto_rows[veto.id] + 1}"]
        assert (dv.type, dv.formula1) == ("list", '"是,否"')


def test_defined_names_point_at_the_input_cells(
    sample_round: tuple[Round, GenerateResult], self_pack: openpyxl.Workbook
) -> None:
    round_, _ = sample_round
    for sheet_name, role in (("自评", "self"), ("互评-0102", "peer")):
        sheet = self_pack[sheet_name]
        layout = scoresheet_layout(round_.scheme, role)
        expected = {}
        for item in round_.scheme.items:
            row = layout.score_rows[item.id] + 1
            expected[f"score_{item.id}"] = f"'{sheet_name}'!$F${row}"
            expected[f"note_{item.id}"] = f"'{sheet_name}'!$G${row}"
        for veto in round_.scheme.vetoes if has_vetoes(round_.scheme, role) else ():
            row = layout.veto_rows[veto.id] + 1
            expected[f"veto_{veto.id}"] = f"'{sheet_name}'!$F${row}"
            expected[f"vetonote_{veto.id}"] = f"'{sheet_name}'!$G${row}"
        actual = {name: dn.attr_text for name, dn in sheet.defined_names.items()}
        assert actual == expected
    assert not self_pack.defined_names  # nothing workbook-scoped


def test_formulas_carry_correct_cached_values(
    sample_round: tuple[Round, GenerateResult],
) -> None:
    round_, result = sample_round
    path = pack_path(round_, result, "0101")
    formulas = openpyxl.load_workbook(path)["自评"]
    cached = openpyxl.load_workbook(path, data_only=True)["自评"]
    layout = scoresheet_layout(round_.scheme, "self")
    for section in round_.scheme.sections:
        first, last, subtotal = layout.subtotal_rows[section.id]
        assert formulas[f"E{subtotal + 1}"].value == f"=SUM(E{first + 1}:E{last + 1})"
        assert formulas[f"F{subtotal + 1}"].value == f"=SUM(F{first + 1}:F{last + 1})"
        assert Decimal(str(cached[f"E{subtotal + 1}"].value)) == section.max
        assert cached[f"F{subtotal + 1}"].value == 0
    total = layout.total_row + 1
    subtotals = ",".join(f"F{rows[2] + 1}" for rows in layout.subtotal_rows.values())
    assert formulas[f"F{total}"].value == f"=SUM({subtotals})"
    assert cached[f"E{total}"].value == 100
    assert cached[f"F{total}"].value == 0


def test_title_names_round_rater_and_target(self_pack: openpyxl.Workbook) -> None:
    sheet = self_pack["互评-0102"]
    assert sheet["A1"].value == "2026年度党支部建设目标管理年终考核"
    assert sheet["A2"].value == "党支部建设目标管理考核表（互评）"
    assert sheet["A3"].value == (
        "评分单位：机关办公室党支部（0101）    被评支部：组织人事处党支部（0102）"
    )
    # The form id only the reader needs: in a hidden column outside the print area.
    assert sheet["I3"].value == "peer-0101-0102"
    assert sheet.column_dimensions["I"].hidden
    assert sheet.print_area == "'互评-0102'!$A$1:$G$51"
    assert [c.value for c in sheet[6]] == ["序号", "考核项目", "考核内容", "评分标准", "分值",
                                          "得分", "扣分说明", None, None]


def test_print_setup(sample_round: tuple[Round, GenerateResult],
                     self_pack: openpyxl.Workbook) -> None:
    sheet: Worksheet = self_pack["自评"]
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")
    # One page wide, as tall as it takes, with the pages planned between items.
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (setup.fitToWidth in (None, 1), setup.fitToHeight) == (True, 0)
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    layout = scoresheet_layout(sample_round[0].scheme, "self")
    items = set(layout.score_rows.values())
    # openpyxl's break id is the last row of a page, counted from 1: the 0-based next row.
    assert breaks and set(breaks) <= items | {layout.total_row}
    # Where a page breaks inside a section, its name is written again above the rest.
    sections = sample_round[0].scheme.sections
    for section in sections:
        first, last, _ = layout.subtotal_rows[section.id]
        for row in (b for b in breaks if first < b <= last):
            assert sheet.cell(row + 1, 2).value == f"{section.title}（续）"
            assert any(r.min_row == row + 1 and r.min_col == 2
                       for r in sheet.merged_cells.ranges) or row == last
    assert any(first < b <= last for b in breaks
               for first, last, _ in layout.subtotal_rows.values())  # the sample splits one
    assert sheet.print_title_rows == "$6:$6"
    assert sheet.print_options.horizontalCentered is True
    # Each form's own name and page numbers (from 1) on every page, whatever prints before it.
    assert sheet.oddHeader.center.text == "机关办公室党支部自评表"
    assert sheet.oddFooter.center.text == "第 &P 页"
    assert setup.useFirstPageNumber is True and setup.firstPageNumber in (None, 1)
    peer = self_pack["互评-0102"]
    assert peer.oddHeader.center.text == "机关办公室党支部对组织人事处党支部的互评表"
    assert peer.page_setup.useFirstPageNumber is True
    assert sheet["C7"].font.name == "宋体"
    assert sheet["A1"].font.name == "黑体"


def test_meta_is_hidden_protected_and_signed(
    sample_round: tuple[Round, GenerateResult], self_pack: openpyxl.Workbook
) -> None:
    round_, _ = sample_round
    meta = self_pack["_meta"]
    assert meta.sheet_state == "veryHidden"
    assert meta.protection.sheet is True
    grid = [[c.value for c in row] for row in meta.iter_rows()]
    entries = read_meta(grid)
    assert entries is not None
    assert [e.sheet for e in entries] == ["自评", "互评-0102", "互评-0110", "互评-0112"]
    first = entries[0].identity
    assert first == FormIdentity(
        round_id="2026-year-end", form_id="self-0101", kind="scoresheet", role="self",
        rater="0101", target="0101", scheme_id="party-branch-target", scheme_version="2026.1",
        scheme_hash=round_.scheme.hash, generated_at=NOW.isoformat(),
    )
    properties = {p.name: p.value for p in self_pack.custom_doc_props.props}
    for entry in entries:
        assert verify_identity(round_.key, entry.identity, entry.sheet, entry.signature)
        assert properties[f"sheetops:{entry.identity.form_id}"] == entry.signature
    assert properties["sheetops:round"] == "2026-year-end"


@pytest.mark.parametrize("field", FormIdentity.field_names())
def test_signature_fails_when_one_character_changes(
    sample_round: tuple[Round, GenerateResult], field: str
) -> None:
    round_, result = sample_round
    form = result.packs[0].forms[1]
    identity = form.identity
    signature = sign_identity(round_.key, identity, form.sheet)
    value = getattr(identity, field)
    changed = value[:-1] + ("0" if value[-1] != "0" else "1")
    forged = dataclasses.replace(identity, **{field: changed})
    assert verify_identity(round_.key, identity, form.sheet, signature)
    assert not verify_identity(round_.key, forged, form.sheet, signature)
    assert not verify_identity(b"another round's key", identity, form.sheet, signature)


def test_signature_binds_the_form_to_its_sheet(
    sample_round: tuple[Round, GenerateResult]
) -> None:
    round_, result = sample_round
    form, other = result.packs[0].forms[1:3]
    signature = sign_identity(round_.key, form.identity, form.sheet)
    assert verify_identity(round_.key, form.identity, form.sheet, signature)
    assert not verify_identity(round_.key, form.identity, other.sheet, signature)
    assert not verify_identity(round_.key, form.identity, form.sheet + " ", signature)


def test_forms_signed_before_signatures_named_the_sheet_still_verify(
    sample_round: tuple[Round, GenerateResult]
) -> None:
    # A round under way when sheetops is upgraded keeps the returns of the forms it sent out.
    round_, result = sample_round
    form = result.packs[0].forms[1]
    lines = ["sheetops-form-v1"] + [
        f"{name}={getattr(form.identity, name)}" for name in FormIdentity.field_names()]
    legacy = hmac.new(round_.key, "\n".join(lines).encode("utf-8"), hashlib.sha256).hexdigest()
    assert verify_identity(round_.key, form.identity, form.sheet, legacy)
    assert verify_identity(round_.key, form.identity, "any sheet", legacy)
    assert not verify_identity(b"another round's key", form.identity, form.sheet, legacy)


def test_peer_forms_have_no_veto_questions(self_pack: openpyxl.Workbook) -> None:
    values = [c.value for row in self_pack["互评-0102"].iter_rows() for c in row]
    assert "一票否决事项" not in values
    assert "一票否决事项" in [c.value for row in self_pack["自评"].iter_rows() for c in row]


def test_regenerating_keeps_ids_and_signatures_valid(
    sample_round: tuple[Round, GenerateResult], tmp_path: Path
) -> None:
    round_, first = sample_round
    copy = tmp_path / "round"
    import shutil

    shutil.copytree(round_.paths.root, copy)
    again = generate_scoresheets(open_round(copy))
    ids = [f.identity.form_id for p in first.packs for f in p.forms]
    assert [f.identity.form_id for p in again.packs for f in p.forms] == ids
    book = openpyxl.load_workbook(copy / "outbox" / again.packs[0].file)
    entries = read_meta([[c.value for c in row] for row in book["_meta"].iter_rows()])
    assert entries is not None
    assert all(verify_identity(round_.key, e.identity, e.sheet, e.signature) for e in entries)
    # A form sent before regeneration still verifies: same key, its own identity.
    old = first.packs[0].forms[0]
    assert verify_identity(round_.key, old.identity, old.sheet,
                           sign_identity(round_.key, old.identity, old.sheet))
    assert not list(copy.joinpath("outbox").rglob(".*.tmp*"))


def test_key_is_private_and_never_in_the_outbox(
    sample_round: tuple[Round, GenerateResult],
) -> None:
    round_, _ = sample_round
    assert round_.paths.key.stat().st_mode & 0o777 == 0o600
    key_text = round_.paths.key.read_text().strip()
    assert len(key_text) == 64
    for path in round_.paths.outbox.rglob("*"):
        if path.is_file():
            assert key_text.encode() not in path.read_bytes()


def test_pages_are_planned_to_fill_each_page_without_splitting_a_unit() -> None:
    from sheetops.forms.formats import page_breaks

    # A page holds (595.28 - 1.15 * 72) * 0.95 = 486.8 points at full size; 100-point head.
    heights = [100.0, *([90.0] * 10)]
    assert page_breaks(heights, range(1, 11), repeated=20, scale=100) == [5, 10]
    # Rows that stay together (9 and 10) go over together; at 50 % a page holds twice as much.
    assert page_breaks(heights, range(1, 10), repeated=20, scale=100) == [5, 9]
    assert page_breaks(heights, range(1, 11), repeated=20, scale=50) == [10]
    # A unit taller than a page starts one and runs on.
    assert page_breaks([100.0, 50.0, 1000.0, 50.0], [1, 2, 3], repeated=20, scale=100) == [2]
