"""Stamped packs and handbooks are the workbooks XlsxWriter writes for them directly."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from functools import partial
from pathlib import Path
from typing import BinaryIO

import openpyxl
import pytest

from sheetops.app.generate import GenerateResult
from sheetops.core.identity import verify_identity
from sheetops.forms.formats import new_workbook
from sheetops.forms.handbook import HandbookWriter, write_handbook
from sheetops.forms.scoresheet import PackWriter, scoresheet_layout, write_pack
from sheetops.forms.stamp import Slots, Stamper, stampable, token, valid_sheet_name
from sheetops.intake.cells import read_meta
from sheetops.layout.handbook import table_rows
from sheetops.layout.packs import PackPlan, plan_handbooks, plan_packs
from sheetops.model.handbook import load_round_handbook
from sheetops.model.workspace import Round

GENERATED_AT = "2026-11-27T08:00:00+00:00"
# Both list the sheet-scoped names sorted by sheet name, which the placeholders sort otherwise:
# the same elements, possibly in another order.
REORDERED = {"xl/workbook.xml": r"<definedName [^>]*>[^<]*</definedName>",
             "docProps/app.xml": r"<vt:lpstr>[^<]*</vt:lpstr>"}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def assert_same_workbook(direct: Path, stamped: Path) -> None:
    """Every part equal; defined names and part titles equal up to their order."""
    expected, actual = parts(direct), parts(stamped)
    assert list(actual) == list(expected)
    for name, content in expected.items():
        if name in REORDERED and actual[name] != content:
            pattern = re.compile(REORDERED[name])
            want, got = content.decode(), actual[name].decode()
            assert sorted(pattern.findall(got)) == sorted(pattern.findall(want))
            assert pattern.sub("", got) == pattern.sub("", want)
        else:
            assert actual[name] == content, name


def renamed(pack: PackPlan, recipient_name: str, target_names: dict[str, str]) -> PackPlan:
    """The pack with its recipient, wherever named, and some rated branches renamed."""
    names = {**target_names, pack.recipient: recipient_name}
    forms = tuple(dataclasses.replace(
        form, rater_name=names.get(form.identity.rater, form.rater_name),
        target_name=names.get(form.identity.target, form.target_name)) for form in pack.forms)
    return dataclasses.replace(pack, recipient_name=recipient_name, forms=forms)


def test_every_pack_is_stamped_as_xlsxwriter_writes_it(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, _ = sample_round
    packs = plan_packs(round_.config, round_.scheme, round_.roster, GENERATED_AT)
    # Names XML must escape, and one long enough to wrap the instructions onto another line.
    packs[1] = renamed(packs[1], 'A&B "党支部" <一>', {packs[1].forms[1].identity.target:
                                                     "机关第二党支部（含离退休）" * 8})
    writer = PackWriter(round_.scheme, round_.config, round_.key)
    for pack in packs:
        writer.write(tmp_path / "stamped.xlsx", pack)
        write_pack(tmp_path / "direct.xlsx", pack, round_.scheme, round_.config, round_.key)
        assert_same_workbook(tmp_path / "direct.xlsx", tmp_path / "stamped.xlsx")
    # Three shapes, the first of each written directly: branch packs (self + 3 peers), one
    # with a taller instruction row, and inspector packs (6 forms each).
    assert (writer.stamper.direct, writer.stamper.prototypes) == (3, 3)
    assert writer.stamper.stamped == len(packs) - 3


def test_a_stamped_pack_reads_back_signed(sample_round: tuple[Round, GenerateResult],
                                          tmp_path: Path) -> None:
    round_, _ = sample_round
    pack = renamed(plan_packs(round_.config, round_.scheme, round_.roster, GENERATED_AT)[0],
                   "O'Neil & 子", {})
    writer = PackWriter(round_.scheme, round_.config, round_.key)
    # A name holding & is written twice: as it is, and doubled in the page headers.
    writer.write(tmp_path / "warm-up.xlsx", renamed(
        plan_packs(round_.config, round_.scheme, round_.roster, GENERATED_AT)[2], "甲 & 乙", {}))
    writer.write(tmp_path / "pack.xlsx", pack)
    assert writer.stamper.stamped == 1
    book = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    assert book.sheetnames == [form.sheet for form in pack.forms] + ["_meta"]
    assert book.properties.title == f"{round_.config.title} - O'Neil & 子"
    entries = read_meta([list(row) for row in book["_meta"].iter_rows(values_only=True)])
    assert entries is not None
    assert [(entry.sheet, entry.identity) for entry in entries] == [
        (form.sheet, form.identity) for form in pack.forms]
    assert all(verify_identity(round_.key, entry.identity, entry.sheet, entry.signature)
               for entry in entries)
    peer = pack.forms[1]
    assert book[peer.sheet]["A3"].value == (
        f"评分单位：{peer.rater_name}（{peer.identity.rater}）    "
        f"被评支部：{peer.target_name}（{peer.identity.target}）")
    assert book[peer.sheet]["I3"].value == peer.identity.form_id  # hidden, for the reader
    assert book[peer.sheet].oddHeader.center.text == f"O'Neil && 子对{peer.target_name}的互评表"
    row = scoresheet_layout(round_.scheme, "peer").score_rows["basics_dues"] + 1
    assert book[peer.sheet].defined_names["score_basics_dues"].attr_text == (
        f"'{peer.sheet}'!$F${row}")


def test_values_that_cannot_be_stamped_are_written_directly(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, _ = sample_round
    packs = plan_packs(round_.config, round_.scheme, round_.roster, GENERATED_AT)
    writer = PackWriter(round_.scheme, round_.config, round_.key)
    for name in (" 前导空格", "控制\x07字符", "像_x0041_转义"):
        pack = renamed(packs[0], name, {})
        writer.write(tmp_path / "pack.xlsx", pack)
        write_pack(tmp_path / "direct.xlsx", pack, round_.scheme, round_.config, round_.key)
        assert parts(tmp_path / "pack.xlsx") == parts(tmp_path / "direct.xlsx")
    assert (writer.stamper.direct, writer.stamper.prototypes) == (3, 0)


def test_a_header_too_long_for_the_names_is_written_directly(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, _ = sample_round
    packs = plan_packs(round_.config, round_.scheme, round_.roster, GENERATED_AT)
    writer = PackWriter(round_.scheme, round_.config, round_.key)
    writer.write(tmp_path / "warm-up.xlsx", packs[0])
    pack = renamed(packs[1], "机关第二党支部" * 40, {})
    writer.write(tmp_path / "pack.xlsx", pack)
    write_pack(tmp_path / "direct.xlsx", pack, round_.scheme, round_.config, round_.key)
    assert (writer.stamper.direct, writer.stamper.stamped) == (2, 0)
    assert_same_workbook(tmp_path / "direct.xlsx", tmp_path / "pack.xlsx")
    book = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    # Excel keeps 255 characters of a header: the role's name stands for the names.
    assert [book[form.sheet].oddHeader.center.text for form in pack.forms] == [
        "自评", "互评", "互评", "互评"]


def test_inspector_packs_showing_records_are_written_directly(
        sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> None:
    round_, _ = sample_round
    packs = plan_packs(round_.config, round_.scheme, round_.roster, GENERATED_AT)
    inspector = packs[-1]
    references = {inspector.forms[0].identity.target: {"basics_dues": "党费：按月交纳"}}
    writer = PackWriter(round_.scheme, round_.config, round_.key, references)
    writer.write(tmp_path / "stamped.xlsx", inspector)
    writer.write(tmp_path / "branch.xlsx", packs[0])
    assert (writer.stamper.direct, writer.stamper.stamped) == (2, 0)
    write_pack(tmp_path / "direct.xlsx", inspector, round_.scheme, round_.config, round_.key,
               references)
    assert parts(tmp_path / "stamped.xlsx") == parts(tmp_path / "direct.xlsx")


def test_handbooks_are_stamped_byte_for_byte(sample_round: tuple[Round, GenerateResult],
                                             tmp_path: Path) -> None:
    round_, _ = sample_round
    handbook = load_round_handbook(round_.paths)
    plans = plan_handbooks(round_.config, handbook, round_.roster, GENERATED_AT)
    plans[2] = dataclasses.replace(plans[2], secretary="")  # a blank cell, not a string
    plans[3] = dataclasses.replace(plans[3], name="<第四> & \"党支部\"")
    writer = HandbookWriter(handbook, round_.config, round_.key)
    for plan in plans:
        writer.write(tmp_path / "stamped.xlsx", plan)
        write_handbook(tmp_path / "direct.xlsx", plan, handbook, round_.config, round_.key)
        assert parts(tmp_path / "stamped.xlsx") == parts(tmp_path / "direct.xlsx")
    # One shape per roll size (the member counts give rolls of 20, 30, 40, 50, 60 and 90 rows),
    # the two branches of 20 apart: one has no secretary, the other an "&" in its name, which
    # page headers double (a value of its own).
    assert sorted({table_rows(handbook, p.members)["members"] for p in plans}) == [
        20, 30, 40, 50, 60, 90]
    assert (writer.stamper.direct, writer.stamper.prototypes) == (7, 7)
    assert writer.stamper.stamped == len(plans) - 7


def test_slots_group_equal_values_and_leave_empty_ones() -> None:
    slots = Slots.of(["甲", "0101", "", "0101", "乙"])
    assert slots.pattern == (0, 1, None, 1, 2)
    assert slots.values == ("甲", "0101", "乙")
    assert slots.tokens() == ["\ue0000\ue001", "\ue0001\ue001", "", "\ue0001\ue001",
                              "\ue0002\ue001"]


@pytest.mark.parametrize(("value", "expected"), [
    ("第一党支部", True), ("A&B <c> \"d\" 'e'", True), ("", True), (" a", False),
    ("a\n", False), ("tab\there", False), ("_x000D_", False), ("\ue000", False),
])
def test_stampable(value: str, expected: bool) -> None:
    assert stampable(value) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("互评-0101", True), ("x" * 31, True), ("x" * 32, False), ("a/b", False), ("'a", False),
    ("", False), ("a[1]", False),
])
def test_valid_sheet_name(name: str, expected: bool) -> None:
    assert valid_sheet_name(name) is expected


def small_book(stream: BinaryIO, title: str) -> None:
    book = new_workbook(stream, "zh-CN")
    book.add_worksheet("表").write_string(0, 0, title)
    book.close()


def test_a_prototype_that_does_not_reproduce_its_workbook_is_never_used(tmp_path: Path) -> None:
    unfaithful = Stamper()  # its prototype writes another text than the workbook has
    for value in ("甲", "乙"):
        unfaithful.write(tmp_path / "book.xlsx", "shape", [value], partial(small_book, title=value),
                         partial(small_book, title="丙" + token(0)))
    assert (unfaithful.direct, unfaithful.stamped, unfaithful.prototypes) == (2, 0, 0)
    faithful = Stamper()
    for value in ("甲", "乙"):
        faithful.write(tmp_path / f"{value}.xlsx", "shape", [value],
                       partial(small_book, title=value), partial(small_book, title=token(0)))
    assert (faithful.direct, faithful.stamped, faithful.prototypes) == (1, 1, 1)
    assert openpyxl.load_workbook(tmp_path / "乙.xlsx")["表"]["A1"].value == "乙"


def test_a_part_is_stamped_as_its_constant_head_compressed_once_and_its_filled_rest() -> None:
    import zlib

    from sheetops.forms.stamp import _Templated

    head = "<worksheet>" + "<row>常量</row>" * 500
    part = _Templated.of("xl/worksheets/sheet1.xml", [head, (0, False), "</worksheet>"])
    rest = "机关办公室党支部自评表</worksheet>".encode()
    stamped = part.stamped(rest)
    whole = head.encode() + rest
    assert zlib.decompress(stamped.data, -15) == whole  # one deflate stream
    assert (stamped.crc, stamped.size) == (zlib.crc32(whole), len(whole))
    assert part.head_size == len(head.encode())
    # A part that begins with a value has no constant head.
    bare = _Templated.of("x.xml", ["", (0, False), "!"])
    assert zlib.decompress(bare.stamped(b"v!").data, -15) == b"v!"
