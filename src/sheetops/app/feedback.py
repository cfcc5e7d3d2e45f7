"""``sheetops feedback``: one workbook per branch showing where it stands and where it lags."""

from __future__ import annotations

from pathlib import Path

from sheetops.app.rank import final_results
from sheetops.model.workspace import Round
from sheetops.reports.feedback import write_feedback


def feedback_round(round_: Round, *, name_peers: bool = False) -> list[Path]:
    """Write every branch's feedback workbook ``reports/feedback/<code>.xlsx``.

    Args:
        round_: the opened round.
        name_peers: show which branch wrote each peer note (default: anonymous).

    Returns:
        The workbooks written, in roster order.

    Raises:
        RoundError: a combined or compared round cannot be opened.
    """
    computed = final_results(round_)
    return write_feedback(round_, computed.results, computed.forms, computed.rules,
                          name_peers=name_peers)
