"""The round's ledger (SQLite): what was received, what it carried, what was found and decided.

Files are keyed by the SHA-256 of their bytes, so the same bytes are recorded once however often
they arrive (each arrival is kept as a sighting). Every form found in a file is a submission; the
latest counting submission of a form (by received time) is current, earlier ones are superseded.
Writes happen in ``BEGIN IMMEDIATE`` transactions, so two collectors never interleave half-way.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from sheetops.core.errors import RoundError, Severity
from sheetops.core.issues import Issue
from sheetops.core.platform import database_path_too_long
from sheetops.core.statuses import ACCEPTED, HELD, WITH_WARNINGS

if TYPE_CHECKING:
    from sheetops.validate.scoresheet import FormResult

SCHEMA_VERSION: Final = 2  # 2: files.claimed_at
SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS files (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,
    sender      TEXT,
    received_at TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    format      TEXT,
    archive     TEXT NOT NULL,
    status      TEXT NOT NULL,
    claimed_at  TEXT
);
CREATE TABLE IF NOT EXISTS sightings (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL REFERENCES files(sha256),
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,
    sender      TEXT,
    received_at TEXT NOT NULL,
    seen_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL REFERENCES files(sha256),
    form_id     TEXT NOT NULL,
    sheet       TEXT NOT NULL,
    role        TEXT NOT NULL,
    rater       TEXT NOT NULL,
    target      TEXT NOT NULL,
    status      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload     TEXT NOT NULL,
    superseded_by INTEGER REFERENCES submissions(id)
);
CREATE INDEX IF NOT EXISTS submissions_form ON submissions(form_id);
CREATE INDEX IF NOT EXISTS submissions_file ON submissions(sha256);
CREATE TABLE IF NOT EXISTS issues (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL REFERENCES files(sha256),
    form_id     TEXT,
    code        TEXT NOT NULL,
    severity    TEXT NOT NULL,
    sheet       TEXT,
    cell        TEXT,
    params      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issues_file ON issues(sha256);
CREATE TABLE IF NOT EXISTS decisions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    branch      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    note        TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    revoked_at  TEXT
);
"""
COUNTING: Final = (ACCEPTED, WITH_WARNINGS)
# Beside the ledger, every committee decision is also appended to a journal of its own, one
# JSON line each, so that a lost or damaged ledger can be rebuilt (``sheetops rebuild``).
JOURNAL_NAME: Final = "decisions.jsonl"
_BATCH: Final = 500  # form ids per query (SQLite caps the parameters of one statement)
READ_BATCH: Final = 500  # submissions whose payloads are read and decoded at a time, when streamed


@dataclass(frozen=True)
class FileRecord:
    """A received file as the ledger knows it."""

    sha256: str
    size: int
    name: str
    source: str
    sender: str | None
    received_at: str
    format: str | None
    archive: str
    status: str
    claimed_at: str | None = None  # a time the sender's side wrote (file time, mail Date)


@dataclass(frozen=True)
class Submission:
    """One form as carried by one file."""

    id: int
    sha256: str
    form_id: str
    sheet: str
    role: str
    rater: str
    target: str
    status: str
    received_at: str
    payload: dict[str, Any]
    superseded_by: int | None

    @property
    def current(self) -> bool:
        """Whether this is the form's counting submission."""
        return self.status in COUNTING and self.superseded_by is None


class SubmissionState(NamedTuple):
    """Where one submission stands, without its payload."""

    form_id: str
    sha256: str
    status: str
    received_at: str
    current: bool  # the form's counting submission


class SubmissionKey(NamedTuple):
    """A submission without its payload: enough to choose and order what is read."""

    id: int
    form_id: str
    sha256: str
    role: str
    rater: str
    target: str


class CurrentVersion(NamedTuple):
    """Where a form's counting submission comes from: the file and when it arrived."""

    sha256: str
    received_at: str


class SelectedIssue(NamedTuple):
    """One recorded issue of a selected file, with the group it is reported in."""

    sha256: str
    recipient: str
    form_id: str | None
    code: str
    severity: str
    sheet: str | None
    cell: str | None
    params: str  # JSON

    def to_issue(self) -> Issue:
        """The issue itself."""
        return Issue(self.code, Severity(self.severity), self.sheet, self.cell,
                     MappingProxyType(json.loads(self.params)), self.form_id)


class CodeCount(NamedTuple):
    """How often one issue code (at one severity) occurs among the selected files."""

    code: str
    severity: str
    issues: int
    forms: int  # distinct (file, form) pairs; a file-level issue counts its file once
    recipients: int


