"""Stamp many workbooks of one shape from a single XlsxWriter prototype.

A round's packs (and handbooks) of one shape differ only in a few strings: names, codes, form
ids and signatures. Writing each one through XlsxWriter serialises the same cells, validations
and styles again and again, so ``generate`` writes one *prototype* per shape with XlsxWriter, in
which every varying string is a placeholder token, and stamps each workbook from it: the parts
without tokens (the form sheets, styles: most of the bytes) are compressed once and copied as
they are; the few parts with tokens (shared strings, workbook, document properties) get the
real, XML-escaped values.

A *shape* is everything that changes the XML other than those strings: the roles in a pack,
row heights computed from the texts, which sheet names XlsxWriter quotes in references, and
which of the varying values are equal or empty (equal values share one token, so shared
strings stay deduplicated exactly as XlsxWriter would write them; an empty value is written as
it is, since XlsxWriter writes blanks differently). Values XlsxWriter would escape specially
(control characters, ``_xHHHH_``, leading or trailing spaces) or that would make an invalid
sheet name are not stamped: those workbooks are written directly.

Each prototype is checked once: the first workbook of its shape is also written directly, and
the shape is stamped only if stamping gives the same workbook (up to the order of defined
names, which XlsxWriter sorts by sheet name). Otherwise that shape is always written directly.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from xlsxwriter.utility import quote_sheetname

# Placeholders: private-use characters, which references must quote, and Yi syllables, which
# they need not (for sheet names XlsxWriter leaves bare). Values holding them are not stamped.
OPEN: Final = "\ue000"
CLOSE: Final = "\ue001"
BARE_OPEN: Final = "\ua000"
BARE_CLOSE: Final = "\ua001"
_MARKERS: Final = (OPEN, BARE_OPEN)
_TOKEN: Final = re.compile(f"{OPEN}(\\d+){CLOSE}|{BARE_OPEN}(\\d+){BARE_CLOSE}")
_STAMPABLE: Final = re.compile(r"[^\x00-\x1f\x7f\ue000\ue001\ua000\ua001]*")
_ESCAPE_LIKE: Final = re.compile(r"_x[0-9A-Fa-f]{4}_")
_SHEET_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")
_DOS_DATE: Final = (0 << 9) | (1 << 5) | 1  # 1980-01-01, as XlsxWriter dates its parts
_DOS_TIME: Final = 0


def token(index: int, *, bare: bool = False) -> str:
    """Return the placeholder of value class ``index`` (``bare``: one references leave
    unquoted when used as a sheet name)."""
    return f"{BARE_OPEN}{index}{BARE_CLOSE}" if bare else f"{OPEN}{index}{CLOSE}"


def quoted_in_references(sheet: str) -> bool:
    """Return whether XlsxWriter quotes ``sheet`` where it writes references to it."""
    return bool(quote_sheetname(sheet) != sheet)


def stampable(value: str) -> bool:
    """Return whether ``value`` can be stamped into any part (see the module notes)."""
    return (
        _STAMPABLE.fullmatch(value) is not None
        and _ESCAPE_LIKE.search(value) is None
        and value == value.strip()
    )


def valid_sheet_name(name: str) -> bool:
    """Return whether Excel accepts ``name`` as a sheet name."""
    return (0 < len(name) <= 31 and _SHEET_FORBIDDEN.search(name) is None
            and not name.startswith("'") and not name.endswith("'"))


@dataclass(frozen=True)
class Slots:
    """A workbook's varying strings, grouped into classes of equal values.

    Attributes:
        pattern: per slot, the index of its value class, or None for an empty value.
        values: the value of each class, in order of first appearance.
    """

    pattern: tuple[int | None, ...]
    values: tuple[str, ...]

    @classmethod
    def of(cls, values: Sequence[str]) -> Slots:
        """Group ``values`` (one per slot, in a fixed order) into classes."""
        classes: dict[str, int] = {}
        pattern: list[int | None] = []
        for value in values:
            pattern.append(None if value == "" else classes.setdefault(value, len(classes)))
        return cls(tuple(pattern), tuple(classes))

    def tokens(self, bare: Collection[int] = ()) -> list[str]:
        """The prototype's value of each slot: its class token, or '' when empty.

        Args:
            bare: slots holding sheet names that references leave unquoted: their classes
                get bare tokens.
        """
        bare_classes = {self.pattern[slot] for slot in bare}
        return ["" if index is None else token(index, bare=index in bare_classes)
                for index in self.pattern]


@dataclass(frozen=True)
class _Deflated:
    """A zip entry compressed once, copied into every stamped workbook."""

    name: bytes
    crc: int
    size: int
    data: bytes


def _deflate(name: str, data: bytes) -> _Deflated:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return _Deflated(name.encode("ascii"), zlib.crc32(data), len(data), packed)


def _xml_escape(value: str, *, attribute: bool) -> str:
    """Escape as XlsxWriter does: quotes only inside attributes."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace('"', "&quot;") if attribute else value


# A templated part: literal text, and (value class, inside an attribute) where a value goes.
_Template = list[str | tuple[int, bool]]


def _template(xml: str) -> _Template:
    pieces: _Template = []
    position = 0
    for match in _TOKEN.finditer(xml):
        start = match.start()
        pieces.append(xml[position:start])
        in_tag = xml.rfind("<", 0, start) > xml.rfind(">", 0, start)
        pieces.append((int(match.group(1) or match.group(2)), in_tag))
        position = match.end()
    pieces.append(xml[position:])
    return pieces


