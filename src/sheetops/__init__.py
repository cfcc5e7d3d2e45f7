"""sheetops: run a Party committee's assessment rounds over Excel workbooks.

The library is the product; the ``sheetops`` command is one client of it::

    from pathlib import Path
    from sheetops import init_round, generate_scoresheets

    result = init_round(Path("2026-year-end"), Path("roster.xlsx"))
    generate_scoresheets(result.round)
"""

from sheetops.collect import collect_round
from sheetops.generate import generate_scoresheets
from sheetops.rank import rank_round
from sheetops.roster import load_roster
from sheetops.schemefile import check_scheme, load_scheme
from sheetops.workspace import init_round, open_round

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
