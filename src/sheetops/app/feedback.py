"""``sheetops feedback``: one workbook per branch showing where it stands and where it lags.

Feedback goes out once the round is complete. Before that, it is written only when asked for as
provisional, and then every page (and every mail that carries it) says so.
"""

from __future__ import annotations

from pathlib import Path

from sheetops.app.rank import form_scores, published, read_results
from sheetops.core.errors import SheetopsError
from sheetops.core.statuses import HELD, REJECTED
from sheetops.layout.packs import sent_packs
from sheetops.ledger.status import MISSING, round_status
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round
from sheetops.reports.feedback import write_feedback


class FeedbackError(SheetopsError):
    """Feedback asked for while expected forms are still outstanding."""


def outstanding_forms(round_: Round) -> int:
    """How many expected forms have no counting return yet (missing, rejected or held)."""
    counts = round_status(round_).counts()
    return counts[MISSING] + counts[REJECTED] + counts[HELD]


def feedback_round(round_: Round, *, name_peers: bool = False,
                   provisional: bool = False) -> list[Path]:
    """Write every branch's feedback workbook into ``reports/feedback/``.

    Args:
        round_: the opened round.
        name_peers: show which branch wrote each peer note (default: anonymous).
        provisional: write it although expected forms are outstanding, marked provisional.

    Returns:
        The workbooks written, in roster order.

    Raises:
        FeedbackError: forms are outstanding and ``provisional`` was not given.
        RoundError: a combined or compared round cannot be opened.
    """
    return write_round_feedback(round_, name_peers=name_peers, provisional=provisional)[0]


def write_round_feedback(round_: Round, *, name_peers: bool = False,
                         provisional: bool = False) -> tuple[list[Path], int]:
    """:func:`feedback_round`, also saying how many expected forms were outstanding (0 for
    final feedback), for the mail that carries it."""
    outstanding = outstanding_forms(round_)
    if outstanding and not provisional:
        raise FeedbackError("feedback.incomplete", count=outstanding, path=round_.paths.root)
    packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    with Ledger(round_.paths.ledger) as ledger, ledger.snapshot():
        computed, current = read_results(round_, ledger, packs)
        forms = [form_scores(s) for s in current]  # every note is shown
    computed = published(computed)
    paths = write_feedback(round_, computed.results, forms, computed.rules,
                           name_peers=name_peers, provisional=outstanding)
    return paths, outstanding
