"""sheetops: run a Party committee's assessment rounds over Excel workbooks.

The library is the product; the ``sheetops`` command is one client of it::

    from pathlib import Path
    from sheetops import init_round, generate_scoresheets

    result = init_round(Path("2026-year-end"), Path("roster.xlsx"))
    generate_scoresheets(result.round)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sheetops.app.collect import collect_round
    from sheetops.app.generate import generate_scoresheets
    from sheetops.app.init import init_round
    from sheetops.app.rank import rank_round
    from sheetops.model.roster import load_roster
    from sheetops.model.scheme_file import check_scheme, load_scheme
    from sheetops.model.workspace import open_round

# Imported on first use, so that a command loads only the modules it needs.
_EXPORTS = {
    "check_scheme": "sheetops.model.scheme_file",
    "collect_round": "sheetops.app.collect",
    "generate_scoresheets": "sheetops.app.generate",
    "init_round": "sheetops.app.init",
    "load_roster": "sheetops.model.roster",
    "load_scheme": "sheetops.model.scheme_file",
    "open_round": "sheetops.model.workspace",
    "rank_round": "sheetops.app.rank",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sheetops' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__version__ = "0.1.0"

__all__ = [
    "__version__",
    "check_scheme",
    "collect_round",
    "generate_scoresheets",
    "init_round",
    "load_roster",
    "load_scheme",
    "open_round",
    "rank_round",
]