@dataclass(frozen=True)
class _Templated:
    """A part with values to fill in: its constant beginning (up to the first value, often
    nearly all of a sheet whose page header names its form) compressed once, ended by a full
    flush so that the rest, compressed for each workbook, can follow it in one deflate stream.
    """

    name: str
    head: bytes  # compressed, ending on a byte boundary with no reference beyond it
    head_crc: int
    head_size: int
    rest: _Template

    @classmethod
    def of(cls, name: str, template: _Template) -> _Templated:
        first = template[0] if template and isinstance(template[0], str) else ""
        head = first.encode("utf-8")
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH) if head else b""
        return cls(name, packed, zlib.crc32(head), len(head), template[1:] if first else template)

    def stamped(self, rest: bytes) -> _Deflated:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = self.head + compressor.compress(rest) + compressor.flush()
        return _Deflated(self.name.encode("ascii"), zlib.crc32(rest, self.head_crc),
                         self.head_size + len(rest), packed)


class Prototype:
    """A workbook written with placeholder tokens, ready to stamp.

    Args:
        data: the .xlsx bytes XlsxWriter wrote with ``Slots.tokens()`` in place of the values.
    """

    def __init__(self, data: bytes) -> None:
        self._parts: list[_Deflated | _Templated] = []
        markers = [marker.encode("utf-8") for marker in _MARKERS]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                content = archive.read(info)
                if any(marker in content for marker in markers):
                    self._parts.append(_Templated.of(info.filename,
                                                     _template(content.decode("utf-8"))))
                else:
                    self._parts.append(_deflate(info.filename, content))

    def stamp(self, values: Sequence[str]) -> bytes:
        """Return the workbook with each class token replaced by its value.

        Args:
            values: the class values (``Slots.values`` of the workbook being stamped).
        """
        escaped = ([_xml_escape(value, attribute=False) for value in values],
                   [_xml_escape(value, attribute=True) for value in values])

        def fill(template: _Template) -> bytes:
            return "".join(piece if isinstance(piece, str) else escaped[piece[1]][piece[0]]
                           for piece in template).encode("utf-8")

        entries = [part if isinstance(part, _Deflated) else part.stamped(fill(part.rest))
                   for part in self._parts]
        return _zip(entries)



def _zip(entries: Sequence[_Deflated]) -> bytes:
    """Assemble a zip archive from entries compressed beforehand (deflate, no extras)."""
    out = io.BytesIO()
    central = io.BytesIO()
    for entry in entries:
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, zipfile.ZIP_DEFLATED,
                              _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size,
                              len(entry.name), 0))
        out.write(entry.name)
        out.write(entry.data)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0,
                                  zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, entry.crc,
                                  len(entry.data), entry.size, len(entry.name), 0, 0, 0, 0, 0,
                                  offset))
        central.write(entry.name)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                          len(directory), start, 0))
    return out.getvalue()


# XlsxWriter sorts sheet-scoped names by sheet name, so they may come in another order.
_REORDERED: Final = {"xl/workbook.xml": re.compile(rb"<definedName [^>]*>[^<]*</definedName>"),
                     "docProps/app.xml": re.compile(rb"<vt:lpstr>[^<]*</vt:lpstr>")}


def same_workbook(first: bytes, second: bytes) -> bool:
    """Return whether two .xlsx files hold the same parts with the same content, up to the
    order of defined names (and their titles in the document properties)."""
    with zipfile.ZipFile(io.BytesIO(first)) as one, zipfile.ZipFile(io.BytesIO(second)) as two:
        if one.namelist() != two.namelist():
            return False
        for name in one.namelist():
            a, b = one.read(name), two.read(name)
            if a == b:
                continue
            pattern = _REORDERED.get(name)
            if pattern is None or sorted(pattern.findall(a)) != sorted(pattern.findall(b)) \
                    or pattern.sub(b"", a) != pattern.sub(b"", b):
                return False
    return True


def _written(write: Callable[[BinaryIO], object]) -> bytes:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


class Stamper:
    """Writes workbooks by shape: the first of each shape directly and as a checked
    prototype, the next ones stamped from it."""

    def __init__(self) -> None:
        self._prototypes: dict[Hashable, Prototype | None] = {}  # None: shape not stampable
        self.direct = 0  # workbooks written directly
        self.stamped = 0

    @property
    def prototypes(self) -> int:
        """How many shapes are stamped."""
        return sum(1 for prototype in self._prototypes.values() if prototype is not None)

    def write_direct(self, path: Path, write: Callable[[BinaryIO], object]) -> None:
        """Write one workbook directly (``write`` writes it to a stream)."""
        self.direct += 1
        path.write_bytes(_written(write))

    def write(self, path: Path, shape: Hashable, values: Sequence[str],
              write: Callable[[BinaryIO], object],
              write_prototype: Callable[[BinaryIO], object]) -> None:
        """Write one workbook of ``shape`` to ``path``.

        Args:
            path: the file to write.
            shape: what its XML depends on besides ``values`` (see the module notes).
            values: its class values (``Slots.values``).
            write: writes this workbook directly to a stream.
            write_prototype: writes it to a stream with placeholders (``Slots.tokens``).
        """
        if shape in self._prototypes:
            prototype = self._prototypes[shape]
            if prototype is not None:
                self.stamped += 1
                path.write_bytes(prototype.stamp(values))
                return
            self.write_direct(path, write)
            return
        direct = _written(write)
        prototype = Prototype(_written(write_prototype))
        self._prototypes[shape] = (prototype if same_workbook(direct, prototype.stamp(values))
                                   else None)
        self.direct += 1
        path.write_bytes(direct)
