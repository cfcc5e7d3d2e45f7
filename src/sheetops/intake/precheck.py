"""Cheap, safe checks on a received file's bytes, before any spreadsheet parser sees it.

They decide the real format from the bytes (not the name), reject what no parser should touch
(encrypted, disguised, zip bombs, entity declarations, absurd used ranges) and flag what is
ignored (macros, external links, embedded objects). Nothing here parses spreadsheet content:
the zip directory is read with :mod:`zipfile`, parts are inflated in bounded steps with their
declared sizes and CRC-32 enforced, and XML parts are only streamed through byte searches.
"""

from __future__ import annotations

import io
import operator
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Final

from sheetops.core.i18n import text
from sheetops.core.issues import Issue, issue
from sheetops.intake.formulas import BOOK_PART, BOOK_RELS, Formulas, package_formulas
from sheetops.model.round import Limits
from sheetops.model.tables import column_letter

ZIP_MAGIC: Final = b"PK\x03\x04"
OLE_MAGIC: Final = bytes.fromhex("D0CF11E0A1B11AE1")
ODS_MIMETYPE: Final = b"application/vnd.oasis.opendocument.spreadsheet"
CHUNK: Final = 1 << 20
_INPUT_STEP: Final = 1 << 16  # compressed bytes fed to the inflater at a time (large parts)
_LOCAL_HEADER: Final = struct.Struct("<4s5H3I2H")  # a zip local file header, 30 bytes
# Every row and cell reference of a worksheet: ``<row r="12"`` and ``<c r='AB12'``, in double
# or single quotes, with or without spaces around the ``=``. Any other whitespace is turned
# into a space first, so one literal-prefixed pattern finds them all (references elsewhere
# only make the check stricter). Leading zeros are skipped and at most ten digits kept: ten
# digits are beyond any row limit already.
_REF: Final = re.compile(rb""" r *= *["']([A-Za-z]{0,4})0*([0-9]{0,10})""")
_WHITESPACE: Final = bytes.maketrans(b"\t\r\n", b"   ")
_LETTERS: Final = operator.itemgetter(0)
_DIGITS: Final = operator.itemgetter(1)
_DOCTYPE: Final = re.compile(rb"<!doctype", re.IGNORECASE)
# What other programs save, told by their first bytes: (signature, offset, kind).
_MAGIC: Final = (
    (b"%PDF-", None, "pdf"),  # anywhere in the first kilobyte
    (b"\xff\xd8\xff", 0, "image"),  # JPEG
    (b"\x89PNG\r\n\x1a\n", 0, "image"),
    (b"GIF87a", 0, "image"),
    (b"GIF89a", 0, "image"),
    (b"II*\x00", 0, "image"),  # TIFF
    (b"MM\x00*", 0, "image"),
)
# ISO media brands of HEIC/HEIF/AVIF photos (bytes 8-12, after "ftyp" at 4-8).
_PHOTO_BRANDS: Final = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis",
                                  b"mif1", b"msf1", b"avif", b"avis"})
WPS_SUFFIXES: Final = (".et", ".ett")
_CSV_SUFFIXES: Final = (".csv", ".tsv")
# The names in zip local headers that tell a package's program, for a zip cut off too early
# to have a directory.
_LOCAL_NAME: Final = re.compile(
    rb"PK\x03\x04.{26}(word/document\.xml|ppt/presentation\.xml|Index/Document\.iwa)",
    re.DOTALL)


@dataclass
class Precheck:
    """What the pre-checks found: the real format (None when the file is rejected)."""

    format: str | None
    issues: list[Issue] = field(default_factory=list)
    # An .xlsx's formula cells by sheet, found while its parts were inflated here (None: not
    # found here, the reader looks for them).
    formulas: Formulas | None = None

    @property
    def rejected(self) -> bool:
        """Whether the file must not be parsed."""
        return self.format is None


def _size(value: int) -> str:
    return f"{value / 2**20:.1f} MB" if value >= 2**20 else f"{value / 1024:.0f} KB"


