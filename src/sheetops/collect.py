"""``sheetops collect``: archive, pre-check, read, validate and record every returned file.

For each received file, in order of arrival:

1. copy its bytes into ``archive/`` under their SHA-256 (before anything else; inputs are
   never modified), unless it is over the size limit;
2. same bytes seen before → ``duplicate`` (recorded as a sighting, counted once);
3. safe pre-checks on the bytes; then parsing in the sandboxed reader;
4. identity and cell validation; the file, its forms and issues go into the ledger in one
   transaction, and the latest counting submission of each form becomes current.

A file-level lock serialises concurrent collects on one round; the ledger's transactions keep
even an unlocked writer from double-counting.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Final

from sheetops.handbook import load_round_handbook
from sheetops.intake.precheck import precheck_bytes
from sheetops.intake.reader import ReadFailure, SandboxedReader
from sheetops.intake.sources import Mailbox, Received, scan_sources
from sheetops.issues import Issue, issue
from sheetops.ledger import FileRecord, Ledger
from sheetops.mail.checks import check_mail_submission, no_attachment_issue
from sheetops.packs import sent_packs
from sheetops.reports.rejections import write_rejection_report
from sheetops.validate import (
    ACCEPTED,
    REJECTED,
    WITH_WARNINGS,
    FormResult,
    RoundView,
    validate_workbook,
)
from sheetops.workspace import Round

DUPLICATE: Final = "duplicate"
SUPERSEDED: Final = "superseded"
STATUSES: Final = (ACCEPTED, WITH_WARNINGS, REJECTED, DUPLICATE, SUPERSEDED)
_SAFE_SUFFIX: Final = re.compile(r"\.[a-z0-9]{1,5}")


@dataclass
class FileOutcome:
    """What happened to one received file in this run."""

    record: FileRecord
    status: str
    forms: list[dict[str, str]]
    issues: list[Issue]

    def to_json(self, lang: str) -> dict[str, Any]:
        """The ``collect --json`` entry of PRODUCT.md."""
        r = self.record
        return {
            "sha256": r.sha256,
            "name": r.name,
            "source": r.source,
            "sender": r.sender,
            "received_at": r.received_at,
            "size": r.size,
            "format": r.format,
            "archive": r.archive,
            "status": self.status,
            "forms": self.forms,
            "issues": [i.to_dict(lang) for i in self.issues],
        }


@dataclass
class CollectReport:
    """The result of one collect run."""

    round_id: str
    lang: str
    files: list[FileOutcome] = field(default_factory=list)
    expected_forms: int = 0
    current_forms: int = 0
    rejection_report: Path | None = None

    def counts(self) -> Counter[str]:
        """Files per status."""
        return Counter(f.status for f in self.files)

    def to_json(self) -> dict[str, Any]:
        """The ``collect --json`` document."""
        counts = self.counts()
        return {
            "round": self.round_id,
            "files": [f.to_json(self.lang) for f in self.files],
            "counts": {status: counts.get(status, 0) for status in STATUSES},
            "forms": {"expected": self.expected_forms, "accepted": self.current_forms},
            "rejection_report": str(self.rejection_report) if self.rejection_report else None,
        }


@contextmanager
def round_lock(round_: Round) -> Iterator[None]:
    """Hold the round's collect lock (blocks while another collect runs)."""
    path = round_.paths.private / "collect.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def archive_received(received: Received, archive: Path) -> tuple[str, int, str]:
    """Copy a received file into the archive under its SHA-256, streaming.

    Returns:
        ``(sha256, size, path relative to the round)``; an existing copy is kept as it is.
    """
    archive.mkdir(parents=True, exist_ok=True)
    temporary = archive / f".incoming-{os.getpid()}-{secrets.token_hex(6)}"
    digest = hashlib.sha256()
    size = 0
    try:
        with received.open() as source, temporary.open("wb") as target:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
        folder = archive / sha[:2]
        existing = sorted(folder.glob(f"{sha}*")) if folder.is_dir() else []
        if existing:
            final = existing[0]
        else:
            suffix = PurePath(received.name).suffix.lower()
            final = folder / (sha + (suffix if _SAFE_SUFFIX.fullmatch(suffix) else ".bin"))
            folder.mkdir(exist_ok=True)
            os.chmod(temporary, 0o444)
            os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return sha, size, f"{archive.name}/{sha[:2]}/{final.name}"


def hash_received(received: Received) -> tuple[str, int]:
    """Hash a file without keeping it (for files over the size limit)."""
    digest = hashlib.sha256()
    size = 0
    with received.open() as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _form_entry(form: FormResult) -> dict[str, str]:
    return {"form_id": form.form_id, "sheet": form.sheet, "role": form.role,
            "rater": form.rater, "target": form.target, "status": form.status}


def _file_status(forms: list[FormResult], issues: list[Issue]) -> str:
    """accepted: every filled form clean; with warnings: something to say; else rejected."""
    counting = [f for f in forms if f.counts]
    if not counting:
        return REJECTED
    if issues or any(f.status != ACCEPTED for f in forms):
        return WITH_WARNINGS
    return ACCEPTED


