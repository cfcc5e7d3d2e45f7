"""Worksheet rows written straight into an XlsxWriter package once it is closed.

XlsxWriter keeps every cell as a Python object until ``close()`` and spends about 10 µs on each;
the summary's detail sheet has one row per form and scheme item, 2.5 million cells for a
thousand branches. A :class:`RowStream` lets XlsxWriter write everything else about the sheet
(title, headers, widths, frozen panes, filter, print setup, the cell formats) and reserves a
placeholder of blank cells, one per format the rows use, so that XlsxWriter gives each
format its style index. :func:`finish_package` then copies the closed package to its target,
replacing each placeholder by the rows generated as XML, the ``<dimension>`` widened to
them and their texts added to the shared string table.

Rows are written as XlsxWriter writes them, every cell with its ``r`` reference (optional in
the format, but some readers other than Excel and LibreOffice require it). Every text is a
shared string, never a formula: XML-escaped, control characters XML cannot hold written as
``_xHHHH_`` (and a literal ``_xHHHH_`` guarded as ``_x005F_xHHHH_``), truncated at Excel's
32,767 UTF-16 units, exactly as XlsxWriter does.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final
from xml.etree import ElementTree

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

MAIN_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
SHARED_STRINGS_TYPE: Final = DOC_REL_NS + "/sharedStrings"
MAX_STRING_UNITS: Final = 32767  # Excel's cell text limit, in UTF-16 code units
MAX_ROWS: Final = 1_048_576  # Excel's rows per worksheet
ROWS_PER_CHUNK: Final = 2048
DEFAULT_ROW_PIXELS: Final = 20  # XlsxWriter's default row height (15 points)
# A cell's reference while it is being made: its column, then its row, filled in by
# place() and referenced(). Neither character occurs in cell XML otherwise (texts are indexes).
COLUMN: Final = "\x01"
ROW: Final = "\x00"

_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LEADING_SPACE = re.compile(r"^\s")
_TRAILING_SPACE = re.compile(r"\s$")
_SHARED_ITEM = re.compile(r"<si>.*?</si>", re.DOTALL)
_SST_COUNTS = re.compile(r'<sst\b([^>]*?) count="(\d+)" uniqueCount="(\d+)"')
_DIMENSION = re.compile(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>')
_PLACEHOLDER_STYLE = re.compile(r'<c r="[A-Z]+\d+"(?: s="(\d+)")?/>')


def truncate_text(value: str) -> str:
    """Cut ``value`` to Excel's 32,767 UTF-16 units, never splitting a surrogate pair."""
    if len(value) <= MAX_STRING_UNITS // 2:
        return value
    units = 0
    for position, char in enumerate(value):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > MAX_STRING_UNITS:
            return value[:position]
    return value


def shared_item(value: str) -> str:
    """The ``<si>`` element XlsxWriter writes for the text ``value``."""
    value = _ESCAPED_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    space = (' xml:space="preserve"'
             if _LEADING_SPACE.search(value) or _TRAILING_SPACE.search(value) else "")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<si><t{space}>{value}</t></si>"


class SharedStrings:
    """The package's shared string table, extended with the texts of streamed rows.

    Texts already in the table keep their index (matched by their XML, as XlsxWriter writes
    them); new ones are appended.
    """

    def __init__(self, xml: str) -> None:
        counts = _SST_COUNTS.search(xml)
        if counts is None:
            raise ValueError("the shared string table has no count and uniqueCount")
        self.xml = xml
        self.count = int(counts.group(2))
        self.unique = int(counts.group(3))
        items = _SHARED_ITEM.findall(xml)
        if len(items) != self.unique:
            raise ValueError(f"the shared string table holds {len(items)} items, "
                             f"not {self.unique}")
        self.known: dict[str, int] = {}
        for index, item in enumerate(items):
            self.known.setdefault(item, index)
        self.added: list[str] = []
        self._index: dict[str, int] = {}

    def index(self, value: str) -> int:
        """The index of the text ``value``, added to the table when new."""
        found = self._index.get(value)
        if found is None:
            item = shared_item(truncate_text(value))
            found = self.known.get(item)
            if found is None:
                found = self.unique + len(self.added)
                self.added.append(item)
                self.known[item] = found
            self._index[value] = found
        return found

    def to_xml(self, references: int) -> str:
        """The table with the added texts and ``references`` more string cells counted."""
        head = _SST_COUNTS.sub(
            lambda m: (f'<sst{m.group(1)} count="{self.count + references}"'
                       f' uniqueCount="{self.unique + len(self.added)}"'), self.xml, count=1)
        end = head.rindex("</sst>")
        return head[:end] + "".join(self.added) + head[end:]


