"""The staff console's own store: accounts, API tokens, sessions, failed sign-ins, audit log.

One SQLite file per workspace (``WORKSPACE/.sheetops/console.sqlite``), beside the rounds it
serves. Passwords are kept only as argon2id hashes, API tokens and session ids only as SHA-256
digests, so a copy of the file lets nobody in. The audit log is append-only: triggers refuse
every update and delete.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

CONSOLE_FILE: Final = Path(".sheetops") / "console.sqlite"

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    digest TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY,
    user TEXT,
    data BLOB NOT NULL,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_name ON login_failures(name, at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    round TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def digest(secret: str) -> str:
    """The SHA-256 digest under which a token or session id is kept."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    """A console account."""

    name: str
    role: str
    created_at: str


@dataclass(frozen=True)
class TokenRecord:
    """An API token (its secret is never stored)."""

    id: int
    user: str
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str  # UTC, ISO 8601
    actor: str
    address: str
    action: str
    round: str
    detail: str


class ConsoleStore:
    """The console's SQLite file; every method is one short transaction.

    Args:
        workspace: the folder the console serves (a round, or a folder of rounds).
    """

    def __init__(self, workspace: Path) -> None:
        self.path = workspace / CONSOLE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.executescript(_SCHEMA)  # every statement is IF NOT EXISTS
        finally:
            db.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    # -- accounts -------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str, at: str) -> bool:
        """Add an account; False when the name is taken."""
        with self._connect() as db:
            try:
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?)",
                           (name, role, password_hash, at))
            except sqlite3.IntegrityError:
                return False
        return True

    def user(self, name: str) -> User | None:
        """The account ``name``, or None."""
        with self._connect() as db:
            row = db.execute("SELECT name, role, created_at FROM users WHERE name = ?",
                             (name,)).fetchone()
        return User(*row) if row else None

    def password_hash(self, name: str) -> str | None:
        """The stored hash of ``name``'s password, or None for an unknown name."""
        with self._connect() as db:
            row = db.execute("SELECT password_hash FROM users WHERE name = ?",
                             (name,)).fetchone()
        return str(row[0]) if row else None

    def users(self) -> list[User]:
        """Every account, by name."""
        with self._connect() as db:
            rows = db.execute("SELECT name, role, created_at FROM users ORDER BY name")
            return [User(*row) for row in rows]

    def set_password_hash(self, name: str, password_hash: str) -> bool:
        """Replace ``name``'s password and end its sessions; False for an unknown name."""
        with self._connect() as db:
            changed = db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                                 (password_hash, name)).rowcount
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))
        return bool(changed)

    def remove_user(self, name: str) -> bool:
        """Remove an account with its tokens and sessions; False for an unknown name."""
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))
            return bool(db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount)

    # -- failed sign-ins ----------------------------------------------------------------------

    def failures_since(self, name: str, since: float) -> list[float]:
        """When ``name``'s failed sign-ins since ``since`` happened (epoch seconds), oldest
        first."""
        with self._connect() as db:
            rows = db.execute("SELECT at FROM login_failures WHERE name = ? AND at >= ? "
                              "ORDER BY at", (name, since))
            return [float(row[0]) for row in rows]

    def add_failure(self, name: str, at: float) -> None:
        """Remember a failed sign-in for ``name``."""
        with self._connect() as db:
            db.execute("INSERT INTO login_failures VALUES (?, ?)", (name, at))

    def clear_failures(self, name: str) -> None:
        """Forget ``name``'s failed sign-ins (after a successful one)."""
        with self._connect() as db:
            db.execute("DELETE FROM login_failures WHERE name = ?", (name,))

    # -- API tokens -----------------------------------------------------------------------

    def add_token(self, user: str, secret: str, at: str) -> int:
        """Store a new token of ``user`` (by digest); return its id."""
        with self._connect() as db:
            cursor = db.execute("INSERT INTO tokens (user, digest, created_at) VALUES (?, ?, ?)",
                                (user, digest(secret), at))
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def token_user(self, secret: str) -> str | None:
        """The user a live token belongs to, or None."""
        with self._connect() as db:
            row = db.execute("SELECT user FROM tokens WHERE digest = ? AND revoked_at IS NULL",
                             (digest(secret),)).fetchone()
        return str(row[0]) if row else None

    def tokens(self) -> list[TokenRecord]:
        """Every token, newest first."""
        with self._connect() as db:
            rows = db.execute("SELECT id, user, created_at, revoked_at FROM tokens "
                              "ORDER BY id DESC")
            return [TokenRecord(*row) for row in rows]

    def revoke_token(self, token_id: int, at: str) -> bool:
        """Revoke a token by id; False when there is no live token with that id."""
        with self._connect() as db:
            return bool(db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND "
                                   "revoked_at IS NULL", (at, token_id)).rowcount)

    # -- sessions -------------------------------------------------------------------------

    def session(self, session_id: str, now: float) -> bytes | None:
        """A live session's data, or None."""
        with self._connect() as db:
            row = db.execute("SELECT data FROM sessions WHERE digest = ? AND expires > ?",
                             (digest(session_id), now)).fetchone()
        return bytes(row[0]) if row else None

    def save_session(self, session_id: str, user: str | None, data: bytes, expires: float
                     ) -> None:
        """Create or replace a session."""
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?)",
                       (digest(session_id), user, data, expires))
            db.execute("DELETE FROM sessions WHERE expires <= ?", (expires - 10 * 86400,))

    def end_session(self, session_id: str) -> None:
        """End a session (sign-out)."""
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE digest = ?", (digest(session_id),))

    # -- audit log ------------------------------------------------------------------------

    def audit(self, at: str, actor: str, address: str, action: str, round_id: str,
              detail: str) -> None:
        """Append one entry to the audit log."""
        with self._connect() as db:
            db.execute("INSERT INTO audit (at, actor, address, action, round, detail) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (at, actor, address, action, round_id,
                                                     detail))

    def audit_entries(self, *, round_id: str | None = None, limit: int | None = None,
                      offset: int = 0) -> list[AuditEntry]:
        """Audit entries, newest first (of one round, when given)."""
        query = "SELECT id, at, actor, address, action, round, detail FROM audit"
        params: list[object] = []
        if round_id is not None:
            query += " WHERE round = ?"
            params.append(round_id)
        query += " ORDER BY id DESC LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        with self._connect() as db:
            return [AuditEntry(*row) for row in db.execute(query, params)]
