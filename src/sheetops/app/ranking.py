"""The ranking as it stands now, for reading: computed from the ledger, nothing written.

``sheetops rank`` (and the console's rank button) writes the summary and the exports; reading
the ranking on a page, or by a committee member, only computes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sheetops.app.rank import RankReport, final_results
from sheetops.model.workspace import Round
from sheetops.reports.summary import summary_path
from sheetops.scoring.analysis import Analysis, analyse_raters


@dataclass(frozen=True)
class Ranking:
    """The ranking in the shape of ``rank --json``, with the rater analysis."""

    document: dict[str, Any]
    analysis: Analysis
    decimals: int


def current_ranking(round_: Round) -> Ranking:
    """Merge, veto, grade and rank the round's current accepted forms, writing nothing.

    Raises:
        RoundError: a combined or compared round cannot be opened.
    """
    computed = final_results(round_)
    branches = [(b.code, b.name) for b in round_.roster.branches]
    analysis = analyse_raters(computed.forms, computed.results, branches, computed.committee,
                              round_.scheme, computed.rules, round_.config.analysis)
    report = RankReport(round_.config.id, computed.results, computed.rules,
                        summary_path(round_), analysis, ())
    return Ranking(report.to_json(), analysis, computed.rules.decimals)
