"""One received file as staff look it up: what it carried, what was found, what it replaced.

The states follow a submission's life as the console names them: received, accepted (with or
without warnings), rejected with the cells to fix, superseded by a newer return of the same
form, or a duplicate of bytes already received.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sheetops.core.errors import RoundError
from sheetops.core.issues import Issue, IssueGroup, group_issues
from sheetops.ledger.store import COUNTING, FileRecord, Ledger, Submission, payload_scores
from sheetops.model.workspace import Round


@dataclass(frozen=True)
class FormRead:
    """One form of the file: its submission, the values read and the other versions."""

    submission: Submission
    scores: dict[str, Decimal]  # item id → score read (as the ledger holds it)
    notes: dict[str, str]
    vetoes: dict[str, bool]
    total: Decimal
    versions: list[Submission]  # every submission of this form, oldest first (this one too)

    @property
    def replaced(self) -> list[Submission]:
        """The earlier submissions of this form that this one superseded."""
        return [s for s in self.versions if s.superseded_by == self.submission.id]

    @property
    def replaced_by(self) -> Submission | None:
        """The newer submission that superseded this one, if any: for a form that went back
        or waits for review, the later return of it that counts now (as the rejection report
        marks it)."""
        if self.submission.status in COUNTING:
            return next((s for s in self.versions if s.id == self.submission.superseded_by),
                        None)
        own = next(i for i, s in enumerate(self.versions) if s.id == self.submission.id)
        return next((s for s in self.versions[own + 1:] if s.current), None)


@dataclass(frozen=True)
class FileDetail:
    """A received file, as the ledger knows it."""

    record: FileRecord
    status: str  # now: superseded once every form it counted for has a newer return
    forms: list[FormRead]
    issues: list[Issue]

    def issue_groups(self, lang: str) -> list[IssueGroup]:
        """The issues as the rejection report lists them: one per form, sheet and code,
        with its cells together."""
        return group_issues(self.issues, lang)


def file_detail(round_: Round, sha256: str) -> FileDetail:
    """Everything the round knows of the received file ``sha256``.

    Raises:
        RoundError: the round has received no such file.
    """
    with Ledger(round_.paths.ledger) as ledger:
        record = ledger.file(sha256)
        if record is None:
            raise RoundError("download.no-file", sha256=sha256[:12])
        own = ledger.submissions(sha256)
        versions = ledger.submissions_of_forms([s.form_id for s in own]) if own else []
        forms = []
        for submission in own:
            payload = submission.payload
            scores = payload_scores(payload)
            forms.append(FormRead(
                submission, scores, dict(payload.get("notes", {})),
                {k: bool(v) for k, v in payload.get("vetoes", {}).items()},
                sum(scores.values(), Decimal(0)),
                [v for v in versions if v.form_id == submission.form_id]))
        return FileDetail(record, ledger.file_status(record), forms, ledger.issues(sha256))


def files_of_forms(round_: Round, form_ids: Sequence[str]) -> list[tuple[FileRecord, str]]:
    """The received files that carried any of these forms, oldest first, each with its state
    now (superseded once a newer return replaced all it counted for)."""
    if not round_.paths.ledger.is_file() or not form_ids:
        return []
    with Ledger(round_.paths.ledger) as ledger:
        shas = list(dict.fromkeys(s.sha256 for s in ledger.submissions_of_forms(form_ids)))
        records = [record for sha in shas if (record := ledger.file(sha)) is not None]
        return [(record, ledger.file_status(record)) for record in records]
