"""Text that came from outside: numbers read within bounds, names made safe to show and keep.

A returned file decides what its cells and names hold. A number typed as ``1e5000`` converts
to a 5,001-digit integer that no JSON encoder accepts, and ``1e999999999`` makes decimal
arithmetic run for minutes; so text becomes a number only when its digits and exponent are
within bounds, checked before any conversion. A file name may hold bytes that are not UTF-8
(GBK from an old unzip or a Windows share), control characters that move a terminal's cursor,
or bidirectional overrides that make ``exe.xlsx`` read as ``xlsx.exe``; names are repaired and
stripped of those before they are printed or recorded.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Final

MAX_DIGITS: Final = 15  # before and after the point: beyond any score, count or amount
MAX_EXPONENT: Final = 15  # the largest power of ten a number read from text may reach
MAX_NAME_LENGTH: Final = 255
_NUMBER: Final = re.compile(
    rf"[+-]?(?:[0-9]{{1,{MAX_DIGITS}}}(?:\.[0-9]{{0,{MAX_DIGITS}}})?|\.[0-9]{{1,{MAX_DIGITS}}})"
    r"(?:[eE][+-]?[0-9]{1,3})?", re.ASCII)
# C0 and C1 controls, and the characters that reorder text: LRE RLE PDF LRO RLO, LRI RLI FSI
# PDI, LRM RLM ALM, the line and paragraph separators; and lone surrogates, which no encoder
# takes.
_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]+")


def bounded_decimal(value: str) -> Decimal | None:
    """Read ``value`` (already normalised: ASCII digits, no spaces) as a number within bounds.

    Args:
        value: text such as ``95``, ``-2.5``, ``.5`` or ``1e2``.

    Returns:
        The number, or None when ``value`` is not a plain decimal number, has more than
        :data:`MAX_DIGITS` digits before or after the point, or reaches beyond
        ``10**MAX_EXPONENT`` (or below ``10**-MAX_EXPONENT``) once its exponent is applied.
    """
    if _NUMBER.fullmatch(value) is None:
        return None
    number = Decimal(value)
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        return None
    return number


def repaired_name(value: str) -> str:
    """Decode bytes the file system handed over undecoded: UTF-8, else GB18030.

    Python keeps bytes it cannot decode as surrogate escapes (``\\udcc8``), which SQLite and
    JSON refuse; a GBK name from a Windows share is then written back in characters.
    """
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def safe_text(value: str, limit: int = MAX_NAME_LENGTH * 4) -> str:
    """Return ``value`` fit to print and record: undecoded bytes repaired (see
    :func:`repaired_name`), control and bidirectional characters removed, normalised to NFC,
    at most ``limit`` characters."""
    cleaned = _UNSAFE.sub("", unicodedata.normalize("NFC", repaired_name(value)))
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


def safe_name(value: str) -> str:
    """Return a received file's name fit to print and record (see :func:`safe_text`); a name
    left empty is ``_``."""
    return safe_text(value, MAX_NAME_LENGTH) or "_"
