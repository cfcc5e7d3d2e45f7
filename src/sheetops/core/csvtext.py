"""Keep text text: no cell sheetops writes may turn into a formula or a link."""

from __future__ import annotations

from typing import Final

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Return ``value`` safe for a CSV that Excel opens: formula-like text gets a leading '."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def uncsv_cell(value: str) -> str:
    """Undo :func:`csv_cell`."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS) else value
