"""``sheetops status``: every expected form as accepted / with warnings / rejected / missing,
grouped by recipient — the chase list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sheetops.core.statuses import ACCEPTED, REJECTED, WITH_WARNINGS
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.store import Ledger, SubmissionState
from sheetops.model.workspace import Round

MISSING: Final = "missing"
FORM_STATUSES: Final = (ACCEPTED, WITH_WARNINGS, REJECTED, MISSING)


@dataclass(frozen=True)
class FormStatus:
    """Where one expected form stands."""

    form_id: str
    role: str
    rater: str
    target: str
    sheet: str
    status: str
    file: str | None
    received_at: str | None
    issues: int
    newer_rejected: bool = False  # accepted, but a later resubmission of it was rejected


@dataclass
class RecipientStatus:
    """One recipient's forms."""

    code: str
    name: str
    kind: str
    email: str
    forms: list[FormStatus] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Forms that count."""
        return sum(1 for f in self.forms if f.status in (ACCEPTED, WITH_WARNINGS))

    @property
    def complete(self) -> bool:
        """Whether every form of this recipient is in."""
        return self.done == len(self.forms)


@dataclass
class StatusReport:
    """The chase list."""

    round_id: str
    recipients: list[RecipientStatus]

    def counts(self) -> Counter[str]:
        """Forms per status."""
        return Counter(f.status for r in self.recipients for f in r.forms)

    def to_json(self) -> dict[str, Any]:
        """The ``status --json`` document."""
        counts = self.counts()
        return {
            "round": self.round_id,
            "counts": {status: counts.get(status, 0) for status in FORM_STATUSES},
            "recipients": [
                {
                    "code": r.code, "name": r.name, "kind": r.kind, "email": r.email,
                    "complete": r.complete,
                    "forms": [
                        {"form_id": f.form_id, "role": f.role, "rater": f.rater,
                         "target": f.target, "sheet": f.sheet, "status": f.status,
                         "file": f.file, "received_at": f.received_at, "issues": f.issues,
                         "newer_rejected": f.newer_rejected}
                        for f in r.forms
                    ],
                }
                for r in self.recipients
            ],
        }


def round_status(round_: Round, packs: Sequence[PackPlan] | None = None) -> StatusReport:
    """Return where every expected form of the round stands.

    A form is accepted (with or without warnings) when it has a current submission; rejected
    when its latest submission was rejected and none counts; missing otherwise (including a
    form returned untouched in a partly filled pack).

    Args:
        round_: the opened round.
        packs: the packs the round sent (default: read from its manifest).

    Returns:
        Every recipient with its forms, in roster order.
    """
    if packs is None:
        packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
    with Ledger(round_.paths.ledger) as ledger:
        submissions = ledger.submission_states()
        files = {f.sha256: f for f in ledger.files()}
        issue_counts = {
            (row[0], row[1]): row[2]
            for row in ledger.connection.execute(
                "SELECT sha256, form_id, count(*) FROM issues GROUP BY sha256, form_id")
        }
    latest: dict[str, SubmissionState] = {}
    current: dict[str, SubmissionState] = {}
    for submission in submissions:  # in received order: later ones overwrite
        if submission.status in (ACCEPTED, WITH_WARNINGS, REJECTED):
            latest[submission.form_id] = submission
        if submission.current:
            current[submission.form_id] = submission
    recipients = []
    for pack in packs:
        entry = RecipientStatus(pack.recipient, pack.recipient_name, pack.recipient_kind,
                                pack.email)
        for form in pack.forms:
            form_id = form.identity.form_id
            chosen = current.get(form_id) or latest.get(form_id)
            status = chosen.status if chosen is not None else MISSING
            last = latest.get(form_id)
            newer_rejected = (form_id in current and last is not None
                              and last.status == REJECTED
                              and last.received_at >= current[form_id].received_at)
            entry.forms.append(FormStatus(
                form_id, form.identity.role, form.identity.rater, form.identity.target,
                form.sheet, status,
                files[chosen.sha256].name if chosen is not None else None,
                chosen.received_at if chosen is not None else None,
                issue_counts.get((chosen.sha256, form_id), 0) if chosen is not None else 0,
                newer_rejected,
            ))
        recipients.append(entry)
    return StatusReport(round_.config.id, recipients)
