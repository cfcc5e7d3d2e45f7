"""What the round sent and which mailbox messages it has read: mail tables in the round's ledger.

Every outgoing message is recorded *before* its SMTP transaction (``pending``) and marked
``sent`` or ``failed`` right after it, so a run that stops anywhere can be resumed without
resending what went out. A ``pending`` row left behind means the run died inside a transaction:
whether that message went out is unknown, and it is only sent again on request.

IMAP messages are remembered by mailbox, UIDVALIDITY and UID once their files are recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from sheetops.ledger.store import Ledger

PENDING: Final = "pending"
SENT: Final = "sent"
FAILED: Final = "failed"
MAIL_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS mail_messages (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    address     TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    attachments TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    error       TEXT
);
CREATE INDEX IF NOT EXISTS mail_messages_recipient ON mail_messages(kind, recipient);
CREATE TABLE IF NOT EXISTS mail_seen (
    mailbox     TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    message_id  TEXT,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (mailbox, uidvalidity, uid)
);
"""


@dataclass(frozen=True)
class MailRecord:
    """One outgoing message as the ledger knows it."""

    id: int
    kind: str
    recipient: str
    address: str
    message_id: str
    subject: str
    attachments: list[dict[str, str]]
    fingerprint: str
    status: str
    created_at: str
    finished_at: str | None
    error: str | None


@dataclass(frozen=True)
class SeenMessage:
    """A mailbox message read by this round."""

    uidvalidity: int
    uid: int
    message_id: str | None


class MailLog:
    """The mail tables of a round's ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        with ledger.transaction() as db:
            for statement in MAIL_SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    def durable(self) -> None:
        """Make every commit reach the disk before returning (a power cut must not forget a
        message that went out, or the next run would send it again)."""
        self.ledger.connection.execute("PRAGMA synchronous=FULL")

    # -- outgoing --------------------------------------------------------------------------

    def begin(self, *, kind: str, recipient: str, address: str, message_id: str,
              subject: str, attachments: list[dict[str, str]], fingerprint: str,
              at: str) -> int:
        """Record a message about to be handed to the server.

        Returns:
            The record's id, for :meth:`finish`.
        """
        with self.ledger.transaction() as db:
            cursor = db.execute(
                "INSERT INTO mail_messages(kind,recipient,address,message_id,subject,attachments,"
                "fingerprint,status,created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (kind, recipient, address, message_id, subject,
                 json.dumps(attachments, ensure_ascii=False), fingerprint, PENDING, at),
            )
            return int(cursor.lastrowid or 0)

    def finish(self, record_id: int, status: str, at: str, error: str | None = None) -> None:
        """Mark a pending message ``sent`` or ``failed``."""
        with self.ledger.transaction() as db:
            db.execute("UPDATE mail_messages SET status=?, finished_at=?, error=? WHERE id=?",
                       (status, at, error, record_id))

    def messages(self, kind: str | None = None, recipient: str | None = None
                 ) -> list[MailRecord]:
        """Recorded messages, oldest first, optionally of one kind and recipient."""
        query = "SELECT * FROM mail_messages WHERE 1=1"
        params: list[Any] = []
        if kind is not None:
            query += " AND kind=?"
            params.append(kind)
        if recipient is not None:
            query += " AND recipient=?"
            params.append(recipient)
        rows = self.ledger.connection.execute(query + " ORDER BY id", params).fetchall()
        return [MailRecord(**{**dict(row), "attachments": json.loads(row["attachments"])})
                for row in rows]

    # -- incoming --------------------------------------------------------------------------

    def seen_uids(self, mailbox: str, uidvalidity: int) -> set[int]:
        """UIDs of ``mailbox`` already read by this round (under this UIDVALIDITY)."""
        rows = self.ledger.connection.execute(
            "SELECT uid FROM mail_seen WHERE mailbox=? AND uidvalidity=?", (mailbox, uidvalidity))
        return {int(row[0]) for row in rows}

    def mark_seen(self, mailbox: str, messages: list[SeenMessage], at: str) -> None:
        """Remember ``messages`` of ``mailbox`` as read."""
        with self.ledger.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO mail_seen(mailbox,uidvalidity,uid,message_id,seen_at)"
                " VALUES (?,?,?,?,?)",
                [(mailbox, m.uidvalidity, m.uid, m.message_id, at) for m in messages])

    def seen(self, mailbox: str) -> list[SeenMessage]:
        """Every message of ``mailbox`` read by this round."""
        rows = self.ledger.connection.execute(
            "SELECT uidvalidity, uid, message_id FROM mail_seen WHERE mailbox=?"
            " ORDER BY uidvalidity, uid", (mailbox,))
        return [SeenMessage(int(r[0]), int(r[1]), r[2]) for r in rows]
