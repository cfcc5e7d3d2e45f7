"""``sheetops feedback``: one workbook per branch showing where it stands and where it lags."""

from __future__ import annotations

from pathlib import Path

from sheetops.app.rank import form_scores, published, read_results
from sheetops.layout.packs import sent_packs
from sheetops.ledger.store import Ledger
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
    packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    with Ledger(round_.paths.ledger) as ledger, ledger.snapshot():
        computed, current = read_results(round_, ledger, packs)
        forms = [form_scores(s) for s in current]  # every note is shown
    computed = published(computed)
    return write_feedback(round_, computed.results, forms, computed.rules,
                          name_peers=name_peers)