class Cells:
    """Makes the XML of one cell for streamed rows: a text or a number, with a format."""

    def __init__(self, styles: dict[Format, int], strings: SharedStrings) -> None:
        self._styles = styles
        self._strings = strings

    def style(self, cell_format: Format) -> int:
        """The style index XlsxWriter gave ``cell_format``.

        Raises:
            KeyError: the format was not declared to the stream.
        """
        return self._styles[cell_format]

    def text(self, value: str, cell_format: Format) -> str:
        """A text cell (a shared string: never a formula, whatever it starts with)."""
        return (f'<c r="{COLUMN}" s="{self._styles[cell_format]}" t="s">'
                f"<v>{self._strings.index(value)}</v></c>")

    def number(self, value: float, cell_format: Format) -> str:
        """A number cell, written with XlsxWriter's precision.

        Raises:
            ValueError: the number is infinite or not a number (Excel cannot hold it).
        """
        if not math.isfinite(value):
            raise ValueError(f"a cell cannot hold {value}")
        return f'<c r="{COLUMN}" s="{self._styles[cell_format]}"><v>{value:.16G}</v></c>'


@dataclass(frozen=True)
class TallRow:
    """A streamed row of its own height (in points, as ``Worksheet.set_row`` takes it)."""

    cells: str
    height: float

    def element(self, number: int) -> str:
        """The ``<row>`` element, its height rounded to whole pixels as XlsxWriter does."""
        pixels = int(self.height * 4.0 / 3.0 + 0.5)
        cells = referenced(self.cells, number)
        if pixels == DEFAULT_ROW_PIXELS:
            return f'<row r="{number}">{cells}</row>'
        return (f'<row r="{number}" ht="{pixels * 0.75:.16g}" customHeight="1">'
                f"{cells}</row>")


def place(cells: str, first_column: int) -> str:
    """Put cells made by :class:`Cells` in their columns, from ``first_column`` (0 = A).

    Row makers that reuse the same cells on many rows place them once: the rows then only get
    their row number. Cells not placed are taken as consecutive from column A.
    """
    pieces = cells.split(COLUMN)
    return pieces[0] + "".join([_column_row(first_column + index) + piece
                                for index, piece in enumerate(pieces[1:])])


_COLUMN_ROWS: list[str] = []  # "A\x00", "B\x00", … as far as rows have needed


def _column_row(index: int) -> str:
    while len(_COLUMN_ROWS) <= index:
        _COLUMN_ROWS.append(xl_col_to_name(len(_COLUMN_ROWS)) + ROW)
    return _COLUMN_ROWS[index]


def referenced(cells: str, number: int) -> str:
    """Give each of a row's cells its reference in row ``number``.

    Raises:
        ValueError: some of the row's cells were placed and others not.
    """
    if COLUMN in cells:
        if ROW in cells:
            raise ValueError("a row mixes placed and unplaced cells")
        cells = place(cells, 0)
    return cells.replace(ROW, str(number))


# A row maker yields each row's cells' XML ("" for an empty row) or a TallRow.
RowMaker = Callable[[Cells], Iterable[str | TallRow]]


