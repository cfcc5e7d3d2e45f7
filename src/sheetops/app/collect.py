"""``sheetops collect``: archive, pre-check, read, validate and record every returned file.

For each received file, in order of arrival:

1. copy its bytes into ``archive/`` under their SHA-256 (before anything else; inputs are
   never modified), unless it is over the size limit;
2. same bytes seen before → ``duplicate`` (recorded as a sighting, counted once);
3. safe pre-checks on the bytes, parsing and identity and cell validation, in a sandboxed worker
   process (several files at a time, one per worker; a crash or overrun costs that file);
4. the file, its forms and issues (at most ``max_issues_per_file``) go into the ledger in one
   transaction, strictly in arrival order, and the latest counting submission of each form
   becomes current.

Each item costs only itself: a failure while it is listed (a damaged .zip, a message that breaks
the mail parser), archived or recorded becomes that item's issue, its traceback is kept under
``.sheetops/errors/``, and the run goes on, so the rejection report is written and a re-run
does not stop at the same place.

A file-level lock serialises concurrent collects on one round; the ledger's transactions keep
even an unlocked writer from double-counting.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import secrets
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, BinaryIO, Final, overload

from sheetops.core.files import exclusive, remove_file, utc_stamp
from sheetops.core.issues import Issue, issue
from sheetops.core.platform import WorkerIsolation, usable_cpus
from sheetops.core.statuses import ACCEPTED, HELD, REJECTED, WITH_WARNINGS
from sheetops.intake.formulas import Formulas
from sheetops.intake.precheck import precheck_bytes
from sheetops.intake.reader import Extract, ReadFailure, read_workbook
from sheetops.intake.sandbox import SandboxPool
from sheetops.intake.sources import Received, failure_problem, scan_sources
from sheetops.layout.packs import sent_packs
from sheetops.ledger.store import FileRecord, IssueReader, Ledger
from sheetops.mail.inbound.checks import check_mail_submission
from sheetops.mail.inbound.imap import Mailbox
from sheetops.mail.inbound.messages import MailFiles
from sheetops.model.handbook import load_round_handbook
from sheetops.model.round import Limits
from sheetops.model.workspace import Round
from sheetops.reports.rejections import write_rejection_report
from sheetops.validate.channel import check_link_owner
from sheetops.validate.scoresheet import FormResult, RoundView, WorkbookResult, validate_workbook

DUPLICATE: Final = "duplicate"
SUPERSEDED: Final = "superseded"
STATUSES: Final = (ACCEPTED, WITH_WARNINGS, HELD, REJECTED, DUPLICATE, SUPERSEDED)
_SAFE_SUFFIX: Final = re.compile(r"\.[a-z0-9]{1,5}")
ARRIVALS_NAME: Final = "arrivals.jsonl"  # archive/arrivals.jsonl: where each file came from
ARRIVAL_FORMAT: Final = "sheetops-arrival-1"
MAX_WORKERS: Final = 8
# Issues a run's result holds in memory; past them, recorded files' issues are read back
# from the ledger when asked for (about 0.6 KiB each held: 20,000 is some 12 MiB; at 100,000
# a messy 10,000-branch collect peaked at 312 MiB, at 20,000 at 274-276 MiB).
HELD_ISSUES: Final = 20_000
# Files between archiving and recording, per worker: enough to keep every worker busy while
# this process archives and records, few enough that memory stays flat however many arrive.
WINDOW_PER_WORKER: Final = 8


class StoredIssues(Sequence[Issue]):
    """A recorded file's issues, read back from the ledger whenever they are asked for.

    A run's result keeps each file's issues for the caller (the CLI's summary, ``--json``);
    past :data:`HELD_ISSUES` of them in one run it keeps only this, so that memory does not
    grow with the number of warnings.
    """

    def __init__(self, reader: IssueReader, sha256: str, count: int) -> None:
        self._reader = reader
        self._sha256 = sha256
        self._count = count

    def _read(self) -> list[Issue]:
        return self._reader.issues(self._sha256)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Issue: ...

    @overload
    def __getitem__(self, index: slice) -> list[Issue]: ...

    def __getitem__(self, index: int | slice) -> Issue | list[Issue]:
        return self._read()[index]

    def __iter__(self) -> Iterator[Issue]:
        return iter(self._read())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass
class FileOutcome:
    """What happened to one received file in this run."""

    record: FileRecord
    status: str
    forms: list[dict[str, Any]]
    issues: Sequence[Issue]
    reader: str | None = None  # which reader read it (None: not read in this run)

    def to_json(self, lang: str) -> dict[str, Any]:
        """This file's entry in the ``collect --json`` document (docs/json.md)."""
        r = self.record
        return {
            "sha256": r.sha256,
            "name": r.name,
            "source": r.source,
            "sender": r.sender,
            "received_at": r.received_at,
            "claimed_at": r.claimed_at,
            "size": r.size,
            "format": r.format,
            "reader": self.reader,
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


def round_lock(round_: Round) -> AbstractContextManager[None]:
    """Hold the round's collect lock (blocks while another collect runs)."""
    return exclusive(round_.paths.private / "collect.lock")


class Archive:
    """The round's ``archive/``: every received file's bytes under their SHA-256, read-only.

    Each folder (``archive/ab/``) is listed once per run, when its first file arrives; collect
    holds the round's lock, so nothing else adds to it meanwhile.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stored: dict[str, dict[str, str]] = {}  # folder → SHA-256 → file name
        self._arrived: set[str] | None = None  # the files the journal knows, once read
        self._journal: int | None = None  # the journal's descriptor, open for appending

    def close(self) -> None:
        """Close the arrivals journal (opened by the first file archived)."""
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None

    def remove_leftovers(self) -> int:
        """Remove the half-written copies (``.incoming-*``) a stopped collect left behind
        (only while holding the round's lock: a running collect writes them).

        Returns:
            How many were removed.
        """
        removed = 0
        for path in self.folder.glob(".incoming-*"):
            remove_file(path)
            removed += 1
        return removed

    def _folder(self, prefix: str) -> dict[str, str]:
        stored = self._stored.get(prefix)
        if stored is None:
            try:
                names = sorted(os.listdir(self.folder / prefix))
            except FileNotFoundError:
                names = []
            stored = {}
            for name in names:
                stored.setdefault(name[:64], name)
            self._stored[prefix] = stored
        return stored

    def store(self, received: Received) -> tuple[str, int, str]:
        """Copy a received file into the archive under its SHA-256, streaming, and note in the
        arrivals journal where it came from (see :meth:`note_arrival`).

        Returns:
            ``(sha256, size, path relative to the round)``; an existing copy is kept as it is
            (and noted in the journal if an earlier version archived it without a note).
        """
        temporary = self.folder / f".incoming-{os.getpid()}-{secrets.token_hex(6)}"
        digest = hashlib.sha256()
        size = 0
        try:
            # Created read-only: the descriptor opened here is the only one that ever writes.
            with received.open() as source, _create(temporary) as target:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    target.write(chunk)
                    size += len(chunk)
            sha = digest.hexdigest()
            prefix = sha[:2]
            stored = self._folder(prefix)
            name = stored.get(sha)
            if name is None:
                suffix = PurePath(received.name).suffix.lower()
                name = sha + (suffix if _SAFE_SUFFIX.fullmatch(suffix) else ".bin")
                final = self.folder / prefix / name
                try:
                    os.replace(temporary, final)
                except FileNotFoundError:  # the first file of its folder
                    final.parent.mkdir(exist_ok=True)
                    os.replace(temporary, final)
                stored[sha] = name
                self.note_arrival(sha, received)
            elif sha not in self.arrived():
                self.note_arrival(sha, received)
        finally:
            remove_file(temporary)  # read-only: Windows removes it only once made writable
        return sha, size, f"{self.folder.name}/{prefix}/{name}"

    def arrived(self) -> set[str]:
        """The SHA-256 of every file the arrivals journal has a line for (read once a run)."""
        if self._arrived is None:
            self._arrived = {str(entry["sha256"]) for entry in read_arrivals(self.folder)}
        return self._arrived

    def note_arrival(self, sha: str, received: Received) -> None:
        """Append to ``archive/arrivals.jsonl`` where a newly archived file came from: its
        name, source, sender, arrival and claimed times, subject, Message-ID and
        personal-link recipient.

        With the archive and the decisions journal, this is what ``sheetops rebuild`` needs to
        make a lost or damaged ledger again. One line per file, written in one call: a line
        cut short by a stop is completed by a line feed before the next one, and skipped by
        :func:`read_arrivals`.
        """
        entry = {
            "format": ARRIVAL_FORMAT, "sha256": sha, "name": received.name,
            "source": received.source, "sender": received.sender,
            "received_at": utc_stamp(received.received_at),
            "claimed_at": (utc_stamp(received.claimed_at) if received.claimed_at is not None
                           else None),
            "subject": received.subject, "message_id": received.message_id,
            "recipient": received.recipient,
        }
        line = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        if self._journal is None:
            path = self.folder / ARRIVALS_NAME
            # O_BINARY: without it Windows writes every line feed byte as CR LF.
            flags = (os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0))
            self._journal = os.open(path, flags, 0o644)
            size = os.fstat(self._journal).st_size
            if size and _last_byte(path, size) != b"\n":
                line = b"\n" + line
        os.write(self._journal, line)
        if self._arrived is not None:
            self._arrived.add(sha)


def _last_byte(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(size - 1)
        return handle.read(1)


def read_arrivals(folder: Path) -> Iterator[dict[str, Any]]:
    """The arrivals journal's entries (``archive/arrivals.jsonl``), oldest first; lines that
    cannot be read (cut short by a stop) are skipped."""
    try:
        handle = (folder / ARRIVALS_NAME).open("rb")
    except FileNotFoundError:
        return
    with handle:
        for raw in handle:
            try:
                entry = json.loads(raw)
                dt.datetime.fromisoformat(str(entry["received_at"]))
                str(entry["sha256"]), str(entry["name"]), str(entry["source"])
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(entry, dict):
                yield entry


def _create(path: Path) -> BinaryIO:
    """Create a new read-only file and open it for writing, making its folder on first use."""
    # O_BINARY: without it Windows writes every line feed byte as CR LF.
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))
    try:
        descriptor = os.open(path, flags, 0o444)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o444)
    return os.fdopen(descriptor, "wb")


def hash_received(received: Received) -> tuple[str, int]:
    """Hash a file without keeping it (for files over the size limit)."""
    digest = hashlib.sha256()
    size = 0
    with received.open() as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _form_entry(form: FormResult) -> dict[str, Any]:
    return {"form_id": form.form_id, "sheet": form.sheet, "role": form.role,
            "rater": form.rater, "target": form.target, "status": form.status,
            "vetoes": _answered_yes(form.vetoes, form.veto_notes)}


def _answered_yes(vetoes: Mapping[str, bool], notes: Mapping[str, str]) -> dict[str, str]:
    """The veto questions answered Yes, each with its details (a form whose Yes has no
    details is rejected, so every counting veto is explained)."""
    return {veto_id: notes.get(veto_id, "") for veto_id, answer in vetoes.items() if answer}


def by_arrival(items: Sequence[Received], seen: dt.datetime) -> list[Received]:
    """Put received items in the order they arrived, by times the sender cannot set.

    A receiving server's time (a mail's topmost Received line, IMAP INTERNALDATE, an upload)
    is kept; any other item (a file in a folder, a zip member, a saved mail without a
    Received line) arrived when this collect first saw it, ``seen``, and the time its sender's
    side wrote (file or member time, the mail's Date) is kept as evidence only. Items seen at
    the same moment keep the order of that evidence, then of their source.
    """
    placed = [item if item.server_time else dataclasses.replace(
        item, received_at=seen, claimed_at=item.claimed_at or item.received_at)
        for item in items]
    return sorted(placed, key=lambda r: (r.received_at, r.claimed_at or r.received_at,
                                         r.source))


def _file_status(forms: list[FormResult], issues: list[Issue]) -> str:
    """held: a valid form waits for staff to accept it; accepted: every filled form clean;
    with warnings: something to say; else rejected."""
    if any(f.status == HELD for f in forms):
        return HELD
    counting = [f for f in forms if f.counts]
    if not counting:
        return REJECTED
    if issues or any(f.status != ACCEPTED for f in forms):
        return WITH_WARNINGS
    return ACCEPTED


def _failure_issue(failure: ReadFailure) -> Issue:
    params: dict[str, Any] = ({"reason": failure.detail} if failure.code == "parse-failed"
                              else {"detail": failure.detail})
    return issue(failure.code, **params)


def bounded_issues(issues: list[Issue], limit: int) -> list[Issue]:
    """Return at most ``limit`` issues, then one ``issues-truncated`` that counts the rest.

    A junk file can hold hundreds of thousands of cells in error; stored whole, they made
    every later rejection report slow to write and too long to read.

    Args:
        issues: the file's issues, in the order found.
        limit: how many to keep.

    Returns:
        ``issues`` itself when within the limit.
    """
    if len(issues) <= limit:
        return issues
    return [*issues[:limit], issue("issues-truncated", shown=limit, more=len(issues) - limit)]


def default_workers() -> int:
    """Return how many worker processes read files by default: one per usable core (≤ 8)."""
    return min(usable_cpus(), MAX_WORKERS)


@dataclass(frozen=True)
class FileJob:
    """What a worker is asked to read: an archived file (path) and its received name."""

    path: str
    name: str


@dataclass(frozen=True)
class FileCheck:
    """What a worker found in one file: its real format (None: not read), issues and forms."""

    format: str | None
    issues: list[Issue]
    forms: list[FormResult]
    reader: str | None = None  # calamine, or the second reader that read what it refused


@dataclass(frozen=True)
class FileChecker:
    """Pre-check, parse and validate one archived file: what a sandboxed worker runs.

    It holds only what the checks need, so that it pickles: a spawned worker (macOS,
    Windows) is sent a copy when it starts; a forked one (Linux) inherits it.
    """

    limits: Limits
    lang: str
    view: RoundView
    read: Callable[[str, Formulas | None], Extract | ReadFailure]
    validate: Callable[[Extract, RoundView], WorkbookResult]

    def __call__(self, job: FileJob) -> FileCheck:
        """Check one file.

        Args:
            job: the archived file and its received name.

        Returns:
            Its real format (None when the pre-checks reject it), issues and forms; a parse
            error is one of the issues.
        """
        data = Path(job.path).read_bytes()
        found = precheck_bytes(data, job.name, self.limits, self.lang)
        del data
        issues = list(found.issues)
        if found.rejected:
            return FileCheck(None, issues, [])
        extract = self.read(job.path, found.formulas)
        if isinstance(extract, ReadFailure):
            return FileCheck(found.format, [*issues, _failure_issue(extract)], [])
        result = self.validate(extract, self.view)
        return FileCheck(found.format, issues + result.all_issues(), result.forms,
                         extract.reader)


@dataclass
class _Arrival:
    """A received file between archiving and recording.

    Either it needs no reading (``job`` None: a duplicate, or ``issues`` already decided) or a
    worker reads it and ``result`` holds what came back.
    """

    received: Received
    base: FileRecord
    duplicate: bool = False
    issues: list[Issue] = field(default_factory=list)
    job: FileJob | None = None
    result: FileCheck | ReadFailure | None = None
    unrecorded: bool = False  # its bytes could not be read: reported, not recorded

    @property
    def ready(self) -> bool:
        """Whether it can be recorded."""
        return self.job is None or self.result is not None


class Collector:
    """Takes received files through archive, checks and ledger, recording in arrival order.

    The checks of each file (pre-check, parse, validation) run in sandboxed worker processes
    (:attr:`check`, several files at a time); archiving and recording stay in this process, and
    files are recorded strictly in the order received, since later submissions supersede
    earlier ones.
    """

    def __init__(self, round_: Round, ledger: Ledger, now: dt.datetime) -> None:
        self.round = round_
        self.ledger = ledger
        self.collected_at = utc_stamp(now)
        packs = sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)
        self.view = RoundView.build(round_.config, round_.scheme, round_.key, packs,
                                    load_round_handbook(round_.paths))
        self._admitted: set[str] = set()  # the bytes taken in by this run
        self.archive = Archive(round_.paths.archive)
        # The reader and validator are looked up as the run starts and travel with the checker,
        # to forked and spawned workers alike.
        self.check = FileChecker(round_.config.limits, round_.lang, self.view, read_workbook,
                                 validate_workbook)

    def collect(self, received: Iterable[Received],
                pool: SandboxPool[int, FileJob, FileCheck]) -> Iterator[FileOutcome]:
        """Process ``received`` (in arrival order), yielding each outcome once it is recorded.

        Each file is archived, then read by a worker of ``pool`` while the next ones are
        archived; outcomes are recorded in arrival order whatever order the workers finish in.
        At most ``WINDOW_PER_WORKER`` files per worker are between archiving and recording at
        any time, so memory does not grow with the number of files.

        Args:
            received: the received files, oldest first.
            pool: the workers, running :attr:`check`.

        Returns:
            The outcomes, in the order of ``received``, each yielded once it is in the ledger.
        """
        window: deque[_Arrival] = deque()
        reading: dict[int, _Arrival] = {}
        limit = WINDOW_PER_WORKER * pool.workers

        def take(results: list[tuple[int, FileCheck | ReadFailure]]) -> None:
            for key, result in results:
                reading.pop(key).result = result

        for index, item in enumerate(received):
            arrival = self.admit_guarded(item)
            window.append(arrival)
            if arrival.job is not None:
                while pool.full:
                    take(pool.wait())
                pool.submit(index, arrival.job)
                reading[index] = arrival
            take(pool.wait(0))
            while window and (window[0].ready or len(window) >= limit):
                while not window[0].ready:
                    take(pool.wait())
                yield self.record_guarded(window.popleft())
        while window:
            while not window[0].ready:
                take(pool.wait())
            yield self.record_guarded(window.popleft())

    def admit(self, received: Received) -> _Arrival:
        """Archive (or, over the size limit, only hash) a received file; decide what it needs.

        Args:
            received: the file.

        Returns:
            The file on its way: a duplicate of bytes already taken in, a file whose issues
            are already known (no attachment, too large), or a job for a worker.
        """
        limits = self.round.config.limits
        too_large = received.size > limits.max_file_bytes
        if too_large:
            sha, size = hash_received(received)
            archived = ""
        else:
            sha, size, archived = self.archive.store(received)
        claimed = received.claimed_at
        base = FileRecord(sha, size, received.name, received.source, received.sender,
                          utc_stamp(received.received_at), None, archived, REJECTED,
                          utc_stamp(claimed) if claimed is not None else None)
        if sha in self._admitted or self.ledger.has_file(sha):
            return _Arrival(received, base, duplicate=True)
        self._admitted.add(sha)
        problem = received.problem
        if problem is not None:  # no usable attachment, a damaged .zip, a listing that failed
            if problem.trace:
                self.keep_trace(sha, received, problem.trace)
            return _Arrival(received, base, issues=[problem.to_issue()])
        if too_large:
            return _Arrival(received, base, issues=[issue(
                "file-too-large", size=f"{size / 2**20:.1f} MB",
                limit=f"{limits.max_file_bytes / 2**20:.0f} MB")])
        return _Arrival(received, base, job=FileJob(str(self.round.paths.root / archived),
                                                    received.name))

    def record(self, arrival: _Arrival) -> FileOutcome:
        """Record one file (with its forms and issues) in the ledger, in one transaction.

        Args:
            arrival: the file, with what its worker found (or why the worker failed).

        Returns:
            The file's outcome in this run.
        """
        base = arrival.base
        if arrival.duplicate:
            self.ledger.record_file(base, self.collected_at, [], [])
            carried = [{"form_id": s.form_id, "sheet": s.sheet, "role": s.role,
                        "rater": s.rater, "target": s.target, "status": s.status,
                        "vetoes": _answered_yes(s.payload.get("vetoes", {}),
                                                s.payload.get("veto_notes", {}))}
                       for s in self.ledger.submissions(base.sha256)]
            return FileOutcome(base, DUPLICATE, carried, [])
        forms: list[FormResult] = []
        fmt: str | None = None
        reader: str | None = None
        issues = arrival.issues
        if isinstance(arrival.result, ReadFailure) and arrival.result.code == "check-failed":
            return self._check_failed(arrival, arrival.result)
        if isinstance(arrival.result, ReadFailure):
            # The worker died or overran: say what the pre-check says (it is safe here) and
            # that reading was aborted.
            data = (self.round.paths.root / base.archive).read_bytes()
            found = precheck_bytes(data, base.name, self.round.config.limits, self.round.lang)
            fmt = found.format
            issues = [*found.issues, *([] if found.rejected else
                                       [_failure_issue(arrival.result)])]
        elif arrival.result is not None:
            fmt = arrival.result.format
            reader = arrival.result.reader
            forms = arrival.result.forms
            issues = [*arrival.result.issues,
                      *check_mail_submission(arrival.received, forms, self.round, self.view),
                      *check_link_owner(arrival.received, forms, self.view)]
        status = _file_status(forms, issues)
        issues = bounded_issues(issues, self.round.config.limits.max_issues_per_file)
        record = dataclasses.replace(base, format=fmt, status=status)
        if not self.ledger.record_file(record, self.collected_at, forms, issues):
            # Another collect recorded the same bytes between our check and our write.
            return FileOutcome(record, DUPLICATE, [_form_entry(f) for f in forms], [])
        return FileOutcome(record, status, [_form_entry(f) for f in forms], issues, reader)

    def admit_guarded(self, received: Received) -> _Arrival:
        """:meth:`admit`, where any failure costs only this item.

        Archiving reads the item's bytes (a zip member, a mail attachment) and anything may
        go wrong there. The item then becomes an ``item-failed`` issue: recorded under its
        SHA-256 when its bytes were archived, else reported in this run only (there is nothing
        to keep); the traceback goes to ``.sheetops/errors/``.
        """
        try:
            return self.admit(received)
        except Exception as exc:
            problem = failure_problem(received.name, "archive", exc)
            found = problem.to_issue()
            key = hashlib.sha256(received.source.encode("utf-8")).hexdigest()
            self.keep_trace(key, received, problem.trace)
            base = FileRecord("", received.size, received.name, received.source,
                              received.sender, self.collected_at, None, "", REJECTED)
            return _Arrival(received, base, issues=[found], unrecorded=True)

    def record_guarded(self, arrival: _Arrival) -> FileOutcome:
        """:meth:`record`, where any failure costs only this file.

        A file whose recording raised (a value the ledger refuses, a bug) is recorded again
        with the failure as its only issue, so it is reported, counted once and not read
        again; the traceback goes to ``.sheetops/errors/``.
        """
        if arrival.unrecorded:
            return FileOutcome(arrival.base, REJECTED, [], arrival.issues)
        try:
            return self.record(arrival)
        except Exception as exc:
            problem = failure_problem(arrival.base.name, "record", exc)
            self.keep_trace(arrival.base.sha256, arrival.received, problem.trace)
            found = [problem.to_issue()]
            record = dataclasses.replace(arrival.base, status=REJECTED)
            try:
                self.ledger.record_file(record, self.collected_at, [], found)
            except Exception:
                self._admitted.discard(record.sha256)
            return FileOutcome(record, REJECTED, [], found)

    def keep_trace(self, key: str, received: Received, trace: str) -> None:
        """Keep a failure's traceback in ``.sheetops/errors/<key>.txt``: a bug must stay
        visible even though the run went on."""
        folder = self.round.paths.private / "errors"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{key}.txt").write_text(
            f"{received.name} ({received.source}), collected {self.collected_at}\n\n{trace}",
            encoding="utf-8")

    def _check_failed(self, arrival: _Arrival, failure: ReadFailure) -> FileOutcome:
        """A check that raised (a bug): the file is archived but not recorded, so the next
        collect checks it again; the traceback is kept in ``.sheetops/errors/<sha256>.txt``.
        """
        base = arrival.base
        self._admitted.discard(base.sha256)  # the same bytes again are checked, not skipped
        self.keep_trace(base.sha256, arrival.received, failure.trace)
        return FileOutcome(base, REJECTED, [], [_failure_issue(failure)])


def collect_round(
    round_: Round,
    sources: list[Path] | None = None,
    *,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    mailboxes: Sequence[Mailbox] = (),
    workers: int | None = None,
    received: Sequence[Received] = (),
    isolation: WorkerIsolation | None = None,
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
        workers: how many sandboxed processes check files side by side (default: one per
            usable core, see :func:`default_workers`).
        received: files received some other way (uploaded through the console or the
            portal); with ``received`` and no ``sources``, the inbox is not read.
        isolation: how the workers start and how their memory is capped (default: what the
            platform does best, see :func:`sheetops.core.platform.worker_isolation`).

    Returns:
        One outcome per received file, and the rejection report written.

    Each received item costs only itself: whatever fails while it is listed, unpacked,
    archived or recorded becomes its issue (``item-failed``, the traceback kept under
    ``.sheetops/errors/``), and the run goes on.

    Raises:
        SourceError: a source does not exist.
        MailError: a mailbox cannot be reached or read.
    """
    limits = round_.config.limits
    seen = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    scanned = scan_sources(sources or ([] if mailboxes or received else [round_.paths.inbox]),
                           [MailFiles(limits)])
    arrived = by_arrival([*scanned, *received], seen)
    report = CollectReport(round_.config.id, round_.lang)
    with round_lock(round_), Ledger(round_.paths.ledger) as ledger:
        collector = Collector(round_, ledger, seen)
        collector.archive.remove_leftovers()  # of a collect that was stopped
        if mailboxes:
            fetched = [item for mailbox in mailboxes
                       for item in mailbox.fetch_new(ledger, limits)]
            arrived = by_arrival([*arrived, *fetched], seen)
        # Workers start from here on demand, with the round view built above (inherited when
        # forked, sent when spawned).
        pool: SandboxPool[int, FileJob, FileCheck] = SandboxPool(
            collector.check, workers=workers or default_workers(),
            seconds=limits.parse_seconds, memory_bytes=limits.parse_memory_bytes,
            isolation=isolation)
        reader = IssueReader(round_.paths.ledger)
        held = 0
        with pool, contextlib.closing(collector.archive):
            for done, outcome in enumerate(collector.collect(arrived, pool), start=1):
                held += len(outcome.issues)
                if held > HELD_ISSUES and outcome.record.sha256 and outcome.status not in (
                        DUPLICATE,) and ledger.has_file(outcome.record.sha256):
                    outcome.issues = StoredIssues(reader, outcome.record.sha256,
                                                  len(outcome.issues))
                report.files.append(outcome)
                if progress is not None:
                    progress(done, len(arrived))
        for mailbox in mailboxes:
            mailbox.mark_seen(ledger, collector.collected_at)
        superseded = ledger.superseded_files()
        for outcome in report.files:
            if outcome.status in (ACCEPTED, WITH_WARNINGS) and (
                    outcome.record.sha256 in superseded):
                outcome.status = SUPERSEDED
        report.expected_forms = len(collector.view.expected)
        report.current_forms = len(collector.view.expected.keys() & ledger.current_form_ids())
        report.rejection_report = write_rejection_report(round_, ledger, collector.view)
    return report
