"""``collect``: crafted returns for every issue code, hostile files, resubmission, concurrency."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from sheetops.app.collect import CollectReport, collect_round, read_arrivals
from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.app.init import init_round
from sheetops.cli.main import main
from sheetops.core.identity import FormIdentity, sign_identity
from sheetops.core.platform import RLIMIT, WorkerIsolation, worker_isolation
from sheetops.intake.precheck import precheck_bytes
from sheetops.intake.reader import Extract, ReadFailure
from sheetops.intake.sandbox import SandboxedReader
from sheetops.ledger.store import Ledger
from sheetops.model.round import Limits
from sheetops.model.workspace import Round, open_round

from . import crafted
from .conftest import NOW, TODAY
from .crafted import filled, pack_of
from .platforms import ISOLATION_IDS, ISOLATIONS


def run(round_: Round, *sources: Path) -> CollectReport:
    return collect_round(round_, list(sources) or None, now=NOW)


def flat(report: CollectReport, name: str) -> list[tuple[str | None, str | None, str]]:
    outcome = next(f for f in report.files if f.record.name == name)
    return [(i.sheet, i.cell, i.code) for i in outcome.issues]


def status_of(report: CollectReport, name: str) -> str:
    return next(f.status for f in report.files if f.record.name == name)


# -- good returns ---------------------------------------------------------------------------


def test_clean_pack_is_accepted(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    report = run(fresh)
    assert status_of(report, "0101.xlsx") == "accepted"
    assert flat(report, "0101.xlsx") == []
    outcome = report.files[0]
    assert [f["form_id"] for f in outcome.forms] == [
        "self-0101", "peer-0101-0102", "peer-0101-0110", "peer-0101-0112"]
    archived = fresh.paths.root / outcome.record.archive
    assert archived.read_bytes() == path.read_bytes()
    assert outcome.record.archive == f"archive/{outcome.record.sha256[:2]}/{outcome.record.sha256}.xlsx"
    assert archived.stat().st_mode & 0o222 == 0  # kept read-only (readable as the umask says)
    assert {p.name for p in fresh.paths.archive.iterdir()} == {
        outcome.record.sha256[:2], "arrivals.jsonl"}
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
    assert sorted(current) == sorted(f["form_id"] for f in outcome.forms)
    self_scores = current["self-0101"].payload["scores"]
    assert {k: Decimal(v) for k, v in self_scores.items()} == {
        i.id: i.max for i in fresh.scheme.items}
    assert report.current_forms == 4 and report.expected_forms == 60


def test_inputs_are_never_modified(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    before = path.read_bytes(), path.stat().st_mtime_ns
    run(fresh)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def score_cell(round_: Round, item_index: int) -> str:
    from sheetops.layout.scoresheet import scoresheet_layout

    layout = scoresheet_layout(round_.scheme, "self")
    return f"F{layout.score_rows[round_.scheme.items[item_index].id] + 1}"


CELL_CASES = [
    # (value typed into the first self item (max 3), expected issue codes, self form status)
    ("９５", ["score-normalised", "score-out-of-range"], "rejected"),
    ("２．５", ["score-normalised", "note-missing"], "accepted-with-warnings"),
    ("三", ["score-chinese-numeral"], "accepted-with-warnings"),
    ("二点五", ["score-chinese-numeral", "note-missing"], "accepted-with-warnings"),
    ("很好", ["score-not-number"], "rejected"),
    # Digits and exponents are bounded before any conversion: these are not numbers at all.
    ("1e5000", ["score-not-number"], "rejected"),
    ("１ｅ５０００", ["score-not-number"], "rejected"),
    ("1e999999999", ["score-not-number"], "rejected"),
    ("1" * 16, ["score-not-number"], "rejected"),
    ("九" * 13, ["score-not-number"], "rejected"),
    ("1e2", ["score-normalised", "score-out-of-range"], "rejected"),
    (4, ["score-out-of-range"], "rejected"),
    (-1, ["score-out-of-range"], "rejected"),
    (2.25, ["score-step"], "rejected"),
    (None, ["score-missing"], "rejected"),
]


@pytest.mark.parametrize("value, codes, status", CELL_CASES)
def test_score_cells(fresh: Round, value: object, codes: list[str], status: str) -> None:
    cell = score_cell(fresh, 0)
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {cell: value}})
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [
        ("自评", cell if code != "note-missing" else "G7", code) for code in codes]
    assert report.files[0].forms[0]["status"] == status


def test_a_number_clean_for_one_item_is_still_checked_for_another(fresh: Round) -> None:
    items = fresh.scheme.items
    largest = max(item.max for item in items)
    assert largest > items[0].max

    def score(form_id: str, index: int, item: object) -> object:
        # Every form gives the largest maximum where it is allowed; the last form also gives
        # it to the first item, whose maximum is smaller.
        if form_id == "peer-0101-0112" and index == 0:
            return float(largest)
        return float(items[index].max)

    filled(fresh, "0101", "0101.xlsx", score=score)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [("互评-0112", score_cell(fresh, 0), "score-out-of-range")]


def with_raw_value(path: Path, address: str, raw: str) -> None:
    """Put ``raw`` as the stored value of one cell of the first sheet (what no client writes)."""
    parts = crafted.read_parts(path)
    name = "xl/worksheets/sheet1.xml"
    xml, count = re.subn(rf'(<c r="{address}"[^>]*>(?:<f>[^<]*</f>)?)(?:<v>[^<]*</v>|<v ?/>)',
                         rf"\g<1><v>{raw}</v>", parts[name].decode("utf-8"))
    assert count == 1, address
    parts[name] = xml.encode("utf-8")
    crafted.write_zip(path, parts)


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf"])
def test_a_score_that_is_not_a_finite_number_costs_its_form_only(fresh: Round, raw: str) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    with_raw_value(path, score_cell(fresh, 0), raw)
    other = filled(fresh, "0102", "0102.xlsx")
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [("自评", score_cell(fresh, 0), "score-not-number")]
    [found] = next(f for f in report.files if f.record.name == "0101.xlsx").issues
    assert found.params["value"] == raw
    assert status_of(report, other.name) == "accepted"


def test_a_cached_total_that_is_not_a_finite_number_is_a_mismatch(fresh: Round) -> None:
    from sheetops.layout.scoresheet import scoresheet_layout

    total = f"F{scoresheet_layout(fresh.scheme, 'self').total_row + 1}"
    path = filled(fresh, "0101", "0101.xlsx")
    with_raw_value(path, total, "nan")
    report = run(fresh)
    [found] = next(f for f in report.files if f.record.name == "0101.xlsx").issues
    assert (found.sheet, found.cell, found.code, found.params["claimed"],
            found.params["actual"]) == ("自评", total, "total-mismatch", "nan", 100)


def test_minus_zero_is_a_score_of_zero() -> None:
    from sheetops.validate.scoresheet import read_number

    assert [str(read_number(value)[0]) for value in (-0.0, 0.0, 0)] == ["0", "0", "0"]


def test_messages_show_the_reading(fresh: Round) -> None:
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {"F7": "二点五", "G7": "少一次"}})
    report = run(fresh)
    [found] = report.files[0].issues
    assert found.message("zh-CN") == (
        "第1项“支部委员会坚持集体学习，深入学习…”的得分“二点五”是中文数字，按 2.5 分读取。")
    assert found.to_dict("zh-CN") == {
        "code": "score-chinese-numeral", "severity": "warning", "sheet": "自评", "cell": "F7",
        "message": found.message("zh-CN"),
        "params": {"item": "第1项“支部委员会坚持集体学习，深入学习…”", "reading": 2.5,
                   "value": "二点五"}}


def test_a_formula_in_a_score_cell_is_reported_with_the_value_used(fresh: Round) -> None:
    typed = filled(fresh, "0101", "typed.xlsx", edits={"自评": {"F7": "=1+0.5", "G7": "少两次"}})

    def with_formula(name: str, value: bytes) -> None:
        # The cell as a program saves a formula: computed (its value cached) or not (openpyxl).
        data = io.BytesIO()
        with zipfile.ZipFile(typed) as source, zipfile.ZipFile(data, "w") as target:
            for info in source.infolist():
                part = re.sub(rb'<c r="F7"( s="\d+")? t="inlineStr"><is><t>=1\+0\.5</t></is></c>',
                              rb'<c r="F7"\1><f>1+0.5</f>' + value + b"</c>",
                              source.read(info.filename))
                target.writestr(info, part)
        (fresh.paths.inbox / name).write_bytes(data.getvalue())

    with_formula("0101-computed.xlsx", b"<v>1.5</v>")
    with_formula("0101-uncomputed.xlsx", b"<v />")
    typed.unlink()
    report = run(fresh)
    by_name = {f.record.name: f for f in report.files}
    [warning] = by_name["0101-computed.xlsx"].issues
    assert (warning.code, warning.sheet, warning.cell, warning.severity.value) == (
        "score-formula", "自评", "F7", "warning")
    assert warning.message("zh-CN") == (
        "第1项“支部委员会坚持集体学习，深入学习…”的得分栏中是公式“=1+0.5”，而不是填写的分数；"
        "按表格保存时算出的 1.5 计分。")
    with Ledger(fresh.paths.ledger) as ledger:
        submission = ledger.current_submissions()["self-0101"]
    assert submission.sha256 == by_name["0101-computed.xlsx"].record.sha256
    assert submission.payload["scores"][fresh.scheme.items[0].id] == "1.5"
    [error] = [i for i in by_name["0101-uncomputed.xlsx"].issues if i.form_id == "self-0101"]
    assert (error.code, error.cell, error.severity.value) == (
        "score-formula-no-value", "F7", "error")
    assert error.message("zh-CN") == (
        "第1项“支部委员会坚持集体学习，深入学习…”的得分栏中是公式“=1+0.5”，但保存时没有算出结果，"
        "无法读取得分。")
    # The forms' own subtotal and total formulas are not score cells: nothing said of them.
    assert {i.code for f in report.files for i in f.issues} == {
        "score-formula", "score-formula-no-value"}


def test_veto_answers(fresh: Round) -> None:
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {"F52": "是", "F53": "也许", "F54": None}})
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [
        ("自评", "F52", "veto-note-missing"), ("自评", "F53", "veto-invalid"),
        ("自评", "F54", "veto-missing")]


def test_note_missing_can_be_an_error(fresh: Round) -> None:
    toml = fresh.paths.config.read_text("utf-8").replace(
        'note_below_max = "warning"', 'note_below_max = "error"')
    fresh.paths.config.write_text(toml, "utf-8")
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {"F7": 2.5}})
    report = run(open_round(fresh.paths.root))
    assert flat(report, "0101.xlsx") == [("自评", "G7", "note-missing")]
    assert report.files[0].issues[0].severity.value == "error"
    assert status_of(report, "0101.xlsx") == "accepted-with-warnings"  # other forms count


def test_incomplete_form_compares_no_totals(fresh: Round) -> None:
    source, _ = pack_of(fresh, "0101")
    values = {f"F{row}": 2 for row in range(7, 13)}
    crafted.fill_xml(source, fresh.paths.inbox / "stale.xlsx", 1, values)
    codes = flat(run(fresh), "stale.xlsx")
    assert ("自评", "F15", "score-missing") in codes
    assert [c for c in codes if c[2] == "total-mismatch"] == []


def test_stale_cached_totals_warn_and_are_recomputed(fresh: Round) -> None:
    from sheetops.layout.scoresheet import scoresheet_layout

    layout = scoresheet_layout(fresh.scheme, "self")
    source, pack = pack_of(fresh, "0101")
    values: dict[str, object] = {f"F{row + 1}": float(fresh.scheme.items[i].max)
                                 for i, row in enumerate(layout.score_rows.values())}
    values.update({f"F{row + 1}": "否" for row in layout.veto_rows.values()})
    crafted.fill_xml(source, fresh.paths.inbox / "stale.xlsx", 1, values)
    report = run(fresh)
    subtotal_cells = [f"F{rows[2] + 1}" for rows in layout.subtotal_rows.values()]
    assert flat(report, "stale.xlsx") == [
        *(("自评", cell, "total-mismatch") for cell in subtotal_cells),
        ("自评", f"F{layout.total_row + 1}", "total-mismatch"),
        *((form.sheet, None, "form-not-filled") for form in pack.forms[1:]),
    ]
    total = next(i for i in report.files[0].issues if i.cell == f"F{layout.total_row + 1}")
    assert total.message("zh-CN") == "文件中的合计为 0，按各项得分重新计算为 100，以重新计算的结果为准。"
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()["self-0101"]
    assert sum(Decimal(v) for v in current.payload["scores"].values()) == 100


# -- identity -------------------------------------------------------------------------------


def edit_meta(path: Path, change: Callable[[Worksheet], None]) -> Path:
    book = openpyxl.load_workbook(path)
    change(book["_meta"])
    book.save(path)
    return path


def test_edited_meta_fails_the_signature(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")

    def retarget(meta: Worksheet) -> None:
        meta["G3"] = "0103"  # claim the peer form rates another branch

    edit_meta(path, retarget)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [("互评-0102", None, "signature-invalid")]
    assert status_of(report, "0101.xlsx") == "accepted-with-warnings"


def test_another_rounds_form(fresh: Round, tmp_path: Path) -> None:
    other = init_round(tmp_path / "other", fresh.paths.root / "roster.xlsx", round_id="2025-year-end",
                       today=TODAY).round
    generated = generate_scoresheets(other, now=NOW)
    pack = generated.packs[0]
    crafted.fill_pack(other.paths.outbox / pack.file, fresh.paths.inbox / "old.xlsx", pack,
                      other.scheme)
    report = run(fresh)
    assert {code for _, _, code in flat(report, "old.xlsx")} == {"wrong-round"}
    assert report.files[0].issues[0].message("zh-CN") == (
        "这是“2025-year-end”轮次的表格，不是本轮（2026-year-end）的。")
    assert status_of(report, "old.xlsx") == "rejected"


def signed_row(round_: Round, **changes: str) -> list[str]:
    base = FormIdentity(round_id=round_.config.id, form_id="self-0101", kind="scoresheet",
                        role="self", rater="0101", target="0101", scheme_id=round_.scheme.id,
                        scheme_version=round_.scheme.version, scheme_hash=round_.scheme.hash,
                        generated_at=NOW.isoformat())
    identity = FormIdentity(**{**base.__dict__, **changes})
    return ["自评", *identity.__dict__.values(), sign_identity(round_.key, identity, "自评")]


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"form_id": "self-9999"}, "unknown-form"),
        ({"rater": "0105"}, "unassigned-pair"),
        ({"scheme_hash": "0" * 64}, "scheme-mismatch"),
    ],
)
def test_signed_but_wrong_identity(fresh: Round, changes: dict[str, str], code: str) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    row = signed_row(fresh, **changes)

    def replace(meta: Worksheet) -> None:
        for col, value in enumerate(row, start=1):
            meta.cell(2, col, value)

    edit_meta(path, replace)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [("自评", None, code)]


def test_a_sheet_holding_another_forms_id_is_refused(fresh: Round) -> None:
    """The form id a sheet holds (hidden, beside its parties row) must be its _meta row's."""
    path = filled(fresh, "0101", "0101.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["互评-0102"]["I3"].value == "peer-0101-0102"
    book["互评-0102"]["I3"] = "peer-0101-0110"
    book.save(path)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [("互评-0102", None, "form-sheet-mismatch")]
    assert report.files[0].issues[0].message("zh-CN") == (
        "工作表“互评-0102”中记录的表格编号是 peer-0101-0110，但隐藏的身份信息说它是表格 "
        "peer-0101-0102（身份信息可能是从别的工作簿复制来的），不予采用。")


def test_a_form_showing_its_id_as_earlier_versions_did_is_read(fresh: Round) -> None:
    """Forms generated before the id moved out of sight show it after 表格编号： in A3."""
    path = filled(fresh, "0101", "0101.xlsx")
    book = openpyxl.load_workbook(path)
    for sheet, form_id in (("自评", "self-0101"), ("互评-0102", "peer-0101-0102")):
        book[sheet]["I3"] = None
        book[sheet]["A3"] = f"{book[sheet]['A3'].value}    表格编号：{form_id}"
    book.save(path)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == []
    assert status_of(report, "0101.xlsx") == "accepted"


def test_structural_damage(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    book = openpyxl.load_workbook(path)
    book["互评-0102"].insert_rows(8)
    del book["互评-0110"]
    book.create_sheet("我的草稿")
    book.save(path)
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [
        ("我的草稿", None, "extra-sheet-ignored"),
        ("互评-0102", None, "form-structure-changed"),
        ("互评-0110", None, "form-sheet-missing"),
    ]
    outcome = report.files[0]
    assert [f["status"] for f in outcome.forms] == [
        "accepted", "rejected", "rejected", "accepted"]


def test_form_copied_into_a_new_workbook(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    source = openpyxl.load_workbook(path)["互评-0102"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    for row in source.iter_rows(values_only=True):
        sheet.append(list(row))
    book.save(fresh.paths.inbox / "copy.xlsx")
    path.unlink()
    report = run(fresh)
    [found] = report.files[0].issues
    assert (found.sheet, found.code) == ("Sheet1", "form-without-identity")
    assert found.message("zh-CN") == (
        "工作表“Sheet1”看起来是表格 peer-0101-0102，但它的身份信息已丢失（可能被复制到了新工作簿），"
        "无法确认来源。")


def test_unrelated_workbook_has_no_forms(fresh: Round) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "年终总结"  # type: ignore[index]
    book.save(fresh.paths.inbox / "summary.xlsx")
    assert flat(run(fresh), "summary.xlsx") == [(None, None, "no-forms")]


def test_damaged_and_duplicated_meta(fresh: Round) -> None:
    path = filled(fresh, "0101", "a.xlsx")
    edit_meta(path, lambda meta: meta.cell(1, 2, "round"))
    path2 = filled(fresh, "0102", "b.xlsx")

    def duplicate(meta: Worksheet) -> None:
        for col in range(1, 13):
            meta.cell(6, col, meta.cell(2, col).value)

    edit_meta(path2, duplicate)
    report = run(fresh)
    assert flat(report, "a.xlsx") == [("_meta", None, "meta-damaged")]
    assert flat(report, "b.xlsx") == [("_meta", "A6", "duplicate-form")]


# -- hostile and broken files ---------------------------------------------------------------


def hostile_files(round_: Round) -> dict[str, tuple[Path, list[str], str]]:
    """name → (path, expected codes, status)."""
    inbox = round_.paths.inbox
    good, _ = pack_of(round_, "0101")
    data = good.read_bytes()
    (inbox / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (inbox / "empty.xlsx").write_bytes(b"")
    (inbox / "page.xls").write_text("<html><body><table><tr><td>95</td></tr></table></body></html>")
    (inbox / "scores.xlsx").write_text("代码,得分\n0101,95\n", encoding="utf-8")
    (inbox / "xml2003.xls").write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "</Workbook>")
    cases = {
        "bomb.xlsx": (crafted.zip_bomb(inbox / "bomb.xlsx"), ["decompression-limit"], "rejected"),
        "laughs.xlsx": (crafted.doctype_workbook(inbox / "laughs.xlsx", crafted.BILLION_LAUGHS),
                        ["xml-doctype"], "rejected"),
        "xxe.xlsx": (crafted.doctype_workbook(inbox / "xxe.xlsx", crafted.XXE), ["xml-doctype"],
                     "rejected"),
        "corner.xlsx": (crafted.doctype_workbook(inbox / "corner.xlsx", crafted.CORNER_CELLS),
                        ["used-range-too-large"], "rejected"),
        "noise.xlsx": (crafted.random_bytes(inbox / "noise.xlsx"), ["unknown-format"], "rejected"),
        "truncated.xlsx": (inbox / "truncated.xlsx", ["corrupt-file"], "rejected"),
        "empty.xlsx": (inbox / "empty.xlsx", ["empty-file"], "rejected"),
        "page.xls": (inbox / "page.xls", ["disguised-file"], "rejected"),
        "scores.xlsx": (inbox / "scores.xlsx", ["foreign-format"], "rejected"),  # CSV inside
        "xml2003.xls": (inbox / "xml2003.xls", ["disguised-file"], "rejected"),
        "locked.xlsx": (crafted.encrypted(good, inbox / "locked.xlsx"), ["encrypted-file"],
                        "rejected"),
        "garbage-inside.xlsx": (crafted.write_zip(inbox / "garbage-inside.xlsx", {
            "[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml at all"}),
            ["parse-failed"], "rejected"),
    }
    return cases


def test_hostile_files_among_good_ones(fresh: Round, sample_round: tuple[Round, GenerateResult],
                                       tmp_path: Path) -> None:
    # The good results alone, for comparison.
    alone = tmp_path / "alone"
    shutil.copytree(sample_round[0].paths.root, alone)
    alone_round = open_round(alone)
    for code in ("0101", "0102", "X01"):
        filled(alone_round, code, f"{code}.xlsx")
    run(alone_round)
    with Ledger(alone_round.paths.ledger) as ledger:
        expected = {k: v.payload for k, v in ledger.current_submissions().items()}

    for code in ("0101", "0102", "X01"):
        filled(fresh, code, f"{code}.xlsx")
    cases = hostile_files(fresh)
    started = time.monotonic()
    report = run(fresh)
    elapsed = time.monotonic() - started
    for name, (_, codes, status) in cases.items():
        assert [c for _, _, c in flat(report, name)] == codes, name
        assert status_of(report, name) == status, name
    for code in ("0101", "0102", "X01"):
        assert status_of(report, f"{code}.xlsx") == "accepted"
    with Ledger(fresh.paths.ledger) as ledger:
        assert {k: v.payload for k, v in ledger.current_submissions().items()} == expected
    assert elapsed < 30


def test_a_file_that_overruns_the_parse_time_costs_only_itself(fresh: Round) -> None:
    toml = fresh.paths.config.read_text("utf-8").replace("parse_seconds = 30",
                                                          "parse_seconds = 0.000001")
    fresh.paths.config.write_text(toml, "utf-8")
    filled(fresh, "0101", "0101.xlsx")
    report = run(open_round(fresh.paths.root))
    assert flat(report, "0101.xlsx") == [(None, None, "parse-aborted")]
    assert report.files[0].issues[0].message("zh-CN") == (
        "读取工作簿超出了时间或内存限制（> 1e-06 s），已中止，其他文件不受影响。")


def test_macros_links_and_embeddings_are_ignored_with_warnings(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    crafted.with_extra_parts(path, fresh.paths.inbox / "0101.xlsm", {
        "xl/vbaProject.bin": b"\x00" * 64,
        "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
        "xl/embeddings/oleObject1.bin": b"\x00" * 64,
    })
    path.unlink()
    report = run(fresh)
    assert flat(report, "0101.xlsm") == [
        (None, None, "embedded-content-ignored"), (None, None, "external-links-ignored"),
        (None, None, "macros-ignored")]
    assert status_of(report, "0101.xlsm") == "accepted-with-warnings"


def lying_part(size: int) -> bytes:
    """A workbook whose sheet part inflates to ``size`` bytes but declares 1,000."""
    buffer = io.BytesIO()
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr(sheet, b"<worksheet>" + b" " * size + b"</worksheet>")
    data = bytearray(buffer.getvalue())
    # The uncompressed size, in the local header (offset 22) and the central directory (24).
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                         (b"PK\x01\x02", 24, 28, 46)):
        at = data.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", data, at + name_length_at)
            if data[at + name_at:at + name_at + length] == sheet.encode():
                struct.pack_into("<I", data, at + size_at, 1000)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_part_larger_than_declared_is_never_inflated_whole() -> None:
    data = lying_part(64 * 2**20)
    tracemalloc.start()
    try:
        found = precheck_bytes(data, "lying.xlsx", Limits())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(i.code, dict(i.params)) for i in found.issues] == [
        ("corrupt-file", {"reason": "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"})]
    assert peak < 8 * 2**20


def found_issues(data: bytes, limits: Limits | None = None) -> list[tuple[str, dict[str, object]]]:
    found = precheck_bytes(data, "book.xlsx", limits or Limits())
    return [(i.code, dict(i.params)) for i in found.issues]


def big_sheet(rows: int, last: str = "", doctype_at_end: bool = False) -> str:
    """A sheet of ``rows`` rows of two cells (over a megabyte from 20,000 rows), ``last``
    a cell reference after them, and a DOCTYPE-like declaration at the very end."""
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>'
                   f'{"第" * 8}{r}</t></is></c></row>' for r in range(1, rows + 1))
    if last:
        body += f'<row r="{rows + 1}"><c r="{last}"><v>1</v></c></row>'
    tail = "<!DOCTYPE x>" if doctype_at_end else ""
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>{tail}')


def test_large_parts_are_scanned_to_their_end(tmp_path: Path) -> None:
    limits = Limits(max_rows=30_000, max_columns=30)
    clean = crafted.doctype_workbook(tmp_path / "clean.xlsx", big_sheet(25_000)).read_bytes()
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 2 * 2**20
    assert found_issues(clean, limits) == []
    wide = crafted.doctype_workbook(tmp_path / "wide.xlsx", big_sheet(25_000, "AE25001"))
    assert found_issues(wide.read_bytes(), limits) == [("used-range-too-large", {
        "part": "xl/worksheets/sheet1.xml", "detail": "25001 rows × 31 columns, 50001 cells"})]
    # Cells are counted once each, however the part is cut into chunks.
    exact = Limits(max_rows=30_000, max_columns=30, max_cells=50_000)
    assert found_issues(clean, exact) == []
    more = crafted.doctype_workbook(tmp_path / "more.xlsx", big_sheet(25_000, "C25001"))
    assert found_issues(more.read_bytes(), exact) == [("used-range-too-large", {
        "part": "xl/worksheets/sheet1.xml", "detail": "25001 rows × 3 columns, 50001 cells"})]
    late = crafted.doctype_workbook(tmp_path / "late.xlsx", big_sheet(25_000, doctype_at_end=True))
    assert found_issues(late.read_bytes(), limits) == [
        ("xml-doctype", {"part": "xl/worksheets/sheet1.xml"})]


def test_stored_parts_are_checked_like_deflated_ones(tmp_path: Path) -> None:
    parts = crafted.read_parts(crafted.doctype_workbook(tmp_path / "x.xlsx", crafted.XXE))

    def stored(parts: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    assert found_issues(stored(parts)) == [("xml-doctype", {"part": "xl/worksheets/sheet1.xml"})]
    parts["xl/worksheets/sheet1.xml"] = sheet_with(["A1", "B2"]).encode()
    assert found_issues(stored(parts)) == []


def raw_zip(parts: dict[str, tuple[bytes, bytes]]) -> bytes:
    """A zip of parts given as (content, its raw deflate stream, however it was made)."""
    body, directory = bytearray(), bytearray()
    for name, (content, packed) in parts.items():
        encoded = name.encode()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, zlib.crc32(content), len(packed),
                  len(content), len(encoded))
        directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0,
                                 len(body)) + encoded
        body += struct.pack("<4s5H3I2H", b"PK\x03\x04", *fields, 0) + encoded + packed
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(parts), len(parts),
                      len(directory), len(body), 0)
    return bytes(body + directory + end)


def deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def test_a_part_padded_with_empty_blocks_is_still_scanned_whole() -> None:
    # The sheet inflates in two runs with 200 KB of empty deflate blocks between them, so the
    # reader gets nothing from a whole step of input; a DOCTYPE split across the gap is found.
    first = b'<?xml version="1.0"?>' + b"<!-- " + b"x" * (2 * 2**20) + b" --><!DOC"
    second = b"TYPE x><worksheet/>"
    head = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = (head.compress(first) + head.flush(zlib.Z_SYNC_FLUSH)
              + b"\x00\x00\x00\xff\xff" * 40_000 + deflated(second))
    assert zlib.decompressobj(-15).decompress(packed) == first + second
    data = raw_zip({
        "[Content_Types].xml": (b"<Types/>", deflated(b"<Types/>")),
        "xl/workbook.xml": (b"<workbook/>", deflated(b"<workbook/>")),
        "xl/worksheets/sheet1.xml": (first + second, packed),
    })
    assert found_issues(data) == [("xml-doctype", {"part": "xl/worksheets/sheet1.xml"})]


def test_a_split_across_short_pieces_is_still_found() -> None:
    # Empty blocks end each input step, so the sheet inflates as "…<!DOC", "TY", "PE x>…":
    # the overlap carried from chunk to chunk must reach back past the short piece.
    step = 1 << 16

    def to_step_end(packed: bytes) -> bytes:
        padding = (-len(packed)) % step
        while padding % 5:
            padding += step
        return packed + b"\x00\x00\x00\xff\xff" * (padding // 5)

    pieces = [b'<?xml version="1.0"?><!-- ' + b"x" * 2**20 + b" --><!DOC", b"TY",
              b"PE x><worksheet/>"]
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = to_step_end(packer.compress(pieces[0]) + packer.flush(zlib.Z_SYNC_FLUSH))
    packed = to_step_end(packed + packer.compress(pieces[1]) + packer.flush(zlib.Z_SYNC_FLUSH))
    packed += packer.compress(pieces[2]) + packer.flush()
    content = b"".join(pieces)
    assert zlib.decompressobj(-15).decompress(packed) == content
    data = raw_zip({
        "[Content_Types].xml": (b"<Types/>", deflated(b"<Types/>")),
        "xl/workbook.xml": (b"<workbook/>", deflated(b"<workbook/>")),
        "xl/worksheets/sheet1.xml": (content, packed),
    })
    assert found_issues(data) == [("xml-doctype", {"part": "xl/worksheets/sheet1.xml"})]


def test_output_held_back_at_the_end_of_the_input_is_read() -> None:
    # The last 64 KB of compressed input inflates to more than 1 MiB: the inflater has read
    # all its input while output is still waiting inside it. Found by search: at these exact
    # sizes an earlier pre-check called a sound workbook truncated.
    rng = random.Random(7)
    noise = bytes(rng.getrandbits(8) for _ in range(200_000)).hex().encode()
    content = (b'<?xml version="1.0"?><worksheet><!--' + noise + b" " * 2_033_030
               + b"--></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", content)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert archive.read("xl/worksheets/sheet1.xml") == content
    assert found_issues(buffer.getvalue()) == []


def test_deflate_data_that_does_not_inflate_is_corrupt(fresh: Round) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b"<row/>" * 1000
                         + b"</worksheet>")
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename)
    data[start:start + 8] = b"\xff" * 8  # an invalid block type
    (fresh.paths.inbox / "bad.xlsx").write_bytes(bytes(data))
    good = filled(fresh, "0102", "0102.xlsx")
    report = run(fresh)
    bad = next(f for f in report.files if f.record.name == "bad.xlsx")
    assert (bad.status, [(i.code, dict(i.params)) for i in bad.issues]) == ("rejected", [
        ("corrupt-file", {"reason": "Error -3 while decompressing data: invalid block type"})])
    assert status_of(report, good.name) == "accepted"  # the run went on


