"""Make returned workbooks the way branches (and attackers) do: fill, edit, break, disguise."""

from __future__ import annotations

import base64
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import openpyxl

from sheetops.layout.packs import PackPlan, plan_packs
from sheetops.layout.scoresheet import scoresheet_layout
from sheetops.model.scheme import Item, Scheme
from sheetops.model.workspace import Round

Scorer = Callable[[str, int, Item], object]


def full_marks(form_id: str, index: int, item: Item) -> object:
    """Every item at its maximum."""
    return float(item.max)


def fill_pack(
    source: Path,
    target: Path,
    pack: PackPlan,
    scheme: Scheme,
    *,
    score: Scorer = full_marks,
    veto: str = "否",
    skip: tuple[str, ...] = (),
    edits: Mapping[str, Mapping[str, object]] | None = None,
) -> Path:
    """Fill a generated pack with openpyxl, as a person typing would.

    Args:
        source: the generated pack.
        target: where to save the filled copy.
        pack: its plan (sheets and roles).
        scheme: the round's scheme.
        score: value per (form id, item index, item); below max gets a note.
        veto: the answer to every veto question.
        skip: form ids left untouched.
        edits: extra cell values per sheet name, applied last.
    """
    book = openpyxl.load_workbook(source)
    for form in pack.forms:
        if form.identity.form_id in skip:
            continue
        sheet = book[form.sheet]
        layout = scoresheet_layout(scheme, form.identity.role)
        for index, item in enumerate(scheme.items):
            row = layout.score_rows[item.id] + 1
            value = score(form.identity.form_id, index, item)
            sheet[f"F{row}"] = value
            if isinstance(value, int | float) and Decimal(repr(value)) < item.max:
                sheet[f"G{row}"] = "台账记录不全"
        for row in layout.veto_rows.values():
            sheet[f"F{row + 1}"] = veto
    for sheet_name, cells in (edits or {}).items():
        for address, value in cells.items():
            cell = book[sheet_name][address]
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text (a leading apostrophe in Excel)
    book.save(target)
    return target


def pack_of(round_: Round, recipient: str) -> tuple[Path, PackPlan]:
    """The generated pack of ``recipient`` and its plan."""
    packs = plan_packs(round_.config, round_.scheme, round_.roster, generated_at="")
    pack = next(p for p in packs if p.recipient == recipient)
    return round_.paths.outbox / pack.file, pack


def filled(round_: Round, recipient: str, name: str, **kwargs: object) -> Path:
    """Fill ``recipient``'s pack (see :func:`fill_pack`) and drop it in the inbox as ``name``."""
    source, pack = pack_of(round_, recipient)
    target = round_.paths.inbox / name
    return fill_pack(source, target, pack, round_.scheme, **kwargs)  # type: ignore[arg-type]


def fill_xml(source: Path, target: Path, sheet_number: int, values: Mapping[str, object]) -> Path:
    """Type values straight into a sheet's XML, leaving every cached formula result as it was.

    This is what a client that saves without recalculating produces (stale totals).
    """
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    name = f"xl/worksheets/sheet{sheet_number}.xml"
    xml = parts[name].decode("utf-8")
    for address, value in values.items():
        cell = (f'<v>{value}</v>' if isinstance(value, int | float)
                else f'<is><t>{value}</t></is>')
        kind = "" if isinstance(value, int | float) else ' t="inlineStr"'
        pattern = rf'<c r="{address}"( s="\d+")?/>'
        replacement = f'<c r="{address}"\\g<1>{kind}>{cell}</c>'
        xml, count = re.subn(pattern, replacement, xml)
        assert count == 1, address
    parts[name] = xml.encode("utf-8")
    write_zip(target, parts)
    return target


