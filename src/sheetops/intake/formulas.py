"""Formulas in a returned .xlsx's form sheets: which cells hold one, and whether it has a value.

A reader hands back a formula cell's cached value only, the value the saving program last
computed (or none, when it did not compute it). A score cell should hold a typed number; a
formula there is worth saying, with the value used (runs inside the sandboxed worker, on the
file's bytes; the pre-check has bounded its size and parts already).

Only .xlsx (and .xlsm) are scanned: their sheets' XML names each formula cell
(``<c r="F7"><f>…</f><v>…</v></c>``). A shared formula's later cells carry ``<f t="shared"
si="0"/>`` without text; they are formulas too.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from defusedxml import ElementTree

# {sheet name: {cell address: (formula text, has a cached value)}}
Formulas = dict[str, dict[str, tuple[str, bool]]]

_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ADDRESS: Final = re.compile(rb'\br\s*=\s*"([A-Z]{1,3}[0-9]{1,7})"')
# A cell's opening tag (up to its first child), and a formula with the cached value after it.
_CELL_HEAD: Final = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?<!/)>\s*")
_FORMULA: Final = re.compile(
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f\s*>)"
    rb"(?:\s*<(?:\w+:)?v\s*>([^<]*)</(?:\w+:)?v\s*>)?")
_BOOK_ROOT: Final = re.compile(rb"<(\w+:)?workbook\b[^>]*>")
_SHEET_DATA: Final = re.compile(rb"<(\w+:)?sheetData\b")
_TAG_END: Final = frozenset((b" ", b"\t", b"\r", b"\n", b">", b"/"))
MAX_FORMULA: Final = 200  # characters of a formula kept (it is shown to people)


BOOK_PART: Final = "xl/workbook.xml"
BOOK_RELS: Final = "xl/_rels/workbook.xml.rels"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name → its part in the package (``xl/worksheets/sheet1.xml``)."""
    return _sheet_targets(archive.read(BOOK_PART), archive.read(BOOK_RELS))


def _sheet_targets(workbook: bytes, relationships: bytes) -> dict[str, str]:
    book = ElementTree.fromstring(_sheets_only(workbook))
    rels = ElementTree.fromstring(relationships)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[sheet.get("name", "")] = part
    return parts


def _sheets_only(book: bytes) -> bytes:
    """The workbook part cut down to its root and its ``<sheets>`` list, which is all that is
    read of it here (its defined names, often most of it, are left out); the part as it is
    where the cut cannot be made."""
    root = _BOOK_ROOT.search(book)
    start = book.find(b"<" + (root.group(1) or b"") + b"sheets") if root else -1
    closing = b"</" + (root.group(1) or b"") + b"sheets>" if root else b""
    end = book.find(closing, start) if start != -1 else -1
    if root is None or start < root.end() or end == -1:
        return book
    return b"".join((root.group(0), book[start:end + len(closing)],
                     b"</", root.group(1) or b"", b"workbook>"))


def cell_formulas(data: bytes) -> dict[str, tuple[str, bool]]:
    """The formula cells of one worksheet's XML: address → (formula, has a cached value).

    Each formula is found first (they are few) and its cell read around it: the cell's tag is
    the one just before (a formula is a cell's first child), its cached value just after.
    """
    found: dict[str, tuple[str, bool]] = {}
    for position in _formula_tags(data):
        head = data.rfind(b"<", 0, position)
        cell = _CELL_HEAD.fullmatch(data, head, position) if head != -1 else None
        formula = _FORMULA.match(data, position) if cell is not None else None
        if cell is None or formula is None:
            continue
        address = _ADDRESS.search(cell.group(1))
        if address is None:
            continue
        text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
        found[address.group(1).decode()] = (text[:MAX_FORMULA], bool(formula.group(2)))
    return found


def _formula_tags(data: bytes) -> Iterator[int]:
    """Where each formula tag (``<f``, or ``<x:f`` where the sheet's tags carry a prefix) of
    the cells starts; the data validations' ``<formula1>`` after the cells are no formulas."""
    cells = _SHEET_DATA.search(data)
    if cells is None:
        return
    end = data.rfind(b"sheetData>")
    if end < cells.end():
        end = len(data)
    tag = b"<" + (cells.group(1) or b"") + b"f"
    position = data.find(tag, cells.end(), end)
    while position != -1:
        if data[position + len(tag):position + len(tag) + 1] in _TAG_END:
            yield position
        position = data.find(tag, position + len(tag), end)


def package_formulas(parts: Mapping[str, bytes]) -> Formulas | None:
    """The formula cells of every worksheet, from a package's parts already inflated (by the
    pre-check); None when a part needed is not among them or cannot be read (the file's
    reading then looks for them itself)."""
    try:
        targets = _sheet_targets(parts[BOOK_PART], parts[BOOK_RELS])
        found: Formulas = {}
        for name, part in targets.items():
            cells = cell_formulas(parts[part])
            if cells:
                found[name] = cells
        return found
    except (KeyError, ElementTree.ParseError, ValueError):
        return None


def workbook_formulas(path: str, sheets: Iterable[str]) -> Formulas:
    """The formula cells of ``sheets`` in the .xlsx at ``path`` (empty for other formats, and
    for a package this scan cannot follow: its reading stands as the reader gave it)."""
    if not zipfile.is_zipfile(path):
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = sheet_parts(archive)
            found: Formulas = {}
            for name in sheets:
                part = parts.get(name)
                if part is None:
                    continue
                cells = cell_formulas(archive.read(part))
                if cells:
                    found[name] = cells
            return found
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}