def _sniff_text(data: bytes) -> str | None:
    """Name what a non-binary file really is (web page, Excel 2003 XML, text), or None."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        try:
            head = data[:4096].decode("utf-16").encode("utf-8").lstrip().lower()
        except UnicodeDecodeError:
            return None
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if any(tag in head[:1024] for tag in (b"<html", b"<!doctype html", b"<table", b"<meta")):
        return "html"
    sample = data[:4096]
    if b"\x00" in sample:
        return None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a cut multi-byte character at the end is fine
            try:
                sample.decode("gb18030")
            except UnicodeDecodeError:
                return None
    return "text"


def kind_label(kind: str, lang: str) -> str:
    """Return how ``kind`` (html, xml2003, text) is named in ``lang``."""
    return text(lang, f"precheck.kind.{kind}")


def foreign(kind: str, lang: str) -> Issue:
    """The issue of a file another program saved (``foreign-format``): what it is and how to
    send a workbook instead.

    Args:
        kind: ``wps``, ``numbers``, ``csv``, ``image``, ``pdf``, ``word`` or ``powerpoint``.
        lang: the language of the two parameters.
    """
    return issue("foreign-format", kind=text(lang, f"precheck.foreign.{kind}"),
                 how=text(lang, f"precheck.foreign.{kind}.how"))


def _sniff_magic(data: bytes) -> str | None:
    """Name what a photo or PDF is, by its first bytes, or None."""
    for signature, offset, kind in _MAGIC:
        if data.startswith(signature) if offset == 0 else signature in data[:1024]:
            return kind
    if data[4:8] == b"ftyp" and data[8:12] in _PHOTO_BRANDS:
        return "image"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image"
    if data.startswith(b"BM") and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00" and (
            int.from_bytes(data[14:18], "little") in (12, 40, 52, 56, 108, 124)):
        return "image"  # BMP: reserved zeros and a known header size
    return None


def _looks_like_csv(data: bytes) -> bool:
    """Whether text holds lines of comma- or tab-separated fields, alike in number."""
    lines = [line for line in data[:4096].splitlines()[:6] if line.strip()]
    if len(lines) < 2:
        return False
    for separator in (b",", b"\t", b"\xef\xbc\x8c"):  # , tab ，(full-width, UTF-8)
        counts = {line.count(separator) for line in lines[:-1]}  # the last may be cut off
        if len(counts) == 1 and counts != {0}:
            return True
    return False


def precheck_bytes(data: bytes, name: str, limits: Limits, lang: str = "zh-CN") -> Precheck:
    """Decide the real format of a received file and whether it is safe to parse.

    Args:
        data: the file's bytes.
        name: its original name (only its extension is used, for messages).
        limits: the round's caps.
        lang: language for the few parameters that are words (kinds of file).

    Returns:
        The format (``xlsx``, ``xls`` or ``ods``) or None, and the issues found.
    """
    if not data:
        return Precheck(None, [issue("empty-file")])
    if len(data) > limits.max_file_bytes:
        return Precheck(None, [issue("file-too-large", size=_size(len(data)),
                                     limit=_size(limits.max_file_bytes))])
    suffix = PurePath(name).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return _precheck_zip(data, limits, lang)
    if data.startswith(OLE_MAGIC):
        return _precheck_ole(data, suffix, lang)
    other = _sniff_magic(data)
    if other is not None:
        return Precheck(None, [foreign(other, lang)])
    kind = _sniff_text(data)
    if kind == "text" and (suffix in _CSV_SUFFIXES or _looks_like_csv(data)):
        return Precheck(None, [foreign("csv", lang)])
    if kind is not None:
        extension = PurePath(name).suffix or name
        return Precheck(None, [issue("disguised-file", extension=extension,
                                     kind=kind_label(kind, lang))])
    return Precheck(None, [issue("unknown-format")])


def _precheck_ole(data: bytes, suffix: str, lang: str) -> Precheck:
    """OLE2 compound file: an encrypted OOXML package, a legacy .xls, a WPS .et or a Word or
    PowerPoint document, by the streams at its root.

    The root's streams are read from the file's directory; a directory that cannot be read is
    searched for the stream names instead (an embedded object's streams may then count).
    """
    root = ole_root_streams(data)

    def has_stream(stream: str) -> bool:
        if root is not None:
            return stream in root
        return stream.encode("utf-16-le") in data

    if has_stream("EncryptedPackage") or has_stream("EncryptionInfo"):
        return Precheck(None, [issue("encrypted-file")])
    if has_stream("WordDocument"):
        return Precheck(None, [foreign("word", lang)])
    if has_stream("PowerPoint Document"):
        return Precheck(None, [foreign("powerpoint", lang)])
    if has_stream("Workbook") or has_stream("Book"):
        if suffix in WPS_SUFFIXES:
            # WPS's own format: laid out like .xls, with WPS's own records besides.
            return Precheck(None, [foreign("wps", lang)])
        return Precheck("xls")
    return Precheck(None, [issue("unknown-format")])


_OLE_FREE: Final = 0xFFFFFFFA  # sector numbers from here up mark ends and free sectors


def ole_root_streams(data: bytes) -> set[str] | None:
    """Return the names of the streams and storages at the root of an OLE2 compound file.

    Only the header, the allocation table and the directory are read, every chain bounded by
    the file's sector count. None when they cannot be read (a damaged file).
    """
    if len(data) < 512:
        return None
    shift, = struct.unpack_from("<H", data, 0x1E)
    if shift not in (9, 12):
        return None
    size = 1 << shift
    count = len(data) // size  # sectors in the file (an upper bound on any chain)

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return data[start:start + size]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _OLE_FREE]
    difat, = struct.unpack_from("<I", data, 0x44)
    for _ in range(count):
        if difat >= _OLE_FREE:
            break
        block = sector(difat)
        if len(block) < size:
            return None
        links = struct.unpack(f"<{size // 4}I", block)
        fat_sectors += [n for n in links[:-1] if n < _OLE_FREE]
        difat = links[-1]
    fat: list[int] = []
    for number in fat_sectors[:count]:
        block = sector(number)
        if len(block) < size:
            return None
        fat += struct.unpack(f"<{size // 4}I", block)
    directory = b""
    number, = struct.unpack_from("<I", data, 0x30)
    for _ in range(count):
        if number >= _OLE_FREE:
            break
        if number >= len(fat):
            return None
        directory += sector(number)
        number = fat[number]
    entries = [directory[at:at + 128] for at in range(0, len(directory) - 127, 128)]
    if not entries or entries[0][66] != 5:  # the first entry is the root storage
        return None
    names: set[str] = set()
    pending = [struct.unpack_from("<I", entries[0], 76)[0]]  # the root's child
    seen: set[int] = set()
    while pending:
        index = pending.pop()
        if index >= len(entries) or index in seen:
            continue
        seen.add(index)
        entry = entries[index]
        length, = struct.unpack_from("<H", entry, 64)
        names.add(entry[:max(length - 2, 0)].decode("utf-16-le", "replace"))
        left, right = struct.unpack_from("<II", entry, 68)
        pending += [left, right]
    return names


def _foreign_package(names: set[str]) -> str | None:
    """Name what another program's zip package is (Word, PowerPoint, Numbers), or None."""
    if "word/document.xml" in names:
        return "word"
    if "ppt/presentation.xml" in names:
        return "powerpoint"
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        return "numbers"  # Index/Document.iwa and its companions
    return None


def _precheck_zip(data: bytes, limits: Limits, lang: str) -> Precheck:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        # A cut-off Word or Numbers file is still no workbook: its part names are in the
        # local headers at hand.
        other = _foreign_package({name.decode() for name in _LOCAL_NAME.findall(data[:CHUNK])})
        if other is not None:
            return Precheck(None, [foreign(other, lang)])
        return Precheck(None, [issue("corrupt-file", reason=_reason(exc))])
    with archive:
        parts = {info.filename for info in infos}
        other = _foreign_package(parts)
        if other is not None and "xl/workbook.xml" not in parts:
            return Precheck(None, [foreign(other, lang)])
        problem = _check_directory(infos, limits)
        if problem is not None:
            return Precheck(None, [problem])
        names = parts
        required: tuple[str, ...]
        if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
            fmt = "ods"
            required = ("content.xml",)
        elif "xl/workbook.xml" in names or "[Content_Types].xml" in names:
            fmt = "xlsx"
            required = ("[Content_Types].xml", "xl/workbook.xml")
        else:
            return Precheck(None, [issue("unknown-format")])
        missing = [part for part in required if part not in names]
        if missing:
            return Precheck(None, [issue("corrupt-file", reason=f"missing {missing[0]}")])
        found = Precheck(fmt, _flag_ignored_parts(sorted(names)))
        whole: dict[str, bytes] = {}
        try:
            rejection = _scan_xml_parts(memoryview(data), infos, limits, whole)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
                RuntimeError) as exc:
            # RuntimeError: zipfile's "encrypted file" errors; zlib.error: deflate data that
            # does not inflate.
            return Precheck(None, [issue("corrupt-file", reason=_reason(exc))])
        if rejection is not None:
            return Precheck(None, [rejection])
        if fmt == "xlsx":
            found.formulas = package_formulas(whole)
        return found


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> Issue | None:
    if len(infos) > limits.max_parts:
        return issue("decompression-limit", detail=f"{len(infos)} parts")
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            return issue("corrupt-file", reason=f"duplicate part {info.filename}")
        seen.add(info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return issue("corrupt-file", reason=f"unsupported compression in {info.filename}")
        if info.flag_bits & 0x1:
            return issue("encrypted-file")
        if info.file_size > limits.max_part_bytes:
            return issue("decompression-limit",
                         detail=f"{info.filename}: {_size(info.file_size)}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 2**20 and ratio > limits.max_ratio:
            return issue("decompression-limit", detail=f"{info.filename}: {ratio:.0f}:1")
        total += info.file_size
    if total > limits.max_total_bytes:
        return issue("decompression-limit", detail=_size(total))
    return None


def _flag_ignored_parts(names: list[str]) -> list[Issue]:
    flags: dict[str, Issue] = {}
    for name in names:
        lower = name.lower()
        if lower.endswith("vbaproject.bin"):
            flags.setdefault("macros-ignored", issue("macros-ignored"))
        elif "/externallinks/" in lower or lower.endswith("/connections.xml"):
            flags.setdefault("external-links-ignored",
                             issue("external-links-ignored", part=name))
        elif "/embeddings/" in lower or "/activex/" in lower:
            flags.setdefault("embedded-content-ignored",
                             issue("embedded-content-ignored", part=name))
    return list(flags.values())


def _inflated(data: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a part's uncompressed bytes, at most ``CHUNK`` at a time, never beyond its declared
    size; raise :class:`zipfile.BadZipFile` when the bytes do not match the declared CRC-32.

    The part is inflated straight from the file's bytes (the local header only gives where
    its data starts), which costs a fraction of :meth:`zipfile.ZipFile.open` on small parts.
    """
    offset = info.header_offset
    header = data[offset:offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4].tobytes() != ZIP_MAGIC:
        raise zipfile.BadZipFile(f"Bad magic number for file header of {info.filename!r}")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    start = offset + _LOCAL_HEADER.size + name_length + extra_length
    packed = data[start:start + info.compress_size]
    if len(packed) < info.compress_size:
        raise zipfile.BadZipFile(f"Truncated data for file {info.filename!r}")
    remaining = info.file_size
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(packed[at:at + CHUNK])
                                   for at in range(0, min(remaining, len(packed)), CHUNK))
    else:
        pieces = _inflate(packed, remaining)
    for piece in pieces:
        piece = piece[:remaining]
        remaining -= len(piece)
        crc = zlib.crc32(piece, crc)
        yield piece
        if not remaining:
            break
    if remaining:
        raise zipfile.BadZipFile(f"Truncated data for file {info.filename!r}")
    if crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")


def _inflate(packed: memoryview, size: int) -> Iterator[bytes]:
    """Inflate raw deflate data, never more than ``CHUNK`` (nor more than ``size``) per step."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    if size <= 0:  # (a max_length of 0 would mean no bound at all)
        return
    if size <= CHUNK:  # nearly every part: one call, its output bounded by the declared size
        yield inflater.decompress(packed, size)
        return
    for at in range(0, len(packed), _INPUT_STEP):
        pending: bytes | memoryview = packed[at:at + _INPUT_STEP]
        # Until this step's input is used up and nothing is left inside the inflater: output
        # held back by the bound comes out of further calls, even once the input is all read.
        while size > 0:
            piece = inflater.decompress(pending, min(CHUNK, size))
            pending = inflater.unconsumed_tail
            if not piece:
                break
            size -= len(piece)
            yield piece
        if size <= 0 or inflater.eof:
            return


def _stream(data: memoryview, info: zipfile.ZipInfo) -> Iterator[tuple[bytes, int]]:
    """Yield a part's bytes in chunks, each starting with the previous chunk's last 64 bytes,
    with how many bytes it repeats so (a search must not count them twice).
    """
    tail = b""
    for piece in _inflated(data, info):
        chunk = tail + piece if tail else piece
        yield chunk, len(tail)
        tail = chunk[-64:]  # of the chunk: a piece may be only a few bytes long


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (letter - 64)
    return number


def _has_doctype(chunk: bytes) -> bool:
    # Most parts hold no "!" at all: a one-byte search (memchr) spares the regex.
    return b"!" in chunk and _DOCTYPE.search(chunk) is not None


def _extent(chunk: bytes, max_row: int, max_col: int) -> tuple[int, int]:
    """The largest row and column any reference in ``chunk`` names (or the ones given)."""
    refs = _REF.findall(chunk)
    # Most references repeat a row number or column letters: convert each once.
    rows = set(map(_DIGITS, refs))
    rows.discard(b"")
    if rows:
        max_row = max(max_row, *map(int, rows))
    for letters in set(map(_LETTERS, refs)):
        if letters:
            max_col = max(max_col, _column_number(letters))
    return max_row, max_col


@lru_cache(maxsize=16)
def _reaching(max_rows: int, max_columns: int) -> re.Pattern[bytes]:
    """References that may reach beyond the limits: with as many column letters, or as many
    row digits (leading zeros aside), as the largest allowed reference, or more.

    A sheet without one is within the limits however many references it has, so its
    references need not be read one by one.
    """
    letters = len(column_letter(max_columns - 1))
    digits = len(str(max_rows))
    return re.compile(rb""" r *= *["'](?:[A-Za-z]{%d}|[A-Za-z]{0,4}0*[1-9][0-9]{%d})"""
                      % (letters, digits - 1))


def _scan_xml_parts(
    data: memoryview, infos: list[zipfile.ZipInfo], limits: Limits, whole: dict[str, bytes],
) -> Issue | None:
    """Reject any DOCTYPE, and any worksheet whose cells reach beyond the limits.

    ``whole`` is handed the bytes of the worksheets and the workbook part and its
    relationships that inflated in one piece (nearly all), checked, for the formula scan.
    """
    reaching = _reaching(limits.max_rows, limits.max_columns)
    for info in infos:
        name = info.filename
        if not name.lower().endswith((".xml", ".rels", ".vml")) or info.is_dir():
            continue
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        # Every cell takes at least three bytes ("<c "): a small part cannot hold too many.
        count_cells = is_sheet and info.file_size // 3 > limits.max_cells
        max_row = max_col = cells = 0
        keep = is_sheet or name in (BOOK_PART, BOOK_RELS)
        pieces = 0
        for chunk, repeated in _stream(data, info):
            pieces += 1
            if _has_doctype(chunk):
                return issue("xml-doctype", part=name)
            if keep and pieces == 1:
                whole[name] = chunk  # dropped below if more pieces follow
            if not is_sheet:
                continue
            chunk = chunk.translate(_WHITESPACE)
            if reaching.search(chunk) is not None:
                max_row, max_col = _extent(chunk, max_row, max_col)
            if count_cells:  # "<c " begun in the repeated bytes, but not within them
                cells += chunk.count(b"<c ", max(repeated - 2, 0))
        if pieces > 1:
            whole.pop(name, None)
        if is_sheet and (max_row > limits.max_rows or max_col > limits.max_columns
                         or cells > limits.max_cells):
            max_row = max_col = cells = 0  # the whole extent, for the message
            for chunk, repeated in _stream(data, info):
                chunk = chunk.translate(_WHITESPACE)
                max_row, max_col = _extent(chunk, max_row, max_col)
                cells += chunk.count(b"<c ", max(repeated - 2, 0))
            detail = f"{max_row} rows × {max_col} columns, {cells} cells"
            return issue("used-range-too-large", part=name, detail=detail)
    return None