def write_zip(target: Path, parts: Mapping[str, bytes]) -> Path:
    """Write ``parts`` as a deflated zip."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def read_parts(path: Path) -> dict[str, bytes]:
    """Every part of a zip package."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zip_bomb(target: Path, megabytes: int = 150) -> Path:
    """A workbook-shaped zip whose sheet expands from ~150 KB to ``megabytes`` MB."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * (1 << 20)
            for _ in range(megabytes):
                sheet.write(block)
    return target


MINIMAL_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)


def doctype_workbook(target: Path, sheet_xml: str) -> Path:
    """A minimal workbook whose sheet XML is ``sheet_xml`` (e.g. with an entity attack)."""
    return write_zip(target, {
        "[Content_Types].xml": MINIMAL_TYPES.encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
            b'://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxml'
            b'formats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
            b'r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
            b'://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            b'Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet_xml.encode(),
    })


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    "</sheetData></worksheet>"
)
CORNER_CELLS = (
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">'
    '<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
)

# Cells at A1 and XFD2000 only: calamine fills a grid of 32 million cells, about 1 GB, over a
# second or two (CORNER_CELLS asks for more than any machine has at once and fails at once).
WIDE_CELLS = CORNER_CELLS.replace("1048576", "2000")


def random_bytes(target: Path, size: int = 4096, seed: int = 7) -> Path:
    """Noise that no reader should accept."""
    target.write_bytes(random.Random(seed).randbytes(size))
    return target


def with_extra_parts(source: Path, target: Path, extra: Mapping[str, bytes]) -> Path:
    """A copy of a package with additional parts (macros, external links, embeddings)."""
    parts = read_parts(source)
    parts.update(extra)
    return write_zip(target, parts)


def encrypted(source: Path, target: Path, password: str = "1234") -> Path:
    """The workbook encrypted with an opening password, as Excel does (OLE2 container)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as handle:
        out = io.BytesIO()
        OOXMLFile(handle).encrypt(password, out)
    target.write_bytes(out.getvalue())
    return target


def ole_file(target: Path, tree: list[tuple[str, int, int, int, int, bytes]]) -> Path:
    """An OLE2 compound file (as .doc, .xls and .ppt are) with the given directory.

    ``tree`` lists the directory entries after the root: (name, type 1 storage or 2 stream,
    left, right, child, data), the sibling and child links being indexes into the full
    directory (the root is 0 and its child is 1; -1 for none). Streams are stored in plain
    sectors whatever their size, which is enough for any reader of the directory.
    """
    size = 512
    none = 0xFFFFFFFF
    data_sectors: list[bytes] = []
    starts = []
    for *_, data in tree:
        starts.append(2 + len(data_sectors) if data else 0xFFFFFFFE)
        data_sectors += [data[at:at + size].ljust(size, b"\0") for at in range(0, len(data), size)]
    entries = [("Root Entry", 5, none, none, 1, 0xFFFFFFFE, 0)]
    for (name, kind, left, right, child, data), start in zip(tree, starts, strict=True):
        entries.append((name, kind, left % 2**32, right % 2**32, child % 2**32, start, len(data)))
    directory = b""
    for name, kind, left, right, child, start, length in entries:
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory += (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1,
                                                             left, right, child)
                      + b"\0" * 36 + struct.pack("<IQ", start, length))
    directory = directory.ljust(-(-len(directory) // size) * size, b"\0")
    directory_sectors = len(directory) // size
    assert directory_sectors == 1, "one directory sector: at most four entries"
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0 holds the FAT, sector 1 the directory
    for start, (*_, data) in zip(starts, tree, strict=True):
        count = -(-len(data) // size)
        fat += [start + i + 1 for i in range(count - 1)] + ([0xFFFFFFFE] if count else [])
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(size, b"\xff")
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + struct.pack("<H", 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + b"\xff" * (4 * 108))
    assert len(header) == size
    target.write_bytes(header + fat_sector + directory + b"".join(data_sectors))
    return target


def stranger_mail(data: bytes, name: str, sender: str = "someone@qq.example.com") -> bytes:
    """A message from an address on no roster, received by the office's server on 30 November
    2026, carrying ``data`` as the attachment ``name`` (ASCII)."""
    return (f"From: {sender}\r\nTo: khb@dangjian.example.cn\r\nSubject: scores\r\n"
            "Received: from qq by mx.dangjian.example.cn; Mon, 30 Nov 2026 10:15:00 +0800\r\n"
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
            f'filename="{name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n').encode() + (
        base64.encodebytes(data) + b"--b--\r\n")
