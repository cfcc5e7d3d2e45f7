"""``sheetops status``: every expected form as accepted / with warnings / held for review /
rejected / missing, grouped by recipient — the chase list — and the files held for review."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sheetops.core.statuses import ACCEPTED, HELD, REJECTED, WITH_WARNINGS
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.store import Ledger, SubmissionState
from sheetops.model.workspace import Round

MISSING: Final = "missing"
FORM_STATUSES: Final = (ACCEPTED, WITH_WARNINGS, HELD, REJECTED, MISSING)


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
    newer_held: bool = False  # counts, but a later copy from another address awaits review


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


@dataclass(frozen=True)
class HeldFile:
    """A file whose forms wait for staff to accept them (``sheetops accept``)."""

    sha256: str
    name: str
    sender: str | None
    received_at: str
    form_ids: list[str]


@dataclass
class StatusReport:
    """The chase list."""

    round_id: str
    recipients: list[RecipientStatus]
    held: list[HeldFile] = field(default_factory=list)

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
                         "newer_rejected": f.newer_rejected, "newer_held": f.newer_held}
                        for f in r.forms
                    ],
                }
                for r in self.recipients
            ],
            "held": [
                {"sha256": h.sha256, "file": h.name, "sender": h.sender,
                 "received_at": h.received_at, "forms": h.form_ids}
                for h in self.held
            ],
        }


def round_status(round_: Round, packs: Sequence[PackPlan] | None = None) -> StatusReport:
    """Return where every expected form of the round stands.

    A form is accepted (with or without warnings) when it has a current submission; held when
    none counts and its latest is held for review; rejected when its latest submission was
    rejected and none counts; missing otherwise (including a form returned untouched in a
    partly filled pack).

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
    held_forms: dict[str, list[str]] = {}
    for submission in submissions:  # in received order: later ones overwrite
        if submission.status in (ACCEPTED, WITH_WARNINGS, HELD, REJECTED):
            latest[submission.form_id] = submission
        if submission.status == HELD:
            held_forms.setdefault(submission.sha256, []).append(submission.form_id)
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
            newer_held = (form_id in current and last is not None and last.status == HELD
                          and last.received_at >= current[form_id].received_at)
            entry.forms.append(FormStatus(
                form_id, form.identity.role, form.identity.rater, form.identity.target,
                form.sheet, status,
                files[chosen.sha256].name if chosen is not None else None,
                chosen.received_at if chosen is not None else None,
                issue_counts.get((chosen.sha256, form_id), 0) if chosen is not None else 0,
                newer_rejected, newer_held,
            ))
        recipients.append(entry)
    held = [HeldFile(sha, files[sha].name, files[sha].sender, files[sha].received_at, forms)
            for sha, forms in held_forms.items()]
    held.sort(key=lambda h: (h.received_at, h.name))
    return StatusReport(round_.config.id, recipients, held)