class RecipientCount(NamedTuple):
    """One recipient's issues among the selected files."""

    recipient: str
    files: int
    errors: int
    warnings: int


class FileSelection:
    """Queries over the files of :meth:`Ledger.selection`."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def issues(self) -> Iterator[SelectedIssue]:
        """Every issue of the selected files, file by file in the selection's order, each
        file's in the order found. Read row by row: the selection's order is its rowid and each
        file's issues come from the ``issues_file`` index in id order, so SQLite sorts nothing.
        """
        rows = self._db.execute(
            "SELECT i.sha256, s.recipient, i.form_id, i.code, i.severity, i.sheet, i.cell,"
            " i.params FROM temp.selected s JOIN issues i ON i.sha256 = s.sha256"
            " ORDER BY s.position, i.id")
        for row in rows:
            yield SelectedIssue(*row)

    def group_count(self) -> int:
        """How many groups the selected files' issues make (one per file, form, sheet and
        code: the rows of the rejection report)."""
        return int(self._db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT i.sha256, i.form_id, i.sheet, i.code"
            " FROM issues i JOIN temp.selected s ON s.sha256 = i.sha256)").fetchone()[0])

    def code_counts(self) -> list[CodeCount]:
        """Issues, forms and recipients per code and severity, most issues first."""
        rows = self._db.execute(
            "SELECT i.code, i.severity, count(*),"
            " count(DISTINCT i.sha256 || '/' || coalesce(i.form_id, '')),"
            " count(DISTINCT s.recipient)"
            " FROM issues i JOIN temp.selected s ON s.sha256 = i.sha256"
            " GROUP BY i.code, i.severity ORDER BY count(*) DESC, i.code, i.severity")
        return [CodeCount(*row) for row in rows]

    def recipient_counts(self) -> list[RecipientCount]:
        """Files, errors and warnings of every selected recipient, by recipient."""
        rows = self._db.execute(
            "SELECT s.recipient, count(DISTINCT s.sha256),"
            " count(CASE WHEN i.severity = 'error' THEN 1 END),"
            " count(CASE WHEN i.severity = 'warning' THEN 1 END)"
            " FROM temp.selected s LEFT JOIN issues i ON i.sha256 = s.sha256"
            " GROUP BY s.recipient ORDER BY s.recipient")
        return [RecipientCount(*row) for row in rows]


def read_issues(db: sqlite3.Connection, sha256: str) -> list[Issue]:
    """The issues recorded for a file, in the order found, through any connection to the
    ledger (a read-only one too)."""
    rows = db.execute(
        "SELECT form_id,code,severity,sheet,cell,params FROM issues WHERE sha256=?"
        " ORDER BY id", (sha256,)
    ).fetchall()
    return [Issue(row[1], Severity(row[2]), row[3], row[4],
                  MappingProxyType(json.loads(row[5])), row[0]) for row in rows]


class IssueReader:
    """Reads recorded issues back from a ledger, through one connection of its own opened on
    first use; it only reads (in WAL mode a reader never waits for a writer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    def issues(self, sha256: str) -> list[Issue]:
        """The issues recorded for the file ``sha256``, in the order found."""
        if self._connection is None:
            self._connection = sqlite3.connect(self.path, timeout=60,
                                               check_same_thread=False)
        return read_issues(self._connection, sha256)


def form_payload(form: FormResult) -> dict[str, Any]:
    """Return what a form carried, as JSON-ready data (scores as strings, exact)."""
    return {
        "scores": {k: str(v) for k, v in form.scores.items()},
        "notes": form.notes,
        "vetoes": form.vetoes,
        "veto_notes": form.veto_notes,
        **({"records": form.records} if form.records else {}),
    }


_SCORES: dict[str, Decimal] = {}  # scores as written → their Decimal (a round has few)
_SCORES_KEPT: Final = 4096


def _score(written: str) -> Decimal:
    value = _SCORES.get(written)
    if value is None:
        if len(_SCORES) >= _SCORES_KEPT:
            _SCORES.clear()
        value = _SCORES[written] = Decimal(written)
    return value


def payload_scores(payload: dict[str, Any]) -> dict[str, Decimal]:
    """Return a payload's item scores as Decimals.

    Item ids are interned and equal scores written alike are one Decimal (it is immutable):
    a round's forms repeat a handful of each, and decoding them is most of reading a form.
    """
    known = _SCORES.get
    return {sys.intern(k): known(v) or _score(v) for k, v in payload.get("scores", {}).items()}


class Ledger:
    """The round's SQLite ledger."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the ledger at ``path``.

        Raises:
            RoundError: the path is too long for SQLite, the ledger is damaged (not a
                database, or its pages are corrupt) or the round folder is read-only.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        self.journal = path.with_name(JOURNAL_NAME)
        try:
            self.connection = sqlite3.connect(path, timeout=60, isolation_level=None)
        except sqlite3.OperationalError as exc:
            if database_path_too_long(path):
                raise RoundError("round.path-too-long", path=os.path.abspath(path),
                                 length=len(os.path.abspath(path))) from exc
            raise
        self.connection.row_factory = sqlite3.Row
        try:
            self.connection.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the database; a power cut can lose only the
            # last transactions, which a re-run of collect records again (inputs are never
            # modified).
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            with self.transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.connection.execute(statement)
                columns = {row[1] for row in self.connection.execute("PRAGMA table_info(files)")}
                if "claimed_at" not in columns:  # a ledger of an earlier version
                    self.connection.execute("ALTER TABLE files ADD COLUMN claimed_at TEXT")
                self.connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:
            self.connection.close()
            if "readonly" in str(exc):
                raise RoundError("round.read-only", path=path) from exc
            raise
        except sqlite3.DatabaseError as exc:  # not a database, or corrupt pages
            self.connection.close()
            raise RoundError("round.ledger-damaged", path=path, reason=str(exc)) from exc

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate (write-locking) transaction, committed on success."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the ledger as it was at the first
        one, whatever a collect records meanwhile (WAL readers never block the writer)."""
        self.connection.execute("BEGIN DEFERRED")
        try:
            yield self.connection
        finally:
            self.connection.execute("COMMIT")

    # -- writing ----------------------------------------------------------------------------

    def record_file(
        self,
        record: FileRecord,
        collected_at: str,
        forms: Sequence[FormResult],
        issues: Sequence[Issue],
    ) -> bool:
        """Record a received file with its forms and issues, then re-decide supersession.

        Returns:
            False when these bytes were already recorded (a sighting is added instead).
        """
        with self.transaction() as db:
            added = db.execute(
                "INSERT INTO files(sha256,size,name,source,sender,received_at,collected_at,"
                "format,archive,status,claimed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(sha256) DO NOTHING",
                (record.sha256, record.size, record.name, record.source, record.sender,
                 record.received_at, collected_at, record.format, record.archive,
                 record.status, record.claimed_at),
            ).rowcount
            if not added:  # these bytes are known: this arrival is a sighting
                db.execute(
                    "INSERT INTO sightings(sha256,name,source,sender,received_at,seen_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (record.sha256, record.name, record.source, record.sender,
                     record.received_at, collected_at),
                )
                return False
            db.executemany(
                "INSERT INTO submissions(sha256,form_id,sheet,role,rater,target,status,"
                "received_at,payload) VALUES (?,?,?,?,?,?,?,?,?)",
                [(record.sha256, form.form_id, form.sheet, form.role, form.rater, form.target,
                  form.status, record.received_at,
                  json.dumps(form_payload(form), ensure_ascii=False, sort_keys=True))
                 for form in forms],
            )
            if issues:
                db.executemany(
                    "INSERT INTO issues(sha256,form_id,code,severity,sheet,cell,params)"
                    " VALUES (?,?,?,?,?,?,?)",
                    [(record.sha256, i.form_id, i.code, i.severity.value, i.sheet, i.cell,
                      i.params_json()) for i in issues],
                )
            self._decide_current(db, sorted({form.form_id for form in forms
                                             if form.status in COUNTING}))
        return True

    @staticmethod
    def _decide_current(db: sqlite3.Connection, form_ids: Sequence[str]) -> None:
        """Make the latest counting submission of each form current, the others superseded."""
        for start in range(0, len(form_ids), _BATCH):
            batch = form_ids[start:start + _BATCH]
            rows = db.execute(
                "SELECT id, form_id, superseded_by FROM submissions"
                f" WHERE form_id IN ({','.join('?' * len(batch))}) AND status IN (?,?)"
                " ORDER BY form_id, received_at, id",
                (*batch, *COUNTING),
            ).fetchall()
            latest = {row["form_id"]: row["id"] for row in rows}  # the last row of each form
            changes = []
            for row in rows:
                decided = None if row["id"] == latest[row["form_id"]] else latest[row["form_id"]]
                if row["superseded_by"] != decided:  # only changed decisions are written
                    changes.append((decided, row["id"]))
            db.executemany("UPDATE submissions SET superseded_by=? WHERE id=?", changes)

    # -- reading ----------------------------------------------------------------------------

    def has_file(self, sha256: str) -> bool:
        """Whether these bytes were already recorded."""
        row = self.connection.execute("SELECT 1 FROM files WHERE sha256=?", (sha256,))
        return row.fetchone() is not None

    def superseded_files(self) -> set[str]:
        """The SHA-256 of every file whose counting forms all have later submissions."""
        rows = self.connection.execute(
            "SELECT sha256 FROM submissions WHERE status IN (?,?) GROUP BY sha256"
            " HAVING count(superseded_by) = count(*)", COUNTING,
        ).fetchall()
        return {row[0] for row in rows}

    def current_versions(self) -> dict[str, CurrentVersion]:
        """Which file and arrival each form's counting submission comes from, by form id (what
        :meth:`current_submissions` holds, without reading the payloads)."""
        rows = self.connection.execute(
            "SELECT form_id, sha256, received_at FROM submissions WHERE status IN (?,?)"
            " AND superseded_by IS NULL ORDER BY received_at, id", COUNTING,
        ).fetchall()
        return {row[0]: CurrentVersion(row[1], row[2]) for row in rows}

    def current_form_ids(self) -> set[str]:
        """The id of every form that has a counting submission (what
        :meth:`current_submissions` holds, without reading the payloads)."""
        rows = self.connection.execute(
            "SELECT DISTINCT form_id FROM submissions WHERE status IN (?,?)"
            " AND superseded_by IS NULL", COUNTING,
        ).fetchall()
        return {row[0] for row in rows}

    def files(self) -> list[FileRecord]:
        """Every recorded file, by received time."""
        rows = self.connection.execute(
            "SELECT sha256,size,name,source,sender,received_at,format,archive,status,claimed_at"
            " FROM files ORDER BY received_at, name"
        ).fetchall()
        return [FileRecord(**dict(row)) for row in rows]

    def version(self) -> tuple[int, int, int]:
        """What changes whenever a file or submission is recorded or a decision taken (the
        last rowids): a cheap way for a reader to know whether what it derived from the
        ledger still holds (accepting a held return is a decision)."""
        row = self.connection.execute(
            "SELECT (SELECT coalesce(max(rowid), 0) FROM files),"
            " (SELECT coalesce(max(id), 0) FROM submissions),"
            " (SELECT coalesce(max(id), 0) FROM decisions)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def file(self, sha256: str) -> FileRecord | None:
        """The recorded file with this SHA-256, or None."""
        row = self.connection.execute(
            "SELECT sha256,size,name,source,sender,received_at,format,archive,status,claimed_at"
            " FROM files WHERE sha256=?", (sha256,)
        ).fetchone()
        return FileRecord(**dict(row)) if row else None

    def submissions_of_forms(self, form_ids: Sequence[str]) -> list[Submission]:
        """Every submission of these forms, in received order."""
        marks = ",".join("?" * len(form_ids))
        rows = self.connection.execute(
            f"SELECT * FROM submissions WHERE form_id IN ({marks}) ORDER BY received_at, id",
            tuple(form_ids)).fetchall()
        return [
            Submission(**{**dict(row), "payload": json.loads(row["payload"])}) for row in rows
        ]

    def submissions(self, sha256: str | None = None) -> list[Submission]:
        """Submissions of one file, or all, in received order."""
        query = "SELECT * FROM submissions"
        params: tuple[str, ...] = ()
        if sha256 is not None:
            query += " WHERE sha256=?"
            params = (sha256,)
        rows = self.connection.execute(query + " ORDER BY received_at, id", params).fetchall()
        return [
            Submission(**{**dict(row), "payload": json.loads(row["payload"])}) for row in rows
        ]

    def submission_states(self) -> list[SubmissionState]:
        """Every submission's form, file, status and arrival, in received order (what
        :meth:`submissions` holds, without reading the payloads)."""
        rows = self.connection.execute(
            "SELECT form_id, sha256, status, received_at, superseded_by FROM submissions"
            " ORDER BY received_at, id"
        ).fetchall()
        return [SubmissionState(row[0], row[1], row[2], row[3],
                                row[2] in COUNTING and row[4] is None) for row in rows]

    def current_keys(self) -> list[SubmissionKey]:
        """The counting submission of every form that has one, in received order, without
        its payload (what :meth:`current_submissions` holds)."""
        rows = self.connection.execute(
            "SELECT id, form_id, sha256, role, rater, target FROM submissions"
            " WHERE superseded_by IS NULL AND status IN (?,?) ORDER BY received_at, id",
            COUNTING)
        return [SubmissionKey(*row) for row in rows]

    def submissions_by_id(self, ids: Sequence[int]) -> list[Submission]:
        """These submissions (at most a few hundred ids), in the order given.

        Raises:
            KeyError: an id is not in the ledger.
        """
        cursor = self.connection.execute(
            "SELECT id, sha256, form_id, sheet, role, rater, target, status, received_at,"
            f" payload, superseded_by FROM submissions WHERE id IN ({','.join('?' * len(ids))})",
            tuple(ids))
        cursor.row_factory = None  # plain tuples, in Submission's field order
        found = {row[0]: row for row in cursor}
        return [Submission(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                           row[8], json.loads(row[9]), row[10])
                for row in (found[i] for i in ids)]

    def current_submissions(self) -> dict[str, Submission]:
        """The counting submission of every form that has one, by form id."""
        return {s.form_id: s for s in self.submissions() if s.current}

    def issues(self, sha256: str) -> list[Issue]:
        """The issues recorded for a file, in the order found."""
        return read_issues(self.connection, sha256)

    @contextmanager
    def selection(self, files: Iterable[tuple[str, str]]) -> Iterator[FileSelection]:
        """Some files, in a given order, each with the recipient it is reported under: what
        the reports read their issues through, ordered and counted by SQLite, so that no
        list of every issue is ever held in memory.

        Args:
            files: ``(sha256, recipient)`` pairs in the order the reports list them.

        Yields:
            The selection (a temporary table, dropped on leaving).
        """
        db = self.connection
        db.execute("CREATE TEMP TABLE IF NOT EXISTS selected ("
                   "position INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
                   " recipient TEXT NOT NULL)")
        db.execute("DELETE FROM temp.selected")
        db.executemany("INSERT INTO temp.selected VALUES (?,?,?)",
                       ((position, sha, recipient)
                        for position, (sha, recipient) in enumerate(files)))
        try:
            yield FileSelection(db)
        finally:
            db.execute("DROP TABLE temp.selected")

    def file_status(self, record: FileRecord) -> str:
        """The file's status now: its recorded status, or ``superseded`` once every form it
        counted for has a later submission."""
        if record.status not in COUNTING:
            return record.status
        counting, superseded = self.connection.execute(
            "SELECT count(*), count(superseded_by) FROM submissions"
            " WHERE sha256=? AND status IN (?,?)", (record.sha256, *COUNTING),
        ).fetchone()
        if counting and counting == superseded:
            return "superseded"
        return record.status

    # -- committee decisions ------------------------------------------------------------------

    def record_veto(self, branch: str, veto_id: str, note: str, at: str) -> None:
        """Record a committee veto on ``branch`` (a second one on the same question is kept
        too: each decision is history)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO decisions(kind,branch,subject,note,decided_at) VALUES (?,?,?,?,?)",
                ("veto", branch, veto_id, note, at),
            )
        self._journal("veto", branch, veto_id, note, at)

    def revoke_veto(self, branch: str, veto_id: str, note: str, at: str) -> int:
        """Revoke the active committee vetoes of ``branch`` on ``veto_id``; record why.

        Returns:
            How many were revoked (0 when there was none).
        """
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE decisions SET revoked_at=? WHERE kind='veto' AND branch=? AND subject=?"
                " AND revoked_at IS NULL",
                (at, branch, veto_id),
            )
            if cursor.rowcount:
                db.execute(
                    "INSERT INTO decisions(kind,branch,subject,note,decided_at,revoked_at)"
                    " VALUES (?,?,?,?,?,?)",
                    ("revoke", branch, veto_id, note, at, at),
                )
        if cursor.rowcount:
            self._journal("revoke", branch, veto_id, note, at)
        return int(cursor.rowcount)

    def active_vetoes(self) -> list[tuple[str, str, str, str]]:
        """Active committee vetoes as ``(branch, veto id, note, decided at)``."""
        rows = self.connection.execute(
            "SELECT branch, subject, note, decided_at FROM decisions"
            " WHERE kind='veto' AND revoked_at IS NULL ORDER BY id"
        ).fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def _journal(self, kind: str, branch: str, subject: str, note: str, at: str) -> None:
        """Append a recorded decision to the journal (after it was committed here)."""
        line = json.dumps({"kind": kind, "branch": branch, "subject": subject, "note": note,
                           "at": at}, ensure_ascii=False)
        with self.journal.open("a", encoding="utf-8") as journal:
            journal.write(line + "\n")

    def held_files(self) -> list[FileRecord]:
        """Files with forms held for review (from an address that is not their recipient's),
        by received time."""
        rows = self.connection.execute(
            "SELECT sha256,size,name,source,sender,received_at,format,archive,status,claimed_at"
            " FROM files WHERE sha256 IN (SELECT sha256 FROM submissions WHERE status=?)"
            " ORDER BY received_at, name", (HELD,)
        ).fetchall()
        return [FileRecord(**dict(row)) for row in rows]

    def accept_held(self, sha256: str, note: str, at: str) -> list[str]:
        """Count the forms of ``sha256`` that were held for review, as staff decided; record
        the decision with its note.

        The accepted forms take their place by arrival like any other: a form the recipient
        sent later stays current.

        Returns:
            The ids of the forms accepted (none when the file held none).
        """
        with self.transaction() as db:
            form_ids = [row[0] for row in db.execute(
                "SELECT form_id FROM submissions WHERE sha256=? AND status=? ORDER BY id",
                (sha256, HELD))]
            if not form_ids:
                return []
            db.execute("UPDATE submissions SET status=? WHERE sha256=? AND status=?",
                       (WITH_WARNINGS, sha256, HELD))
            db.execute("UPDATE files SET status=? WHERE sha256=? AND status=?",
                       (WITH_WARNINGS, sha256, HELD))
            db.execute(
                "INSERT INTO decisions(kind,branch,subject,note,decided_at) VALUES (?,?,?,?,?)",
                ("accept", ",".join(form_ids), sha256, note, at),
            )
            self._decide_current(db, sorted(set(form_ids)))
        self._journal("accept", ",".join(form_ids), sha256, note, at)
        return form_ids

    def acceptances(self) -> list[tuple[str, str, str, str]]:
        """Held files staff accepted, as ``(sha256, form ids, note, decided at)``."""
        rows = self.connection.execute(
            "SELECT subject, branch, note, decided_at FROM decisions WHERE kind='accept'"
            " ORDER BY id").fetchall()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def sightings(self) -> int:
        """How many times already-recorded bytes arrived again."""
        return int(self.connection.execute("SELECT count(*) FROM sightings").fetchone()[0])

    def current_submissions_of(self, role: str | None = None) -> dict[str, Submission]:
        """The counting submission of every form that has one, by form id; only ``role``'s.

        What :meth:`current_submissions` returns (for one role), chosen by SQL so that no
        other payload is decoded.
        """
        query = ("SELECT * FROM submissions WHERE superseded_by IS NULL"
                 f" AND status IN ({','.join('?' * len(COUNTING))})")
        params: tuple[str, ...] = COUNTING
        if role is not None:
            query += " AND role=?"
            params = (*COUNTING, role)
        rows = self.connection.execute(query + " ORDER BY received_at, id", params)
        return {
            row["form_id"]: Submission(**{**dict(row), "payload": json.loads(row["payload"])})
            for row in rows
        }


class SubmissionSeries:
    """Submissions of one ledger snapshot in a chosen order, read back as often as needed.

    Only their ids are held: each reading fetches and decodes :data:`READ_BATCH` payloads at a
    time, so a round's forms are never all in memory. Read it while the snapshot it was chosen
    in is open (:meth:`Ledger.snapshot`), so that every reading sees the same submissions.
    """

    def __init__(self, ledger: Ledger, keys: Iterable[SubmissionKey]) -> None:
        """Read the submissions of ``keys`` from ``ledger``, in the order given."""
        self._ledger = ledger
        self._ids = array("q")
        files = set()
        for key in keys:
            self._ids.append(key.id)
            files.add(key.sha256)
        self.files = len(files)  # how many files the submissions came in

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Submission]:
        return self.read()

    def read(self, start: int = 0, stop: int | None = None) -> Iterator[Submission]:
        """The submissions from position ``start`` up to ``stop`` (the end by default)."""
        ids = self._ids[start:stop]
        for first in range(0, len(ids), READ_BATCH):
            yield from self._ledger.submissions_by_id(ids[first:first + READ_BATCH])