@dataclass(frozen=True)
class RowStream:
    """The data rows of one worksheet, from ``first_row`` to the end, made after closing.

    ``rows`` is called once the package is closed, with a :class:`Cells` that knows the
    formats' style indexes, and yields each row's cells' XML (consecutive from column A; an
    empty string for an empty row) or a :class:`TallRow`.
    """

    sheet: Worksheet
    first_row: int  # zero-based, as XlsxWriter counts rows
    count: int  # how many rows ``rows`` yields
    columns: int  # how many cells each row has
    formats: tuple[Format, ...]
    rows: RowMaker

    @classmethod
    def reserve(cls, sheet: Worksheet, first_row: int, count: int, columns: int,
                formats: Sequence[Format], rows: RowMaker) -> RowStream:
        """Reserve rows ``first_row`` onwards of ``sheet`` for streamed rows.

        Writes the placeholder: one blank cell per format (row by row when there are more
        formats than columns), which XlsxWriter gives its style index. Nothing else may be
        written on or below ``first_row``.

        Args:
            sheet: the worksheet (its title, headers, widths and filter written as usual).
            first_row: the first streamed row, zero-based.
            count: how many rows ``rows`` will yield (the dimension is written before them).
            columns: how many cells each row has.
            formats: every format the rows use.
            rows: makes the rows' cells from a :class:`Cells`.

        Returns:
            The stream, to pass to :func:`finish_package` once the workbook is closed.
        """
        if not formats or columns < 1:
            raise ValueError("a stream needs a column and a format")
        if first_row + max(count, -(-len(formats) // columns)) > MAX_ROWS:
            raise ValueError(f"sheet {sheet.name!r}: {count} rows from row {first_row + 1} "
                             f"exceed a worksheet's {MAX_ROWS} rows")
        for index, cell_format in enumerate(formats):
            sheet.write_blank(first_row + index // columns, index % columns, None, cell_format)
        return cls(sheet, first_row, count, columns, tuple(formats), rows)


def _part(folder: str, target: str) -> str:
    """A relationship target as a package part name."""
    if target.startswith("/"):
        return target[1:]
    parts: list[str] = []
    for piece in (PurePosixPath(folder) / target).parts:
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """Each worksheet's part by sheet name, and the shared string table's part (if any)."""
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    shared = None
    for relation in relations.iter(f"{{{PKG_REL_NS}}}Relationship"):
        part = _part("xl", relation.get("Target", ""))
        targets[relation.get("Id", "")] = part
        if relation.get("Type") == SHARED_STRINGS_TYPE:
            shared = part
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = {sheet.get("name", ""): targets[sheet.get(f"{{{DOC_REL_NS}}}id", "")]
              for sheet in book.iter(f"{{{MAIN_NS}}}sheet")}
    return sheets, shared


@dataclass
class _Splice:
    """A streamed sheet's part: XlsxWriter's XML around the placeholder, and its styles."""

    stream: RowStream
    head: str
    tail: str
    styles: dict[Format, int]

    @classmethod
    def cut(cls, stream: RowStream, xml: str) -> _Splice:
        """Find the placeholder in XlsxWriter's XML and widen the dimension."""
        start = xml.find(f'<row r="{stream.first_row + 1}"')
        end = xml.find("</sheetData>")
        if start < 0 or end < start:
            raise ValueError(f"no placeholder in sheet {stream.sheet.name!r}")
        placeholder = xml[start:end]
        if placeholder.count("<row ") != -(-len(stream.formats) // stream.columns):
            raise ValueError(f"cells were written below the streamed rows of sheet "
                             f"{stream.sheet.name!r}")
        found = _PLACEHOLDER_STYLE.findall(placeholder)
        if len(found) != len(stream.formats):
            raise ValueError(f"unexpected placeholder in sheet {stream.sheet.name!r}")
        styles = {f: int(s or 0) for f, s in zip(stream.formats, found, strict=True)}
        head = _DIMENSION.sub(lambda m: cls.dimension(stream, m), xml[:start], count=1)
        return cls(stream, head, xml[end:], styles)

    @staticmethod
    def dimension(stream: RowStream, match: re.Match[str]) -> str:
        """The used range once the placeholder is replaced by the streamed rows."""
        first = f"{match.group(1)}{match.group(2)}"
        last_col = max(xl_cell_to_rowcol((match.group(3) or match.group(1)) + "1")[1],
                       stream.columns - 1)
        last_row = stream.first_row + stream.count if stream.count else stream.first_row
        last = xl_rowcol_to_cell(max(last_row, int(match.group(2))) - 1, last_col)
        return f'<dimension ref="{first if first == last else f"{first}:{last}"}"/>'

    def chunks(self, strings: SharedStrings) -> Iterator[str]:
        """The part's XML in pieces of a few thousand rows."""
        cells = Cells(self.styles, strings)
        yield self.head
        number = self.stream.first_row
        chunk: list[str] = []
        for row in self.stream.rows(cells):
            number += 1
            if isinstance(row, TallRow):
                chunk.append(row.element(number))
            elif row:
                # Placed cells (the detail's million rows) only need their row number.
                cells_xml = (referenced(row, number) if COLUMN in row
                             else row.replace(ROW, str(number)))
                chunk.append(f'<row r="{number}">{cells_xml}</row>')
            if len(chunk) == ROWS_PER_CHUNK:
                yield "".join(chunk)
                chunk.clear()
        yield "".join(chunk)
        if number - self.stream.first_row != self.stream.count:
            raise ValueError(f"sheet {self.stream.sheet.name!r}: {self.stream.count} rows "
                             f"announced, {number - self.stream.first_row} made")
        yield self.tail

    def write(self, handle: IO[bytes], strings: SharedStrings) -> int:
        """Write the part with the streamed rows; return how many string cells they hold.

        Each piece is compressed in a second thread while the next one is made: zlib lets
        go of the interpreter while it works, so making and compressing overlap.
        """
        references = 0
        with ThreadPoolExecutor(max_workers=1) as compressor:
            pending: Future[int] | None = None
            for chunk in self.chunks(strings):
                references += chunk.count('t="s"')
                data = chunk.encode("utf-8")
                if pending is not None:
                    pending.result()
                pending = compressor.submit(handle.write, data)
            if pending is not None:
                pending.result()
        return references - self.head.count('t="s"') - self.tail.count('t="s"')


def finish_package(source: IO[bytes], target: Path, streams: Sequence[RowStream], *,
                   compresslevel: int = 6) -> None:
    """Copy the closed package ``source`` to ``target``, streaming each stream's rows in.

    Args:
        source: the package XlsxWriter wrote (a file or an in-memory buffer).
        target: where to write the finished workbook.
        streams: the rows reserved with :meth:`RowStream.reserve` in that workbook.
        compresslevel: the zlib level of every part.

    Raises:
        ValueError: a stream's placeholder is missing or was written over, or its rows
            do not match what it announced.
    """
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as package:
        sheets, shared = _workbook_parts(archive)
        if streams and shared is None:
            raise ValueError("streamed rows need a shared string table: write a text first")
        by_part = {sheets[s.sheet.name]: s for s in streams}
        strings = SharedStrings(archive.read(shared).decode("utf-8")) if shared else None
        references = 0
        for info in archive.infolist():
            if info.filename == shared:
                continue  # written last, once the streamed rows have added their texts
            stream = by_part.get(info.filename)
            if stream is None or strings is None:
                package.writestr(info.filename, archive.read(info))
                continue
            splice = _Splice.cut(stream, archive.read(info).decode("utf-8"))
            with package.open(info.filename, "w") as handle:
                references += splice.write(handle, strings)
        if shared is not None and strings is not None:
            package.writestr(shared, strings.to_xml(references))
