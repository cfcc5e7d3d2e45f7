"""What the pages need beyond one use case's answer: the work run in child processes, and
the shapes the templates show (outcome rows, the section chart, the analysis flags).

Nothing here decides anything about a round: it runs :mod:`sheetops.app` functions and lays
their answers out for a page.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from sheetops.app.collect import collect_round
from sheetops.app.mailboxes import round_mailbox
from sheetops.app.ranking import Ranking
from sheetops.app.uploads import Upload, collect_uploads
from sheetops.core.i18n import text
from sheetops.core.issues import group_issue_entries
from sheetops.model.workspace import Round, open_round
from sheetops.scoring.merge import as_quotient, round_quotient
from sheetops.web.jobs import Job, Progress

# -- run in a child process (module-level, so a spawned process can import them) ----------


def collect_uploaded(progress: Progress, *, root: str, uploads: list[tuple[str, str]],
                     source: str, recipient: str | None = None) -> dict[str, Any]:
    """Collect uploaded files into the round at ``root``; the ``collect --json`` document.
    With ``recipient`` (a personal link), other recipients' forms are rejected."""
    round_ = open_round(Path(root))
    report = collect_uploads(round_, [Upload(Path(path), name) for path, name in uploads],
                             source=source, progress=progress, recipient=recipient)
    return report.to_json()


def collect_mail(progress: Progress, *, root: str, password: str) -> dict[str, Any]:
    """Read the round's IMAP folder into the round; the ``collect --json`` document."""
    round_ = open_round(Path(root))
    report = collect_round(round_, mailboxes=[round_mailbox(round_, password)],
                           progress=progress)
    return report.to_json()


# -- shapes for the pages -------------------------------------------------------------------


def outcome_rows(job: Job) -> list[dict[str, Any]]:
    """A finished collect job's files, errors first, for the outcome table."""
    if job.result is None or "files" not in job.result:
        return []
    order = {"rejected": 0, "accepted-with-warnings": 1}
    return sorted(({**f, "groups": group_issue_entries(f["issues"])}
                   for f in job.result["files"]), key=lambda f: order.get(f["status"], 2))


def draft_text(path: str | None) -> dict[str, Any] | None:
    """A draft's subject, recipients and plain-text body, for the preview."""
    if not path:
        return None
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    attachments = [part.get_filename() or "" for part in message.iter_attachments()]
    return {"subject": str(message.get("subject", "")), "to": str(message.get("to", "")),
            "body": body.get_content() if body is not None else "",
            "attachments": attachments}


@dataclass(frozen=True)
class Bar:
    """One bar of the section chart: the section's average as a share of its full marks."""

    label: str
    average: Decimal
    maximum: Decimal
    share: Decimal  # 0 … 1
    y: int
    width: int


def section_chart(round_: Round, ranking: Ranking, width: int = 420) -> list[Bar]:
    """Each section's average over the graded branches, as a share of the section's full
    marks (so sections of 10 and 20 points compare fairly)."""
    graded = [b for b in ranking.document["branches"] if b["score"] is not None]
    bars = []
    for index, section in enumerate(round_.scheme.sections):
        values = [Decimal(str(b["sections"][section.id])) for b in graded
                  if section.id in b["sections"]]
        average = sum(values, Decimal(0)) / len(values) if values else Decimal(0)
        share = average / section.max if section.max else Decimal(0)
        bars.append(Bar(section.title, average.quantize(Decimal("0.01")), section.max,
                        share, 28 * index, int(width * min(share, Decimal(1)))))
    return bars


def analysis_flags(round_: Round, ranking: Ranking, lang: str) -> list[str]:
    """Every flag of the rater analysis, one sentence each."""
    names = {b.code: b.name for b in round_.roster.branches}
    names.update({i.code: i.name for i in round_.roster.inspectors})
    found = ranking.analysis
    lines = []
    for i in found.inflation:
        if i.flagged:
            against, over = (("inflation", i.over_inspector) if i.over_inspector is not None
                             else ("inflation-peers", i.over_peers))
            lines.append(text(lang, f"web.flag.{against}", name=names.get(i.branch, i.branch),
                              code=i.branch, over=_points(over, ranking.decimals)))
    for r in found.leniency:
        if r.flagged:
            kind = "lenient" if r.deviation > 0 else "harsh"
            lines.append(text(lang, f"web.flag.{kind}", name=names.get(r.rater, r.rater),
                              code=r.rater, points=_points(abs(r.deviation), ranking.decimals),
                              forms=r.forms))
    for u in found.uniform:
        lines.append(text(lang, f"web.flag.{u.kind}", name=names.get(u.rater, u.rater),
                          code=u.rater, forms=u.forms))
    for pair in found.reciprocal:
        lines.append(text(lang, "web.flag.reciprocal", first=names.get(pair.first, pair.first),
                          second=names.get(pair.second, pair.second)))
    for change in found.trimming:
        lines.append(text(lang, "web.flag.trimming", name=names.get(change.branch,
                                                                      change.branch),
                          rank=change.rank or "—", untrimmed=change.untrimmed_rank or "—"))
    return lines


def _points(value: Fraction | None, decimals: int) -> str:
    """An exact difference in points, rounded half up as scores are."""
    return "—" if value is None else str(round_quotient(*as_quotient(value), decimals))