def test_a_part_declared_empty_is_not_inflated(tmp_path: Path) -> None:
    data = bytearray(crafted.doctype_workbook(tmp_path / "x.xlsx", sheet_with(["A1"])).read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # the sheet's central directory entry: uncompressed size 0
        (length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46:at + 46 + length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, at + 24, 0)
        at = data.find(b"PK\x01\x02", at + 4)
    assert found_issues(bytes(data)) == [
        ("corrupt-file", {"reason": "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"})]


def test_a_part_cut_short_is_corrupt(tmp_path: Path) -> None:
    data = crafted.doctype_workbook(tmp_path / "x.xlsx", big_sheet(100)).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename)
    # Half the sheet's compressed data is zeroed: it no longer inflates to its declared size.
    cut = data[:start + info.compress_size // 2] + bytes(info.compress_size - info.compress_size // 2)
    cut += data[start + info.compress_size:]
    assert [code for code, _ in found_issues(cut)] == ["corrupt-file"]


def test_file_over_the_size_limit_is_not_read(fresh: Round) -> None:
    toml = fresh.paths.config.read_text("utf-8").replace("max_file_mb = 25", "max_file_mb = 1")
    fresh.paths.config.write_text(toml, "utf-8")
    crafted.random_bytes(fresh.paths.inbox / "huge.xlsx", size=2 * 2**20)
    report = run(open_round(fresh.paths.root))
    assert flat(report, "huge.xlsx") == [(None, None, "file-too-large")]
    assert report.files[0].record.archive == ""
    assert report.files[0].issues[0].message("zh-CN") == "文件大小 2.0 MB 超过上限 1 MB，未予读取。"


def test_reader_survives_timeouts_and_memory_exhaustion(
    sample_round: tuple[Round, GenerateResult], tmp_path: Path
) -> None:
    round_, result = sample_round
    good = round_.paths.outbox / result.packs[0].file
    # Cells at A1 and XFD1048576 only: calamine allocates the whole grid and runs out of memory
    # (without the sandbox this aborts the whole process).
    corner = crafted.doctype_workbook(tmp_path / "corner.xlsx", crafted.CORNER_CELLS)
    with SandboxedReader(seconds=60, memory_bytes=256 * 2**20) as reader:
        assert isinstance(reader.read(good), Extract)
        failure = reader.read(corner)
        assert isinstance(failure, ReadFailure) and failure.code == "parse-aborted"
        assert isinstance(reader.read(good), Extract)  # a new worker takes over
    with SandboxedReader(seconds=0.000001, memory_bytes=256 * 2**20) as reader:
        assert reader.read(good) == ReadFailure("parse-aborted", "> 1e-06 s")


@pytest.mark.parametrize("isolation", ISOLATIONS, ids=ISOLATION_IDS)
def test_a_file_over_the_memory_limit_costs_only_itself(
    sample_round: tuple[Round, GenerateResult], tmp_path: Path, isolation: WorkerIsolation
) -> None:
    round_, result = sample_round
    good = round_.paths.outbox / result.packs[0].file
    wide = crafted.doctype_workbook(tmp_path / "wide.xlsx", crafted.WIDE_CELLS)
    with SandboxedReader(seconds=60, memory_bytes=256 * 2**20, isolation=isolation) as reader:
        assert isinstance(reader.read(good), Extract)
        # Capped address space: calamine's allocation fails and it aborts; watchdog: the
        # worker is ended once past its limit. Either way: parse-aborted.
        assert reader.read(wide) == ReadFailure("parse-aborted", (
            f"memory (worker exit {-signal.SIGABRT})" if isolation.memory_guard == RLIMIT
            else "memory (> 256 MB)"))
        assert isinstance(reader.read(good), Extract)  # a new worker takes over


# -- resubmission, duplicates, partial packs, concurrency -------------------------------------


def test_duplicate_bytes_are_counted_once(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    first = run(fresh)
    shutil.copy(path, fresh.paths.inbox / "again.xlsx")
    second = run(fresh)
    assert [f.status for f in first.files] == ["accepted"]
    assert sorted((f.record.name, f.status) for f in second.files) == [
        ("0101.xlsx", "duplicate"), ("again.xlsx", "duplicate")]
    assert second.current_forms == 4
    with Ledger(fresh.paths.ledger) as ledger:
        assert len(ledger.files()) == 1
        assert ledger.sightings() == 2
    assert len(list(fresh.paths.archive.rglob("*.xlsx"))) == 1
    assert not list(fresh.paths.archive.glob(".incoming-*"))


def test_the_same_bytes_twice_in_one_run_are_archived_once(fresh: Round) -> None:
    import os

    path = filled(fresh, "0101", "0101.xlsx")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    copy = fresh.paths.inbox / "副本.XLS"  # another name and suffix, the same bytes
    shutil.copy(path, copy)
    os.utime(copy, (1_700_000_100, 1_700_000_100))
    report = run(fresh)
    assert [(f.record.name, f.status) for f in report.files] == [
        ("0101.xlsx", "accepted"), ("副本.XLS", "duplicate")]
    assert report.files[1].record.archive == report.files[0].record.archive
    sha = report.files[0].record.sha256
    assert {p.relative_to(fresh.paths.archive).as_posix()
            for p in fresh.paths.archive.rglob("*") if p.is_file()} == {
        f"{sha[:2]}/{sha}.xlsx", "arrivals.jsonl"}
    # Where it first came from, in the arrivals journal: one line, for the first copy.
    lines = (fresh.paths.archive / "arrivals.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [{
        "format": "sheetops-arrival-1", "sha256": sha, "name": "0101.xlsx",
        "source": str(path), "sender": None, "received_at": NOW.isoformat(),
        "claimed_at": "2023-11-14T22:13:20+00:00", "subject": None, "message_id": None,
        "recipient": None}]


def test_a_journal_line_cut_short_by_a_stop_costs_only_itself(fresh: Round) -> None:
    first = filled(fresh, "0101", "0101.xlsx")
    run(fresh)
    journal = fresh.paths.archive / "arrivals.jsonl"
    whole = journal.read_bytes()
    journal.write_bytes(whole + b'{"format": "sheetops-arrival-1", "sha256": "ab')  # cut short
    filled(fresh, "0102", "0102.xlsx")
    first.unlink()
    report = run(fresh)
    assert [(f.record.name, f.status) for f in report.files] == [("0102.xlsx", "accepted")]
    lines = journal.read_bytes().split(b"\n")
    assert lines[0] + b"\n" == whole and lines[-1] == b""
    assert lines[1].endswith(b'"sha256": "ab')  # the cut line stays, ended
    assert [e["name"] for e in read_arrivals(fresh.paths.archive)] == ["0101.xlsx", "0102.xlsx"]


def test_resubmission_supersedes(fresh: Round) -> None:
    import os

    first = filled(fresh, "0101", "first.xlsx",
                   score=lambda f, i, item: float(item.max) - 0.5 if i == 0 else float(item.max))
    os.utime(first, (1_700_000_000, 1_700_000_000))
    second = filled(fresh, "0101", "second.xlsx")
    os.utime(second, (1_700_000_100, 1_700_000_100))
    report = run(fresh)
    assert [(f.record.name, f.status) for f in report.files] == [
        ("first.xlsx", "superseded"), ("second.xlsx", "accepted")]
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
        assert current["self-0101"].sha256 == report.files[1].record.sha256
        assert len(ledger.submissions()) == 8
    archived = sorted(p.name for p in fresh.paths.archive.rglob("*.xlsx"))
    assert len(archived) == 2  # the earlier one stays archived


def test_which_return_is_newer_is_decided_by_arrival_not_by_the_senders_clock(
        fresh: Round, tmp_path: Path) -> None:
    import datetime as dt

    # A copy dated 2100 arrives first; the branch's correction comes in a later collect as a
    # .zip whose members are dated 1980, as some zip tools write them.
    forged = filled(fresh, "0101", "0101.xlsx",
                    score=lambda f, i, item: float(item.max) - 0.5 if i == 0 else float(item.max))
    os.utime(forged, (4_102_444_800, 4_102_444_800))  # 2100-01-01
    first_seen = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    first = collect_round(fresh, now=first_seen, workers=1)
    forged.unlink()
    correction = filled(fresh, "0101", "correction.xlsx")
    data = correction.read_bytes()
    correction.unlink()
    with zipfile.ZipFile(fresh.paths.inbox / "更正.zip", "w") as archive:
        archive.writestr(zipfile.ZipInfo("0101-更正.xlsx", date_time=(1980, 1, 1, 0, 0, 0)), data)
    second = collect_round(fresh, now=first_seen + dt.timedelta(days=1), workers=1)
    assert [(f.record.name, f.status) for f in second.files] == [("0101-更正.xlsx", "accepted")]
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
        files = {f.name: f for f in ledger.files()}
    assert current["self-0101"].sha256 == second.files[0].record.sha256
    assert {form.sha256 for form in current.values()} == {second.files[0].record.sha256}
    # What the senders' side claimed is kept beside, as evidence.
    assert [(name, f.received_at, f.claimed_at) for name, f in files.items()] == [
        ("0101.xlsx", "2026-12-01T09:00:00+00:00", "2100-01-01T00:00:00+00:00"),
        ("0101-更正.xlsx", "2026-12-02T09:00:00+00:00", "1980-01-01T00:00:00+00:00")]
    assert first.files[0].to_json("zh-CN")["claimed_at"] == "2100-01-01T00:00:00+00:00"


def test_rejected_resubmission_keeps_the_accepted_form(fresh: Round) -> None:
    import os

    good = filled(fresh, "0101", "good.xlsx")
    os.utime(good, (1_700_000_000, 1_700_000_000))
    bad = filled(fresh, "0101", "bad.xlsx", edits={"自评": {"F7": "很好"}})
    os.utime(bad, (1_700_000_100, 1_700_000_100))
    report = run(fresh)
    # The peer forms of good.xlsx are superseded, but its self form still counts.
    assert [(f.record.name, f.status) for f in report.files] == [
        ("good.xlsx", "accepted"), ("bad.xlsx", "accepted-with-warnings")]
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
    assert current["self-0101"].sha256 == report.files[0].record.sha256
    assert current["peer-0101-0102"].sha256 == report.files[1].record.sha256


def test_partly_filled_pack(fresh: Round) -> None:
    filled(fresh, "0101", "0101.xlsx", skip=("peer-0101-0110", "peer-0101-0112"))
    report = run(fresh)
    assert flat(report, "0101.xlsx") == [
        ("互评-0110", None, "form-not-filled"), ("互评-0112", None, "form-not-filled")]
    assert status_of(report, "0101.xlsx") == "accepted-with-warnings"
    result = CliRunner().invoke(main, ["status", str(fresh.paths.root), "--json"])
    document = json.loads(result.stdout)
    forms = {f["form_id"]: f["status"] for r in document["recipients"] for f in r["forms"]}
    assert forms["self-0101"] == "accepted"
    assert forms["peer-0101-0102"] == "accepted"
    assert forms["peer-0101-0110"] == "missing"
    assert document["counts"] == {"accepted": 2, "accepted-with-warnings": 0, "held": 0,
                                  "rejected": 0, "missing": 58}


def test_untouched_pack_is_rejected(fresh: Round) -> None:
    source, _ = pack_of(fresh, "0101")
    shutil.copy(source, fresh.paths.inbox / "blank.xlsx")
    report = run(fresh)
    assert [c for _, _, c in flat(report, "blank.xlsx")] == [
        "nothing-filled", *["form-not-filled"] * 4]
    assert status_of(report, "blank.xlsx") == "rejected"


def _collect_in_child(root: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    report = collect_round(open_round(Path(root)), now=NOW)
    queue.put(sorted((f.record.name, f.status) for f in report.files))


def test_two_concurrent_collects(fresh: Round) -> None:
    for code in ("0101", "0102", "0103", "X01"):
        filled(fresh, code, f"{code}.xlsx")
    context = multiprocessing.get_context(worker_isolation().start_method)
    queue: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [context.Process(target=_collect_in_child, args=(str(fresh.paths.root), queue))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join()
    statuses = sorted(s for result in results for _, s in result)
    assert statuses == ["accepted"] * 4 + ["duplicate"] * 4
    with Ledger(fresh.paths.ledger) as ledger:
        assert len(ledger.files()) == 4
        assert len(ledger.submissions()) == 3 * 4 + 6
        assert len(ledger.current_submissions()) == 18


def test_collect_json_is_the_library_result(fresh: Round) -> None:
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {"F7": "很好"}})
    result = CliRunner().invoke(main, ["collect", str(fresh.paths.root), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["round"] == "2026-year-end"
    [entry] = document["files"]
    assert set(entry) >= {"sha256", "forms", "status", "issues"}
    assert entry["status"] == "accepted-with-warnings"
    assert entry["issues"][0] == {
        "code": "score-not-number", "severity": "error", "sheet": "自评", "cell": "F7",
        "message": "第1项“支部委员会坚持集体学习，深入学习…”的得分“很好”不是数字。",
        "params": {"item": "第1项“支部委员会坚持集体学习，深入学习…”", "value": "很好"}}
    assert document["counts"] == {"accepted": 0, "accepted-with-warnings": 1, "held": 0,
                                  "rejected": 0, "duplicate": 0, "superseded": 0}


def test_collect_text_output_and_rejection_report(fresh: Round) -> None:
    (fresh.paths.inbox / "empty.xlsx").write_bytes(b"")
    path = filled(fresh, "0101", "0101.xlsx")
    book = openpyxl.load_workbook(path)
    book["自评"]["F7"] = "=1+1"
    book["自评"]["F7"].data_type = "s"  # typed as text, as after a leading apostrophe
    book.save(path)
    for received in (path, fresh.paths.inbox / "empty.xlsx"):  # same time: ordered by name
        os.utime(received, (1_700_000_000, 1_700_000_000))
    result = CliRunner().invoke(main, ["collect", str(fresh.paths.root)])
    assert result.exit_code == 0
    root = fresh.paths.root
    report = root / "reports" / "rejections-2026-year-end.xlsx"
    assert result.output.splitlines() == [
        "本次收到 2 个文件：采用 1 个（其中 1 个有提示），退回 1 个，重复 0 个，已被新版本替代 0 个。",
        "评分表：应交 60 张，已采用 3 张，尚缺 57 张。",
        "部分退回：0101.xlsx（发件人不明），其中 1 张表被退回，其余已采用",
        "    自评 F7: 第1项“支部委员会坚持集体学习，深入学习…”的得分“=1+1”不是数字。",
        "退回：empty.xlsx（发件人不明）",
        "    文件是空的（0 字节），可能保存或上传时出错。",
        f"退回和提示清单：{report}",
        f"下一步：运行 sheetops status {root} 查看缺交清单",
    ]
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["汇总", "退回和提示"]
    sheet = book["退回和提示"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows[0] == ["填报单位代码", "填报单位", "工作表", "类别", "问题", "涉及单元格", "处数",
                       "问题说明", "处理办法", "表格编号", "文件名", "收到时间", "文件状态",
                       "表格状态", "问题代码", "文件指纹（SHA-256）", "替代文件"]
    assert [row[:7] for row in rows[1:]] == [
        ["0101", "机关办公室党支部", "自评", "错误", "得分不是数字", "F7", 1],
        ["", "（未能确定单位）", "", "错误", "空文件", "", 1]]
    assert rows[1][7] == "第1项“支部委员会坚持集体学习，深入学习…”的得分“=1+1”不是数字。"
    assert [row[14] for row in rows[1:]] == ["score-not-number", "empty-file"]
    for book_sheet in book.worksheets:
        for row in book_sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"  # text from returned files is never a formula
    listing = list(csv.reader(io.StringIO(
        (root / "reports" / "rejections-2026-year-end.csv").read_text("utf-8-sig"))))
    assert [line[9:12] for line in listing] == [
        ["单元格", "类别", "问题代码"], ["F7", "错误", "score-not-number"],
        ["", "错误", "empty-file"]]
    assert "'=1+1" not in listing[1][13] and "“=1+1”" in listing[1][13]


def test_the_rejection_report_summarises_groups_cells_and_lists_every_cell(
    fresh: Round,
) -> None:
    (fresh.paths.inbox / "empty.xlsx").write_bytes(b"")
    lowered = filled(fresh, "0101", "0101.xlsx",  # three deductions unexplained, one error
                     edits={"自评": {"F7": 1, "F9": 1, "F11": 1, "F8": "很好"}})
    once = filled(fresh, "0102", "0102.xlsx", edits={"自评": {"F7": 1}})
    for second, path in enumerate((lowered, once, fresh.paths.inbox / "empty.xlsx")):
        os.utime(path, (1_700_000_000 + second, 1_700_000_000 + second))
    report = run(fresh)
    assert report.rejection_report is not None
    book = openpyxl.load_workbook(report.rejection_report)
    summary = book["汇总"]
    rows = [list(row) for row in summary.iter_rows(values_only=True)]
    assert rows[0][0] == "2026年度党支部建设目标管理年终考核：退回和提示清单"
    assert rows[2][0] == ("每张表的问题见“退回和提示”工作表（同一问题的单元格合为一行）；"
                          "逐个单元格的完整清单见同一文件夹中的 rejections-2026-year-end.csv。")
    # The issue codes are beside the printed columns, for lookup.
    assert summary.print_area == "'汇总'!$A$1:$G$20"
    assert [row[:8] for row in rows[4:]] == [
        ["一、按问题类型统计", None, None, None, None, None, None, None],
        ["问题", "类别", "处数", "涉及表格", "涉及单位", None, None, "问题代码"],
        ["缺少扣分说明", "提示", 4, 2, 2, None, None, "note-missing"],
        ["空文件", "错误", 1, 1, 1, None, None, "empty-file"],
        ["得分不是数字", "错误", 1, 1, 1, None, None, "score-not-number"],
        [None] * 8,
        ["二、须改正后重新报送的单位（错误多的在前，请逐一通知）", *[None] * 7],
        ["序号", "填报单位", "填报单位代码", "支部书记及电话", "电子邮箱", "错误处数", "退回文件", None],
        [1, "机关办公室党支部", "0101", "王建国 13800000101", "dzb0101@dangjian.example.cn", 1, 0, None],
        [2, "（未能确定单位）", "", "", "", 1, 1, None],
        [None] * 8,
        ["三、各单位问题统计", *[None] * 7],
        ["填报单位代码", "填报单位", "文件数", "错误处数", "提示处数", "须重新报送", None, None],
        ["0101", "机关办公室党支部", 1, 1, 3, "是", None, None],
        ["0102", "组织人事处党支部", 1, 0, 1, "", None, None],
        ["", "（未能确定单位）", 1, 1, 0, "是", None, None],
    ]
    detail = book["退回和提示"]
    assert detail.print_area == "'退回和提示'!$A$1:$I$8"  # the columns a person reads
    assert detail.freeze_panes == "C5"
    sha = {f.record.name: f.record.sha256 for f in report.files}
    assert [list(row) for row in detail.iter_rows(min_row=5, values_only=True)] == [
        ["0101", "机关办公室党支部", "自评", "提示", "缺少扣分说明", "G7、G9、G11", 3,
         "共 3 处。第一处：第1项“支部委员会坚持集体学习，深入学习…”得 1 分（满分 3），但没有写扣分说明。",
         "在“扣分说明”栏写明扣分原因。", "self-0101", "0101.xlsx", "2026-11-27 17:30",
         "已采用（有提示）", "退回", "note-missing", sha["0101.xlsx"], ""],
        ["0101", "机关办公室党支部", "自评", "错误", "得分不是数字", "F8", 1,
         "第2项“坚持民主集中制，重要事项经支部委…”的得分“很好”不是数字。",
         "用阿拉伯数字填写得分，例如 4.5。", "self-0101", "0101.xlsx",
         "2026-11-27 17:30", "已采用（有提示）", "退回", "score-not-number", sha["0101.xlsx"],
         ""],
        ["0102", "组织人事处党支部", "自评", "提示", "缺少扣分说明", "G7", 1,
         "第1项“支部委员会坚持集体学习，深入学习…”得 1 分（满分 3），但没有写扣分说明。",
         "在“扣分说明”栏写明扣分原因。", "self-0102", "0102.xlsx", "2026-11-27 17:30",
         "已采用（有提示）", "已采用（有提示）", "note-missing", sha["0102.xlsx"], ""],
        ["", "（未能确定单位）", "", "错误", "空文件", "", 1,
         "文件是空的（0 字节），可能保存或上传时出错。", "重新保存工作簿后再发送。", "",
         "empty.xlsx", "2026-11-27 17:30", "退回", "", "empty-file", sha["empty.xlsx"], ""],
    ]
    raw = (fresh.paths.reports / "rejections-2026-year-end.csv").read_bytes()
    assert raw.startswith("\ufeff填报单位代码,".encode())  # a BOM: Excel reads it as UTF-8
    listing = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert listing[0] == ["填报单位代码", "填报单位", "文件名", "发件人", "收到时间", "文件状态",
                          "表格编号", "表格状态", "工作表", "单元格", "类别", "问题代码", "问题",
                          "问题说明", "处理办法", "文件指纹（SHA-256）", "替代文件"]
    assert [(line[0], line[2], line[7], line[8], line[9], line[11])
            for line in listing[1:]] == [
        ("0101", "0101.xlsx", "退回", "自评", "G7", "note-missing"),
        ("0101", "0101.xlsx", "退回", "自评", "G9", "note-missing"),
        ("0101", "0101.xlsx", "退回", "自评", "G11", "note-missing"),
        ("0101", "0101.xlsx", "退回", "自评", "F8", "score-not-number"),
        ("0102", "0102.xlsx", "已采用（有提示）", "自评", "G7", "note-missing"),
        ("", "empty.xlsx", "", "", "", "empty-file"),
    ]
    assert listing[2][13] == "第3项“落实党建工作责任制，支部书记履行…”得 1 分（满分 4），但没有写扣分说明。"


def test_rows_past_a_worksheet_are_in_the_csv_only(fresh: Round,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sheetops.reports.rejections.MAX_ROWS", 4 + 2)  # room for two rows
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {"F7": 1, "F8": "很好"}})
    filled(fresh, "0102", "0102.xlsx", edits={"自评": {"F7": 1}})
    report = run(fresh)
    assert report.rejection_report is not None
    detail = openpyxl.load_workbook(report.rejection_report)["退回和提示"]
    assert [(row[0], row[14]) for row in detail.iter_rows(min_row=5, values_only=True)] == [
        ("0101", "note-missing"), ("0101", "score-not-number")]
    listing = list(csv.reader(io.StringIO(
        (fresh.paths.reports / "rejections-2026-year-end.csv").read_text("utf-8-sig"))))
    assert [(line[0], line[11]) for line in listing[1:]] == [
        ("0101", "note-missing"), ("0101", "score-not-number"), ("0102", "note-missing")]


def test_past_the_held_issues_they_are_read_back_from_the_ledger(
    fresh: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sheetops.app.collect import StoredIssues

    monkeypatch.setattr("sheetops.app.collect.HELD_ISSUES", 2)
    filled(fresh, "0101", "0101.xlsx", edits={"自评": {"F7": 1, "F9": 1}})  # 2: held
    filled(fresh, "0102", "0102.xlsx", edits={"自评": {"F7": 1, "F8": "很好"}})  # past them
    for second, name in enumerate(("0101.xlsx", "0102.xlsx")):
        os.utime(fresh.paths.inbox / name, (1_700_000_000 + second,) * 2)
    report = run(fresh)
    held, stored = report.files
    assert isinstance(held.issues, list) and isinstance(stored.issues, StoredIssues)
    assert len(stored.issues) == 2
    assert [(i.sheet, i.cell, i.code, i.form_id) for i in stored.issues] == [
        ("自评", "G7", "note-missing", "self-0102"), ("自评", "F8", "score-not-number", "self-0102")]
    assert stored.issues[1].message("zh-CN") == (
        "第2项“坚持民主集中制，重要事项经支部委…”的得分“很好”不是数字。")
    assert report.to_json()["files"][1]["issues"][0]["params"] == {
        "item": "第1项“支部委员会坚持集体学习，深入学习…”", "max": 3, "value": 1}


def test_a_rejected_correction_is_visible_and_superseded_files_stay_marked(
    fresh: Round,
) -> None:
    import os

    blank_source, _ = pack_of(fresh, "0102")
    blank = fresh.paths.inbox / "blank.xlsx"
    shutil.copy(blank_source, blank)
    os.utime(blank, (1_700_000_000, 1_700_000_000))
    good = filled(fresh, "0102", "good.xlsx")
    os.utime(good, (1_700_000_100, 1_700_000_100))
    bad = filled(fresh, "0102", "bad.xlsx", edits={"自评": {"F7": "很好"}})
    os.utime(bad, (1_700_000_200, 1_700_000_200))
    run(fresh)
    report = openpyxl.load_workbook(fresh.paths.reports / "rejections-2026-year-end.xlsx")
    # blank.xlsx was put right by good.xlsx (its self form) and bad.xlsx (its peer forms):
    # it stays, after the open file, its forms superseded, the later files named.
    later = "good.xlsx（2026-11-27 17:30 收到）；bad.xlsx（2026-11-27 17:30 收到）"
    settled = f"无须重新报送，已由之后收到的文件替代：{later}。"
    detail = report["退回和提示"]
    assert [(row[0], row[10], row[2], row[14], row[13], row[8], row[16])
            for row in detail.iter_rows(min_row=5, values_only=True)] == [
        ("0102", "bad.xlsx", "自评", "score-not-number", "退回",
         "用阿拉伯数字填写得分，例如 4.5。", ""),
        ("0102", "blank.xlsx", "", "nothing-filled", "", settled, later),
        ("0102", "blank.xlsx", "自评", "form-not-filled", "已被新版本替代", settled, later),
        *[("0102", "blank.xlsx", f"互评-{peer}", "form-not-filled", "已被新版本替代", settled,
           later) for peer in ("0107", "0110", "0112")]]
    assert [detail[f"A{row}"].font.color.rgb for row in (5, 6)] == ["FFC00000", "FF7F7F7F"]
    # The summary counts what is left to fix: bad.xlsx's one error, no rejected file.
    rows = [list(row[:7]) for row in report["汇总"].iter_rows(values_only=True)]
    assert rows[9:16] == [
        ["序号", "填报单位", "填报单位代码", "支部书记及电话", "电子邮箱", "错误处数", "退回文件"],
        [1, "组织人事处党支部", "0102", "李秀英 13800000102", "dzb0102@dangjian.example.cn", 1, 0],
        ["另有 1 个文件的各张表已由之后收到的文件改正，仍列在“退回和提示”工作表中（各单位的末尾，灰色），"
         "不计入以上统计，无须重新报送。", None, None, None, None, None, None],
        [None] * 7,
        ["三、各单位问题统计", None, None, None, None, None, None],
        ["填报单位代码", "填报单位", "文件数", "错误处数", "提示处数", "须重新报送", None],
        ["0102", "组织人事处党支部", 1, 1, 0, "是", None]]
    assert len(rows) == 16
    listing = list(csv.reader(io.StringIO(
        (fresh.paths.reports / "rejections-2026-year-end.csv").read_text("utf-8-sig"))))
    assert [(line[2], line[7], line[11], line[16]) for line in listing[1:]] == [
        ("bad.xlsx", "退回", "score-not-number", ""),
        ("blank.xlsx", "", "nothing-filled", later),
        *[("blank.xlsx", "已被新版本替代", "form-not-filled", later)] * 4]
    assert listing[2][14] == "填写后重新发送。"  # the CSV keeps each issue's own action
    result = CliRunner().invoke(main, ["status", str(fresh.paths.root)])
    assert "  ! self-0102  自评  已采用之前的版本；之后重交的版本被退回，请核实" in result.output
    document = json.loads(CliRunner().invoke(main, ["status", str(fresh.paths.root),
                                                    "--json"]).stdout)
    self_form = next(f for r in document["recipients"] for f in r["forms"]
                     if f["form_id"] == "self-0102")
    assert (self_form["status"], self_form["newer_rejected"]) == ("accepted", True)


def test_a_file_with_warnings_put_right_in_a_later_collect_stays_marked_superseded(
        fresh: Round) -> None:
    import datetime as dt

    filled(fresh, "0101", "first.xlsx", edits={"自评": {"F7": 1}})  # a deduction unexplained
    collect_round(fresh, now=NOW, workers=1)
    (fresh.paths.inbox / "first.xlsx").unlink()
    filled(fresh, "0101", "second.xlsx")
    collect_round(fresh, now=NOW + dt.timedelta(days=1, hours=1), workers=1)
    book = openpyxl.load_workbook(fresh.paths.reports / "rejections-2026-year-end.xlsx")
    # Every form of first.xlsx counts from second.xlsx now: the file is superseded, not gone.
    assert [(row[10], row[11], row[12], row[13], row[16])
            for row in book["退回和提示"].iter_rows(min_row=5, values_only=True)] == [
        ("first.xlsx", "2026-11-27 17:30", "已被新版本替代", "已被新版本替代",
         "second.xlsx（2026-11-28 18:30 收到）")]
    summary = [row[0] for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[7:11] == [
        "二、须改正后重新报送的单位（错误多的在前，请逐一通知）", "没有须重新报送的单位。",
        "另有 1 个文件的各张表已由之后收到的文件改正，仍列在“退回和提示”工作表中（各单位的末尾，灰色），"
        "不计入以上统计，无须重新报送。", None]


def test_wps_style_dimension_and_dropped_panes_do_not_hide_cells(fresh: Round) -> None:
    """WPS can declare a sheet dimension of A1:A1; headless LibreOffice drops frozen panes."""
    from sheetops.layout.scoresheet import scoresheet_layout

    layout = scoresheet_layout(fresh.scheme, "self")
    source, _ = pack_of(fresh, "0101")
    values: dict[str, object] = {f"F{row + 1}": float(fresh.scheme.items[i].max)
                                 for i, row in enumerate(layout.score_rows.values())}
    values.update({f"F{row + 1}": "否" for row in layout.veto_rows.values()})
    filled_xml = crafted.fill_xml(source, fresh.paths.root / "tmp.xlsx", 1, values)
    parts = crafted.read_parts(filled_xml)
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    import re

    sheet, dims = re.subn(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:A1"/>', sheet)
    sheet, panes = re.subn(r"<pane [^>]*/>", "", sheet)
    assert (dims, panes) == (1, 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    crafted.write_zip(fresh.paths.inbox / "wps.xlsx", parts)
    report = run(fresh)
    assert report.files[0].forms[0]["status"] in ("accepted", "accepted-with-warnings")
    with Ledger(fresh.paths.ledger) as ledger:
        scores = ledger.current_submissions()["self-0101"].payload["scores"]
    assert {k: Decimal(v) for k, v in scores.items()} == {i.id: i.max for i in fresh.scheme.items}


def sheet_with(refs: list[str]) -> str:
    rows = "".join(f'<row r="{"".join(ch for ch in ref if ch.isdigit()).lstrip("0") or 1}">'
                   f'<c r="{ref}"><v>1</v></c></row>' for ref in refs)
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')


@pytest.mark.parametrize("cell", [
    "<c r='XFD1048576'><v>1</v></c>",  # single quotes: valid XML, and calamine reads them
    '<c r = "XFD1048576"><v>1</v></c>',
    "<c\n\tr\t=\n'xfd1048576'><v>1</v></c>",
])
def test_a_corner_cell_is_caught_however_its_attribute_is_quoted(tmp_path: Path, cell: str,
                                                                  ) -> None:
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
             f"<row r='1048576'>{cell}</row></sheetData></worksheet>")
    data = crafted.doctype_workbook(tmp_path / "corner.xlsx", sheet).read_bytes()
    assert found_issues(data) == [("used-range-too-large", {
        "part": "xl/worksheets/sheet1.xml", "detail": "1048576 rows × 16384 columns, 2 cells"})]


@pytest.mark.parametrize(("refs", "detail"), [
    (["A1", "AD99"], None),  # the last row and column allowed
    (["A1", "AE1"], "1 rows × 31 columns, 2 cells"),
    (["A1", "B100"], "100 rows × 2 columns, 2 cells"),
    (["A1", "B00100"], "100 rows × 2 columns, 2 cells"),  # leading zeros
    (["a1", "ad99"], None),
    (["a1", "ae5"], "5 rows × 31 columns, 2 cells"),
    (["A1"] * 6, "1 rows × 1 columns, 6 cells"),  # too many cells, within the range
])
def test_used_range_limits_are_exact(tmp_path: Path, refs: list[str], detail: str | None,
                                     ) -> None:
    limits = Limits(max_rows=99, max_columns=30, max_cells=5)
    data = crafted.doctype_workbook(tmp_path / "range.xlsx", sheet_with(refs)).read_bytes()
    found = precheck_bytes(data, "range.xlsx", limits)
    expected = [] if detail is None else [("used-range-too-large", {
        "part": "xl/worksheets/sheet1.xml", "detail": detail})]
    assert [(i.code, dict(i.params)) for i in found.issues] == expected
