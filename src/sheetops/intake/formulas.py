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
from collections.abc import Iterable
from typing import Final

from defusedxml import ElementTree

# {sheet name: {cell address: (formula text, has a cached value)}}
Formulas = dict[str, dict[str, tuple[str, bool]]]

_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ADDRESS: Final = re.compile(rb'\br\s*=\s*"([A-Z]{1,3}[0-9]{1,7})"')
_FORMULA: Final = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE: Final = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
MAX_FORMULA: Final = 200  # characters of a formula kept (it is shown to people)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name → its part in the package (``xl/worksheets/sheet1.xml``)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
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


def cell_formulas(data: bytes) -> dict[str, tuple[str, bool]]:
    """The formula cells of one worksheet's XML: address → (formula, has a cached value)."""
    found: dict[str, tuple[str, bool]] = {}
    position = data.find(b"<f")
    while position != -1:
        start = max(data.rfind(b"<c ", 0, position), data.rfind(b"<c\t", 0, position))
        end = data.find(b"</c>", position)
        formula = _FORMULA.match(data, position)
        if start == -1 or end == -1 or formula is None:
            position = data.find(b"<f", position + 2)
            continue
        head_end = data.find(b">", start)
        address = _ADDRESS.search(data, start, head_end)
        if address is not None:
            value = _VALUE.search(data, formula.end(), end)
            text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            found[address.group(1).decode()] = (text[:MAX_FORMULA],
                                                value is not None and bool(value.group(1)))
        position = data.find(b"<f", end)
    return found


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
