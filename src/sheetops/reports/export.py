"""Final results for the unit's overall assessment: ``reports/results-<id>.csv`` and ``.json``.

The columns are stable API, documented in ``docs/export.md``; section columns follow the
scheme's section ids (``section_<id>``).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sheetops.core.csvtext import csv_cell
from sheetops.core.files import replace_atomically
from sheetops.model.round import ROLES
from sheetops.model.workspace import Round
from sheetops.scoring.merge import BranchResult, ScoringRules

COLUMNS = (
    "round", "code", "name", "rank", "score", "grade", "vetoed", "veto_ids", "pending",
    "complete", "self", "peer", "inspector", "this_round", "combined_with", "previous", "change",
)


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value}"


def result_rows(round_: Round, results: list[BranchResult], rules: ScoringRules,
                ) -> list[dict[str, Any]]:
    """One plain record per branch, in rank order (the export's rows)."""
    sections = [s.id for s in round_.scheme.sections]
    rows = []
    for r in results:
        roles = {role: (rules.round(res.score) if (res := r.roles.get(role)) else None)
                 for role in ROLES}
        row: dict[str, Any] = {
            "round": round_.config.id, "code": r.code, "name": r.name, "rank": r.rank,
            "score": r.score, "grade": r.grade, "vetoed": r.vetoed,
            "veto_ids": ",".join(r.veto_ids), "pending": r.pending, "complete": r.complete,
            **roles, "this_round": r.this_round, "combined_with": r.combined_with,
            "previous": r.previous, "change": r.change,
        }
        row.update({f"section_{s}": r.sections.get(s) for s in sections})
        rows.append(row)
    return rows


def write_results_export(round_: Round, results: list[BranchResult], rules: ScoringRules,
                         ) -> tuple[Path, Path]:
    """Write the CSV (UTF-8 with BOM, for Excel) and JSON exports atomically.

    Returns:
        ``(csv path, json path)``.
    """
    rows = result_rows(round_, results, rules)
    columns = [*COLUMNS, *(f"section_{s.id}" for s in round_.scheme.sections)]
    folder = round_.paths.reports
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"results-{round_.config.id}.csv"
    json_path = folder / f"results-{round_.config.id}.json"

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return _plain(value)
        return csv_cell(str(value))

    def write_csv(path: Path) -> None:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(text(row.get(c)) for c in columns)

    def as_json(value: Any) -> Any:
        return float(value) if isinstance(value, Decimal) else value

    def write_json(path: Path) -> None:
        document = {"round": round_.config.id, "columns": columns,
                    "results": [{c: as_json(row.get(c)) for c in columns} for row in rows]}
        with path.open("w", encoding="utf-8") as handle:  # written as encoded, not held
            json.dump(document, handle, ensure_ascii=False, indent=2)
            handle.write("\n")

    replace_atomically(csv_path, write_csv)
    replace_atomically(json_path, write_json)
    return csv_path, json_path