class Collector:
    """Processes received files one by one into the ledger."""

    def __init__(self, round_: Round, ledger: Ledger, reader: SandboxedReader,
                 now: dt.datetime) -> None:
        self.round = round_
        self.ledger = ledger
        self.reader = reader
        self.collected_at = _iso(now)
        packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
        self.view = RoundView.build(round_.config, round_.scheme, round_.key, packs,
                                    load_round_handbook(round_.paths))

    def process(self, received: Received) -> FileOutcome:
        """Archive, check, read, validate and record one received file."""
        limits = self.round.config.limits
        lang = self.round.lang
        too_large = received.size > limits.max_file_bytes
        if too_large:
            sha, size = hash_received(received)
            archived = ""
        else:
            sha, size, archived = archive_received(received, self.round.paths.archive)
        base = FileRecord(sha, size, received.name, received.source, received.sender,
                          _iso(received.received_at), None, archived, REJECTED)
        if self.ledger.has_file(sha):
            self.ledger.record_file(base, self.collected_at, [], [])
            carried = [{"form_id": s.form_id, "sheet": s.sheet, "role": s.role,
                        "rater": s.rater, "target": s.target, "status": s.status}
                       for s in self.ledger.submissions(sha)]
            return FileOutcome(base, DUPLICATE, carried, [])

        forms: list[FormResult] = []
        fmt: str | None = None
        if received.problem is not None:  # a message without a usable attachment
            issues = [no_attachment_issue(received)]
        elif too_large:
            issues = [issue("file-too-large", size=f"{size / 2**20:.1f} MB",
                            limit=f"{limits.max_file_bytes / 2**20:.0f} MB")]
        else:
            data = (self.round.paths.root / archived).read_bytes()
            check = precheck_bytes(data, received.name, limits, lang)
            issues = list(check.issues)
            fmt = check.format
            if not check.rejected:
                extract = self.reader.read(self.round.paths.root / archived)
                if isinstance(extract, ReadFailure):
                    params: dict[str, Any] = (
                        {"reason": extract.detail} if extract.code == "parse-failed"
                        else {"detail": extract.detail})
                    issues.append(issue(extract.code, **params))
                else:
                    result = validate_workbook(extract, self.view)
                    forms = result.forms
                    issues += result.all_issues()
                    issues += check_mail_submission(received, forms, self.round, self.view)
        status = _file_status(forms, issues)
        record = FileRecord(sha, size, received.name, received.source, received.sender,
                            base.received_at, fmt, archived, status)
        if not self.ledger.record_file(record, self.collected_at, forms, issues):
            # Another collect recorded the same bytes between our check and our write.
            return FileOutcome(record, DUPLICATE, [_form_entry(f) for f in forms], [])
        return FileOutcome(record, status, [_form_entry(f) for f in forms], issues)


def collect_round(
    round_: Round,
    sources: list[Path] | None = None,
    *,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    mailboxes: Sequence[Mailbox] = (),
) -> CollectReport:
    """Collect returned files into the round.

    Args:
        round_: the opened round.
        sources: files, folders, .zip archives, .eml, mbox and Maildir (default: the round's
            inbox, unless ``mailboxes`` are given).
        now: the collection time (default: now).
        progress: called with ``(done, total)`` after each file.
        mailboxes: remote mailboxes (IMAP): only messages this round has not seen are read,
            and they are remembered as seen once their files are recorded.

    Returns:
        One outcome per received file, and the rejection report written.

    Raises:
        SourceError: a source does not exist or an archive cannot be listed.
        MailError: a mailbox cannot be reached or read.
    """
    received = scan_sources(sources or ([] if mailboxes else [round_.paths.inbox]))
    report = CollectReport(round_.config.id, round_.lang)
    limits = round_.config.limits
    with round_lock(round_), Ledger(round_.paths.ledger) as ledger, SandboxedReader(
        seconds=limits.parse_seconds, memory_bytes=limits.parse_memory_bytes
    ) as reader:
        collector = Collector(round_, ledger, reader, now or dt.datetime.now(dt.UTC))
        if mailboxes:
            fetched = [item for mailbox in mailboxes for item in mailbox.fetch_new(ledger)]
            received = sorted([*received, *fetched], key=lambda r: (r.received_at, r.source))
        for done, item in enumerate(received, start=1):
            report.files.append(collector.process(item))
            if progress is not None:
                progress(done, len(received))
        for mailbox in mailboxes:
            mailbox.mark_seen(ledger, collector.collected_at)
        for outcome in report.files:
            if outcome.status in (ACCEPTED, WITH_WARNINGS):
                outcome.status = ledger.file_status(outcome.record)
        report.expected_forms = len(collector.view.expected)
        report.current_forms = len(collector.view.expected.keys()
                                   & ledger.current_submissions().keys())
        report.rejection_report = write_rejection_report(round_, ledger, collector.view)
    return report
